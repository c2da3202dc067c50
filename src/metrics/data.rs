//! Published-data triggers and trends (issue 14, DESIGN §5 `data_concern`).
//!
//! The store hands over each school's figures per measure and year, with its LA's and
//! England's beside them ([`DataFacts`]); the rules here decide which triggers fire, how
//! severe the school's `data_concern` is, and what its sentence says. A trigger reads only
//! published numbers: a suppressed or otherwise coded cell (SUPP, NE, x …) never fires one,
//! nor does a comparator that is itself coded.
//!
//! Severity: low for one measure in one year (Progress 8 below the line, absence above
//! England, an inspection overdue); medium for a gap to the LA or a two-year fall (or FSM
//! rising while results fall); high when a gap and a fall both hold, or when results and
//! absence both fire. A high data concern makes the school **concern**, others **watch**.

use super::{InspectionFacts, Severity};
use crate::domain::measures::{fmt_value, key_measure, not_published, trim_num, year_before};
use crate::domain::settings::Settings;
use crate::domain::{Framework, fmt_date};
use chrono::{Months, NaiveDate};
use serde::Serialize;
use smol_str::SmolStr;
use std::collections::{BTreeMap, HashMap};

/// One figure as stored: a number, or the code published in its place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// Academic year, `2024/25` (kept inline: a national file loads a quarter of a million).
    pub year: SmolStr,
    /// The number, when one was published.
    pub value: Option<f64>,
    /// `ok` or the published code.
    pub status: SmolStr,
}

impl Point {
    /// The number, only when it was published as one.
    pub fn number(&self) -> Option<f64> {
        if self.status == "ok" { self.value } else { None }
    }
}

/// One school's figures: measure code → points, oldest year first.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SchoolData {
    /// The LA code the data files place the school in (finds its LA comparator).
    pub la_code: String,
    /// Measure code → points by year, oldest first.
    pub series: BTreeMap<SmolStr, Vec<Point>>,
}

impl SchoolData {
    /// The point for a measure in a year.
    pub fn at(&self, measure: &str, year: &str) -> Option<&Point> {
        self.series.get(measure)?.iter().find(|p| p.year == year)
    }
    /// The latest point for a measure.
    pub fn latest(&self, measure: &str) -> Option<&Point> {
        self.series.get(measure)?.last()
    }
}

/// Every school's figures and the comparator rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataFacts {
    /// School id → its figures.
    pub schools: HashMap<i64, SchoolData>,
    /// (area `la:CODE` / `england`, measure, year) → point.
    pub comparators: HashMap<(String, String, String), Point>,
}

impl DataFacts {
    /// A comparator's published number for a measure and year.
    pub fn comparator(&self, area: &str, measure: &str, year: &str) -> Option<&Point> {
        self.comparators.get(&(area.to_string(), measure.to_string(), year.to_string()))
    }
}

/// The measures the triggers read (the store loads only these for the metrics).
pub const TRIGGER_MEASURES: &[&str] = &["PTRWM_EXP", "PTL2BASICS_94", "P8MEA", "PERCTOT", "PPERSABS10", "PNUMFSMEVER"];

/// Of one school's points for a measure (oldest year first), the ones the triggers read: the
/// latest, and the one two years before it when there is one. The store keeps only these for
/// the metrics, so a national file's other years are not held in memory; the lists and views
/// that draw trends read every year.
pub fn trigger_points(points: &mut Vec<Point>) {
    let Some(latest) = points.last() else { return };
    let before = year_before(&latest.year, 2);
    let last = points.len() - 1;
    let mut i = 0;
    points.retain(|p| {
        let keep = i == last || before.as_deref() == Some(p.year.as_str());
        i += 1;
        keep
    });
    points.shrink_to_fit();
}

/// Which trigger fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerKind {
    /// KS2 RWM expected at least the set gap below the LA.
    BelowLa,
    /// A results measure down at least the set points over two years.
    TwoYearFall,
    /// Progress 8 below the set line.
    LowProgress8,
    /// Overall or persistent absence at least the set points above England.
    Absence,
    /// FSM share up while results fell.
    FsmRisingResultsFalling,
    /// No inspection within the framework's interval.
    InspectionOverdue,
}

/// One trigger that fired, with its sentence (the figures that made it fire).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trigger {
    /// Which rule.
    pub kind: TriggerKind,
    /// The figures, e.g. "RWM expected 48% in 2024/25, LA 62%, England 61%".
    pub text: String,
}

