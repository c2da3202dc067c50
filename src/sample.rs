//! The deterministic sample alliance behind `alliance sample` and the committed `sample.db`.
//!
//! [`generate`] writes a realistic alliance to a new file: by default 96 schools of one city
//! local authority (Plymouth, with invented schools), about 30 system leaders, 40 contracts in
//! every lifecycle status, a few hundred visits with notes, progress reviews in all three RAG
//! colours, funding streams, and four board meetings with their decisions — dated around
//! `today` in the academic year that contains it — and an LA's term dates for 2025/26 and
//! 2026/27 (`terms.rs`).
//!
//! - **Deterministic**: everything comes from one `ChaCha8Rng` seeded with `--seed`, and the
//!   dates from `--today`; the clock, the environment and hash-map order are never read. The
//!   same seed and date give the same data (compare `sample.db` as data, not bytes).
//! - **Every alert and status on show**: a few contracts are written on purpose (see
//!   `written.rs`) so that all nine alert kinds and all four school statuses appear, whatever
//!   the seed; the rest is random.
//! - **Valid**: every record passes the same validation as a coordinator's input before
//!   anything is written, and goes in through [`crate::store::insert_in`] with its audit row, in one
//!   transaction, stamped by the fixed actor `sample` at 09:00 on `today`.
//! - `--schools N` scales schools, leaders, contracts and visits together (10 to 30,000); above
//!   150 schools the sample spreads over further South West authorities.

mod board;
mod contracts;
mod delivery;
mod dice;
mod focus;
mod impact;
mod inspections;
mod leaders;
mod measures;
mod names;
pub mod national;
mod schools;
mod story;
mod terms;
mod world;
mod written;

use crate::domain::fmt_date;
use crate::store::{Actor, Store};
use anyhow::Context;
use chrono::{Datelike, NaiveDate};
use std::io::IsTerminal;
use std::path::Path;

/// How big a world to generate (`--scale`). More sizes can be added as variants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// A city alliance: 96 schools of one authority by default, every record with its audit
    /// row (the committed `sample.db`).
    #[default]
    City,
    /// The whole of England: 22,000 schools, 8,000 leaders, 40,000 contracts, about 500,000
    /// visits and 120,000 reviews, bulk loaded (see [`national`]).
    National,
}

