//! A big file (a region's or the country's) is not verified in full as it is opened — that
//! would cost seconds before `status` could answer — but damage is still never shown as data
//! and never written over: a truncated file is refused as it opens, a damaged page a command
//! reads is refused as it is read, and the full check runs before the first write.
//!
//! The big file here is the committed sample grown past `FULL_CHECK_BYTES` with audit rows,
//! which no screen or command reads.

use alliance::store::{Access, FULL_CHECK_BYTES, Store};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TODAY: &str = "2026-11-23";

fn alliance(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alliance"))
        .env_remove("ALLIANCE_DB")
        .env("ALLIANCE_CONFIG", db.with_extension("no-config.toml"))
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY])
        .args(args)
        .output()
        .expect("run alliance")
}

/// A copy of sample.db with ~20 MB of audit rows appended, checkpointed into the file.
fn big_sample(dir: &Path) -> PathBuf {
    let p = dir.join("big.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &p).expect("copy sample.db");
    let c = Connection::open(&p).expect("open");
    c.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
         INSERT INTO audit(at, by, entity, entity_id, action, before, after)
         SELECT '2026-11-20T09:00:00Z', 'import', 'note', i, 'insert', NULL, printf('%.1000c', 'x') FROM n;
         PRAGMA wal_checkpoint(TRUNCATE);",
    )
    .expect("grow");
    drop(c);
    assert!(std::fs::metadata(&p).expect("meta").len() > FULL_CHECK_BYTES, "the file is big");
    p
}

/// Overwrites page `page` (1-based) after its 8-byte header with a pattern, as a bad disk or
/// copy would.
fn damage_page(path: &Path, page: u64) {
    let mut bytes = std::fs::read(path).expect("read");
    let at = ((page - 1) * 4096) as usize;
    for (i, b) in bytes[at + 8..at + 4096].iter_mut().enumerate() {
        *b = (i * 7 + 13) as u8;
    }
    std::fs::write(path, &bytes).expect("write");
}

fn root_page(path: &Path, table: &str) -> u64 {
    let c = Connection::open(path).expect("open");
    c.query_row("SELECT rootpage FROM sqlite_schema WHERE name = ?1", [table], |r| r.get(0)).expect("root page")
}

/// The file's bytes and the names beside it.
fn snapshot(path: &Path) -> (Vec<u8>, Vec<String>) {
    let mut names: Vec<String> = std::fs::read_dir(path.parent().expect("dir"))
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    (std::fs::read(path).expect("read"), names)
}

fn assert_damaged(o: &Output, what: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(5), "{what}: exit code; stderr {err}");
    assert!(err.starts_with("alliance: ") && err.contains("is damaged"), "{what}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{what}: one line: {err}");
}

const LOG_VISIT: &[&str] =
    &["log-visit", "--contract", "26", "--date", "2026-11-20", "--days", "1", "--activity", "coaching"];

#[test]
fn a_big_file_opens_without_the_full_check_and_verifies_before_writing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = big_sample(dir.path());
    let small = Store::open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), Access::ReadOnly).expect("open");
    assert!(small.is_verified(), "a small file is verified as it opens");
    let mut store = Store::open(&p, Access::ReadWrite).expect("open big");
    assert!(!store.is_verified(), "a big file is not verified as it opens");
    store.verify_in_background();
    store.save_draft("visit", "new", "{}").expect("the first write waits for the check");
    assert!(store.is_verified());
    drop(store);
    // The command line verifies before its first write too.
    let o = alliance(&p, LOG_VISIT);
    assert!(o.status.success(), "log-visit on a sound big file: {}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn damage_a_command_never_reads_is_refused_before_the_first_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = big_sample(dir.path());
    let before_damage = alliance(&p, &["status", "--json"]);
    assert!(before_damage.status.success());
    // The last page holds audit rows: no screen or command reads them.
    let pages = std::fs::metadata(&p).expect("meta").len() / 4096;
    damage_page(&p, pages);
    let o = alliance(&p, &["status", "--json"]);
    assert!(o.status.success(), "status never reads the damaged page: {}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.stdout, before_damage.stdout, "and shows exactly what it showed before");
    let before = snapshot(&p);
    assert_damaged(&alliance(&p, LOG_VISIT), "log-visit on a damaged big file");
    assert!(snapshot(&p) == before, "the damaged file was left exactly as it was");
    // So does the TUI's first save, after the check it started in the background.
    let mut store = Store::open(&p, Access::ReadWrite).expect("open");
    store.verify_in_background();
    let e = store.save_draft("visit", "new", "{}").expect_err("refused");
    assert_eq!(e.exit_code(), 5, "{e}");
    drop(store);
    assert!(snapshot(&p) == before, "unchanged");
}

#[test]
fn damage_a_command_reads_is_refused_as_it_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = big_sample(dir.path());
    // Every command sums visit days through this index.
    damage_page(&p, root_page(&p, "visits_contract"));
    let before = snapshot(&p);
    for args in [&["status"][..], &["status", "--json"], &["render", "dashboard"]] {
        let o = alliance(&p, args);
        assert_damaged(&o, &args.join(" "));
        assert!(o.stdout.is_empty(), "nothing half-printed");
    }
    assert!(snapshot(&p) == before, "unchanged");
}

#[test]
fn a_truncated_big_file_is_refused_as_it_opens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = big_sample(dir.path());
    let bytes = std::fs::read(&p).expect("read");
    std::fs::write(&p, &bytes[..bytes.len() * 3 / 4]).expect("truncate");
    let before = snapshot(&p);
    for args in [&["status"][..], LOG_VISIT, &["render", "dashboard"]] {
        let o = alliance(&p, args);
        assert_damaged(&o, &args.join(" "));
    }
    assert!(snapshot(&p) == before, "unchanged");
}

#[path = "support/stress.rs"]
mod stress;

/// The cheap open-time check reads the file's length, which is only meaningful while nothing is
/// being checkpointed into it: with writers committing and checkpointing all the time, no
/// reader or writer may ever be told a sound big file is damaged.
#[test]
fn a_big_file_under_concurrent_writers_is_never_called_damaged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = big_sample(dir.path());
    let plan = stress::Plan {
        bin: std::path::PathBuf::from(env!("CARGO_BIN_EXE_alliance")),
        db: p.clone(),
        writers: 3,
        per_writer: 25,
        contracts: stress::active_contracts(&p),
    };
    let outcome = stress::run(&plan);
    assert!(outcome.failures.is_empty(), "writes refused: {:?}", &outcome.failures[..outcome.failures.len().min(3)]);
    assert!(outcome.read_failures.is_empty(), "reads refused: {:?}", outcome.read_failures);
    assert!(outcome.reads > 0, "the reader ran alongside the writers");
    assert_eq!(outcome.acks.len(), 75);
}
