//! Money (always integer pence) and days (halves allowed), parsed from and shown as people write
//! them. Floating point never touches money: `£350.50` is parsed digit by digit into 35050.

use std::fmt;

/// Why typed money or days were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountError(pub String);

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AmountError {}

/// Largest amount accepted from a person: £100 million is far beyond any alliance budget, and
/// the cap keeps every later sum inside `i64` pence.
pub const MAX_PENCE: i64 = 10_000_000_000;

/// Parses `£350`, `350.5`, `1,200.00`, `£ 450` into pence.
pub fn parse_pence(input: &str) -> Result<i64, AmountError> {
    let s: String = input.trim().trim_start_matches('£').trim().chars().filter(|c| *c != ',').collect();
    let bad = || {
        AmountError(format!(
            "`{}` is not an amount of money — e.g. 350 or £350.50",
            input.trim().chars().filter(|c| !c.is_control()).take(20).collect::<String>()
        ))
    };
    if s.is_empty() {
        return Err(AmountError("an amount is needed — e.g. 350 or £350.50".into()));
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s.as_str(), ""),
    };
    if whole.is_empty() && frac.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || whole.len() > 12
    {
        return Err(bad());
    }
    let pounds: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
    let pence: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
        _ => frac.parse().map_err(|_| bad())?,
    };
    let total = pounds * 100 + pence;
    if total > MAX_PENCE {
        return Err(AmountError("that amount is over £100,000,000 — check the figure".into()));
    }
    Ok(total)
}

/// Shows pence as pounds: `£350`, `£350.50`, `£1,200`, `-£40`.
pub fn fmt_pence(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let abs = pence.unsigned_abs();
    let pounds = group_thousands(abs / 100);
    match abs % 100 {
        0 => format!("{sign}£{pounds}"),
        p => format!("{sign}£{pounds}.{p:02}"),
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Most days one visit may record: a week of full days.
pub const MAX_VISIT_DAYS: f64 = 5.0;

/// Parses a number of days: whole or half days (`1`, `0.5`, `1.5`, `½`, `1½`), greater than zero.
pub fn parse_days(input: &str) -> Result<f64, AmountError> {
    let raw = input.trim();
    let shown: String = raw.chars().filter(|c| !c.is_control()).take(20).collect();
    if raw.is_empty() {
        return Err(AmountError("a number of days is needed — e.g. 1 or 0.5".into()));
    }
    let s = match raw.strip_suffix('½') {
        Some("") => "0.5".to_string(),
        Some(w) => format!("{w}.5"),
        None => raw.trim_end_matches(" days").trim_end_matches(" day").to_string(),
    };
    let ok_chars = s.bytes().all(|b| b.is_ascii_digit() || b == b'.') && s.len() <= 8;
    let v: f64 = if ok_chars { s.parse().unwrap_or(f64::NAN) } else { f64::NAN };
    if !v.is_finite() {
        return Err(AmountError(format!("`{shown}` is not a number of days — e.g. 1 or 0.5")));
    }
    if v <= 0.0 {
        return Err(AmountError("days must be more than zero".into()));
    }
    if (v * 2.0).fract() != 0.0 {
        return Err(AmountError(format!("`{shown}` days: use whole or half days (e.g. 1 or 1.5)")));
    }
    Ok(v)
}

/// Shows days without a needless `.0`: `2`, `1.5`, `0.5`.
pub fn fmt_days(days: f64) -> String {
    if days.fract() == 0.0 {
        format!("{days:.0}")
    } else {
        let s = format!("{days:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_round_trips_exactly() {
        assert_eq!(parse_pence("£350"), Ok(35_000));
        assert_eq!(parse_pence("350.5"), Ok(35_050));
        assert_eq!(parse_pence("£1,200.07"), Ok(120_007));
        assert_eq!(parse_pence(" £ 450 "), Ok(45_000));
        assert_eq!(parse_pence(".5"), Ok(50));
        assert!(parse_pence("350.123").is_err());
        assert!(parse_pence("-5").is_err());
        assert!(parse_pence("1e5").is_err());
        assert!(parse_pence("").is_err());
        assert!(parse_pence(".").is_err());
        assert!(parse_pence("999999999999").is_err());
        assert_eq!(fmt_pence(35_000), "£350");
        assert_eq!(fmt_pence(35_050), "£350.50");
        assert_eq!(fmt_pence(60_000_000), "£600,000");
        assert_eq!(fmt_pence(-4_000), "-£40");
    }

    #[test]
    fn days_are_whole_or_half() {
        assert_eq!(parse_days("1"), Ok(1.0));
        assert_eq!(parse_days("0.5"), Ok(0.5));
        assert_eq!(parse_days("1½"), Ok(1.5));
        assert_eq!(parse_days("½"), Ok(0.5));
        assert_eq!(parse_days("2 days"), Ok(2.0));
        assert!(parse_days("0").is_err());
        assert!(parse_days("0.3").expect_err("third").0.contains("half days"));
        assert!(parse_days("-1").is_err());
        assert!(parse_days("NaN").is_err());
        assert!(parse_days("inf").is_err());
        assert!(parse_days("").is_err());
        assert_eq!(fmt_days(2.0), "2");
        assert_eq!(fmt_days(1.5), "1.5");
        assert_eq!(fmt_days(0.25), "0.25");
    }
}
