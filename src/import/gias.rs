//! `alliance import gias`: the DfE "Get Information about Schools" establishment download
//! (`edubasealldata*.csv`: Windows-1252, quoted fields, `dd-mm-yyyy` dates, ~140 columns).
//!
//! Columns are found by name. Schools are matched by URN: new URNs are added (as members, in
//! category A), known ones get the GIAS fields (name, phase, type, LA, postcode, pupils, trust,
//! headteacher) refreshed. The alliance's own fields — category, notes, membership — are never
//! touched, and a blank GIAS cell for postcode, pupils or headteacher never erases what is
//! stored. Older files' `OfstedRating (name)` and `OfstedLastInsp` become a graded inspection
//! when the school has none on that day.

use super::read::{self, FileError, Table, cell, key};
use super::report::{Report, SkipKind};
use super::{ImportError, Progress};
use crate::domain::validate;
use crate::domain::{
    Category, ConcernCategory, EventKind, Framework, Inspection, InspectionKind, Phase, School, SchoolEvent, Stamp,
    events, grade_word,
};
use crate::store::Store;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// What to import.
#[derive(Debug, Clone)]
pub struct GiasOptions {
    /// Only this local authority: its code (`879`) or name (`Plymouth`).
    pub la: Option<String>,
    /// Import closed establishments too.
    pub include_closed: bool,
    /// Work everything out, report it, save nothing.
    pub dry_run: bool,
    /// Inspections dated after this are not recorded.
    pub today: NaiveDate,
}

/// One establishment as GIAS describes it (only the fields the alliance keeps).
#[derive(Debug, Clone, PartialEq)]
pub struct GiasRow {
    /// File line.
    pub line: u64,
    /// URN.
    pub urn: i64,
    /// `EstablishmentName`.
    pub name: String,
    /// Mapped from phase and type.
    pub phase: Phase,
    /// `TypeOfEstablishment (name)`.
    pub school_type: String,
    /// `LA (name)`.
    pub la_name: String,
    /// `Postcode` (blank: keep what is stored).
    pub postcode: String,
    /// `NumberOfPupils` (none: keep what is stored).
    pub pupils: Option<i64>,
    /// `Trusts (name)` (blank: not in a trust).
    pub trust: String,
    /// Title, first and last name (blank: keep what is stored).
    pub headteacher: String,
    /// From `OfstedRating (name)` and `OfstedLastInsp`: date, outcome, grade.
    pub ofsted: Option<(NaiveDate, String, i64)>,
    /// `ReligiousCharacter (name)` ("Does not apply" and "None" read as blank).
    pub religious_character: String,
    /// `Diocese (name)` ("Not applicable" reads as blank).
    pub diocese: String,
    /// `Trusts (code)`: the trust's group id.
    pub trust_code: String,
    /// `EstablishmentStatus (name)` says closed.
    pub closed: bool,
    /// `CloseDate` of a closed establishment (else none).
    pub closed_on: Option<NaiveDate>,
    /// `OpenDate`.
    pub opened_on: Option<NaiveDate>,
    /// `LastChangedDate`: the day GIAS last changed the record — the date given to the events
    /// an import finds (a new head, a trust joined), since GIAS does not date those fields.
    pub changed_on: Option<NaiveDate>,
}

/// The columns this importer reads (`None` where the file lacks one).
struct Cols {
    urn: Option<usize>,
    la_code: Option<usize>,
    la_name: Option<usize>,
    name: Option<usize>,
    school_type: Option<usize>,
    status: Option<usize>,
    phase: Option<usize>,
    pupils: Option<usize>,
    trust: Option<usize>,
    postcode: Option<usize>,
    head_title: Option<usize>,
    head_first: Option<usize>,
    head_last: Option<usize>,
    ofsted_rating: Option<usize>,
    ofsted_date: Option<usize>,
    religious: Option<usize>,
    diocese: Option<usize>,
    trust_code: Option<usize>,
    close_date: Option<usize>,
    open_date: Option<usize>,
    last_changed: Option<usize>,
}

