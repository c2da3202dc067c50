//! Working away from the server (issue #17): `away start`, `away changes`, `away send`,
//! `away discard`, `apply-changes` and `conflicts`. The store does the work (snapshot, id
//! blocks, replay, ledger); this module chooses files, reads and writes the change documents
//! and says what happened.

use super::{Cli, Config, Failure, db_path, json_for_terminal, open_store, printable};
use crate::store::{Access, ApplyReport, AwayProblem, AwayStatus, ChangeSet, Store, create_private, exit};
use chrono::NaiveDate;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// The biggest change document `apply-changes` reads (months of visits are a few MB).
const MAX_CHANGES_BYTES: u64 = 64 * 1024 * 1024;

/// Where `--from` points, by scp's rule: `HOST:PATH` or `HOST:` is remote (a colon before any
/// slash), anything else a local or mounted file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum From {
    /// A file this machine can open.
    File(PathBuf),
    /// `HOST:PATH` (an empty path: the file the server's gate serves).
    Remote {
        /// The SSH host (as `ssh` takes it: `host`, `user@host`, an alias).
        host: String,
        /// The path on it, possibly empty.
        path: String,
    },
}

impl From {
    /// Reads `--from` by scp's rule.
    pub fn parse(text: &str) -> From {
        match text.find(':') {
            Some(colon) if colon > 0 && !text[..colon].contains('/') => {
                From::Remote { host: text[..colon].to_string(), path: text[colon + 1..].to_string() }
            }
            _ => From::File(PathBuf::from(text)),
        }
    }
}

/// The default away copy for a server called `name`: `<data dir>/alliance/away-NAME.db`.
fn default_out(name: &str) -> Result<PathBuf, Failure> {
    let dir = dirs::data_dir()
        .ok_or_else(|| Failure::invalid("there is no data directory to keep the away copy in — give --out FILE"))?
        .join("alliance");
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(&dir).map_err(|e| Failure { code: exit::GENERAL, message: format!("{}: {e}", dir.display()) })?;
    let safe: String = name.chars().map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    Ok(dir.join(format!("away-{safe}.db")))
}

/// `alliance away start --from SERVER [--out FILE]`.
pub fn start(from: &str, out: Option<&Path>) -> Result<(), Failure> {
    let copy = match From::parse(from) {
        From::Remote { host, path } => {
            let label = host.rsplit('@').next().unwrap_or(&host).to_string();
            let out = match out {
                Some(p) => p.to_path_buf(),
                None => default_out(&label)?,
            };
            refuse_existing(&out)?;
            let fresh = fetch_snapshot(&host, &path, &out, &label, from)?;
            let linked = std::fs::hard_link(&fresh, &out).map_err(|e| Failure {
                code: exit::GENERAL,
                message: format!("{}: {e}", printable(&out.display().to_string())),
            });
            let _ = std::fs::remove_file(&fresh);
            linked?;
            (Store::open(&out, Access::ReadOnly)?.away_copy()?, out)
        }
        From::File(server_path) => {
            let label = server_path
                .file_stem()
                .map_or_else(|| server_path.display().to_string(), |s| s.to_string_lossy().into_owned());
            let mut server = Store::open(&server_path, Access::ReadWrite)?;
            let source = std::fs::canonicalize(&server_path).unwrap_or(server_path.clone()).display().to_string();
            let out = match out {
                Some(p) => p.to_path_buf(),
                None => default_out(&label)?,
            };
            let person = server.actor.by.clone();
            (Some(server.take_away_copy(&out, &label, &source, &person)?), out)
        }
    };
    let (Some(copy), out) = copy else { return Err(Failure::invalid("what the server sent is not an away copy")) };
    outln!(
        "away copy of {} taken into {} for {} (ids {}–{} kept for records made away)",
        printable(&copy.server),
        printable(&out.display().to_string()),
        printable(&copy.person),
        copy.first_id,
        copy.last_id
    );
    outln!(
        "work on it as on any alliance file; send its changes with `alliance --db {} away send`",
        printable(&out.display().to_string())
    );
    Ok(())
}

/// Refuses to take a copy over an existing file (an away copy with unsent work, perhaps).
fn refuse_existing(out: &Path) -> Result<(), Failure> {
    if out.symlink_metadata().is_ok() {
        let shown = printable(&out.display().to_string());
        return Err(Failure::invalid(format!(
            "{shown} already exists — send or discard that away copy first (`alliance --db {shown} away send`), or choose another --out"
        )));
    }
    Ok(())
}

