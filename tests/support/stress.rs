//! Many coordinators writing one file at once: `writers` threads, each running `per_writer`
//! real `alliance log-visit` processes one after another, while a reader runs `status --json`
//! in a loop. Shared by `tests/reliability.rs` (a CI-sized run) and `examples/stress.rs`
//! (the large run behind `scripts/stress.sh`).

#![allow(dead_code, reason = "the test and the example use different parts")]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The injected clock every run uses (the sample alliance is built around it).
pub const TODAY: &str = "2026-11-23";

/// What to run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The `alliance` binary.
    pub bin: PathBuf,
    /// The database every process writes to.
    pub db: PathBuf,
    /// Concurrent writers.
    pub writers: usize,
    /// Visits each writer logs, one process per visit.
    pub per_writer: usize,
    /// Contract ids to log against (round-robin).
    pub contracts: Vec<i64>,
}

/// One acknowledged write: the id `log-visit --json` printed, and the note it carried.
#[derive(Debug, Clone)]
pub struct Ack {
    /// The visit's id.
    pub id: i64,
    /// The unique note written with it.
    pub note: String,
    /// From process start to its exit.
    pub latency: Duration,
}

/// What happened.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every write a process acknowledged.
    pub acks: Vec<Ack>,
    /// Writes that failed: exit code and stderr.
    pub failures: Vec<String>,
    /// stderr lines of successful writes (warnings; must never mention locks).
    pub warnings: Vec<String>,
    /// `status --json` runs completed while the writers ran.
    pub reads: usize,
    /// Reader runs that failed or printed something other than JSON.
    pub read_failures: Vec<String>,
    /// Wall-clock time of the whole run.
    pub elapsed: Duration,
}

impl Outcome {
    /// The slowest single write, from process start to acknowledgement.
    pub fn max_latency(&self) -> Duration {
        self.acks.iter().map(|a| a.latency).max().unwrap_or_default()
    }

    /// The `p`-th percentile write latency (0–100).
    pub fn percentile(&self, p: f64) -> Duration {
        let mut v: Vec<Duration> = self.acks.iter().map(|a| a.latency).collect();
        v.sort();
        if v.is_empty() {
            return Duration::ZERO;
        }
        let i = ((p / 100.0) * (v.len() - 1) as f64).round() as usize;
        v[i.min(v.len() - 1)]
    }

    /// Acknowledged writes per second of wall-clock time.
    pub fn writes_per_sec(&self) -> f64 {
        self.acks.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// `alliance` with a clean environment (no config, colour or database from the host).
pub fn alliance(bin: &Path) -> Command {
    let mut cmd = Command::new(bin);
    cmd.env_remove("ALLIANCE_DB")
        .env_remove("ALLIANCE_THEME")
        .env_remove("ALLIANCE_BUSY_TIMEOUT_MS")
        .env("ALLIANCE_CONFIG", "/nonexistent/alliance.toml")
        .env("ALLIANCE_TODAY", TODAY)
        .env("USER", "stress");
    cmd
}

/// A private copy of the committed sample.db, or (if it is missing) a freshly generated one.
pub fn sample_copy(bin: &Path, dest: &Path) {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db");
    if committed.is_file() {
        std::fs::copy(&committed, dest).expect("copy sample.db");
        return;
    }
    let out = alliance(bin)
        .args(["sample", "--out"])
        .arg(dest)
        .args(["--today", TODAY])
        .output()
        .expect("run alliance sample");
    assert!(out.status.success(), "alliance sample: {}", String::from_utf8_lossy(&out.stderr));
}

/// Active contracts whose period contains the visit date used (so writes carry no warnings).
pub fn active_contracts(db: &Path) -> Vec<i64> {
    let c = rusqlite::Connection::open(db).expect("open");
    let mut st = c
        .prepare(
            "SELECT id FROM contracts WHERE status = 'active' AND start_on <= '2026-11-20'
             AND end_on >= '2026-11-20' ORDER BY id",
        )
        .expect("prepare");
    let ids: Vec<i64> = st.query_map([], |r| r.get(0)).expect("query").map(|r| r.expect("row")).collect();
    assert!(!ids.is_empty(), "the sample has active contracts");
    ids
}

/// Logs one visit through the real binary; `Ok(ack)` once the id is printed.
pub fn log_one(bin: &Path, db: &Path, contract: i64, note: &str) -> Result<(Ack, String), String> {
    let start = Instant::now();
    let out = alliance(bin)
        .arg("--db")
        .arg(db)
        .args(["log-visit", "--contract", &contract.to_string(), "--date", "2026-11-20", "--days", "0.5"])
        .args(["--activity", "coaching", "--notes", note, "--json"])
        .output()
        .map_err(|e| format!("spawn: {e}"))?;
    let latency = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        return Err(format!("exit {:?}: {stderr}", out.status.code()));
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))?;
    let id = v["id"].as_i64().ok_or_else(|| format!("no id in {v}"))?;
    Ok((Ack { id, note: note.to_string(), latency }, stderr))
}

