//! The TUI's away conflicts list (issue #17), driven by keys over a server that received an
//! away copy's changes: a field both sides changed (contract 26's aims) and a visit held back
//! because its contract was closed here meanwhile. Resolving keeps the server's value, takes
//! the away one or types a new one — saved through the record's audited write — or dismisses
//! the held-back visit with a reason; the conflict then leaves the list. Snapshots at 80×24
//! and 120×32, with no colour and in colour depth 16.

mod common;

use alliance::domain::*;
use alliance::store::{Access, Actor, Store};
use alliance::tui::App;
use alliance::tui::keymap::Layer;
use alliance::tui::theme::{ColorDepth, Theme};
use common::{d, tmp};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-11-23";

fn open_as(path: &Path, by: &str, at: &str) -> Store {
    let mut s = Store::open(path, Access::ReadWrite).expect("open");
    s.actor = Actor::fixed(by, at);
    s
}

/// A server (copy of sample.db) that has received an away copy's changes: ann changed
/// contract 26's aims away while bob changed them here, and ann logged a visit on contract 34
/// away while bob terminated it here. Two open conflicts, in that order.
fn server_with_conflicts() -> (tempfile::TempDir, PathBuf) {
    let dir = tmp();
    let server = dir.path().join("server.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db"), &server).expect("copy sample.db");
    let away = dir.path().join("away.db");
    open_as(&server, "ann", "2026-11-23T09:00:00Z")
        .take_away_copy(&away, "hub", &server.display().to_string(), "ann")
        .expect("take away copy");
    let mut a = open_as(&away, "ann", "2026-11-23T10:00:00Z");
    let c: Contract = a.get(26).expect("contract");
    a.save_contract(&Contract { aims: "Aims agreed away".into(), ..c }).expect("edit away");
    let mut a = open_as(&away, "ann", "2026-11-23T10:05:00Z");
    let visit = Visit {
        id: 0,
        contract_id: 34,
        leader_id: a.get::<Contract>(34).expect("contract 34").leader_id,
        visited_on: d("2026-11-20"),
        days: 0.5,
        activity: Activity::Coaching,
        notes: "Coaching the new maths lead".into(),
        next_steps: String::new(),
        stamp: Stamp::default(),
    };
    a.add_visit(&visit, d(TODAY)).expect("visit away");
    drop(a);
    let mut s = open_as(&server, "bob", "2026-11-23T10:30:00Z");
    let c: Contract = s.get(26).expect("contract");
    s.save_contract(&Contract { aims: "Aims agreed at the hub".into(), ..c }).expect("edit here");
    let close = Closeout {
        id: 0,
        contract_id: 34,
        kind: CloseKind::Terminated,
        closed_on: d("2026-11-21"),
        outcome: Outcome::NotMet,
        sustain: String::new(),
        school_feedback_score: None,
        school_feedback: String::new(),
        lessons: String::new(),
        reason: "The school joined a trust".into(),
        stamp: Stamp::default(),
    };
    s.close_contract(&close, &[], d(TODAY)).expect("terminate here");
    drop(s);
    let set = Store::open(&away, Access::ReadWrite).expect("open away").away_changes().expect("changes");
    let report = open_as(&server, "hub", "2026-11-24T08:00:00Z").apply_changes(&set, d(TODAY)).expect("apply");
    assert_eq!(report.conflicts.len(), 2, "{:?}", report.conflicts);
    (dir, server)
}

fn app_on(db: &Path, depth: ColorDepth) -> App {
    let store = open_as(db, "cleo", "2026-11-24T09:00:00Z");
    let theme = if depth == ColorDepth::None { Theme::fallback(depth) } else { Theme::load("default", depth).0 };
    App::new(store, d(TODAY), theme).expect("app")
}

fn key(app: &mut App, c: KeyCode) {
    app.handle_key(KeyEvent::new(c, KeyModifiers::NONE));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    alliance::tui::render_text(app, w, h).expect("render")
}

fn aims(db: &Path) -> String {
    Store::open(db, Access::ReadWrite).expect("open").get::<Contract>(26).expect("contract").aims
}

fn open_count(db: &Path) -> usize {
    Store::open(db, Access::ReadWrite).expect("open").open_conflicts().expect("conflicts").len()
}

