//! The aggregate reads behind the metrics: SQLite sums and picks the latest rows with the
//! indexes made for it, and hands over one small fact row per leader, open contract and school.
//! Nothing here applies a rule; `metrics` does.

use super::{Store, StoreError};
use crate::domain::AcademicYear;
use crate::metrics::{
    self, ContractFacts, DecisionFacts, Inputs, InspectionFacts, LeaderFacts, ReviewFacts, SchoolFacts, StreamFacts,
};
use chrono::NaiveDate;
use std::collections::HashMap;

impl Store {
    /// Loads the facts every metric is computed from, for the academic year containing `today`.
    pub fn metric_inputs(&self, today: NaiveDate) -> Result<Inputs, StoreError> {
        let settings = self.settings()?;
        let year = AcademicYear::containing(today, settings.year_start_month);
        let mut inputs = Inputs {
            today,
            leaders: self.leader_facts(year)?,
            contracts: self.open_contract_facts()?,
            schools: self.school_facts()?,
            overdue_decisions: self.overdue_decisions(today)?,
            streams: self.stream_facts(year)?,
            calendar: crate::domain::Calendar::new(&self.all::<crate::domain::Term>()?, settings.year_start_month),
            data: self.trigger_data()?,
            settings,
        };
        // A leader sees the schools and contracts they work on, and themselves: their
        // dashboard, `status` and alerts are computed from those alone.
        if let Some(leader) = self.leader_scope() {
            let schools: std::collections::HashSet<i64> = self.contract_school_ids(leader)?;
            let contracts: std::collections::HashSet<i64> =
                inputs.contracts.iter().filter(|c| c.leader_id == leader).map(|c| c.id).collect();
            inputs.contracts.retain(|c| c.leader_id == leader);
            inputs.leaders.retain(|l| l.id == leader);
            inputs.schools.retain(|s| schools.contains(&s.id));
            inputs.overdue_decisions.retain(|d| {
                d.contract_id.is_some_and(|c| contracts.contains(&c))
                    || d.school_id.is_some_and(|s| schools.contains(&s))
            });
            inputs.streams.clear();
        }
        Ok(inputs)
    }

    /// Computes every metric for `today` (the one entry point screens and commands use).
    pub fn snapshot(&self, today: NaiveDate) -> Result<metrics::Snapshot, StoreError> {
        Ok(metrics::compute_owned(self.metric_inputs(today)?))
    }

