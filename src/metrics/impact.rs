//! Programme impact (issue #15): what the contracts closed in an academic year achieved and
//! cost. One function per figure; `alliance impact`, the Impact screen and the board pack all
//! call [`impact`], which calls them. The store gathers the facts (its `impact_inputs` read
//! fills an [`ImpactInputs`]); the rules are here, pure, and know nothing of the store.
//!
//! Rules (◆, see docs/DESIGN-NOTES.md):
//! - a contract counts in the academic year of its close-out's `closed_on`;
//! - `criteria` counts the criteria of those contracts by outcome;
//! - `contracts` counts them by overall outcome; `terminated` is how many of them ended early
//!   (a terminated contract is also counted under its outcome);
//! - cost is delivered days × the contract's day rate, rounded to the penny per contract; per
//!   school it is divided by the supported schools, per criterion met by the criteria met;
//! - a school's movement compares its category and latest inspection before its first counted
//!   contract started with now.

use crate::domain::{AcademicYear, Category, CloseKind, Outcome};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// A contract closed in the year, with what it delivered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClosedFacts {
    /// Contract id.
    pub contract_id: i64,
    /// Supported school.
    pub school_id: i64,
    /// Its name.
    pub school_name: String,
    /// System leader.
    pub leader_id: i64,
    /// Their name.
    pub leader_name: String,
    /// Focus.
    pub focus: String,
    /// Funding stream name; with no stream, the free-text funder; else "not allocated".
    pub stream: String,
    /// Completed or terminated.
    pub kind: CloseKind,
    /// Overall outcome.
    pub outcome: Outcome,
    /// Close-out date.
    pub closed_on: NaiveDate,
    /// Σ visits.days on the contract, all time.
    pub delivered_days: f64,
    /// Agreed day rate.
    pub day_rate_pence: i64,
}

impl ClosedFacts {
    /// Delivered days × day rate, to the penny.
    pub fn cost_pence(&self) -> i64 {
        (self.delivered_days * self.day_rate_pence as f64).round() as i64
    }
}

/// A criterion of a closed contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionFacts {
    /// Its contract.
    pub contract_id: i64,
    /// Criterion text (for the measure list).
    pub text: String,
    /// Outcome.
    pub outcome: Outcome,
    /// The measure it names (blank: none).
    pub measure: String,
    /// Baseline value.
    pub baseline: Option<f64>,
    /// Actual value.
    pub actual: Option<f64>,
}

/// An inspection as the movement needs it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InspectionPoint {
    /// Date.
    pub inspected_on: NaiveDate,
    /// Outcome as published.
    pub outcome: String,
    /// Grade 1–4 where graded.
    pub grade: Option<i64>,
}

/// A supported school before its support and now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolBeforeNow {
    /// School id.
    pub school_id: i64,
    /// Name.
    pub name: String,
    /// Category when its first counted contract started (from the audit trail; its current
    /// category when the trail has nothing older).
    pub category_before: Category,
    /// Category now.
    pub category_now: Category,
    /// Latest inspection before support started.
    pub inspection_before: Option<InspectionPoint>,
    /// Latest inspection now.
    pub inspection_now: Option<InspectionPoint>,
}

/// Everything [`impact`] needs.
#[derive(Debug, Clone, PartialEq)]
pub struct ImpactInputs {
    /// The academic year.
    pub year: AcademicYear,
    /// Contracts whose close-out falls in the year.
    pub closed: Vec<ClosedFacts>,
    /// Their criteria.
    pub criteria: Vec<CriterionFacts>,
    /// Their supported schools, before and now.
    pub schools: Vec<SchoolBeforeNow>,
}

/// Criteria by outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CriteriaCounts {
    /// Still open.
    pub open: i64,
    /// Met.
    pub met: i64,
    /// Partly met.
    pub partly_met: i64,
    /// Not met.
    pub not_met: i64,
}

/// Closed contracts by outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ContractCounts {
    /// Closed in the year.
    pub closed: i64,
    /// Met.
    pub met: i64,
    /// Partly met.
    pub partly_met: i64,
    /// Not met.
    pub not_met: i64,
    /// Of them, ended early.
    pub terminated: i64,
}

