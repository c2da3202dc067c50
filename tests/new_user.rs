//! The new user's tasks and what they hit (issue #12), each driven by keys through the same
//! door as the terminal ([`App::handle_key`]) and read off the drawn screen. Each task counts
//! its keystrokes: every key pressed, search letters included, free text (a note, a summary)
//! not — `typed_text` sends that.

use alliance::store::{Access, Store};
use alliance::tui::keymap::{Action, Layer};
use alliance::tui::table::Target;
use alliance::tui::theme::{ColorDepth, Theme};
use alliance::tui::{App, Screen, render_text};
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

fn app() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("sample.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    let mut store = Store::open(&db, Access::ReadWrite).expect("open sample copy");
    store.actor = alliance::store::Actor::fixed("tester", "2026-11-23T10:00:00Z");
    let app = App::new(store, today(), Theme::fallback(ColorDepth::None)).expect("app");
    (app, dir)
}

/// Keys sent, counted.
struct Keys<'a> {
    app: &'a mut App,
    count: usize,
}

impl Keys<'_> {
    fn code(&mut self, c: KeyCode) -> &mut Self {
        self.count += 1;
        self.app.handle_key(KeyEvent::new(c, KeyModifiers::NONE));
        self
    }
    fn ctrl(&mut self, c: char) -> &mut Self {
        self.count += 1;
        self.app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        self
    }
    /// Keys that count: a command letter or search letters.
    fn keys(&mut self, s: &str) -> &mut Self {
        for c in s.chars() {
            self.code(KeyCode::Char(c));
        }
        self
    }
    /// Free text (a note, a summary): not counted.
    fn typed_text(&mut self, s: &str) -> &mut Self {
        for c in s.chars() {
            self.app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        self
    }
    fn screen(&mut self, w: u16, h: u16) -> String {
        render_text(self.app, w, h).expect("render")
    }
}

fn school_id(app: &App, name: &str) -> i64 {
    app.data.snap.schools.iter().find(|s| s.school.name.starts_with(name)).map(|s| s.school.id).expect("school")
}

