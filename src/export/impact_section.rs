//! The board pack's impact section (issue #15): the figures of `alliance impact` for the
//! academic year of the pack's as-of date, from the same [`crate::metrics::impact::impact`].

use super::pack::BoardPack;
use super::sections::Markup;
use crate::domain::money::{fmt_days, fmt_pence};
use crate::metrics::impact::Group;

fn group_rows(m: &impl Markup, groups: &[Group]) -> Vec<Vec<String>> {
    groups
        .iter()
        .map(|g| {
            vec![
                m.text(&g.name),
                g.contracts.to_string(),
                g.met.to_string(),
                g.partly_met.to_string(),
                g.not_met.to_string(),
                g.terminated.to_string(),
                g.criteria_met.to_string(),
                fmt_pence(g.cost_pence),
            ]
        })
        .collect()
}

const GROUP_HEAD: [&str; 8] = ["", "Closed", "Met", "Partly met", "Not met", "Terminated", "Criteria met", "Cost"];

/// Writes section 7, Impact.
pub(super) fn write(m: &mut impl Markup, p: &BoardPack) {
    let Some((year, i)) = &p.impact else { return };
    m.section("impact", &format!("7. Impact, {year}"));
    if i.contracts.closed == 0 {
        m.empty(&format!("No contract has closed in {year} yet."));
        return;
    }
    let c = &i.contracts;
    m.para(&format!(
        "{} contracts closed: {} met, {} partly met, {} not met ({} of them terminated early). Criteria: {} met, {} partly met, {} not met, {} left open.",
        c.closed, c.met, c.partly_met, c.not_met, c.terminated, i.criteria.met, i.criteria.partly_met, i.criteria.not_met, i.criteria.open
    ));
    let per = |v: Option<i64>| v.map_or("—".to_string(), fmt_pence);
    m.para(&format!(
        "Cost: {} for {} days delivered; {} per supported school, {} per criterion met.",
        fmt_pence(i.cost.total_pence),
        fmt_days(i.cost.delivered_days),
        per(i.cost.per_school_pence),
        per(i.cost.per_criterion_met_pence)
    ));
    let s = &i.schools;
    m.heading("Supported schools, before support and now");
    m.para(&format!(
        "{} schools: category better for {}, the same for {}, worse for {}; {} inspected since support began.",
        s.supported, s.category_improved, s.category_same, s.category_worse, s.inspected_since
    ));
    let rows = s
        .list
        .iter()
        .map(|x| {
            vec![
                m.text(&x.name),
                format!("{} → {}", x.category_before.as_str(), x.category_now.as_str()),
                m.text(&x.inspection_before),
                m.text(&x.inspection_since),
                x.inspection.to_string(),
            ]
        })
        .collect();
    m.table(&["School", "Category", "Inspection before", "Inspection since", "Movement"], &[], rows, None);
    if !s.measures.is_empty() {
        let rows = s
            .measures
            .iter()
            .map(|x| {
                vec![
                    format!("#{}", x.contract_id),
                    m.text(&x.measure),
                    format!("{}", x.baseline),
                    format!("{}", x.actual),
                    format!("{:+}", x.change),
                ]
            })
            .collect();
        m.table(&["Contract", "Measure", "Baseline", "Actual", "Change"], &[2, 3, 4], rows, None);
    }
    let num = [1, 2, 3, 4, 5, 6, 7];
    for (title, first, groups) in [
        ("By system leader", "Leader", &i.by_leader),
        ("By focus", "Focus", &i.by_focus),
        ("By funding stream", "Stream", &i.by_stream),
    ] {
        m.heading(title);
        let mut head = GROUP_HEAD;
        head[0] = first;
        m.table(&head, &num, group_rows(m, groups), None);
    }
    m.end_section();
}
