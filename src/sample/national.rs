//! The national-scale sample (`alliance sample --scale national`): the whole of England in one
//! file, to show `alliance` stays instant at the size of a region or the country.
//!
//! At the default 22,000 schools: about 150 local authorities of 150 schools each, 8,000
//! system leaders (35 per 96 schools), 13,500 contracts of this year and last (about 6,000 of
//! them live) planned against leaders' capacity exactly as the city sample plans its 40, and
//! five earlier academic years of closed contracts (5,300 a year, about one in seven ended
//! early) — 40,000 contracts with about half a million visits and 120,000 progress reviews
//! between them. Every piece comes from
//! the city generator: the same schools, categories and inspections, the same leaders and
//! specialisms, the same focus vocabulary, visit notes and review summaries, the same written
//! scenarios (so every alert and status is on show in the first authority).
//!
//! `--schools N` scales everything in proportion (the tests build a few hundred schools).
//! Records are checked by the same validation as a coordinator's input, then written with
//! [`crate::store::Store::bulk_load`]: one transaction, one summary audit row for the load
//! (see there for why), then the file is compacted.

use super::names;
use super::schools::share;
use super::world::{History, Shape};

/// The national sample's default size.
pub const SCHOOLS: usize = 22_000;

/// The shape of a national sample of `n` schools (22,000 by default).
pub(crate) fn shape(n: usize) -> Shape {
    Shape {
        las: names::ENGLAND,
        leaders_per_96: 35,
        contracts: share(n, 13_500, SCHOOLS).max(14),
        history: Some(History { years: 5, per_year: share(n, 5_300, SCHOOLS), days_percent: 95 }),
        name: "England Schools Support (national sample)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ContractStatus;
    use crate::sample::world;
    use chrono::NaiveDate;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
    }

    /// A fiftieth of the country: the same logic, proportionately fewer of everything.
    #[test]
    fn a_small_national_world_is_valid_and_in_proportion() {
        let n = SCHOOLS / 50;
        let w = world::build(7, today(), n, &shape(n), &mut |_| {});
        assert_eq!(w.check(today()), Ok(()));
        assert_eq!(w.schools.len(), n);
        let per = |x: usize, national: usize| x * 50 * 100 / national;
        // Within 15% of the national proportions: 8,000 leaders, 40,000 contracts (about 6,000
        // live), 500,000 visits and 120,000 reviews.
        for (what, got, want) in [
            ("leaders", w.leaders.len(), 8_000),
            ("contracts", w.contracts.len(), 40_000),
            ("live contracts", w.contracts.iter().filter(|c| c.status.is_live()).count(), 6_000),
            ("visits", w.visits.len(), 500_000),
            ("reviews", w.reviews.len(), 120_000),
        ] {
            assert!((85..=115).contains(&per(got, want)), "{what}: {got} for {n} schools");
        }
        // History: every contract that started before last year is closed, and the years go back
        // five more.
        let year_start = NaiveDate::from_ymd_opt(2025, 9, 1).expect("date");
        assert!(
            w.contracts
                .iter()
                .filter(|c| c.start_on < year_start)
                .all(|c| matches!(c.status, ContractStatus::Completed | ContractStatus::Terminated))
        );
        let oldest = w.contracts.iter().map(|c| c.start_on).min().expect("contracts");
        assert!(oldest < NaiveDate::from_ymd_opt(2021, 9, 1).expect("date"), "oldest {oldest}");
        // The country, not one city: many authorities, each with its own postcode area.
        let las: std::collections::BTreeSet<&str> = w.schools.iter().map(|s| s.la_name.as_str()).collect();
        assert_eq!(las.len(), n.div_ceil(names::SCHOOLS_PER_LA));
    }

    #[test]
    fn the_same_seed_builds_the_same_national_world() {
        let n = 300;
        let a = world::build(3, today(), n, &shape(n), &mut |_| {});
        let b = world::build(3, today(), n, &shape(n), &mut |_| {});
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        let c = world::build(4, today(), n, &shape(n), &mut |_| {});
        assert_ne!(format!("{a:?}"), format!("{c:?}"));
    }
}