/// The audit row of conflict `id`'s resolution: (who, how).
fn resolution(db: &Path, id: i64) -> (String, String) {
    let s = Store::open(db, Access::ReadWrite).expect("open");
    s.conn()
        .query_row(
            "SELECT by, json_extract(after, '$.resolution') FROM audit WHERE entity = 'away_conflicts' AND entity_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("resolution audited")
}

/// Who last saved contract 26's aims here, per the audit trail.
fn last_aims_by(db: &Path) -> String {
    let s = Store::open(db, Access::ReadWrite).expect("open");
    s.conn()
        .query_row(
            "SELECT by FROM audit WHERE entity = 'contracts' AND entity_id = 26 ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("audit")
}

#[test]
fn the_footer_counts_open_conflicts_and_c_lists_them_with_who_and_when() {
    let (_dir, db) = server_with_conflicts();
    let mut app = app_on(&db, ColorDepth::None);
    let home = screen(&mut app, 120, 32);
    assert!(home.contains("2 away conflicts — C"), "{home}");
    key(&mut app, KeyCode::Char('C'));
    assert_eq!(app.layer(), Layer::Conflicts);
    let s = screen(&mut app, 120, 32);
    for want in [
        "Away conflicts to resolve (2)",
        "contract #26",
        "aims",
        "changed on both sides",
        "contract closed here",
        "\"Aims agreed away\" by ann at 23 Nov 2026 10:00",
        "\"Aims agreed at the hub\" by bob at 23 Nov 2026 10:30",
    ] {
        assert!(s.contains(want), "{want} missing:\n{s}");
    }
    // The palette offers it too.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "away conflicts");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.layer(), Layer::Conflicts, "{}", screen(&mut app, 100, 30));
}

#[test]
fn s_keeps_the_servers_value_and_the_conflict_leaves_the_list() {
    let (_dir, db) = server_with_conflicts();
    let mut app = app_on(&db, ColorDepth::None);
    key(&mut app, KeyCode::Char('C'));
    key(&mut app, KeyCode::Char('s'));
    let s = screen(&mut app, 120, 32);
    assert!(s.contains("resolved — contract #26 aims: kept \"Aims agreed at the hub\""), "{s}");
    assert!(s.contains("Away conflicts to resolve (1)"), "{s}");
    assert_eq!(aims(&db), "Aims agreed at the hub");
    assert_eq!(last_aims_by(&db), "bob", "nothing was written to the contract");
    assert_eq!(open_count(&db), 1);
    assert_eq!(resolution(&db, 1), ("cleo".into(), "kept \"Aims agreed at the hub\" (the server's)".into()));
    key(&mut app, KeyCode::Esc);
    assert!(screen(&mut app, 120, 32).contains("1 away conflict — C"), "the footer's count follows");
}

#[test]
fn a_takes_the_away_value_through_the_contracts_audited_write() {
    let (_dir, db) = server_with_conflicts();
    let mut app = app_on(&db, ColorDepth::None);
    key(&mut app, KeyCode::Char('C'));
    key(&mut app, KeyCode::Char('a'));
    assert_eq!(aims(&db), "Aims agreed away");
    assert_eq!(last_aims_by(&db), "cleo", "saved as cleo's edit");
    assert_eq!(open_count(&db), 1);
    assert_eq!(resolution(&db, 1).1, "took \"Aims agreed away\" (the away value)");
}

#[test]
fn e_types_a_new_value_and_esc_cancels_without_saving() {
    let (_dir, db) = server_with_conflicts();
    let mut app = app_on(&db, ColorDepth::None);
    key(&mut app, KeyCode::Char('C'));
    key(&mut app, KeyCode::Char('e'));
    assert_eq!(app.layer(), Layer::Answer);
    // The box starts with the value here; Esc leaves it all as it was.
    assert!(screen(&mut app, 120, 32).contains("New aims: Aims agreed at the hub"));
    key(&mut app, KeyCode::Esc);
    assert_eq!((app.layer(), open_count(&db)), (Layer::Conflicts, 2));
    key(&mut app, KeyCode::Char('e'));
    app.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    typed(&mut app, "Aims settled by Cleo");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.layer(), Layer::Conflicts);
    assert_eq!(aims(&db), "Aims settled by Cleo");
    assert_eq!(last_aims_by(&db), "cleo");
    assert_eq!(resolution(&db, 1).1, "set to \"Aims settled by Cleo\"");
    assert_eq!(open_count(&db), 1);
}

#[test]
fn a_held_back_visit_is_dismissed_with_a_reason_never_given_a_value() {
    let (_dir, db) = server_with_conflicts();
    let mut app = app_on(&db, ColorDepth::None);
    key(&mut app, KeyCode::Char('C'));
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('a'));
    let s = screen(&mut app, 120, 32);
    assert!(s.contains("held back whole"), "{s}");
    assert_eq!(open_count(&db), 2);
    key(&mut app, KeyCode::Char('d'));
    assert_eq!(app.layer(), Layer::Answer);
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 120, 32);
    assert!(s.contains("say in one line why"), "an empty reason is refused: {s}");
    assert_eq!(app.layer(), Layer::Answer, "what was typed stays to be finished");
    typed(&mut app, "Logged again on the trust's new contract");
    key(&mut app, KeyCode::Enter);
    assert_eq!(open_count(&db), 1);
    assert_eq!(resolution(&db, 2).1, "dismissed: Logged again on the trust's new contract");
}

