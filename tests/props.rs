//! Property tests: whatever a person (or a pasted document) types into a date, money or days
//! field, whatever a record holds when it reaches a validator, and whatever text the shared
//! file holds when it is drawn — nothing panics; what is parsed and formatted reads back the
//! same; and what is made safe for a terminal has no control characters left.

use alliance::cli::{json_for_terminal, printable};
use alliance::domain::dates::plausible;
use alliance::domain::money::{MAX_PENCE, MAX_VISIT_DAYS, fmt_days, fmt_pence, parse_days, parse_pence};
use alliance::domain::validate;
use alliance::domain::*;
use alliance::tui::table::{clean, unsafe_for_terminal};
use chrono::{Datelike, Duration, NaiveDate};
use proptest::prelude::*;

/// Any day a clock (or `--today`) can produce: the years `--today` can be typed with.
fn any_today() -> impl Strategy<Value = NaiveDate> {
    (1i32..=9999, 1u32..=366).prop_map(|(y, doy)| {
        NaiveDate::from_yo_opt(y, doy).or_else(|| NaiveDate::from_yo_opt(y, 365)).expect("a day of the year")
    })
}

/// A date in the span real records use.
fn any_date() -> impl Strategy<Value = NaiveDate> {
    (1900i32..=2200, 1u32..=366)
        .prop_map(|(y, doy)| NaiveDate::from_yo_opt(y, doy).or_else(|| NaiveDate::from_yo_opt(y, 365)).expect("day"))
}