fn sql(app: &App, q: &str) -> String {
    let out = std::process::Command::new("sqlite3").arg(app.store().path()).arg(q).output().expect("sqlite3");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn task_1_find_a_school_and_read_its_category_and_inspection() {
    let (mut app, _dir) = app();
    let otterford = school_id(&app, "Otterford Community");
    let mut k = Keys { app: &mut app, count: 0 };
    // The palette's highlight goes to the best match as you type, so three letters find it.
    k.keys(":ott").code(KeyCode::Enter);
    assert_eq!(k.app.details.last().map(|d| d.target), Some(Target::School(otterford)));
    let s = k.screen(80, 24);
    assert!(s.contains("Category          C"), "{s}");
    assert!(s.contains("3 Jul 2024"), "{s}");
    assert!(k.count <= 5, "{} keys (today's code: 10)", k.count);
    eprintln!("task 1: {} keys", k.count);
}

#[test]
fn task_2_log_a_half_day_visit_dated_yesterday_with_a_note() {
    let (mut app, _dir) = app();
    let before = sql(&app, "SELECT count(*) FROM visits");
    let mut k = Keys { app: &mut app, count: 0 };
    // The contract comes from the selected row; the form starts at the date, whose suggested
    // value is replaced by typing (no Ctrl-U).
    k.keys("v").typed_text("yesterday").code(KeyCode::Tab).typed_text("0.5");
    k.code(KeyCode::Tab).code(KeyCode::Tab).typed_text("Coached the EYFS lead").ctrl('s');
    assert!(k.app.form.is_none(), "{}", k.screen(100, 30));
    assert!(k.count <= 6, "{} keys plus the typing (today's code: 9)", k.count);
    eprintln!("task 2: {} keys + typing", k.count);
    assert_eq!(
        sql(k.app, "SELECT count(*) FROM visits").parse::<i64>().expect("count"),
        before.parse::<i64>().expect("count") + 1
    );
    assert_eq!(
        sql(k.app, "SELECT visited_on || '|' || days || '|' || notes FROM visits ORDER BY id DESC LIMIT 1"),
        "2026-11-22|0.5|Coached the EYFS lead"
    );
    // 22 Nov 2026 is a Sunday: saved, with a word about it.
    let msg = k.app.message.clone().map(|m| m.0).unwrap_or_default();
    assert!(msg.contains("Sunday"), "{msg}");
}

#[test]
fn task_3_record_a_red_escalated_review_on_another_schools_contract() {
    let (mut app, _dir) = app();
    let otterford = school_id(&app, "Otterford Community");
    let mut k = Keys { app: &mut app, count: 0 };
    // Find the school, then r: its one live contract is pre-filled and the form starts at the
    // rating; r picks red, y escalates.
    k.keys(":ott").code(KeyCode::Enter).keys("r").keys("r").code(KeyCode::Tab);
    k.typed_text("EYFS outcomes slipping; leader absent").code(KeyCode::Tab).keys("y");
    // A red escalated review suggests a sooner next review: half the 42-day interval.
    let next = k.app.form.as_ref().and_then(|of| of.form.field("next_review_on")).map(|f| f.value());
    assert_eq!(next.as_deref(), Some("14/12/2026"));
    k.ctrl('s');
    assert!(k.app.form.is_none(), "{}", k.screen(100, 30));
    assert!(k.count <= 12, "{} keys (today's code: 25 for the new user, 14 at best)", k.count);
    eprintln!("task 3: {} keys + the summary", k.count);
    let row = sql(
        k.app,
        "SELECT s.id || '|' || r.rag || '|' || r.escalate || '|' || r.next_review_on FROM reviews r \
         JOIN contracts c ON c.id = r.contract_id JOIN schools s ON s.id = c.school_id ORDER BY r.id DESC LIMIT 1",
    );
    assert_eq!(row, format!("{otterford}|red|1|2026-12-14"));
}

#[test]
fn task_4_find_a_leader_with_five_free_days_and_maths() {
    let (mut app, _dir) = app();
    let mut k = Keys { app: &mut app, count: 0 };
    k.keys("3/maths");
    let s = k.screen(100, 30);
    assert!(k.count <= 33, "{} keys (today's code: 67 for the new user, 35 at best)", k.count);
    eprintln!("task 4: {} keys\n{s}", k.count);
    // The list shows each match's specialisms and free days: Matthew Nowak (KS3 maths, 10 free).
    let line = s.lines().find(|l| l.contains("Matthew Nowak")).expect("Matthew Nowak listed");
    assert!(line.contains("KS3 maths"), "{line}");
    assert!(!s.lines().any(|l| l.contains("Rachel Knight")), "only maths specialists: {s}");
}

#[test]
fn task_5_quit() {
    let (mut app, _dir) = app();
    let mut k = Keys { app: &mut app, count: 0 };
    k.keys("3/maths");
    k.count = 0;
    // Even in the filter box, Ctrl-C quits (the filter's own table says so).
    k.ctrl('c');
    assert!(k.app.quit);
    assert_eq!(k.count, 1);
}

/// Ctrl-C quits from a detail view too (help: "Ctrl-C quits"), while `q` steps back out of it.
#[test]
fn ctrl_c_quits_from_a_detail_and_q_steps_back() {
    let (mut app, _dir) = app();
    let mut k = Keys { app: &mut app, count: 0 };
    k.code(KeyCode::Enter);
    assert!(!k.app.details.is_empty(), "Enter opened the highlighted row's detail");
    k.keys("q");
    assert!(k.app.details.is_empty() && !k.app.quit, "q steps back out of the detail");
    k.code(KeyCode::Enter);
    k.ctrl('c');
    assert!(k.app.quit, "Ctrl-C quits from the detail");
}

#[test]
fn palette_highlight_moves_with_every_documented_key() {
    let (mut app, _dir) = app();
    let mut k = Keys { app: &mut app, count: 0 };
    k.keys(":school");
    let sel = |app: &App| match &app.overlay {
        alliance::tui::app::Overlay::Palette { list, .. } => list.selected,
        _ => usize::MAX,
    };
    assert_eq!(sel(k.app), 0);
    for (down, up) in [
        (KeyEvent::new(KeyCode::Down, KeyModifiers::NONE), KeyEvent::new(KeyCode::Up, KeyModifiers::NONE)),
        (
            KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL),
            KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL),
        ),
        (
            KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL),
            KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL),
        ),
        (KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE), KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
    ] {
        k.app.handle_key(down);
        assert_eq!(sel(k.app), 1, "{down:?} moves down");
        k.app.handle_key(up);
        assert_eq!(sel(k.app), 0, "{up:?} moves up");
    }
    let _ = k.screen(80, 24);
    k.code(KeyCode::PageDown);
    assert!(sel(k.app) > 1, "PgDn moves a page");
    // The third match can be opened.
    k.code(KeyCode::Home);
    k.code(KeyCode::Char('x')); // typed: narrows
    k.ctrl('u').keys("otter");
    k.code(KeyCode::Down);
    let chosen = match &k.app.overlay {
        alliance::tui::app::Overlay::Palette { list, .. } => list.selected_target(&k.app.palette),
        _ => None,
    };
    k.code(KeyCode::Enter);
    assert_eq!(k.app.details.last().map(|d| Some(d.target)), Some(chosen), "the second match opened");
    // Enter with no match says so and keeps the palette open with the text.
    k.keys(":zzqqxx").code(KeyCode::Enter);
    assert_eq!(k.app.layer(), Layer::Palette);
    let s = k.screen(80, 24);
    assert!(s.contains("nothing matches `zzqqxx`"), "{s}");
    assert!(s.contains("0 matches"), "{s}");
    k.keys("\u{8}");
    k.code(KeyCode::Esc);
    assert_eq!(k.app.layer(), Layer::Normal, "Esc closes the palette, as its title says");
}

