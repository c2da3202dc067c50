//! Hostile text: quotes, SQL fragments, emoji, right-to-left text, bidi overrides, 100 KB of
//! text and terminal escape sequences (clear screen, OSC 52 clipboard writes, CR, backspace, C1
//! controls) are stored exactly — through the store and through `log-visit --notes` — and never
//! reach a terminal raw: every screen, detail view, form, message, `status` and `render` output
//! is checked for control characters. A shared file must not be able to drive another
//! coordinator's terminal.

#[path = "support/stress.rs"]
mod stress;

use alliance::domain::*;
use alliance::store::{Access, Actor, Store};
use alliance::tui::app::Command as AppCommand;
use alliance::tui::forms::FormKind;
use alliance::tui::table::Target;
use alliance::tui::theme::{ColorDepth, Theme};
use alliance::tui::{App, Screen, render_text};
use chrono::NaiveDate;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_alliance"))
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// Clear screen, colour, OSC 52 (write the clipboard), title change, cursor moves.
const ESCAPES: &str = "\u{1b}[2J\u{1b}[31mRED\u{1b}]52;c;cm0gLXJmIH4K\u{7}\u{1b}]0;pwned\u{7}\u{1b}[10;10H";
/// Carriage return, backspaces, bell, a C1 CSI and DEL (one-line fields refuse the CR, so
/// names carry [`OVERSTRIKE_LINE`]).
const OVERSTRIKE: &str = "safe\rEVIL\u{8}\u{8}\u{7}\u{9b}31m\u{7f}";
/// The same without the carriage return.
const OVERSTRIKE_LINE: &str = "safe\u{8}\u{8}\u{8}\u{8}EVIL\u{7}\u{9b}31m\u{7f}";
/// Right-to-left override, which would reorder what follows it on screen.
const BIDI: &str = "\u{202e}txt.exe\u{202c} \u{2066}isolate\u{2069}";

/// One-line values (names: no newlines allowed), each a different kind of trouble.
fn one_liners() -> Vec<String> {
    vec![
        "Robert'); DROP TABLE schools;-- \"quoted\" `tick` \\ back % _ ?1 :name".to_string(),
        "St Mary's C of E — école ✓ 🏫👩‍🏫 Zoë".to_string(),
        "مدرسة النور / בית ספר אור".to_string(),
        format!("Esc {ESCAPES} end"),
        format!("Over {OVERSTRIKE_LINE} end"),
        format!("Bidi {BIDI} end"),
    ]
}

/// A 100 KB note: many lines mixing everything above.
fn big_note() -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.len() < 100_000 {
        s.push_str(&format!("{i}: {} | {ESCAPES} | {OVERSTRIKE} | {BIDI}\n", one_liners()[i % 3]));
        i += 1;
    }
    s
}

