//! Alliance settings, one `settings` row per key so other tools can read them with plain SQL.
//! A key that is missing or unreadable falls back to its default rather than failing a screen.

use super::StoreError;
use crate::domain::Designation;
use rusqlite::Connection;
use serde::Serialize;

/// The settings the rules depend on (DESIGN §3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// Shown in titles and the board pack.
    pub alliance_name: String,
    /// First month of the academic year (9 = September).
    pub year_start_month: u32,
    /// Days between progress reviews when none is set.
    pub review_interval_days: i64,
    /// How many days ahead "ending soon" looks.
    pub ending_soon_days: i64,
    /// Days without a visit before an active contract is flagged.
    pub no_visit_days: i64,
    /// Default day rates, pence: NLE, LLE, SLE, NLG, Other.
    pub day_rates_pence: [i64; 5],
    /// The alliance's brokerage share, in basis points (1500 = 15%).
    pub brokerage_bp: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            alliance_name: "Alliance".to_string(),
            year_start_month: 9,
            review_interval_days: 42,
            ending_soon_days: 14,
            no_visit_days: 30,
            day_rates_pence: [55_000, 45_000, 35_000, 40_000, 35_000],
            brokerage_bp: 1500,
        }
    }
}

fn rate_index(d: Designation) -> usize {
    match d {
        Designation::Nle => 0,
        Designation::Lle => 1,
        Designation::Sle => 2,
        Designation::Nlg => 3,
        Designation::Other => 4,
    }
}

impl Settings {
    /// The default day rate for a designation.
    pub fn day_rate(&self, d: Designation) -> i64 {
        self.day_rates_pence[rate_index(d)]
    }

    fn pairs(&self) -> Vec<(String, String)> {
        let mut v = vec![
            ("alliance_name".to_string(), self.alliance_name.clone()),
            ("year_start_month".to_string(), self.year_start_month.to_string()),
            ("review_interval_days".to_string(), self.review_interval_days.to_string()),
            ("ending_soon_days".to_string(), self.ending_soon_days.to_string()),
            ("no_visit_days".to_string(), self.no_visit_days.to_string()),
            ("brokerage_bp".to_string(), self.brokerage_bp.to_string()),
        ];
        for d in Designation::ALL {
            v.push((format!("day_rate_pence_{}", d.as_str()), self.day_rate(*d).to_string()));
        }
        v
    }
}

pub(super) fn load(conn: &Connection) -> Result<Settings, StoreError> {
    let mut s = Settings::default();
    let mut st = conn.prepare_cached("SELECT key, value FROM settings")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (k, v) = row?;
        let num = v.trim().parse::<i64>().ok();
        match (k.as_str(), num) {
            ("alliance_name", _) => s.alliance_name = v,
            ("year_start_month", Some(n)) if (1..=12).contains(&n) => s.year_start_month = n as u32,
            ("review_interval_days", Some(n)) if n > 0 => s.review_interval_days = n,
            ("ending_soon_days", Some(n)) if n >= 0 => s.ending_soon_days = n,
            ("no_visit_days", Some(n)) if n > 0 => s.no_visit_days = n,
            ("brokerage_bp", Some(n)) if (0..=10_000).contains(&n) => s.brokerage_bp = n,
            (key, Some(n)) if n >= 0 => {
                if let Some(d) = key.strip_prefix("day_rate_pence_").and_then(Designation::parse) {
                    s.day_rates_pence[rate_index(d)] = n;
                }
            }
            _ => {}
        }
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