impl Scale {
    /// The number of schools when `--schools` is not given.
    pub fn default_schools(self) -> usize {
        match self {
            Scale::City => 96,
            Scale::National => national::SCHOOLS,
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleOptions {
    /// Random seed: the same seed and date give the same data.
    pub seed: u64,
    /// The date the sample is built around (visits and reviews are never after it).
    pub today: NaiveDate,
    /// How many schools (10 to 30,000).
    pub schools: usize,
    /// The shape of the world around them.
    pub scale: Scale,
}

/// The fewest and most schools a sample can have.
pub const SCHOOLS_RANGE: std::ops::RangeInclusive<usize> = 10..=30_000;

/// Row counts of a written sample, read back from the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts {
    schools: i64,
    leaders: i64,
    contracts: i64,
    visits: i64,
    reviews: i64,
    meetings: i64,
    decisions: i64,
}

/// Writes the sample alliance to `path`, which must not exist yet, and returns a one-line
/// report with the counts read back from the file. On failure nothing is left behind. A
/// national-scale sample shows a progress bar on stderr when it is a terminal.
pub fn generate(path: &Path, o: &SampleOptions) -> anyhow::Result<String> {
    anyhow::ensure!(
        SCHOOLS_RANGE.contains(&o.schools),
        "--schools must be between {} and {} (got {})",
        SCHOOLS_RANGE.start(),
        SCHOOLS_RANGE.end(),
        o.schools
    );
    anyhow::ensure!(
        (2000..=2200).contains(&o.today.year()),
        "--today {} is too far from now for a sample (use a date between 2000 and 2200)",
        o.today
    );
    let bar = Bar::new(o.scale == Scale::National && std::io::stderr().is_terminal());
    let shape = match o.scale {
        Scale::City => world::Shape::city(o.schools),
        Scale::National => national::shape(o.schools),
    };
    let world = world::build(o.seed, o.today, o.schools, &shape, &mut |what| bar.stage(what));
    bar.stage("checking every record");
    world.check(o.today).map_err(anyhow::Error::msg)?;
    // Built under a hidden name and given `path` only when complete: an interrupted sample
    // leaves no valid-looking half-made file behind (and an existing file is refused).
    let mut failure: Option<anyhow::Error> = None;
    let built = Store::create_with(path, &world.alliance_name, |store| {
        store.actor = Actor::fixed("sample", &format!("{}T09:00:00Z", o.today.format("%Y-%m-%d")));
        let written = match o.scale {
            Scale::City => store.write(|tx, actor| world::write(tx, actor, &world)).context("writing the sample"),
            Scale::National => {
                let summary = serde_json::json!({
                    "what": "national-scale sample",
                    "seed": o.seed,
                    "today": o.today.to_string(),
                    "schools": o.schools,
                });
                bar.rows(world.rows());
                store
                    .bulk_load(summary, |b| world::write_bulk(b, &world, &mut |n| bar.tick(n)))
                    .context("writing the sample")
            }
        }
        // The same seed and date give the same file, generation id included.
        .and_then(|()| store.set_generation(&sample_generation(o)).context("writing the sample"))
        .and_then(|()| {
            bar.stage("compacting the file");
            store.compact().context("compacting the file")
        })
        .and_then(|()| counts(store).context("counting the rows written"));
        written.map_err(|e| {
            let code = e.downcast_ref::<crate::store::StoreError>().map(|se| se.to_string());
            failure = Some(e);
            crate::store::StoreError::Io(
                path.display().to_string(),
                code.unwrap_or_else(|| "the sample was not written".into()),
            )
        })
    });
    bar.finish();
    let n = match built {
        Ok(n) => n,
        Err(e) => return Err(failure.take().unwrap_or_else(|| e.into())),
    };
    Ok(format!(
        "wrote {}: {} schools, {} leaders, {} contracts, {} visits, {} reviews, {} board meetings, {} decisions (seed {}, today {})",
        path.display(),
        n.schools,
        n.leaders,
        n.contracts,
        n.visits,
        n.reviews,
        n.meetings,
        n.decisions,
        o.seed,
        fmt_date(o.today)
    ))
}

/// The sample's generation id: from its seed, date and size, so the file is reproducible.
fn sample_generation(o: &SampleOptions) -> String {
    format!("{:016x}{:08x}{:08x}", o.seed, o.today.num_days_from_ce(), o.schools)
}

/// The progress bar on stderr (a no-op unless shown): a spinner while the world is built, then
/// a bar over the rows written.
struct Bar(Option<indicatif::ProgressBar>);

impl Bar {
    fn new(show: bool) -> Bar {
        Bar(show.then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        }))
    }

    fn stage(&self, what: &str) {
        if let Some(b) = &self.0 {
            b.set_message(what.to_string());
        }
    }

    fn rows(&self, total: usize) {
        if let Some(b) = &self.0 {
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("writing [{bar:40}] {pos}/{len} rows ({eta} left)")
            {
                b.set_style(style.progress_chars("=> "));
            }
            b.set_length(total as u64);
            b.set_position(0);
        }
    }

    fn tick(&self, done: usize) {
        if let Some(b) = &self.0 {
            b.set_position(done as u64);
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// Counts the rows of the tables the report names.
fn counts(store: &Store) -> Result<Counts, crate::store::StoreError> {
    let all = store.table_counts()?;
    let count = |t: &str| all.iter().find(|(name, _)| *name == t).map_or(0, |(_, n)| *n);
    Ok(Counts {
        schools: count("schools"),
        leaders: count("leaders"),
        contracts: count("contracts"),
        visits: count("visits"),
        reviews: count("reviews"),
        meetings: count("board_meetings"),
        decisions: count("decisions"),
    })
}
