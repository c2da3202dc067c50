//! Opening a file safely: recognising it before SQLite touches it, judging a file with a
//! write-ahead log beside it on a read-only connection, verifying it (at once or before the
//! first write), migrating it with a backup first, and creating a new one under a temporary name.

use super::{
    Access, Actor, FULL_CHECK_BYTES, GENERATION_KEY, Replacement, Store, StoreError, Verified, busy_timeout,
    create_private, first_line, maintenance, read_only_mount_uri, schema,
};
use crate::domain::settings::Settings;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};

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
    ///
    /// On an away copy, changes are made in the name of the person who took it (and under
    /// their role): that is who the server records when they are sent.
    pub fn open(path: &Path, want: Access) -> Result<Store, StoreError> {
        let mut store = Store::open_file(path, want)?;
        if let Some(copy) = store.away_copy().map_err(|e| e.with_path(&path.display().to_string()))? {
            store.actor.by = copy.person;
            store.actor.account = Some(copy.account);
        }
        Ok(store)
    }

    pub(super) fn open_file(path: &Path, want: Access) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        let meta = recognise(path)?;
        let writable = !meta.permissions().readonly() && is_writable(path);
        let access = if writable { want } else { Access::ReadOnly };
        // Decide before writing: closing a read-write connection checkpoints whatever
        // write-ahead log lies beside the file into it, so while a log with pages is there (a
        // killed writer's, or another file's stale log after a `cp` or `mv` over this one) the
        // file is judged on a read-only connection, which reads the log but never writes the
        // file or the log. Without one there is nothing a close could fold in, and a
        // read-write judge leaves no side files behind a refused file.
        let wal_has_pages = std::fs::metadata(side_file(path, "-wal")).is_ok_and(|m| m.len() > 0);
        let judge_access = if wal_has_pages { Access::ReadOnly } else { access };
        let (judge, user_version) = match Store::judge(path, &meta, judge_access, Actor::current()) {
            Ok(j) => j,
            // A rollback journal left by a killed writer of a non-WAL file can only be rolled
            // back by a writer, which is SQLite's own recovery: judge on a writer then.
            Err(StoreError::ReadOnly(_)) if access == Access::ReadWrite => {
                Store::judge(path, &meta, Access::ReadWrite, Actor::current())?
            }
            Err(e) => return Err(e),
        };
        if user_version > schema::SCHEMA_VERSION {
            return Err(StoreError::Newer { path: shown, found: user_version, supported: schema::SCHEMA_VERSION });
        }
        if access == Access::ReadOnly || judge.access == Access::ReadWrite {
            if access == Access::ReadOnly && user_version < schema::SCHEMA_VERSION {
                return Err(StoreError::NeedsUpgrade(shown));
            }
            let mut store = judge;
            if access == Access::ReadWrite {
                store.prepare_for_writing().map_err(|e| e.with_path(&shown))?;
                store.migrate().map_err(|e| e.with_path(&shown))?;
            }
            return Ok(store);
        }
        // Only now, the file recognised and judged sound, is a writer opened.
        let mut judge = judge;
        let mut store = Store::another_connection(path, Access::ReadWrite, Actor::current())?;
        store.verified = std::mem::replace(&mut judge.verified, Verified::No);
        drop(judge);
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
        Ok(store)
    }

    /// Opens a connection with `access` (read-only whenever a log with pages lies beside the file) and runs the checks that decide whether the file may be
    /// used: the full check for a file up to [`FULL_CHECK_BYTES`] *or one with pages in its
    /// write-ahead log* (a log left by a killed writer, or another file's log after a copy or
    /// a `mv` — the case where a writer's checkpoint would do harm), else the length check.
    /// Returns the connection and the schema version SQLite sees (the header lags behind the
    /// log while another connection has the file open).
    pub(super) fn judge(
        path: &Path,
        meta: &std::fs::Metadata,
        access: Access,
        actor: Actor,
    ) -> Result<(Store, i64), StoreError> {
        let shown = path.display().to_string();
        let mut store = Store::another_connection(path, access, actor)?;
        let wal_has_pages = std::fs::metadata(side_file(path, "-wal")).is_ok_and(|m| m.len() > 0);
        let verdict = if meta.len() <= FULL_CHECK_BYTES || wal_has_pages {
            store.check_readable(&shown).map(|()| store.verified = Verified::Yes)
        } else {
            store.check_length(&shown)
        }
        .and_then(|()| store.user_version());
        match verdict {
            Ok(user_version) => Ok((store, user_version)),
            Err(e) => {
                // A refused file gets no closing checkpoint.
                store.detached = true;
                Err(e)
            }
        }
    }

    /// `PRAGMA user_version`: the schema version of the file as SQLite sees it.
    pub(super) fn user_version(&self) -> Result<i64, StoreError> {
        let shown = self.path.display().to_string();
        self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| StoreError::from_sqlite(&shown, e))
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
        // A stat, not an open: this process's POSIX locks on the file are safe (see `reader`).
        let shared = std::fs::metadata(path).is_ok_and(|m| crate::share::is_shared(&m));
        if shared {
            // Whatever SQLite creates beside a shared file must be the group's too.
            crate::share::shared_umask();
        }
        let conn = match read_only_mount_uri(path, access) {
            Some(uri) => Connection::open_with_flags(uri, flags),
            None => Connection::open_with_flags(path, flags),
        }
        .map_err(|e| StoreError::from_sqlite(&shown, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            access,
            verified: Verified::No,
            detached: false,
            identity: None,
            wal_identity: None,
            why_detached: None,
            touched: Default::default(),
            shared,
            actor,
        };
        if shared {
            store.keep_sidecars_on_close()?;
        }
        store.configure().map_err(|e| e.with_path(&shown))?;
        store.identity = file_id(path);
        Ok(store)
    }

    /// Checks that the path still names the file this store has open, and its `-wal` the log
    /// SQLite is writing: a file moved or copied over the path, or a `-wal` deleted, under a
    /// running program would otherwise take every later write into an unlinked file — saved
    /// as far as anyone can tell, and gone. Once it has happened the store refuses every
    /// write ([`StoreError::Replaced`]) and skips its closing checkpoint.
    pub fn check_file_identity(&mut self) -> Result<(), StoreError> {
        let shown = self.path.display().to_string();
        if let Some(how) = self.why_detached.clone() {
            return Err(StoreError::Replaced { path: shown, how });
        }
        let Some(opened) = self.identity else { return Ok(()) };
        let what = match file_id(&self.path) {
            None => Some(Replacement::MovedOrDeleted),
            Some(now) if now != opened => Some(Replacement::CopiedOver),
            Some(_) => {
                let wal = side_file(&self.path, "-wal");
                match (file_id(&wal), self.wal_identity) {
                    (Some(now), None) => {
                        self.wal_identity = Some(now);
                        None
                    }
                    (Some(now), Some(seen)) if now != seen => Some(Replacement::LogReplaced(wal)),
                    (None, Some(_)) => Some(Replacement::LogDeleted(wal)),
                    _ => None,
                }
            }
        };
        match what {
            Some(how) => {
                self.detached = true;
                self.why_detached = Some(how.clone());
                Err(StoreError::Replaced { path: shown, how })
            }
            None => Ok(()),
        }
    }

    /// Whether the file was found replaced under this store (see
    /// [`Store::check_file_identity`]).
    pub fn is_detached(&self) -> bool {
        self.detached
    }

    /// Creates a new, empty alliance database at `path` (which must not exist yet), readable
    /// by the owner only. The file appears complete or not at all (see [`Store::create_with`]).
    pub fn create(path: &Path, alliance_name: &str) -> Result<Store, StoreError> {
        Store::create_with(path, alliance_name, |_| Ok(()))?;
        let mut store = Store::open(path, Access::ReadWrite)?;
        store.verified = Verified::Yes;
        Ok(store)
    }

    /// Creates a new alliance database at `path` (which must not exist yet) and lets `fill`
    /// write its first records. The file is built under a hidden name in the same directory
    /// and only given its name once `fill` has finished and every connection to it is closed,
    /// so an interrupted `init` or `sample` (a full disk, Ctrl-C, a kill) never leaves a
    /// valid-looking half-made database that later commands would refuse to overwrite. The
    /// name is given with a hard link, which never replaces a file that appeared meanwhile.
    pub fn create_with<T>(
        path: &Path,
        alliance_name: &str,
        fill: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let shown = path.display().to_string();
        if path.symlink_metadata().is_ok() {
            return Err(StoreError::Exists(shown));
        }
        let name = path
            .file_name()
            .ok_or_else(|| StoreError::Io(shown.clone(), "that is not a file name".into()))?
            .to_string_lossy()
            .into_owned();
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let partial = dir.join(format!(".{name}.partial-{}", std::process::id()));
        create_private(&partial).map_err(|e| StoreError::from_io(&shown, &e))?;
        let built = Store::build(&partial, alliance_name).and_then(|mut store| {
            let out = fill(&mut store)?;
            // Closing the only connection folds the log in and removes it: one file to link.
            drop(store);
            Ok(out)
        });
        let result = built.and_then(|out| {
            maintenance::publish(&partial, path, &shown).map_err(|e| match e {
                StoreError::DestinationExists(p) => StoreError::Exists(p),
                other => other,
            })?;
            Ok(out)
        });
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(side_file(&partial, suffix));
        }
        result.map_err(|e| e.with_path(&shown))
    }

    /// Makes the schema and the settings in a new (empty) file.
    pub(super) fn build(path: &Path, alliance_name: &str) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
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
            detached: false,
            identity: None,
            wal_identity: None,
            why_detached: None,
            touched: Default::default(),
            shared: false,
            actor: Actor::current(),
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

    /// Sets the file's generation id (see [`Store::generation`]) — for generated files that
    /// must come out byte-for-byte the same from the same seed (the sample).
    pub fn set_generation(&mut self, id: &str) -> Result<(), StoreError> {
        self.write(|tx, _| {
            tx.execute(
                "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [GENERATION_KEY, id],
            )?;
            Ok(())
        })
    }

    /// Connection settings that write nothing to the file.
    pub(super) fn configure(&mut self) -> Result<(), StoreError> {
        self.conn.busy_timeout(busy_timeout())?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        // Every page read is checked for overlapping or oversized cells, so a damaged page a
        // query meets is reported as damage rather than read as garbage.
        self.conn.pragma_update(None, "cell_size_check", "ON")?;
        // Every row any statement changes names its table here, so the role check sees every
        // table a write touched, however the write was made.
        let touched = std::sync::Arc::clone(&self.touched);
        self.conn.update_hook(Some(move |_: rusqlite::hooks::Action, _: &str, table: &str, _: i64| {
            let mut set = touched.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if !set.contains(table) {
                set.insert(table.to_string());
            }
        }));
        Ok(())
    }

    /// The cheap check of a big file: a file cut short (a copy interrupted, a full disk) holds
    /// fewer pages than SQLite records. Only judged when the write-ahead log is empty while a
    /// read transaction is held — then every page lives in the file and no checkpoint can be
    /// writing to it; with pages in the log, some may rightly be missing from the file yet.
    pub(super) fn check_length(&self, shown: &str) -> Result<(), StoreError> {
        let damaged = |e: rusqlite::Error| StoreError::from(e).with_path(shown);
        let tx = self.conn.unchecked_transaction().map_err(damaged)?;
        let _: i64 = tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).map_err(damaged)?;
        let pages: u64 = tx.pragma_query_value(None, "page_count", |r| r.get(0)).map_err(damaged)?;
        let page_size: u64 = tx.pragma_query_value(None, "page_size", |r| r.get(0)).map_err(damaged)?;
        let wal_empty = std::fs::metadata(side_file(&self.path, "-wal")).map_or(true, |m| m.len() == 0);
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
    pub(super) fn ensure_verified(&mut self) -> Result<(), StoreError> {
        let shown = self.path.display().to_string();
        match std::mem::replace(&mut self.verified, Verified::No) {
            Verified::Yes => {}
            Verified::No => self.check_readable(&shown)?,
            Verified::Pending(handle, _) => match handle.join() {
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
        let shown = self.path.display().to_string();
        let Ok(conn) = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        ) else {
            return;
        };
        let interrupt = conn.get_interrupt_handle();
        let spawned = std::thread::Builder::new().name("verify".into()).spawn(move || {
            conn.busy_timeout(busy_timeout())?;
            quick_check(&conn, &shown)
        });
        if let Ok(handle) = spawned {
            self.verified = Verified::Pending(handle, interrupt);
        }
    }

    /// A handle that stops a statement this connection is running, from another thread (the
    /// app stops its reader thread's read this way when it closes).
    pub fn interrupt_handle(&self) -> rusqlite::InterruptHandle {
        self.conn.get_interrupt_handle()
    }

    /// Whether the whole file has passed the full check (always, for files up to
    /// [`FULL_CHECK_BYTES`]).
    pub fn is_verified(&self) -> bool {
        matches!(self.verified, Verified::Yes)
    }

    /// Closing this connection leaves `-wal` and `-shm` in place (SQLite would otherwise delete
    /// them as the last connection closes, and a read-only member could not open the file
    /// until a writer came back). The `-wal` is emptied when this store is dropped.
    pub(super) fn keep_sidecars_on_close(&mut self) -> Result<(), StoreError> {
        self.conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        Ok(())
    }

    /// Creates the `-wal` and `-shm` of a shared file now (a read makes SQLite create them),
    /// leaves the `-wal` empty, and keeps both in place after this store closes.
    pub fn keep_sidecars(&self) -> Result<(), StoreError> {
        self.conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        let _: i64 = self.conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if self.access == Access::ReadWrite {
            self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    /// Whether the file is shared with its group (deployment A).
    pub fn is_shared(&self) -> bool {
        self.shared
    }

    /// WAL (readers never block the writer, a killed writer leaves no hot journal) and
    /// `synchronous=FULL` (a write acknowledged to the user survives a power cut, not only a
    /// crash). Only called once the file is known to be a healthy alliance database.
    pub(super) fn prepare_for_writing(&mut self) -> Result<(), StoreError> {
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
    pub(super) fn check_readable(&self, shown: &str) -> Result<(), StoreError> {
        quick_check(&self.conn, shown)
    }

    pub(super) fn migrate(&mut self) -> Result<(), StoreError> {
        let current: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if current >= schema::SCHEMA_VERSION {
            return Ok(());
        }
        if current > 0 {
            // A file with data is copied before its schema changes (a migration may rebuild a
            // table): `NAME.schema-vN.bak` beside it, never replacing an older copy.
            self.backup_to(&self.migration_backup_path(current))?;
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(current as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Where the copy made before migrating from schema `version` goes: `NAME.schema-vN.bak`
    /// beside the file, or `NAME.schema-vN.2.bak` … when that exists already.
    pub fn migration_backup_path(&self, version: i64) -> PathBuf {
        let name = self.path.file_name().map_or_else(|| "alliance.db".into(), |n| n.to_string_lossy().into_owned());
        let dir = self.path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut candidate = dir.join(format!("{name}.schema-v{version}.bak"));
        let mut n = 2;
        while candidate.symlink_metadata().is_ok() {
            candidate = dir.join(format!("{name}.schema-v{version}.{n}.bak"));
            n += 1;
        }
        candidate
    }
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// SQLite's `quick_check` over the whole file: a damaged file gives [`StoreError::Corrupt`].
pub(super) fn quick_check(conn: &Connection, shown: &str) -> Result<(), StoreError> {
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

/// Device and inode: which file a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FileId(u64, u64);

pub(super) fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| FileId(m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// `FILE-wal`, `FILE-shm`, `FILE-journal`: SQLite's side files of a database.
pub(crate) fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// Whether this process could open the file for writing (permissions, read-only mounts).
pub(super) fn is_writable(path: &Path) -> bool {
    std::fs::OpenOptions::new().write(true).open(path).is_ok()
}
