//! Keeping the file safe: [`Store::backup_to`] (a consistent copy while others write, through
//! SQLite's online backup API) and [`check_file`] (integrity, foreign keys, schema version,
//! journal mode, size and permissions), neither of which writes to the database.

use super::{Store, StoreError, busy_timeout, recognise, schema};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a backup copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    /// The new file.
    pub dest: PathBuf,
    /// Database pages copied.
    pub pages: i64,
    /// The new file's size in bytes.
    pub bytes: u64,
    /// How long the copy took, including the check of the copy.
    pub elapsed: Duration,
}

/// The findings of `alliance check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// The file, as given.
    pub path: String,
    /// `PRAGMA integrity_check`: `["ok"]`, or up to 20 problems.
    pub integrity: Vec<String>,
    /// `PRAGMA foreign_key_check`: one line per row pointing at a missing parent.
    pub foreign_keys: Vec<String>,
    /// Derived tables that differ from a fresh computation from the figures they summarise
    /// (`measure_trigger_points`): one sentence each; empty when in step or not checked.
    pub derived: Vec<String>,
    /// The file's schema version (`user_version`); `None` if the file is too damaged to say.
    pub schema_version: Option<i64>,
    /// The newest schema this build understands.
    pub supported_version: i64,
    /// `wal`, `delete`, …; `None` if the file is too damaged to say.
    pub journal_mode: Option<String>,
    /// Size of the main file in bytes.
    pub bytes: u64,
    /// Pages in the database, if SQLite could read that far.
    pub pages: Option<i64>,
    /// Bytes per page, if SQLite could read that far.
    pub page_size: Option<i64>,
    /// Unix permission bits (`0o600`), where the platform has them.
    pub mode: Option<u32>,
    /// Whether the file's owner is the only one who can read or write it.
    pub owner_only: bool,
    /// Whether this user may write to the file.
    pub writable: bool,
}

impl CheckReport {
    /// Whether the data itself is sound (integrity and foreign keys); permissions are advice.
    pub fn healthy(&self) -> bool {
        self.integrity == ["ok"] && self.foreign_keys.is_empty() && self.derived.is_empty()
    }
}

/// Creates `path` (which must not exist) for writing, readable by the owner only (0600 on Unix):
/// new databases, backups and exports, which all hold notes about named staff.
pub(crate) fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

