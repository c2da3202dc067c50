//! What an import did, row by row, and how it is told: added, updated (with what changed),
//! unchanged, and skipped with the reason and line number.

use std::collections::BTreeMap;
use std::fmt;

/// Why a row was skipped. Problems with the row itself are listed one by one with their line
/// numbers; expected skips (closed schools, other LAs, schools not in the alliance) are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipKind {
    /// Something in the row is wrong (bad URN, date, missing name …).
    Bad,
    /// A closed establishment (GIAS, without `--include-closed`).
    Closed,
    /// An establishment type or phase the alliance does not track.
    NotTracked,
    /// An inspection dated after today.
    Future,
    /// Outside the `--la` chosen (GIAS): counted only.
    OtherLa,
    /// A URN that is not one of the alliance's schools (Ofsted): counted only.
    NotInAlliance,
}

/// One skipped row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file line the row starts on.
    pub line: u64,
    /// Which kind of skip.
    pub kind: SkipKind,
    /// The reason, in one clause ("URN `abc` is not a number").
    pub reason: String,
}

/// The outcome of one import run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// "GIAS" or "Ofsted".
    pub source: &'static str,
    /// The file's name as given.
    pub file: String,
    /// A note on the rows considered (e.g. "LA Plymouth (879)").
    pub scope: String,
    /// Data rows in the file.
    pub rows: usize,
    /// Names of records added.
    pub added: Vec<String>,
    /// Records updated: name, and each change as `field old → new`.
    pub updated: Vec<(String, Vec<String>)>,
    /// Rows that matched what is stored exactly.
    pub unchanged: usize,
    /// Rows skipped, in file order.
    pub skipped: Vec<Skipped>,
    /// Rows imported with a caveat: line and what was left out.
    pub warnings: Vec<(u64, String)>,
    /// GIAS only: graded inspections added from `OfstedRating`/`OfstedLastInsp`.
    pub inspections_added: usize,
    /// GIAS only: such inspections already on record.
    pub inspections_unchanged: usize,
    /// Notes about the file as a whole, each told once (columns not imported, codes the DfE
    /// does not document, figures kept because a later release is stored …).
    pub notes: Vec<String>,
    /// Whether this was a dry run (nothing saved).
    pub dry_run: bool,
}

impl Report {
    /// A new, empty report.
    pub fn new(source: &'static str, file: &str, dry_run: bool) -> Report {
        Report { source, file: file.to_string(), dry_run, ..Report::default() }
    }

    /// Records a skipped row.
    pub fn skip(&mut self, line: u64, kind: SkipKind, reason: impl Into<String>) {
        self.skipped.push(Skipped { line, kind, reason: reason.into() });
    }

    /// Skipped rows of one kind.
    pub fn skipped_of(&self, kind: SkipKind) -> impl Iterator<Item = &Skipped> {
        self.skipped.iter().filter(move |s| s.kind == kind)
    }
}

/// How many rows of each listed kind are shown before "… and N more".
const LIST_LIMIT: usize = 25;

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scope = if self.scope.is_empty() { String::new() } else { format!(", {}", self.scope) };
        writeln!(f, "{} import from {} ({}{scope})", self.source, self.file, plural(self.rows, "row", "rows"))?;
        write!(f, "  added      {:>5}", self.added.len())?;
        if !self.added.is_empty() {
            let names: Vec<String> = self.added.iter().take(6).map(|n| crate::text::cut(n, 160)).collect();
            let more =
                if self.added.len() > 6 { format!(" … and {} more", self.added.len() - 6) } else { String::new() };
            write!(f, "   {}{more}", names.join(", "))?;
        }
        writeln!(f)?;
        writeln!(f, "  updated    {:>5}", self.updated.len())?;
        for (name, changes) in self.updated.iter().take(LIST_LIMIT) {
            writeln!(f, "    {}: {}", crate::text::cut(name, 160), crate::text::cut(&changes.join("; "), 300))?;
        }
        if self.updated.len() > LIST_LIMIT {
            writeln!(f, "    … and {} more", self.updated.len() - LIST_LIMIT)?;
        }
        writeln!(f, "  unchanged  {:>5}", self.unchanged)?;
        writeln!(f, "  skipped    {:>5}", self.skipped.len())?;
        let mut listed: Vec<&Skipped> =
            self.skipped.iter().filter(|s| !matches!(s.kind, SkipKind::OtherLa | SkipKind::NotInAlliance)).collect();
        // Skips found while saving come after those found while reading: list in file order.
        listed.sort_by_key(|s| s.line);
        for s in listed.iter().take(LIST_LIMIT * 2) {
            writeln!(f, "    line {}: {}", s.line, crate::text::cut(&s.reason, 300))?;
        }
        if listed.len() > LIST_LIMIT * 2 {
            writeln!(f, "    … and {} more", listed.len() - LIST_LIMIT * 2)?;
        }
        let other_la = self.skipped_of(SkipKind::OtherLa).count();
        if other_la > 0 {
            writeln!(f, "    {} outside the chosen local authority", plural(other_la, "row", "rows"))?;
        }
        let elsewhere = self.skipped_of(SkipKind::NotInAlliance).count();
        if elsewhere > 0 {
            writeln!(f, "    {} for schools not in this alliance", plural(elsewhere, "row", "rows"))?;
        }
        if self.inspections_added + self.inspections_unchanged > 0 {
            writeln!(
                f,
                "  Ofsted ratings in the file: {} added as graded inspections, {} already on record",
                self.inspections_added, self.inspections_unchanged
            )?;
        }
        if !self.warnings.is_empty() {
            let mut by_line: BTreeMap<u64, Vec<&str>> = BTreeMap::new();
            for (line, w) in &self.warnings {
                by_line.entry(*line).or_default().push(w);
            }
            writeln!(f, "  notes")?;
            for (line, ws) in by_line.iter().take(LIST_LIMIT) {
                writeln!(f, "    line {line}: {}", crate::text::cut(&ws.join("; "), 300))?;
            }
            if by_line.len() > LIST_LIMIT {
                writeln!(f, "    … and {} more lines", by_line.len() - LIST_LIMIT)?;
            }
        }
        for n in &self.notes {
            writeln!(f, "  {n}")?;
        }
        let changes = self.added.len() + self.updated.len() + self.inspections_added;
        match (self.dry_run, changes) {
            (true, _) => write!(f, "Dry run: nothing was saved."),
            (false, 0) => write!(f, "Nothing needed changing."),
            (false, _) => write!(f, "Saved."),
        }
    }
}
