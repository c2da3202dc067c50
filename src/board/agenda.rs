//! The board's agenda, built from the data (issue 7 §1): what the partnership board must look at
//! this month, each item with the facts that put it there and the question the board is asked.
//!
//! Items come from the alerts [`crate::metrics`] already raised (so the agenda and the dashboard
//! never disagree), plus proposed contracts and decisions past their due date. Add a new kind of
//! item here, in [`agenda`], and every caller (board pack, Board screen) picks it up.

use crate::domain::money::{fmt_days, fmt_pence};
use crate::domain::{ContractStatus, Rag, fmt_date};
use crate::metrics::{AlertKind, ContractProgress, Severity, Snapshot};
use crate::store::{ContractRow, DecisionRow};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The kinds of agenda item, in the order the board takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgendaKind {
    /// A category C or D school with no live contract.
    UnsupportedConcern,
    /// A live contract whose latest review is red, or escalated.
    RedOrEscalated,
    /// A live contract past its end date.
    PastEnd,
    /// A live contract ending within the "ending soon" window.
    EndingSoon,
    /// An active leader with negative available days.
    OverCapacity,
    /// A proposed contract awaiting the board's decision.
    ProposedContract,
    /// An open decision whose due date has passed.
    DecisionPastDue,
}

impl AgendaKind {
    /// Every kind, in agenda order.
    pub const ALL: [AgendaKind; 7] = [
        AgendaKind::UnsupportedConcern,
        AgendaKind::RedOrEscalated,
        AgendaKind::PastEnd,
        AgendaKind::EndingSoon,
        AgendaKind::OverCapacity,
        AgendaKind::ProposedContract,
        AgendaKind::DecisionPastDue,
    ];

    /// A stable machine name (CSV, JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            AgendaKind::UnsupportedConcern => "unsupported_concern",
            AgendaKind::RedOrEscalated => "red_or_escalated",
            AgendaKind::PastEnd => "past_end",
            AgendaKind::EndingSoon => "ending_soon",
            AgendaKind::OverCapacity => "over_capacity",
            AgendaKind::ProposedContract => "proposed_contract",
            AgendaKind::DecisionPastDue => "decision_past_due",
        }
    }

    /// The agenda heading, in the board's words.
    pub fn heading(self) -> &'static str {
        match self {
            AgendaKind::UnsupportedConcern => "Schools of concern without support",
            AgendaKind::RedOrEscalated => "Red or escalated reviews",
            AgendaKind::PastEnd => "Contracts past their end date",
            AgendaKind::EndingSoon => "Contracts ending soon",
            AgendaKind::OverCapacity => "Leaders over capacity",
            AgendaKind::ProposedContract => "Proposed contracts awaiting a decision",
            AgendaKind::DecisionPastDue => "Decisions past their due date",
        }
    }

    /// What the board is asked to decide about items of this kind.
    pub fn question(self) -> &'static str {
        match self {
            AgendaKind::UnsupportedConcern => "Commission support, or minute why not.",
            AgendaKind::RedOrEscalated => "Agree action: vary, change leader, end or escalate.",
            AgendaKind::PastEnd => "Close the contract (completed or terminated) or extend it.",
            AgendaKind::EndingSoon => "Extend, or agree the exit and final review.",
            AgendaKind::OverCapacity => "Rebalance contracts, or agree more days with the home school.",
            AgendaKind::ProposedContract => "Approve, amend or decline.",
            AgendaKind::DecisionPastDue => "Hear from the owner; re-date or close.",
        }
    }
}

/// One thing the board must look at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaItem {
    /// Which rule put it on the agenda.
    pub kind: AgendaKind,
    /// How urgent (the underlying alert's severity).
    pub severity: Severity,
    /// Who or what it is about: a school or a leader, by name.
    pub subject: String,
    /// The facts behind it, in one line.
    pub detail: String,
    /// The school concerned.
    pub school_id: Option<i64>,
    /// The contract concerned.
    pub contract_id: Option<i64>,
    /// The leader concerned.
    pub leader_id: Option<i64>,
    /// The decision concerned.
    pub decision_id: Option<i64>,
}

fn days_word(n: i64) -> String {
    if n == 1 { "1 day".to_string() } else { format!("{n} days") }
}

fn delivery(p: &ContractProgress) -> String {
    format!("{} of {} days delivered", fmt_days(p.contract.delivered), fmt_days(p.contract.days_commissioned))
}

