//! The review form's rating of each success criterion (issue #15), against the descriptors the
//! whole alliance rates by ([`rag_descriptor`]), shown in the choice itself.

use crate::domain::{Rag, rag_descriptor};
use crate::store::{Store, StoreError};
use crate::tui::form::{Field, Form};

/// The most criteria the review form rates (more are rated with `alliance criterion rate`).
pub const MAX: usize = 12;

const TEXT_KEYS: [&str; MAX] = ["rk1", "rk2", "rk3", "rk4", "rk5", "rk6", "rk7", "rk8", "rk9", "rk10", "rk11", "rk12"];
const RATE_KEYS: [&str; MAX] = ["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12"];
/// Field labels, one per criterion (shared by the close-out form).
pub(super) const LABELS: [&str; MAX] = [
    "Criterion 1",
    "Criterion 2",
    "Criterion 3",
    "Criterion 4",
    "Criterion 5",
    "Criterion 6",
    "Criterion 7",
    "Criterion 8",
    "Criterion 9",
    "Criterion 10",
    "Criterion 11",
    "Criterion 12",
];
const NOT_RATED: &str = "not rated";
/// The field that says whose criteria are shown (`#15`).
const OF: &str = "criteria_of";

fn options() -> Vec<String> {
    std::iter::once(NOT_RATED.to_string())
        .chain([Rag::Green, Rag::Amber, Rag::Red].map(|r| format!("{} — {}", r.as_str(), rag_descriptor(r))))
        .collect()
}

/// Rating fields for the criteria of `contract` (none when no contract is chosen yet: the
/// form is then opened from a contract, or the criteria rated with the CLI).
pub fn fields(store: &Store, contract: Option<i64>) -> Result<Vec<Field>, StoreError> {
    let Some(id) = contract else { return Ok(vec![]) };
    let criteria = store.criteria(id)?;
    if criteria.is_empty() {
        return Ok(vec![]);
    }
    let opts = options();
    let opts: Vec<&str> = opts.iter().map(String::as_str).collect();
    let mut out = vec![Field::text(OF, "Criteria of", &format!("#{id}")).locked()];
    for (i, k) in criteria.iter().take(MAX).enumerate() {
        out.push(Field::text(TEXT_KEYS[i], LABELS[i], &k.text).locked());
        out.push(Field::choice(RATE_KEYS[i], "  rating", &opts, NOT_RATED));
    }
    Ok(out)
}

/// The ratings chosen, as (criterion id, RAG). `Ok(None)` (with the error on the contract
/// field) when ratings were given for another contract than the one now chosen.
pub fn read(form: &mut Form, store: &Store, contract_id: i64) -> Result<Option<Vec<(i64, Rag)>>, StoreError> {
    let Some(of) = form.field(OF).map(|f| f.value()) else { return Ok(Some(vec![])) };
    let shown: i64 = of.trim_start_matches('#').parse().unwrap_or(0);
    let mut chosen_ratings = Vec::new();
    for (i, key) in RATE_KEYS.iter().enumerate() {
        // A contract with fewer criteria has fewer rating fields: a missing one is unrated.
        let word = form.field(key).map_or("", |f| f.chosen()).split(' ').next().unwrap_or("");
        if let Some(rag) = Rag::parse(word) {
            chosen_ratings.push((i, rag));
        }
    }
    if chosen_ratings.is_empty() {
        return Ok(Some(vec![]));
    }
    if shown != contract_id {
        if let Some(f) = form.field_mut("contract_id") {
            f.error = Some(format!(
                "the criteria rated below are contract #{shown}'s — choose it again, or set their ratings to not rated"
            ));
        }
        return Ok(None);
    }
    let criteria = store.criteria(shown)?;
    Ok(Some(chosen_ratings.into_iter().filter_map(|(i, rag)| criteria.get(i).map(|k| (k.id, rag))).collect()))
}
