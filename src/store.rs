//! The SQLite store: opening a file safely, migrations, typed reads and writes, audit.
//!
//! Rules this module keeps (DESIGN §2, §8):
//! - No SQL outside `store/`; every user value is a bound parameter.
//! - A file is inspected *before* anything is written to it: a missing path is never created
//!   (only [`Store::create`] creates), and a file that is not an alliance database, or is from a
//!   newer alliance, is refused with one clear sentence and left byte-for-byte untouched.
//! - Every write is a short `BEGIN IMMEDIATE` transaction that also writes its `audit` row, and
//!   an update names the `version` it was made against, so a stale edit is refused, not lost.

mod actor;
mod aggregates;
mod audit;
mod away;
mod away_tables;
mod bulk;
mod conflicts;
mod drafts;
mod entity;
mod error;
mod impact;
mod impact_facts;
mod import;
mod intelligence;
mod lists;
mod maintenance;
mod matching;
mod measures;
mod open;
mod people;
mod replay;
pub mod schema;
mod schools;
mod settings;
mod sql;
mod terms;
#[cfg(feature = "test-support")]
mod test_support;
mod writes;

pub use actor::Actor;
pub(crate) use actor::read_only_mount_uri;
pub use audit::AuditRow;
pub use away::{AWAY_BLOCK, AwayCopy, AwayStatus, Change, ChangeSet, replace_away_copy};
pub use away_tables::server_only_reason;
pub use bulk::Bulk;
pub use conflicts::Resolution;
pub use entity::Entity;
pub use error::{AwayProblem, Replacement, StoreError, exit};
pub use impact::{AgreementStatus, Closed, CriterionOutcome, Signed, insert_agreement_in};
pub use impact_facts::NO_STREAM;
pub use import::ImportTx;
pub use intelligence::REDACTED;
pub use lists::{ContractRow, DecisionRow, VisitRow, budget_of};
pub(crate) use maintenance::create_private;
pub use maintenance::{BackupReport, CheckReport, RestoreReport, check_file, restore_file};
pub use people::PersonChange;
pub use replay::{ApplyReport, Conflict};
pub use schools::Conversion;
pub use terms::TermsImported;

use open::{FileId, is_writable};
pub(crate) use open::{recognise, side_file};

use crate::domain::settings::{SettingChange, Settings};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a writer waits for another coordinator's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The environment variable that overrides [`BUSY_TIMEOUT`], in milliseconds (tests use a short
/// one; a very slow shared disk may want a longer one).
pub const BUSY_TIMEOUT_ENV: &str = "ALLIANCE_BUSY_TIMEOUT_MS";

/// The busy timeout in force: `$ALLIANCE_BUSY_TIMEOUT_MS` if it is a whole number of
/// milliseconds up to ten minutes, else [`BUSY_TIMEOUT`].
pub fn busy_timeout() -> Duration {
    std::env::var(BUSY_TIMEOUT_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| *ms <= 600_000)
        .map_or(BUSY_TIMEOUT, Duration::from_millis)
}

/// The first line of an SQLite diagnostic, without control characters, for a one-sentence
/// message.
fn first_line(s: &str) -> String {
    let line = s.lines().find(|l| !l.trim().is_empty() && !l.contains("***")).unwrap_or(s);
    sanitize_line(line.trim())
}

pub(crate) fn sanitize_line(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(120).collect()
}

/// Whether the store may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Normal use.
    ReadWrite,
    /// `--read-only`, or the file is not writable: reads work, every write is refused politely.
    ReadOnly,
}

/// Files up to this size are verified in full (SQLite's `quick_check`, about 2–5 ms a MB) as
/// they are opened. A bigger file — a region's or the country's, hundreds of MB — gets the cheap
/// checks when opened (its header, and its length against the page count the header records)
/// and the full check before its first write, so `status` and the first frame do not wait a
/// second or more for pages they never read. See [`Store::open`].
pub const FULL_CHECK_BYTES: u64 = 16 * 1024 * 1024;

