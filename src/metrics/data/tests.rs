//! Edge tests of every data trigger: each fires at its threshold and not a step below it, and
//! never on suppressed (coded) data; severities combine as DESIGN §5 and issue 14 say.

use super::*;
use crate::domain::Category;
use crate::domain::measures::fmt_value;
use crate::metrics::fixtures::{inputs, school};
use crate::metrics::{AlertKind, Status, compute};

fn p(year: &str, v: &str) -> Point {
    match v.parse::<f64>() {
        Ok(n) => Point { year: year.into(), value: Some(n), status: "ok".into() },
        Err(_) => Point { year: year.into(), value: None, status: v.into() },
    }
}

/// School 1 in LA 879 with `series`; comparators as (area, measure, year, value).
fn facts(series: &[(&str, &[(&str, &str)])], comparators: &[(&str, &str, &str, &str)]) -> DataFacts {
    let mut d = DataFacts::default();
    let mut s = SchoolData { la_code: "879".into(), ..SchoolData::default() };
    for (code, points) in series {
        s.series.insert((*code).into(), points.iter().map(|(y, v)| p(y, v)).collect());
    }
    d.schools.insert(1, s);
    for (area, m, y, v) in comparators {
        d.comparators.insert((area.to_string(), m.to_string(), y.to_string()), p(y, v));
    }
    d
}

fn today() -> NaiveDate {
    crate::metrics::fixtures::today()
}

fn run(d: &DataFacts) -> Option<DataConcern> {
    triggers_for("Cherrybrook Primary School", 1, d, None, &Settings::default(), today())
}

fn kinds(c: &Option<DataConcern>) -> Vec<TriggerKind> {
    c.as_ref().map(|c| c.triggers.iter().map(|t| t.kind).collect()).unwrap_or_default()
}

const LA: &str = "la:879";

#[test]
fn rwm_gap_to_the_la_fires_at_ten_points_not_nine() {
    let at = facts(&[("PTRWM_EXP", &[("2024/25", "52")])], &[(LA, "PTRWM_EXP", "2024/25", "62")]);
    let c = run(&at);
    assert_eq!(kinds(&c), vec![TriggerKind::BelowLa]);
    let c = c.expect("fires");
    assert_eq!(c.severity, Severity::Medium, "a gap to the LA is medium");
    assert!(c.message.starts_with("Cherrybrook Primary School: RWM expected 52% in 2024/25, LA 62%"), "{}", c.message);
    let below = facts(&[("PTRWM_EXP", &[("2024/25", "53")])], &[(LA, "PTRWM_EXP", "2024/25", "62")]);
    assert_eq!(run(&below), None);
    let supp = facts(&[("PTRWM_EXP", &[("2024/25", "SUPP")])], &[(LA, "PTRWM_EXP", "2024/25", "62")]);
    assert_eq!(run(&supp), None, "never on a suppressed school figure");
    let la_supp = facts(&[("PTRWM_EXP", &[("2024/25", "40")])], &[(LA, "PTRWM_EXP", "2024/25", "x")]);
    assert_eq!(run(&la_supp), None, "never against a coded comparator");
}

