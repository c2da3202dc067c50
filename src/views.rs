//! One school's or one leader's picture, built once and shown everywhere: `alliance school`,
//! `alliance leader` (text and `--json`) and the TUI's detail views all draw from these view
//! models, so the command line and the screen print the same facts.
//!
//! A view is plain data (serialised as the commands' JSON) plus [`Section`]s: titled lines of
//! text with a [`Tone`] that each front end styles its own way. Adding a part to a school's
//! picture (published measures, impact criteria) is one field filled in `load` and one
//! [`Section`] pushed in `sections`.

mod agenda;
mod leader;
mod school;

pub use agenda::agenda;
pub use leader::{CapacityView, LeaderView};
pub use school::{ContractView, EventView, InspectionView, LinkView, SchoolView};

use crate::metrics::{Severity, Status};

/// How a line should look; the front end chooses the colours (status is never colour alone:
/// the words are in the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Ordinary text.
    Text,
    /// Secondary detail.
    Muted,
    /// A school status word.
    Status(Status),
    /// An alert's severity.
    Severity(Severity),
    /// Something wrong that needs acting on.
    Danger,
}

/// One line of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The text (names and notes as stored; front ends make them terminal-safe).
    pub text: String,
    /// How it should look.
    pub tone: Tone,
}

impl Line {
    fn new(text: impl Into<String>, tone: Tone) -> Line {
        Line { text: text.into(), tone }
    }
}

/// A titled group of lines ("Inspections", "Live contracts" …). An empty section shows "—".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading; empty for the lines that open the view (status, category …).
    pub title: String,
    /// Its lines.
    pub lines: Vec<Line>,
}

impl Section {
    fn new(title: &str) -> Section {
        Section { title: title.to_string(), lines: Vec::new() }
    }
    fn push(&mut self, text: impl Into<String>, tone: Tone) {
        self.lines.push(Line::new(text, tone));
    }
    /// A `label  value` line, the label padded so values line up.
    fn field(&mut self, label: &str, value: impl Into<String>, tone: Tone) {
        self.lines.push(Line::new(format!("{label:<18}{}", value.into()), tone));
    }
}

/// The plain-text rendering the CLI prints: the title, then each section (heading, lines
/// indented two spaces, "—" for an empty one).
pub fn plain_text(title: &str, sections: &[Section]) -> String {
    let mut out = format!("{title}\n");
    for s in sections {
        if !s.title.is_empty() {
            out.push('\n');
            out.push_str(&s.title);
            out.push('\n');
        }
        if s.lines.is_empty() && !s.title.is_empty() {
            out.push_str("  —\n");
        }
        for l in &s.lines {
            let indent = if s.title.is_empty() { "" } else { "  " };
            out.push_str(indent);
            out.push_str(&l.text);
            out.push('\n');
        }
    }
    out
}
