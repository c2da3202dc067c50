//! `alliance import performance` and `alliance import measures`: published performance data
//! (issue 14) into `measures`.
//!
//! The DfE's "Compare school and college performance" downloads are read as published —
//! `england_ks2final.csv` / `…revised` / `…provisional`, the same for `ks4`, `england_abs.csv`,
//! `england_census.csv`, loose or inside the download's zip. Columns are found by name;
//! school rows (with a URN) are matched to the alliance's schools; rows with no URN are the
//! comparators — an LA row (it has an LA code) or the England row. `49%` is stored as 49; a
//! cell that is not a number is kept exactly as published (SUPP, NE, x …, and codes this
//! program does not know, which are listed once). The academic year comes from `--year` or
//! the file's folder or name. A later release never gives way to an earlier one (a final
//! figure is not replaced by a provisional one).

use super::read::{self, FileError, Table, cell, key};
use super::report::{Report, SkipKind};
use super::{ImportError, Progress};
use crate::domain::measures::{Cell, KEY_MEASURES, code_meaning, parse_year, read_cell, year_in_path};
use crate::domain::{Measure, Stamp};
use crate::store::{ImportTx, Store, StoreError};
use std::collections::{BTreeSet, HashMap};
use std::io::Read;

/// One CSV to import: what it is, and its rows.
#[derive(Debug)]
pub struct PerfFile {
    /// Its name (inside the zip, as `zip/entry`).
    pub name: String,
    /// `ks2`, `ks4`, `absence` or `census`.
    pub family: &'static str,
    /// provisional, revised or final.
    pub release: &'static str,
    /// Academic year, `2024/25`.
    pub year: String,
    /// The parsed file.
    pub table: Table,
}

/// What a download's file name says it is: family and release (`None`: not one of ours).
pub fn kind_of(name: &str) -> Option<(&'static str, &'static str)> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).to_ascii_lowercase();
    if !base.ends_with(".csv") || base.contains("meta") {
        return None;
    }
    let release = if base.contains("provisional") {
        "provisional"
    } else if base.contains("revised") {
        "revised"
    } else {
        "final"
    };
    let family = if base.contains("ks2") {
        "ks2"
    } else if base.contains("ks4") {
        "ks4"
    } else if base.contains("_abs") || base.starts_with("abs") {
        "absence"
    } else if base.contains("census") {
        "census"
    } else {
        return None;
    };
    Some((family, release))
}

const ZIP_LIMIT: u64 = 512 * 1024 * 1024;

