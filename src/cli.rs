//! The command line: argument definitions (clap), choosing the database, the injected clock,
//! and the non-interactive commands. `main.rs` only calls [`run`].
//!
//! The database is chosen by `--db PATH`, else `$ALLIANCE_DB`, else `db = "…"` in the config
//! file (`$ALLIANCE_CONFIG`, else `<XDG config dir>/alliance/config.toml`). The bare form
//! `alliance PATH` opens the TUI on PATH, and comes before `$ALLIANCE_DB`; a bare word that is
//! no file is answered as a mistyped command (`bare_path_is_a_database`).

/// `println!` that stops quietly when stdout is closed (`alliance match … | head`) instead of
/// panicking with "failed printing to stdout: Broken pipe".
/// Every line goes through [`crate::text::print_line`], the one terminal-safe writer: a name
/// from the file or a CSV, or a file name, cannot drive the reader's terminal.
macro_rules! outln {
    ($($t:tt)*) => {{
        crate::text::print_line(&format!($($t)*));
    }};
}

mod args;
mod argv;
mod away;
mod board_pack;
mod config;
mod decide;
mod funding;
mod gate;
pub mod impact;
mod import;
mod log_visit;
mod maintenance;
mod matching;
mod note;
mod people;
mod settings;
mod share;
mod show;
mod status;
mod terms;

pub use args::{
    AwayCommand, Cli, Command, ConflictsCommand, ExportCommand, FundingCommand, ImportCommand, NoteCommand,
    PeopleCommand, SettingsCommand, TermsCommand,
};
pub use argv::{completions, man_page};
pub use board_pack::pack_for_stdout;
pub use config::Config;

use crate::domain::parse_date;
use crate::store::{Access, Store, StoreError, exit};
use crate::terminal::ColorDepth;
use crate::tui::theme::Theme;
use crate::tui::{App, Screen};
use anyhow::Context;
use chrono::NaiveDate;
use clap::{CommandFactory, FromArgMatches};
use std::io::Write;
use std::path::PathBuf;

/// An error that knows its exit code and prints as one sentence.
#[derive(Debug)]
pub struct Failure {
    /// Process exit code (see the README's table).
    pub code: i32,
    /// The sentence shown on stderr.
    pub message: String,
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        let message = match &e {
            // The store's sentence speaks to a form that keeps the typed values; a command
            // keeps nothing, so say what to do instead.
            StoreError::Stale { entity, by, at, .. } => format!(
                "this {entity} was changed by {by} at {} while this command ran — nothing was saved; run it again to apply your change over theirs",
                at.replace('T', " ").trim_end_matches('Z')
            ),
            _ => e.to_string(),
        };
        Failure { code: e.exit_code(), message }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        match e.downcast_ref::<StoreError>() {
            Some(se) => Failure { code: se.exit_code(), message: format!("{e:#}") },
            None => Failure { code: exit::GENERAL, message: format!("{e:#}") },
        }
    }
}

impl Failure {
    /// A refusal of the user's input (exit code 3).
    pub fn invalid(message: impl Into<String>) -> Failure {
        Failure { code: exit::INVALID, message: message.into() }
    }
}

/// Parses the process arguments, runs the command and returns the exit code.
pub fn run() -> i32 {
    let args = match argv::reshape(std::env::args_os().collect()) {
        Ok(a) => a,
        Err(f) => {
            crate::text::print_error(&f.message);
            return f.code;
        }
    };
    let matches = match Cli::command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => return usage_error(&e),
    };
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // A bare path typed on this command line comes before $ALLIANCE_DB (`--db` typed with it is
    // refused by `bare_path_is_a_database`).
    if cli.path.is_some() && matches.value_source("db") == Some(clap::parser::ValueSource::EnvVariable) {
        cli.db = None;
    }
    match bare_path_is_a_database(&cli).and_then(|()| dispatch(cli)) {
        Ok(()) => 0,
        Err(f) => {
            // A hung-up terminal (SIGHUP) must not turn a clean refusal into a panic.
            crate::text::print_error(&f.message);
            f.code
        }
    }
}

