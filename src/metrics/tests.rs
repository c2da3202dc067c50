//! The rules of DESIGN §5, checked against hand-computed fixtures (see `fixtures.rs`): every
//! sum, each alert on both sides of its edge, severities and order, and school status.

use super::fixtures::*;
use super::*;
use crate::domain::{Calendar, Category, ContractStatus, Framework, Rag};
use chrono::NaiveDate;

fn capacity_of(s: &Snapshot, id: i64) -> &LeaderCapacity {
    s.leaders.iter().find(|l| l.leader.id == id).expect("leader in snapshot")
}

fn progress_of(s: &Snapshot, id: i64) -> &ContractProgress {
    s.contracts.iter().find(|c| c.contract.id == id).expect("contract in snapshot")
}

fn status_of(s: &Snapshot, id: i64) -> &SchoolStatus {
    s.schools.iter().find(|x| x.school.id == id).expect("school in snapshot")
}

fn with_status(id: i64, leader_id: i64, status: ContractStatus, commissioned: f64, delivered: f64) -> ContractFacts {
    ContractFacts { status, days_commissioned: commissioned, delivered, ..contract(id, 1, leader_id) }
}

// ---------------------------------------------------------------- capacity

#[test]
fn fixtures_are_quiet() {
    let s = one_contract(contract(1, 1, 1));
    assert!(s.alerts.is_empty(), "{:?}", s.alerts);
    assert_eq!(s.schools[0].status, Status::Ok);
    assert!(s.schools[0].reasons.is_empty());
    assert!(s.contracts[0].flags.is_empty());
}

#[test]
fn leader_sums_by_hand() {
    // Leader 1: 15 days a year, 3.5 delivered this year.
    // active  6 commissioned, 2.5 delivered → 3.5 committed
    // paused  4 commissioned, 0.5 delivered → 3.5 committed (paused still commits)
    // completed / terminated                → nothing
    // proposed 3.5 + 2                      → pipeline 5.5, not committed
    // leader 2's contract                   → not leader 1's
    let l1 = LeaderFacts { delivered_in_year: 3.5, ..leader(1, 15.0) };
    let contracts = vec![
        with_status(1, 1, ContractStatus::Active, 6.0, 2.5),
        with_status(2, 1, ContractStatus::Paused, 4.0, 0.5),
        with_status(3, 1, ContractStatus::Completed, 10.0, 1.0),
        with_status(4, 1, ContractStatus::Terminated, 5.0, 0.0),
        with_status(5, 1, ContractStatus::Proposed, 3.5, 0.0),
        with_status(6, 1, ContractStatus::Proposed, 2.0, 0.0),
        with_status(7, 2, ContractStatus::Active, 8.0, 0.0),
    ];
    let l = leader_capacity(&l1, &contracts);
    assert_eq!(l.capacity, 15.0);
    assert_eq!(l.delivered, 3.5);
    assert_eq!(l.committed, 7.0);
    assert_eq!(l.available, 4.5);
    assert_eq!(l.utilisation, Some(10.5 / 15.0));
    assert_eq!(l.pipeline, 5.5);
    assert_eq!(l.live_contracts, 2);
    assert!(!l.over_capacity());
}

#[test]
fn half_days_add_up_exactly() {
    let l1 = LeaderFacts { delivered_in_year: 0.5 + 0.5 + 1.5, ..leader(1, 7.5) };
    let contracts = vec![
        with_status(1, 1, ContractStatus::Active, 2.5, 0.5),
        with_status(2, 1, ContractStatus::Active, 1.5, 1.0),
        with_status(3, 1, ContractStatus::Proposed, 0.5, 0.0),
    ];
    let l = leader_capacity(&l1, &contracts);
    assert_eq!((l.delivered, l.committed, l.available, l.pipeline), (2.5, 2.5, 2.5, 0.5));
    assert_eq!(l.utilisation, Some(5.0 / 7.5));
}

#[test]
fn leader_with_no_contracts() {
    let l = leader_capacity(&leader(9, 15.0), &[contract(1, 1, 1)]);
    assert_eq!((l.capacity, l.delivered, l.committed, l.available, l.pipeline), (15.0, 0.0, 0.0, 15.0, 0.0));
    assert_eq!(l.utilisation, Some(0.0));
    assert_eq!(l.live_contracts, 0);
}

#[test]
fn committed_never_negative_when_delivered_exceeds_commissioned() {
    // 5.5 delivered of 4 commissioned must commit 0, not −1.5 taken off the other contract's 2.
    let contracts =
        vec![with_status(1, 1, ContractStatus::Active, 4.0, 5.5), with_status(2, 1, ContractStatus::Active, 3.0, 1.0)];
    let l = leader_capacity(&leader(1, 15.0), &contracts);
    assert_eq!(l.committed, 2.0);
    let s = compute(&inputs(vec![leader(1, 15.0)], contracts, vec![school(1, Category::A)]));
    assert_eq!(progress_of(&s, 1).remaining, 0.0);
    assert_eq!(progress_of(&s, 2).remaining, 2.0);
}

#[test]
fn zero_capacity_has_no_utilisation() {
    let l = leader_capacity(&leader(1, 0.0), &[]);
    assert_eq!(l.utilisation, None);
    assert_eq!(l.available, 0.0);
    assert!(!l.over_capacity());
    // With work committed, a zero-capacity leader is over capacity (still no utilisation).
    let l = leader_capacity(&leader(1, 0.0), &[with_status(1, 1, ContractStatus::Active, 2.0, 0.0)]);
    assert_eq!(l.utilisation, None);
    assert_eq!(l.available, -2.0);
    assert!(l.over_capacity());
}

// ---------------------------------------------------------------- next review