/// One school's movement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolMovement {
    /// School id.
    pub school_id: i64,
    /// Name.
    pub name: String,
    /// Category before support.
    pub category_before: Category,
    /// Category now.
    pub category_now: Category,
    /// `improved`, `same` or `worse`.
    pub category: &'static str,
    /// Latest inspection outcome before support ("" if none).
    pub inspection_before: String,
    /// Latest inspection outcome now, if inspected since support started ("" if not).
    pub inspection_since: String,
    /// `improved`, `same`, `declined`, `inspected` (no grades to compare), or `not inspected`.
    pub inspection: &'static str,
}

/// The change in a measure a criterion named.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureChange {
    /// Contract id.
    pub contract_id: i64,
    /// The measure.
    pub measure: String,
    /// Baseline.
    pub baseline: f64,
    /// Actual.
    pub actual: f64,
    /// actual − baseline.
    pub change: f64,
}

/// Supported schools, their movement and the measures their criteria named.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SchoolsImpact {
    /// Distinct supported schools of the closed contracts.
    pub supported: i64,
    /// Category better (A is best) than before support.
    pub category_improved: i64,
    /// Category unchanged.
    pub category_same: i64,
    /// Category worse.
    pub category_worse: i64,
    /// Inspected since support started.
    pub inspected_since: i64,
    /// Each school.
    pub list: Vec<SchoolMovement>,
    /// Each named measure with a baseline and an actual.
    pub measures: Vec<MeasureChange>,
}

/// Cost of the closed contracts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cost {
    /// Σ delivered days.
    pub delivered_days: f64,
    /// Σ cost, pence.
    pub total_pence: i64,
    /// Total ÷ supported schools (none when no school).
    pub per_school_pence: Option<i64>,
    /// Total ÷ criteria met (none when none was met).
    pub per_criterion_met_pence: Option<i64>,
    /// Cost per school: (school id, name, pence), most first.
    pub by_school: Vec<SchoolCost>,
}

/// One school's cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolCost {
    /// School id.
    pub school_id: i64,
    /// Name.
    pub school: String,
    /// Pence.
    pub cost_pence: i64,
}

/// Outcomes and cost of one group (a leader, a focus, a funding stream).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Group {
    /// The group's name.
    pub name: String,
    /// Leader id, for `by_leader`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leader_id: Option<i64>,
    /// Contracts closed.
    pub contracts: i64,
    /// Met overall.
    pub met: i64,
    /// Partly met.
    pub partly_met: i64,
    /// Not met.
    pub not_met: i64,
    /// Ended early.
    pub terminated: i64,
    /// Criteria met.
    pub criteria_met: i64,
    /// Cost, pence.
    pub cost_pence: i64,
}

/// The whole impact report; its fields are `impact --json`'s top-level keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impact {
    /// Criteria by outcome.
    pub criteria: CriteriaCounts,
    /// Contracts by outcome.
    pub contracts: ContractCounts,
    /// Schools' movement.
    pub schools: SchoolsImpact,
    /// Cost.
    pub cost: Cost,
    /// By leader.
    pub by_leader: Vec<Group>,
    /// By focus.
    pub by_focus: Vec<Group>,
    /// By funding stream.
    pub by_stream: Vec<Group>,
}

/// Criteria of the closed contracts, by outcome.
pub fn criteria_counts(i: &ImpactInputs) -> CriteriaCounts {
    let mut c = CriteriaCounts::default();
    for k in &i.criteria {
        match k.outcome {
            Outcome::Open => c.open += 1,
            Outcome::Met => c.met += 1,
            Outcome::PartlyMet => c.partly_met += 1,
            Outcome::NotMet => c.not_met += 1,
        }
    }
    c
}

/// Closed contracts, by outcome, and how many were terminated.
pub fn contract_counts(i: &ImpactInputs) -> ContractCounts {
    let mut c = ContractCounts::default();
    for x in &i.closed {
        c.closed += 1;
        match x.outcome {
            Outcome::Met => c.met += 1,
            Outcome::PartlyMet => c.partly_met += 1,
            Outcome::NotMet => c.not_met += 1,
            Outcome::Open => {}
        }
        if x.kind == CloseKind::Terminated {
            c.terminated += 1;
        }
    }
    c
}

