//! What an away copy may change (issue #17, DESIGN-NOTES "What an away copy may change"): every
//! kind of record the copy accepts is replayed on the server through the server's own write;
//! everything else is refused at write time on the copy, so no work is accepted away and lost.
//! Real SQLite files in a tempdir, made from a copy of sample.db.

mod common;

use alliance::domain::*;
use alliance::store::{Access, Actor, ApplyReport, Store, StoreError};
use common::{d, tmp};
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-11-23";
/// An active contract of sample.db (school 74, leader 1).
const CONTRACT: i64 = 26;

fn open_as(path: &Path, by: &str, at: &str) -> Store {
    let mut s = Store::open(path, Access::ReadWrite).expect("open");
    s.actor = Actor::fixed(by, at);
    s
}

/// A server (a copy of sample.db) and an away copy of it taken through the store.
fn server_and_away(dir: &Path) -> (PathBuf, PathBuf) {
    let server = dir.join("server.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db"), &server).expect("copy sample.db");
    let away = dir.join("away.db");
    let mut s = open_as(&server, "ann", "2026-11-23T09:00:00Z");
    s.take_away_copy(&away, "hub", &server.display().to_string(), "ann").expect("take away copy");
    (server, away)
}

fn send(server: &Path, away: &Path) -> ApplyReport {
    let set = Store::open(away, Access::ReadWrite).expect("open away").away_changes().expect("changes");
    let mut s = open_as(server, "hub", "2026-11-24T08:00:00Z");
    s.apply_changes(&set, d(TODAY)).expect("apply")
}

fn count(path: &Path, sql: &str) -> i64 {
    let s = Store::open(path, Access::ReadWrite).expect("open");
    s.conn().query_row(sql, [], |r| r.get(0)).expect("count")
}

fn unsent(away: &Path) -> i64 {
    Store::open(away, Access::ReadWrite).expect("open").away_status().expect("status").expect("away copy").unsent
}

#[test]
fn criteria_added_and_edited_away_are_replayed_once_with_the_agreement_made_again_here() {
    let dir = tmp();
    let (server, away) = server_and_away(dir.path());
    let agreements_before = count(&server, &format!("SELECT count(*) FROM agreements WHERE contract_id = {CONTRACT}"));
    let mut a = open_as(&away, "ann", "2026-11-23T10:00:00Z");
    let first = a.criteria(CONTRACT).expect("criteria").remove(0);
    a.save_criterion(&Criterion { text: "Phonics screening pass rate (agreed away)".into(), ..first.clone() })
        .expect("edit criterion away");
    let mut a = open_as(&away, "ann", "2026-11-23T10:05:00Z");
    let new =
        Criterion { id: 0, contract_id: CONTRACT, text: "Attendance of disadvantaged pupils".into(), ..first.clone() };
    let new_id = a.save_criterion(&new).expect("add criterion away");
    drop(a);

    let report = send(&server, &away);
    assert!(report.conflicts.is_empty(), "nothing conflicts: {:?}", report.conflicts);
    assert!(report.applied >= 2, "both criterion changes applied: {report:?}");
    let s = Store::open(&server, Access::ReadWrite).expect("open server");
    let here = s.criteria(CONTRACT).expect("criteria");
    assert_eq!(
        here.iter().find(|k| k.id == first.id).expect("edited").text,
        "Phonics screening pass rate (agreed away)"
    );
    assert_eq!(
        here.iter().find(|k| k.id == new_id).expect("created with its away id").text,
        "Attendance of disadvantaged pupils"
    );
    // The agreement follows the server's own rule (a signed version gets a variation, an
    // unsigned one takes the terms), made here by the replayed write — never copied twice.
    let agreements = count(&server, &format!("SELECT count(*) FROM agreements WHERE contract_id = {CONTRACT}"));
    assert!(
        agreements <= agreements_before + 1,
        "at most one new agreement version: {agreements_before} → {agreements}"
    );
    let audit_by_ann = count(
        &server,
        &format!("SELECT count(*) FROM audit WHERE entity = 'criteria' AND entity_id = {new_id} AND by = 'ann'"),
    );
    assert_eq!(audit_by_ann, 1, "the audit row names the away person");
    // Sent again, nothing changes.
    let again = send(&server, &away);
    assert_eq!(again.already, report.applied + report.merged + report.unchanged + report.held);
    assert!(again.conflicts.is_empty());
}

