//! Record a board decision, or edit one.

use super::*;

/// The `meeting_id` field (its draft key).
pub(super) const MEETING_ID: &str = "meeting_id";
/// The `text` field (its draft key).
pub(super) const TEXT: &str = "text";
/// The `owner` field (its draft key).
pub(super) const OWNER: &str = "owner";
/// The `due_on` field (its draft key).
pub(super) const DUE_ON: &str = "due_on";
/// The `done` field (its draft key).
pub(super) const DONE: &str = "done";
/// The `kind` field (its draft key).
pub(super) const KIND: &str = "kind";
/// The `school_id` field (its draft key).
pub(super) const SCHOOL_ID: &str = "school_id";
/// The `contract_id` field (its draft key).
pub(super) const CONTRACT_ID: &str = "contract_id";
/// The `category` field (a recategorise decision's new category).
pub(super) const CATEGORY: &str = "category";

/// Opens the form.
pub(super) fn open(id: Option<i64>, store: &Store, snap: &Snapshot, ctx: &Context) -> Result<Opened, StoreError> {
    let d: Option<Decision> = id.map(|i| store.get(i)).transpose()?;
    let meetings = store.meetings()?;
    let meeting_model =
        picker(meetings.iter().map(|m| (Target::Meeting(m.id), format!("Board of {}", fmt_date(m.held_on)))).collect());
    let meeting = d.as_ref().map(|d| d.meeting_id).or(meetings.first().map(|m| m.id));
    let fields = vec![
        Field::pick(MEETING_ID, "Meeting", meeting_model, meeting.map(Target::Meeting)),
        Field::choice(
            KIND,
            "Kind",
            &strs(DecisionKind::ALL, DecisionKind::as_str),
            d.as_ref().map_or("monitor", |d| d.kind.as_str()),
        ),
        Field::pick(
            SCHOOL_ID,
            "School",
            school_picker(snap),
            d.as_ref().and_then(|d| d.school_id).or(ctx.school).map(Target::School),
        )
        .optional(),
        Field::pick(
            CONTRACT_ID,
            "Contract",
            contract_picker(snap, false),
            d.as_ref().and_then(|d| d.contract_id).or(ctx.contract).map(Target::Contract),
        )
        .optional(),
        Field::choice(
            CATEGORY,
            "New category",
            &["—", "A", "B", "C", "D"],
            d.as_ref().and_then(|d| d.category).map_or("—", |c| c.as_str()),
        ),
        Field::multi(TEXT, "Decision", d.as_ref().map_or("", |d| &d.text)),
        Field::text(OWNER, "Owner", d.as_ref().map_or("", |d| &d.owner)).optional(),
        Field::opt_date(DUE_ON, "Due", d.as_ref().and_then(|d| d.due_on)),
        Field::boolean(DONE, "Done", d.as_ref().is_some_and(|d| d.done)),
    ];
    let title = if d.is_some() { "Edit decision" } else { "Record a decision" };
    let v = d.as_ref().map_or(0, |d| d.stamp.version);
    Ok((title.into(), fields, d.as_ref().and_then(json), v))
}

/// Checks the fields and saves through the store.
pub(super) fn save(
    id: Option<i64>,
    r: &mut Reader<'_>,
    store: &mut Store,
    cx: &SaveCx,
) -> Result<Option<String>, StoreError> {
    let version = cx.version;
    let meeting_id = r.need(MEETING_ID, "board meeting");
    let due = r.date(DUE_ON);
    if r.failed {
        return Ok(None);
    }
    let d = Decision {
        id: id.unwrap_or(0),
        meeting_id,
        school_id: picked(r.form, SCHOOL_ID),
        contract_id: picked(r.form, CONTRACT_ID),
        kind: DecisionKind::parse(chosen(r.form, KIND)).unwrap_or(DecisionKind::Monitor),
        category: Category::parse(chosen(r.form, CATEGORY)),
        text: text(r.form, TEXT),
        owner: text(r.form, OWNER).trim().to_string(),
        due_on: due,
        done: flag(r.form, DONE),
        stamp: Stamp { version, ..Stamp::default() },
    };
    let id = store.save_decision(&d)?;
    Ok(Some(format!("decision #{id} recorded")))
}
