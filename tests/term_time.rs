//! Term time (issue #13 §3), on the real binary and real files: the summer holiday makes
//! nothing overdue, term dates are added, listed, removed and imported (CSV and iCalendar),
//! and round one's file gains the `terms` table with its day windows turned into school days.

use alliance::store::{Access, Store};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn copy_sample(dir: &Path, from: &str) -> PathBuf {
    let db = dir.join("alliance.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(from), &db).expect("copy the sample");
    db
}

fn alliance(db: &Path, today: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alliance"))
        .arg("--db")
        .arg(db)
        .args(["--today", today])
        .args(args)
        .env("ALLIANCE_CONFIG", "/nonexistent")
        .env_remove("ALLIANCE_DB")
        .output()
        .expect("run alliance")
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The (kind, contract) of every no-recent-visit and review-overdue alert on `today`.
fn quiet_and_overdue(db: &Path, today: &str) -> BTreeSet<(String, i64)> {
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&alliance(db, today, &["status", "--json"]))).expect("json");
    v["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .filter(|a| matches!(a["kind"].as_str(), Some("no_recent_visit" | "review_overdue")))
        .map(|a| (a["kind"].as_str().unwrap_or("").to_string(), a["contract_id"].as_i64().unwrap_or(0)))
        .collect()
}

#[test]
fn the_first_day_of_the_autumn_term_raises_nothing_new() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = copy_sample(dir.path(), "sample.db");
    {
        let store = Store::open(&db, Access::ReadWrite).expect("open");
        store
            .conn()
            .execute_batch(
                "DELETE FROM visits WHERE visited_on > '2026-07-20';
                 DELETE FROM reviews WHERE reviewed_on > '2026-07-20';",
            )
            .expect("remove the autumn's visits and reviews");
    }
    let last_day = quiet_and_overdue(&db, "2026-07-17");
    // Every day of the holiday, and the first day back.
    let mut day = chrono::NaiveDate::from_ymd_opt(2026, 7, 18).expect("date");
    let first_day = chrono::NaiveDate::from_ymd_opt(2026, 9, 3).expect("date");
    while day <= first_day {
        let now = quiet_and_overdue(&db, &day.to_string());
        let new: Vec<_> = now.difference(&last_day).collect();
        assert!(new.is_empty(), "{day}: {new:?} were not raised on the last day of the summer term");
        day = day.succ_opt().expect("date");
    }
    // …whereas the weeks of term that follow do raise them: the rule is not switched off.
    assert!(!quiet_and_overdue(&db, "2026-10-16").is_empty());
}

