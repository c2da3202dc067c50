//! The sample's term dates: a city LA's published dates for 2025/26 and 2026/27, as issue #13
//! gives them. Terms are the days schools are open; the half terms are closures inside them.

use crate::domain::{Stamp, Term, TermKind};
use chrono::NaiveDate;

/// A day as (year, month, day).
type Ymd = (i32, u32, u32);

/// (first day, last day, label, kind), in date order.
const DATES: &[(Ymd, Ymd, &str, TermKind)] = &[
    ((2025, 9, 3), (2025, 12, 19), "Autumn term 2025", TermKind::Term),
    ((2025, 10, 27), (2025, 10, 31), "Autumn half term 2025", TermKind::Closure),
    ((2026, 1, 5), (2026, 3, 27), "Spring term 2026", TermKind::Term),
    ((2026, 2, 16), (2026, 2, 20), "Spring half term 2026", TermKind::Closure),
    ((2026, 4, 13), (2026, 7, 17), "Summer term 2026", TermKind::Term),
    ((2026, 5, 25), (2026, 5, 29), "Summer half term 2026", TermKind::Closure),
    ((2026, 9, 3), (2026, 12, 18), "Autumn term 2026", TermKind::Term),
    ((2026, 10, 26), (2026, 10, 30), "Autumn half term 2026", TermKind::Closure),
    ((2027, 1, 4), (2027, 3, 26), "Spring term 2027", TermKind::Term),
    ((2027, 2, 15), (2027, 2, 19), "Spring half term 2027", TermKind::Closure),
    ((2027, 4, 12), (2027, 7, 21), "Summer term 2027", TermKind::Term),
    ((2027, 5, 31), (2027, 6, 4), "Summer half term 2027", TermKind::Closure),
];

/// The term dates, with ids from 1 in date order.
pub(crate) fn terms() -> Vec<Term> {
    let day = |(y, m, d): Ymd| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
    DATES
        .iter()
        .enumerate()
        .map(|(i, (a, b, label, kind))| Term {
            id: i as i64 + 1,
            starts_on: day(*a),
            ends_on: day(*b),
            label: (*label).to_string(),
            kind: *kind,
            stamp: Stamp::default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Weekday};

    #[test]
    fn the_dates_are_as_published() {
        let t = terms();
        assert_eq!(t.len(), 12);
        assert_eq!(t[0].starts_on.weekday(), Weekday::Wed, "Wed 3 Sep 2025");
        assert_eq!(t[6].starts_on.weekday(), Weekday::Thu, "Thu 3 Sep 2026");
        assert_eq!(t[10].ends_on.weekday(), Weekday::Wed, "Wed 21 Jul 2027");
        for x in &t {
            assert!(x.starts_on <= x.ends_on, "{}", x.label);
            assert!(crate::domain::validate::term(x).0.is_empty(), "{}", x.label);
        }
    }
}
