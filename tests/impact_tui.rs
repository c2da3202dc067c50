//! The TUI's impact parts (issue #15): the close-out form refuses a close without an outcome and
//! then closes the contract with each criterion's outcome and actual; the contract form cannot
//! mark a contract completed; the Impact screen (7) shows the figures of `alliance impact`.

mod common;

use alliance::domain::{Contract, ContractStatus, Outcome};
use alliance::store::{Access, Actor, Store};
use alliance::tui::App;
use alliance::tui::forms::FormKind;
use alliance::tui::keymap::Action;
use alliance::tui::theme::{ColorDepth, Theme};
use common::*;
use ratatui::crossterm::event::KeyCode;
use std::path::{Path, PathBuf};

fn copy_sample() -> (tempfile::TempDir, PathBuf) {
    let dir = tmp();
    let db = dir.path().join("alliance.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    (dir, db)
}

fn app_on(db: &Path) -> App {
    let mut store = Store::open(db, Access::ReadWrite).expect("open");
    store.actor = Actor::fixed("ann", "2026-11-23T10:00:00Z");
    App::new(store, d(TODAY), Theme::fallback(ColorDepth::None)).expect("app")
}

#[test]
fn the_close_out_form_needs_an_outcome_then_closes_with_each_criterion() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db);
    app.open_form(FormKind::Closeout(15));
    ctrl(&mut app, 's');
    let of = app.form.as_ref().expect("refused without an outcome");
    assert!(of.form.field("outcome").and_then(|f| f.error.clone()).is_some_and(|e| e.contains("overall outcome")));
    assert!(of.form.field("k1").is_some_and(|f| f.value().starts_with("EYFS")), "criterion 1 is shown");
    focus(&mut app, "outcome");
    press(&mut app, KeyCode::Right); // met
    focus(&mut app, "o1");
    press(&mut app, KeyCode::Right); // met
    focus(&mut app, "a1");
    typed(&mut app, "72%");
    focus(&mut app, "o2");
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right); // partly_met
    ctrl(&mut app, 's');
    assert!(
        app.form.is_none(),
        "{:?}",
        app.form.as_ref().map(|f| (f.form.notice.clone(), f.form.notice_lines.clone()))
    );
    let store = Store::open(&db, Access::ReadOnly).expect("open");
    assert_eq!(store.get::<Contract>(15).expect("c").status, ContractStatus::Completed);
    let k = store.criteria(15).expect("criteria");
    assert_eq!((k[0].outcome, k[0].actual), (Outcome::Met, Some(72.0)));
    assert_eq!(k[1].outcome, Outcome::PartlyMet);
    assert_eq!(k[2].outcome, Outcome::Open);
    assert_eq!(store.closeout(15).expect("read").map(|c| c.outcome), Some(Outcome::Met));
}

#[test]
fn a_termination_from_the_form_needs_its_reason() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db);
    app.open_form(FormKind::Closeout(16));
    focus(&mut app, "kind");
    press(&mut app, KeyCode::Right); // terminated
    focus(&mut app, "outcome");
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right); // not_met
    ctrl(&mut app, 's');
    let of = app.form.as_ref().expect("refused without a reason");
    assert!(of.form.field("reason").and_then(|f| f.error.clone()).is_some_and(|e| e.contains("reason")));
    focus(&mut app, "reason");
    typed(&mut app, "The school joined a trust whose own team took over.");
    ctrl(&mut app, 's');
    assert!(app.form.is_none());
    let store = Store::open(&db, Access::ReadOnly).expect("open");
    assert_eq!(store.get::<Contract>(16).expect("c").status, ContractStatus::Terminated);
}

#[test]
fn the_impact_screen_shows_last_years_outcomes_and_the_palette_offers_close_and_agreement() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db);
    app.update(Action::Go(alliance::tui::Screen::Impact));
    let text = alliance::tui::render_text(&mut app, 120, 40).expect("render");
    assert!(text.contains("7 Impact"), "{text}");
    assert!(text.contains("2026/27: no contract has closed yet"), "{text}");
    assert!(text.contains("2025/26: 15 contracts closed — 9 met, 3 partly met, 3 not met (3 ended early)"), "{text}");
    assert!(text.contains("Schools Forum grant 2025/26"), "{text}");
    // The palette closes the selected contract: with none selected (a funding stream's row)
    // it says so.
    press(&mut app, KeyCode::Char('G'));
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "close the selected contract");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().map(|f| f.kind));
    assert!(
        app.message.as_ref().is_some_and(|(m, e)| *e && m.contains("select a contract first")),
        "{:?}",
        app.message
    );
    app.run_command(alliance::tui::app::Command::Open(alliance::tui::table::Target::Contract(15)));
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "close the selected contract");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.form.as_ref().map(|f| f.kind), Some(FormKind::Closeout(15)));
}

