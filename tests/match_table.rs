//! Issue #13's test of the best-placed-leader ranking on sample.db: for every focus of a table
//! of foci × schools, the first deployable leader has a specialism covering the focus whenever
//! any active, non-excluded leader has one. What "covers" means is written out here by hand,
//! from the sample's specialisms, independently of the vocabulary in `src/matching/tags.rs`.
//! Run with `--nocapture` to see the table.

use alliance::store::{Access, Store};
use chrono::NaiveDate;
use std::path::Path;

/// Each focus, written as coordinators write them, and the sample's specialisms that cover it.
const FOCI: &[(&str, &[&str])] = &[
    ("Maths", &["Maths", "KS2 maths", "KS3 maths"]),
    ("Numeracy", &["Maths", "KS2 maths", "KS3 maths"]),
    ("KS2 mathematics", &["Maths", "KS2 maths", "KS3 maths"]),
    ("KS1 writing", &["KS1 writing", "KS2 writing"]),
    ("Writing", &["KS1 writing", "KS2 writing"]),
    ("Phonics", &["Phonics"]),
    ("Early reading", &["Early reading"]),
    ("Reading", &["Early reading"]),
    ("English", &[]),
    ("EYFS", &["EYFS"]),
    ("Science", &["Science"]),
    ("SEND", &["SEND"]),
    ("Behaviour management", &["Behaviour"]),
    ("Attendance", &["Attendance"]),
    ("Safeguarding", &["Safeguarding"]),
    ("Curriculum", &["Curriculum"]),
    ("Leadership and management", &["Leadership"]),
    ("Governance", &["Governance"]),
    ("Pupil premium", &["Disadvantaged pupils"]),
    ("ECT development", &["ECT development"]),
    ("Finance", &["Finance"]),
    ("History", &[]),
];

/// Five supported schools of different phases and categories.
const SCHOOLS: &[&str] = &[
    "Otterford Community Primary School",
    "Harbourgate College",
    "Lindendale Primary School",
    "Bluebellcombe Junior School",
    "Cadleworthy School",
];

fn covering<'a>(specialisms: &'a str, cover: &[&str]) -> Option<&'a str> {
    specialisms.split([',', ';']).map(str::trim).find(|t| cover.iter().any(|c| c.eq_ignore_ascii_case(t)))
}

#[test]
fn the_first_leader_covers_the_focus_whenever_anyone_deployable_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("alliance.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    let store = Store::open(&db, Access::ReadWrite).expect("open");
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let snap = store.snapshot(today).expect("snapshot");
    let leaders: Vec<alliance::domain::Leader> = store.all().expect("leaders");
    let specialisms = |id: i64| leaders.iter().find(|l| l.id == id).map_or("", |l| l.specialisms.as_str());
    let schools: Vec<alliance::domain::School> = store.all().expect("schools");

    println!("| focus | school | first leader | their covering specialism | deployable leaders who cover it |");
    println!("|---|---|---|---|---|");
    let mut failures = Vec::new();
    let mut with_cover = 0;
    for school in SCHOOLS {
        let s = schools.iter().find(|s| s.name == *school).unwrap_or_else(|| panic!("{school} is in the sample"));
        for (focus, cover) in FOCI {
            let ranked = store.best_placed(&snap, s.id, focus, None).expect("rank");
            let deployable: Vec<_> = ranked.iter().filter(|r| r.excluded.is_none()).collect();
            let coverers: Vec<&str> = deployable
                .iter()
                .filter(|r| covering(specialisms(r.leader_id), cover).is_some())
                .map(|r| r.name.as_str())
                .collect();
            let first = deployable.first().expect("someone is deployable");
            let first_covers = covering(specialisms(first.leader_id), cover);
            println!(
                "| {focus} | {school} | {} ({:+}) | {} | {} |",
                first.name,
                first.score,
                first_covers.unwrap_or("—"),
                coverers.len()
            );
            if !coverers.is_empty() {
                with_cover += 1;
                if first_covers.is_none() {
                    failures.push(format!("{focus} at {school}: {} first, but {coverers:?} cover it", first.name));
                }
            }
            // The ranking's own flag agrees with the hand-written table.
            for r in &deployable {
                assert_eq!(
                    r.covers,
                    covering(specialisms(r.leader_id), cover).is_some(),
                    "{focus}: {} ({})",
                    r.name,
                    specialisms(r.leader_id)
                );
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(with_cover >= 15 * 5, "the table tests the rule on enough cells ({with_cover})");
}

#[test]
fn leaders_are_not_sent_out_of_a_school_that_is_urgent_or_of_concern() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("alliance.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    let store = Store::open(&db, Access::ReadWrite).expect("open");
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let otterford = |store: &Store| -> i64 {
        store
            .conn()
            .query_row("SELECT id FROM schools WHERE name LIKE 'Otterford%'", [], |r| r.get(0))
            .expect("Otterford")
    };
    let school = otterford(&store);
    let first = |store: &Store| {
        let snap = store.snapshot(today).expect("snapshot");
        store.best_placed(&snap, school, "Maths", None).expect("rank")
    };
    let before = first(&store);
    assert_eq!(before[0].name, "Steve Gill");
    // His home school is put in category C by the board: its status is concern.
    store
        .conn()
        .execute(
            "UPDATE schools SET category = 'C' WHERE id = (SELECT home_school_id FROM leaders WHERE name = 'Steve Gill')",
            [],
        )
        .expect("recategorise");
    let after = first(&store);
    let steve = after.iter().find(|r| r.name == "Steve Gill").expect("still listed");
    let why = steve.excluded.as_deref().unwrap_or("");
    assert!(why.starts_with("home school Fernmead College is concern: "), "{why}");
    assert_eq!(after[0].name, "Matthew Nowak", "the next maths specialist is first");
}
