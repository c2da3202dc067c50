//! The written scenarios: a few contracts whose dates, visits and reviews are set on purpose,
//! relative to today, so that every alert kind and every school status appears in the sample
//! whatever the seed. Everything else in the sample is random.
//!
//! | school (category) | contract | shows |
//! |---|---|---|
//! | failing (D) | leadership, NLE, latest review red and escalated | `escalated`, `red_review`, urgent |
//! | failing (D) | phonics, the over-committed SLE, just started | `over_capacity` (with "quiet") |
//! | overdue (C) | KS2 maths, amber review, next review date passed | `review_overdue`, concern |
//! | ending (B) | KS1 writing, ends in 9 days | `ending_soon`, watch |
//! | quiet (B) | early reading, visits cancelled | `no_recent_visit` |
//! | unsupported (C) | writing support ended early; leadership support proposed | `unsupported_concern`, concern |
//! | overrun (B) | attendance, 6 days delivered of 5 | `days_overrun` |
//! | lapsed (B) | EYFS, ended 12 days ago, still active | `past_end` |
//! | lead (A) | none: the lead school | ok |

use super::contracts::{Part, Planner, Script};
use super::dice::{Dice, add, school_day_on_or_after};
use super::focus;
use super::leaders::LeaderRoles;
use super::schools::Roles;
use crate::domain::ContractStatus::*;
use crate::domain::Rag::*;
use crate::domain::School;

const FAILING_RED: &str = "Off track. Leadership capacity has not improved: the acting head is covering classes three days a week, the autumn milestones in the improvement plan were missed and the LA's audit found safeguarding records incomplete. Refer to the board with a recommendation to escalate to the LA and the DfE regional team.";
const FAILING_AMBER: &str = "Some progress: the improvement plan is down to three priorities and governors have met twice, but the head's absence continues and staff turnover is high. Agreed: NLE to visit weekly until Christmas.";
const OVERDUE_AMBER: &str = "Needs attention: arithmetic sessions are running in Years 5 and 6 but the maths lead has had no release time since September. Review again in four weeks, after the autumn assessment.";
const QUIET_AMBER: &str = "Two visits cancelled by the school (staff absence, then an LA safeguarding audit); regrouping for early reading not yet done. Dates agreed for December.";
const OVERRUN_AMBER: &str = "Weekly attendance meetings are running and first-day calling is consistent, but persistent absence is still above 20%. The school asked for weekly half-days while the attendance officer post is vacant, so delivery has run past the five days commissioned: a variation is needed.";
const UNSUPPORTED_RED: &str = "Support ended early: the head left at Easter and the interim arrangements could not release staff for the visits. Board agreed to end the contract and to recommission once the new leadership is in place.";
const LAPSED_GREEN: &str = "On track: tracking shows more children on track for a good level of development than last year, and continuous provision now links to the taught curriculum. Final review and evaluation with the head booked.";

fn halves(offsets: &[i64]) -> Vec<(i64, f64)> {
    offsets.iter().map(|&o| (o, 0.5)).collect()
}