#[test]
fn two_year_fall_fires_at_fifteen_points_not_fourteen() {
    let at = facts(&[("PTRWM_EXP", &[("2022/23", "63"), ("2023/24", "55"), ("2024/25", "48")])], &[]);
    let c = run(&at);
    assert_eq!(kinds(&c), vec![TriggerKind::TwoYearFall]);
    let c = c.expect("fires");
    assert_eq!(c.severity, Severity::Medium);
    assert!(c.message.ends_with("RWM expected 48% in 2024/25; 63% two years ago"), "{}", c.message);
    let below = facts(&[("PTRWM_EXP", &[("2022/23", "63"), ("2024/25", "49")])], &[]);
    assert_eq!(run(&below), None);
    let supp = facts(&[("PTRWM_EXP", &[("2022/23", "SUPP"), ("2024/25", "20")])], &[]);
    assert_eq!(run(&supp), None, "a suppressed earlier year is no fall");
    let latest_supp = facts(&[("PTRWM_EXP", &[("2022/23", "80"), ("2023/24", "40"), ("2024/25", "SUPP")])], &[]);
    assert_eq!(run(&latest_supp), None, "a suppressed latest year never falls back on older figures");
    // KS4 English & maths 4+ too.
    let ks4 = facts(&[("PTL2BASICS_94", &[("2022/23", "66"), ("2024/25", "51")])], &[]);
    assert_eq!(kinds(&run(&ks4)), vec![TriggerKind::TwoYearFall]);
    let ks4_below = facts(&[("PTL2BASICS_94", &[("2022/23", "65.9"), ("2024/25", "51")])], &[]);
    assert_eq!(run(&ks4_below), None);
}

#[test]
fn gap_and_fall_together_are_high_and_make_the_school_concern() {
    let d = facts(
        &[("PTRWM_EXP", &[("2022/23", "63"), ("2023/24", "55"), ("2024/25", "48")])],
        &[(LA, "PTRWM_EXP", "2024/25", "62"), ("england", "PTRWM_EXP", "2024/25", "61")],
    );
    let c = run(&d).expect("fires");
    assert_eq!(c.severity, Severity::High);
    assert_eq!(
        c.message, "Cherrybrook Primary School: RWM expected 48% in 2024/25, LA 62%, England 61%; 63% two years ago",
        "one sentence with every figure, told once"
    );
    let mut i = inputs(vec![], vec![], vec![school(1, Category::A)]);
    i.data = d;
    let snap = compute(&i);
    let a = snap.alerts.iter().find(|a| a.kind == AlertKind::DataConcern).expect("alert");
    assert_eq!((a.severity, a.school_id), (Severity::High, Some(1)));
    assert_eq!(snap.schools[0].status, Status::Concern, "a high data trigger makes the school concern");
    assert_eq!(snap.schools[0].headline, None, "status leaves the headline to the list that shows it");
    let mut schools = snap.schools.clone();
    crate::metrics::status::fill_headlines(&mut schools, &i.data);
    assert_eq!(schools[0].headline.as_deref(), Some("RWM 48% ↓15"));
}

#[test]
fn a_medium_or_low_trigger_makes_the_school_watch() {
    let mut i = inputs(vec![], vec![], vec![school(1, Category::A)]);
    i.data = facts(&[("PTRWM_EXP", &[("2024/25", "50")])], &[(LA, "PTRWM_EXP", "2024/25", "62")]);
    let snap = compute(&i);
    assert_eq!(snap.schools[0].status, Status::Watch);
}

#[test]
fn progress_8_below_the_line_fires_only_when_published() {
    let at = facts(&[("P8MEA", &[("2023/24", "-0.51")])], &[]);
    let c = run(&at);
    assert_eq!(kinds(&c), vec![TriggerKind::LowProgress8]);
    assert_eq!(c.expect("fires").severity, Severity::Low, "one measure in one year is low");
    assert_eq!(run(&facts(&[("P8MEA", &[("2023/24", "-0.50")])], &[])), None, "at -0.50 it is not below -0.5");
    assert_eq!(run(&facts(&[("P8MEA", &[("2023/24", "SUPP")])], &[])), None);
    // Not published for 2024/25: whatever a file holds for that year is not read.
    assert_eq!(run(&facts(&[("P8MEA", &[("2024/25", "-0.9")])], &[])), None);
}

