//! Form behaviour, driven by key events on a private copy of sample.db: fill and save, a refused
//! save that keeps every value, discard confirmation, drafts resumed after a crash, a stale
//! edit refused with who changed it, read-only refusal, and the audit row of every save.

mod common;

use common::{ctrl, focus, press, typed};

use alliance::domain::{Contract, School, Visit};
use alliance::store::{Access, Actor, Store};
use alliance::tui::App;
use alliance::tui::form::Confirm;
use alliance::tui::forms::FormKind;
use alliance::tui::theme::{ColorDepth, Theme};
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

fn copy_sample() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("alliance.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    (dir, db)
}

fn app_on(db: &Path, who: &str) -> App {
    let mut store = Store::open(db, Access::ReadWrite).expect("open");
    store.actor = Actor::fixed(who, "2026-11-23T10:00:00Z");
    App::new(store, today(), Theme::fallback(ColorDepth::None)).expect("app")
}

fn field_value(app: &App, key: &str) -> String {
    app.form.as_ref().expect("form").form.field(key).expect("field").value()
}

fn visit_count(db: &Path) -> i64 {
    let c = rusqlite::Connection::open(db).expect("raw open");
    c.query_row("SELECT count(*) FROM visits", [], |r| r.get(0)).expect("count")
}

#[test]
fn log_a_visit_from_the_dashboard() {
    let (_dir, db) = copy_sample();
    let before = visit_count(&db);
    let mut app = app_on(&db, "ann");
    // The first pane's first row is a live contract; `v` pre-fills it.
    press(&mut app, KeyCode::Char('v'));
    let of = app.form.as_ref().expect("visit form open");
    assert!(matches!(of.kind, FormKind::Visit));
    assert!(of.form.field("contract_id").and_then(|f| f.picked).is_some(), "contract pre-filled from the selection");
    assert_eq!(field_value(&app, "days"), "1");
    focus(&mut app, "notes");
    typed(&mut app, "Observed phonics in Y1; strong routines.");
    ctrl(&mut app, 's');
    assert!(app.form.is_none(), "saved and closed: {:?}", app.message);
    assert!(app.message.as_ref().is_some_and(|(m, err)| !err && m.contains("logged")), "{:?}", app.message);
    assert_eq!(visit_count(&db), before + 1);
    let store = Store::open(&db, Access::ReadOnly).expect("reopen");
    let visits: Vec<Visit> = store.all().expect("visits");
    let v = visits.last().expect("a visit");
    assert_eq!(v.notes, "Observed phonics in Y1; strong routines.");
    assert_eq!(v.visited_on, today());
    let audit = store.history("visits", v.id).expect("history");
    assert_eq!(audit.len(), 1, "the insert wrote its audit row");
    assert_eq!(audit[0].by, "ann");
}

#[test]
fn bad_date_is_refused_and_everything_typed_is_kept() {
    let (_dir, db) = copy_sample();
    let before = visit_count(&db);
    let mut app = app_on(&db, "ann");
    press(&mut app, KeyCode::Char('v'));
    focus(&mut app, "notes");
    typed(&mut app, "Met the head and SENCo.");
    focus(&mut app, "visited_on");
    ctrl(&mut app, 'u');
    typed(&mut app, "31/11/2026");
    ctrl(&mut app, 's');
    let of = app.form.as_ref().expect("form stays open");
    let err = of.form.field("visited_on").and_then(|f| f.error.clone()).expect("date error");
    assert!(err.contains("31/11/2026") && err.contains("no such day"), "{err}");
    assert_eq!(field_value(&app, "notes"), "Met the head and SENCo.");
    assert_eq!(field_value(&app, "visited_on"), "31/11/2026", "the bad text is kept to correct");
    assert_eq!(visit_count(&db), before);
    // Correct it and save.
    focus(&mut app, "visited_on");
    ctrl(&mut app, 'u');
    typed(&mut app, "-1");
    ctrl(&mut app, 's');
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().map(|f| f.form.notice.clone()));
    assert_eq!(visit_count(&db), before + 1);
}

