//! Published performance data (issue 14): the measures the alliance reads from the DfE's
//! "Compare school and college performance" downloads and from local data, how their cells are
//! read (`49%` is 49, a suppression code is kept as published, never 0), academic years as the
//! DfE writes them, and which years a measure was not published at all.

use super::records::Stamp;
use serde::{Deserialize, Serialize};

/// One figure: a school's (or a comparator area's) value of one measure in one academic year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    /// Row id (0 before insert).
    pub id: i64,
    /// The school (none for an LA or England comparator row).
    pub school_id: Option<i64>,
    /// `school`, `la:CODE` or `england`.
    pub area: String,
    /// DfE column code, e.g. `PTRWM_EXP`.
    pub measure: String,
    /// Academic year, `2024/25`.
    pub year: String,
    /// The number as published; `None` when the cell was a code.
    pub value: Option<f64>,
    /// `ok`, or the cell exactly as published when it is not a number (SUPP, NE, x …).
    pub status: String,
    /// provisional, revised, final or local.
    pub release: String,
    /// The file it came from.
    pub source: String,
    /// The LA code the file gave a school (finds its LA comparator); empty for comparators.
    pub la_code: String,
    /// A note given with local data.
    pub note: String,
    /// Revision stamp.
    pub stamp: Stamp,
}

/// How a measure's number reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A percentage of pupils (`48%`); changes are percentage points.
    Percent,
    /// A scaled or attainment score (`104.2`).
    Score,
    /// A progress score around 0 (`-0.53`).
    Progress,
}

/// A measure the alliance knows: its DfE code, a short label and how it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KeyMeasure {
    /// DfE column code.
    pub code: &'static str,
    /// Short label for screens ("RWM expected").
    pub label: &'static str,
    /// Percent, score or progress.
    pub unit: Unit,
    /// Which family: `ks2`, `ks4`, `absence`, `census`.
    pub family: &'static str,
}

const fn km(code: &'static str, label: &'static str, unit: Unit, family: &'static str) -> KeyMeasure {
    KeyMeasure { code, label, unit, family }
}

/// The measures imported from the DfE downloads, in the order screens list them.
pub const KEY_MEASURES: &[KeyMeasure] = &[
    km("PTRWM_EXP", "RWM expected", Unit::Percent, "ks2"),
    km("PTRWM_HIGH", "RWM higher", Unit::Percent, "ks2"),
    km("READ_AVERAGE", "Reading score", Unit::Score, "ks2"),
    km("MAT_AVERAGE", "Maths score", Unit::Score, "ks2"),
    km("READPROG", "Reading progress", Unit::Progress, "ks2"),
    km("WRITPROG", "Writing progress", Unit::Progress, "ks2"),
    km("MATPROG", "Maths progress", Unit::Progress, "ks2"),
    km("ATT8SCR", "Attainment 8", Unit::Score, "ks4"),
    km("P8MEA", "Progress 8", Unit::Progress, "ks4"),
    km("PTL2BASICS_94", "English & maths 4+", Unit::Percent, "ks4"),
    km("PERCTOT", "Overall absence", Unit::Percent, "absence"),
    km("PPERSABS10", "Persistent absence", Unit::Percent, "absence"),
    km("PNUMFSMEVER", "FSM ever", Unit::Percent, "census"),
    km("PSENELSE", "SEN EHC plan", Unit::Percent, "census"),
    km("PSENELK", "SEN support", Unit::Percent, "census"),
    km("PNUMEAL", "EAL", Unit::Percent, "census"),
];

/// The key measure with this code (any case).
pub fn key_measure(code: &str) -> Option<&'static KeyMeasure> {
    KEY_MEASURES.iter().find(|m| m.code.eq_ignore_ascii_case(code.trim()))
}

/// The codes the DfE publishes in place of a number, each with what it means. Any other
/// non-numeric cell is kept too, as published, and reported as an unknown code.
pub const KNOWN_CODES: &[(&str, &str)] = &[
    ("SUPP", "suppressed (small cohort)"),
    ("NE", "no entries"),
    ("NA", "not applicable"),
    ("NP", "not published"),
    ("LOWCOV", "low coverage"),
    ("NEW", "new school"),
    ("DNS", "did not submit"),
    ("x", "not available"),
    ("z", "not applicable"),
    ("c", "confidential"),
    ("u", "low reliability"),
    (":", "not available"),
];