#[test]
fn next_review_uses_latest_review_date_then_interval_then_start() {
    let set = ReviewFacts {
        reviewed_on: d(2026, 10, 1),
        rag: Rag::Amber,
        next_review_on: Some(d(2026, 12, 3)),
        escalate: false,
    };
    let c = ContractFacts { latest_review: Some(set.clone()), ..contract(1, 1, 1) };
    let weekdays = Calendar::default();
    assert_eq!(next_review_on(&c, 30, &weekdays), d(2026, 12, 3));

    let unset = ReviewFacts { next_review_on: None, ..set.clone() };
    let c = ContractFacts { latest_review: Some(unset), ..contract(1, 1, 1) };
    assert_eq!(next_review_on(&c, 30, &weekdays), d(2026, 11, 12)); // Thu 1 Oct + 30 school days

    let c = ContractFacts { latest_review: None, start_on: d(2026, 9, 7), ..contract(1, 1, 1) };
    assert_eq!(next_review_on(&c, 30, &weekdays), d(2026, 10, 19)); // Mon 7 Sep + 30 school days
    assert_eq!(next_review_on(&c, 20, &weekdays), d(2026, 10, 5));

    // A date set on a Saturday, or in a holiday, is due on the next school day.
    let sat = ReviewFacts { next_review_on: Some(d(2026, 12, 5)), ..set.clone() };
    let c = ContractFacts { latest_review: Some(sat), ..contract(1, 1, 1) };
    assert_eq!(next_review_on(&c, 30, &weekdays), d(2026, 12, 7));
    let august = ReviewFacts { next_review_on: Some(d(2026, 8, 12)), ..set };
    let c = ContractFacts { latest_review: Some(august), ..contract(1, 1, 1) };
    assert_eq!(next_review_on(&c, 30, &terms()), d(2026, 9, 3), "the first day of the autumn term");
    // The interval counts school days only: 10 before the half term, 20 after it.
    let c = ContractFacts { latest_review: None, start_on: d(2026, 10, 9), ..contract(1, 1, 1) };
    assert_eq!(next_review_on(&c, 30, &terms()), d(2026, 11, 27));
}

/// 2025/26 and 2026/27 as the sample carries them (terms, half terms as closures).
fn terms() -> Calendar {
    use crate::domain::{Stamp, Term, TermKind};
    let row = |a: (i32, u32, u32), b: (i32, u32, u32), kind| Term {
        id: 0,
        starts_on: d(a.0, a.1, a.2),
        ends_on: d(b.0, b.1, b.2),
        label: String::new(),
        kind,
        stamp: Stamp::default(),
    };
    use TermKind::{Closure, Term as T};
    Calendar::new(
        &[
            row((2025, 9, 3), (2025, 12, 19), T),
            row((2025, 10, 27), (2025, 10, 31), Closure),
            row((2026, 1, 5), (2026, 3, 27), T),
            row((2026, 2, 16), (2026, 2, 20), Closure),
            row((2026, 4, 13), (2026, 7, 17), T),
            row((2026, 5, 25), (2026, 5, 29), Closure),
            row((2026, 9, 3), (2026, 12, 18), T),
            row((2026, 10, 26), (2026, 10, 30), Closure),
            row((2027, 1, 4), (2027, 3, 26), T),
            row((2027, 2, 15), (2027, 2, 19), Closure),
            row((2027, 4, 12), (2027, 7, 21), T),
            row((2027, 5, 31), (2027, 6, 4), Closure),
        ],
        9,
    )
}

/// The alerts of one contract on `on`, counting school days with the sample's term dates.
fn in_term_time(c: ContractFacts, on: NaiveDate) -> Snapshot {
    let mut i = inputs(
        vec![leader(1, 15.0)],
        vec![ContractFacts { end_on: d(2027, 7, 21), ..c }],
        vec![school(1, Category::A)],
    );
    i.today = on;
    i.calendar = terms();
    compute(&i)
}

#[test]
fn nothing_becomes_overdue_in_the_summer_holiday() {
    let last_day = d(2026, 7, 17);
    let first_day = d(2026, 9, 3);
    // Visited and reviewed a week before the end of the summer term.
    let r = ReviewFacts { reviewed_on: d(2026, 7, 10), next_review_on: None, ..review(Rag::Green) };
    let c = ContractFacts {
        start_on: d(2026, 4, 13),
        last_visit: Some(d(2026, 7, 10)),
        latest_review: Some(r),
        ..contract(1, 1, 1)
    };
    for on in [last_day, d(2026, 8, 3), d(2026, 8, 28), first_day, d(2026, 9, 10)] {
        assert!(kinds(&in_term_time(c.clone(), on)).is_empty(), "{on}: {:?}", in_term_time(c.clone(), on).alerts);
    }
    // The same quiet spell counted in calendar days would have fired by August: 20 school days
    // after 10 Jul are 5 in July and 15 in September.
    let s = in_term_time(c.clone(), d(2026, 9, 23));
    assert!(kinds(&s).is_empty(), "{:?}", s.alerts);
    let s = in_term_time(c.clone(), d(2026, 9, 24));
    assert_eq!(kinds(&s), vec![AlertKind::NoRecentVisit]);
    assert!(s.alerts[0].message.contains("last visit 10 Jul 2026 (21 school days ago)"), "{}", s.alerts[0].message);
    // Due 30 school days after 10 Jul: 5 in July, then 25 from 3 Sep — Wed 7 Oct.
    assert_eq!(s.contracts[0].next_review_on, Some(d(2026, 10, 7)));
}

