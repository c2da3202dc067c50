//! The command line before clap reads it, and the documents made from clap's description:
//!
//! - A database named after a command (`alliance status alliance.db`) is taken as `--db` when
//!   the command is complete without it; anywhere else the answer is "did you mean
//!   `alliance --db FILE …`?". A mistyped command before a database (`alliance stats
//!   alliance.db`) gets the nearest command.
//! - `alliance completions bash|zsh|fish` and `alliance man` print what clap_complete and
//!   clap_mangen make from the same description, so they can never disagree with `--help`.

use super::{Cli, Failure, nearest_command};
use crate::store::exit;
use clap::CommandFactory;
use std::ffi::OsString;
use std::path::Path;

/// Global options that take a value (their value is not a positional word).
const GLOBAL_VALUES: [&str; 3] = ["--db", "--today", "--theme"];

/// Whether `path` is an existing SQLite file (an alliance database, or one to be refused as
/// not one by the store with its own message).
fn is_database(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 16];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && &head == b"SQLite format 3\0"
}

/// The command line as it should be parsed: `args` itself when clap takes it, else with a
/// database named after a complete command moved to `--db`; or a refusal naming the fix.
pub fn reshape(args: Vec<OsString>) -> Result<Vec<OsString>, Failure> {
    let cmd = Cli::command();
    if cmd.clone().try_get_matches_from(&args).is_ok() {
        return Ok(args);
    }
    let text: Vec<String> = args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    // The first word that is not an option or an option's value.
    let mut i = 1;
    while i < text.len() {
        if GLOBAL_VALUES.contains(&text[i].as_str()) {
            i += 2;
        } else if text[i].starts_with('-') {
            i += 1;
        } else {
            break;
        }
    }
    let Some(word) = text.get(i) else { return Ok(args) };
    if cmd.find_subcommand(word).is_none() {
        // `alliance stats alliance.db`: a word that is no file, followed by more.
        if i + 1 < text.len()
            && !Path::new(word).exists()
            && let Some(c) = nearest_command(word)
        {
            return Err(usage(format!("`{word}` is not a command — did you mean `{c}`?")));
        }
        return Ok(args);
    }
    // The last word after the command that names a database.
    let Some(f) = (i + 1..text.len()).rev().find(|&j| {
        !text[j].starts_with('-') && !GLOBAL_VALUES.contains(&text[j - 1].as_str()) && is_database(Path::new(&text[j]))
    }) else {
        return Ok(args);
    };
    let file = &text[f];
    let db_given = text.iter().any(|a| a == "--db" || a.starts_with("--db="));
    if db_given {
        return Err(usage(format!("two databases given, --db and {file} — give one")));
    }
    let mut moved = args.clone();
    let value = moved.remove(f);
    moved.insert(1, OsString::from("--db"));
    moved.insert(2, value);
    if cmd.try_get_matches_from(&moved).is_ok() {
        return Ok(moved);
    }
    let rest: Vec<&str> = text[i..].iter().filter(|a| *a != file).map(String::as_str).collect();
    let rest = rest.join(" ");
    Err(usage(format!(
        "`{file}` is not an argument of `alliance {rest}` — did you mean `alliance --db {file} {rest}`?"
    )))
}

fn usage(message: String) -> Failure {
    Failure { code: exit::USAGE, message }
}

/// Shell completions for `shell`, for the whole command line.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "alliance", &mut out);
    out
}

/// The manual page (roff), as committed in `docs/alliance.1`.
pub fn man_page() -> Result<Vec<u8>, std::io::Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<OsString> {
        s.iter().map(OsString::from).collect()
    }

    #[test]
    fn a_database_after_a_complete_command_is_taken_as_db() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("a.db");
        crate::store::Store::create(&db, "Test").expect("create");
        let d = db.to_string_lossy().to_string();
        for cmd in [&["status"][..], &["check"], &["render", "leaders"], &["status", "--json"], &["settings"]] {
            let mut line = vec!["alliance"];
            line.extend_from_slice(cmd);
            line.push(&d);
            let got = reshape(args(&line)).unwrap_or_else(|f| panic!("{cmd:?}: {}", f.message));
            assert_eq!(got[1], OsString::from("--db"), "{cmd:?}");
            assert_eq!(got[2], OsString::from(&d), "{cmd:?}");
        }
        // A command that needs its own argument: told what to type instead.
        let f = reshape(args(&["alliance", "export", "board-pack", &d])).expect_err("refused");
        assert!(f.message.contains(&format!("did you mean `alliance --db {d} export board-pack`?")), "{}", f.message);
        // A text file is never taken for a database.
        let txt = dir.path().join("notes.txt");
        std::fs::write(&txt, "hello").expect("write");
        let t = txt.to_string_lossy().to_string();
        assert_eq!(
            reshape(args(&["alliance", "status", &t])).expect("clap's own error"),
            args(&["alliance", "status", &t])
        );
        // A mistyped command before the file.
        let f = reshape(args(&["alliance", "stats", &d])).expect_err("refused");
        assert_eq!(f.message, "`stats` is not a command — did you mean `status`?");
    }

    #[test]
    fn completions_name_the_commands() {
        for shell in [clap_complete::Shell::Bash, clap_complete::Shell::Zsh, clap_complete::Shell::Fish] {
            let s = String::from_utf8(completions(shell)).expect("utf-8");
            assert!(s.contains("log-visit") && s.contains("board-pack"), "{shell:?}");
        }
    }
}