/// Runs the plan: the writers, and a `status --json` reader until they finish.
pub fn run(plan: &Plan) -> Outcome {
    let started = Instant::now();
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (bin, db, done) = (plan.bin.clone(), plan.db.clone(), Arc::clone(&done));
        std::thread::spawn(move || {
            let (mut reads, mut failures) = (0usize, Vec::new());
            while !done.load(Ordering::Relaxed) {
                match alliance(&bin).arg("--db").arg(&db).args(["status", "--json"]).output() {
                    Ok(o) if o.status.success() && serde_json::from_slice::<serde_json::Value>(&o.stdout).is_ok() => {
                        reads += 1;
                    }
                    Ok(o) => failures.push(format!(
                        "status exit {:?}: {}",
                        o.status.code(),
                        String::from_utf8_lossy(&o.stderr)
                    )),
                    Err(e) => failures.push(format!("spawn status: {e}")),
                }
            }
            (reads, failures)
        })
    };
    let writers: Vec<_> = (0..plan.writers)
        .map(|w| {
            let plan = plan.clone();
            std::thread::spawn(move || {
                let mut out = Outcome::default();
                for i in 0..plan.per_writer {
                    let contract = plan.contracts[(w + i) % plan.contracts.len()];
                    let note = format!("stress writer {w} visit {i}");
                    match log_one(&plan.bin, &plan.db, contract, &note) {
                        Ok((ack, stderr)) => {
                            out.acks.push(ack);
                            out.warnings.extend(stderr.lines().map(str::to_string));
                        }
                        Err(e) => out.failures.push(format!("writer {w} visit {i}: {e}")),
                    }
                }
                out
            })
        })
        .collect();
    let mut total = Outcome::default();
    for w in writers {
        let o = w.join().expect("writer thread");
        total.acks.extend(o.acks);
        total.failures.extend(o.failures);
        total.warnings.extend(o.warnings);
    }
    done.store(true, Ordering::Relaxed);
    let (reads, read_failures) = reader.join().expect("reader thread");
    total.reads = reads;
    total.read_failures = read_failures;
    total.elapsed = started.elapsed();
    total
}

/// What the file holds after a run.
#[derive(Debug)]
pub struct Verdict {
    /// `PRAGMA integrity_check`.
    pub integrity: String,
    /// Acknowledged ids missing from the file, or present with another note.
    pub lost: Vec<i64>,
    /// Visits in the file now.
    pub visits: i64,
    /// Visits without their audit row (a torn write).
    pub unaudited: i64,
}

/// Reads the file with plain SQL (not the crate) and checks every acknowledged write.
pub fn verify(db: &Path, acks: &[Ack]) -> Verdict {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    let integrity: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check");
    let mut st = c.prepare("SELECT notes FROM visits WHERE id = ?1").expect("prepare");
    let lost = acks
        .iter()
        .filter(|a| {
            let note: Option<String> = st.query_row([a.id], |r| r.get(0)).ok();
            note.as_deref() != Some(a.note.as_str())
        })
        .map(|a| a.id)
        .collect();
    let visits = c.query_row("SELECT count(*) FROM visits", [], |r| r.get(0)).expect("count");
    let unaudited = c
        .query_row(
            "SELECT count(*) FROM visits v WHERE NOT EXISTS
             (SELECT 1 FROM audit a WHERE a.entity = 'visits' AND a.entity_id = v.id AND a.action = 'insert')",
            [],
            |r| r.get(0),
        )
        .expect("audit join");
    Verdict { integrity, lost, visits, unaudited }
}
