//! Issue #11, item 3: a stale save is merged field by field against the values the form
//! started from — the fields one person left alone take the other's values, a field both
//! changed is a conflict to resolve (theirs, hers, or a new value), never decided silently —
//! for every form (the engine does it by field key) and for drafts resumed later.

mod common;

use alliance::domain::{Category, School};
use alliance::store::{Access, Actor, Store};
use alliance::tui::App;
use alliance::tui::forms::FormKind;
use alliance::tui::theme::{ColorDepth, Theme};
use common::{ctrl, focus, press, typed};
use ratatui::crossterm::event::KeyCode;
use std::path::{Path, PathBuf};

fn copy_sample(dir: &Path) -> PathBuf {
    let db = dir.join("alliance.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    db
}

fn app_on(db: &Path, who: &str) -> App {
    let mut store = Store::open(db, Access::ReadWrite).expect("open");
    store.actor = Actor::fixed(who, "2026-11-23T10:00:00Z");
    App::new(store, common::d(common::TODAY), Theme::fallback(ColorDepth::None)).expect("app")
}

fn bob(db: &Path) -> Store {
    let mut s = Store::open(db, Access::ReadWrite).expect("bob");
    s.actor = Actor::fixed("bob", "2026-11-23T10:05:00Z");
    s
}

/// A school whose category is D, and its id.
fn school_in_d(db: &Path) -> i64 {
    let mut s = bob(db);
    let mut school: School = s.all::<School>().expect("schools").into_iter().next().expect("a school");
    school.category = Category::D;
    s.update(&school).expect("set D");
    school.id
}

fn school(db: &Path, id: i64) -> School {
    Store::open(db, Access::ReadOnly).expect("open").get(id).expect("school")
}

fn field_value(app: &App, key: &str) -> String {
    let f = app.form.as_ref().expect("form").form.field(key).expect("field");
    if f.chosen().is_empty() { f.value() } else { f.chosen().to_string() }
}

/// The case: Ann changes the notes, Bob the category D → C. Her first save is refused
/// as stale; her second keeps Bob's category.
#[test]
fn a_field_only_the_other_person_changed_keeps_their_value() {
    let dir = common::tmp();
    let db = copy_sample(dir.path());
    let id = school_in_d(&db);
    let mut app = app_on(&db, "ann");
    app.open_form(FormKind::School(Some(id)));
    focus(&mut app, "notes");
    typed(&mut app, " Ann was here.");
    let mut b = bob(&db);
    let mut s: School = b.get(id).expect("school");
    s.category = Category::C;
    b.update(&s).expect("bob saves C");
    ctrl(&mut app, 's');
    assert!(app.form.is_some(), "the first save is refused as stale");
    assert_eq!(field_value(&app, "category"), "C", "the form now shows Bob's category");
    ctrl(&mut app, 's');
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().map(|f| f.form.notice.clone()));
    let now = school(&db, id);
    assert_eq!(now.category, Category::C, "Bob's change is not reverted");
    assert!(now.notes.ends_with(" Ann was here."));
}

/// A field both changed is shown as a conflict; saving is refused until Ann chooses.
#[test]
fn a_field_both_changed_is_a_conflict_resolved_by_choice() {
    for (how, want) in [('t', Category::C), ('y', Category::B)] {
        let dir = common::tmp();
        let db = copy_sample(dir.path());
        let id = school_in_d(&db);
        let mut app = app_on(&db, "ann");
        app.open_form(FormKind::School(Some(id)));
        focus(&mut app, "category");
        typed(&mut app, "b");
        assert_eq!(field_value(&app, "category"), "B");
        let mut b = bob(&db);
        let mut s: School = b.get(id).expect("school");
        s.category = Category::C;
        b.update(&s).expect("bob saves C");
        ctrl(&mut app, 's');
        let f = app.form.as_ref().expect("refused").form.field("category").expect("field").clone();
        assert!(f.conflict.is_some(), "a conflict");
        let shown = f.error.clone().unwrap_or_default();
        assert!(shown.contains("bob") && shown.contains("“C”"), "{shown}");
        ctrl(&mut app, 's');
        assert!(app.form.is_some(), "never decided silently");
        assert_eq!(school(&db, id).category, Category::C);
        focus(&mut app, "category");
        ctrl(&mut app, how);
        ctrl(&mut app, 's');
        assert!(app.form.is_none(), "{:?}", app.form.as_ref().map(|f| f.form.notice.clone()));
        assert_eq!(school(&db, id).category, want, "Ctrl-{how}");
    }
}

