//! A send killed part-way (SIGKILL at several seeded moments) leaves the server with all of an
//! away copy's changes or none of them, and a later send completes it exactly once.

mod common;

use alliance::domain::*;
use alliance::store::{Access, Store};
use common::{d, tmp};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-23";
/// Changes made on the away copy: enough that a send takes a while to apply.
const VISITS: i64 = 240;

fn alliance(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_alliance"));
    c.args(args)
        .current_dir(dir)
        .env_clear()
        .env("HOME", dir)
        .env("USER", "ann")
        .env("ALLIANCE_TODAY", TODAY)
        .env("ALLIANCE_CONFIG", dir.join("no-config.toml"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn query(path: &Path, sql: &str) -> i64 {
    let s = Store::open(path, Access::ReadWrite).expect("open");
    s.conn().query_row(sql, [], |r| r.get(0)).expect("query")
}

/// Visits made away (ids from the first away block) and the ledger rows, on the server.
fn sent(server: &Path) -> (i64, i64) {
    (
        query(
            server,
            "SELECT count(*) FROM visits WHERE id >= (SELECT min(first_id) FROM away_blocks) AND notes LIKE 'away %'",
        ),
        query(server, "SELECT count(*) FROM away_applied"),
    )
}

/// A copy of sample.db, an away copy of it with [`VISITS`] visits, and pristine copies of both.
fn prepare(dir: &Path) {
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db"), dir.join("server.db")).expect("away test step");
    let out =
        alliance(dir, &["away", "start", "--from", "server.db", "--out", "away.db"]).status().expect("away test step");
    assert!(out.success());
    let mut away = Store::open(&dir.join("away.db"), Access::ReadWrite).expect("away test step");
    let live: Vec<(i64, i64)> = away
        .conn()
        .prepare("SELECT id, leader_id FROM contracts WHERE status = 'active' ORDER BY id")
        .expect("away test step")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("away test step")
        .collect::<Result<_, _>>()
        .expect("away test step");
    for i in 0..VISITS {
        let (contract, leader) = live[i as usize % live.len()];
        let v = Visit {
            id: 0,
            contract_id: contract,
            leader_id: leader,
            visited_on: d("2026-11-02") + chrono::Duration::days(i % 20),
            days: 0.5,
            activity: Activity::Coaching,
            notes: format!("away {i}"),
            next_steps: String::new(),
            stamp: Stamp::default(),
        };
        away.add_visit(&v, d(TODAY)).expect("away test step");
    }
    drop(away);
    let changes = alliance(dir, &["--db", "away.db", "away", "changes", "--out", "changes.json"])
        .status()
        .expect("away test step");
    assert!(changes.success());
    for f in ["server.db", "away.db"] {
        std::fs::copy(dir.join(f), dir.join(format!("{f}.orig"))).expect("away test step");
    }
}

fn restore(dir: &Path) {
    for f in ["server.db", "away.db"] {
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(dir.join(format!("{f}{suffix}")));
        }
        std::fs::copy(dir.join(format!("{f}.orig")), dir.join(f)).expect("away test step");
    }
}

/// Moments to kill at, spread over a run of `whole` and jittered by a fixed seed.
fn moments(whole: Duration, seed: u64) -> Vec<Duration> {
    let mut x = seed;
    (1..=6u32)
        .map(|k| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let jitter = (x >> 33) % 20; // up to a fifth of a step either way
            let step = whole / 7;
            (step * k + step * jitter as u32 / 50).saturating_sub(step / 5)
        })
        .collect()
}

/// Runs `args` to completion once (for its length), then kills it at each seeded moment:
/// after every kill the server has all or none, and running it again completes it once.
fn kill_at_moments(args: &[&str], seed: u64) {
    let dir = tmp();
    let dir = dir.path();
    prepare(dir);
    let started = Instant::now();
    let full = alliance(dir, args).status().expect("away test step");
    let whole = started.elapsed();
    assert!(full.code() == Some(0), "{args:?} completes: {full:?}");
    assert_eq!(sent(&dir.join("server.db")), (VISITS, VISITS), "{args:?} applies every change");
    let mut outcomes = Vec::new();
    for at in moments(whole, seed) {
        restore(dir);
        let mut child = alliance(dir, args).spawn().expect("away test step");
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let server = dir.join("server.db");
        let after_kill = sent(&server);
        assert!(
            after_kill == (0, 0) || after_kill == (VISITS, VISITS),
            "{args:?} killed at {at:?}: all or none, found {after_kill:?}"
        );
        outcomes.push(after_kill.0);
        let again = alliance(dir, args).status().expect("away test step");
        assert_eq!(again.code(), Some(0), "{args:?} after a kill at {at:?}");
        assert_eq!(sent(&server), (VISITS, VISITS), "{args:?} after a kill at {at:?}: each change once");
        assert_eq!(query(&server, "SELECT count(*) FROM visits WHERE notes = 'away 7'"), 1);
        let ok: String = Store::open(&server, Access::ReadWrite)
            .expect("away test step")
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("away test step");
        assert_eq!(ok, "ok");
    }
    eprintln!("{args:?}: whole run {whole:?}; away visits on the server right after each kill: {outcomes:?}");
}

#[test]
fn apply_changes_killed_at_seeded_moments_is_all_or_none_and_completes_once() {
    kill_at_moments(&["--db", "server.db", "apply-changes", "changes.json"], 17);
}

#[test]
fn away_send_killed_at_seeded_moments_is_all_or_none_and_completes_once() {
    kill_at_moments(&["--db", "away.db", "away", "send"], 2026);
}
