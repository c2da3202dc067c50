//! `alliance gate --as NAME`: deployment B's forced command (the gitolite / git-shell pattern).
//!
//! The file belongs to a service account nobody logs into; each person's key in its
//! `authorized_keys` runs `alliance --db FILE gate --as NAME [--key LABEL]`. The person cannot
//! change that line, so the identity comes from the key, not from anything they send. With no
//! `$SSH_ORIGINAL_COMMAND` the gate opens the TUI as NAME; with one, it must be a single
//! `alliance` command, split into words by `shlex` (no shell ever sees it), and runs on the
//! gate's file only — never another `--db` or bare path, never `--as`, never a command that
//! reads or writes other files on the server.

use super::{Cli, Command, Config, ExportCommand, Failure};
use crate::store::{Access, Store, exit};
use clap::{CommandFactory, FromArgMatches};

/// The commands a gated person may run: each reads or writes only the gate's database and
/// prints to standard output.
fn allowed(cmd: &Option<Command>) -> Result<(), String> {
    match cmd {
        None
        | Some(
            Command::Status { .. }
            | Command::LogVisit { .. }
            | Command::People { .. }
            | Command::Settings { .. }
            | Command::Funding { .. }
            | Command::Terms { .. }
            | Command::Match { .. }
            | Command::Render { .. }
            | Command::Check
            | Command::Snapshot
            | Command::Conflicts { .. },
        ) => Ok(()),
        // Away copies (issue #17): the changes come on standard input, never from a server file.
        Some(Command::ApplyChanges { file, .. }) if file == "-" => Ok(()),
        Some(Command::ApplyChanges { .. }) => {
            Err("through the gate the changes come on standard input — use `apply-changes -`".into())
        }
        Some(Command::Export { what: ExportCommand::BoardPack { out, .. } }) if out.as_os_str() == "-" => Ok(()),
        Some(Command::Export { .. }) => {
            Err("through the gate the board pack goes to standard output — use `--out -`".into())
        }
        Some(Command::Gate { .. }) => Err("`gate` cannot be run through the gate (--as comes from your key)".into()),
        Some(_) => Err("that command reads or writes files on the server and is not available through the gate".into()),
    }
}

fn refuse(message: impl Into<String>) -> Failure {
    Failure { code: exit::PERMISSION, message: message.into() }
}

/// Runs the gate for `person` on the database the forced command names.
pub fn run(outer: &Cli, config: &Config, person: &str, key: Option<&str>) -> Result<(), Failure> {
    let db = super::db_path(outer, config)?;
    // Only the account that owns the file may speak for others (deployment B's service
    // account); anyone else running `--as` is refused.
    let (owner_uid, owner) = crate::identity::owner_of(&db)
        .map_err(|e| Failure { code: exit::MISSING, message: format!("{}: {e}", db.display()) })?;
    let me = nix::unistd::getuid().as_raw();
    if me != owner_uid {
        return Err(refuse(format!(
            "only {owner}, the account that owns {}, may use --as — you are {}",
            db.display(),
            crate::identity::real_account()
        )));
    }
    if !crate::identity::valid_account(person) {
        return Err(refuse("--as takes an account name (letters, digits, `.`, `_`, `-`)"));
    }
    if let Some(k) = key
        && (k.chars().any(char::is_control) || k.chars().count() > 200)
    {
        return Err(Failure::invalid("--key is one line of at most 200 characters"));
    }
    crate::identity::set_gate(person, key);
    // The person must be listed and active: a key for someone removed opens nothing.
    {
        let store = Store::open(&db, Access::ReadOnly)?;
        if store.who()?.role().is_none() {
            return Err(refuse(format!(
                "{person} is not one of this alliance's people (or is inactive) — ask an admin to run `alliance people add {person} --role …`"
            )));
        }
    }
    let line = std::env::var("SSH_ORIGINAL_COMMAND").unwrap_or_default();
    let mut cli = if line.trim().is_empty() {
        Cli { path: None, db: None, today: outer.today.clone(), read_only: outer.read_only, theme: None, command: None }
    } else {
        parse_line(&line)?
    };
    cli.db = Some(db);
    // The forced command's --today (a demo server's fixed clock) holds unless the person gave one.
    if cli.today.is_none() {
        cli.today.clone_from(&outer.today);
    }
    super::dispatch(cli)
}

/// Parses one `alliance …` command line without a shell, refusing anything that would choose
/// another file or another person.
fn parse_line(line: &str) -> Result<Cli, Failure> {
    let words = shlex::split(line)
        .ok_or_else(|| Failure { code: exit::USAGE, message: "the command's quoting is unbalanced".into() })?;
    match words.first().map(String::as_str) {
        Some("alliance") => {}
        _ => return Err(refuse("only `alliance …` commands are accepted here (no shell, one command)")),
    }
    let matches = Cli::command()
        .try_get_matches_from(&words)
        .map_err(|e| Failure { code: exit::USAGE, message: first_line(&e.to_string()) })?;
    let cli = Cli::from_arg_matches(&matches)
        .map_err(|e| Failure { code: exit::USAGE, message: first_line(&e.to_string()) })?;
    use clap::parser::ValueSource;
    let typed = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
    if typed("db") || cli.path.is_some() {
        return Err(refuse("the gate chooses the database — --db and a file name are not accepted here"));
    }
    if typed("theme") && cli.theme.as_deref().is_some_and(|t| t.contains(['/', '.'])) {
        return Err(refuse("through the gate --theme takes a theme's name, not a file"));
    }
    allowed(&cli.command).map_err(refuse)?;
    Ok(Cli { theme: if typed("theme") { cli.theme.clone() } else { None }, ..cli })
}

fn first_line(s: &str) -> String {
    s.lines().find(|l| !l.trim().is_empty()).unwrap_or(s).trim().trim_start_matches("error: ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_line_is_one_alliance_command_on_the_gates_file() {
        assert!(parse_line("alliance status").is_ok());
        assert!(parse_line("alliance log-visit --contract 3 --days 1 --activity 'work scrutiny'").is_ok());
        for (line, code) in [
            ("alliance --db /etc/passwd status", exit::PERMISSION),
            ("alliance status --db=/tmp/x.db", exit::PERMISSION),
            ("alliance /etc/passwd", exit::PERMISSION),
            ("alliance status; rm -rf /", exit::USAGE),
            ("rm -rf /", exit::PERMISSION),
            ("sh -c 'alliance status'", exit::PERMISSION),
            ("alliance gate --as root", exit::PERMISSION),
            ("alliance backup /tmp/copy.db", exit::PERMISSION),
            ("alliance import gias /etc/shadow", exit::PERMISSION),
            ("alliance init /tmp/new.db", exit::PERMISSION),
            ("alliance export board-pack --out /tmp/pack.md", exit::PERMISSION),
            ("alliance --theme /etc/shadow status", exit::PERMISSION),
            ("alliance 'status", exit::USAGE),
        ] {
            match parse_line(line) {
                Ok(_) => panic!("{line} was accepted"),
                Err(f) => assert_eq!(f.code, code, "{line}: {}", f.message),
            }
        }
    }
}
