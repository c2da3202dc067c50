//! `alliance import gias` and `alliance import ofsted` through the real binary, on the fixture
//! downloads in `tests/fixtures/` (the GIAS one is Windows-1252, like the real file): what is
//! added, updated and skipped (with line numbers), idempotent re-imports, local fields kept,
//! dry runs, and files of the wrong kind refused in one sentence with the database untouched.

mod common;

use alliance::domain::{Category, Framework, Inspection, Phase, School};
use alliance::store::{Access, Store};
use common::{TODAY, bytes, tmp};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const GIAS: &str = "edubasealldata20261120.csv";
const OFSTED: &str = "ofsted_state_funded_schools_inspections.csv";

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).display().to_string()
}

/// The binary with a clean environment, on `db`, as of the fixture date.
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

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

/// A new, empty alliance made by `alliance init`.
fn init(dir: &Path) -> PathBuf {
    let db = dir.join("alliance.db");
    let o = Command::new(env!("CARGO_BIN_EXE_alliance"))
        .env("ALLIANCE_CONFIG", dir.join("no-config.toml"))
        .args(["init", &db.display().to_string(), "--name", "Tamar Partnership"])
        .output()
        .expect("init");
    assert_eq!(code(&o), 0, "{}", err(&o));
    db
}

fn ok(o: &Output) -> String {
    assert_eq!(code(o), 0, "stderr: {}\nstdout: {}", err(o), out(o));
    out(o)
}

fn schools(db: &Path) -> Vec<School> {
    Store::open(db, Access::ReadOnly).expect("open").all().expect("schools")
}

fn school(db: &Path, urn: i64) -> School {
    schools(db).into_iter().find(|s| s.urn == Some(urn)).unwrap_or_else(|| panic!("no school {urn}"))
}

fn inspections(db: &Path) -> Vec<Inspection> {
    Store::open(db, Access::ReadOnly).expect("open").all().expect("inspections")
}

fn audit_rows(db: &Path) -> i64 {
    let store = Store::open(db, Access::ReadOnly).expect("open");
    store.conn().query_row("SELECT count(*) FROM audit", [], |r| r.get(0)).expect("count")
}

#[test]
fn gias_adds_schools_from_a_windows_1252_file_and_reports_skips_by_line() {
    let dir = tmp();
    let db = init(dir.path());
    let report = ok(&alliance(dir.path(), &db, &["import", "gias", &fixture(GIAS), "--la", "plymouth"]));
    // Line numbers are the file's own (counted from the text: `grep -n` agrees).
    assert!(report.contains("(10 rows, LA Plymouth (879))"), "{report}");
    assert!(report.contains("  added          6"), "{report}");
    assert!(report.contains("  skipped        4"), "{report}");
    assert!(report.contains("line 8: URN `abc` is not a number — skipped"), "{report}");
    assert!(
        report.contains("line 7: Old Mill Primary School (URN 113501) is closed — use --include-closed"),
        "{report}"
    );
    assert!(report.contains("line 9: Plymouth College (URN 113642) is of type Other independent school"), "{report}");
    assert!(report.contains("1 row outside the chosen local authority"), "{report}");
    assert!(report.contains("line 11: NumberOfPupils `ninety` is not a number of pupils"), "{report}");
    assert!(report.contains("2 added as graded inspections"), "{report}");
    assert!(report.trim_end().ends_with("Saved."));

    // Windows-1252 decoded: curly apostrophe, em dash, accents.
    let peter = school(&db, 113587);
    assert_eq!(peter.name, "St Peter’s Catholic Primary School — Sainte-Thérèse site");
    assert_eq!(peter.headteacher, "Mr Seán O'Connell");
    let mary = school(&db, 113525);
    assert_eq!(mary.name, "St Mary's Church of England (Aided) Primary School");
    assert_eq!((mary.phase, mary.pupils, mary.postcode.as_str()), (Phase::Primary, Some(208), "PL3 4DB"));
    assert_eq!((mary.category, mary.member, mary.la_name.as_str()), (Category::A, true, "Plymouth"));
    assert_eq!(mary.headteacher, "Mrs Jane Trelawny");
    let tamar = school(&db, 140123);
    assert_eq!((tamar.phase, tamar.trust.as_str()), (Phase::Secondary, "WESTCOUNTRY SCHOOLS TRUST"));
    assert_eq!(school(&db, 113610).phase, Phase::Special);
    let ace = school(&db, 131280);
    assert_eq!((ace.phase, ace.pupils, ace.headteacher.as_str()), (Phase::Pru, None, ""));
    assert_eq!(school(&db, 142290).phase, Phase::Nursery);
    assert!(schools(&db).iter().all(|s| s.urn != Some(113501) && s.urn != Some(113177) && s.urn != Some(113642)));

    // OfstedRating + OfstedLastInsp became graded inspections.
    let mut got: Vec<(i64, String, Option<i64>, String)> =
        inspections(&db).into_iter().map(|i| (i.school_id, i.inspected_on.to_string(), i.grade, i.outcome)).collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (mary.id, "2023-03-14".into(), Some(2), "Good".into()),
            (tamar.id, "2022-06-21".into(), Some(3), "Requires improvement".into()),
        ]
    );
}

