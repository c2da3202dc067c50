//! `alliance import performance` and `alliance import measures` through the real binary, on
//! fixture downloads shaped like the DfE's (named columns in the DfE's order, `%` values, every
//! suppression code, LA and England rows, CRLF, the year in the folder, a zip): the values and
//! codes stored, comparators, releases, dry runs, all-or-nothing, and re-imports that change
//! nothing.

mod common;

use alliance::domain::Measure;
use alliance::store::{Access, Store};
use common::{TODAY, tmp};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).display().to_string()
}

fn perf(name: &str) -> String {
    fixture(&format!("performance/{name}"))
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

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "stderr: {}\nstdout: {}", err(o), out(o));
    out(o)
}

/// An alliance holding the GIAS fixture's Plymouth schools.
fn plymouth(dir: &Path) -> PathBuf {
    let db = dir.join("alliance.db");
    let o = Command::new(env!("CARGO_BIN_EXE_alliance"))
        .env("ALLIANCE_CONFIG", dir.join("no-config.toml"))
        .args(["init", &db.display().to_string(), "--name", "Tamar Partnership"])
        .output()
        .expect("init");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    ok(&alliance(dir, &db, &["import", "gias", &fixture("edubasealldata20261120.csv"), "--la", "879"]));
    db
}

fn measures(db: &Path) -> Vec<Measure> {
    Store::open(db, Access::ReadOnly).expect("open").all().expect("measures")
}

fn school_id(db: &Path, urn: i64) -> i64 {
    let store = Store::open(db, Access::ReadOnly).expect("open");
    store.conn().query_row("SELECT id FROM schools WHERE urn = ?1", [urn], |r| r.get(0)).expect("school")
}

fn find<'a>(all: &'a [Measure], area: &str, school: Option<i64>, code: &str, year: &str) -> &'a Measure {
    all.iter()
        .find(|m| m.area == area && m.school_id == school && m.measure == code && m.year == year)
        .unwrap_or_else(|| panic!("no {area} {school:?} {code} {year}"))
}

fn audit_rows(db: &Path) -> i64 {
    let store = Store::open(db, Access::ReadOnly).expect("open");
    store.conn().query_row("SELECT count(*) FROM audit", [], |r| r.get(0)).expect("count")
}

const YEAR_FILES: [&str; 3] =
    ["2022-2023/england_ks2final.csv", "2023-2024/england_ks2final.csv", "2024-2025/england_ks2final.csv"];

#[test]
fn ks2_downloads_store_values_codes_and_comparators_and_reimport_changes_nothing() {
    let dir = tmp();
    let db = plymouth(dir.path());
    let files: Vec<String> = YEAR_FILES.iter().map(|f| perf(f)).collect();
    let mut args = vec!["import", "performance"];
    args.extend(files.iter().map(String::as_str));
    let report = ok(&alliance(dir.path(), &db, &args));
    assert!(report.contains("KS2 final 2024/25") && report.contains("KS2 final 2022/23"), "{report}");
    assert!(report.contains("for schools not in this alliance"), "Tavistock (LA 878) is not ours: {report}");
    assert!(report.contains("columns not imported: ") && report.contains("PTREAD_EXP"), "{report}");
    assert!(report.contains("codes kept as published, not ones the DfE documents: Q7"), "{report}");
    assert_eq!(report.matches("Q7").count(), 1, "an unknown code is listed once: {report}");
    assert!(report.contains("further national rows left out"), "{report}");

    let all = measures(&db);
    let mary = school_id(&db, 113525);
    let peter = school_id(&db, 113587);
    // `48%` is 48, per year from the folder.
    let m = find(&all, "school", Some(mary), "PTRWM_EXP", "2024/25");
    assert_eq!(
        (m.value, m.status.as_str(), m.release.as_str(), m.la_code.as_str()),
        (Some(48.0), "ok", "final", "879")
    );
    assert_eq!(find(&all, "school", Some(mary), "PTRWM_EXP", "2022/23").value, Some(63.0));
    assert_eq!(find(&all, "school", Some(mary), "READPROG", "2022/23").value, Some(0.4));
    // Every code kept exactly, never a number.
    for (code, year, status) in [
        ("PTRWM_EXP", "2024/25", "SUPP"),
        ("PTRWM_HIGH", "2024/25", "DNS"),
        ("READ_AVERAGE", "2024/25", "NEW"),
        ("MAT_AVERAGE", "2024/25", "Q7"),
        ("PTRWM_EXP", "2023/24", "NE"),
        ("PTRWM_HIGH", "2023/24", "LOWCOV"),
        ("READ_AVERAGE", "2023/24", "NA"),
        ("MAT_AVERAGE", "2023/24", "x"),
        ("READPROG", "2024/25", "NP"),
    ] {
        let m = find(&all, "school", Some(peter), code, year);
        assert_eq!((m.value, m.status.as_str()), (None, status), "{code} {year}");
    }
    // Blank progress cells in 2023/24 (not published) store nothing.
    assert!(!all.iter().any(|m| m.measure == "READPROG" && m.year == "2023/24" && m.area == "school"));
    // Comparators: the LA by code, England from the first national row (60%, not the 59% row).
    assert_eq!(find(&all, "la:879", None, "PTRWM_EXP", "2024/25").value, Some(62.0));
    assert_eq!(find(&all, "la:878", None, "PTRWM_EXP", "2024/25").value, Some(61.0));
    assert_eq!(find(&all, "england", None, "PTRWM_EXP", "2022/23").value, Some(60.0));
    assert!(!all.iter().any(|m| m.school_id.is_some() && m.la_code == "878"), "no non-alliance school stored");

    // Again: nothing changes, nothing is written.
    let before = audit_rows(&db);
    let again = ok(&alliance(dir.path(), &db, &args));
    assert!(again.contains("Nothing needed changing.") && !again.contains("Saved."), "{again}");
    assert_eq!(audit_rows(&db), before);
    assert_eq!(measures(&db), all);

    // A provisional release of a year whose final figures are stored changes nothing.
    let prov =
        ok(&alliance(dir.path(), &db, &["import", "performance", &perf("2024-2025/england_ks2provisional.csv")]));
    assert!(prov.contains("a later release of them is already stored"), "{prov}");
    assert_eq!(find(&measures(&db), "school", Some(mary), "PTRWM_EXP", "2024/25").value, Some(48.0));
}