#[test]
fn a_value_changed_here_since_the_list_was_read_is_not_overwritten() {
    let (_dir, db) = server_with_conflicts();
    let mut app = app_on(&db, ColorDepth::None);
    key(&mut app, KeyCode::Char('C'));
    let mut other = open_as(&db, "dan", "2026-11-24T08:45:00Z");
    let c: Contract = other.get(26).expect("contract");
    other.save_contract(&Contract { aims: "Aims revised by Dan".into(), ..c }).expect("another save");
    drop(other);
    key(&mut app, KeyCode::Char('a'));
    let s = screen(&mut app, 120, 32);
    assert!(s.contains("changed by dan"), "{s}");
    assert_eq!(aims(&db), "Aims revised by Dan");
    assert_eq!(open_count(&db), 2);
}

/// The screen as text; with colour, each row's runs of one style after it.
fn draw(app: &mut App, w: u16, h: u16, colour: bool) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| alliance::tui::ui::draw(f, app)).expect("draw");
    let buf = t.backend().buffer().clone();
    let mut out = alliance::tui::buffer_text(&buf);
    if colour {
        out.push_str("--- styles (row: from-to fg/bg/modifiers) ---\n");
        for y in 0..buf.area.height {
            let mut runs: Vec<(u16, u16, String)> = Vec::new();
            for x in 0..buf.area.width {
                let c = &buf[(x, y)];
                let st = format!("{:?}/{:?}/{:?}", c.fg, c.bg, c.modifier);
                match runs.last_mut() {
                    Some(r) if r.2 == st => r.1 = x,
                    _ => runs.push((x, x, st)),
                }
            }
            let shown: Vec<String> = runs
                .into_iter()
                .filter(|r| r.2 != "Reset/Reset/NONE")
                .map(|(a, b, s)| format!("{a}-{b} {s}"))
                .collect();
            if !shown.is_empty() {
                let _ = writeln!(out, "{y}: {}", shown.join(", "));
            }
        }
    }
    out
}

#[test]
fn snapshots_of_the_conflict_list() {
    let (_dir, db) = server_with_conflicts();
    for (depth, name) in [(ColorDepth::None, "none"), (ColorDepth::Ansi16, "16")] {
        for (w, h) in [(80u16, 24u16), (120, 32)] {
            let mut app = app_on(&db, depth);
            key(&mut app, KeyCode::Char('C'));
            insta::assert_snapshot!(
                format!("conflicts_{w}x{h}_{name}"),
                draw(&mut app, w, h, depth != ColorDepth::None)
            );
        }
    }
    // Typing a new value, and the held-back visit selected.
    let mut app = app_on(&db, ColorDepth::None);
    key(&mut app, KeyCode::Char('C'));
    key(&mut app, KeyCode::Char('e'));
    insta::assert_snapshot!("conflicts_typing_80x24", draw(&mut app, 80, 24, false));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('j'));
    insta::assert_snapshot!("conflicts_held_back_80x24", draw(&mut app, 80, 24, false));
}