#[test]
fn filter_highlights_the_best_match_and_enter_opens_it() {
    let (mut app, _dir) = app();
    let otterford = school_id(&app, "Otterford Community");
    let mut k = Keys { app: &mut app, count: 0 };
    k.keys("4");
    // Park the highlight low first: the filter must not leave it there.
    k.code(KeyCode::End);
    k.keys("/otter");
    let s = k.screen(100, 30);
    assert!(s.contains("5 matches of 96"), "the footer counts matches: {s}");
    insta::assert_snapshot!("filter_active_footer_100x30", s);
    k.code(KeyCode::Enter);
    assert_eq!(k.app.details.last().map(|d| d.target), Some(Target::School(otterford)));
    // With a sort on, the best match is still the one highlighted.
    k.code(KeyCode::Esc).code(KeyCode::Esc).keys("s/otter");
    k.code(KeyCode::Enter);
    assert_eq!(k.app.details.last().map(|d| d.target), Some(Target::School(otterford)));
}

#[test]
fn leaders_are_found_by_what_they_know() {
    let (mut app, _dir) = app();
    app.update(Action::Go(Screen::Leaders));
    let s = render_text(&mut app, 80, 24).expect("render");
    assert!(s.contains("Specialisms"), "the column shows at 80 columns: {s}");
    let mut k = Keys { app: &mut app, count: 0 };
    k.keys(":phonics");
    let s = k.screen(100, 30);
    assert!(s.contains("Rachel Knight (SLE) · Phonics, Early reading"), "the palette matches specialisms: {s}");
}

#[test]
fn who_can_help_ranks_from_matching_and_starts_a_contract() {
    let (mut app, _dir) = app();
    let otterford = school_id(&app, "Otterford Community");
    let mut k = Keys { app: &mut app, count: 0 };
    k.keys(":ott").code(KeyCode::Enter).keys("w");
    assert_eq!(k.app.layer(), Layer::Who);
    k.ctrl('u').keys("maths").code(KeyCode::Tab).keys("5");
    let s = k.screen(80, 24);
    insta::assert_snapshot!("who_can_help_80x24", s);
    // The same ranking as `alliance match`, from the one matching module.
    let expected = k.app.store().best_placed(&k.app.data.snap, otterford, "maths", Some(5.0)).expect("rank");
    let Some(alliance::tui::app::Overlay::Who(w)) = Some(&k.app.overlay) else { panic!() };
    assert_eq!(
        w.ranked.iter().map(|r| (r.leader_id, r.score)).collect::<Vec<_>>(),
        expected.iter().map(|r| (r.leader_id, r.score)).collect::<Vec<_>>()
    );
    // Every reason of the highlighted leader is on screen in full (wrapped, not cut).
    let first = &expected[0];
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    for reason in &first.reasons {
        assert!(flat.contains(reason.as_str()), "reason {reason:?} not in full:\n{s}");
    }
    k.code(KeyCode::Enter);
    let of = k.app.form.as_ref().expect("contract form");
    assert_eq!(of.form.field("focus").map(|f| f.value()).as_deref(), Some("maths"));
    assert_eq!(of.form.field("school_id").and_then(|f| f.picked), Some(Target::School(otterford)));
    assert_eq!(of.form.field("leader_id").and_then(|f| f.picked), Some(Target::Leader(first.leader_id)));
    assert_eq!(of.form.field("days_commissioned").map(|f| f.value()).as_deref(), Some("5"));
}