#[test]
fn gias_reimport_changes_nothing_and_keeps_local_fields() {
    let dir = tmp();
    let db = init(dir.path());
    ok(&alliance(dir.path(), &db, &["import", "gias", &fixture(GIAS), "--la", "879"]));
    let audit = audit_rows(&db);
    let again = ok(&alliance(dir.path(), &db, &["import", "gias", &fixture(GIAS), "--la", "879"]));
    assert!(again.contains("  added          0") && again.contains("  updated        0"), "{again}");
    assert!(again.contains("  unchanged      6"), "{again}");
    assert!(again.contains("0 added as graded inspections, 2 already on record"), "{again}");
    assert!(again.trim_end().ends_with("Nothing needed changing."), "{again}");
    assert_eq!(audit_rows(&db), audit, "a re-import writes nothing");

    // The board's and the coordinator's own fields, plus a local edit GIAS will correct.
    let mut store = Store::open(&db, Access::ReadWrite).expect("open");
    let mut mary = school(&db, 113525);
    mary.category = Category::C;
    mary.notes = "New head from January; <soft intelligence>".into();
    mary.member = false;
    mary.pupils = Some(100);
    mary.name = "St Mary's CE Primary".into();
    store.save_school(&mary).expect("save");
    drop(store);

    let third = ok(&alliance(dir.path(), &db, &["import", "gias", &fixture(GIAS), "--la", "879"]));
    assert!(third.contains("  updated        1"), "{third}");
    assert!(
        third.contains("name St Mary's CE Primary → St Mary's Church of England (Aided) Primary School"),
        "{third}"
    );
    assert!(third.contains("pupils 100 → 208"), "{third}");
    let after = school(&db, 113525);
    assert_eq!(after.name, "St Mary's Church of England (Aided) Primary School");
    assert_eq!(after.pupils, Some(208));
    assert_eq!(after.category, Category::C);
    assert_eq!(after.notes, "New head from January; <soft intelligence>");
    assert!(!after.member);
}

#[test]
fn gias_dry_run_saves_nothing_and_options_widen_the_import() {
    let dir = tmp();
    let db = init(dir.path());
    // `init` has recorded its creator as admin: that row is all the audit trail holds.
    let audit_before = audit_rows(&db);
    let dry = ok(&alliance(dir.path(), &db, &["import", "gias", &fixture(GIAS), "--la", "Plymouth", "--dry-run"]));
    assert!(dry.contains("  added          6"), "{dry}");
    assert!(dry.trim_end().ends_with("Dry run: nothing was saved."), "{dry}");
    assert!(schools(&db).is_empty());
    assert!(inspections(&db).is_empty());
    assert_eq!(audit_rows(&db), audit_before);

    // Every LA, closed schools included.
    let all = ok(&alliance(dir.path(), &db, &["import", "gias", &fixture(GIAS), "--include-closed"]));
    assert!(all.contains("  added          8"), "{all}");
    assert!(!all.contains("closed"), "{all}");
    assert!(schools(&db).iter().any(|s| s.urn == Some(113501)), "closed school imported");
    assert_eq!(school(&db, 113177).la_name, "Devon");
}