#[test]
fn ks4_absence_and_census_files_and_the_zip() {
    let dir = tmp();
    let db = plymouth(dir.path());
    let report = ok(&alliance(
        dir.path(),
        &db,
        &[
            "import",
            "performance",
            &perf("2024-2025/england_ks4final.csv"),
            &perf("2024-2025/england_abs.csv"),
            &perf("2024-2025/england_census.csv"),
            &perf("Performancetables_2023-2024.zip"),
        ],
    ));
    assert!(report.contains("left out of the zip's import: 2023-2024/ks2_meta.csv"), "{report}");
    let all = measures(&db);
    let tamar = school_id(&db, 140123);
    let mary = school_id(&db, 113525);
    let peter = school_id(&db, 113587);
    assert_eq!(find(&all, "school", Some(tamar), "ATT8SCR", "2024/25").value, Some(38.2));
    assert_eq!(find(&all, "school", Some(tamar), "PTL2BASICS_94", "2024/25").value, Some(51.0));
    assert_eq!(find(&all, "school", Some(tamar), "P8MEA", "2024/25").status, "NP");
    assert_eq!(find(&all, "england", None, "PTL2BASICS_94", "2024/25").value, Some(64.0));
    assert_eq!(find(&all, "school", Some(mary), "PPERSABS10", "2024/25").value, Some(27.0));
    assert_eq!(find(&all, "england", None, "PERCTOT", "2024/25").value, Some(6.9), "LA `NAT` is England");
    assert_eq!(find(&all, "school", Some(peter), "PPERSABS10", "2024/25").status, "c");
    assert_eq!(find(&all, "school", Some(peter), "PSENELK", "2024/25").status, "z");
    assert_eq!(find(&all, "school", Some(mary), "PNUMFSMEVER", "2024/25").value, Some(41.0));
    assert_eq!(find(&all, "la:879", None, "PNUMFSMEVER", "2024/25").value, Some(28.0));
    // From the zip, its year from the folder inside it.
    assert_eq!(find(&all, "school", Some(mary), "PTRWM_EXP", "2023/24").value, Some(55.0));
}

