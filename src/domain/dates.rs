//! Dates as coordinators type them, and the academic year.
//!
//! Accepted forms (DESIGN §4): `YYYY-MM-DD`, UK `DD/MM/YYYY` (also `-` or `.` between parts,
//! and two-digit years), `DD/MM`, `today`, `yesterday`, `tomorrow`, `-3` (days ago), `+14`
//! (days ahead). Every refusal says what was wrong and suggests a form that would work.

use chrono::{Datelike, Duration, NaiveDate};
use std::fmt;

/// The months of the year in English, January first (index = month number − 1).
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Why a typed date was refused, phrased for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateError {}

/// Relative offsets beyond this many days are almost certainly typos (and would overflow).
const MAX_OFFSET_DAYS: i64 = 3660;

/// The earliest date alliance accepts anywhere: nothing it records (visits, contracts,
/// reviews, meetings) happened before school-to-school support existed, so an earlier date is
/// a typo (`23/11/0026`, `1900-01-01`).
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// How far ahead a date may be: five years (a long contract's end, a meeting planned ahead).
pub const MAX_YEARS_AHEAD: i32 = 5;

/// Whether `d` is a date alliance accepts relative to `today`: from [`EARLIEST`] to
/// [`MAX_YEARS_AHEAD`] years after `today`. The refusal says which end it is past.
pub fn plausible(d: NaiveDate, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let latest = today.checked_add_months(chrono::Months::new(12 * MAX_YEARS_AHEAD as u32)).unwrap_or(NaiveDate::MAX);
    if d < EARLIEST {
        return Err(DateError(format!(
            "{} is before {} — check the year (dates before 2000 are refused)",
            d.format("%d/%m/%Y"),
            EARLIEST.format("%d/%m/%Y")
        )));
    }
    if d > latest {
        return Err(DateError(format!(
            "{} is more than {MAX_YEARS_AHEAD} years ahead — check the year",
            d.format("%d/%m/%Y")
        )));
    }
    Ok(d)
}

/// Parses a date typed by a person, relative to `today` for the short forms. Dates before
/// [`EARLIEST`] or more than [`MAX_YEARS_AHEAD`] years after `today` are refused ([`plausible`]).
///
/// `DD/MM` with no year picks the year that puts the date nearest to `today`, so "28/08" typed
/// in early September means the August just gone and "03/01" typed in December means January.
pub fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    parse_any_date(input, today).and_then(|d| plausible(d, today))
}

fn parse_any_date(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let s = input.trim();
    let shown = shorten(s);
    if s.is_empty() {
        return Err(DateError("a date is needed — e.g. 23/11/2026, 2026-11-23, today or -2".into()));
    }
    match s.to_ascii_lowercase().as_str() {
        "today" | "t" => return Ok(today),
        "yesterday" | "y" => return Ok(today - Duration::days(1)),
        "tomorrow" => return Ok(today + Duration::days(1)),
        _ => {}
    }
    if let Some(rest) = s.strip_prefix(['+', '-']) {
        // Digits only: a second sign (`+-5`, `--5`) would otherwise flip the direction or, with
        // a huge number, overflow the date arithmetic.
        let digits = rest.trim();
        let n: i64 = digits.parse().ok().filter(|_| is_digits(digits)).ok_or_else(|| {
            DateError(format!("`{shown}` is not a date — use +N or -N for days ahead or ago, e.g. -2"))
        })?;
        if n > MAX_OFFSET_DAYS {
            return Err(DateError(format!(
                "`{shown}` is more than ten years away — type the date instead, e.g. 23/11/2026"
            )));
        }
        let d = if s.starts_with('-') { -n } else { n };
        return today
            .checked_add_signed(Duration::days(d))
            .ok_or_else(|| DateError(format!("`{shown}` is outside the calendar — type the date instead")));
    }
    if let Some(d) = parse_iso(s) {
        return d.ok_or_else(|| not_a_date(&shown, None));
    }
    parse_uk(s, &shown, today)
}

