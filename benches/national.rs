//! `cargo bench`: the costs that matter at national scale, on a national-scale file (22,000
//! schools, ~500,000 visits), generated once into `target/bench/national.db` (or
//! `$ALLIANCE_BENCH_DB`, or `ALLIANCE_BENCH_SCHOOLS=N` for a smaller one).
//!
//! - `metrics`: the rules alone (`metrics::compute` on loaded facts), and the whole snapshot
//!   (SQL + rules) as `status` and the dashboard get it;
//! - `filter`: one keystroke of the `/` filter over 30,000 names (every school and leader)
//!   and of the palette (every school, leader and contract), typing `oak f` a letter at a time;
//! - `frame`: drawing each screen at 120×40 (the data already loaded), and moving the selection
//!   in the 22,000-row Schools list (a key and a frame);
//! - `tui`: start to first frame (open, load the dashboard, draw);
//! - `store`: saving a visit (its validation, its audit row and a durable commit), and the
//!   idle refresh poll when nothing changed.
//!
//! No timing assertion anywhere: the figures are for BENCHMARKS.md (see scripts/bench.sh).

use alliance::domain::{Activity, Visit};
use alliance::store::{Access, Store};
use alliance::tui::App;
use alliance::tui::keymap::{Action, Screen};
use alliance::tui::table::{Column, ListState, TCell, TRow, TableModel, Target};
use alliance::tui::theme::{ColorDepth, Role, Theme};
use chrono::NaiveDate;
use divan::{Bencher, black_box};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Constraint;
use std::path::PathBuf;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

/// The national file, generated on first use.
fn national() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        if let Some(p) = std::env::var_os("ALLIANCE_BENCH_DB") {
            return PathBuf::from(p);
        }
        let schools: usize =
            std::env::var("ALLIANCE_BENCH_SCHOOLS").ok().and_then(|s| s.parse().ok()).unwrap_or(22_000);
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
        std::fs::create_dir_all(&dir).expect("target/bench");
        let path = dir.join(format!("national-{schools}.db"));
        if !path.exists() {
            eprintln!("generating {} (once)…", path.display());
            let opts = alliance::sample::SampleOptions {
                seed: 2026,
                today: today(),
                schools,
                scale: alliance::sample::Scale::National,
            };
            alliance::sample::generate(&path, &opts).expect("generate the national file");
        }
        path
    })
}

fn app() -> App {
    let store = Store::open(national(), Access::ReadOnly).expect("open");
    App::new(store, today(), Theme::fallback(ColorDepth::None)).expect("app")
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(120, 40)).expect("terminal")
}

mod metrics {
    use super::*;

    #[divan::bench(sample_count = 20)]
    fn compute(b: Bencher) {
        let store = Store::open(national(), Access::ReadOnly).expect("open");
        let inputs = store.metric_inputs(today()).expect("inputs");
        b.bench_local(|| alliance::metrics::compute(black_box(&inputs)));
    }

    #[divan::bench(sample_count = 10)]
    fn snapshot(b: Bencher) {
        let store = Store::open(national(), Access::ReadOnly).expect("open");
        b.bench_local(|| store.snapshot(today()).expect("snapshot"));
    }
}

mod filter {
    use super::*;

