//! `alliance import ofsted`: Ofsted's "state-funded schools inspections and outcomes"
//! management information (CSV, dates `dd/mm/yyyy`), in any of the three eras:
//!
//! - **report card** (from November 2025): a row with judgements in the area columns
//!   (`Inclusion`, `Curriculum and teaching`, `Achievement`, `Attendance and behaviour`,
//!   `Personal development and well-being`, `Early years`, `Sixth form`, `Leadership and
//!   governance`) on the five-point scale; the outcome is the worst area judgement, the areas are
//!   kept as `Area: judgement` lines, and `Safeguarding` Met / Not met as `safeguarding_met`;
//! - **graded**: `Overall effectiveness` 1–4 (or the word) gives the grade and outcome, with the
//!   2019 framework's sub-judgements as areas; a graded inspection with sub-judgements but no
//!   overall grade (September 2024 – November 2025) is kept with no grade;
//! - **ungraded**: an `Inspection type` that says ungraded (or section 8), with its outcome as
//!   published ("School remains Good").
//!
//! Only the alliance's own schools (by URN) are imported; other rows are counted as skipped.
//! The key is the school, the start date and the framework, so importing the same file again
//! changes nothing, and a later file's corrections update the record (with an audit row).

use super::gias::grade_from;
use super::read::{self, FileError, Table, cell, key};
use super::report::{Report, SkipKind};
use super::{ImportError, Progress};
use crate::domain::{
    ConcernCategory, Framework, Inspection, InspectionKind, REPORT_CARD_SCALE, Stamp, fmt_date, grade_word,
};
use crate::store::Store;
use chrono::NaiveDate;
use std::collections::HashMap;

/// What to import.
#[derive(Debug, Clone)]
pub struct OfstedOptions {
    /// Work everything out, report it, save nothing.
    pub dry_run: bool,
    /// Inspections starting after this are skipped.
    pub today: NaiveDate,
}

/// Report-card areas in Ofsted's order, each with the other spellings accepted for its column.
pub const REPORT_CARD_AREAS: [(&str, &[&str]); 8] = [
    ("Inclusion", &[]),
    ("Curriculum and teaching", &[]),
    ("Achievement", &[]),
    ("Attendance and behaviour", &[]),
    ("Personal development and well-being", &["Personal development and wellbeing"]),
    ("Early years", &["Early years provision"]),
    ("Sixth form", &["Post-16", "Post 16 provision"]),
    ("Leadership and governance", &[]),
];

/// The 2019 framework's graded sub-judgements.
const GRADED_AREAS: [(&str, &str); 6] = [
    ("Quality of education", "Quality of education"),
    ("Behaviour and attitudes", "Behaviour and attitudes"),
    ("Personal development", "Personal development"),
    ("Leadership and management", "Effectiveness of leadership and management"),
    ("Early years", "Early years provision (where applicable)"),
    ("Sixth form", "Sixth form provision (where applicable)"),
];