#[test]
fn dry_run_bad_files_and_missing_year_save_nothing() {
    let dir = tmp();
    let db = plymouth(dir.path());
    let before = audit_rows(&db);
    let dry = ok(&alliance(dir.path(), &db, &["import", "performance", &perf(YEAR_FILES[2]), "--dry-run"]));
    assert!(dry.contains("Dry run: nothing was saved.") && dry.contains("added"), "{dry}");
    assert_eq!(audit_rows(&db), before);

    // No year in the name or folder: refused, with the way out.
    let loose = dir.path().join("england_ks2final.csv");
    std::fs::copy(perf(YEAR_FILES[2]), &loose).expect("copy");
    let o = alliance(dir.path(), &db, &["import", "performance", &loose.display().to_string()]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(err(&o).contains("--year"), "{}", err(&o));
    ok(&alliance(dir.path(), &db, &["import", "performance", &loose.display().to_string(), "--year", "2024-25"]));
    assert!(measures(&db).iter().any(|m| m.year == "2024/25"));

    // A file of the wrong kind, given with a good one, stops the lot before anything is saved.
    let audit = audit_rows(&db);
    let o = alliance(
        dir.path(),
        &db,
        &["import", "performance", &perf(YEAR_FILES[0]), &fixture("edubasealldata20261120.csv")],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(err(&o).contains("not named like a performance download"), "{}", err(&o));
    assert_eq!(audit_rows(&db), audit);
    assert!(!measures(&db).iter().any(|m| m.year == "2022/23"), "all or nothing");
}

#[test]
fn hostile_codes_are_stored_exactly_and_printed_escaped() {
    let dir = tmp();
    let db = plymouth(dir.path());
    let year = dir.path().join("2024-2025");
    std::fs::create_dir_all(&year).expect("dir");
    let file = year.join("england_abs.csv");
    let evil = "\u{1b}]52;c;cm0gLXJm\u{7}\u{1b}[2J";
    std::fs::write(&file, format!("URN,LA,PERCTOT,PPERSABS10\r\n113525,879,\"{evil}\",20.5%\r\n")).expect("write");
    let o = ok(&alliance(dir.path(), &db, &["import", "performance", &file.display().to_string()]));
    assert!(!o.contains('\u{1b}') && !o.contains('\u{7}'), "no raw escape reaches the terminal: {o:?}");
    let m = measures(&db).into_iter().find(|m| m.measure == "PERCTOT").expect("stored");
    assert_eq!((m.value, m.status.as_str()), (None, evil), "stored exactly");
}

#[test]
fn local_measures_csv() {
    let dir = tmp();
    let db = plymouth(dir.path());
    let file = dir.path().join("local.csv");
    std::fs::write(
        &file,
        "urn,measure,year,value,release,note\r\n\
         113525,PERCTOT,2025/26,8.4%,,autumn term from the LA's system\r\n\
         113525,ptrwm_exp,2025-26,52,provisional,LA provisional\r\n\
         113587,PTRWM_EXP,2025/26,SUPP,,\r\n\
         113525,PERCTOT,2025/26,9,,duplicate\r\n\
         999999,PERCTOT,2025/26,9,,\r\n\
         113525,PERCTOT,twenty,9,,\r\n\
         113525,PERCTOT,2025/26,,,\r\n",
    )
    .expect("write");
    let report = ok(&alliance(dir.path(), &db, &["import", "measures", &file.display().to_string()]));
    assert!(report.contains("line 5: ") && report.contains("appears again"), "{report}");
    assert!(report.contains("line 7: year `twenty`"), "{report}");
    assert!(report.contains("line 8: ") && report.contains("has no value"), "{report}");
    let all = measures(&db);
    let mary = school_id(&db, 113525);
    let m = find(&all, "school", Some(mary), "PERCTOT", "2025/26");
    assert_eq!(
        (m.value, m.release.as_str(), m.note.as_str()),
        (Some(8.4), "local", "autumn term from the LA's system")
    );
    assert_eq!(find(&all, "school", Some(mary), "PTRWM_EXP", "2025/26").release, "provisional");
    assert_eq!(find(&all, "school", Some(school_id(&db, 113587)), "PTRWM_EXP", "2025/26").status, "SUPP");
    let audit = audit_rows(&db);
    let again = ok(&alliance(dir.path(), &db, &["import", "measures", &file.display().to_string()]));
    assert!(again.contains("Nothing needed changing."), "{again}");
    assert_eq!(audit_rows(&db), audit);
}

#[test]
fn round_one_file_upgrades_keeping_every_row_with_a_backup() {
    let dir = tmp();
    let db = dir.path().join("round1.db");
    std::fs::copy(fixture("sample-round1.db"), &db).expect("copy");
    let count = |path: &Path, table: &str| -> i64 {
        let c = rusqlite::Connection::open(path).expect("open");
        c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect("count")
    };
    let tables = ["schools", "leaders", "contracts", "visits", "reviews", "decisions", "audit", "settings"];
    let before: Vec<i64> = tables.iter().map(|t| count(&db, t)).collect();
    let with_notes = {
        let c = rusqlite::Connection::open(&db).expect("open");
        c.query_row("SELECT count(*) FROM schools WHERE trim(notes) <> ''", [], |r| r.get::<_, i64>(0)).expect("n")
    };
    assert!(with_notes > 0);
    let store = Store::open(&db, Access::ReadWrite).expect("upgrade");
    assert_eq!(store.all::<Measure>().expect("measures table").len(), 0);
    drop(store);
    let mut after: Vec<i64> = tables.iter().map(|t| count(&db, t)).collect();
    // The upgrade adds exactly one setting (the file's generation id, #11); every other row stays.
    assert_eq!(after[7], before[7] + 1, "settings gain only the generation id");
    after[7] -= 1;
    assert_eq!(before, after, "every row kept");
    // Each school's old notes became its one dated entry; the notes column is unchanged.
    assert_eq!(count(&db, "intelligence"), with_notes);
    let c = rusqlite::Connection::open(&db).expect("open");
    let mismatched: i64 = c
        .query_row(
            "SELECT count(*) FROM schools s JOIN intelligence i ON i.school_id = s.id WHERE i.text <> s.notes",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(mismatched, 0);
    drop(c);
    let backup = dir.path().join("round1.db.schema-v1.bak");
    assert!(backup.exists(), "backed up before migrating");
    let v: i64 = rusqlite::Connection::open(&backup)
        .expect("backup")
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(v, 1, "the backup is the file as it was");
}
