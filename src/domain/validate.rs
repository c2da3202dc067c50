//! Record-level validation, shared by the TUI forms, the CLI and the store (which re-checks
//! before every write, so no path can store a record these rules refuse).
//!
//! Errors stop a save; warnings are shown and the save goes ahead (DESIGN §4: a visit outside
//! its contract's period is warned about, not forbidden).

use super::dates::fmt_date;
use super::enums::{ContractStatus, Rag};
use super::money::{MAX_PENCE, MAX_VISIT_DAYS, fmt_days};
use super::records::*;
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;
use std::fmt;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Level {
    /// Refuses the save.
    Error,
    /// Shown, but the save goes ahead.
    Warning,
}

/// One problem with one field (or the whole form when `field` is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The field's name as the form and the CLI know it (`end_on`, `days` …).
    pub field: &'static str,
    /// What is wrong, in words a coordinator can act on.
    pub message: String,
    /// Error or warning.
    pub level: Level,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Collects problems; the checks below read like the rules they enforce.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    fn error(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(Problem { field, message: message.into(), level: Level::Error });
    }
    fn warn(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(Problem { field, message: message.into(), level: Level::Warning });
    }
    /// Whether any problem refuses the save.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|p| p.level == Level::Error)
    }
    /// Only the errors.
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter(|p| p.level == Level::Error)
    }
    /// Only the warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter(|p| p.level == Level::Warning)
    }
    /// The first problem for `field`, if any.
    pub fn for_field(&self, field: &str) -> Option<&Problem> {
        self.0.iter().find(|p| p.field == field)
    }
    /// Errors joined into one sentence list, for the CLI.
    pub fn error_text(&self) -> String {
        self.errors().map(|p| p.message.as_str()).collect::<Vec<_>>().join("; ")
    }
}

/// Longest single-line value (names, focus); notes may be long (100 KB).
pub const MAX_LINE: usize = 200;
/// Longest free text (notes, aims); generous so pasted minutes are kept whole.
pub const MAX_TEXT: usize = 200_000;

fn required_line(p: &mut Problems, field: &'static str, what: &str, v: &str) {
    if v.trim().is_empty() {
        p.error(field, format!("{what} is needed"));
    } else if v.chars().count() > MAX_LINE {
        p.error(field, format!("{what} is too long (at most {MAX_LINE} characters)"));
    } else if v.contains(['\n', '\r']) {
        p.error(field, format!("{what} must be one line"));
    }
}

fn optional_line(p: &mut Problems, field: &'static str, what: &str, v: &str) {
    if !v.trim().is_empty() {
        required_line(p, field, what, v);
    }
}

fn text(p: &mut Problems, field: &'static str, what: &str, v: &str) {
    if v.len() > MAX_TEXT {
        p.error(field, format!("{what} is too long (at most {} KB)", MAX_TEXT / 1000));
    }
}

fn whole_or_half(v: f64) -> bool {
    v.is_finite() && (v * 2.0).fract() == 0.0
}

/// The longest a term or closure may run: an academic year.
pub const MAX_TERM_DAYS: i64 = 366;

/// Checks a term or closure: it ends on or after it starts, within a year, with a one-line label.
pub fn term(t: &super::calendar::Term) -> Problems {
    let mut p = Problems::default();
    if t.ends_on < t.starts_on {
        p.error(
            "ends_on",
            format!("{} is before {} — give the first day, then the last", fmt_date(t.ends_on), fmt_date(t.starts_on)),
        );
    } else if (t.ends_on - t.starts_on).num_days() >= MAX_TERM_DAYS {
        p.error(
            "ends_on",
            format!(
                "{} to {} is longer than a year — give each term separately",
                fmt_date(t.starts_on),
                fmt_date(t.ends_on)
            ),
        );
    }
    optional_line(&mut p, "label", "The label", &t.label);
    p
}

/// Checks a school record.
pub fn school(s: &School) -> Problems {
    let mut p = Problems::default();
    required_line(&mut p, "name", "the school's name", &s.name);
    if let Some(urn) = s.urn
        && !(100_000..=999_999).contains(&urn)
    {
        p.error("urn", format!("URN {urn} is not a DfE URN (six digits, e.g. 113525)"));
    }
    if s.pupils.is_some_and(|n| !(0..=10_000).contains(&n)) {
        p.error("pupils", "pupils on roll must be between 0 and 10,000");
    }
    for (field, what, v) in [
        ("school_type", "the school type", &s.school_type),
        ("la_name", "the local authority", &s.la_name),
        ("postcode", "the postcode", &s.postcode),
        ("trust", "the trust", &s.trust),
        ("headteacher", "the headteacher", &s.headteacher),
    ] {
        optional_line(&mut p, field, what, v);
    }
    text(&mut p, "notes", "the notes", &s.notes);
    p
}