/// `YYYY-MM-DD`: `None` if it does not look ISO, `Some(None)` if it looks ISO but is impossible.
fn parse_iso(s: &str) -> Option<Option<NaiveDate>> {
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 || !parts.iter().all(|p| is_digits(p)) {
        return None;
    }
    let (y, m, d) = (parts[0].parse().ok()?, parts[1].parse().ok()?, parts[2].parse().ok()?);
    Some(NaiveDate::from_ymd_opt(y, m, d))
}

fn parse_uk(s: &str, shown: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let parts: Vec<&str> = s.split(['/', '-', '.']).map(str::trim).collect();
    let numeric = parts.iter().all(|p| is_digits(p) && p.len() <= 4);
    if !numeric || !(2..=3).contains(&parts.len()) || parts[0].len() > 2 || parts[1].len() > 2 {
        return Err(DateError(format!("`{shown}` is not a date — try 23/11/2026, 2026-11-23, today or -2")));
    }
    let day: u32 = parts[0].parse().unwrap_or(0);
    let month: u32 = parts[1].parse().unwrap_or(0);
    let year: Option<i32> = match parts.get(2) {
        None => None,
        Some(y) if y.len() == 2 => Some(2000 + y.parse::<i32>().unwrap_or(0)),
        Some(y) if y.len() == 4 => Some(y.parse().unwrap_or(0)),
        Some(_) => {
            return Err(DateError(format!(
                "`{shown}` has an unclear year — write it with four digits, e.g. 23/11/2026"
            )));
        }
    };
    let swapped = (month > 12 && day <= 12).then_some((month, day));
    match year {
        Some(y) => NaiveDate::from_ymd_opt(y, month, day)
            .ok_or_else(|| not_a_date(shown, swapped.and_then(|(d, m)| NaiveDate::from_ymd_opt(y, m, d)))),
        None => {
            let best = [today.year() - 1, today.year(), today.year() + 1]
                .into_iter()
                .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
                .min_by_key(|d| (*d - today).num_days().abs());
            best.ok_or_else(|| {
                not_a_date(shown, swapped.and_then(|(d, m)| NaiveDate::from_ymd_opt(today.year(), m, d)))
            })
        }
    }
}