#[test]
fn a_review_due_in_a_holiday_is_due_on_the_next_school_day() {
    let r = ReviewFacts { next_review_on: Some(d(2026, 10, 27)), ..review(Rag::Green) };
    let c = ContractFacts { latest_review: Some(r), last_visit: Some(d(2026, 10, 23)), ..contract(1, 1, 1) };
    // Half term 26–30 Oct: due Mon 2 Nov, overdue from Tue 3 Nov.
    assert!(kinds(&in_term_time(c.clone(), d(2026, 10, 30))).is_empty());
    assert!(kinds(&in_term_time(c.clone(), d(2026, 11, 2))).is_empty());
    let s = in_term_time(c, d(2026, 11, 3));
    assert_eq!(kinds(&s), vec![AlertKind::ReviewOverdue]);
    assert!(s.alerts[0].message.contains("due 2 Nov 2026 (1 school day ago)"), "{}", s.alerts[0].message);
}

#[test]
fn a_year_without_term_dates_counts_weekdays_and_says_so() {
    let r = ReviewFacts { reviewed_on: d(2027, 7, 14), next_review_on: None, ..review(Rag::Green) };
    let c = ContractFacts {
        start_on: d(2027, 4, 12),
        last_visit: Some(d(2027, 7, 14)),
        latest_review: Some(r),
        ..contract(1, 1, 1)
    };
    let mut i =
        inputs(vec![leader(1, 15.0)], vec![ContractFacts { end_on: d(2028, 7, 1), ..c }], vec![school(1, Category::A)]);
    i.calendar = terms();
    i.today = d(2027, 7, 21);
    assert_eq!(compute(&i).term_note, None);
    // 2027/28 has no dates: the weekdays from 1 Sep count, so the autumn still raises alerts
    // (due 30 school days after 14 Jul: 5 in July, 25 from Wed 1 Sep — Tue 5 Oct).
    i.today = d(2027, 10, 6);
    let s = compute(&i);
    assert_eq!(s.term_note.as_deref(), Some("no term dates for 2027/28"));
    assert_eq!(kinds(&s), vec![AlertKind::ReviewOverdue, AlertKind::NoRecentVisit]);
    // No terms at all: every year is missing.
    i.calendar = Calendar::default();
    assert!(compute(&i).term_note.is_some());
}

#[test]
fn progress_shows_next_review_for_live_contracts_only() {
    let live = ContractFacts { latest_review: None, start_on: day(-10), ..contract(1, 1, 1) };
    let proposed = ContractFacts { status: ContractStatus::Proposed, latest_review: None, ..contract(2, 1, 1) };
    let s = compute(&inputs(vec![leader(1, 15.0)], vec![proposed, live], vec![school(1, Category::A)]));
    assert_eq!(progress_of(&s, 1).next_review_on, Some(day(32)));
    assert_eq!(progress_of(&s, 2).next_review_on, None);
    assert_eq!(progress_of(&s, 1).days_left, 120);
    assert_eq!(progress_of(&s, 1).latest_rag, None);
    // Live first, then proposed.
    assert_eq!(s.contracts.iter().map(|c| c.contract.id).collect::<Vec<_>>(), vec![1, 2]);
}

// ---------------------------------------------------------------- alerts, edge by edge

#[test]
fn ending_soon_window_edges() {
    let ends = |n| one_contract(ContractFacts { end_on: day(n), ..contract(1, 1, 1) });

    let s = ends(0);
    assert_eq!(kinds(&s), vec![AlertKind::EndingSoon], "ending today fires");
    assert!(s.alerts[0].message.contains("ends 23 Nov 2026 (today)"), "{}", s.alerts[0].message);
    assert_eq!(s.alerts[0].severity, Severity::Low);

    let s = ends(14);
    assert_eq!(kinds(&s), vec![AlertKind::EndingSoon], "ending in exactly 14 days fires");
    assert!(s.alerts[0].message.contains("(in 14 days)"), "{}", s.alerts[0].message);
    assert_eq!(kinds(&ends(1)), vec![AlertKind::EndingSoon]);
    assert!(ends(1).alerts[0].message.contains("(in 1 day)"));

    assert!(kinds(&ends(15)).is_empty(), "15 days away is outside the window");
    assert_eq!(kinds(&ends(-1)), vec![AlertKind::PastEnd], "ended yesterday is past_end, not ending_soon");
}

#[test]
fn ending_soon_only_for_live_contracts() {
    let paused = ContractFacts { status: ContractStatus::Paused, end_on: day(3), ..contract(1, 1, 1) };
    assert_eq!(kinds(&one_contract(paused)), vec![AlertKind::EndingSoon]);
    let proposed = ContractFacts { status: ContractStatus::Proposed, end_on: day(3), ..contract(1, 1, 1) };
    assert!(kinds(&one_contract(proposed)).is_empty());
}

#[test]
fn ending_soon_follows_the_setting() {
    let c = ContractFacts { end_on: day(20), ..contract(1, 1, 1) };
    let mut i = inputs(vec![leader(1, 15.0)], vec![c], vec![school(1, Category::A)]);
    assert!(compute(&i).alerts.is_empty());
    i.settings.ending_soon_days = 21;
    assert_eq!(kinds(&compute(&i)), vec![AlertKind::EndingSoon]);
}

#[test]
fn past_end_edges() {
    let s = one_contract(ContractFacts { end_on: day(-1), ..contract(1, 1, 1) });
    let a = &of_kind(&s, AlertKind::PastEnd)[0];
    assert_eq!(a.severity, Severity::High);
    assert_eq!((a.school_id, a.contract_id, a.leader_id), (Some(1), Some(1), Some(1)));
    assert!(a.message.contains("ended 22 Nov 2026 (1 day ago) but is still active"), "{}", a.message);
    let s = one_contract(ContractFacts { end_on: day(-10), status: ContractStatus::Paused, ..contract(1, 1, 1) });
    assert!(of_kind(&s, AlertKind::PastEnd)[0].message.contains("(10 days ago) but is still paused"));
    // Proposed contracts are not live.
    let s = one_contract(ContractFacts { end_on: day(-1), status: ContractStatus::Proposed, ..contract(1, 1, 1) });
    assert!(s.alerts.is_empty());
}

