//! The facts behind the best-placed-leader ranking ([`crate::matching`]).

use super::{Store, StoreError};
use crate::matching::{Candidate, Past, Ranked, SchoolFacts, rank};
use crate::metrics::{Snapshot, Status};
use std::collections::HashMap;

impl Store {
    /// The supported school as the ranking sees it.
    pub fn match_school(&self, id: i64) -> Result<SchoolFacts, StoreError> {
        Ok(self.conn.query_row(
            "SELECT id, name, phase, la_name, trust, category FROM schools WHERE id = ?1",
            [id],
            |r| {
                Ok(SchoolFacts {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    phase: r.get(2)?,
                    la_name: r.get(3)?,
                    trust: r.get(4)?,
                    category: r.get(5)?,
                })
            },
        )?)
    }

    /// Every leader as a candidate, with available days from `snap` and their home school's
    /// standing from its school status there (urgent or concern: not to be sent out).
    pub fn match_candidates(&self, snap: &Snapshot) -> Result<Vec<Candidate>, StoreError> {
        let available: HashMap<i64, f64> = snap.leaders.iter().map(|l| (l.leader.id, l.available)).collect();
        let standing: HashMap<i64, String> = snap
            .schools
            .iter()
            .filter(|s| matches!(s.status, Status::Urgent | Status::Concern))
            .map(|s| {
                let why = s.reasons.first().map_or(String::new(), |r| format!(": {}", r.text));
                (s.school.id, format!("home school {} is {}{why}", s.school.name, s.status.label()))
            })
            .collect();
        let mut track: HashMap<i64, Vec<Past>> = HashMap::new();
        {
            // Every contract they led that got as far as a review (any status); close-out
            // outcomes will fill `outcome` once they are recorded.
            let mut st = self.conn.prepare_cached(
                "SELECT c.leader_id, c.focus, (SELECT r.rag FROM reviews r WHERE r.contract_id = c.id
                                      ORDER BY r.reviewed_on DESC, r.id DESC LIMIT 1) AS rag
                 FROM contracts c WHERE rag IS NOT NULL",
            )?;
            let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get(2)?)))?;
            for row in rows {
                let (leader, focus, rag) = row?;
                track.entry(leader).or_default().push(Past { focus, rag: Some(rag), outcome: None });
            }
        }
        let mut st = self.conn.prepare_cached(
            "SELECT l.id, l.name, l.designation, l.specialisms, l.active,
                    s.id, s.phase, s.la_name, s.trust
             FROM leaders l LEFT JOIN schools s ON s.id = l.home_school_id ORDER BY l.id",
        )?;
        let rows = st.query_map([], |r| {
            let id: i64 = r.get(0)?;
            let specialisms: String = r.get(3)?;
            let home_id: Option<i64> = r.get(5)?;
            let home = match home_id {
                Some(h) => Some((h, r.get(6)?, r.get(7)?, r.get(8)?)),
                None => None,
            };
            Ok(Candidate {
                id,
                name: r.get(1)?,
                designation: r.get(2)?,
                specialisms: specialisms
                    .split([',', ';'])
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect(),
                active: r.get(4)?,
                available: 0.0,
                home,
                home_standing: None,
                track: Vec::new(),
            })
        })?;
        let mut out: Vec<Candidate> = rows.collect::<Result<_, _>>()?;
        for c in &mut out {
            c.available = available.get(&c.id).copied().unwrap_or(0.0);
            c.track = track.remove(&c.id).unwrap_or_default();
            c.home_standing = c.home.as_ref().and_then(|(h, ..)| standing.get(h).cloned());
        }
        Ok(out)
    }

    /// Ranks every leader for supporting school `school_id` on `focus`.
    pub fn best_placed(
        &self,
        snap: &Snapshot,
        school_id: i64,
        focus: &str,
        days: Option<f64>,
    ) -> Result<Vec<Ranked>, StoreError> {
        let school = self.match_school(school_id)?;
        Ok(rank(&school, focus, days, &self.match_candidates(snap)?))
    }
}
