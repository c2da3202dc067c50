//! The fast filter gives exactly the rows, order and highlighted letters the plain one gave:
//! every list of a small national-scale file and the palette, typed a letter at a time (the
//! narrowing path), with backspaces and with a sort, against the filter as first written — one
//! `SkimMatcherV2` call per searchable cell. The library is given a fresh matcher for each call:
//! it reuses its score matrix between calls without clearing it, so a shared matcher's scores
//! can depend on the cell scored before (see `src/tui/table/fuzzy.rs`).

use alliance::store::{Access, Store};
use alliance::tui::App;
use alliance::tui::keymap::{Action, Screen};
use alliance::tui::table::{ListState, Matches, SortKey, TableModel};
use alliance::tui::theme::{ColorDepth, Theme};
use chrono::NaiveDate;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use std::cmp::Ordering;

/// How a column sorts (numbers, then text, blanks last), as the list widget does.
fn sort_cmp(a: &SortKey, b: &SortKey) -> Ordering {
    match (a, b) {
        (SortKey::Num(a), SortKey::Num(b)) => a.total_cmp(b),
        (SortKey::Text(a), SortKey::Text(b)) => a.cmp(b),
        (SortKey::None, SortKey::None) => Ordering::Equal,
        (SortKey::None, _) => Ordering::Greater,
        (_, SortKey::None) => Ordering::Less,
        (SortKey::Num(_), SortKey::Text(_)) => Ordering::Less,
        (SortKey::Text(_), SortKey::Num(_)) => Ordering::Greater,
    }
}

/// The filter as first written: rows (and the best cell's match positions), best first.
fn reference(model: &TableModel, query: &str, sort: Option<(usize, bool)>) -> Vec<(usize, Matches)> {
    let query = query.trim();
    let mut scored: Vec<(i64, usize, Matches)> = Vec::new();
    for (i, row) in model.rows.iter().enumerate() {
        if query.is_empty() {
            scored.push((0, i, Vec::new()));
            continue;
        }
        let mut best: Option<(i64, usize, Vec<usize>)> = None;
        for &c in row.search {
            let Some(cell) = row.cells.get(c) else { continue };
            let m = SkimMatcherV2::default().ignore_case();
            if let Some((score, idx)) = m.fuzzy_indices(&cell.plain(), query)
                && best.as_ref().is_none_or(|b| score > b.0)
            {
                best = Some((score, c, idx));
            }
        }
        if let Some((score, c, idx)) = best {
            scored.push((score, i, vec![(c, idx)]));
        }
    }
    if let Some((col, rev)) = sort {
        scored.sort_by(|a, b| {
            let o = match (model.rows[a.1].cells.get(col), model.rows[b.1].cells.get(col)) {
                (Some(x), Some(y)) => sort_cmp(&x.sort, &y.sort),
                _ => Ordering::Equal,
            };
            if rev { o.reverse() } else { o }
        });
    } else if !query.is_empty() {
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    }
    scored.into_iter().map(|(_, i, m)| (i, m)).collect()
}

/// Compares a list state's view with the reference: the same rows in the same order, and the
/// same positions wherever the state has worked them out (the top of the list at once, the
/// rest as they are drawn).
fn same(st: &ListState, model: &TableModel, what: &str) {
    let want = reference(model, &st.filter, st.sort);
    let got: Vec<usize> = st.view.iter().map(|(i, _)| *i).collect();
    let want_rows: Vec<usize> = want.iter().map(|(i, _)| *i).collect();
    assert!(got == want_rows, "{what}: /{} gives other rows ({} against {})", st.filter, got.len(), want_rows.len());
    for ((_, g), (_, w)) in st.view.iter().zip(&want) {
        if g.iter().all(|(_, p)| !p.is_empty()) {
            assert_eq!(g, w, "{what}: /{} positions", st.filter);
        }
    }
}

#[test]
fn the_fast_filter_matches_the_plain_one_everywhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("national.db");
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let opts =
        alliance::sample::SampleOptions { seed: 8, today, schools: 600, scale: alliance::sample::Scale::National };
    alliance::sample::generate(&path, &opts).expect("generate");
    let store = Store::open(&path, Access::ReadOnly).expect("open");
    let mut app = App::new(store, today, Theme::fallback(ColorDepth::None)).expect("app");
    for s in Screen::ALL {
        app.update(Action::Go(s));
    }
    app.update(Action::Palette);
    let mut models: Vec<(String, TableModel)> = vec![("palette".into(), app.palette.clone())];
    for s in [Screen::Contracts, Screen::Leaders, Screen::Schools, Screen::Visits, Screen::Board] {
        models.push((s.title().to_string(), app.model_for(s).expect("a list").clone()));
    }
    for (i, m) in [&app.data.dash_contracts, &app.data.dash_capacity, &app.data.dash_schools, &app.data.dash_alerts]
        .into_iter()
        .enumerate()
    {
        models.push((format!("dashboard pane {i}"), m.clone()));
    }
    let typed = ["oak", "st mary", "holy cross", "9001", "sarah j", "ks2 maths", "zzq", "A", "Pr", "é", "leadership"];
    for (name, model) in &models {
        assert!(!model.rows.is_empty(), "{name} has rows");
        for word in typed {
            let mut st = ListState::default();
            st.refresh(model);
            // A letter at a time (the narrowing path), then back again.
            for (k, _) in word.char_indices().skip(1).chain([(word.len(), ' ')]) {
                st.filter = word[..k].to_string();
                st.refilter(model);
                same(&st, model, name);
            }
            while st.filter.pop().is_some() {
                st.refilter(model);
                same(&st, model, name);
            }
        }
        // Sorted by each column, filtered.
        for col in 0..model.columns.len() {
            let mut st = ListState::default();
            (st.sort, st.filter) = (Some((col, col % 2 == 0)), "a".into());
            st.refresh(model);
            same(&st, model, name);
        }
    }
}
