//! The board pack as data: every section the writers print, built from the store and the metrics
//! in one place.

use crate::board::AgendaItem;
use crate::domain::{AcademicYear, FundingStream, Meeting};
use crate::metrics::budget::Budget;
use crate::metrics::{ContractProgress, LeaderCapacity, SchoolStatus, Totals};
use crate::store::{DecisionRow, Store, StoreError};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::fmt;

/// A calendar month (`--month 2026-11`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
}

impl Month {
    /// Parses `YYYY-MM` (also `YYYY/MM`); refusals are one sentence with an example.
    pub fn parse(s: &str) -> Result<Month, String> {
        let t = s.trim();
        let shown: String = t.chars().filter(|c| !c.is_control()).take(20).collect();
        let bad = || format!("`{shown}` is not a month — use YYYY-MM, e.g. 2026-11");
        let (y, m) = t.split_once(['-', '/']).ok_or_else(bad)?;
        if y.len() != 4 || !(1..=2).contains(&m.len()) || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) {
            return Err(format!("`{shown}` is not a month — the month part must be 01 to 12, e.g. 2026-11"));
        }
        if !(1900..=2200).contains(&year) {
            return Err(format!("`{shown}` is too far from today — use a year like 2026"));
        }
        Ok(Month { year, month })
    }

    /// The month containing `d`.
    pub fn containing(d: NaiveDate) -> Month {
        Month { year: d.year(), month: d.month() }
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    /// Its last day.
    pub fn last_day(self) -> NaiveDate {
        let (y, m) = if self.month == 12 { (self.year + 1, 1) } else { (self.year, self.month + 1) };
        NaiveDate::from_ymd_opt(y, m, 1).map(|d| d - chrono::Duration::days(1)).unwrap_or_default()
    }

    /// Whether `d` falls in it.
    pub fn contains(self, d: NaiveDate) -> bool {
        d.year() == self.year && d.month() == self.month
    }

    /// `November 2026`.
    pub fn label(self) -> String {
        format!("{} {}", crate::domain::dates::MONTH_NAMES[(self.month.clamp(1, 12) - 1) as usize], self.year)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl std::str::FromStr for Month {
    type Err = String;
    fn from_str(s: &str) -> Result<Month, String> {
        Month::parse(s)
    }
}

/// A live contract with its progress and money.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveContract {
    /// Progress as the metrics computed it.
    pub progress: ContractProgress,
    /// Agreed day rate.
    pub day_rate_pence: i64,
    /// days commissioned × rate.
    pub price_pence: i64,
    /// delivered days × rate.
    pub delivered_pence: i64,
    /// Who pays: the funding stream's name, else the funding text.
    pub funding: String,
}

/// An open decision with a due date, as of the pack's date.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionLine {
    /// The decision and its names.
    pub row: DecisionRow,
    /// Due before the as-of date and not done.
    pub overdue: bool,
    /// Due within the pack's month.
    pub due_this_month: bool,
}

/// Everything in the monthly board pack. Each field is one section; writers print them in the
/// order they are declared here.
#[derive(Debug, Clone)]
pub struct BoardPack {
    /// The alliance's name (from settings).
    pub alliance: String,
    /// The month of the board.
    pub month: Month,
    /// The date every figure is "as of" (`--today`).
    pub today: NaiveDate,
    /// The academic year containing `today`.
    pub year: AcademicYear,
    /// Board meetings held in the month, earliest first (the last is "the" meeting).
    pub meetings: Vec<Meeting>,
    /// Headline counts.
    pub totals: Totals,
    /// The agenda built from the data ([`crate::board::agenda`]).
    pub agenda: Vec<AgendaItem>,
    /// Every school's status, most severe first.
    pub schools: Vec<SchoolStatus>,
    /// Live (active and paused) contracts, ending soonest first.
    pub contracts: Vec<LiveContract>,
    /// Active leaders' capacity this academic year, over-capacity first.
    pub leaders: Vec<LeaderCapacity>,
    /// Money per funding stream ([`crate::metrics::budget::budget`]).
    pub budget: Budget,
    /// Decisions taken at the month's meeting(s).
    pub decisions_taken: Vec<DecisionRow>,
    /// Open decisions with a due date, soonest first.
    pub decisions_due: Vec<DecisionLine>,
    /// Schools whose published data raised a `data_concern`, most severe first, with trends.
    pub data_watch: Vec<DataWatch>,
    /// Whether sensitive soft intelligence was asked for (`--include-sensitive`).
    pub include_sensitive: bool,
    /// Programme impact in the academic year of `today` (the year's label and the figures of
    /// `alliance impact`); `None` when the pack was assembled without the store.
    pub impact: Option<(String, crate::metrics::impact::Impact)>,
    /// Changes in schools' lives (new heads, trusts, conversions) in the
    /// [`EVENTS_WINDOW_DAYS`] to `today`, oldest first, with the school's name.
    pub events: Vec<(String, crate::domain::SchoolEvent)>,
}

