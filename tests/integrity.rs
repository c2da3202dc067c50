//! "Nothing acknowledged is ever lost" (issue #11): every exit path leaves the file
//! self-contained (no `-wal` with content once the last alliance process has gone), a refused
//! or damaged file stays byte-for-byte as it was together with its `-wal`, `alliance restore`
//! puts a backup back while others have the file open, and `init`/`sample` never leave a
//! half-made file under the name asked for.

mod common;
#[path = "support/stress.rs"]
mod stress;

use alliance::domain::{Activity, Contract, Visit};
use alliance::store::{Access, Actor, Store, StoreError};
use alliance::tui::App;
use alliance::tui::theme::{ColorDepth, Theme};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_alliance"))
}

fn sample_copy(dir: &Path, name: &str) -> PathBuf {
    let db = dir.join(name);
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    db
}

fn alliance(db: &Path, args: &[&str]) -> Output {
    stress::alliance(&bin()).arg("--db").arg(db).args(args).output().expect("run alliance")
}

fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// The length of `FILE-wal`, 0 when there is none.
fn wal_len(db: &Path) -> u64 {
    std::fs::metadata(side(db, "-wal")).map_or(0, |m| m.len())
}

/// Copies the main file alone (what `cp a.db` or `scp` takes) and counts visits with `note`
/// in the copy, read as a plain file with nothing beside it.
fn visits_in_a_copy(db: &Path, note: &str) -> i64 {
    let dir = common::tmp();
    let copy = dir.path().join("copy.db");
    std::fs::copy(db, &copy).expect("cp");
    let c = Connection::open_with_flags(
        format!("file:{}?immutable=1", copy.display()),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
    )
    .expect("open copy");
    c.query_row("SELECT count(*) FROM visits WHERE notes = ?1", [note], |r| r.get(0)).expect("count")
}

fn log_visit(db: &Path, note: &str) -> i64 {
    let contract = stress::active_contracts(db)[0];
    let (ack, _) = stress::log_one(&bin(), db, contract, note).expect("log-visit acknowledged");
    ack.id
}

// ------------------------------------------------------------------ 1: every exit path

/// Item 1: the TUI's background reader used to outlive the main connection, so the last
/// close never checkpointed and an acknowledged visit lived only in `-wal`.
#[test]
fn quitting_the_tui_after_another_writer_leaves_the_write_in_the_file() {
    let dir = common::tmp();
    let db = sample_copy(dir.path(), "a.db");
    let mut store = Store::open(&db, Access::ReadWrite).expect("open");
    store.actor = Actor::fixed("ann", "2026-11-23T10:00:00Z");
    let mut app = App::new(store, common::d(common::TODAY), Theme::fallback(ColorDepth::None)).expect("app");
    app.reload_in_background();
    log_visit(&db, "logged while the TUI was open");
    // The TUI notices and reloads on its reader thread, as the event loop does.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !app.poll() && !app.take_background_reload() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(app);
    assert_eq!(wal_len(&db), 0, "no -wal with content once the TUI has gone");
    assert_eq!(visits_in_a_copy(&db, "logged while the TUI was open"), 1, "cp of the file alone has the visit");
}

/// Item 1: a command that ends while another program keeps the file open still leaves its
/// acknowledged write in the main file, so a copy taken then has it.
#[test]
fn a_write_acknowledged_while_another_has_the_file_open_is_in_the_file() {
    let dir = common::tmp();
    let db = sample_copy(dir.path(), "a.db");
    let other = Connection::open(&db).expect("another program");
    let _: i64 = other.query_row("SELECT count(*) FROM schools", [], |r| r.get(0)).expect("read");
    log_visit(&db, "while another had it open");
    assert_eq!(wal_len(&db), 0, "the writer folded its change in as it ended");
    assert_eq!(visits_in_a_copy(&db, "while another had it open"), 1);
    drop(other);
}