impl Cols {
    fn of(t: &Table) -> Cols {
        Cols {
            urn: t.column(&["URN"]),
            la_code: t.column(&["LA (code)"]),
            la_name: t.column(&["LA (name)"]),
            name: t.column(&["EstablishmentName"]),
            school_type: t.column(&["TypeOfEstablishment (name)"]),
            status: t.column(&["EstablishmentStatus (name)"]),
            phase: t.column(&["PhaseOfEducation (name)"]),
            pupils: t.column(&["NumberOfPupils"]),
            trust: t.column(&["Trusts (name)"]),
            postcode: t.column(&["Postcode"]),
            head_title: t.column(&["HeadTitle (name)"]),
            head_first: t.column(&["HeadFirstName"]),
            head_last: t.column(&["HeadLastName"]),
            ofsted_rating: t.column(&["OfstedRating (name)"]),
            ofsted_date: t.column(&["OfstedLastInsp"]),
            religious: t.column(&["ReligiousCharacter (name)"]),
            diocese: t.column(&["Diocese (name)"]),
            trust_code: t.column(&["Trusts (code)"]),
            close_date: t.column(&["CloseDate"]),
            open_date: t.column(&["OpenDate"]),
            last_changed: t.column(&["LastChangedDate"]),
        }
    }
}

/// Reads and checks a GIAS file: refused with one sentence if it is not text, or its header has
/// no `URN` and `EstablishmentName` columns.
pub fn read(name: &str, bytes: &[u8]) -> Result<Table, FileError> {
    let text = read::decode(name, bytes)?;
    let table = Table::parse(&text)?;
    match table {
        Some(t) if t.has("EstablishmentName") => Ok(t),
        Some(t) if t.has("Inspection start date") => Err(FileError(format!(
            "{name} looks like an Ofsted inspections file, not a GIAS establishment download — use `alliance import ofsted {name}`"
        ))),
        _ => Err(FileError(format!(
            "{name} is not a GIAS establishment CSV (its header has no URN and EstablishmentName columns) — \
             download \"all establishment data\" from Get Information about Schools"
        ))),
    }
}

