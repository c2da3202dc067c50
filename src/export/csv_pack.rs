//! The board pack as one CSV file (layout documented on [`super::render`]): each section a title
//! row, a header row, data rows and an empty row. Text cells go through [`super::neutralise`];
//! figures the pack computes itself (days, pounds, counts) stay plain numbers so they sum.

use super::pack::BoardPack;
use super::{csv_writer, neutralise};
use crate::domain::money::fmt_days;
use crate::store::DecisionRow;
use chrono::NaiveDate;

/// A text cell, neutralised.
fn t(s: &str) -> String {
    neutralise(s.trim()).into_owned()
}

/// Pence as pounds with two decimals, no symbol or separators (`-1234.50`): a number to a
/// spreadsheet.
fn pounds(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let abs = pence.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn yes(b: bool) -> String {
    if b { "yes".to_string() } else { "no".to_string() }
}

struct Sections {
    sections: Vec<Vec<Vec<String>>>,
}

impl Sections {
    fn section(&mut self, title: &str, headers: &[&str], rows: Vec<Vec<String>>) {
        let mut all = vec![vec![title.to_string()], headers.iter().map(|h| h.to_string()).collect()];
        all.extend(rows);
        self.sections.push(all);
    }
}

/// Renders the pack.
pub(super) fn render(p: &BoardPack) -> Vec<u8> {
    let mut s = Sections { sections: Vec::new() };
    s.section(
        "Board pack",
        &["Field", "Value"],
        vec![
            vec!["Alliance".into(), t(&p.alliance)],
            vec!["Month".into(), p.month.to_string()],
            vec!["Month name".into(), p.month.label()],
            vec!["As of".into(), p.today.to_string()],
            vec!["Academic year".into(), p.year.label()],
            vec!["Board meeting".into(), opt_date(p.meeting().map(|m| m.held_on))],
        ],
    );
    s.section(
        "Agenda",
        &["Kind", "Heading", "Severity", "Subject", "Detail", "School id", "Contract id", "Leader id", "Decision id"],
        p.agenda
            .iter()
            .map(|a| {
                let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
                vec![
                    a.kind.as_str().into(),
                    a.kind.heading().into(),
                    a.severity.label().into(),
                    t(&a.subject),
                    t(&a.detail),
                    id(a.school_id),
                    id(a.contract_id),
                    id(a.leader_id),
                    id(a.decision_id),
                ]
            })
            .collect(),
    );
    s.section(
        "School status",
        &["Status", "School", "URN", "Phase", "Category", "Latest inspection", "Inspected on", "Live contracts", "Why"],
        p.schools
            .iter()
            .map(|st| {
                let f = &st.school;
                let i = f.latest_inspection.as_ref();
                vec![
                    st.status.label().into(),
                    t(&f.name),
                    f.urn.map(|u| u.to_string()).unwrap_or_default(),
                    f.phase.to_string(),
                    f.category.to_string(),
                    t(&i.map(|i| i.outcome_view().summary()).unwrap_or_default()),
                    opt_date(i.map(|i| i.inspected_on)),
                    st.live_contracts.to_string(),
                    t(&st.reasons.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join("; ")),
                ]
            })
            .collect(),
    );
    s.section(
        "Live contracts",
        &[
            "Contract id",
            "School",
            "Focus",
            "Leader",
            "Designation",
            "Status",
            "Start",
            "End",
            "Days commissioned",
            "Days delivered",
            "Days remaining",
            "Latest review",
            "Next review",
            "Day rate (£)",
            "Price (£)",
            "Delivered (£)",
            "Funding",
            "Flags",
        ],
        p.contracts
            .iter()
            .map(|lc| {
                let pr = &lc.progress;
                let c = &pr.contract;
                vec![
                    c.id.to_string(),
                    t(&c.school_name),
                    t(&c.focus),
                    t(&c.leader_name),
                    c.designation.to_string(),
                    c.status.to_string(),
                    c.start_on.to_string(),
                    c.end_on.to_string(),
                    fmt_days(c.days_commissioned),
                    fmt_days(c.delivered),
                    fmt_days(pr.remaining),
                    pr.latest_rag.map(|r| r.to_string()).unwrap_or_default(),
                    opt_date(pr.next_review_on),
                    pounds(lc.day_rate_pence),
                    pounds(lc.price_pence),
                    pounds(lc.delivered_pence),
                    t(&lc.funding),
                    pr.flags.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(" "),
                ]
            })
            .collect(),
    );
    s.section(
        "Leader capacity",
        &[
            "Leader",
            "Designation",
            "Capacity",
            "Delivered",
            "Committed",
            "Available",
            "Utilisation (%)",
            "Proposed",
            "Live contracts",
            "Over capacity",
        ],
        p.leaders
            .iter()
            .map(|l| {
                vec![
                    t(&l.leader.name),
                    l.leader.designation.to_string(),
                    fmt_days(l.capacity),
                    fmt_days(l.delivered),
                    fmt_days(l.committed),
                    fmt_days(l.available),
                    l.utilisation.map(|u| format!("{:.0}", u * 100.0)).unwrap_or_default(),
                    fmt_days(l.pipeline),
                    l.live_contracts.to_string(),
                    yes(l.over_capacity()),
                ]
            })
            .collect(),
    );
    let budget_row = |l: &crate::metrics::budget::BudgetLine, kind: &str| {
        vec![
            t(&l.name),
            kind.to_string(),
            l.allocated_pence.map(pounds).unwrap_or_default(),
            pounds(l.committed_pence),
            pounds(l.delivered_pence),
            pounds(l.remaining_pence()),
            l.headroom_pence().map(pounds).unwrap_or_default(),
            pounds(l.proposed_pence),
            l.contracts.to_string(),
            yes(l.over_committed()),
        ]
    };
    let mut budget: Vec<Vec<String>> = p.budget.streams.iter().map(|l| budget_row(l, "stream")).collect();
    budget.extend(p.budget.other.iter().map(|l| budget_row(l, "funding text")));
    let mut total = budget_row(&p.budget.total, "total");
    total[6] = String::new();
    total[9] = String::new();
    budget.push(total);
    s.section(
        "Budget",
        &[
            "Funding",
            "Kind",
            "Amount (£)",
            "Committed (£)",
            "Delivered (£)",
            "Remaining (£)",
            "Headroom (£)",
            "Proposed (£)",
            "Contracts",
            "Over-committed",
        ],
        budget,
    );
    let names =
        |d: &DecisionRow| (t(d.school_name.as_deref().unwrap_or("")), t(d.contract_focus.as_deref().unwrap_or("")));
    s.section(
        "Decisions taken",
        &["Meeting", "Kind", "School", "Contract", "Decision", "Owner", "Due", "Done"],
        p.decisions_taken
            .iter()
            .map(|d| {
                let (school, contract) = names(d);
                vec![
                    d.held_on.to_string(),
                    d.decision.kind.to_string(),
                    school,
                    contract,
                    t(&d.decision.text),
                    t(&d.decision.owner),
                    opt_date(d.decision.due_on),
                    yes(d.decision.done),
                ]
            })
            .collect(),
    );
    s.section(
        "Open decisions",
        &["Due", "Overdue", "Kind", "School", "Contract", "Decision", "Owner", "Decided"],
        p.decisions_due
            .iter()
            .map(|d| {
                let (school, contract) = names(&d.row);
                vec![
                    opt_date(d.row.decision.due_on),
                    yes(d.overdue),
                    d.row.decision.kind.to_string(),
                    school,
                    contract,
                    t(&d.row.decision.text),
                    t(&d.row.decision.owner),
                    d.row.held_on.to_string(),
                ]
            })
            .collect(),
    );

    let mut buf: Vec<u8> = "\u{feff}".as_bytes().to_vec();
    if let Some((year, im)) = &p.impact {
        // The year's impact, as the Markdown and HTML packs give it: outcomes of the contracts
        // closed in the year and of their criteria, cost, then by leader, focus and stream.
        let mut rows = vec![
            vec![year.clone(), "contracts closed".into(), im.contracts.closed.to_string()],
            vec![year.clone(), "contracts met".into(), im.contracts.met.to_string()],
            vec![year.clone(), "contracts partly met".into(), im.contracts.partly_met.to_string()],
            vec![year.clone(), "contracts not met".into(), im.contracts.not_met.to_string()],
            vec![year.clone(), "contracts terminated".into(), im.contracts.terminated.to_string()],
            vec![year.clone(), "criteria met".into(), im.criteria.met.to_string()],
            vec![year.clone(), "criteria partly met".into(), im.criteria.partly_met.to_string()],
            vec![year.clone(), "criteria not met".into(), im.criteria.not_met.to_string()],
            vec![year.clone(), "criteria open".into(), im.criteria.open.to_string()],
            vec![year.clone(), "delivered days".into(), im.cost.delivered_days.to_string()],
            vec![year.clone(), "cost (£)".into(), pounds(im.cost.total_pence)],
            vec![year.clone(), "cost per school (£)".into(), im.cost.per_school_pence.map_or_else(String::new, pounds)],
            vec![
                year.clone(),
                "cost per criterion met (£)".into(),
                im.cost.per_criterion_met_pence.map_or_else(String::new, pounds),
            ],
        ];
        for (by, groups) in [("leader", &im.by_leader), ("focus", &im.by_focus), ("stream", &im.by_stream)] {
            for g in groups.iter() {
                rows.push(vec![
                    year.clone(),
                    format!("by {by}: {} (contracts · met · partly · not met)", t(&g.name)),
                    format!("{} · {} · {} · {}", g.contracts, g.met, g.partly_met, g.not_met),
                ]);
            }
        }
        s.section("Impact", &["Year", "Figure", "Value"], rows);
    }
    for (i, section) in s.sections.iter().enumerate() {
        if i > 0 {
            // An empty line between sections (a csv record can't be empty: it would be `""`).
            buf.extend_from_slice(b"\r\n");
        }
        let mut w = csv_writer(&mut buf);
        for r in section {
            if w.write_record(r).is_err() {
                break;
            }
        }
        // Writing into a Vec cannot fail.
        let _ = w.flush();
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::pounds;

    #[test]
    fn pounds_are_plain_numbers() {
        assert_eq!(pounds(227_715), "2277.15");
        assert_eq!(pounds(5), "0.05");
        assert_eq!(pounds(-5_000), "-50.00");
        assert_eq!(pounds(0), "0.00");
    }
}
