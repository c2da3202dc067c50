//! Command-line arguments (◆ scripts rely on these forms).

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// alliance — school-to-school support, from the keyboard.
#[derive(Debug, Parser)]
#[command(name = "alliance", version, about)]
pub struct Cli {
    /// Open the TUI on this database file.
    #[arg(value_name = "DB")]
    pub path: Option<PathBuf>,

    /// The database file (else $ALLIANCE_DB, else `db` in the config file).
    #[arg(long, global = true, env = "ALLIANCE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Evaluate every rule as if today were this date (YYYY-MM-DD, 23/11/2026, -3 …).
    #[arg(long, global = true, env = "ALLIANCE_TODAY", value_name = "DATE", allow_hyphen_values = true)]
    pub today: Option<String>,

    /// Open read-only: look, never change.
    #[arg(long, global = true)]
    pub read_only: bool,

    /// Theme: default, light, high-contrast, mono, a user theme name, or a .toml path.
    #[arg(long, global = true, env = "ALLIANCE_THEME", value_name = "NAME")]
    pub theme: Option<String>,

    /// The command (none: open the TUI).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The non-interactive commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new, empty alliance database (the only command that creates a file).
    Init {
        /// Where to create it (must not exist).
        path: PathBuf,
        /// The alliance's name, shown in titles and reports.
        #[arg(long)]
        name: Option<String>,
        /// Share it at once with this Unix group (deployment A: see `alliance share`).
        #[arg(long, value_name = "GROUP")]
        group: Option<String>,
    },
    /// The between-meetings check: headline counts, leader capacity and alerts.
    Status {
        /// Machine-readable JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print a screen as plain text, exactly as the TUI draws it.
    Render {
        /// dashboard, contracts, leaders, schools, visits, board or impact.
        #[arg(value_parser = ["dashboard", "contracts", "leaders", "schools", "visits", "board", "impact"])]
        screen: String,
        /// Width in columns.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(20..=1000))]
        width: u16,
        /// Height in rows.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u16).range(5..=1000))]
        height: u16,
    },
    /// Log a visit without the TUI (same validation as the form); prints the new visit's id.
    #[command(group(clap::ArgGroup::new("which").required(true).args(["contract", "school"])))]
    LogVisit {
        /// The contract's id.
        #[arg(long)]
        contract: Option<i64>,
        /// The supported school, by name (or part of it) or URN; its live contract is used.
        #[arg(long, value_name = "NAME-OR-URN")]
        school: Option<String>,
        /// Who visited (name or part of it); defaults to the contract's leader.
        #[arg(long)]
        leader: Option<String>,
        /// The day of the visit (23/11/2026, 2026-11-23, today, -2 …).
        #[arg(long, default_value = "today", allow_hyphen_values = true)]
        date: String,
        /// Days: whole or half (1, 0.5, 1.5), at most 5.
        #[arg(long, allow_hyphen_values = true)]
        days: String,
        /// diagnostic, coaching, observation, work scrutiny, training, data analysis,
        /// action planning, meeting or governance review.
        #[arg(long)]
        activity: String,
        /// Note of visit.
        #[arg(long, default_value = "")]
        notes: String,
        /// Agreed next steps.
        #[arg(long, default_value = "")]
        next_steps: String,
        /// Print the result as JSON (`{"id": …, "warnings": […]}`).
        #[arg(long)]
        json: bool,
    },
    /// Export the monthly board pack (Markdown, HTML or CSV).
    Export {
        /// What to export.
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Import DfE data: GIAS establishments, or Ofsted inspection outcomes.
    Import {
        /// What to import.
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Record a board decision (commission, extend, vary, end, escalate, monitor, recategorise,
    /// approve_funding). `recategorise` changes the school's category at once, with the text as
    /// its reason and --due as its review date.
    Decide {
        /// The kind of decision.
        #[arg(long)]
        kind: String,
        /// The school concerned, by name (or part of it) or URN.
        #[arg(long, value_name = "NAME-OR-URN")]
        school: Option<String>,
        /// The contract concerned, by id.
        #[arg(long)]
        contract: Option<i64>,
        /// The school's new category, A–D (recategorise only).
        #[arg(long)]
        category: Option<String>,
        /// The decision as minuted (for recategorise, the reason).
        #[arg(long)]
        text: String,
        /// Who carries it out.
        #[arg(long, default_value = "")]
        owner: String,
        /// When it is due (for recategorise, when the category is reviewed).
        #[arg(long, allow_negative_numbers = true)]
        due: Option<String>,
        /// The board meeting's date (default: the latest meeting on or before today).
        #[arg(long, allow_negative_numbers = true)]
        meeting: Option<String>,
        /// Record it as already done.
        #[arg(long)]
        done: bool,
    },
    /// One school's picture: status with its reasons, category, inspections, live contracts,
    /// alerts and events (the TUI's school detail, as text or JSON).
    School {
        /// The school, by name (or a unique part of it) or URN.
        #[arg(value_name = "NAME-OR-URN")]
        query: String,
        /// Print only JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// One system leader's picture: designation, specialisms, home school, capacity figures
    /// and contracts (the TUI's leader detail, as text or JSON).
    Leader {
        /// The leader, by name or a unique part of it.
        #[arg(value_name = "NAME")]
        query: String,
        /// Print only JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Rank the system leaders best placed to support a school on a focus.
    Match {
        /// The supported school, by name (or part of it) or URN.
        #[arg(long, value_name = "NAME-OR-URN")]
        school: String,
        /// What the support is about ("KS1 writing", "Leadership" …).
        #[arg(long)]
        focus: String,
        /// Days the support needs: whole or half, 0.5 to 220.
        #[arg(long, allow_hyphen_values = true)]
        days: Option<String>,
        /// How many to show (excluded leaders are always listed after them).
        #[arg(long, default_value_t = 10, allow_hyphen_values = true)]
        top: usize,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write a realistic, deterministic sample alliance to a new file.
    Sample {
        /// The file to create (must not exist).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Random seed: the same seed and date give the same data.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// How many schools (default: 96 for a city, 22,000 for national).
        #[arg(long, value_parser = clap::value_parser!(u32).range(10..=30000))]
        schools: Option<u32>,
        /// city (one authority, every record audited) or national (all of England: 22,000
        /// schools, 500,000 visits, bulk loaded with a progress bar).
        #[arg(long, value_enum, default_value_t = crate::sample::Scale::City)]
        scale: crate::sample::Scale,
    },
    /// Show the settings (day rates, brokerage, review interval …), or change them.
    Settings {
        /// What to do (none: list them).
        #[command(subcommand)]
        what: Option<SettingsCommand>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Funding streams with what is committed, delivered and left; add, edit or remove one.
    Funding {
        /// What to do (none: list the streams).
        #[command(subcommand)]
        what: Option<FundingCommand>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Dated soft intelligence about a school: add an entry, list them, or redact one.
    Note {
        /// What to do.
        #[command(subcommand)]
        what: NoteCommand,
    },
    /// Term dates: the terms and closures that make school days (alerts count school days).
    Terms {
        /// What to do (none: list them).
        #[command(subcommand)]
        what: Option<TermsCommand>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Copy the database to a new file, consistently, while others go on writing.
    Backup {
        /// The copy to create (never replaced if it exists; made readable by you only).
        dest: PathBuf,
    },
    /// Print shell completions: `alliance completions bash > /etc/bash_completion.d/alliance`.
    Completions {
        /// bash, zsh or fish (also elvish, powershell).
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `alliance man | man -l -`.
    Man,
    /// Work away from the server: take an away copy, write or send its changes, discard it.
    Away {
        /// What to do.
        #[command(subcommand)]
        what: AwayCommand,
    },
    /// On the server: take an away copy for you and write it to standard output (what
    /// `away start --from HOST:` runs over SSH).
    Snapshot,
    /// On the server: apply an away copy's changes (`alliance away changes` wrote them), all
    /// or none, each once; conflicts are listed (exit 9).
    ApplyChanges {
        /// The changes file, or `-` for standard input.
        #[arg(value_name = "FILE|-")]
        file: String,
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
    /// On the server: the conflicts away changes left, for a coordinator to decide.
    Conflicts {
        /// What to do (none: list the open conflicts).
        #[command(subcommand)]
        what: Option<ConflictsCommand>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Put a backup back into the database file (--db), while others may have it open: the
    /// backup is checked first, and what it replaces is kept as FILE.before-restore-DATE-TIME.
    Restore {
        /// The backup to restore (a file made by `alliance backup`, or any alliance database).
        backup: PathBuf,
    },
    /// A contract's success criteria: list, add, edit, or rate them at a review.
    Criterion {
        /// What to do.
        #[command(subcommand)]
        what: crate::cli::impact::CriterionCommand,
    },
    /// Close a contract with its close-out, sign its agreement, or see its agreement's history.
    Contract {
        /// What to do.
        #[command(subcommand)]
        what: crate::cli::impact::ContractCommand,
    },
    /// Programme impact for an academic year: contracts closed and their outcomes, criteria
    /// met, schools before support and now, cost, by leader, focus and funding stream.
    Impact {
        /// The academic year (2025/26); default: the year containing --today.
        #[arg(long, value_name = "YYYY/YY")]
        year: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check the file: integrity, foreign keys, schema version, journal mode, permissions,
    /// and this terminal's colour support. Exits 5 if the file is damaged.
    Check,
    /// Who may use this file and what they may do; add, change or remove a person (admins).
    People {
        /// What to do (none: list them).
        #[command(subcommand)]
        what: Option<PeopleCommand>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Deployment A: share the file with a Unix group (group-writable file, setgid directory,
    /// -wal/-shm kept in place) and give read-only readers access through POSIX ACLs.
    Share {
        /// The group of coordinators (default: the file's group).
        #[arg(long, value_name = "GROUP")]
        group: Option<String>,
        /// A group that may read but not write (board members), by POSIX ACL.
        #[arg(long, value_name = "GROUP")]
        readers: Option<String>,
    },
    /// Deployment B: the forced command of a person's SSH key on the service account. Opens the
    /// TUI as NAME, or runs the one `alliance` command in $SSH_ORIGINAL_COMMAND as NAME.
    Gate {
        /// The person (an account in `people`).
        #[arg(long = "as", value_name = "NAME")]
        person: String,
        /// The key they came in with (its comment or fingerprint), for the audit trail.
        #[arg(long, value_name = "LABEL")]
        key: Option<String>,
    },
}

/// `alliance people …`.
#[derive(Debug, Subcommand)]
pub enum PeopleCommand {
    /// Add a person: a Unix account (deployment A) or a gate name (deployment B).
    Add {
        /// Their account.
        account: String,
        /// admin, coordinator, leader or board.
        #[arg(long)]
        role: String,
        /// Their name as shown ("Ann Patel").
        #[arg(long)]
        name: Option<String>,
        /// For a leader: which system leader they are (name or part of it, or id).
        #[arg(long)]
        leader: Option<String>,
    },
    /// Change a person's role, name or leader, or (de)activate them.
    Edit {
        /// Their account.
        account: String,
        /// A new role.
        #[arg(long)]
        role: Option<String>,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new system leader (leaders), by name or id.
        #[arg(long)]
        leader: Option<String>,
        /// Make them inactive (read-only) without removing them.
        #[arg(long, conflicts_with = "active")]
        inactive: bool,
        /// Make them active again.
        #[arg(long)]
        active: bool,
    },
    /// Remove a person (the audit trail keeps them). The last admin stays.
    Remove {
        /// Their account.
        account: String,
    },
}

/// `alliance away …`.
#[derive(Debug, Subcommand)]
pub enum AwayCommand {
    /// Take an away copy of a server file (a consistent snapshot, with ids reserved for the
    /// records you create away) to work on without a connection.
    Start {
        /// The server: a local or mounted file, or `HOST:PATH` / `HOST:` (scp's rule: a colon
        /// before any slash), reached with `ssh HOST alliance snapshot` ($ALLIANCE_SSH: another
        /// ssh program).
        #[arg(long, value_name = "FILE|HOST:PATH")]
        from: String,
        /// Where to keep the copy (default: ~/.local/share/alliance/away-NAME.db).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Write the away copy's changes since its snapshot as a JSON document, for
    /// `alliance apply-changes` on the server (USB stick, email).
    Changes {
        /// The file to create, or `-` for standard output.
        #[arg(long, value_name = "FILE|-")]
        out: PathBuf,
    },
    /// Send the away copy's changes to its server, list any conflicts (exit 9), and refresh
    /// the copy.
    Send {
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove the away copy and its unsent changes (asks first).
    Discard {
        /// Do not ask (needed when there is no terminal).
        #[arg(long)]
        yes: bool,
    },
}

/// `alliance conflicts …`.
#[derive(Debug, Subcommand)]
pub enum ConflictsCommand {
    /// Resolve a conflict: keep the server's value, take the away one, set a new one, or
    /// dismiss a held-back change with a reason (none of these: mark it decided as it stands).
    Resolve {
        /// The conflict's number, as `alliance conflicts` lists it.
        id: i64,
        /// A field both sides changed keeps the value here (the server's).
        #[arg(long, group = "how")]
        keep: bool,
        /// A field both sides changed takes the away copy's value (saved through the record's
        /// own validated write; refused if the field changed here since it was listed).
        #[arg(long, group = "how")]
        take: bool,
        /// A field both sides changed takes this value (dates as people type them).
        #[arg(long, group = "how", value_name = "VALUE")]
        value: Option<String>,
        /// A change held back whole is closed, with this reason.
        #[arg(long, group = "how", value_name = "REASON")]
        dismiss: Option<String>,
    },
}

impl ConflictsCommand {
    /// The conflict and how to resolve it.
    pub fn resolution(&self) -> (i64, crate::store::Resolution) {
        use crate::store::Resolution;
        let ConflictsCommand::Resolve { id, keep, take, value, dismiss } = self;
        let how = match (keep, take, value, dismiss) {
            (true, _, _, _) => Resolution::KeepServer,
            (_, true, _, _) => Resolution::TakeAway,
            (_, _, Some(v), _) => Resolution::Value(v.clone()),
            (_, _, _, Some(r)) => Resolution::Dismiss(r.clone()),
            _ => Resolution::Marked,
        };
        (*id, how)
    }
}

/// `alliance settings …`.
#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Change settings: `set rate-nle=575 brokerage=12.5%`, or `set KEY VALUE`.
    Set {
        /// `KEY=VALUE` pairs (all saved together, or none), or one `KEY VALUE`.
        #[arg(required = true, num_args = 1.., value_name = "KEY=VALUE")]
        pairs: Vec<String>,
    },
}

/// `alliance note …`.
#[derive(Debug, Subcommand)]
pub enum NoteCommand {
    /// Record what was heard about a school, dated; prints the new entry's id.
    Add {
        /// The school, by name (or part of it) or URN.
        #[arg(long, value_name = "NAME-OR-URN")]
        school: String,
        /// What was heard.
        #[arg(long)]
        text: String,
        /// Where it came from ("LA adviser", "head's call" …).
        #[arg(long, default_value = "")]
        source: String,
        /// Sensitive: left out of board packs and exports unless --include-sensitive.
        #[arg(long)]
        sensitive: bool,
        /// When to review (or remove) it: 2027-03-01, 01/03/2027, +90 …
        #[arg(long, value_name = "DATE", allow_negative_numbers = true)]
        review_on: Option<String>,
        /// When it was heard (default today).
        #[arg(long, default_value = "today", allow_negative_numbers = true)]
        date: String,
    },
    /// A school's entries, newest first, with those past their review date flagged.
    List {
        /// The school, by name (or part of it) or URN.
        #[arg(long, value_name = "NAME-OR-URN")]
        school: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Redact an entry: its text is removed here and from the audit trail; the fact it existed stays.
    Redact {
        /// The entry's id (from `note list`).
        id: i64,
    },
}

/// `alliance funding …`.
#[derive(Debug, Subcommand)]
pub enum FundingCommand {
    /// Add a funding stream.
    Add {
        /// Its name, e.g. "Schools Forum grant 2026/27".
        name: String,
        /// The amount available, e.g. 600000 or £600,000.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// Notes (conditions, contact).
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// Change a funding stream's name, amount or notes.
    Edit {
        /// The stream, by name (or part of it) or id.
        #[arg(value_name = "NAME-OR-ID")]
        stream: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new amount.
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        /// New notes.
        #[arg(long)]
        notes: Option<String>,
    },
    /// Remove a funding stream (refused while contracts are allocated to it).
    Remove {
        /// The stream, by name (or part of it) or id.
        #[arg(value_name = "NAME-OR-ID")]
        stream: String,
        /// Remove it even so, leaving its contracts unallocated.
        #[arg(long)]
        unallocate: bool,
    },
}

/// `alliance terms …`.
#[derive(Debug, Subcommand)]
pub enum TermsCommand {
    /// Record a term (or, with --closure, a half term, training day or bank holiday inside one).
    Add {
        /// First day (2026-09-03, 03/09/2026 …).
        start: String,
        /// Last day, inclusive.
        end: String,
        /// As the LA publishes it, e.g. "Autumn term 2026".
        #[arg(long, default_value = "")]
        label: String,
        /// Days inside a term when schools are shut, rather than a term.
        #[arg(long)]
        closure: bool,
    },
    /// Remove a term or closure, by its id (from `alliance terms`).
    Remove {
        /// The id.
        id: i64,
    },
}

/// `alliance export …`.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The monthly board pack: agenda, school status, live contracts, leader capacity, budget,
    /// decisions due. Figures are as of --today.
    BoardPack {
        /// The board's month (YYYY-MM): its meeting's decisions are included. Default: this month.
        #[arg(long, value_name = "YYYY-MM", value_parser = crate::export::Month::parse)]
        month: Option<crate::export::Month>,
        /// md, html or csv (default: from the --out file's extension).
        #[arg(long, value_parser = ["md", "markdown", "html", "htm", "csv"])]
        format: Option<String>,
        /// The file to write (`-` for standard output).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace --out if it already exists.
        #[arg(long)]
        force: bool,
        /// Include sensitive soft intelligence (the pack is then marked OFFICIAL-SENSITIVE).
        #[arg(long)]
        include_sensitive: bool,
    },
    /// The support agreement of a contract, for its parties to print and sign.
    Agreement {
        /// The contract's id.
        #[arg(long)]
        contract: i64,
        /// html or md (default: from the --out file's extension).
        #[arg(long, value_parser = ["md", "markdown", "html", "htm"])]
        format: Option<String>,
        /// The file to write (`-` for standard output).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace --out if it already exists.
        #[arg(long)]
        force: bool,
    },
}

/// `alliance import …`.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// The DfE "Get Information about Schools" establishment CSV (edubasealldata*.csv): adds
    /// schools by URN and refreshes their GIAS fields; category, notes and membership are kept.
    Gias {
        /// The downloaded CSV.
        file: PathBuf,
        /// Only this local authority, by code (879) or name (Plymouth).
        #[arg(long, value_name = "CODE-OR-NAME")]
        la: Option<String>,
        /// Report what would change, save nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import closed establishments too.
        #[arg(long)]
        include_closed: bool,
    },
    /// GIAS's links file (links_edubasealldata*.csv): a school that converted (closed and
    /// reopened under a new URN) hands its live contracts, category, notes and history to its
    /// successor, and stays in the record, closed, as "became URN …".
    GiasLinks {
        /// The downloaded CSV.
        file: PathBuf,
        /// Report what would change, save nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// An LA's term dates: CSV (`starts_on,ends_on,label`) or iCalendar (.ics). Labels naming a
    /// half term, holiday, INSET or training day become closures; re-importing adds nothing.
    Terms {
        /// The CSV or .ics file.
        file: PathBuf,
        /// Report what would be added, save nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Ofsted's "state-funded schools inspections and outcomes" CSV: inspections of the
    /// alliance's schools (graded, ungraded and report card), idempotently.
    Ofsted {
        /// The downloaded CSV.
        file: PathBuf,
        /// Report what would change, save nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The DfE "Compare school and college performance" downloads (england_ks2final.csv,
    /// …revised, …provisional, england_ks4…, england_abs.csv, england_census.csv, or the zip):
    /// figures of the alliance's schools, their LAs and England, all files in one go.
    Performance {
        /// The downloaded CSVs or zips.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The academic year (2024/25) when the folder or file name does not say it.
        #[arg(long, value_name = "YEAR")]
        year: Option<String>,
        /// Report what would change, save nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Local figures (LA provisional results, attendance from the LA's systems): a CSV with
    /// columns urn, measure, year, value and optional release, note.
    Measures {
        /// The CSV.
        file: PathBuf,
        /// Report what would change, save nothing.
        #[arg(long)]
        dry_run: bool,
    },
}