/// Reads a download (a CSV, or the zip the service hands out): every performance CSV in it,
/// with its year. Refused with one sentence when nothing in it is one, or no year is known.
pub fn read_download(name: &str, bytes: &[u8], year: Option<&str>) -> Result<(Vec<PerfFile>, Vec<String>), FileError> {
    let mut notes = Vec::new();
    let mut files = Vec::new();
    let year_given = match year {
        Some(y) => Some(parse_year(y).ok_or_else(|| {
            let shown: String = y.chars().filter(|c| !c.is_control()).take(20).collect();
            FileError(format!("--year `{shown}` is not an academic year — write it like 2024/25"))
        })?),
        None => None,
    };
    let year_for = |entry: &str| -> Result<String, FileError> {
        year_given.clone().or_else(|| year_in_path(entry)).or_else(|| year_in_path(name)).ok_or_else(|| {
            FileError(format!(
                "no academic year in {entry}'s folder or name — give it with --year, e.g. --year 2024/25"
            ))
        })
    };
    if bytes.starts_with(b"PK\x03\x04") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| FileError(format!("{name} could not be read as a zip file ({e})")))?;
        let mut ignored = Vec::new();
        for i in 0..zip.len() {
            let mut entry =
                zip.by_index(i).map_err(|e| FileError(format!("{name}: entry {i} could not be read ({e})")))?;
            if entry.is_dir() {
                continue;
            }
            let entry_name = entry.name().to_string();
            let Some((family, release)) = kind_of(&entry_name) else {
                ignored.push(entry_name);
                continue;
            };
            if entry.size() > ZIP_LIMIT {
                return Err(FileError(format!("{name}: {entry_name} is over 512 MB unpacked — refused")));
            }
            let mut data = Vec::new();
            entry
                .by_ref()
                .take(ZIP_LIMIT + 1)
                .read_to_end(&mut data)
                .map_err(|e| FileError(format!("{name}: {entry_name} could not be unpacked ({e})")))?;
            let shown = format!("{name}/{entry_name}");
            // Metadata and other tables in the zip (no URN column, no measures) are left out.
            let Ok(table) = parse(&shown, &data) else {
                ignored.push(entry_name);
                continue;
            };
            if !has_measures(&table, family) {
                ignored.push(entry_name);
                continue;
            }
            files.push(PerfFile { name: shown, family, release, year: year_for(&entry_name)?, table });
        }
        if !ignored.is_empty() {
            notes.push(format!("not performance data, left out of the zip's import: {}", list(&ignored)));
        }
        if files.is_empty() {
            return Err(FileError(format!(
                "{name} holds no performance CSV (england_ks2final.csv, england_ks4final.csv, england_abs.csv, england_census.csv …)"
            )));
        }
    } else {
        let (family, release) = match kind_of(name) {
            Some(k) => k,
            None => {
                return Err(FileError(format!(
                    "{name} is not named like a performance download (england_ks2final.csv, england_ks4provisional.csv, \
                     england_abs.csv, england_census.csv …) — for local figures use `alliance import measures`"
                )));
            }
        };
        let table = parse(name, bytes)?;
        if !has_measures(&table, family) {
            let codes: Vec<&str> = KEY_MEASURES.iter().filter(|m| m.family == family).map(|m| m.code).collect();
            return Err(FileError(format!(
                "{name} has none of the {} measures ({}) — is it the right file?",
                family.to_uppercase(),
                codes.join(", ")
            )));
        }
        files.push(PerfFile { name: name.to_string(), family, release, year: year_for(name)?, table });
    }
    Ok((files, notes))
}

fn has_measures(t: &Table, family: &str) -> bool {
    KEY_MEASURES.iter().any(|m| m.family == family && t.has(m.code))
}

fn parse(name: &str, bytes: &[u8]) -> Result<Table, FileError> {
    let text = read::decode(name, bytes)?;
    Table::parse(&text)?.ok_or_else(|| FileError(format!("{name} has no URN column — not a performance download")))
}

/// A list for a note: up to 30 items, then "and N more".
fn list(items: &[String]) -> String {
    let shown: Vec<String> = items.iter().take(30).map(|s| s.chars().take(60).collect()).collect();
    let more = if items.len() > 30 { format!(" and {} more", items.len() - 30) } else { String::new() };
    format!("{}{more}", shown.join(", "))
}

/// Columns every download has that identify a row rather than measure it.
const IDENTIFIERS: &[&str] = &["RECTYPE", "URN", "LEA", "LA", "ESTAB", "LAESTAB", "SCHNAME", "LANAME", "LA_NAME"];

/// How later a release is: a figure is only replaced by one at least as late.
fn rank(release: &str) -> u8 {
    match release {
        "local" => 0,
        "provisional" => 1,
        "revised" => 2,
        _ => 3,
    }
}

/// A figure to store, before the look-up.
struct Figure {
    school_id: Option<i64>,
    area: String,
    who: String,
    measure: String,
    year: String,
    cell: Cell,
    release: &'static str,
    la_code: String,
    note: String,
}

