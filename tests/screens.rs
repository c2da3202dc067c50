//! Rendered screens: every screen at 80×24 and 140×45 on sample.db with a fixed today, plus the
//! help overlay, the palette, a detail view and the too-small screen — drawn through the same
//! code as the TUI into ratatui's TestBackend and compared as text snapshots. Key handling is
//! tested by feeding key events, no terminal involved.

use alliance::store::{Access, Store};
use alliance::tui::keymap::Action;
use alliance::tui::table::Target;
use alliance::tui::theme::{ColorDepth, Theme};
use alliance::tui::{App, Screen, render_text};
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

/// An app over a private copy of sample.db (the original is never opened for writing).
fn app() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("sample.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    let mut store = Store::open(&db, Access::ReadWrite).expect("open sample copy");
    store.actor = alliance::store::Actor::fixed("tester", "2026-11-23T10:00:00Z");
    let app = App::new(store, today(), Theme::fallback(ColorDepth::None)).expect("app");
    (app, dir)
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

#[test]
fn every_screen_at_80x24_and_140x45() {
    for (w, h) in [(80u16, 24u16), (140, 45)] {
        let (mut app, _dir) = app();
        for s in Screen::ALL {
            app.update(Action::Go(s));
            let text = render_text(&mut app, w, h).expect("render");
            assert_eq!(text.lines().count(), h as usize);
            assert!(text.lines().all(|l| l.chars().count() <= w as usize));
            insta::assert_snapshot!(format!("{}_{w}x{h}", s.slug()), text);
        }
    }
}

#[test]
fn help_overlay_scrolls_at_80x24() {
    let (mut app, _dir) = app();
    let total = alliance::tui::keymap::help_lines().len();
    let draw = |app: &mut App| {
        let text = render_text(app, 80, 24).expect("render");
        assert_eq!(text.lines().count(), 24);
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        text
    };
    key(&mut app, KeyCode::Char('?'));
    let text = draw(&mut app);
    assert!(text.contains("Help — keys"));
    // 24 rows less the box's margin and borders leave 20 lines of help.
    assert!(total > 20, "the help does not fit at 80×24 ({total} lines), so it must scroll");
    assert!(text.contains(&format!("↓ more (20/{total})")), "{text}");
    // No line of help is cut off at the box's edge.
    assert!(text.contains("  Esc     back / clear filter"), "{text}");
    insta::assert_snapshot!("help_80x24", text);
    let first = text;
    key(&mut app, KeyCode::PageDown);
    let second = draw(&mut app);
    assert!(second.contains(&format!("↑↓ more (40/{total})")), "{second}");
    assert!(second.contains("edit the selected record (also decisions, streams)"), "{second}");
    assert!(second.contains("export this list as shown to CSV (in the current folder)"), "{second}");
    insta::assert_snapshot!("help_80x24_scrolled", second);
    // The last page is full and ends with the theme line; nothing scrolls past it.
    key(&mut app, KeyCode::End);
    let end = draw(&mut app);
    assert!(end.contains(&format!("↑ end ({total}/{total})")) && end.contains("Theme default"), "{end}");
    for k in [KeyCode::Char('j'), KeyCode::Down, KeyCode::PageDown, KeyCode::Char('G')] {
        key(&mut app, k);
        assert_eq!(draw(&mut app), end, "{k:?} at the end stays there");
    }
    key(&mut app, KeyCode::Char('k'));
    assert!(draw(&mut app).contains(&format!("↑↓ more ({}/{total})", total - 1)));
    key(&mut app, KeyCode::Home);
    assert_eq!(draw(&mut app), first, "Home goes back to the top");
    for k in [KeyCode::Char('k'), KeyCode::Up, KeyCode::PageUp, KeyCode::Char('g')] {
        key(&mut app, k);
        assert_eq!(draw(&mut app), first, "{k:?} at the top stays there");
    }
    key(&mut app, KeyCode::Down);
    assert!(draw(&mut app).contains(&format!("↑↓ more (21/{total})")));
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::PageDown);
    key(&mut app, KeyCode::PageUp);
    assert_eq!(draw(&mut app), first, "PgUp undoes PgDn");
    // Esc, ? and q close it (q does not quit the app from the overlay).
    for k in [KeyCode::Esc, KeyCode::Char('?'), KeyCode::Char('q')] {
        key(&mut app, KeyCode::PageDown);
        assert!(draw(&mut app).contains("Help — keys"));
        key(&mut app, k);
        assert!(!draw(&mut app).contains("Help — keys"), "{k:?} closes the help");
        assert!(!app.quit);
        key(&mut app, KeyCode::Char('?'));
        assert_eq!(draw(&mut app), first, "it opens at the top again");
    }
}