#[test]
fn future_visit_and_half_days() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db, "ann");
    press(&mut app, KeyCode::Char('v'));
    focus(&mut app, "visited_on");
    ctrl(&mut app, 'u');
    typed(&mut app, "+3");
    focus(&mut app, "days");
    ctrl(&mut app, 'u');
    typed(&mut app, "0.3");
    ctrl(&mut app, 's');
    let of = app.form.as_ref().expect("refused");
    assert!(of.form.field("days").and_then(|f| f.error.clone()).is_some_and(|e| e.contains("half days")));
    focus(&mut app, "days");
    ctrl(&mut app, 'u');
    typed(&mut app, "0.5");
    ctrl(&mut app, 's');
    let of = app.form.as_ref().expect("still refused: future date");
    assert!(
        of.form.field("visited_on").and_then(|f| f.error.clone()).is_some_and(|e| e.contains("future")),
        "{:?}",
        of.form.field("visited_on").map(|f| f.error.clone())
    );
}

#[test]
fn escape_asks_before_discarding() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db, "ann");
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Esc);
    assert!(app.form.is_none(), "an untouched form closes at once");
    press(&mut app, KeyCode::Char('v'));
    focus(&mut app, "notes");
    typed(&mut app, "half a thought");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.form.as_ref().and_then(|f| f.form.confirm.clone()), Some(Confirm::Discard));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(field_value(&app, "notes"), "half a thought");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    assert!(app.form.is_none());
    let store = Store::open(&db, Access::ReadOnly).expect("reopen");
    assert!(store.drafts().expect("drafts").is_empty(), "a discarded form leaves no draft");
}

#[test]
fn a_crash_mid_form_loses_nothing() {
    let (_dir, db) = copy_sample();
    {
        let mut app = app_on(&db, "ann");
        press(&mut app, KeyCode::Char('v'));
        focus(&mut app, "notes");
        typed(&mut app, "Long note typed before the link dropped");
        focus(&mut app, "activity");
        press(&mut app, KeyCode::Right);
        let activity = app.form.as_ref().expect("form").form.field("activity").expect("f").chosen().to_string();
        assert_eq!(activity, "observation");
        app.save_draft_now();
        // The app is dropped here without saving: as if the SSH session died.
    }
    let mut app = app_on(&db, "ann");
    press(&mut app, KeyCode::Char('v'));
    assert!(matches!(app.form.as_ref().and_then(|f| f.form.confirm.clone()), Some(Confirm::Resume(..))));
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(field_value(&app, "notes"), "Long note typed before the link dropped");
    assert_eq!(app.form.as_ref().expect("form").form.field("activity").expect("f").chosen(), "observation");
    // Another user does not see ann's draft.
    let mut bob = app_on(&db, "bob");
    press(&mut bob, KeyCode::Char('v'));
    assert!(bob.form.as_ref().is_some_and(|f| f.form.confirm.is_none()));
}

#[test]
fn stale_edit_is_refused_with_who_and_keeps_values() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db, "ann");
    app.update(alliance::tui::keymap::Action::Go(alliance::tui::Screen::Schools));
    let target = app.list(alliance::tui::Screen::Schools).selected_target(&app.data.schools);
    let Some(alliance::tui::table::Target::School(id)) = target else { panic!("a school is selected") };
    press(&mut app, KeyCode::Char('e'));
    assert!(matches!(app.form.as_ref().map(|f| f.kind), Some(FormKind::School(Some(i))) if i == id));
    focus(&mut app, "notes");
    typed(&mut app, " Ann's addition.");
    // Bob saves first, from another process's handle.
    let mut bob = Store::open(&db, Access::ReadWrite).expect("bob");
    bob.actor = Actor::fixed("bob", "2026-11-23T10:05:00Z");
    let mut s: School = bob.get(id).expect("school");
    s.category = alliance::domain::Category::C;
    bob.update(&s).expect("bob saves");
    ctrl(&mut app, 's');
    let of = app.form.as_ref().expect("refused, still open");
    let (notice, is_err) = of.form.notice.clone().expect("notice");
    assert!(is_err && notice.contains("changed by bob at 2026-11-23 10:05:00"), "{notice}");
    assert!(of.form.notice_lines.iter().any(|l| l.starts_with("category: ")), "{:?}", of.form.notice_lines);
    assert!(field_value(&app, "notes").ends_with(" Ann's addition."));
    // Saving again applies Ann's values over Bob's version.
    ctrl(&mut app, 's');
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().map(|f| f.form.notice.clone()));
    let store = Store::open(&db, Access::ReadOnly).expect("reopen");
    let s: School = store.get(id).expect("school");
    assert!(s.notes.ends_with(" Ann's addition."));
    assert_eq!(s.stamp.version, 3);
    let h = store.history("schools", id).expect("history");
    assert_eq!(h[0].by, "ann", "newest first: ann's save over bob's");
    assert_eq!(h[1].by, "bob");
    assert_eq!(h[0].action, "update");
}