/// Writes one figure: added, updated (what changed), unchanged, or kept because a later
/// release is stored. Returns whether a later release was kept.
fn upsert(tx: &ImportTx<'_>, f: &Figure, source: &str, report: &mut Report) -> Result<bool, StoreError> {
    let (value, status) = match &f.cell {
        Cell::Number(v) => (Some(*v), "ok".to_string()),
        Cell::Code(c) => (None, c.clone()),
        Cell::Blank => return Ok(false),
    };
    let what = format!("{} {} {}", f.who, f.measure, f.year);
    let existing = tx.measure_at(&f.area, f.school_id, &f.measure, &f.year)?;
    let Some(old) = existing else {
        tx.insert(&Measure {
            id: 0,
            school_id: f.school_id,
            area: f.area.clone(),
            measure: f.measure.clone(),
            year: f.year.clone(),
            value,
            status,
            release: f.release.to_string(),
            source: source.to_string(),
            la_code: f.la_code.clone(),
            note: f.note.clone(),
            stamp: Stamp::default(),
        })?;
        report.added.push(what);
        return Ok(false);
    };
    if rank(&old.release) > rank(f.release) {
        report.unchanged += 1;
        return Ok(true);
    }
    let shown = |v: Option<f64>, s: &str| v.map_or(s.to_string(), crate::domain::measures::trim_num);
    let mut changes = Vec::new();
    if old.value != value || old.status != status {
        changes.push(format!("{} → {}", shown(old.value, &old.status), shown(value, &status)));
    }
    if old.release != f.release {
        changes.push(format!("release {} → {}", old.release, f.release));
    }
    if !f.la_code.is_empty() && old.la_code != f.la_code {
        changes.push(format!("LA {} → {}", if old.la_code.is_empty() { "(blank)" } else { &old.la_code }, f.la_code));
    }
    if old.note != f.note {
        changes.push("note changed".to_string());
    }
    if changes.is_empty() {
        report.unchanged += 1;
        return Ok(false);
    }
    let mut new = old.clone();
    new.value = value;
    new.status = status;
    new.release = f.release.to_string();
    new.source = source.to_string();
    if !f.la_code.is_empty() {
        new.la_code = f.la_code.clone();
    }
    new.note = f.note.clone();
    tx.update(&new)?;
    report.updated.push((what, changes));
    Ok(false)
}

/// Whether an LA code cell names England rather than an LA.
fn national(code: &str) -> bool {
    code.is_empty() || matches!(key(code).as_str(), "nat" | "national" | "england" | "999" | "e92000001")
}

/// Options of `import performance`.
#[derive(Debug, Clone, Default)]
pub struct PerfOptions {
    /// Work everything out, report it, save nothing.
    pub dry_run: bool,
}