#[test]
fn review_overdue_edges() {
    let due = |n| {
        let r = ReviewFacts { next_review_on: Some(day(n)), ..review(Rag::Green) };
        one_contract(ContractFacts { latest_review: Some(r), ..contract(1, 1, 1) })
    };
    let s = due(-3);
    assert_eq!(kinds(&s), vec![AlertKind::ReviewOverdue], "due on the last school day is overdue");
    assert_eq!(s.alerts[0].severity, Severity::Medium);
    assert!(s.alerts[0].message.contains("due 20 Nov 2026 (1 school day ago)"), "{}", s.alerts[0].message);
    assert!(kinds(&due(0)).is_empty(), "due today is not overdue yet");
    assert!(kinds(&due(-1)).is_empty(), "due on a Sunday is due on Monday: today");
    assert!(kinds(&due(5)).is_empty());

    // No review at all: due start + 30 school days (six weeks without holidays).
    let started = |n| one_contract(ContractFacts { latest_review: None, start_on: day(n), ..contract(1, 1, 1) });
    assert_eq!(kinds(&started(-43)), vec![AlertKind::ReviewOverdue]);
    assert!(kinds(&started(-42)).is_empty());

    // A review without a next date: due reviewed_on + 30 school days.
    let r = ReviewFacts { reviewed_on: day(-43), next_review_on: None, ..review(Rag::Green) };
    let s = one_contract(ContractFacts { latest_review: Some(r), ..contract(1, 1, 1) });
    assert_eq!(kinds(&s), vec![AlertKind::ReviewOverdue]);

    // Paused contracts are live: still reviewed.
    let r = ReviewFacts { next_review_on: Some(day(-3)), ..review(Rag::Green) };
    let s = one_contract(ContractFacts { status: ContractStatus::Paused, latest_review: Some(r), ..contract(1, 1, 1) });
    assert_eq!(kinds(&s), vec![AlertKind::ReviewOverdue]);
}

#[test]
fn red_review_and_escalated() {
    let with = |rag, escalate, status| {
        let r = ReviewFacts { escalate, ..review(rag) };
        one_contract(ContractFacts { latest_review: Some(r), status, ..contract(1, 1, 1) })
    };
    let s = with(Rag::Red, false, ContractStatus::Active);
    assert_eq!(kinds(&s), vec![AlertKind::RedReview]);
    assert_eq!(s.alerts[0].severity, Severity::High);
    assert!(
        s.alerts[0].message.contains("Red review: School 1 — Focus 1 (Leader 1), 16 Nov 2026"),
        "{}",
        s.alerts[0].message
    );

    assert!(kinds(&with(Rag::Amber, false, ContractStatus::Active)).is_empty());

    let s = with(Rag::Amber, true, ContractStatus::Paused);
    assert_eq!(kinds(&s), vec![AlertKind::Escalated]);
    assert_eq!(s.alerts[0].severity, Severity::High);

    assert_eq!(kinds(&with(Rag::Red, true, ContractStatus::Active)), vec![AlertKind::Escalated, AlertKind::RedReview]);
    // Not live: nothing.
    assert!(kinds(&with(Rag::Red, true, ContractStatus::Proposed)).is_empty());
}

#[test]
fn days_overrun_only_when_more_than_commissioned() {
    let delivered = |n| one_contract(ContractFacts { delivered: n, ..contract(1, 1, 1) });
    let s = delivered(10.5);
    assert_eq!(kinds(&s), vec![AlertKind::DaysOverrun]);
    assert_eq!(s.alerts[0].severity, Severity::Medium);
    assert!(s.alerts[0].message.contains("10.5 of 10 days delivered"), "{}", s.alerts[0].message);
    assert!(kinds(&delivered(10.0)).is_empty(), "exactly the days commissioned is not an overrun");
}

#[test]
fn no_recent_visit_edges() {
    let quiet = |status, start: i64, last: Option<i64>| {
        one_contract(ContractFacts { status, start_on: day(start), last_visit: last.map(day), ..contract(1, 1, 1) })
    };
    use ContractStatus::{Active, Paused};
    let s = quiet(Active, -61, Some(-31));
    assert_eq!(kinds(&s), vec![AlertKind::NoRecentVisit], "last visit 21 school days ago");
    assert_eq!(s.alerts[0].severity, Severity::Low);
    assert!(s.alerts[0].message.contains("last visit 23 Oct 2026 (21 school days ago)"), "{}", s.alerts[0].message);
    // Mon 26 Oct is exactly 20 school days before Mon 23 Nov; the weekend before it is 21.
    assert!(kinds(&quiet(Active, -61, Some(-28))).is_empty(), "a visit exactly 20 school days ago is recent");
    assert_eq!(kinds(&quiet(Active, -61, Some(-29))), vec![AlertKind::NoRecentVisit]);
    assert!(kinds(&quiet(Paused, -61, Some(-31))).is_empty(), "paused contracts are not expected to visit");

    // Never visited: only once the contract is more than 20 school days old.
    let s = quiet(Active, -31, None);
    assert_eq!(kinds(&s), vec![AlertKind::NoRecentVisit]);
    assert!(s.alerts[0].message.contains("no visit yet"));
    assert!(kinds(&quiet(Active, -28, None)).is_empty(), "started exactly 20 school days ago");
    assert!(kinds(&quiet(Active, -5, None)).is_empty());
}