#[test]
fn contract_dates_are_checked_with_a_clear_message() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db, "ann");
    app.update(alliance::tui::keymap::Action::Go(alliance::tui::Screen::Contracts));
    press(&mut app, KeyCode::Char('e'));
    let Some(FormKind::Contract(Some(id))) = app.form.as_ref().map(|f| f.kind) else { panic!("edit form") };
    let store = Store::open(&db, Access::ReadOnly).expect("ro");
    let c: Contract = store.get(id).expect("contract");
    focus(&mut app, "end_on");
    ctrl(&mut app, 'u');
    let before_start = c.start_on - chrono::Duration::days(1);
    typed(&mut app, &before_start.format("%d/%m/%Y").to_string());
    ctrl(&mut app, 's');
    let of = app.form.as_ref().expect("refused");
    let err = of.form.field("end_on").and_then(|f| f.error.clone()).expect("end error");
    assert_eq!(err, format!("end date is not after the start ({})", alliance::domain::fmt_date(c.start_on)));
}

#[test]
fn read_only_refuses_politely() {
    let (_dir, db) = copy_sample();
    let store = Store::open(&db, Access::ReadOnly).expect("ro");
    let mut app = App::new(store, today(), Theme::fallback(ColorDepth::None)).expect("app");
    press(&mut app, KeyCode::Char('v'));
    assert!(app.form.is_none());
    assert!(app.message.as_ref().is_some_and(|(m, err)| *err && m.contains("read-only")));
}

#[test]
fn board_decision_marked_done() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db, "ann");
    app.update(alliance::tui::keymap::Action::Go(alliance::tui::Screen::Board));
    press(&mut app, KeyCode::Char('d'));
    assert!(app.message.as_ref().is_some_and(|(m, _)| m.contains("Tab to the decisions")), "{:?}", app.message);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('d'));
    assert!(app.message.as_ref().is_some_and(|(m, _)| m.contains("Tab to the decisions")), "not from the budget");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.state(alliance::tui::Screen::Board).focus, alliance::tui::screens::board::DECISIONS);
    let first_open =
        app.data.decisions.rows.iter().position(|r| r.cells[0].plain().contains("open")).expect("an open decision");
    let st = &mut app.state_mut(alliance::tui::Screen::Board).lists[alliance::tui::screens::board::DECISIONS];
    st.selected = st.view.iter().position(|(i, _)| *i == first_open).expect("visible");
    let id = app.data.decision_ids[first_open];
    press(&mut app, KeyCode::Char('d'));
    let store = Store::open(&db, Access::ReadOnly).expect("ro");
    let d: alliance::domain::Decision = store.get(id).expect("decision");
    assert!(d.done, "{:?}", app.message);
}

/// Puts the Board's budget pane on the funding stream whose name starts with `name`.
fn select_stream(app: &mut App, name: &str) {
    app.update(alliance::tui::keymap::Action::Go(alliance::tui::Screen::Board));
    press(app, KeyCode::Tab);
    assert_eq!(app.state(alliance::tui::Screen::Board).focus, alliance::tui::screens::board::BUDGET);
    let row = app.data.budget.rows.iter().position(|r| r.cells[0].plain().starts_with(name)).expect("stream row");
    let budget = &mut app.state_mut(alliance::tui::Screen::Board).lists[alliance::tui::screens::board::BUDGET];
    budget.selected = budget.view.iter().position(|(i, _)| *i == row).expect("visible");
}

