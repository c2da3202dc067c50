//! `alliance match`, run as the real binary on a copy of sample.db.

use std::path::Path;
use std::process::Command;

#[test]
fn ranks_with_reasons_and_lists_exclusions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("alliance.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_alliance"))
            .arg("--db")
            .arg(&db)
            .args(["--today", "2026-11-23", "match"])
            .args(args)
            .env("ALLIANCE_CONFIG", "/nonexistent")
            .output()
            .expect("run alliance")
    };
    let out = run(&["--school", "Primrosefield", "--focus", "Leadership", "--days", "8", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let ranked = v["ranked"].as_array().expect("ranked");
    assert!(!ranked.is_empty());
    let scores: Vec<i64> = ranked.iter().map(|r| r["score"].as_i64().expect("score")).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");
    assert!(ranked.iter().all(|r| r["excluded"].is_null()));
    assert!(ranked[0]["reasons"].as_array().is_some_and(|r| !r.is_empty()), "the top choice explains itself");
    let excluded = v["excluded"].as_array().expect("excluded");
    assert!(excluded.iter().all(|r| r["excluded"].as_str().is_some_and(|w| !w.is_empty())), "every exclusion says why");

    let text = run(&["--school", "Primrosefield", "--focus", "Leadership"]);
    let s = String::from_utf8_lossy(&text.stdout);
    assert!(s.starts_with("Best placed to support Primrosefield"), "{s}");
    assert!(s.contains(" 1. "), "{s}");

    let bad = run(&["--school", "no such school anywhere", "--focus", "Maths"]);
    assert_eq!(bad.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no school matches"));
}