#[test]
fn typing_replaces_a_suggested_value_but_not_a_saved_one() {
    let (mut app, _dir) = app();
    let mut k = Keys { app: &mut app, count: 0 };
    k.keys("v").typed_text("21/11");
    let date = k.app.form.as_ref().and_then(|of| of.form.field("visited_on")).map(|f| f.value());
    assert_eq!(date.as_deref(), Some("21/11"), "the suggested date was replaced");
    // Moving into a suggestion with ← keeps it to edit.
    k.code(KeyCode::Tab).code(KeyCode::Left).typed_text("5");
    let days = k.app.form.as_ref().and_then(|of| of.form.field("days")).map(|f| f.value());
    assert_eq!(days.as_deref(), Some("51"), "← then typing edits the value");
    // A saved record's value is edited, never replaced: correct visit → its date appends.
    k.code(KeyCode::Esc).keys("y");
    k.app.update(Action::Go(Screen::Visits));
    k.keys("e");
    let before = k.app.form.as_ref().and_then(|of| of.form.field("visited_on")).map(|f| f.value()).expect("date");
    k.typed_text("x");
    let after = k.app.form.as_ref().and_then(|of| of.form.field("visited_on")).map(|f| f.value());
    assert_eq!(after, Some(format!("{before}x")));
}

#[test]
fn footer_keeps_help_at_80_columns_on_every_screen_and_layer() {
    let (mut app, _dir) = app();
    for s in Screen::ALL {
        app.update(Action::Go(s));
        let text = render_text(&mut app, 80, 24).expect("render");
        let foot = text.lines().last().unwrap_or_default();
        assert!(foot.contains("? help"), "{s:?}: {foot}");
        let head = text.lines().next().unwrap_or_default();
        assert!(head.contains("23 Nov 2026"), "{s:?} header keeps the date: {head}");
    }
    let mut k = Keys { app: &mut app, count: 0 };
    k.keys("/abc");
    let foot = k.screen(80, 24).lines().last().unwrap_or_default().to_string();
    assert!(foot.contains("F1 help"), "{foot}");
    k.code(KeyCode::Esc).keys("v");
    let foot = k.screen(80, 24).lines().last().unwrap_or_default().to_string();
    assert!(foot.contains("F1 help") && foot.contains("Ctrl-S save"), "{foot}");
}

/// Every binding of every layer does what its table says when the app is in that layer: the
/// key reaches that layer, and a key that is not in the table does nothing there.
#[test]
fn every_layer_dispatches_from_its_table() {
    for layer in Layer::ALL {
        // Export writes a file into the current folder: tests/tui_export.rs covers it.
        for b in layer.bindings().iter().filter(|b| b.action != Action::ExportCsv) {
            for (code, mods) in b.keys {
                let (mut app, _dir) = app();
                enter(&mut app, layer);
                assert_eq!(app.layer(), layer, "could not reach {layer:?}");
                let ev = KeyEvent::new(*code, *mods);
                assert_eq!(alliance::tui::keymap::lookup_in(layer, ev), Some(b.action));
                app.handle_key(ev);
                let _ = render_text(&mut app, 80, 24).expect("render");
                // Leaving keys leave; the rest keep the layer (or open what they say).
                let left = app.layer() != layer || app.quit;
                let leaves = matches!(
                    b.action,
                    Action::Cancel
                        | Action::Back
                        | Action::Quit
                        | Action::QuitKeepDraft
                        | Action::Help
                        | Action::CloseForm
                        | Action::Yes
                        | Action::No
                        | Action::Open
                        | Action::Enter
                        | Action::Save
                        | Action::Palette
                        | Action::Filter
                        | Action::LogVisit
                        | Action::Review
                        | Action::New
                        | Action::Edit
                        | Action::Inspection
                        | Action::Meeting
                        | Action::WhoCanHelp
                        | Action::Conflicts
                );
                if !leaves {
                    assert!(!left, "{layer:?}: {} ({:?}) left the layer", b.label, b.action);
                }
            }
        }
    }
}

