//! Issue 7 §3: the settings (day rates, brokerage, intervals) and funding streams can be seen
//! and changed without SQL — through the store (validated, audited, stale-safe) and through
//! `alliance settings` / `alliance funding` run as the real binary on a copy of sample.db.

mod common;

use alliance::domain::FundingStream;
use alliance::domain::Stamp;
use alliance::domain::settings::{SettingChange, parse_value, resolve_key};
use alliance::store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sample_copy(dir: &Path) -> PathBuf {
    let db = dir.join("alliance.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    db
}

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alliance"))
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-23"])
        .args(args)
        .env("ALLIANCE_CONFIG", "/nonexistent")
        .env_remove("NO_COLOR")
        .output()
        .expect("run alliance")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn values_are_read_as_people_write_them() {
    let rate = resolve_key("rate-nle").expect("short name");
    assert_eq!(rate.key, "day_rate_pence_NLE");
    assert_eq!(resolve_key("DAY_RATE_PENCE_sle").expect("stored key, any case").key, "day_rate_pence_SLE");
    assert_eq!(parse_value(rate, "£575").as_deref(), Ok("57500"));
    assert_eq!(parse_value(rate, "1,000.50").as_deref(), Ok("100050"));
    let err = parse_value(rate, "57500").expect_err("pence typed for pounds");
    assert!(err.contains("day rates are in pounds"), "{err}");
    let brokerage = resolve_key("brokerage").expect("brokerage");
    assert_eq!(parse_value(brokerage, "12.5%").as_deref(), Ok("1250"));
    assert_eq!(parse_value(brokerage, "15").as_deref(), Ok("1500"));
    assert!(parse_value(brokerage, "101%").is_err());
    assert!(parse_value(brokerage, "-5").is_err());
    let month = resolve_key("year-start").expect("month");
    assert_eq!(parse_value(month, "Sept").as_deref(), Ok("9"));
    assert_eq!(parse_value(month, "1").as_deref(), Ok("1"));
    assert!(parse_value(month, "13").is_err());
    let days = resolve_key("review-interval").expect("days");
    assert_eq!(parse_value(days, "35 days").as_deref(), Ok("35"));
    assert!(parse_value(days, "0").is_err());
    assert!(parse_value(resolve_key("ending-soon").expect("k"), "0").is_ok(), "ending soon may be 0");
    assert!(parse_value(resolve_key("name").expect("k"), "  ").is_err());
    assert!(parse_value(resolve_key("name").expect("k"), "a\u{1b}[2Jb").is_err());
    let unknown = resolve_key("colour").expect_err("unknown");
    assert!(unknown.contains("brokerage_bp"), "lists the settings: {unknown}");
}

#[test]
fn changes_are_audited_and_refused_when_someone_changed_the_value_first() {
    let dir = common::tmp();
    let (mut ann, path) = common::create(dir.path(), "a.db");
    let mut bob = Store::open(&path, alliance::store::Access::ReadWrite).expect("second coordinator");
    let seen = ann.settings().expect("settings");
    let by_ann =
        SettingChange { key: "brokerage_bp", expected: seen.get("brokerage_bp").expect("known"), value: "1250".into() };
    // Bob read the same settings, then changed the brokerage first.
    let by_bob = SettingChange { value: "1000".into(), ..by_ann.clone() };
    bob.change_settings(std::slice::from_ref(&by_bob)).expect("bob saves first");
    let rate = SettingChange {
        key: "day_rate_pence_SLE",
        expected: seen.get("day_rate_pence_SLE").expect("known"),
        value: "36000".into(),
    };
    let err = ann.change_settings(&[rate.clone(), by_ann]).expect_err("stale");
    assert!(matches!(err, StoreError::Stale { .. }), "{err}");
    // All or nothing: the SLE rate in the same call was not written either.
    let now = ann.settings().expect("settings");
    assert_eq!(now.brokerage_bp, 1000);
    assert_eq!(now.day_rate(alliance::domain::Designation::Sle), 35_000);
    ann.change_settings(&[rate]).expect("a fresh change goes through");
    let history = ann.history("settings", 0).expect("audit");
    assert_eq!(history.len(), 2, "one audit row per change");
    assert_eq!(history[0].changes(), vec![("day_rate_pence_SLE".into(), "35000".into(), "36000".into())]);
}

#[test]
fn funding_streams_are_validated_and_removal_keeps_contracts_safe() {
    let dir = common::tmp();
    let db = sample_copy(dir.path());
    let mut store = Store::open(&db, alliance::store::Access::ReadWrite).expect("open");
    let new = |name: &str, pence: i64| FundingStream {
        id: 0,
        name: name.into(),
        amount_pence: pence,
        notes: String::new(),
        stamp: Stamp::default(),
    };
    let err = store.save_stream(&new("schools forum GRANT 2026/27", 1)).expect_err("same name, other case");
    assert!(err.to_string().contains("already a funding stream"), "{err}");
    assert!(store.save_stream(&new("  ", 1)).is_err());
    assert!(store.save_stream(&new("Too much", 10_000_000_001)).is_err());
    let id = store.save_stream(&new("  Catch-up fund ", 2_500_000)).expect("saved");
    let saved: FundingStream = store.get(id).expect("get");
    assert_eq!(saved.name, "Catch-up fund", "trimmed");

    let streams: Vec<FundingStream> = store.all().expect("all");
    let forum = streams.iter().find(|s| s.name.starts_with("Schools Forum")).expect("sample stream").clone();
    let allocated = store.contracts_with_streams().expect("rows");
    let on_forum: Vec<i64> =
        allocated.iter().filter(|r| r.contract.funding_stream_id == Some(forum.id)).map(|r| r.contract.id).collect();
    assert!(!on_forum.is_empty());
    let err = store.remove_stream(forum.id, forum.stamp.version, false).expect_err("contracts allocated");
    assert!(err.to_string().contains(&format!("{} contracts are allocated", on_forum.len())), "{err}");
    assert!(store.find::<FundingStream>(forum.id).expect("find").is_some(), "still there");
    let stale = store.remove_stream(forum.id, forum.stamp.version + 1, true).expect_err("stale version");
    assert!(matches!(stale, StoreError::Stale { .. }));
    let (gone, moved) = store.remove_stream(forum.id, forum.stamp.version, true).expect("unallocate");
    assert_eq!((gone.name.as_str(), moved), (forum.name.as_str(), on_forum.len()));
    for cid in on_forum {
        let c: alliance::domain::Contract = store.get(cid).expect("contract kept");
        assert_eq!(c.funding_stream_id, None);
        let h = store.history("contracts", cid).expect("history");
        assert!(h[0].changes().iter().any(|(f, _, _)| f == "funding_stream_id"), "the move is in its history");
    }
    let h = store.history("funding_streams", forum.id).expect("history");
    assert_eq!(h[0].action, "delete");
}

#[test]
fn settings_command_lists_and_changes_values() {
    let dir = common::tmp();
    let db = sample_copy(dir.path());
    let list = run(&db, &["settings"]);
    assert!(list.status.success(), "{}", stderr(&list));
    let text = stdout(&list);
    assert!(text.contains("day_rate_pence_NLE     £550"), "{text}");
    assert!(text.contains("brokerage_bp           15%"), "{text}");

    let set = run(&db, &["settings", "set", "rate-nle=575", "brokerage=12.5%", "review-interval=35"]);
    assert!(set.status.success(), "{}", stderr(&set));
    let said = stdout(&set);
    assert!(said.contains("day_rate_pence_NLE: £550 → £575"), "{said}");
    assert!(said.contains("brokerage_bp: 15% → 12.5%"), "{said}");

    let json = run(&db, &["settings", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let value = |k: &str| v.as_array().expect("array").iter().find(|r| r["key"] == k).expect("key")["value"].clone();
    assert_eq!(value("day_rate_pence_NLE"), 57_500);
    assert_eq!(value("brokerage_bp"), 1250);
    assert_eq!(value("review_interval_days"), 35);

    // One bad pair: nothing is changed, and the message names each problem.
    let bad = run(&db, &["settings", "set", "rate-sle=36000", "colour=blue"]);
    assert_eq!(bad.status.code(), Some(3));
    let err = stderr(&bad);
    assert!(err.contains("day rates are in pounds") && err.contains("no setting called `colour`"), "{err}");
    let unchanged = run(&db, &["settings", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&unchanged.stdout).expect("json");
    assert!(v.as_array().expect("a").iter().any(|r| r["key"] == "day_rate_pence_SLE" && r["value"] == 35_000));

    let pair = run(&db, &["settings", "set", "no-visit", "21"]);
    assert!(pair.status.success(), "KEY VALUE form: {}", stderr(&pair));
    let ro = Command::new(env!("CARGO_BIN_EXE_alliance"))
        .args(["--read-only", "--db"])
        .arg(&db)
        .args(["settings", "set", "no-visit=20"])
        .env("ALLIANCE_CONFIG", "/nonexistent")
        .output()
        .expect("run");
    assert_eq!(ro.status.code(), Some(7), "read-only refuses: {}", stderr(&ro));
}

#[test]
fn funding_command_lists_adds_edits_and_removes() {
    let dir = common::tmp();
    let db = sample_copy(dir.path());
    let list = run(&db, &["funding"]);
    assert!(list.status.success(), "{}", stderr(&list));
    let text = stdout(&list);
    assert!(text.contains("Schools Forum grant 2026/27"), "{text}");
    assert!(text.contains("£600,000") && text.contains("£47,025") && text.contains("£552,975"), "{text}");

    let add = run(&db, &["funding", "add", "Catch-up fund", "--amount", "£25,000", "--notes", "DfE"]);
    assert!(add.status.success(), "{}", stderr(&add));
    assert!(stdout(&add).contains("Catch-up fund · £25,000"));
    let dup = run(&db, &["funding", "add", "catch-up FUND", "--amount", "1"]);
    assert_eq!(dup.status.code(), Some(3));
    let bad_amount = run(&db, &["funding", "add", "Other", "--amount", "lots"]);
    assert_eq!(bad_amount.status.code(), Some(3));
    assert!(stderr(&bad_amount).contains("--amount"), "{}", stderr(&bad_amount));

    // Cutting the grant below what is committed warns, and the alert follows.
    let cut = run(&db, &["funding", "edit", "forum", "--amount", "40000"]);
    assert!(cut.status.success(), "{}", stderr(&cut));
    assert!(stdout(&cut).contains("over-committed by £7,025"), "{}", stdout(&cut));
    let status = run(&db, &["status", "--json"]);
    let s = stdout(&status);
    assert!(s.contains("stream_over_committed"), "{s}");
    let v: serde_json::Value = serde_json::from_str(&s).expect("status json");
    let alert = v["alerts"].as_array().expect("alerts").iter().find(|a| a["kind"] == "stream_over_committed").cloned();
    assert_eq!(alert.expect("alert")["stream_id"], 1, "the alert names its stream");
    let json = run(&db, &["funding", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let forum = v.as_array().expect("a").iter().find(|r| r["id"] == 1).expect("stream 1").clone();
    assert_eq!(forum["headroom_pence"], -702_500);
    assert_eq!(forum["over_committed"], true);

    let ambiguous = run(&db, &["funding", "edit", "u", "--amount", "1"]);
    assert_eq!(ambiguous.status.code(), Some(3));
    assert!(stderr(&ambiguous).contains("matches"), "{}", stderr(&ambiguous));
    let refused = run(&db, &["funding", "remove", "hub"]);
    assert_eq!(refused.status.code(), Some(3));
    assert!(stderr(&refused).contains("--unallocate"), "{}", stderr(&refused));
    let removed = run(&db, &["funding", "remove", "hub", "--unallocate"]);
    assert!(removed.status.success(), "{}", stderr(&removed));
    assert!(stdout(&removed).contains("1 contract is no longer allocated"), "{}", stdout(&removed));
    let after = stdout(&run(&db, &["funding"]));
    assert!(!after.contains("Teaching school hub"), "{after}");
}

#[test]
fn percentages_refuse_commas_and_pounds_and_names_fold_any_case() {
    let b = resolve_key("brokerage").expect("k");
    assert!(parse_value(b, "7,5%").is_err(), "a decimal comma is not 75%");
    assert!(parse_value(b, "£15").is_err());
    let dir = common::tmp();
    let (mut store, _) = common::create(dir.path(), "a.db");
    let new = |name: &str| FundingStream {
        id: 0,
        name: name.into(),
        amount_pence: 1,
        notes: String::new(),
        stamp: Stamp::default(),
    };
    store.save_stream(&new("École fund")).expect("first");
    assert!(store.save_stream(&new("école FUND")).is_err(), "case folded beyond ASCII");
}

#[test]
fn unchanged_settings_write_nothing_and_a_stale_refusal_names_who_changed_that_key() {
    let dir = common::tmp();
    let (mut ann, path) = common::create(dir.path(), "a.db");
    let seen = ann.settings().expect("s");
    let same =
        SettingChange { key: "brokerage_bp", expected: seen.get("brokerage_bp").expect("k"), value: "1500".into() };
    ann.change_settings(&[same]).expect("no-op");
    assert!(ann.history("settings", 0).expect("audit").is_empty(), "nothing changed, nothing audited");

    let mut carol = Store::open(&path, alliance::store::Access::ReadWrite).expect("carol");
    carol.actor = alliance::store::Actor::fixed("carol", "2026-11-23T11:00:00Z");
    let mut dan = Store::open(&path, alliance::store::Access::ReadWrite).expect("dan");
    dan.actor = alliance::store::Actor::fixed("dan", "2026-11-23T12:00:00Z");
    let change = |key: &'static str, value: &str| SettingChange {
        key,
        expected: seen.get(key).expect("k"),
        value: value.into(),
    };
    carol.change_settings(&[change("day_rate_pence_NLE", "60000")]).expect("carol");
    dan.change_settings(&[change("day_rate_pence_LLE", "47000")]).expect("dan, later, another key");
    let err = ann.change_settings(&[change("day_rate_pence_NLE", "57500")]).expect_err("stale");
    assert!(err.to_string().contains("carol"), "the person who changed NLE, not the last to change anything: {err}");
}