struct Cols {
    urn: Option<usize>,
    start: Option<usize>,
    kind: Option<usize>,
    grouping: Option<usize>,
    overall: Option<usize>,
    ungraded_outcome: Option<usize>,
    concern: Option<usize>,
    safeguarding: Vec<usize>,
    report_card: Vec<(&'static str, usize)>,
    graded: Vec<(&'static str, usize)>,
}

impl Cols {
    fn of(t: &Table) -> Cols {
        let report_card = REPORT_CARD_AREAS
            .iter()
            .filter_map(|(name, other)| {
                let mut names = vec![*name];
                names.extend(other.iter());
                t.column(&names).map(|i| (*name, i))
            })
            .collect();
        let graded = GRADED_AREAS.iter().filter_map(|(label, col)| t.column(&[col]).map(|i| (*label, i))).collect();
        Cols {
            urn: t.column(&["URN"]),
            start: t.column(&["Inspection start date"]),
            kind: t.column(&["Inspection type"]),
            grouping: t.column(&["Event type grouping", "Inspection type grouping"]),
            overall: t.column(&["Overall effectiveness"]),
            ungraded_outcome: t.column(&["Ungraded inspection overall outcome"]),
            concern: t.column(&["Category of concern"]),
            safeguarding: ["Safeguarding", "Safeguarding is effective?"]
                .iter()
                .filter_map(|n| t.column(&[n]))
                .collect(),
            report_card,
            graded,
        }
    }
}

/// Reads and checks an Ofsted file: refused with one sentence if it is not text, or its header
/// has no `URN` and `Inspection start date` columns.
pub fn read(name: &str, bytes: &[u8]) -> Result<Table, FileError> {
    let text = read::decode(name, bytes)?;
    match Table::parse(&text)? {
        Some(t) if t.has("Inspection start date") => Ok(t),
        Some(t) if t.has("EstablishmentName") => Err(FileError(format!(
            "{name} looks like a GIAS establishment download, not Ofsted inspection outcomes — use `alliance import gias {name}`"
        ))),
        _ => Err(FileError(format!(
            "{name} is not an Ofsted inspection outcomes CSV (its header has no URN and Inspection start date columns)"
        ))),
    }
}

/// `Met` / `Yes` → true, `Not met` / `No` → false, anything else unknown.
fn met(s: &str) -> Option<bool> {
    match key(s).as_str() {
        "met" | "yes" | "effective" | "y" => Some(true),
        "notmet" | "no" | "noteffective" | "n" => Some(false),
        _ => None,
    }
}

/// An inspection read from one row.
#[derive(Debug, Clone, PartialEq)]
struct Parsed {
    urn: i64,
    on: NaiveDate,
    framework: Framework,
    outcome: String,
    grade: Option<i64>,
    safeguarding_met: Option<bool>,
    areas: String,
    category_of_concern: Option<ConcernCategory>,
    kind: InspectionKind,
}

fn not_judged(v: &str) -> bool {
    matches!(key(v).as_str(), "" | "9" | "na" | "notapplicable" | "notjudged" | "none")
}

fn parse(c: &Cols, line: u64, rec: &csv::StringRecord, report: &mut Report) -> Result<Parsed, (SkipKind, String)> {
    let urn = read::urn(cell(rec, c.urn)).map_err(|e| (SkipKind::Bad, format!("{e} — skipped")))?;
    let start = cell(rec, c.start);
    let on = read::date(start).ok_or_else(|| {
        let shown: String = start.chars().take(20).collect();
        let what = if shown.is_empty() {
            "no Inspection start date".to_string()
        } else {
            format!("Inspection start date `{shown}` is not a dd/mm/yyyy date")
        };
        (SkipKind::Bad, format!("URN {urn}: {what} — skipped"))
    })?;
    let safeguarding_met = c.safeguarding.iter().find_map(|i| met(cell(rec, Some(*i))));
    // Kept as published, in every era: a graded inspection with no overall grade (September
    // 2024 – November 2025) can still put a school in special measures.
    let category_of_concern = ConcernCategory::from_published(cell(rec, c.concern));
    let monitoring = [c.kind, c.grouping].iter().any(|col| key(cell(rec, *col)).contains("monitoring"));
    let kind = if monitoring { InspectionKind::Monitoring } else { InspectionKind::Standard };

    let mut areas = Vec::new();
    let mut worst: Option<usize> = None;
    for (area, col) in &c.report_card {
        let v = cell(rec, Some(*col));
        if not_judged(v) {
            continue;
        }
        match REPORT_CARD_SCALE.iter().position(|s| key(s) == key(v)) {
            Some(i) => {
                areas.push(format!("{area}: {}", REPORT_CARD_SCALE[i]));
                worst = Some(worst.map_or(i, |w| w.max(i)));
            }
            None => {
                let shown: String = v.chars().take(30).collect();
                report.warnings.push((line, format!("{area} `{shown}` is not a report-card judgement — left out")));
            }
        }
    }
    if let Some(w) = worst {
        return Ok(Parsed {
            urn,
            on,
            framework: Framework::ReportCard,
            outcome: REPORT_CARD_SCALE[w].to_string(),
            grade: None,
            safeguarding_met,
            areas: areas.join("\n"),
            category_of_concern,
            kind,
        });
    }

    let graded_areas: Vec<String> = c
        .graded
        .iter()
        .filter_map(|(label, col)| {
            let v = cell(rec, Some(*col));
            if not_judged(v) {
                return None;
            }
            Some(match grade_from(v) {
                Some(g) => format!("{label}: {}", grade_word(g)),
                None => format!("{label}: {v}"),
            })
        })
        .collect();
    let overall = cell(rec, c.overall);
    let ty = key(cell(rec, c.kind));
    let ungraded = ty.contains("ungraded") || ty.contains("section8") || ty.starts_with("s8");
    if let Some(g) = grade_from(overall) {
        let concern = cell(rec, c.concern);
        let outcome = if g == 4 && !not_judged(concern) {
            format!("{} ({concern})", grade_word(g))
        } else {
            grade_word(g).to_string()
        };
        return Ok(Parsed {
            urn,
            on,
            framework: Framework::Graded,
            outcome,
            grade: Some(g),
            safeguarding_met,
            areas: graded_areas.join("\n"),
            category_of_concern,
            kind,
        });
    }
    if ungraded {
        let outcome = [cell(rec, c.ungraded_outcome), overall]
            .into_iter()
            .find(|v| !not_judged(v))
            .unwrap_or("Ungraded inspection")
            .to_string();
        return Ok(Parsed {
            urn,
            on,
            framework: Framework::Ungraded,
            outcome,
            grade: None,
            safeguarding_met,
            areas: String::new(),
            category_of_concern,
            kind,
        });
    }
    if !graded_areas.is_empty() || category_of_concern.is_some() {
        let outcome = match category_of_concern {
            Some(_) => format!("No overall grade ({})", cell(rec, c.concern).trim()),
            None => "No overall grade".to_string(),
        };
        return Ok(Parsed {
            urn,
            on,
            framework: Framework::Graded,
            outcome,
            grade: None,
            safeguarding_met,
            areas: graded_areas.join("\n"),
            category_of_concern,
            kind,
        });
    }
    Err((
        SkipKind::Bad,
        format!("URN {urn}: no overall effectiveness, report-card judgements or ungraded outcome — skipped"),
    ))
}

fn describe(p: &Parsed) -> String {
    format!("{} inspection of {}", p.framework, fmt_date(p.on))
}

/// Imports an Ofsted table into the store, all in one transaction (rolled back for a dry run).
pub fn import(
    store: &mut Store,
    file: &str,
    table: &Table,
    opts: &OfstedOptions,
    progress: &mut Progress<'_>,
) -> Result<Report, ImportError> {
    let c = Cols::of(table);
    let mut report = Report::new("Ofsted", file, opts.dry_run);
    report.rows = table.records.len();
    let mut parsed = Vec::new();
    for (line, rec) in &table.records {
        match parse(&c, *line, rec, &mut report) {
            Ok(p) if p.on > opts.today => report.skip(
                *line,
                SkipKind::Future,
                format!("URN {}: {} is after today — skipped", p.urn, describe(&p)),
            ),
            Ok(p) => parsed.push((*line, p)),
            Err((kind, reason)) => report.skip(*line, kind, reason),
        }
    }
    let total = parsed.len();
    let report = store.import(opts.dry_run, |tx| {
        let mut report = report;
        let schools = tx.schools_by_urn()?;
        let mut first_line: HashMap<(i64, NaiveDate, Framework), u64> = HashMap::new();
        for (i, (line, p)) in parsed.iter().enumerate() {
            progress(i, total);
            let Some((school_id, school_name)) = schools.get(&p.urn) else {
                report.skip(*line, SkipKind::NotInAlliance, format!("URN {} is not in this alliance", p.urn));
                continue;
            };
            if let Some(first) = first_line.insert((p.urn, p.on, p.framework), *line) {
                report.skip(
                    *line,
                    SkipKind::Bad,
                    format!("{school_name}: {} appears again (first on line {first}) — skipped", describe(p)),
                );
                continue;
            }
            match tx.inspection_on(*school_id, p.on, p.framework)? {
                None => {
                    tx.insert(&Inspection {
                        id: 0,
                        school_id: *school_id,
                        inspected_on: p.on,
                        framework: p.framework,
                        outcome: p.outcome.clone(),
                        grade: p.grade,
                        safeguarding_met: p.safeguarding_met,
                        areas: p.areas.clone(),
                        category_of_concern: p.category_of_concern,
                        kind: p.kind,
                        stamp: Stamp::default(),
                    })?;
                    report.added.push(format!("{school_name} ({}, {})", describe(p), p.outcome));
                }
                Some(old) => {
                    let mut changes = Vec::new();
                    if old.outcome != p.outcome {
                        changes.push(format!("outcome {} → {}", old.outcome, p.outcome));
                    }
                    if old.grade != p.grade {
                        let g = |v: Option<i64>| v.map_or("none".to_string(), |g| g.to_string());
                        changes.push(format!("grade {} → {}", g(old.grade), g(p.grade)));
                    }
                    if old.safeguarding_met != p.safeguarding_met && p.safeguarding_met.is_some() {
                        let s = |v: Option<bool>| match v {
                            Some(true) => "met",
                            Some(false) => "not met",
                            None => "unknown",
                        };
                        changes.push(format!("safeguarding {} → {}", s(old.safeguarding_met), s(p.safeguarding_met)));
                    }
                    if old.areas != p.areas && !p.areas.is_empty() {
                        changes.push("area judgements".to_string());
                    }
                    if old.category_of_concern != p.category_of_concern {
                        let s = |v: Option<ConcernCategory>| v.map_or("none", ConcernCategory::as_str);
                        changes.push(format!(
                            "category of concern {} → {}",
                            s(old.category_of_concern),
                            s(p.category_of_concern)
                        ));
                    }
                    if old.kind != p.kind {
                        changes.push(format!("kind {} → {}", old.kind, p.kind));
                    }
                    if changes.is_empty() {
                        report.unchanged += 1;
                    } else {
                        let mut new = old.clone();
                        new.outcome = p.outcome.clone();
                        new.grade = p.grade;
                        new.safeguarding_met = p.safeguarding_met.or(old.safeguarding_met);
                        if !p.areas.is_empty() {
                            new.areas = p.areas.clone();
                        }
                        new.category_of_concern = p.category_of_concern;
                        new.kind = p.kind;
                        tx.update(&new)?;
                        report.updated.push((format!("{school_name} ({})", describe(p)), changes));
                    }
                }
            }
        }
        progress(total, total);
        Ok(report)
    })?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::met;

    #[test]
    fn safeguarding_words() {
        assert_eq!(met("Met"), Some(true));
        assert_eq!(met("Not met"), Some(false));
        assert_eq!(met("Yes"), Some(true));
        assert_eq!(met("NULL"), None);
    }
}