/// The program that reaches servers: `$ALLIANCE_SSH`, else `ssh`.
fn ssh_program() -> String {
    std::env::var("ALLIANCE_SSH").ok().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "ssh".into())
}

/// One word for the remote side, quoted as a POSIX shell (and the gate) reads it.
fn quote(word: &str) -> String {
    if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:@".contains(c)) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// `ssh HOST alliance [--db PATH] ARGS…`: with an empty path the server's gate (or the remote
/// account's configured database) chooses the file.
fn ssh(host: &str, path: &str, args: &[&str]) -> std::process::Command {
    let mut words = vec!["alliance".to_string()];
    if !path.is_empty() {
        words.push("--db".into());
        words.push(path.into());
    }
    words.extend(args.iter().map(|a| a.to_string()));
    let line = words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ");
    let mut c = std::process::Command::new(ssh_program());
    c.arg("--").arg(host).arg(line);
    c
}

/// Runs `ssh HOST alliance snapshot` into a hidden file beside `out` and records what the
/// server is called here; returns that file (a complete away copy) for the caller to place.
fn fetch_snapshot(host: &str, path: &str, out: &Path, label: &str, source: &str) -> Result<PathBuf, Failure> {
    let name = out.file_name().map_or_else(|| "away.db".into(), |n| n.to_string_lossy().into_owned());
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let fresh = dir.join(format!(".{name}.incoming-{}", std::process::id()));
    let _ = std::fs::remove_file(&fresh);
    let file = create_private(&fresh).map_err(|e| Failure {
        code: exit::GENERAL,
        message: format!("{}: {e}", printable(&fresh.display().to_string())),
    })?;
    let status = ssh(host, path, &["snapshot"]).stdin(std::process::Stdio::null()).stdout(file).status();
    let result = match status {
        Err(e) => Err(Failure {
            code: exit::GENERAL,
            message: format!("could not run {}: {e} — nothing was taken", ssh_program()),
        }),
        Ok(s) if !s.success() => Err(Failure {
            code: s.code().filter(|c| *c != 0 && *c != 255).unwrap_or(exit::GENERAL),
            message: format!(
                "{} sent no snapshot (ssh exited {}) — nothing was taken",
                printable(host),
                s.code().unwrap_or(-1)
            ),
        }),
        Ok(_) => Store::open(&fresh, Access::ReadWrite)
            .and_then(|mut s| {
                if s.away_copy()?.is_none() {
                    return Err(crate::store::StoreError::Away(AwayProblem::NotSentCopy {
                        from: Some(host.to_string()),
                    }));
                }
                s.relabel_away_copy(label, source)
            })
            .map_err(Failure::from),
    };
    if result.is_err() {
        let _ = std::fs::remove_file(&fresh);
    }
    result.map(|()| fresh)
}

/// `alliance snapshot` on the server (what `away start --from HOST:` runs through SSH): takes
/// an away copy for the person this is and writes it to standard output.
pub fn snapshot(cli: &Cli, config: &Config) -> Result<(), Failure> {
    if std::io::stdout().is_terminal() {
        return Err(Failure::invalid(
            "snapshot writes a database to standard output — run it through `alliance away start --from HOST:`, or redirect it to a file",
        ));
    }
    let mut server = open_store(cli, config)?;
    let label = server.path().file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let source = server.path().display().to_string();
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    let dir = std::env::temp_dir().join(format!(
        "alliance-snapshot-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0)
    ));
    builder.create(&dir).map_err(|e| Failure { code: exit::GENERAL, message: format!("{}: {e}", dir.display()) })?;
    let file = dir.join("away.db");
    let person = server.actor.by.clone();
    let result = server.take_away_copy(&file, &label, &source, &person).map_err(Failure::from).and_then(|_| {
        let mut f = std::fs::File::open(&file).map_err(|e| Failure { code: exit::GENERAL, message: e.to_string() })?;
        let mut stdout = std::io::stdout().lock();
        std::io::copy(&mut f, &mut stdout)
            .and_then(|_| stdout.flush())
            .map_err(|e| Failure { code: exit::GENERAL, message: format!("could not send the snapshot: {e}") })
    });
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Opens the away copy named by `--db`, refusing an ordinary file.
fn open_away(cli: &Cli, config: &Config) -> Result<(Store, AwayStatus), Failure> {
    let store = open_store(cli, config)?;
    let status = store.away_status()?.ok_or_else(|| {
        Failure::invalid(format!(
            "{} is not an away copy — `alliance away start --from SERVER` makes one",
            printable(&store.path().display().to_string())
        ))
    })?;
    Ok((store, status))
}

/// A warning when the copy is older than the `away_max_age_days` setting.
pub fn age_warning(store: &Store, status: &AwayStatus) -> Option<String> {
    let days = status.age_days(chrono::Utc::now());
    let limit = store.settings().map_or(14, |s| s.away_max_age_days);
    (days > limit).then(|| {
        format!(
            "this away copy was taken {days} days ago (more than {limit}): the longer it is away, the more its edits may conflict — send it soon"
        )
    })
}

/// `alliance away changes --out FILE|-`.
pub fn changes(cli: &Cli, config: &Config, out: &Path) -> Result<(), Failure> {
    let (store, _) = open_away(cli, config)?;
    let set = store.away_changes()?;
    let text = serde_json::to_string_pretty(&set).map_err(|e| Failure::invalid(e.to_string()))?;
    if out == Path::new("-") {
        // Through the one terminal-safe writer: the escapes keep the JSON's meaning.
        outln!("{}", json_for_terminal(&text));
        return Ok(());
    }
    let mut f = create_private(out).map_err(|e| Failure {
        code: if e.kind() == std::io::ErrorKind::AlreadyExists { exit::INVALID } else { exit::GENERAL },
        message: if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!("{} already exists — choose a new file for the changes", printable(&out.display().to_string()))
        } else {
            format!("{}: {e}", printable(&out.display().to_string()))
        },
    })?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| Failure { code: exit::GENERAL, message: format!("{}: {e}", out.display()) })?;
    outln!(
        "{} change{} of the away copy written to {} — apply them on the server with `alliance apply-changes FILE`",
        set.changes.len(),
        if set.changes.len() == 1 { "" } else { "s" },
        printable(&out.display().to_string())
    );
    Ok(())
}

