//! The facts programme impact is computed from ([`crate::metrics::impact`]): the contracts
//! whose close-out falls in an academic year, their criteria, and their schools before support
//! and now. Plain reads; the sums are the metrics' job.

use super::{Store, StoreError};
use crate::domain::{AcademicYear, Category};
use crate::metrics::impact::{ClosedFacts, CriterionFacts, ImpactInputs, InspectionPoint, SchoolBeforeNow};
use chrono::NaiveDate;
use rusqlite::OptionalExtension;

/// The word for a contract allocated to no funding stream and with no funder recorded (a
/// contract with no stream is grouped under its free-text funder).
pub const NO_STREAM: &str = "not allocated";

impl Store {
    /// The facts for [`crate::metrics::impact::impact`] in `year`.
    pub fn impact_inputs(&self, year: AcademicYear) -> Result<ImpactInputs, StoreError> {
        let conn = &self.conn;
        let mut st = conn.prepare_cached(
            "SELECT c.id, c.school_id, s.name, c.leader_id, l.name, c.focus, coalesce(f.name, nullif(trim(c.funding), ''), ?3),
                    k.kind, k.outcome, k.closed_on,
                    (SELECT coalesce(sum(v.days), 0.0) FROM visits v WHERE v.contract_id = c.id),
                    c.day_rate_pence, c.start_on
               FROM closeouts k
               JOIN contracts c ON c.id = k.contract_id
               JOIN schools s ON s.id = c.school_id
               JOIN leaders l ON l.id = c.leader_id
               LEFT JOIN funding_streams f ON f.id = c.funding_stream_id
              WHERE k.closed_on BETWEEN ?1 AND ?2
              ORDER BY k.closed_on, c.id",
        )?;
        let mut starts: Vec<(i64, NaiveDate)> = Vec::new();
        let rows = st.query_map(rusqlite::params![year.start, year.end, NO_STREAM], |r| {
            Ok((
                ClosedFacts {
                    contract_id: r.get(0)?,
                    school_id: r.get(1)?,
                    school_name: r.get(2)?,
                    leader_id: r.get(3)?,
                    leader_name: r.get(4)?,
                    focus: r.get(5)?,
                    stream: r.get(6)?,
                    kind: r.get(7)?,
                    outcome: r.get(8)?,
                    closed_on: r.get(9)?,
                    delivered_days: r.get(10)?,
                    day_rate_pence: r.get(11)?,
                },
                r.get::<_, NaiveDate>(12)?,
            ))
        })?;
        let mut closed = Vec::new();
        for row in rows {
            let (c, start) = row?;
            starts.push((c.school_id, start));
            closed.push(c);
        }
        let mut criteria = Vec::new();
        let mut kst = conn.prepare_cached(
            "SELECT contract_id, text, outcome, measure, baseline, actual FROM criteria WHERE contract_id = ?1 ORDER BY id",
        )?;
        for c in &closed {
            let rows = kst.query_map([c.contract_id], |r| {
                Ok(CriterionFacts {
                    contract_id: r.get(0)?,
                    text: r.get(1)?,
                    outcome: r.get(2)?,
                    measure: r.get(3)?,
                    baseline: r.get(4)?,
                    actual: r.get(5)?,
                })
            })?;
            for k in rows {
                criteria.push(k?);
            }
        }
        // Each school once, from the start of its first counted contract.
        starts.sort();
        starts.dedup_by_key(|(s, _)| *s);
        let mut schools = Vec::new();
        for (school_id, start) in starts {
            schools.push(self.before_and_now(school_id, start)?);
        }
        Ok(ImpactInputs { year, closed, criteria, schools })
    }

    /// A school's category and latest inspection before `start`, and now.
    fn before_and_now(&self, school_id: i64, start: NaiveDate) -> Result<SchoolBeforeNow, StoreError> {
        let conn = &self.conn;
        let (name, now): (String, Category) =
            conn.query_row("SELECT name, category FROM schools WHERE id = ?1", [school_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        // The category the audit trail recorded last before support started.
        let before: Option<String> = conn
            .query_row(
                "SELECT json_extract(after, '$.category') FROM audit
                  WHERE entity = 'schools' AND entity_id = ?1 AND after IS NOT NULL AND substr(at, 1, 10) < ?2
                  ORDER BY id DESC LIMIT 1",
                rusqlite::params![school_id, start],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let category_before = before.as_deref().and_then(Category::parse).unwrap_or(now);
        let inspection = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<Option<InspectionPoint>, StoreError> {
            Ok(conn
                .query_row(sql, p, |r| {
                    Ok(InspectionPoint { inspected_on: r.get(0)?, outcome: r.get(1)?, grade: r.get(2)? })
                })
                .optional()?)
        };
        let inspection_before = inspection(
            "SELECT inspected_on, outcome, grade FROM inspections WHERE school_id = ?1 AND inspected_on < ?2
              ORDER BY inspected_on DESC, id DESC LIMIT 1",
            &[&school_id, &start],
        )?;
        let inspection_now = inspection(
            "SELECT inspected_on, outcome, grade FROM inspections WHERE school_id = ?1
              ORDER BY inspected_on DESC, id DESC LIMIT 1",
            &[&school_id],
        )?;
        Ok(SchoolBeforeNow { school_id, name, category_before, category_now: now, inspection_before, inspection_now })
    }
}
