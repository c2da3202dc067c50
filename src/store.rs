//! The SQLite store: opening a file safely, migrations, typed reads and writes, audit.
//!
//! Rules this module keeps (DESIGN §2, §8):
//! - No SQL outside `store/`; every user value is a bound parameter.
//! - A file is inspected *before* anything is written to it: a missing path is never created
//!   (only [`Store::create`] creates), and a file that is not an alliance database, or is from a
//!   newer alliance, is refused with one clear sentence and left byte-for-byte untouched.
//! - Every write is a short `BEGIN IMMEDIATE` transaction that also writes its `audit` row, and
//!   an update names the `version` it was made against, so a stale edit is refused, not lost.

mod aggregates;
mod audit;
mod bulk;
mod entity;
mod error;
mod import;
mod lists;
mod maintenance;
mod matching;
pub mod schema;
mod settings;
mod terms;
mod writes;

pub use audit::AuditRow;
pub use bulk::Bulk;
pub use entity::Entity;
pub use error::{StoreError, exit};
pub use import::ImportTx;
pub use lists::{ContractRow, DecisionRow, VisitRow};
pub(crate) use maintenance::create_private;
pub use maintenance::{BackupReport, CheckReport, check_file};
pub use settings::{SPECS, SettingChange, SettingSpec, Settings, Unit, fmt_percent_bp, parse_value, resolve_key};
pub use terms::TermsImported;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};
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

/// Who is making a change and when, as written to `audit` and `updated_by`/`updated_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// OS user, plus the SSH client address where known (`ann@10.0.0.7`).
    pub by: String,
    /// A fixed timestamp (tests, the sample generator); `None` means the real clock.
    pub fixed_at: Option<String>,
}

impl Actor {
    /// The person at this terminal: `$USER`/`$LOGNAME`, with the SSH client's address if any.
    pub fn from_env() -> Actor {
        let user = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .ok()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| "unknown".to_string());
        let by = match std::env::var("SSH_CLIENT").ok().and_then(|c| c.split_whitespace().next().map(str::to_string)) {
            Some(ip) => format!("{user}@{ip}"),
            None => user,
        };
        Actor { by: sanitize_line(&by), fixed_at: None }
    }

    /// A named actor with a fixed clock, for tests and generated data.
    pub fn fixed(by: &str, at: &str) -> Actor {
        Actor { by: by.to_string(), fixed_at: Some(at.to_string()) }
    }

    /// The time to stamp on a change, ISO-8601 UTC to the second.
    pub fn now(&self) -> String {
        match &self.fixed_at {
            Some(at) => at.clone(),
            None => chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        }
    }

    /// The OS user part only (drafts are kept per user, wherever they connect from).
    pub fn user(&self) -> &str {
        self.by.split('@').next().unwrap_or(&self.by)
    }
}

/// The first line of an SQLite diagnostic, without control characters, for a one-sentence
/// message.
fn first_line(s: &str) -> String {
    let line = s.lines().find(|l| !l.trim().is_empty() && !l.contains("***")).unwrap_or(s);
    sanitize_line(line.trim())
}

fn sanitize_line(s: &str) -> String {
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
    /// Being checked on another thread ([`Store::verify_in_background`]).
    Pending(std::thread::JoinHandle<Result<(), StoreError>>),
}

/// An open alliance database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    access: Access,
    verified: Verified,
    /// Who writes through this store.
    pub actor: Actor,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).field("access", &self.access).finish()
    }
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

