//! The running TUI reads other coordinators' changes on a worker thread (src/tui/reload.rs):
//! the change is noticed at once, the screen keeps answering keys while it is read, the new
//! data is swapped in with the selection kept, and a read that started before the user's own
//! save is never shown over it.

mod common;

use alliance::domain::{School, Visit};
use alliance::store::{Access, Actor, Store};
use alliance::tui::theme::{ColorDepth, Theme};
use alliance::tui::{App, Screen};
use common::{ctrl, focus, press, typed};
use ratatui::crossterm::event::KeyCode;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn sample_copy(dir: &Path) -> PathBuf {
    let db = dir.join("alliance.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    db
}

fn app_on(db: &Path) -> App {
    let mut store = Store::open(db, Access::ReadWrite).expect("open");
    store.actor = Actor::fixed("ann", "2026-11-23T10:00:00Z");
    let mut app = App::new(store, common::d(common::TODAY), Theme::fallback(ColorDepth::None)).expect("app");
    app.reload_in_background();
    app
}

fn other_coordinator(db: &Path) -> Store {
    let mut s = Store::open(db, Access::ReadWrite).expect("second coordinator");
    s.actor = Actor::fixed("bob", "2026-11-23T10:01:00Z");
    s
}

/// Ticks the app (as the event loop does when idle) until a background reload lands.
fn until_landed(app: &mut App) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if app.take_background_reload() {
            return true;
        }
        if !app.reloading() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("the background reload did not finish in 10 s");
}

#[test]
fn another_coordinators_change_is_read_off_the_screen_thread() {
    let dir = common::tmp();
    let db = sample_copy(dir.path());
    let mut app = app_on(&db);
    app.update(alliance::tui::keymap::Action::Go(Screen::Schools));
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    let selected = app.list(Screen::Schools).selected_target(&app.data.schools);

    let mut bob = other_coordinator(&db);
    let mut s: School = bob.get(1).expect("school 1");
    s.name = "Renamed by Bob Primary".into();
    bob.update(&s).expect("bob saves");

    assert!(!app.check_for_changes(), "the change is handed to the worker, not read here");
    assert!(app.reloading(), "a background read is running");
    assert!(!app.data.schools.rows.iter().any(|r| r.cells.iter().any(|c| c.plain().contains("Renamed by Bob"))));
    // Keys are still answered while it reads.
    press(&mut app, KeyCode::Char('k'));
    press(&mut app, KeyCode::Char('j'));
    assert!(until_landed(&mut app), "the new data is swapped in");
    assert!(app.data.schools.rows.iter().any(|r| r.cells.iter().any(|c| c.plain().contains("Renamed by Bob"))));
    assert_eq!(app.list(Screen::Schools).selected_target(&app.data.schools), selected, "selection kept");
    assert!(app.message.as_ref().is_some_and(|(m, _)| m.contains("changed by another coordinator")));
    assert!(!app.check_for_changes(), "nothing new since");
}

#[test]
fn a_read_begun_before_your_own_save_is_never_shown_over_it() {
    let dir = common::tmp();
    let db = sample_copy(dir.path());
    let mut app = app_on(&db);
    let visits_before = app.data.snap.totals.delivered_days;

    // Bob logs something; the app starts reading it in the background …
    let mut bob = other_coordinator(&db);
    let mut s: School = bob.get(2).expect("school 2");
    s.notes.push_str("\nBob's note.");
    bob.update(&s).expect("bob saves");
    app.check_for_changes();
    assert!(app.reloading());
    // … and before it lands Ann logs a visit from the dashboard (her save reloads at once).
    press(&mut app, KeyCode::Char('v'));
    focus(&mut app, "days");
    ctrl(&mut app, 'u');
    typed(&mut app, "1");
    ctrl(&mut app, 's');
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().map(|f| f.form.notice.clone()));
    let after_save = app.data.snap.totals.delivered_days;
    assert!(after_save > visits_before, "her visit counts at once");

    // The older background read finishes and is dropped, not shown over her visit.
    assert!(!until_landed(&mut app), "the stale read is dropped");
    assert_eq!(app.data.snap.totals.delivered_days, after_save);
    let store = Store::open(&db, Access::ReadOnly).expect("ro");
    let visits: Vec<Visit> = store.all().expect("visits");
    assert!(visits.iter().any(|v| v.stamp.updated_by == "ann"));
}

/// Closing any descriptor of a database file drops every POSIX lock the process holds on it.
/// The reader must not open the file outside SQLite, or another program's connection, closing
/// next, takes itself for the last one and deletes the write-ahead log under the app: every
/// later save would then go to an unlinked file and vanish.
#[test]
fn the_reader_connection_leaves_the_apps_locks_alone() {
    let dir = common::tmp();
    let db = sample_copy(dir.path());
    let mut app_store = Store::open(&db, Access::ReadWrite).expect("open");
    app_store.actor = Actor::fixed("ann", "2026-11-23T10:00:00Z");
    let _reader = app_store.reader().expect("second connection");
    // Another program opens the file, reads, and closes.
    let other = std::process::Command::new(env!("CARGO_BIN_EXE_alliance"))
        .args(["--today", common::TODAY, "--db"])
        .arg(&db)
        .args(["status", "--json"])
        .env("ALLIANCE_CONFIG", "/nonexistent")
        .output()
        .expect("run alliance");
    assert!(other.status.success());
    let mut wal = db.clone().into_os_string();
    wal.push("-wal");
    assert!(Path::new(&wal).exists(), "the write-ahead log is still there");
    app_store.save_draft("visit", "new", "kept").expect("draft");
    // A third program sees the app's write.
    let seen = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg("SELECT data FROM drafts WHERE form = 'visit'")
        .output()
        .expect("sqlite3 (installed by .ci/run)");
    assert_eq!(String::from_utf8_lossy(&seen.stdout).trim(), "kept");
}

#[test]
fn a_screen_first_shown_while_a_read_runs_is_not_emptied_by_it() {
    let dir = common::tmp();
    let db = sample_copy(dir.path());
    let mut app = app_on(&db);
    let mut bob = other_coordinator(&db);
    let mut s: School = bob.get(3).expect("school 3");
    s.notes.push_str("\nBob again.");
    bob.update(&s).expect("bob saves");
    app.check_for_changes();
    assert!(app.reloading(), "asked for with the dashboard only");
    // Ann opens the Contracts screen before the read lands.
    app.update(alliance::tui::keymap::Action::Go(Screen::Contracts));
    let rows = app.data.contracts.rows.len();
    assert!(rows > 0);
    assert!(until_landed(&mut app));
    assert_eq!(app.data.contracts.rows.len(), rows, "the screen she is looking at keeps its rows");
    assert!(app.list(Screen::Contracts).view.len() == rows);
}