/// Typing a new value into a field in conflict resolves it with that value.
#[test]
fn a_conflict_is_resolved_by_typing_a_new_value() {
    let dir = common::tmp();
    let db = copy_sample(dir.path());
    let id = school_in_d(&db);
    let mut app = app_on(&db, "ann");
    app.open_form(FormKind::School(Some(id)));
    focus(&mut app, "headteacher");
    ctrl(&mut app, 'u');
    typed(&mut app, "Ms Ann Choice");
    let mut b = bob(&db);
    let mut s: School = b.get(id).expect("school");
    s.headteacher = "Mr Bob Choice".into();
    b.update(&s).expect("bob saves");
    ctrl(&mut app, 's');
    assert!(app.form.as_ref().expect("refused").form.conflicts() == 1);
    focus(&mut app, "headteacher");
    ctrl(&mut app, 'u');
    typed(&mut app, "Dr Agreed Name");
    ctrl(&mut app, 's');
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().map(|f| f.form.notice.clone()));
    assert_eq!(school(&db, id).headteacher, "Dr Agreed Name");
}

/// The base is kept in the draft: a draft resumed after someone else saved is merged too,
/// not saved over their change.
#[test]
fn a_draft_resumed_after_someone_saved_is_merged_not_saved_over_them() {
    let dir = common::tmp();
    let db = copy_sample(dir.path());
    let id = school_in_d(&db);
    {
        let mut app = app_on(&db, "ann");
        app.open_form(FormKind::School(Some(id)));
        focus(&mut app, "notes");
        typed(&mut app, " From a dropped session.");
        app.save_draft_now();
    }
    let mut b = bob(&db);
    let mut s: School = b.get(id).expect("school");
    s.category = Category::C;
    b.update(&s).expect("bob saves C");
    let mut app = app_on(&db, "ann");
    app.open_form(FormKind::School(Some(id)));
    press(&mut app, KeyCode::Char('y'));
    assert!(field_value(&app, "notes").ends_with(" From a dropped session."));
    ctrl(&mut app, 's');
    if app.form.is_some() {
        ctrl(&mut app, 's');
    }
    assert!(app.form.is_none(), "{:?}", app.form.as_ref().map(|f| f.form.notice.clone()));
    let now = school(&db, id);
    assert_eq!(now.category, Category::C, "Bob's category survives Ann's resumed draft");
    assert!(now.notes.ends_with(" From a dropped session."));
}

/// Every form that edits a record goes through the same merge: Bob saves the record while
/// Ann has it open; her save is refused as stale, the form stays open with what changed, and
/// her next Ctrl-S saves over his version (nothing of hers or his is lost).
#[test]
fn every_edit_form_merges_a_stale_save() {
    use alliance::domain::{Contract, Decision, FundingStream, Leader, Visit};
    fn first<T: alliance::store::Entity>(db: &Path) -> T {
        bob(db).all::<T>().expect("records").into_iter().next().expect("a record")
    }
    type Case = (&'static str, fn(&Path) -> FormKind, fn(&Path));
    let cases: [Case; 6] = [
        (
            "contract",
            |db| FormKind::Contract(Some(first::<Contract>(db).id)),
            |db| {
                bob(db).update(&first::<Contract>(db)).expect("bob");
            },
        ),
        (
            "school",
            |db| FormKind::School(Some(first::<School>(db).id)),
            |db| {
                bob(db).update(&first::<School>(db)).expect("bob");
            },
        ),
        (
            "leader",
            |db| FormKind::Leader(Some(first::<Leader>(db).id)),
            |db| {
                bob(db).update(&first::<Leader>(db)).expect("bob");
            },
        ),
        (
            "decision",
            |db| FormKind::Decision(Some(first::<Decision>(db).id)),
            |db| {
                bob(db).update(&first::<Decision>(db)).expect("bob");
            },
        ),
        (
            "visit",
            |db| FormKind::VisitEdit(first::<Visit>(db).id),
            |db| {
                bob(db).update(&first::<Visit>(db)).expect("bob");
            },
        ),
        (
            "funding stream",
            |db| FormKind::Stream(Some(first::<FundingStream>(db).id)),
            |db| {
                bob(db).update(&first::<FundingStream>(db)).expect("bob");
            },
        ),
    ];
    for (name, kind, bob_saves) in cases {
        let dir = common::tmp();
        let db = copy_sample(dir.path());
        let mut app = app_on(&db, "ann");
        app.open_form(kind(&db));
        assert!(app.form.is_some(), "{name} did not open: {:?}", app.message);
        bob_saves(&db);
        ctrl(&mut app, 's');
        let of = app.form.as_ref().unwrap_or_else(|| panic!("{name}: the stale save is refused"));
        let notice = of.form.notice.clone().map(|n| n.0).unwrap_or_default();
        assert!(notice.contains("was changed by bob"), "{name}: {notice}");
        assert_eq!(of.form.conflicts(), 0, "{name}: nothing was changed by both");
        ctrl(&mut app, 's');
        assert!(app.form.is_none(), "{name}: {:?}", app.form.as_ref().map(|f| f.form.notice.clone()));
    }
}
