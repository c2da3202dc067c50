//! Issue 14 §5: `measure_trigger_points`, the derived table `status` and the dashboard read
//! instead of every stored figure, stays equal to a fresh computation from `measures` — after
//! an import, a re-import, a later release, local figures, an edit and a deletion (each write
//! path keeps it in step in its own transaction), after the migration fills it on an existing
//! file, and `alliance check` reports a table out of step with exit 5.

mod common;

use alliance::store::{Access, Store};
use common::{TODAY, tmp};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).display().to_string()
}

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
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "stderr: {}\nstdout: {out}", String::from_utf8_lossy(&o.stderr));
    out
}

fn summary_rows(db: &Path) -> i64 {
    let c = rusqlite::Connection::open(db).expect("open");
    c.query_row("SELECT count(*) FROM measure_trigger_points", [], |r| r.get(0)).expect("count")
}

/// The summary the store reads equals the triggers' figures computed from every stored
/// figure, and `alliance check` finds it in step.
fn in_step(dir: &Path, db: &Path, what: &str) {
    let store = Store::open(db, Access::ReadOnly).expect("open");
    let fast = store.trigger_data().expect("summary");
    let fresh = store.trigger_data_from_history().expect("history");
    assert_eq!(fast, fresh, "{what}: the summary differs from a fresh computation");
    drop(store);
    let report = ok(&alliance(dir, db, &["check"]));
    assert!(report.contains("derived") && report.contains("ok (the triggers' figures"), "{what}: {report}");
}

/// An alliance holding the GIAS fixture's Plymouth schools.
fn plymouth(dir: &Path) -> PathBuf {
    let db = dir.join("alliance.db");
    let o = Command::new(env!("CARGO_BIN_EXE_alliance"))
        .env("ALLIANCE_CONFIG", dir.join("no-config.toml"))
        .args(["init", &db.display().to_string(), "--name", "Tamar Partnership"])
        .output()
        .expect("init");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    ok(&alliance(dir, &db, &["import", "gias", &fixture("edubasealldata20261120.csv"), "--la", "879"]));
    db
}

#[test]
fn imports_reimports_edits_and_deletions_keep_the_summary_in_step() {
    let dir = tmp();
    let db = plymouth(dir.path());
    in_step(dir.path(), &db, "no figures yet");
    assert_eq!(summary_rows(&db), 0);

    // Two years first, then the third: the latest year moves and the point two years before
    // it comes into the summary.
    let year = |y: &str| fixture(&format!("performance/{y}/england_ks2final.csv"));
    ok(&alliance(dir.path(), &db, &["import", "performance", &year("2022-2023"), &year("2023-2024")]));
    in_step(dir.path(), &db, "after importing two years");
    assert!(summary_rows(&db) > 0);
    ok(&alliance(dir.path(), &db, &["import", "performance", &year("2024-2025")]));
    in_step(dir.path(), &db, "after importing the third year");
    let mary: i64 = {
        let c = rusqlite::Connection::open(&db).expect("open");
        c.query_row("SELECT id FROM schools WHERE urn = 113525", [], |r| r.get(0)).expect("school")
    };
    let years = |db: &Path| -> Vec<String> {
        let c = rusqlite::Connection::open(db).expect("open");
        c.query_row(
            "SELECT prior_year, year FROM measure_trigger_points WHERE school_id = ?1 AND measure = 'PTRWM_EXP'",
            [mary],
            |r| Ok(vec![r.get(0)?, r.get(1)?]),
        )
        .expect("Mary's RWM series")
    };
    assert_eq!(years(&db), ["2022/23", "2024/25"], "the latest year and the one two years before");

    // A re-import and an earlier release change nothing; the summary stays in step.
    let before = summary_rows(&db);
    ok(&alliance(
        dir.path(),
        &db,
        &["import", "performance", &year("2022-2023"), &year("2023-2024"), &year("2024-2025")],
    ));
    ok(&alliance(
        dir.path(),
        &db,
        &["import", "performance", &fixture("performance/2024-2025/england_ks2provisional.csv")],
    ));
    in_step(dir.path(), &db, "after a re-import");
    assert_eq!(summary_rows(&db), before);

    // Local figures for a new year: 2025/26 is now the latest, 2023/24 the year two before.
    let local = dir.path().join("local.csv");
    std::fs::write(&local, "urn,measure,year,value\n113525,PTRWM_EXP,2025/26,52\n113587,PTRWM_EXP,2025/26,SUPP\n")
        .expect("write");
    ok(&alliance(dir.path(), &db, &["import", "measures", &local.display().to_string()]));
    in_step(dir.path(), &db, "after local figures");
    assert_eq!(years(&db), ["2023/24", "2025/26"]);

    // An edit and a deletion straight in the file (any write, however made): still in step.
    let c = rusqlite::Connection::open(&db).expect("open");
    c.execute(
        "UPDATE measures SET value = 12.5 WHERE school_id = ?1 AND measure = 'PTRWM_EXP' AND year = '2023/24'",
        [mary],
    )
    .expect("edit");
    c.execute("DELETE FROM measures WHERE school_id = ?1 AND measure = 'PTRWM_EXP' AND year = '2025/26'", [mary])
        .expect("delete");
    drop(c);
    in_step(dir.path(), &db, "after an edit and a deletion");
    assert_eq!(years(&db), ["2022/23", "2024/25"], "the latest year is 2024/25 again");
}

