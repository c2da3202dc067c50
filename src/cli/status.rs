//! `alliance status [--json]`: the between-meetings check. Every figure comes from
//! [`crate::metrics::compute`], the same numbers the dashboard shows. On a terminal each line
//! is cut to its width (at least 80 columns); into a pipe or a file every line is whole.

use super::Failure;
use crate::domain::fmt_date;
use crate::domain::money::fmt_days;
use crate::metrics::{Severity, Snapshot, Status};
use crate::store::Store;
use chrono::NaiveDate;
use serde_json::json;
use std::io::{IsTerminal, Write};

/// Runs the command, printing text or JSON to stdout.
pub fn run(store: &Store, today: NaiveDate, as_json: bool) -> Result<(), Failure> {
    let snap = store.snapshot(today)?;
    let name = store.settings()?.alliance_name;
    let away = store.away_status()?;
    let out = if as_json {
        let mut value = to_json(&snap);
        if let Some(a) = &away {
            value["away"] = serde_json::json!({
                "server": a.copy.server,
                "taken_at": a.copy.taken_at,
                "person": a.copy.person,
                "unsent_changes": a.unsent,
                "old": super::away::age_warning(store, a).is_some(),
            });
        }
        super::json_for_terminal(&serde_json::to_string_pretty(&value).map_err(|e| Failure::invalid(e.to_string()))?)
    } else {
        let terminal = std::io::stdout().is_terminal();
        let colour = terminal && !crate::terminal::no_color();
        let text = to_text(&snap, &name, colour, terminal.then(terminal_width));
        match &away {
            // An away copy says so first: its figures are the snapshot's plus its own changes.
            Some(a) => {
                let warning = super::away::age_warning(store, a).map(|w| format!("warning: {w}\n")).unwrap_or_default();
                format!("{}\n{warning}{text}", super::printable(&a.banner()))
            }
            None => text,
        }
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`alliance status | head`) is not an error worth a message.
    let _ = writeln!(stdout, "{out}");
    // The process ends here: freeing a national file's snapshot (a hundred thousand small
    // allocations, a tenth of the command's time) one by one would only delay the exit.
    std::mem::forget(snap);
    Ok(())
}

/// The width of the terminal on stdout, in columns: never under 80 (nor when it cannot say).
fn terminal_width() -> usize {
    ratatui::crossterm::terminal::size().map_or(80, |(columns, _)| usize::from(columns)).max(80)
}

/// Rounds a day count for JSON so float sums of halves stay tidy.
fn days(v: f64) -> f64 {
    (v * 2.0).round() / 2.0
}

/// The `--json` document (◆ field names are a contract for scripts).
pub fn to_json(s: &Snapshot) -> serde_json::Value {
    let t = &s.totals;
    json!({
        "today": s.today.to_string(),
        "academic_year": s.year.label(),
        // Term time: whether today's academic year has term dates, and the warning when not.
        "term_dates": {"recorded": s.term_note.is_none(), "note": s.term_note},
        "schools": {
            "total": s.schools.len(),
            "by_category": {"A": t.by_category[0], "B": t.by_category[1], "C": t.by_category[2], "D": t.by_category[3]},
            "by_status": {"urgent": t.by_status[0], "concern": t.by_status[1], "watch": t.by_status[2], "ok": t.by_status[3]},
        },
        "leaders": {
            "active": t.active_leaders,
            "capacity_days": days(t.capacity_days),
            "delivered_days": days(t.delivered_days),
            "committed_days": days(t.committed_days),
            "available_days": days(t.available_days),
            "over_capacity": t.over_capacity,
        },
        "contracts": {
            "live": t.live,
            "active": t.active,
            "paused": t.paused,
            "proposed": t.proposed,
            "by_rag": {"green": t.by_rag[0], "amber": t.by_rag[1], "red": t.by_rag[2], "none": t.by_rag[3]},
        },
        "alerts": s.alerts.iter().map(|a| {
            let mut v = json!({
                "kind": a.kind.as_str(),
                "severity": a.severity.label(),
                "message": a.message,
                "school_id": a.school_id,
                "contract_id": a.contract_id,
                "leader_id": a.leader_id,
            });
            // Only a stream's alert names a stream: the other kinds read as before.
            if let Some(id) = a.stream_id {
                v["stream_id"] = json!(id);
            }
            v
        }).collect::<Vec<_>>(),
    })
}