/// Whether the whole file has been verified (see [`FULL_CHECK_BYTES`]).
enum Verified {
    /// Checked in full (or created by us): writes may go ahead.
    Yes,
    /// Not yet: the first write checks first.
    No,
    /// Being checked on another thread ([`Store::verify_in_background`]), which the handle
    /// can stop.
    Pending(std::thread::JoinHandle<Result<(), StoreError>>, rusqlite::InterruptHandle),
}

/// An open alliance database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    access: Access,
    verified: Verified,
    /// The path no longer names the file this connection has open (moved or replaced under
    /// it): nothing more is written, not even the closing checkpoint.
    detached: bool,
    /// Device and inode of the file when it was opened, and of its `-wal` once seen: the path
    /// naming another file later means the file was moved or copied over under us.
    identity: Option<FileId>,
    wal_identity: Option<FileId>,
    why_detached: Option<Replacement>,
    /// The tables the current write transaction has changed (SQLite's update hook), for the
    /// role check before it commits.
    touched: std::sync::Arc<std::sync::Mutex<std::collections::BTreeSet<String>>>,
    /// The file is shared with its group (deployment A): its `-wal`/`-shm` stay in place and
    /// the `-wal` is emptied as this connection closes (see [`crate::share`]).
    shared: bool,
    /// Who writes through this store.
    pub actor: Actor,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).field("access", &self.access).finish()
    }
}

/// The settings key of the file's generation id (see [`Store::generation`]).
pub const GENERATION_KEY: &str = "generation";

impl Drop for Store {
    /// Every exit path of every command leaves the file self-contained: a writer folds the
    /// write-ahead log in as it closes, even when other connections (a reader thread, another
    /// coordinator's TUI) keep the file open, so no acknowledged change is left only in
    /// `-wal`. The wait is short: a busy file is folded in by whoever closes it last.
    fn drop(&mut self) {
        // A check still running on another thread holds a read of the file open: stop it.
        if let Verified::Pending(handle, interrupt) = std::mem::replace(&mut self.verified, Verified::No) {
            interrupt.interrupt();
            let _ = handle.join();
        }
        if self.access == Access::ReadWrite && !self.detached {
            let _ = self.conn.busy_timeout(Duration::from_millis(1000));
            let _ = self.checkpoint();
        }
    }
}

impl Store {
    /// The file this store reads.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether writes are refused: the file is open read-only, or the person's role changes
    /// nothing (a board member, an account not in `people`).
    pub fn is_read_only(&self) -> bool {
        self.access == Access::ReadOnly || self.who().is_ok_and(|w| !w.may_write())
    }