#[test]
fn a_criterion_edited_on_both_sides_keeps_the_servers_value_and_lists_both() {
    let dir = tmp();
    let (server, away) = server_and_away(dir.path());
    let mut a = open_as(&away, "ann", "2026-11-23T10:00:00Z");
    let first = a.criteria(CONTRACT).expect("criteria").remove(0);
    a.save_criterion(&Criterion { text: "Away wording".into(), ..first.clone() }).expect("edit away");
    drop(a);
    let mut s = open_as(&server, "bob", "2026-11-23T10:30:00Z");
    s.save_criterion(&Criterion { text: "Hub wording".into(), ..first.clone() }).expect("edit here");
    drop(s);
    let report = send(&server, &away);
    assert_eq!(report.conflicts.len(), 1, "{:?}", report.conflicts);
    let c = &report.conflicts[0];
    assert_eq!((c.entity.as_str(), c.kind.as_str(), c.field.as_str()), ("criteria", "both_changed", "text"));
    assert_eq!((c.away_value.as_str(), c.server_value.as_str()), ("Away wording", "Hub wording"));
    assert_eq!((c.away_by.as_str(), c.server_by.as_str()), ("ann", "bob"));
    let s = Store::open(&server, Access::ReadWrite).expect("open");
    assert_eq!(s.get::<Criterion>(first.id).expect("criterion").text, "Hub wording");
}

#[test]
fn intelligence_noted_and_redacted_away_is_replayed_with_the_schools_mirror() {
    let dir = tmp();
    let (server, away) = server_and_away(dir.path());
    let school: i64 = count(&server, &format!("SELECT school_id FROM contracts WHERE id = {CONTRACT}"));
    let mut a = open_as(&away, "ann", "2026-11-23T10:00:00Z");
    let noted = a
        .add_note(&Intelligence {
            id: 0,
            school_id: school,
            noted_on: d("2026-11-23"),
            source: "visit".into(),
            text: "New SENCo starts in January".into(),
            sensitivity: "normal".into(),
            review_on: None,
            redacted: false,
            stamp: Stamp::default(),
        })
        .expect("note away");
    let mut a = open_as(&away, "ann", "2026-11-23T10:05:00Z");
    let wrong = a
        .add_note(&Intelligence {
            id: 0,
            school_id: school,
            noted_on: d("2026-11-22"),
            source: "visit".into(),
            text: "Noted against the wrong school".into(),
            sensitivity: "normal".into(),
            review_on: None,
            redacted: false,
            stamp: Stamp::default(),
        })
        .expect("second note away");
    let mut a = open_as(&away, "ann", "2026-11-23T10:10:00Z");
    a.redact_note(wrong).expect("redact away");
    drop(a);

    let report = send(&server, &away);
    assert!(report.conflicts.is_empty(), "{:?}", report.conflicts);
    assert_eq!(
        count(
            &server,
            &format!("SELECT count(*) FROM intelligence WHERE id = {noted} AND text = 'New SENCo starts in January'")
        ),
        1
    );
    assert_eq!(
        count(
            &server,
            &format!("SELECT count(*) FROM intelligence WHERE id = {wrong} AND redacted = 1 AND text = '[redacted]'")
        ),
        1
    );
    assert_eq!(
        count(
            &server,
            "SELECT count(*) FROM audit WHERE coalesce(after, '') || coalesce(before, '') LIKE '%wrong school%'"
        ),
        0,
        "redaction reaches the server's audit copies too"
    );
    assert_eq!(
        count(
            &server,
            &format!("SELECT count(*) FROM schools WHERE id = {school} AND notes = 'New SENCo starts in January'")
        ),
        1,
        "the school's notes mirror the newest entry"
    );
}

