//! The partnership board: monthly meetings before today (none in August) with minutes, and the
//! decisions each took — commissioning, extending, varying and ending contracts, escalating the
//! failing school, monitoring schools of concern — some done, some due, some past due.

use super::contracts::{Part, Plan};
use super::dice::{Dice, add};
use crate::domain::money::fmt_days;
use crate::domain::{
    Category, ContractStatus, Decision, DecisionKind, Inspection, Leader, Meeting, School, Stamp, fmt_date,
};
use chrono::{Datelike, NaiveDate, Weekday};

/// How many meetings the sample minutes.
const MEETINGS: usize = 4;

/// The second Wednesday of a month.
fn second_wednesday(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Wed, 2)
}

/// The last [`MEETINGS`] board dates before today, oldest first.
fn meeting_dates(today: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let (mut y, mut m) = (today.year(), today.month());
    for _ in 0..24 {
        if m != 8
            && let Some(d) = second_wednesday(y, m)
            && d < today
        {
            out.push(d);
            if out.len() == MEETINGS {
                break;
            }
        }
        (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    }
    out.reverse();
    out
}

/// The meeting after `on` (second Wednesday of the next month, none in August).
fn next_meeting(on: NaiveDate) -> Option<NaiveDate> {
    let (mut y, mut m) = (on.year(), on.month());
    loop {
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        if m != 8 {
            return second_wednesday(y, m);
        }
    }
}

fn minutes(d: &mut Dice, on: NaiveDate, next: Option<NaiveDate>) -> String {
    let data = match on.month() {
        9 => format!(
            "Data: provisional {} outcomes (phonics, KS1, KS2, GLD) against LA and national figures.",
            on.year()
        ),
        10 => "Data: first half-term attendance, and inspection outcomes since September.".to_string(),
        11 => "Data: autumn data drop and the annual category review; system leaders' capacity for the spring term."
            .to_string(),
        7 => "Data: end-of-year review of every contract; commissioning for September.".to_string(),
        _ => "Data: half-termly attendance, and progress against each live contract.".to_string(),
    };
    const SOFT: &[&str] = &[
        "two heads retire in the summer and recruitment is expected to be difficult.",
        "trust mergers under discussion in the east of the city.",
        "several secondaries report more suspensions in Years 7 and 8.",
        "specialist SEND places are full until September; pressure on mainstream schools.",
        "schools report difficulty recruiting teaching assistants.",
        "the LA's school improvement team loses a post in April.",
    ];
    let mut text = format!(
        "Present: {} headteachers, the LA school improvement lead, the hub director and the coordinator. Apologies: {}.\n{data}\nSoft intelligence: {}",
        d.range(7, 12),
        d.range(1, 4),
        d.pick(SOFT)
    );
    if let Some(n) = next {
        text.push_str(&format!("\nNext meeting: {}.", fmt_date(n)));
    }
    text
}

struct Minute<'a> {
    decisions: Vec<(usize, Decision)>,
    today: NaiveDate,
    dates: &'a [NaiveDate],
}

impl Minute<'_> {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        meeting: usize,
        kind: DecisionKind,
        text: String,
        owner: &str,
        school: Option<i64>,
        contract: Option<i64>,
        due: Option<NaiveDate>,
        done: bool,
    ) {
        self.decisions.push((
            meeting,
            Decision {
                id: 0,
                meeting_id: meeting as i64 + 1,
                school_id: school,
                contract_id: contract,
                kind,
                category: None,
                text,
                owner: owner.to_string(),
                due_on: due,
                done,
                stamp: Stamp::default(),
            },
        ));
    }
    /// The last meeting on or before `on`.
    fn before(&self, on: NaiveDate) -> Option<usize> {
        self.dates.iter().rposition(|m| *m <= on)
    }
    /// The first meeting on or after `on`.
    fn after(&self, on: NaiveDate) -> Option<usize> {
        self.dates.iter().position(|m| *m >= on)
    }
    fn last(&self) -> Option<usize> {
        self.dates.len().checked_sub(1)
    }
    fn on(&self, i: usize) -> NaiveDate {
        self.dates.get(i).copied().unwrap_or(self.today)
    }
}