/// Removes a half-made copy and any journal SQLite left beside it.
fn remove_partial(partial: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut p = partial.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

impl Store {
    /// Copies the whole database to `dest`, which must not exist, as one consistent snapshot,
    /// while other coordinators go on writing (WAL readers never block writers).
    ///
    /// The copy is made in a hidden file beside `dest`, checked with `quick_check`, synced to
    /// disk, and only then given its name (a hard link, which never replaces an existing file),
    /// so `dest` is either absent or a complete, valid alliance database readable by the owner
    /// only. The copy uses a rollback journal, so it is one self-contained file.
    pub fn backup_to(&self, dest: &Path) -> Result<BackupReport, StoreError> {
        let started = Instant::now();
        let shown = dest.display().to_string();
        if dest.symlink_metadata().is_ok() {
            return Err(StoreError::DestinationExists(shown));
        }
        let name = dest
            .file_name()
            .ok_or_else(|| StoreError::Io(shown.clone(), "that is not a file name".into()))?
            .to_string_lossy()
            .into_owned();
        let dir = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let partial = dir.join(format!(".{name}.partial-{}", std::process::id()));
        create_private(&partial).map_err(|e| StoreError::from_io(&shown, &e))?;
        let result = self.copy_into(&partial, &shown).and_then(|pages| {
            publish(&partial, dest, &shown)?;
            Ok(pages)
        });
        remove_partial(&partial);
        let pages = result?;
        let bytes = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
        Ok(BackupReport { dest: dest.to_path_buf(), pages, bytes, elapsed: started.elapsed() })
    }

    /// Copies every page into the (empty) file at `partial`, verifies it and syncs it.
    fn copy_into(&self, partial: &Path, shown: &str) -> Result<i64, StoreError> {
        let io = |e: std::io::Error| StoreError::from_io(shown, &e);
        let sql = |e: rusqlite::Error| StoreError::from_sqlite(shown, e);
        let mut dst =
            Connection::open_with_flags(partial, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(sql)?;
        let pages = {
            let backup = Backup::new(&self.conn, &mut dst).map_err(sql)?;
            let deadline = Instant::now() + busy_timeout();
            loop {
                // All pages in one step: one read transaction, so one consistent snapshot.
                match backup.step(-1).map_err(|e| StoreError::from_sqlite(&self.path.display().to_string(), e))? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    StepResult::Busy | StepResult::Locked => {
                        if Instant::now() >= deadline {
                            return Err(StoreError::Busy(self.path.display().to_string()));
                        }
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    // `StepResult` is non-exhaustive; anything new is treated as "try again".
                    _ => std::thread::sleep(Duration::from_millis(20)),
                }
            }
            backup.progress().pagecount.into()
        };
        let mode: String = dst.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0)).map_err(sql)?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(StoreError::Io(shown.to_string(), format!("the copy stayed in {mode} mode")));
        }
        let verdict: String = dst.query_row("PRAGMA quick_check(1)", [], |r| r.get(0)).map_err(sql)?;
        if verdict != "ok" {
            return Err(StoreError::Corrupt(shown.to_string(), verdict));
        }
        dst.close().map_err(|(_, e)| sql(e))?;
        std::fs::File::open(partial).and_then(|f| f.sync_all()).map_err(io)?;
        Ok(pages)
    }
}

/// Gives the finished copy its name without ever replacing a file that appeared meanwhile.
pub(super) fn publish(partial: &Path, dest: &Path, shown: &str) -> Result<(), StoreError> {
    match std::fs::hard_link(partial, dest) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(StoreError::DestinationExists(shown.to_string()));
        }
        // File systems without hard links: check, then rename (a tiny window, stated here).
        Err(_) if dest.symlink_metadata().is_err() => {
            std::fs::rename(partial, dest).map_err(|e| StoreError::from_io(shown, &e))?;
        }
        Err(_) => return Err(StoreError::DestinationExists(shown.to_string())),
    }
    if let Some(dir) = dest.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Examines an alliance file without changing it: the same header checks as [`Store::open`]
/// (so a missing, foreign or newer file is refused with its usual sentence), then SQLite's full
/// `integrity_check` and `foreign_key_check`. A damaged file is reported, not refused: that is
/// what the check is for.
///
/// The file is examined on a read-only connection, so a damaged file (or one beside another
/// file's stale `-wal`) stays byte-for-byte as it was, together with its log. Only once it is
/// found healthy, and writable, is a write-ahead log a killed writer left behind folded into
/// it, as any other command's exit does.
pub fn check_file(path: &Path) -> Result<CheckReport, StoreError> {
    let report = examine(path)?;
    if report.healthy() && report.writable {
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| StoreError::from_sqlite(&report.path, e))?;
        let _ = conn.busy_timeout(Duration::from_millis(1000));
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0));
        // A shared file keeps its (now empty) -wal and -shm in place (see `crate::share`).
        if crate::share::is_shared(&std::fs::metadata(path).map_err(|e| StoreError::from_io(&report.path, &e))?) {
            let _ = conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
        }
    }
    Ok(report)
}

