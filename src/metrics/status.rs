//! School status (DESIGN §5 ◆): urgent · concern · watch · ok, each with the reasons that put
//! it there, so every status on screen can explain itself.

use super::{Alert, Inputs, SchoolFacts};
use crate::domain::{Category, ContractStatus, Rag, fmt_date, grade_word};
use serde::Serialize;
use std::collections::HashMap;

/// A school's status, most severe first (the derive order is the severity order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Category D, a live contract red or escalated, or the latest inspection puts the school
    /// in a category of concern.
    Urgent,
    /// Category C, C/D with no active contract, or "stuck" (below good twice running).
    Concern,
    /// Category B, grade 3 / "Needs attention", a new head, or any alert.
    Watch,
    /// None of the above.
    Ok,
}

impl Status {
    /// Every status, most severe first.
    pub const ALL: [Status; 4] = [Status::Urgent, Status::Concern, Status::Watch, Status::Ok];
    /// The word shown (status is never colour alone).
    pub fn label(self) -> &'static str {
        match self {
            Status::Urgent => "urgent",
            Status::Concern => "concern",
            Status::Watch => "watch",
            Status::Ok => "ok",
        }
    }
    /// A glyph for narrow columns.
    pub fn glyph(self) -> &'static str {
        match self {
            Status::Urgent => "▲",
            Status::Concern => "◆",
            Status::Watch => "◐",
            Status::Ok => "●",
        }
    }
}

/// One rule that fired for a school, with the inputs it read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The status this reason puts the school at (at least).
    pub status: Status,
    /// The rule and its inputs, in words.
    pub text: String,
}

/// A school with its status and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolStatus {
    /// The school.
    pub school: SchoolFacts,
    /// Most severe status among the reasons (ok when none).
    pub status: Status,
    /// Every rule that fired, most severe first.
    pub reasons: Vec<Reason>,
    /// Live contracts supporting it.
    pub live_contracts: usize,
    /// Its results headline for lists ("RWM 48% ↓12"), when it has results data; `None`
    /// until [`fill_headlines`] adds it (only the Schools list shows it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
}

/// Adds each school's results headline from its published data (the Schools list's
/// "Results" column).
pub fn fill_headlines(schools: &mut [SchoolStatus], data: &super::data::DataFacts) {
    for s in schools {
        s.headline = data
            .schools
            .contains_key(&s.school.id)
            .then(|| super::data::headline(&super::data::trends_of(data, s.school.id, super::data::HEADLINE_MEASURES)))
            .flatten();
    }
}

/// The reasons an inspection gives: urgent for every fact that puts the school in a category
/// of concern (each named), else watch for graded 3 or report-card areas needing attention.
fn inspection_reasons(i: &super::InspectionFacts, add: &mut impl FnMut(Status, String)) {
    let o = i.outcome_view();
    let when = fmt_date(i.inspected_on);
    let concern = o.concern_triggers();
    if !concern.is_empty() {
        // One reason naming every fact, so the board reads the whole case at once.
        add(
            Status::Urgent,
            format!("in a category of concern ({} inspection of {when}): {}", i.framework, concern.join("; ")),
        );
        return;
    }
    if i.grade == Some(3) {
        add(Status::Watch, format!("latest inspection grade 3 {} ({when})", grade_word(3)));
    }
    let attention = o.needs_attention();
    if !attention.is_empty() {
        add(Status::Watch, format!("latest inspection: Needs attention in {} ({when})", attention.join(", ")));
    }
}

/// Why a C/D school counts as unsupported: no live contract at all, or only paused (or
/// proposed) ones — paused support is not support.
pub(super) fn unsupported_reason(category: Category, mine: &[&super::ContractFacts]) -> String {
    format!("category {category} with {}", unsupported_tail(mine))
}

/// "no active contract (unsupported)", or which contracts are paused.
pub(super) fn unsupported_tail(mine: &[&super::ContractFacts]) -> String {
    let paused: Vec<String> =
        mine.iter().filter(|c| c.status == ContractStatus::Paused).map(|c| format!("#{} {}", c.id, c.focus)).collect();
    if paused.is_empty() {
        "no active contract (unsupported)".to_string()
    } else {
        format!("its support paused ({}) — paused support is not support", paused.join(", "))
    }
}