#[test]
fn funding_streams_are_opened_edited_and_added_from_the_board() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db, "ann");
    select_stream(&mut app, "Schools Forum");
    press(&mut app, KeyCode::Enter);
    let doc = app.details.last().expect("stream detail");
    let text: Vec<String> = doc.lines.iter().map(|l| l.iter().map(|(s, _)| s.as_str()).collect()).collect();
    assert!(text.iter().any(|l| l.contains("Committed") && l.contains("£47,025")), "{text:#?}");
    assert!(text.iter().any(|l| l.starts_with("Contracts charged to it (")), "{text:#?}");
    // `e` from the detail edits the stream; a cut below what is committed saves with a warning.
    press(&mut app, KeyCode::Char('e'));
    let of = app.form.as_ref().expect("stream form");
    assert!(matches!(of.kind, FormKind::Stream(Some(_))));
    focus(&mut app, "amount_pence");
    ctrl(&mut app, 'u');
    typed(&mut app, "not money");
    ctrl(&mut app, 's');
    let of = app.form.as_ref().expect("refused, still open");
    assert!(of.form.field("amount_pence").and_then(|f| f.error.clone()).is_some());
    assert_eq!(field_value(&app, "amount_pence"), "not money", "typed text kept");
    ctrl(&mut app, 'u');
    typed(&mut app, "40,000");
    ctrl(&mut app, 's');
    assert!(app.form.is_none(), "saved");
    let msg = app.message.clone().expect("message").0;
    assert!(msg.contains("over by £7,025"), "{msg}");
    assert!(app.data.snap.alerts.iter().any(|a| a.kind.as_str() == "stream_over_committed"), "the alert follows");
    // On the dashboard, Enter on that alert opens the stream.
    app.details.clear();
    app.update(alliance::tui::keymap::Action::Go(alliance::tui::Screen::Dashboard));
    app.state_mut(alliance::tui::Screen::Dashboard).focus = 3;
    let row =
        app.data.dash_alerts.rows.iter().position(|r| r.cells[1].plain().starts_with("Over-committed")).expect("row");
    let alerts = &mut app.state_mut(alliance::tui::Screen::Dashboard).lists[3];
    alerts.selected = alerts.view.iter().position(|(i, _)| *i == row).expect("visible");
    press(&mut app, KeyCode::Enter);
    let doc = app.details.last().expect("the alert opens its stream");
    assert!(doc.title.starts_with("Schools Forum"), "{}", doc.title);
    app.update(alliance::tui::keymap::Action::Go(alliance::tui::Screen::Board));
    assert_eq!(
        app.state(alliance::tui::Screen::Board).focus,
        alliance::tui::screens::board::BUDGET,
        "the Board remembers its pane"
    );

    // `n` in the budget pane adds a stream; a duplicate name is refused next to the field.
    app.details.clear();
    press(&mut app, KeyCode::Char('n'));
    assert!(matches!(app.form.as_ref().expect("new stream").kind, FormKind::Stream(None)));
    typed(&mut app, "schools forum grant 2026/27");
    focus(&mut app, "amount_pence");
    typed(&mut app, "5000");
    ctrl(&mut app, 's');
    let err = app.form.as_ref().and_then(|of| of.form.field("name")).and_then(|f| f.error.clone());
    assert!(err.as_deref().is_some_and(|e| e.contains("already a funding stream")), "{err:?}");
    focus(&mut app, "name");
    ctrl(&mut app, 'u');
    typed(&mut app, "Catch-up fund");
    ctrl(&mut app, 's');
    assert!(app.form.is_none(), "{:?}", app.message);
    let store = Store::open(&db, Access::ReadOnly).expect("ro");
    let streams: Vec<alliance::domain::FundingStream> = store.all().expect("streams");
    let added = streams.iter().find(|f| f.name == "Catch-up fund").expect("added");
    assert_eq!(added.amount_pence, 500_000);
    assert_eq!(store.history("funding_streams", added.id).expect("audit")[0].by, "ann");
}