#[test]
fn a_contracts_detail_shows_its_criteria_ratings_agreement_and_close_out() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db);
    app.run_command(alliance::tui::app::Command::Open(alliance::tui::table::Target::Contract(1)));
    let text = alliance::tui::render_text(&mut app, 140, 60).expect("render");
    assert!(text.contains("1. KS2 writing: raise the proportion"), "{text}");
    assert!(text.contains("63 → 74"), "baseline → target: {text}");
    assert!(text.contains("version 1"), "agreement history: {text}");
    assert!(text.contains("Close-out — completed"), "{text}");
    let descriptors =
        ["on track to be met by the end date", "at risk: needs a change of approach", "off track: unlikely"];
    assert!(descriptors.iter().any(|d| text.contains(d)), "a rating with its descriptor: {text}");
}

#[test]
fn the_sign_form_records_the_providers_signature_and_activates_the_proposed_contract() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db);
    app.open_form(FormKind::Sign(38));
    let of = app.form.as_ref().expect("form");
    assert_eq!(of.form.field("party").expect("party").chosen(), "provider", "the school signed already");
    ctrl(&mut app, 's');
    let of = app.form.as_ref().expect("refused without a name");
    assert!(of.form.field("signed_by").and_then(|f| f.error.clone()).is_some(), "{:?}", of.form.notice);
    focus(&mut app, "signed_by");
    typed(&mut app, "Mr Gareth Evans");
    ctrl(&mut app, 's');
    assert!(app.form.is_none());
    assert!(app.message.as_ref().is_some_and(|(m, _)| m.contains("now active")), "{:?}", app.message);
    let store = Store::open(&db, Access::ReadOnly).expect("open");
    assert_eq!(store.get::<Contract>(38).expect("c").status, ContractStatus::Active);
}

#[test]
fn the_review_form_rates_each_criterion_against_its_descriptor() {
    let (_dir, db) = copy_sample();
    let mut app = app_on(&db);
    // Opened from contract 15's row (the dashboard's contract pane selects live contracts).
    app.run_command(alliance::tui::app::Command::Open(alliance::tui::table::Target::Contract(15)));
    press(&mut app, KeyCode::Char('r'));
    let of = app.form.as_ref().expect("review form");
    let shown = |k: &str| of.form.field(k).map(|f| f.value()).unwrap_or_default();
    assert_eq!(shown("criteria_of"), "#15", "rates the contract it was opened from");
    assert!(shown("rk1").starts_with("EYFS"));
    focus(&mut app, "rag");
    press(&mut app, KeyCode::Right);
    focus(&mut app, "summary");
    typed(&mut app, "Good development on track; talk still patchy in Nursery.");
    focus(&mut app, "r1");
    press(&mut app, KeyCode::Right); // green
    assert!(
        app.form
            .as_ref()
            .expect("form")
            .form
            .field("r1")
            .expect("r1")
            .chosen()
            .contains("on track to be met by the end date")
    );
    focus(&mut app, "r2");
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right); // amber
    ctrl(&mut app, 's');
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().map(|f| f.form.notice.clone()));
    assert!(app.message.as_ref().is_some_and(|(m, _)| m.contains("2 criteria rated")), "{:?}", app.message);
    let store = Store::open(&db, Access::ReadOnly).expect("open");
    let latest = store.latest_ratings(15).expect("ratings");
    let k = store.criteria(15).expect("criteria");
    let of = |id: i64| latest.iter().find(|(c, _, _)| *c == id).map(|(_, r, on)| (*r, *on));
    assert_eq!(of(k[0].id), Some((alliance::domain::Rag::Green, d(TODAY))));
    assert_eq!(of(k[1].id), Some((alliance::domain::Rag::Amber, d(TODAY))));
}