/// Checks a system leader.
pub fn leader(l: &Leader) -> Problems {
    let mut p = Problems::default();
    required_line(&mut p, "name", "the leader's name", &l.name);
    if !(l.days_per_year.is_finite() && (0.0..=220.0).contains(&l.days_per_year)) {
        p.error("days_per_year", "capacity must be between 0 and 220 days a year");
    } else if !whole_or_half(l.days_per_year) {
        p.error("days_per_year", "capacity is in whole or half days");
    }
    if !(0..=MAX_PENCE).contains(&l.day_rate_pence) {
        p.error("day_rate_pence", "the day rate must be £0 or more");
    }
    optional_line(&mut p, "specialisms", "the specialisms", &l.specialisms);
    optional_line(&mut p, "email", "the email", &l.email);
    if !l.email.trim().is_empty() && !l.email.contains('@') {
        p.error("email", format!("`{}` is not an email address", l.email.trim()));
    }
    optional_line(&mut p, "phone", "the phone number", &l.phone);
    p
}

/// Checks a contract: time-limited, days > 0, and the lifecycle move from `before` (if editing).
pub fn contract(c: &Contract, before: Option<ContractStatus>) -> Problems {
    let mut p = Problems::default();
    if c.school_id <= 0 {
        p.error("school_id", "choose the supported school");
    }
    if c.leader_id <= 0 {
        p.error("leader_id", "choose the system leader");
    }
    required_line(&mut p, "focus", "the focus", &c.focus);
    text(&mut p, "aims", "the aims", &c.aims);
    text(&mut p, "success_criteria", "the success criteria", &c.success_criteria);
    if c.end_on <= c.start_on {
        p.error("end_on", format!("end date is not after the start ({})", fmt_date(c.start_on)));
    }
    if !(c.days_commissioned.is_finite() && c.days_commissioned > 0.0) {
        p.error("days_commissioned", "days commissioned must be more than zero");
    } else if !whole_or_half(c.days_commissioned) {
        p.error("days_commissioned", "days commissioned are whole or half days");
    } else if c.days_commissioned > 220.0 {
        p.error("days_commissioned", "more than 220 days is more than a school year");
    }
    if !(0..=MAX_PENCE).contains(&c.day_rate_pence) {
        p.error("day_rate_pence", "the day rate must be £0 or more");
    }
    optional_line(&mut p, "funding", "the funding source", &c.funding);
    if let Some(b) = before
        && !b.can_become(c.status)
    {
        p.error("status", format!("a {b} contract cannot become {}", c.status));
    }
    p
}

/// Checks a visit against its contract and today (future visits cannot have happened yet).
pub fn visit(v: &Visit, contract: Option<&Contract>, today: NaiveDate) -> Problems {
    let mut p = Problems::default();
    match contract {
        None => p.error("contract_id", "choose the contract this visit delivers"),
        Some(c) => {
            if !c.status.is_live() {
                p.error(
                    "contract_id",
                    format!("the contract is {}; visits are logged for active or paused contracts", c.status),
                );
            }
            if v.visited_on < c.start_on - chrono::Duration::days(365) {
                p.error(
                    "visited_on",
                    format!(
                        "{} is more than a year before the contract started ({}) — check the date",
                        fmt_date(v.visited_on),
                        fmt_date(c.start_on)
                    ),
                );
            } else if v.visited_on < c.start_on || v.visited_on > c.end_on {
                p.warn(
                    "visited_on",
                    format!("outside the contract's period ({} – {})", fmt_date(c.start_on), fmt_date(c.end_on)),
                );
            }
        }
    }
    if v.leader_id <= 0 {
        p.error("leader_id", "choose who visited");
    }
    if let Some(day) = weekend(v.visited_on) {
        p.warn(
            "visited_on",
            format!("{} is a {day} — schools are closed at weekends; check the date", fmt_date(v.visited_on)),
        );
    }
    if v.visited_on > today {
        p.error("visited_on", format!("{} is in the future — log visits on or after the day", fmt_date(v.visited_on)));
    } else if let Err(e) = crate::domain::dates::plausible(v.visited_on, today) {
        p.error("visited_on", e.0);
    }
    if !(v.days.is_finite() && v.days > 0.0) {
        p.error("days", "days must be more than zero");
    } else if !whole_or_half(v.days) {
        p.error("days", format!("{} days: use whole or half days", fmt_days(v.days)));
    } else if v.days > MAX_VISIT_DAYS {
        p.error("days", format!("one visit records at most {MAX_VISIT_DAYS} days"));
    }
    text(&mut p, "notes", "the notes", &v.notes);
    text(&mut p, "next_steps", "the next steps", &v.next_steps);
    p
}