#[test]
fn settings_form_from_the_palette_changes_rates_and_refuses_bad_values() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db, "ann");
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "settings day rates");
    press(&mut app, KeyCode::Enter);
    let of = app.form.as_ref().expect("settings form");
    assert!(matches!(of.kind, FormKind::Settings));
    assert_eq!(field_value(&app, "brokerage_bp"), "15%");
    focus(&mut app, "day_rate_pence_SLE");
    ctrl(&mut app, 'u');
    typed(&mut app, "38000");
    focus(&mut app, "brokerage_bp");
    ctrl(&mut app, 'u');
    typed(&mut app, "12.5%");
    ctrl(&mut app, 's');
    let of = app.form.as_ref().expect("refused: pence typed for pounds");
    let err = of.form.field("day_rate_pence_SLE").and_then(|f| f.error.clone()).expect("error on the field");
    assert!(err.contains("in pounds"), "{err}");
    assert_eq!(app.store().settings().expect("settings").brokerage_bp, 1500, "nothing saved while one value is wrong");
    focus(&mut app, "day_rate_pence_SLE");
    ctrl(&mut app, 'u');
    typed(&mut app, "£380");
    ctrl(&mut app, 's');
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().map(|f| f.form.notice.clone()));
    let s = app.store().settings().expect("settings");
    assert_eq!((s.day_rate(alliance::domain::Designation::Sle), s.brokerage_bp), (38_000, 1250));
    let msg = app.message.clone().expect("message").0;
    assert!(msg.contains("Day rate SLE £380") && msg.contains("Brokerage 12.5%"), "{msg}");
}

#[test]
fn settings_form_refuses_a_stale_change_and_keeps_the_typed_values() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db, "ann");
    app.open_form(FormKind::Settings);
    focus(&mut app, "review_interval_days");
    ctrl(&mut app, 'u');
    typed(&mut app, "35");
    // Meanwhile Bob changes the same setting from another terminal.
    let mut bob = Store::open(&db, Access::ReadWrite).expect("bob");
    bob.actor = Actor::fixed("bob", "2026-11-23T10:05:00Z");
    let seen = bob.settings().expect("settings").get("review_interval_days").expect("key");
    bob.change_settings(&[alliance::domain::settings::SettingChange {
        key: "review_interval_days",
        expected: seen,
        value: "28".into(),
    }])
    .expect("bob saves");
    ctrl(&mut app, 's');
    let of = app.form.as_ref().expect("refused");
    let notice = of.form.notice.clone().expect("notice").0;
    assert!(notice.contains("changed by bob"), "{notice}");
    assert!(of.form.notice_lines.iter().any(|l| l.contains("review_interval_days") && l.contains("28")));
    assert_eq!(field_value(&app, "review_interval_days"), "35", "typed value kept");
    // Both changed it: a conflict, never decided silently; Ann keeps hers (Ctrl-Y) and saves.
    ctrl(&mut app, 's');
    assert!(app.form.is_some(), "a conflict must be resolved first");
    ctrl(&mut app, 'y');
    ctrl(&mut app, 's');
    assert!(app.form.is_none(), "saved once resolved");
    assert_eq!(app.store().settings().expect("settings").review_interval_days, 35);
}

/// The id of the sample contract allocated to the stream whose name starts with `name`.
fn contract_on_stream(db: &Path, name: &str) -> (i64, i64) {
    let store = Store::open(db, Access::ReadOnly).expect("ro");
    let streams: Vec<alliance::domain::FundingStream> = store.all().expect("streams");
    let s = streams.iter().find(|s| s.name.starts_with(name)).expect("stream");
    let rows = store.contracts_with_streams().expect("rows");
    let c = rows.iter().find(|r| r.contract.funding_stream_id == Some(s.id)).expect("a contract on it");
    (c.contract.id, s.id)
}

