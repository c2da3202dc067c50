//! A visit logged in error can be put right: corrected (date, days, activity, notes, who) or
//! removed, through the store's validated writes and from the TUI (Visits screen, `e`), with
//! the change in the audit trail and the capacity figures following it.

mod common;

use common::{ctrl, focus, press, typed};

use alliance::domain::{Contract, Visit};
use alliance::store::{Access, Actor, Store, StoreError};
use alliance::tui::App;
use alliance::tui::forms::FormKind;
use alliance::tui::theme::{ColorDepth, Theme};
use chrono::NaiveDate;
use ratatui::crossterm::event::KeyCode;
use std::path::{Path, PathBuf};

fn today() -> NaiveDate {
    common::d(common::TODAY)
}

fn sample_copy(dir: &Path) -> PathBuf {
    let db = dir.join("alliance.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    db
}

fn open(db: &Path, who: &str) -> Store {
    let mut store = Store::open(db, Access::ReadWrite).expect("open");
    store.actor = Actor::fixed(who, "2026-11-23T10:00:00Z");
    store
}

/// A visit of a live contract in the sample (of a day or more, so half a day is a change), and
/// one of a completed contract.
fn visits_of(store: &Store) -> (Visit, Visit) {
    let visits: Vec<Visit> = store.all().expect("visits");
    let status = |v: &Visit| store.get::<Contract>(v.contract_id).expect("contract").status;
    let live =
        visits.iter().rev().find(|v| status(v).is_live() && v.days >= 1.0).expect("a live contract's visit").clone();
    let closed = visits.iter().find(|v| !status(v).is_live()).expect("a closed contract's visit").clone();
    (live, closed)
}

#[test]
fn corrections_follow_the_visit_rules_and_are_audited() {
    let dir = common::tmp();
    let db = sample_copy(dir.path());
    let mut store = open(&db, "ann");
    let (live, closed) = visits_of(&store);

    let fixed = Visit { days: 0.5, notes: "Corrected: half a day".into(), ..live.clone() };
    let warnings = store.update_visit(&fixed, today()).expect("corrected");
    assert!(warnings.is_empty(), "{warnings:?}");
    let stored: Visit = store.get(live.id).expect("visit");
    assert_eq!((stored.days, stored.notes.as_str()), (0.5, "Corrected: half a day"));
    assert_eq!(stored.stamp.version, live.stamp.version + 1);
    let h = store.history("visits", live.id).expect("history");
    assert!(h[0].changes().iter().any(|(f, b, a)| f == "days" && !b.is_empty() && a == "0.5"));

    // Same rules as logging: no future dates, whole or half days.
    let future = Visit { visited_on: common::d("2026-12-25"), ..stored.clone() };
    assert!(matches!(store.update_visit(&future, today()), Err(StoreError::Invalid(_))));
    let odd = Visit { days: 0.3, ..stored.clone() };
    assert!(matches!(store.update_visit(&odd, today()), Err(StoreError::Invalid(_))));
    // A correction made against an old version is refused: someone changed it first.
    assert!(matches!(store.update_visit(&fixed, today()), Err(StoreError::Stale { .. })));
    // A visit cannot move to another contract.
    let moved = Visit { contract_id: closed.contract_id, ..stored.clone() };
    let err = store.update_visit(&moved, today()).expect_err("moved");
    assert!(err.to_string().contains("cannot move to another contract") || matches!(err, StoreError::Invalid(_)));

    // The visit of a contract closed since can still be corrected, with a warning.
    let note = Visit { notes: "Typo fixed".into(), ..closed.clone() };
    let warnings = store.update_visit(&note, today()).expect("history corrected");
    assert!(warnings.iter().any(|w| w.message.contains("this corrects its record")), "{warnings:?}");

    // Removal: against the version seen, kept in the audit trail.
    assert!(matches!(store.remove_visit(live.id, live.stamp.version), Err(StoreError::Stale { .. })));
    let gone = store.remove_visit(live.id, stored.stamp.version).expect("removed");
    assert_eq!(gone.notes, "Corrected: half a day");
    assert!(store.find::<Visit>(live.id).expect("find").is_none());
    let h = store.history("visits", live.id).expect("history");
    assert_eq!(h[0].action, "delete");
    assert!(h[0].before.as_deref().is_some_and(|b| b.contains("Corrected: half a day")));
}

/// Selects the Visits row of visit `id`.
fn select_visit(app: &mut App, id: i64) {
    app.update(alliance::tui::keymap::Action::Go(alliance::tui::Screen::Visits));
    let i = alliance::tui::Screen::Visits.index();
    let row = app
        .data
        .visits
        .rows
        .iter()
        .position(|r| r.target == alliance::tui::table::Target::Visit(id))
        .expect("visit row");
    let _ = i;
    let st = &mut app.state_mut(alliance::tui::Screen::Visits).lists[0];
    st.selected = st.view.iter().position(|(r, _)| *r == row).expect("visible");
}

#[test]
fn visits_are_corrected_and_removed_from_the_visits_screen() {
    let dir = common::tmp();
    let db = sample_copy(dir.path());
    let store = open(&db, "ann");
    let (live, _) = visits_of(&store);
    let capacity_before = store.snapshot(today()).expect("snap").totals.delivered_days;
    let mut app = App::new(store, today(), Theme::fallback(ColorDepth::None)).expect("app");

    // Enter shows the whole visit; `e` from there corrects it.
    select_visit(&mut app, live.id);
    press(&mut app, KeyCode::Enter);
    let doc = app.details.last().expect("visit detail");
    let text: Vec<String> = doc.lines.iter().map(|l| l.iter().map(|(s, _)| s.as_str()).collect()).collect();
    assert!(text.iter().any(|l| l.contains(live.notes.lines().next().unwrap_or(""))), "{text:#?}");
    press(&mut app, KeyCode::Char('e'));
    let of = app.form.as_ref().expect("visit form");
    assert_eq!(of.kind, FormKind::VisitEdit(live.id));
    focus(&mut app, "days");
    ctrl(&mut app, 'u');
    typed(&mut app, "0.5");
    ctrl(&mut app, 's');
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().map(|f| f.form.notice.clone()));
    let stored: Visit = app.store().get(live.id).expect("visit");
    assert_eq!(stored.days, 0.5);
    let delivered = app.store().snapshot(today()).expect("snap").totals.delivered_days;
    assert!((capacity_before - delivered - (live.days - 0.5)).abs() < 1e-9, "the dashboard follows");

    // Removing takes an explicit "yes" on the form's last field.
    app.details.clear();
    select_visit(&mut app, live.id);
    press(&mut app, KeyCode::Char('e'));
    focus(&mut app, "remove");
    press(&mut app, KeyCode::Char('y'));
    ctrl(&mut app, 's');
    assert!(app.form.is_none());
    let msg = app.message.clone().expect("message").0;
    assert!(msg.contains("removed"), "{msg}");
    assert!(app.store().find::<Visit>(live.id).expect("find").is_none());
    assert!(app.data.visits.rows.iter().all(|r| r.target != alliance::tui::table::Target::Visit(live.id)));

    // Removing one from its own detail closes the detail (it is not "removed by another").
    let other = app.data.visits.rows.iter().find_map(|r| match r.target {
        alliance::tui::table::Target::Visit(id) => Some(id),
        _ => None,
    });
    let other = other.expect("another visit");
    select_visit(&mut app, other);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.details.len(), 1);
    press(&mut app, KeyCode::Char('e'));
    focus(&mut app, "remove");
    press(&mut app, KeyCode::Char('y'));
    ctrl(&mut app, 's');
    assert!(app.form.is_none());
    assert!(app.details.is_empty(), "the removed visit's detail is closed");
}

#[test]
fn a_removed_visits_id_is_never_given_to_the_next_one() {
    let dir = common::tmp();
    let db = sample_copy(dir.path());
    let mut store = open(&db, "ann");
    let visits: Vec<Visit> = store.all().expect("visits");
    let last = visits.iter().max_by_key(|v| v.id).expect("visits").clone();
    store.remove_visit(last.id, last.stamp.version).expect("removed");
    let new = Visit { id: 0, notes: "A new visit".into(), visited_on: today(), ..last.clone() };
    let (id, _) = store.add_visit(&new, today()).expect("logged");
    assert!(id > last.id, "new id {id} must not reuse the removed {}", last.id);
    let h = store.history("visits", id).expect("history");
    assert_eq!(h.len(), 1, "only its own insert: {h:?}");
    assert_eq!(h[0].action, "insert");
}
