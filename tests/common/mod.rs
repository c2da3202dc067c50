//! Helpers shared by the integration tests: real database files in temporary directories,
//! records built through the crate's public types, and one hand-made alliance whose headline
//! figures are worked out by hand in [`populate`].

#![allow(dead_code, reason = "each test binary uses a different subset of the helpers")]

use alliance::domain::*;
use alliance::store::{Actor, Store};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// Parses an ISO date written in a test.
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("ISO date in a test")
}

/// The injected clock of the fixture alliance: Monday 23 Nov 2026.
pub const TODAY: &str = "2026-11-23";

/// A new temporary directory (removed when dropped).
pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Creates a new alliance file `name` in `dir`, written by a fixed actor.
pub fn create(dir: &Path, name: &str) -> (Store, PathBuf) {
    let path = dir.join(name);
    let mut store = Store::create(&path, "Test Alliance").expect("create store");
    store.actor = Actor::fixed("tester", "2026-11-23T09:00:00Z");
    (store, path)
}

/// The whole file, for byte-for-byte comparisons.
pub fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read file")
}

/// The names in a directory, sorted (to check that no -wal/-shm/-journal appeared).
pub fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("dir entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Whether this process ignores file permissions (root, CAP_DAC_OVERRIDE): tried, not guessed.
pub fn permissions_bypassed(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join(".perm-probe");
    std::fs::write(&probe, b"x").expect("probe file");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod probe");
    let bypassed = std::fs::File::open(&probe).is_ok();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o600)).expect("chmod probe back");
    std::fs::remove_file(&probe).expect("remove probe");
    bypassed
}

/// Whether util-linux `script` can give a command a pseudo-terminal here.
pub fn have_script() -> bool {
    std::process::Command::new("script").args(["-qec", "true", "/dev/null"]).output().is_ok_and(|o| o.status.success())
}

/// Runs the `alliance` binary with stdout on a pseudo-terminal (via util-linux `script`), in
/// `dir` with a clean environment (no database, clock, colour or config from the host) plus
/// `env`, and returns what the terminal received (its line discipline turns `\n` into `\r\n`).
pub fn alliance_on_a_tty(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    alliance_on_a_tty_sized(dir, args, env, None)
}

/// [`alliance_on_a_tty`] on a terminal `columns` wide (set with `stty` first); with `None`, the
/// pseudo-terminal keeps the size `script` gave it (none, under `cargo test`).
pub fn alliance_on_a_tty_sized(dir: &Path, args: &[&str], env: &[(&str, &str)], columns: Option<u16>) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let cmdline =
        std::iter::once(env!("CARGO_BIN_EXE_alliance")).chain(args.iter().copied()).map(quote).collect::<Vec<_>>();
    let size = columns.map_or(String::new(), |c| format!("stty cols {c} rows 24 && "));
    let mut script = std::process::Command::new("script");
    script
        .args(["-qec", &format!("{size}{}", cmdline.join(" ")), "/dev/null"])
        .env_remove("ALLIANCE_DB")
        .env_remove("ALLIANCE_TODAY")
        .env_remove("NO_COLOR")
        .env("ALLIANCE_CONFIG", dir.join("no-config.toml"))
        .envs(env.iter().copied())
        .current_dir(dir);
    let o = script.output().expect("run script");
    assert!(o.status.success(), "{args:?} on a terminal failed: {}", String::from_utf8_lossy(&o.stdout));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A school record ready to insert.
pub fn school(name: &str, category: Category) -> School {
    School {
        id: 0,
        urn: None,
        name: name.to_string(),
        phase: Phase::Primary,
        school_type: "Academy converter".to_string(),
        la_name: "Plymouth".to_string(),
        postcode: "PL1 1AA".to_string(),
        pupils: Some(210),
        trust: String::new(),
        headteacher: "Ms Head".to_string(),
        member: true,
        category,
        notes: String::new(),
        religious_character: String::new(),
        diocese: String::new(),
        trust_code: String::new(),
        closed_on: None,
        stamp: Stamp::default(),
    }
}

/// An active SLE record ready to insert.
pub fn leader(name: &str, days_per_year: f64, active: bool) -> Leader {
    Leader {
        id: 0,
        name: name.to_string(),
        designation: Designation::Sle,
        home_school_id: None,
        specialisms: "Maths, KS2 writing".to_string(),
        days_per_year,
        day_rate_pence: 35_000,
        email: "sle@example.org".to_string(),
        phone: "01752 000000".to_string(),
        active,
        stamp: Stamp::default(),
    }
}

