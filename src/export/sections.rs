//! The board pack's sections, walked once for both Markdown and HTML: what each section holds,
//! in what order, its columns and what it says when it is empty. Each format supplies only its
//! markup and escaping ([`Markup`]), so the two packs cannot drift apart; CSV keeps a writer of
//! its own because its sections are flat tables of raw values, not prose.

use super::pack::{BoardPack, DecisionLine};
use crate::board::{AgendaItem, AgendaKind};
use crate::domain::money::{fmt_days, fmt_pence};
use crate::domain::{Rag, fmt_date};
use crate::metrics::budget::BudgetLine;
use crate::metrics::{AlertKind, Reason, Status};
use crate::store::DecisionRow;

/// How one format writes the pack: escaping, blocks, and the few cells it draws its own way.
/// Every piece of user text reaches the output through [`Markup::text`] or [`Markup::lines`].
pub(crate) trait Markup {
    /// The Live contracts column that shows how much of a contract is delivered.
    const DONE: &'static str;

    /// User text, escaped.
    fn text(&self, s: &str) -> String;
    /// User text that may run over several lines, escaped.
    fn lines(&self, s: &str) -> String;
    /// Makes a figure that needs the board's attention stand out (overdue decisions).
    fn alarm(&self, s: &str) -> String;

    /// A school's status word.
    fn status(&self, s: Status) -> String;
    /// Why a school has its status.
    fn reasons(&self, reasons: &[Reason]) -> String;
    /// The share of a contract's days delivered (1.0 = all).
    fn done(&self, done: f64) -> String;
    /// A contract's latest review RAG.
    fn rag(&self, r: Rag) -> String;
    /// One of a contract's flags.
    fn flag(&self, f: AlertKind) -> String;
    /// A leader's available days, when negative (over capacity).
    fn over_capacity(&self, available: f64) -> String;
    /// A funding stream's headroom, when negative (over-committed).
    fn over_committed(&self, headroom_pence: i64) -> String;

    /// The title and the line under it.
    fn head(&mut self, p: &BoardPack, meeting: &str);
    /// The headline figures.
    fn glance(&mut self, p: &BoardPack);
    /// The end of the document.
    fn foot(&mut self, p: &BoardPack);
    /// Starts a numbered section.
    fn section(&mut self, id: &str, title: &str);
    /// Ends a section that had something to show.
    fn end_section(&mut self);
    /// Says why a section has nothing (more) to show, and ends it.
    fn empty(&mut self, message: &str);
    /// A heading within a section.
    fn heading(&mut self, s: &str);
    /// A paragraph (already escaped).
    fn para(&mut self, s: &str);
    /// A note on what a table means (already escaped).
    fn note(&mut self, s: &str);
    /// The meeting's own notes, as recorded (raw user text).
    fn quote(&mut self, s: &str);
    /// One kind of agenda item: its heading, the question it puts to the board, and the items.
    fn agenda_group(&mut self, kind: AgendaKind, items: &[&AgendaItem]);
    /// A table of cells already escaped; `num` are the numeric columns, `total` a closing
    /// total row.
    fn table(&mut self, headers: &[&str], num: &[usize], rows: Vec<Vec<String>>, total: Option<Vec<String>>);
    /// A picture of leader capacity before its table, where the format can draw one.
    fn capacity_chart(&mut self, _p: &BoardPack) {}
    /// A picture of the budget before its table, where the format can draw one.
    fn budget_chart(&mut self, _p: &BoardPack) {}
    /// A picture of one school's trends on the data watch, where the format can draw one.
    fn trend_chart(&mut self, _w: &super::pack::DataWatch) {}
}

/// Writes the whole pack.
pub(super) fn write(m: &mut impl Markup, p: &BoardPack) {
    let meeting = match p.meeting() {
        Some(mt) => format!("board meeting of {}", fmt_date(mt.held_on)),
        None => format!("no board meeting recorded in {}", p.month.label()),
    };
    m.head(p, &meeting);
    m.glance(p);
    agenda(m, p);
    schools(m, p);
    data_watch(m, p);
    contracts(m, p);
    leaders(m, p);
    budget(m, p);
    decisions(m, p);
    super::impact_section::write(m, p);
    m.foot(p);
}

