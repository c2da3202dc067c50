//! Alert rules (DESIGN §5 ◆). Kinds are named exactly as the design names them: scripts read
//! them from `status --json`.

use super::{ContractProgress, Inputs, LeaderCapacity, next_review_on};
use crate::domain::money::{fmt_days, fmt_pence};
use crate::domain::{Category, ContractStatus, Rag, fmt_date};
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// How urgently an alert needs a coordinator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Act now: support is failing or missing where it matters most.
    High,
    /// Act before the next board.
    Medium,
    /// Worth a look.
    Low,
}

impl Severity {
    /// The word shown next to the alert (status is never colour alone).
    pub fn label(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
    /// A glyph for narrow panes.
    pub fn glyph(self) -> &'static str {
        match self {
            Severity::High => "!!",
            Severity::Medium => "! ",
            Severity::Low => "· ",
        }
    }
}

/// The kinds of alert, in the order the design lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// Escalated by its latest review.
    Escalated,
    /// Latest review red.
    RedReview,
    /// Live past its end date.
    PastEnd,
    /// Category C/D school with no live contract.
    UnsupportedConcern,
    /// Active leader with negative available days.
    OverCapacity,
    /// More days delivered than commissioned.
    DaysOverrun,
    /// Next review date has passed.
    ReviewOverdue,
    /// Ends within the window.
    EndingSoon,
    /// Active contract with no visit in the last `no_visit_days` school days.
    NoRecentVisit,
    /// An open board decision past its due date.
    DecisionOverdue,
    /// A funding stream with more committed than it holds.
    StreamOverCommitted,
    /// A new headteacher in the last 12 months (low).
    NewHead,
    /// Published data (results, absence, context, inspection timing) tripped a trigger.
    DataConcern,
}

impl AlertKind {
    /// Every kind.
    pub const ALL: [AlertKind; 13] = [
        AlertKind::Escalated,
        AlertKind::RedReview,
        AlertKind::PastEnd,
        AlertKind::UnsupportedConcern,
        AlertKind::OverCapacity,
        AlertKind::DaysOverrun,
        AlertKind::ReviewOverdue,
        AlertKind::EndingSoon,
        AlertKind::NoRecentVisit,
        AlertKind::DecisionOverdue,
        AlertKind::StreamOverCommitted,
        AlertKind::NewHead,
        AlertKind::DataConcern,
    ];

    /// The name used in JSON and the design (◆).
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Escalated => "escalated",
            AlertKind::RedReview => "red_review",
            AlertKind::PastEnd => "past_end",
            AlertKind::UnsupportedConcern => "unsupported_concern",
            AlertKind::OverCapacity => "over_capacity",
            AlertKind::DaysOverrun => "days_overrun",
            AlertKind::ReviewOverdue => "review_overdue",
            AlertKind::EndingSoon => "ending_soon",
            AlertKind::NoRecentVisit => "no_recent_visit",
            AlertKind::DecisionOverdue => "decision_overdue",
            AlertKind::StreamOverCommitted => "stream_over_committed",
            AlertKind::NewHead => "new_head",
            AlertKind::DataConcern => "data_concern",
        }
    }

    /// A short label for flag columns.
    pub fn short(self) -> &'static str {
        match self {
            AlertKind::Escalated => "ESC",
            AlertKind::RedReview => "RED",
            AlertKind::PastEnd => "PAST",
            AlertKind::UnsupportedConcern => "UNSUP",
            AlertKind::OverCapacity => "OVER",
            AlertKind::DaysOverrun => "DAYS+",
            AlertKind::ReviewOverdue => "REV",
            AlertKind::EndingSoon => "END",
            AlertKind::NoRecentVisit => "QUIET",
            AlertKind::DecisionOverdue => "DUE",
            AlertKind::StreamOverCommitted => "£OVER",
            AlertKind::NewHead => "HEAD",
            AlertKind::DataConcern => "DATA",
        }
    }
}