/// The escalation of the failing school, in the words its position calls for: a school already
/// in a category of concern is past a warning notice (the LA's next steps are an interim
/// executive board and, for a maintained school, the academy order that follows); one that is
/// not may be given a warning notice.
fn escalation(school: &School, inspections: &[Inspection]) -> String {
    let latest = inspections
        .iter()
        .filter(|i| i.school_id == school.id && i.kind == crate::domain::InspectionKind::Standard)
        .max_by_key(|i| i.inspected_on);
    let concern = latest.map(|i| (i, i.outcome_view().concern_triggers())).filter(|(_, t)| !t.is_empty());
    match concern {
        Some((i, triggers)) => {
            let category = i.category_of_concern.map_or("a category of concern", |c| c.label());
            let next = if school.trust.trim().is_empty() {
                "ask the LA to consider an interim executive board while the DfE makes the academy order"
            } else {
                "ask the DfE regional director what the trust will be asked to do"
            };
            // The category itself is named once; the facts behind it follow.
            let facts: Vec<&str> = triggers.iter().map(String::as_str).filter(|t| !t.starts_with("in ")).collect();
            format!(
                "Escalate {} to the LA's Director of Children's Services and the DfE regional team: no improvement since September; in {category} since the {} inspection of {} ({}). A warning notice no longer applies — {next}.",
                school.name,
                i.framework,
                fmt_date(i.inspected_on),
                facts.join("; ")
            )
        }
        None => format!(
            "Escalate {} to the LA's Director of Children's Services and the DfE regional team: no improvement since September. Ask the LA to consider a warning notice.",
            school.name
        ),
    }
}