/// Reads a change document from a file or `-` (standard input), with a size limit.
fn read_changes(input: &str) -> Result<ChangeSet, Failure> {
    let mut text = String::new();
    let too_big = || {
        Failure::invalid(format!(
            "the changes are larger than {} MB — that is not an away copy's changes",
            MAX_CHANGES_BYTES >> 20
        ))
    };
    if input == "-" {
        std::io::stdin()
            .lock()
            .take(MAX_CHANGES_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| Failure::invalid(format!("standard input: {e}")))?;
    } else {
        let meta = std::fs::metadata(input).map_err(|e| Failure {
            code: if e.kind() == std::io::ErrorKind::NotFound { exit::MISSING } else { exit::GENERAL },
            message: format!("{}: {e}", printable(input)),
        })?;
        if !meta.is_file() {
            return Err(Failure::invalid(format!("{} is not a file of changes", printable(input))));
        }
        std::fs::File::open(input)
            .and_then(|f| f.take(MAX_CHANGES_BYTES + 1).read_to_string(&mut text))
            .map_err(|e| Failure::invalid(format!("{}: {e}", printable(input))))?;
    }
    if text.len() as u64 > MAX_CHANGES_BYTES {
        return Err(too_big());
    }
    Ok(ChangeSet::from_json(&text)?)
}

/// Prints what a send did; exit 9 when conflicts were listed.
fn report(r: &ApplyReport, json: bool) -> Result<(), Failure> {
    if json {
        let text = serde_json::to_string_pretty(r).map_err(|e| Failure::invalid(e.to_string()))?;
        outln!("{}", json_for_terminal(&text));
    } else {
        outln!(
            "applied {} change{}{}{}{}{}",
            r.applied + r.merged,
            if r.applied + r.merged == 1 { "" } else { "s" },
            if r.merged > 0 { format!(" ({} merged field by field)", r.merged) } else { String::new() },
            if r.unchanged > 0 { format!(", {} already as sent", r.unchanged) } else { String::new() },
            if r.held > 0 { format!(", {} held back", r.held) } else { String::new() },
            if r.already > 0 {
                format!(", {} received in an earlier send (not applied again)", r.already)
            } else {
                String::new()
            },
        );
        for w in &r.warnings {
            outln!("  warning: {}", printable(w));
        }
        if !r.conflicts.is_empty() {
            outln!(
                "{} conflict{} to resolve (`alliance conflicts` lists them):",
                r.conflicts.len(),
                if r.conflicts.len() == 1 { "" } else { "s" }
            );
            for c in &r.conflicts {
                outln!("  {}", printable(&c.detail));
            }
        }
    }
    if r.conflicts.is_empty() {
        Ok(())
    } else {
        Err(Failure {
            code: exit::CONFLICT,
            message: format!(
                "{} conflict{} listed — the rest was applied",
                r.conflicts.len(),
                if r.conflicts.len() == 1 { "" } else { "s" }
            ),
        })
    }
}