/// What a published code means, if it is one the DfE documents.
pub fn code_meaning(code: &str) -> Option<&'static str> {
    KNOWN_CODES.iter().find(|(c, _)| *c == code.trim()).map(|(_, m)| *m)
}

/// A cell as published: a number (`49`, `49%`, `-0.53`, `104.0`), a code (anything else that is
/// not blank, kept exactly as written), or nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A number; a `%` sign is dropped (`49%` is 49).
    Number(f64),
    /// A code kept as published.
    Code(String),
    /// A blank cell: nothing published.
    Blank,
}

/// Reads one cell.
pub fn read_cell(raw: &str) -> Cell {
    let t = raw.trim();
    if t.is_empty() {
        return Cell::Blank;
    }
    let num = t.strip_suffix('%').unwrap_or(t).trim();
    match num.parse::<f64>() {
        Ok(v) if v.is_finite() && !num.contains(['e', 'E', 'i', 'I', 'n', 'N']) => Cell::Number(v),
        _ => Cell::Code(t.to_string()),
    }
}

/// An academic year as `2024/25`, from the ways files and people write it: `2024/25`,
/// `2024-25`, `2024-2025`, `2024_2025`, `202425`, `2024/2025`. `None` when it is not one.
pub fn parse_year(s: &str) -> Option<String> {
    let digits: String = s.trim().chars().filter(|c| c.is_ascii_digit()).collect();
    let sep_ok = s.trim().chars().all(|c| c.is_ascii_digit() || matches!(c, '/' | '-' | '_' | ' '));
    if !sep_ok {
        return None;
    }
    let (start, end) = match digits.len() {
        6 => (digits[..4].parse::<i32>().ok()?, digits[4..].parse::<i32>().ok()?),
        8 => (digits[..4].parse::<i32>().ok()?, digits[4..].parse::<i32>().ok()? % 100),
        _ => return None,
    };
    ((start + 1) % 100 == end && (1990..=2100).contains(&start)).then(|| format!("{start}/{end:02}"))
}

/// Finds an academic year inside a path or file name (`…/2023-2024/england_ks2final.csv`,
/// `Performancetables_2024-25.zip`): the last run that reads as one.
pub fn year_in_path(path: &str) -> Option<String> {
    let chars: Vec<char> = path.chars().collect();
    let mut found = None;
    for i in 0..chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            continue;
        }
        for len in [9, 7, 6] {
            if i + len <= chars.len() {
                let piece: String = chars[i..i + len].iter().collect();
                let ends_clean = chars.get(i + len).is_none_or(|c| !c.is_ascii_digit());
                if ends_clean && let Some(y) = parse_year(&piece) {
                    found = Some(y);
                    break;
                }
            }
        }
    }
    found
}

/// The first calendar year of an academic year label (`2024/25` → 2024).
pub fn year_start(year: &str) -> Option<i32> {
    year.get(..4)?.parse().ok()
}

/// The label of the academic year `n` years before `year` (`2024/25`, 2 → `2022/23`).
pub fn year_before(year: &str, n: i32) -> Option<String> {
    let s = year_start(year)? - n;
    Some(format!("{s}/{:02}", (s + 1) % 100))
}

/// Years in which the DfE published no figure for this measure at all, so a missing or blank
/// value reads "not published", never 0: no KS2 or KS4 results in 2019/20 and 2020/21
/// (COVID-19); no KS2 progress for 2023/24 and 2024/25 (no KS1 baseline); no Progress 8 for
/// 2024/25 and 2025/26 (no KS2 baseline).
pub fn not_published(code: &str, year: &str) -> bool {
    let family = key_measure(code).map(|m| m.family);
    let covid = matches!(year, "2019/20" | "2020/21") && matches!(family, Some("ks2" | "ks4"));
    let ks2_progress = matches!(code, "READPROG" | "WRITPROG" | "MATPROG") && matches!(year, "2023/24" | "2024/25");
    let p8 = code == "P8MEA" && matches!(year, "2024/25" | "2025/26");
    covid || ks2_progress || p8
}