/// Answers a command line clap refused. A bad value of a known flag (`--top -1`,
/// `--days -inf`, `--width 5`) is refused input: one sentence, exit 3, with the value cut to a
/// sensible length. An unknown or missing flag is usage: clap's own message and exit 2. Help
/// and version print as usual.
fn usage_error(e: &clap::Error) -> i32 {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation | ErrorKind::InvalidUtf8 => {
            let text = |k: ContextKind| match e.get(k) {
                Some(ContextValue::String(s)) => Some(s.clone()),
                _ => None,
            };
            let flag = text(ContextKind::InvalidArg).unwrap_or_else(|| "an option".into());
            let flag = flag.split_whitespace().next().unwrap_or("an option").to_string();
            let value: String = text(ContextKind::InvalidValue).unwrap_or_default();
            let shown: String = value.chars().take(40).collect();
            let cut = if value.chars().count() > 40 { "…" } else { "" };
            let why = match e.get(ContextKind::ValidValue) {
                Some(ContextValue::Strings(v)) => format!("give one of {}", v.join(", ")),
                _ => {
                    let rendered = e.render().to_string();
                    let first = rendered.lines().next().unwrap_or("").to_string();
                    first.rsplit(": ").next().unwrap_or("not a valid value").trim().to_string()
                }
            };
            let message = format!("{flag} `{shown}{cut}` is not a valid value: {why}");
            crate::text::print_error(&message);
            exit::INVALID
        }
        _ => e.exit(),
    }
}

pub use crate::text::{document_for_terminal, json_for_terminal, printable};

/// Reads a `--days` value: whole or half days from 0.5 to `max`. Anything else is refused (exit 3)
/// in one sentence that gives the range — a negative number or zero included, which clap lets
/// through to here (`allow_negative_numbers`) rather than calling it an unexpected argument.
pub(crate) fn days_arg(input: &str, max: f64) -> Result<f64, Failure> {
    use crate::domain::money::{fmt_days, parse_days};
    let typed = input.trim();
    let range = || {
        let shown: String = typed.chars().take(20).collect();
        Failure::invalid(format!(
            "--days `{shown}` is out of range: give 0.5 to {} days, in whole or half days",
            fmt_days(max)
        ))
    };
    // A plain number (`-4`, `0`, `400`, `1e3`) is judged against the range first.
    if typed.parse::<f64>().is_ok_and(|v| v.is_finite() && !(0.5..=max).contains(&v)) {
        return Err(range());
    }
    let days = parse_days(input).map_err(|e| Failure::invalid(format!("--days: {e}")))?;
    if days > max {
        return Err(range());
    }
    Ok(days)
}

/// The date rules are evaluated against: `--today`, else `$ALLIANCE_TODAY`, else the clock.
pub fn today(flag: Option<&str>) -> Result<NaiveDate, Failure> {
    let real = chrono::Local::now().date_naive();
    match flag.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => parse_date(s, real).map_err(|e| Failure::invalid(format!("--today: {e}"))),
        None => Ok(real),
    }
}

/// Checks the bare `alliance PATH` form before anything is opened. A bare word that is no file
/// is most likely a mistyped command (`alliance --db a.db stats` meant `status`): with `--db` it
/// is refused (exit 2) with the nearest command; without, the missing file's refusal (exit 4)
/// suggests that command before `init`. `--db` and an existing bare path name two databases.
fn bare_path_is_a_database(cli: &Cli) -> Result<(), Failure> {
    let Some(path) = &cli.path else { return Ok(()) };
    let shown = path.display();
    let exists = path.symlink_metadata().is_ok();
    let guess = nearest_command(&path.to_string_lossy()).map(|c| format!(" — did you mean `{c}`?"));
    let message = match (&cli.db, exists) {
        (Some(db), true) => format!("two databases given, --db {} and {shown} — give one", db.display()),
        (Some(_), false) => match guess {
            Some(guess) => format!("`{shown}` is not a command{guess}"),
            None => format!("`{shown}` is neither a command nor a file — `alliance --help` lists the commands"),
        },
        (None, false) => match guess {
            Some(guess) => {
                let message =
                    format!("`{shown}` is not a command or a file{guess} (`alliance init {shown}` creates a database)");
                return Err(Failure { code: exit::MISSING, message });
            }
            None => return Ok(()),
        },
        (None, true) => return Ok(()),
    };
    Err(Failure { code: exit::USAGE, message })
}