    /// Whether the file itself is open read-only (permissions, a read-only mount, `--read-only`),
    /// whatever the person's role.
    pub fn file_is_read_only(&self) -> bool {
        self.access == Access::ReadOnly
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction, so the write lock is taken up front and a
    /// busy file waits (up to [`BUSY_TIMEOUT`]) instead of failing half-way.
    #[cfg(feature = "test-support")]
    pub fn write<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>, &Actor) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.transaction(true, f)
    }

    /// [`Store::write`] outside tests: for the store's own writes and the sample generator.
    #[cfg(not(feature = "test-support"))]
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>, &Actor) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.transaction(true, f)
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction, then commits it if `commit` is set and
    /// rolls it back if not (a dry run); a failing `f` always rolls back.
    fn transaction<T>(
        &mut self,
        commit: bool,
        f: impl FnOnce(&rusqlite::Transaction<'_>, &Actor) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let shown = self.path.display().to_string();
        if self.access == Access::ReadOnly {
            // A board member's or an unlisted account's file is read-only for them anyway:
            // their role is the clearer reason.
            if let Ok(who) = self.who()
                && let Some(no) = who.write_refusal()
            {
                return Err(StoreError::NotAllowed(no));
            }
            return Err(StoreError::ReadOnly(shown));
        }
        self.check_file_identity()?;
        self.ensure_verified()?;
        // Lock timeouts, a file made read-only or damaged under us: the sentences (and exit
        // codes) of `StoreError`, not a bare "database error".
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| StoreError::from_sqlite(&shown, e))?;
        // The role check (issue #16), here in the one write path so every write inherits it:
        // who this is in `people` *now* (under the write lock), refused before anything runs
        // if they may change nothing, and every table and audited record the write touched
        // checked before it commits.
        let who = people::resolve(&tx, &self.actor, &self.path).map_err(|e| e.with_path(&shown))?;
        if let Some(no) = who.write_refusal() {
            return Err(StoreError::NotAllowed(no));
        }
        let mark: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM audit", [], |r| r.get(0))?;
        self.touched.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
        let out = f(&tx, &self.actor).map_err(|e| e.with_path(&shown))?;
        let touched = self.touched.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        people::check_changes(&tx, &who, &touched, mark).map_err(|e| e.with_path(&shown))?;
        away_tables::check_away_write(&tx, &touched, mark)?;
        let end = if commit { tx.commit() } else { tx.rollback() };
        end.map_err(|e| StoreError::from_sqlite(&shown, e))?;
        Ok(out)
    }

    /// Folds the write-ahead log into the file and empties it (`wal_checkpoint(TRUNCATE)`),
    /// so the file alone holds every committed change — what `cp` or `scp` of it copies.
    /// Returns whether the log is now empty; `false` when another connection was reading or
    /// writing throughout the wait (that connection's own close folds it in later). Never
    /// touches the log file itself, and does nothing on a read-only store.
    pub fn checkpoint(&self) -> Result<bool, StoreError> {
        if self.access == Access::ReadOnly {
            return Ok(false);
        }
        let shown = self.path.display().to_string();
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
            .map_err(|e| StoreError::from_sqlite(&shown, e))?;
        Ok(busy == 0)
    }

    /// The file's generation id (`settings.generation`): a new one is given by `init` and by
    /// every `restore`, so a copy taken earlier can tell the file it came from was restored
    /// since. `None` only on a file that has not been opened for writing by this version.
    pub fn generation(&self) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [GENERATION_KEY], |r| r.get(0))
            .optional()?)
    }

    /// SQLite's `data_version`: changes when *another* connection commits, so polling it tells
    /// the TUI to reload at the cost of one pragma.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// Loads one record by id.
    pub fn get<E: Entity>(&self, id: i64) -> Result<E, StoreError> {
        entity::get(&self.conn, id)?.ok_or(StoreError::NotFound { entity: E::LABEL, id })
    }

    /// Loads one record by id, or `None`.
    pub fn find<E: Entity>(&self, id: i64) -> Result<Option<E>, StoreError> {
        entity::get(&self.conn, id)
    }

    /// Loads every record of a kind, in id order.
    pub fn all<E: Entity>(&self) -> Result<Vec<E>, StoreError> {
        entity::list(&self.conn, "", [])
    }

    /// The audit trail of one record, newest first.
    pub fn history(&self, entity: &str, id: i64) -> Result<Vec<AuditRow>, StoreError> {
        audit::history(&self.conn, entity, id)
    }

    /// The alliance's settings (defaults for any key not stored).
    pub fn settings(&self) -> Result<Settings, StoreError> {
        settings::load(&self.conn)
    }

    /// Changes some settings, each against the value the person saw; refused as stale when
    /// someone changed one of them meanwhile. Audited. Returns the settings now in force.
    pub fn change_settings(&mut self, changes: &[SettingChange]) -> Result<Settings, StoreError> {
        self.write(|tx, actor| settings::change(tx, actor, changes))
    }

    /// Stores the settings.
    pub fn save_settings(&mut self, s: &Settings) -> Result<(), StoreError> {
        self.write(|tx, _| settings::save(tx, s))
    }
}

/// Inserts a record with its audit row inside a transaction the caller already holds (the
/// sample generator and importers batch thousands of rows into one transaction this way).
pub fn insert_in<E: Entity>(tx: &rusqlite::Transaction<'_>, record: &E, actor: &Actor) -> Result<i64, StoreError> {
    entity::insert(tx, record, actor)
}