/// A figure as people read it: `48%`, `104.2`, `-0.53`, or the published code.
pub fn fmt_value(code: &str, value: Option<f64>, status: &str) -> String {
    let Some(v) = value else { return status.to_string() };
    match key_measure(code).map(|m| m.unit) {
        Some(Unit::Percent) => format!("{}%", trim_num(v)),
        Some(Unit::Progress) => format!("{v:+.2}"),
        _ => trim_num(v),
    }
}

/// A change between two figures: `↓12`, `↑3`, `→0` (points for percentages).
pub fn fmt_change(code: &str, change: f64) -> String {
    let arrow = if change > 0.0 {
        "↑"
    } else if change < 0.0 {
        "↓"
    } else {
        "→"
    };
    let mag = change.abs();
    match key_measure(code).map(|m| m.unit) {
        Some(Unit::Progress) => format!("{arrow}{mag:.2}"),
        _ => format!("{arrow}{}", trim_num(mag)),
    }
}

/// A number without trailing zeros (48, 48.5, 104.25).
pub fn trim_num(v: f64) -> String {
    let s = format!("{:.2}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_string() } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_numbers_percent_and_codes() {
        assert_eq!(read_cell("49%"), Cell::Number(49.0));
        assert_eq!(read_cell(" 104.5 "), Cell::Number(104.5));
        assert_eq!(read_cell("-0.53"), Cell::Number(-0.53));
        assert_eq!(read_cell("SUPP"), Cell::Code("SUPP".into()));
        assert_eq!(read_cell("x"), Cell::Code("x".into()));
        assert_eq!(read_cell("NaN"), Cell::Code("NaN".into()));
        assert_eq!(read_cell("inf"), Cell::Code("inf".into()));
        assert_eq!(read_cell("1e3"), Cell::Code("1e3".into()));
        assert_eq!(read_cell("   "), Cell::Blank);
    }

    #[test]
    fn years_from_names_and_paths() {
        for s in ["2024/25", "2024-25", "2024-2025", "2024_2025", "202425", "2024/2025"] {
            assert_eq!(parse_year(s).as_deref(), Some("2024/25"), "{s}");
        }
        assert_eq!(parse_year("2024/26"), None);
        assert_eq!(parse_year("24/25"), None);
        assert_eq!(year_in_path("data/2023-2024/england_ks2final.csv").as_deref(), Some("2023/24"));
        assert_eq!(year_in_path("Performancetables_2024-25.zip").as_deref(), Some("2024/25"));
        assert_eq!(year_in_path("england_ks2final.csv"), None);
        assert_eq!(year_in_path("2019_2020_england_ks4final.csv").as_deref(), Some("2019/20"));
        assert_eq!(year_before("2024/25", 2).as_deref(), Some("2022/23"));
        assert_eq!(year_before("2000/01", 1).as_deref(), Some("1999/00"));
    }

    #[test]
    fn not_published_years() {
        assert!(not_published("READPROG", "2023/24"));
        assert!(not_published("MATPROG", "2024/25"));
        assert!(!not_published("READPROG", "2022/23"));
        assert!(not_published("P8MEA", "2024/25"));
        assert!(not_published("P8MEA", "2025/26"));
        assert!(!not_published("P8MEA", "2023/24"));
        assert!(not_published("PTRWM_EXP", "2019/20"));
        assert!(!not_published("PERCTOT", "2020/21"));
    }

    #[test]
    fn figures_read_as_people_write_them() {
        assert_eq!(fmt_value("PTRWM_EXP", Some(48.0), "ok"), "48%");
        assert_eq!(fmt_value("P8MEA", Some(-0.5), "ok"), "-0.50");
        assert_eq!(fmt_value("ATT8SCR", Some(44.25), "ok"), "44.25");
        assert_eq!(fmt_value("PTRWM_EXP", None, "SUPP"), "SUPP");
        assert_eq!(fmt_change("PTRWM_EXP", -12.0), "↓12");
        assert_eq!(fmt_change("P8MEA", 0.25), "↑0.25");
    }
}
