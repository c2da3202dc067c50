//! `alliance note add|list|redact`: dated soft intelligence from the command line, through the
//! store's audited writes (the same as the TUI).

use super::{Failure, NoteCommand, printable};
use crate::domain::{Intelligence, Stamp, fmt_date, parse_date};
use crate::store::Store;
use chrono::NaiveDate;

/// Runs `note …`.
pub fn run(store: &mut Store, today: NaiveDate, what: &NoteCommand) -> Result<(), Failure> {
    match what {
        NoteCommand::Add { school, text, source, sensitive, review_on, date } => {
            let (school_id, name) = super::log_visit::pick_school(store, school)?;
            let noted_on = parse_date(date, today).map_err(|e| Failure::invalid(format!("--date: {e}")))?;
            if noted_on > today {
                return Err(Failure::invalid(format!("--date {} is after today", fmt_date(noted_on))));
            }
            let review_on = review_on
                .as_deref()
                .map(|r| parse_date(r, today).map_err(|e| Failure::invalid(format!("--review-on: {e}"))))
                .transpose()?;
            let entry = Intelligence {
                id: 0,
                school_id,
                noted_on,
                source: source.trim().to_string(),
                text: text.clone(),
                sensitivity: if *sensitive { "sensitive" } else { "normal" }.into(),
                review_on,
                redacted: false,
                stamp: Stamp::default(),
            };
            let id = store.add_note(&entry)?;
            outln!("{}", printable(&format!("noted #{id} for {name} ({})", fmt_date(noted_on))));
            Ok(())
        }
        NoteCommand::List { school, json } => {
            let (school_id, name) = super::log_visit::pick_school(store, school)?;
            let notes = store.notes_for(school_id)?;
            if *json {
                let rows: Vec<serde_json::Value> = notes
                    .iter()
                    .map(|n| {
                        serde_json::json!({
                            "id": n.id,
                            "noted_on": n.noted_on,
                            "source": n.source,
                            "text": n.text,
                            "sensitivity": n.sensitivity,
                            "review_on": n.review_on,
                            "review_due": n.review_due(today),
                            "redacted": n.redacted,
                        })
                    })
                    .collect();
                outln!("{}", serde_json::to_string_pretty(&rows).unwrap_or_default());
                return Ok(());
            }
            outln!("{}", printable(&format!("Soft intelligence — {name} ({} entries, newest first)", notes.len())));
            for n in &notes {
                let flags = n.flags(today);
                let source = if n.source.is_empty() { String::new() } else { format!(" · {}", n.source) };
                let flags = if flags.is_empty() { String::new() } else { format!(" [{}]", flags.join("; ")) };
                outln!("{}", printable(&format!("#{} {}{source}{flags}", n.id, fmt_date(n.noted_on))));
                for line in n.text.lines() {
                    outln!("    {}", printable(line));
                }
            }
            Ok(())
        }
        NoteCommand::Redact { id } => {
            let n = store.redact_note(*id)?;
            outln!(
                "redacted #{} ({}): its text is gone from the entry and the audit trail",
                n.id,
                fmt_date(n.noted_on)
            );
            Ok(())
        }
    }
}