/// Builds the agenda as of `snap.today`: items in [`AgendaKind`] order, most severe first within
/// a kind, then by subject.
///
/// `contracts` supplies what the metrics do not carry (day rates, for the price of a proposal);
/// `decisions` are every board decision ([`crate::store::Store::decision_rows`]).
pub fn agenda(snap: &Snapshot, contracts: &[ContractRow], decisions: &[DecisionRow]) -> Vec<AgendaItem> {
    let today = snap.today;
    let progress: HashMap<i64, &ContractProgress> = snap.contracts.iter().map(|p| (p.contract.id, p)).collect();
    let rows: HashMap<i64, &ContractRow> = contracts.iter().map(|r| (r.contract.id, r)).collect();
    let schools: HashMap<i64, &crate::metrics::SchoolStatus> = snap.schools.iter().map(|s| (s.school.id, s)).collect();
    let mut out = Vec::new();
    let contract_item = |kind, severity, p: &ContractProgress, detail: String| AgendaItem {
        kind,
        severity,
        subject: p.contract.school_name.clone(),
        detail,
        school_id: Some(p.contract.school_id),
        contract_id: Some(p.contract.id),
        leader_id: Some(p.contract.leader_id),
        decision_id: None,
    };

    // Red and escalated reviews of one contract are one item.
    let mut red_or_escalated = BTreeSet::new();
    for a in &snap.alerts {
        match a.kind {
            AlertKind::UnsupportedConcern => {
                let Some(s) = a.school_id.and_then(|id| schools.get(&id)) else { continue };
                let inspection = s.school.latest_inspection.as_ref().map_or_else(
                    || "no inspection on record".to_string(),
                    |i| format!("latest inspection {} ({})", i.outcome_view().summary(), fmt_date(i.inspected_on)),
                );
                out.push(AgendaItem {
                    kind: AgendaKind::UnsupportedConcern,
                    severity: a.severity,
                    subject: s.school.name.clone(),
                    detail: format!(
                        "category {} ({}), no live contract; {inspection}",
                        s.school.category,
                        s.school.category.meaning()
                    ),
                    school_id: Some(s.school.id),
                    contract_id: None,
                    leader_id: None,
                    decision_id: None,
                });
            }
            AlertKind::RedReview | AlertKind::Escalated => {
                let Some(p) = a.contract_id.and_then(|id| progress.get(&id)) else { continue };
                if !red_or_escalated.insert(p.contract.id) {
                    continue;
                }
                let Some(r) = &p.contract.latest_review else { continue };
                let what = match (r.rag == Rag::Red, r.escalate) {
                    (true, true) => "red and escalated",
                    (true, false) => "red",
                    _ => "escalated",
                };
                let detail = format!(
                    "{} with {} ({}): latest review {what}, {}; {}",
                    p.contract.focus,
                    p.contract.leader_name,
                    p.contract.designation,
                    fmt_date(r.reviewed_on),
                    delivery(p)
                );
                out.push(contract_item(AgendaKind::RedOrEscalated, Severity::High, p, detail));
            }
            AlertKind::PastEnd => {
                let Some(p) = a.contract_id.and_then(|id| progress.get(&id)) else { continue };
                let detail = format!(
                    "{} with {}: ended {} ({} ago) but is still {}; {}",
                    p.contract.focus,
                    p.contract.leader_name,
                    fmt_date(p.contract.end_on),
                    days_word((today - p.contract.end_on).num_days()),
                    p.contract.status,
                    delivery(p)
                );
                out.push(contract_item(AgendaKind::PastEnd, a.severity, p, detail));
            }
            AlertKind::EndingSoon => {
                let Some(p) = a.contract_id.and_then(|id| progress.get(&id)) else { continue };
                let left = (p.contract.end_on - today).num_days();
                let when = if left == 0 { "today".to_string() } else { format!("in {}", days_word(left)) };
                let rag = p.latest_rag.map_or("no review yet".to_string(), |r| format!("latest review {r}"));
                let detail = format!(
                    "{} with {}: ends {} ({when}); {}; {rag}",
                    p.contract.focus,
                    p.contract.leader_name,
                    fmt_date(p.contract.end_on),
                    delivery(p)
                );
                out.push(contract_item(AgendaKind::EndingSoon, a.severity, p, detail));
            }
            AlertKind::OverCapacity => {
                let Some(l) = snap.leaders.iter().find(|l| Some(l.leader.id) == a.leader_id) else { continue };
                out.push(AgendaItem {
                    kind: AgendaKind::OverCapacity,
                    severity: a.severity,
                    subject: l.leader.name.clone(),
                    detail: format!(
                        "{}: {} delivered + {} committed of {} days ({} over) across {} live contracts",
                        l.leader.designation,
                        fmt_days(l.delivered),
                        fmt_days(l.committed),
                        fmt_days(l.capacity),
                        fmt_days(-l.available),
                        l.live_contracts
                    ),
                    school_id: None,
                    contract_id: None,
                    leader_id: Some(l.leader.id),
                    decision_id: None,
                });
            }
            _ => {}
        }
    }

    for p in snap.contracts.iter().filter(|p| p.contract.status == ContractStatus::Proposed) {
        let c = &p.contract;
        let price = rows
            .get(&c.id)
            .map(|r| {
                let rate = r.contract.day_rate_pence;
                format!(", {} at {}/day", fmt_pence(super::price_pence(c.days_commissioned, rate)), fmt_pence(rate))
            })
            .unwrap_or_default();
        let funding = rows
            .get(&c.id)
            .map(|r| r.contract.funding.trim())
            .filter(|f| !f.is_empty())
            .map(|f| format!(", funded by {f}"))
            .unwrap_or_default();
        let detail = format!(
            "{} with {} ({}): {} days, {} to {}{price}{funding}",
            c.focus,
            c.leader_name,
            c.designation,
            fmt_days(c.days_commissioned),
            fmt_date(c.start_on),
            fmt_date(c.end_on)
        );
        out.push(contract_item(AgendaKind::ProposedContract, Severity::Medium, p, detail));
    }

    for d in decisions {
        let Some(due) = d.decision.due_on.filter(|due| !d.decision.done && *due < today) else { continue };
        let owner = if d.decision.owner.trim().is_empty() { "no owner".to_string() } else { d.decision.owner.clone() };
        out.push(AgendaItem {
            kind: AgendaKind::DecisionPastDue,
            severity: Severity::Medium,
            subject: d.school_name.clone().unwrap_or_else(|| "—".to_string()),
            detail: format!(
                "{}: {} — {owner}, due {} ({} overdue), decided {}",
                d.decision.kind,
                d.decision.text,
                fmt_date(due),
                days_word((today - due).num_days()),
                fmt_date(d.held_on)
            ),
            school_id: d.decision.school_id,
            contract_id: d.decision.contract_id,
            leader_id: None,
            decision_id: Some(d.decision.id),
        });
    }

    out.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.severity.cmp(&b.severity)).then(a.subject.cmp(&b.subject)));
    out
}