/// A contract record ready to insert.
pub fn contract(school_id: i64, leader_id: i64, start: &str, end: &str, days: f64, status: ContractStatus) -> Contract {
    Contract {
        id: 0,
        school_id,
        leader_id,
        focus: "KS1 writing".to_string(),
        aims: "Raise attainment in writing".to_string(),
        success_criteria: "70% at expected standard".to_string(),
        start_on: d(start),
        end_on: d(end),
        days_commissioned: days,
        day_rate_pence: 35_000,
        funding: "School".to_string(),
        funding_stream_id: None,
        status,
        stamp: Stamp::default(),
    }
}

/// A visit record ready to insert.
pub fn visit(contract_id: i64, leader_id: i64, on: &str, days: f64) -> Visit {
    Visit {
        id: 0,
        contract_id,
        leader_id,
        visited_on: d(on),
        days,
        activity: Activity::Coaching,
        notes: "Coached the English lead".to_string(),
        next_steps: "Book-look next time".to_string(),
        stamp: Stamp::default(),
    }
}

/// A review record ready to insert.
pub fn review(contract_id: i64, on: &str, rag: Rag, next: Option<&str>, escalate: bool) -> Review {
    Review {
        id: 0,
        contract_id,
        reviewed_on: d(on),
        rag,
        summary: "Progress as expected".to_string(),
        next_review_on: next.map(d),
        escalate,
        stamp: Stamp::default(),
    }
}

/// An inspection record ready to insert.
pub fn inspection(school_id: i64, on: &str, outcome: &str, grade: Option<i64>) -> Inspection {
    Inspection {
        id: 0,
        school_id,
        inspected_on: d(on),
        framework: Framework::Graded,
        outcome: outcome.to_string(),
        grade,
        safeguarding_met: Some(true),
        areas: String::new(),
        category_of_concern: None,
        kind: InspectionKind::Standard,
        stamp: Stamp::default(),
    }
}

/// What [`populate`] puts in, worked out by hand for `today` = 23 Nov 2026 (year 2026/27).
pub struct Expected {
    /// Schools by category A–D.
    pub by_category: [usize; 4],
    /// Schools by status: urgent, concern, watch, ok.
    pub by_status: [usize; 4],
    /// Active leaders.
    pub active_leaders: usize,
    /// Σ days_per_year of active leaders.
    pub capacity: f64,
    /// Σ delivered this year by active leaders.
    pub delivered: f64,
    /// Σ committed of active leaders.
    pub committed: f64,
    /// capacity − delivered − committed.
    pub available: f64,
    /// Active leaders over capacity.
    pub over_capacity: usize,
    /// live, active, paused, proposed.
    pub contracts: [usize; 4],
    /// Live contracts by latest review: green, amber, red, none.
    pub by_rag: [usize; 4],
    /// Alert kinds in the order `status --json` lists them.
    pub alert_kinds: Vec<&'static str>,
}

