//! The generator's only source of randomness, and the school calendar it places dates on.
//!
//! Every draw goes through a seeded ChaCha8 stream and samples `u64`/`i64` ranges (never
//! `usize`), so the same seed gives the same data on every platform. Probabilities are whole
//! percentages, so no float rounding can tip a draw one way on one machine and another elsewhere.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A seeded random stream with the few helpers the generator needs.
pub(crate) struct Dice(ChaCha8Rng);

impl Dice {
    /// A stream that depends only on `seed`.
    pub fn new(seed: u64) -> Dice {
        Dice(ChaCha8Rng::seed_from_u64(seed))
    }

    /// A number in `0..n` (0 when `n` is 0 or 1).
    pub fn below(&mut self, n: usize) -> usize {
        if n <= 1 { 0 } else { self.0.random_range(0..n as u64) as usize }
    }

    /// A number in `lo..=hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo { lo } else { self.0.random_range(lo..=hi) }
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.0.random_range(0..100u32) < percent
    }

    /// One element of a non-empty slice (the generator's word lists are all constants).
    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// An index chosen with the given relative weights (0 when all weights are zero).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        if total == 0 {
            return 0;
        }
        let mut roll = self.0.random_range(0..total);
        for (i, &w) in weights.iter().enumerate() {
            if roll < u64::from(w) {
                return i;
            }
            roll -= u64::from(w);
        }
        weights.len() - 1
    }

    /// Fisher–Yates, through [`Dice::below`] so it is portable.
    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }

    /// Whole or half days in `lo..=hi`, whole days `whole_percent` times in a hundred.
    pub fn days(&mut self, lo: i64, hi: i64, whole_percent: u32) -> f64 {
        let whole = self.range(lo, hi) as f64;
        if whole > lo as f64 && !self.chance(whole_percent) { whole - 0.5 } else { whole }
    }
}

/// `d` moved by `n` days.
pub(crate) fn add(d: NaiveDate, n: i64) -> NaiveDate {
    d + Duration::days(n)
}

/// School holidays the generator keeps visits and reviews out of (roughly an English LA's
/// calendar: October half term, Christmas, February half term, Easter, May half term, summer).
pub(crate) fn is_holiday(d: NaiveDate) -> bool {
    let (m, day) = (d.month(), d.day());
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
        || (m == 7 && day >= 23)
        || m == 8
        || (m == 10 && day >= 26)
        || (m == 12 && day >= 21)
        || (m == 1 && day <= 4)
        || (m == 2 && (16..=20).contains(&day))
        || (m == 4 && (2..=16).contains(&day))
        || (m == 5 && day >= 25)
}

/// The school day on or before `d` (never later than `d`, so "not after today" holds).
pub(crate) fn school_day_on_or_before(d: NaiveDate) -> NaiveDate {
    let mut x = d;
    for _ in 0..60 {
        if !is_holiday(x) {
            return x;
        }
        x = add(x, -1);
    }
    d
}

/// The school day on or after `d`.
pub(crate) fn school_day_on_or_after(d: NaiveDate) -> NaiveDate {
    let mut x = d;
    for _ in 0..60 {
        if !is_holiday(x) {
            return x;
        }
        x = add(x, 1);
    }
    d
}

/// The last day of each term (autumn, spring, summer) from the academic year starting in
/// `first_year` up to two years on, in date order: contracts end at a term's end.
pub(crate) fn term_ends(first_year: i32) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for y in first_year - 2..=first_year + 2 {
        for (yy, m, day) in [(y, 12, 18), (y + 1, 3, 31), (y + 1, 7, 22)] {
            if let Some(d) = NaiveDate::from_ymd_opt(yy, m, day) {
                out.push(school_day_on_or_before(d));
            }
        }
    }
    out
}

/// "July 2027": how success criteria name their deadline.
pub(crate) fn month_year(d: NaiveDate) -> String {
    d.format("%B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let (mut a, mut b) = (Dice::new(7), Dice::new(7));
        let xs: Vec<i64> = (0..20).map(|_| a.range(0, 1000)).collect();
        let ys: Vec<i64> = (0..20).map(|_| b.range(0, 1000)).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, (0..20).map(|_| Dice::new(8).range(0, 1000)).collect::<Vec<_>>());
    }

    #[test]
    fn days_are_whole_or_half_within_range() {
        let mut d = Dice::new(1);
        for _ in 0..200 {
            let x = d.days(3, 8, 50);
            assert!((2.5..=8.0).contains(&x) && (x * 2.0).fract() == 0.0, "{x}");
        }
    }

    #[test]
    fn school_days_skip_weekends_and_holidays() {
        let sat = NaiveDate::from_ymd_opt(2026, 11, 21).expect("date");
        assert_eq!(school_day_on_or_before(sat), NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"));
        let aug = NaiveDate::from_ymd_opt(2026, 8, 15).expect("date");
        assert!(school_day_on_or_before(aug) < NaiveDate::from_ymd_opt(2026, 7, 23).expect("date"));
        assert_eq!(school_day_on_or_after(aug), NaiveDate::from_ymd_opt(2026, 9, 1).expect("date"));
    }
}