fn inspection_movement(before: Option<&InspectionPoint>, now: Option<&InspectionPoint>) -> &'static str {
    match (before, now) {
        (Some(b), Some(n)) if n.inspected_on > b.inspected_on => match (b.grade, n.grade) {
            (Some(bg), Some(ng)) if ng < bg => "improved",
            (Some(bg), Some(ng)) if ng > bg => "declined",
            (Some(_), Some(_)) => "same",
            _ => "inspected",
        },
        (None, Some(_)) => "inspected",
        _ => "not inspected",
    }
}

/// Each supported school's category and inspection before support and now, and the change in
/// every measure a criterion named (where both a baseline and an actual are recorded).
pub fn school_movement(i: &ImpactInputs) -> SchoolsImpact {
    let mut s = SchoolsImpact::default();
    for x in &i.schools {
        let category = match x.category_now.cmp(&x.category_before) {
            std::cmp::Ordering::Less => "improved",
            std::cmp::Ordering::Equal => "same",
            std::cmp::Ordering::Greater => "worse",
        };
        match category {
            "improved" => s.category_improved += 1,
            "same" => s.category_same += 1,
            _ => s.category_worse += 1,
        }
        let inspection = inspection_movement(x.inspection_before.as_ref(), x.inspection_now.as_ref());
        let since = inspection != "not inspected";
        if since {
            s.inspected_since += 1;
        }
        s.list.push(SchoolMovement {
            school_id: x.school_id,
            name: x.name.clone(),
            category_before: x.category_before,
            category_now: x.category_now,
            category,
            inspection_before: x.inspection_before.as_ref().map(|b| b.outcome.clone()).unwrap_or_default(),
            inspection_since: if since {
                x.inspection_now.as_ref().map(|n| n.outcome.clone()).unwrap_or_default()
            } else {
                String::new()
            },
            inspection,
        });
    }
    s.supported = s.list.len() as i64;
    for k in &i.criteria {
        if let (false, Some(b), Some(a)) = (k.measure.trim().is_empty(), k.baseline, k.actual) {
            s.measures.push(MeasureChange {
                contract_id: k.contract_id,
                measure: k.measure.clone(),
                baseline: b,
                actual: a,
                change: a - b,
            });
        }
    }
    s
}

/// Total cost, per school, per criterion met and for each school.
pub fn cost(i: &ImpactInputs) -> Cost {
    let mut by: BTreeMap<i64, SchoolCost> = BTreeMap::new();
    let mut c = Cost::default();
    for x in &i.closed {
        c.delivered_days += x.delivered_days;
        c.total_pence += x.cost_pence();
        by.entry(x.school_id)
            .or_insert_with(|| SchoolCost { school_id: x.school_id, school: x.school_name.clone(), cost_pence: 0 })
            .cost_pence += x.cost_pence();
    }
    let schools = by.len() as i64;
    let met = criteria_counts(i).met;
    let share = |n: i64| (n > 0).then(|| (c.total_pence as f64 / n as f64).round() as i64);
    c.per_school_pence = share(schools);
    c.per_criterion_met_pence = share(met);
    c.by_school = by.into_values().collect();
    c.by_school.sort_by(|a, b| b.cost_pence.cmp(&a.cost_pence).then(a.school.cmp(&b.school)));
    c
}

fn groups(i: &ImpactInputs, key: impl Fn(&ClosedFacts) -> (String, Option<i64>)) -> Vec<Group> {
    let mut by: BTreeMap<String, Group> = BTreeMap::new();
    for x in &i.closed {
        let (name, leader_id) = key(x);
        let g = by.entry(name.clone()).or_insert_with(|| Group { name, leader_id, ..Group::default() });
        g.contracts += 1;
        match x.outcome {
            Outcome::Met => g.met += 1,
            Outcome::PartlyMet => g.partly_met += 1,
            Outcome::NotMet => g.not_met += 1,
            Outcome::Open => {}
        }
        if x.kind == CloseKind::Terminated {
            g.terminated += 1;
        }
        g.criteria_met +=
            i.criteria.iter().filter(|k| k.contract_id == x.contract_id && k.outcome == Outcome::Met).count() as i64;
        g.cost_pence += x.cost_pence();
    }
    let mut out: Vec<Group> = by.into_values().collect();
    out.sort_by(|a, b| b.contracts.cmp(&a.contracts).then(a.name.cmp(&b.name)));
    out
}

