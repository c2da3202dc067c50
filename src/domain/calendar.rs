//! Term time (DESIGN §5, round two): the days schools are open, from the `terms` table, so
//! that windows named in days ("no visit for 20 days", "review every 30 days") count *school
//! days* and the summer holiday makes nothing overdue.
//!
//! - A **school day** is a weekday inside a recorded term and not inside a closure (a half
//!   term, a training day, a bank holiday).
//! - An academic year with at least one recorded term is a **recorded year**: outside its
//!   terms is holiday. In a year with no terms recorded, every weekday that is not a closure is
//!   a school day, so forgetting next year's dates never silences every alert — and the
//!   dashboard says so ([`Calendar::missing_year`]).
//! - Counting uses merged holiday spans and weekday arithmetic, so a count over years costs a
//!   handful of steps, not one per day (the national sample has 40,000 contracts).

use super::dates::AcademicYear;
use super::enums::TermKind;
use super::records::Stamp;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// One row of `terms`: a term, or a closure within one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    /// Row id (0 before insert).
    pub id: i64,
    /// First day (inclusive).
    pub starts_on: NaiveDate,
    /// Last day (inclusive).
    pub ends_on: NaiveDate,
    /// As the LA publishes it: "Autumn term 2026", "Half term", "Training day".
    pub label: String,
    /// Term or closure.
    pub kind: TermKind,
    /// Revision stamp.
    pub stamp: Stamp,
}

/// The school-day calendar built from the recorded terms and closures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calendar {
    /// Days that are never school days, merged, sorted, inclusive: the holidays of recorded
    /// years and every closure.
    shut: Vec<(NaiveDate, NaiveDate)>,
    /// First days of the recorded academic years, sorted.
    recorded: Vec<NaiveDate>,
    /// First month of the academic year.
    start_month: u32,
}

/// Weekdays in `a..=b` (0 when b < a).
fn weekdays(a: NaiveDate, b: NaiveDate) -> i64 {
    if b < a {
        return 0;
    }
    let days = (b - a).num_days() + 1;
    let (weeks, rest) = (days / 7, days % 7);
    let first = i64::from(a.weekday().num_days_from_monday());
    let extra = (0..rest).filter(|i| (first + i) % 7 < 5).count() as i64;
    weeks * 5 + extra
}