fn examine(path: &Path) -> Result<CheckReport, StoreError> {
    let shown = path.display().to_string();
    let meta = recognise(path)?;
    let writable = !meta.permissions().readonly() && super::is_writable(path);
    // Decided on a read-only connection, always (see `check_file`).
    let shared = crate::share::is_shared(&meta);
    if shared {
        crate::share::shared_umask();
    }
    let ro_mount = if writable { None } else { super::read_only_mount_uri(path, super::Access::ReadOnly) };
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match ro_mount {
        Some(uri) => Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI),
        None => Connection::open_with_flags(path, flags),
    }
    .map_err(|e| StoreError::from_sqlite(&shown, e))?;
    conn.busy_timeout(busy_timeout()).map_err(|e| StoreError::from_sqlite(&shown, e))?;
    let busy = |e: &rusqlite::Error| {
        matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
    };
    let rows = |sql: &str| -> Result<Vec<String>, StoreError> {
        let run = || -> rusqlite::Result<Vec<String>> {
            let mut st = conn.prepare(sql)?;
            let n = st.column_count();
            let out = st.query_map([], |r| {
                let mut parts = Vec::with_capacity(n);
                for i in 0..n {
                    parts.push(match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Null => "null".to_string(),
                        rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                        rusqlite::types::ValueRef::Real(v) => v.to_string(),
                        rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                        rusqlite::types::ValueRef::Blob(b) => format!("<{} bytes>", b.len()),
                    });
                }
                Ok(parts.join(" "))
            })?;
            // One diagnostic may span several lines; the "*** in database main ***" banner
            // says nothing a coordinator needs.
            let rows: Vec<String> = out.collect::<rusqlite::Result<_>>()?;
            Ok(rows
                .iter()
                .flat_map(|r| r.lines())
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("***"))
                .map(str::to_string)
                .collect())
        };
        match run() {
            Ok(v) => Ok(v),
            Err(e) if busy(&e) => Err(StoreError::Busy(shown.clone())),
            // A file too damaged to walk is itself the finding.
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
                ) =>
            {
                Ok(vec![e.to_string()])
            }
            // Anything else (a -shm or -wal this account may not use, a read-only mount) is
            // about access, not damage: never call a sound file DAMAGED for it.
            Err(e) => Err(StoreError::from_sqlite(&shown, e)),
        }
    };
    let integrity = rows("PRAGMA integrity_check(20)")?;
    let foreign_keys: Vec<String> = if integrity == ["ok"] {
        rows("PRAGMA foreign_key_check")?
            .into_iter()
            .map(|r| {
                // table rowid parent fkid → "visits row 12 points at a missing contracts row"
                let f: Vec<&str> = r.split(' ').collect();
                match f.as_slice() {
                    [table, rowid, parent, _] => format!("{table} row {rowid} points at a missing {parent} row"),
                    _ => r,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let derived = if integrity == ["ok"] { derived_mismatches(&conn, &shown)? } else { Vec::new() };
    // On a damaged file even these may fail; the report then says "unknown" rather than
    // hiding the integrity findings behind an error.
    let pragma = |name: &str| -> Result<rusqlite::types::Value, StoreError> {
        match conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0)) {
            Ok(v) => Ok(v),
            Err(e) if busy(&e) => Err(StoreError::Busy(shown.clone())),
            Err(_) => Ok(rusqlite::types::Value::Null),
        }
    };
    let int = |v: rusqlite::types::Value| if let rusqlite::types::Value::Integer(i) = v { Some(i) } else { None };
    let schema_version = int(pragma("user_version")?);
    let journal_mode = match pragma("journal_mode")? {
        rusqlite::types::Value::Text(t) => Some(t),
        _ => None,
    };
    let pages = int(pragma("page_count")?);
    let page_size = int(pragma("page_size")?);
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        Some(meta.permissions().mode() & 0o7777)
    };
    #[cfg(not(unix))]
    let mode: Option<u32> = None;
    Ok(CheckReport {
        path: shown,
        integrity,
        foreign_keys,
        derived,
        schema_version,
        supported_version: schema::SCHEMA_VERSION,
        journal_mode,
        bytes: meta.len(),
        pages,
        page_size,
        mode,
        owner_only: mode.is_none_or(|m| m & 0o077 == 0),
        writable,
    })
}