#[test]
fn absence_above_england_fires_at_five_points() {
    for code in ["PERCTOT", "PPERSABS10"] {
        let at = facts(&[(code, &[("2024/25", "11.9")])], &[("england", code, "2024/25", "6.9")]);
        let c = run(&at);
        assert_eq!(kinds(&c), vec![TriggerKind::Absence], "{code}");
        assert_eq!(c.expect("fires").severity, Severity::Low);
        let below = facts(&[(code, &[("2024/25", "11.8")])], &[("england", code, "2024/25", "6.9")]);
        assert_eq!(run(&below), None, "{code}");
        let supp = facts(&[(code, &[("2024/25", "x")])], &[("england", code, "2024/25", "6.9")]);
        assert_eq!(run(&supp), None, "{code}");
        let other_year = facts(&[(code, &[("2024/25", "20")])], &[("england", code, "2023/24", "6.9")]);
        assert_eq!(run(&other_year), None, "compared with England the same year only");
    }
}

#[test]
fn results_and_absence_together_are_high() {
    let d = facts(
        &[("P8MEA", &[("2023/24", "-0.8")]), ("PERCTOT", &[("2023/24", "12")])],
        &[("england", "PERCTOT", "2023/24", "6.9")],
    );
    assert_eq!(run(&d).expect("fires").severity, Severity::High, "two areas");
}

#[test]
fn fsm_rising_with_results_falling_fires_at_five_points() {
    let results: (&str, &[(&str, &str)]) = ("PTRWM_EXP", &[("2022/23", "60"), ("2024/25", "57")]);
    let at = facts(&[results, ("PNUMFSMEVER", &[("2022/23", "30"), ("2024/25", "35")])], &[]);
    let c = run(&at);
    assert_eq!(kinds(&c), vec![TriggerKind::FsmRisingResultsFalling]);
    assert_eq!(c.expect("fires").severity, Severity::Medium);
    let below = facts(&[results, ("PNUMFSMEVER", &[("2022/23", "30"), ("2024/25", "34.9")])], &[]);
    assert_eq!(run(&below), None);
    let rising: (&str, &[(&str, &str)]) = ("PTRWM_EXP", &[("2022/23", "57"), ("2024/25", "60")]);
    let not_falling = facts(&[rising, ("PNUMFSMEVER", &[("2022/23", "30"), ("2024/25", "40")])], &[]);
    assert_eq!(run(&not_falling), None, "results did not fall");
    let supp = facts(&[results, ("PNUMFSMEVER", &[("2022/23", "SUPP"), ("2024/25", "40")])], &[]);
    assert_eq!(run(&supp), None);
}

#[test]
fn inspection_overdue_by_framework() {
    let d = facts(&[("PERCTOT", &[("2024/25", "5")])], &[]);
    let insp = |on: &str, grade: Option<i64>| InspectionFacts {
        inspected_on: NaiveDate::parse_from_str(on, "%Y-%m-%d").expect("date"),
        framework: Framework::Graded,
        outcome: grade.map_or(String::new(), |g| crate::domain::grade_word(g).to_string()),
        grade,
        areas: String::new(),
        safeguarding_met: None,
        category_of_concern: None,
    };
    let s = Settings::default();
    let fire = |i: InspectionFacts| triggers_for("X", 1, &d, Some(&i), &s, today());
    // Today is 23 Nov 2026: 60 months back is 23 Nov 2021.
    assert_eq!(fire(insp("2021-11-23", Some(2))), None, "due today is not yet overdue");
    let c = fire(insp("2021-11-22", Some(2))).expect("overdue");
    assert_eq!(c.triggers[0].kind, TriggerKind::InspectionOverdue);
    assert_eq!(c.severity, Severity::Low);
    // Requires improvement: half the interval.
    assert_eq!(fire(insp("2024-05-23", Some(3))), None);
    assert!(fire(insp("2024-05-22", Some(3))).is_some());
}

#[test]
fn no_data_no_trigger() {
    assert_eq!(triggers_for("X", 2, &DataFacts::default(), None, &Settings::default(), today()), None);
}