#[test]
fn gias_unknown_la_is_refused_with_suggestions() {
    let dir = tmp();
    let db = init(dir.path());
    let before = bytes(&db);
    let o = alliance(dir.path(), &db, &["import", "gias", &fixture(GIAS), "--la", "Plym"]);
    assert_eq!(code(&o), 3);
    let e = err(&o);
    assert!(e.contains("no establishments in local authority `Plym`") && e.contains("Plymouth (879)"), "{e}");
    assert_eq!(e.trim_end().lines().count(), 1, "{e}");
    assert_eq!(bytes(&db), before);
}

#[test]
fn wrong_files_are_refused_in_one_sentence_and_leave_the_database_alone() {
    let dir = tmp();
    let db = init(dir.path());
    std::fs::write(dir.path().join("notes.csv"), "Name,Phone\nAnn,01752\n").expect("write");
    std::fs::write(dir.path().join("book.xlsx"), b"PK\x03\x04\x14\x00\x06\x00binary").expect("write");
    std::fs::write(dir.path().join("photo.csv"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").expect("write");
    std::fs::write(dir.path().join("empty.csv"), b"").expect("write");
    let before = bytes(&db);
    let cases: [(&str, String, &str); 8] = [
        ("gias", "notes.csv".into(), "notes.csv is not a GIAS establishment CSV"),
        ("gias", "book.xlsx".into(), "is an Excel workbook or zip file, not a CSV"),
        ("gias", "photo.csv".into(), "photo.csv is a binary file, not a CSV"),
        ("gias", "empty.csv".into(), "empty.csv is empty"),
        ("gias", "missing.csv".into(), "missing.csv: no such file"),
        (
            "gias",
            fixture(OFSTED),
            "looks like an Ofsted inspections file, not a GIAS establishment download — use `alliance import ofsted",
        ),
        (
            "ofsted",
            fixture(GIAS),
            "looks like a GIAS establishment download, not Ofsted inspection outcomes — use `alliance import gias",
        ),
        ("ofsted", "notes.csv".into(), "notes.csv is not an Ofsted inspection outcomes CSV"),
    ];
    for (kind, file, want) in cases {
        let o = alliance(dir.path(), &db, &["import", kind, &file]);
        assert_eq!(code(&o), 3, "{kind} {file}: {}", err(&o));
        let e = err(&o);
        assert!(e.starts_with("alliance: ") && e.contains(want), "{kind} {file}: {e}");
        assert_eq!(e.trim_end().lines().count(), 1, "{e}");
        assert!(out(&o).is_empty());
    }
    assert_eq!(bytes(&db), before, "never touched");
}

#[test]
fn ofsted_imports_all_three_eras_idempotently() {
    let dir = tmp();
    let db = init(dir.path());
    ok(&alliance(dir.path(), &db, &["import", "gias", &fixture(GIAS), "--la", "879"]));
    let report = ok(&alliance(dir.path(), &db, &["import", "ofsted", &fixture(OFSTED)]));
    assert!(report.contains("Ofsted import from") && report.contains("(8 rows)"), "{report}");
    assert!(report.contains("  added          4"), "{report}");
    assert!(report.contains("  updated        1"), "{report}");
    // The GIAS rating of 14 Mar 2023 gains the MI's safeguarding and sub-judgements.
    assert!(
        report.contains("(graded inspection of 14 Mar 2023): safeguarding unknown → met; area judgements"),
        "{report}"
    );
    assert!(report.contains("  skipped        3"), "{report}");
    assert!(
        report.contains("line 7: URN 131280: Inspection start date `31/02/2025` is not a dd/mm/yyyy date"),
        "{report}"
    );
    assert!(report.contains("line 9: URN 113525: report card inspection of 28 Feb 2027 is after today"), "{report}");
    assert!(report.contains("1 row for schools not in this alliance"), "{report}");

    let by = |urn: i64, fw: Framework| {
        let id = school(&db, urn).id;
        inspections(&db).into_iter().find(|i| i.school_id == id && i.framework == fw).expect("inspection")
    };
    let card = by(113525, Framework::ReportCard);
    assert_eq!((card.inspected_on.to_string().as_str(), card.outcome.as_str()), ("2026-01-20", "Needs attention"));
    assert_eq!((card.grade, card.safeguarding_met), (None, Some(true)));
    assert_eq!(
        card.areas,
        "Inclusion: Strong standard\nCurriculum and teaching: Expected standard\nAchievement: Needs attention\n\
         Attendance and behaviour: Expected standard\nPersonal development and well-being: Strong standard\n\
         Early years: Expected standard\nLeadership and governance: Expected standard"
    );
    let ace = by(131280, Framework::ReportCard);
    assert_eq!((ace.outcome.as_str(), ace.safeguarding_met), ("Urgent improvement", Some(false)));
    assert!(ace.areas.contains("Curriculum and teaching: Urgent improvement"));
    let graded = by(113525, Framework::Graded);
    assert_eq!((graded.grade, graded.outcome.as_str(), graded.safeguarding_met), (Some(2), "Good", Some(true)));
    assert!(graded.areas.contains("Personal development: Outstanding"), "{}", graded.areas);
    let no_overall = inspections(&db)
        .into_iter()
        .find(|i| i.school_id == school(&db, 140123).id && i.inspected_on.to_string() == "2025-02-05")
        .expect("2025 inspection");
    assert_eq!(
        (no_overall.framework, no_overall.grade, no_overall.outcome.as_str()),
        (Framework::Graded, None, "No overall grade")
    );
    assert!(no_overall.areas.contains("Quality of education: Requires improvement"));
    let ungraded = by(113610, Framework::Ungraded);
    assert_eq!((ungraded.outcome.as_str(), ungraded.grade), ("School remains Good", None));

    // Again: nothing changes, nothing is written.
    let audit = audit_rows(&db);
    let again = ok(&alliance(dir.path(), &db, &["import", "ofsted", &fixture(OFSTED)]));
    assert!(again.contains("  added          0") && again.contains("  updated        0"), "{again}");
    assert!(again.contains("  unchanged      5"), "{again}");
    assert_eq!(audit_rows(&db), audit);

    // The imported report card now drives school status: Urgent improvement is a concern.
    let o = alliance(dir.path(), &db, &["status", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&ok(&o)).expect("json");
    assert!(json["schools"]["by_status"]["concern"].as_u64().unwrap_or(0) >= 1, "{json}");
}

#[test]
fn ofsted_without_matching_schools_skips_every_row() {
    let dir = tmp();
    let db = init(dir.path());
    let report = ok(&alliance(dir.path(), &db, &["import", "ofsted", &fixture(OFSTED), "--dry-run"]));
    assert!(report.contains("  added          0"), "{report}");
    assert!(report.contains("6 rows for schools not in this alliance"), "{report}");
    assert!(report.trim_end().ends_with("Dry run: nothing was saved."));
}

#[test]
fn a_big_gias_file_imports_in_one_go() {
    let dir = tmp();
    let db = init(dir.path());
    let mut csv = String::from(
        "\"URN\",\"LA (code)\",\"LA (name)\",\"EstablishmentName\",\"TypeOfEstablishment (name)\",\"EstablishmentStatus (name)\",\"PhaseOfEducation (name)\",\"NumberOfPupils\",\"Postcode\"\r\n",
    );
    for i in 0..3000 {
        csv.push_str(&format!(
            "\"{}\",\"879\",\"Plymouth\",\"School number {i}\",\"Community school\",\"Open\",\"Primary\",\"{}\",\"PL1 1AA\"\r\n",
            200_000 + i,
            100 + i % 300
        ));
    }
    let file = dir.path().join("edubasealldata_big.csv");
    std::fs::write(&file, csv).expect("write");
    let start = std::time::Instant::now();
    let report = ok(&alliance(dir.path(), &db, &["import", "gias", &file.display().to_string()]));
    assert!(report.contains("  added       3000"), "{report}");
    assert_eq!(schools(&db).len(), 3000);
    assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
}
