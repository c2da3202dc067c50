//! Impact (issue #15) against real SQLite files: criteria from free text, close-outs, sign-off
//! before activation (and the relaxing setting), variations that need signing again, the
//! migration of round one's file, the CLI's refusals, and `impact --json` on sample.db
//! recomputed in plain SQL.

mod common;

use alliance::domain::settings::SettingChange;
use alliance::domain::*;
use alliance::store::{CriterionOutcome, Store, StoreError};
use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn one_contract(status: ContractStatus) -> (tempfile::TempDir, Store, i64) {
    let dir = tmp();
    let (mut store, _) = create(dir.path(), "a.db");
    let s = store.save_school(&school("Hillside Primary", Category::C)).expect("school");
    let l = store.save_leader(&leader("Ann Lee", 20.0, true)).expect("leader");
    let mut c = contract(s, l, "2026-09-01", "2027-03-31", 6.0, status);
    c.success_criteria = "Phonics pass rate from 57% to 70%; every adult observed twice\nGovernors challenge".into();
    let (id, _) = store.save_contract(&c).expect("contract");
    (dir, store, id)
}

fn closeout(contract_id: i64, kind: CloseKind, outcome: Outcome, reason: &str) -> Closeout {
    Closeout {
        id: 0,
        contract_id,
        kind,
        closed_on: d("2026-11-20"),
        outcome,
        sustain: "Keep the monitoring".into(),
        school_feedback_score: Some(4),
        school_feedback: "Helpful".into(),
        lessons: "Start earlier".into(),
        reason: reason.into(),
        stamp: Stamp::default(),
    }
}

