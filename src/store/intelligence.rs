//! Dated soft intelligence (issue 14): entries, the `schools.notes` mirror, and redaction that
//! reaches the audit trail's copies.

use super::{Actor, Store, StoreError, entity};
use crate::domain::validate::{Level, Problem, Problems};
use crate::domain::{Intelligence, School};
use rusqlite::Connection;

/// What a redacted entry's text becomes.
pub const REDACTED: &str = "[redacted]";

fn refuse(field: &'static str, message: String) -> StoreError {
    StoreError::Invalid(Problems(vec![Problem { field, message, level: Level::Error }]))
}

pub(super) fn check(n: &Intelligence) -> Result<(), StoreError> {
    if n.text.trim().is_empty() {
        return Err(refuse("text", "the entry has no text".into()));
    }
    if n.text.chars().count() > 20_000 {
        return Err(refuse("text", "the entry is too long (20,000 characters at most)".into()));
    }
    if !matches!(n.sensitivity.as_str(), "normal" | "sensitive") {
        return Err(refuse("sensitivity", "sensitivity is normal or sensitive".into()));
    }
    if n.source.chars().count() > 200 || n.source.chars().any(char::is_control) {
        return Err(refuse("source", "the source is one line of up to 200 characters".into()));
    }
    if let Some(r) = n.review_on
        && r < n.noted_on
    {
        return Err(refuse("review_on", "the review date is before the entry's date".into()));
    }
    Ok(())
}

/// Keeps `schools.notes` equal to the school's newest normal, unredacted entry (empty when it
/// has none), through the audited update.
pub(super) fn sync_mirror(tx: &Connection, actor: &Actor, school_id: i64) -> Result<(), StoreError> {
    let newest: String = tx
        .query_row(
            "SELECT text FROM intelligence WHERE school_id = ?1 AND sensitivity = 'normal' AND redacted = 0
             ORDER BY noted_on DESC, id DESC LIMIT 1",
            [school_id],
            |r| r.get(0),
        )
        .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(String::new()) } else { Err(e) })?;
    let school: School = entity::get(tx, school_id)?.ok_or(StoreError::NotFound { entity: "school", id: school_id })?;
    if school.notes != newest {
        let mut s = school;
        s.notes = newest;
        entity::update(tx, &s, actor)?;
    }
    Ok(())
}

impl Store {
    /// A school's entries, newest first.
    pub fn notes_for(&self, school_id: i64) -> Result<Vec<Intelligence>, StoreError> {
        let mut v: Vec<Intelligence> = entity::list(&self.conn, "WHERE school_id = ?1", [school_id])?;
        v.sort_by(|a, b| b.noted_on.cmp(&a.noted_on).then(b.id.cmp(&a.id)));
        Ok(v)
    }

    /// Adds an entry (and refreshes the school's `notes` mirror) in one audited write.
    pub fn add_note(&mut self, n: &Intelligence) -> Result<i64, StoreError> {
        check(n)?;
        self.write(|tx, actor| {
            let id = entity::insert(tx, n, actor)?;
            sync_mirror(tx, actor, n.school_id)?;
            Ok(id)
        })
    }

    /// Redacts an entry: its text becomes `[redacted]` (the date, source and the fact that it
    /// existed are kept), in the entry, in the school's `notes` mirror, and in every copy the
    /// audit trail holds — the entry's own rows and the school's rows that carried the text.
    pub fn redact_note(&mut self, id: i64) -> Result<Intelligence, StoreError> {
        self.write(|tx, actor| redact_in(tx, actor, id))
    }
}

/// The transaction body of [`Store::redact_note`], for a caller that already holds the write
/// transaction (an away copy's redaction is replayed with the rest of its changes).
pub(super) fn redact_in(tx: &Connection, actor: &Actor, id: i64) -> Result<Intelligence, StoreError> {
    let old: Intelligence = entity::get(tx, id)?.ok_or(StoreError::NotFound { entity: "intelligence entry", id })?;
    if old.redacted {
        return Ok(old);
    }
    let mut new = old.clone();
    new.text = REDACTED.to_string();
    new.redacted = true;
    let after = entity::update(tx, &new, actor)?;
    sync_mirror(tx, actor, old.school_id)?;
    for col in ["before", "after"] {
        tx.execute(
            &format!(
                "UPDATE audit SET {col} = json_set({col}, '$.text', ?2)
                 WHERE entity = 'intelligence' AND entity_id = ?1 AND {col} IS NOT NULL"
            ),
            rusqlite::params![id, REDACTED],
        )?;
        tx.execute(
            &format!(
                "UPDATE audit SET {col} = json_set({col}, '$.notes', ?3)
                 WHERE entity = 'schools' AND entity_id = ?1 AND json_extract({col}, '$.notes') = ?2"
            ),
            rusqlite::params![old.school_id, old.text, REDACTED],
        )?;
    }
    Ok(after)
}