/// Imports every file of a download in one transaction (all or nothing). One report per file.
pub fn import(
    store: &mut Store,
    files: &[PerfFile],
    zip_notes: Vec<String>,
    opts: &PerfOptions,
    progress: &mut Progress<'_>,
) -> Result<Vec<Report>, ImportError> {
    let total: usize = files.iter().map(|f| f.table.records.len()).sum();
    let reports = store.import(opts.dry_run, |tx| {
        let schools = tx.schools_by_urn()?;
        let mut done = 0;
        let mut reports = Vec::new();
        for (n, file) in files.iter().enumerate() {
            let mut report = Report::new("Performance", &file.name, opts.dry_run);
            report.rows = file.table.records.len();
            report.scope = format!("{} {} {}", file.family.to_uppercase(), file.release, file.year);
            if n == 0 {
                report.notes.extend(zip_notes.iter().cloned());
            }
            let t = &file.table;
            let measures: Vec<(usize, &str)> = KEY_MEASURES
                .iter()
                .filter(|m| m.family == file.family)
                .filter_map(|m| t.column(&[m.code]).map(|i| (i, m.code)))
                .collect();
            let known_codes: Vec<&str> =
                KEY_MEASURES.iter().filter(|m| m.family == file.family).map(|m| m.code).collect();
            let missing: Vec<String> = known_codes.iter().filter(|c| !t.has(c)).map(|c| c.to_string()).collect();
            let not_imported: Vec<String> = t
                .headers
                .iter()
                .filter(|h| {
                    !IDENTIFIERS.iter().any(|i| key(i) == key(h)) && !known_codes.iter().any(|c| key(c) == key(h))
                })
                .cloned()
                .collect();
            if !not_imported.is_empty() {
                report.notes.push(format!("{} columns not imported: {}", not_imported.len(), list(&not_imported)));
            }
            if !missing.is_empty() {
                report.notes.push(format!("not in this file: {}", missing.join(", ")));
            }
            let (c_urn, c_la, c_name) = (
                t.column(&["URN"]),
                t.column(&["LEA", "LA", "LA code", "LA (code)"]),
                t.column(&["SCHNAME", "LANAME"]),
            );
            let mut unknown_codes: BTreeSet<String> = BTreeSet::new();
            let mut seen: HashMap<String, u64> = HashMap::new();
            let mut kept_later = 0;
            let mut more_england = 0;
            for (line, rec) in &t.records {
                progress(done, total);
                done += 1;
                let urn_text = cell(rec, c_urn);
                let la_code = cell(rec, c_la).to_string();
                let (school_id, area, who, school_la) = if urn_text.is_empty() {
                    if national(&la_code) {
                        (None, "england".to_string(), "England".to_string(), String::new())
                    } else {
                        let name = cell(rec, c_name);
                        let who = if name.is_empty() { format!("LA {la_code}") } else { format!("LA {name}") };
                        (None, format!("la:{la_code}"), who, String::new())
                    }
                } else {
                    let urn = match read::urn(urn_text) {
                        Ok(u) => u,
                        Err(e) => {
                            report.skip(*line, SkipKind::Bad, format!("{e} — skipped"));
                            continue;
                        }
                    };
                    match schools.get(&urn) {
                        Some((id, name)) => (Some(*id), "school".to_string(), name.clone(), la_code.clone()),
                        None => {
                            report.skip(*line, SkipKind::NotInAlliance, "not an alliance school");
                            continue;
                        }
                    }
                };
                let row_key = format!("{area}/{}", school_id.unwrap_or(0));
                if area == "england" && seen.contains_key(&row_key) {
                    // Downloads carry several national rows (all schools, state-funded …): the
                    // first is the comparator.
                    more_england += 1;
                    continue;
                }
                if let Some(first) = seen.get(&row_key) {
                    report.skip(*line, SkipKind::Bad, format!("{who} appears again (first on line {first}) — skipped"));
                    continue;
                }
                seen.insert(row_key, *line);
                for (col, code) in &measures {
                    let c = read_cell(rec.get(*col).unwrap_or(""));
                    if let Cell::Code(raw) = &c
                        && code_meaning(raw).is_none()
                    {
                        unknown_codes.insert(raw.clone());
                    }
                    let f = Figure {
                        school_id,
                        area: area.clone(),
                        who: who.clone(),
                        measure: code.to_string(),
                        year: file.year.clone(),
                        cell: c,
                        release: file.release,
                        la_code: school_la.clone(),
                        note: String::new(),
                    };
                    kept_later += usize::from(upsert(tx, &f, &file.name, &mut report)?);
                }
            }
            if !unknown_codes.is_empty() {
                let codes: Vec<String> = unknown_codes.into_iter().collect();
                report.notes.push(format!("codes kept as published, not ones the DfE documents: {}", list(&codes)));
            }
            if more_england > 0 {
                report.notes.push(format!(
                    "{more_england} further national rows left out: the first England row is the comparator"
                ));
            }
            if kept_later > 0 {
                report.notes.push(format!(
                    "{kept_later} figures kept: a later release of them is already stored (counted unchanged)"
                ));
            }
            reports.push(report);
        }
        progress(total, total);
        Ok(reports)
    })?;
    Ok(reports)
}

/// Options of `import measures`.
#[derive(Debug, Clone, Default)]
pub struct LocalOptions {
    /// Work everything out, report it, save nothing.
    pub dry_run: bool,
}

/// Reads a local-data CSV (`urn, measure, year, value` + optional `release, note`).
pub fn read_local(name: &str, bytes: &[u8]) -> Result<Table, FileError> {
    let text = read::decode(name, bytes)?;
    match Table::parse(&text)? {
        Some(t) if t.has("measure") && t.has("year") && t.has("value") => Ok(t),
        _ => Err(FileError(format!(
            "{name} is not a local measures CSV — its header needs urn, measure, year and value (and may have release, note)"
        ))),
    }
}

