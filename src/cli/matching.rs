//! `alliance match`: who is best placed to support a school on a focus, and why.

use super::Failure;
use super::log_visit::pick_school;
use crate::domain::money::fmt_days;
use crate::store::Store;
use chrono::NaiveDate;

/// The most days `--days` may ask for: the most a contract may commission (and a leader's
/// largest capacity), 220 days.
pub const MAX_MATCH_DAYS: f64 = 220.0;

/// Runs the command.
pub fn run(
    store: &Store,
    today: NaiveDate,
    school: &str,
    focus: &str,
    days: Option<&str>,
    top: usize,
    json: bool,
) -> Result<(), Failure> {
    if focus.trim().is_empty() {
        return Err(Failure::invalid("--focus is empty — e.g. \"KS1 writing\" or \"Leadership\""));
    }
    let days = days.map(|d| super::days_arg(d, MAX_MATCH_DAYS)).transpose()?;
    let (school_id, name) = pick_school(store, school)?;
    let snap = store.snapshot(today)?;
    let ranked = store.best_placed(&snap, school_id, focus, days)?;
    let (ok, excluded): (Vec<_>, Vec<_>) = ranked.into_iter().partition(|r| r.excluded.is_none());
    if json {
        let doc = serde_json::json!({
            "school_id": school_id,
            "school": name,
            "focus": focus.trim(),
            "days": days,
            "ranked": ok.iter().take(top).collect::<Vec<_>>(),
            "excluded": excluded,
        });
        let text = serde_json::to_string_pretty(&doc).map_err(|e| Failure::invalid(e.to_string()))?;
        outln!("{}", super::json_for_terminal(&text));
        return Ok(());
    }
    // Names and reasons come from the shared file: never raw control characters or bidi overrides.
    let clean = crate::text::clean;
    let need = days.map_or(String::new(), |d| format!(", {} days", fmt_days(d)));
    outln!("Best placed to support {} on {}{need}:", clean(&name), clean(focus.trim()));
    if ok.is_empty() {
        outln!("  no deployable leader — see the exclusions below");
    }
    for (i, r) in ok.iter().take(top).enumerate() {
        outln!(
            "{:>2}. {} ({}) — score {}, {} days available",
            i + 1,
            clean(&r.name),
            r.designation,
            r.score,
            fmt_days(r.available)
        );
        for why in &r.reasons {
            outln!("      {}", clean(why));
        }
    }
    if !excluded.is_empty() {
        outln!("Excluded:");
        for r in &excluded {
            outln!("  - {} ({}): {}", clean(&r.name), r.designation, clean(r.excluded.as_deref().unwrap_or("")));
        }
    }
    Ok(())
}