/// An amount, or a dash where there is none.
pub(super) fn money_or_dash(v: Option<i64>) -> String {
    v.map_or("—".to_string(), fmt_pence)
}

fn agenda(m: &mut impl Markup, p: &BoardPack) {
    m.section("agenda", "1. Agenda");
    if p.agenda.is_empty() {
        m.empty("Nothing on the agenda from the data this month.");
        return;
    }
    for kind in AgendaKind::ALL {
        let items: Vec<_> = p.agenda.iter().filter(|a| a.kind == kind).collect();
        if !items.is_empty() {
            m.agenda_group(kind, &items);
        }
    }
    m.end_section();
}

fn schools(m: &mut impl Markup, p: &BoardPack) {
    m.section("schools", "2. School status");
    let shown: Vec<_> = p.schools.iter().filter(|s| s.status != Status::Ok).collect();
    if shown.is_empty() && p.events.is_empty() {
        m.empty(&format!("All {} schools are ok.", p.schools.len()));
        return;
    }
    if shown.is_empty() {
        m.para(&format!("All {} schools are ok.", p.schools.len()));
        school_events(m, p);
        m.end_section();
        return;
    }
    let rows = shown
        .iter()
        .map(|s| {
            let f = &s.school;
            let inspection = f.latest_inspection.as_ref().map_or("—".to_string(), |i| {
                format!("{} ({})", m.text(&i.outcome_view().summary()), fmt_date(i.inspected_on))
            });
            vec![
                m.status(s.status),
                m.text(&f.name),
                f.urn.map_or("—".to_string(), |u| u.to_string()),
                f.category.to_string(),
                inspection,
                s.live_contracts.to_string(),
                m.reasons(&s.reasons),
            ]
        })
        .collect();
    m.table(&["Status", "School", "URN", "Cat.", "Latest inspection", "Live", "Why"], &[5], rows, None);
    let ok = p.schools.len() - shown.len();
    if ok > 0 {
        m.note(&format!("The other {ok} schools are ok."));
    }
    school_events(m, p);
    m.end_section();
}

/// New heads, trusts joined or left, conversions: the changes the board should know of.
fn school_events(m: &mut impl Markup, p: &BoardPack) {
    if p.events.is_empty() {
        return;
    }
    m.heading(&format!(
        "Changes in schools since {}",
        fmt_date(p.today - chrono::Duration::days(super::pack::EVENTS_WINDOW_DAYS))
    ));
    let rows = p
        .events
        .iter()
        .map(|(school, e)| {
            let change = match (e.before.is_empty(), e.after.is_empty()) {
                (false, false) => format!("{}: {} → {}", e.kind.label(), e.before, e.after),
                (true, false) => format!("{}: {}", e.kind.label(), e.after),
                (false, true) => format!("{}: {}", e.kind.label(), e.before),
                (true, true) => e.kind.label().to_string(),
            };
            vec![fmt_date(e.happened_on), m.text(school), m.text(&change)]
        })
        .collect();
    m.table(&["Date", "School", "Change"], &[], rows, None);
}