fn enter(app: &mut App, layer: Layer) {
    let key = |app: &mut App, c: KeyCode| app.handle_key(KeyEvent::new(c, KeyModifiers::NONE));
    match layer {
        Layer::Normal => {}
        Layer::Filter => key(app, KeyCode::Char('/')),
        Layer::Palette => key(app, KeyCode::Char(':')),
        Layer::Who => {
            app.update(Action::Go(Screen::Schools));
            key(app, KeyCode::Char('w'));
        }
        Layer::Form => key(app, KeyCode::Char('v')),
        Layer::Confirm => {
            key(app, KeyCode::Char('v'));
            key(app, KeyCode::Char('1'));
            key(app, KeyCode::Esc);
        }
        Layer::Help => key(app, KeyCode::Char('?')),
        Layer::Conflicts => key(app, KeyCode::Char('C')),
        Layer::Answer => {
            // The sample has no away conflicts: one listed (not in the file) with its new value
            // being typed — saving it is refused in a sentence, and the layer stays.
            use alliance::tui::screens::conflicts::{Asking, ConflictList, Prompt};
            key(app, KeyCode::Char('C'));
            let conflict = alliance::store::Conflict {
                change_id: 1,
                entity: "contracts".into(),
                entity_id: 26,
                kind: "both_changed".into(),
                field: "aims".into(),
                away_value: "Away".into(),
                server_value: "Here".into(),
                away_by: "ann".into(),
                away_at: "2026-11-23T10:00:00Z".into(),
                server_by: "bob".into(),
                server_at: "2026-11-23T10:30:00Z".into(),
                detail: "aims changed on both sides".into(),
            };
            app.overlay = alliance::tui::app::Overlay::Conflicts(Box::new(ConflictList {
                rows: vec![(999, conflict)],
                selected: 0,
                prompt: Some(Prompt { asking: Asking::Value, text: "New aims".into() }),
                message: None,
                refusal: None,
                away_records: Default::default(),
                subjects: Default::default(),
            }));
        }
    }
}

#[test]
fn a_visit_in_the_holidays_or_at_a_weekend_is_saved_with_a_word() {
    for (date, word) in [("28/10/2026", "school holidays"), ("21/11/2026", "Saturday")] {
        let (mut app, _dir) = app();
        let mut k = Keys { app: &mut app, count: 0 };
        k.keys("v").typed_text(date).ctrl('s');
        assert!(k.app.form.is_none(), "saved: {}", k.screen(100, 30));
        let msg = k.app.message.clone().map(|m| m.0).unwrap_or_default();
        assert!(msg.contains(word), "{date}: {msg}");
    }
}

/// The Schools list never cuts an inspection's date: the month comes first in the column.
#[test]
fn schools_list_keeps_the_inspection_date_at_80_and_100_columns() {
    for w in [80u16, 100] {
        let (mut app, _dir) = app();
        app.update(Action::Go(Screen::Schools));
        let s = render_text(&mut app, w, 30).expect("render");
        for school in &app.data.snap.schools {
            let Some(i) = &school.school.latest_inspection else { continue };
            let name: String = school.school.name.chars().take(10).collect();
            if let Some(line) = s.lines().find(|l| l.contains(&name)) {
                let month = i.inspected_on.format("%b %y").to_string();
                assert!(line.contains(&month), "{w} columns: {month} missing from {line}");
            }
        }
    }
}