/// `alliance apply-changes FILE|-` on the server.
pub fn apply(cli: &Cli, config: &Config, today: NaiveDate, input: &str, json: bool) -> Result<(), Failure> {
    let set = read_changes(input)?;
    let mut server = open_store(cli, config)?;
    let r = server.apply_changes(&set, today)?;
    report(&r, json)
}

/// `alliance --db AWAY away send`: applies the copy's changes to its server file, then takes a
/// fresh snapshot in its place (its drafts kept).
pub fn send(cli: &Cli, config: &Config, today: NaiveDate, json: bool) -> Result<(), Failure> {
    let (away, status) = open_away(cli, config)?;
    if let Some(w) = age_warning(&away, &status) {
        crate::text::print_error(&format!("warning: {w}"));
    }
    let away_path = away.path().to_path_buf();
    let set = away.away_changes()?;
    let sent_up_to = set.changes.last().map_or(status.copy.base_audit_id, |c| c.id);
    let remote = From::parse(&status.copy.source);
    let (outcome, mut server) = match &remote {
        From::File(server_path) => {
            let mut server = Store::open(server_path, Access::ReadWrite)?;
            let r = server.apply_changes(&set, today)?;
            (report(&r, json), Some(server))
        }
        From::Remote { host, path } => (send_over_ssh(host, path, &set, json)?, None),
    };
    // Refresh only when nobody else has the copy open and nothing was changed on it since the
    // changes were read: the new snapshot replaces the file, and anything not sent would go.
    drop(away);
    let mut wal = away_path.as_os_str().to_owned();
    wal.push("-wal");
    let in_use = Path::new(&wal).exists();
    let still = Store::open(&away_path, Access::ReadWrite)?;
    let later = still.away_changes()?.changes.last().map_or(status.copy.base_audit_id, |c| c.id) != sent_up_to;
    drop(still);
    if in_use || later {
        crate::text::print_error(&format!(
            "the away copy was not refreshed: {} — close it and send again (what was sent is not applied twice)",
            if in_use { "another alliance has it open" } else { "it was changed while sending" }
        ));
        return outcome;
    }
    let fresh = match (&remote, server.as_mut()) {
        (From::Remote { host, path }, _) => {
            let incoming = fetch_snapshot(host, path, &away_path, &status.copy.server, &status.copy.source)?;
            let placed = crate::store::replace_away_copy(&incoming, &away_path, &status.copy.person);
            let _ = std::fs::remove_file(&incoming);
            placed?;
            Store::open(&away_path, Access::ReadOnly)?
                .away_copy()?
                .ok_or_else(|| Failure::invalid("the refreshed copy is not an away copy"))?
        }
        (From::File(_), Some(server)) => server.refresh_away_copy(&away_path, &status.copy)?,
        (From::File(p), None) => {
            return Err(Failure::invalid(format!(
                "{} could not be opened to refresh the copy",
                printable(&p.display().to_string())
            )));
        }
    };
    if !json {
        outln!(
            "away copy refreshed from {} (ids {}–{} kept for records made away)",
            printable(&fresh.server),
            fresh.first_id,
            fresh.last_id
        );
    }
    outcome
}

