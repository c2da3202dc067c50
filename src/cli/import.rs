//! `alliance import gias|ofsted`: read the file (refusing anything that is not the expected
//! download before the database is touched), import it in one transaction, print the report.
//! A progress bar is drawn on stderr for big files when stderr is a terminal.

use super::{Cli, Config, Failure, ImportCommand, open_store};
use crate::import::{self, ImportError, Report, gias, links, ofsted, performance};
use crate::store::exit;
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;

/// Below this many rows an import is over before a bar would be worth drawing.
const BAR_FROM_ROWS: usize = 500;

/// Reads an import file: only a regular file (a FIFO would wait for ever, `/dev/zero` never
/// ends) of at most [`crate::import::read::MAX_FILE_BYTES`], read with that limit so a file that grows while
/// it is read cannot run the machine out of memory.
fn read_file(path: &Path) -> Result<(String, Vec<u8>), Failure> {
    use std::io::Read;
    let name = path.display().to_string();
    let refuse = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => Failure::invalid(format!("{name}: no such file")),
        std::io::ErrorKind::PermissionDenied => {
            Failure { code: exit::PERMISSION, message: format!("{name}: permission denied") }
        }
        _ => Failure { code: exit::GENERAL, message: format!("could not read {name}: {e}") },
    };
    let meta = std::fs::metadata(path).map_err(refuse)?;
    if meta.is_dir() {
        return Err(Failure::invalid(format!("{name} is a directory, not a CSV file")));
    }
    if !meta.is_file() {
        return Err(Failure::invalid(format!(
            "{name} is not a regular file (a device, pipe or socket) — save the download as a file and import that"
        )));
    }
    let too_big = || {
        Failure::invalid(format!(
            "{name} is larger than 1 GiB, the most an import reads (the national GIAS download is about 70 MB)"
        ))
    };
    if meta.len() > crate::import::read::MAX_FILE_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(crate::import::read::MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(refuse)?;
    if bytes.len() as u64 > crate::import::read::MAX_FILE_BYTES {
        return Err(too_big());
    }
    Ok((name, bytes))
}

fn failure(e: ImportError) -> Failure {
    match e {
        ImportError::File(f) => Failure::invalid(f.0),
        ImportError::Store(s) => s.into(),
    }
}

/// Runs `f` with a progress callback that drives a bar on stderr (only when it is a terminal
/// and the file is big).
fn with_progress<T>(f: impl FnOnce(&mut import::Progress<'_>) -> T) -> T {
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::hidden();
        if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} rows ({eta} left)") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message("importing");
        bar
    });
    let mut shown = false;
    let mut tick = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            if total < BAR_FROM_ROWS {
                return;
            }
            if !shown {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                bar.set_length(total as u64);
                shown = true;
            }
            if done.is_multiple_of(100) || done == total {
                bar.set_position(done as u64);
            }
        }
    };
    let out = f(&mut tick);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    out
}

/// Runs `import …`.
pub fn run(cli: &Cli, config: &Config, today: NaiveDate, what: &ImportCommand) -> Result<(), Failure> {
    let report: Report = match what {
        ImportCommand::Performance { files, year, dry_run } => {
            // Every file is read and checked before the database is opened; then all of them
            // are imported in one transaction.
            let mut all = Vec::new();
            let mut notes = Vec::new();
            for file in files {
                let (name, bytes) = read_file(file)?;
                let (found, n) =
                    performance::read_download(&name, &bytes, year.as_deref()).map_err(|e| Failure::invalid(e.0))?;
                all.extend(found);
                notes.extend(n);
            }
            let mut store = open_store(cli, config)?;
            let opts = performance::PerfOptions { dry_run: *dry_run };
            let reports = with_progress(|p| performance::import(&mut store, &all, notes, &opts, p)).map_err(failure)?;
            for r in &reports {
                outln!("{}", crate::cli::document_for_terminal(&r.to_string()));
            }
            return Ok(());
        }
        ImportCommand::Measures { file, dry_run } => {
            let (name, bytes) = read_file(file)?;
            let table = performance::read_local(&name, &bytes).map_err(|e| Failure::invalid(e.0))?;
            let mut store = open_store(cli, config)?;
            let opts = performance::LocalOptions { dry_run: *dry_run };
            with_progress(|p| performance::import_local(&mut store, &name, &table, &opts, p)).map_err(failure)?
        }
        ImportCommand::Gias { file, la, dry_run, include_closed } => {
            let (name, bytes) = read_file(file)?;
            let table = gias::read(&name, &bytes).map_err(|e| Failure::invalid(e.0))?;
            let mut store = open_store(cli, config)?;
            let opts = gias::GiasOptions {
                la: la.clone().filter(|l| !l.trim().is_empty()),
                include_closed: *include_closed,
                dry_run: *dry_run,
                today,
            };
            with_progress(|p| gias::import(&mut store, &name, &table, &opts, p)).map_err(failure)?
        }
        ImportCommand::GiasLinks { file, dry_run } => {
            let (name, bytes) = read_file(file)?;
            let table = links::read(&name, &bytes).map_err(|e| Failure::invalid(e.0))?;
            let mut store = open_store(cli, config)?;
            let opts = links::LinksOptions { dry_run: *dry_run, today };
            with_progress(|p| links::import(&mut store, &name, &table, &opts, p)).map_err(failure)?
        }
        ImportCommand::Terms { file, dry_run } => {
            let (name, bytes) = read_file(file)?;
            let read = crate::import::terms::read(&name, &bytes).map_err(|e| Failure::invalid(e.0))?;
            let mut store = open_store(cli, config)?;
            return super::terms::import(&mut store, today, &name, &read, *dry_run);
        }
        ImportCommand::Ofsted { file, dry_run } => {
            let (name, bytes) = read_file(file)?;
            let table = ofsted::read(&name, &bytes).map_err(|e| Failure::invalid(e.0))?;
            let mut store = open_store(cli, config)?;
            let opts = ofsted::OfstedOptions { dry_run: *dry_run, today };
            with_progress(|p| ofsted::import(&mut store, &name, &table, &opts, p)).map_err(failure)?
        }
    };
    outln!("{}", crate::cli::document_for_terminal(&report.to_string()));
    Ok(())
}
