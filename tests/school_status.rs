//! Round two's judgments about a school (#13 §2, §4): Ofsted's categories of concern make a
//! school urgent with the reason, a GIAS conversion carries the support over to the academy,
//! head changes are dated events and a `new_head` alert, a re-categorisation changes the
//! category in the decision's transaction, and `alliance school` / `alliance leader` print the
//! facts of the TUI's detail views. Through the real binary where a user would use it.

mod common;

use alliance::domain::*;
use alliance::store::{Access, Actor, Store};
use common::tmp;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).display().to_string()
}

fn alliance(dir: &Path, db: &Path, today: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alliance"))
        .env_remove("ALLIANCE_DB")
        .env_remove("ALLIANCE_TODAY")
        .env("ALLIANCE_CONFIG", dir.join("no-config.toml"))
        .current_dir(dir)
        .args(["--db", &db.display().to_string(), "--today", today])
        .args(args)
        .output()
        .expect("run alliance")
}

fn ok(o: &Output) -> String {
    let out = String::from_utf8(o.stdout.clone()).expect("utf-8");
    assert_eq!(o.status.code(), Some(0), "stderr: {}\nstdout: {out}", String::from_utf8_lossy(&o.stderr));
    out
}

fn json(o: &Output) -> Value {
    serde_json::from_str(&ok(o)).expect("only JSON on stdout")
}