impl Store {
    /// Opens an existing alliance database. Never creates a file, never migrates a database it
    /// cannot understand, and writes nothing until the file has been recognised as ours.
    ///
    /// A damaged file is refused unchanged ("is damaged", exit 5): a truncated one always as it
    /// is opened (SQLite records how long it is); any other damage as it is opened when the
    /// file is up to [`FULL_CHECK_BYTES`], else when a read meets a damaged page (SQLite checks
    /// every page it reads, and `cell_size_check` makes that check thorough) or, at the latest,
    /// before the first write — so damage in pages a command never reads can neither change
    /// what it shows nor be written over.
    pub fn open(path: &Path, want: Access) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        let meta = recognise(path)?;
        let writable = !meta.permissions().readonly() && is_writable(path);
        let access = if writable { want } else { Access::ReadOnly };
        let mut store = Store::another_connection(path, access, Actor::from_env())?;
        // Verify the whole file before anything may write to it (switching to WAL, migrating):
        // a damaged file is refused here, unchanged, not half-way through a screen or a write.
        if meta.len() <= FULL_CHECK_BYTES {
            store.check_readable(&shown)?;
            store.verified = Verified::Yes;
        } else {
            store.check_length(&shown)?;
        }
        // The header lags behind the WAL while another connection has the file open (a fresh
        // `init`, or a newer alliance that just migrated): decide on the version SQLite sees.
        let user_version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| StoreError::from_sqlite(&shown, e))?;
        if user_version > schema::SCHEMA_VERSION {
            return Err(StoreError::Newer { path: shown, found: user_version, supported: schema::SCHEMA_VERSION });
        }
        if access == Access::ReadWrite {
            // Switching to WAL or migrating writes to the file: a big file is verified first.
            let mode: String = store
                .conn
                .pragma_query_value(None, "journal_mode", |r| r.get(0))
                .map_err(|e| StoreError::from_sqlite(&shown, e))?;
            if !mode.eq_ignore_ascii_case("wal") || user_version < schema::SCHEMA_VERSION {
                store.ensure_verified()?;
            }
            store.prepare_for_writing().map_err(|e| e.with_path(&shown))?;
            store.migrate().map_err(|e| e.with_path(&shown))?;
        } else if user_version < schema::SCHEMA_VERSION {
            return Err(StoreError::NeedsUpgrade(shown));
        }
        Ok(store)
    }

    /// A second, read-only connection to this store's file, for reading on another thread.
    ///
    /// Unlike [`Store::open`] it never opens the file itself (the header and the checks were
    /// done when this store was opened): closing any descriptor of a database file releases
    /// every POSIX lock this process holds on it, so a header read here would drop this
    /// store's locks — and another program's connection closing next could then delete the
    /// write-ahead log under us, losing every write that followed.
    pub fn reader(&self) -> Result<Store, StoreError> {
        Store::another_connection(&self.path, Access::ReadOnly, self.actor.clone())
    }

    /// Another connection to a file this process already has open through [`Store::open`],
    /// without opening the file outside SQLite (see [`Store::reader`] for why). For the
    /// signal watcher, which writes the last draft while the stuck main thread holds the file.
    /// A write through it still runs the full check first on a big file.
    pub fn another_connection(path: &Path, access: Access, actor: Actor) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        let flags = match access {
            Access::ReadWrite => OpenFlags::SQLITE_OPEN_READ_WRITE,
            Access::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY,
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::from_sqlite(&shown, e))?;
        let mut store = Store { conn, path: path.to_path_buf(), access, verified: Verified::No, actor };
        store.configure().map_err(|e| e.with_path(&shown))?;
        Ok(store)
    }

    /// Creates a new, empty alliance database at `path` (which must not exist yet), readable
    /// by the owner only.
    pub fn create(path: &Path, alliance_name: &str) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        if path.exists() {
            return Err(StoreError::Exists(shown));
        }
        create_private(path).map_err(|e| StoreError::Io(shown.clone(), e.to_string()))?;
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| StoreError::from_sqlite(&shown, e))?;
        conn.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            access: Access::ReadWrite,
            verified: Verified::Yes,
            actor: Actor::from_env(),
        };
        store.configure()?;
        store.prepare_for_writing()?;
        store.migrate()?;
        let mut settings = Settings::default();
        let name = alliance_name.trim();
        if !name.is_empty() {
            settings.alliance_name = name.chars().filter(|c| !c.is_control()).collect();
        }
        store.save_settings(&settings)?;
        Ok(store)
    }

    /// Connection settings that write nothing to the file.
    fn configure(&mut self) -> Result<(), StoreError> {
        self.conn.busy_timeout(busy_timeout())?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        // Every page read is checked for overlapping or oversized cells, so a damaged page a
        // query meets is reported as damage rather than read as garbage.
        self.conn.pragma_update(None, "cell_size_check", "ON")?;
        Ok(())
    }

    /// The cheap check of a big file: a file cut short (a copy interrupted, a full disk) holds
    /// fewer pages than SQLite records. Only judged when the write-ahead log is empty while a
    /// read transaction is held — then every page lives in the file and no checkpoint can be
    /// writing to it; with pages in the log, some may rightly be missing from the file yet.
    fn check_length(&self, shown: &str) -> Result<(), StoreError> {
        let damaged = |e: rusqlite::Error| StoreError::from(e).with_path(shown);
        let tx = self.conn.unchecked_transaction().map_err(damaged)?;
        let _: i64 = tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).map_err(damaged)?;
        let pages: u64 = tx.pragma_query_value(None, "page_count", |r| r.get(0)).map_err(damaged)?;
        let page_size: u64 = tx.pragma_query_value(None, "page_size", |r| r.get(0)).map_err(damaged)?;
        let mut wal = self.path.as_os_str().to_owned();
        wal.push("-wal");
        let wal_empty = std::fs::metadata(std::path::PathBuf::from(wal)).map_or(true, |m| m.len() == 0);
        if wal_empty {
            let len =
                std::fs::metadata(&self.path).map_err(|e| StoreError::Io(shown.to_string(), e.to_string()))?.len();
            if len < pages * page_size {
                return Err(StoreError::Corrupt(
                    shown.to_string(),
                    format!("it is shorter than its own record of its size: {len} of {} bytes", pages * page_size),
                ));
            }
        }
        Ok(())
    }

    /// Runs the full check now unless it has already passed (before a big file's first write).
    fn ensure_verified(&mut self) -> Result<(), StoreError> {
        let shown = self.path.display().to_string();
        match std::mem::replace(&mut self.verified, Verified::No) {
            Verified::Yes => {}
            Verified::No => self.check_readable(&shown)?,
            Verified::Pending(handle) => match handle.join() {
                Ok(result) => result?,
                // The checking thread could not finish: check here instead.
                Err(_) => self.check_readable(&shown)?,
            },
        }
        self.verified = Verified::Yes;
        Ok(())
    }

    /// Starts the full check of a big file on another thread with its own read-only connection,
    /// so the TUI draws its first frame at once and the first save usually finds the check done
    /// (it waits for it otherwise). Does nothing when the file is already verified or read-only.
    pub fn verify_in_background(&mut self) {
        if !matches!(self.verified, Verified::No) || self.access == Access::ReadOnly {
            return;
        }
        let path = self.path.clone();
        let spawned = std::thread::Builder::new().name("verify".into()).spawn(move || {
            let shown = path.display().to_string();
            let conn = Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
            )
            .map_err(|e| StoreError::from_sqlite(&shown, e))?;
            conn.busy_timeout(busy_timeout())?;
            quick_check(&conn, &shown)
        });
        if let Ok(handle) = spawned {
            self.verified = Verified::Pending(handle);
        }
    }

    /// Whether the whole file has passed the full check (always, for files up to
    /// [`FULL_CHECK_BYTES`]).
    pub fn is_verified(&self) -> bool {
        matches!(self.verified, Verified::Yes)
    }

    /// WAL (readers never block the writer, a killed writer leaves no hot journal) and
    /// `synchronous=FULL` (a write acknowledged to the user survives a power cut, not only a
    /// crash). Only called once the file is known to be a healthy alliance database.
    fn prepare_for_writing(&mut self) -> Result<(), StoreError> {
        let mode: String = self.conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            self.conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        Ok(())
    }

    /// Runs SQLite's `quick_check` (every page and every b-tree, about 10 ms per MB) so a
    /// truncated or corrupt file is refused here, with a clear message and unchanged, rather
    /// than failing on the first screen or half-way through a write.
    fn check_readable(&self, shown: &str) -> Result<(), StoreError> {
        quick_check(&self.conn, shown)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let current: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if current >= schema::SCHEMA_VERSION {
            return Ok(());
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(current as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The file this store reads.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether writes are refused.
    pub fn is_read_only(&self) -> bool {
        self.access == Access::ReadOnly
    }

    /// The raw connection, for read queries in this module's submodules and for tests that
    /// check the file with plain SQL. Not for front ends: every read they need is a method.
    #[cfg(feature = "test-support")]
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction, so the write lock is taken up front and a
    /// busy file waits (up to [`BUSY_TIMEOUT`]) instead of failing half-way.
    #[cfg(feature = "test-support")]
    pub fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>, &Actor) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.transaction(true, f)
    }

    /// [`Store::write`] outside tests: only the store's own writes (and the sample generator)
    /// open a transaction — front ends call the validated, audited methods.
    #[cfg(not(feature = "test-support"))]
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>, &Actor) -> Result<T, StoreError>,
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
            return Err(StoreError::ReadOnly(shown));
        }
        self.ensure_verified()?;
        // Lock timeouts, a file made read-only or damaged under us: the sentences (and exit
        // codes) of `StoreError`, not a bare "database error".
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| StoreError::from_sqlite(&shown, e))?;
        let out = f(&tx, &self.actor).map_err(|e| e.with_path(&shown))?;
        let end = if commit { tx.commit() } else { tx.rollback() };
        end.map_err(|e| StoreError::from_sqlite(&shown, e))?;
        Ok(out)
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

    /// Inserts a record (its id and stamp are assigned) with its audit row, unvalidated;
    /// returns the id. For tests that build fixtures: front ends save through the validated
    /// methods (`add_visit`, `save_contract` …).
    #[cfg(feature = "test-support")]
    pub fn insert<E: Entity>(&mut self, record: &E) -> Result<i64, StoreError> {
        self.write(|tx, actor| entity::insert(tx, record, actor))
    }

    /// Saves an edit made against `record.stamp().version`, unvalidated; refused with who
    /// changed it and when if someone saved first. For tests, as [`Store::insert`].
    #[cfg(feature = "test-support")]
    pub fn update<E: Entity>(&mut self, record: &E) -> Result<E, StoreError> {
        self.write(|tx, actor| entity::update(tx, record, actor))
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

    /// Saves a form draft for this user (overwriting the previous one for the same form).
    pub fn save_draft(&mut self, form: &str, target: &str, data: &str) -> Result<(), StoreError> {
        let user = self.actor.user().to_string();
        self.write(|tx, actor| {
            tx.execute(
                "INSERT INTO drafts(user, form, target, data, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(user, form, target) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                rusqlite::params![user, form, target, data, actor.now()],
            )?;
            Ok(())
        })
    }

    /// This user's draft for a form, if one was left.
    pub fn load_draft(&self, form: &str, target: &str) -> Result<Option<(String, String)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT data, updated_at FROM drafts WHERE user = ?1 AND form = ?2 AND target = ?3",
                rusqlite::params![self.actor.user(), form, target],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// All of this user's drafts: `(form, target, updated_at)`.
    pub fn drafts(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT form, target, updated_at FROM drafts WHERE user = ?1 ORDER BY updated_at DESC")?;
        let rows = st.query_map([self.actor.user()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Forgets a draft (after a save, or when the user discards it).
    pub fn discard_draft(&mut self, form: &str, target: &str) -> Result<(), StoreError> {
        if self.access == Access::ReadOnly {
            return Ok(());
        }
        let user = self.actor.user().to_string();
        self.write(|tx, _| {
            tx.execute(
                "DELETE FROM drafts WHERE user = ?1 AND form = ?2 AND target = ?3",
                rusqlite::params![user, form, target],
            )?;
            Ok(())
        })
    }
}

/// SQLite's `quick_check` over the whole file: a damaged file gives [`StoreError::Corrupt`].
fn quick_check(conn: &Connection, shown: &str) -> Result<(), StoreError> {
    let damaged = |e: rusqlite::Error| match e.sqlite_error_code() {
        // The header was already recognised as ours, so "not a database" now means damage.
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
            StoreError::Corrupt(shown.to_string(), first_line(&e.to_string()))
        }
        _ => StoreError::from_sqlite(shown, e),
    };
    let verdict: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0)).map_err(damaged)?;
    if verdict != "ok" {
        return Err(StoreError::Corrupt(shown.to_string(), first_line(&verdict)));
    }
    Ok(())
}

