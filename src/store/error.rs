//! Store errors, each one sentence a coordinator can act on, with a stable exit code.

use crate::domain::roles::Refusal;
use crate::domain::validate::Problems;
use thiserror::Error;

/// Everything that can go wrong opening or writing an alliance file.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The path does not exist (and is not created: only `init` creates).
    #[error("{0}: no such file — create one with `alliance init {0}`, or check the path")]
    Missing(String),
    /// The path is a directory.
    #[error("{0} is a directory, not an alliance database file")]
    IsDirectory(String),
    /// The file is empty.
    #[error("{0} is an empty file, not an alliance database (left untouched)")]
    Empty(String),
    /// The file is not SQLite at all.
    #[error("{0} is not an alliance database (not an SQLite file; left untouched)")]
    NotSqlite(String),
    /// An SQLite file of another application.
    #[error("{0} is an SQLite file from another application, not an alliance database (left untouched)")]
    NotAlliance(String),
    /// Made by a newer alliance.
    #[error(
        "{path} was written by a newer version of alliance (schema {found}, this one understands up to {supported}) — upgrade alliance; the file was left untouched"
    )]
    Newer {
        /// The file.
        path: String,
        /// Its schema version.
        found: i64,
        /// Ours.
        supported: i64,
    },
    /// An older file opened read-only cannot be upgraded.
    #[error("{0} needs a schema upgrade, which cannot be done read-only — open it once with write access")]
    NeedsUpgrade(String),
    /// The file is damaged.
    #[error(
        "{0} is damaged ({1}) — put a backup back with `alliance --db {0} restore BACKUP`; `alliance check` gives details"
    )]
    Corrupt(String, String),
    /// Another process holds the lock for longer than the busy timeout.
    #[error("{0} is busy: another alliance or program is writing to it — try again in a moment")]
    Busy(String),
    /// No permission to read.
    #[error("{0}: permission denied — ask the file's owner for read access")]
    NoPermission(String),
    /// A write on a read-only store.
    #[error("{0} is open read-only — nothing was changed (check the file's permissions, or drop --read-only)")]
    ReadOnly(String),
    /// The person's role does not allow this change: who, and what stood in the way.
    #[error("{0}")]
    NotAllowed(Refusal),
    /// `init` on an existing path.
    #[error("{0} already exists — choose a new file name (init never overwrites)")]
    Exists(String),
    /// `backup` to a path that already exists.
    #[error("{0} already exists — a backup never replaces a file; choose a new name")]
    DestinationExists(String),
    /// Someone else saved first.
    #[error("this {entity} was changed by {by} at {at} — your values are kept; review the changes and save again")]
    Stale {
        /// Which kind of record.
        entity: &'static str,
        /// Its id.
        id: i64,
        /// Who saved first.
        by: String,
        /// When.
        at: String,
    },
    /// A record that is not there.
    #[error("no {entity} with id {id}")]
    NotFound {
        /// Which kind.
        entity: &'static str,
        /// The id asked for.
        id: i64,
    },
    /// Refused by validation.
    #[error("{}", .0.error_text())]
    Invalid(Problems),
    /// An away copy and a server that do not belong together, or a change set that cannot be
    /// read: which, and the records, files and versions concerned.
    #[error("{0}")]
    Away(AwayProblem),
    /// No permission to create or write a file (a folder of someone else's).
    #[error("{0}: permission denied — nothing was written; choose a place you may write to, or ask its owner")]
    CannotWrite(String),
    /// The path no longer names the file this program has open.
    #[error("{path} changed under this program: {how} — nothing more is saved here; quit and open the file again")]
    Replaced {
        /// The file, as the program was given it.
        path: String,
        /// What happened to it.
        how: Replacement,
    },
    /// The disk (or the user's quota) is full.
    #[error("{0}: the disk is full — nothing was saved; free some space and try again")]
    Full(String),
    /// A file-system error.
    #[error("{0}: {1}")]
    Io(String, String),
    /// Any other SQLite error.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

