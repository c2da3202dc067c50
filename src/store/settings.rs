//! Reading and writing the alliance's settings (`crate::domain::settings`), one `settings` row
//! per key so other tools can read them with plain SQL.

use super::StoreError;
use crate::domain::settings::{SettingChange, Settings};
use rusqlite::Connection;

pub(super) fn load(conn: &Connection) -> Result<Settings, StoreError> {
    let mut s = Settings::default();
    let mut st = conn.prepare_cached("SELECT key, value FROM settings")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (k, v) = row?;
        s.apply(&k, &v);
    }
    Ok(s)
}

pub(super) fn save(conn: &Connection, s: &Settings) -> Result<(), StoreError> {
    let mut st = conn.prepare_cached(
        "INSERT INTO settings(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?;
    for (k, v) in s.pairs() {
        st.execute([k, v])?;
    }
    Ok(())
}

/// Applies `changes` in one transaction: each key must still hold the value it was changed
/// against, else the whole change is refused as stale. Each key whose value really changes
/// writes an audit row (entity `settings`, id 0, before/after `{key: value}`); a key set to
/// the value it already has writes nothing.
pub(super) fn change(tx: &Connection, actor: &super::Actor, changes: &[SettingChange]) -> Result<Settings, StoreError> {
    let mut now = load(tx)?;
    for c in changes {
        if now.get(c.key).as_deref() != Some(c.expected.as_str()) {
            // Who changed this key last (a change made with plain SQL leaves no audit row).
            let (by, at) = tx
                .query_row(
                    "SELECT by, at FROM audit WHERE entity = 'settings' AND json_extract(after, ?1) IS NOT NULL
                     ORDER BY id DESC LIMIT 1",
                    [format!("$.\"{}\"", c.key)],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
                )
                .unwrap_or_else(|_| ("another program".into(), "an unknown time".into()));
            return Err(StoreError::Stale { entity: "setting", id: 0, by, at });
        }
        if c.value == c.expected {
            continue;
        }
        let before = serde_json::json!({ c.key: c.expected });
        if !now.apply(c.key, &c.value) {
            let problem = crate::domain::validate::Problem {
                field: c.key,
                message: format!("`{}` is not a valid value for {}", c.value, c.key),
                level: crate::domain::validate::Level::Error,
            };
            return Err(StoreError::Invalid(crate::domain::validate::Problems(vec![problem])));
        }
        tx.prepare_cached(
            "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )?
        .execute([c.key, c.value.as_str()])?;
        let after = serde_json::json!({ c.key: c.value });
        super::audit::write(tx, actor, "settings", 0, "update", Some(&before), Some(&after))?;
    }
    Ok(now)
}