fn sample_copy(dir: &Path) -> PathBuf {
    let db = dir.join("sample.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    db
}

fn reasons(v: &Value) -> Vec<String> {
    v["reasons"].as_array().expect("reasons").iter().map(|r| r["text"].as_str().expect("text").to_string()).collect()
}

#[test]
fn each_category_of_concern_in_an_ofsted_import_makes_the_school_urgent_with_the_reason() {
    let dir = tmp();
    let db = dir.path().join("a.db");
    let o = Command::new(env!("CARGO_BIN_EXE_alliance"))
        .env("ALLIANCE_CONFIG", dir.path().join("no-config.toml"))
        .args(["init", &db.display().to_string()])
        .output()
        .expect("init");
    assert_eq!(o.status.code(), Some(0));
    let today = "2026-11-23";
    ok(&alliance(dir.path(), &db, today, &["import", "gias", &fixture("edubasealldata20261120.csv")]));
    // Before: the GIAS file's own ratings leave these schools ok or watch.
    for urn in ["113525", "140123", "113610"] {
        let v = json(&alliance(dir.path(), &db, today, &["school", urn, "--json"]));
        assert_ne!(v["status"], "urgent", "{urn} before the Ofsted import: {v}");
    }
    let report =
        ok(&alliance(dir.path(), &db, today, &["import", "ofsted", &fixture("ofsted_categories_of_concern.csv")]));
    assert!(report.contains("added          4"), "{report}");

    // 1. Graded (Sept 2024 – Nov 2025): special measures with no overall grade, then a
    //    monitoring inspection, which never replaces the judgement.
    let v = json(&alliance(dir.path(), &db, today, &["school", "113525", "--json"]));
    assert_eq!(v["status"], "urgent", "{v}");
    let r = reasons(&v);
    assert!(
        r[0].starts_with(
            "in a category of concern (graded inspection of 8 Oct 2024): Ofsted recorded special measures"
        ),
        "{r:?}"
    );
    let insp = v["inspections"].as_array().expect("inspections");
    assert_eq!(insp[0]["kind"], "monitoring");
    assert_eq!(insp[1]["category_of_concern"], "special measures");
    assert_eq!(insp[1]["grade"], Value::Null);
    assert!(insp[1]["areas"].as_array().expect("areas").len() >= 5, "every sub-judgement kept: {}", insp[1]);

    // 2. Report card with safeguarding not met.
    let v = json(&alliance(dir.path(), &db, today, &["school", "140123", "--json"]));
    assert_eq!(v["status"], "urgent", "{v}");
    assert!(reasons(&v)[0].contains("safeguarding not met"), "{:?}", reasons(&v));

    // 3. Report card with Urgent improvement in leadership and governance — shown as its
    //    profile of areas, never one worst word.
    let v = json(&alliance(dir.path(), &db, today, &["school", "113610", "--json"]));
    assert_eq!(v["status"], "urgent", "{v}");
    assert!(reasons(&v)[0].contains("Urgent improvement in Leadership and governance"), "{:?}", reasons(&v));
    let text = ok(&alliance(dir.path(), &db, today, &["school", "113610"]));
    assert!(
        text.contains("report card · 1 strong standard, 3 expected standard, 1 needs attention (Inclusion), 1 urgent improvement (Leadership and governance); safeguarding met"),
        "{text}"
    );
    assert!(text.contains("    Leadership and governance: Urgent improvement"), "{text}");
}

#[test]
fn a_gias_conversion_turns_a_sample_school_into_an_academy_with_its_support_and_history() {
    let dir = tmp();
    let db = sample_copy(dir.path());
    let today = "2026-12-01";
    let before = json(&alliance(dir.path(), &db, today, &["school", "900137", "--json"]));
    assert_eq!(before["category"], "C");
    assert_eq!(before["contracts"][0]["id"], 32);

    let report = ok(&alliance(dir.path(), &db, today, &["import", "gias", &fixture("edubasealldata_conversion.csv")]));
    assert!(report.contains("Otterford Primary Academy"), "{report}");
    // Without the links, the academy is a new category A school and the support stays behind.
    let academy = json(&alliance(dir.path(), &db, today, &["school", "150137", "--json"]));
    assert_eq!((academy["category"].as_str(), academy["contracts"].as_array().map(Vec::len)), (Some("A"), Some(0)));

    let report = ok(&alliance(
        dir.path(),
        &db,
        today,
        &["import", "gias-links", &fixture("links_edubasealldata_conversion.csv")],
    ));
    assert!(report.contains("successor: became URN 150137 (Otterford Primary Academy) on 1 Dec 2026"), "{report}");
    assert!(report.contains("contracts #32 moved to the successor"), "{report}");
    assert!(report.contains("successor's category A → C"), "{report}");
    assert!(
        report.contains("URN 123456 is not in this alliance") || report.contains("not in this alliance"),
        "{report}"
    );

    let academy = json(&alliance(dir.path(), &db, today, &["school", "150137", "--json"]));
    assert_eq!(academy["category"], "C");
    assert_eq!(academy["contracts"][0]["id"], 32, "{academy}");
    assert_eq!(academy["trust"], "Moorland Learning Trust");
    assert_eq!(academy["trust_code"], "16042");
    assert_eq!(academy["links"][0]["link_type"], "predecessor");
    // Its history continues: the predecessor's inspections are its own, and it is still stuck.
    let insp = academy["inspections"].as_array().expect("inspections");
    assert_eq!(insp.len(), 2, "{academy}");
    assert!(insp.iter().all(|i| i["predecessor"] == "Otterford Community Primary School"));
    assert!(reasons(&academy).iter().any(|r| r.starts_with("stuck: below good")), "{:?}", reasons(&academy));
    assert_eq!(academy["links"][0]["urn"], 900137);
    let kinds: Vec<&str> =
        academy["events"].as_array().expect("events").iter().filter_map(|e| e["kind"].as_str()).collect();
    assert!(kinds.contains(&"converted") && kinds.contains(&"opened"), "{kinds:?}");
    // The notes and the visits' history came with the contract.
    let store = Store::open(&db, Access::ReadOnly).expect("open");
    let academy_school: School = store.get(academy["id"].as_i64().expect("id")).expect("academy");
    assert!(!academy_school.notes.is_empty());
    assert!(store.visits_for_school(academy_school.id).expect("visits").iter().all(|v| v.visit.contract_id == 32));

    let closed = json(&alliance(dir.path(), &db, today, &["school", "900137", "--json"]));
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["contracts"].as_array().map(Vec::len), Some(0));
    let text = ok(&alliance(dir.path(), &db, today, &["school", "900137"]));
    assert!(
        text.contains("Became            Otterford Primary Academy (URN 150137, successor) since 1 Dec 2026"),
        "{text}"
    );
    // The closed school is out of the status lists: no unsupported_concern for it.
    let status = json(&alliance(dir.path(), &db, today, &["status", "--json"]));
    let about_closed = status["alerts"].as_array().expect("alerts").iter().any(|a| a["school_id"] == closed["id"]);
    assert!(!about_closed, "no alert about the closed predecessor");

    // Importing the links again changes nothing.
    let again = ok(&alliance(
        dir.path(),
        &db,
        today,
        &["import", "gias-links", &fixture("links_edubasealldata_conversion.csv")],
    ));
    assert!(again.contains("unchanged      2"), "{again}");

    // The same GIAS file gave Cadleworthy a new head: a dated event, a low alert, a reason.
    let cad = json(&alliance(dir.path(), &db, today, &["school", "900136", "--json"]));
    let ev =
        cad["events"].as_array().expect("events").iter().find(|e| e["kind"] == "head_changed").expect("head event");
    assert_eq!((ev["happened_on"].as_str(), ev["before"].as_str()), (Some("2026-09-15"), Some("Mr Kwame Khan")));
    assert_eq!(ev["after"], "Mrs Alice Penrose");
    assert!(
        cad["alerts"].as_array().expect("alerts").iter().any(|a| a["kind"] == "new_head" && a["severity"] == "low")
    );
    assert!(reasons(&cad).iter().any(|r| r.contains("new head since 15 Sep 2026")), "{:?}", reasons(&cad));
}