#[test]
fn a_stream_renamed_while_a_contract_is_edited_keeps_the_contract() {
    let (_dir, db) = copy_sample();
    let (contract, stream) = contract_on_stream(&db, "Schools Forum");
    let mut app = app_on(&db, "ann");
    app.open_form(FormKind::Contract(Some(contract)));
    focus(&mut app, "aims");
    typed(&mut app, " Also: book-looks each half term.");
    // Meanwhile the stream is renamed from the command line.
    let mut bob = Store::open(&db, Access::ReadWrite).expect("bob");
    let mut s: alliance::domain::FundingStream = bob.get(stream).expect("stream");
    s.name = "Schools Forum grant (renamed)".into();
    bob.save_stream(&s).expect("rename");
    ctrl(&mut app, 's');
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().map(|f| f.form.notice.clone()));
    let c: Contract = app.store().get(contract).expect("contract");
    assert_eq!(c.funding_stream_id, Some(stream), "still on its stream");
    assert!(c.aims.ends_with("book-looks each half term."));
}

#[test]
fn a_draft_keeps_its_stream_when_another_stream_is_removed() {
    let (_dir, db) = copy_sample();
    let (contract, _) = contract_on_stream(&db, "Teaching school hub");
    {
        let mut app = app_on(&db, "ann");
        app.open_form(FormKind::Contract(Some(contract)));
        focus(&mut app, "aims");
        typed(&mut app, " More.");
        app.save_draft_now();
    }
    // The stream listed before it goes: choices move up by one.
    let mut store = Store::open(&db, Access::ReadWrite).expect("rw");
    let streams: Vec<alliance::domain::FundingStream> = store.all().expect("streams");
    let forum = streams.iter().find(|s| s.name.starts_with("Schools Forum")).expect("forum");
    store.remove_stream(forum.id, forum.stamp.version, true).expect("removed");
    // … and a new one takes the last place: the draft's old position now names it.
    let added = alliance::domain::FundingStream {
        id: 0,
        name: "Catch-up fund".into(),
        amount_pence: 100,
        notes: String::new(),
        stamp: alliance::domain::Stamp::default(),
    };
    store.save_stream(&added).expect("added");
    drop(store);
    let mut app = app_on(&db, "ann");
    app.open_form(FormKind::Contract(Some(contract)));
    press(&mut app, KeyCode::Char('y'));
    let chosen = app.form.as_ref().expect("form").form.field("funding_stream_id").expect("f").chosen().to_string();
    assert_eq!(chosen, "Teaching school hub core funding", "restored by name, not by position");
}

#[test]
fn a_stream_named_none_is_refused() {
    let (_dir, db) = copy_sample();
    let mut store = Store::open(&db, Access::ReadWrite).expect("rw");
    let f = alliance::domain::FundingStream {
        id: 0,
        name: "None".into(),
        amount_pence: 0,
        notes: String::new(),
        stamp: alliance::domain::Stamp::default(),
    };
    let err = store.save_stream(&f).expect_err("reserved");
    assert!(err.to_string().contains("no stream"), "{err}");
}

#[test]
fn a_second_save_after_a_stale_settings_refusal_keeps_their_other_changes() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db, "ann");
    app.open_form(FormKind::Settings);
    focus(&mut app, "day_rate_pence_NLE");
    ctrl(&mut app, 'u');
    typed(&mut app, "600");
    // Bob changes the NLE and LLE rates first.
    let mut bob = Store::open(&db, Access::ReadWrite).expect("bob");
    bob.actor = Actor::fixed("bob", "2026-11-23T10:05:00Z");
    let seen = bob.settings().expect("s");
    let change = |key: &'static str, value: &str| alliance::domain::settings::SettingChange {
        key,
        expected: seen.get(key).expect("key"),
        value: value.into(),
    };
    bob.change_settings(&[change("day_rate_pence_NLE", "58000"), change("day_rate_pence_LLE", "47000")])
        .expect("bob saves");
    ctrl(&mut app, 's');
    assert!(app.form.is_some(), "stale: refused");
    assert_eq!(field_value(&app, "day_rate_pence_LLE"), "£470", "the field Ann left alone shows Bob's value");
    // Both changed the NLE rate: a conflict Ann resolves (here: keeping hers) before saving.
    ctrl(&mut app, 's');
    assert!(app.form.is_some(), "a conflict is never decided silently");
    focus(&mut app, "day_rate_pence_NLE");
    ctrl(&mut app, 'y');
    ctrl(&mut app, 's');
    assert!(app.form.is_none());
    let s = app.store().settings().expect("settings");
    use alliance::domain::Designation::{Lle, Nle};
    assert_eq!((s.day_rate(Nle), s.day_rate(Lle)), (60_000, 47_000), "Ann's NLE over Bob's; Bob's LLE kept");
}

