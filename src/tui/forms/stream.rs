//! A new funding stream, or an edit.

use super::*;

/// The `name` field (its draft key).
pub(super) const NAME: &str = "name";
/// The `amount_pence` field (its draft key).
pub(super) const AMOUNT_PENCE: &str = "amount_pence";
/// The `notes` field (its draft key).
pub(super) const NOTES: &str = "notes";

/// Opens the form.
pub(super) fn open(id: Option<i64>, store: &Store) -> Result<Opened, StoreError> {
    let f: Option<FundingStream> = id.map(|i| store.get(i)).transpose()?;
    let fields = vec![
        Field::text(NAME, "Name", f.as_ref().map_or("", |f| &f.name)),
        Field::money(AMOUNT_PENCE, "Amount available", f.as_ref().map(|f| f.amount_pence)),
        Field::multi(NOTES, "Notes", f.as_ref().map_or("", |f| &f.notes)).optional(),
    ];
    let title = match &f {
        Some(f) => format!("Edit funding stream · {}", f.name),
        None => "New funding stream".into(),
    };
    let v = f.as_ref().map_or(0, |f| f.stamp.version);
    Ok((title, fields, f.as_ref().and_then(json), v))
}

/// Checks the fields and saves through the store.
pub(super) fn save(
    id: Option<i64>,
    r: &mut Reader<'_>,
    store: &mut Store,
    snap: &Snapshot,
    cx: &SaveCx,
) -> Result<Option<String>, StoreError> {
    let version = cx.version;
    let amount = r.pence(AMOUNT_PENCE);
    if r.failed {
        return Ok(None);
    }
    let f = FundingStream {
        id: id.unwrap_or(0),
        name: text(r.form, NAME),
        amount_pence: amount.unwrap_or(0),
        notes: text(r.form, NOTES),
        stamp: Stamp { version, ..Stamp::default() },
    };
    let saved = store.save_stream(&f)?;
    // Saved: what follows only words the message, so a failed read must not say otherwise.
    let committed = match (store.get::<FundingStream>(saved), store.contracts_with_streams()) {
        (Ok(stored), Ok(rows)) => crate::store::budget_of(std::slice::from_ref(&stored), &rows, snap.year)
            .streams
            .pop()
            .map_or(0, |l| l.committed_pence),
        _ => 0,
    };
    let mut msg = format!("funding stream {} saved: {}", f.name.trim(), fmt_pence(f.amount_pence));
    if committed > f.amount_pence {
        msg.push_str(&format!(
            " — warning: {} is committed, over by {}",
            fmt_pence(committed),
            fmt_pence(committed - f.amount_pence)
        ));
    }
    Ok(Some(msg))
}