#[test]
fn v_puts_a_held_back_visit_into_the_visit_form_to_log_on_a_live_contract() {
    let (_dir, db) = server_with_conflicts();
    let on_26 = |db: &Path| {
        let s = Store::open(db, Access::ReadWrite).expect("open");
        s.conn()
            .query_row(
                "SELECT count(*) FROM visits WHERE contract_id = 26 AND notes = 'Coaching the new maths lead' AND visited_on = '2026-11-20'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .expect("count")
    };
    let mut app = app_on(&db, ColorDepth::None);
    key(&mut app, KeyCode::Char('C'));
    key(&mut app, KeyCode::Char('v'));
    assert!(screen(&mut app, 100, 30).contains("not a visit held back"), "conflict 1 is a field");
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('v'));
    assert_eq!(app.layer(), Layer::Form);
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("Coaching the new maths lead"), "{s}");
    typed(&mut app, "Shellbridge");
    key(&mut app, KeyCode::Enter);
    app.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert!(app.form.is_none(), "saved: {}", screen(&mut app, 100, 30));
    assert_eq!(on_26(&db), 1, "the away visit is logged on the live contract");
    assert_eq!(open_count(&db), 2, "its conflict stays until dismissed");
    key(&mut app, KeyCode::Char('C'));
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('d'));
    typed(&mut app, "Logged on contract 26");
    key(&mut app, KeyCode::Enter);
    assert_eq!(open_count(&db), 1);
}

#[test]
fn a_leader_sees_the_list_but_is_told_only_coordinators_and_admins_resolve() {
    let (_dir, db) = server_with_conflicts();
    let mut s = open_as(&db, "hub", "2026-11-24T08:50:00Z");
    for (account, role, leader) in [("hub", Role::Admin, None), ("lee", Role::Leader, Some(1))] {
        s.add_person(&alliance::store::PersonChange {
            account: account.into(),
            role: Some(role),
            leader_id: Some(leader),
            ..Default::default()
        })
        .expect("person");
    }
    s.actor = Actor::person("lee", "2026-11-24T09:00:00Z");
    let mut app = App::new(s, d(TODAY), Theme::fallback(ColorDepth::None)).expect("app");
    key(&mut app, KeyCode::Char('C'));
    key(&mut app, KeyCode::Char('a'));
    let text = screen(&mut app, 120, 32);
    assert!(text.contains("only a coordinator or an admin resolves"), "{text}");
    assert_eq!(aims(&db), "Aims agreed at the hub");
    assert_eq!(open_count(&db), 2);
}

#[test]
fn on_an_away_copy_forms_it_cannot_save_are_not_offered() {
    use alliance::tui::app::Command;
    use alliance::tui::forms::FormKind;
    let (dir, _server) = server_with_conflicts();
    let away = dir.path().join("away.db");
    let mut app = app_on(&away, ColorDepth::None);
    for (kind, says) in [
        (FormKind::Settings, "settings are changed on the server only"),
        (FormKind::Closeout(26), "contracts are closed on the server only"),
        (FormKind::Sign(26), "signatures are recorded on the server only"),
    ] {
        app.run_command(Command::Form(kind));
        assert!(app.form.is_none(), "{kind:?} opened");
        let msg = app.message.clone().map(|m| m.0).unwrap_or_default();
        assert!(msg.contains(says) && msg.contains("nothing is saved on this away copy"), "{kind:?}: {msg}");
    }
    // A visit is accepted away, as ever.
    key(&mut app, KeyCode::Char('v'));
    assert_eq!(app.layer(), Layer::Form);
}

/// The command line resolves with a value too: `--take` saves the away value through the
/// record's write, `--dismiss REASON` closes a held-back change, and asking for two ways at
/// once is refused by the parser with nothing changed.
#[test]
fn the_command_line_takes_the_away_value_or_dismisses_with_a_reason() {
    let (dir, db) = server_with_conflicts();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_alliance"))
            .current_dir(dir.path())
            .env("ALLIANCE_TODAY", TODAY)
            .env("NO_COLOR", "1")
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .expect("run alliance")
    };
    let both = run(&["conflicts", "resolve", "1", "--take", "--keep"]);
    assert_eq!(both.status.code(), Some(2), "{}", String::from_utf8_lossy(&both.stderr));
    assert_eq!(open_count(&db), 2);
    let took = run(&["conflicts", "resolve", "1", "--take"]);
    let said = String::from_utf8_lossy(&took.stdout);
    assert!(took.status.success(), "{said}{}", String::from_utf8_lossy(&took.stderr));
    assert!(said.contains("conflict 1 resolved: took \"Aims agreed away\""), "{said}");
    assert_eq!(aims(&db), "Aims agreed away");
    let dismissed = run(&["conflicts", "resolve", "2", "--dismiss", "logged again on the new contract"]);
    assert!(dismissed.status.success(), "{}", String::from_utf8_lossy(&dismissed.stderr));
    assert_eq!(open_count(&db), 0);
}