#[test]
fn notes_typed_into_a_school_away_become_one_entry_here_not_two() {
    let dir = tmp();
    let (server, away) = server_and_away(dir.path());
    let school: i64 = count(&server, &format!("SELECT school_id FROM contracts WHERE id = {CONTRACT}"));
    let mut a = open_as(&away, "ann", "2026-11-23T10:00:00Z");
    let s: School = a.get(school).expect("school");
    a.save_school(&School { notes: "Head retiring at Easter".into(), headteacher: "Mrs New".into(), ..s })
        .expect("edit away");
    drop(a);
    let entries = |p: &Path| count(p, "SELECT count(*) FROM intelligence WHERE text = 'Head retiring at Easter'");
    let events = |p: &Path| count(p, &format!("SELECT count(*) FROM school_events WHERE school_id = {school}"));
    assert_eq!(entries(&away), 1);
    let events_away = events(&away);
    let report = send(&server, &away);
    assert!(report.conflicts.is_empty(), "{:?}", report.conflicts);
    assert_eq!(entries(&server), 1, "the entry the school edit derives is made once, here");
    assert_eq!(events(&server), events_away, "the head's change is one dated event here too");
}

#[test]
fn server_only_changes_are_refused_at_write_time_on_an_away_copy_and_nothing_is_kept() {
    let dir = tmp();
    let (server, away) = server_and_away(dir.path());
    let mut a = open_as(&away, "ann", "2026-11-23T10:00:00Z");
    let refused = |r: Result<(), StoreError>, what: &str, says: &str| {
        let e = r.expect_err(what).to_string();
        assert!(e.contains(says) && e.contains("nothing was saved on this away copy"), "{what}: {e}");
    };
    let mut settings = a.settings().expect("settings");
    assert!(settings.apply("signoff", "warn"), "the sign-off setting takes `warn`");
    refused(a.save_settings(&settings), "settings", "settings are changed on the server only");
    let term = Term {
        id: 0,
        starts_on: d("2027-09-01"),
        ends_on: d("2027-10-20"),
        label: "Autumn 1".into(),
        kind: TermKind::Term,
        stamp: Stamp::default(),
    };
    refused(a.add_term(&term).map(|_| ()), "terms", "term dates are changed on the server only");
    refused(
        a.add_person(&alliance::store::PersonChange {
            account: "zed".into(),
            role: Some(Role::Coordinator),
            ..Default::default()
        })
        .map(|_| ()),
        "people",
        "people and their roles are changed on the server only",
    );
    refused(
        a.sign(34, Party::Commissioner, d("2026-11-20"), "Ms Funder", d(TODAY)).map(|_| ()),
        "signature",
        "signatures are recorded on the server only",
    );
    let close = Closeout {
        id: 0,
        contract_id: CONTRACT,
        kind: CloseKind::Completed,
        closed_on: d("2026-11-20"),
        outcome: Outcome::Met,
        sustain: "Handed to the English lead".into(),
        school_feedback_score: Some(5),
        school_feedback: "Thank you".into(),
        lessons: "Start sooner".into(),
        reason: String::new(),
        stamp: Stamp::default(),
    };
    refused(
        a.close_contract(&close, &[], d(TODAY)).map(|_| ()),
        "close-out",
        "contracts are closed on the server only",
    );
    let school: i64 = count(&server, &format!("SELECT school_id FROM contracts WHERE id = {CONTRACT}"));
    refused(
        a.add_note(&Intelligence {
            id: 0,
            school_id: school,
            noted_on: d("2026-11-23"),
            source: "visit".into(),
            text: "Told in confidence".into(),
            sensitivity: "sensitive".into(),
            review_on: None,
            redacted: false,
            stamp: Stamp::default(),
        })
        .map(|_| ()),
        "sensitive note",
        "sensitive soft intelligence is recorded on the server only",
    );
    drop(a);
    assert_eq!(unsent(&away), 0, "nothing refused was kept to be lost later");
    assert_eq!(count(&away, "SELECT count(*) FROM intelligence WHERE text = 'Told in confidence'"), 0);
    // The same writes on the server's own file are accepted.
    let mut s = open_as(&server, "hub", "2026-11-23T10:00:00Z");
    s.add_term(&term).expect("the server takes term dates");
}