/// Outcomes and cost by system leader (a leader's name with their id, so two of the same name
/// stay apart).
pub fn by_leader(i: &ImpactInputs) -> Vec<Group> {
    groups(i, |x| (format!("{}\u{0}{}", x.leader_name, x.leader_id), Some(x.leader_id)))
        .into_iter()
        .map(|mut g| {
            g.name = g.name.split('\u{0}').next().unwrap_or_default().to_string();
            g
        })
        .collect()
}

/// Outcomes and cost by focus (as typed, compared without case or surrounding space).
pub fn by_focus(i: &ImpactInputs) -> Vec<Group> {
    let mut shown: BTreeMap<String, String> = BTreeMap::new();
    for x in &i.closed {
        shown.entry(x.focus.trim().to_lowercase()).or_insert_with(|| x.focus.trim().to_string());
    }
    groups(i, |x| (x.focus.trim().to_lowercase(), None))
        .into_iter()
        .map(|mut g| {
            g.name = shown.get(&g.name).cloned().unwrap_or(g.name);
            g
        })
        .collect()
}

/// Outcomes and cost by funding stream.
pub fn by_stream(i: &ImpactInputs) -> Vec<Group> {
    groups(i, |x| (x.stream.clone(), None))
}

/// The whole report.
pub fn impact(i: &ImpactInputs) -> Impact {
    Impact {
        criteria: criteria_counts(i),
        contracts: contract_counts(i),
        schools: school_movement(i),
        cost: cost(i),
        by_leader: by_leader(i),
        by_focus: by_focus(i),
        by_stream: by_stream(i),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::AcademicYear;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[allow(clippy::too_many_arguments)]
    fn closed(
        id: i64,
        school: i64,
        leader: i64,
        focus: &str,
        stream: &str,
        kind: CloseKind,
        outcome: Outcome,
        days: f64,
        rate: i64,
    ) -> ClosedFacts {
        ClosedFacts {
            contract_id: id,
            school_id: school,
            school_name: format!("School {school}"),
            leader_id: leader,
            leader_name: format!("Leader {leader}"),
            focus: focus.into(),
            stream: stream.into(),
            kind,
            outcome,
            closed_on: day("2026-07-10"),
            delivered_days: days,
            day_rate_pence: rate,
        }
    }

    fn crit(contract: i64, outcome: Outcome, measure: &str, b: Option<f64>, a: Option<f64>) -> CriterionFacts {
        CriterionFacts {
            contract_id: contract,
            text: "x".into(),
            outcome,
            measure: measure.into(),
            baseline: b,
            actual: a,
        }
    }

    fn insp(on: &str, outcome: &str, grade: Option<i64>) -> Option<InspectionPoint> {
        Some(InspectionPoint { inspected_on: day(on), outcome: outcome.into(), grade })
    }

    /// Three contracts at two schools, worked by hand:
    /// - #1 school 1, leader 1, "Maths", grant: completed, met; 10 days × £400 = £4,000;
    ///   criteria met, met, partly met.
    /// - #2 school 1, leader 2, "maths ", no stream: completed, partly met; 4.5 × £350 = £1,575;
    ///   criteria met, not met.
    /// - #3 school 2, leader 1, "Leadership", grant: terminated, not met; 3 × £550 = £1,650;
    ///   criteria not met, open.
    fn fixture() -> ImpactInputs {
        use CloseKind::*;
        use Outcome::*;
        ImpactInputs {
            year: AcademicYear::containing(day("2026-07-10"), 9),
            closed: vec![
                closed(1, 1, 1, "Maths", "Grant", Completed, Met, 10.0, 40_000),
                closed(2, 1, 2, "maths ", "not allocated", Completed, PartlyMet, 4.5, 35_000),
                closed(3, 2, 1, "Leadership", "Grant", Terminated, NotMet, 3.0, 55_000),
            ],
            criteria: vec![
                crit(1, Met, "PTRWM_EXP", Some(60.0), Some(71.0)),
                crit(1, Met, "", Some(1.0), Some(2.0)),
                crit(1, PartlyMet, "% Y1 phonics check", Some(70.0), None),
                crit(2, Met, "", None, None),
                crit(2, NotMet, "PERCTOT", Some(7.5), Some(6.25)),
                crit(3, NotMet, "", None, None),
                crit(3, Open, "", None, None),
            ],
            schools: vec![
                SchoolBeforeNow {
                    school_id: 1,
                    name: "School 1".into(),
                    category_before: Category::C,
                    category_now: Category::B,
                    inspection_before: insp("2024-03-01", "Requires improvement", Some(3)),
                    inspection_now: insp("2026-06-01", "Good", Some(2)),
                },
                SchoolBeforeNow {
                    school_id: 2,
                    name: "School 2".into(),
                    category_before: Category::B,
                    category_now: Category::D,
                    inspection_before: insp("2023-01-01", "Good", Some(2)),
                    inspection_now: insp("2023-01-01", "Good", Some(2)),
                },
            ],
        }
    }

    #[test]
    fn criteria_are_counted_by_outcome() {
        assert_eq!(criteria_counts(&fixture()), CriteriaCounts { open: 1, met: 3, partly_met: 1, not_met: 2 });
    }

    #[test]
    fn contracts_are_counted_by_outcome_and_terminations_apart() {
        assert_eq!(
            contract_counts(&fixture()),
            ContractCounts { closed: 3, met: 1, partly_met: 1, not_met: 1, terminated: 1 }
        );
    }

    #[test]
    fn cost_is_delivered_days_times_rate_shared_by_school_and_criterion_met() {
        let c = cost(&fixture());
        // £4,000 + £1,575 + £1,650 = £7,225; 2 schools; 3 criteria met.
        assert_eq!(c.total_pence, 722_500);
        assert_eq!(c.delivered_days, 17.5);
        assert_eq!(c.per_school_pence, Some(361_250));
        assert_eq!(c.per_criterion_met_pence, Some(240_833)); // 722,500 / 3 = 240,833.3
        assert_eq!(c.by_school[0].school_id, 1);
        assert_eq!(c.by_school[0].cost_pence, 557_500);
        assert_eq!(c.by_school[1].cost_pence, 165_000);
        let none = ImpactInputs { closed: vec![], criteria: vec![], schools: vec![], ..fixture() };
        assert_eq!(cost(&none).per_school_pence, None);
        assert_eq!(cost(&none).per_criterion_met_pence, None);
    }

    #[test]
    fn schools_move_by_category_and_inspection_and_named_measures_change() {
        let s = school_movement(&fixture());
        assert_eq!((s.supported, s.category_improved, s.category_same, s.category_worse), (2, 1, 0, 1));
        assert_eq!(s.inspected_since, 1);
        assert_eq!(s.list[0].inspection, "improved");
        assert_eq!(s.list[0].inspection_since, "Good");
        assert_eq!(s.list[1].inspection, "not inspected");
        // Only criteria naming a measure with both a baseline and an actual.
        assert_eq!(s.measures.len(), 2);
        assert_eq!(s.measures[0].change, 11.0);
        assert_eq!(s.measures[1].measure, "PERCTOT");
        assert_eq!(s.measures[1].change, -1.25);
    }

    #[test]
    fn groups_by_leader_focus_and_stream() {
        let f = fixture();
        let l = by_leader(&f);
        assert_eq!(l[0].name, "Leader 1");
        assert_eq!(l[0].leader_id, Some(1));
        assert_eq!((l[0].contracts, l[0].met, l[0].not_met, l[0].terminated), (2, 1, 1, 1));
        assert_eq!(l[0].criteria_met, 2);
        assert_eq!(l[0].cost_pence, 565_000);
        assert_eq!((l[1].name.as_str(), l[1].contracts, l[1].cost_pence), ("Leader 2", 1, 157_500));
        let focus = by_focus(&f);
        // "Maths" and "maths " are one focus.
        assert_eq!((focus[0].name.as_str(), focus[0].contracts, focus[0].criteria_met), ("Maths", 2, 3));
        assert_eq!((focus[1].name.as_str(), focus[1].contracts), ("Leadership", 1));
        let s = by_stream(&f);
        assert_eq!((s[0].name.as_str(), s[0].contracts, s[0].cost_pence), ("Grant", 2, 565_000));
        assert_eq!((s[1].name.as_str(), s[1].partly_met, s[1].cost_pence), ("not allocated", 1, 157_500));
    }
}