/// Imports local figures (LA provisional results, attendance from the LA's systems) in one
/// transaction. `release` defaults to `local`; a figure a later DfE release already gives is
/// kept.
pub fn import_local(
    store: &mut Store,
    file: &str,
    t: &Table,
    opts: &LocalOptions,
    progress: &mut Progress<'_>,
) -> Result<Report, ImportError> {
    let mut report = Report::new("Local measures", file, opts.dry_run);
    report.rows = t.records.len();
    let (c_urn, c_measure, c_year, c_value, c_release, c_note) = (
        t.column(&["urn"]),
        t.column(&["measure"]),
        t.column(&["year"]),
        t.column(&["value"]),
        t.column(&["release"]),
        t.column(&["note"]),
    );
    let total = t.records.len();
    let report = store.import(opts.dry_run, |tx| {
        let schools = tx.schools_by_urn()?;
        let mut report = report;
        let mut seen: HashMap<(i64, String, String), u64> = HashMap::new();
        let mut not_key = BTreeSet::new();
        let mut kept_later = 0;
        for (i, (line, rec)) in t.records.iter().enumerate() {
            progress(i, total);
            let bad = |why: String| (SkipKind::Bad, format!("{why} — skipped"));
            let row = (|| {
                let urn = read::urn(cell(rec, c_urn)).map_err(bad)?;
                let (id, name) = schools.get(&urn).cloned().ok_or((SkipKind::NotInAlliance, String::new()))?;
                let measure = cell(rec, c_measure).to_ascii_uppercase();
                if measure.is_empty()
                    || measure.len() > 40
                    || !measure.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    let shown: String = measure.chars().filter(|c| !c.is_control()).take(40).collect();
                    return Err(bad(format!("measure `{shown}` is not a measure code (letters, digits and _)")));
                }
                let year_text = cell(rec, c_year);
                let year = parse_year(year_text).ok_or_else(|| {
                    let shown: String = year_text.chars().filter(|c| !c.is_control()).take(20).collect();
                    bad(format!("year `{shown}` is not an academic year like 2024/25"))
                })?;
                let value = read_cell(cell(rec, c_value));
                if value == Cell::Blank {
                    return Err(bad(format!("{name} {measure} {year} has no value")));
                }
                let release = match key(cell(rec, c_release)).as_str() {
                    "" | "local" => "local",
                    "provisional" => "provisional",
                    "revised" => "revised",
                    "final" => "final",
                    other => {
                        let shown: String = other.chars().take(20).collect();
                        return Err(bad(format!("release `{shown}` is not local, provisional, revised or final")));
                    }
                };
                Ok((id, name, measure, year, value, release))
            })();
            let (id, name, measure, year, value, release) = match row {
                Ok(r) => r,
                Err((kind, why)) => {
                    report.skip(*line, kind, why);
                    continue;
                }
            };
            if let Some(first) = seen.insert((id, measure.clone(), year.clone()), *line) {
                report.skip(
                    *line,
                    SkipKind::Bad,
                    format!("{name} {measure} {year} appears again (first on line {first}) — skipped"),
                );
                continue;
            }
            if crate::domain::measures::key_measure(&measure).is_none() {
                not_key.insert(measure.clone());
            }
            let f = Figure {
                school_id: Some(id),
                area: "school".into(),
                who: name,
                measure,
                year,
                cell: value,
                release,
                la_code: String::new(),
                note: cell(rec, c_note).to_string(),
            };
            kept_later += usize::from(upsert(tx, &f, file, &mut report)?);
        }
        if !not_key.is_empty() {
            let v: Vec<String> = not_key.into_iter().collect();
            report.notes.push(format!("stored as given, not measures the triggers read: {}", list(&v)));
        }
        if kept_later > 0 {
            report
                .notes
                .push(format!("{kept_later} figures kept: a later DfE release of them is stored (counted unchanged)"));
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
    fn download_names_say_family_and_release() {
        assert_eq!(kind_of("england_ks2final.csv"), Some(("ks2", "final")));
        assert_eq!(kind_of("2023-2024/england_ks2revised.csv"), Some(("ks2", "revised")));
        assert_eq!(kind_of("england_ks4provisional.csv"), Some(("ks4", "provisional")));
        assert_eq!(kind_of("england_abs.csv"), Some(("absence", "final")));
        assert_eq!(kind_of("ENGLAND_CENSUS.CSV"), Some(("census", "final")));
        assert_eq!(kind_of("england_ks2final_meta.txt"), None);
        assert_eq!(kind_of("england_school_information.csv"), None);
    }

    #[test]
    fn later_releases_rank_higher() {
        assert!(rank("final") > rank("revised") && rank("revised") > rank("provisional"));
        assert!(rank("provisional") > rank("local"));
        assert!(national("") && national("NAT") && !national("879"));
    }
}
