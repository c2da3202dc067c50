//! Many coordinators, one file, writers killed mid-write: the real `alliance` binary, several
//! processes at once, and plain SQL afterwards to check that nothing acknowledged was lost.
//!
//! - 4 writers × 100 `log-visit` processes, a `status --json` reader in a loop and an open
//!   TUI (its state, polling the file as the event loop does) on one copy of sample.db.
//! - `SIGKILL` at seeded random moments, many rounds, two writers at a time.
//! - `alliance backup` taken while a writer runs.
//!
//! `scripts/stress.sh` runs the first one at 4 × 5,000 with a release build.

#[path = "support/stress.rs"]
mod stress;

use alliance::store::{Access, Store};
use alliance::tui::App;
use alliance::tui::theme::{ColorDepth, Theme};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_alliance"))
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

fn visits(db: &Path) -> i64 {
    let c = rusqlite::Connection::open(db).expect("open");
    c.query_row("SELECT count(*) FROM visits", [], |r| r.get(0)).expect("count")
}

#[test]
fn four_writers_and_readers_lose_nothing() {
    const WRITERS: usize = 4;
    const PER_WRITER: usize = 100;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("alliance.db");
    stress::sample_copy(&bin(), &db);
    let before = visits(&db);
    let plan = stress::Plan {
        bin: bin(),
        db: db.clone(),
        writers: WRITERS,
        per_writer: PER_WRITER,
        contracts: stress::active_contracts(&db),
    };

    // An open TUI on the same file: the app state, ticking as the event loop does between
    // keys, so it polls `data_version` and reloads while the writers write.
    let stop = Arc::new(AtomicBool::new(false));
    let tui = {
        let (db, stop) = (db.clone(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let store = Store::open(&db, Access::ReadWrite).expect("TUI opens the file");
            let mut app = App::new(store, today(), Theme::fallback(ColorDepth::None)).expect("app");
            let (mut reloads, mut errors) = (0usize, Vec::new());
            while !stop.load(Ordering::Relaxed) {
                if app.check_for_changes() {
                    reloads += 1;
                }
                if let Some((m, true)) = &app.message {
                    errors.push(m.clone());
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            app.check_for_changes();
            (reloads, errors, app.data.snap.totals.delivered_days)
        })
    };

    let outcome = stress::run(&plan);
    stop.store(true, Ordering::Relaxed);
    let (reloads, tui_errors, tui_delivered) = tui.join().expect("TUI thread");

    assert!(outcome.failures.is_empty(), "writes refused: {:#?}", &outcome.failures[..outcome.failures.len().min(5)]);
    assert_eq!(outcome.acks.len(), WRITERS * PER_WRITER);
    for line in outcome.warnings.iter().chain(&outcome.read_failures).chain(&tui_errors) {
        let l = line.to_lowercase();
        assert!(!l.contains("locked") && !l.contains("busy"), "a lock error reached a user: {line}");
    }
    assert!(outcome.read_failures.is_empty(), "status failed while others wrote: {:?}", outcome.read_failures);
    assert!(outcome.reads > 0, "the reader ran alongside the writers");

    let verdict = stress::verify(&db, &outcome.acks);
    assert_eq!(verdict.integrity, "ok");
    assert!(verdict.lost.is_empty(), "acknowledged but missing: {:?}", verdict.lost);
    assert_eq!(verdict.visits, before + (WRITERS * PER_WRITER) as i64, "counts are exact");
    assert_eq!(verdict.unaudited, 0, "every visit has its audit row");
    let mut ids: Vec<i64> = outcome.acks.iter().map(|a| a.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), WRITERS * PER_WRITER, "every acknowledged id is distinct");

    // The open TUI saw the others' writes without restarting.
    assert!(reloads > 0, "the TUI reloaded while others wrote");
    let fresh = Store::open(&db, Access::ReadOnly).expect("open").snapshot(today()).expect("snapshot");
    assert_eq!(tui_delivered, fresh.totals.delivered_days, "the TUI shows what the file holds");
    eprintln!(
        "{} writes in {:.1} s ({:.0}/s), max {} ms, p99 {} ms; {} status reads; {} TUI reloads",
        outcome.acks.len(),
        outcome.elapsed.as_secs_f64(),
        outcome.writes_per_sec(),
        outcome.max_latency().as_millis(),
        outcome.percentile(99.0).as_millis(),
        outcome.reads,
        reloads
    );
}

/// A shell loop of `log-visit --json` in its own process group, so one `kill` reaches whichever
/// process is running at that instant, wherever it is: starting, checking the file, inside the
/// transaction, committing, or checkpointing the WAL on close.
fn writer_loop(db: &Path, contract: i64, tag: &str) -> std::process::Child {
    use std::os::unix::process::CommandExt;
    let script = format!(
        "i=0; while :; do i=$((i+1)); \"$BIN\" --db \"$DB\" log-visit --contract {contract} --date 2026-11-20 \
         --days 0.5 --activity coaching --notes \"{tag} $i\" --json 2>>\"$DB.err\" || echo \"FAILED $?\"; done"
    );
    Command::new("sh")
        .args(["-c", &script])
        .env("BIN", bin())
        .env("DB", db)
        .env("ALLIANCE_CONFIG", "/nonexistent/alliance.toml")
        .env("ALLIANCE_TODAY", stress::TODAY)
        .env_remove("ALLIANCE_BUSY_TIMEOUT_MS")
        .stdout(Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("spawn writer loop")
}

#[test]
fn writers_killed_at_random_moments_never_lose_an_acknowledged_write() {
    let seed: u64 = std::env::var("ALLIANCE_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20261123);
    let rounds: usize = std::env::var("ALLIANCE_CRASH_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(24);
    eprintln!("crash test: seed {seed}, {rounds} rounds (ALLIANCE_CRASH_SEED / ALLIANCE_CRASH_ROUNDS to vary)");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("alliance.db");
    stress::sample_copy(&bin(), &db);
    let contracts = stress::active_contracts(&db);
    let mut acks: Vec<stress::Ack> = Vec::new();
    let mut killed_with_writes = 0;
    for round in 0..rounds {
        let loops: Vec<_> = (0..2)
            .map(|w| {
                let tag = format!("crash round {round} writer {w}");
                let contract = contracts[(round + w) % contracts.len()];
                (writer_loop(&db, contract, &tag), tag)
            })
            .collect();
        // Kill each loop at its own random moment.
        let mut lines = Vec::new();
        let mut children = Vec::new();
        for (mut child, tag) in loops {
            let out = child.stdout.take().expect("stdout");
            let reader = std::thread::spawn(move || {
                std::io::BufReader::new(out).lines().map_while(Result::ok).collect::<Vec<String>>()
            });
            children.push((child, reader, tag, rng.random_range(20..400u64)));
        }
        let start = Instant::now();
        children.sort_by_key(|c| c.3);
        for (child, _, _, at) in &mut children {
            let wait = Duration::from_millis(*at).saturating_sub(start.elapsed());
            std::thread::sleep(wait);
            let pg = format!("-{}", child.id());
            let ok = Command::new("kill").args(["-KILL", "--", &pg]).status().expect("kill").success();
            assert!(ok, "kill the writer's process group");
        }
        for (mut child, reader, tag, _) in children {
            child.wait().expect("reap");
            let out = reader.join().expect("reader");
            for l in &out {
                assert!(!l.starts_with("FAILED"), "round {round}: a write failed before the kill: {l}");
                let v: serde_json::Value = match serde_json::from_str(l) {
                    Ok(v) => v,
                    // A line cut off by the kill was never a whole acknowledgement.
                    Err(_) => continue,
                };
                let id = v["id"].as_i64().expect("id");
                // Notes are "{tag} {i}": the i-th line of this loop is its i-th write.
                let n = out.iter().position(|x| x == l).expect("line") + 1;
                acks.push(stress::Ack { id, note: format!("{tag} {n}"), latency: Duration::ZERO });
            }
            lines.extend(out);
        }
        if !lines.is_empty() {
            killed_with_writes += 1;
        }
        // After every crash: the file is sound, everything acknowledged so far is there, and
        // no visit was written without its audit row.
        let v = stress::verify(&db, &acks);
        assert_eq!(v.integrity, "ok", "round {round}: integrity_check after SIGKILL");
        assert!(v.lost.is_empty(), "round {round}: acknowledged writes lost: {:?}", v.lost);
        assert_eq!(v.unaudited, 0, "round {round}: a visit without its audit row (torn write)");
    }
    let err = std::fs::read_to_string(dir.path().join("alliance.db.err")).unwrap_or_default();
    for l in err.lines() {
        let low = l.to_lowercase();
        assert!(!low.contains("locked") && !low.contains("busy") && !low.contains("damaged"), "stderr: {l}");
    }
    // And the product itself opens the file after all that.
    let o = stress::alliance(&bin()).arg("--db").arg(&db).args(["status", "--json"]).output().expect("status");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        acks.len() >= 10 && killed_with_writes >= rounds / 2,
        "the kills landed among writes ({} acks)",
        acks.len()
    );
    eprintln!("crash test: {} acknowledged writes over {rounds} rounds, all present", acks.len());
}

#[test]
fn backup_taken_while_a_writer_runs_is_a_sound_copy() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("alliance.db");
    stress::sample_copy(&bin(), &db);
    let contracts = stress::active_contracts(&db);
    let before = visits(&db);
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, stop, contract) = (db.clone(), Arc::clone(&stop), contracts[0]);
        std::thread::spawn(move || {
            let mut acks = Vec::new();
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) || i < 5 {
                i += 1;
                let (ack, _) = stress::log_one(&bin(), &db, contract, &format!("during backup {i}")).expect("write");
                acks.push(ack);
            }
            acks
        })
    };
    // Let the writer get going, then back up twice while it writes.
    while visits(&db) < before + 3 {
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut copies = Vec::new();
    for name in ["copy1.db", "copy2.db"] {
        let dest = dir.path().join(name);
        let o = stress::alliance(&bin()).arg("--db").arg(&db).arg("backup").arg(&dest).output().expect("backup");
        assert!(o.status.success(), "backup: {}", String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8_lossy(&o.stdout).contains("backed up"), "{}", String::from_utf8_lossy(&o.stdout));
        copies.push(dest);
    }
    stop.store(true, Ordering::Relaxed);
    let acks = writer.join().expect("writer");
    let after = visits(&db);
    assert_eq!(after, before + acks.len() as i64);

    for copy in &copies {
        let mode = std::fs::metadata(copy).expect("copy exists").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the backup is readable by its owner only");
        let v = stress::verify(copy, &[]);
        assert_eq!(v.integrity, "ok");
        assert_eq!(v.unaudited, 0, "a consistent snapshot: no visit without its audit row");
        assert!(v.visits >= before && v.visits <= after, "{} within {before}..={after}", v.visits);
        // The copy is one self-contained file that alliance opens and checks as healthy.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.contains("partial")), "no half-made copy left: {names:?}");
        let o = stress::alliance(&bin()).arg("--db").arg(copy).arg("check").output().expect("check");
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(o.status.success(), "check on the copy: {text}{}", String::from_utf8_lossy(&o.stderr));
        assert!(
            text.contains("integrity     ok") && text.contains("owner only") && text.trim_end().ends_with("healthy"),
            "{text}"
        );
        Store::open(copy, Access::ReadOnly).expect("the copy opens as an alliance database");
    }

    // Never replaces a file: the second attempt at the same name is refused, the copy intact.
    let first = std::fs::read(&copies[0]).expect("read copy");
    let o = stress::alliance(&bin()).arg("--db").arg(&db).arg("backup").arg(&copies[0]).output().expect("backup");
    assert_eq!(o.status.code(), Some(3));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.starts_with("alliance: ") && e.contains("already exists") && e.lines().count() == 1, "{e}");
    assert_eq!(std::fs::read(&copies[0]).expect("read copy"), first);
}

