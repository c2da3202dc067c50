//! The audit trail: one row per change, written in the same transaction as the change, with
//! the record before and after as JSON so a detail view can show exactly what changed.

use super::{Actor, StoreError};
use rusqlite::Connection;
use serde::Serialize;

/// One change to one record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRow {
    /// Row id.
    pub id: i64,
    /// When (ISO-8601 UTC).
    pub at: String,
    /// Who.
    pub by: String,
    /// Table name.
    pub entity: String,
    /// The record's id.
    pub entity_id: i64,
    /// insert, update or delete.
    pub action: String,
    /// JSON before the change.
    pub before: Option<String>,
    /// JSON after the change.
    pub after: Option<String>,
}

impl AuditRow {
    /// The fields whose values differ between before and after: `(field, before, after)`.
    /// Stamp fields are left out: they always change.
    pub fn changes(&self) -> Vec<(String, String, String)> {
        let parse = |s: &Option<String>| {
            s.as_deref()
                .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
                .and_then(|v| v.as_object().cloned())
                .unwrap_or_default()
        };
        let (b, a) = (parse(&self.before), parse(&self.after));
        let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
        keys.sort();
        keys.dedup();
        let show = |v: Option<&serde_json::Value>| match v {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        keys.into_iter()
            .filter(|k| k.as_str() != "stamp" && k.as_str() != "id")
            .filter(|k| b.get(*k) != a.get(*k))
            .map(|k| (k.clone(), show(b.get(k)), show(a.get(k))))
            .collect()
    }
}

pub(super) fn write<T: Serialize>(
    conn: &Connection,
    actor: &Actor,
    entity: &str,
    entity_id: i64,
    action: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<(), StoreError> {
    let json = |v: Option<&T>| v.map(serde_json::to_string).transpose();
    let before = json(before).map_err(|e| StoreError::Io("audit".into(), e.to_string()))?;
    let after = json(after).map_err(|e| StoreError::Io("audit".into(), e.to_string()))?;
    conn.prepare_cached(
        "INSERT INTO audit(at, by, entity, entity_id, action, before, after, arrived_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(rusqlite::params![
        actor.now(),
        actor.by,
        entity,
        entity_id,
        action,
        before,
        after,
        actor.arrived_at
    ])?;
    Ok(())
}

pub(super) fn history(conn: &Connection, entity: &str, id: i64) -> Result<Vec<AuditRow>, StoreError> {
    let mut st = conn.prepare_cached(
        "SELECT id, at, by, entity, entity_id, action, before, after FROM audit
         WHERE entity = ?1 AND entity_id = ?2 ORDER BY id DESC",
    )?;
    let rows = st.query_map(rusqlite::params![entity, id], |r| {
        Ok(AuditRow {
            id: r.get(0)?,
            at: r.get(1)?,
            by: r.get(2)?,
            entity: r.get(3)?,
            entity_id: r.get(4)?,
            action: r.get(5)?,
            before: r.get(6)?,
            after: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