#[test]
fn trends_show_not_published_years_never_zero() {
    let d = facts(
        &[
            ("READPROG", &[("2021/22", "0.4"), ("2022/23", "0.2")]),
            ("PTRWM_EXP", &[("2022/23", "60"), ("2024/25", "50")]),
        ],
        &[(LA, "PTRWM_EXP", "2024/25", "62"), ("england", "PTRWM_EXP", "2024/25", "61")],
    );
    let t = trends(&d, 1);
    let rwm = t.iter().find(|t| t.measure == "PTRWM_EXP").expect("rwm");
    // Every KS2 measure is shown over the years the school's KS2 data spans.
    assert_eq!(
        rwm.years.iter().map(|y| y.year.as_str()).collect::<Vec<_>>(),
        ["2021/22", "2022/23", "2023/24", "2024/25"]
    );
    assert_eq!(rwm.years[2].status, "no data");
    assert_eq!(rwm.years[2].value, None);
    assert_eq!((rwm.years[3].la, rwm.years[3].england), (Some(62.0), Some(61.0)));
    assert_eq!(rwm.change, Some(-10.0));
    assert_eq!(headline(&t).as_deref(), Some("RWM 50% ↓10"));
    let rp = t.iter().find(|t| t.measure == "READPROG").expect("progress");
    let shown: Vec<String> = rp.years.iter().map(|y| fmt_value("READPROG", y.value, &y.status)).collect();
    assert_eq!(shown, ["+0.40", "+0.20", "not published", "not published"], "never 0");
    let d2 = facts(&[("READPROG", &[("2022/23", "0.2"), ("2025/26", "0.1")])], &[]);
    let rp = trends(&d2, 1).into_iter().next().expect("trend");
    assert_eq!(rp.years[1].status, "not published");
    assert_eq!(rp.years[2].status, "not published");
}

#[test]
fn text_views_of_a_trend() {
    let d = facts(
        &[("PTRWM_EXP", &[("2022/23", "63"), ("2023/24", "SUPP"), ("2024/25", "48")])],
        &[(LA, "PTRWM_EXP", "2024/25", "62"), ("england", "PTRWM_EXP", "2024/25", "61")],
    );
    let t = trends(&d, 1).remove(0);
    assert_eq!(t.summary(), "63% → SUPP → 48% (2022/23–2024/25)  ↓15 · LA 62%, England 61%");
    assert_eq!(t.spark(), "█ ▁", "a suppressed year is a gap, not a low bar");
    assert_eq!(sparkline(&[Some(5.0), Some(5.0)]), "▄▄");
}

#[test]
fn the_triggers_keep_the_latest_point_and_the_one_two_years_before() {
    let years = |v: &[Point]| v.iter().map(|p| p.year.to_string()).collect::<Vec<_>>();
    let mut five = vec![p("2020/21", "1"), p("2021/22", "2"), p("2022/23", "3"), p("2023/24", "4"), p("2024/25", "5")];
    trigger_points(&mut five);
    assert_eq!(years(&five), ["2022/23", "2024/25"]);
    // A gap where two years before would be: only the latest is read.
    let mut gap = vec![p("2021/22", "SUPP"), p("2023/24", "4"), p("2024/25", "5")];
    trigger_points(&mut gap);
    assert_eq!(years(&gap), ["2024/25"]);
    let mut one = vec![p("2024/25", "5")];
    trigger_points(&mut one);
    assert_eq!(years(&one), ["2024/25"]);
    let mut none: Vec<Point> = Vec::new();
    trigger_points(&mut none);
    assert!(none.is_empty());
    // What the triggers say is the same from the kept points as from every year.
    let all = facts(
        &[(
            "PTRWM_EXP",
            &[("2020/21", "70"), ("2021/22", "66"), ("2022/23", "63"), ("2023/24", "55"), ("2024/25", "48")],
        )],
        &[(LA, "PTRWM_EXP", "2024/25", "62"), ("england", "PTRWM_EXP", "2024/25", "61")],
    );
    let mut kept = all.clone();
    for s in kept.schools.values_mut() {
        s.series.values_mut().for_each(trigger_points);
    }
    assert_ne!(kept, all);
    assert_eq!(run(&kept), run(&all));
    assert!(run(&all).is_some());
}
