//! `alliance backup DEST`, `alliance restore BACKUP` and `alliance check`: a consistent copy
//! while others write, putting one back, and a report on the file's health (which changes
//! nothing but folding in a write-ahead log a killed writer left).

use super::{Failure, printable};
use crate::store::{Store, check_file, exit};
use crate::terminal::ColorDepth;
use std::path::Path;

/// `1234567` → `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Copies the open database to `dest` and says what was copied.
pub fn backup(store: &Store, dest: &Path) -> Result<(), Failure> {
    let report = store.backup_to(dest)?;
    outln!(
        "backed up {} to {}: {} pages, {} bytes in {} ms (copy checked: ok; readable by you only)",
        printable(&store.path().display().to_string()),
        printable(&report.dest.display().to_string()),
        report.pages,
        thousands(report.bytes),
        report.elapsed.as_millis()
    );
    Ok(())
}

/// Restores `backup` into the database file and says where the replaced state is kept.
pub fn restore(live: &Path, backup: &Path) -> Result<(), Failure> {
    let report = crate::store::restore_file(live, backup, crate::store::Actor::current())?;
    let kept = match &report.kept {
        Some(k) if report.kept_damaged => {
            format!(
                "the damaged file it replaced is kept, exactly as it was, as {}",
                printable(&k.display().to_string())
            )
        }
        Some(k) => {
            format!("what it replaced is kept as {} (readable by you only)", printable(&k.display().to_string()))
        }
        None => "there was no file to replace".to_string(),
    };
    outln!(
        "restored {} from {} ({} pages); {kept}; new generation {}",
        printable(&report.live.display().to_string()),
        printable(&backup.display().to_string()),
        report.pages,
        report.generation
    );
    Ok(())
}

/// Prints the health report; a damaged file exits with code 5 after the report.
pub fn check(path: &Path) -> Result<(), Failure> {
    let r = check_file(path).map_err(|e| {
        let mut f = Failure::from(e);
        // Refused for access: say which -wal/-shm is in the way, if one is.
        if let Some(why) = crate::share::sidecar_problems(path).into_iter().next() {
            f.message = format!("{} — {why}", f.message);
        }
        f
    })?;
    let mut lines = vec![format!("alliance check — {}", printable(&r.path))];
    let mut row = |label: &str, value: String| lines.push(format!("  {label:<14}{}", printable(&value)));
    match r.integrity.as_slice() {
        [ok] if ok == "ok" => row("integrity", "ok".into()),
        problems => {
            row("integrity", format!("DAMAGED — {} problem(s) found:", problems.len()));
            for p in problems {
                row("", format!("  {p}"));
            }
        }
    }
    if r.integrity != ["ok"] {
        row("foreign keys", "not checked (the file is damaged)".into());
    } else if r.foreign_keys.is_empty() {
        row("foreign keys", "ok".into());
    } else {
        row("foreign keys", format!("{} broken reference(s):", r.foreign_keys.len()));
        for p in r.foreign_keys.iter().take(20) {
            row("", format!("  {p}"));
        }
    }
    if r.integrity == ["ok"] {
        match r.derived.as_slice() {
            [] => row("derived", "ok (the triggers' figures match the stored measures)".into()),
            problems => {
                for p in problems {
                    row("derived", format!("OUT OF STEP — {p}"));
                }
            }
        }
    }
    row(
        "schema",
        match r.schema_version {
            Some(v) if v == r.supported_version => format!("version {v} (current)"),
            Some(v) => format!(
                "version {v} (this alliance writes {}; opening it with write access upgrades it)",
                r.supported_version
            ),
            None => "unknown (unreadable)".into(),
        },
    );
    row(
        "journal mode",
        match r.journal_mode.as_deref() {
            Some(m) if m.eq_ignore_ascii_case("wal") => "wal (readers never wait for writers)".to_string(),
            Some(m) => format!("{m} (alliance switches it to wal when it next opens the file for writing)"),
            None => "unknown (unreadable)".into(),
        },
    );
    row(
        "size",
        match (r.pages, r.page_size) {
            (Some(n), Some(sz)) if n > 0 => {
                format!("{} bytes ({} pages of {} bytes)", thousands(r.bytes), thousands(n as u64), sz)
            }
            _ => format!("{} bytes", thousands(r.bytes)),
        },
    );
    // Sharing with a group is deployment A, not a leak: only "other" access is advice, and
    // the advice never takes the group's access away.
    row(
        "permissions",
        match r.mode {
            Some(m) if r.owner_only => format!("{m:04o} — owner only"),
            Some(m) if m & 0o007 == 0 => format!("{m:04o} — shared with the file's group, nothing for others"),
            Some(m) => format!(
                "{m:04o} — others on this machine can {} it; `chmod o-rwx {}` stops that and keeps the owner's and the group's access",
                if m & 0o002 != 0 { "read or change" } else { "read" },
                r.path
            ),
            None => "not reported on this system".into(),
        },
    );
    for (name, text) in crate::share::access_report(std::path::Path::new(&r.path)) {
        row(&name, text);
    }
    row("access", if r.writable { "you can read and write".into() } else { "read-only for you".into() });
    for problem in crate::share::sidecar_problems(std::path::Path::new(&r.path)) {
        row("warning", problem);
    }
    row("terminal", ColorDepth::detect().label().to_string());
    let healthy = r.healthy();
    // Only a derived table out of step: the figures themselves are sound.
    let out_of_step = !healthy && r.integrity == ["ok"] && r.foreign_keys.is_empty();
    lines.push(if healthy {
        "healthy".to_string()
    } else if out_of_step {
        "OUT OF STEP — a derived table differs from the stored figures; the file was not changed".to_string()
    } else {
        "DAMAGED — restore the latest backup (`alliance backup` makes one); the file was not changed".to_string()
    });
    outln!("{}", lines.join("\n"));
    if healthy {
        Ok(())
    } else {
        Err(Failure {
            code: exit::NOT_ALLIANCE,
            message: if out_of_step {
                format!(
                    "{}: the triggers' summary of the published figures is out of step with them — see the report \
                     above; put a backup back with `alliance --db {} restore BACKUP`",
                    r.path, r.path
                )
            } else {
                format!(
                    "{} is damaged — see the report above; put a backup back with `alliance --db {} restore BACKUP`",
                    r.path, r.path
                )
            },
        })
    }
}