/// Recognises an alliance database from its metadata and its 100-byte header alone, before
/// SQLite opens it: a missing path, a directory, an empty or non-SQLite file, another program's
/// SQLite file and a newer alliance's file are all refused here, untouched.
pub(crate) fn recognise(path: &Path) -> Result<std::fs::Metadata, StoreError> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => StoreError::Missing(shown.clone()),
        std::io::ErrorKind::PermissionDenied => StoreError::NoPermission(shown.clone()),
        _ => StoreError::Io(shown.clone(), e.to_string()),
    })?;
    if meta.is_dir() {
        return Err(StoreError::IsDirectory(shown));
    }
    if !meta.is_file() {
        // A pipe or a device: never read from it (it could block, or never end).
        return Err(StoreError::NotSqlite(shown));
    }
    if meta.len() == 0 {
        return Err(StoreError::Empty(shown));
    }
    let mut header = Vec::with_capacity(100);
    {
        use std::io::Read;
        let f = std::fs::File::open(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied => StoreError::NoPermission(shown.clone()),
            _ => StoreError::Io(shown.clone(), e.to_string()),
        })?;
        f.take(100).read_to_end(&mut header).map_err(|e| StoreError::Io(shown.clone(), e.to_string()))?;
        if header.len() < 100 || &header[..16] != SQLITE_MAGIC {
            return Err(StoreError::NotSqlite(shown));
        }
    }
    // The header holds user_version (offset 60) and application_id (offset 68), so a
    // foreign or newer file is refused without SQLite touching it.
    let user_version = i32::from_be_bytes([header[60], header[61], header[62], header[63]]);
    let app_id = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    if app_id != schema::APPLICATION_ID {
        return Err(StoreError::NotAlliance(shown));
    }
    if i64::from(user_version) > schema::SCHEMA_VERSION {
        return Err(StoreError::Newer {
            path: shown,
            found: i64::from(user_version),
            supported: schema::SCHEMA_VERSION,
        });
    }
    Ok(meta)
}

/// Whether this process could open the file for writing (permissions, read-only mounts).
fn is_writable(path: &Path) -> bool {
    std::fs::OpenOptions::new().write(true).open(path).is_ok()
}

/// Inserts a record with its audit row inside a transaction the caller already holds (the
/// sample generator and importers batch thousands of rows into one transaction this way).
pub fn insert_in<E: Entity>(tx: &rusqlite::Transaction<'_>, record: &E, actor: &Actor) -> Result<i64, StoreError> {
    entity::insert(tx, record, actor)
}
