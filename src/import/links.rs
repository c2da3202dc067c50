//! `alliance import gias-links`: GIAS's `links_edubasealldata*.csv` (`URN`, `LinkURN`,
//! `LinkName`, `LinkType`, `LinkEstablishedDate`), which joins a school that closed to the one
//! that replaced it — an academy conversion closes a school and reopens it under a new URN.
//!
//! A `Successor…` link from an alliance school to another alliance school (or the matching
//! `Predecessor…` link the other way) is a conversion: the successor takes the predecessor's
//! live contracts (with their visits and reviews), the board's category and notes, and the
//! closed school stays in the record, marked closed and linked ("became URN …"). Other links
//! (sixth-form centres, federations) are recorded as links only. Rows naming a school the
//! alliance does not have are counted as skipped; import the GIAS establishments first.

use super::read::{self, FileError, Table, cell, key};
use super::report::{Report, SkipKind};
use super::{ImportError, Progress};
use crate::domain::fmt_date;
use crate::store::Store;
use chrono::NaiveDate;

/// What to import.
#[derive(Debug, Clone)]
pub struct LinksOptions {
    /// Work everything out, report it, save nothing.
    pub dry_run: bool,
    /// Links dated after this are not applied; undated ones take this date.
    pub today: NaiveDate,
}

/// Reads and checks a links file: refused with one sentence if it is not text, or its header
/// has no `URN`, `LinkURN` and `LinkType` columns.
pub fn read(name: &str, bytes: &[u8]) -> Result<Table, FileError> {
    let text = read::decode(name, bytes)?;
    match Table::parse(&text)? {
        Some(t) if t.has("LinkURN") && t.has("LinkType") && t.has("URN") => Ok(t),
        Some(t) if t.has("EstablishmentName") => Err(FileError(format!(
            "{name} is the GIAS establishment download, not its links file — use `alliance import gias {name}`"
        ))),
        _ => Err(FileError(format!(
            "{name} is not a GIAS links CSV (its header has no URN, LinkURN and LinkType columns) — \
             download links_edubasealldata from Get Information about Schools"
        ))),
    }
}

/// What one row says, read from the predecessor's side.
#[derive(Debug, Clone, PartialEq)]
enum Link {
    /// `from` closed and `to` replaced it (`kind` as published, lower case).
    Succession { from: i64, to: i64, kind: String },
    /// Any other link, kept as published.
    Other { urn: i64, linked: i64, kind: String },
}

fn parse(t: &Table, rec: &csv::StringRecord) -> Result<(Link, Option<NaiveDate>), String> {
    let urn = read::urn(cell(rec, t.column(&["URN"])))?;
    let linked = read::urn(cell(rec, t.column(&["LinkURN"]))).map_err(|e| format!("Link{e}"))?;
    let ty = cell(rec, t.column(&["LinkType"])).trim().to_lowercase();
    if ty.is_empty() {
        return Err(format!("URN {urn}: no LinkType"));
    }
    let since_text = cell(rec, t.column(&["LinkEstablishedDate"]));
    let since = if since_text.is_empty() {
        None
    } else {
        Some(read::date(since_text).ok_or_else(|| {
            let shown: String = since_text.chars().take(20).collect();
            format!("URN {urn}: LinkEstablishedDate `{shown}` is not a date")
        })?)
    };
    let k = key(&ty);
    let link = if k.starts_with("successor") {
        Link::Succession { from: urn, to: linked, kind: ty }
    } else if k.starts_with("predecessor") {
        Link::Succession { from: linked, to: urn, kind: ty.replacen("predecessor", "successor", 1) }
    } else {
        Link::Other { urn, linked, kind: ty }
    };
    Ok((link, since))
}

/// Imports a links table, all in one transaction (rolled back for a dry run).
pub fn import(
    store: &mut Store,
    file: &str,
    table: &Table,
    opts: &LinksOptions,
    progress: &mut Progress<'_>,
) -> Result<Report, ImportError> {
    let mut report = Report::new("GIAS links", file, opts.dry_run);
    report.rows = table.records.len();
    let mut rows = Vec::new();
    for (line, rec) in &table.records {
        match parse(table, rec) {
            Ok((_, Some(since))) if since > opts.today => {
                report.skip(*line, SkipKind::Future, format!("link dated {} is after today — skipped", fmt_date(since)))
            }
            Ok((link, since)) => rows.push((*line, link, since.unwrap_or(opts.today))),
            Err(e) => report.skip(*line, SkipKind::Bad, format!("{e} — skipped")),
        }
    }
    let total = rows.len();
    let report = store.import(opts.dry_run, |tx| {
        let mut report = report;
        let schools = tx.schools_by_urn()?;
        for (i, (line, link, since)) in rows.iter().enumerate() {
            progress(i, total);
            match link {
                Link::Succession { from, to, kind } => {
                    let (Some((from_id, from_name)), Some((to_id, to_name))) = (schools.get(from), schools.get(to))
                    else {
                        let missing = if schools.contains_key(from) { to } else { from };
                        report.skip(*line, SkipKind::NotInAlliance, format!("URN {missing} is not in this alliance"));
                        continue;
                    };
                    match tx.convert(*from_id, *to_id, *since, "gias-links")? {
                        None => report.unchanged += 1,
                        Some(done) => {
                            let mut what = vec![format!("{kind}: became URN {to} ({to_name}) on {}", fmt_date(*since))];
                            if !done.contracts.is_empty() {
                                let ids: Vec<String> = done.contracts.iter().map(|c| format!("#{c}")).collect();
                                what.push(format!("contracts {} moved to the successor", ids.join(", ")));
                            }
                            if let Some((was, now)) = done.category {
                                what.push(format!("successor's category {was} → {now}"));
                            }
                            if done.notes {
                                what.push("notes carried over".to_string());
                            }
                            report.updated.push((format!("{from_name} (URN {from})"), what));
                        }
                    }
                }
                Link::Other { urn, linked, kind } => {
                    let (Some((id, name)), Some((other, _))) = (schools.get(urn), schools.get(linked)) else {
                        report.skip(
                            *line,
                            SkipKind::NotInAlliance,
                            format!("URN {urn} or {linked} is not in this alliance"),
                        );
                        continue;
                    };
                    if tx.link(*id, *other, kind, Some(*since))? {
                        report.added.push(format!("{name}: {kind} link to URN {linked}"));
                    } else {
                        report.unchanged += 1;
                    }
                }
            }
        }
        progress(total, total);
        Ok(report)
    })?;
    Ok(report)
}