/// `ssh HOST alliance apply-changes -` with the changes on its standard input; the server's
/// own report is shown as it prints it. Conflicts (exit 9) still refresh the copy; any other
/// failure leaves the copy and its changes as they were.
fn send_over_ssh(host: &str, path: &str, set: &ChangeSet, json: bool) -> Result<Result<(), Failure>, Failure> {
    let text = serde_json::to_string(set).map_err(|e| Failure::invalid(e.to_string()))?;
    let mut args = vec!["apply-changes", "-"];
    if json {
        args.push("--json");
    }
    let mut child = ssh(host, path, &args).stdin(std::process::Stdio::piped()).spawn().map_err(|e| Failure {
        code: exit::GENERAL,
        message: format!("could not run {}: {e} — nothing was sent", ssh_program()),
    })?;
    if let Some(mut stdin) = child.stdin.take() {
        // A server that refuses early closes its end; its exit status says why.
        let _ = stdin.write_all(text.as_bytes());
    }
    let status = child.wait().map_err(|e| Failure { code: exit::GENERAL, message: e.to_string() })?;
    match status.code() {
        Some(0) => Ok(Ok(())),
        Some(exit::CONFLICT) => {
            Ok(Err(Failure { code: exit::CONFLICT, message: "conflicts listed — the rest was applied".into() }))
        }
        code => Err(Failure {
            code: code.filter(|c| *c != 255).unwrap_or(exit::GENERAL),
            message: format!(
                "{} did not apply the changes (exit {}) — they stay on the away copy",
                printable(host),
                code.unwrap_or(-1)
            ),
        }),
    }
}

/// `alliance --db AWAY away discard [--yes]`: removes the away copy after asking.
pub fn discard(cli: &Cli, config: &Config, yes: bool) -> Result<(), Failure> {
    let path = db_path(cli, config)?;
    let (away, status) = open_away(cli, config)?;
    let shown = printable(&path.display().to_string());
    let what = format!("the away copy {shown} ({})", printable(&status.banner()));
    if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(Failure {
                code: exit::USAGE,
                message: format!("there is no terminal to ask on — add --yes to discard {what}; nothing was removed"),
            });
        }
        eprint!("Discard {what}? Its unsent changes are lost. Type yes to discard: ");
        let mut answer = String::new();
        let _ = std::io::stdin().read_line(&mut answer);
        if !answer.trim().eq_ignore_ascii_case("yes") {
            outln!("kept {shown}");
            return Ok(());
        }
    }
    drop(away);
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if Path::new(&wal).exists() {
        return Err(Failure::invalid(format!(
            "{shown} is open in another alliance — close it first; nothing was removed"
        )));
    }
    std::fs::remove_file(&path).map_err(|e| Failure { code: exit::GENERAL, message: format!("{shown}: {e}") })?;
    let mut shm = path.as_os_str().to_owned();
    shm.push("-shm");
    let _ = std::fs::remove_file(PathBuf::from(shm));
    outln!("discarded {what}");
    Ok(())
}

/// `alliance conflicts [resolve ID] [--json]` on the server.
pub fn conflicts(
    cli: &Cli,
    config: &Config,
    resolve: Option<(i64, crate::store::Resolution)>,
    today: NaiveDate,
    json: bool,
) -> Result<(), Failure> {
    let mut store = open_store(cli, config)?;
    if let Some((id, how)) = resolve {
        let done = store.resolve_conflict_as(id, &how, today)?;
        outln!("conflict {id} resolved: {}", printable(&done));
        return Ok(());
    }
    let open = store.open_conflicts()?;
    if json {
        let rows: Vec<serde_json::Value> = open
            .iter()
            .map(|(id, c)| {
                let mut v = serde_json::to_value(c).unwrap_or_default();
                v["id"] = (*id).into();
                v
            })
            .collect();
        let text = serde_json::to_string_pretty(&rows).map_err(|e| Failure::invalid(e.to_string()))?;
        outln!("{}", json_for_terminal(&text));
    } else if open.is_empty() {
        outln!("no conflicts to resolve");
    } else {
        for (id, c) in &open {
            outln!("{id:>5}  {}", printable(&c.detail));
        }
        outln!(
            "resolve them in the TUI's conflict list (C: keep the server's value, take the away one, type a new one, or dismiss with a reason), or with `alliance conflicts resolve ID --keep | --take | --value V | --dismiss REASON`"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::From;
    use std::path::PathBuf;

    #[test]
    fn from_follows_scps_rule() {
        assert_eq!(From::parse("hub:"), From::Remote { host: "hub".into(), path: String::new() });
        assert_eq!(From::parse("ann@hub:/srv/a.db"), From::Remote { host: "ann@hub".into(), path: "/srv/a.db".into() });
        assert_eq!(From::parse("/mnt/hub/a.db"), From::File(PathBuf::from("/mnt/hub/a.db")));
        assert_eq!(From::parse("./c:d.db"), From::File(PathBuf::from("./c:d.db")));
        assert_eq!(From::parse("a.db"), From::File(PathBuf::from("a.db")));
        assert_eq!(From::parse(":x"), From::File(PathBuf::from(":x")));
    }
}