#[test]
fn terms_are_added_listed_and_removed_and_a_missing_year_is_said() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = copy_sample(dir.path(), "sample.db");
    let text = stdout(&alliance(&db, "2027-09-20", &["status"]));
    assert!(text.contains("no term dates for 2027/28"), "{text}");
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&alliance(&db, "2027-09-20", &["status", "--json"]))).expect("json");
    assert_eq!(v["term_dates"]["note"], "no term dates for 2027/28");
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&alliance(&db, "2026-11-23", &["status", "--json"]))).expect("json");
    assert_eq!(v["term_dates"]["recorded"], true);
    let dash = stdout(&alliance(&db, "2027-09-20", &["render", "dashboard", "--width", "120"]));
    assert!(dash.contains("no term dates for 2027/28"), "{dash}");

    let out = stdout(&alliance(
        &db,
        "2027-09-20",
        &["terms", "add", "2027-09-02", "2027-12-17", "--label", "Autumn term 2027"],
    ));
    assert!(out.starts_with("term #13 added: Thu 2 Sep 2027 – Fri 17 Dec 2027 (Autumn term 2027)"), "{out}");
    assert!(!out.contains("no term dates"), "{out}");
    let out = stdout(&alliance(
        &db,
        "2027-09-20",
        &["terms", "add", "25/10/2027", "29/10/2027", "--closure", "--label", "Half term"],
    ));
    assert!(out.starts_with("closure #14 added"), "{out}");
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&alliance(&db, "2027-09-20", &["terms", "--json"]))).expect("json");
    let rows = v["terms"].as_array().expect("terms");
    assert_eq!(rows.len(), 14);
    let autumn = rows.iter().find(|r| r["id"] == 13).expect("the new term");
    assert_eq!(autumn["school_days"], 72, "Thu and Fri, then 15 weeks less the half term");
    assert_eq!(v["recorded"], true);

    // The same term twice, a term ending before it starts, an unknown id: one sentence, exit 3.
    for (args, says) in [
        (vec!["terms", "add", "2027-09-02", "2027-12-17"], "already recorded"),
        (vec!["terms", "add", "2027-12-17", "2027-09-02"], "is before"),
        (vec!["terms", "add", "2027-09-02", "2029-09-02"], "longer than a year"),
        (vec!["terms", "remove", "99"], "no term or closure #99"),
    ] {
        let o = alliance(&db, "2027-09-20", &args);
        assert_eq!(o.status.code(), Some(3), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
    let out = stdout(&alliance(&db, "2027-09-20", &["terms", "remove", "13"]));
    assert!(out.contains("term #13 removed"), "{out}");
    assert!(out.contains("note: no term dates for 2027/28"), "{out}");
    // Every change is audited.
    let store = Store::open(&db, Access::ReadOnly).expect("open");
    let n: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM audit WHERE entity = 'terms' AND entity_id IN (13, 14)", [], |r| r.get(0))
        .expect("audit");
    assert_eq!(n, 3, "two inserts and a delete");
}

#[test]
fn import_terms_reads_csv_and_icalendar_idempotently() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = copy_sample(dir.path(), "sample.db");
    let csv = dir.path().join("terms.csv");
    std::fs::write(
        &csv,
        "starts_on,ends_on,label\n2027-09-02,2027-12-17,Autumn term 2027\n2027-10-25,2027-10-29,Half term\n2027-09-01,2027-09-01,INSET day\n2026-09-03,2026-12-18,Autumn term 2026\n",
    )
    .expect("write");
    let csv_arg = csv.to_str().expect("path");
    let dry = stdout(&alliance(&db, "2027-09-20", &["import", "terms", csv_arg, "--dry-run"]));
    assert!(dry.contains("dry run, nothing saved"), "{dry}");
    assert!(dry.contains("2 terms and 2 closures read; 3 added, 1 already recorded"), "{dry}");
    let out = stdout(&alliance(&db, "2027-09-20", &["import", "terms", csv_arg]));
    assert!(out.contains("3 added, 1 already recorded"), "{out}");
    let again = stdout(&alliance(&db, "2027-09-20", &["import", "terms", csv_arg]));
    assert!(again.contains("0 added, 4 already recorded"), "{again}");
    let text = stdout(&alliance(&db, "2027-09-20", &["status"]));
    assert!(!text.contains("no term dates"), "{text}");

    let ics = dir.path().join("dates.ics");
    std::fs::write(
        &ics,
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Spring term starts\r\nDTSTART;VALUE=DATE:20280104\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Spring term ends\r\nDTSTART;VALUE=DATE:20280324\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:February half term\r\nDTSTART;VALUE=DATE:20280214\r\nDTEND;VALUE=DATE:20280219\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Sports day\r\nDTSTART;VALUE=DATE:20280601\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .expect("write");
    let out = stdout(&alliance(&db, "2027-09-20", &["import", "terms", ics.to_str().expect("path")]));
    assert!(out.contains("1 terms and 1 closures read; 2 added"), "{out}");
    assert!(out.contains("left out 1 event naming neither a term nor a closure: `Sports day`"), "{out}");
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&alliance(&db, "2027-09-20", &["terms", "--json"]))).expect("json");
    let spring = v["terms"].as_array().expect("terms").iter().find(|t| t["starts_on"] == "2028-01-04").cloned();
    assert_eq!(spring.map(|t| t["ends_on"].clone()), Some(serde_json::json!("2028-03-24")));

    // Not term dates at all: refused before anything is written.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "URN,Name\n100000,A school\n").expect("write");
    let o = alliance(&db, "2027-09-20", &["import", "terms", bad.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("starts_on,ends_on,label"));
}

#[test]
fn round_one_files_gain_terms_and_school_day_windows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = copy_sample(dir.path(), "tests/fixtures/sample-round1.db");
    let count = |store: &Store, table: &str| -> i64 {
        store.conn().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect("count")
    };
    let tables = ["schools", "leaders", "contracts", "visits", "reviews", "decisions", "audit", "inspections"];
    let before: Vec<i64> = {
        let raw = rusqlite::Connection::open(&db).expect("open raw");
        tables
            .iter()
            .map(|t| raw.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).expect("count"))
            .collect()
    };
    let store = Store::open(&db, Access::ReadWrite).expect("open and migrate");
    let after: Vec<i64> = tables.iter().map(|t| count(&store, t)).collect();
    assert_eq!(before, after, "every row kept");
    assert_eq!(count(&store, "terms"), 0);
    let s = store.settings().expect("settings");
    assert_eq!((s.review_interval_days, s.no_visit_days), (30, 20), "round one's defaults became school days");
    drop(store);
    // With no term dates the file works, and says so.
    let text = stdout(&alliance(&db, "2026-11-23", &["status"]));
    assert!(text.contains("no term dates for 2026/27"), "{text}");
}
