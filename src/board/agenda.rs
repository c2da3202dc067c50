//! The board's agenda, built from the data (issue 7 §1): what the partnership board must look at
//! this month, each item with the facts that put it there and the question the board is asked.
//!
//! Items come from the alerts [`crate::metrics`] already raised (so the agenda and the dashboard
//! never disagree), plus proposed contracts and decisions past their due date. Add a new kind of
//! item here, in [`agenda`], and every caller (board pack, Board screen) picks it up.

use crate::domain::money::{fmt_days, fmt_pence};
use crate::domain::{Category, Contract, ContractStatus, Decision, Rag, fmt_date};
use crate::metrics::{AlertKind, ContractProgress, Severity, Snapshot};
use chrono::NaiveDate;
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
    /// The evidence points to a more serious category than the board's.
    ReviewCategory,
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
    pub const ALL: [AgendaKind; 8] = [
        AgendaKind::UnsupportedConcern,
        AgendaKind::RedOrEscalated,
        AgendaKind::ReviewCategory,
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
            AgendaKind::ReviewCategory => "review_category",
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
            AgendaKind::ReviewCategory => "Categories to review",
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
            AgendaKind::ReviewCategory => "Record a recategorise decision, or minute why the category stands.",
            AgendaKind::PastEnd => "Close the contract (completed or terminated) or extend it.",
            AgendaKind::EndingSoon => "Extend, or agree the exit and final review.",
            AgendaKind::OverCapacity => "Rebalance contracts, or agree more days with the home school.",
            AgendaKind::ProposedContract => "Approve, amend or decline.",
            AgendaKind::DecisionPastDue => "Hear from the owner; re-date or close.",
        }
    }
}

/// A board decision as the agenda reads it: the decision, the date of the meeting that took it,
/// and the name of the school it concerns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TakenDecision<'a> {
    /// The decision.
    pub decision: &'a Decision,
    /// Date of the meeting it was taken at.
    pub held_on: NaiveDate,
    /// The school concerned, by name.
    pub school_name: Option<&'a str>,
}