#[test]
fn check_reports_a_damaged_file_and_exits_non_zero() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("alliance.db");
    stress::sample_copy(&bin(), &db);
    let o = stress::alliance(&bin()).arg("--db").arg(&db).arg("check").output().expect("check");
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{text}");
    for want in [
        "integrity     ok",
        "foreign keys  ok",
        "schema        version",
        "journal mode  wal",
        "permissions",
        "terminal",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    // A file others can read is reported (advice, not a failure).
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod 644");
        let o = stress::alliance(&bin()).arg("--db").arg(&db).arg("check").output().expect("check");
        let text = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{text}");
        assert!(text.contains("0644 — others on this machine can read it"), "{text}");
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).expect("chmod 600");
    }
    // Damage one page in the middle of the file.
    let mut bytes = std::fs::read(&db).expect("read");
    let page = 4096;
    let mid = (bytes.len() / page / 2) * page;
    bytes[mid..mid + page].fill(0x5A);
    std::fs::write(&db, &bytes).expect("write damaged copy");
    let o = stress::alliance(&bin()).arg("--db").arg(&db).arg("check").output().expect("check");
    let text = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(5), "{text}{err}");
    assert!(text.contains("DAMAGED"), "{text}");
    assert!(err.starts_with("alliance: ") && err.contains("damaged") && err.lines().count() == 1, "{err}");
    assert_eq!(std::fs::read(&db).expect("read"), bytes, "check never writes");
}