/// `Saturday` or `Sunday` when `d` falls at a weekend.
pub fn weekend(d: NaiveDate) -> Option<&'static str> {
    match d.weekday() {
        Weekday::Sat => Some("Saturday"),
        Weekday::Sun => Some("Sunday"),
        _ => None,
    }
}

/// A visit dated on a weekday the term dates show as a holiday (weekends are warned of by
/// [`visit`]): saved, with a warning — a catch-up day does happen, a mistyped date more often.
pub fn visit_in_holiday(v: &Visit, calendar: &super::calendar::Calendar) -> Problems {
    let mut p = Problems::default();
    if weekend(v.visited_on).is_none() && !calendar.is_school_day(v.visited_on) {
        p.warn(
            "visited_on",
            format!("{} is in the school holidays (term dates) — check the date", fmt_date(v.visited_on)),
        );
    }
    p
}

/// How far on a review suggests the next one, in the interval's units (school days): the usual
/// interval, or half of it for a red review escalated to the board (the board wants to hear
/// again sooner).
pub fn next_review_interval(interval: i64, rag: Option<Rag>, escalate: bool) -> i64 {
    if rag == Some(Rag::Red) && escalate { (interval / 2).max(1) } else { interval.max(1) }
}

/// Warnings a visit earns from where its contract stands: it takes delivery past the days
/// commissioned, or the contract is paused. `delivered_before` is the contract's delivered days
/// without this visit. Saved anyway: the board decides what happens next.
pub fn visit_delivery(v: &Visit, c: &Contract, delivered_before: f64) -> Problems {
    let mut p = Problems::default();
    let after = delivered_before + v.days;
    if after > c.days_commissioned + 1e-9 {
        p.warn(
            "days",
            format!(
                "this takes the contract to {} of its {} days — past what was commissioned",
                fmt_days(after),
                fmt_days(c.days_commissioned)
            ),
        );
    }
    if c.status == ContractStatus::Paused {
        p.warn("contract_id", "the contract is paused");
    }
    p
}

/// Checks a correction to a visit already on record: the rules of [`visit`], except that the
/// contract may have closed since — correcting its history is allowed, with a warning.
pub fn visit_correction(v: &Visit, contract: Option<&Contract>, today: NaiveDate) -> Problems {
    let mut p = visit(v, contract, today);
    if let Some(c) = contract.filter(|c| !c.status.is_live()) {
        p.0.retain(|x| x.field != "contract_id");
        p.warn("contract_id", format!("the contract is {} — this corrects its record", c.status));
    }
    p
}

/// Checks a progress review.
pub fn review(r: &Review, today: NaiveDate) -> Problems {
    let mut p = Problems::default();
    if r.contract_id <= 0 {
        p.error("contract_id", "choose the contract under review");
    }
    if r.reviewed_on > today {
        p.error("reviewed_on", "a review cannot be dated in the future");
    }
    if let Some(n) = r.next_review_on
        && n <= r.reviewed_on
    {
        p.error("next_review_on", format!("the next review must be after this one ({})", fmt_date(r.reviewed_on)));
    }
    if r.summary.trim().is_empty() {
        p.error("summary", "the summary is needed: what was reviewed, and the evidence for the rating");
    }
    text(&mut p, "summary", "the summary", &r.summary);
    p
}

/// Checks an inspection: it needs an outcome as published (or a grade to word it from) — one
/// without would become the school's latest and hide what the one before it said — and a grade
/// is 1 to 4.
pub fn inspection(i: &Inspection) -> Problems {
    let mut p = Problems::default();
    if i.outcome.trim().is_empty() {
        p.error("outcome", "the outcome is needed, as published (e.g. Requires improvement), or a grade");
    }
    if i.grade.is_some_and(|g| !(1..=4).contains(&g)) {
        p.error("grade", "grade is 1 to 4, or none");
    }
    text(&mut p, "areas", "the areas", &i.areas);
    p
}

