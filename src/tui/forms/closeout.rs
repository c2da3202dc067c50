//! The close-out form (issue #15): completing or terminating a contract records its overall
//! outcome, each criterion's outcome and actual, what the school will sustain, the school's
//! feedback and the lessons for the board — through [`Store::close_contract`], so the form
//! obeys the same rules as `alliance contract close`.

use super::ratings::LABELS;
use super::{chosen, text};
use crate::domain::{CloseKind, Closeout, Contract, Outcome, Stamp, fmt_date};
use crate::store::{CriterionOutcome, Store, StoreError};
use crate::tui::form::{Field, Form};
use chrono::NaiveDate;

/// The most criteria the form shows (a contract with more closes the rest from the CLI): as many
/// as the review form rates, with the same labels.
pub const MAX: usize = super::ratings::MAX;

const TEXT_KEYS: [&str; MAX] = ["k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11", "k12"];
const OUTCOME_KEYS: [&str; MAX] = ["o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8", "o9", "o10", "o11", "o12"];
const ACTUAL_KEYS: [&str; MAX] = ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11", "a12"];
const CHOOSE: &str = "choose…";
const OUTCOMES: [&str; 4] = [CHOOSE, "met", "partly_met", "not_met"];
const CRITERION_OUTCOMES: [&str; 4] = ["open", "met", "partly_met", "not_met"];
const SCORES: [&str; 6] = ["none", "1", "2", "3", "4", "5"];

/// The form's title and fields for contract `id`.
pub fn open(store: &Store, id: i64, today: NaiveDate) -> Result<(String, Vec<Field>), StoreError> {
    let c: Contract = store.get(id)?;
    let row = store.contract_row(id)?;
    let label = row.map_or(format!("contract #{id}"), |r| {
        format!("#{} {} — {} — {}", r.contract.id, r.school_name, r.leader_name, r.contract.focus)
    });
    let mut fields = vec![
        Field::text("contract", "Contract", &label).locked(),
        Field::choice("kind", "Closing as", &["completed", "terminated"], "completed"),
        Field::date("closed_on", "Closed on", Some(today.min(c.end_on.max(c.start_on)))),
        // No outcome is chosen for the coordinator: a contract closes with a judgement.
        Field::choice("outcome", "Overall outcome", &OUTCOMES, CHOOSE),
    ];
    for (i, k) in store.criteria(id)?.iter().take(MAX).enumerate() {
        fields.push(Field::text(TEXT_KEYS[i], LABELS[i], &k.text).locked());
        fields.push(Field::choice(OUTCOME_KEYS[i], "  outcome", &CRITERION_OUTCOMES, k.outcome.as_str()));
        let actual = k.actual.map_or(String::new(), |v| v.to_string());
        fields.push(Field::text(ACTUAL_KEYS[i], "  actual", &actual).optional());
    }
    fields.extend([
        Field::multi("sustain", "School will sustain", ""),
        Field::choice("school_feedback_score", "School's score 1–5", &SCORES, "none"),
        Field::multi("school_feedback", "School's feedback", ""),
        Field::multi("lessons", "Lessons for board", ""),
        Field::multi("reason", "Reason (terminated)", ""),
    ]);
    Ok((format!("Close contract #{id} (ends {})", fmt_date(c.end_on)), fields))
}

/// Reads the form and closes the contract. `Ok(None)`: a field was refused (marked on it).
pub fn save(form: &mut Form, store: &mut Store, id: i64, today: NaiveDate) -> Result<Option<String>, StoreError> {
    let mut failed = false;
    let outcome = Outcome::parse(chosen(form, "outcome")).filter(|o| *o != Outcome::Open);
    if outcome.is_none()
        && let Some(f) = form.field_mut("outcome")
    {
        f.error = Some("choose the overall outcome: met, partly met or not met (→ or space)".into());
        failed = true;
    }
    let closed_on = match form.field_mut("closed_on").map(|f| (f.parse_date(today), f)) {
        Some((Ok(d), _)) => d,
        Some((Err(e), f)) => {
            f.error = Some(e);
            failed = true;
            None
        }
        None => None,
    }
    .unwrap_or(today);
    let criteria = store.criteria(id)?;
    let mut outcomes = Vec::new();
    for (i, k) in criteria.iter().take(MAX).enumerate() {
        let o = Outcome::parse(chosen(form, OUTCOME_KEYS[i])).unwrap_or(Outcome::Open);
        let typed = text(form, ACTUAL_KEYS[i]);
        let t = typed.trim().trim_end_matches('%').trim();
        let actual = if t.is_empty() {
            None
        } else {
            match t.parse::<f64>().ok().filter(|v| v.is_finite()) {
                Some(v) => Some((v, closed_on)),
                None => {
                    if let Some(f) = form.field_mut(ACTUAL_KEYS[i]) {
                        f.error = Some("the actual is a number (63 or 63%), or blank".into());
                    }
                    failed = true;
                    None
                }
            }
        };
        if o == Outcome::Open {
            if actual.is_some()
                && let Some(f) = form.field_mut(OUTCOME_KEYS[i])
            {
                f.error = Some("give this criterion's outcome with its actual".into());
                failed = true;
            }
            continue;
        }
        outcomes.push(CriterionOutcome { criterion_id: k.id, outcome: o, actual });
    }
    if failed {
        return Ok(None);
    }
    let kind = CloseKind::parse(chosen(form, "kind")).unwrap_or(CloseKind::Completed);
    let close = Closeout {
        id: 0,
        contract_id: id,
        kind,
        closed_on,
        outcome: outcome.unwrap_or(Outcome::NotMet),
        sustain: text(form, "sustain"),
        school_feedback_score: chosen(form, "school_feedback_score").parse().ok(),
        school_feedback: text(form, "school_feedback"),
        lessons: text(form, "lessons"),
        reason: text(form, "reason"),
        stamp: Stamp::default(),
    };
    let done = store.close_contract(&close, &outcomes, today)?;
    let mut msg = format!("contract #{id} {} — {}", kind.as_str(), close.outcome.label());
    for w in &done.warnings {
        msg.push_str(&format!(" ({})", w.message));
    }
    Ok(Some(msg))
}
