//! `alliance terms [add|remove]` and `alliance import terms`: the term dates that make school
//! days. Windows named in days (no recent visit, the review interval) count school days, so
//! these dates decide when the summer holiday makes nothing overdue.

use super::{Failure, TermsCommand};
use crate::domain::calendar::missing_note;
use crate::domain::{Calendar, Stamp, Term, TermKind, parse_date};
use crate::import::terms::TermFile;
use crate::store::Store;
use chrono::NaiveDate;

fn shown(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// Runs the command.
pub fn run(store: &mut Store, today: NaiveDate, what: Option<&TermsCommand>, json: bool) -> Result<(), Failure> {
    match what {
        None => list(store, today, json),
        Some(TermsCommand::Add { start, end, label, closure }) => {
            let date = |what: &str, s: &str| parse_date(s, today).map_err(|e| Failure::invalid(format!("{what}: {e}")));
            let t = Term {
                id: 0,
                starts_on: date("START", start)?,
                ends_on: date("END", end)?,
                label: label.trim().to_string(),
                kind: if *closure { TermKind::Closure } else { TermKind::Term },
                stamp: Stamp::default(),
            };
            let id = store.add_term(&t)?;
            let clean = crate::text::clean;
            outln!(
                "{} #{id} added: {} – {}{}",
                t.kind,
                shown(t.starts_on),
                shown(t.ends_on),
                if t.label.is_empty() { String::new() } else { format!(" ({})", clean(&t.label)) }
            );
            note(store, today)
        }
        Some(TermsCommand::Remove { id }) => {
            let t: Term = store.find::<Term>(*id)?.ok_or_else(|| {
                Failure::invalid(format!(
                    "there is no term or closure #{id} — `alliance terms` lists them with their ids"
                ))
            })?;
            let gone = store.remove_term(t.id, t.stamp.version)?;
            outln!("{} #{} removed: {} – {}", gone.kind, gone.id, shown(gone.starts_on), shown(gone.ends_on));
            note(store, today)
        }
    }
}

/// After a change, says if today's year has no term dates (every weekday then counts).
fn note(store: &Store, today: NaiveDate) -> Result<(), Failure> {
    if let Some(y) = store.calendar()?.missing_year(today) {
        outln!("note: {} — every weekday counts as a school day", missing_note(&y));
    }
    Ok(())
}

fn list(store: &Store, today: NaiveDate, json: bool) -> Result<(), Failure> {
    let rows = store.terms()?;
    let cal = store.calendar()?;
    let missing = cal.missing_year(today).map(|y| missing_note(&y));
    let school_days = |t: &Term| match t.kind {
        TermKind::Term => Some(count(&cal, t)),
        TermKind::Closure => None,
    };
    if json {
        let doc = serde_json::json!({
            "today": today.to_string(),
            "recorded": missing.is_none(),
            "note": missing,
            "terms": rows.iter().map(|t| serde_json::json!({
                "id": t.id,
                "starts_on": t.starts_on.to_string(),
                "ends_on": t.ends_on.to_string(),
                "label": t.label,
                "kind": t.kind.as_str(),
                "school_days": school_days(t),
            })).collect::<Vec<_>>(),
        });
        let text = serde_json::to_string_pretty(&doc).map_err(|e| Failure::invalid(e.to_string()))?;
        outln!("{}", super::json_for_terminal(&text));
        return Ok(());
    }
    let clean = crate::text::clean;
    if rows.is_empty() {
        outln!("No term dates recorded: every weekday counts as a school day.");
        outln!("Add them with `alliance terms add START END --label L` or `alliance import terms FILE`.");
        return Ok(());
    }
    outln!("Term dates (school days are weekdays in a term, outside its closures):");
    for t in &rows {
        let days = school_days(t).map_or(String::new(), |n| format!(" · {n} school days"));
        outln!(
            "  #{:<3} {:<8} {} – {}  {}{days}",
            t.id,
            t.kind.as_str(),
            shown(t.starts_on),
            shown(t.ends_on),
            clean(&t.label)
        );
    }
    if let Some(m) = missing {
        outln!("note: {m} — every weekday counts as a school day");
    }
    Ok(())
}

/// School days inside a term.
fn count(cal: &Calendar, t: &Term) -> i64 {
    t.starts_on.pred_opt().map_or(0, |before| cal.school_days_between(before, t.ends_on))
}

/// `alliance import terms FILE`: adds what is not yet recorded; `--dry-run` only says what it
/// would add.
pub fn import(store: &mut Store, today: NaiveDate, name: &str, file: &TermFile, dry_run: bool) -> Result<(), Failure> {
    let (added, unchanged) = if dry_run {
        let have = store.terms()?;
        let known =
            |t: &Term| have.iter().any(|h| h.starts_on == t.starts_on && h.ends_on == t.ends_on && h.kind == t.kind);
        let new = file.rows.iter().filter(|t| !known(t)).count();
        (new, file.rows.len() - new)
    } else {
        let done = store.import_terms(&file.rows)?;
        (done.added, done.unchanged)
    };
    let terms = file.rows.iter().filter(|t| t.kind == TermKind::Term).count();
    let clean = crate::text::clean;
    outln!(
        "{}{}: {} terms and {} closures read; {added} added, {unchanged} already recorded",
        if dry_run { "dry run, nothing saved — " } else { "" },
        clean(name),
        terms,
        file.rows.len() - terms
    );
    if !file.ignored.is_empty() {
        let some: Vec<String> = file.ignored.iter().take(5).map(|s| format!("`{}`", clean(s))).collect();
        let more = file.ignored.len().saturating_sub(5);
        outln!(
            "left out {} event{} naming neither a term nor a closure: {}{}",
            file.ignored.len(),
            if file.ignored.len() == 1 { "" } else { "s" },
            some.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        );
    }
    if !dry_run {
        note(store, today)?;
    }
    Ok(())
}