/// Why an away copy, or the changes made on one, were refused (DESIGN §9): the files, versions,
/// times and changes concerned, as data; `Display` is the sentence, saying what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AwayProblem {
    /// The text is not an away copy's changes (`why`: what is wrong with it).
    NotChanges {
        /// What is wrong with it.
        why: String,
    },
    /// The changes are in another version of the format.
    ChangesVersion {
        /// The version they are in.
        found: u64,
        /// The version this build reads.
        reads: u32,
    },
    /// `away start` onto a path that already exists.
    CopyExists {
        /// The path.
        path: String,
    },
    /// An away copy asked to serve one (`away start` from it).
    CopyOfCopy {
        /// The away copy.
        path: String,
    },
    /// Changes sent to an away copy instead of the server's file.
    AppliedToCopy {
        /// The away copy.
        path: String,
    },
    /// The server sent something that is not an away copy (`from`: the host, when it is one).
    NotSentCopy {
        /// The host that sent it.
        from: Option<String>,
    },
    /// An away command on a file that is not an away copy.
    NotACopy {
        /// The file.
        path: String,
    },
    /// Changes made on an away copy of another alliance file.
    OtherFile {
        /// The file they were sent to.
        path: String,
    },
    /// The copy and the file are of different schema versions.
    SchemaDiffers {
        /// The file.
        path: String,
        /// The copy's schema version.
        copy: i64,
        /// The file's.
        here: i64,
    },
    /// The file was restored or replaced after the copy was taken.
    Restored {
        /// The file.
        path: String,
        /// When the copy was taken (stored form).
        taken_at: String,
    },
    /// The file reserved no id block for this copy.
    NoIdBlock {
        /// The file.
        path: String,
    },
    /// A change creates a record outside the copy's reserved ids.
    OutsideIds {
        /// The change's number.
        change: i64,
        /// The table.
        entity: String,
        /// The record's id.
        id: i64,
    },
    /// A change's record cannot be read.
    Unreadable {
        /// The change's number.
        change: i64,
        /// The table.
        entity: String,
        /// The record's id.
        id: i64,
        /// What is wrong with it.
        why: String,
    },
    /// A write on an away copy touched a table changed on the server only.
    ServerOnly {
        /// The table.
        table: String,
    },
    /// A write on an away copy recorded sensitive soft intelligence.
    SensitiveAway,
    /// A change's action is none of insert, update, delete.
    UnknownAction {
        /// The change's number.
        change: i64,
        /// The action it names.
        action: String,
    },
}

impl std::fmt::Display for AwayProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AwayProblem::NotChanges { why } => write!(f, "that is not an away copy's changes ({why})"),
            AwayProblem::ChangesVersion { found, reads } => write!(
                f,
                "these changes are in version {found} of the format; this alliance reads version {reads} — use the same alliance on both sides"
            ),
            AwayProblem::CopyExists { path } => write!(
                f,
                "{path} already exists — send or discard that away copy first (`alliance --db {path} away send`), or choose another --out"
            ),
            AwayProblem::CopyOfCopy { path } => {
                write!(f, "{path} is itself an away copy — take away copies of the server's file")
            }
            AwayProblem::AppliedToCopy { path } => {
                write!(f, "{path} is itself an away copy — apply changes to the server's file (nothing was applied)")
            }
            AwayProblem::NotSentCopy { from: Some(host) } => {
                write!(f, "{host} sent something that is not an away copy — nothing was taken")
            }
            AwayProblem::NotSentCopy { from: None } => {
                f.write_str("what the server sent is not an away copy — nothing was kept")
            }
            AwayProblem::NotACopy { path } => {
                write!(f, "{path} is not an away copy — `alliance away start --from SERVER` makes one")
            }
            AwayProblem::OtherFile { path } => write!(
                f,
                "these changes were made on an away copy of another alliance file, not {path} — nothing was applied"
            ),
            AwayProblem::SchemaDiffers { path, copy, here } => write!(
                f,
                "the away copy has schema version {copy}, {path} has {here} — use the same alliance on both sides; nothing was applied"
            ),
            AwayProblem::Restored { path, taken_at } => write!(
                f,
                "{path} was restored or replaced after this away copy was taken ({}), so its changes could undo or double what the restore changed — nothing was applied; the changes stay on the away copy (`alliance away changes --out FILE` saves them) for a coordinator to re-enter",
                taken_at.replace('T', " ").trim_end_matches('Z')
            ),
            AwayProblem::NoIdBlock { path } => write!(
                f,
                "{path} reserved no id block for this away copy, so it was not taken of this file — nothing was applied"
            ),
            AwayProblem::OutsideIds { change, entity, id } => write!(
                f,
                "change {change} creates {entity} #{id}, outside the ids reserved for this away copy — the changes were altered; nothing was applied"
            ),
            AwayProblem::Unreadable { change, entity, id, why } => {
                write!(f, "change {change} ({entity} #{id}) cannot be read: {why} — nothing was applied")
            }
            AwayProblem::ServerOnly { table } => {
                write!(f, "{} — nothing was saved on this away copy", super::away_tables::server_only_reason(table))
            }
            AwayProblem::SensitiveAway => f.write_str(
                "sensitive soft intelligence is recorded on the server only (it never goes to a laptop) — nothing was saved on this away copy",
            ),
            AwayProblem::UnknownAction { change, action } => {
                write!(f, "change {change} has an unknown action `{action}` — nothing was applied")
            }
        }
    }
}