#[test]
fn palette_finds_records_and_actions() {
    let (mut app, _dir) = app();
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "go lead");
    let text = render_text(&mut app, 80, 24).expect("render");
    insta::assert_snapshot!("palette_80x24", text);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Leaders);
    // A record: the first school, found by typing part of its name.
    let name = app.data.snap.schools[0].school.name.clone();
    let id = app.data.snap.schools[0].school.id;
    app.handle_key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
    typed(&mut app, &name);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.details.last().map(|d| d.target), Some(Target::School(id)));
}

#[test]
fn contract_detail_explains_itself() {
    let (mut app, _dir) = app();
    // The dashboard's first pane lists live contracts: open the first.
    key(&mut app, KeyCode::Enter);
    let doc = app.details.last().expect("detail opened");
    assert!(matches!(doc.target, Target::Contract(_)));
    let text = render_text(&mut app, 100, 40).expect("render");
    assert!(text.contains("Success criteria"));
    assert!(text.contains("Progress"));
    insta::assert_snapshot!("contract_detail_100x40", text);
    key(&mut app, KeyCode::Esc);
    assert!(app.details.is_empty());
}

#[test]
fn school_detail_shows_status_reasons() {
    let (mut app, _dir) = app();
    let urgent = app
        .data
        .snap
        .schools
        .iter()
        .find(|s| s.status == alliance::metrics::Status::Urgent)
        .expect("sample has an urgent school")
        .clone();
    app.run_command(alliance::tui::app::Command::Open(Target::School(urgent.school.id)));
    let text = render_text(&mut app, 120, 50).expect("render");
    assert!(text.contains("▲ urgent"), "{text}");
    assert!(text.contains(&urgent.reasons[0].text[..20.min(urgent.reasons[0].text.len())]), "{text}");
    insta::assert_snapshot!("school_detail_120x50", text);
}

/// The sample's sliding school (issue 14): its data section shows the RWM trend beside the LA
/// and England, and its status names the high data trigger.
#[test]
fn sliding_school_detail_shows_its_trend_and_data_concern() {
    let (mut app, _dir) = app();
    let alert = app
        .data
        .snap
        .alerts
        .iter()
        .find(|a| {
            a.kind == alliance::metrics::AlertKind::DataConcern && a.severity == alliance::metrics::Severity::High
        })
        .expect("the sample has a high data concern")
        .clone();
    app.run_command(alliance::tui::app::Command::Open(Target::School(alert.school_id.expect("school"))));
    let text = render_text(&mut app, 120, 40).expect("render");
    assert!(text.contains("◆ concern") && text.contains("high data trigger"), "{text}");
    assert!(text.contains("RWM expected") && text.contains("LA 63%, England 62%"), "{text}");
    insta::assert_snapshot!("school_detail_sliding_120x40", text);
}

#[test]
fn too_small_screen() {
    let (mut app, _dir) = app();
    let text = render_text(&mut app, 50, 12).expect("render");
    assert!(text.contains("terminal too small"));
    assert!(text.contains("have 50×12, need 60×16"));
    insta::assert_snapshot!("too_small_50x12", text);
    key(&mut app, KeyCode::Char('q'));
    assert!(app.quit, "q still quits from the too-small screen");
}