/// A field both sides changed: contract 26's aims, changed away by ann and here by bob; sent.
/// Returns the open conflict's id.
fn aims_conflict(server: &Path, away: &Path) -> i64 {
    let mut a = open_as(away, "ann", "2026-11-23T10:00:00Z");
    let c: Contract = a.get(CONTRACT).expect("contract");
    a.save_contract(&Contract { aims: "Aims agreed away".into(), ..c }).expect("edit away");
    drop(a);
    let mut s = open_as(server, "bob", "2026-11-23T10:30:00Z");
    let c: Contract = s.get(CONTRACT).expect("contract");
    s.save_contract(&Contract { aims: "Aims agreed at the hub".into(), ..c }).expect("edit here");
    drop(s);
    let report = send(server, away);
    assert_eq!(report.conflicts.len(), 1, "{:?}", report.conflicts);
    let s = Store::open(server, Access::ReadWrite).expect("open");
    let open = s.open_conflicts().expect("open conflicts");
    assert_eq!(open.len(), 1);
    assert_eq!((open[0].1.field.as_str(), open[0].1.kind.as_str()), ("aims", "both_changed"));
    open[0].0
}

fn aims(server: &Path) -> String {
    Store::open(server, Access::ReadWrite).expect("open").get::<Contract>(CONTRACT).expect("contract").aims
}

fn resolution_audit(server: &Path, id: i64) -> (String, String) {
    let s = Store::open(server, Access::ReadWrite).expect("open");
    s.conn()
        .query_row(
            "SELECT by, json_extract(after, '$.resolution') FROM audit WHERE entity = 'away_conflicts' AND entity_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the resolution is audited")
}

#[test]
fn a_coordinator_keeps_the_servers_value_takes_the_away_one_or_types_a_new_one() {
    use alliance::store::Resolution;
    for (how, expect, said) in [
        (Resolution::KeepServer, "Aims agreed at the hub", "kept \"Aims agreed at the hub\" (the server's)"),
        (Resolution::TakeAway, "Aims agreed away", "took \"Aims agreed away\" (the away value)"),
        (Resolution::Value("Aims settled by Cleo".into()), "Aims settled by Cleo", "set to \"Aims settled by Cleo\""),
    ] {
        let dir = tmp();
        let (server, away) = server_and_away(dir.path());
        let id = aims_conflict(&server, &away);
        let versions = |p: &Path| {
            count(p, &format!("SELECT count(*) FROM audit WHERE entity = 'contracts' AND entity_id = {CONTRACT}"))
        };
        let before = versions(&server);
        let mut s = open_as(&server, "cleo", "2026-11-24T09:00:00Z");
        let done = s.resolve_conflict_as(id, &how, d(TODAY)).expect("resolve");
        assert_eq!(done, said);
        drop(s);
        assert_eq!(aims(&server), expect, "{how:?}");
        let wrote = if how == Resolution::KeepServer { 0 } else { 1 };
        assert_eq!(versions(&server), before + wrote, "{how:?}: one audited save of the record, or none");
        if wrote == 1 {
            assert_eq!(
                count(
                    &server,
                    &format!(
                        "SELECT count(*) FROM audit WHERE entity = 'contracts' AND entity_id = {CONTRACT} AND by = 'cleo' AND json_extract(after, '$.aims') = '{expect}'"
                    )
                ),
                1
            );
        }
        assert_eq!(resolution_audit(&server, id), ("cleo".to_string(), said.to_string()));
        let s = Store::open(&server, Access::ReadWrite).expect("open");
        assert!(s.open_conflicts().expect("open").is_empty(), "{how:?}: the conflict is gone");
    }
}