/// Meetings and decisions.
pub(crate) fn board(
    d: &mut Dice,
    plans: &[Plan],
    schools: &[School],
    leaders: &[Leader],
    inspections: &[Inspection],
    today: NaiveDate,
) -> (Vec<Meeting>, Vec<Decision>) {
    let dates = meeting_dates(today);
    let meetings: Vec<Meeting> = dates
        .iter()
        .enumerate()
        .map(|(i, &on)| Meeting {
            id: i as i64 + 1,
            held_on: on,
            notes: minutes(d, on, dates.get(i + 1).copied().or_else(|| next_meeting(on))),
            stamp: Stamp::default(),
        })
        .collect();
    let mut m = Minute { decisions: Vec::new(), today, dates: &dates };
    let Some(last) = m.last() else { return (meetings, Vec::new()) };
    let first = m.on(0);
    for p in plans {
        let c = &p.c;
        let school = &schools[p.school];
        let leader = &leaders[p.leader];
        let (sid, cid) = (Some(c.school_id), Some(c.id));
        let what = format!("{} at {}", c.focus, school.name);
        // Commissioning, at the last meeting before the start.
        let commission = if c.status == ContractStatus::Proposed {
            Some(m.before(c.start_on).unwrap_or(last))
        } else {
            m.before(add(c.start_on, -3)).filter(|&i| m.on(i) >= add(c.start_on, -45))
        };
        if let Some(i) = commission {
            let proposed = c.status == ContractStatus::Proposed;
            let due = proposed.then(|| add(c.start_on, -7).min(add(m.on(i), 21)));
            let text = format!(
                "Commission {} support for {what}: {} days with {}, {} to {}; funded from: {}.",
                leader.designation,
                fmt_days(c.days_commissioned),
                leader.name,
                fmt_date(c.start_on),
                fmt_date(c.end_on),
                c.funding
            );
            let text = if proposed { format!("{text} Subject to the head's agreement to the aims.") } else { text };
            m.add(i, DecisionKind::Commission, text, "Coordinator", sid, cid, due, !proposed);
        }
        // Ending, at the first meeting after delivery stopped.
        if matches!(c.status, ContractStatus::Completed | ContractStatus::Terminated)
            && let Some(stop) = p.stop.filter(|s| *s >= add(first, -20))
            && let Some(i) = m.after(stop)
        {
            let text = if c.status == ContractStatus::Completed {
                format!("End: {what} completed. Thank {}; evaluation to the next board.", leader.name)
            } else {
                format!("End: stop {what} early and return the unused days; recommission when the school is ready.")
            };
            m.add(i, DecisionKind::End, text, "Coordinator", sid, cid, None, true);
        }
        if c.status == ContractStatus::Paused
            && let Some(i) = p.stop.and_then(|s| m.after(s))
        {
            let text = format!("Vary: pause {what}; remaining days carried forward to the restart.");
            m.add(i, DecisionKind::Vary, text, "Coordinator", sid, cid, None, true);
        }
        let last_on = m.on(last);
        let due_in = |days: i64| Some(add(last_on, days));
        match p.part {
            Part::Failing => {
                if last > 0 {
                    let text = format!(
                        "Monitor {} monthly; {} to report on leadership capacity at each board.",
                        school.name, leader.name
                    );
                    m.add(last - 1, DecisionKind::Monitor, text, &leader.name, sid, cid, None, true);
                }
                let text = escalation(school, inspections);
                m.add(last, DecisionKind::Escalate, text, "Chair of the board", sid, cid, due_in(14), false);
            }
            Part::FailingPhonics => {
                let text = format!(
                    "Vary: {} has more days committed than their {} — move the phonics work at {} to another SLE, or agree extra release with their home school.",
                    leader.name,
                    fmt_days(leader.days_per_year),
                    school.name
                );
                m.add(last, DecisionKind::Vary, text, "Coordinator", sid, cid, due_in(7), false);
            }
            Part::Ending => {
                let text = format!("Extend {what} by 3 days to Easter, subject to the final review.");
                m.add(last, DecisionKind::Extend, text, "Coordinator", sid, cid, Some(c.end_on), false);
            }
            Part::Overrun => {
                let text = format!(
                    "Vary {what}: add 3 days to cover weekly visits until the attendance officer is appointed."
                );
                m.add(last, DecisionKind::Vary, text, "Coordinator", sid, cid, due_in(14), false);
            }
            Part::Lapsed => {
                let text = format!("Close {what} after the final review; evaluation to the next board.");
                m.add(last, DecisionKind::End, text, "Coordinator", sid, cid, due_in(10), false);
            }
            Part::UnsupportedNext => {
                let i = last.saturating_sub(1);
                let text = format!(
                    "Move {} to category C (significant concern): writing well below the LA and a change of head. LA adviser to meet the interim head before half term.",
                    school.name
                );
                // A change of category is a re-categorisation, with its review date.
                m.add(
                    i,
                    DecisionKind::Recategorise,
                    text,
                    "LA school improvement lead",
                    sid,
                    None,
                    Some(add(m.on(i), 21)),
                    true,
                );
                if let Some((_, d)) = m.decisions.last_mut() {
                    d.category = Some(Category::C);
                }
            }
            _ => {}
        }
    }
    // Schools of some concern with no support: keep an eye on them.
    let mut supported = vec![false; schools.len()];
    for p in plans {
        supported[p.school] = true;
    }
    let mut watch: Vec<usize> =
        (0..schools.len()).filter(|&i| schools[i].category == Category::B && !supported[i]).collect();
    d.shuffle(&mut watch);
    let per_meeting = (watch.len() / 12).max(1);
    for (k, &s) in watch.iter().take(per_meeting * dates.len()).enumerate() {
        let i = k % dates.len();
        let due = add(m.on(i), 28);
        let done = due < today && d.chance(70);
        let owner = ["LA school improvement lead", "Hub director", "Coordinator"][d.below(3)];
        let text = format!("Monitor {}: {} to visit and report back at the next board.", schools[s].name, owner);
        m.add(i, DecisionKind::Monitor, text, owner, Some(schools[s].id), None, Some(due), done);
    }
    // Funding for the proposed work, approved at the last board (added last, so every other
    // decision keeps its number).
    // (A school paying from its own budget needs no approval from the board.)
    let needs_approval = |p: &&Plan| !p.c.funding.to_lowercase().contains("own budget");
    for p in plans.iter().filter(|p| p.c.status == ContractStatus::Proposed).filter(needs_approval) {
        let c = &p.c;
        let text = format!(
            "Approve funding for {} at {}: {} from {}, released when the contract is agreed.",
            c.focus,
            schools[p.school].name,
            crate::domain::money::fmt_pence(c.price_pence()),
            if c.funding.trim().is_empty() { "the alliance's grant" } else { c.funding.trim() }
        );
        m.add(
            last,
            DecisionKind::ApproveFunding,
            text,
            "Chair of the board",
            Some(c.school_id),
            Some(c.id),
            None,
            true,
        );
    }
    let mut decisions = m.decisions;
    decisions.sort_by_key(|(i, _)| *i);
    (meetings, decisions.into_iter().map(|(_, x)| x).collect())
}