/// Schools whose published data raised a concern: the sentence, then each trend with the LA
/// and England beside it (drawn as SVG in the HTML pack).
fn data_watch(m: &mut impl Markup, p: &BoardPack) {
    m.section("data-watch", "3. Data watch");
    if p.data_watch.is_empty() {
        m.empty("No school's published data raised a concern.");
        return;
    }
    for w in &p.data_watch {
        m.heading(&format!("{} ({})", w.school, w.severity.label()));
        m.para(&m.text(&w.message));
        m.trend_chart(w);
        for n in &w.intelligence {
            let source = if n.source.is_empty() { String::new() } else { format!(" ({})", m.text(&n.source)) };
            let mark = if n.is_sensitive() { "OFFICIAL-SENSITIVE — " } else { "" };
            m.note(&format!("{mark}Soft intelligence, {}{source}: {}", fmt_date(n.noted_on), m.lines(&n.text)));
        }
        let rows = w
            .trends
            .iter()
            .map(|t| {
                let cell = |y: &crate::metrics::data::TrendYear| {
                    crate::domain::measures::fmt_value(&t.measure, y.value, &y.status)
                };
                vec![
                    m.text(&t.label),
                    m.text(&t.years.iter().map(|y| format!("{} {}", y.year, cell(y))).collect::<Vec<_>>().join(" · ")),
                    t.change.map_or("—".into(), |c| crate::domain::measures::fmt_change(&t.measure, c)),
                    t.years
                        .last()
                        .and_then(|y| y.la)
                        .map_or("—".into(), |v| crate::domain::measures::fmt_value(&t.measure, Some(v), "ok")),
                    t.years
                        .last()
                        .and_then(|y| y.england)
                        .map_or("—".into(), |v| crate::domain::measures::fmt_value(&t.measure, Some(v), "ok")),
                ]
            })
            .collect();
        m.table(&["Measure", "Years", "Change", "LA (latest)", "England (latest)"], &[2, 3, 4], rows, None);
    }
    m.end_section();
}

fn contracts<M: Markup>(m: &mut M, p: &BoardPack) {
    m.section("contracts", "4. Live contracts");
    if p.contracts.is_empty() {
        m.empty("No live contracts.");
        return;
    }
    let rows = p
        .contracts
        .iter()
        .map(|lc| {
            let pr = &lc.progress;
            let c = &pr.contract;
            let done = if c.days_commissioned > 0.0 { c.delivered / c.days_commissioned } else { 0.0 };
            let flags: Vec<String> = pr.flags.iter().map(|&f| m.flag(f)).collect();
            vec![
                m.text(&c.school_name),
                m.text(&c.focus),
                format!("{} ({})", m.text(&c.leader_name), c.designation),
                c.status.to_string(),
                fmt_date(c.end_on),
                format!("{} / {}", fmt_days(c.delivered), fmt_days(c.days_commissioned)),
                m.done(done),
                pr.latest_rag.map_or("—".to_string(), |r| m.rag(r)),
                pr.next_review_on.map_or("—".to_string(), fmt_date),
                fmt_pence(lc.price_pence),
                flags.join(" "),
            ]
        })
        .collect();
    let headers =
        ["School", "Focus", "Leader", "Status", "Ends", "Days", M::DONE, "Review", "Next review", "Price", "Flags"];
    m.table(&headers, &[5, 9], rows, None);
    m.end_section();
}

fn leaders(m: &mut impl Markup, p: &BoardPack) {
    m.section("leaders", &format!("5. Leader capacity ({})", p.year.label()));
    if p.leaders.is_empty() {
        m.empty("No active leaders.");
        return;
    }
    m.capacity_chart(p);
    let rows = p
        .leaders
        .iter()
        .map(|l| {
            vec![
                m.text(&l.leader.name),
                l.leader.designation.to_string(),
                fmt_days(l.capacity),
                fmt_days(l.delivered),
                fmt_days(l.committed),
                if l.over_capacity() { m.over_capacity(l.available) } else { fmt_days(l.available) },
                l.utilisation.map_or("—".to_string(), |u| format!("{:.0}%", u * 100.0)),
                fmt_days(l.pipeline),
                l.live_contracts.to_string(),
            ]
        })
        .collect();
    m.table(
        &["Leader", "Role", "Capacity", "Delivered", "Committed", "Available", "Used", "Proposed", "Live"],
        &[2, 3, 4, 5, 6, 7, 8],
        rows,
        None,
    );
    m.end_section();
}

