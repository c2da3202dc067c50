//! Record a board meeting.

use super::*;

/// The `held_on` field (its draft key).
pub(super) const HELD_ON: &str = "held_on";
/// The `notes` field (its draft key).
pub(super) const NOTES: &str = "notes";

/// Opens the form.
pub(super) fn open(today: NaiveDate) -> Result<Opened, StoreError> {
    let fields =
        vec![Field::date(HELD_ON, "Meeting date", Some(today)).suggested(), Field::multi(NOTES, "Notes / minutes", "")];
    Ok(("Record a board meeting".into(), fields, None, 0))
}

/// Checks the fields and saves through the store.
pub(super) fn save(r: &mut Reader<'_>, store: &mut Store, today: NaiveDate) -> Result<Option<String>, StoreError> {
    let on = r.date(HELD_ON);
    if r.failed {
        return Ok(None);
    }
    let m = Meeting { id: 0, held_on: on.unwrap_or(today), notes: text(r.form, NOTES), stamp: Stamp::default() };
    let id = store.save_meeting(&m)?;
    Ok(Some(format!("board meeting #{id} of {} recorded", fmt_date(m.held_on))))
}
