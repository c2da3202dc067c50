//! Reads and import look-ups of published performance data (`measures`, issue 14).

use super::{Entity, ImportTx, Store, StoreError, entity};
use crate::domain::Measure;
use crate::metrics::data::{DataFacts, Point, TRIGGER_MEASURES, Trend, trends, trigger_points};
use rusqlite::OptionalExtension;
use smol_str::SmolStr;
use std::collections::HashMap;

/// A text cell read in place, without a String of its own.
fn text<'a>(r: &'a rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'a str> {
    r.get_ref(i)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

impl ImportTx<'_> {
    /// The stored figure for a school (or comparator area), measure and year, if any.
    pub fn measure_at(
        &self,
        area: &str,
        school_id: Option<i64>,
        measure: &str,
        year: &str,
    ) -> Result<Option<Measure>, StoreError> {
        let sql = format!(
            "{} WHERE area = ?1 AND ifnull(school_id, 0) = ifnull(?2, 0) AND measure = ?3 AND year = ?4",
            entity::select_sql::<Measure>()
        );
        Ok(self
            .tx()
            .prepare_cached(&sql)?
            .query_row(rusqlite::params![area, school_id, measure, year], Measure::from_row)
            .optional()?)
    }
}

impl Store {
    /// Loads figures (school rows of `measures`, or every measure when empty) with every
    /// comparator row, for one school or all. `for_triggers` keeps of each school's series
    /// only the points the triggers read ([`trigger_points`]).
    fn data_facts(&self, measures: &[&str], school: Option<i64>, for_triggers: bool) -> Result<DataFacts, StoreError> {
        let mut facts = DataFacts::default();
        // The measure codes are this program's constants, never user text.
        let only = if measures.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = measures.iter().map(|m| format!("'{}'", m.replace('\'', ""))).collect();
            format!("AND measure IN ({})", list.join(", "))
        };
        let sql = format!(
            "SELECT school_id, area, measure, year, value, status, la_code FROM measures
             WHERE ((?1 IS NULL AND area = 'school') OR school_id = ?1 OR area <> 'school') {only}
             ORDER BY measure, area, school_id, year"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows = st.query([school])?;
        // A national file hands over a quarter of a million figures: each row's text is read
        // in place (no String per cell), and a school's points for one measure — adjacent and
        // oldest first in the index's order, which the ORDER BY keeps without a sort — are
        // gathered before one map look-up per series, not per row.
        let mut pending: Option<(i64, SmolStr, Vec<Point>)> = None;
        let mut last_la: (i64, String) = (0, String::new());
        let flush = |facts: &mut DataFacts, p: Option<(i64, SmolStr, Vec<Point>)>| {
            if let Some((id, measure, mut points)) = p {
                if for_triggers {
                    trigger_points(&mut points);
                }
                facts.schools.entry(id).or_default().series.insert(measure, points);
            }
        };
        while let Some(r) = rows.next()? {
            let measure = text(r, 2)?;
            let point = Point { year: SmolStr::new(text(r, 3)?), value: r.get(4)?, status: SmolStr::new(text(r, 5)?) };
            match r.get::<_, Option<i64>>(0)? {
                Some(id) => {
                    // The school's LA code (the last one given wins), looked up only when it
                    // is not the previous row's school and code.
                    let la = text(r, 6)?;
                    if !la.is_empty() && (last_la.0 != id || last_la.1 != la) {
                        let s = facts.schools.entry(id).or_default();
                        if s.la_code != la {
                            s.la_code = la.to_string();
                        }
                        last_la.0 = id;
                        last_la.1.clear();
                        last_la.1.push_str(la);
                    }
                    match &mut pending {
                        Some((pid, pm, points)) if *pid == id && pm == measure => points.push(point),
                        _ => {
                            let next = Some((id, SmolStr::new(measure), vec![point]));
                            flush(&mut facts, std::mem::replace(&mut pending, next));
                        }
                    }
                }
                None => {
                    facts.comparators.insert((r.get(1)?, measure.to_string(), point.year.to_string()), point);
                }
            }
        }
        flush(&mut facts, pending.take());
        Ok(facts)
    }

    /// The published data the triggers read, for every school (metric inputs): of each
    /// series only the points a trigger reads ([`trigger_points`]).
    pub fn trigger_data(&self) -> Result<DataFacts, StoreError> {
        self.data_facts(TRIGGER_MEASURES, None, true)
    }

    /// Adds the Schools list's results headline to each school of a snapshot, from the same
    /// figures the triggers read.
    pub fn fill_headlines(&self, schools: &mut [crate::metrics::SchoolStatus]) -> Result<(), StoreError> {
        crate::metrics::fill_headlines(schools, &self.data_facts(TRIGGER_MEASURES, None, false)?);
        Ok(())
    }

    /// Every figure of one school, with its LA and England beside them.
    pub fn school_data(&self, school_id: i64) -> Result<DataFacts, StoreError> {
        self.data_facts(&[], Some(school_id), false)
    }

    /// One school's measures as trends (last five years, LA and England beside each, the
    /// change): what the detail view, the board pack and `alliance school --json` show.
    pub fn school_trends(&self, school_id: i64) -> Result<Vec<Trend>, StoreError> {
        Ok(trends(&self.school_data(school_id)?, school_id))
    }

    /// Every stored figure of one school, raw, oldest year first.
    pub fn measures_of(&self, school_id: i64) -> Result<Vec<Measure>, StoreError> {
        entity::list(&self.conn, "WHERE school_id = ?1", [school_id]).map(|mut v: Vec<Measure>| {
            v.sort_by(|a, b| a.measure.cmp(&b.measure).then(a.year.cmp(&b.year)));
            v
        })
    }

    /// How many figures each school has (for lists that mark schools with data).
    pub fn measure_counts(&self) -> Result<HashMap<i64, usize>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT school_id, count(*) FROM measures WHERE school_id IS NOT NULL GROUP BY 1")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
