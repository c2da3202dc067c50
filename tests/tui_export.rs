//! Exporting from the TUI: the focused list as shown (filtered, sorted) to CSV, and this month's
//! board pack from the palette. One test in its own binary, because it changes the process's
//! current folder (where the files are written).

use alliance::store::{Access, Store};
use alliance::tui::theme::{ColorDepth, Theme};
use alliance::tui::{App, Screen};
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;

fn press(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

#[test]
fn filtered_list_and_board_pack_are_written_to_the_current_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("alliance.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    std::env::set_current_dir(dir.path()).expect("cd");
    let store = Store::open(&db, Access::ReadOnly).expect("open");
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let mut app = App::new(store, today, Theme::fallback(ColorDepth::None)).expect("app");

    press(&mut app, KeyCode::Char('4'));
    assert_eq!(app.screen, Screen::Schools);
    press(&mut app, KeyCode::Char('/'));
    for c in "academy".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    let shown = app.list(Screen::Schools).view.len();
    assert!(shown > 0);
    press(&mut app, KeyCode::Char('x'));
    let (msg, err) = app.message.clone().expect("message");
    assert!(!err && msg.contains(&format!("exported {shown} rows")), "{msg}");
    let csv = std::fs::read_to_string(dir.path().join("alliance-schools-2026-11-23.csv")).expect("csv written");
    let mut lines = csv.lines();
    // A byte-order mark first, so spreadsheet programs read the UTF-8 names right.
    assert!(lines.next().is_some_and(|h| h.trim_start_matches('\u{feff}').starts_with("Status,School,Cat")), "{csv}");
    assert_eq!(lines.count(), shown, "one line per row shown");
    // A second export never overwrites the first.
    press(&mut app, KeyCode::Char('x'));
    assert!(dir.path().join("alliance-schools-2026-11-23-2.csv").exists());

    app.run_command(alliance::tui::app::Command::BoardPack("md"));
    let (msg, err) = app.message.clone().expect("message");
    assert!(!err, "{msg}");
    let md = std::fs::read_to_string(dir.path().join("board-pack-2026-11.md")).expect("pack written");
    assert!(md.starts_with("# Board pack — November 2026"), "{}", &md[..80.min(md.len())]);

    // Both hold notes about named staff: readable by their owner only, like the database.
    #[cfg(unix)]
    for name in ["alliance-schools-2026-11-23.csv", "alliance-schools-2026-11-23-2.csv", "board-pack-2026-11.md"] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(name)).expect("exported").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{name}: {mode:o}");
    }
}