/// Writes `sql` on a connection that never checkpoints and returns the `-wal` bytes as a
/// SIGKILL would leave them (every committed frame, nothing folded in).
fn killed_writer_log(db: &Path, sql: &str) -> Vec<u8> {
    let c = Connection::open(db).expect("writer");
    c.pragma_update(None, "wal_autocheckpoint", 0).expect("no autocheckpoint");
    c.execute_batch(sql).expect("write");
    let wal = std::fs::read(side(db, "-wal")).expect("the log");
    assert!(!wal.is_empty());
    // Closing checkpoints; put the killed writer's state back in place of what it left.
    c.close().expect("close");
    wal
}

/// Item 1: after a writer was killed, the next command folds its log back into the file.
#[test]
fn after_a_kill_the_next_command_folds_the_log_back() {
    let dir = common::tmp();
    let db = sample_copy(dir.path(), "a.db");
    let base = common::bytes(&db);
    let wal = killed_writer_log(&db, "UPDATE schools SET notes = 'written before the kill' WHERE id = 1;");
    std::fs::write(&db, &base).expect("file as the kill left it");
    std::fs::write(side(&db, "-wal"), &wal).expect("log as the kill left it");
    let out = alliance(&db, &["status"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(wal_len(&db), 0);
    let c = Connection::open_with_flags(
        format!("file:{}?immutable=1", db.display()),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
    )
    .expect("open");
    let notes: String = c.query_row("SELECT notes FROM schools WHERE id = 1", [], |r| r.get(0)).expect("row");
    assert_eq!(notes, "written before the kill");
}

// ------------------------------------------------------------------ 2: decide read-only

/// A backup taken at T0 of `live`, then `live` grows (checkpointed) and changes again (left in
/// its log): the backup with that stale log beside it is what `cp backup live` leaves after a
/// crash. Returns (the restored-over file, its stale log bytes).
pub fn backup_with_a_stale_log(dir: &Path) -> (PathBuf, Vec<u8>) {
    let live = sample_copy(dir, "live.db");
    let backup = dir.join("old-backup.db");
    std::fs::copy(&live, &backup).expect("backup at T0");
    {
        let c = Connection::open(&live).expect("writer");
        c.execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
             INSERT INTO drafts(user, form, target, data, updated_at)
             SELECT 'x', 'school', 'id-' || i, hex(randomblob(200)), '2026-11-23' FROM n;
             PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .expect("batch A, folded in");
    }
    let wal = killed_writer_log(
        &live,
        "UPDATE drafts SET data = 'changed' WHERE target = 'id-1500';
         INSERT INTO drafts VALUES ('y', 'f', 't', hex(randomblob(3000)), '2026-11-23');",
    );
    let target = dir.join("a.db");
    std::fs::copy(&backup, &target).expect("restore by cp");
    std::fs::write(side(&target, "-wal"), &wal).expect("the stale log beside it");
    (target, wal)
}

/// Item 2: `status`, `check`, `log-visit` and the TUI's open all decide on a read-only
/// connection, so the damaged view is refused and neither the file nor its log changes.
#[test]
fn a_refused_file_and_its_stale_log_stay_byte_for_byte() {
    let dir = common::tmp();
    let (db, wal) = backup_with_a_stale_log(dir.path());
    let before = common::bytes(&db);
    for args in [
        &["status"][..],
        &["check"],
        &["backup", "b.db"],
        &["log-visit", "--contract", "1", "--days", "1", "--activity", "coaching"],
    ] {
        let out = alliance(&db, args);
        assert_eq!(out.status.code(), Some(5), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(common::bytes(&db) == before, "{args:?} changed the file");
        assert!(std::fs::read(side(&db, "-wal")).expect("log") == wal, "{args:?} changed its -wal");
    }
    let err = Store::open(&db, Access::ReadWrite).expect_err("refused");
    assert!(matches!(err, StoreError::Corrupt(..)), "{err}");
    assert!(err.to_string().contains("restore BACKUP"), "the advice names the command: {err}");
    assert!(common::bytes(&db) == before);
    assert!(std::fs::read(side(&db, "-wal")).expect("log") == wal);
}

// ------------------------------------------------------------------ 2: restore

fn generation(db: &Path) -> String {
    let c = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    c.query_row("SELECT value FROM settings WHERE key = 'generation'", [], |r| r.get(0)).expect("generation")
}

fn kept_file(dir: &Path, stem: &str) -> PathBuf {
    let kept: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy().into_owned();
            name.starts_with(&format!("{stem}.before-restore-")) && !name.ends_with("-wal") && !name.ends_with("-shm")
        })
        .collect();
    assert_eq!(kept.len(), 1, "one kept state: {kept:?}");
    kept[0].clone()
}

/// Item 2: `alliance restore` puts a backup back while a TUI has the file open, keeps what it
/// replaced (0600, named in the message), audits it and gives the file a new generation id.
#[test]
fn restore_puts_a_backup_back_and_keeps_what_it_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let dir = common::tmp();
    let db = sample_copy(dir.path(), "a.db");
    let backup = dir.path().join("monday.db");
    let out = alliance(&db, &["backup", backup.to_str().expect("utf-8")]);
    assert!(out.status.success());
    let first_generation = generation(&db);
    // Someone has the file open in the TUI throughout.
    let mut store = Store::open(&db, Access::ReadWrite).expect("open");
    store.actor = Actor::fixed("ann", "2026-11-23T10:00:00Z");
    let mut app = App::new(store, common::d(common::TODAY), Theme::fallback(ColorDepth::None)).expect("app");
    log_visit(&db, "after the backup");

    let out = alliance(&db, &["restore", backup.to_str().expect("utf-8")]);
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let kept = kept_file(dir.path(), "a.db");
    assert!(said.contains(&kept.display().to_string()), "names the kept file: {said}");
    assert_eq!(std::fs::metadata(&kept).expect("kept").permissions().mode() & 0o777, 0o600);
    let count = |p: &Path| -> i64 {
        let c = Connection::open_with_flags(p, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
        c.query_row("SELECT count(*) FROM visits WHERE notes = 'after the backup'", [], |r| r.get(0)).expect("n")
    };
    assert_eq!(count(&kept), 1, "the replaced state kept the visit");
    assert_eq!(count(&db), 0, "the file is the backup again");
    assert_ne!(generation(&db), first_generation, "a new generation id");
    let c = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    let audited: String = c
        .query_row("SELECT after FROM audit WHERE entity = 'settings' ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .expect("audit row");
    assert!(audited.contains("monday.db") && audited.contains("before-restore"), "{audited}");
    drop(c);
    // The open TUI sees the restored data as a change made by someone else.
    assert!(app.check_for_changes(), "the open TUI notices the restore");
    drop(app);
    assert_eq!(count(&db), 0);
    assert_eq!(wal_len(&db), 0);
}

/// Item 2: a damaged live file (here: a stale log beside a copied-back backup) can be
/// restored over; its exact bytes and its log are kept.
#[test]
fn restore_over_a_damaged_file_keeps_its_exact_bytes_and_log() {
    let dir = common::tmp();
    let (db, wal) = backup_with_a_stale_log(dir.path());
    let before = common::bytes(&db);
    let good = sample_copy(dir.path(), "good.db");
    let out = alliance(&db, &["restore", good.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let kept = kept_file(dir.path(), "a.db");
    assert!(common::bytes(&kept) == before, "the damaged bytes are kept exactly");
    assert!(std::fs::read(side(&kept, "-wal")).expect("kept log") == wal, "with its log");
    let out = alliance(&db, &["status"]);
    assert!(out.status.success(), "the restored file works: {}", String::from_utf8_lossy(&out.stderr));
}

/// Item 2: a damaged backup is refused before anything changes.
#[test]
fn restore_refuses_a_damaged_backup_and_changes_nothing() {
    let dir = common::tmp();
    let db = sample_copy(dir.path(), "a.db");
    let before = common::bytes(&db);
    let (bad, _) = {
        let sub = dir.path().join("bad");
        std::fs::create_dir(&sub).expect("mkdir");
        backup_with_a_stale_log(&sub)
    };
    let out = alliance(&db, &["restore", bad.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(5), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(common::bytes(&db) == before);
    assert_eq!(common::listing(dir.path()), vec!["a.db".to_string(), "bad".to_string()]);
}

// ------------------------------------------------------------------ 5: atomic init/sample

/// Item 5: a sample killed half-way leaves nothing under the name asked for, so running it
/// again works.
#[test]
fn an_interrupted_sample_leaves_no_file_under_its_name() {
    let dir = common::tmp();
    let out = dir.path().join("big.db");
    let mut child = stress::alliance(&bin())
        .args(["sample", "--scale", "national", "--schools", "20000", "--out"])
        .arg(&out)
        .spawn()
        .expect("spawn sample");
    // Wait until the file is being written (under some name), then kill the generator.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let started = common::listing(dir.path()).iter().any(|n| n.contains("big.db"));
        if started || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    let _ = child.kill();
    let _ = child.wait();
    assert!(!out.exists(), "no half-made file under the name asked for");
    let out2 = stress::alliance(&bin()).arg("init").arg(&out).output().expect("init");
    assert!(out2.status.success(), "{}", String::from_utf8_lossy(&out2.stderr));
}

/// Item 5: a creation whose filling fails leaves nothing behind at all.
#[test]
fn a_failed_creation_leaves_nothing_behind() {
    let dir = common::tmp();
    let path = dir.path().join("new.db");
    let err = Store::create_with(&path, "X", |_| -> Result<(), StoreError> {
        Err(StoreError::Io("new.db".into(), "interrupted".into()))
    })
    .expect_err("fails");
    assert!(err.to_string().contains("interrupted"));
    assert!(common::listing(dir.path()).is_empty(), "{:?}", common::listing(dir.path()));
}

// ------------------------------------------------------------------ 4: replaced under the TUI

/// Item 4: another file moved over the path under a running TUI: noticed at the next poll,
/// nothing more is saved, the open form is kept beside the database, and the user is told.
#[test]
fn a_file_moved_over_a_running_tui_stops_saving_and_keeps_the_form() {
    let dir = common::tmp();
    let db = sample_copy(dir.path(), "a.db");
    let other = sample_copy(dir.path(), "other.db");
    let mut store = Store::open(&db, Access::ReadWrite).expect("open");
    store.actor = Actor::fixed("ann", "2026-11-23T10:00:00Z");
    let mut app = App::new(store, common::d(common::TODAY), Theme::fallback(ColorDepth::None)).expect("app");
    app.open_form(alliance::tui::forms::FormKind::School(Some(1)));
    common::focus(&mut app, "notes");
    common::typed(&mut app, " typed before the move");
    std::fs::rename(&other, &db).expect("mv other.db a.db");
    assert!(app.check_for_changes(), "noticed at the poll");
    let (said, is_error) = app.message.clone().expect("a message");
    assert!(is_error && said.contains("changed under this program"), "{said}");
    let kept = app.replaced.clone().flatten().expect("the open form is kept beside the database");
    assert!(said.contains(&kept.display().to_string()), "{said}");
    let text = std::fs::read_to_string(&kept).expect("kept form");
    assert!(text.contains("typed before the move"), "{text}");
    common::ctrl(&mut app, 's');
    assert!(app.form.is_some(), "not saved: the form stays open");
    drop(app);
    let c = Connection::open(&db).expect("the file now at the path");
    let hits: i64 = c
        .query_row("SELECT count(*) FROM schools WHERE notes LIKE '%typed before the move%'", [], |r| r.get(0))
        .expect("n");
    assert_eq!(hits, 0, "nothing was written into the file moved in");
}

/// Item 4: the `-wal` deleted under an open store: the next write is refused, not sent to an
/// unlinked log.
#[test]
fn a_deleted_wal_under_an_open_store_refuses_the_next_write() {
    let dir = common::tmp();
    let db = sample_copy(dir.path(), "a.db");
    let mut store = Store::open(&db, Access::ReadWrite).expect("open");
    store.save_draft("visit", "new", "one").expect("first write");
    assert!(side(&db, "-wal").exists());
    std::fs::remove_file(side(&db, "-wal")).expect("rm a.db-wal");
    let err = store.save_draft("visit", "new", "two").expect_err("refused");
    assert!(matches!(err, StoreError::Replaced { .. }), "{err}");
    assert!(err.to_string().contains("-wal was deleted"), "{err}");
}

// ------------------------------------------------------------------ 13: drafts off the screen

/// Item 13: while another process holds the write lock (a long import), writing the draft
/// must not freeze typing: the running TUI writes drafts on another thread, and the draft
/// lands once the lock is released.
#[test]
fn a_draft_save_never_blocks_the_screen_while_another_holds_the_write_lock() {
    let dir = common::tmp();
    let db = sample_copy(dir.path(), "a.db");
    let mut store = Store::open(&db, Access::ReadWrite).expect("open");
    store.actor = Actor::fixed("ann", "2026-11-23T10:00:00Z");
    let mut app = App::new(store, common::d(common::TODAY), Theme::fallback(ColorDepth::None)).expect("app");
    app.save_drafts_in_background();
    app.open_form(alliance::tui::forms::FormKind::School(Some(1)));
    common::focus(&mut app, "notes");
    common::typed(&mut app, " typed during an import");
    let import = Connection::open(&db).expect("another writer");
    import
        .execute_batch("BEGIN IMMEDIATE; UPDATE settings SET value = value WHERE key = 'alliance_name';")
        .expect("lock");
    let started = Instant::now();
    app.save_draft_now();
    assert!(started.elapsed() < Duration::from_millis(300), "the screen waited {:?}", started.elapsed());
    std::thread::sleep(Duration::from_millis(300));
    import.execute_batch("COMMIT").expect("release");
    drop(app);
    let c = Connection::open(&db).expect("open");
    let data: String = c
        .query_row("SELECT data FROM drafts WHERE user = 'ann' AND form = 'school' AND target = '1'", [], |r| r.get(0))
        .expect("the draft landed once the lock was released");
    assert!(data.contains("typed during an import"));
}

/// Item 12: a full disk is said in one sentence (not SQLite's bare "database or disk is full"),
/// with exit 1, and the typed record is not half-saved. SQLite's `max_page_count` makes the
/// file full where it stands, as a full disk would.
#[test]
fn a_full_disk_is_one_sentence_and_saves_nothing() {
    let dir = common::tmp();
    let db = sample_copy(dir.path(), "a.db");
    let mut store = Store::open(&db, Access::ReadWrite).expect("open");
    let visits: i64 = store.conn().query_row("SELECT count(*) FROM visits", [], |r| r.get(0)).expect("count");
    let pages: i64 = store.conn().query_row("PRAGMA page_count", [], |r| r.get(0)).expect("pages");
    store.conn().query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(())).expect("cap the file");
    let long = "a long note that needs new pages ".repeat(2_000);
    let contract: Contract = store.get(26).expect("contract 26");
    let visit = Visit {
        id: 0,
        contract_id: contract.id,
        leader_id: contract.leader_id,
        visited_on: common::d("2026-11-20"),
        days: 1.0,
        activity: Activity::Coaching,
        notes: long,
        next_steps: String::new(),
        stamp: Default::default(),
    };
    let err = store.add_visit(&visit, common::d(common::TODAY)).expect_err("full");
    assert!(matches!(err, StoreError::Full(_)), "{err:?}");
    let said = err.to_string();
    assert!(said.contains("the disk is full — nothing was saved"), "{said}");
    assert!(!said.contains("database or disk is full"), "{said}");
    assert_eq!(err.exit_code(), 1);
    let now: i64 = store.conn().query_row("SELECT count(*) FROM visits", [], |r| r.get(0)).expect("count");
    assert_eq!(now, visits, "nothing half-saved");
}