/// Fills a store with a small alliance exercising every headline figure:
///
/// | leader | cap | active | visits in 2026/27 | live contracts (commissioned − delivered) |
/// |---|---|---|---|---|
/// | Ann | 15 | yes | 1 + 0.5 + 2 (c1) = 3.5 | c1 6 − 3.5 = 2.5 · c2 paused 4 − 0 = 4 |
/// | Bob | 10 | yes | 5 (c3) + 0.5 (c4) = 5.5 | c3 5 − 6 (1 last year) → 0 · c4 5 − 0.5 = 4.5 |
/// | Cat | 20 | no  | 2 (c5) | c5 4 − 2 = 2 (inactive: not in the leader totals) |
///
/// Ann: 15 − 3.5 − 6.5 = 5 · Bob: 10 − 5.5 − 4.5 = 0 (not over) · totals: capacity 25,
/// delivered 9, committed 11, available 5. A visit on 31 Aug 2026 (last year) is left out of
/// "delivered" but counts towards c3's all-time delivery.
pub fn populate(store: &mut Store) -> Expected {
    use ContractStatus::*;
    let s = |store: &mut Store, name: &str, cat| store.insert(&school(name, cat)).expect("school");
    let s1 = s(store, "Ashgrove Primary", Category::A);
    let s2 = s(store, "Beacon Academy", Category::B);
    let s3 = s(store, "Castle Hill Primary", Category::C);
    let s4 = s(store, "Drake Primary", Category::D);
    let s5 = s(store, "Eggbuckland Vale", Category::A);
    let s6 = s(store, "Ford Primary", Category::C);
    let s7 = s(store, "Glen Park", Category::A);

    let ann = store.insert(&leader("Ann Hart", 15.0, true)).expect("ann");
    let bob = store.insert(&leader("Bob Pike", 10.0, true)).expect("bob");
    let cat = store.insert(&leader("Cat Ward", 20.0, false)).expect("cat");
    store.insert(&leader("Dee Lowe", 12.0, true)).expect("dee"); // no contracts

    let c = |store: &mut Store, sch, l, start, end, days, st| {
        store.insert(&contract(sch, l, start, end, days, st)).expect("contract")
    };
    let c1 = c(store, s1, ann, "2026-09-07", "2027-03-31", 6.0, Active);
    let c2 = c(store, s3, ann, "2026-09-14", "2027-07-16", 4.0, Paused);
    let c3 = c(store, s4, bob, "2026-06-01", "2026-12-04", 5.0, Active);
    let c4 = c(store, s5, bob, "2026-10-01", "2027-02-26", 5.0, Active);
    let c5 = c(store, s2, cat, "2026-09-01", "2027-06-30", 4.0, Active);
    c(store, s6, bob, "2027-01-04", "2027-04-30", 3.0, Proposed);
    c(store, s7, ann, "2025-09-01", "2026-07-17", 5.0, Completed);
    c(store, s7, bob, "2025-09-01", "2026-03-31", 2.0, Terminated);

    let v = |store: &mut Store, ct, l, on, days| store.insert(&visit(ct, l, on, days)).expect("visit");
    v(store, c1, ann, "2026-09-21", 1.0);
    v(store, c1, ann, "2026-10-12", 0.5);
    v(store, c1, ann, "2026-11-16", 2.0);
    v(store, c3, bob, "2026-08-31", 1.0); // last academic year
    v(store, c3, bob, "2026-09-01", 2.0);
    v(store, c3, bob, "2026-10-20", 3.0);
    v(store, c4, bob, "2026-11-02", 0.5);
    v(store, c5, cat, "2026-11-10", 2.0);

    let r = |store: &mut Store, ct, on, rag, next, esc| store.insert(&review(ct, on, rag, next, esc)).expect("review");
    // c1: an older red review superseded by a green one.
    r(store, c1, "2026-10-01", Rag::Red, Some("2026-11-12"), false);
    r(store, c1, "2026-11-16", Rag::Green, Some("2026-12-28"), false);
    // c2: amber, next review overdue.
    r(store, c2, "2026-10-05", Rag::Amber, Some("2026-11-16"), false);
    // c3: red and escalated.
    r(store, c3, "2026-11-02", Rag::Red, Some("2026-12-14"), true);
    // c4 and c5: no review yet (c4 due 12 Nov 2026 → overdue; c5 due 13 Oct 2026 → overdue).

    store.insert(&inspection(s5, "2023-05-10", "Requires improvement", Some(3))).expect("inspection");
    store.insert(&inspection(s1, "2019-03-12", "Inadequate", Some(4))).expect("old inspection");
    store.insert(&inspection(s1, "2024-03-12", "Good", Some(2))).expect("latest inspection");

    Expected {
        by_category: [3, 1, 2, 1],
        // urgent: Drake (D, red + escalated) · concern: Castle Hill (C, support paused), Ford (C, unsupported)
        // watch: Beacon (B), Eggbuckland (grade 3, c4 review overdue)
        // ok: Ashgrove (latest inspection Good, the older Inadequate is superseded; c1 quiet),
        //     Glen Park (completed and terminated contracts only).
        by_status: [1, 2, 2, 2],
        active_leaders: 3,
        capacity: 37.0,
        delivered: 9.0,
        committed: 11.0,
        available: 17.0,
        over_capacity: 0,
        contracts: [5, 4, 1, 1],
        by_rag: [1, 1, 1, 2],
        alert_kinds: vec![
            "escalated",           // c3
            "red_review",          // c3
            "unsupported_concern", // Castle Hill (C): its only contract is paused, which is not support
            "unsupported_concern", // Ford (C): medium
            "days_overrun",        // c3: 6 of 5
            "review_overdue",      // c2 (16 Nov)
            "review_overdue",      // c4 (12 Nov)
            "review_overdue",      // c5 (13 Oct)
            "ending_soon",         // c3 ends 4 Dec
            "no_recent_visit",     // c3: last visit 20 Oct, more than 30 days ago
        ],
    }
}

/// Sends one key to the app, as the terminal would.
pub fn press(app: &mut alliance::tui::App, code: ratatui::crossterm::event::KeyCode) {
    use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// Sends Ctrl + `c`.
pub fn ctrl(app: &mut alliance::tui::App, c: char) {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

/// Types text, one key per character.
pub fn typed(app: &mut alliance::tui::App, text: &str) {
    for c in text.chars() {
        press(app, ratatui::crossterm::event::KeyCode::Char(c));
    }
}

/// Moves the open form's focus (with Tab) to the field with `key`.
pub fn focus(app: &mut alliance::tui::App, key: &str) {
    for _ in 0..20 {
        let of = app.form.as_ref().expect("form open");
        if of.form.fields[of.form.focus].key == key {
            return;
        }
        press(app, ratatui::crossterm::event::KeyCode::Tab);
    }
    panic!("no field {key}");
}