    /// The schools a leader has (or had) a contract with.
    fn contract_school_ids(&self, leader: i64) -> Result<std::collections::HashSet<i64>, StoreError> {
        let mut st = self.conn.prepare_cached("SELECT DISTINCT school_id FROM contracts WHERE leader_id = ?1")?;
        let rows = st.query_map([leader], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn overdue_decisions(&self, today: NaiveDate) -> Result<Vec<DecisionFacts>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, kind, text, owner, due_on, school_id, contract_id FROM decisions
             WHERE done = 0 AND due_on < ?1 ORDER BY due_on, id",
        )?;
        let rows = st.query_map([today], |r| {
            let text: String = r.get(2)?;
            Ok(DecisionFacts {
                id: r.get(0)?,
                kind: r.get(1)?,
                text: text.lines().next().unwrap_or("").chars().take(120).collect(),
                owner: r.get(3)?,
                due_on: r.get(4)?,
                school_id: r.get(5)?,
                contract_id: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Stream commitments through the one budget rule ([`crate::metrics::budget::budget`]), reading only
    /// the contracts allocated to a stream.
    fn stream_facts(&self, year: AcademicYear) -> Result<Vec<StreamFacts>, StoreError> {
        let streams: Vec<crate::domain::FundingStream> = self.all()?;
        if streams.is_empty() {
            return Ok(Vec::new());
        }
        let contracts = self.contracts_with_streams()?;
        let b = super::lists::budget_of(&streams, &contracts, year);
        Ok(b.streams
            .iter()
            .filter_map(|l| {
                Some(StreamFacts {
                    id: l.stream_id?,
                    name: l.name.clone(),
                    amount_pence: l.allocated_pence?,
                    committed_pence: l.committed_pence,
                })
            })
            .collect())
    }

    fn leader_facts(&self, year: AcademicYear) -> Result<Vec<LeaderFacts>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT l.id, l.name, l.designation, l.days_per_year, l.active, l.home_school_id,
                    coalesce((SELECT sum(v.days) FROM visits v
                              WHERE v.leader_id = l.id AND v.visited_on BETWEEN ?1 AND ?2), 0.0)
             FROM leaders l ORDER BY l.id",
        )?;
        let rows = st.query_map(rusqlite::params![year.start, year.end], |r| {
            Ok(LeaderFacts {
                id: r.get(0)?,
                name: r.get(1)?,
                designation: r.get(2)?,
                days_per_year: r.get(3)?,
                active: r.get(4)?,
                home_school_id: r.get(5)?,
                delivered_in_year: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn open_contract_facts(&self) -> Result<Vec<ContractFacts>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT c.id, c.school_id, s.name, c.leader_id, l.name, l.designation, c.focus, c.status,
                    c.start_on, c.end_on, c.days_commissioned,
                    coalesce((SELECT sum(v.days) FROM visits v WHERE v.contract_id = c.id), 0.0),
                    (SELECT max(v.visited_on) FROM visits v WHERE v.contract_id = c.id),
                    r.reviewed_on, r.rag, r.next_review_on, r.escalate
             FROM contracts c
             JOIN schools s ON s.id = c.school_id
             JOIN leaders l ON l.id = c.leader_id
             LEFT JOIN reviews r ON r.id = (SELECT r2.id FROM reviews r2 WHERE r2.contract_id = c.id
                                           ORDER BY r2.reviewed_on DESC, r2.id DESC LIMIT 1)
             WHERE c.status IN ('proposed', 'active', 'paused')
             ORDER BY c.id",
        )?;
        let rows = st.query_map([], |r| {
            let reviewed_on: Option<NaiveDate> = r.get(13)?;
            let latest_review = match reviewed_on {
                Some(reviewed_on) => {
                    Some(ReviewFacts { reviewed_on, rag: r.get(14)?, next_review_on: r.get(15)?, escalate: r.get(16)? })
                }
                None => None,
            };
            Ok(ContractFacts {
                id: r.get(0)?,
                school_id: r.get(1)?,
                school_name: r.get(2)?,
                leader_id: r.get(3)?,
                leader_name: r.get(4)?,
                designation: r.get(5)?,
                focus: r.get(6)?,
                status: r.get(7)?,
                start_on: r.get(8)?,
                end_on: r.get(9)?,
                days_commissioned: r.get(10)?,
                delivered: r.get(11)?,
                last_visit: r.get(12)?,
                latest_review,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every school with its latest inspection. `last_visit` is left empty: no rule reads it,
    /// and finding it costs an index look-up per contract — the screens that show it add it
    /// with [`Store::last_visit_by_school`].
    fn school_facts(&self) -> Result<Vec<SchoolFacts>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT s.id, s.name, s.urn, s.phase, s.category,
                    i.inspected_on, i.framework, i.outcome, i.grade, i.areas, i.safeguarding_met,
                    i.category_of_concern
             FROM schools s
             LEFT JOIN inspections i ON i.id = (SELECT i2.id FROM inspections i2
                                               WHERE i2.school_id = s.id AND i2.kind = 'standard'
                                               ORDER BY i2.inspected_on DESC, i2.id DESC LIMIT 1)
             WHERE s.closed_on IS NULL
             ORDER BY s.id",
        )?;
        let rows = st.query_map([], school_facts_row)?;
        let mut schools: Vec<SchoolFacts> = rows.collect::<Result<_, _>>()?;
        let mut judgements = self.judgement_facts()?;
        let heads = self.latest_head_changes()?;
        let mut inherited = self.predecessor_inspections()?;
        for s in &mut schools {
            s.judgements = judgements.remove(&s.id).unwrap_or_default();
            s.new_head = heads.get(&s.id).cloned();
            if let Some(before) = inherited.remove(&s.id) {
                inherit(s, before);
            }
        }
        Ok(schools)
    }

    /// The standard inspections of every school's predecessors (GIAS links), by successor: a
    /// converted school's history continues, so its predecessor's judgements still count until
    /// Ofsted inspects it under its new URN.
    fn predecessor_inspections(&self) -> Result<HashMap<i64, Vec<InspectionFacts>>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT l.school_id, i.inspected_on, i.framework, i.outcome, i.grade, i.areas, i.safeguarding_met,
                    i.category_of_concern
             FROM school_links l JOIN inspections i ON i.school_id = l.linked_school_id
             WHERE l.link_type LIKE 'predecessor%' AND i.kind = 'standard'",
        )?;
        let mut out: HashMap<i64, Vec<InspectionFacts>> = HashMap::new();
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            out.entry(r.get(0)?).or_default().push(inspection_facts(r, 1)?);
        }
        Ok(out)
    }

    /// Each school's latest two standard graded or report-card inspections, newest first: one
    /// pass over the inspections in index order, not a query per school.
    fn judgement_facts(&self) -> Result<HashMap<i64, Vec<InspectionFacts>>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT school_id, inspected_on, framework, outcome, grade, areas, safeguarding_met, category_of_concern
             FROM inspections WHERE kind = 'standard' AND framework IN ('graded', 'report_card')
             ORDER BY school_id, inspected_on DESC, id DESC",
        )?;
        let mut out: HashMap<i64, Vec<InspectionFacts>> = HashMap::new();
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let list = out.entry(r.get(0)?).or_default();
            if list.len() < 2 {
                list.push(inspection_facts(r, 1)?);
            }
        }
        Ok(out)
    }

    /// Each school's latest change of headteacher: its date and the new head.
    fn latest_head_changes(&self) -> Result<HashMap<i64, (NaiveDate, String)>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT school_id, happened_on, after FROM school_events WHERE kind = 'head_changed'
             ORDER BY school_id, happened_on, id",
        )?;
        let mut out = HashMap::new();
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            out.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
        }
        Ok(out)
    }

