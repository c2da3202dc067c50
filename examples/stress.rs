//! The large concurrent-writers run behind `scripts/stress.sh`: W writers each log N visits
//! through N real `alliance log-visit` processes on one copy of sample.db, while a reader runs
//! `status --json` in a loop; then every acknowledged id is checked with plain SQL.
//!
//! ```sh
//! stress --bin target/release/alliance [--writers 4] [--visits 5000] [--keep DIR]
//! ```
//!
//! Prints writes per second, the slowest write (max wait), percentiles and lost writes; exits
//! non-zero if anything was lost, refused, or the file fails `integrity_check`.

#[path = "../tests/support/stress.rs"]
mod stress;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut bin = PathBuf::from("target/release/alliance");
    let (mut writers, mut per_writer) = (4usize, 5000usize);
    let mut keep: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().unwrap_or_else(|| panic!("{name} needs a value"));
        match a.as_str() {
            "--bin" => bin = PathBuf::from(value("--bin")),
            "--writers" => writers = value("--writers").parse().expect("--writers N"),
            "--visits" => per_writer = value("--visits").parse().expect("--visits N"),
            "--keep" => keep = Some(PathBuf::from(value("--keep"))),
            other => {
                eprintln!("stress: unknown argument {other}; see the doc comment in examples/stress.rs");
                return ExitCode::from(2);
            }
        }
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = keep.unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).expect("output directory");
    let db = dir.join("stress.db");
    let _ = std::fs::remove_file(&db);
    stress::sample_copy(&bin, &db);
    let before = stress::verify(&db, &[]).visits;
    let plan = stress::Plan { bin, db: db.clone(), writers, per_writer, contracts: stress::active_contracts(&db) };
    println!(
        "stress: {writers} writers × {per_writer} visits, one `alliance log-visit` process each, on {}",
        db.display()
    );
    println!("        plus a reader running `status --json` in a loop");
    let o = stress::run(&plan);
    let v = stress::verify(&db, &o.acks);
    let expected = before + o.acks.len() as i64;
    let lock_msgs = o
        .warnings
        .iter()
        .chain(&o.failures)
        .chain(&o.read_failures)
        .filter(|l| {
            let l = l.to_lowercase();
            l.contains("locked") || l.contains("busy")
        })
        .count();
    println!("acknowledged writes  {} of {}", o.acks.len(), writers * per_writer);
    println!("refused writes       {}", o.failures.len());
    println!("elapsed              {:.1} s", o.elapsed.as_secs_f64());
    println!("writes/s             {:.0}", o.writes_per_sec());
    println!(
        "per-write latency    p50 {} ms · p99 {} ms · max wait {} ms (process start to acknowledgement)",
        o.percentile(50.0).as_millis(),
        o.percentile(99.0).as_millis(),
        o.max_latency().as_millis()
    );
    println!("status reads         {} ok, {} failed", o.reads, o.read_failures.len());
    println!("lock errors shown    {lock_msgs}");
    println!("integrity_check      {}", v.integrity);
    println!("visits in file       {} (expected {expected})", v.visits);
    println!("lost writes          {}", v.lost.len());
    println!("visits without audit {}", v.unaudited);
    for f in o.failures.iter().chain(&o.read_failures).take(5) {
        println!("  e.g. {f}");
    }
    let ok = o.failures.is_empty()
        && o.read_failures.is_empty()
        && lock_msgs == 0
        && v.integrity == "ok"
        && v.lost.is_empty()
        && v.visits == expected
        && v.unaudited == 0;
    println!("{}", if ok { "PASS" } else { "FAIL" });
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
