//! People and roles in the store (issue #16): every write is checked in the one write path
//! against the person's role, resolved from `people` inside the write transaction.

mod common;

use alliance::domain::roles::Who;
use alliance::domain::{ContractStatus, Role, Stamp};
use alliance::store::{Actor, PersonChange, Store, StoreError};
use common::*;

fn at() -> &'static str {
    "2026-11-23T10:00:00Z"
}

struct World {
    store: Store,
    _dir: tempfile::TempDir,
    c_ann: i64,
    c_bob: i64,
    ann: i64,
}

/// A file with two leaders' contracts and people: admin `root-ish` (the program adds them),
/// coordinator `cora`, leader `lee` (Ann Hart), board `bea`.
fn world() -> World {
    let dir = tmp();
    let (mut store, _) = create(dir.path(), "a.db");
    let school = store.insert(&common::school("Ashgrove Primary", alliance::domain::Category::C)).expect("school");
    let ann = store.insert(&common::leader("Ann Hart", 15.0, true)).expect("ann");
    let bob = store.insert(&common::leader("Bob Pike", 15.0, true)).expect("bob");
    let c_ann = store
        .insert(&common::contract(school, ann, "2026-09-07", "2027-03-31", 6.0, ContractStatus::Active))
        .expect("contract");
    let c_bob = store
        .insert(&common::contract(school, bob, "2026-09-07", "2027-03-31", 6.0, ContractStatus::Active))
        .expect("contract");
    for (account, role, leader) in [
        ("adam", Role::Admin, None),
        ("cora", Role::Coordinator, None),
        ("lee", Role::Leader, Some(ann)),
        ("bea", Role::Board, None),
    ] {
        store
            .add_person(&PersonChange {
                account: account.into(),
                role: Some(role),
                name: None,
                leader_id: Some(leader),
                active: None,
            })
            .expect("add person");
    }
    World { store, _dir: dir, c_ann, c_bob, ann }
}

fn refused<T: std::fmt::Debug>(r: Result<T, StoreError>, says: &str) {
    match r {
        Err(StoreError::NotAllowed(s)) => assert!(s.to_string().contains(says), "{s}"),
        other => panic!("expected a refusal saying {says:?}, got {other:?}"),
    }
}

#[test]
fn a_leader_logs_visits_and_reviews_on_their_own_contracts_only() {
    let mut w = world();
    w.store.actor = Actor::person("lee", at());
    let today = d(TODAY);
    let (id, _) = w.store.add_visit(&visit(w.c_ann, w.ann, "2026-11-20", 1.0), today).expect("own contract");
    refused(w.store.add_visit(&visit(w.c_bob, w.ann, "2026-11-20", 1.0), today), &format!("contract #{}", w.c_bob));
    w.store
        .add_review(&review(w.c_ann, "2026-11-20", alliance::domain::Rag::Green, None, false), today)
        .expect("own review");
    refused(
        w.store.add_review(&review(w.c_bob, "2026-11-20", alliance::domain::Rag::Red, None, true), today),
        "leaders log visits and reviews on their own contracts only",
    );
    // Nothing else: not a school, not a contract.
    let mut s = w.store.get::<alliance::domain::School>(1).expect("school");
    s.notes = "leader's note".into();
    refused(w.store.save_school(&s), "is a leader");
    // Their own visit can be corrected; the audit names them.
    let mut v = w.store.get::<alliance::domain::Visit>(id).expect("visit");
    v.notes = "corrected".into();
    w.store.update_visit(&v, today).expect("correct own visit");
    assert_eq!(w.store.history("visits", id).expect("history")[0].by, "lee");
}

#[test]
fn coordinators_change_records_but_only_admins_settings_streams_and_people() {
    let mut w = world();
    w.store.actor = Actor::person("cora", at());
    let mut s = w.store.get::<alliance::domain::School>(1).expect("school");
    s.notes = "coordinator's note".into();
    w.store.save_school(&s).expect("coordinator edits a school");
    let stream = alliance::domain::FundingStream {
        id: 0,
        name: "Grant".into(),
        amount_pence: 100,
        notes: String::new(),
        stamp: Stamp::default(),
    };
    refused(w.store.save_stream(&stream), "only an admin");
    refused(w.store.save_settings(&w.store.settings().expect("settings")), "only an admin");
    refused(
        w.store.add_person(&PersonChange { account: "eve".into(), role: Some(Role::Admin), ..Default::default() }),
        "only an admin",
    );
    w.store.actor = Actor::person("adam", at());
    w.store.save_stream(&stream).expect("admin adds a stream");
}

#[test]
fn the_board_and_unlisted_accounts_change_nothing_not_even_drafts() {
    let mut w = world();
    for who in ["bea", "stranger"] {
        w.store.actor = Actor::person(who, at());
        assert!(w.store.is_read_only(), "{who}");
        assert!(!w.store.who().expect("who").sees_sensitive());
        refused(w.store.add_visit(&visit(w.c_ann, w.ann, "2026-11-20", 1.0), d(TODAY)), who);
        refused(w.store.save_draft("visit", "new", "{}"), who);
    }
    // A role changed a moment ago counts at the next write (resolved in each transaction).
    w.store.actor = Actor::person("adam", at());
    w.store
        .edit_person(&PersonChange { account: "bea".into(), role: Some(Role::Coordinator), ..Default::default() })
        .expect("promote");
    w.store.actor = Actor::person("bea", at());
    w.store.add_visit(&visit(w.c_ann, w.ann, "2026-11-20", 1.0), d(TODAY)).expect("now a coordinator");
}