    /// Each leader's specialisms as typed (by leader id): the dashboard's palette and the
    /// Leaders list show them, and reading 8,000 whole leader records for one column would
    /// cost more than the column.
    pub fn leader_specialisms(&self) -> Result<HashMap<i64, String>, StoreError> {
        let mut st = self.conn.prepare_cached("SELECT id, specialisms FROM leaders")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Each school's latest visit on any of its contracts: one index look-up per contract (the
    /// latest visit of a contract is the last entry of `visits_contract` for it), grouped by
    /// school — not a scan of every visit, nor a query per school.
    pub fn last_visit_by_school(&self) -> Result<HashMap<i64, NaiveDate>, StoreError> {
        // (No `HAVING last IS NOT NULL`: SQLite would run the look-ups a second time for it.)
        let mut st = self.conn.prepare_cached(
            "SELECT c.school_id, max((SELECT max(v.visited_on) FROM visits v WHERE v.contract_id = c.id))
             FROM contracts c GROUP BY c.school_id",
        )?;
        let mut out = HashMap::new();
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(last) = r.get::<_, Option<NaiveDate>>(1)? {
                out.insert(r.get(0)?, last);
            }
        }
        Ok(out)
    }
}

/// A school and its latest inspection from the first twelve columns of a school-facts query:
/// `s.id, s.name, s.urn, s.phase, s.category` and the seven of [`inspection_facts`] (null when
/// it has none). `last_visit`, `judgements` and `new_head` are left empty.
fn school_facts_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SchoolFacts> {
    let inspected_on: Option<NaiveDate> = r.get(5)?;
    let latest_inspection = match inspected_on {
        Some(_) => Some(inspection_facts(r, 5)?),
        None => None,
    };
    Ok(SchoolFacts {
        id: r.get(0)?,
        name: r.get(1)?,
        urn: r.get(2)?,
        phase: r.get(3)?,
        category: r.get(4)?,
        latest_inspection,
        judgements: Vec::new(),
        new_head: None,
        last_visit: None,
    })
}

/// Adds a predecessor's inspections to a school's facts: the latest standard inspection of
/// either stands, and the latest two judgements of both together.
fn inherit(s: &mut SchoolFacts, before: Vec<InspectionFacts>) {
    use crate::domain::Framework;
    for i in before {
        if s.latest_inspection.as_ref().is_none_or(|l| i.inspected_on > l.inspected_on) {
            s.latest_inspection = Some(i.clone());
        }
        if matches!(i.framework, Framework::Graded | Framework::ReportCard) {
            s.judgements.push(i);
        }
    }
    s.judgements.sort_by_key(|i| std::cmp::Reverse(i.inspected_on));
    s.judgements.truncate(2);
}

