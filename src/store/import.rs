//! The store side of the DfE imports: one `IMMEDIATE` transaction for a whole file, committed
//! at the end or rolled back for a dry run, with typed look-ups and the same audited insert and
//! update every other write uses. The importers (the `import` front end) decide what to write; this
//! module is the only place that speaks SQL for them.

use super::{Actor, Entity, Store, StoreError, entity};
use crate::domain::{Framework, Inspection, School};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction};
use std::collections::HashMap;

/// The open transaction an import writes through.
pub struct ImportTx<'a> {
    tx: &'a Transaction<'a>,
    actor: &'a Actor,
}

impl ImportTx<'_> {
    /// The open transaction (for the other import look-ups in `store/`).
    pub(super) fn tx(&self) -> &Transaction<'_> {
        self.tx
    }

    /// The school with this URN, if the alliance has it.
    pub fn school_by_urn(&self, urn: i64) -> Result<Option<School>, StoreError> {
        let sql = format!("{} WHERE urn = ?1", entity::select_sql::<School>());
        Ok(self.tx.prepare_cached(&sql)?.query_row([urn], School::from_row).optional()?)
    }

    /// Every school's id and name by URN (schools without a URN are left out).
    pub fn schools_by_urn(&self) -> Result<HashMap<i64, (i64, String)>, StoreError> {
        let mut st = self.tx.prepare_cached("SELECT urn, id, name FROM schools WHERE urn IS NOT NULL")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The inspection of a school on a day under a framework (the table's unique key), if any.
    pub fn inspection_on(
        &self,
        school_id: i64,
        on: NaiveDate,
        framework: Framework,
    ) -> Result<Option<Inspection>, StoreError> {
        let sql = format!(
            "{} WHERE school_id = ?1 AND inspected_on = ?2 AND framework = ?3",
            entity::select_sql::<Inspection>()
        );
        Ok(self
            .tx
            .prepare_cached(&sql)?
            .query_row(rusqlite::params![school_id, on, framework], Inspection::from_row)
            .optional()?)
    }

    /// Converts the school `from` into `to` (see [`super::schools`]): links, moves the live
    /// contracts, carries the category and notes over, marks `from` closed. `None` when the
    /// two are already linked so.
    pub fn convert(
        &self,
        from: i64,
        to: i64,
        on: NaiveDate,
        source: &str,
    ) -> Result<Option<super::Conversion>, StoreError> {
        let a: School = entity::get(self.tx, from)?.ok_or(StoreError::NotFound { entity: "school", id: from })?;
        let b: School = entity::get(self.tx, to)?.ok_or(StoreError::NotFound { entity: "school", id: to })?;
        super::schools::convert(self.tx, self.actor, &a, &b, on, source)
    }

    /// Links two schools (not a conversion); `false` when already linked so.
    pub fn link(
        &self,
        school: i64,
        linked: i64,
        link_type: &str,
        since: Option<NaiveDate>,
    ) -> Result<bool, StoreError> {
        super::schools::link(self.tx, self.actor, school, linked, link_type, since)
    }

    /// Inserts a record with its audit row; returns the id.
    pub fn insert<E: Entity>(&self, record: &E) -> Result<i64, StoreError> {
        entity::insert(self.tx, record, self.actor)
    }

    /// Updates a record (checked against its version) with its audit row.
    pub fn update<E: Entity>(&self, record: &E) -> Result<E, StoreError> {
        entity::update(self.tx, record, self.actor)
    }
}

impl Store {
    /// Runs a whole import in one `BEGIN IMMEDIATE` transaction: committed when `f` succeeds,
    /// rolled back when it fails or when `dry_run` is set (so a dry run reports exactly what a
    /// real run would do, and leaves the file as it was).
    pub fn import<T>(
        &mut self,
        dry_run: bool,
        f: impl FnOnce(&ImportTx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.transaction(!dry_run, |tx, actor| f(&ImportTx { tx, actor }))
    }
}

impl ImportTx<'_> {
    /// Fills the actual of every success criterion that names a measure from the figures now
    /// stored (issue #15: "its actual is filled from imported data when it arrives"). A figure
    /// counts when its academic year overlaps the support (it ends on or after the contract's
    /// start) and began by the criterion's target date (when it has one); the latest such year
    /// wins. An actual a person typed is never replaced; one filled before is updated when a
    /// later or revised figure arrives. Each change is an audited update. Returns how many
    /// criteria changed.
    pub fn fill_criteria_actuals(&self) -> Result<usize, StoreError> {
        let candidates: Vec<(i64, i64, String, String, Option<String>)> = {
            let mut st = self.tx.prepare(
                "SELECT cr.id, c.school_id, upper(trim(cr.measure)), c.start_on, cr.target_by
                   FROM criteria cr JOIN contracts c ON c.id = cr.contract_id
                  WHERE trim(cr.measure) <> '' AND cr.actual_source <> 'typed'",
            )?;
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
                .collect::<Result<_, _>>()?
        };
        let mut changed = 0;
        for (id, school, measure, start_on, target_by) in candidates {
            // `2024/25` runs from 1 Sep 2024 to 31 Aug 2025.
            let best: Option<(f64, String)> = self
                .tx
                .query_row(
                    "SELECT value, (CAST(substr(year, 1, 4) AS INTEGER) + 1) || '-08-31' AS ends
                       FROM measures
                      WHERE area = 'school' AND school_id = ?1 AND upper(measure) = ?2
                        AND status = 'ok' AND value IS NOT NULL
                        AND (CAST(substr(year, 1, 4) AS INTEGER) + 1) || '-08-31' >= ?3
                        AND (?4 IS NULL OR substr(year, 1, 4) || '-09-01' <= ?4)
                      ORDER BY year DESC LIMIT 1",
                    rusqlite::params![school, measure, start_on, target_by],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((value, ends)) = best else { continue };
            let on = chrono::NaiveDate::parse_from_str(&ends, "%Y-%m-%d").ok();
            let Some(mut c) = entity::get::<crate::domain::Criterion>(self.tx, id)? else { continue };
            if c.actual == Some(value) && c.actual_on == on && c.actual_source == "imported" {
                continue;
            }
            c.actual = Some(value);
            c.actual_on = on;
            c.actual_source = "imported".into();
            entity::update(self.tx, &c, self.actor)?;
            changed += 1;
        }
        Ok(changed)
    }
}