/// How far back the pack's "changes in schools" looks: about a term.
pub const EVENTS_WINDOW_DAYS: i64 = 92;
/// One school on the data watch: its data concern and the trends behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct DataWatch {
    /// School name.
    pub school: String,
    /// The concern's severity.
    pub severity: crate::metrics::Severity,
    /// The concern's sentence (name, then the figures).
    pub message: String,
    /// The school's results and absence trends (LA and England beside).
    pub trends: Vec<crate::metrics::data::Trend>,
    /// Its soft intelligence, newest first: normal entries, and sensitive ones only when the
    /// pack includes them; redacted entries are left out.
    pub intelligence: Vec<crate::domain::Intelligence>,
}

/// The measures a data-watch entry draws: results, then absence.
const WATCH_MEASURES: &[&str] = &["PTRWM_EXP", "PTL2BASICS_94", "ATT8SCR", "P8MEA", "PERCTOT", "PPERSABS10"];

impl BoardPack {
    /// Builds the pack for `month`, with every figure as of `today`.
    pub fn build(store: &Store, month: Month, today: NaiveDate) -> Result<BoardPack, StoreError> {
        BoardPack::build_with(store, month, today, false)
    }

    /// [`BoardPack::build`], choosing whether sensitive soft intelligence goes in (the pack is
    /// then marked OFFICIAL-SENSITIVE at the top).
    pub fn build_with(
        store: &Store,
        month: Month,
        today: NaiveDate,
        include_sensitive: bool,
    ) -> Result<BoardPack, StoreError> {
        let settings = store.settings()?;
        let snap = store.snapshot(today)?;
        let contract_rows = store.contract_rows()?;
        let decisions = store.decision_rows()?;
        let streams: Vec<FundingStream> = store.all()?;
        let mut meetings: Vec<Meeting> = store.meetings()?.into_iter().filter(|m| month.contains(m.held_on)).collect();
        meetings.sort_by(|a, b| a.held_on.cmp(&b.held_on).then(a.id.cmp(&b.id)));
        let mut pack =
            BoardPack::assemble(settings.alliance_name, month, &snap, &contract_rows, &decisions, &streams, meetings);
        for a in snap.alerts.iter().filter(|a| a.kind == crate::metrics::AlertKind::DataConcern) {
            let Some(id) = a.school_id else { continue };
            let school =
                snap.schools.iter().find(|s| s.school.id == id).map_or_else(String::new, |s| s.school.name.clone());
            let trends =
                store.school_trends(id)?.into_iter().filter(|t| WATCH_MEASURES.contains(&t.measure.as_str())).collect();
            let intelligence = store
                .notes_for(id)?
                .into_iter()
                .filter(|n| !n.redacted && (include_sensitive || !n.is_sensitive()))
                .collect();
            pack.data_watch.push(DataWatch {
                school,
                severity: a.severity,
                message: a.message.clone(),
                trends,
                intelligence,
            });
        }
        pack.include_sensitive = include_sensitive;
        let inputs = store.impact_inputs(pack.year)?;
        pack.impact = Some((pack.year.label(), crate::metrics::impact::impact(&inputs)));
        let names: HashMap<i64, String> = store.school_names()?.into_iter().map(|(id, n, _)| (id, n)).collect();
        pack.events = store
            .events_between(today - chrono::Duration::days(EVENTS_WINDOW_DAYS), today)?
            .into_iter()
            .map(|e| (names.get(&e.school_id).cloned().unwrap_or_default(), e))
            .collect();
        Ok(pack)
    }