impl<'a> TakenDecision<'a> {
    /// The decision taken at the meeting held on `held_on`, about the school called `school_name`.
    pub fn new(decision: &'a Decision, held_on: NaiveDate, school_name: Option<&'a str>) -> Self {
        TakenDecision { decision, held_on, school_name }
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

/// The category the evidence points to when it is more serious than the board's, with the
/// evidence in words (the app suggests; the board decides with a `recategorise` decision):
///
/// - **D** — the latest inspection puts the school in a category of concern (graded 4 /
///   Inadequate, special measures, serious weaknesses, or a report-card "Urgent improvement");
/// - **C** — a high data concern; a live contract whose latest review is red or escalated; or a
///   "requires improvement" / "Needs attention" inspection together with any data concern;
/// - **B** — any data concern, or a "requires improvement" / "Needs attention" inspection.
pub fn suggested_category(snap: &Snapshot, st: &crate::metrics::SchoolStatus) -> Option<(Category, String)> {
    let id = st.school.id;
    let mut evidence: Vec<(Category, String)> = Vec::new();
    let says = |i: &crate::metrics::InspectionFacts, w: &str| {
        i.outcome.to_lowercase().contains(w) || i.areas.to_lowercase().contains(w)
    };
    let mut weak_inspection = false;
    if let Some(i) = &st.school.latest_inspection {
        let when = fmt_date(i.inspected_on);
        if i.grade == Some(4)
            || ["urgent improvement", "special measures", "serious weaknesses"].iter().any(|w| says(i, w))
        {
            evidence.push((Category::D, format!("the inspection of {when} was {}", i.outcome)));
        } else if i.grade == Some(3) || says(i, "needs attention") {
            weak_inspection = true;
            evidence.push((Category::B, format!("the inspection of {when} was {}", i.outcome)));
        }
    }
    for a in snap.alerts.iter().filter(|a| a.school_id == Some(id)) {
        match a.kind {
            AlertKind::DataConcern => {
                let figures = a.message.split_once(": ").map_or(a.message.as_str(), |(_, f)| f);
                let level = if a.severity == Severity::High || weak_inspection { Category::C } else { Category::B };
                evidence.push((level, format!("{} data concern ({figures})", a.severity.label())));
            }
            AlertKind::RedReview | AlertKind::Escalated => {
                let what = if a.kind == AlertKind::RedReview { "a red review" } else { "an escalated review" };
                let line = format!("{what} on a live contract");
                if !evidence.iter().any(|(_, e)| e == &line) {
                    evidence.push((Category::C, line));
                }
            }
            _ => {}
        }
    }
    let top = evidence.iter().map(|(c, _)| *c).max_by_key(|c| *c as u8)?;
    if (top as u8) <= (st.school.category as u8) {
        return None;
    }
    let mut because: Vec<String> = Vec::new();
    for level in [Category::D, Category::C, Category::B] {
        because.extend(evidence.iter().filter(|(c, _)| *c == level).map(|(_, e)| e.clone()));
    }
    Some((top, because.join("; ")))
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
/// `contracts` supplies what the metrics do not carry (day rates and funding, for a proposal);
/// `decisions` are every board decision, as the board took them.
pub fn agenda<'a>(
    snap: &Snapshot,
    contracts: impl IntoIterator<Item = &'a Contract>,
    decisions: impl IntoIterator<Item = TakenDecision<'a>>,
) -> Vec<AgendaItem> {
    let today = snap.today;
    let progress: HashMap<i64, &ContractProgress> = snap.contracts.iter().map(|p| (p.contract.id, p)).collect();
    let rows: HashMap<i64, &Contract> = contracts.into_iter().map(|c| (c.id, c)).collect();
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

    for st in &snap.schools {
        if let Some((suggested, because)) = suggested_category(snap, st) {
            let severity = match suggested {
                Category::D => Severity::High,
                Category::C => Severity::Medium,
                _ => Severity::Low,
            };
            out.push(AgendaItem {
                kind: AgendaKind::ReviewCategory,
                severity,
                subject: st.school.name.clone(),
                detail: format!(
                    "review category: {} is {}; evidence suggests {suggested} because {because}",
                    st.school.name, st.school.category
                ),
                school_id: Some(st.school.id),
                contract_id: None,
                leader_id: None,
                decision_id: None,
            });
        }
    }

    for p in snap.contracts.iter().filter(|p| p.contract.status == ContractStatus::Proposed) {
        let c = &p.contract;
        let price = rows
            .get(&c.id)
            .map(|r| {
                let rate = r.day_rate_pence;
                format!(
                    ", {} at {}/day",
                    fmt_pence(crate::metrics::budget::price_pence(c.days_commissioned, rate)),
                    fmt_pence(rate)
                )
            })
            .unwrap_or_default();
        let funding = rows
            .get(&c.id)
            .map(|r| r.funding.trim())
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
            subject: d.school_name.map_or_else(|| "—".to_string(), str::to_string),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Framework;
    use crate::metrics::compute;
    use crate::metrics::data::{DataFacts, Point, SchoolData};
    use crate::metrics::fixtures::{inputs, inspection, school};

    fn sliding() -> DataFacts {
        let mut d = DataFacts::default();
        let mut s = SchoolData { la_code: "879".into(), ..SchoolData::default() };
        let p = |y: &str, v: f64| Point { year: y.into(), value: Some(v), status: "ok".into() };
        s.series.insert("PTRWM_EXP".into(), vec![p("2022/23", 63.0), p("2023/24", 55.0), p("2024/25", 48.0)]);
        d.schools.insert(1, s);
        d.comparators.insert(("la:879".into(), "PTRWM_EXP".into(), "2024/25".into()), p("2024/25", 62.0));
        d
    }

    fn review_items(snap: &Snapshot) -> Vec<String> {
        agenda(snap, [], []).into_iter().filter(|a| a.kind == AgendaKind::ReviewCategory).map(|a| a.detail).collect()
    }

    #[test]
    fn a_high_data_concern_suggests_c_for_a_category_b_school() {
        let mut i = inputs(vec![], vec![], vec![school(1, Category::B)]);
        i.data = sliding();
        let items = review_items(&compute(&i));
        assert_eq!(items.len(), 1);
        assert!(
            items[0].starts_with(
                "review category: School 1 is B; evidence suggests C because high data concern (RWM expected 48%"
            ),
            "{}",
            items[0]
        );
    }

    #[test]
    fn no_suggestion_when_the_board_already_holds_that_category_or_worse() {
        let mut i = inputs(vec![], vec![], vec![school(1, Category::C)]);
        i.data = sliding();
        assert!(review_items(&compute(&i)).is_empty());
        let plain = inputs(vec![], vec![], vec![school(1, Category::A)]);
        assert!(review_items(&compute(&plain)).is_empty(), "no evidence, no suggestion");
    }

    #[test]
    fn an_inadequate_inspection_suggests_d_and_requires_improvement_b() {
        let mut s = school(1, Category::A);
        s.latest_inspection = Some(inspection(Framework::Graded, "Inadequate", Some(4), ""));
        let items = review_items(&compute(&inputs(vec![], vec![], vec![s.clone()])));
        assert!(items[0].contains("is A; evidence suggests D because the inspection of"), "{items:?}");
        s.latest_inspection = Some(inspection(Framework::Graded, "Requires improvement", Some(3), ""));
        let items = review_items(&compute(&inputs(vec![], vec![], vec![s])));
        assert!(items[0].contains("is A; evidence suggests B because"), "{items:?}");
    }
}
