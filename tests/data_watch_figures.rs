//! The published-data figures a board acts on — `data_concern` alerts, each school's status,
//! the Schools list's results headline and the pack's data-watch trends — are the same when
//! the store reads them its fast way (issue 14 §5: the triggers' measures read in place, the
//! headline only for the list that shows it) as when they are computed from a plain reading
//! of every stored figure, row by row, built here. Checked on sample.db and on a generated
//! national-shaped file of a few hundred schools.

mod common;

use alliance::domain::Measure;
use alliance::metrics::data::{DataFacts, Point, TRIGGER_MEASURES, trends};
use alliance::metrics::{AlertKind, Severity, compute, fill_headlines};
use alliance::store::{Access, Store};
use chrono::NaiveDate;
use std::path::Path;

fn today() -> NaiveDate {
    common::d(common::TODAY)
}

/// Every stored figure (of the measures named, or all), the plain way: one entity per row.
fn reference(store: &Store, only: &[&str]) -> DataFacts {
    let mut d = DataFacts::default();
    let mut all: Vec<Measure> = store.all().expect("measures");
    all.sort_by_key(|m| m.id);
    for m in all.into_iter().filter(|m| only.is_empty() || only.contains(&m.measure.as_str())) {
        let point = Point { year: m.year.as_str().into(), value: m.value, status: m.status.as_str().into() };
        match m.school_id {
            Some(id) => {
                let s = d.schools.entry(id).or_default();
                if !m.la_code.is_empty() {
                    s.la_code = m.la_code.clone();
                }
                s.series.entry(m.measure.as_str().into()).or_default().push(point);
            }
            None => {
                d.comparators.insert((m.area, m.measure, m.year), point);
            }
        }
    }
    for s in d.schools.values_mut() {
        for points in s.series.values_mut() {
            points.sort_by(|a, b| a.year.cmp(&b.year));
        }
    }
    d
}

fn same_figures(store: &Store, what: &str) {
    let fast = store.snapshot(today()).expect("snapshot");
    let mut inputs = store.metric_inputs(today()).expect("inputs");
    inputs.data = reference(store, TRIGGER_MEASURES);
    let plain = compute(&inputs);

    let data_alerts = |s: &alliance::metrics::Snapshot| {
        s.alerts.iter().filter(|a| a.kind == AlertKind::DataConcern).cloned().collect::<Vec<_>>()
    };
    let concerns = data_alerts(&plain);
    assert!(
        concerns.iter().any(|a| a.severity == Severity::High) && concerns.iter().any(|a| a.severity != Severity::High),
        "{what}: the file tells stories the triggers catch, at more than one severity"
    );
    assert_eq!(data_alerts(&fast), concerns, "{what}: the data_concern alerts");
    assert_eq!(fast.alerts, plain.alerts, "{what}: every alert");
    assert_eq!(fast.totals.by_status, plain.totals.by_status, "{what}: the status counts");
    assert_eq!(fast.schools, plain.schools, "{what}: each school's status and reasons");

    // The Schools list's headline, filled when that list is drawn.
    let mut listed = fast.schools.clone();
    store.fill_headlines(&mut listed).expect("headlines");
    let mut expected = plain.schools.clone();
    fill_headlines(&mut expected, &inputs.data);
    assert!(expected.iter().any(|s| s.headline.is_some()), "{what}: some schools have a headline");
    let heads =
        |v: &[alliance::metrics::SchoolStatus]| v.iter().map(|s| (s.school.id, s.headline.clone())).collect::<Vec<_>>();
    assert_eq!(heads(&listed), heads(&expected), "{what}: the results headlines");

    // The data watch (pack, school detail): every flagged school's trends, all its measures.
    let every = reference(store, &[]);
    for a in &concerns {
        let id = a.school_id.expect("a data concern names its school");
        assert_eq!(store.school_trends(id).expect("trends"), trends(&every, id), "{what}: school {id}'s trends");
    }
}

#[test]
fn sample_db_figures_match_a_plain_reading() {
    let dir = common::tmp();
    let path = dir.path().join("sample.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &path).expect("copy sample.db");
    let store = Store::open(&path, Access::ReadOnly).expect("open");
    same_figures(&store, "sample.db");
}

#[test]
fn a_national_shaped_file_matches_a_plain_reading() {
    let dir = common::tmp();
    let path = dir.path().join("national.db");
    let opts = alliance::sample::SampleOptions {
        seed: 14,
        today: today(),
        schools: 700,
        scale: alliance::sample::Scale::National,
    };
    alliance::sample::generate(&path, &opts).expect("generate");
    let store = Store::open(&path, Access::ReadOnly).expect("open");
    same_figures(&store, "national sample of 700 schools");
}