fn not_a_date(shown: &str, suggestion: Option<NaiveDate>) -> DateError {
    match suggestion {
        Some(d) => {
            DateError(format!("`{shown}` is not a date — try {} or {}", d.format("%d/%m/%Y"), d.format("%Y-%m-%d")))
        }
        None => DateError(format!("`{shown}` is not a date (no such day) — try e.g. 23/11/2026 or 2026-11-23")),
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Keeps echoed input short and free of control characters in messages.
fn shorten(s: &str) -> String {
    let clean: String = s.chars().filter(|c| !c.is_control()).take(24).collect();
    if s.chars().count() > 24 { format!("{clean}…") } else { clean }
}

/// Formats a date the way coordinators write it: `23 Nov 2026`.
pub fn fmt_date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// Parses a stored ISO date (the database always holds `YYYY-MM-DD`).
pub fn iso(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// An academic year, 1 September (or the configured month) to the day before the next start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcademicYear {
    /// First day of the year.
    pub start: NaiveDate,
    /// Last day of the year (inclusive).
    pub end: NaiveDate,
}

impl AcademicYear {
    /// The academic year that contains `today`, with years starting on the 1st of `start_month`.
    pub fn containing(today: NaiveDate, start_month: u32) -> AcademicYear {
        let month = start_month.clamp(1, 12);
        let first_year = if today.month() >= month { today.year() } else { today.year() - 1 };
        let start = NaiveDate::from_ymd_opt(first_year, month, 1).unwrap_or(today);
        let next = NaiveDate::from_ymd_opt(first_year + 1, month, 1).unwrap_or(today);
        AcademicYear { start, end: next - Duration::days(1) }
    }

    /// The label coordinators use: `2026/27`.
    pub fn label(&self) -> String {
        if self.start.year() == self.end.year() {
            return self.start.year().to_string();
        }
        format!("{}/{:02}", self.start.year(), self.end.year() % 100)
    }

    /// Whether `d` falls within the year (both ends inclusive).
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }
    const TODAY: (i32, u32, u32) = (2026, 11, 23);
    fn today() -> NaiveDate {
        d(TODAY.0, TODAY.1, TODAY.2)
    }

    #[test]
    fn accepts_every_documented_form() {
        let t = today();
        assert_eq!(parse_date("2026-11-23", t), Ok(d(2026, 11, 23)));
        assert_eq!(parse_date("23/11/2026", t), Ok(d(2026, 11, 23)));
        assert_eq!(parse_date("3/9/2026", t), Ok(d(2026, 9, 3)));
        assert_eq!(parse_date("03-09-2026", t), Ok(d(2026, 9, 3)));
        assert_eq!(parse_date("3.9.26", t), Ok(d(2026, 9, 3)));
        assert_eq!(parse_date("today", t), Ok(t));
        assert_eq!(parse_date(" Today ", t), Ok(t));
        assert_eq!(parse_date("yesterday", t), Ok(d(2026, 11, 22)));
        assert_eq!(parse_date("-3", t), Ok(d(2026, 11, 20)));
        assert_eq!(parse_date("+14", t), Ok(d(2026, 12, 7)));
        assert_eq!(parse_date("-0", t), Ok(t));
    }

    #[test]
    fn short_form_picks_nearest_year() {
        assert_eq!(parse_date("20/11", today()), Ok(d(2026, 11, 20)));
        assert_eq!(parse_date("03/01", today()), Ok(d(2027, 1, 3)));
        assert_eq!(parse_date("28/08", d(2026, 9, 2)), Ok(d(2026, 8, 28)));
        assert_eq!(parse_date("20/12", d(2027, 1, 5)), Ok(d(2026, 12, 20)));
        // 29 Feb only exists in a leap year: the nearest one that has it.
        assert_eq!(parse_date("29/02", d(2027, 11, 1)), Ok(d(2028, 2, 29)));
    }

    #[test]
    fn refusals_explain_and_suggest() {
        let t = today();
        let e = parse_date("12/13/2026", t).expect_err("US order is refused");
        assert_eq!(e.0, "`12/13/2026` is not a date — try 13/12/2026 or 2026-12-13");
        let e = parse_date("31/11/2026", t).expect_err("no 31 Nov");
        assert!(e.0.contains("no such day"), "{e}");
        assert!(parse_date("2026-02-30", t).is_err());
        assert!(parse_date("next tuesday", t).expect_err("words").0.contains("try 23/11/2026"));
        assert!(parse_date("", t).expect_err("empty").0.contains("a date is needed"));
        assert!(parse_date("+99999999999999999999", t).is_err());
        assert!(parse_date("+5000", t).expect_err("far").0.contains("ten years"));
        assert!(parse_date("1/1/123", t).expect_err("year").0.contains("four digits"));
        assert!(parse_date("\u{1b}[2J", t).expect_err("escape").0.starts_with("`[2J`"));
    }

    #[test]
    fn academic_year_edges() {
        let y = AcademicYear::containing(d(2026, 11, 23), 9);
        assert_eq!((y.start, y.end), (d(2026, 9, 1), d(2027, 8, 31)));
        assert_eq!(y.label(), "2026/27");
        assert!(y.contains(d(2026, 9, 1)) && y.contains(d(2027, 8, 31)));
        assert!(!y.contains(d(2026, 8, 31)) && !y.contains(d(2027, 9, 1)));
        let aug = AcademicYear::containing(d(2026, 8, 31), 9);
        assert_eq!(aug.label(), "2025/26");
        let sept = AcademicYear::containing(d(2026, 9, 1), 9);
        assert_eq!(sept.label(), "2026/27");
        assert_eq!(AcademicYear::containing(d(2026, 5, 1), 1).label(), "2026");
    }

    #[test]
    fn formats_like_a_coordinator() {
        assert_eq!(fmt_date(d(2026, 11, 3)), "3 Nov 2026");
        assert_eq!(fmt_date(d(2026, 11, 23)), "23 Nov 2026");
    }
}
