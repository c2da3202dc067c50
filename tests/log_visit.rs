//! `alliance log-visit`, run as the real binary on a copy of sample.db.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn copy_sample() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("alliance.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    (dir, db)
}

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alliance"))
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-23", "log-visit"])
        .args(args)
        .env("ALLIANCE_CONFIG", "/nonexistent")
        .output()
        .expect("run alliance")
}

fn sql(db: &Path, q: &str) -> String {
    let c = rusqlite::Connection::open(db).expect("open");
    c.query_row(q, [], |r| r.get::<_, rusqlite::types::Value>(0))
        .map(|v| match v {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Real(f) => f.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        })
        .expect("query")
}

#[test]
fn logs_against_a_contract_and_prints_the_id() {
    let (_d, db) = copy_sample();
    let contract = sql(&db, "SELECT min(id) FROM contracts WHERE status = 'active'");
    let out = run(
        &db,
        &[
            "--contract",
            &contract,
            "--date",
            "20/11/2026",
            "--days",
            "1.5",
            "--activity",
            "work scrutiny",
            "--notes",
            "Books show progress; \"quotes\" kept",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let id: i64 = stdout.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("visit ID printed");
    assert_eq!(
        sql(
            &db,
            &format!("SELECT visited_on || '|' || days || '|' || activity || '|' || notes FROM visits WHERE id = {id}")
        ),
        "2026-11-20|1.5|work scrutiny|Books show progress; \"quotes\" kept"
    );
    assert_eq!(sql(&db, &format!("SELECT count(*) FROM audit WHERE entity = 'visits' AND entity_id = {id}")), "1");
}

#[test]
fn json_output_and_school_by_urn() {
    let (_d, db) = copy_sample();
    // A school with exactly one live contract.
    let urn = sql(
        &db,
        "SELECT s.urn FROM schools s JOIN contracts c ON c.school_id = s.id AND c.status IN ('active','paused')
                        WHERE s.urn IS NOT NULL GROUP BY s.id HAVING count(*) = 1 ORDER BY s.id LIMIT 1",
    );
    let out = run(&db, &["--school", &urn, "--days", "1", "--activity", "coaching", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let id = v["id"].as_i64().expect("id");
    assert_eq!(sql(&db, &format!("SELECT visited_on FROM visits WHERE id = {id}")), "2026-11-23");
}

#[test]
fn bad_input_is_refused_with_a_clear_message_and_exit_3() {
    let (_d, db) = copy_sample();
    let before = sql(&db, "SELECT count(*) FROM visits");
    let contract = sql(&db, "SELECT min(id) FROM contracts WHERE status = 'active'");
    for (args, expect) in [
        (
            vec!["--contract", &contract, "--date", "12/13/2026", "--days", "1", "--activity", "coaching"],
            "try 13/12/2026",
        ),
        (vec!["--contract", &contract, "--date", "+2", "--days", "1", "--activity", "coaching"], "future"),
        (vec!["--contract", &contract, "--days", "0.3", "--activity", "coaching"], "half days"),
        (vec!["--contract", &contract, "--days", "1", "--activity", "golf"], "is not one of"),
        (vec!["--contract", "99999", "--days", "1", "--activity", "coaching"], "no contract with id 99999"),
        (vec!["--school", "zzzz-no-such", "--days", "1", "--activity", "coaching"], "no school matches"),
    ] {
        let out = run(&db, &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {err}");
        assert!(err.starts_with("alliance: ") && err.contains(expect), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one sentence: {err}");
    }
    // Days out of range, negative ones too (which clap would call an unexpected argument).
    for days in ["-4", "-1", "0", "6", "400"] {
        let out = run(&db, &["--contract", &contract, "--days", days, "--activity", "coaching"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{days}: {err}");
        assert_eq!(
            err.trim_end(),
            format!("alliance: --days `{days}` is out of range: give 0.5 to 5 days, in whole or half days")
        );
    }
    assert_eq!(sql(&db, "SELECT count(*) FROM visits"), before, "nothing written");
    // A date typed as days ago (`-3`) is a date, not a flag.
    let out = run(&db, &["--contract", &contract, "--date", "-3", "--days", "1", "--activity", "coaching"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("on 20 Nov 2026"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let completed = sql(&db, "SELECT min(id) FROM contracts WHERE status = 'completed'");
    let out = run(&db, &["--contract", &completed, "--days", "1", "--activity", "coaching"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("visits are logged for active or paused contracts"));
}

#[test]
fn a_visit_past_the_commissioned_days_or_on_a_paused_contract_is_saved_with_a_warning() {
    let (_d, db) = copy_sample();
    // Contract 27 (Harbourgate, Attendance) has 6 of 5 days delivered already.
    let out = run(&db, &["--contract", "27", "--days", "1", "--activity", "coaching", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let warnings = v["warnings"].to_string();
    assert!(warnings.contains("7 of its 5 days"), "{warnings}");
    let paused = sql(&db, "SELECT min(id) FROM contracts WHERE status = 'paused'");
    let out = run(&db, &["--contract", &paused, "--days", "0.5", "--activity", "coaching", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(v["warnings"].to_string().contains("paused"), "{}", v["warnings"]);
    // Within the days of an active contract: no warning.
    let fine = sql(
        &db,
        "SELECT c.id FROM contracts c WHERE c.status = 'active' AND c.start_on <= '2026-11-23' AND c.end_on >= '2026-11-23'
         AND c.days_commissioned >= coalesce((SELECT sum(days) FROM visits WHERE contract_id = c.id), 0) + 1 LIMIT 1",
    );
    let out = run(&db, &["--contract", &fine, "--days", "1", "--activity", "coaching", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["warnings"], serde_json::json!([]), "{}", v["warnings"]);
}