/// A school's data concern: its triggers and their combined severity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataConcern {
    /// The school.
    pub school_id: i64,
    /// Combined severity.
    pub severity: Severity,
    /// "School name: figures; figures".
    pub message: String,
    /// Each trigger that fired.
    pub triggers: Vec<Trigger>,
}

/// `a ≥ b`, allowing for the binary rounding of one-decimal figures (11.9 − 6.9 is 5.0).
fn at_least(a: f64, b: f64) -> bool {
    a >= b - 1e-9
}

fn pct(v: f64) -> String {
    format!("{}%", trim_num(v))
}

fn comparators_text(d: &DataFacts, la: &str, measure: &str, year: &str) -> String {
    let mut parts = Vec::new();
    if let Some(v) = d.comparator(la, measure, year).and_then(Point::number) {
        parts.push(format!("LA {}", fmt_value(measure, Some(v), "ok")));
    }
    if let Some(v) = d.comparator("england", measure, year).and_then(Point::number) {
        parts.push(format!("England {}", fmt_value(measure, Some(v), "ok")));
    }
    if parts.is_empty() { String::new() } else { format!(", {}", parts.join(", ")) }
}

/// Whether a result fell by at least `points` from two years before: both years published.
fn fall(s: &SchoolData, measure: &str, points: i64) -> Option<(String, f64, f64)> {
    let latest = s.latest(measure)?;
    let now = latest.number()?;
    let then_year = year_before(&latest.year, 2)?;
    let then = s.at(measure, &then_year)?.number()?;
    at_least(then - now, points as f64).then(|| (latest.year.to_string(), now, then))
}

/// The data triggers for one school. `inspection` is its latest, for the overdue rule.
pub fn triggers_for(
    name: &str,
    school_id: i64,
    data: &DataFacts,
    inspection: Option<&InspectionFacts>,
    settings: &Settings,
    today: NaiveDate,
) -> Option<DataConcern> {
    let t = &settings.triggers;
    // Data triggers are for schools with published data imported: an alliance that has not
    // imported any sees none (rather than every old inspection at once on upgrade).
    let s = data.schools.get(&school_id)?;
    let la = format!("la:{}", s.la_code);
    let mut fired: Vec<Trigger> = Vec::new();
    let (mut gap, mut fell, mut results, mut absence) = (false, false, false, false);

    // KS2 RWM: gap to the LA, and the two-year fall, told in one sentence.
    if let Some(latest) = s.latest("PTRWM_EXP")
        && let Some(now) = latest.number()
    {
        let year = &latest.year;
        let la_value = d_num(data, &la, "PTRWM_EXP", year);
        let below = la_value.is_some_and(|l| at_least(l - now, t.rwm_la_gap as f64));
        let two = fall(s, "PTRWM_EXP", t.results_fall);
        if below || two.is_some() {
            let mut text =
                format!("RWM expected {} in {year}{}", pct(now), comparators_text(data, &la, "PTRWM_EXP", year));
            if let Some((_, _, then)) = &two {
                text.push_str(&format!("; {} two years ago", pct(*then)));
            }
            if below {
                gap = true;
                fired.push(Trigger { kind: TriggerKind::BelowLa, text: text.clone() });
            }
            if two.is_some() {
                fell = true;
                fired.push(Trigger { kind: TriggerKind::TwoYearFall, text });
            }
            results = true;
        }
    }
    // KS4: English and maths 4+ falling; Progress 8 below the line (when published).
    if let Some((year, now, then)) = fall(s, "PTL2BASICS_94", t.results_fall) {
        fell = true;
        results = true;
        fired.push(Trigger {
            kind: TriggerKind::TwoYearFall,
            text: format!(
                "English & maths 4+ {} in {year}{}; {} two years ago",
                pct(now),
                comparators_text(data, &la, "PTL2BASICS_94", &year),
                pct(then)
            ),
        });
    }
    if let Some(p) = s.latest("P8MEA").filter(|p| !not_published("P8MEA", &p.year))
        && let Some(v) = p.number()
        && (v * 100.0).round() < t.p8_below_hundredths as f64
    {
        results = true;
        fired.push(Trigger {
            kind: TriggerKind::LowProgress8,
            text: format!("Progress 8 {v:+.2} in {}{}", p.year, comparators_text(data, &la, "P8MEA", &p.year)),
        });
    }
    // Absence against England, same year.
    for code in ["PERCTOT", "PPERSABS10"] {
        if let Some(p) = s.latest(code)
            && let Some(v) = p.number()
            && let Some(eng) = d_num(data, "england", code, &p.year)
            && at_least(v - eng, t.absence_gap as f64)
        {
            absence = true;
            let label = key_measure(code).map_or(code, |m| m.label).to_lowercase();
            fired.push(Trigger {
                kind: TriggerKind::Absence,
                text: format!("{label} {} in {}, England {}", pct(v), p.year, pct(eng)),
            });
        }
    }
    // FSM share rising while results fell (any fall of a published results measure).
    if let Some(f) = s.latest("PNUMFSMEVER")
        && let Some(now) = f.number()
        && let Some(then) = year_before(&f.year, 2).and_then(|y| s.at("PNUMFSMEVER", &y)).and_then(Point::number)
        && at_least(now - then, t.fsm_rise as f64)
        && ["PTRWM_EXP", "PTL2BASICS_94"].iter().any(|m| fall(s, m, 1).is_some_and(|(_, a, b)| a < b))
    {
        fell = true;
        fired.push(Trigger {
            kind: TriggerKind::FsmRisingResultsFalling,
            text: format!("FSM ever {} in {}, {} two years ago, while results fell", pct(now), f.year, pct(then)),
        });
    }
    // Inspection overdue for the school's framework.
    if let Some(i) = inspection {
        let ri = i.grade == Some(3) || (i.framework != Framework::Graded && i.outcome.contains("Needs attention"));
        let months = if ri { t.inspection_months / 2 } else { t.inspection_months };
        let in_category = i.grade == Some(4);
        if !in_category
            && let Some(due) = i.inspected_on.checked_add_months(Months::new(months as u32))
            && due < today
        {
            fired.push(Trigger {
                kind: TriggerKind::InspectionOverdue,
                text: format!(
                    "last inspected {} ({}), due by {}",
                    fmt_date(i.inspected_on),
                    if i.outcome.is_empty() { i.framework.to_string() } else { i.outcome.clone() },
                    fmt_date(due)
                ),
            });
        }
    }
    if fired.is_empty() {
        return None;
    }
    let severity = if (gap && fell) || (results && absence) {
        Severity::High
    } else if gap || fell {
        Severity::Medium
    } else {
        Severity::Low
    };
    let mut texts: Vec<&str> = Vec::new();
    for f in &fired {
        if !texts.contains(&f.text.as_str()) {
            texts.push(&f.text);
        }
    }
    Some(DataConcern { school_id, severity, message: format!("{name}: {}", texts.join("; ")), triggers: fired })
}