#[test]
fn a_visit_by_a_leader_no_longer_active_can_still_be_corrected() {
    let (_dir, db) = copy_sample();
    let mut store = Store::open(&db, Access::ReadWrite).expect("rw");
    let visits: Vec<Visit> = store.all().expect("visits");
    let v = visits.last().expect("a visit").clone();
    let mut l: alliance::domain::Leader = store.get(v.leader_id).expect("leader");
    l.active = false;
    store.save_leader(&l).expect("inactive");
    drop(store);
    let mut app = app_on(&db, "ann");
    app.open_form(FormKind::VisitEdit(v.id));
    let picked = app.form.as_ref().expect("form").form.field("leader_id").and_then(|f| f.picked);
    assert_eq!(picked, Some(alliance::tui::table::Target::Leader(v.leader_id)));
    focus(&mut app, "notes");
    typed(&mut app, " (typo fixed)");
    ctrl(&mut app, 's');
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| f.form.fields.iter().filter_map(|f| f.error.clone()).collect::<Vec<_>>())
    );
    let after: Visit = app.store().get(v.id).expect("visit");
    assert_eq!(after.leader_id, v.leader_id);
    assert!(after.notes.ends_with("(typo fixed)"));
}

#[test]
fn a_review_needs_a_rating_and_a_summary_and_an_inspection_an_outcome() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db, "ann");
    // The dashboard's first row is a live contract: r then Ctrl-S must not record "green".
    press(&mut app, KeyCode::Char('r'));
    ctrl(&mut app, 's');
    let of = app.form.as_ref().expect("refused");
    let err = |k: &str| of.form.field(k).and_then(|f| f.error.clone());
    assert!(err("rag").is_some_and(|e| e.contains("choose the rating")), "{:?}", err("rag"));
    assert!(err("summary").is_some_and(|e| e.contains("summary is needed")), "{:?}", err("summary"));
    focus(&mut app, "rag");
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    focus(&mut app, "summary");
    typed(&mut app, "Reading leader observed two lessons; catch-up groups not yet started.");
    ctrl(&mut app, 's');
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().map(|f| f.form.notice.clone()));
    assert!(app.message.as_ref().is_some_and(|(m, _)| m.contains("(amber)")), "{:?}", app.message);

    // An inspection: safeguarding is not assumed, and an outcome (or grade) is needed.
    app.update(alliance::tui::keymap::Action::Go(alliance::tui::Screen::Schools));
    press(&mut app, KeyCode::Char('i'));
    assert_eq!(
        app.form.as_ref().expect("inspection form").form.field("safeguarding_met").expect("f").chosen(),
        "unknown"
    );
    ctrl(&mut app, 's');
    let of = app.form.as_ref().expect("refused without an outcome");
    assert!(of.form.field("outcome").and_then(|f| f.error.clone()).is_some());
    focus(&mut app, "outcome");
    typed(&mut app, "Requires improvement");
    ctrl(&mut app, 's');
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().map(|f| f.form.notice.clone()));
}