    /// One list of every school's and leader's name (30,000 at national scale).
    fn names() -> &'static TableModel {
        static M: OnceLock<TableModel> = OnceLock::new();
        M.get_or_init(|| {
            let store = Store::open(national(), Access::ReadOnly).expect("open");
            let snap = store.snapshot(today()).expect("snapshot");
            let rows = snap
                .schools
                .iter()
                .map(|s| (Target::School(s.school.id), s.school.name.clone()))
                .chain(snap.leaders.iter().map(|l| (Target::Leader(l.leader.id), l.leader.name.clone())))
                .map(|(target, name)| TRow { target, cells: vec![TCell::text(name, Role::Text)], search: &[0] })
                .collect();
            TableModel::new(vec![Column { title: "Name", width: Constraint::Fill(1), min: 10, drop: 0 }], rows)
        })
    }

    fn palette() -> &'static TableModel {
        static M: OnceLock<TableModel> = OnceLock::new();
        M.get_or_init(|| {
            let mut app = app();
            app.update(Action::Palette);
            app.palette.clone()
        })
    }

    /// Typing `prefix` + one more letter: the state after `prefix`, then the keystroke.
    fn keystroke(b: Bencher, model: &'static TableModel, typed: &str) {
        let (prefix, _) = typed.split_at(typed.len() - 1);
        let mut before = ListState::default();
        before.refresh(model);
        for (k, _) in prefix.char_indices().skip(1).chain([(prefix.len(), ' ')]) {
            before.filter = prefix[..k].to_string();
            before.refilter(model);
        }
        b.with_inputs(|| before.clone()).bench_local_refs(|st| {
            st.filter = typed.to_string();
            st.refilter(model);
        });
    }

    const TYPED: [&str; 5] = ["o", "oa", "oak", "oak ", "oak f"];

    #[divan::bench(args = TYPED, sample_count = 30)]
    fn names_30k(b: Bencher, typed: &str) {
        keystroke(b, names(), typed);
    }

    #[divan::bench(args = TYPED, sample_count = 30)]
    fn palette_all(b: Bencher, typed: &str) {
        keystroke(b, palette(), typed);
    }

    /// Backspace: the whole list looked at again.
    #[divan::bench(sample_count = 30)]
    fn names_30k_backspace(b: Bencher) {
        let mut before = ListState::default();
        before.filter = "oak".into();
        before.refresh(names());
        b.with_inputs(|| before.clone()).bench_local_refs(|st| {
            st.filter.pop();
            st.refilter(names());
        });
    }
}

mod frame {
    use super::*;

    const SCREENS: [&str; 6] = ["dashboard", "contracts", "leaders", "schools", "visits", "board"];

    #[divan::bench(args = SCREENS, sample_count = 30)]
    fn draw(b: Bencher, screen: &str) {
        let mut app = app();
        app.update(Action::Go(Screen::parse(screen).expect("screen")));
        let mut t = terminal();
        b.bench_local(|| {
            t.draw(|f| alliance::tui::ui::draw(f, &mut app)).expect("draw");
        });
    }

    /// `j` in the Schools list, and the frame that follows.
    #[divan::bench(sample_count = 30)]
    fn schools_move_down(b: Bencher) {
        let mut app = app();
        app.update(Action::Go(Screen::Schools));
        let mut t = terminal();
        b.bench_local(|| {
            app.update(Action::Down);
            t.draw(|f| alliance::tui::ui::draw(f, &mut app)).expect("draw");
        });
    }
}

mod tui {
    use super::*;

    /// Open the file, load the dashboard, draw it: what a coordinator waits for.
    #[divan::bench(sample_count = 10)]
    fn start_to_first_frame(b: Bencher) {
        b.bench_local(|| {
            let mut app = app();
            let mut t = terminal();
            t.draw(|f| alliance::tui::ui::draw(f, &mut app)).expect("draw");
        });
    }
}

mod store {
    use super::*;

    /// A copy of the national file to write to, opened and verified (the first write of a big
    /// file runs the full check; later ones do not).
    fn writable() -> (tempfile::TempDir, Store, i64) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("copy.db");
        std::fs::copy(national(), &path).expect("copy");
        let mut store = Store::open(&path, Access::ReadWrite).expect("open");
        store.save_draft("bench", "warm-up", "{}").expect("first write");
        let contract: i64 = store
            .conn()
            .query_row("SELECT id FROM contracts WHERE status = 'active' ORDER BY id LIMIT 1", [], |r| r.get(0))
            .expect("an active contract");
        (dir, store, contract)
    }

    #[divan::bench(sample_count = 30)]
    fn save_visit(b: Bencher) {
        let (_dir, mut store, contract) = writable();
        let c: alliance::domain::Contract = store.get(contract).expect("contract");
        let visit = Visit {
            id: 0,
            contract_id: c.id,
            leader_id: c.leader_id,
            visited_on: today(),
            days: 0.5,
            activity: Activity::Coaching,
            notes: "Coaching session with the maths lead: went through the actions from last time.".into(),
            next_steps: "Maths lead to model the arithmetic routine in Year 5.".into(),
            stamp: Default::default(),
        };
        b.bench_local(|| store.add_visit(&visit, today()).expect("saved"));
    }

    /// The live-refresh poll when nothing changed: one pragma.
    #[divan::bench(sample_count = 100)]
    fn idle_poll(b: Bencher) {
        let mut app = app();
        b.bench_local(|| assert!(!app.check_for_changes()));
    }
}
