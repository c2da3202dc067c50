//! School status (DESIGN §5 ◆): urgent · concern · watch · ok, each with the reasons that put
//! it there, so every status on screen can explain itself.

use super::{Alert, Inputs, SchoolFacts};
use crate::domain::{Category, Rag, fmt_date, grade_word};
use serde::Serialize;
use std::collections::HashMap;

/// A school's status, most severe first (the derive order is the severity order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Category D, or a live contract red or escalated.
    Urgent,
    /// Category C, latest inspection grade 4 / "Urgent improvement", or unsupported C/D.
    Concern,
    /// Category B, grade 3 / "Needs attention", or any alert.
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
    /// Its results headline for lists ("RWM 48% ↓12"), when it has results data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
}

fn inspection_says(s: &SchoolFacts, words: &[&str]) -> bool {
    s.latest_inspection.as_ref().is_some_and(|i| {
        words.iter().any(|w| contains_ignore_ascii_case(&i.outcome, w) || contains_ignore_ascii_case(&i.areas, w))
    })
}

/// `haystack` contains `needle`, ASCII letters compared without case (no lower-cased copies:
/// this runs for every school on every load).
fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// Status for every school, most severe first, then by name.
pub(super) fn school_statuses(inputs: &Inputs, alerts: &[Alert]) -> Vec<SchoolStatus> {
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
    let mut out: Vec<SchoolStatus> = inputs
        .schools
        .iter()
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
                let when = fmt_date(i.inspected_on);
                if i.grade == Some(4) || inspection_says(s, &["Urgent improvement"]) {
                    let what = i
                        .grade
                        .map_or_else(|| "Urgent improvement".to_string(), |g| format!("grade {g} {}", grade_word(g)));
                    add(Status::Concern, format!("latest inspection {what} ({when})"));
                } else if i.grade == Some(3) || inspection_says(s, &["Needs attention"]) {
                    let what = i
                        .grade
                        .map_or_else(|| "Needs attention".to_string(), |g| format!("grade {g} {}", grade_word(g)));
                    add(Status::Watch, format!("latest inspection {what} ({when})"));
                }
            }
            if matches!(s.category, Category::C | Category::D) && mine.is_empty() {
                add(Status::Concern, format!("category {} with no live contract (unsupported)", s.category));
            }
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
            let headline = inputs
                .data
                .schools
                .contains_key(&s.id)
                .then(|| {
                    super::data::headline(&super::data::trends_of(&inputs.data, s.id, super::data::HEADLINE_MEASURES))
                })
                .flatten();
            SchoolStatus { school: s.clone(), status, reasons, live_contracts: mine.len(), headline }
        })
        .collect();
    out.sort_by(|a, b| a.status.cmp(&b.status).then(a.school.name.cmp(&b.school.name)));
    out
}
