//! Dated soft intelligence (issue 14) through the real binary on a copy of the sample: `note
//! add|list|redact`, the `schools.notes` mirror, review flags, redaction reaching the audit
//! trail, and sensitive entries kept out of board packs unless `--include-sensitive`.

mod common;

use common::{TODAY, tmp};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn alliance(dir: &Path, db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alliance"))
        .env_remove("ALLIANCE_DB")
        .env_remove("ALLIANCE_TODAY")
        .env("ALLIANCE_CONFIG", dir.join("no-config.toml"))
        .current_dir(dir)
        .args(["--db", &db.display().to_string(), "--today", TODAY])
        .args(args)
        .output()
        .expect("run alliance")
}

fn ok(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn sample(dir: &Path) -> PathBuf {
    let db = dir.join("s.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample");
    db
}

fn q(db: &Path, sql: &str) -> String {
    let c = rusqlite::Connection::open(db).expect("open");
    c.query_row(sql, [], |r| r.get::<_, rusqlite::types::Value>(0))
        .map(|v| match v {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t,
            rusqlite::types::Value::Null => "NULL".into(),
            other => format!("{other:?}"),
        })
        .expect("query")
}

const URN: &str = "900147";

#[test]
fn notes_are_dated_the_mirror_follows_the_newest_normal_entry_and_redaction_reaches_the_audit() {
    let dir = tmp();
    let db = sample(dir.path());
    let school = q(&db, &format!("SELECT id FROM schools WHERE urn = {URN}"));
    let secret = "Head said privately she is applying for a post elsewhere";
    ok(&alliance(
        dir.path(),
        &db,
        &[
            "note",
            "add",
            "--school",
            URN,
            "--text",
            "Parents raised KS2 staffing at the PTA",
            "--source",
            "PTA chair",
            "--date",
            "-3",
        ],
    ));
    assert_eq!(
        q(&db, &format!("SELECT notes FROM schools WHERE id = {school}")),
        "Parents raised KS2 staffing at the PTA"
    );
    let out = ok(&alliance(
        dir.path(),
        &db,
        &["note", "add", "--school", URN, "--text", secret, "--sensitive", "--review-on", "+30"],
    ));
    assert!(out.starts_with("noted #"), "{out}");
    let id: i64 = out.trim_start_matches("noted #").split_whitespace().next().and_then(|n| n.parse().ok()).expect("id");
    assert_eq!(
        q(&db, &format!("SELECT notes FROM schools WHERE id = {school}")),
        "Parents raised KS2 staffing at the PTA",
        "a sensitive entry never becomes the notes mirror"
    );
    let list = ok(&alliance(dir.path(), &db, &["note", "list", "--school", URN]));
    let pos = |s: &str| list.find(s).unwrap_or_else(|| panic!("{s} in {list}"));
    assert!(pos(secret) < pos("Parents raised"), "newest first: {list}");
    assert!(list.contains("SENSITIVE"), "{list}");

    let before = q(
        &db,
        &format!("SELECT count(*) FROM audit WHERE instr(coalesce(before,'') || coalesce(after,''), '{secret}') > 0"),
    );
    assert_ne!(before, "0", "the audit trail held a copy");
    ok(&alliance(dir.path(), &db, &["note", "redact", &id.to_string()]));
    assert_eq!(q(&db, &format!("SELECT text FROM intelligence WHERE id = {id}")), "[redacted]");
    assert_eq!(q(&db, &format!("SELECT redacted FROM intelligence WHERE id = {id}")), "1");
    assert_eq!(
        q(
            &db,
            &format!(
                "SELECT count(*) FROM audit WHERE instr(coalesce(before,'') || coalesce(after,''), '{secret}') > 0"
            )
        ),
        "0",
        "every copy in the audit trail is redacted"
    );
    assert_eq!(
        q(&db, &format!("SELECT count(*) FROM audit WHERE entity = 'intelligence' AND entity_id = {id}")),
        "2",
        "the fact it existed is kept"
    );

    // Redacting the newest normal entry moves the mirror to the next one, and scrubs the
    // school's audit rows that carried it.
    let normal =
        q(&db, &format!("SELECT id FROM intelligence WHERE school_id = {school} AND text LIKE 'Parents raised%'"));
    ok(&alliance(dir.path(), &db, &["note", "redact", &normal]));
    assert_eq!(q(&db, &format!("SELECT notes FROM schools WHERE id = {school}")), "");
    assert_eq!(
        q(
            &db,
            "SELECT count(*) FROM audit WHERE instr(coalesce(before,'') || coalesce(after,''), 'Parents raised') > 0"
        ),
        "0"
    );
}

#[test]
fn past_review_dates_are_flagged_and_json_lists_entries() {
    let dir = tmp();
    let db = sample(dir.path());
    let (urn, _) = (
        q(
            &db,
            "SELECT s.urn FROM intelligence i JOIN schools s ON s.id = i.school_id WHERE i.review_on < '2026-11-23'",
        ),
        (),
    );
    let list = ok(&alliance(dir.path(), &db, &["note", "list", "--school", &urn]));
    assert!(list.contains("review due since") && list.contains("review or remove"), "{list}");
    let json = ok(&alliance(dir.path(), &db, &["note", "list", "--school", &urn, "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v[0]["review_due"], true);
    let o = alliance(dir.path(), &db, &["note", "add", "--school", &urn, "--text", "  "]);
    assert_eq!(o.status.code(), Some(3), "a blank entry is refused");
    let o = alliance(dir.path(), &db, &["note", "redact", "999999"]);
    assert_ne!(o.status.code(), Some(0));
}

#[test]
fn sensitive_entries_stay_out_of_the_board_pack_unless_asked_for() {
    let dir = tmp();
    let db = sample(dir.path());
    let secret = "Two Year 6 teachers have been off since September";
    let md = ok(&alliance(dir.path(), &db, &["export", "board-pack", "--out", "-", "--format", "md"]));
    assert!(md.contains("3. Data watch") && md.contains("RWM expected"), "{md}");
    assert!(!md.contains(secret) && !md.contains("OFFICIAL-SENSITIVE"), "left out by default");
    let md = ok(&alliance(
        dir.path(),
        &db,
        &["export", "board-pack", "--out", "-", "--format", "md", "--include-sensitive"],
    ));
    assert!(md.starts_with("**OFFICIAL-SENSITIVE**"), "{}", &md[..200.min(md.len())]);
    assert!(md.contains(secret));
    let html = ok(&alliance(
        dir.path(),
        &db,
        &["export", "board-pack", "--out", "-", "--format", "html", "--include-sensitive"],
    ));
    let body = html.find("<body>").expect("body");
    assert!(
        html[body..]
            .trim_start_matches("<body>")
            .trim_start()
            .starts_with("<p class=\"marking\"><strong>OFFICIAL-SENSITIVE")
    );
    assert!(html.contains("<svg class=\"trend\""), "trends drawn as SVG");
}

/// The trigger thresholds are settings: raising them quiets the sliding school's high concern;
/// values out of range are refused in one sentence.
#[test]
fn trigger_settings_change_what_fires() {
    let dir = tmp();
    let db = sample(dir.path());
    let concern = |db: &Path| -> Vec<(String, String)> {
        let json = ok(&alliance(dir.path(), db, &["status", "--json"]));
        let v: serde_json::Value = serde_json::from_str(&json).expect("json");
        v["alerts"]
            .as_array()
            .expect("alerts")
            .iter()
            .filter(|a| a["kind"] == "data_concern")
            .map(|a| {
                (a["severity"].as_str().unwrap_or("").to_string(), a["message"].as_str().unwrap_or("").to_string())
            })
            .collect()
    };
    let before = concern(&db);
    assert!(before.iter().any(|(s, m)| s == "high" && m.contains("RWM expected 48%")), "{before:?}");
    ok(&alliance(dir.path(), &db, &["settings", "set", "trigger_rwm_la_gap=20", "trigger-results-fall=30 points"]));
    let after = concern(&db);
    let sliding = after.iter().find(|(_, m)| m.contains("FSM ever")).expect("FSM trigger still fires");
    assert_eq!(sliding.0, "medium", "{after:?}");
    assert!(!sliding.1.contains("RWM expected"), "{after:?}");
    for bad in ["trigger_p8_below=0.5", "trigger_rwm_la_gap=0", "trigger_inspection_months=abc"] {
        let o = alliance(dir.path(), &db, &["settings", "set", bad]);
        assert_eq!(o.status.code(), Some(3), "{bad}: {}", String::from_utf8_lossy(&o.stderr));
    }
    let shown = ok(&alliance(dir.path(), &db, &["settings"]));
    assert!(shown.contains("trigger_p8_below") && shown.contains("-0.50"), "{shown}");
}