#[test]
fn drafts_are_per_person() {
    let mut w = world();
    w.store.actor = Actor::person("cora", at());
    w.store.save_draft("visit", "new", "{\"notes\":\"cora's\"}").expect("draft");
    w.store.actor = Actor::person("lee", at());
    assert_eq!(w.store.load_draft("visit", "new").expect("load"), None);
    w.store.actor = Actor::person("cora", at());
    assert!(w.store.load_draft("visit", "new").expect("load").is_some());
}

#[test]
fn the_last_admin_stays_and_the_first_add_records_the_owner() {
    let dir = tmp();
    let (mut store, path) = create(dir.path(), "b.db");
    let owner = alliance::identity::owner_of(&path).expect("owner").1;
    // Empty `people`: the owner is admin, anyone else reads only.
    store.actor = Actor::person(&owner, at());
    assert_eq!(store.who().expect("who").role(), Some(Role::Admin));
    store.actor = Actor::person("someone-else", at());
    assert!(matches!(store.who().expect("who"), Who::Unlisted { .. }));
    refused(store.save_draft("visit", "new", "{}"), "not one of this alliance's people");

    store.actor = Actor::person(&owner, at());
    store
        .add_person(&PersonChange { account: "cora".into(), role: Some(Role::Coordinator), ..Default::default() })
        .expect("first add");
    let people = store.people().expect("people");
    assert!(people.iter().any(|p| p.account == owner && p.role == Role::Admin), "{people:?}");
    for attempt in [
        store.remove_person(&owner).map(|_| ()),
        store
            .edit_person(&PersonChange { account: owner.clone(), role: Some(Role::Board), ..Default::default() })
            .map(|_| ()),
        store
            .edit_person(&PersonChange { account: owner.clone(), active: Some(false), ..Default::default() })
            .map(|_| ()),
    ] {
        match attempt {
            Err(StoreError::Invalid(p)) => assert!(p.error_text().contains("last admin"), "{}", p.error_text()),
            other => panic!("the last admin was changed: {other:?}"),
        }
    }
    // A leader needs a system leader; a bad account name is refused.
    for (account, role) in [("lou", Role::Leader), ("-rf", Role::Coordinator), ("a b", Role::Board)] {
        assert!(matches!(
            store.add_person(&PersonChange { account: account.into(), role: Some(role), ..Default::default() }),
            Err(StoreError::Invalid(_))
        ));
    }
}

#[test]
fn round_ones_file_gains_people_and_keeps_every_row() {
    let dir = tmp();
    let path = dir.path().join("round1.db");
    std::fs::copy(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample-round1.db"), &path)
        .expect("copy fixture");
    let counts = |c: &rusqlite::Connection| -> Vec<(String, i64)> {
        let tables: Vec<String> = c
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name != 'people' ORDER BY name")
            .expect("prepare")
            .query_map([], |r| r.get(0))
            .expect("tables")
            .map(|r| r.expect("name"))
            .collect();
        tables
            .into_iter()
            .map(|t| {
                (t.clone(), c.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0)).expect("count"))
            })
            .collect()
    };
    let before = counts(&rusqlite::Connection::open(&path).expect("open"));
    let store = Store::open(&path, alliance::store::Access::ReadWrite).expect("open and migrate");
    // Every table round one had keeps every row (other migrations add tables of their own).
    let after = counts(store.conn());
    // (Rows may be added: V_GENERATION gives `settings` its generation id.)
    for (table, n) in &before {
        assert!(after.iter().any(|(t, m)| t == table && m >= n), "{table}: {n} rows before, {after:?} after");
    }
    let people: i64 = store.conn().query_row("SELECT count(*) FROM people", [], |r| r.get(0)).expect("people");
    assert_eq!(people, 0, "a migrated file starts with nobody listed: its owner is admin");
}

#[test]
fn a_leader_sees_only_the_schools_and_contracts_they_work_on() {
    let mut w = world();
    let everyone = w.store.contract_rows().expect("rows").len();
    w.store.actor = Actor::person("lee", at());
    let rows = w.store.contract_rows().expect("rows");
    assert!(everyone > rows.len() && !rows.is_empty());
    assert!(rows.iter().all(|r| r.contract.leader_id == w.ann), "{rows:?}");
    let snap = w.store.snapshot(d(TODAY)).expect("snapshot");
    assert!(snap.contracts.iter().all(|c| c.contract.leader_id == w.ann));
    assert!(snap.leaders.iter().all(|l| l.leader.id == w.ann));
    assert_eq!(w.store.visits_for_contract(w.c_bob).expect("visits"), vec![]);
    // A coordinator sees everything.
    w.store.actor = Actor::person("cora", at());
    assert_eq!(w.store.contract_rows().expect("rows").len(), everyone);
}