fn d_num(d: &DataFacts, area: &str, measure: &str, year: &str) -> Option<f64> {
    d.comparator(area, measure, year).and_then(Point::number)
}

/// One measure's trend for a school's data section: its last years with the LA and England
/// beside each, and the change over the years shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// DfE code.
    pub measure: String,
    /// Short label.
    pub label: String,
    /// Each year shown, oldest first.
    pub years: Vec<TrendYear>,
    /// Latest published number minus the earliest shown (none when fewer than two).
    pub change: Option<f64>,
}

/// One year of a [`Trend`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendYear {
    /// Academic year.
    pub year: String,
    /// The school's number, when published.
    pub value: Option<f64>,
    /// `ok`, the published code, or `not published` for a year the DfE published nothing.
    pub status: String,
    /// The LA's number that year.
    pub la: Option<f64>,
    /// England's number that year.
    pub england: Option<f64>,
}

impl Trend {
    /// The latest year's figure as people read it ("48%", "SUPP", "not published").
    pub fn latest_text(&self) -> String {
        self.years.last().map_or_else(String::new, |y| fmt_value(&self.measure, y.value, &y.status))
    }
}

/// How many years a trend shows at most.
pub const TREND_YEARS: usize = 5;

/// A school's trends, in the order of the key measures: each measure it has figures for,
/// over its last [`TREND_YEARS`] years (a year the DfE did not publish reads `not published`).
pub fn trends(data: &DataFacts, school_id: i64) -> Vec<Trend> {
    trends_of(data, school_id, &[])
}

/// The measures a results headline reads.
pub const HEADLINE_MEASURES: &[&str] = &["PTRWM_EXP", "PTL2BASICS_94", "ATT8SCR"];