#[test]
fn a_resolution_is_refused_when_the_field_changed_since_for_a_bad_value_and_for_a_leader() {
    use alliance::store::Resolution;
    let dir = tmp();
    let (server, away) = server_and_away(dir.path());
    let id = aims_conflict(&server, &away);
    // Someone changes the field again after the conflict was listed: taking the away value
    // would overwrite what they saved, so it is refused and the conflict stays open.
    let mut s = open_as(&server, "dan", "2026-11-24T08:30:00Z");
    let c: Contract = s.get(CONTRACT).expect("contract");
    s.save_contract(&Contract { aims: "Aims revised again".into(), ..c }).expect("edit again");
    let e = s.resolve_conflict_as(id, &Resolution::TakeAway, d(TODAY)).expect_err("stale");
    assert!(matches!(e, StoreError::Stale { .. }), "{e}");
    assert_eq!(aims(&server), "Aims revised again");
    assert_eq!(s.open_conflicts().expect("open").len(), 1, "still open");
    // A dismissal needs a reason; a field conflict is not dismissed but decided.
    let e = s.resolve_conflict_as(id, &Resolution::Dismiss("  ".into()), d(TODAY)).expect_err("no reason");
    assert!(e.to_string().contains("why"), "{e}");
    // Only a coordinator or an admin resolves.
    s.add_person(&alliance::store::PersonChange {
        account: "hub".into(),
        role: Some(Role::Admin),
        ..Default::default()
    })
    .expect("admin");
    s.add_person(&alliance::store::PersonChange {
        account: "lee".into(),
        role: Some(Role::Leader),
        leader_id: Some(Some(1)),
        ..Default::default()
    })
    .expect("leader");
    s.actor = Actor::person("lee", "2026-11-24T09:00:00Z");
    let e = s.resolve_conflict_as(id, &Resolution::KeepServer, d(TODAY)).expect_err("a leader");
    assert!(e.to_string().contains("only a coordinator or an admin resolves"), "{e}");
    assert_eq!(s.open_conflicts().expect("open").len(), 1);
}

#[test]
fn a_held_back_change_is_dismissed_with_a_reason_not_given_a_value() {
    use alliance::store::Resolution;
    let dir = tmp();
    let (server, away) = server_and_away(dir.path());
    // A visit logged away on a contract the server closes meanwhile.
    let mut a = open_as(&away, "ann", "2026-11-23T10:00:00Z");
    let v = Visit {
        id: 0,
        contract_id: CONTRACT,
        leader_id: 1,
        visited_on: d("2026-11-20"),
        days: 0.5,
        activity: Activity::Coaching,
        notes: "Away visit".into(),
        next_steps: String::new(),
        stamp: Stamp::default(),
    };
    a.add_visit(&v, d(TODAY)).expect("visit away");
    drop(a);
    let mut s = open_as(&server, "bob", "2026-11-23T10:30:00Z");
    let close = Closeout {
        id: 0,
        contract_id: CONTRACT,
        kind: CloseKind::Terminated,
        closed_on: d("2026-11-21"),
        outcome: Outcome::NotMet,
        sustain: String::new(),
        school_feedback_score: None,
        school_feedback: String::new(),
        lessons: String::new(),
        reason: "School joined a trust".into(),
        stamp: Stamp::default(),
    };
    s.close_contract(&close, &[], d(TODAY)).expect("close here");
    drop(s);
    let report = send(&server, &away);
    let held = report.conflicts.iter().find(|c| c.entity == "visits").expect("the visit is held back");
    assert_eq!(held.kind, "contract_closed");
    let mut s = open_as(&server, "cleo", "2026-11-24T09:00:00Z");
    let id = s.open_conflicts().expect("open").into_iter().find(|(_, c)| c.entity == "visits").expect("listed").0;
    let e = s.resolve_conflict_as(id, &Resolution::TakeAway, d(TODAY)).expect_err("no field to take");
    assert!(e.to_string().contains("whole change"), "{e}");
    let done = s
        .resolve_conflict_as(id, &Resolution::Dismiss("Logged on the new trust's contract".into()), d(TODAY))
        .expect("dismiss");
    assert_eq!(done, "dismissed: Logged on the new trust's contract");
    assert!(s.open_conflicts().expect("open").iter().all(|(i, _)| *i != id));
}