/// Adds the written contracts to the plan.
pub(crate) fn plan_written(d: &mut Dice, p: &mut Planner, roles: &Roles, lr: &LeaderRoles) {
    let t = p.today();
    let at = |o: i64| add(t, o);

    // The failing school: leadership support by the lead school's NLE, gone red and escalated.
    let dates = (at(-84), p.term_end_after(at(180)));
    let script = Script {
        visits: vec![
            (-80, 1.0),
            (-73, 1.0),
            (-66, 0.5),
            (-59, 1.0),
            (-45, 1.0),
            (-38, 0.5),
            (-31, 1.0),
            (-24, 1.0),
            (-17, 0.5),
            (-10, 1.0),
            (-4, 1.0),
        ],
        reviews: vec![(-42, Amber, false, Some(-3), FAILING_AMBER), (-3, Red, true, Some(25), FAILING_RED)],
    };
    let f = focus::named("Leadership");
    let i = p.add_written(d, roles.failing, lr.nle, f, Active, dates, 20.0, Part::Failing, script, None);
    p.fund_from(i, 0);

    // …and phonics there, by an SLE who has taken on more than their 15 days.
    let dates = (at(-20), p.term_end_after(at(150)));
    let script = Script { visits: vec![(-14, 0.5)], reviews: vec![] };
    let f = focus::named("Phonics");
    p.add_written(d, roles.failing, lr.over, f, Active, dates, 8.0, Part::FailingPhonics, script, None);

    // The same SLE's early reading contract, where the school has cancelled visits.
    let dates = (at(-90), p.term_end_after(at(140)));
    let script = Script {
        visits: vec![(-80, 1.0), (-62, 0.5), (-41, 0.5)],
        reviews: vec![(-58, Green, false, Some(-16), ""), (-20, Amber, false, Some(22), QUIET_AMBER)],
    };
    let f = focus::named("Early reading");
    let i = p.add_written(d, roles.quiet, lr.over, f, Active, dates, 10.0, Part::Quiet, script, None);
    p.fund_from(i, 1);

    // Category C, supported, but the four-week review after an amber one was never held.
    let dates = (at(-150), p.term_end_after(at(120)));
    let f = focus::named("KS2 maths");
    let l = p.leader(d, roles.overdue, f, None, dates, 10.0);
    let script = Script {
        visits: vec![(-145, 1.0), (-131, 0.5), (-80, 1.0), (-66, 0.5), (-52, 0.5), (-38, 0.5), (-24, 0.5), (-10, 1.0)],
        reviews: vec![
            (-128, Green, false, Some(-80), ""),
            (-78, Green, false, Some(-36), ""),
            (-36, Amber, false, Some(-6), OVERDUE_AMBER),
        ],
    };
    p.add_written(d, roles.overdue, l, f, Active, dates, 10.0, Part::Overdue, script, None);

    // Ends in nine days.
    let dates = (at(-170), at(9));
    let f = focus::named("KS1 writing");
    let l = p.leader(d, roles.ending, f, None, dates, 8.0);
    let mut visits = vec![(-165, 1.0), (-80, 1.0), (-52, 1.0)];
    visits.extend(halves(&[-150, -136, -128, -66, -38, -24, -5]));
    let script = Script {
        visits,
        reviews: vec![
            (-128, Green, false, Some(-80), ""),
            (-79, Amber, false, Some(-37), ""),
            (-37, Green, false, Some(9), ""),
        ],
    };
    p.add_written(d, roles.ending, l, f, Active, dates, 8.0, Part::Ending, script, None);

    // Category C with no live contract: writing support ended early, leadership proposed.
    let end = p.term_end_before(at(-90));
    let dates = (school_day_on_or_after(at(-320)).min(add(end, -60)), end);
    let f = focus::named("KS2 writing");
    let l = p.leader(d, roles.unsupported, f, None, dates, 8.0);
    let mut visits = vec![(-315, 1.0), (-260, 1.0)];
    visits.extend(halves(&[-295, -280, -240, -215, -190, -165]));
    let script = Script {
        visits,
        reviews: vec![
            (-278, Green, false, Some(-236), ""),
            (-236, Amber, false, Some(-194), ""),
            (-194, Amber, false, Some(-152), ""),
            (-150, Red, false, None, UNSUPPORTED_RED),
        ],
    };
    let stop = at(-150);
    p.add_written(d, roles.unsupported, l, f, Terminated, dates, 8.0, Part::UnsupportedPast, script, Some(stop));
    let start = school_day_on_or_after(p.term_end_after(at(14)).succ_opt().unwrap_or(at(30)));
    let dates = (start, p.term_end_after(add(start, 150)));
    let f = focus::named("Leadership");
    let l = p.leader(d, roles.unsupported, f, None, dates, 12.0);
    p.add_written(d, roles.unsupported, l, f, Proposed, dates, 12.0, Part::UnsupportedNext, Script::default(), None);

    // Attendance: the school kept asking for half-days; six delivered of five commissioned.
    let dates = (at(-84), p.term_end_after(at(100)));
    let f = focus::named("Attendance");
    let l = p.leader(d, roles.overrun, f, None, dates, 5.0);
    let script = Script {
        visits: halves(&[-80, -73, -66, -59, -52, -45, -38, -31, -24, -17, -10, -3]),
        reviews: vec![(-40, Amber, false, Some(5), OVERRUN_AMBER)],
    };
    p.add_written(d, roles.overrun, l, f, Active, dates, 5.0, Part::Overrun, script, None);

    // EYFS: finished its days twelve days ago, never closed.
    let dates = (at(-200), at(-12));
    let f = focus::named("EYFS");
    let l = p.leader(d, roles.lapsed, f, None, dates, 6.0);
    let mut visits = vec![(-195, 1.0), (-80, 1.0)];
    visits.extend(halves(&[-180, -166, -150, -136, -66, -52, -38, -14]));
    let script = Script {
        visits,
        reviews: vec![
            (-158, Green, false, Some(-80), ""),
            (-78, Green, false, Some(-36), ""),
            (-36, Green, false, Some(10), LAPSED_GREEN),
        ],
    };
    p.add_written(d, roles.lapsed, l, f, Active, dates, 6.0, Part::Lapsed, script, None);
}

/// Soft intelligence for the schools with written parts.
pub(crate) fn notes(schools: &mut [School], roles: &Roles) {
    let set = |schools: &mut [School], i: usize, text: &str| {
        if let Some(s) = schools.get_mut(i) {
            s.notes = text.to_string();
        }
    };
    set(
        schools,
        roles.lead,
        "Lead school of the alliance and home of the hub. Releases its SLEs for up to 15 days each; the head is an NLE.",
    );
    set(
        schools,
        roles.failing,
        "Head on long-term sick leave since September; deputy acting head and teaching three days a week. Report card: urgent improvement for leadership and governance, safeguarding not met. LA has written to the governors; trust talks stalled. Parents' complaints to the LA up this term.",
    );
    set(
        schools,
        roles.overdue,
        "KS2 maths fell sharply in 2026. Maths lead going on maternity leave in January and cover not yet arranged. Head supportive but the review has slipped twice.",
    );
    set(
        schools,
        roles.ending,
        "Good school with a dip in KS1 writing; English lead new in post. Support ends this term: decide at the December board whether to extend.",
    );
    set(
        schools,
        roles.quiet,
        "Three long-term staff absences in KS1 this term; the school has cancelled two visits. Head says things settle after Christmas.",
    );
    set(
        schools,
        roles.unsupported,
        "Category raised from B to C at the October board: KS2 writing well below the LA and the head left at Easter. Interim head from September; leadership support proposed for January but nothing in place this term.",
    );
    set(
        schools,
        roles.overrun,
        "Persistent absence one of the highest in the city; attendance officer post vacant since the summer. School keeps asking for more visits.",
    );
    set(
        schools,
        roles.lapsed,
        "EYFS support has used all its days; final review and evaluation still to do before the contract can be closed.",
    );
}