/// Checks a board decision.
pub fn decision(d: &Decision) -> Problems {
    let mut p = Problems::default();
    if d.text.trim().is_empty() {
        p.error("text", "the decision's wording is needed");
    }
    text(&mut p, "text", "the decision", &d.text);
    optional_line(&mut p, "owner", "the owner", &d.owner);
    if d.kind == super::DecisionKind::Recategorise {
        // A re-categorisation changes the school's category: which school, to what, why (the
        // text) and when the board looks at it again.
        if d.school_id.is_none() {
            p.error("school_id", "a re-categorisation needs the school");
        }
        if d.category.is_none() {
            p.error("category", "a re-categorisation needs the new category (A, B, C or D)");
        }
        if d.due_on.is_none() {
            p.error("due_on", "a re-categorisation needs the date it is reviewed (the due date)");
        }
    } else if d.category.is_some() {
        p.error("category", "only a recategorise decision sets a new category");
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn contract_fixture() -> Contract {
        Contract {
            id: 1,
            school_id: 1,
            leader_id: 1,
            focus: "KS1 writing".into(),
            aims: String::new(),
            success_criteria: String::new(),
            start_on: d(2026, 9, 3),
            end_on: d(2027, 3, 31),
            days_commissioned: 8.0,
            day_rate_pence: 35_000,
            funding: String::new(),
            funding_stream_id: None,
            status: ContractStatus::Active,
            stamp: Stamp::default(),
        }
    }

    #[test]
    fn contract_rules() {
        let ok = contract_fixture();
        assert!(!contract(&ok, None).has_errors());
        let mut c = ok.clone();
        c.end_on = d(2026, 9, 1);
        let p = contract(&c, None);
        assert_eq!(
            p.for_field("end_on").map(|p| p.message.as_str()),
            Some("end date is not after the start (3 Sep 2026)")
        );
        c.end_on = c.start_on;
        assert!(contract(&c, None).for_field("end_on").is_some(), "same day is not after");
        let mut c = ok.clone();
        c.days_commissioned = 0.0;
        assert!(contract(&c, None).for_field("days_commissioned").is_some());
        c.days_commissioned = 2.25;
        assert!(contract(&c, None).for_field("days_commissioned").is_some());
        c.days_commissioned = 0.5;
        assert!(!contract(&c, None).has_errors());
        let mut c = ok.clone();
        c.status = ContractStatus::Active;
        assert!(contract(&c, Some(ContractStatus::Completed)).for_field("status").is_some());
        let mut c = ok;
        c.focus = "  ".into();
        assert!(contract(&c, None).for_field("focus").is_some());
        assert_eq!(c.price_pence(), 280_000);
    }

    fn visit_fixture() -> Visit {
        Visit {
            id: 0,
            contract_id: 1,
            leader_id: 1,
            visited_on: d(2026, 11, 20),
            days: 1.0,
            activity: Activity::Coaching,
            notes: String::new(),
            next_steps: String::new(),
            stamp: Stamp::default(),
        }
    }

    #[test]
    fn visit_rules() {
        let today = d(2026, 11, 23);
        let c = contract_fixture();
        let v = visit_fixture();
        assert!(visit(&v, Some(&c), today).0.is_empty());
        let mut v2 = v.clone();
        v2.visited_on = today;
        assert!(!visit(&v2, Some(&c), today).has_errors(), "today is allowed");
        v2.visited_on = d(2026, 11, 24);
        assert!(visit(&v2, Some(&c), today).for_field("visited_on").is_some());
        let mut v3 = v.clone();
        v3.visited_on = d(2026, 9, 1);
        let p = visit(&v3, Some(&c), today);
        assert!(!p.has_errors(), "outside the period is only a warning");
        assert_eq!(p.warnings().count(), 1);
        let mut v4 = v.clone();
        v4.days = 0.5;
        assert!(!visit(&v4, Some(&c), today).has_errors());
        v4.days = 0.3;
        assert!(visit(&v4, Some(&c), today).has_errors());
        v4.days = f64::NAN;
        assert!(visit(&v4, Some(&c), today).has_errors());
        let mut closed = c.clone();
        closed.status = ContractStatus::Completed;
        assert!(visit(&v, Some(&closed), today).for_field("contract_id").is_some());
        let mut paused = c;
        paused.status = ContractStatus::Paused;
        assert!(!visit(&v, Some(&paused), today).has_errors(), "paused is live");
        assert!(visit(&v, None, today).has_errors());
    }

    #[test]
    fn school_and_leader_rules() {
        let s = School {
            id: 0,
            urn: Some(12),
            name: "".into(),
            phase: Phase::Primary,
            school_type: String::new(),
            la_name: String::new(),
            postcode: String::new(),
            pupils: Some(-1),
            trust: String::new(),
            headteacher: "A\nB".into(),
            member: true,
            category: Category::A,
            notes: "x".repeat(MAX_TEXT + 1),
            religious_character: String::new(),
            diocese: String::new(),
            trust_code: String::new(),
            closed_on: None,
            stamp: Stamp::default(),
        };
        let p = school(&s);
        for f in ["name", "urn", "pupils", "headteacher", "notes"] {
            assert!(p.for_field(f).is_some(), "{f} should be refused");
        }
        let l = Leader {
            id: 0,
            name: "Ann Lee".into(),
            designation: Designation::Sle,
            home_school_id: None,
            specialisms: "Maths; Phonics ,".into(),
            days_per_year: 15.5,
            day_rate_pence: 35_000,
            email: "nope".into(),
            phone: String::new(),
            active: true,
            stamp: Stamp::default(),
        };
        let p = leader(&l);
        assert_eq!(p.0.len(), 1);
        assert!(p.for_field("email").is_some());
        assert_eq!(l.specialism_tags(), vec!["Maths", "Phonics"]);
    }

    #[test]
    fn weekend_visits_warn_and_red_escalations_come_back_sooner() {
        let mut v = visit_fixture();
        for (day, word) in
            [(d(2026, 11, 21), Some("Saturday")), (d(2026, 11, 22), Some("Sunday")), (d(2026, 11, 20), None)]
        {
            v.visited_on = day;
            let p = visit(&v, Some(&contract_fixture()), d(2026, 11, 23));
            let w = p.warnings().find(|x| x.field == "visited_on" && x.message.contains("weekend"));
            assert_eq!(w.is_some(), word.is_some(), "{day}");
            assert!(!p.has_errors() || word.is_none(), "a weekend visit is a warning, not an error");
        }
        assert_eq!(next_review_interval(30, Some(Rag::Red), true), 15);
        assert_eq!(next_review_interval(30, Some(Rag::Red), false), 30);
        assert_eq!(next_review_interval(30, Some(Rag::Amber), true), 30);
        assert_eq!(next_review_interval(30, None, false), 30);
        assert_eq!(next_review_interval(1, Some(Rag::Red), true), 1, "never today");
    }

    #[test]
    fn an_inspection_needs_an_outcome_for_every_front_end() {
        let mut i = Inspection {
            id: 0,
            school_id: 1,
            inspected_on: d(2026, 11, 1),
            framework: Framework::Graded,
            outcome: "  ".into(),
            grade: None,
            safeguarding_met: None,
            areas: String::new(),
            category_of_concern: None,
            kind: InspectionKind::Standard,
            stamp: Stamp::default(),
        };
        assert!(inspection(&i).for_field("outcome").is_some());
        i.outcome = "Good".into();
        assert!(!inspection(&i).has_errors());
        i.grade = Some(5);
        assert!(inspection(&i).for_field("grade").is_some());
    }

    #[test]
    fn review_rules() {
        let today = d(2026, 11, 23);
        let mut r = Review {
            id: 0,
            contract_id: 1,
            reviewed_on: today,
            rag: Rag::Amber,
            summary: "   ".into(),
            next_review_on: Some(d(2027, 1, 4)),
            escalate: false,
            stamp: Stamp::default(),
        };
        assert!(review(&r, today).for_field("summary").is_some(), "a blank summary is refused");
        r.summary = "Phonics screening practice on track; reading leader observed two lessons.".into();
        assert!(!review(&r, today).has_errors());
        r.next_review_on = Some(today);
        assert!(review(&r, today).for_field("next_review_on").is_some());
        r.next_review_on = None;
        r.reviewed_on = d(2026, 12, 1);
        assert!(review(&r, today).for_field("reviewed_on").is_some());
    }
}
