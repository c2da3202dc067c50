//! Read models for the list screens and detail views: one query each, joined and aggregated in
//! SQL so a screen never issues a query per row.

use super::{Store, StoreError, entity};
use crate::domain::*;
use chrono::NaiveDate;
use serde::Serialize;

/// A contract row for the Contracts list: the contract with names and delivery.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractRow {
    /// The contract.
    pub contract: Contract,
    /// Supported school's name.
    pub school_name: String,
    /// Leader's name.
    pub leader_name: String,
    /// Leader's designation.
    pub designation: Designation,
    /// Σ visit days, all time.
    pub delivered: f64,
    /// Latest review rating.
    pub latest_rag: Option<Rag>,
}

/// A visit row for the Visits list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitRow {
    /// The visit.
    pub visit: Visit,
    /// Supported school's name.
    pub school_name: String,
    /// Visiting leader's name.
    pub leader_name: String,
    /// The contract's focus.
    pub focus: String,
}

/// A board decision with the names of what it concerns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionRow {
    /// The decision.
    pub decision: Decision,
    /// Date of the meeting it was taken at.
    pub held_on: NaiveDate,
    /// The school concerned, by name.
    pub school_name: Option<String>,
    /// The contract concerned, as "focus".
    pub contract_focus: Option<String>,
}

impl ContractRow {
    /// What the one budget rule ([`crate::metrics::budget::budget`]) reads of this row.
    pub fn commitment(&self) -> crate::metrics::budget::Commitment<'_> {
        crate::metrics::budget::Commitment { contract: &self.contract, delivered: self.delivered }
    }
}

/// The one budget rule ([`crate::metrics::budget::budget`]) over contract rows, each read as its
/// [`ContractRow::commitment`].
pub fn budget_of(
    streams: &[crate::domain::FundingStream],
    rows: &[ContractRow],
    year: crate::domain::AcademicYear,
) -> crate::metrics::budget::Budget {
    let commitments: Vec<_> = rows.iter().map(ContractRow::commitment).collect();
    crate::metrics::budget::budget(streams, &commitments, year)
}

impl Store {
    /// For a leader, the system leader whose contracts (and their schools) are all they see
    /// ([`crate::domain::roles::Who::leader_scope`]); `None` for everyone else. The list and
    /// metric reads narrow to it, so every screen, `status` and export show a leader their own.
    pub fn leader_scope(&self) -> Option<i64> {
        self.who().ok().and_then(|w| w.leader_scope())
    }

    /// ` AND <column> = <leader id>` for a leader, else nothing. The id is an integer read from
    /// `people`, never typed text.
    fn scope_sql(&self, column: &str) -> String {
        self.leader_scope().map_or_else(String::new, |l| format!(" AND {column} = {l}"))
    }

    /// Every contract with names, delivered days and latest RAG, newest first.
    pub fn contract_rows(&self) -> Result<Vec<ContractRow>, StoreError> {
        self.contract_rows_where("1", [])
    }

    /// One contract with its names, delivered days and latest RAG.
    pub fn contract_row(&self, id: i64) -> Result<Option<ContractRow>, StoreError> {
        Ok(self.contract_rows_where("c.id = ?1", [id])?.into_iter().next())
    }

    /// Contracts allocated to a funding stream (for the budget rule), newest first.
    pub fn contracts_with_streams(&self) -> Result<Vec<ContractRow>, StoreError> {
        self.contract_rows_where("c.funding_stream_id IS NOT NULL", [])
    }

    /// The contracts a coordinator works with, newest first: live and proposed ones, any
    /// allocated to a funding stream, and the rest that ended on or after `since` — at national
    /// scale a few thousand rather than every contract of past years (a school's or leader's
    /// detail lists all of theirs).
    pub fn recent_contract_rows(&self, since: NaiveDate) -> Result<Vec<ContractRow>, StoreError> {
        self.contract_rows_where(
            "(c.status IN ('proposed', 'active', 'paused') OR c.funding_stream_id IS NOT NULL OR c.end_on >= ?1)",
            [since],
        )
    }

    /// How many contracts the file holds.
    pub fn contract_count(&self) -> Result<usize, StoreError> {
        Ok(self.conn.query_row("SELECT count(*) FROM contracts", [], |r| r.get::<_, i64>(0))? as usize)
    }

    /// Every contract of one school, newest first.
    pub fn contracts_for_school(&self, school_id: i64) -> Result<Vec<ContractRow>, StoreError> {
        self.contract_rows_where("c.school_id = ?1", [school_id])
    }

