//! Delivery: the visits each contract has had so far (never after today, on school days, within
//! the contract's period) with notes of visit and next steps, and its progress reviews every
//! six weeks or so, rated RAG, with summaries in a coordinator's words.

use super::contracts::{Plan, Variant};
use super::dice::{Dice, add, is_holiday, school_day_on_or_after, school_day_on_or_before};
use super::focus::Focus;
use crate::domain::money::MAX_VISIT_DAYS;
use crate::domain::{Activity, ContractStatus, Designation, Rag, Review, Stamp, Visit};
use chrono::NaiveDate;

/// Lower-cases the first letter of a sentence so it can follow "Agreed:", unless it starts a
/// name or an acronym ("Set up" → "set up"; "SLE", "English", "SENCo" stay).
fn decap(s: &str) -> String {
    let first = s.split_whitespace().next().unwrap_or("");
    let mut cs = s.chars();
    match (cs.next(), cs.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase() && !matches!(first, "English" | "SENCo") => {
            format!("{}{}", a.to_lowercase(), &s[a.len_utf8()..])
        }
        _ => s.to_string(),
    }
}

/// Names the contract's own leader where the text says "SLE", "NLE" or "NLG".
fn as_leader(s: &str, des: Designation) -> String {
    let who = match des {
        Designation::Other => "adviser",
        d => d.as_str(),
    };
    s.split(' ')
        .map(|w| {
            let bare = w.trim_end_matches(['.', ',', ';', ':']);
            match bare {
                "SLE" | "NLE" | "NLG" => format!("{who}{}", &w[bare.len()..]),
                _ => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The date `d` moved onto a school day within `lo..=hi` (falls back to `hi`'s school day).
fn fit(d: NaiveDate, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
    let x = school_day_on_or_before(d.min(hi));
    if x >= lo {
        return x;
    }
    school_day_on_or_after(lo).min(hi)
}

fn fill(template: &str, b: i64, now: i64) -> String {
    template.replace("{b}", &b.to_string()).replace("{now}", &now.to_string())
}

/// What a visit found and agreed, drawn from the focus without repeats.
struct Words {
    findings: Vec<usize>,
    steps: Vec<usize>,
}

impl Words {
    fn new(d: &mut Dice, f: &Focus) -> Words {
        let mut findings: Vec<usize> = (0..f.findings.len()).collect();
        let mut steps: Vec<usize> = (0..f.steps.len()).collect();
        d.shuffle(&mut findings);
        d.shuffle(&mut steps);
        Words { findings, steps }
    }
    fn finding(&self, f: &Focus, i: usize) -> &'static str {
        f.findings[self.findings[i % self.findings.len()]]
    }
    fn step(&self, f: &Focus, i: usize) -> &'static str {
        f.steps[self.steps[i % self.steps.len()]]
    }
}

/// The note of visit `i` and its next steps; `next` is the following visit, if any.
#[allow(clippy::too_many_arguments)]
fn visit_text(
    d: &mut Dice,
    p: &Plan,
    words: &Words,
    activity: Activity,
    i: usize,
    n: usize,
    next: Option<NaiveDate>,
    closing: bool,
) -> (String, String) {
    let f = p.focus;
    let lead = f.lead;
    let classes = f.classes;
    let k = d.range(3, 8);
    if closing {
        return (
            format!(
                "End-of-contract meeting with the head and the {lead}: went through the impact against each success criterion and what the school will keep doing."
            ),
            format!(
                "School to sustain the work through the {lead}'s half-termly monitoring; evaluation form sent to the head."
            ),
        );
    }
    let intro = match activity {
        Activity::Diagnostic => format!(
            "Diagnostic visit with the head and the {lead}: learning walk, pupil voice, and a look at books and data for {classes}."
        ),
        Activity::Coaching => format!(
            "Coaching session with the {lead}: went through the actions from last time and rehearsed the next step."
        ),
        Activity::Observation => format!("Joint learning walk with the {lead}, {k} classes."),
        Activity::WorkScrutiny => format!("Work scrutiny with the {lead}: {} books from {classes}.", k * 3),
        Activity::Training => format!("Led a twilight session for {} staff on {}.", k * 3, f.name.to_lowercase()),
        Activity::DataAnalysis => format!("Went through the latest data for {classes} with the head and the {lead}."),
        Activity::ActionPlanning => format!(
            "Joint action planning with the head and the {lead}: the plan now has half-termly milestones and named owners."
        ),
        Activity::Meeting => format!("Progress meeting with the head and the {lead} against the action plan."),
        Activity::GovernanceReview => format!(
            "Governance review with the chair and {} governors: minutes, the skills audit and how the board monitors the plan.",
            k.min(5)
        ),
    };
    let mut notes = format!("{intro} {}", words.finding(f, i));
    if i * 2 > n && d.chance(40) {
        let now = p.b + (p.t - p.b) * (i as i64 * 100 / n.max(1) as i64) / 200;
        notes.push_str(" Since the last visit: ");
        // Progress is told in the order it happens: the focus lists its milestones in order,
        // and the second half of the visits walks through them (the draw is kept so the rest
        // of the sample stays as it was).
        let _ = d.pick(f.progress);
        let stage = ((i * 2 - n) * f.progress.len() / n.max(1)).min(f.progress.len().saturating_sub(1));
        notes.push_str(&decap(&fill(f.progress[stage], p.b, now)));
    } else if i > 0 && d.chance(25) {
        const ASIDES: &[&str] = &[
            "The head joined for the feedback at the end.",
            "Well prepared: evidence ready and the session started on time.",
            "Shorter than planned: the school was dealing with a staffing crisis on the day.",
            "Good engagement from staff; three asked for copies of the materials.",
            "Pupils were keen to talk about what has changed this term.",
        ];
        notes.push(' ');
        notes.push_str(d.pick(ASIDES));
    }
    let mut steps = as_leader(words.step(f, i), p.des);
    if let Some(next) = next.filter(|_| d.chance(60)) {
        steps.push_str(&format!(" Next visit {}.", next.format("%-d %b")));
    }
    (notes, steps)
}

/// A review summary for a RAG rating, `frac` per cent of the way through the contract. `k`
/// numbers the contract's reviews, so consecutive reviews do not repeat each other.
fn summary(d: &mut Dice, p: &Plan, rag: Rag, frac: i64, k: usize, escalate: bool) -> String {
    let f = p.focus;
    let k = k + p.c.id as usize;
    let pick = |xs: &[&'static str]| xs[k % xs.len()];
    let gap = p.t - p.b;
    let dir = gap.signum();
    let now = match rag {
        Rag::Green if frac >= 100 => p.t,
        Rag::Green => {
            let moved = gap * frac * d.range(80, 100) / 10_000;
            p.b + if moved.abs() < 2 { dir * d.range(2, 4) } else { moved }
        }
        Rag::Amber => p.b + gap * frac * d.range(30, 60) / 10_000,
        Rag::Red => p.b + gap * d.range(0, 10) / 100,
    };
    let mut s = match rag {
        Rag::Green => format!("On track. {}", fill(pick(f.progress), p.b, now)),
        Rag::Amber => format!(
            "Needs attention. {} Agreed: {}",
            fill(pick(f.worries), p.b, now),
            decap(&as_leader(pick(f.steps), p.des))
        ),
        Rag::Red => format!(
            "Off track. {} Leaders have not completed the actions agreed at the last two visits.",
            fill(pick(f.worries), p.b, now)
        ),
    };
    if escalate {
        s.push_str(" Escalate to the board: the support is not working as commissioned.");
    }
    s
}

fn next_rag(d: &mut Dice, r: Rag) -> Rag {
    let w: [u32; 3] = match r {
        Rag::Green => [75, 25, 0],
        Rag::Amber => [50, 42, 8],
        Rag::Red => [15, 60, 25],
    };
    [Rag::Green, Rag::Amber, Rag::Red][d.weighted(&w)]
}

fn review(p: &Plan, on: NaiveDate, rag: Rag, summary: String, next: Option<NaiveDate>, escalate: bool) -> Review {
    Review {
        id: 0,
        contract_id: p.c.id,
        reviewed_on: on,
        rag,
        summary,
        next_review_on: next.filter(|n| *n > on).or(next.map(|_| add(on, 7))),
        escalate,
        stamp: Stamp::default(),
    }
}

/// How far through its period a contract is at `on`, in per cent.
fn through(p: &Plan, on: NaiveDate) -> i64 {
    let span = (p.c.end_on - p.c.start_on).num_days().max(1);
    ((on - p.c.start_on).num_days() * 100 / span).clamp(0, 100)
}

/// Visits and reviews for one contract.
pub(crate) fn deliver(d: &mut Dice, p: &Plan, today: NaiveDate, interval: i64) -> (Vec<Visit>, Vec<Review>) {
    let c = &p.c;
    if c.status == ContractStatus::Proposed {
        return (Vec::new(), Vec::new());
    }
    // When visits stop, and how many days they add up to.
    let (dates, sizes): (Vec<NaiveDate>, Vec<f64>) = match &p.script {
        Some(s) => {
            let mut v = s.visits.clone();
            v.sort_by_key(|x| x.0);
            v.into_iter().map(|(o, days)| (fit(add(today, o), c.start_on, today), days)).unzip()
        }
        None => plan_visits(d, p, today),
    };
    let mut visits: Vec<Visit> = Vec::new();
    let n = dates.len();
    let words = Words::new(d, p.focus);
    let nexts: Vec<Option<NaiveDate>> = (0..n).map(|i| dates.get(i + 1).copied()).collect();
    for (i, (mut on, days)) in dates.into_iter().zip(sizes).enumerate() {
        if let Some(prev) = visits.last_mut()
            && on <= prev.visited_on
        {
            // Written visits that a holiday pushed onto the same day go on the next school
            // day; if that is after today, the day's visit is longer.
            let next = school_day_on_or_after(add(prev.visited_on, 1));
            if next <= today && next <= c.end_on {
                on = next;
            } else {
                prev.days = (prev.days + days).min(MAX_VISIT_DAYS);
                continue;
            }
        }
        let closing = i + 1 == n && c.status == ContractStatus::Completed && n > 2;
        let activity = if i == 0 {
            if p.focus.name == "Governance" { Activity::GovernanceReview } else { Activity::Diagnostic }
        } else if closing {
            Activity::Meeting
        } else {
            d.pick(p.focus.activities)
        };
        let (notes, next_steps) = visit_text(d, p, &words, activity, i, n, nexts[i].filter(|x| *x > on), closing);
        visits.push(Visit {
            id: 0,
            contract_id: c.id,
            leader_id: c.leader_id,
            visited_on: on,
            days,
            activity,
            notes,
            next_steps,
            stamp: Stamp::default(),
        });
    }
    let reviews = match &p.script {
        Some(s) => {
            let mut out: Vec<Review> = Vec::new();
            for (k, &(o, rag, esc, next, text)) in s.reviews.iter().enumerate() {
                let on = fit(add(today, o), add(c.start_on, 1), today);
                if out.last().is_some_and(|r| r.reviewed_on >= on) {
                    continue;
                }
                let text = if text.is_empty() { summary(d, p, rag, through(p, on), k, esc) } else { text.to_string() };
                out.push(review(p, on, rag, text, next.map(|x| add(today, x)), esc));
            }
            out
        }
        None => plan_reviews(d, p, today, interval),
    };
    (visits, reviews)
}

/// Dates and sizes of a random contract's visits.
fn plan_visits(d: &mut Dice, p: &Plan, today: NaiveDate) -> (Vec<NaiveDate>, Vec<f64>) {
    let c = &p.c;
    let hi = match (c.status, p.variant) {
        (ContractStatus::Active, Variant::Quiet) => add(today, -d.range(33, 55)),
        (ContractStatus::Active, _) => add(today, -d.range(0, 14)),
        _ => p.stop.unwrap_or(c.end_on),
    }
    .min(today)
    .min(c.end_on);
    let first = school_day_on_or_after(add(c.start_on, d.range(1, 10)));
    if hi < first {
        return (Vec::new(), Vec::new());
    }
    let mut target = match c.status {
        ContractStatus::Completed => c.days_commissioned - if d.chance(20) { 0.5 } else { 0.0 },
        _ => {
            let share = through(p, hi) * d.range(85, 105);
            ((c.days_commissioned * share as f64 / 5_000.0).round() / 2.0).clamp(0.5, c.days_commissioned)
        }
    };
    let whole = match p.des {
        Designation::Nle => 40,
        Designation::Lle => 25,
        Designation::Sle => 12,
        Designation::Nlg => 10,
        Designation::Other => 15,
    };
    // Visits go on school days, spread evenly from the first to the last.
    let mut school_days = Vec::new();
    let mut x = first;
    while x <= hi {
        if !is_holiday(x) {
            school_days.push(x);
        }
        x = add(x, 1);
    }
    if school_days.is_empty() {
        return (Vec::new(), Vec::new());
    }
    target = target.min(school_days.len() as f64);
    let mut sizes = Vec::new();
    while target > 0.0 {
        let size = if target >= 1.0 && (sizes.is_empty() || d.chance(whole)) { 1.0 } else { 0.5 };
        sizes.push(size);
        target -= size;
    }
    while sizes.len() > school_days.len() {
        // Two half days become one whole day (there are always two halves to join here).
        let Some(i) = sizes.iter().rposition(|s| *s == 0.5) else { break };
        sizes.remove(i);
        if let Some(j) = sizes.iter().rposition(|s| *s == 0.5) {
            sizes[j] = 1.0;
        }
    }
    let (n, len) = (sizes.len() as i64, school_days.len() as i64);
    let mut dates = Vec::with_capacity(sizes.len());
    let mut prev = -1;
    for i in 0..n {
        let even = if n == 1 { len - 1 } else { i * (len - 1) / (n - 1) };
        let jitter = if i + 1 == n { 0 } else { d.range(-2, 2) };
        let k = (even + jitter).max(prev + 1).min(len - (n - i));
        prev = k;
        dates.push(school_days[k as usize]);
    }
    (dates, sizes)
}

const ENDED_EARLY: &[&str] = &[
    "the school joined a trust whose own improvement team has taken over",
    "the new head asked to pause external support while they settle in, and the board agreed to end it",
    "the leader's home school could no longer release them this year",
    "the school could not fund the remaining days from its budget",
];

/// Reviews every interval from the start, with what happened at the end.
fn plan_reviews(d: &mut Dice, p: &Plan, today: NaiveDate, interval: i64) -> Vec<Review> {
    let c = &p.c;
    let limit = match c.status {
        ContractStatus::Active => today,
        _ => p.stop.unwrap_or(c.end_on).min(today),
    };
    let mut out: Vec<Review> = Vec::new();
    let mut rag = [Rag::Green, Rag::Amber, Rag::Red][d.weighted(&[55, 40, 5])];
    // On or after: a review due in the holidays is held when school starts again.
    let mut on = school_day_on_or_after(add(c.start_on, interval + d.range(-4, 2)));
    while on <= limit && out.last().is_none_or(|r| r.reviewed_on < on) && on > c.start_on {
        let next = school_day_on_or_after(add(on, interval));
        let escalate = rag == Rag::Red && d.chance(40);
        let text = summary(d, p, rag, through(p, on), out.len(), escalate);
        out.push(review(p, on, rag, text, Some(next), escalate));
        rag = next_rag(d, rag);
        on = school_day_on_or_after(add(next, -d.range(0, 3)));
    }
    match c.status {
        ContractStatus::Active => {
            if p.variant == Variant::Overdue {
                let due_after_drop = match out.len() {
                    0 => None,
                    1 => Some(add(c.start_on, interval)),
                    k => out[k - 2].next_review_on,
                };
                if due_after_drop.is_some_and(|due| due < add(today, -2)) {
                    out.pop();
                }
            }
            let k = out.len();
            if let Some(last) = out.last_mut() {
                let red = p.variant == Variant::RedEnd;
                if red || last.rag == Rag::Red {
                    last.rag = if red { Rag::Red } else { Rag::Amber };
                    last.escalate = red && d.chance(50);
                    last.summary = summary(d, p, last.rag, through(p, last.reviewed_on), k, last.escalate);
                }
            }
        }
        ContractStatus::Paused => {
            let on = fit(p.stop.unwrap_or(today), add(c.start_on, 1), today);
            out.retain(|r| r.reviewed_on < on);
            let resume = school_day_on_or_after(add(today, d.range(20, 60)));
            let text = format!(
                "Paused: {}. Remaining days carried forward; restart agreed for {}.",
                [
                    "the school is between heads and has asked to pause until the new head starts",
                    "the lead for this work is on long-term absence",
                    "the school is focusing on an Ofsted action plan this half term"
                ][d.below(3)],
                resume.format("%-d %B")
            );
            out.push(review(p, on, Rag::Amber, text, Some(resume), false));
        }
        ContractStatus::Completed | ContractStatus::Terminated => {
            let on = fit(p.stop.unwrap_or(c.end_on), add(c.start_on, 1), today);
            out.retain(|r| r.reviewed_on < on);
            let text = if c.status == ContractStatus::Completed {
                let rag = if d.chance(80) { Rag::Green } else { Rag::Amber };
                let body = summary(d, p, rag, 100, out.len(), false);
                let body = body.split_once(". ").map_or(body.as_str(), |(_, rest)| rest);
                let verdict = if rag == Rag::Green { "targets met" } else { "targets partly met" };
                out.push(review(p, on, rag, format!("Final review, {verdict}. {body}"), None, false));
                return out;
            } else {
                format!("Support ended early: {}. Unused days returned to the funder.", d.pick(ENDED_EARLY))
            };
            let rag = if d.chance(50) { Rag::Red } else { Rag::Amber };
            out.push(review(p, on, rag, text, None, false));
        }
        ContractStatus::Proposed => {}
    }
    out
}
