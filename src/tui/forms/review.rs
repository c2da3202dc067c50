//! Record a progress review.

use super::*;

/// The `contract_id` field (its draft key).
pub(super) const CONTRACT_ID: &str = "contract_id";
/// The `rag` field (its draft key).
pub(super) const RAG: &str = "rag";
/// The `summary` field (its draft key).
pub(super) const SUMMARY: &str = "summary";
/// The `escalate` field (its draft key).
pub(super) const ESCALATE: &str = "escalate";
/// The `reviewed_on` field (its draft key).
pub(super) const REVIEWED_ON: &str = "reviewed_on";
/// The `next_review_on` field (its draft key).
pub(super) const NEXT_REVIEW_ON: &str = "next_review_on";

/// Opens the form.
pub(super) fn open(
    store: &Store,
    snap: &Snapshot,
    today: NaiveDate,
    ctx: &Context,
    settings: &Settings,
) -> Result<Opened, StoreError> {
    let contract = ctx.contract.filter(|id| snap.contracts.iter().any(|p| p.contract.id == *id));
    let mut fields = vec![
        Field::pick(CONTRACT_ID, "Contract", contract_picker(snap, false), contract.map(Target::Contract)),
        // No rating is chosen for the reviewer: two keys must not record "green".
        Field::choice(RAG, "RAG", &[UNRATED, "green", "amber", "red"], UNRATED),
        Field::multi(SUMMARY, "Summary", ""),
        Field::boolean(ESCALATE, "Escalate to board", false),
        Field::date(REVIEWED_ON, "Review date", Some(today)).suggested(),
        Field::opt_date(
            NEXT_REVIEW_ON,
            "Next review",
            // The interval is in school days (term time): never a date in the holidays.
            Some(
                store
                    .calendar()?
                    .add_school_days(today, next_review_interval(settings.review_interval_days, None, false)),
            ),
        )
        .suggested(),
    ];
    // Each of the contract's success criteria, rated against its descriptors.
    fields.extend(ratings::fields(store, contract)?);
    Ok(("Progress review".into(), fields, None, 0))
}

/// Checks the fields and saves through the store.
pub(super) fn save(r: &mut Reader<'_>, store: &mut Store, today: NaiveDate) -> Result<Option<String>, StoreError> {
    let contract_id = r.need(CONTRACT_ID, "contract");
    let reviewed_on = r.date(REVIEWED_ON);
    let next = r.date(NEXT_REVIEW_ON);
    let rag = Rag::parse(chosen(r.form, RAG));
    if rag.is_none()
        && let Some(f) = r.form.field_mut(RAG)
    {
        f.error = Some("choose the rating: green, amber or red (→ or space)".into());
        r.failed = true;
    }
    // Said with the rating, not after it: every missing thing at once.
    if text(r.form, SUMMARY).trim().is_empty()
        && let Some(f) = r.form.field_mut(SUMMARY)
    {
        f.error = Some("the summary is needed: what was reviewed, and the evidence for the rating".into());
        r.failed = true;
    }
    let rated = ratings::read(r.form, store, contract_id)?;
    if r.failed || rated.is_none() {
        return Ok(None);
    }
    let rv = Review {
        id: 0,
        contract_id,
        reviewed_on: reviewed_on.unwrap_or(today),
        rag: rag.unwrap_or(Rag::Amber),
        summary: text(r.form, SUMMARY),
        next_review_on: next,
        escalate: flag(r.form, ESCALATE),
        stamp: Stamp::default(),
    };
    let rated = rated.unwrap_or_default();
    let id = store.add_rated_review(&rv, &rated, today)?;
    let and = if rated.is_empty() { String::new() } else { format!(", {} criteria rated", rated.len()) };
    Ok(Some(format!("review #{id} recorded ({}{and})", rv.rag)))
}
