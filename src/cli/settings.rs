//! `alliance settings`: list the settings with what each does, or change some of them.
//!
//! Values are written as people say them (`£575`, `12.5%`, `September`) and stored in the
//! file's units (pence, basis points, month numbers). Several changes in one call are saved
//! together or not at all, each against the value read at the start, so a change made by
//! someone else in between is refused rather than overwritten.

use super::Failure;
use crate::domain::settings::{SPECS, SettingChange, parse_value, resolve_key};
use crate::store::Store;
use std::io::Write;

/// Runs the command.
pub fn run(store: &mut Store, what: Option<&super::SettingsCommand>, json: bool) -> Result<(), Failure> {
    match what {
        None => list(store, json),
        Some(super::SettingsCommand::Set { pairs }) => set(store, pairs, json),
    }
}

fn list(store: &Store, json: bool) -> Result<(), Failure> {
    let s = store.settings()?;
    let mut out = std::io::stdout().lock();
    if json {
        let rows: Vec<serde_json::Value> = SPECS
            .iter()
            .map(|spec| {
                let stored = s.get(spec.key).unwrap_or_default();
                let value = match spec.unit {
                    crate::domain::settings::Unit::Text => serde_json::Value::String(stored),
                    _ => stored.parse::<i64>().map_or(serde_json::Value::String(stored), serde_json::Value::from),
                };
                serde_json::json!({
                    "key": spec.key,
                    "value": value,
                    "shown": s.shown(spec.key),
                    "unit": spec.unit,
                    "about": spec.about,
                })
            })
            .collect();
        let text = serde_json::to_string_pretty(&rows).map_err(|e| Failure::invalid(e.to_string()))?;
        let _ = writeln!(out, "{}", super::json_for_terminal(&text));
        return Ok(());
    }
    let clean = crate::text::clean;
    let _ = writeln!(out, "Settings of {}", clean(&s.alliance_name));
    for spec in SPECS {
        let _ = writeln!(out, "  {:<22} {:<28} {}", spec.key, clean(&s.shown(spec.key)), spec.about);
    }
    let _ = writeln!(out, "Change with: alliance settings set KEY=VALUE … (e.g. rate-nle=575 brokerage=12.5%)");
    Ok(())
}

/// Splits the words after `set` into (key, value) pairs: all `KEY=VALUE`, or one `KEY VALUE`.
fn pairs_of(words: &[String]) -> Result<Vec<(String, String)>, Failure> {
    if let [k, v] = words
        && !k.contains('=')
    {
        return Ok(vec![(k.clone(), v.clone())]);
    }
    words
        .iter()
        .map(|w| {
            w.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())).ok_or_else(|| {
                Failure::invalid(format!(
                    "`{}` is not KEY=VALUE — e.g. alliance settings set rate-nle=575 brokerage=12.5%",
                    super::printable(w)
                ))
            })
        })
        .collect()
}

fn set(store: &mut Store, words: &[String], json: bool) -> Result<(), Failure> {
    let before = store.settings()?;
    let mut changes: Vec<SettingChange> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    for (k, v) in pairs_of(words)? {
        match resolve_key(&k).and_then(|spec| parse_value(spec, &v).map(|value| (spec, value))) {
            Ok((spec, value)) => {
                if changes.iter().any(|c| c.key == spec.key) {
                    problems.push(format!("{} is given twice", spec.key));
                    continue;
                }
                let expected = before.get(spec.key).unwrap_or_default();
                changes.push(SettingChange { key: spec.key, expected, value });
            }
            Err(e) => problems.push(e),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::invalid(format!("nothing changed: {}", problems.join("; "))));
    }
    let after = store.change_settings(&changes)?;
    if json {
        let rows: Vec<serde_json::Value> = changes
            .iter()
            .map(|c| serde_json::json!({"key": c.key, "before": c.expected, "after": c.value, "shown": after.shown(c.key)}))
            .collect();
        let text = serde_json::to_string_pretty(&rows).map_err(|e| Failure::invalid(e.to_string()))?;
        outln!("{}", super::json_for_terminal(&text));
        return Ok(());
    }
    let clean = crate::text::clean;
    for c in &changes {
        let was = before.shown(c.key);
        let now = after.shown(c.key);
        if was == now {
            outln!("{}: {} (unchanged)", c.key, clean(&now));
        } else {
            outln!("{}: {} → {}", c.key, clean(&was), clean(&now));
        }
    }
    if changes.iter().any(|c| c.key.starts_with("day_rate_pence_")) {
        outln!("New day rates apply to contracts agreed from now on; existing contracts keep their agreed rate.");
    }
    Ok(())
}