#[test]
fn over_capacity_only_for_active_leaders() {
    // 10 days a year, 4 delivered, 6.5 still owed → −0.5 available.
    let l = LeaderFacts { delivered_in_year: 4.0, ..leader(1, 10.0) };
    let c = ContractFacts { days_commissioned: 10.0, delivered: 3.5, ..contract(1, 1, 1) };
    let s = compute(&inputs(vec![l.clone()], vec![c.clone()], vec![school(1, Category::A)]));
    assert_eq!(kinds(&s), vec![AlertKind::OverCapacity]);
    let a = &s.alerts[0];
    assert_eq!(a.severity, Severity::Medium);
    assert_eq!((a.school_id, a.contract_id, a.leader_id), (None, None, Some(1)));
    assert!(a.message.contains("4 delivered + 6.5 committed of 10 days"), "{}", a.message);
    assert_eq!(capacity_of(&s, 1).available, -0.5);
    assert_eq!(s.totals.over_capacity, 1);
    // An alert about a leader is not an alert about a school.
    assert_eq!(s.schools[0].status, Status::Ok);

    let inactive = LeaderFacts { active: false, ..l.clone() };
    let s = compute(&inputs(vec![inactive], vec![c.clone()], vec![school(1, Category::A)]));
    assert!(s.alerts.is_empty());
    assert_eq!(s.totals.over_capacity, 0);

    // Exactly full is not over.
    let full = LeaderFacts { delivered_in_year: 3.5, ..l };
    let s = compute(&inputs(vec![full], vec![c], vec![school(1, Category::A)]));
    assert_eq!(capacity_of(&s, 1).available, 0.0);
    assert!(s.alerts.is_empty());
}

#[test]
fn unsupported_concern_edges() {
    let run = |cat, contracts: Vec<ContractFacts>| {
        compute(&inputs(vec![leader(1, 30.0)], contracts, vec![school(1, cat), school(2, Category::A)]))
    };
    let s = run(Category::C, vec![]);
    assert_eq!(kinds(&s), vec![AlertKind::UnsupportedConcern]);
    assert_eq!(s.alerts[0].severity, Severity::Medium);
    assert_eq!((s.alerts[0].school_id, s.alerts[0].contract_id), (Some(1), None));
    assert!(
        s.alerts[0].message.contains("category C (significant concern) with no active contract"),
        "{}",
        s.alerts[0].message
    );

    let s = run(Category::D, vec![]);
    assert_eq!(kinds(&s), vec![AlertKind::UnsupportedConcern]);
    assert_eq!(s.alerts[0].severity, Severity::High);

    assert!(run(Category::B, vec![]).alerts.is_empty());
    assert!(run(Category::A, vec![]).alerts.is_empty());

    // Round two: a paused contract is not support — the alert says the support is paused.
    let paused = ContractFacts { status: ContractStatus::Paused, ..contract(1, 1, 1) };
    let s = run(Category::C, vec![paused]);
    assert_eq!(kinds(&s), vec![AlertKind::UnsupportedConcern]);
    assert!(
        s.alerts[0].message.contains("support paused (#1 Focus 1) — paused support is not support"),
        "{}",
        s.alerts[0].message
    );
    let st = status_of(&s, 1);
    assert_eq!(st.status, Status::Concern);
    assert!(texts(st).iter().any(|t| t.contains("paused support is not support")), "{:?}", texts(st));
    // Nor is a proposed one; an active one is.
    let proposed = ContractFacts { status: ContractStatus::Proposed, ..contract(1, 1, 1) };
    assert_eq!(kinds(&run(Category::D, vec![proposed])), vec![AlertKind::UnsupportedConcern]);
    assert!(run(Category::D, vec![contract(1, 1, 1)]).alerts.is_empty());
    assert!(run(Category::D, vec![contract(1, 1, 1)]).alerts.is_empty());

    let proposed = ContractFacts { status: ContractStatus::Proposed, ..contract(1, 1, 1) };
    assert_eq!(kinds(&run(Category::C, vec![proposed])), vec![AlertKind::UnsupportedConcern]);
    let elsewhere = contract(1, 2, 1);
    assert_eq!(kinds(&run(Category::C, vec![elsewhere])), vec![AlertKind::UnsupportedConcern]);
}

#[test]
fn alerts_most_severe_first_then_by_kind() {
    let bad = ReviewFacts { rag: Rag::Red, escalate: true, next_review_on: Some(day(-3)), ..review(Rag::Red) };
    let contracts = vec![
        // ending soon (low) + no recent visit (low)
        ContractFacts { end_on: day(5), last_visit: Some(day(-40)), ..contract(1, 1, 1) },
        // escalated, red (high), review overdue (medium), days overrun (medium)
        ContractFacts { latest_review: Some(bad), delivered: 12.0, ..contract(2, 2, 1) },
        // past end (high)
        ContractFacts { end_on: day(-2), ..contract(3, 3, 2) },
    ];
    let leaders = vec![leader(1, 5.0), leader(2, 30.0)]; // leader 1 over capacity (medium)
    let schools = vec![
        school(1, Category::A),
        school(2, Category::A),
        school(3, Category::A),
        school(4, Category::C),
        school(5, Category::D),
    ];
    let s = compute(&inputs(leaders, contracts, schools));
    use AlertKind::*;
    assert_eq!(
        kinds(&s),
        vec![
            Escalated,
            RedReview,
            PastEnd,
            UnsupportedConcern, // school 5, D: high
            UnsupportedConcern, // school 4, C: medium
            OverCapacity,
            DaysOverrun,
            ReviewOverdue,
            EndingSoon,
            NoRecentVisit,
        ]
    );
    assert_eq!(s.alerts[3].school_id, Some(5));
    assert_eq!(s.alerts[4].school_id, Some(4));
    let sev: Vec<Severity> = s.alerts.iter().map(|a| a.severity).collect();
    assert!(sev.windows(2).all(|w| w[0] <= w[1]), "{sev:?}");
    assert_eq!(sev[..5], [Severity::High, Severity::High, Severity::High, Severity::High, Severity::Medium]);
    assert_eq!(*sev.last().expect("alerts"), Severity::Low);
    // Each contract carries its own flags.
    assert_eq!(progress_of(&s, 1).flags, vec![EndingSoon, NoRecentVisit]);
    assert_eq!(progress_of(&s, 2).flags, vec![Escalated, RedReview, DaysOverrun, ReviewOverdue]);
    assert_eq!(progress_of(&s, 3).flags, vec![PastEnd]);
}

