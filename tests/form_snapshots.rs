//! Every form drawn at 80×24 on sample.db, in colour depth 16 and with no colour, plus the
//! resume prompt: text snapshots, and for depth 16 each row's colour runs, so a form whose
//! focus, suggestion or error styling is lost shows up in review.

use alliance::store::{Access, Store};
use alliance::tui::forms::FormKind;
use alliance::tui::keymap::Action;
use alliance::tui::theme::{ColorDepth, Theme};
use alliance::tui::{App, Screen};
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt::Write as _;
use std::path::Path;

fn app(depth: ColorDepth) -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("sample.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    let mut store = Store::open(&db, Access::ReadWrite).expect("open sample copy");
    store.actor = alliance::store::Actor::fixed("tester", "2026-11-23T10:00:00Z");
    let theme = if depth == ColorDepth::None { Theme::fallback(depth) } else { Theme::load("default", depth).0 };
    let app = App::new(store, NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"), theme).expect("app");
    (app, dir)
}

fn key(app: &mut App, c: KeyCode) {
    app.handle_key(KeyEvent::new(c, KeyModifiers::NONE));
}

/// The screen as text; with colour, each row's runs of one style after it.
fn draw(app: &mut App, colour: bool) -> String {
    let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
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

/// How a form is opened from the app.
type Opener = fn(&mut App);

/// Each form, opened as a coordinator would, named for its snapshot.
fn forms() -> Vec<(&'static str, Opener)> {
    vec![
        ("visit", |a| key(a, KeyCode::Char('v'))),
        ("visit_edit", |a| {
            a.update(Action::Go(Screen::Visits));
            key(a, KeyCode::Char('e'));
        }),
        ("review", |a| key(a, KeyCode::Char('r'))),
        // The contract form on its ranked leader picker: school from the row, a focus typed.
        ("contract_ranked_picker", |a| {
            a.update(Action::Go(Screen::Contracts));
            key(a, KeyCode::Char('n'));
            for c in "Phonics".chars() {
                key(a, KeyCode::Char(c));
            }
            key(a, KeyCode::Tab);
        }),
        ("school_new", |a| a.open_form(FormKind::School(None))),
        ("school_edit", |a| {
            a.update(Action::Go(Screen::Schools));
            key(a, KeyCode::Char('e'));
        }),
        ("inspection", |a| {
            a.update(Action::Go(Screen::Schools));
            key(a, KeyCode::Char('i'));
        }),
        ("leader", |a| {
            a.update(Action::Go(Screen::Leaders));
            key(a, KeyCode::Char('e'));
        }),
        ("meeting", |a| key(a, KeyCode::Char('m'))),
        ("decision", |a| {
            a.update(Action::Go(Screen::Board));
            key(a, KeyCode::Char('n'));
        }),
        ("stream", |a| a.open_form(FormKind::Stream(None))),
        ("settings", |a| a.open_form(FormKind::Settings)),
    ]
}

#[test]
fn every_form_in_colour_depth_16_and_none() {
    for (depth, tag) in [(ColorDepth::Ansi16, "16"), (ColorDepth::None, "none")] {
        for (name, open) in forms() {
            let (mut app, _dir) = app(depth);
            open(&mut app);
            assert!(app.form.is_some(), "{name} did not open: {:?}", app.message);
            let text = draw(&mut app, depth != ColorDepth::None);
            assert!(text.contains("Ctrl-S save"), "{name}: {text}");
            insta::assert_snapshot!(format!("form_{name}_{tag}"), text);
        }
    }
}

#[test]
fn resume_prompt_in_colour_depth_16_and_none() {
    for (depth, tag) in [(ColorDepth::Ansi16, "16"), (ColorDepth::None, "none")] {
        let (mut app, _dir) = app(depth);
        key(&mut app, KeyCode::Char('v'));
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Tab);
        for c in "A note kept as a draft".chars() {
            key(&mut app, KeyCode::Char(c));
        }
        app.save_draft_now();
        // Ctrl-C quits keeping the draft; the next session opens the form again.
        app.handle_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert!(app.quit);
        app.quit = false;
        app.form = None;
        key(&mut app, KeyCode::Char('v'));
        let text = draw(&mut app, depth != ColorDepth::None);
        assert!(text.contains("Resume it?"), "{text}");
        insta::assert_snapshot!(format!("resume_prompt_{tag}"), text);
    }
}

/// The conflict view: Tester and Bob both changed a school's headteacher. After the stale
/// save the field is marked with Bob's value, the notice says who and when, and the footer
/// puts Ctrl-T (theirs) and Ctrl-Y (mine) first, with help still last.
#[test]
fn conflict_view_in_colour_depth_16_and_none() {
    use alliance::domain::School;
    for (depth, tag) in [(ColorDepth::Ansi16, "16"), (ColorDepth::None, "none")] {
        let (mut app, dir) = app(depth);
        let db = dir.path().join("sample.db");
        let mut bob = Store::open(&db, Access::ReadWrite).expect("bob");
        bob.actor = alliance::store::Actor::fixed("bob", "2026-11-23T10:05:00Z");
        let mut school: School = bob.all::<School>().expect("schools").into_iter().next().expect("a school");
        app.open_form(FormKind::School(Some(school.id)));
        for _ in 0..20 {
            let f = &app.form.as_ref().expect("form").form;
            if f.fields[f.focus].key == "headteacher" {
                break;
            }
            key(&mut app, KeyCode::Tab);
        }
        app.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        for c in "Ms Ann Choice".chars() {
            key(&mut app, KeyCode::Char(c));
        }
        school.headteacher = "Mr Bob Choice".into();
        bob.update(&school).expect("bob saves first");
        app.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
        let of = app.form.as_ref().expect("the stale save is refused");
        assert_eq!(of.form.conflicts(), 1, "{:?}", of.form.notice);
        let text = draw(&mut app, depth != ColorDepth::None);
        for want in ["Mr Bob Choice", "Ms Ann Choice", "Ctrl-T theirs", "Ctrl-Y mine", "F1 help"] {
            assert!(text.contains(want), "{want} missing:\n{text}");
        }
        insta::assert_snapshot!(format!("conflict_view_{tag}"), text);
    }
}