    /// Assembles the pack from data already loaded (what [`BoardPack::build`] reads).
    pub fn assemble(
        alliance: String,
        month: Month,
        snap: &crate::metrics::Snapshot,
        contract_rows: &[crate::store::ContractRow],
        decisions: &[DecisionRow],
        streams: &[FundingStream],
        meetings: Vec<Meeting>,
    ) -> BoardPack {
        let today = snap.today;
        let rows: HashMap<i64, &crate::store::ContractRow> = contract_rows.iter().map(|r| (r.contract.id, r)).collect();
        let stream_names: HashMap<i64, &str> = streams.iter().map(|s| (s.id, s.name.as_str())).collect();
        let contracts = snap
            .contracts
            .iter()
            .filter(|p| p.contract.status.is_live())
            .map(|p| {
                let row = rows.get(&p.contract.id);
                let rate = row.map_or(0, |r| r.contract.day_rate_pence);
                let funding = row
                    .map(|r| {
                        r.contract
                            .funding_stream_id
                            .and_then(|id| stream_names.get(&id).map(|n| n.to_string()))
                            .unwrap_or_else(|| r.contract.funding.clone())
                    })
                    .unwrap_or_default();
                LiveContract {
                    progress: p.clone(),
                    day_rate_pence: rate,
                    price_pence: crate::metrics::budget::price_pence(p.contract.days_commissioned, rate),
                    delivered_pence: crate::metrics::budget::price_pence(p.contract.delivered, rate),
                    funding,
                }
            })
            .collect();
        let meeting_ids: Vec<i64> = meetings.iter().map(|m| m.id).collect();
        let decisions_taken =
            decisions.iter().filter(|d| meeting_ids.contains(&d.decision.meeting_id)).cloned().collect();
        let mut decisions_due: Vec<DecisionLine> = decisions
            .iter()
            .filter(|d| !d.decision.done)
            .filter_map(|d| {
                d.decision.due_on.map(|due| DecisionLine {
                    row: d.clone(),
                    overdue: due < today,
                    due_this_month: month.contains(due),
                })
            })
            .collect();
        decisions_due.sort_by(|a, b| {
            a.row.decision.due_on.cmp(&b.row.decision.due_on).then(a.row.decision.id.cmp(&b.row.decision.id))
        });
        BoardPack {
            alliance,
            month,
            today,
            year: snap.year,
            meetings,
            totals: snap.totals.clone(),
            agenda: crate::views::agenda(snap, contract_rows, decisions),
            schools: snap.schools.clone(),
            contracts,
            leaders: snap.leaders.iter().filter(|l| l.leader.active).cloned().collect(),
            budget: crate::store::budget_of(streams, contract_rows, snap.year),
            decisions_taken,
            decisions_due,
            data_watch: Vec::new(),
            include_sensitive: false,
            impact: None,
            events: Vec::new(),
        }
    }

    /// Whether the pack carries sensitive soft intelligence (and must be marked so at the top).
    pub fn official_sensitive(&self) -> bool {
        self.data_watch.iter().any(|w| w.intelligence.iter().any(|n| n.is_sensitive()))
    }

    /// The month's board meeting (the last one held in it), if one is recorded.
    pub fn meeting(&self) -> Option<&Meeting> {
        self.meetings.last()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_bound() {
        let m = Month::parse("2026-11").unwrap_or(Month { year: 0, month: 1 });
        assert_eq!((m.year, m.month), (2026, 11));
        assert_eq!(m.label(), "November 2026");
        assert_eq!(m.to_string(), "2026-11");
        assert_eq!(m.last_day(), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default());
        assert_eq!(
            Month { year: 2026, month: 12 }.last_day(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default()
        );
        assert_eq!(Month { year: 2028, month: 2 }.last_day(), NaiveDate::from_ymd_opt(2028, 2, 29).unwrap_or_default());
        for bad in ["2026-13", "2026-00", "26-11", "November", "", "2026-11-01", "2026-1x"] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
        assert!(Month::parse("2026-13").err().unwrap_or_default().contains("01 to 12"));
    }
}