#[test]
fn alert_kind_names_are_the_designs() {
    let names: Vec<&str> = AlertKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "escalated",
            "red_review",
            "past_end",
            "unsupported_concern",
            "over_capacity",
            "days_overrun",
            "review_overdue",
            "ending_soon",
            "no_recent_visit",
            "decision_overdue",
            "stream_over_committed",
            "new_head",
            "data_concern"
        ]
    );
    for k in AlertKind::ALL {
        assert_eq!(serde_json::to_value(k).expect("json"), serde_json::json!(k.as_str()));
    }
}

// ---------------------------------------------------------------- school status

fn status_alone(s: SchoolFacts) -> SchoolStatus {
    let snap = compute(&inputs(vec![leader(1, 15.0)], vec![], vec![s]));
    snap.schools[0].clone()
}

fn texts(s: &SchoolStatus) -> Vec<&str> {
    s.reasons.iter().map(|r| r.text.as_str()).collect()
}

#[test]
fn category_sets_the_floor() {
    let a = status_alone(school(1, Category::A));
    assert_eq!((a.status, a.reasons.len()), (Status::Ok, 0));

    let b = status_alone(school(1, Category::B));
    assert_eq!(b.status, Status::Watch);
    assert_eq!(texts(&b), ["category B (some concern), set by the board"]);

    // C and D with no live contract are also unsupported (a concern, plus the alert's watch).
    let c = status_alone(school(1, Category::C));
    assert_eq!(c.status, Status::Concern);
    assert_eq!(
        texts(&c)[..2],
        ["category C (significant concern), set by the board", "category C with no active contract (unsupported)"]
    );
    assert!(texts(&c)[2].starts_with("No support: "), "{}", texts(&c)[2]);

    let d = status_alone(school(1, Category::D));
    assert_eq!(d.status, Status::Urgent);
    assert_eq!(d.reasons[0].text, "category D (serious concern), set by the board");
    assert_eq!(
        d.reasons.iter().map(|r| r.status).collect::<Vec<_>>(),
        [Status::Urgent, Status::Concern, Status::Watch]
    );

    // Supported C: concern from the category alone.
    let s = compute(&inputs(vec![leader(1, 15.0)], vec![contract(1, 1, 1)], vec![school(1, Category::C)]));
    assert_eq!(s.schools[0].status, Status::Concern);
    assert_eq!(texts(&s.schools[0]), ["category C (significant concern), set by the board"]);
    assert_eq!(s.schools[0].live_contracts, 1);
}

#[test]
fn red_or_escalated_live_contract_is_urgent() {
    let red = ReviewFacts { rag: Rag::Red, ..review(Rag::Red) };
    let s = one_contract(ContractFacts { latest_review: Some(red.clone()), ..contract(1, 1, 1) });
    let st = status_of(&s, 1);
    assert_eq!(st.status, Status::Urgent);
    assert_eq!(st.reasons[0].text, "contract #1 (Focus 1) latest review red, 16 Nov 2026");

    let esc = ReviewFacts { escalate: true, ..review(Rag::Amber) };
    let s =
        one_contract(ContractFacts { latest_review: Some(esc), status: ContractStatus::Paused, ..contract(1, 1, 1) });
    assert_eq!(status_of(&s, 1).status, Status::Urgent);
    assert_eq!(status_of(&s, 1).reasons[0].text, "contract #1 (Focus 1) escalated at review of 16 Nov 2026");

    // A proposed contract's red review is not live support going wrong.
    let s =
        one_contract(ContractFacts { latest_review: Some(red), status: ContractStatus::Proposed, ..contract(1, 1, 1) });
    assert_eq!(status_of(&s, 1).status, Status::Ok);
}