#[test]
fn a_persons_own_edit_in_the_same_second_as_a_derived_row_is_still_replayed() {
    let dir = tmp();
    let (server, away) = server_and_away(dir.path());
    let school: i64 = count(&server, &format!("SELECT school_id FROM contracts WHERE id = {CONTRACT}"));
    // One second, one person: a note (which writes the school's notes mirror), then an edit of
    // the same school's head (a script running two commands).
    let mut a = open_as(&away, "ann", "2026-11-23T10:00:00Z");
    a.add_note(&Intelligence {
        id: 0,
        school_id: school,
        noted_on: d("2026-11-23"),
        source: "visit".into(),
        text: "Deputy acting up from Monday".into(),
        sensitivity: "normal".into(),
        review_on: None,
        redacted: false,
        stamp: Stamp::default(),
    })
    .expect("note away");
    let s: School = a.get(school).expect("school");
    a.save_school(&School { headteacher: "Mr Acting".into(), ..s }).expect("edit away");
    drop(a);
    let report = send(&server, &away);
    assert!(report.conflicts.is_empty(), "{:?}", report.conflicts);
    assert_eq!(
        count(&server, &format!("SELECT count(*) FROM schools WHERE id = {school} AND headteacher = 'Mr Acting'")),
        1
    );
    assert_eq!(
        count(&server, "SELECT count(*) FROM intelligence WHERE text = 'Deputy acting up from Monday'"),
        1,
        "the entry once"
    );
}

#[test]
fn the_command_line_on_an_away_copy_refuses_server_only_changes_with_exit_3() {
    let dir = tmp();
    let server = dir.path().join("server.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db"), &server).expect("copy sample.db");
    // Taken for the account running the test (the file's owner, so its admin): the copy acts
    // as them.
    let away = dir.path().join("away.db");
    let me = alliance::identity::current().account;
    let mut s = Store::open(&server, Access::ReadWrite).expect("open");
    s.take_away_copy(&away, "hub", &server.display().to_string(), &me).expect("take away copy");
    drop(s);
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_alliance"))
            .arg("--db")
            .arg(&away)
            .args(args)
            .env("ALLIANCE_TODAY", TODAY)
            .env("NO_COLOR", "1")
            .env("ALLIANCE_CONFIG", dir.path().join("none.toml"))
            .output()
            .expect("run alliance")
    };
    for (args, says) in [
        (vec!["settings", "set", "signoff=warn"], "settings are changed on the server only"),
        (
            vec!["terms", "add", "2027-09-01", "2027-10-20", "--label", "Autumn 1"],
            "term dates are changed on the server only",
        ),
    ] {
        let out = run(&args);
        let text = String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {text}");
        assert!(text.contains(says) && text.contains("nothing was saved on this away copy"), "{args:?}: {text}");
    }
    assert_eq!(unsent(&away), 0);
}

#[test]
fn a_typed_date_is_read_as_people_type_dates_and_a_bad_one_is_refused_in_a_sentence() {
    use alliance::store::Resolution;
    let dir = tmp();
    let (server, away) = server_and_away(dir.path());
    let mut a = open_as(&away, "ann", "2026-11-23T10:00:00Z");
    let c: Contract = a.get(CONTRACT).expect("contract");
    a.save_contract(&Contract { end_on: d("2027-07-16"), ..c }).expect("edit away");
    drop(a);
    let mut s = open_as(&server, "bob", "2026-11-23T10:30:00Z");
    let c: Contract = s.get(CONTRACT).expect("contract");
    s.save_contract(&Contract { end_on: d("2027-07-09"), ..c }).expect("edit here");
    drop(s);
    let report = send(&server, &away);
    assert_eq!(report.conflicts.len(), 1, "{:?}", report.conflicts);
    assert_eq!(report.conflicts[0].field, "end_on");
    let mut s = open_as(&server, "cleo", "2026-11-24T09:00:00Z");
    let id = s.open_conflicts().expect("open")[0].0;
    let e = s.resolve_conflict_as(id, &Resolution::Value("the end of term".into()), d(TODAY)).expect_err("not a date");
    assert!(e.to_string().contains("is not a contract end_on"), "{e}");
    let done = s.resolve_conflict_as(id, &Resolution::Value("22/07/2027".into()), d(TODAY)).expect("a date");
    assert_eq!(done, "set to \"2027-07-22\"");
    assert_eq!(s.get::<Contract>(CONTRACT).expect("contract").end_on, d("2027-07-22"));
}
