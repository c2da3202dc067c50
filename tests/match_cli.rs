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
    // Best first: those who cover the focus with days to give, then those who cover it without,
    // then the rest, by score within each group.
    let key = |r: &serde_json::Value| {
        let covers = r["covers"].as_bool().expect("covers");
        let days = r["available"].as_f64().expect("available") > 0.0;
        let group = if covers && days {
            0
        } else if covers {
            1
        } else {
            2
        };
        (group, -r["score"].as_i64().expect("score"))
    };
    let keys: Vec<_> = ranked.iter().map(key).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "best first: {keys:?}");
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

#[test]
fn days_outside_half_a_day_to_220_are_refused_in_one_sentence() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("alliance.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    let run = |days: &str| {
        Command::new(env!("CARGO_BIN_EXE_alliance"))
            .arg("--db")
            .arg(&db)
            .args(["--today", "2026-11-23", "match", "--school", "Primrosefield", "--focus", "Leadership"])
            .args(["--days", days])
            .env("ALLIANCE_CONFIG", "/nonexistent")
            .output()
            .expect("run alliance")
    };
    // Negative numbers reach our message, not clap's "unexpected argument '-4'".
    for days in ["-4", "-0.5", "0", "0.25", "400", "220.5", "1e3", "300½"] {
        let out = run(days);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{days}: {err}");
        assert_eq!(
            err.trim_end(),
            format!("alliance: --days `{days}` is out of range: give 0.5 to 220 days, in whole or half days")
        );
        assert!(out.stdout.is_empty(), "{days}: no ranking");
    }
    for days in ["0.5", "220", "1½"] {
        let out = run(days);
        assert!(out.status.success(), "{days}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let out = run("1.3");
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use whole or half days"));
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    // The reader is gone before alliance writes (`| true` reads nothing): every write meets a
    // closed pipe. println! panicked here ("failed printing to stdout: Broken pipe", exit 101).
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{} --db {} --read-only --today 2026-11-23 match --school Primrosefield --focus Leadership --top 50 | true",
            env!("CARGO_BIN_EXE_alliance"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db")
        ))
        .env("ALLIANCE_CONFIG", "/nonexistent")
        .output()
        .expect("sh");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{err}");
}