#[test]
fn inspection_outcomes() {
    let with = |framework, outcome: &str, grade, areas: &str| {
        status_alone(SchoolFacts {
            latest_inspection: Some(inspection(framework, outcome, grade, areas)),
            ..school(1, Category::A)
        })
    };
    let g4 = with(Framework::Graded, "Inadequate", Some(4), "");
    assert_eq!(g4.status, Status::Urgent);
    assert_eq!(
        texts(&g4),
        ["in a category of concern (graded inspection of 23 Nov 2025): graded 4 Inadequate overall"]
    );

    let rc = with(
        Framework::ReportCard,
        "",
        None,
        "Inclusion: Expected standard\nLeadership and governance: Urgent improvement",
    );
    assert_eq!(rc.status, Status::Urgent);
    assert_eq!(
        texts(&rc),
        [
            "in a category of concern (report card inspection of 23 Nov 2025): Urgent improvement in Leadership and governance"
        ]
    );

    let g3 = with(Framework::Graded, "Requires improvement", Some(3), "");
    assert_eq!(g3.status, Status::Watch);
    assert_eq!(texts(&g3), ["latest inspection grade 3 Requires improvement (23 Nov 2025)"]);

    let na = with(Framework::ReportCard, "", None, "Achievement: Needs attention\nBehaviour: Strong standard");
    assert_eq!(na.status, Status::Watch);
    assert_eq!(texts(&na), ["latest inspection: Needs attention in Achievement (23 Nov 2025)"]);

    assert_eq!(with(Framework::Graded, "Good", Some(2), "").status, Status::Ok);
    assert_eq!(with(Framework::Ungraded, "School remains Good", None, "").status, Status::Ok);
    assert_eq!(
        with(Framework::ReportCard, "", None, "Inclusion: Expected standard\nAttendance: Exceptional").status,
        Status::Ok
    );

    // Grade 4 outranks category B.
    let s = status_alone(SchoolFacts {
        latest_inspection: Some(inspection(Framework::Graded, "Inadequate", Some(4), "")),
        ..school(1, Category::B)
    });
    assert_eq!(s.status, Status::Urgent);
    assert_eq!(s.reasons.iter().map(|r| r.status).collect::<Vec<_>>(), [Status::Urgent, Status::Watch]);

    // Each fact that puts a school in a category of concern is urgent on its own, and named.
    let sm = status_alone(SchoolFacts {
        latest_inspection: Some(InspectionFacts {
            category_of_concern: Some(crate::domain::ConcernCategory::SpecialMeasures),
            ..inspection(
                Framework::Graded,
                "No overall grade (Special Measures)",
                None,
                "Quality of education: Inadequate",
            )
        }),
        ..school(1, Category::A)
    });
    assert_eq!(sm.status, Status::Urgent);
    assert!(texts(&sm)[0].contains("special measures"), "{:?}", texts(&sm));
    let sg = status_alone(SchoolFacts {
        latest_inspection: Some(InspectionFacts {
            safeguarding_met: Some(false),
            ..inspection(Framework::ReportCard, "", None, "Inclusion: Strong standard")
        }),
        ..school(1, Category::A)
    });
    assert_eq!(sg.status, Status::Urgent);
    assert!(texts(&sg)[0].contains("safeguarding not met"), "{:?}", texts(&sg));
}

#[test]
fn stuck_is_below_good_twice_running() {
    let ri = |days_ago: i64| InspectionFacts {
        inspected_on: day(-days_ago),
        ..inspection(Framework::Graded, "Requires improvement", Some(3), "")
    };
    let good = |days_ago: i64| InspectionFacts {
        inspected_on: day(-days_ago),
        ..inspection(Framework::Graded, "Good", Some(2), "")
    };
    let rc_na = InspectionFacts {
        inspected_on: day(-30),
        ..inspection(
            Framework::ReportCard,
            "",
            None,
            "Achievement: Needs attention
Inclusion: Expected standard",
        )
    };
    let with = |judgements: Vec<InspectionFacts>| {
        status_alone(SchoolFacts {
            latest_inspection: judgements.first().cloned(),
            judgements,
            ..school(1, Category::A)
        })
    };
    let stuck = with(vec![rc_na.clone(), ri(900)]);
    assert_eq!(stuck.status, Status::Concern);
    assert!(
        texts(&stuck).iter().any(|t| t.starts_with("stuck: below good at the latest inspection")),
        "{:?}",
        texts(&stuck)
    );
    assert_eq!(with(vec![ri(100), ri(1000)]).status, Status::Concern);
    // Improved to good last time, or only once below good: not stuck.
    assert_eq!(with(vec![ri(100), good(1000)]).status, Status::Watch);
    assert_eq!(with(vec![good(100), ri(1000)]).status, Status::Ok);
    assert_eq!(with(vec![ri(100)]).status, Status::Watch);
}

#[test]
fn a_new_head_is_a_low_alert_for_twelve_months() {
    let s = |on: NaiveDate| {
        compute(&inputs(
            vec![leader(1, 15.0)],
            vec![],
            vec![SchoolFacts { new_head: Some((on, "Ms A Head".into())), ..school(1, Category::A) }],
        ))
    };
    let recent = s(day(-200));
    assert_eq!(kinds(&recent), vec![AlertKind::NewHead]);
    assert_eq!(recent.alerts[0].severity, Severity::Low);
    let st = status_of(&recent, 1);
    assert_eq!(st.status, Status::Watch);
    assert!(st.reasons[0].text.contains("new head since 7 May 2026 (Ms A Head)"), "{}", st.reasons[0].text);
    assert!(s(day(-365)).alerts.is_empty(), "a head of a year's standing is not new");
}

#[test]
fn any_alert_about_the_school_is_watch() {
    let s = one_contract(ContractFacts { end_on: day(7), ..contract(1, 1, 1) });
    let st = status_of(&s, 1);
    assert_eq!(st.status, Status::Watch);
    assert_eq!(st.reasons.len(), 1);
    assert!(st.reasons[0].text.starts_with("Ending soon: School 1"), "{}", st.reasons[0].text);
    // Only that school.
    let s = compute(&inputs(
        vec![leader(1, 15.0)],
        vec![ContractFacts { end_on: day(7), ..contract(1, 1, 1) }],
        vec![school(1, Category::A), school(2, Category::A)],
    ));
    assert_eq!(status_of(&s, 2).status, Status::Ok);
}

#[test]
fn most_severe_reason_wins_and_schools_sort_by_status() {
    // D + grade 3 + an alert: urgent, with every reason listed most severe first.
    let d = SchoolFacts {
        latest_inspection: Some(inspection(Framework::Graded, "Requires improvement", Some(3), "")),
        ..school(4, Category::D)
    };
    let schools = vec![school(1, Category::A), school(2, Category::B), school(3, Category::C), d];
    let contracts = vec![contract(1, 3, 1), ContractFacts { end_on: day(2), ..contract(2, 4, 1) }];
    let s = compute(&inputs(vec![leader(1, 30.0)], contracts, schools));
    let order: Vec<(i64, Status)> = s.schools.iter().map(|x| (x.school.id, x.status)).collect();
    assert_eq!(order, [(4, Status::Urgent), (3, Status::Concern), (2, Status::Watch), (1, Status::Ok)]);
    let st = status_of(&s, 4);
    assert_eq!(st.reasons.iter().map(|r| r.status).collect::<Vec<_>>(), [Status::Urgent, Status::Watch, Status::Watch]);
    assert!(st.reasons[1].text.starts_with("latest inspection grade 3"));
    assert!(st.reasons[2].text.starts_with("Ending soon"), "{}", st.reasons[2].text);
}

