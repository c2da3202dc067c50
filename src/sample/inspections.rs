//! Ofsted histories in all three eras: graded 1–4 inspections up to August 2024, ungraded ones
//! ("School remains Good"), and report cards from 10 November 2025 with area judgements and
//! safeguarding met or not met. A school's history agrees with the board's category: category
//! A schools never show "Needs attention", category D ones usually have a recent poor outcome.

use super::dice::{Dice, add, school_day_on_or_before};
use crate::domain::{Category, Framework, Inspection, Phase, REPORT_CARD_SCALE, School, Stamp, grade_word};
use chrono::NaiveDate;

/// First day of report-card inspections.
fn report_cards_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 11, 10).unwrap_or(NaiveDate::MIN)
}

/// First day of the interim era (sub-judgements, no overall grade), which the sample only
/// fills with ungraded inspections.
fn interim_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 9, 1).unwrap_or(NaiveDate::MIN)
}

/// The report-card areas that apply to a school of this phase.
fn areas(phase: Phase, sixth_form: bool) -> Vec<&'static str> {
    let mut v = vec![
        "Inclusion",
        "Curriculum and teaching",
        "Achievement",
        "Attendance and behaviour",
        "Personal development and well-being",
        "Leadership and governance",
    ];
    if matches!(phase, Phase::Primary | Phase::Nursery | Phase::AllThrough) {
        v.push("Early years");
    }
    if sixth_form {
        v.push("Sixth form");
    }
    v
}

/// A graded overall grade for a school in this category (category A: 1–2 only).
fn grade_for(d: &mut Dice, c: Category) -> i64 {
    let weights: [u32; 4] = match c {
        Category::A => [25, 75, 0, 0],
        Category::B => [0, 70, 30, 0],
        Category::C => [0, 20, 70, 10],
        Category::D => [0, 0, 50, 50],
    };
    d.weighted(&weights) as i64 + 1
}

/// A report card: `(outcome, areas text, safeguarding met)`. The outcome is the worst area
/// judgement, as the sample's board reads it.
pub(crate) fn report_card(d: &mut Dice, s: &School, c: Category, urgent_leadership: bool) -> (String, String, bool) {
    let weights: [u32; 5] = match c {
        Category::A => [8, 40, 52, 0, 0],
        Category::B => [0, 20, 65, 15, 0],
        Category::C => [0, 10, 55, 35, 0],
        Category::D => [0, 0, 40, 45, 15],
    };
    let sixth = matches!(s.phase, Phase::AllThrough) || (s.phase == Phase::Secondary && s.pupils.unwrap_or(0) > 1100);
    let mut levels: Vec<(&str, usize)> = areas(s.phase, sixth).into_iter().map(|a| (a, d.weighted(&weights))).collect();
    let floor = match c {
        Category::C => Some(3),
        Category::D => Some(4),
        _ => None,
    };
    if let Some(floor) = floor
        && levels.iter().all(|(_, l)| *l < floor)
    {
        let i = d.below(levels.len());
        levels[i].1 = floor;
    }
    if urgent_leadership {
        for (area, level) in &mut levels {
            if *area == "Leadership and governance" {
                *level = 4;
            }
        }
    }
    let worst = levels.iter().map(|(_, l)| *l).max().unwrap_or(2);
    let text = levels.iter().map(|(a, l)| format!("{a}: {}", REPORT_CARD_SCALE[*l])).collect::<Vec<_>>().join("\n");
    let safe = !(urgent_leadership || (c == Category::D && d.chance(40)));
    (REPORT_CARD_SCALE[worst].to_string(), text, safe)
}

fn record(
    school_id: i64,
    on: NaiveDate,
    fw: Framework,
    outcome: String,
    grade: Option<i64>,
    safe: Option<bool>,
    areas: String,
) -> Inspection {
    Inspection {
        id: 0,
        school_id,
        inspected_on: on,
        framework: fw,
        outcome,
        grade,
        safeguarding_met: safe,
        category_of_concern: None,
        kind: crate::domain::InspectionKind::Standard,
        areas,
        stamp: Stamp::default(),
    }
}

/// Ofsted suspended routine inspections during the pandemic: none is dated from 15 May 2020
/// to 22 July 2021 (the dates the sample keeps clear).
pub(crate) fn covid_suspension() -> (NaiveDate, NaiveDate) {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN);
    (d(2020, 5, 15), d(2021, 7, 22))
}

/// Moves an inspection dated in the suspension to the autumn term of 2021, when routine
/// inspections resumed, keeping dates spread over that term (no dice: the rest of the sample
/// stays as it was).
fn after_suspension(on: NaiveDate) -> NaiveDate {
    let (from, to) = covid_suspension();
    if on < from || on > to {
        return on;
    }
    let resumed = NaiveDate::from_ymd_opt(2021, 9, 13).unwrap_or(to);
    // 13 Sep 2021 is a Monday; the offset keeps weekdays and stays before half term.
    let weeks = (on - from).num_days() % 6;
    let day = (on - from).num_days() % 5;
    add(resumed, weeks * 7 + day)
}