/// Text shaped like what is typed into a date field, and arbitrary text.
fn date_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[+-]{0,2} ?[0-9]{0,25}",
        "[+-][+-]?[0-9]{1,20}",
        "[0-9]{1,5}[/.-][0-9]{1,5}([/.-][0-9]{0,6})?",
        "[0-9]{4}-[0-9]{1,3}-[0-9]{1,3}",
        "(today|yesterday|tomorrow|t|y|TODAY)[ ]?",
        "[0-9½.,£ -]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn parse_date_never_panics(input in date_like(), today in any_today()) {
        let _ = parse_date(&input, today);
    }

    /// A plausible date (2000 onwards, at most five years ahead) round-trips; any other is
    /// refused, never taken for another date.
    #[test]
    fn iso_and_uk_dates_round_trip(d in any_date(), today in any_today()) {
        let want = plausible(d, today).map_err(|_| ());
        let got = |s: String| parse_date(&s, today).map_err(|_| ());
        prop_assert_eq!(got(d.format("%Y-%m-%d").to_string()), want);
        prop_assert_eq!(got(d.format("%d/%m/%Y").to_string()), want);
        prop_assert_eq!(got(format!(" {} ", d.format("%-d/%-m/%Y"))), want);
    }

    #[test]
    fn relative_days_are_exact(n in 0i64..=3660, today in any_date()) {
        let check = |typed: String, d: NaiveDate| parse_date(&typed, today).map_err(|_| ()) == plausible(d, today).map_err(|_| ());
        let (ago, ahead) = (format!("-{}", n), format!("+{}", n));
        let (back, forward) = (check(ago, today - Duration::days(n)), check(ahead, today + Duration::days(n)));
        prop_assert!(back && forward);
    }

    #[test]
    fn a_day_and_month_without_a_year_is_the_nearest_such_day(d in any_date()) {
        let today = d + Duration::days(40);
        let typed = d.format("%d/%m").to_string();
        let got = parse_date(&typed, today);
        // 29 Feb picks the nearest leap year's; every other day is d itself (40 days back),
        // unless it is before 2000 (refused).
        if !(d.month() == 2 && d.day() == 29) {
            prop_assert_eq!(got.map_err(|_| ()), plausible(d, today).map_err(|_| ()));
        }
    }

    #[test]
    fn a_parsed_date_is_never_far_from_what_was_typed(input in date_like(), today in any_date()) {
        if let Ok(d) = parse_date(&input, today) {
            // Relative forms are capped at ten years; typed years are four digits (or 20YY).
            let relative = input.trim().starts_with(['+', '-']);
            if relative {
                prop_assert!((d - today).num_days().abs() <= 3660, "{input:?} → {d}");
            }
            prop_assert!((0..=9999).contains(&d.year()), "{input:?} → {d}");
        }
    }

    #[test]
    fn money_never_panics(input in prop_oneof![any::<String>(), "[£ ,.0-9-]{0,30}"]) {
        if let Ok(p) = parse_pence(&input) {
            prop_assert!((0..=MAX_PENCE).contains(&p), "{input:?} → {p}");
        }
    }

    #[test]
    fn money_round_trips(p in 0i64..=MAX_PENCE) {
        prop_assert_eq!(parse_pence(&fmt_pence(p)), Ok(p));
    }

    #[test]
    fn days_never_panic(input in prop_oneof![any::<String>(), "[0-9½. a-z-]{0,16}"]) {
        if let Ok(d) = parse_days(&input) {
            prop_assert!(d > 0.0 && d.is_finite() && (d * 2.0).fract() == 0.0, "{input:?} → {d}");
        }
    }

    #[test]
    fn days_round_trip(halves in 1u32..=(MAX_VISIT_DAYS as u32 * 2 * 20)) {
        let d = f64::from(halves) / 2.0;
        prop_assert_eq!(parse_days(&fmt_days(d)), Ok(d));
    }

    #[test]
    fn validators_never_panic(
        text in any::<String>(),
        number in prop_oneof![any::<f64>(), Just(f64::NAN), Just(f64::INFINITY), Just(-0.5), 0.0..400.0],
        pence in any::<i64>(),
        count in any::<Option<i64>>(),
        start in any_date(),
        end in any_date(),
        today in any_date(),
    ) {
        let school = School {
            id: 0, urn: count, name: text.clone(), phase: Phase::Primary, school_type: text.clone(),
            la_name: text.clone(), postcode: text.clone(), pupils: count, trust: text.clone(),
            headteacher: text.clone(), member: true, category: Category::B, notes: text.clone(),
            religious_character: String::new(), diocese: String::new(), trust_code: String::new(), closed_on: None,
            stamp: Stamp::default(),
        };
        let _ = validate::school(&school);
        let leader = Leader {
            id: 0, name: text.clone(), designation: Designation::Nle, home_school_id: count,
            specialisms: text.clone(), days_per_year: number, day_rate_pence: pence, email: text.clone(),
            phone: text.clone(), active: true, stamp: Stamp::default(),
        };
        let _ = validate::leader(&leader);
        let contract = Contract {
            id: 0, school_id: 1, leader_id: 1, focus: text.clone(), aims: text.clone(),
            success_criteria: text.clone(), start_on: start, end_on: end, days_commissioned: number,
            day_rate_pence: pence, funding: text.clone(), funding_stream_id: count,
            status: ContractStatus::Active, stamp: Stamp::default(),
        };
        for before in [None, Some(ContractStatus::Proposed), Some(ContractStatus::Completed)] {
            let _ = validate::contract(&contract, before);
        }
        let visit = Visit {
            id: 0, contract_id: 1, leader_id: 1, visited_on: start, days: number, activity: Activity::Coaching,
            notes: text.clone(), next_steps: text.clone(), stamp: Stamp::default(),
        };
        let _ = validate::visit(&visit, Some(&contract), today);
        let _ = validate::visit(&visit, None, today);
        let review = Review {
            id: 0, contract_id: 1, reviewed_on: start, rag: Rag::Amber, summary: text.clone(),
            next_review_on: Some(end), escalate: false, stamp: Stamp::default(),
        };
        let _ = validate::review(&review, today);
        let decision = Decision {
            id: 0, meeting_id: 1, school_id: count, contract_id: None, kind: DecisionKind::Monitor, category: None,
            text: text.clone(), owner: text, due_on: Some(end), done: false, stamp: Stamp::default(),
        };
        let _ = validate::decision(&decision);
    }

    #[test]
    fn clean_leaves_nothing_a_terminal_would_obey(s in any::<String>()) {
        let c = clean(&s);
        prop_assert!(!c.chars().any(unsafe_for_terminal), "{:?}", c);
        prop_assert_eq!(c.chars().count(), s.chars().count(), "one character for one");
        prop_assert_eq!(clean(&c), c.clone(), "idempotent");
        if !s.chars().any(unsafe_for_terminal) {
            prop_assert_eq!(c, s, "safe text is drawn as it is");
        }
    }

    #[test]
    fn messages_and_json_are_terminal_safe(s in any::<String>()) {
        prop_assert!(!printable(&s).chars().any(unsafe_for_terminal));
        let doc = serde_json::json!({"name": s, "list": [s.clone()]});
        let text = json_for_terminal(&serde_json::to_string_pretty(&doc).expect("json"));
        prop_assert!(!text.chars().any(|c| c != '\n' && unsafe_for_terminal(c)));
        let back: serde_json::Value = serde_json::from_str(&text).expect("still JSON");
        prop_assert_eq!(back, doc, "the same value");
    }
}

#[test]
fn signs_in_relative_dates_are_not_doubled() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    for typed in ["+-5", "--5", "-+5", "+-9223372036854775808", "--9223372036854775808", "+ -3"] {
        assert!(parse_date(typed, today).is_err(), "{typed:?} is not a date");
    }
}
