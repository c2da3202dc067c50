//! The store against real SQLite files in temporary directories: round trips, versions and the
//! audit trail, stale edits, rollbacks, drafts, settings, and every kind of bad file (each
//! refused with the right error and exit code, and left byte-for-byte as it was).

mod common;

use alliance::domain::settings::Settings;
use alliance::domain::*;
use alliance::store::{Access, Actor, Entity, Store, StoreError, exit, insert_in};
use common::*;
use rusqlite::Connection;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).expect(sql)
}

fn audit_rows(store: &Store) -> i64 {
    count(store, "SELECT count(*) FROM audit")
}

/// Sets a record's id and stamp (every record has both as public fields; `Entity` only reads).
type Identify<E> = fn(&mut E, i64, Stamp);

/// `|r, id, stamp| { r.id = id; r.stamp = stamp }` for any record type.
macro_rules! identify {
    () => {
        |r, id, stamp| {
            r.id = id;
            r.stamp = stamp;
        }
    };
}

/// Inserts `record`, checks it reads back identically with version 1, then applies `edit`,
/// saves, and checks the version bump, the stored values and the audit trail (plain SQL).
fn round_trip<E>(store: &mut Store, mut record: E, identify: Identify<E>, edit: fn(&mut E)) -> E
where
    E: Entity + Clone + PartialEq + std::fmt::Debug,
{
    let id = store.insert(&record).expect("insert");
    assert!(id > 0);
    let got: E = store.get(id).expect("get");
    let first = Stamp { version: 1, updated_at: "2026-11-23T09:00:00Z".into(), updated_by: "tester".into() };
    identify(&mut record, id, first);
    assert_eq!(got, record, "{} round trip", E::TABLE);

    let audits_before = audit_rows(store);
    let mut edited = got.clone();
    edit(&mut edited);
    assert_ne!(edited, got, "the edit changes something");
    store.actor = Actor::fixed("editor@10.0.0.7", "2026-11-24T10:30:00Z");
    let saved = store.update(&edited).expect("update");
    store.actor = Actor::fixed("tester", "2026-11-23T09:00:00Z");
    let second = Stamp { version: 2, updated_at: "2026-11-24T10:30:00Z".into(), updated_by: "editor@10.0.0.7".into() };
    identify(&mut edited, id, second);
    assert_eq!(saved, edited, "{} update returns what was stored", E::TABLE);
    let reread: E = store.get(id).expect("reread");
    assert_eq!(reread, saved);
    assert_eq!(audit_rows(store), audits_before + 1, "one audit row per update");

    let (action, by, at, before, after): (String, String, String, String, String) = store
        .conn()
        .query_row(
            "SELECT action, by, at, before, after FROM audit WHERE entity = ?1 AND entity_id = ?2
             ORDER BY id DESC LIMIT 1",
            rusqlite::params![E::TABLE, id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .expect("audit row");
    assert_eq!((action.as_str(), by.as_str(), at.as_str()), ("update", "editor@10.0.0.7", "2026-11-24T10:30:00Z"));
    let before: serde_json::Value = serde_json::from_str(&before).expect("before json");
    let after: serde_json::Value = serde_json::from_str(&after).expect("after json");
    assert_eq!(before, serde_json::to_value(&got).expect("json"));
    assert_eq!(after, serde_json::to_value(&saved).expect("json"));
    assert_eq!(before["stamp"]["version"], 1);
    assert_eq!(after["stamp"]["version"], 2);
    let (insert_count, insert_after): (i64, Option<String>) = store
        .conn()
        .query_row(
            "SELECT count(*), max(after) FROM audit
             WHERE entity = ?1 AND entity_id = ?2 AND action = 'insert' AND before IS NULL",
            rusqlite::params![E::TABLE, id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("insert audit");
    assert_eq!(insert_count, 1);
    let insert_after: serde_json::Value = serde_json::from_str(&insert_after.expect("after")).expect("json");
    assert_eq!(insert_after, serde_json::to_value(&got).expect("json"));

    let history = store.history(E::TABLE, id).expect("history");
    assert_eq!(history.iter().map(|h| h.action.as_str()).collect::<Vec<_>>(), ["update", "insert"]);
    assert!(!history[0].changes().is_empty());
    saved
}

#[test]
fn every_entity_round_trips_and_updates_with_audit() {
    let dir = tmp();
    let (mut store, _) = create(dir.path(), "a.db");

    let mut sch = school("Ashgrove Primary", Category::B);
    sch.urn = Some(113_456);
    sch.notes = "New head from January; \"soft\" intelligence — ünïcode".into();
    let sch = round_trip(&mut store, sch, identify!(), |r| r.category = Category::C);
    assert_eq!(sch.category, Category::C);

    let mut insp = inspection(sch.id, "2026-01-20", "", None);
    insp.framework = Framework::ReportCard;
    insp.areas = "Inclusion: Expected standard\nLeadership: Needs attention".into();
    insp.safeguarding_met = None;
    round_trip(&mut store, insp, identify!(), |r| r.safeguarding_met = Some(false));

    let mut l = leader("Ann Hart", 15.5, true);
    l.home_school_id = Some(sch.id);
    let l = round_trip(&mut store, l, identify!(), |r| r.days_per_year = 20.5);

    let fs = FundingStream {
        id: 0,
        name: "Schools Forum grant 2026/27".into(),
        amount_pence: 60_000_000,
        notes: String::new(),
        stamp: Stamp::default(),
    };
    let fs = round_trip(&mut store, fs, identify!(), |r| r.amount_pence += 1);

    let mut c = contract(sch.id, l.id, "2026-09-07", "2027-03-31", 6.5, ContractStatus::Proposed);
    c.funding_stream_id = Some(fs.id);
    let c = round_trip(&mut store, c, identify!(), |r| r.status = ContractStatus::Active);

    round_trip(&mut store, visit(c.id, l.id, "2026-11-16", 0.5), identify!(), |r| r.days = 1.5);
    round_trip(&mut store, review(c.id, "2026-11-16", Rag::Amber, Some("2026-12-28"), false), identify!(), |r| {
        r.escalate = true;
        r.next_review_on = None;
    });
    let m = Meeting { id: 0, held_on: d("2026-11-18"), notes: "Termly board".into(), stamp: Stamp::default() };
    let m = round_trip(&mut store, m, identify!(), |r| r.notes.push_str(" (quorate)"));
    let dec = Decision {
        id: 0,
        meeting_id: m.id,
        school_id: Some(sch.id),
        contract_id: Some(c.id),
        kind: DecisionKind::Extend,
        category: None,
        text: "Extend by 2 days".into(),
        owner: "Coordinator".into(),
        due_on: Some(d("2026-12-01")),
        done: false,
        stamp: Stamp::default(),
    };
    round_trip(&mut store, dec, identify!(), |r| r.done = true);

    // Every table got exactly an insert and an update.
    assert_eq!(count(&store, "SELECT count(*) FROM audit WHERE action = 'insert'"), 9);
    assert_eq!(count(&store, "SELECT count(*) FROM audit WHERE action = 'update'"), 9);
    assert_eq!(count(&store, "SELECT count(DISTINCT entity) FROM audit"), 9);
}

#[test]
fn stale_update_is_refused_naming_who_and_when() {
    let dir = tmp();
    let (mut first, path) = create(dir.path(), "a.db");
    let id = first.insert(&school("Ashgrove Primary", Category::A)).expect("insert");
    let mut second = Store::open(&path, Access::ReadWrite).expect("second handle");
    second.actor = Actor::fixed("bob", "2026-11-23T11:00:00Z");
    first.actor = Actor::fixed("ann@10.0.0.7", "2026-11-23T10:45:00Z");

    let mut a: School = first.get(id).expect("a loads");
    let mut b: School = second.get(id).expect("b loads");
    assert_eq!((a.stamp.version, b.stamp.version), (1, 1));

    a.category = Category::C;
    first.update(&a).expect("first save wins");
    let audits = audit_rows(&first);

    b.notes = "Bob's note".into();
    let err = second.update(&b).expect_err("stale save refused");
    match &err {
        StoreError::Stale { entity, id: eid, by, at } => {
            assert_eq!((*entity, *eid), ("school", id));
            assert_eq!(by, "ann@10.0.0.7");
            assert_eq!(at, "2026-11-23T10:45:00Z");
        }
        other => panic!("expected Stale, got {other:?}"),
    }
    assert_eq!(err.exit_code(), exit::CONFLICT);
    let msg = err.to_string();
    assert!(msg.contains("changed by ann@10.0.0.7 at 2026-11-23T10:45:00Z"), "{msg}");

    let now: School = second.get(id).expect("reload");
    assert_eq!(now.stamp.version, 2);
    assert_eq!(now.category, Category::C);
    assert_eq!(now.notes, "", "the stale edit wrote nothing");
    assert_eq!(audit_rows(&second), audits, "and no audit row");

    // Reloading and re-applying works.
    let mut b2 = now.clone();
    b2.notes = "Bob's note".into();
    let saved = second.update(&b2).expect("fresh save");
    assert_eq!((saved.stamp.version, saved.stamp.updated_by.as_str()), (3, "bob"));
    // A save against a record that has gone is NotFound, not a silent insert.
    let mut ghost = saved;
    ghost.id = 999;
    assert!(matches!(second.update(&ghost), Err(StoreError::NotFound { entity: "school", id: 999 })));
}

#[test]
fn check_violation_rolls_back_with_no_audit_row() {
    let dir = tmp();
    let (mut store, _) = create(dir.path(), "a.db");
    let sid = store.insert(&school("Ashgrove", Category::A)).expect("school");
    let lid = store.insert(&leader("Ann", 15.0, true)).expect("leader");
    let audits = audit_rows(&store);

    // Insert: end before start violates CHECK (end_on > start_on).
    let bad = contract(sid, lid, "2027-03-31", "2026-09-07", 5.0, ContractStatus::Active);
    let err = store.insert(&bad).expect_err("CHECK refuses");
    assert!(err.to_string().contains("CHECK"), "{err}");
    assert_eq!(count(&store, "SELECT count(*) FROM contracts"), 0);
    assert_eq!(audit_rows(&store), audits);

    // Update: half days only (2.25 is refused), the row and its version stay as they were.
    let cid = store
        .insert(&contract(sid, lid, "2026-09-07", "2027-03-31", 5.0, ContractStatus::Active))
        .expect("good contract");
    let vid = store.insert(&visit(cid, lid, "2026-11-16", 1.0)).expect("visit");
    let audits = audit_rows(&store);
    let mut v: Visit = store.get(vid).expect("visit");
    v.days = 2.25;
    v.notes = "changed".into();
    assert!(store.update(&v).is_err());
    let now: Visit = store.get(vid).expect("visit");
    assert_eq!((now.days, now.stamp.version, now.notes.as_str()), (1.0, 1, "Coached the English lead"));
    assert_eq!(audit_rows(&store), audits);

    // A transaction of several writes is all or nothing: a good insert (with its audit row)
    // followed by a bad one leaves neither.
    let schools = count(&store, "SELECT count(*) FROM schools");
    let res = store.write(|tx, actor| {
        insert_in(tx, &school("Good", Category::A), actor)?;
        insert_in(tx, &School { pupils: Some(-1), ..school("Bad", Category::A) }, actor)
    });
    assert!(res.is_err());
    assert_eq!(count(&store, "SELECT count(*) FROM schools"), schools);
    assert_eq!(audit_rows(&store), audits);
}

#[test]
fn audit_row_and_change_share_one_transaction() {
    // If writing the audit row fails, the change itself must not be kept. A trigger added to
    // this test file makes audit inserts for one record fail after its UPDATE has run.
    let dir = tmp();
    let (mut store, _) = create(dir.path(), "a.db");
    let id = store.insert(&school("Ashgrove", Category::A)).expect("school");
    store
        .conn()
        .execute_batch(&format!(
            "CREATE TEMP TRIGGER no_audit BEFORE INSERT ON audit WHEN NEW.entity_id = {id}
             BEGIN SELECT RAISE(ABORT, 'audit refused'); END;"
        ))
        .expect("trigger");
    let mut s: School = store.get(id).expect("get");
    s.category = Category::D;
    let err = store.update(&s).expect_err("audit failure fails the update");
    assert!(err.to_string().contains("audit refused"), "{err}");
    let now: School = store.get(id).expect("get");
    assert_eq!((now.category, now.stamp.version), (Category::A, 1));
    assert!(store.insert(&school("Beacon", Category::A)).is_ok());
}

#[test]
fn drafts_are_per_user() {
    let dir = tmp();
    let (mut ann, path) = create(dir.path(), "a.db");
    ann.actor = Actor::fixed("ann@10.0.0.7", "2026-11-23T10:00:00Z");
    let mut bob = Store::open(&path, Access::ReadWrite).expect("bob");
    bob.actor = Actor::fixed("bob", "2026-11-23T10:05:00Z");

    ann.save_draft("visit", "contract:3", "{\"days\":\"1\"}").expect("save");
    ann.save_draft("visit", "contract:3", "{\"days\":\"1.5\"}").expect("overwrite");
    ann.save_draft("review", "contract:3", "{}").expect("second form");
    bob.save_draft("visit", "contract:3", "{\"days\":\"0.5\"}").expect("bob's");

    assert_eq!(
        ann.load_draft("visit", "contract:3").expect("load"),
        Some(("{\"days\":\"1.5\"}".to_string(), "2026-11-23T10:00:00Z".to_string()))
    );
    assert_eq!(
        bob.load_draft("visit", "contract:3").expect("load").map(|d| d.0),
        Some("{\"days\":\"0.5\"}".to_string())
    );
    assert_eq!(ann.load_draft("visit", "contract:4").expect("load"), None);
    assert_eq!(ann.drafts().expect("list").len(), 2);
    assert_eq!(bob.drafts().expect("list").len(), 1);

    // The same person from another address sees their drafts.
    let mut ann_elsewhere = Store::open(&path, Access::ReadWrite).expect("again");
    ann_elsewhere.actor = Actor::fixed("ann@192.168.1.9", "2026-11-23T12:00:00Z");
    assert!(ann_elsewhere.load_draft("visit", "contract:3").expect("load").is_some());

    ann.discard_draft("visit", "contract:3").expect("discard");
    assert_eq!(ann.load_draft("visit", "contract:3").expect("load"), None);
    assert!(bob.load_draft("visit", "contract:3").expect("load").is_some(), "bob's draft stays");
    assert_eq!(ann.drafts().expect("list").len(), 1);
    // Drafts are not audited records.
    assert_eq!(audit_rows(&ann), 0);
}

#[test]
fn settings_round_trip_through_the_file() {
    let dir = tmp();
    let (mut store, path) = create(dir.path(), "a.db");
    let stored = store.settings().expect("settings");
    assert_eq!(stored, Settings { alliance_name: "Test Alliance".into(), ..Settings::default() });
    let s = Settings {
        alliance_name: "Plymouth Teaching School Hub".into(),
        year_start_month: 8,
        review_interval_days: 28,
        ending_soon_days: 21,
        no_visit_days: 45,
        day_rates_pence: [60_000, 45_000, 38_000, 40_000, 30_000],
        brokerage_bp: 1250,
        triggers: alliance::domain::settings::Triggers {
            rwm_la_gap: 12,
            results_fall: 20,
            p8_below_hundredths: -40,
            absence_gap: 4,
            fsm_rise: 6,
            inspection_months: 48,
        },
        away_max_age_days: 21,
        signoff_required: false,
    };
    store.save_settings(&s).expect("save");
    drop(store);
    let store = Store::open(&path, Access::ReadOnly).expect("reopen");
    assert_eq!(store.settings().expect("settings"), s);
    let v: String = store
        .conn()
        .query_row("SELECT value FROM settings WHERE key = 'review_interval_days'", [], |r| r.get(0))
        .expect("plain SQL");
    assert_eq!(v, "28");
    assert_eq!(store.settings().expect("s").day_rate(Designation::Sle), 38_000);
}

#[test]
fn academic_year_boundary_in_the_database() {
    let dir = tmp();
    let (mut store, _) = create(dir.path(), "a.db");
    let sid = store.insert(&school("Ashgrove", Category::A)).expect("school");
    let lid = store.insert(&leader("Ann", 15.0, true)).expect("leader");
    let cid =
        store.insert(&contract(sid, lid, "2026-06-01", "2027-08-31", 10.0, ContractStatus::Active)).expect("contract");
    store.insert(&visit(cid, lid, "2026-08-31", 1.0)).expect("31 Aug");
    store.insert(&visit(cid, lid, "2026-09-01", 0.5)).expect("1 Sep");
    store.insert(&visit(cid, lid, "2027-08-31", 2.0)).expect("31 Aug next year");

    let delivered = |today: &str| {
        let s = store.snapshot(d(today)).expect("snapshot");
        (s.year.label(), s.leaders[0].delivered, s.leaders[0].committed, s.contracts[0].contract.delivered)
    };
    // 2026/27: 1 Sep 2026 and 31 Aug 2027 count, 31 Aug 2026 does not. Committed uses all-time
    // delivery on the contract: 10 − 3.5.
    assert_eq!(delivered("2026-11-23"), ("2026/27".to_string(), 2.5, 6.5, 3.5));
    assert_eq!(delivered("2027-08-31"), ("2026/27".to_string(), 2.5, 6.5, 3.5));
    assert_eq!(delivered("2026-09-01"), ("2026/27".to_string(), 2.5, 6.5, 3.5));
    // 2025/26 holds only 31 Aug 2026.
    assert_eq!(delivered("2026-08-31"), ("2025/26".to_string(), 1.0, 6.5, 3.5));
    assert_eq!(delivered("2027-09-01").1, 0.0);
}

#[test]
fn snapshot_of_a_populated_file_matches_the_hand_sums() {
    let dir = tmp();
    let (mut store, _) = create(dir.path(), "a.db");
    let want = populate(&mut store);
    let s = store.snapshot(d(TODAY)).expect("snapshot");
    let t = &s.totals;
    assert_eq!(t.by_category, want.by_category);
    assert_eq!(t.by_status, want.by_status);
    assert_eq!(t.active_leaders, want.active_leaders);
    assert_eq!(
        (t.capacity_days, t.delivered_days, t.committed_days, t.available_days),
        (want.capacity, want.delivered, want.committed, want.available)
    );
    assert_eq!(t.over_capacity, want.over_capacity);
    assert_eq!([t.live, t.active, t.paused, t.proposed], want.contracts);
    assert_eq!(t.by_rag, want.by_rag);
    assert_eq!(s.alerts.iter().map(|a| a.kind.as_str()).collect::<Vec<_>>(), want.alert_kinds);
}

// ---------------------------------------------------------------- bad files

/// Opens `path` both ways and checks the error, its exit code, and that neither the file nor
/// its directory changed.
fn refused(path: &Path, check: fn(&StoreError) -> bool, code: i32) {
    refused_as(path, check, code, true);
}

/// [`refused`], optionally allowing SQLite's `-wal`/`-shm` side files to appear (a damaged
/// file is only found out by SQLite reading it; the file itself must still be unchanged).
fn refused_as(path: &Path, check: fn(&StoreError) -> bool, code: i32, same_dir: bool) {
    let dir = path.parent().expect("parent");
    let before_bytes = std::fs::read(path).ok();
    let before_dir = listing(dir);
    for access in [Access::ReadWrite, Access::ReadOnly] {
        let err = Store::open(path, access).expect_err("bad file refused");
        assert!(check(&err), "{access:?}: unexpected error {err:?}");
        assert_eq!(err.exit_code(), code, "{err}");
        let msg = err.to_string();
        assert!(msg.contains(&path.display().to_string()), "names the file: {msg}");
        assert!(!msg.contains('\n'), "one line: {msg}");
    }
    assert_eq!(std::fs::read(path).ok(), before_bytes, "file unchanged");
    if same_dir {
        assert_eq!(listing(dir), before_dir, "no file appeared next to it");
    }
}

#[test]
fn missing_path_is_not_created() {
    let dir = tmp();
    let path = dir.path().join("nope.db");
    refused(&path, |e| matches!(e, StoreError::Missing(_)), exit::MISSING);
    assert!(!path.exists());
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn directory_empty_and_text_files_are_refused() {
    let dir = tmp();
    let sub = dir.path().join("folder.db");
    std::fs::create_dir(&sub).expect("mkdir");
    refused(&sub, |e| matches!(e, StoreError::IsDirectory(_)), exit::NOT_ALLIANCE);

    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").expect("write");
    refused(&empty, |e| matches!(e, StoreError::Empty(_)), exit::NOT_ALLIANCE);

    let short = dir.path().join("short.db");
    std::fs::write(&short, b"schools,leaders\n").expect("write");
    refused(&short, |e| matches!(e, StoreError::NotSqlite(_)), exit::NOT_ALLIANCE);

    let text = dir.path().join("notes.db");
    std::fs::write(&text, "Minutes of the board meeting\n".repeat(200)).expect("write");
    refused(&text, |e| matches!(e, StoreError::NotSqlite(_)), exit::NOT_ALLIANCE);

    // Starts like SQLite but is not (a truncated header).
    let fake = dir.path().join("fake.db");
    std::fs::write(&fake, b"SQLite format 3\0 and then nothing").expect("write");
    refused(&fake, |e| matches!(e, StoreError::NotSqlite(_)), exit::NOT_ALLIANCE);
}

#[test]
fn another_apps_sqlite_file_is_refused() {
    let dir = tmp();
    let path = dir.path().join("other.db");
    {
        let conn = Connection::open(&path).expect("raw sqlite");
        conn.execute_batch(
            "CREATE TABLE schools(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO schools(name) VALUES ('x');",
        )
        .expect("other app's schema");
    }
    refused(&path, |e| matches!(e, StoreError::NotAlliance(_)), exit::NOT_ALLIANCE);
    // Same for another app's WAL-mode file.
    let wal = dir.path().join("other-wal.db");
    {
        let conn = Connection::open(&wal).expect("raw sqlite");
        conn.execute_batch("PRAGMA journal_mode=WAL; CREATE TABLE t(x); PRAGMA application_id = 42;")
            .expect("other app's schema");
    }
    refused(&wal, |e| matches!(e, StoreError::NotAlliance(_)), exit::NOT_ALLIANCE);
}

#[test]
fn newer_schema_is_refused() {
    let dir = tmp();
    let (store, path) = create(dir.path(), "newer.db");
    drop(store);
    {
        let conn = Connection::open(&path).expect("raw sqlite");
        conn.pragma_update(None, "user_version", 99).expect("bump");
    }
    refused(
        &path,
        |e| matches!(e, StoreError::Newer { found: 99, supported, .. } if *supported == alliance::store::schema::SCHEMA_VERSION),
        exit::NEWER,
    );
}

#[test]
fn newer_schema_is_refused_even_before_checkpoint() {
    // A newer alliance still has the file open: its migration sits in the WAL and the main
    // file's header still says the old version. The open must look at the real version.
    let dir = tmp();
    let (store, path) = create(dir.path(), "newer.db");
    drop(store);
    let newer = Connection::open(&path).expect("raw sqlite");
    newer.pragma_update(None, "user_version", 99).expect("bump");
    newer.execute_batch("CREATE TABLE from_the_future(x)").expect("new table");
    let err = Store::open(&path, Access::ReadWrite).expect_err("refused");
    assert!(matches!(err, StoreError::Newer { found: 99, .. }), "{err:?}");
    let err = Store::open(&path, Access::ReadOnly).expect_err("refused");
    assert!(matches!(err, StoreError::Newer { found: 99, .. }), "{err:?}");
}

#[test]
fn read_only_open_of_a_file_in_use() {
    // Another coordinator has just created the file and still has it open (schema in the WAL,
    // not yet checkpointed): a read-only look must work, not ask for an upgrade.
    let dir = tmp();
    let (mut writer, path) = create(dir.path(), "busy.db");
    writer.insert(&school("Ashgrove", Category::A)).expect("insert");
    let reader = Store::open(&path, Access::ReadOnly).expect("read-only open while in use");
    assert!(reader.is_read_only());
    assert_eq!(reader.all::<School>().expect("read").len(), 1);
}

#[test]
fn read_only_file_opens_for_reading_and_refuses_writes() {
    let dir = tmp();
    let (mut store, path) = create(dir.path(), "ro.db");
    let want = populate(&mut store);
    drop(store);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let before = bytes(&path);

    let mut ro = Store::open(&path, Access::ReadWrite).expect("opens");
    assert!(ro.is_read_only());
    let snap = ro.snapshot(d(TODAY)).expect("reads work");
    assert_eq!(snap.totals.by_category, want.by_category);

    let err = ro.insert(&school("New", Category::A)).expect_err("write refused");
    assert!(matches!(err, StoreError::ReadOnly(_)), "{err:?}");
    assert_eq!(err.exit_code(), exit::PERMISSION);
    let mut s: School = ro.get(1).expect("get");
    s.notes = "x".into();
    assert!(matches!(ro.update(&s), Err(StoreError::ReadOnly(_))));
    assert!(matches!(ro.save_settings(&Settings::default()), Err(StoreError::ReadOnly(_))));
    assert!(matches!(ro.save_draft("visit", "1", "{}"), Err(StoreError::ReadOnly(_))));
    drop(ro);
    assert_eq!(bytes(&path), before, "read-only file unchanged");

    // --read-only on a writable file: same refusals.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let mut ro = Store::open(&path, Access::ReadOnly).expect("opens");
    assert!(ro.is_read_only());
    assert!(matches!(ro.insert(&school("New", Category::A)), Err(StoreError::ReadOnly(_))));
    drop(ro);
    assert_eq!(bytes(&path), before);
}

#[test]
fn unreadable_file_is_refused() {
    let dir = tmp();
    let (store, path) = create(dir.path(), "secret.db");
    drop(store);
    let before = bytes(&path);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if permissions_bypassed(dir.path()) {
        println!("skipped the permission-denied assertion: this process bypasses file permissions (root)");
    } else {
        refused(&path, |e| matches!(e, StoreError::NoPermission(_)), exit::PERMISSION);
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    assert_eq!(bytes(&path), before);
}

#[test]
fn damaged_alliance_file_is_refused_untouched() {
    let dir = tmp();
    let (mut store, path) = create(dir.path(), "damaged.db");
    populate(&mut store);
    drop(store);
    let mut data = bytes(&path);
    assert!(data.len() > 8192, "several pages");
    // Keep the header (so it looks like ours) and scribble over the schema page.
    for b in &mut data[100..4096] {
        *b = 0xAB;
    }
    std::fs::write(&path, &data).expect("write");
    refused_as(&path, |e| matches!(e, StoreError::Corrupt(..) | StoreError::NotSqlite(_)), exit::NOT_ALLIANCE, false);
}

#[test]
fn create_refuses_an_existing_path_and_is_private() {
    let dir = tmp();
    let (store, path) = create(dir.path(), "new.db");
    drop(store);
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "mode {mode:o}");
    let before = bytes(&path);
    let err = Store::create(&path, "Again").expect_err("exists");
    assert!(matches!(err, StoreError::Exists(_)), "{err:?}");
    assert_eq!(err.exit_code(), exit::INVALID);
    assert_eq!(bytes(&path), before);

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "keep me").expect("write");
    assert!(matches!(Store::create(&text, "x"), Err(StoreError::Exists(_))));
    assert_eq!(std::fs::read_to_string(&text).expect("read"), "keep me");

    // The new file is recognised as an alliance database with the current schema.
    let store = Store::open(&path, Access::ReadOnly).expect("opens");
    let (app_id, version): (i32, i64) = store
        .conn()
        .query_row("SELECT application_id, user_version FROM pragma_application_id, pragma_user_version", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("pragmas");
    assert_eq!(app_id, alliance::store::schema::APPLICATION_ID);
    assert_eq!(version, alliance::store::schema::SCHEMA_VERSION);
}

#[test]
fn another_handles_commit_changes_data_version() {
    let dir = tmp();
    let (mut writer, path) = create(dir.path(), "a.db");
    let reader = Store::open(&path, Access::ReadOnly).expect("reader");
    let v0 = reader.data_version().expect("data_version");
    assert_eq!(reader.data_version().expect("again"), v0, "stable while nothing happens");
    writer.insert(&school("Ashgrove", Category::A)).expect("insert");
    let v1 = reader.data_version().expect("data_version");
    assert_ne!(v1, v0, "another connection's commit is seen");
    assert_eq!(reader.all::<School>().expect("read").len(), 1);
}

#[test]
fn a_locked_file_gives_busy_not_a_database_error() {
    let dir = tmp();
    let (mut store, path) = create(dir.path(), "a.db");
    store.conn().busy_timeout(std::time::Duration::from_millis(50)).expect("short timeout for the test");
    let other = Connection::open(&path).expect("another program");
    other.execute_batch("BEGIN IMMEDIATE").expect("holds the write lock");
    let err = store.insert(&school("Ashgrove", Category::A)).expect_err("cannot write while locked");
    assert!(matches!(err, StoreError::Busy(_)), "{err:?}");
    assert_eq!(err.exit_code(), exit::BUSY);
    assert!(err.to_string().contains("is busy"), "{err}");
    other.execute_batch("ROLLBACK").expect("release");
    store.insert(&school("Ashgrove", Category::A)).expect("writes again once released");
}
