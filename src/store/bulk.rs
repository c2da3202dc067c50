//! Bulk loading of generated data into a new, empty file: the national-scale sample writes
//! about 700,000 records, and the per-record path (insert, read back, one audit row with the
//! record as JSON) would triple the file and take minutes.
//!
//! So a bulk load is allowed only on a file that holds no records yet, and writes:
//! - every record with one prepared `INSERT` per table, with the ids the generator gave (so
//!   references between records hold without reading anything back), all in one `IMMEDIATE`
//!   transaction: the file ends up with all of it or none of it;
//! - **one** audit row for the whole load (`entity` = `bulk_load`, `entity_id` = 0, `action` =
//!   `insert`, `after` = what was loaded, with the row counts), instead of one per record. The
//!   audit trail exists to say who changed a coordinator's records and how; a generated file
//!   has no such history, and a row per record would only repeat the records themselves
//!   (about 60% of the file). Records loaded this way show that one row as their origin and
//!   get their own audit rows from their first edit on, as always.

use super::{Actor, Entity, Store, StoreError, audit};
use rusqlite::{Transaction, params_from_iter, types::ToSql};

/// The open bulk-load transaction.
pub struct Bulk<'a> {
    tx: &'a Transaction<'a>,
    actor: &'a Actor,
    rows: usize,
}

impl Bulk<'_> {
    /// Inserts every record of one kind with the id it carries, calling `tick(done)` every
    /// 10,000 rows and at the end.
    pub fn insert_all<E: Entity>(&mut self, records: &[E], tick: &mut dyn FnMut(usize)) -> Result<(), StoreError> {
        let now = self.actor.now();
        let cols = E::COLUMNS.join(", ");
        let marks: Vec<String> = (1..=E::COLUMNS.len() + 3).map(|i| format!("?{i}")).collect();
        let sql =
            format!("INSERT INTO {} (id, {cols}, updated_at, updated_by) VALUES ({})", E::TABLE, marks.join(", "));
        let mut st = self.tx.prepare(&sql)?;
        for (i, r) in records.iter().enumerate() {
            let id = r.id();
            let mut values: Vec<&dyn ToSql> = Vec::with_capacity(E::COLUMNS.len() + 3);
            values.push(&id);
            values.extend(r.values());
            values.push(&now);
            values.push(&self.actor.by);
            st.execute(params_from_iter(values))?;
            if (i + 1) % 10_000 == 0 {
                tick(i + 1);
            }
        }
        tick(records.len());
        self.rows += records.len();
        Ok(())
    }

    /// Inserts agreement versions with the ids they carry (an agreement's `version` column is
    /// its version number, so it has no revision stamp and is not an [`Entity`]).
    pub fn insert_agreements(&mut self, records: &[crate::domain::Agreement]) -> Result<(), StoreError> {
        let now = self.actor.now();
        let mut st = self.tx.prepare(
            "INSERT INTO agreements (id, contract_id, version, created_on, terms, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for a in records {
            st.execute(rusqlite::params![a.id, a.contract_id, a.version, a.created_on, a.terms, now, self.actor.by])?;
        }
        self.rows += records.len();
        Ok(())
    }

    /// Rows inserted so far.
    pub fn rows(&self) -> usize {
        self.rows
    }
}

impl Store {
    /// Loads generated records into this new, empty file in one transaction (see the module
    /// documentation): `f` inserts through [`Bulk::insert_all`], and the load is recorded by one
    /// audit row whose `after` is `summary` plus the number of rows. Refused on a file that
    /// already holds schools or leaders, so a coordinator's data never skips the audit trail.
    pub fn bulk_load<T>(
        &mut self,
        summary: serde_json::Value,
        f: impl FnOnce(&mut Bulk<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        // A big transaction wants a big page cache; the file is new, so syncing each page to
        // disk buys nothing (a failed load is deleted) — full durability is back for the commit.
        self.conn.pragma_update(None, "cache_size", -256_000)?;
        self.conn.pragma_update(None, "synchronous", "OFF")?;
        let out = self.write(|tx, actor| {
            let existing: i64 =
                tx.query_row("SELECT (SELECT count(*) FROM schools) + (SELECT count(*) FROM leaders)", [], |r| {
                    r.get(0)
                })?;
            if existing > 0 {
                return Err(StoreError::Io(
                    "bulk load".into(),
                    "only a new, empty file can be bulk loaded (its records would skip the audit trail)".into(),
                ));
            }
            let mut bulk = Bulk { tx, actor, rows: 0 };
            let out = f(&mut bulk)?;
            let mut after = summary;
            if let Some(o) = after.as_object_mut() {
                o.insert("rows".into(), bulk.rows.into());
            }
            audit::write(tx, actor, "bulk_load", 0, "insert", None, Some(&after))?;
            Ok(out)
        });
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "cache_size", -2_000)?;
        out
    }

    /// Folds the write-ahead log into the file and rebuilds it compactly (after a bulk load or
    /// generating a sample); the file stays in WAL mode.
    pub fn compact(&self) -> Result<(), StoreError> {
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        self.conn.execute_batch("VACUUM")?;
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Row counts of the main tables, by table name.
    pub fn table_counts(&self) -> Result<Vec<(&'static str, i64)>, StoreError> {
        const TABLES: [&str; 9] = [
            "schools",
            "inspections",
            "leaders",
            "contracts",
            "visits",
            "reviews",
            "board_meetings",
            "decisions",
            "audit",
        ];
        TABLES
            .into_iter()
            .map(|t| Ok((t, self.conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?)))
            .collect()
    }
}