/// A long line in a detail wraps under its own text, not back at the edge.
#[test]
fn detail_lines_keep_their_indent_when_wrapped() {
    use alliance::tui::theme::Role;
    use alliance::tui::ui::wrap_indented;
    let line = vec![(
        "    #22 Quarrymead Community Primary School — KS2 maths: 10 commissioned − 5.5 delivered = 4.5 owed"
            .to_string(),
        Role::Text,
    )];
    let out = wrap_indented(&line, 60);
    assert!(out.len() > 1);
    for l in &out[1..] {
        let text: String = l.iter().map(|(s, _)| s.as_str()).collect();
        assert!(text.starts_with("    ") && !text.starts_with("     "), "{text:?}");
    }
    let label = vec![
        ("Specialisms       ".to_string(), Role::Muted),
        ("Leadership, Curriculum, Safeguarding, Phonics, Early reading, EYFS".to_string(), Role::Text),
    ];
    let out = wrap_indented(&label, 50);
    let second: String = out[1].iter().map(|(s, _)| s.as_str()).collect();
    assert!(second.starts_with(&" ".repeat(18)) && !second.starts_with(&" ".repeat(19)), "{second:?}");
    // A view line written as one piece, "label  text", hangs under its text too.
    let one = vec![(
        "  concern  high data trigger — Bramblewood Primary School: RWM expected 48% in 2025/26, LA 63%".to_string(),
        Role::Text,
    )];
    for l in &wrap_indented(&one, 60)[1..] {
        let text: String = l.iter().map(|(s, _)| s.as_str()).collect();
        assert!(text.starts_with(&" ".repeat(11)) && !text.starts_with(&" ".repeat(12)), "{text:?}");
    }
    // Drawn: the Leaders detail at 100 columns wraps the owed line under its indent.
    let (mut app, _dir) = app();
    app.update(Action::Go(Screen::Leaders));
    let mut k = Keys { app: &mut app, count: 0 };
    k.keys("/steve gill").code(KeyCode::Enter);
    let s = k.screen(100, 40);
    let lines: Vec<&str> = s.lines().collect();
    let i = lines.iter().position(|l| l.contains("#22 Quarrymead")).expect("owed line");
    assert!(lines[i + 1].starts_with("┃    "), "{}", lines[i + 1]);
    // And a school's status reason and inspection line at 80 columns wrap under their text.
    k.code(KeyCode::Esc).code(KeyCode::Esc);
    k.app.update(Action::Go(Screen::Schools));
    k.keys("/bramblewood").code(KeyCode::Enter);
    let s = k.screen(80, 40);
    let lines: Vec<&str> = s.lines().collect();
    let i = lines.iter().position(|l| l.contains("concern  high data trigger")).expect("status reason");
    let hangs_at = |line: &str, col: usize| {
        line.starts_with(&format!("┃{}", " ".repeat(col))) && !line.starts_with(&format!("┃{}", " ".repeat(col + 1)))
    };
    assert!(hangs_at(lines[i + 1], "  concern  ".len()), "{}", lines[i + 1]);
    let i = lines.iter().position(|l| l.contains("report card")).expect("inspection line");
    assert!(hangs_at(lines[i + 1], "  14 May 2026  ".len()), "{}", lines[i + 1]);
}

/// The footer offers only what this person can do: a board member (read-only role) is not
/// shown the visit, review, new or edit keys; a leader is shown visit and review but not a new
/// contract or an edit; a read-only file offers no form at all. `? help` stays for everyone.
#[test]
fn the_footer_offers_only_the_forms_a_role_can_save() {
    use alliance::domain::Role;
    let footer = |role: Option<Role>, read_only: bool, screen: Screen| -> String {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("sample.db");
        std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy");
        let mut store = Store::open(&db, Access::ReadWrite).expect("open");
        store.actor = alliance::store::Actor::fixed("hub", "2026-11-23T10:00:00Z");
        if let Some(role) = role {
            let leader = if role == Role::Leader { Some(1) } else { None };
            for (account, role, leader) in [("hub", Role::Admin, None), ("pat", role, leader)] {
                store
                    .add_person(&alliance::store::PersonChange {
                        account: account.into(),
                        role: Some(role),
                        leader_id: Some(leader),
                        ..Default::default()
                    })
                    .expect("person");
            }
            store.actor = alliance::store::Actor::person("pat", "2026-11-23T10:00:00Z");
        }
        drop(store);
        let access = if read_only { Access::ReadOnly } else { Access::ReadWrite };
        let mut store = Store::open(&db, access).expect("reopen");
        if role.is_some() {
            store.actor = alliance::store::Actor::person("pat", "2026-11-23T10:00:00Z");
        }
        let mut app = App::new(store, today(), Theme::fallback(ColorDepth::None)).expect("app");
        app.update(Action::Go(screen));
        let mut k = Keys { app: &mut app, count: 0 };
        let s = k.screen(140, 30);
        s.lines().last().expect("footer").to_string()
    };
    let coord = footer(Some(Role::Coordinator), false, Screen::Contracts);
    for key in ["v visit", "r review", "n new", "e edit", "? help"] {
        assert!(coord.contains(key), "a coordinator is offered {key}: {coord}");
    }
    let leader = footer(Some(Role::Leader), false, Screen::Contracts);
    assert!(leader.contains("v visit") && leader.contains("r review"), "{leader}");
    assert!(!leader.contains("n new") && !leader.contains("e edit") && leader.contains("? help"), "{leader}");
    let board = footer(Some(Role::Board), false, Screen::Schools);
    assert!(!board.contains("e edit") && !board.contains("i inspection") && !board.contains("n new"), "{board}");
    assert!(board.contains("? help"), "{board}");
    let read_only = footer(None, true, Screen::Visits);
    assert!(
        !read_only.contains("v visit") && !read_only.contains("e edit") && read_only.contains("? help"),
        "{read_only}"
    );
}