/// Cuts `s` to at most `width` terminal columns, measured by display width (a CJK character or
/// an emoji takes two columns, a combining mark none), ending it with `…` when anything was cut.
/// Control characters and bidi overrides become spaces first.
fn fit(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let clean: String = s.chars().map(|c| if crate::text::unsafe_for_terminal(c) { ' ' } else { c }).collect();
    if clean.width() <= width {
        return clean;
    }
    // The longest prefix that leaves a column for the ellipsis, found by halving. Prefixes are
    // measured whole, so a sequence that widens what precedes it (an emoji presentation
    // selector) or joins it (a ZWJ emoji) is counted as a terminal shows it.
    let room = width.saturating_sub(1);
    let ends: Vec<usize> = std::iter::once(0).chain(clean.char_indices().map(|(i, c)| i + c.len_utf8())).collect();
    let (mut lo, mut hi) = (0, ends.len() - 1);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if clean[..ends[mid]].width() <= room {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let end = ends[lo];
    let mut out = clean[..end].to_string();
    out.push('…');
    out
}

/// The text report, at most `width` columns wide; with no width (stdout is a pipe or a file),
/// every line whole, so an alert keeps its dates and figures for `grep` and mail.
pub fn to_text(s: &Snapshot, alliance: &str, colour: bool, width: Option<usize>) -> String {
    let width = width.unwrap_or(usize::MAX);
    let t = &s.totals;
    let paint = |text: String, code: &str| if colour { format!("\x1b[{code}m{text}\x1b[0m") } else { text };
    let mut lines = vec![
        fit(&format!("{alliance} — status on {} (academic year {})", fmt_date(s.today), s.year.label()), width),
        String::new(),
    ];
    if let Some(note) = &s.term_note {
        // Forgetting next year's dates must be seen: alerts then count every weekday.
        let line = format!("Warning    {note}: every weekday counts as a school day (see `alliance terms`)");
        lines.push(paint(fit(&line, width), "33"));
        lines.push(String::new());
    }
    lines.extend([
        format!(
            "Schools    {:<5} category A {} · B {} · C {} · D {}",
            s.schools.len(),
            t.by_category[0],
            t.by_category[1],
            t.by_category[2],
            t.by_category[3]
        ),
        format!(
            "           status: urgent {} · concern {} · watch {} · ok {}",
            t.by_status[Status::Urgent as usize],
            t.by_status[Status::Concern as usize],
            t.by_status[Status::Watch as usize],
            t.by_status[Status::Ok as usize]
        ),
        format!("Contracts  live {} (active {}, paused {}) · proposed {}", t.live, t.active, t.paused, t.proposed),
        format!(
            "           latest review: green {} · amber {} · red {} · none {}",
            t.by_rag[0], t.by_rag[1], t.by_rag[2], t.by_rag[3]
        ),
        format!(
            "Leaders    {} active · capacity {} days · over capacity: {}",
            t.active_leaders,
            fmt_days(days(t.capacity_days)),
            t.over_capacity
        ),
        format!(
            "           delivered {} · committed {} · available {}",
            fmt_days(days(t.delivered_days)),
            fmt_days(days(t.committed_days)),
            fmt_days(days(t.available_days))
        ),
        String::new(),
    ]);
    let count = |sev| s.alerts.iter().filter(|a| a.severity == sev).count();
    if s.alerts.is_empty() {
        lines.push("No alerts.".to_string());
    } else {
        lines.push(format!(
            "Alerts ({}): {} high · {} medium · {} low",
            s.alerts.len(),
            count(Severity::High),
            count(Severity::Medium),
            count(Severity::Low)
        ));
        for a in &s.alerts {
            let sev = format!("{:<6}", a.severity.label());
            let sev = match a.severity {
                Severity::High => paint(sev, "1;31"),
                Severity::Medium => paint(sev, "33"),
                Severity::Low => sev,
            };
            lines.push(format!("  {sev} {}", fit(&a.message, width.saturating_sub(9))));
        }
    }
    lines.iter().map(|l| l.trim_end().to_string()).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::fit;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn fit_measures_display_width_not_characters() {
        // Wide characters: 30 characters, 60 columns.
        let wide = "東京都立小学校".repeat(5);
        let cut = fit(&wide, 20);
        assert_eq!(cut.width(), 19, "{cut}");
        assert!(cut.ends_with('…') && cut.starts_with("東京都立小学校東"), "{cut}");
        // An odd number of columns left: a wide character never straddles the edge.
        assert!(fit(&wide, 10).width() <= 10);
        // Emoji, including a ZWJ sequence and a presentation selector.
        let emoji = "🏫👩‍🏫❤\u{fe0f}".repeat(10);
        assert!(fit(&emoji, 15).width() <= 15, "{}", fit(&emoji, 15));
        // Combining marks take no column: 12 characters, 6 columns, nothing to cut.
        let marks = "e\u{301}".repeat(6);
        assert_eq!(fit(&marks, 6), marks);
        assert_eq!(fit("plain", 5), "plain");
        assert_eq!(fit("plainer", 5), "plai…");
    }
}