/// How the path stopped naming the file a store has open (see `Store::check_file_identity`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replacement {
    /// Nothing is at the path any more.
    MovedOrDeleted,
    /// Another file is at the path.
    CopiedOver,
    /// Its write-ahead log (this path) is another file now.
    LogReplaced(std::path::PathBuf),
    /// Its write-ahead log (this path) is gone.
    LogDeleted(std::path::PathBuf),
}

impl std::fmt::Display for Replacement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Replacement::MovedOrDeleted => f.write_str("it was moved away or deleted"),
            Replacement::CopiedOver => f.write_str("another file was moved or copied over it"),
            Replacement::LogReplaced(wal) => write!(f, "its write-ahead log {} was replaced", wal.display()),
            Replacement::LogDeleted(wal) => write!(f, "its write-ahead log {} was deleted", wal.display()),
        }
    }
}

/// What a damaged file is called before the path is known ([`StoreError::with_path`] fills it).
const THE_FILE: &str = "the file";

impl From<rusqlite::Error> for StoreError {
    /// A read that meets a damaged page is reported as damage (exit 5), like damage found when
    /// the file was opened: a big file is not verified in full until its first write.
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                let detail: String = e.to_string().chars().filter(|c| !c.is_control()).take(120).collect();
                StoreError::Corrupt(THE_FILE.to_string(), detail)
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

/// Exit codes, documented in the README (◆ scripts rely on them).
pub mod exit {
    /// Anything not listed below.
    pub const GENERAL: i32 = 1;
    /// Bad command-line usage (clap's own code).
    pub const USAGE: i32 = 2;
    /// Input refused by validation (dates, days, a missing contract …).
    pub const INVALID: i32 = 3;
    /// The database path does not exist.
    pub const MISSING: i32 = 4;
    /// The file is not an alliance database (directory, empty, text, other app's SQLite, damaged).
    pub const NOT_ALLIANCE: i32 = 5;
    /// The file is from a newer alliance.
    pub const NEWER: i32 = 6;
    /// Permission denied, or a write to a read-only file.
    pub const PERMISSION: i32 = 7;
    /// The file stayed locked by another process beyond the busy timeout.
    pub const BUSY: i32 = 8;
    /// Someone else saved the record first.
    pub const CONFLICT: i32 = 9;
}

impl StoreError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            StoreError::Missing(_) => exit::MISSING,
            StoreError::IsDirectory(_)
            | StoreError::Empty(_)
            | StoreError::NotSqlite(_)
            | StoreError::NotAlliance(_)
            | StoreError::Corrupt(..) => exit::NOT_ALLIANCE,
            StoreError::Newer { .. } | StoreError::NeedsUpgrade(_) => exit::NEWER,
            StoreError::NoPermission(_)
            | StoreError::CannotWrite(_)
            | StoreError::ReadOnly(_)
            | StoreError::NotAllowed(_) => exit::PERMISSION,
            StoreError::Busy(_) => exit::BUSY,
            StoreError::Stale { .. } => exit::CONFLICT,
            StoreError::Invalid(_)
            | StoreError::NotFound { .. }
            | StoreError::Exists(_)
            | StoreError::DestinationExists(_)
            | StoreError::Away(_) => exit::INVALID,
            StoreError::Io(..) | StoreError::Sqlite(_) | StoreError::Full(_) | StoreError::Replaced { .. } => {
                exit::GENERAL
            }
        }
    }

    /// Maps SQLite's low-level codes onto the sentences above.
    pub fn from_sqlite(path: &str, e: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::Busy(path.to_string()),
            Some(C::NotADatabase) => StoreError::NotSqlite(path.to_string()),
            Some(C::DatabaseCorrupt) => StoreError::Corrupt(path.to_string(), e.to_string()),
            Some(C::ReadOnly) => StoreError::ReadOnly(path.to_string()),
            Some(C::PermissionDenied | C::CannotOpen) => StoreError::NoPermission(path.to_string()),
            Some(C::DiskFull) => StoreError::Full(path.to_string()),
            _ => StoreError::Sqlite(e),
        }
    }

    /// A file-system error about `path`, in one sentence with its exit code: no permission
    /// is [`StoreError::NoPermission`]-like (exit 7), a full disk says so.
    pub fn from_io(path: &str, e: &std::io::Error) -> StoreError {
        match e.kind() {
            std::io::ErrorKind::PermissionDenied => StoreError::CannotWrite(path.to_string()),
            std::io::ErrorKind::StorageFull => StoreError::Full(path.to_string()),
            std::io::ErrorKind::ReadOnlyFilesystem => StoreError::ReadOnly(path.to_string()),
            _ => StoreError::Io(path.to_string(), crate::store::sanitize_line(&e.to_string())),
        }
    }

    /// Attaches the file name to a bare SQLite error.
    pub fn with_path(self, path: &str) -> StoreError {
        match self {
            StoreError::Sqlite(e) => StoreError::from_sqlite(path, e),
            StoreError::Corrupt(p, detail) if p == THE_FILE => StoreError::Corrupt(path.to_string(), detail),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_away_refusal_carries_its_data_and_says_what_was_not_done() {
        let restored = AwayProblem::Restored { path: "a.db".into(), taken_at: "2026-11-20T09:30:00Z".into() };
        let said = StoreError::Away(restored).to_string();
        assert!(said.starts_with("a.db was restored or replaced after this away copy was taken (2026-11-20 09:30:00)"));
        let outside = AwayProblem::OutsideIds { change: 7, entity: "visits".into(), id: 12 };
        assert_eq!(
            outside.to_string(),
            "change 7 creates visits #12, outside the ids reserved for this away copy — the changes were altered; nothing was applied"
        );
        // Refusals of a whole change set say nothing was applied; the copy side says what it kept.
        for p in [
            AwayProblem::AppliedToCopy { path: "a.db".into() },
            AwayProblem::OtherFile { path: "a.db".into() },
            AwayProblem::SchemaDiffers { path: "a.db".into(), copy: 30, here: 31 },
            AwayProblem::NoIdBlock { path: "a.db".into() },
            AwayProblem::Unreadable { change: 1, entity: "visits".into(), id: 2, why: "missing field".into() },
            AwayProblem::UnknownAction { change: 1, action: "merge".into() },
        ] {
            assert!(p.to_string().contains("nothing was applied"), "{p}");
            assert_eq!(StoreError::Away(p).exit_code(), exit::INVALID);
        }
        assert!(AwayProblem::NotSentCopy { from: Some("hub".into()) }.to_string().starts_with("hub sent something"));
        assert!(AwayProblem::NotSentCopy { from: None }.to_string().ends_with("nothing was kept"));
    }
}