/// Maps GIAS's phase and establishment type onto the alliance's phases: special and
/// PRU/alternative-provision types first (GIAS gives them a phase of "Not applicable" or the
/// age range's phase), then the phase itself. `None` for establishments the alliance does not
/// track (children's centres, universities, independent all-age schools with no phase …).
pub fn map_phase(phase: &str, school_type: &str) -> Option<Phase> {
    let ty = school_type.to_lowercase();
    if ty.contains("special") {
        return Some(Phase::Special);
    }
    if ty.contains("pupil referral") || ty.contains("alternative provision") {
        return Some(Phase::Pru);
    }
    match key(phase).as_str() {
        "nursery" => Some(Phase::Nursery),
        "primary" => Some(Phase::Primary),
        "middledeemedprimary" | "middledeemedsecondary" | "middle" => Some(Phase::Middle),
        "secondary" => Some(Phase::Secondary),
        "allthrough" => Some(Phase::AllThrough),
        "16plus" | "16" | "post16" => Some(Phase::SixteenPlus),
        "notapplicable" | "" => {
            if ty.contains("nursery") {
                Some(Phase::Nursery)
            } else if ty.contains("sixth form") || ty.contains("16") || ty.contains("further education") {
                Some(Phase::SixteenPlus)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Grade 1–4 from an Ofsted word or digit (`Requires Improvement`, `Special Measures`, `2`).
pub fn grade_from(s: &str) -> Option<i64> {
    match key(s).as_str() {
        "1" | "outstanding" => Some(1),
        "2" | "good" => Some(2),
        "3" | "requiresimprovement" | "satisfactory" => Some(3),
        "4" | "inadequate" | "seriousweaknesses" | "specialmeasures" => Some(4),
        _ => None,
    }
}

/// The outcome text for a graded rating: the standard word, or e.g. "Inadequate (Special
/// Measures)" where the file names a category of concern.
fn outcome_for(word: &str, grade: i64) -> String {
    let standard = grade_word(grade);
    if key(word) == key(standard) || word.chars().all(|c| c.is_ascii_digit()) {
        standard.to_string()
    } else if grade == 4 {
        format!("{standard} ({})", word.trim())
    } else {
        word.trim().to_string()
    }
}

/// Reads one record into a row, or says why it is skipped. Warnings go to `report`.
fn row(
    c: &Cols,
    line: u64,
    rec: &csv::StringRecord,
    opts: &GiasOptions,
    report: &mut Report,
) -> Result<GiasRow, (SkipKind, String)> {
    let urn = read::urn(cell(rec, c.urn)).map_err(|e| (SkipKind::Bad, format!("{e} — skipped")))?;
    let name = cell(rec, c.name).to_string();
    if name.is_empty() {
        return Err((SkipKind::Bad, format!("URN {urn} has no EstablishmentName — skipped")));
    }
    // A closed establishment is read here and skipped later unless it is already one of the
    // alliance's schools (then it is marked closed, and stays in the record) or
    // --include-closed asks for it.
    let closed = key(cell(rec, c.status)) == "closed";
    let school_type = cell(rec, c.school_type).to_string();
    let phase_text = cell(rec, c.phase);
    let phase = map_phase(phase_text, &school_type).ok_or_else(|| {
        let ty = if school_type.is_empty() { "no type" } else { school_type.as_str() };
        let ph = if phase_text.is_empty() { "none" } else { phase_text };
        (
            SkipKind::NotTracked,
            format!("{name} (URN {urn}) is of type {ty}, phase {ph} — not a phase the alliance tracks"),
        )
    })?;
    let pupils_text = cell(rec, c.pupils);
    let pupils = if pupils_text.is_empty() {
        None
    } else {
        match pupils_text.parse::<i64>() {
            Ok(n) if (0..=10_000).contains(&n) => Some(n),
            _ => {
                let shown: String = pupils_text.chars().take(20).collect();
                report
                    .warnings
                    .push((line, format!("NumberOfPupils `{shown}` is not a number of pupils — left as it was")));
                None
            }
        }
    };
    let title = cell(rec, c.head_title);
    let title = if key(title) == "notapplicable" { "" } else { title };
    let headteacher = [title, cell(rec, c.head_first), cell(rec, c.head_last)]
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let rating = cell(rec, c.ofsted_rating);
    let ofsted = match (grade_from(rating), cell(rec, c.ofsted_date)) {
        (Some(g), d) if !d.is_empty() => match read::date(d) {
            Some(on) if on <= opts.today => Some((on, outcome_for(rating, g), g)),
            Some(_) => {
                report.warnings.push((line, format!("OfstedLastInsp {d} is after today — rating not recorded")));
                None
            }
            None => {
                report
                    .warnings
                    .push((line, format!("OfstedLastInsp `{d}` is not a dd-mm-yyyy date — rating not recorded")));
                None
            }
        },
        _ => None,
    };
    Ok(GiasRow {
        line,
        urn,
        name,
        phase,
        school_type,
        la_name: cell(rec, c.la_name).to_string(),
        postcode: cell(rec, c.postcode).to_string(),
        pupils,
        trust: cell(rec, c.trust).to_string(),
        headteacher,
        ofsted,
        religious_character: gias_word(cell(rec, c.religious)),
        diocese: gias_word(cell(rec, c.diocese)),
        trust_code: cell(rec, c.trust_code).to_string(),
        closed,
        closed_on: closed.then(|| {
            read::date(cell(rec, c.close_date))
                .or(read::date(cell(rec, c.last_changed)))
                .filter(|d| *d <= opts.today)
                .unwrap_or(opts.today)
        }),
        opened_on: read::date(cell(rec, c.open_date)),
        changed_on: read::date(cell(rec, c.last_changed)).filter(|d| *d <= opts.today),
    })
}

/// A GIAS name cell, with its words for "nothing here" read as blank.
fn gias_word(s: &str) -> String {
    match key(s).as_str() {
        "doesnotapply" | "none" | "notapplicable" | "notapplicable(na)" | "unknown" => String::new(),
        _ => s.trim().to_string(),
    }
}

fn shown(s: &str) -> String {
    if s.is_empty() { "(blank)".to_string() } else { s.to_string() }
}

/// Applies a GIAS row to what is stored (or to a new school): returns the record to save and
/// the changes, as `field old → new`. Local fields (category, notes, member) are kept.
pub fn merge(existing: Option<&School>, r: &GiasRow) -> (School, Vec<String>) {
    let Some(old) = existing else {
        let school = School {
            id: 0,
            urn: Some(r.urn),
            name: r.name.clone(),
            phase: r.phase,
            school_type: r.school_type.clone(),
            la_name: r.la_name.clone(),
            postcode: r.postcode.clone(),
            pupils: r.pupils,
            trust: r.trust.clone(),
            headteacher: r.headteacher.clone(),
            member: true,
            category: Category::A,
            notes: String::new(),
            religious_character: r.religious_character.clone(),
            diocese: r.diocese.clone(),
            trust_code: r.trust_code.clone(),
            closed_on: r.closed_on,
            stamp: Stamp::default(),
        };
        return (school, Vec::new());
    };
    let mut new = old.clone();
    let mut changes = Vec::new();
    let mut text = |field: &str, slot: &mut String, value: &str, keep_if_blank: bool| {
        if (value.is_empty() && keep_if_blank) || slot.as_str() == value {
            return;
        }
        changes.push(format!("{field} {} → {}", shown(slot), shown(value)));
        *slot = value.to_string();
    };
    text("name", &mut new.name, &r.name, true);
    text("type", &mut new.school_type, &r.school_type, true);
    text("LA", &mut new.la_name, &r.la_name, true);
    text("postcode", &mut new.postcode, &r.postcode, true);
    text("trust", &mut new.trust, &r.trust, false);
    text("headteacher", &mut new.headteacher, &r.headteacher, true);
    text("religious character", &mut new.religious_character, &r.religious_character, false);
    text("diocese", &mut new.diocese, &r.diocese, false);
    text("trust id", &mut new.trust_code, &r.trust_code, false);
    if let Some(on) = r.closed_on.filter(|_| new.closed_on.is_none()) {
        changes.push(format!("closed {}", crate::domain::fmt_date(on)));
        new.closed_on = Some(on);
    }
    if new.phase != r.phase {
        changes.push(format!("phase {} → {}", new.phase, r.phase));
        new.phase = r.phase;
    }
    if let Some(p) = r.pupils.filter(|p| Some(*p) != new.pupils) {
        changes.push(format!("pupils {} → {p}", new.pupils.map_or("(blank)".to_string(), |v| v.to_string())));
        new.pupils = Some(p);
    }
    (new, changes)
}

/// A new school event (id and stamp are given when it is saved).
pub(crate) fn event(
    school_id: i64,
    on: NaiveDate,
    kind: EventKind,
    before: String,
    after: String,
    source: &str,
) -> SchoolEvent {
    SchoolEvent {
        id: 0,
        school_id,
        happened_on: on,
        kind,
        before,
        after,
        source: source.to_string(),
        stamp: Stamp::default(),
    }
}

/// Whether a row belongs to the chosen LA (code or name, any case).
fn in_la(la: &str, code: &str, name: &str) -> bool {
    let la = la.trim();
    code.eq_ignore_ascii_case(la) || name.trim().eq_ignore_ascii_case(la)
}

/// Imports a GIAS table into the store, all in one transaction (rolled back for a dry run).
/// `progress` is told how many rows of the file have been handled.
pub fn import(
    store: &mut Store,
    file: &str,
    table: &Table,
    opts: &GiasOptions,
    progress: &mut Progress<'_>,
) -> Result<Report, ImportError> {
    let c = Cols::of(table);
    let mut report = Report::new("GIAS", file, opts.dry_run);
    report.rows = table.records.len();

    if let Some(la) = &opts.la {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let mut found = None;
        for (_, rec) in &table.records {
            let (code, name) = (cell(rec, c.la_code), cell(rec, c.la_name));
            if in_la(la, code, name) {
                found = Some(format!("LA {name} ({code})"));
                break;
            }
            seen.entry(name.to_string()).or_insert_with(|| code.to_string());
        }
        match found {
            Some(scope) => report.scope = scope,
            None => {
                let q = la.trim().to_lowercase();
                let mut near: Vec<String> = seen
                    .iter()
                    .filter(|(n, _)| n.to_lowercase().contains(&q) || q.contains(&n.to_lowercase()))
                    .map(|(n, c)| format!("{n} ({c})"))
                    .collect();
                if near.is_empty() {
                    near = seen.iter().take(5).map(|(n, c)| format!("{n} ({c})")).collect();
                }
                let hint = if near.is_empty() {
                    String::new()
                } else {
                    format!(" — this file has e.g. {}", near.join(", "))
                };
                return Err(ImportError::File(FileError(format!(
                    "no establishments in local authority `{}` in {file}{hint}",
                    la.trim()
                ))));
            }
        }
    }

    let mut rows = Vec::new();
    let mut first_line: HashMap<i64, u64> = HashMap::new();
    for (line, rec) in &table.records {
        if let Some(la) = &opts.la
            && !in_la(la, cell(rec, c.la_code), cell(rec, c.la_name))
        {
            report.skip(*line, SkipKind::OtherLa, "outside the chosen LA");
            continue;
        }
        match row(&c, *line, rec, opts, &mut report) {
            Ok(r) => {
                if let Some(first) = first_line.get(&r.urn) {
                    report.skip(
                        r.line,
                        SkipKind::Bad,
                        format!("URN {} appears again (first on line {first}) — skipped", r.urn),
                    );
                    continue;
                }
                first_line.insert(r.urn, r.line);
                rows.push(r);
            }
            Err((kind, reason)) => report.skip(*line, kind, reason),
        }
    }

    let total = rows.len();
    let report = store.import(opts.dry_run, |tx| {
        let mut report = report;
        for (i, r) in rows.iter().enumerate() {
            progress(i, total);
            let existing = tx.school_by_urn(r.urn)?;
            if r.closed && existing.is_none() && !opts.include_closed {
                report.skip(
                    r.line,
                    SkipKind::Closed,
                    format!("{} (URN {}) is closed — use --include-closed to import it", r.name, r.urn),
                );
                continue;
            }
            let (school, changes) = merge(existing.as_ref(), r);
            let problems = validate::school(&school);
            if problems.has_errors() {
                report.skip(
                    r.line,
                    SkipKind::Bad,
                    format!("{} (URN {}): {} — skipped", r.name, r.urn, problems.error_text()),
                );
                continue;
            }
            let id = match &existing {
                None => {
                    let id = tx.insert(&school)?;
                    report.added.push(school.name.clone());
                    id
                }
                Some(old) if changes.is_empty() => {
                    report.unchanged += 1;
                    old.id
                }
                Some(old) => {
                    tx.update(&school)?;
                    let on = r.changed_on.unwrap_or(opts.today);
                    for (kind, before, after) in events::between(old, &school) {
                        let on = if kind == EventKind::Closed { school.closed_on.unwrap_or(on) } else { on };
                        tx.insert(&event(old.id, on, kind, before, after, "gias"))?;
                    }
                    report.updated.push((school.name.clone(), changes));
                    old.id
                }
            };
            if existing.is_none()
                && let Some(on) = r.opened_on.filter(|d| *d <= opts.today && (opts.today - *d).num_days() <= 365)
            {
                // Only a recent opening is news; a school open since 1974 is not an event.
                tx.insert(&event(id, on, EventKind::Opened, String::new(), r.urn.to_string(), "gias"))?;
            }
            if let Some((on, outcome, grade)) = &r.ofsted {
                if tx.inspection_on(id, *on, Framework::Graded)?.is_some() {
                    report.inspections_unchanged += 1;
                } else {
                    tx.insert(&Inspection {
                        id: 0,
                        school_id: id,
                        inspected_on: *on,
                        framework: Framework::Graded,
                        outcome: outcome.clone(),
                        grade: Some(*grade),
                        safeguarding_met: None,
                        areas: String::new(),
                        category_of_concern: ConcernCategory::from_published(outcome),
                        kind: InspectionKind::Standard,
                        stamp: Stamp::default(),
                    })?;
                    report.inspections_added += 1;
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
    use super::*;

    #[test]
    fn phases_map_from_gias_words() {
        assert_eq!(map_phase("Primary", "Voluntary aided school"), Some(Phase::Primary));
        assert_eq!(map_phase("Secondary", "Academy converter"), Some(Phase::Secondary));
        assert_eq!(map_phase("Middle deemed primary", "Community school"), Some(Phase::Middle));
        assert_eq!(map_phase("Middle deemed secondary", "Academy converter"), Some(Phase::Middle));
        assert_eq!(map_phase("All-through", "Free schools"), Some(Phase::AllThrough));
        assert_eq!(map_phase("Nursery", "Local authority nursery school"), Some(Phase::Nursery));
        assert_eq!(map_phase("16 plus", "Academy 16-19 converter"), Some(Phase::SixteenPlus));
        assert_eq!(map_phase("Not applicable", "Pupil referral unit"), Some(Phase::Pru));
        assert_eq!(map_phase("Secondary", "Academy alternative provision converter"), Some(Phase::Pru));
        assert_eq!(map_phase("Not applicable", "Community special school"), Some(Phase::Special));
        assert_eq!(map_phase("Primary", "Academy special sponsor led"), Some(Phase::Special));
        assert_eq!(map_phase("Not applicable", "Further education"), Some(Phase::SixteenPlus));
        assert_eq!(map_phase("Not applicable", "Other independent school"), None);
        assert_eq!(map_phase("Not applicable", "Higher education institutions"), None);
    }

    #[test]
    fn grades_from_words_and_digits() {
        assert_eq!(grade_from("Requires Improvement"), Some(3));
        assert_eq!(grade_from("Special Measures"), Some(4));
        assert_eq!(grade_from("2"), Some(2));
        assert_eq!(grade_from("Insufficient evidence"), None);
        assert_eq!(outcome_for("Serious Weaknesses", 4), "Inadequate (Serious Weaknesses)");
        assert_eq!(outcome_for("good", 2), "Good");
    }
}