/// The subcommand nearest to a mistyped word, if one is close: at most two letters added,
/// removed or changed (`stats` → `status`, `improt` → `import`). A word with a `.` or a `/` is
/// a file name, never a command.
fn nearest_command(word: &str) -> Option<String> {
    let word = word.to_lowercase();
    if word.is_empty() || word.contains(['.', '/', std::path::MAIN_SEPARATOR]) {
        return None;
    }
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .map(|name| (edit_distance(&word, &name), name))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

/// Levenshtein distance: the fewest letters added, removed or changed to turn `a` into `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// Resolves which database file to use.
pub fn db_path(cli: &Cli, config: &Config) -> Result<PathBuf, Failure> {
    cli.db.clone().or_else(|| cli.path.clone()).or_else(|| config.db.clone()).ok_or_else(|| Failure {
        code: exit::USAGE,
        message: "no database chosen — give a path (`alliance sample.db`), use --db PATH, \
                      set ALLIANCE_DB, or set db = \"…\" in the config file"
            .into(),
    })
}

/// Opens the chosen database with the access the flags ask for.
pub fn open_store(cli: &Cli, config: &Config) -> Result<Store, Failure> {
    let path = db_path(cli, config)?;
    let access = if cli.read_only { Access::ReadOnly } else { Access::ReadWrite };
    Ok(Store::open(&path, access)?)
}

/// Chooses the theme: `--theme`, else the config file's, else `mono` under `NO_COLOR`, else
/// `default`. Returns a warning when the chosen theme could not be used.
pub fn pick_theme(cli: &Cli, config: &Config, depth: ColorDepth) -> (Theme, Option<String>) {
    let no_color = crate::terminal::no_color();
    let name = cli
        .theme
        .clone()
        .or_else(|| config.theme.clone())
        .unwrap_or_else(|| if no_color { "mono".into() } else { "default".into() });
    Theme::load(&name, depth)
}

pub(crate) fn dispatch(cli: Cli) -> Result<(), Failure> {
    let config = Config::load().map_err(|e| Failure { code: exit::GENERAL, message: e })?;
    let today = today(cli.today.as_deref())?;
    match &cli.command {
        Some(Command::Init { path, name, group }) => {
            // A shared file is born with the group's modes, not the creator's umask.
            if group.is_some() {
                crate::share::shared_umask();
            }
            let mut store = Store::create(path, name.as_deref().unwrap_or(""))?;
            store.record_creator()?;
            outln!("created {} (you, {}, are its admin)", path.display(), crate::identity::current().account);
            drop(store);
            if let Some(group) = group {
                share::run(path, Some(group), None)?;
            }
            Ok(())
        }
        Some(Command::People { what, json }) => {
            let mut store = open_store(&cli, &config)?;
            people::run(&mut store, what.as_ref(), *json)
        }
        Some(Command::Share { group, readers }) => {
            share::run(&db_path(&cli, &config)?, group.as_deref(), readers.as_deref())
        }
        Some(Command::Gate { person, key }) => gate::run(&cli, &config, person, key.as_deref()),
        Some(Command::Status { json }) => {
            let store = open_store(&cli, &config)?;
            status::run(&store, today, *json)
        }
        Some(Command::Settings { what, json }) => {
            let mut store = open_store(&cli, &config)?;
            settings::run(&mut store, what.as_ref(), *json)
        }
        Some(Command::Funding { what, json }) => {
            let mut store = open_store(&cli, &config)?;
            funding::run(&mut store, today, what.as_ref(), *json)
        }
        Some(Command::Terms { what, json }) => {
            let mut store = open_store(&cli, &config)?;
            terms::run(&mut store, today, what.as_ref(), *json)
        }
        Some(Command::Backup { dest }) => {
            let store = open_store(&cli, &config)?;
            maintenance::backup(&store, dest)
        }
        Some(Command::Restore { backup }) => maintenance::restore(&db_path(&cli, &config)?, backup),
        Some(Command::Check) => maintenance::check(&db_path(&cli, &config)?),
        // Like every other output, stops quietly on a closed pipe.
        Some(Command::Completions { shell }) => {
            let _ = std::io::stdout().lock().write_all(&argv::completions(*shell));
            Ok(())
        }
        Some(Command::Man) => {
            let page = argv::man_page().map_err(|e| Failure::from(anyhow::Error::from(e)))?;
            let _ = std::io::stdout().lock().write_all(&page);
            Ok(())
        }
        Some(Command::Away { what }) => match what {
            AwayCommand::Start { from, out } => away::start(from, out.as_deref()),
            AwayCommand::Changes { out } => away::changes(&cli, &config, out),
            AwayCommand::Send { json } => away::send(&cli, &config, today, *json),
            AwayCommand::Discard { yes } => away::discard(&cli, &config, *yes),
        },
        Some(Command::Snapshot) => away::snapshot(&cli, &config),
        Some(Command::ApplyChanges { file, json }) => away::apply(&cli, &config, today, file, *json),
        Some(Command::Conflicts { what, json }) => {
            let resolve = what.as_ref().map(ConflictsCommand::resolution);
            away::conflicts(&cli, &config, resolve, today, *json)
        }
        Some(Command::Sample { out, seed, schools, scale }) => {
            let schools = schools.map_or(scale.default_schools(), |n| n as usize);
            let opts = crate::sample::SampleOptions { seed: *seed, today, schools, scale: *scale };
            let report = crate::sample::generate(out, &opts)
                .with_context(|| format!("could not write the sample to {}", out.display()))?;
            outln!("{report}");
            Ok(())
        }
        Some(Command::Note { what }) => {
            let mut store = open_store(&cli, &config)?;
            note::run(&mut store, today, what)
        }
        Some(cmd @ Command::LogVisit { .. }) => {
            let mut store = open_store(&cli, &config)?;
            log_visit::run(&mut store, today, cmd)
        }
        Some(Command::Export { what: what @ ExportCommand::Agreement { .. } }) => {
            let store = open_store(&cli, &config)?;
            impact::export_agreement(&store, today, what)
        }
        Some(Command::Export { what }) => {
            let store = open_store(&cli, &config)?;
            board_pack::run(&store, today, what)
        }
        Some(Command::Criterion { what }) => {
            let mut store = open_store(&cli, &config)?;
            impact::criterion(&mut store, today, what)
        }
        Some(Command::Contract { what }) => {
            let mut store = open_store(&cli, &config)?;
            impact::contract(&mut store, today, what)
        }
        Some(Command::Impact { year, json }) => {
            let store = open_store(&cli, &config)?;
            impact::impact(&store, today, year.as_deref(), *json)
        }
        Some(Command::Import { what }) => import::run(&cli, &config, today, what),
        Some(Command::Decide { kind, school, contract, category, text, owner, due, meeting, done }) => {
            let mut store = open_store(&cli, &config)?;
            let args = decide::DecideArgs {
                kind,
                school: school.as_deref(),
                contract: *contract,
                category: category.as_deref(),
                text,
                owner,
                due: due.as_deref(),
                meeting: meeting.as_deref(),
                done: *done,
            };
            decide::run(&mut store, today, &args)
        }
        Some(Command::School { query, json }) => {
            let store = open_store(&cli, &config)?;
            show::school(&store, today, query, *json)
        }
        Some(Command::Leader { query, json }) => {
            let store = open_store(&cli, &config)?;
            show::leader(&store, today, query, *json)
        }
        Some(Command::Match { school, focus, days, top, json }) => {
            let store = open_store(&cli, &config)?;
            matching::run(&store, today, school, focus, days.as_deref(), *top, *json)
        }
        Some(Command::Render { screen, width, height }) => {
            let store = open_store(&cli, &config)?;
            let screen = Screen::parse(screen).ok_or_else(|| Failure::invalid(format!("no screen called {screen}")))?;
            let (theme, _) = pick_theme(&cli, &config, ColorDepth::None);
            let mut app = App::new(store, today, theme)?;
            let text = crate::tui::render_screen(&mut app, screen, *width, *height)?;
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(crate::text::lines_for_terminal(&text).as_bytes());
            Ok(())
        }
        None => {
            use std::io::IsTerminal;
            let mut store = open_store(&cli, &config)?;
            if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
                return Err(Failure::invalid(
                    "the TUI needs a terminal — for a quick look without one use `alliance status` or `alliance render dashboard`",
                ));
            }
            // A big file is checked in full on another thread while the first frame is drawn.
            store.verify_in_background();
            let (theme, warning) = pick_theme(&cli, &config, ColorDepth::detect());
            let mut app = App::new(store, today, theme)?;
            if let Some(w) = warning {
                app.message = Some((w, true));
            } else if let Some(w) = app_away_warning(&app) {
                app.message = Some((w, true));
            } else if app.read_only {
                // Say why: the file's permissions, or the person's role in `people`.
                let why = match app.store().who() {
                    Ok(crate::domain::roles::Who::Unlisted { account }) => {
                        format!("read-only: {account} is not one of this alliance's people — an admin can add you")
                    }
                    Ok(w) if w.role() == Some(crate::domain::Role::Board) => {
                        "read-only: board members can look but not change anything".to_string()
                    }
                    _ => "read-only: you can look but not change anything".to_string(),
                };
                app.message = Some((why, false));
            }
            app.reload_in_background();
            app.save_drafts_in_background();
            crate::tui::run(app)?;
            Ok(())
        }
    }
}

/// The old-copy warning for the TUI's first frame, when the file is an away copy.
fn app_away_warning(app: &App) -> Option<String> {
    let store = app.store();
    store.away_status().ok().flatten().and_then(|s| away::age_warning(store, &s))
}

#[cfg(test)]
mod tests {
    use super::{edit_distance, nearest_command};

    #[test]
    fn edit_distance_counts_letters_added_removed_or_changed() {
        assert_eq!(edit_distance("stats", "status"), 1);
        assert_eq!(edit_distance("status", "status"), 0);
        assert_eq!(edit_distance("", "init"), 4);
        assert_eq!(edit_distance("improt", "import"), 2);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn a_near_miss_names_its_command_and_a_file_name_never_does() {
        assert_eq!(nearest_command("stats").as_deref(), Some("status"));
        assert_eq!(nearest_command("STATUS").as_deref(), Some("status"));
        assert_eq!(nearest_command("chek").as_deref(), Some("check"));
        assert_eq!(nearest_command("log-vist").as_deref(), Some("log-visit"));
        assert_eq!(nearest_command("xyzzy"), None);
        assert_eq!(nearest_command("stats.db"), None);
        assert_eq!(nearest_command("dir/stats"), None);
    }
}