/// Compares `measure_trigger_points` (what `status` and the dashboard read) with the same rows
/// computed afresh from `measures`; a file from before the table existed has nothing to compare.
fn derived_mismatches(conn: &Connection, shown: &str) -> Result<Vec<String>, StoreError> {
    let err = |e| StoreError::from_sqlite(shown, e);
    let has_table: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'measure_trigger_points'",
            [],
            |r| r.get::<_, i64>(0).map(|n| n > 0),
        )
        .map_err(err)?;
    if !has_table {
        return Ok(Vec::new());
    }
    let stored = "SELECT school_id, measure, year, value, status, prior_year, prior_value, prior_status, series_la
                  FROM measure_trigger_points";
    let fresh = schema::TRIGGER_POINTS_FRESH;
    let count = |sql: String| conn.query_row(&sql, [], |r| r.get::<_, i64>(0)).map_err(err);
    let missing = count(format!("SELECT count(*) FROM ({fresh} EXCEPT {stored})"))?;
    let extra = count(format!("SELECT count(*) FROM ({stored} EXCEPT {fresh})"))?;
    Ok(if missing + extra == 0 {
        Vec::new()
    } else {
        vec![format!(
            "measure_trigger_points is out of step with measures: {missing} figure(s) missing or different, \
             {extra} not in the stored figures"
        )]
    })
}

/// What `alliance restore` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    /// The live file, now holding the backup's data.
    pub live: PathBuf,
    /// Where the state it replaced is kept (`FILE.before-restore-YYYYMMDD-HHMMSS`), or `None`
    /// when there was no file to replace.
    pub kept: Option<PathBuf>,
    /// Whether the replaced state was damaged (then `kept` is its exact bytes, with its
    /// `-wal` beside it as `kept-wal` if it had one).
    pub kept_damaged: bool,
    /// Pages copied from the backup.
    pub pages: i64,
    /// The file's new generation id.
    pub generation: String,
}

/// Restores `backup` into the live file `live` through SQLite's online backup API, so a
/// coordinator who has it open sees the restored data at their next read rather than writing
/// into a file that was swapped under them.
///
/// The backup is checked in full first (a damaged or foreign backup is refused and nothing is
/// changed). The state being replaced is kept beside the file as
/// `FILE.before-restore-YYYYMMDD-HHMMSS`, readable by the owner only: a consistent copy of a
/// healthy file, or the exact bytes of a damaged one (with its `-wal`). Then the restore is
/// audited and the file gets a new generation id, so copies taken earlier can tell.
pub fn restore_file(live: &Path, backup: &Path, actor: super::Actor) -> Result<RestoreReport, StoreError> {
    let live_shown = live.display().to_string();
    let backup_shown = backup.display().to_string();
    let backup_meta = recognise(backup)?;
    if let Ok(live_meta) = std::fs::metadata(live)
        && same_file(&backup_meta, &live_meta)
    {
        return Err(StoreError::Io(backup_shown, "that is the live file itself — give a backup copy".into()));
    }
    let (mut source, _) = Store::judge(backup, &backup_meta, super::Access::ReadOnly, actor.clone())?;
    source.ensure_verified()?;

    // Keep what is being replaced.
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    let (kept, kept_damaged) = match recognise(live) {
        Err(StoreError::Missing(_)) => (None, false),
        Err(e) => return Err(e),
        Ok(meta) => {
            let kept = free_name(live, &stamp);
            match Store::judge(live, &meta, super::Access::ReadOnly, actor.clone()) {
                Ok((current, _)) => {
                    // Replacing the whole file is the admin's (issue #16's roles): asked of the
                    // one write path with a change to the settings that is rolled back.
                    drop(current);
                    let mut gate = Store::open(live, super::Access::ReadWrite)?;
                    gate.actor = actor.clone();
                    gate.transaction(false, |tx, _| {
                        tx.execute("UPDATE settings SET value = value WHERE key = ?1", [super::GENERATION_KEY])?;
                        Ok(())
                    })?;
                    gate.backup_to(&kept)?;
                    drop(gate);
                    (Some(kept), false)
                }
                Err(StoreError::Corrupt(..)) => {
                    copy_private(live, &kept)?;
                    let wal = super::side_file(live, "-wal");
                    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                        copy_private(&wal, &super::side_file(&kept, "-wal"))?;
                    }
                    (Some(kept), true)
                }
                Err(e) => return Err(e),
            }
        }
    };

    let pages = if kept.is_none() { source.backup_to(live)?.pages } else { copy_pages(&source, live, &live_shown)? };
    drop(source);

    let mut store = Store::open(live, super::Access::ReadWrite)?;
    store.actor = actor;
    let from = backup_shown.clone();
    let kept_shown = kept.as_ref().map(|k| k.display().to_string());
    let generation = store.write(|tx, actor| {
        let old: Option<String> =
            tx.query_row("SELECT value FROM settings WHERE key = ?1", [super::GENERATION_KEY], |r| r.get(0)).ok();
        let new: String = tx.query_row("SELECT lower(hex(randomblob(16)))", [], |r| r.get(0))?;
        tx.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [super::GENERATION_KEY, new.as_str()],
        )?;
        let before = serde_json::json!({ "generation": old });
        let after = serde_json::json!({ "generation": new, "restored_from": from, "kept_as": kept_shown });
        super::audit::write(tx, actor, "settings", 0, "update", Some(&before), Some(&after))?;
        Ok(new)
    })?;
    Ok(RestoreReport { live: live.to_path_buf(), kept, kept_damaged, pages, generation })
}

