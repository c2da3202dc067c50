//! Hand-built fact rows for the metric tests. Every builder returns a "quiet" row: a fixture
//! raises no alert and puts no school above `ok` until a test changes the field under test, so
//! each test can state exactly which alerts and statuses it expects.

use super::{Alert, AlertKind};
use super::{ContractFacts, Inputs, InspectionFacts, LeaderFacts, ReviewFacts, SchoolFacts, Snapshot};
use crate::domain::settings::Settings;
use crate::domain::{Category, ContractStatus, Designation, Framework, Phase, Rag};
use chrono::{Duration, NaiveDate};

/// A calendar date (panics on an impossible one: fixtures are written by hand).
pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid fixture date")
}

/// The injected clock every fixture is relative to: Monday 23 Nov 2026 (academic year 2026/27).
pub(crate) fn today() -> NaiveDate {
    d(2026, 11, 23)
}

/// `today` shifted by `n` days (negative = in the past).
pub(crate) fn day(n: i64) -> NaiveDate {
    today() + Duration::days(n)
}

/// An active SLE with `capacity` days a year and nothing delivered yet.
pub(crate) fn leader(id: i64, capacity: f64) -> LeaderFacts {
    LeaderFacts {
        id,
        name: format!("Leader {id}"),
        designation: Designation::Sle,
        days_per_year: capacity,
        active: true,
        home_school_id: None,
        delivered_in_year: 0.0,
    }
}

/// A green review held a week ago, next due in three weeks.
pub(crate) fn review(rag: Rag) -> ReviewFacts {
    ReviewFacts { reviewed_on: day(-7), rag, next_review_on: Some(day(21)), escalate: false }
}

/// An active 10-day contract that started 60 days ago, ends in 120 days, was visited a week
/// ago (2 days delivered) and reviewed green a week ago: it raises no alert.
pub(crate) fn contract(id: i64, school_id: i64, leader_id: i64) -> ContractFacts {
    ContractFacts {
        id,
        school_id,
        school_name: format!("School {school_id}"),
        leader_id,
        leader_name: format!("Leader {leader_id}"),
        designation: Designation::Sle,
        focus: format!("Focus {id}"),
        status: ContractStatus::Active,
        start_on: day(-60),
        end_on: day(120),
        days_commissioned: 10.0,
        delivered: 2.0,
        last_visit: Some(day(-7)),
        latest_review: Some(review(Rag::Green)),
    }
}

/// A category A primary with no inspection on file.
pub(crate) fn school(id: i64, category: Category) -> SchoolFacts {
    SchoolFacts {
        id,
        name: format!("School {id}"),
        urn: Some(100_000 + id),
        phase: Phase::Primary,
        category,
        latest_inspection: None,
        judgements: Vec::new(),
        new_head: None,
        last_visit: None,
    }
}

/// An inspection a year ago.
pub(crate) fn inspection(framework: Framework, outcome: &str, grade: Option<i64>, areas: &str) -> InspectionFacts {
    InspectionFacts {
        inspected_on: day(-365),
        framework,
        outcome: outcome.to_string(),
        grade,
        areas: areas.to_string(),
        safeguarding_met: None,
        category_of_concern: None,
    }
}

/// Inputs with default settings (review every 30 school days, ending soon = 14 days, quiet = 20
/// school days) and no term dates (every weekday a school day).
pub(crate) fn inputs(leaders: Vec<LeaderFacts>, contracts: Vec<ContractFacts>, schools: Vec<SchoolFacts>) -> Inputs {
    Inputs {
        data: Default::default(),
        today: today(),
        settings: Settings::default(),
        leaders,
        contracts,
        schools,
        overdue_decisions: Vec::new(),
        streams: Vec::new(),
        calendar: crate::domain::Calendar::default(),
    }
}

/// Computes the snapshot of one contract held by leader 1 (capacity 15) at school 1 (category A).
pub(crate) fn one_contract(c: ContractFacts) -> Snapshot {
    super::compute(&inputs(vec![leader(1, 15.0)], vec![c], vec![school(1, Category::A)]))
}

/// The kinds of alert in a snapshot, in the snapshot's order.
pub(crate) fn kinds(s: &Snapshot) -> Vec<AlertKind> {
    s.alerts.iter().map(|a| a.kind).collect()
}

/// The alerts of one kind.
pub(crate) fn of_kind(s: &Snapshot, kind: AlertKind) -> Vec<&Alert> {
    s.alerts.iter().filter(|a| a.kind == kind).collect()
}
