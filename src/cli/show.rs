//! `alliance school NAME-OR-URN` and `alliance leader NAME`: one school's or leader's picture
//! between meetings, from the same view models as the TUI's detail views
//! ([`crate::views`]), as text or (`--json`) only JSON on stdout.

use super::Failure;
use super::log_visit::pick_school;
use crate::store::Store;
use crate::views::{LeaderView, SchoolView};
use chrono::NaiveDate;

/// Prints a view: its text made terminal-safe, or its JSON.
fn print<T: serde::Serialize>(view: &T, text: impl FnOnce() -> String, json: bool) -> Result<(), Failure> {
    if json {
        let doc = serde_json::to_string_pretty(view).map_err(|e| Failure::invalid(e.to_string()))?;
        outln!("{}", super::json_for_terminal(&doc));
    } else {
        // Names and notes come from a shared file: never raw control characters.
        for line in text().lines() {
            outln!("{}", crate::text::clean(line));
        }
    }
    Ok(())
}

/// Runs `alliance school`.
pub fn school(store: &Store, today: NaiveDate, query: &str, json: bool) -> Result<(), Failure> {
    if query.trim().is_empty() {
        return Err(Failure::invalid("which school? give its name (or part of it) or its URN"));
    }
    let (id, _) = pick_school(store, query)?;
    let snap = store.snapshot(today)?;
    let view = SchoolView::load(store, &snap, id)?;
    print(&view, || view.text(), json)
}

/// Finds one leader by exact name or a unique part of it.
fn pick_leader(store: &Store, query: &str) -> Result<i64, Failure> {
    let q = query.trim();
    if q.is_empty() {
        return Err(Failure::invalid("which leader? give their name or part of it"));
    }
    let leaders: Vec<crate::domain::Leader> = store.all()?;
    if let Some(l) = leaders.iter().find(|l| l.name.trim().eq_ignore_ascii_case(q)) {
        return Ok(l.id);
    }
    let lower = q.to_lowercase();
    let found: Vec<_> = leaders.iter().filter(|l| l.name.to_lowercase().contains(&lower)).collect();
    match found.as_slice() {
        [] => Err(Failure::invalid(format!("no leader matches `{q}` — try part of their name"))),
        [l] => Ok(l.id),
        many => Err(Failure::invalid(format!(
            "`{q}` matches {} leaders: {} — be more specific",
            many.len(),
            many.iter().take(6).map(|l| l.name.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// Runs `alliance leader`.
pub fn leader(store: &Store, today: NaiveDate, query: &str, json: bool) -> Result<(), Failure> {
    let id = pick_leader(store, query)?;
    let snap = store.snapshot(today)?;
    let view = LeaderView::load(store, &snap, id)?;
    print(&view, || view.text(), json)
}