/// A head who started in the last 12 months is new (DESIGN §5 round two, `new_head`).
pub(super) fn new_head_is_recent(on: chrono::NaiveDate, today: chrono::NaiveDate) -> bool {
    on <= today && today - on < chrono::Duration::days(365)
}

/// Status for every school, most severe first, then by name.
pub(super) fn school_statuses(
    inputs: &Inputs,
    schools: Vec<super::SchoolFacts>,
    alerts: &[Alert],
) -> Vec<SchoolStatus> {
    let mut live: HashMap<i64, Vec<&super::ContractFacts>> = HashMap::new();
    for c in inputs.contracts.iter().filter(|c| c.status.is_live()) {
        live.entry(c.school_id).or_default().push(c);
    }
    let mut alerts_by_school: HashMap<i64, Vec<&Alert>> = HashMap::new();
    for a in alerts {
        if let Some(id) = a.school_id {
            alerts_by_school.entry(id).or_default().push(a);
        }
    }
    let mut out: Vec<SchoolStatus> = schools
        .into_iter()
        .map(|s| {
            let mine = live.get(&s.id).map(Vec::as_slice).unwrap_or(&[]);
            let mut reasons = Vec::new();
            let mut add = |status, text: String| reasons.push(Reason { status, text });
            match s.category {
                Category::D => add(Status::Urgent, "category D (serious concern), set by the board".into()),
                Category::C => add(Status::Concern, "category C (significant concern), set by the board".into()),
                Category::B => add(Status::Watch, "category B (some concern), set by the board".into()),
                Category::A => {}
            }
            for c in mine {
                if let Some(r) = &c.latest_review {
                    if r.rag == Rag::Red {
                        add(
                            Status::Urgent,
                            format!("contract #{} ({}) latest review red, {}", c.id, c.focus, fmt_date(r.reviewed_on)),
                        );
                    }
                    if r.escalate {
                        add(
                            Status::Urgent,
                            format!(
                                "contract #{} ({}) escalated at review of {}",
                                c.id,
                                c.focus,
                                fmt_date(r.reviewed_on)
                            ),
                        );
                    }
                }
            }
            if let Some(i) = &s.latest_inspection {
                inspection_reasons(i, &mut add);
            }
            if let [latest, previous, ..] = s.judgements.as_slice()
                && latest.outcome_view().below_good()
                && previous.outcome_view().below_good()
            {
                add(
                    Status::Concern,
                    format!(
                        "stuck: below good at the latest inspection ({}, {}) and the one before ({}, {})",
                        latest.outcome_view().short(),
                        fmt_date(latest.inspected_on),
                        previous.outcome_view().short(),
                        fmt_date(previous.inspected_on)
                    ),
                );
            }
            if matches!(s.category, Category::C | Category::D)
                && !mine.iter().any(|c| c.status == ContractStatus::Active)
            {
                add(Status::Concern, unsupported_reason(s.category, mine));
            }
            // A new head is a watch reason through its `new_head` alert, below.
            for a in alerts_by_school.get(&s.id).map(Vec::as_slice).unwrap_or(&[]) {
                // The alert's own sentence ("Red review: …"); its machine name is for JSON.
                // A high data concern is a concern (DESIGN §5); every other alert a watch.
                let high_data = a.kind == super::AlertKind::DataConcern && a.severity == super::Severity::High;
                let status = if high_data { Status::Concern } else { Status::Watch };
                let text = if high_data { format!("high data trigger — {}", a.message) } else { a.message.clone() };
                add(status, text);
            }
            reasons.sort_by_key(|r| r.status);
            let status = reasons.first().map_or(Status::Ok, |r| r.status);
            // The results headline is for the Schools list alone: [`fill_headlines`] adds it
            // when that list is drawn, so `status` and the dashboard do not build 22,000 trends.
            SchoolStatus { school: s, status, reasons, live_contracts: mine.len(), headline: None }
        })
        .collect();
    out.sort_by(|a, b| a.status.cmp(&b.status).then(a.school.name.cmp(&b.school.name)));
    out
}