fn budget_row(m: &impl Markup, l: &BudgetLine, name: String) -> Vec<String> {
    let headroom = match l.headroom_pence() {
        Some(h) if h < 0 => m.over_committed(h),
        h => money_or_dash(h),
    };
    vec![
        name,
        money_or_dash(l.allocated_pence),
        fmt_pence(l.committed_pence),
        fmt_pence(l.delivered_pence),
        fmt_pence(l.remaining_pence()),
        headroom,
        fmt_pence(l.proposed_pence),
        l.contracts.to_string(),
    ]
}

fn budget(m: &mut impl Markup, p: &BoardPack) {
    m.section("budget", "6. Budget");
    let b = &p.budget;
    if b.lines().next().is_none() {
        m.empty("No funding streams and no contracts this year.");
        return;
    }
    m.budget_chart(p);
    let rows = b.lines().map(|l| budget_row(m, l, m.text(&l.name))).collect();
    // Headroom is a stream's own; the total also counts contracts outside any stream, so a
    // headroom worked out from it would mislead.
    let mut total = budget_row(m, &b.total, "Total".to_string());
    total[5] = "—".to_string();
    m.table(
        &["Funding", "Amount", "Committed", "Delivered", "Remaining", "Headroom", "Proposed", "Contracts"],
        &[1, 2, 3, 4, 5, 6, 7],
        rows,
        Some(total),
    );
    m.note(
        "Committed: live contracts' price (days × day rate), and what closed contracts delivered. Delivered: \
         visit days × day rate. Remaining = committed − delivered. Headroom = amount − committed. Proposed \
         contracts are not committed. Contracts without a stream are grouped by their funding, this academic year.",
    );
    m.end_section();
}

fn about(m: &impl Markup, d: &DecisionRow) -> String {
    match (&d.school_name, &d.contract_focus) {
        (Some(s), Some(f)) => format!("{} ({})", m.text(s), m.text(f)),
        (Some(s), None) => m.text(s),
        (None, Some(f)) => m.text(f),
        (None, None) => "—".to_string(),
    }
}

fn decisions(m: &mut impl Markup, p: &BoardPack) {
    m.section("decisions", "7. Decisions");
    if let Some(mt) = p.meeting() {
        m.heading(&format!("Taken at the meeting of {}", fmt_date(mt.held_on)));
        if !mt.notes.trim().is_empty() {
            m.quote(&mt.notes);
        }
        if p.decisions_taken.is_empty() {
            m.para("No decisions recorded.");
        } else {
            let rows = p
                .decisions_taken
                .iter()
                .map(|d| {
                    vec![
                        d.decision.kind.to_string(),
                        about(m, d),
                        m.lines(&d.decision.text),
                        m.text(&d.decision.owner),
                        d.decision.due_on.map_or("—".to_string(), fmt_date),
                        if d.decision.done { "done".to_string() } else { "open".to_string() },
                    ]
                })
                .collect();
            m.table(&["Kind", "About", "Decision", "Owner", "Due", "Done"], &[], rows, None);
        }
    }
    m.heading("Open decisions with a due date");
    if p.decisions_due.is_empty() {
        m.empty("None.");
        return;
    }
    let overdue = p.decisions_due.iter().filter(|d| d.overdue).count();
    if overdue > 0 {
        m.para(&format!("{} as of {}.", m.alarm(&format!("{overdue} overdue")), fmt_date(p.today)));
    }
    let rows = p.decisions_due.iter().map(|d| due_row(m, d)).collect();
    m.table(&["Due", "Kind", "About", "Decision", "Owner", "Decided"], &[], rows, None);
    m.end_section();
}

fn due_row(m: &impl Markup, d: &DecisionLine) -> Vec<String> {
    let dec = &d.row.decision;
    let due = dec.due_on.map_or("—".to_string(), fmt_date);
    let due = if d.overdue { m.alarm(&format!("{due} — overdue")) } else { due };
    vec![due, dec.kind.to_string(), about(m, &d.row), m.lines(&dec.text), m.text(&dec.owner), fmt_date(d.row.held_on)]
}