/// What Ofsted records as the category of concern for an inspection it publishes: graded 4
/// is serious weaknesses, or special measures where leaders lack the capacity to improve (the
/// sample reads that from safeguarding not met); a report card with Urgent improvement in
/// leadership and governance is special measures, any other Urgent improvement or
/// safeguarding not met is "requires significant improvement".
fn category_of_concern(i: &Inspection) -> Option<crate::domain::ConcernCategory> {
    use crate::domain::ConcernCategory as C;
    match i.framework {
        Framework::Graded if i.grade == Some(4) => {
            Some(if i.safeguarding_met == Some(false) { C::SpecialMeasures } else { C::SeriousWeaknesses })
        }
        Framework::ReportCard => {
            let o = i.outcome_view();
            let urgent: Vec<&str> =
                o.areas().into_iter().filter(|(_, j)| *j == REPORT_CARD_SCALE[4]).map(|(a, _)| a).collect();
            if urgent.contains(&"Leadership and governance") {
                Some(C::SpecialMeasures)
            } else if !urgent.is_empty() || i.safeguarding_met == Some(false) {
                Some(C::SignificantImprovement)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Dates moved out of the suspension and categories of concern recorded, oldest first.
fn as_published(mut out: Vec<Inspection>) -> Vec<Inspection> {
    for i in &mut out {
        i.inspected_on = after_suspension(i.inspected_on);
        i.category_of_concern = category_of_concern(i);
    }
    out.sort_by_key(|i| i.inspected_on);
    out.dedup_by_key(|i| (i.inspected_on, i.framework));
    out
}

/// A school's inspections, oldest first. `recent_urgent` forces a recent report card with
/// leadership judged "Urgent improvement" and safeguarding not met (the failing school).
pub(crate) fn history(d: &mut Dice, s: &School, today: NaiveDate, recent_urgent: bool) -> Vec<Inspection> {
    let c = s.category;
    let rc = report_cards_from();
    let mut latest = if recent_urgent {
        add(today, -d.range(120, 220))
    } else {
        match c {
            Category::A | Category::B => add(today, -d.range(90, 1700)),
            Category::C | Category::D => add(today, -d.range(60, 1100)),
        }
    };
    // Concern schools had a full inspection, which the interim era does not fit: move it.
    let in_interim = latest >= interim_from() && latest < rc;
    if in_interim && (matches!(c, Category::C | Category::D) || recent_urgent) {
        latest = if add(today, -30) > rc && (recent_urgent || d.chance(60)) {
            add(rc, d.range(7, (today - rc).num_days() - 30))
        } else {
            add(interim_from(), -d.range(30, 200))
        };
    }
    if recent_urgent && latest < rc && add(today, -10) > rc {
        latest = add(rc, d.range(0, (today - rc).num_days() - 10));
    }
    let latest = school_day_on_or_before(latest);
    let mut prior_grade = grade_for(d, c).min(3);
    if matches!(c, Category::A | Category::B) {
        prior_grade = prior_grade.min(2);
    }
    let mut out = Vec::new();
    // One or two older graded inspections.
    let prev = school_day_on_or_before(add(latest, -d.range(1100, 1800)));
    if d.chance(40) {
        let older = school_day_on_or_before(add(prev, -d.range(1100, 1600)));
        let g = d.range(2, 3);
        out.push(record(s.id, older, Framework::Graded, grade_word(g).to_string(), Some(g), Some(true), String::new()));
    }
    let prev_fw_graded = prev < interim_from();
    if prev_fw_graded {
        out.push(record(
            s.id,
            prev,
            Framework::Graded,
            grade_word(prior_grade).to_string(),
            Some(prior_grade),
            Some(true),
            String::new(),
        ));
    }
    if latest >= rc {
        let (outcome, areas, safe) = report_card(d, s, c, recent_urgent);
        out.push(record(s.id, latest, Framework::ReportCard, outcome, None, Some(safe), areas));
    } else if prev_fw_graded
        && prior_grade <= 2
        && matches!(c, Category::A | Category::B)
        && (latest >= interim_from() || d.chance(40))
    {
        let outcome = format!("School remains {}", grade_word(prior_grade));
        out.push(record(s.id, latest, Framework::Ungraded, outcome, None, Some(true), String::new()));
    } else {
        let g = if latest >= interim_from() { prior_grade } else { grade_for(d, c) };
        let safe = g < 4 || d.chance(50);
        let latest = latest.min(add(interim_from(), -d.range(1, 120)));
        let latest = school_day_on_or_before(latest);
        if out.last().is_none_or(|p| p.inspected_on < latest) {
            out.push(record(
                s.id,
                latest,
                Framework::Graded,
                grade_word(g).to_string(),
                Some(g),
                Some(safe),
                String::new(),
            ));
        }
    }
    as_published(out)
}

/// The lead school's record: Outstanding, then "School remains Outstanding".
pub(crate) fn lead_history(school_id: i64, today: NaiveDate) -> Vec<Inspection> {
    let graded = school_day_on_or_before(add(today, -3900));
    let ungraded = school_day_on_or_before(add(today, -1250));
    as_published(vec![
        record(school_id, graded, Framework::Graded, grade_word(1).to_string(), Some(1), Some(true), String::new()),
        record(
            school_id,
            ungraded,
            Framework::Ungraded,
            "School remains Outstanding".to_string(),
            None,
            Some(true),
            String::new(),
        ),
    ])
}