/// One alert about a contract, school or leader.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// Which rule fired.
    pub kind: AlertKind,
    /// How urgent.
    pub severity: Severity,
    /// One line for people, with the inputs that made the rule fire.
    pub message: String,
    /// The school concerned.
    pub school_id: Option<i64>,
    /// The contract concerned.
    pub contract_id: Option<i64>,
    /// The leader concerned.
    pub leader_id: Option<i64>,
    /// The funding stream concerned (`stream_over_committed`; left out of JSON otherwise, so
    /// the other kinds read as before).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_id: Option<i64>,
}

fn days_word(n: i64) -> String {
    if n == 1 { "1 day".to_string() } else { format!("{n} days") }
}

fn school_days_word(n: i64) -> String {
    if n == 1 { "1 school day".to_string() } else { format!("{n} school days") }
}

/// Every alert, most severe first, then by kind, then by subject.
pub(super) fn alerts(inputs: &Inputs, leaders: &[LeaderCapacity], contracts: &[ContractProgress]) -> Vec<Alert> {
    let today = inputs.today;
    let s = &inputs.settings;
    let mut out = Vec::new();
    let mut push =
        |kind, severity, message: String, school: Option<i64>, contract: Option<i64>, leader: Option<i64>| {
            out.push(Alert {
                kind,
                severity,
                message,
                school_id: school,
                contract_id: contract,
                leader_id: leader,
                stream_id: None,
            });
        };

    for p in contracts.iter().filter(|p| p.contract.status.is_live()) {
        let c = &p.contract;
        let what = format!("{} — {} ({})", c.school_name, c.focus, c.leader_name);
        let ids = (Some(c.school_id), Some(c.id), Some(c.leader_id));
        if let Some(r) = &c.latest_review {
            if r.escalate {
                push(
                    AlertKind::Escalated,
                    Severity::High,
                    format!("Escalated: {what}, review of {}", fmt_date(r.reviewed_on)),
                    ids.0,
                    ids.1,
                    ids.2,
                );
            }
            if r.rag == Rag::Red {
                push(
                    AlertKind::RedReview,
                    Severity::High,
                    format!("Red review: {what}, {}", fmt_date(r.reviewed_on)),
                    ids.0,
                    ids.1,
                    ids.2,
                );
            }
        }
        if c.end_on < today {
            push(
                AlertKind::PastEnd,
                Severity::High,
                format!(
                    "Past end: {what} ended {} ({} ago) but is still {}",
                    fmt_date(c.end_on),
                    days_word((today - c.end_on).num_days()),
                    c.status
                ),
                ids.0,
                ids.1,
                ids.2,
            );
        }
        if c.delivered > c.days_commissioned {
            push(
                AlertKind::DaysOverrun,
                Severity::Medium,
                format!(
                    "Days overrun: {what}, {} of {} days delivered",
                    fmt_days(c.delivered),
                    fmt_days(c.days_commissioned)
                ),
                ids.0,
                ids.1,
                ids.2,
            );
        }
        // Lateness is counted in school days, so nothing becomes overdue in a holiday: a review
        // due on the last day of term is overdue on the first day back, not in August.
        let cal = &inputs.calendar;
        let due = next_review_on(c, s.review_interval_days, cal);
        let late = cal.school_days_between(due, today);
        if due < today && late > 0 {
            push(
                AlertKind::ReviewOverdue,
                Severity::Medium,
                format!("Review overdue: {what}, due {} ({} ago)", fmt_date(due), school_days_word(late)),
                ids.0,
                ids.1,
                ids.2,
            );
        }
        if today <= c.end_on && c.end_on <= today + Duration::days(s.ending_soon_days) {
            let left = (c.end_on - today).num_days();
            let when = if left == 0 { "today".to_string() } else { format!("in {}", days_word(left)) };
            push(
                AlertKind::EndingSoon,
                Severity::Low,
                format!("Ending soon: {what}, ends {} ({when})", fmt_date(c.end_on)),
                ids.0,
                ids.1,
                ids.2,
            );
        }
        // "No visit in the last N school days": the summer holiday adds nothing to the count.
        let quiet = |since: NaiveDate| cal.school_days_between(since, today) > s.no_visit_days;
        if c.status == ContractStatus::Active && quiet(c.start_on) && c.last_visit.is_none_or(quiet) {
            let last = c.last_visit.map_or("no visit yet".to_string(), |v| {
                format!("last visit {} ({} ago)", fmt_date(v), school_days_word(cal.school_days_between(v, today)))
            });
            push(
                AlertKind::NoRecentVisit,
                Severity::Low,
                format!("No recent visit: {what}, {last}"),
                ids.0,
                ids.1,
                ids.2,
            );
        }
    }

    for l in leaders.iter().filter(|l| l.over_capacity()) {
        push(
            AlertKind::OverCapacity,
            Severity::Medium,
            format!(
                "Over capacity: {} ({}), {} delivered + {} committed of {} days",
                l.leader.name,
                l.leader.designation,
                fmt_days(l.delivered),
                fmt_days(l.committed),
                fmt_days(l.capacity)
            ),
            None,
            None,
            Some(l.leader.id),
        );
    }

    // Paused support is not support (DESIGN §5, round two): only an active contract counts.
    let mut open_by_school: std::collections::HashMap<i64, Vec<&super::ContractFacts>> = Default::default();
    for p in contracts {
        open_by_school.entry(p.contract.school_id).or_default().push(&p.contract);
    }
    for sch in &inputs.schools {
        let mine = open_by_school.get(&sch.id).map(Vec::as_slice).unwrap_or(&[]);
        if matches!(sch.category, Category::C | Category::D) && !mine.iter().any(|c| c.status == ContractStatus::Active)
        {
            let severity = if sch.category == Category::D { Severity::High } else { Severity::Medium };
            push(
                AlertKind::UnsupportedConcern,
                severity,
                format!(
                    "No support: {} is category {} ({}) with {}",
                    sch.name,
                    sch.category,
                    sch.category.meaning(),
                    super::status::unsupported_tail(mine)
                ),
                Some(sch.id),
                None,
                None,
            );
        }
        if let Some((on, head)) = &sch.new_head
            && super::status::new_head_is_recent(*on, today)
        {
            push(
                AlertKind::NewHead,
                Severity::Low,
                format!("New head: {} has had a new head since {} ({head})", sch.name, fmt_date(*on)),
                Some(sch.id),
                None,
                None,
            );
        }
    }

    for d in &inputs.overdue_decisions {
        let late = (today - d.due_on).num_days();
        let owner = if d.owner.trim().is_empty() { String::new() } else { format!(" ({})", d.owner.trim()) };
        push(
            AlertKind::DecisionOverdue,
            Severity::Medium,
            format!(
                "Decision overdue: {} — {}{owner}, due {} ({} ago)",
                d.kind.as_str(),
                d.text,
                fmt_date(d.due_on),
                days_word(late)
            ),
            d.school_id,
            d.contract_id,
            None,
        );
    }
    for sch in &inputs.schools {
        if let Some(c) =
            super::data::triggers_for(&sch.name, sch.id, &inputs.data, sch.latest_inspection.as_ref(), s, today)
        {
            push(AlertKind::DataConcern, c.severity, c.message, Some(sch.id), None, None);
        }
    }

    for st in inputs.streams.iter().filter(|s| s.committed_pence > s.amount_pence) {
        out.push(Alert {
            kind: AlertKind::StreamOverCommitted,
            severity: Severity::High,
            message: format!(
                "Over-committed: {} has {} committed of {} ({} over)",
                st.name,
                fmt_pence(st.committed_pence),
                fmt_pence(st.amount_pence),
                fmt_pence(st.committed_pence - st.amount_pence)
            ),
            school_id: None,
            contract_id: None,
            leader_id: None,
            stream_id: Some(st.id),
        });
    }

    out.sort_by(|a, b| a.severity.cmp(&b.severity).then(a.kind.cmp(&b.kind)).then(a.message.cmp(&b.message)));
    out
}