#[test]
fn the_migration_fills_the_summary_from_the_stored_figures() {
    let dir = tmp();
    // sample.db as it was before the summary existed: its figures, no derived table.
    let db = dir.path().join("sample.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy");
    let count = |path: &Path, table: &str| -> i64 {
        let c = rusqlite::Connection::open(path).expect("open");
        c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect("count")
    };
    let expected = count(&db, "measure_trigger_points");
    assert!(expected > 0, "sample.db has trigger figures");
    let c = rusqlite::Connection::open(&db).expect("open");
    c.execute_batch(&format!(
        "DROP TRIGGER measures_trigger_points_insert; DROP TRIGGER measures_trigger_points_delete;
         DROP TRIGGER measures_trigger_points_update; DROP INDEX measures_comparators;
         DROP TABLE measure_trigger_points; PRAGMA user_version = {};",
        alliance::store::schema::SCHEMA_VERSION - 1
    ))
    .expect("undo the migration");
    drop(c);
    let tables = ["schools", "leaders", "contracts", "visits", "reviews", "measures", "intelligence", "audit"];
    let before: Vec<i64> = tables.iter().map(|t| count(&db, t)).collect();
    drop(Store::open(&db, Access::ReadWrite).expect("migrate"));
    assert_eq!(tables.iter().map(|t| count(&db, t)).collect::<Vec<_>>(), before, "every row kept");
    assert_eq!(count(&db, "measure_trigger_points"), expected);
    in_step(dir.path(), &db, "sample.db after the migration");

    // Round one's file (no figures) upgrades with an empty, in-step summary.
    let round1 = dir.path().join("round1.db");
    std::fs::copy(fixture("sample-round1.db"), &round1).expect("copy");
    drop(Store::open(&round1, Access::ReadWrite).expect("upgrade"));
    assert_eq!(summary_rows(&round1), 0);
    in_step(dir.path(), &round1, "round one's file");
}

#[test]
fn check_reports_a_summary_out_of_step_with_the_figures() {
    let dir = tmp();
    let db = dir.path().join("sample.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy");
    in_step(dir.path(), &db, "sample.db");
    let c = rusqlite::Connection::open(&db).expect("open");
    c.execute_batch(
        "UPDATE measure_trigger_points SET value = value + 1
         WHERE (measure, school_id, year) IN
               (SELECT measure, school_id, year FROM measure_trigger_points WHERE value IS NOT NULL LIMIT 1);
         DELETE FROM measure_trigger_points
         WHERE (measure, school_id, year) IN
               (SELECT measure, school_id, year FROM measure_trigger_points WHERE value IS NULL LIMIT 1);",
    )
    .expect("tamper");
    drop(c);
    let o = alliance(dir.path(), &db, &["check"]);
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(5), "{out}\n{err}");
    assert!(
        out.contains("OUT OF STEP — measure_trigger_points is out of step with measures: 2 figure(s) missing or different, 1 not in the stored figures"),
        "{out}"
    );
    assert!(err.starts_with("alliance: ") && err.contains("out of step") && err.lines().count() == 1, "{err}");
}