#[test]
fn pickers_take_what_is_highlighted_and_a_new_contracts_leader_comes_from_the_ranking() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db, "ann");
    app.update(alliance::tui::keymap::Action::Go(alliance::tui::Screen::Contracts));
    press(&mut app, KeyCode::Char('n'));
    let picked = |app: &App, k: &str| app.form.as_ref().expect("form").form.field(k).and_then(|f| f.picked);
    let label = |app: &App, k: &str| app.form.as_ref().expect("form").form.field(k).expect("f").picked_label.clone();
    assert!(picked(&app, "school_id").is_some(), "the selected contract's school carries over");
    assert_eq!(picked(&app, "leader_id"), None, "its leader does not");
    // The form starts past the school it pre-filled; back to it, a search, then Tab: the
    // match is taken (it used to keep the old school).
    app.handle_key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    typed(&mut app, "primrosef");
    press(&mut app, KeyCode::Tab);
    assert!(label(&app, "school_id").starts_with("Primrosefield"), "{}", label(&app, "school_id"));
    // Focus comes before the leader, so the picker is ranked when reached.
    typed(&mut app, "Leadership");
    press(&mut app, KeyCode::Tab);
    let of = app.form.as_ref().expect("form");
    assert_eq!(of.form.fields[of.form.focus].key, "leader_id");
    assert!(of.ranked_for.is_some(), "ranked for the school and focus");
    press(&mut app, KeyCode::Enter);
    let top = label(&app, "leader_id");
    assert!(top.contains("score"), "the top of the ranking is taken: {top}");
    // Moving the highlight and pressing Enter takes the row moved to.
    focus(&mut app, "leader_id");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_ne!(label(&app, "leader_id"), top, "the second-ranked leader now");
}

#[test]
fn new_leaders_and_schools_are_added_from_their_screens() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db, "ann");
    app.update(alliance::tui::keymap::Action::Go(alliance::tui::Screen::Leaders));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.form.as_ref().expect("form").kind, FormKind::Leader(None));
    typed(&mut app, "Priya Shah");
    focus(&mut app, "home_school_id");
    typed(&mut app, "cadleworthy");
    press(&mut app, KeyCode::Enter);
    focus(&mut app, "specialisms");
    typed(&mut app, "Maths; Leadership");
    ctrl(&mut app, 's');
    // Capacity is needed.
    let err = app.form.as_ref().and_then(|f| f.form.field("days_per_year")).and_then(|f| f.error.clone());
    assert!(err.is_some(), "capacity is required");
    focus(&mut app, "days_per_year");
    typed(&mut app, "15");
    ctrl(&mut app, 's');
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| f.form.fields.iter().filter_map(|f| f.error.clone()).collect::<Vec<_>>())
    );
    let store = Store::open(&db, Access::ReadOnly).expect("ro");
    let leaders: Vec<alliance::domain::Leader> = store.all().expect("leaders");
    let l = leaders.iter().find(|l| l.name == "Priya Shah").expect("added");
    assert_eq!(l.day_rate_pence, 35_000, "blank rate: the SLE default from the settings");
    let home: School = store.get(l.home_school_id.expect("home school")).expect("school");
    assert_eq!(home.name, "Cadleworthy School");
    assert!(app.data.snap.leaders.iter().any(|x| x.leader.name == "Priya Shah"), "on the screen at once");

    app.update(alliance::tui::keymap::Action::Go(alliance::tui::Screen::Schools));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.form.as_ref().expect("form").kind, FormKind::School(None));
    typed(&mut app, "Tamar Free School");
    focus(&mut app, "urn");
    typed(&mut app, "12ab");
    ctrl(&mut app, 's');
    let err = app.form.as_ref().and_then(|f| f.form.field("urn")).and_then(|f| f.error.clone());
    assert!(err.is_some_and(|e| e.contains("six digits")), "a bad URN is refused next to the field");
    ctrl(&mut app, 'u');
    typed(&mut app, "149999");
    ctrl(&mut app, 's');
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| f.form.fields.iter().filter_map(|f| f.error.clone()).collect::<Vec<_>>())
    );
    let schools: Vec<School> = store.all().expect("schools");
    let s = schools.iter().find(|s| s.name == "Tamar Free School").expect("added");
    assert_eq!((s.urn, s.category.as_str(), s.member), (Some(149_999), "A", true));
}