    /// Every contract of one leader, newest first.
    pub fn contracts_for_leader(&self, leader_id: i64) -> Result<Vec<ContractRow>, StoreError> {
        self.contract_rows_where("c.leader_id = ?1", [leader_id])
    }

    fn contract_rows_where<P: rusqlite::Params>(&self, cond: &str, params: P) -> Result<Vec<ContractRow>, StoreError> {
        let sql = format!(
            "SELECT c.*, s.name AS school_name, l.name AS leader_name, l.designation AS designation,
                    coalesce((SELECT sum(v.days) FROM visits v WHERE v.contract_id = c.id), 0.0) AS delivered,
                    (SELECT r.rag FROM reviews r WHERE r.contract_id = c.id
                     ORDER BY r.reviewed_on DESC, r.id DESC LIMIT 1) AS latest_rag
             FROM ({}) c JOIN schools s ON s.id = c.school_id JOIN leaders l ON l.id = c.leader_id
             WHERE ({cond}){scope} ORDER BY c.start_on DESC, c.id DESC",
            entity::select_sql::<Contract>(),
            scope = self.scope_sql("c.leader_id"),
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(params, |r| {
            Ok(ContractRow {
                contract: <Contract as super::Entity>::from_row(r)?,
                school_name: r.get("school_name")?,
                leader_name: r.get("leader_name")?,
                designation: r.get("designation")?,
                delivered: r.get("delivered")?,
                latest_rag: r.get("latest_rag")?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Visits dated within `[from, to]`, newest first.
    pub fn visit_rows(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<VisitRow>, StoreError> {
        self.visit_rows_where("v.visited_on BETWEEN ?1 AND ?2", rusqlite::params![from, to])
    }

    /// The latest `limit` visits dated within `[from, to]`, newest first (read backwards along
    /// the date index, so the cost does not grow with the year), and how many there are in all.
    pub fn latest_visit_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        limit: usize,
    ) -> Result<(Vec<VisitRow>, usize), StoreError> {
        let total: i64 = match self.leader_scope() {
            None => self.conn.query_row(
                "SELECT count(*) FROM visits WHERE visited_on BETWEEN ?1 AND ?2",
                rusqlite::params![from, to],
                |r| r.get(0),
            )?,
            Some(leader) => self.conn.query_row(
                "SELECT count(*) FROM visits v JOIN contracts c ON c.id = v.contract_id
                 WHERE v.visited_on BETWEEN ?1 AND ?2 AND c.leader_id = ?3",
                rusqlite::params![from, to, leader],
                |r| r.get(0),
            )?,
        };
        let rows = self.visit_rows_tail(
            "v.visited_on BETWEEN ?1 AND ?2",
            "LIMIT ?3",
            rusqlite::params![from, to, limit as i64],
        )?;
        Ok((rows, total as usize))
    }

    /// Every visit on one contract, newest first.
    pub fn visits_for_contract(&self, contract_id: i64) -> Result<Vec<VisitRow>, StoreError> {
        self.visit_rows_where("v.contract_id = ?1", [contract_id])
    }

    /// Every visit at one school, newest first.
    pub fn visits_for_school(&self, school_id: i64) -> Result<Vec<VisitRow>, StoreError> {
        self.visit_rows_where("c.school_id = ?1", [school_id])
    }

    /// Every visit by one leader, newest first.
    pub fn visits_for_leader(&self, leader_id: i64) -> Result<Vec<VisitRow>, StoreError> {
        self.visit_rows_where("v.leader_id = ?1", [leader_id])
    }

    fn visit_rows_where<P: rusqlite::Params>(&self, cond: &str, params: P) -> Result<Vec<VisitRow>, StoreError> {
        self.visit_rows_tail(cond, "", params)
    }

    /// Visits matching `cond`, newest first, with `tail` (a `LIMIT`) after the order.
    fn visit_rows_tail<P: rusqlite::Params>(
        &self,
        cond: &str,
        tail: &str,
        params: P,
    ) -> Result<Vec<VisitRow>, StoreError> {
        let sql = format!(
            "SELECT v.*, s.name AS school_name, l.name AS leader_name, c.focus AS focus
             FROM ({}) v JOIN contracts c ON c.id = v.contract_id
             JOIN schools s ON s.id = c.school_id JOIN leaders l ON l.id = v.leader_id
             WHERE ({cond}){scope} ORDER BY v.visited_on DESC, v.id DESC {tail}",
            entity::select_sql::<Visit>(),
            scope = self.scope_sql("c.leader_id"),
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(params, |r| {
            Ok(VisitRow {
                visit: <Visit as super::Entity>::from_row(r)?,
                school_name: r.get("school_name")?,
                leader_name: r.get("leader_name")?,
                focus: r.get("focus")?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Visits per week (Monday-based) within `[from, to]`: `(monday, visits, days)`.
    pub fn visits_per_week(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<(NaiveDate, i64, f64)>, StoreError> {
        // Grouped by day in SQL (along the date index), by week here: a date function per
        // visit would cost more than the rest of the query at national scale.
        let mut st = self.conn.prepare_cached(
            "SELECT visited_on, count(*), sum(days) FROM visits WHERE visited_on BETWEEN ?1 AND ?2 GROUP BY visited_on",
        )?;
        let rows = st.query_map(rusqlite::params![from, to], |r| {
            Ok((r.get::<_, NaiveDate>(0)?, r.get::<_, i64>(1)?, r.get::<_, f64>(2)?))
        })?;
        let mut weeks: std::collections::BTreeMap<NaiveDate, (i64, f64)> = std::collections::BTreeMap::new();
        for row in rows {
            let (day, n, days) = row?;
            let monday =
                day - chrono::Duration::days(i64::from(chrono::Datelike::weekday(&day).num_days_from_monday()));
            let w = weeks.entry(monday).or_default();
            w.0 += n;
            w.1 += days;
        }
        Ok(weeks.into_iter().map(|(monday, (n, days))| (monday, n, days)).collect())
    }

    /// Inspections of one school, newest first.
    pub fn inspections_for(&self, school_id: i64) -> Result<Vec<Inspection>, StoreError> {
        let mut v: Vec<Inspection> = entity::list(&self.conn, "WHERE school_id = ?1", [school_id])?;
        v.sort_by_key(|i| std::cmp::Reverse(i.inspected_on));
        Ok(v)
    }

    /// Reviews of one contract, newest first.
    pub fn reviews_for(&self, contract_id: i64) -> Result<Vec<Review>, StoreError> {
        let mut v: Vec<Review> = entity::list(&self.conn, "WHERE contract_id = ?1", [contract_id])?;
        v.sort_by(|a, b| b.reviewed_on.cmp(&a.reviewed_on).then(b.id.cmp(&a.id)));
        Ok(v)
    }

    /// Board meetings, newest first.
    pub fn meetings(&self) -> Result<Vec<Meeting>, StoreError> {
        let mut v: Vec<Meeting> = entity::list(&self.conn, "", [])?;
        v.sort_by_key(|m| std::cmp::Reverse(m.held_on));
        Ok(v)
    }

    /// Every decision with its meeting date and subject names, open ones first, by due date.
    pub fn decision_rows(&self) -> Result<Vec<DecisionRow>, StoreError> {
        let sql = format!(
            "SELECT d.*, m.held_on AS held_on, s.name AS school_name, c.focus AS contract_focus
             FROM ({}) d JOIN board_meetings m ON m.id = d.meeting_id
             LEFT JOIN schools s ON s.id = d.school_id LEFT JOIN contracts c ON c.id = d.contract_id
             WHERE 1{scope} ORDER BY d.done, d.due_on IS NULL, d.due_on, d.id",
            entity::select_sql::<Decision>(),
            scope = match self.leader_scope() {
                Some(l) => format!(
                    " AND (c.leader_id = {l} OR d.school_id IN (SELECT school_id FROM contracts WHERE leader_id = {l}))"
                ),
                None => String::new(),
            },
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map([], |r| {
            Ok(DecisionRow {
                decision: <Decision as super::Entity>::from_row(r)?,
                held_on: r.get("held_on")?,
                school_name: r.get("school_name")?,
                contract_focus: r.get("contract_focus")?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Store {
    /// Phase, LA and trust per school id, for the Schools list.
    pub fn school_list_info(&self) -> Result<std::collections::HashMap<i64, (String, String, String)>, StoreError> {
        let mut st = self.conn.prepare_cached("SELECT id, phase, la_name, trust FROM schools")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Store {
    /// Every school's id, name and URN, by name (for finding a school typed on the CLI).
    pub fn school_names(&self) -> Result<Vec<(i64, String, Option<i64>)>, StoreError> {
        let mut st = self.conn.prepare_cached("SELECT id, name, urn FROM schools ORDER BY name")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