fn invalid(e: StoreError) -> String {
    match e {
        StoreError::Invalid(p) => p.error_text(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn sign_both(store: &mut Store, id: i64) {
    store.sign(id, Party::School, d("2026-08-20"), "Hazel Head", d(TODAY)).expect("school signs");
    store.sign(id, Party::Provider, d("2026-08-21"), "Pat Provider", d(TODAY)).expect("provider signs");
}

#[test]
fn a_new_contracts_free_text_criteria_become_one_criterion_per_clause() {
    let (_dir, store, id) = one_contract(ContractStatus::Proposed);
    let texts: Vec<String> = store.criteria(id).expect("criteria").into_iter().map(|k| k.text).collect();
    assert_eq!(texts, ["Phonics pass rate from 57% to 70%", "every adult observed twice", "Governors challenge"]);
}

#[test]
fn a_contract_cannot_complete_without_a_close_out() {
    let (_dir, mut store, id) = one_contract(ContractStatus::Proposed);
    sign_both(&mut store, id);
    let mut c: Contract = store.get(id).expect("contract");
    assert_eq!(c.status, ContractStatus::Active, "signed by school and provider: active");
    c.status = ContractStatus::Completed;
    assert!(invalid(store.save_contract(&c).expect_err("completed without close-out")).contains("close-out"));
    // Nor by plain SQL from another program: the schema's trigger refuses it.
    let raw = store.conn().execute("UPDATE contracts SET status = 'completed' WHERE id = ?1", [id]);
    assert!(raw.is_err(), "a raw update to completed is refused");
    // A termination needs a reason; an open outcome is no outcome.
    let e = store.close_contract(&closeout(id, CloseKind::Terminated, Outcome::NotMet, " "), &[], d(TODAY));
    assert!(invalid(e.expect_err("no reason")).contains("reason"));
    let e = store.close_contract(&closeout(id, CloseKind::Completed, Outcome::Open, ""), &[], d(TODAY));
    assert!(invalid(e.expect_err("open outcome")).contains("outcome"));
    // With its close-out it completes, with each criterion's outcome and actual.
    let k = store.criteria(id).expect("criteria");
    let outcomes = [
        CriterionOutcome { criterion_id: k[0].id, outcome: Outcome::Met, actual: Some((71.0, d("2026-11-20"))) },
        CriterionOutcome { criterion_id: k[1].id, outcome: Outcome::PartlyMet, actual: None },
    ];
    let done = store
        .close_contract(&closeout(id, CloseKind::Completed, Outcome::PartlyMet, ""), &outcomes, d(TODAY))
        .expect("close");
    assert_eq!(done.warnings.len(), 1, "one criterion left open is a warning");
    let c: Contract = store.get(id).expect("contract");
    assert_eq!(c.status, ContractStatus::Completed);
    let k = store.criteria(id).expect("criteria");
    assert_eq!((k[0].outcome, k[0].actual, k[0].actual_source.as_str()), (Outcome::Met, Some(71.0), "typed"));
    assert_eq!(k[1].outcome, Outcome::PartlyMet);
    assert_eq!(store.closeout(id).expect("read").map(|x| x.outcome), Some(Outcome::PartlyMet));
    let again = store.close_contract(&closeout(id, CloseKind::Completed, Outcome::Met, ""), &[], d(TODAY));
    assert!(invalid(again.expect_err("closed twice")).contains("already"));
}

/// A close-out whose overall outcome reads against its criteria is saved (the board judges the
/// whole) but says so, in the warnings the CLI prints and the form shows.
#[test]
fn an_overall_met_with_its_aims_missed_is_questioned() {
    let (_dir, mut store, id) = one_contract(ContractStatus::Proposed);
    sign_both(&mut store, id);
    let k = store.criteria(id).expect("criteria");
    let outcomes: Vec<CriterionOutcome> =
        k.iter().map(|k| CriterionOutcome { criterion_id: k.id, outcome: Outcome::NotMet, actual: None }).collect();
    let done = store
        .close_contract(&closeout(id, CloseKind::Completed, Outcome::Met, ""), &outcomes, d(TODAY))
        .expect("saved: a warning, not a refusal");
    let said: Vec<String> = done.warnings.iter().map(|w| w.message.clone()).collect();
    assert!(said.iter().any(|w| w.starts_with("overall met, but 0 of 3 criteria met")), "{said:?}");
    assert_eq!(store.closeout(id).expect("read").map(|x| x.outcome), Some(Outcome::Met));
}

#[test]
fn an_unsigned_contract_cannot_become_active_unless_the_setting_relaxes_it() {
    let (_dir, mut store, id) = one_contract(ContractStatus::Proposed);
    let mut c: Contract = store.get(id).expect("contract");
    c.status = ContractStatus::Active;
    let e = invalid(store.save_contract(&c).expect_err("unsigned"));
    assert!(e.contains("school") && e.contains("provider"), "{e}");
    // Signed by the school only: still refused, naming the provider.
    store.sign(id, Party::School, d("2026-08-20"), "Hazel Head", d(TODAY)).expect("school signs");
    let e = invalid(store.save_contract(&c).expect_err("half signed"));
    assert!(e.contains("provider") && !e.contains("school and"), "{e}");
    // A new contract created active is unsigned too.
    let mut fresh = c.clone();
    fresh.id = 0;
    fresh.stamp = Stamp::default();
    assert!(store.save_contract(&fresh).is_err());
    // signoff = warn: allowed, with a warning.
    let settings = store.settings().expect("settings");
    store
        .change_settings(&[SettingChange {
            key: "signoff",
            expected: settings.get("signoff").expect("key"),
            value: "warn".into(),
        }])
        .expect("relax");
    let (_, warnings) = store.save_contract(&c).expect("active with a warning");
    assert!(warnings.iter().any(|w| w.message.contains("provider")), "{warnings:?}");
    assert_eq!(store.get::<Contract>(id).expect("c").status, ContractStatus::Active);
}

#[test]
fn a_variation_after_signing_needs_signing_again_and_history_keeps_each_version() {
    let (_dir, mut store, id) = one_contract(ContractStatus::Proposed);
    sign_both(&mut store, id);
    let st = store.agreement_status(id).expect("status");
    assert!(st.fully_signed() && !st.variation_awaiting && st.version == 1);
    // More days: a variation. The contract stays active, marked, and version 2 awaits both.
    let mut c: Contract = store.get(id).expect("contract");
    c.days_commissioned = 8.0;
    store.save_contract(&c).expect("vary days");
    let st = store.agreement_status(id).expect("status");
    assert_eq!(st.version, 2);
    assert!(st.variation_awaiting);
    assert_eq!(st.awaiting, [Party::School, Party::Provider]);
    assert!(st.changes.iter().any(|x| x.contains("days 6 → 8")), "{:?}", st.changes);
    assert_eq!(store.get::<Contract>(id).expect("c").status, ContractStatus::Active);
    // A criterion changed before re-signing is folded into the same unsigned version 2.
    let mut k = store.criteria(id).expect("criteria")[0].clone();
    k.target = Some(72.0);
    store.save_criterion(&k).expect("criterion");
    assert_eq!(store.agreement_status(id).expect("status").version, 2);
    sign_both(&mut store, id);
    let st = store.agreement_status(id).expect("status");
    assert!(st.fully_signed() && !st.variation_awaiting);
    assert_eq!(st.history.len(), 2);
    assert_eq!(st.history[0].1.len(), 2, "version 1 keeps its signatures");
    assert_eq!(st.history[1].1.len(), 2);
    // Signing the same version twice is refused with who signed it.
    let e = store.sign(id, Party::School, d("2026-11-20"), "Someone", d(TODAY)).expect_err("twice");
    assert!(invalid(e).contains("already signed version 2"));
    // A change of aims is no variation.
    let mut c: Contract = store.get(id).expect("contract");
    c.aims = "Different words".into();
    store.save_contract(&c).expect("aims");
    assert_eq!(store.agreement_status(id).expect("status").version, 2);
}

#[test]
fn ratings_belong_to_the_contracts_criteria() {
    let (_dir, mut store, id) = one_contract(ContractStatus::Proposed);
    let k = store.criteria(id).expect("criteria");
    let r = review(id, "2026-11-01", Rag::Amber, None, false);
    let rid = store.add_rated_review(&r, &[(k[0].id, Rag::Green), (k[1].id, Rag::Red)], d(TODAY)).expect("review");
    store.rate_criteria(rid, &[(k[1].id, Rag::Amber)]).expect("re-rate");
    let ratings = store.ratings(rid).expect("ratings");
    assert_eq!(ratings.iter().map(|x| x.rag).collect::<Vec<_>>(), [Rag::Green, Rag::Amber]);
    assert!(store.rate_criteria(rid, &[(9_999, Rag::Red)]).is_err());
    assert_eq!(rag_descriptor(Rag::Amber), "at risk: needs a change of approach");
}

#[test]
fn round_ones_file_gains_criteria_clause_by_clause_and_keeps_every_row() {
    let dir = tmp();
    let path = dir.path().join("r1.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample-round1.db"), &path).expect("copy");
    let before = rusqlite::Connection::open(&path).expect("open");
    let counts = |c: &rusqlite::Connection| -> Vec<i64> {
        ["schools", "leaders", "contracts", "visits", "reviews", "decisions", "audit"]
            .iter()
            .map(|t| c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).expect("count"))
            .collect()
    };
    let was = counts(&before);
    let texts: Vec<(i64, String)> = {
        let mut st = before.prepare("SELECT id, success_criteria FROM contracts ORDER BY id").expect("sql");
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("q").collect::<Result<_, _>>().expect("rows")
    };
    drop(before);
    let store = Store::open(&path, alliance::store::Access::ReadWrite).expect("migrate");
    assert_eq!(counts(store.conn()), was, "every row kept");
    // The store backed the file up before migrating it: round one's rows, round one's schema.
    let backups: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.starts_with("r1.db.schema-v") && n.ends_with(".bak"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    let old = rusqlite::Connection::open(dir.path().join(&backups[0])).expect("open backup");
    assert_eq!(counts(&old), was);
    let v: i64 = old.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(v, 1, "the backup is the file as it was");
    let mut total = 0;
    for (id, text) in texts {
        let got: Vec<String> = store.criteria(id).expect("criteria").into_iter().map(|k| k.text).collect();
        assert_eq!(got, split_clauses(&text), "contract #{id}");
        assert!(got.iter().all(|t| text.contains(t.as_str())), "text unchanged");
        total += got.len();
    }
    assert!(total > 40);
}

fn alliance(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_alliance"))
        .args(args)
        .env("ALLIANCE_TODAY", TODAY)
        .env_remove("ALLIANCE_DB")
        .output()
        .expect("run alliance")
}

fn sample_copy(dir: &Path) -> String {
    let p = dir.join("s.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &p).expect("copy sample");
    p.display().to_string()
}

#[test]
fn close_without_an_outcome_or_a_termination_without_a_reason_is_refused() {
    let dir = tmp();
    let db = sample_copy(dir.path());
    let active = "15";
    let o = alliance(&["--db", &db, "contract", "close", active]);
    assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--outcome"));
    let o = alliance(&["--db", &db, "contract", "close", active, "--outcome", "met", "--terminate"]);
    assert_eq!(o.status.code(), Some(3));
    let o = alliance(&["--db", &db, "contract", "close", active, "--outcome", "met", "--criterion", "9=met"]);
    assert_eq!(o.status.code(), Some(3));
    let o = alliance(&["--db", &db, "contract", "close", active, "--outcome", "met", "--criterion", "1=met", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["status"], "completed");
    let o = alliance(&["--db", &db, "criterion", "list", "--contract", active, "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["criteria"][0]["outcome"], "met");
    // The proposed contract awaiting the provider becomes active when the provider signs.
    let o = alliance(&[
        "--db", &db, "contract", "sign", "38", "--party", "provider", "--on", "-1", "--by", "Pat", "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["activated"], true);
}

/// `impact --json` on sample.db, every figure recomputed with plain SQL.
#[test]
fn impact_json_on_the_sample_agrees_with_plain_sql() {
    let dir = tmp();
    let db = sample_copy(dir.path());
    let conn = rusqlite::Connection::open(&db).expect("open");
    let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
    for year in ["2025/26", "2026/27"] {
        let o = alliance(&["--db", &db, "impact", "--year", year, "--json"]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let v: Value = serde_json::from_slice(&o.stdout).expect("json");
        let keys: Vec<&str> = v.as_object().expect("object").keys().map(String::as_str).collect();
        let mut want = ["criteria", "contracts", "schools", "cost", "by_leader", "by_focus", "by_stream"];
        want.sort();
        let mut got = keys.clone();
        got.sort();
        assert_eq!(got, want);
        let start = format!("{}-09-01", &year[..4]);
        let end = format!("{}-08-31", year[..4].parse::<i32>().expect("year") + 1);
        let closed = format!("SELECT contract_id FROM closeouts WHERE closed_on BETWEEN '{start}' AND '{end}'");
        for o in ["open", "met", "partly_met", "not_met"] {
            let n = q(&format!("SELECT count(*) FROM criteria WHERE contract_id IN ({closed}) AND outcome = '{o}'"));
            assert_eq!(v["criteria"][o], n, "{year} criteria {o}");
        }
        assert_eq!(v["contracts"]["closed"], q(&format!("SELECT count(*) FROM ({closed})")));
        for o in ["met", "partly_met", "not_met"] {
            let n = q(&format!("SELECT count(*) FROM closeouts WHERE contract_id IN ({closed}) AND outcome = '{o}'"));
            assert_eq!(v["contracts"][o], n, "{year} contracts {o}");
        }
        let terminated =
            q(&format!("SELECT count(*) FROM closeouts WHERE contract_id IN ({closed}) AND kind = 'terminated'"));
        assert_eq!(v["contracts"]["terminated"], terminated);
        let cost = format!(
            "SELECT c.id, c.school_id, c.leader_id, c.focus,
                    CAST(round(coalesce((SELECT sum(days) FROM visits WHERE contract_id = c.id), 0) * c.day_rate_pence) AS INTEGER) AS pence
               FROM contracts c WHERE c.id IN ({closed})"
        );
        assert_eq!(v["cost"]["total_pence"], q(&format!("SELECT coalesce(sum(pence), 0) FROM ({cost})")));
        let schools = q(&format!("SELECT count(DISTINCT school_id) FROM ({cost})"));
        assert_eq!(v["schools"]["supported"], schools);
        if schools > 0 {
            let per = q(&format!("SELECT CAST(round(sum(pence) * 1.0 / {schools}) AS INTEGER) FROM ({cost})"));
            assert_eq!(v["cost"]["per_school_pence"], per);
        } else {
            assert!(v["cost"]["per_school_pence"].is_null());
        }
        let leaders = q(&format!("SELECT count(DISTINCT leader_id) FROM ({cost})"));
        assert_eq!(v["by_leader"].as_array().expect("list").len() as i64, leaders);
        for g in v["by_leader"].as_array().expect("list") {
            let id = g["leader_id"].as_i64().expect("id");
            assert_eq!(g["cost_pence"], q(&format!("SELECT sum(pence) FROM ({cost}) WHERE leader_id = {id}")));
            assert_eq!(g["contracts"], q(&format!("SELECT count(*) FROM ({cost}) WHERE leader_id = {id}")));
        }
        let focuses = q(&format!("SELECT count(DISTINCT lower(trim(focus))) FROM ({cost})"));
        assert_eq!(v["by_focus"].as_array().expect("list").len() as i64, focuses);
        let stream_total: i64 =
            v["by_stream"].as_array().expect("list").iter().map(|g| g["cost_pence"].as_i64().unwrap_or(0)).sum();
        assert_eq!(stream_total, v["cost"]["total_pence"].as_i64().unwrap_or(-1));
    }
    // The sample tells a story: a mix of outcomes in 2025/26.
    let o = alliance(&["--db", &db, "impact", "--year", "2025/26", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    for k in ["met", "partly_met", "not_met", "terminated"] {
        assert!(v["contracts"][k].as_i64().unwrap_or(0) > 0, "{k}");
    }
    let o = alliance(&["--db", &db, "impact", "--year", "next"]);
    assert_eq!(o.status.code(), Some(3));
}

#[test]
fn the_sample_obeys_the_rules() {
    let db = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db");
    let conn = rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
    assert_eq!(
        q("SELECT count(*) FROM contracts WHERE id NOT IN (SELECT contract_id FROM criteria)"),
        0,
        "criteria for every contract"
    );
    assert_eq!(
        q(
            "SELECT count(*) FROM contracts WHERE status IN ('completed','terminated') AND id NOT IN (SELECT contract_id FROM closeouts WHERE kind = status)"
        ),
        0,
        "every closed contract has its close-out"
    );
    assert_eq!(
        q("SELECT count(*) FROM contracts c WHERE c.status IN ('active','paused') AND (
              SELECT count(*) FROM signoffs s JOIN agreements a ON a.id = s.agreement_id
               WHERE a.contract_id = c.id AND s.party IN ('school','provider')) < 2"),
        0,
        "every live contract signed by school and provider"
    );
    assert_eq!(
        q(
            "SELECT count(*) FROM contracts c WHERE c.status = 'proposed' AND EXISTS (SELECT 1 FROM agreements a WHERE a.contract_id = c.id)"
        ),
        1,
        "one proposed contract awaiting signature"
    );
    assert_eq!(q("SELECT count(*) FROM reviews WHERE id NOT IN (SELECT review_id FROM criterion_ratings)"), 0);
}