/// [`trends`] of only the measures named (all when `only` is empty).
pub fn trends_of(data: &DataFacts, school_id: i64, only: &[&str]) -> Vec<Trend> {
    let Some(s) = data.schools.get(&school_id) else { return Vec::new() };
    let la = format!("la:{}", s.la_code);
    use crate::domain::measures::{KEY_MEASURES, key_measure, year_start};
    // The years a family spans for this school (KS2 2023/24–2025/26 …): each measure of the
    // family is shown over the same years, so a year the DfE did not publish it says so.
    let mut spans: HashMap<&str, (i32, i32)> = HashMap::new();
    for (code, points) in &s.series {
        let Some(family) = key_measure(code).map(|m| m.family) else { continue };
        for y in points.iter().filter_map(|p| year_start(&p.year)) {
            let e = spans.entry(family).or_insert((y, y));
            *e = (e.0.min(y), e.1.max(y));
        }
    }
    let mut out = Vec::new();
    for km in KEY_MEASURES {
        if !only.is_empty() && !only.contains(&km.code) {
            continue;
        }
        let Some(points) = s.series.get(km.code) else { continue };
        let Some(&(a, b)) = spans.get(km.family) else { continue };
        let from = a.max(b - TREND_YEARS as i32 + 1);
        let years: Vec<TrendYear> = (from..=b)
            .map(|y| {
                let year = format!("{y}/{:02}", (y + 1) % 100);
                let p = points.iter().find(|p| p.year == year);
                let status = match p {
                    Some(p) => p.status.to_string(),
                    None if not_published(km.code, &year) => "not published".to_string(),
                    None => "no data".to_string(),
                };
                TrendYear {
                    value: p.and_then(Point::number),
                    la: d_num(data, &la, km.code, &year),
                    england: d_num(data, "england", km.code, &year),
                    status: if p.is_some_and(|p| p.status != "ok") || p.is_none() { status } else { "ok".into() },
                    year,
                }
            })
            .collect();
        let nums: Vec<f64> = years.iter().filter_map(|y| y.value).collect();
        let change = (nums.len() >= 2).then(|| nums[nums.len() - 1] - nums[0]);
        out.push(Trend { measure: km.code.to_string(), label: km.label.to_string(), years, change });
    }
    out
}

/// The Schools list's headline: the first results measure with a published latest figure,
/// and its change over the years shown ("RWM 48% ↓12"); `None` without results data.
pub fn headline(trends: &[Trend]) -> Option<String> {
    let short = |code: &str| match code {
        "PTRWM_EXP" => "RWM",
        "PTL2BASICS_94" => "E&M 4+",
        "ATT8SCR" => "A8",
        _ => "",
    };
    trends.iter().filter(|t| !short(&t.measure).is_empty()).find_map(|t| {
        let last = t.years.last()?;
        let value = fmt_value(&t.measure, last.value, &last.status);
        let change = t.change.map(|c| format!(" {}", crate::domain::measures::fmt_change(&t.measure, c)));
        Some(format!("{} {value}{}", short(&t.measure), change.unwrap_or_default()))
    })
}

/// A sparkline of a trend's published figures (`▆▄▂`); a year with no number is a space, so
/// a gap reads as a gap and never as a low bar.
pub fn sparkline(values: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let nums: Vec<f64> = values.iter().flatten().copied().collect();
    let (lo, hi) = nums.iter().fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if hi - lo < 1e-9 => BARS[3],
            Some(v) => BARS[(((v - lo) / (hi - lo)) * 7.0).round() as usize],
        })
        .collect()
}

impl Trend {
    /// One line for text views: the years' figures oldest first, the change, and the latest
    /// year's LA and England figures ("63% → 55% → 48%  ↓15 · 2024/25: LA 62%, England 61%").
    pub fn summary(&self) -> String {
        let seq: Vec<String> = self.years.iter().map(|y| fmt_value(&self.measure, y.value, &y.status)).collect();
        let change = self
            .change
            .map_or(String::new(), |c| format!("  {}", crate::domain::measures::fmt_change(&self.measure, c)));
        let mut beside = Vec::new();
        if let Some(last) = self.years.last() {
            if let Some(v) = last.la {
                beside.push(format!("LA {}", fmt_value(&self.measure, Some(v), "ok")));
            }
            if let Some(v) = last.england {
                beside.push(format!("England {}", fmt_value(&self.measure, Some(v), "ok")));
            }
        }
        let years = match (self.years.first(), self.years.last()) {
            (Some(a), Some(b)) if a.year != b.year => format!("{}–{}", a.year, b.year),
            (Some(a), _) => a.year.to_string(),
            _ => String::new(),
        };
        let beside = if beside.is_empty() { String::new() } else { format!(" · {}", beside.join(", ")) };
        format!("{} ({years}){change}{beside}", seq.join(" → "))
    }

    /// The sparkline of the school's figures.
    pub fn spark(&self) -> String {
        sparkline(&self.years.iter().map(|y| y.value).collect::<Vec<_>>())
    }
}

#[cfg(test)]
mod tests;
