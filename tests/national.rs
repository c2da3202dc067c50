//! `alliance sample --scale national`, through the real binary at a small scale factor (a
//! hundredth of the country: the logic of the 22,000-school file without its minute of work):
//! the bulk load writes every record and one audit row for the load, the same seed gives the
//! same data, and the file opens, computes and renders like any other.

use alliance::store::{Access, Store};
use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::process::Command;

const TODAY: &str = "2026-11-23";

fn alliance(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_alliance"));
    cmd.env_remove("ALLIANCE_DB")
        .env_remove("ALLIANCE_TODAY")
        .env("ALLIANCE_CONFIG", dir.join("no-config.toml"))
        .current_dir(dir);
    cmd
}

fn national(dir: &Path, name: &str, seed: u64) -> PathBuf {
    let out = dir.join(name);
    let o = alliance(dir)
        .args(["sample", "--scale", "national", "--schools", "220", "--today", TODAY, "--seed", &seed.to_string()])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run alliance sample");
    assert!(o.status.success(), "sample failed: {}", String::from_utf8_lossy(&o.stderr));
    assert!(
        o.stderr.is_empty(),
        "no progress bar when stderr is not a terminal: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

fn count(c: &Connection, sql: &str) -> i64 {
    c.query_row(sql, [], |r| r.get(0)).expect(sql)
}

/// Every row of the record tables, in id order, as text.
fn records(path: &Path) -> Vec<String> {
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    let mut out = Vec::new();
    for t in ["schools", "inspections", "leaders", "contracts", "visits", "reviews", "board_meetings", "decisions"] {
        let mut st = c.prepare(&format!("SELECT * FROM {t} ORDER BY id")).expect("select");
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                (0..n)
                    .map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}")))
                    .collect::<Result<Vec<_>, _>>()
            })
            .expect("rows");
        for r in rows {
            out.push(format!("{t}: {}", r.expect("row").join("|")));
        }
    }
    out
}

#[test]
fn a_small_national_sample_is_bulk_loaded_with_one_audit_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = national(dir.path(), "nat.db", 5);
    let c = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    assert_eq!(count(&c, "SELECT count(*) FROM schools"), 220);
    let visits = count(&c, "SELECT count(*) FROM visits");
    assert!((4_000..=6_000).contains(&visits), "{visits} visits for 220 schools (500,000 for 22,000)");
    assert!(count(&c, "SELECT count(DISTINCT la_name) FROM schools") >= 2, "more than one authority");
    // One audit row says what was loaded, by whom and when; records carry the same stamp.
    assert_eq!(count(&c, "SELECT count(*) FROM audit"), 1);
    let (entity, action, by, after): (String, String, String, String) = c
        .query_row("SELECT entity, action, by, after FROM audit", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .expect("audit row");
    assert_eq!((entity.as_str(), action.as_str(), by.as_str()), ("bulk_load", "insert", "sample"));
    let after: serde_json::Value = serde_json::from_str(&after).expect("json");
    assert_eq!(after["what"], "national-scale sample");
    let total = count(
        &c,
        "SELECT (SELECT count(*) FROM funding_streams) + (SELECT count(*) FROM schools) + (SELECT count(*) FROM inspections)
              + (SELECT count(*) FROM leaders) + (SELECT count(*) FROM contracts) + (SELECT count(*) FROM visits)
              + (SELECT count(*) FROM reviews) + (SELECT count(*) FROM board_meetings) + (SELECT count(*) FROM decisions)
              + (SELECT count(*) FROM terms)
              + (SELECT count(*) FROM criteria) + (SELECT count(*) FROM criterion_ratings) + (SELECT count(*) FROM closeouts)
              + (SELECT count(*) FROM agreements) + (SELECT count(*) FROM signoffs)
              + (SELECT count(*) FROM school_events)
              + (SELECT count(*) FROM measures) + (SELECT count(*) FROM intelligence)",
    );
    assert_eq!(after["rows"], total, "the audit row counts every record loaded");
    let measures = count(&c, "SELECT count(*) FROM measures WHERE school_id IS NOT NULL");
    assert!((220 * 30..=220 * 45).contains(&measures), "{measures} figures: ~15 measures × 3 years a school");
    assert!(count(&c, "SELECT count(*) FROM measures WHERE area = 'england'") > 0, "England rows");
    assert_eq!(count(&c, "SELECT count(*) FROM visits WHERE updated_by <> 'sample' OR version <> 1"), 0);
    assert_eq!(count(&c, "SELECT count(*) FROM pragma_foreign_key_check"), 0, "every reference holds");
    // The national sample obeys the impact rules (issue #15): every closed contract has its
    // close-out, every live one was signed by the school and the provider.
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM contracts WHERE status IN ('completed','terminated')
                AND id NOT IN (SELECT contract_id FROM closeouts WHERE kind = status)"
        ),
        0
    );
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM contracts c WHERE c.status IN ('active','paused') AND (
                SELECT count(*) FROM signoffs s JOIN agreements a ON a.id = s.agreement_id
                 WHERE a.contract_id = c.id AND s.party IN ('school','provider')) < 2"
        ),
        0
    );
    assert!(count(&c, "SELECT count(*) FROM criteria") > count(&c, "SELECT count(*) FROM contracts"));
    let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity");
    assert_eq!(ok, "ok");
    drop(c);

    // It is an ordinary alliance file: metrics, screens, and writes with their audit rows.
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let mut store = Store::open(&path, Access::ReadWrite).expect("open store");
    let snap = store.snapshot(today).expect("snapshot");
    assert_eq!(snap.schools.len(), 220);
    assert!(snap.totals.live > 0 && !snap.alerts.is_empty());
    let o = alliance(dir.path())
        .args(["--db", path.to_str().expect("utf-8"), "--today", TODAY, "render", "schools", "--width", "120"])
        .output()
        .expect("render");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // A bulk load is refused on a file that holds records: they would skip the audit trail.
    let refused = store.bulk_load(serde_json::json!({}), |_| Ok(()));
    assert!(refused.is_err(), "bulk load into a file with records");
}

#[test]
fn the_same_seed_gives_the_same_national_sample() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = records(&national(dir.path(), "a.db", 9));
    let b = records(&national(dir.path(), "b.db", 9));
    assert!(a == b, "same seed, different data");
    let c = records(&national(dir.path(), "c.db", 10));
    assert!(a != c, "a different seed should give different data");
}
