//! Working away from the server (issue #17): an away copy of a copy of sample.db, changes made
//! on both sides, sent with the real binary; nothing lost, nothing doubled, conflicts listed.

mod common;

use alliance::domain::*;
use alliance::store::{Access, Actor, Store};
use common::{d, tmp};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TODAY: &str = "2026-11-23";
/// An active contract of sample.db (school 74, leader 1, 25 Aug 2026 – 22 Jul 2027).
const CONTRACT: i64 = 26;

/// Runs the binary in `dir` with a clean environment (`$USER` names someone else: the person
/// is the real account), the clock fixed.
fn alliance(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alliance"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("HOME", dir)
        .env("USER", "ann")
        .env("ALLIANCE_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .env("ALLIANCE_CONFIG", dir.join("no-config.toml"))
        .output()
        .expect("run alliance")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// The account this test runs as: who an away copy is taken for (never `$USER`).
fn me() -> String {
    alliance::identity::current().account
}

/// A server (a copy of sample.db) and an away copy of it taken by [`me`] with the binary.
fn server_and_away(dir: &Path) -> (PathBuf, PathBuf) {
    let server = dir.join("server.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db"), &server).expect("copy sample.db");
    let out = alliance(dir, &["away", "start", "--from", "server.db", "--out", "away.db"]);
    assert!(out.status.success(), "away start: {}", text(&out));
    (server, dir.join("away.db"))
}

fn open_as(path: &Path, by: &str) -> Store {
    let mut s = Store::open(path, Access::ReadWrite).expect("open");
    s.actor = Actor::fixed(by, "2026-11-23T11:00:00Z");
    s
}

fn visit(contract: i64, leader: i64, on: &str, notes: &str) -> Visit {
    Visit {
        id: 0,
        contract_id: contract,
        leader_id: leader,
        visited_on: d(on),
        days: 0.5,
        activity: Activity::Coaching,
        notes: notes.into(),
        next_steps: String::new(),
        stamp: Stamp::default(),
    }
}

fn count(path: &Path, sql: &str) -> i64 {
    let s = Store::open(path, Access::ReadWrite).expect("open");
    s.conn().query_row(sql, [], |r| r.get(0)).expect("count")
}

fn integrity(path: &Path) -> String {
    let s = Store::open(path, Access::ReadWrite).expect("open");
    s.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check")
}

/// Logs three visits and a rated review away, and edits the contract's aims and success
/// criteria: six changes.
fn work_away(away: &Path) {
    let mut a = Store::open(away, Access::ReadWrite).expect("open away copy");
    assert_eq!(a.actor.by, me(), "changes on an away copy are made in the name of who took it");
    for (i, on) in ["2026-11-16", "2026-11-18", "2026-11-20"].iter().enumerate() {
        a.add_visit(&visit(CONTRACT, 1, on, &format!("away visit {i}")), d(TODAY)).expect("visit away");
    }
    let review = Review {
        id: 0,
        contract_id: CONTRACT,
        reviewed_on: d("2026-11-20"),
        rag: Rag::Amber,
        summary: "Reviewed in the car park".into(),
        next_review_on: Some(d("2027-01-15")),
        escalate: false,
        stamp: Stamp::default(),
    };
    // Rated against the contract's first success criterion (#15), as the review form does.
    let first = a.criteria(CONTRACT).expect("criteria").first().expect("contract 26 has criteria").id;
    a.add_rated_review(&review, &[(first, Rag::Amber)], d(TODAY)).expect("review away");
    let c: Contract = a.get(CONTRACT).expect("contract");
    let edited = Contract { aims: "Aims agreed away".into(), success_criteria: "Criteria agreed away".into(), ..c };
    a.save_contract(&edited).expect("edit away");
}

/// Two visits on the server and an edit of the same contract's aims and focus.
fn work_on_server(server: &Path) {
    let mut s = open_as(server, "bob");
    s.add_visit(&visit(CONTRACT, 1, "2026-11-17", "server visit 1"), d(TODAY)).expect("server visit");
    s.add_visit(&visit(CONTRACT, 1, "2026-11-19", "server visit 2"), d(TODAY)).expect("server visit");
    let c: Contract = s.get(CONTRACT).expect("contract");
    let edited = Contract { aims: "Aims agreed at the hub".into(), focus: "Reading in KS2".into(), ..c };
    s.save_contract(&edited).expect("edit on server");
}

#[test]
fn the_issues_scenario_sends_everything_once_and_lists_the_conflicting_field() {
    let dir = tmp();
    let (server, away) = server_and_away(dir.path());
    let visits_before = count(&server, &format!("SELECT count(*) FROM visits WHERE contract_id = {CONTRACT}"));
    let reviews_before = count(&server, &format!("SELECT count(*) FROM reviews WHERE contract_id = {CONTRACT}"));
    work_away(&away);
    work_on_server(&server);

    let status = alliance(dir.path(), &["--db", "away.db", "status"]);
    assert!(text(&status).starts_with("away copy of server, taken "), "{}", text(&status));
    assert!(text(&status).contains("— 6 changes not yet sent"), "{}", text(&status));

    // The TUI's header says so (its footer too, which has room at 80 columns).
    for width in ["160", "80"] {
        let screen =
            alliance(dir.path(), &["--db", "away.db", "render", "dashboard", "--width", width, "--height", "24"]);
        let shown = text(&screen);
        let (top, bottom) = (shown.lines().next().unwrap_or_default(), shown.lines().last().unwrap_or_default());
        assert!(bottom.contains("AWAY · 6 unsent"), "{width} columns: {bottom}");
        if width == "160" {
            assert!(top.contains("away copy of server, taken ") && top.contains("6 changes not yet sent"), "{top}");
        }
    }

    // Kept for the by-hand route, and to send the same changes a second time below.
    let out = alliance(dir.path(), &["--db", "away.db", "away", "changes", "--out", "changes.json"]);
    assert!(out.status.success(), "{}", text(&out));

    let sent = alliance(dir.path(), &["--db", "away.db", "away", "send"]);
    let said = text(&sent);
    assert_eq!(sent.status.code(), Some(9), "conflicts exit 9: {said}");
    // Nothing left beside the files: no log, no half-made copy.
    let files = common::listing(dir.path());
    assert!(files.iter().all(|f| !f.contains("-wal") && !f.contains("-shm") && !f.starts_with('.')), "{files:?}");

    assert!(said.contains("applied 6 changes (1 merged field by field)"), "{said}");
    assert!(
        said.contains(&format!("contract #26 aims: changed to \"Aims agreed away\" away by {}", me()))
            && said.contains("and to \"Aims agreed at the hub\" here by bob at 2026-11-23 11:00:00")
            && said.contains("kept \"Aims agreed at the hub\""),
        "the conflicting field is listed with both values, who and when: {said}"
    );
    assert!(!said.contains("focus") && !said.contains("success_criteria"), "only the field both changed: {said}");

    // All five visits and the review, exactly once.
    assert_eq!(
        count(&server, &format!("SELECT count(*) FROM visits WHERE contract_id = {CONTRACT}")),
        visits_before + 5
    );
    assert_eq!(count(&server, "SELECT count(*) FROM visits WHERE notes LIKE 'away visit %'"), 3);
    assert_eq!(
        count(&server, &format!("SELECT count(*) FROM reviews WHERE contract_id = {CONTRACT}")),
        reviews_before + 1
    );
    assert_eq!(
        count(
            &server,
            "SELECT count(*) FROM criterion_ratings WHERE review_id IN (SELECT id FROM reviews WHERE summary = 'Reviewed in the car park')"
        ),
        1,
        "the review's criterion rating arrived with it"
    );
    // The field only the copy changed merged; the server's own change and its side of the
    // conflict kept.
    let s = Store::open(&server, Access::ReadOnly).expect("away test step");
    let c: Contract = s.get(CONTRACT).expect("away test step");
    assert_eq!(c.success_criteria, "Criteria agreed away");
    assert_eq!(c.aims, "Aims agreed at the hub");
    assert_eq!(c.focus, "Reading in KS2");
    // Audit rows name the away person, when the change was made and when it arrived.
    let away_rows: Vec<(String, String, Option<String>)> = s
        .conn()
        .prepare("SELECT by, at, arrived_at FROM audit WHERE arrived_at IS NOT NULL ORDER BY id")
        .expect("away test step")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("away test step")
        .collect::<Result<_, _>>()
        .expect("away test step");
    assert_eq!(away_rows.len(), 6, "{away_rows:?}");
    assert!(away_rows.iter().all(|(by, at, arrived)| *by == me() && !at.is_empty() && arrived.is_some()));
    // The visits made away kept the ids of the copy's block.
    let ids: Vec<i64> = s
        .conn()
        .prepare("SELECT id FROM visits WHERE notes LIKE 'away visit %' ORDER BY id")
        .expect("away test step")
        .query_map([], |r| r.get(0))
        .expect("away test step")
        .collect::<Result<_, _>>()
        .expect("away test step");
    // The block is the first round thousand past every id the server had named.
    let first: i64 = s.conn().query_row("SELECT min(first_id) FROM away_blocks", [], |r| r.get(0)).expect("block");
    assert_eq!(first % 1000, 0);
    assert_eq!(ids, vec![first, first + 1, first + 2]);
    let conflicts = s.open_conflicts().expect("away test step");
    assert_eq!(conflicts.len(), 1);
    assert_eq!((conflicts[0].1.field.as_str(), conflicts[0].1.server_by.as_str()), ("aims", "bob"));
    drop(s);

    // The copy was refreshed: nothing left to send, a new block of ids.
    let status = alliance(dir.path(), &["--db", "away.db", "status"]);
    assert!(text(&status).contains("— 0 changes not yet sent"), "{}", text(&status));

    // Sending the same changes again changes nothing.
    let audit_rows = count(&server, "SELECT count(*) FROM audit");
    let again = alliance(dir.path(), &["--db", "server.db", "apply-changes", "changes.json"]);
    assert!(again.status.success(), "{}", text(&again));
    assert!(text(&again).contains("applied 0 changes, 6 received in an earlier send"), "{}", text(&again));
    assert_eq!(count(&server, "SELECT count(*) FROM audit"), audit_rows);
    assert_eq!(
        count(&server, &format!("SELECT count(*) FROM visits WHERE contract_id = {CONTRACT}")),
        visits_before + 5
    );
    assert_eq!(integrity(&server), "ok");
    assert_eq!(integrity(&away), "ok");

    // A record the server creates now skips every block reserved for away copies.
    let mut s = open_as(&server, "bob");
    let (id, _) = s.add_visit(&visit(CONTRACT, 1, "2026-11-23", "after"), d(TODAY)).expect("away test step");
    let blocks: Vec<(i64, i64)> = s
        .conn()
        .prepare("SELECT first_id, last_id FROM away_blocks")
        .expect("away test step")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("away test step")
        .collect::<Result<_, _>>()
        .expect("away test step");
    assert_eq!(blocks.len(), 2, "one block per snapshot (the refresh took the second)");
    assert!(blocks.iter().all(|(f, l)| !(*f..=*l).contains(&id)), "server id {id} inside a block {blocks:?}");
}

#[test]
fn a_visit_on_a_contract_closed_meanwhile_and_an_edit_of_a_removed_visit_are_listed_not_applied() {
    let dir = tmp();
    let (server, away) = server_and_away(dir.path());
    let mut s = open_as(&server, "bob");
    let (victim, _) = s.add_visit(&visit(22, 2, "2026-11-10", "to be removed"), d(TODAY)).expect("away test step");
    let (kept, _) = s.add_visit(&visit(22, 2, "2026-11-11", "to be corrected here"), d(TODAY)).expect("away test step");
    drop(s);
    // The away copy was taken before that visit: take a fresh one.
    std::fs::remove_file(&away).expect("away test step");
    let out = alliance(dir.path(), &["away", "start", "--from", "server.db", "--out", "away.db"]);
    assert!(out.status.success(), "{}", text(&out));

    let mut a = Store::open(&away, Access::ReadWrite).expect("away test step");
    a.add_visit(&visit(CONTRACT, 1, "2026-11-20", "on a contract closed meanwhile"), d(TODAY)).expect("away test step");
    a.add_visit(&visit(22, 2, "2026-11-20", "fine"), d(TODAY)).expect("away test step");
    let v: Visit = a.get(victim).expect("away test step");
    a.update_visit(&Visit { notes: "corrected away".into(), ..v }, d(TODAY)).expect("away test step");
    let k: Visit = a.get(kept).expect("away test step");
    a.remove_visit(kept, k.stamp.version).expect("away test step");
    drop(a);

    let mut s = open_as(&server, "bob");
    // Closed here with its close-out (#15), as a coordinator closes a contract.
    let close = Closeout {
        id: 0,
        contract_id: CONTRACT,
        kind: CloseKind::Completed,
        closed_on: d("2026-11-21"),
        outcome: Outcome::Met,
        sustain: "Keep the monitoring".into(),
        school_feedback_score: Some(4),
        school_feedback: "Helpful".into(),
        lessons: "Start earlier".into(),
        reason: String::new(),
        stamp: Stamp::default(),
    };
    s.close_contract(&close, &[], d(TODAY)).expect("close the contract");
    let v: Visit = s.get(victim).expect("away test step");
    s.remove_visit(victim, v.stamp.version).expect("away test step");
    let k: Visit = s.get(kept).expect("away test step");
    s.update_visit(&Visit { notes: "corrected here".into(), ..k }, d(TODAY)).expect("away test step");
    drop(s);

    let sent = alliance(dir.path(), &["--db", "away.db", "away", "send"]);
    let said = text(&sent);
    assert_eq!(sent.status.code(), Some(9), "{said}");
    assert!(said.contains("applied 1 change, 3 held back"), "{said}");
    assert!(
        said.contains(&format!("visit #{kept} was removed away but changed here by bob at 2026-11-23 11:00:00 — kept")),
        "{said}"
    );
    assert_eq!(count(&server, "SELECT count(*) FROM visits WHERE notes = 'corrected here'"), 1);
    assert!(said.contains("on contract #26: the contract is completed here (by bob at 2026-11-23 11:00:00)"), "{said}");
    assert!(said.contains(&format!("visit #{victim} was removed here by bob at 2026-11-23 11:00:00")), "{said}");
    assert_eq!(count(&server, "SELECT count(*) FROM visits WHERE notes = 'on a contract closed meanwhile'"), 0);
    assert_eq!(count(&server, "SELECT count(*) FROM visits WHERE notes = 'fine'"), 1);
    // The held-back change is kept whole for the coordinator.
    assert_eq!(
        count(
            &server,
            "SELECT count(*) FROM away_conflicts WHERE kind = 'contract_closed' AND change LIKE '%closed meanwhile%'"
        ),
        1
    );
    // The contract's detail in the TUI shows what is left to decide about it.
    let s = Store::open(&server, Access::ReadWrite).expect("server");
    let snap = s.snapshot(d(TODAY)).expect("snapshot");
    let doc = alliance::tui::detail::load(&s, &snap, alliance::tui::table::Target::Contract(CONTRACT))
        .expect("detail")
        .expect("a contract's detail");
    let shown: Vec<String> = doc.lines.iter().map(|l| l.iter().map(|(t, _)| t.as_str()).collect()).collect();
    let at = shown.iter().position(|l| l == "Away conflicts to decide (1)").expect("a conflicts section");
    assert!(shown[at + 1].contains("the contract is completed here (by bob"), "{shown:?}");
    drop(s);
    let listed = alliance(dir.path(), &["--db", "server.db", "conflicts"]);
    assert!(text(&listed).contains("the contract is completed here"), "{}", text(&listed));
    let first = alliance(dir.path(), &["--db", "server.db", "conflicts", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&first.stdout).expect("away test step");
    let id = rows[0]["id"].as_i64().expect("away test step");
    let resolved = alliance(dir.path(), &["--db", "server.db", "conflicts", "resolve", &id.to_string()]);
    assert!(resolved.status.success(), "{}", text(&resolved));
    assert_eq!(count(&server, "SELECT count(*) FROM away_conflicts WHERE resolved_at IS NULL"), 2);
    assert_eq!(integrity(&server), "ok");
}

#[test]
fn changes_for_another_file_another_generation_or_schema_are_refused_whole() {
    let dir = tmp();
    let (server, away) = server_and_away(dir.path());
    let mut a = Store::open(&away, Access::ReadWrite).expect("away test step");
    a.add_visit(&visit(CONTRACT, 1, "2026-11-20", "away"), d(TODAY)).expect("away test step");
    drop(a);
    let out = alliance(dir.path(), &["--db", "away.db", "away", "changes", "--out", "c.json"]);
    assert!(out.status.success(), "{}", text(&out));
    let visits = |p: &Path| count(p, "SELECT count(*) FROM visits");

    // Another alliance file (a fresh copy of the sample has no install id; one that has its own).
    let other = dir.path().join("other.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db"), &other).expect("away test step");
    let before = visits(&other);
    let o = alliance(dir.path(), &["--db", "other.db", "apply-changes", "c.json"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("an away copy of another alliance file"), "{}", text(&o));
    assert_eq!(visits(&other), before);

    // Another schema version, and a document that is not changes at all.
    let doc = std::fs::read_to_string(dir.path().join("c.json")).expect("away test step");
    let mut v: serde_json::Value = serde_json::from_str(&doc).expect("away test step");
    v["copy"]["schema_version"] = 999.into();
    std::fs::write(dir.path().join("schema.json"), v.to_string()).expect("away test step");
    let o = alliance(dir.path(), &["--db", "server.db", "apply-changes", "schema.json"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("schema version 999"), "{}", text(&o));
    std::fs::write(dir.path().join("junk.json"), "{\"hello\": 1}").expect("away test step");
    let o = alliance(dir.path(), &["--db", "server.db", "apply-changes", "junk.json"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("not an away copy's changes"), "{}", text(&o));
    assert_eq!(visits(&server), before);

    // A change claiming an id outside the copy's block was altered: refused whole.
    let mut v: serde_json::Value = serde_json::from_str(&doc).expect("away test step");
    v["changes"][0]["entity_id"] = 5.into();
    std::fs::write(dir.path().join("moved.json"), v.to_string()).expect("away test step");
    let o = alliance(dir.path(), &["--db", "server.db", "apply-changes", "moved.json"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert_eq!(visits(&server), before);

    // The right file, through standard input: applied.
    let o = Command::new(env!("CARGO_BIN_EXE_alliance"))
        .args(["--db", "server.db", "apply-changes", "-"])
        .current_dir(dir.path())
        .env_clear()
        .env("HOME", dir.path())
        .env("ALLIANCE_TODAY", TODAY)
        .stdin(std::fs::File::open(dir.path().join("c.json")).expect("away test step"))
        .output()
        .expect("away test step");
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(visits(&server), before + 1);

    // The server restored since (`alliance restore` gives the file a new generation): the
    // copy's changes could undo or double what the restore changed, so none is applied.
    let before = visits(&server);
    let backup = alliance(dir.path(), &["--db", "server.db", "backup", "before.db"]);
    assert!(backup.status.success(), "{}", text(&backup));
    let restored = alliance(dir.path(), &["--db", "server.db", "restore", "before.db"]);
    assert!(restored.status.success(), "{}", text(&restored));
    let o = alliance(dir.path(), &["--db", "away.db", "away", "send"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("was restored or replaced after this away copy was taken"), "{}", text(&o));
    assert_eq!(visits(&server), before);
    assert_eq!(count(&away, "SELECT count(*) FROM audit WHERE id > (SELECT base_audit_id FROM away_copy)"), 1, "kept");
}

#[test]
fn start_refuses_an_away_copy_or_an_existing_file_and_discard_asks_first() {
    let dir = tmp();
    let (_, away) = server_and_away(dir.path());
    let o = alliance(dir.path(), &["away", "start", "--from", "server.db", "--out", "away.db"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("already exists"), "{}", text(&o));
    let o = alliance(dir.path(), &["away", "start", "--from", "away.db", "--out", "again.db"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("is itself an away copy"), "{}", text(&o));
    assert!(!dir.path().join("again.db").exists());
    let o = alliance(dir.path(), &["--db", "server.db", "away", "send"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("is not an away copy"), "{}", text(&o));

    // No terminal to ask on: refused without --yes.
    let o = alliance(dir.path(), &["--db", "away.db", "away", "discard"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(away.exists());
    let o = alliance(dir.path(), &["--db", "away.db", "away", "discard", "--yes"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!away.exists());
    assert!(dir.path().join("server.db").exists());
}

#[test]
fn an_old_away_copy_warns() {
    let dir = tmp();
    let (_, away) = server_and_away(dir.path());
    Store::open(&away, Access::ReadWrite)
        .expect("away test step")
        .conn()
        .execute("UPDATE away_copy SET taken_at = '2026-01-01T09:00:00Z'", [])
        .expect("away test step");
    let o = alliance(dir.path(), &["--db", "away.db", "status"]);
    assert!(text(&o).contains("warning: this away copy was taken"), "{}", text(&o));
    let o = alliance(dir.path(), &["--db", "away.db", "status", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("away test step");
    assert_eq!(v["away"]["old"], true);
    assert_eq!(v["away"]["person"], me());
}

#[test]
fn round_ones_file_gains_the_away_tables_keeps_every_row_and_can_be_taken_away() {
    let dir = tmp();
    let server = dir.path().join("server.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sample-round1.db"), &server)
        .expect("away test step");
    let tables = ["schools", "leaders", "contracts", "visits", "reviews", "decisions", "audit", "settings"];
    let counts = |p: &Path| -> Vec<i64> {
        let c = rusqlite::Connection::open_with_flags(p, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("away test step");
        tables
            .iter()
            .map(|t| c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).expect("away test step"))
            .collect()
    };
    let before = counts(&server);
    let out = alliance(dir.path(), &["away", "start", "--from", "server.db", "--out", "away.db"]);
    assert!(out.status.success(), "{}", text(&out));
    let after = counts(&server);
    // Every row kept.
    assert_eq!(&after[..7], &before[..7]);
    // Settings: round one's rows kept; the install id (and the generation id its migration
    // gives every file) added.
    assert_eq!(after[7], before[7] + 2);
    assert_eq!(
        count(&server, "SELECT count(*) FROM settings WHERE key NOT IN ('install_id', 'generation')"),
        before[7]
    );
    assert_eq!(count(&server, "SELECT count(*) FROM away_blocks"), 1);
    assert_eq!(count(&server, "SELECT count(*) FROM audit WHERE arrived_at IS NOT NULL"), 0);
    assert_eq!(counts(&dir.path().join("away.db"))[..7], before[..7]);
}

/// Sensitive soft intelligence never goes to a laptop: not the entry, not the audit trail's
/// copies of it, not the bytes of the file.
#[test]
fn sensitive_soft_intelligence_stays_on_the_server() {
    let dir = tmp();
    let server = dir.path().join("server.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db"), &server).expect("copy sample.db");
    let secret = "Chair of governors ZQX7 told us in confidence of a grievance";
    let out = alliance(
        dir.path(),
        &["--db", "server.db", "note", "add", "--school", "Otterford", "--text", secret, "--sensitive"],
    );
    assert!(out.status.success(), "note add: {}", text(&out));
    let normal = "Parents' survey positive about the new phonics scheme";
    let out = alliance(dir.path(), &["--db", "server.db", "note", "add", "--school", "Otterford", "--text", normal]);
    assert!(out.status.success(), "note add: {}", text(&out));
    let sensitive = count(&server, "SELECT count(*) FROM intelligence WHERE sensitivity = 'sensitive'");
    assert!(sensitive >= 1, "the sample's own sensitive entries and this one");

    let out = alliance(dir.path(), &["away", "start", "--from", "server.db", "--out", "away.db"]);
    assert!(out.status.success(), "away start: {}", text(&out));
    let away = dir.path().join("away.db");
    assert_eq!(count(&away, "SELECT count(*) FROM intelligence WHERE sensitivity = 'sensitive'"), 0);
    assert_eq!(
        count(
            &away,
            "SELECT count(*) FROM intelligence WHERE text = 'Parents'' survey positive about the new phonics scheme'"
        ),
        1
    );
    assert_eq!(count(&away, "SELECT count(*) FROM audit WHERE coalesce(after, '') LIKE '%ZQX7%'"), 0);
    let bytes = std::fs::read(&away).expect("read copy");
    assert!(
        !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
        "the sensitive text is nowhere in the copy's bytes"
    );
    // The server keeps them all.
    assert_eq!(count(&server, "SELECT count(*) FROM intelligence WHERE sensitivity = 'sensitive'"), sensitive);
}
