//! Screen 7, Impact: the figures of `alliance impact` for this academic year and the last (a
//! November board looks back at the year just closed), from the same
//! [`crate::metrics::impact::impact`] — headline lines above a table of outcomes and cost by
//! system leader, focus and funding stream (Enter on a leader opens them).

use super::table::{Column, TCell, TRow, TableModel, Target};
use super::theme::Role;
use crate::domain::AcademicYear;
use crate::domain::money::{fmt_days, fmt_pence};
use crate::metrics::impact::{Group, Impact};
use crate::store::{Store, StoreError};
use ratatui::layout::Constraint;

/// The Impact screen's data: each year's headline lines, and the table.
#[derive(Debug, Clone, Default)]
pub struct ImpactView {
    /// Headline lines, this year's first.
    pub lines: Vec<String>,
    /// Outcomes and cost by leader, focus and stream, for both years.
    pub table: TableModel,
}

/// The academic year before `year`.
fn previous(year: AcademicYear, start_month: u32) -> AcademicYear {
    AcademicYear::containing(year.start - chrono::Duration::days(1), start_month)
}

fn headline(label: &str, i: &Impact) -> Vec<String> {
    let c = &i.contracts;
    if c.closed == 0 {
        return vec![format!("{label}: no contract has closed yet")];
    }
    let k = &i.criteria;
    let s = &i.schools;
    let per = |v: Option<i64>| v.map_or("—".to_string(), fmt_pence);
    vec![
        format!(
            "{label}: {} contracts closed — {} met, {} partly met, {} not met ({} ended early)",
            c.closed, c.met, c.partly_met, c.not_met, c.terminated
        ),
        format!("   criteria: {} met, {} partly met, {} not met, {} left open", k.met, k.partly_met, k.not_met, k.open),
        format!(
            "   cost {}, {} days · {} a school · {} a criterion met",
            fmt_pence(i.cost.total_pence),
            fmt_days(i.cost.delivered_days),
            per(i.cost.per_school_pence),
            per(i.cost.per_criterion_met_pence),
        ),
        format!(
            "   {} schools: category better {}, same {}, worse {} · {} inspected since",
            s.supported, s.category_improved, s.category_same, s.category_worse, s.inspected_since
        ),
    ]
}

const fn col(title: &'static str, width: Constraint, min: u16, drop: u8) -> Column {
    Column { title, width, min, drop }
}

fn count(n: i64) -> TCell {
    TCell::num(n.to_string(), Role::Text, n as f64)
}

fn rows(out: &mut Vec<TRow>, label: &str, kind: &'static str, groups: &[Group]) {
    for g in groups {
        out.push(TRow {
            target: g.leader_id.map_or(Target::None, Target::Leader),
            cells: vec![
                TCell::text(label, Role::Muted),
                TCell::text(kind, Role::Accent),
                TCell::text(&g.name, Role::Text),
                count(g.contracts),
                count(g.met),
                count(g.partly_met),
                count(g.not_met),
                count(g.terminated),
                count(g.criteria_met),
                TCell::num(fmt_pence(g.cost_pence), Role::Text, g.cost_pence as f64),
            ],
            search: &[0, 1, 2],
        });
    }
}

impl ImpactView {
    /// Reads this year's and last year's impact.
    pub fn load(store: &Store, year: AcademicYear) -> Result<ImpactView, StoreError> {
        const COLUMNS: &[Column] = &[
            col("Year", Constraint::Length(7), 7, 2),
            col("By", Constraint::Length(6), 6, 1),
            col("Name", Constraint::Fill(3), 14, 0),
            col("Closed", Constraint::Length(6), 4, 0),
            col("Met", Constraint::Length(4), 3, 0),
            col("Partly", Constraint::Length(6), 4, 0),
            col("Not met", Constraint::Length(7), 4, 0),
            col("Early", Constraint::Length(5), 4, 3),
            col("Criteria met", Constraint::Length(12), 4, 2),
            col("Cost", Constraint::Length(10), 8, 0),
        ];
        let start_month = store.settings()?.year_start_month;
        let mut lines = Vec::new();
        let mut out = Vec::new();
        for y in [year, previous(year, start_month)] {
            let i = crate::metrics::impact::impact(&store.impact_inputs(y)?);
            let label = y.label();
            lines.extend(headline(&label, &i));
            rows(&mut out, &label, "leader", &i.by_leader);
            rows(&mut out, &label, "focus", &i.by_focus);
            rows(&mut out, &label, "stream", &i.by_stream);
        }
        Ok(ImpactView { lines, table: TableModel::new(COLUMNS.to_vec(), out) })
    }
}

/// What the palette's impact actions do to the selected contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImpactAction {
    /// Open its close-out form.
    Close,
    /// Open the sign-off form.
    Sign,
    /// Write its agreement (HTML) to the current folder.
    Agreement,
}

/// The palette's impact actions, each on the selected contract (a row of Contracts or the
/// dashboard, or the contract whose detail is open).
pub fn palette_entries(add: &mut dyn FnMut(String, super::app::Command)) {
    use super::app::Command;
    add(
        "Close the selected contract: close-out (outcome, criteria, feedback)".into(),
        Command::Impact(ImpactAction::Close),
    );
    add(
        "Sign-off: record a signature on the selected contract's agreement".into(),
        Command::Impact(ImpactAction::Sign),
    );
    add(
        "Export the selected contract's agreement (HTML, to print and sign)".into(),
        Command::Impact(ImpactAction::Agreement),
    );
}

/// Writes contract `id`'s agreement as printable HTML to a new file in the current folder;
/// returns the message to show (and whether it is an error).
pub fn export_agreement(store: &Store, id: i64, today: chrono::NaiveDate) -> (String, bool) {
    let doc = match crate::export::agreement::AgreementDoc::build(store, id, today) {
        Ok(d) => d,
        Err(e) => return (format!("could not build the agreement: {e}"), true),
    };
    let html = crate::export::agreement::html(&doc);
    let base = format!("agreement-{id}-v{}", doc.version());
    let mut path = std::path::PathBuf::from(format!("{base}.html"));
    let mut n = 2;
    while path.exists() {
        path = std::path::PathBuf::from(format!("{base}-{n}.html"));
        n += 1;
    }
    match crate::export::save(&path, html.as_bytes(), false) {
        Ok(()) => (format!("agreement written to {}", path.display()), false),
        Err(e) => (e.to_string(), true),
    }
}
