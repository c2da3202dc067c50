//! Reads and import look-ups of published performance data (`measures`, issue 14).

use super::{Entity, ImportTx, Store, StoreError, entity};
use crate::domain::Measure;
use crate::metrics::data::{DataFacts, Point, TRIGGER_MEASURES, Trend, trends};
use rusqlite::OptionalExtension;
use std::collections::HashMap;

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
    /// comparator row, for one school or all.
    fn data_facts(&self, measures: &[&str], school: Option<i64>) -> Result<DataFacts, StoreError> {
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
             WHERE ((?1 IS NULL AND area = 'school') OR school_id = ?1 OR area <> 'school') {only}"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows = st.query([school])?;
        while let Some(r) = rows.next()? {
            let measure: String = r.get(2)?;
            let (year, status): (String, String) = (r.get(3)?, r.get(5)?);
            let point = Point { year: year.into(), value: r.get(4)?, status: status.into() };
            match r.get::<_, Option<i64>>(0)? {
                Some(id) => {
                    let s = facts.schools.entry(id).or_default();
                    let la: String = r.get(6)?;
                    if !la.is_empty() {
                        s.la_code = la;
                    }
                    s.series.entry(measure.into()).or_default().push(point);
                }
                None => {
                    facts.comparators.insert((r.get(1)?, measure, point.year.to_string()), point);
                }
            }
        }
        for s in facts.schools.values_mut() {
            for points in s.series.values_mut() {
                points.sort_by(|a, b| a.year.cmp(&b.year));
            }
        }
        Ok(facts)
    }

    /// The published data the triggers read, for every school (metric inputs).
    pub fn trigger_data(&self) -> Result<DataFacts, StoreError> {
        self.data_facts(TRIGGER_MEASURES, None)
    }

    /// Every figure of one school, with its LA and England beside them.
    pub fn school_data(&self, school_id: i64) -> Result<DataFacts, StoreError> {
        self.data_facts(&[], Some(school_id))
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