/// Control characters other than newline, and bidi overrides/isolates.
fn unsafe_chars(s: &str) -> Vec<(usize, char)> {
    s.char_indices()
        .filter(|(_, c)| {
            (c.is_control() && *c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

fn assert_terminal_safe(what: &str, s: &str) {
    let bad = unsafe_chars(s);
    assert!(bad.is_empty(), "{what}: raw control characters {:?} in:\n{}", &bad[..bad.len().min(5)], s.escape_debug());
}

struct World {
    _dir: tempfile::TempDir,
    db: PathBuf,
    school: i64,
    leader: i64,
    contract: i64,
    names: Vec<String>,
}

/// A copy of the sample with hostile records added through the store's validated writes, each
/// read back and compared exactly.
fn world() -> World {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("alliance.db");
    stress::sample_copy(&bin(), &db);
    let mut store = Store::open(&db, Access::ReadWrite).expect("open");
    store.actor = Actor::fixed("ann", "2026-11-23T10:00:00Z");
    let names = one_liners();
    let note = big_note();

    let mut settings = store.settings().expect("settings");
    settings.alliance_name = names[3].clone();
    store.save_settings(&settings).expect("settings with escapes");
    assert_eq!(store.settings().expect("settings").alliance_name, names[3]);

    let mut first_school = 0;
    for (i, name) in names.iter().enumerate() {
        let s = School {
            id: 0,
            urn: Some(990_000 + i as i64),
            name: name.clone(),
            phase: Phase::Primary,
            school_type: names[(i + 1) % names.len()].clone(),
            la_name: names[(i + 2) % names.len()].clone(),
            postcode: "PL1 1AA".into(),
            pupils: Some(200),
            trust: names[(i + 3) % names.len()].clone(),
            headteacher: names[(i + 4) % names.len()].clone(),
            member: true,
            category: Category::D,
            notes: note.clone(),
            religious_character: String::new(),
            diocese: String::new(),
            trust_code: String::new(),
            closed_on: None,
            stamp: Stamp::default(),
        };
        let id = store.save_school(&s).expect("save a hostile school");
        let back: School = store.get(id).expect("read back");
        assert_eq!(back.name, s.name, "school name stored exactly");
        assert_eq!(back.notes, s.notes, "100 KB notes stored exactly");
        assert_eq!((&back.trust, &back.headteacher, &back.la_name), (&s.trust, &s.headteacher, &s.la_name));
        if i == 0 {
            first_school = id;
        }
    }
    let l = Leader {
        id: 0,
        name: names[5].clone(),
        designation: Designation::Sle,
        home_school_id: Some(first_school),
        specialisms: format!("{}, {}", names[1], names[4]),
        days_per_year: 15.0,
        day_rate_pence: 35_000,
        email: "a'b\"c@example.org".into(),
        phone: names[4].clone(),
        active: true,
        stamp: Stamp::default(),
    };
    let leader = store.save_leader(&l).expect("save a hostile leader");
    let back: Leader = store.get(leader).expect("leader");
    assert_eq!((&back.name, &back.specialisms, &back.phone), (&l.name, &l.specialisms, &l.phone));
    let c = Contract {
        id: 0,
        school_id: first_school,
        leader_id: leader,
        focus: names[3].clone(),
        aims: note.clone(),
        success_criteria: format!("{}\n{}", names[4], names[5]),
        start_on: d("2026-09-01"),
        end_on: d("2027-07-16"),
        days_commissioned: 10.0,
        day_rate_pence: 35_000,
        funding: names[0].clone(),
        funding_stream_id: None,
        status: ContractStatus::Proposed,
        stamp: Stamp::default(),
    };
    let (contract, _) = store.save_contract(&c).expect("save a hostile contract");
    // Active once the school and the provider have signed (issue #15).
    store.sign(contract, Party::School, d("2026-08-20"), "Hazel Head", today()).expect("school signs");
    store.sign(contract, Party::Provider, d("2026-08-21"), "Pat Provider", today()).expect("provider signs");
    let back: Contract = store.get(contract).expect("contract");
    assert_eq!(back.status, ContractStatus::Active);
    assert_eq!(
        (&back.focus, &back.aims, &back.success_criteria, &back.funding),
        (&c.focus, &c.aims, &c.success_criteria, &c.funding)
    );
    let v = Visit {
        id: 0,
        contract_id: contract,
        leader_id: leader,
        visited_on: d("2026-11-20"),
        days: 1.0,
        activity: Activity::Coaching,
        notes: note.clone(),
        next_steps: format!("{ESCAPES}\n{OVERSTRIKE}\n{BIDI}"),
        stamp: Stamp::default(),
    };
    let (visit, _) = store.add_visit(&v, today()).expect("log a hostile visit");
    let back: Visit = store.get(visit).expect("visit");
    assert_eq!((&back.notes, &back.next_steps), (&v.notes, &v.next_steps));
    let r = Review {
        id: 0,
        contract_id: contract,
        reviewed_on: d("2026-11-21"),
        rag: Rag::Red,
        summary: format!("{}\n{ESCAPES}", names[2]),
        next_review_on: Some(d("2027-01-04")),
        escalate: true,
        stamp: Stamp::default(),
    };
    let review = store.add_review(&r, today()).expect("a hostile review");
    assert_eq!(store.get::<Review>(review).expect("review").summary, r.summary);
    let m = Meeting { id: 0, held_on: d("2026-11-12"), notes: note.clone(), stamp: Stamp::default() };
    let meeting = store.save_meeting(&m).expect("meeting");
    let dec = Decision {
        id: 0,
        meeting_id: meeting,
        school_id: Some(first_school),
        contract_id: Some(contract),
        kind: DecisionKind::Escalate,
        category: None,
        text: names[3].clone(),
        owner: names[4].clone(),
        due_on: Some(d("2026-12-01")),
        done: false,
        stamp: Stamp::default(),
    };
    let decision = store.save_decision(&dec).expect("a hostile decision");
    let back: Decision = store.get(decision).expect("decision");
    assert_eq!((&back.text, &back.owner), (&dec.text, &dec.owner));
    // And a draft full of it, as a form would leave after a crash.
    let draft = serde_json::json!({"notes": note, "next_steps": ESCAPES}).to_string();
    store.save_draft("visit", "new", &draft).expect("draft");
    assert_eq!(store.load_draft("visit", "new").expect("load").map(|d| d.0), Some(draft));
    World { _dir: dir, db, school: first_school, leader, contract, names }
}

fn app(db: &Path) -> App {
    let mut store = Store::open(db, Access::ReadWrite).expect("open");
    store.actor = Actor::fixed("ann", "2026-11-23T10:00:00Z");
    App::new(store, today(), Theme::fallback(ColorDepth::None)).expect("app")
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

#[test]
fn hostile_text_is_stored_exactly_and_every_view_of_it_is_terminal_safe() {
    let w = world();
    let mut app = app(&w.db);
    let mut seen_hostile = false;
    for (width, height) in [(80u16, 24u16), (160, 50)] {
        for s in Screen::ALL {
            app.update(alliance::tui::keymap::Action::Go(s));
            let text = render_text(&mut app, width, height).expect("render");
            assert_terminal_safe(&format!("{} at {width}x{height}", s.slug()), &text);
            seen_hostile |= text.contains("DROP TABLE") || text.contains("RED");
        }
        for target in [Target::School(w.school), Target::Leader(w.leader), Target::Contract(w.contract)] {
            app.run_command(AppCommand::Open(target));
            assert!(!app.details.is_empty(), "{target:?} opened");
            // Scroll through the whole detail (the 100 KB notes are in it).
            for _ in 0..40 {
                let text = render_text(&mut app, width, height).expect("render");
                assert_terminal_safe(&format!("detail {target:?}"), &text);
                key(&mut app, KeyCode::PageDown);
            }
            key(&mut app, KeyCode::Esc);
        }
    }
    assert!(seen_hostile, "the hostile records are on screen");

    // Edit forms loaded with the hostile values.
    for kind in
        [FormKind::School(Some(w.school)), FormKind::Leader(Some(w.leader)), FormKind::Contract(Some(w.contract))]
    {
        app.open_form(kind);
        assert!(app.form.is_some(), "{kind:?} opened");
        for _ in 0..12 {
            let text = render_text(&mut app, 100, 30).expect("render");
            assert_terminal_safe(&format!("form {kind:?}"), &text);
            key(&mut app, KeyCode::Tab);
        }
        app.form = None;
    }
    // The visit form, resuming the hostile draft, then a hostile paste.
    app.open_form(FormKind::Visit);
    assert_terminal_safe("resume prompt", &render_text(&mut app, 100, 30).expect("render"));
    key(&mut app, KeyCode::Char('y'));
    for _ in 0..8 {
        assert_terminal_safe("resumed visit form", &render_text(&mut app, 100, 30).expect("render"));
        key(&mut app, KeyCode::Tab);
    }
    app.handle_event(&Event::Paste(format!("{ESCAPES}\n{OVERSTRIKE}\n{BIDI}")));
    assert_terminal_safe("after a hostile paste", &render_text(&mut app, 100, 30).expect("render"));
    app.form = None;

    // The palette and the filter, fed the names.
    app.handle_key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
    for c in "Esc".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    assert_terminal_safe("palette", &render_text(&mut app, 100, 30).expect("render"));
    key(&mut app, KeyCode::Esc);
    let _ = &w.names;
}

fn output(args: &[&str], db: &Path) -> std::process::Output {
    stress::alliance(&bin()).arg("--db").arg(db).args(args).output().expect("run alliance")
}

#[test]
fn the_command_line_stores_hostile_notes_exactly_and_prints_nothing_raw() {
    let w = world();
    // log-visit --notes: 100 KB with escapes and newlines (argv cannot carry NUL).
    let note = big_note();
    let contract = w.contract.to_string();
    let o = output(
        &[
            "log-visit",
            "--contract",
            &contract,
            "--date",
            "2026-11-20",
            "--days",
            "0.5",
            "--activity",
            "coaching",
            "--notes",
            &note,
            "--next-steps",
            ESCAPES,
        ],
        &w.db,
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_terminal_safe("log-visit output (the contract's focus has escapes)", &out);
    let id: i64 = out.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("visit ID logged");
    let c = rusqlite::Connection::open(&w.db).expect("open");
    let (notes, next): (String, String) = c
        .query_row("SELECT notes, next_steps FROM visits WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("the visit");
    assert_eq!(notes, note, "100 KB of hostile notes stored exactly");
    assert_eq!(next, ESCAPES);
    drop(c);

    // status (text) and render: every figure and alert about the hostile records, no raw controls.
    let o = output(&["status"], &w.db);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("Esc") && text.contains("RED"), "the hostile alliance name is shown:\n{text}");
    assert_terminal_safe("status", &text);
    let o = output(&["status", "--json"], &w.db);
    assert!(o.status.success());
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert!(j["alerts"].to_string().contains("DROP TABLE"), "names are in the JSON, escaped by JSON");
    assert_terminal_safe("status --json", &String::from_utf8_lossy(&o.stdout));
    for screen in ["dashboard", "contracts", "leaders", "schools", "visits", "board"] {
        let o = output(&["render", screen, "--width", "140", "--height", "45"], &w.db);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_terminal_safe(&format!("render {screen}"), &String::from_utf8_lossy(&o.stdout));
    }

    // `match` ranks leaders by specialisms and names them (the hostile leader among them).
    for json in [false, true] {
        let mut args = vec!["match", "--school", "Esc", "--focus", "St Mary", "--top", "100"];
        if json {
            args.push("--json");
        }
        let o = output(&args, &w.db);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("Bidi"), "the hostile leader is listed:\n{text}");
        assert_terminal_safe(&format!("match (json: {json})"), &text);
    }

    // Messages that echo what was typed, or what the file holds, escape it.
    for (args, phrase) in [
        (
            vec!["log-visit", "--school", &format!("{ESCAPES}zz"), "--days", "1", "--activity", "coaching"],
            "no school matches",
        ),
        (vec!["log-visit", "--contract", &contract, "--days", "1", "--activity", OVERSTRIKE], "is not one of"),
        (vec!["log-visit", "--contract", &contract, "--days", ESCAPES, "--activity", "coaching"], "--days"),
        (
            vec!["log-visit", "--contract", &contract, "--date", ESCAPES, "--days", "1", "--activity", "coaching"],
            "--date",
        ),
        (
            vec![
                "log-visit",
                "--school",
                "Robert",
                "--leader",
                &format!("{BIDI}zz"),
                "--days",
                "1",
                "--activity",
                "coaching",
            ],
            "no leader matches",
        ),
        (vec!["log-visit", "--school", ESCAPES, "--days", "1", "--activity", "coaching"], "no live contract"),
    ] {
        let o = output(&args, &w.db);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(3), "{err}");
        assert!(err.starts_with("alliance: ") && err.contains(phrase), "{phrase}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err:?}");
        assert_terminal_safe(&format!("error for {phrase}"), &err);
    }
    // A file name full of escapes, in the "no such file" sentence.
    let o = stress::alliance(&bin())
        .arg("--db")
        .arg(format!("/nonexistent/{ESCAPES}.db"))
        .arg("status")
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(4));
    assert_terminal_safe("missing-file message", &String::from_utf8_lossy(&o.stderr));
}