#[test]
fn the_school_and_leader_commands_print_the_facts_of_the_tui_detail_views() {
    let dir = tmp();
    let db = sample_copy(dir.path());
    let today = "2026-11-23";
    let store = Store::open(&db, Access::ReadOnly).expect("open");
    let snap = store.snapshot(common::d(today)).expect("snapshot");
    let doc_text = |target| -> Vec<String> {
        let doc = alliance::tui::detail::load(&store, &snap, target).expect("load").expect("a document");
        doc.lines.iter().map(|l| l.iter().map(|(s, _)| s.as_str()).collect::<String>()).collect()
    };
    // Every school with something to say, and a few quiet ones.
    for st in snap.schools.iter().step_by(7) {
        let urn = st.school.urn.expect("sample URNs").to_string();
        let cli = ok(&alliance(dir.path(), &db, today, &["school", &urn]));
        let tui = doc_text(alliance::tui::table::Target::School(st.school.id));
        for line in cli.lines().filter(|l| !l.trim().is_empty()) {
            assert!(tui.iter().any(|t| t == line), "school {urn}: `{line}` is not in the TUI detail");
        }
        let v = json(&alliance(dir.path(), &db, today, &["school", &urn, "--json"]));
        assert_eq!(v["status"], st.status.label());
        for key in ["status", "reasons", "category", "inspections", "contracts", "alerts", "events"] {
            assert!(v.get(key).is_some(), "{key} missing from school --json");
        }
    }
    let leaders: Vec<Leader> = store.all().expect("leaders");
    for l in leaders.iter().step_by(5) {
        let cli = ok(&alliance(dir.path(), &db, today, &["leader", &l.name]));
        let tui = doc_text(alliance::tui::table::Target::Leader(l.id));
        for line in cli.lines().filter(|x| !x.trim().is_empty()) {
            assert!(tui.iter().any(|t| t == line), "leader {}: `{line}` is not in the TUI detail", l.name);
        }
        let v = json(&alliance(dir.path(), &db, today, &["leader", &l.name, "--json"]));
        assert_eq!(v["name"], l.name.as_str());
        assert!(v["capacity"]["available"].is_number());
    }
    // Bad input: one sentence, exit 3.
    let o = alliance(dir.path(), &db, today, &["school", "No Such School"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no school matches `No Such School`"));
    let o = alliance(dir.path(), &db, today, &["leader", "Nobody Atall"]);
    assert_eq!(o.status.code(), Some(3));
}

#[test]
fn a_recategorise_decision_changes_the_category_in_its_transaction() {
    let dir = tmp();
    let db = sample_copy(dir.path());
    let mut store = Store::open(&db, Access::ReadWrite).expect("open");
    store.actor = Actor::fixed("chair", "2026-11-23T10:00:00Z");
    let school: School = store.get(56).expect("Otterford");
    assert_eq!(school.category, Category::C);
    let meeting = store.meetings().expect("meetings")[0].id;
    let mut d = Decision {
        id: 0,
        meeting_id: meeting,
        school_id: Some(56),
        contract_id: None,
        kind: DecisionKind::Recategorise,
        category: Some(Category::B),
        text: "Re-categorise C → B: phonics recovered, leadership now secure".into(),
        owner: "Chair of the board".into(),
        due_on: None,
        done: true,
        stamp: Stamp::default(),
    };
    // Refused without a review date, and nothing changes.
    assert!(store.save_decision(&d).is_err());
    assert_eq!(store.get::<School>(56).expect("school").category, Category::C);
    d.due_on = Some(common::d("2027-03-01"));
    let id = store.save_decision(&d).expect("saved");
    assert_eq!(store.get::<School>(56).expect("school").category, Category::B);
    let history = store.history("schools", 56).expect("audit");
    assert_eq!(history[0].by, "chair");
    assert!(history[0].after.as_deref().unwrap_or("").contains("\"category\":\"B\""));
    // Marking it done again later does not undo a later change by the board.
    let mut s: School = store.get(56).expect("school");
    s.category = Category::A;
    store.save_school(&s).expect("saved");
    let mut again: Decision = store.get(id).expect("decision");
    again.owner = "Coordinator".into();
    store.save_decision(&again).expect("saved");
    assert_eq!(store.get::<School>(56).expect("school").category, Category::A);
    // approve_funding is a decision kind too; a category on any other kind is refused.
    let fund = Decision { kind: DecisionKind::ApproveFunding, category: None, due_on: None, ..d.clone() };
    store.save_decision(&fund).expect("approve_funding saved");
    let wrong = Decision { kind: DecisionKind::Monitor, ..d };
    assert!(store.save_decision(&wrong).is_err());
}

#[test]
fn alliance_decide_records_a_recategorisation_and_funding() {
    let dir = tmp();
    let db = sample_copy(dir.path());
    let today = "2026-11-23";
    let out = ok(&alliance(
        dir.path(),
        &db,
        today,
        &[
            "decide",
            "--kind",
            "recategorise",
            "--school",
            "900137",
            "--category",
            "B",
            "--text",
            "Phonics recovered",
            "--due",
            "2027-03-01",
        ],
    ));
    assert!(out.contains("Otterford Community Primary School: category C → B, to be reviewed by 1 Mar 2027"), "{out}");
    let v = json(&alliance(dir.path(), &db, today, &["school", "900137", "--json"]));
    assert_eq!(v["category"], "B");
    // No review date: refused in one sentence, exit 3, nothing changed.
    let o = alliance(
        dir.path(),
        &db,
        today,
        &["decide", "--kind", "recategorise", "--school", "900137", "--category", "D", "--text", "x"],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("decision not recorded: a re-categorisation needs the date it is reviewed")
    );
    assert_eq!(json(&alliance(dir.path(), &db, today, &["school", "900137", "--json"]))["category"], "B");
    let o = alliance(dir.path(), &db, today, &["decide", "--kind", "applaud", "--text", "x"]);
    assert_eq!(o.status.code(), Some(3));
    ok(&alliance(
        dir.path(),
        &db,
        today,
        &["decide", "--kind", "approve_funding", "--contract", "32", "--text", "Approve £1,750"],
    ));
}

#[test]
fn a_head_typed_into_the_school_form_is_a_dated_event() {
    let dir = tmp();
    let db = sample_copy(dir.path());
    let mut store = Store::open(&db, Access::ReadWrite).expect("open");
    store.actor = Actor::fixed("coordinator", "2026-11-20T09:00:00Z");
    let mut s: School = store.get(13).expect("Cadleworthy");
    let old = s.headteacher.clone();
    s.headteacher = "Ms Ruth Penhaligon".into();
    s.trust = "Moorland Learning Trust".into();
    store.save_school(&s).expect("saved");
    let events = store.school_events(13).expect("events");
    let kinds: Vec<(EventKind, &str, &str)> =
        events.iter().map(|e| (e.kind, e.before.as_str(), e.after.as_str())).collect();
    assert!(kinds.contains(&(EventKind::HeadChanged, old.as_str(), "Ms Ruth Penhaligon")), "{kinds:?}");
    assert!(kinds.contains(&(EventKind::TrustJoined, "", "Moorland Learning Trust")), "{kinds:?}");
    assert!(events.iter().all(|e| e.happened_on == common::d("2026-11-20") && e.source == "edit"));
    let snap = store.snapshot(common::d("2026-11-23")).expect("snapshot");
    assert!(snap.alerts.iter().any(|a| a.kind == alliance::metrics::AlertKind::NewHead && a.school_id == Some(13)));
}

#[test]
fn round_ones_file_migrates_keeping_every_row_and_takes_the_new_decision_kinds() {
    let dir = tmp();
    let db = dir.path().join("round1.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample-round1.db"), &db).expect("copy");
    let count = |c: &rusqlite::Connection, t: &str| -> i64 {
        c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).expect("count")
    };
    let tables =
        ["schools", "inspections", "leaders", "contracts", "visits", "reviews", "board_meetings", "decisions", "audit"];
    let before: Vec<i64> = {
        let c = rusqlite::Connection::open(&db).expect("open raw");
        tables.iter().map(|t| count(&c, t)).collect()
    };
    let decisions_before: Vec<(i64, String, String)> = {
        let c = rusqlite::Connection::open(&db).expect("open raw");
        let mut st = c.prepare("SELECT id, kind, text FROM decisions ORDER BY id").expect("prepare");
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).expect("q").collect::<Result<_, _>>().expect("rows")
    };
    let mut store = Store::open(&db, Access::ReadWrite).expect("migrates");
    let after: Vec<i64> = tables.iter().map(|t| count(store.conn(), t)).collect();
    assert_eq!(before, after, "every row kept");
    // The store copied the file before changing its schema.
    let backup = dir.path().join("round1.db.schema-v1.bak");
    let copy = rusqlite::Connection::open(&backup).expect("the backup made before migrating");
    let version: i64 = copy.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(version, 1);
    assert_eq!(tables.iter().map(|t| count(&copy, t)).collect::<Vec<_>>(), before);
    let decisions: Vec<Decision> = store.all().expect("decisions");
    let now: Vec<(i64, String, String)> =
        decisions.iter().map(|d| (d.id, d.kind.as_str().to_string(), d.text.clone())).collect();
    assert_eq!(now, decisions_before);
    let fk: i64 =
        store.conn().query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).expect("fk");
    assert_eq!(fk, 0);
    let d = Decision { id: 0, kind: DecisionKind::ApproveFunding, category: None, ..decisions[0].clone() };
    store.save_decision(&d).expect("a new kind on a migrated file");
}