#[test]
fn keys_navigate_filter_and_quit() {
    let (mut app, _dir) = app();
    for (c, s) in [
        ('2', Screen::Contracts),
        ('3', Screen::Leaders),
        ('4', Screen::Schools),
        ('5', Screen::Visits),
        ('6', Screen::Board),
        ('1', Screen::Dashboard),
    ] {
        key(&mut app, KeyCode::Char(c));
        assert_eq!(app.screen, s);
    }
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.state(Screen::Dashboard).focus, 1);
    key(&mut app, KeyCode::Char('6'));
    assert_eq!(app.state(Screen::Board).focus, 0, "the Board opens on its agenda");
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.state(Screen::Board).focus, 1);
    key(&mut app, KeyCode::Char('1'));
    app.handle_key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    assert_eq!(app.state(Screen::Dashboard).focus, 0);

    key(&mut app, KeyCode::Char('4'));
    let total = app.data.schools.rows.len();
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(app.list(Screen::Schools).selected, 2);
    key(&mut app, KeyCode::Char('G'));
    assert_eq!(app.list(Screen::Schools).selected, total - 1);
    key(&mut app, KeyCode::Char('g'));
    assert_eq!(app.list(Screen::Schools).selected, 0);

    key(&mut app, KeyCode::Char('/'));
    assert!(app.filtering);
    typed(&mut app, "acad");
    let shown = app.list(Screen::Schools).view.len();
    assert!(shown > 0 && shown < total, "filter narrows: {shown} of {total}");
    key(&mut app, KeyCode::Char('q'));
    assert!(!app.quit, "q is text while filtering");
    key(&mut app, KeyCode::Backspace);
    // Enter opens the highlighted match and keeps the filter; Esc closes the detail.
    key(&mut app, KeyCode::Enter);
    assert!(!app.filtering);
    assert!(!app.details.is_empty(), "Enter in the filter opens the match");
    assert_eq!(app.list(Screen::Schools).filter, "acad");
    key(&mut app, KeyCode::Esc);
    assert!(app.details.is_empty());
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.list(Screen::Schools).view.len(), total, "Esc clears the filter");

    key(&mut app, KeyCode::Char('s'));
    assert_eq!(app.list(Screen::Schools).sort, Some((0, false)));
    key(&mut app, KeyCode::Char('S'));
    assert_eq!(app.list(Screen::Schools).sort, Some((0, true)));

    key(&mut app, KeyCode::Enter);
    assert_eq!(app.details.len(), 1);
    key(&mut app, KeyCode::Char('q'));
    assert!(app.details.is_empty() && !app.quit, "q closes the detail first");
    key(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
}

#[test]
fn another_process_write_appears_and_keeps_selection() {
    let (mut app, dir) = app();
    key(&mut app, KeyCode::Char('4'));
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    let before = app.list(Screen::Schools).selected_target(&app.data.schools);
    // A second connection (another coordinator) edits a school's notes.
    let mut other = Store::open(&dir.path().join("sample.db"), Access::ReadWrite).expect("second handle");
    let mut s: alliance::domain::School = other.get(1).expect("school 1");
    s.notes.push_str("\nHead off sick; deputy acting.");
    other.update(&s).expect("save");
    assert!(app.check_for_changes(), "data_version change seen");
    assert!(!app.check_for_changes(), "idle poll sees nothing new");
    assert_eq!(app.list(Screen::Schools).selected_target(&app.data.schools), before);
}

#[test]
fn render_command_matches_the_library() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_alliance"))
        .args(["--db", concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db"), "--today", "2026-11-23", "--read-only"])
        .args(["render", "dashboard", "--width", "80", "--height", "24"])
        .env("ALLIANCE_CONFIG", "/nonexistent")
        .output()
        .expect("run alliance");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cli = String::from_utf8(out.stdout).expect("utf8");
    let (mut app, _dir) = app();
    let lib = render_text(&mut app, 80, 24).expect("render");
    // The CLI opened read-only, so its footer says so; everything else is identical.
    let body = |t: &str| t.lines().take(23).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(body(&cli), body(&lib));
    assert!(cli.lines().nth(23).is_some_and(|l| l.contains("READ-ONLY")), "{cli}");
    assert!(!lib.contains("READ-ONLY"));
}

#[test]
fn board_budget_pane_and_funding_stream_detail() {
    let (mut app, _dir) = app();
    app.update(Action::Go(Screen::Board));
    key(&mut app, KeyCode::Tab);
    let text = render_text(&mut app, 120, 32).expect("render");
    assert!(text.contains("n new stream · e edit"), "the focused budget pane says what it takes");
    insta::assert_snapshot!("board_budget_focused_120x32", text);
    key(&mut app, KeyCode::Enter);
    let text = render_text(&mut app, 100, 30).expect("render");
    assert!(text.contains("Funding stream — "), "{text}");
    insta::assert_snapshot!("funding_stream_detail_100x30", text);
}

#[test]
fn a_form_shows_its_labels_whole_at_80x24() {
    let (mut app, _dir) = app();
    key(&mut app, KeyCode::Char('r'));
    let text = render_text(&mut app, 80, 24).expect("render");
    assert!(text.contains("Escalate to board"), "{text}");
    assert!(text.contains("choose…"), "no rating is chosen for the reviewer");
    insta::assert_snapshot!("review_form_80x24", text);
}