/// An inspection from seven columns starting at `at`: `inspected_on, framework, outcome, grade,
/// areas, safeguarding_met, category_of_concern`.
fn inspection_facts(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<InspectionFacts> {
    Ok(InspectionFacts {
        inspected_on: r.get(at)?,
        framework: r.get(at + 1)?,
        outcome: r.get(at + 2)?,
        grade: r.get(at + 3)?,
        areas: r.get(at + 4)?,
        safeguarding_met: r.get(at + 5)?,
        category_of_concern: r.get(at + 6)?,
    })
}

#[cfg(test)]
mod tests {
    //! The faster reads must give exactly what the plain ones gave: the queries this module
    //! used before national scale are kept here, and compared on the committed sample and on a
    //! small national-scale file.
    use super::*;
    use crate::store::Access;

    /// The school facts as first written: a sorted look-up per school for its latest
    /// inspection, and a join over every visit of its contracts for its latest visit.
    fn school_facts_before(store: &Store) -> Vec<SchoolFacts> {
        let mut st = store
            .conn
            .prepare(
                "SELECT s.id, s.name, s.urn, s.phase, s.category,
                        i.inspected_on, i.framework, i.outcome, i.grade, i.areas, i.safeguarding_met,
                        i.category_of_concern,
                        (SELECT max(v.visited_on) FROM contracts c JOIN visits v ON v.contract_id = c.id
                         WHERE c.school_id = s.id)
                 FROM schools s
                 LEFT JOIN inspections i ON i.id = (SELECT i2.id FROM inspections i2
                                                   WHERE i2.school_id = s.id AND i2.kind = 'standard'
                                                   ORDER BY i2.inspected_on DESC, i2.id DESC LIMIT 1)
                 WHERE s.closed_on IS NULL
                 ORDER BY s.id",
            )
            .expect("prepare");
        st.query_map([], |r| Ok(SchoolFacts { last_visit: r.get(12)?, ..school_facts_row(r)? }))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    fn same_as_before(store: &Store, today: NaiveDate) {
        let inputs = store.metric_inputs(today).expect("inputs");
        let before = school_facts_before(store);
        let last = store.last_visit_by_school().expect("last visits");
        assert_eq!(inputs.schools.len(), before.len());
        for (now, was) in inputs.schools.iter().zip(&before) {
            // Judgements and head changes come from their own passes; compared below as facts.
            // (The sample has no converted schools, so nothing is inherited here.)
            let plain = SchoolFacts { judgements: Vec::new(), new_head: None, ..now.clone() };
            assert_eq!(SchoolFacts { last_visit: was.last_visit, ..plain }, *was, "school {}", was.id);
            assert_eq!(last.get(&was.id).copied(), was.last_visit, "last visit of school {}", was.id);
        }
        // Visits per week as SQL first grouped them.
        let year = crate::domain::AcademicYear::containing(today, 9);
        let mut st = store
            .conn
            .prepare(
                "SELECT date(visited_on, 'weekday 0', '-6 days') AS monday, count(*), sum(days)
                 FROM visits WHERE visited_on BETWEEN ?1 AND ?2 GROUP BY monday ORDER BY monday",
            )
            .expect("prepare");
        let weekly: Vec<(NaiveDate, i64, f64)> = st
            .query_map(rusqlite::params![year.start, today], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(store.visits_per_week(year.start, today).expect("weekly"), weekly);
        // The metrics, leader by leader and contract by contract, as the first `compute` made
        // them (a scan of every contract per leader, of every alert per contract).
        let snap = metrics::compute(&inputs);
        for l in &snap.leaders {
            assert_eq!(*l, metrics::leader_capacity(&l.leader, &inputs.contracts), "leader {}", l.leader.id);
        }
        for p in &snap.contracts {
            let flags: Vec<_> =
                snap.alerts.iter().filter(|a| a.contract_id == Some(p.contract.id)).map(|a| a.kind).collect();
            assert_eq!(p.flags, flags, "contract {}", p.contract.id);
        }
    }

    #[test]
    fn the_committed_sample_reads_the_same_as_before() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db");
        let store = Store::open(&path, Access::ReadOnly).expect("sample.db");
        for today in ["2026-11-23", "2027-03-01", "2026-07-20"] {
            same_as_before(&store, today.parse().expect("date"));
        }
    }

    #[test]
    fn a_national_sample_reads_the_same_as_before() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("national.db");
        let today: NaiveDate = "2026-11-23".parse().expect("date");
        let opts = crate::sample::SampleOptions { seed: 4, today, schools: 400, scale: crate::sample::Scale::National };
        crate::sample::generate(&path, &opts).expect("generate");
        let store = Store::open(&path, Access::ReadOnly).expect("open");
        same_as_before(&store, today);
    }
}