// ---------------------------------------------------------------- totals

#[test]
fn totals_by_hand() {
    // L1 active 15: 3 delivered; live c1 (6−2) + c4 (3−0) → committed 7, available 5.
    // L2 active 10: 9 delivered; paused c2 (5−1) → committed 4, available −3 (over).
    // L3 inactive 20: not in the leader totals, but its live contract c5 counts as live.
    let leaders = vec![
        LeaderFacts { delivered_in_year: 3.0, ..leader(1, 15.0) },
        LeaderFacts { delivered_in_year: 9.0, ..leader(2, 10.0) },
        LeaderFacts { delivered_in_year: 1.0, active: false, ..leader(3, 20.0) },
    ];
    let contracts = vec![
        ContractFacts { days_commissioned: 6.0, delivered: 2.0, end_on: day(100), ..contract(1, 1, 1) },
        ContractFacts {
            status: ContractStatus::Paused,
            days_commissioned: 5.0,
            delivered: 1.0,
            latest_review: Some(review(Rag::Red)),
            end_on: day(90),
            ..contract(2, 3, 2)
        },
        ContractFacts {
            status: ContractStatus::Proposed,
            days_commissioned: 4.0,
            delivered: 0.0,
            end_on: day(80),
            ..contract(3, 4, 2)
        },
        ContractFacts {
            days_commissioned: 3.0,
            delivered: 0.0,
            latest_review: None,
            start_on: day(-10),
            end_on: day(70),
            ..contract(4, 5, 1)
        },
        ContractFacts {
            days_commissioned: 2.0,
            delivered: 0.0,
            latest_review: Some(review(Rag::Amber)),
            end_on: day(60),
            ..contract(5, 5, 3)
        },
    ];
    let schools = vec![
        school(1, Category::A),
        school(2, Category::B),
        school(3, Category::C),
        school(4, Category::D),
        school(5, Category::A),
    ];
    let s = compute(&inputs(leaders, contracts, schools));
    let t = &s.totals;
    assert_eq!(t.active_leaders, 2);
    assert_eq!((t.capacity_days, t.delivered_days, t.committed_days, t.available_days), (25.0, 12.0, 11.0, 2.0));
    assert_eq!(t.over_capacity, 1);
    assert_eq!((t.live, t.active, t.paused, t.proposed), (4, 3, 1, 1));
    assert_eq!(t.by_rag, [1, 1, 1, 1]);
    assert_eq!(t.by_category, [2, 1, 1, 1]);
    // urgent: 3 (red review), 4 (D) · watch: 2 (B) · ok: 1, 5.
    assert_eq!(t.by_status, [2, 0, 1, 2]);
    // School 3 (C) has only a paused contract: unsupported too (round two).
    assert_eq!(
        kinds(&s),
        vec![
            AlertKind::RedReview,
            AlertKind::UnsupportedConcern,
            AlertKind::UnsupportedConcern,
            AlertKind::OverCapacity
        ]
    );
    assert_eq!(s.year.label(), "2026/27");
    assert_eq!(s.today, today());

    // Leaders: active first, over capacity first; contracts: live first by end date.
    assert_eq!(s.leaders.iter().map(|l| l.leader.id).collect::<Vec<_>>(), [2, 1, 3]);
    assert_eq!(s.contracts.iter().map(|c| c.contract.id).collect::<Vec<_>>(), [5, 4, 2, 1, 3]);
    assert_eq!(capacity_of(&s, 3).committed, 2.0);
}

// ---------------------------------------------------------------- board alerts

fn decision(id: i64, due: NaiveDate, school: Option<i64>) -> super::DecisionFacts {
    super::DecisionFacts {
        id,
        kind: crate::domain::DecisionKind::Monitor,
        text: "Monitor attendance".into(),
        owner: "Coordinator".into(),
        due_on: due,
        school_id: school,
        contract_id: None,
    }
}

#[test]
fn overdue_decision_alerts_and_puts_its_school_on_watch() {
    let mut i = inputs(vec![leader(1, 15.0)], vec![], vec![school(7, Category::A)]);
    // The store passes only open decisions due before today: yesterday's is overdue.
    i.overdue_decisions = vec![decision(3, day(-1), Some(7))];
    let s = compute(&i);
    let a = of_kind(&s, AlertKind::DecisionOverdue);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].severity, Severity::Medium);
    assert_eq!(
        a[0].message,
        "Decision overdue: monitor — Monitor attendance (Coordinator), due 22 Nov 2026 (1 day ago)"
    );
    assert_eq!(a[0].school_id, Some(7));
    assert_eq!(s.schools[0].status, Status::Watch, "any alert about a school puts it on watch");
}

#[test]
fn stream_over_committed_only_when_committed_exceeds_amount() {
    let stream = |committed| super::StreamFacts {
        id: 1,
        name: "Core funding".into(),
        amount_pence: 4_000_000,
        committed_pence: committed,
    };
    let mut i = inputs(vec![leader(1, 15.0)], vec![], vec![]);
    i.streams = vec![stream(4_000_000)];
    assert!(of_kind(&compute(&i), AlertKind::StreamOverCommitted).is_empty(), "exactly spent is not over");
    i.streams = vec![stream(4_000_001)];
    let s = compute(&i);
    let a = of_kind(&s, AlertKind::StreamOverCommitted);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].severity, Severity::High);
    assert_eq!(a[0].message, "Over-committed: Core funding has £40,000.01 committed of £40,000 (£0.01 over)");
}