fn is_weekday(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Calendar {
    /// Builds the calendar from `terms` rows (terms and closures), with academic years starting
    /// in `start_month`.
    pub fn new(rows: &[Term], start_month: u32) -> Calendar {
        let mut recorded: Vec<NaiveDate> = rows
            .iter()
            .filter(|t| t.kind == TermKind::Term)
            .map(|t| AcademicYear::containing(t.starts_on, start_month).start)
            .collect();
        recorded.sort();
        recorded.dedup();
        let mut shut: Vec<(NaiveDate, NaiveDate)> = Vec::new();
        for start in &recorded {
            let year = AcademicYear::containing(*start, start_month);
            // The year minus its terms.
            let mut open: Vec<(NaiveDate, NaiveDate)> = rows
                .iter()
                .filter(|t| t.kind == TermKind::Term && t.ends_on >= year.start && t.starts_on <= year.end)
                .map(|t| (t.starts_on.max(year.start), t.ends_on.min(year.end)))
                .collect();
            open.sort();
            let mut from = year.start;
            for (a, b) in open {
                if a > from {
                    shut.push((from, a - Duration::days(1)));
                }
                from = from.max(b + Duration::days(1));
            }
            if from <= year.end {
                shut.push((from, year.end));
            }
        }
        shut.extend(rows.iter().filter(|t| t.kind == TermKind::Closure).map(|t| (t.starts_on, t.ends_on)));
        shut.sort();
        let mut merged: Vec<(NaiveDate, NaiveDate)> = Vec::new();
        for (a, b) in shut.into_iter().filter(|(a, b)| a <= b) {
            match merged.last_mut() {
                Some(last) if a <= last.1 + Duration::days(1) => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        Calendar { shut: merged, recorded, start_month: start_month.clamp(1, 12) }
    }

    /// The holiday span containing `d`, if any.
    fn shut_span(&self, d: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let i = self.shut.partition_point(|(a, _)| *a <= d);
        i.checked_sub(1).map(|i| self.shut[i]).filter(|(_, b)| d <= *b)
    }

    /// Whether schools are open on `d`.
    pub fn is_school_day(&self, d: NaiveDate) -> bool {
        is_weekday(d) && self.shut_span(d).is_none()
    }

    /// School days after `from` up to and including `to` (0 when `to` ≤ `from`): how many
    /// school days have passed since `from`, on `to`.
    pub fn school_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let Some(a) = from.succ_opt() else { return 0 };
        if to < a {
            return 0;
        }
        let mut n = weekdays(a, to);
        let first = self.shut.partition_point(|(_, b)| *b < a);
        for (s, e) in self.shut[first..].iter().take_while(|(s, _)| *s <= to) {
            n -= weekdays((*s).max(a), (*e).min(to));
        }
        n
    }

    /// `d` if it is a school day, else the next school day after it.
    pub fn on_or_after(&self, d: NaiveDate) -> NaiveDate {
        let mut x = d;
        // Each step either leaves a holiday span or a weekend, so this ends quickly.
        for _ in 0..10_000 {
            if let Some((_, end)) = self.shut_span(x) {
                x = end.succ_opt().unwrap_or(x);
            } else if !is_weekday(x) {
                x = x.succ_opt().unwrap_or(x);
            } else {
                return x;
            }
        }
        x
    }

    /// The `n`th school day after `d` (`d` itself when n ≤ 0).
    pub fn add_school_days(&self, d: NaiveDate, n: i64) -> NaiveDate {
        let mut x = d;
        for _ in 0..n.max(0) {
            x = self.on_or_after(x.succ_opt().unwrap_or(x));
        }
        x
    }

    /// The academic year containing `today` when none of its terms are recorded (so every
    /// weekday counts as a school day in it): what the dashboard warns about.
    pub fn missing_year(&self, today: NaiveDate) -> Option<AcademicYear> {
        let year = AcademicYear::containing(today, self.start_month.max(1));
        (!self.recorded.contains(&year.start)).then_some(year)
    }

    /// Whether any term is recorded.
    pub fn has_terms(&self) -> bool {
        !self.recorded.is_empty()
    }
}

/// The warning shown when today's academic year has no term dates: "no term dates for 2027/28".
pub fn missing_note(year: &AcademicYear) -> String {
    format!("no term dates for {}", year.label())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn row(a: &str, b: &str, kind: TermKind) -> Term {
        Term { id: 0, starts_on: d(a), ends_on: d(b), label: String::new(), kind, stamp: Stamp::default() }
    }

    /// 2025/26 as the sample carries it.
    fn year() -> Calendar {
        Calendar::new(
            &[
                row("2025-09-03", "2025-12-19", TermKind::Term),
                row("2025-10-27", "2025-10-31", TermKind::Closure),
                row("2026-01-05", "2026-03-27", TermKind::Term),
                row("2026-02-16", "2026-02-20", TermKind::Closure),
                row("2026-04-13", "2026-07-17", TermKind::Term),
                row("2026-05-25", "2026-05-29", TermKind::Closure),
            ],
            9,
        )
    }

    #[test]
    fn school_days_are_weekdays_in_term_outside_closures() {
        let c = year();
        assert!(c.is_school_day(d("2025-09-03")));
        assert!(!c.is_school_day(d("2025-09-02")), "before the autumn term");
        assert!(!c.is_school_day(d("2025-09-06")), "a Saturday");
        assert!(!c.is_school_day(d("2025-10-29")), "half term");
        assert!(!c.is_school_day(d("2026-08-12")), "summer holiday");
        assert!(c.is_school_day(d("2026-07-17")));
        // 2026/27 is not recorded: weekdays count.
        assert!(c.is_school_day(d("2026-09-01")));
        assert_eq!(c.missing_year(d("2026-09-01")).map(|y| y.label()), Some("2026/27".into()));
        assert_eq!(c.missing_year(d("2026-07-17")), None);
    }

    #[test]
    fn counting_matches_a_day_by_day_walk() {
        let c = year();
        for (a, b) in [
            ("2025-08-01", "2026-10-01"),
            ("2025-10-24", "2025-11-03"),
            ("2026-07-17", "2026-09-03"),
            ("2025-12-19", "2026-01-05"),
            ("2026-03-01", "2026-03-01"),
        ] {
            let (a, b) = (d(a), d(b));
            let walk = a.iter_days().skip(1).take_while(|x| *x <= b).filter(|x| c.is_school_day(*x)).count() as i64;
            assert_eq!(c.school_days_between(a, b), walk, "{a}..{b}");
        }
        assert_eq!(c.school_days_between(d("2025-10-24"), d("2025-11-03")), 1, "half term and a weekend skipped");
        assert_eq!(c.school_days_between(d("2026-07-17"), d("2026-08-31")), 0, "the summer holiday counts nothing");
    }

    #[test]
    fn adding_school_days_skips_holidays() {
        let c = year();
        assert_eq!(c.add_school_days(d("2025-10-24"), 1), d("2025-11-03"));
        assert_eq!(c.add_school_days(d("2025-12-12"), 10), d("2026-01-09"));
        assert_eq!(c.on_or_after(d("2026-08-10")), d("2026-09-01"), "next year unrecorded: its first weekday");
        assert_eq!(c.on_or_after(d("2026-02-17")), d("2026-02-23"));
        assert_eq!(c.on_or_after(d("2026-02-23")), d("2026-02-23"));
    }

    #[test]
    fn with_no_terms_every_weekday_counts() {
        let c = Calendar::new(&[], 9);
        assert!(!c.has_terms());
        assert_eq!(c.school_days_between(d("2026-11-02"), d("2026-11-30")), 20);
        assert_eq!(c.add_school_days(d("2026-11-02"), 30), d("2026-12-14"));
    }
}