/// Copies every page of `source` over the live file, in one write transaction of the live
/// file (others' reads see the old data or the new, never a mix).
fn copy_pages(source: &Store, live: &Path, shown: &str) -> Result<i64, StoreError> {
    let sql = |e: rusqlite::Error| StoreError::from_sqlite(shown, e);
    let mut dst =
        Connection::open_with_flags(live, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(sql)?;
    dst.busy_timeout(busy_timeout()).map_err(sql)?;
    let backup = Backup::new(&source.conn, &mut dst).map_err(sql)?;
    let deadline = Instant::now() + busy_timeout();
    loop {
        match backup.step(-1).map_err(sql)? {
            StepResult::Done => break,
            StepResult::More => {}
            StepResult::Busy | StepResult::Locked => {
                if Instant::now() >= deadline {
                    return Err(StoreError::Busy(shown.to_string()));
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    Ok(backup.progress().pagecount.into())
}

/// `FILE.before-restore-STAMP`, or `…-2`, `…-3` when a restore in the same second took it.
fn free_name(live: &Path, stamp: &str) -> PathBuf {
    let base = format!("{}.before-restore-{stamp}", live.display());
    let mut n = 1;
    loop {
        let candidate = if n == 1 { PathBuf::from(&base) } else { PathBuf::from(format!("{base}-{n}")) };
        if candidate.symlink_metadata().is_err() && super::side_file(&candidate, "-wal").symlink_metadata().is_err() {
            return candidate;
        }
        n += 1;
    }
}

/// Copies a file's exact bytes into a new owner-only file, synced to disk.
fn copy_private(from: &Path, to: &Path) -> Result<(), StoreError> {
    let io = |e: std::io::Error| StoreError::from_io(&to.display().to_string(), &e);
    let mut src = std::fs::File::open(from).map_err(|e| StoreError::Io(from.display().to_string(), e.to_string()))?;
    let mut dst = create_private(to).map_err(io)?;
    std::io::copy(&mut src, &mut dst).map_err(io)?;
    dst.sync_all().map_err(io)
}

/// Whether two paths are the same file (device and inode).
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}
