//! Detail views: a school, leader or contract as one scrollable document — history, visits,
//! reviews, the audit trail, and the reasons behind every status and flag.

use super::table::{Target, clean};
use super::theme::Role;
use crate::domain::money::{fmt_days, fmt_pence};
use crate::domain::{Contract, FundingStream, Leader, Rag, School, Visit, fmt_date};
use crate::metrics::Snapshot;
use crate::store::{AuditRow, ContractRow, Store, StoreError};

/// One styled line: pieces of text with their roles.
pub type DocLine = Vec<(String, Role)>;

/// A detail document.
#[derive(Debug, Clone)]
pub struct Doc {
    /// What it is about.
    pub target: Target,
    /// Title for the frame.
    pub title: String,
    /// The lines.
    pub lines: Vec<DocLine>,
    /// Scroll position.
    pub scroll: usize,
}

struct Builder {
    lines: Vec<DocLine>,
}

impl Builder {
    fn heading(&mut self, s: &str) {
        if !self.lines.is_empty() {
            self.lines.push(Vec::new());
        }
        self.lines.push(vec![(clean(s), Role::Title)]);
    }
    fn field(&mut self, label: &str, value: impl Into<String>, role: Role) {
        self.lines.push(vec![(format!("{label:<18}"), Role::Muted), (clean(&value.into()), role)]);
    }
    fn line(&mut self, parts: Vec<(String, Role)>) {
        self.lines.push(parts.into_iter().map(|(s, r)| (clean(&s), r)).collect());
    }
    fn text(&mut self, s: &str, role: Role) {
        if s.trim().is_empty() {
            self.lines.push(vec![("  —".into(), Role::Muted)]);
        }
        for l in s.lines() {
            self.lines.push(vec![(format!("  {}", clean(l)), role)]);
        }
    }
    /// A heading over a list, with a dash under it when the list is empty, so an empty list
    /// reads as empty rather than as missing.
    fn list_heading(&mut self, s: &str, empty: bool) {
        self.heading(s);
        if empty {
            self.text("", Role::Muted);
        }
    }
    /// Conflicts an away copy's changes left on this record, for a coordinator to decide (only
    /// shown when there are some).
    fn away_conflicts(&mut self, open: &[(i64, crate::store::Conflict)]) {
        if open.is_empty() {
            return;
        }
        self.heading(&format!("Away conflicts to decide ({})", open.len()));
        for (id, c) in open {
            self.line(vec![(format!("  {id:>4}  "), Role::Muted), (c.detail.clone(), Role::Warn)]);
        }
        self.line(vec![(
            "  C lists them: keep the server's value, take the away one, type a new one, or dismiss".into(),
            Role::Muted,
        )]);
    }

    /// A view model's sections (shared with `alliance school` / `alliance leader`): lines under
    /// a titled section are indented two spaces, as the CLI prints them.
    fn sections(&mut self, sections: &[crate::views::Section]) {
        for s in sections {
            if !s.title.is_empty() {
                self.list_heading(&s.title, s.lines.is_empty());
            }
            let indent = if s.title.is_empty() { "" } else { "  " };
            for l in &s.lines {
                self.line(vec![(format!("{indent}{}", l.text), tone_role(l.tone))]);
            }
        }
    }
    fn audit(&mut self, rows: &[AuditRow]) {
        self.list_heading("History (audit trail)", rows.is_empty());
        for a in rows.iter().take(30) {
            let at = a.at.replace('T', " ").trim_end_matches('Z').to_string();
            self.line(vec![
                (format!("  {at}  "), Role::Muted),
                (format!("{} ", a.action), Role::Accent),
                (a.by.clone(), Role::Text),
            ]);
            for (field, before, after) in a.changes().into_iter().take(12) {
                if a.action == "insert" {
                    continue;
                }
                let short = |s: &str| {
                    let s: String = s.chars().take(40).collect();
                    if s.is_empty() { "∅".to_string() } else { s }
                };
                self.line(vec![
                    (format!("      {field}: "), Role::Muted),
                    (short(&before), Role::Muted),
                    (" → ".into(), Role::Muted),
                    (short(&after), Role::Text),
                ]);
            }
        }
    }
}

/// The screen's role for a view model's tone.
fn tone_role(t: crate::views::Tone) -> Role {
    use crate::views::Tone;
    match t {
        Tone::Text => Role::Text,
        Tone::Muted => Role::Muted,
        Tone::Status(s) => super::data::status_role(s),
        Tone::Severity(s) => super::data::severity_role(s),
        Tone::Danger => Role::Danger,
    }
}

/// Loads the document for a target.
pub fn load(store: &Store, snap: &Snapshot, target: Target) -> Result<Option<Doc>, StoreError> {
    let mut b = Builder { lines: Vec::new() };
    let title = match target {
        Target::School(id) => school(store, snap, id, &mut b)?,
        Target::Leader(id) => leader(store, snap, id, &mut b)?,
        Target::Contract(id) => contract(store, snap, id, &mut b)?,
        Target::Stream(id) => stream(store, snap, id, &mut b)?,
        Target::Visit(id) => visit(store, id, &mut b)?,
        Target::Meeting(_) | Target::None => return Ok(None),
    };
    Ok(Some(Doc { target, title, lines: b.lines, scroll: 0 }))
}

fn school(store: &Store, snap: &Snapshot, id: i64, b: &mut Builder) -> Result<String, StoreError> {
    let s: School = store.get(id)?;
    let today = snap.today;
    // The facts `alliance school` prints, from the same view model, then what only the screen
    // shows: soft intelligence, every contract, visits, reviews, the audit trail.
    let view = crate::views::SchoolView::load(store, snap, id)?;
    b.heading(&view.name);
    b.sections(&view.sections());
    let notes = store.notes_for(id)?;
    b.list_heading("Soft intelligence (newest first)", notes.is_empty());
    for n in &notes {
        let due = n.review_due(today);
        let flags = n.flags(today);
        let source = if n.source.is_empty() { String::new() } else { format!(" · {}", n.source) };
        b.line(vec![
            (format!("  {}  #{}{source}", fmt_date(n.noted_on), n.id), Role::Muted),
            (
                if flags.is_empty() { String::new() } else { format!("  [{}]", flags.join("; ")) },
                if due || n.is_sensitive() { Role::Warn } else { Role::Muted },
            ),
        ]);
        b.text(&n.text, if n.redacted { Role::Muted } else { Role::Text });
    }

    let contracts = store.contracts_for_school(id)?;
    contract_list(b, "Contract history", &contracts, true, |c| {
        format!("{} — {} ({})", c.contract.focus, c.leader_name, c.designation)
    });
    visits(b, &store.visits_for_school(id)?, today);
    b.heading("Reviews");
    for c in &contracts {
        for r in store.reviews_for(c.contract.id)? {
            review_line(b, &r, Some(&c.contract.focus));
        }
    }
    b.away_conflicts(&store.open_conflicts_about("schools", id)?);
    b.audit(&store.history("schools", id)?);
    Ok(format!("School · {}", clean(&s.name)))
}

/// Published data: each measure's last years as a sparkline and figures, the change, and the
/// LA and England beside the latest year. Suppressed and unpublished years show their word.
fn review_line(b: &mut Builder, r: &crate::domain::Review, focus: Option<&str>) {
    let rag = super::data::rag_cell(Some(r.rag));
    let (text, role) = rag.spans.first().cloned().unwrap_or((String::new(), Role::Text));
    let mut parts = vec![(format!("  {}  ", fmt_date(r.reviewed_on)), Role::Muted), (format!("{text:<8}"), role)];
    if let Some(f) = focus {
        parts.push((format!("{f}: "), Role::Muted));
    }
    if r.escalate {
        parts.push(("ESCALATED ".into(), Role::Danger));
    }
    parts.push((r.summary.lines().next().unwrap_or("").to_string(), Role::Text));
    if let Some(n) = r.next_review_on {
        parts.push((format!(" (next {})", fmt_date(n)), Role::Muted));
    }
    b.line(parts);
}

/// A school's or leader's contracts, one a line: number and status in columns, then `what` (the
/// focus and whoever is on the other side) and the days delivered of those commissioned, with the
/// contract's dates when `with_period`.
fn contract_list(
    b: &mut Builder,
    title: &str,
    rows: &[ContractRow],
    with_period: bool,
    what: impl Fn(&ContractRow) -> String,
) {
    b.list_heading(title, rows.is_empty());
    for c in rows {
        let mut days = format!("{}/{} days", fmt_days(c.delivered), fmt_days(c.contract.days_commissioned));
        if with_period {
            days.push_str(&format!(", {} – {}", fmt_date(c.contract.start_on), fmt_date(c.contract.end_on)));
        }
        b.line(vec![
            (format!("  #{:<4}", c.contract.id), Role::Muted),
            (format!("{:<10} ", c.contract.status.as_str()), Role::Accent),
            (format!("{} ", what(c)), Role::Text),
            (days, Role::Muted),
        ]);
    }
}

fn visits(b: &mut Builder, rows: &[crate::store::VisitRow], _today: chrono::NaiveDate) {
    b.list_heading("Visits", rows.is_empty());
    for v in rows.iter().take(60) {
        b.line(vec![
            (format!("  {}  ", fmt_date(v.visit.visited_on)), Role::Muted),
            (format!("{:<4} ", fmt_days(v.visit.days)), Role::Text),
            (format!("{:<16} ", v.visit.activity.as_str()), Role::Accent),
            (format!("{} · {}", v.leader_name, v.focus), Role::Text),
        ]);
        if let Some(first) = v.visit.notes.lines().next().filter(|l| !l.trim().is_empty()) {
            b.line(vec![(format!("        {first}"), Role::Muted)]);
        }
        if let Some(next) = v.visit.next_steps.lines().next().filter(|l| !l.trim().is_empty()) {
            b.line(vec![("        next: ".into(), Role::Muted), (next.to_string(), Role::Text)]);
        }
    }
    if rows.len() > 60 {
        b.line(vec![(format!("  … and {} older visits", rows.len() - 60), Role::Muted)]);
    }
}

fn leader(store: &Store, snap: &Snapshot, id: i64, b: &mut Builder) -> Result<String, StoreError> {
    let l: Leader = store.get(id)?;
    // The facts `alliance leader` prints (same view model), then the screen's extras: contact
    // details, how each live contract adds to the committed days, visits, the audit trail.
    let view = crate::views::LeaderView::load(store, snap, id)?;
    b.heading(&view.name);
    b.sections(&view.sections());
    b.heading("Contact");
    b.field("Day rate", fmt_pence(l.day_rate_pence), Role::Text);
    b.field("Email / phone", format!("{}  {}", l.email, l.phone), Role::Text);
    if snap.leaders.iter().any(|c| c.leader.id == id) {
        b.heading("Committed days, contract by contract");
        for p in snap.contracts.iter().filter(|p| p.contract.leader_id == id && p.contract.status.is_live()) {
            b.line(vec![(
                format!(
                    "    #{} {} — {}: {} commissioned − {} delivered = {} owed",
                    p.contract.id,
                    p.contract.school_name,
                    p.contract.focus,
                    fmt_days(p.contract.days_commissioned),
                    fmt_days(p.contract.delivered),
                    fmt_days(p.remaining)
                ),
                Role::Muted,
            )]);
        }
    }
    visits(b, &store.visits_for_leader(id)?, snap.today);
    b.away_conflicts(&store.open_conflicts_about("leaders", id)?);
    b.audit(&store.history("leaders", id)?);
    Ok(format!("Leader · {}", clean(&l.name)))
}

fn contract(store: &Store, snap: &Snapshot, id: i64, b: &mut Builder) -> Result<String, StoreError> {
    let c: Contract = store.get(id)?;
    let s: School = store.get(c.school_id)?;
    let l: Leader = store.get(c.leader_id)?;
    b.heading(&format!("Contract #{} — {} — {}", c.id, s.name, c.focus));
    b.field("Status", c.status.as_str(), Role::Accent);
    b.field("Supported school", format!("{} (category {})", s.name, s.category), Role::Text);
    b.field("System leader", format!("{} ({})", l.name, l.designation), Role::Text);
    b.field("Period", format!("{} – {}", fmt_date(c.start_on), fmt_date(c.end_on)), Role::Text);
    b.field(
        "Days / rate",
        format!(
            "{} days at {} = {}",
            fmt_days(c.days_commissioned),
            fmt_pence(c.day_rate_pence),
            fmt_pence(c.price_pence())
        ),
        Role::Text,
    );
    b.field("Funding", if c.funding.is_empty() { "—" } else { &c.funding }, Role::Text);
    if let Some(stream) =
        c.funding_stream_id.and_then(|id| store.find::<crate::domain::FundingStream>(id).ok().flatten())
    {
        b.field("Funding stream", format!("{} ({})", stream.name, fmt_pence(stream.amount_pence)), Role::Text);
    }
    let bp = store.settings()?.brokerage_bp;
    if bp > 0 {
        let share = (c.price_pence() as i128 * i128::from(bp) + 5_000) / 10_000;
        b.field(
            "Brokerage",
            format!(
                "{} of the price = {} to the alliance (at today's brokerage setting)",
                crate::domain::settings::fmt_percent_bp(bp),
                fmt_pence(share as i64)
            ),
            Role::Muted,
        );
    }
    if let Some(p) = snap.contracts.iter().find(|p| p.contract.id == id) {
        b.heading("Progress");
        b.field(
            "delivered",
            format!(
                "{} of {} days ({} remaining)",
                fmt_days(p.contract.delivered),
                fmt_days(p.contract.days_commissioned),
                fmt_days(p.remaining)
            ),
            Role::Text,
        );
        b.field("last visit", p.contract.last_visit.map_or("none yet".into(), fmt_date), Role::Text);
        b.field("latest RAG", p.latest_rag.map_or("no review yet".into(), |r| r.as_str().to_string()), Role::Text);
        if let Some(n) = p.next_review_on {
            let why =
                if p.contract.latest_review.is_some() { "from the latest review" } else { "start + review interval" };
            b.field(
                "next review",
                format!("{} ({why})", fmt_date(n)),
                if n < snap.today { Role::Danger } else { Role::Text },
            );
        }
        let alerts: Vec<_> = snap.alerts.iter().filter(|a| a.contract_id == Some(id)).collect();
        if !alerts.is_empty() {
            b.heading("Flags — why");
        }
        for a in alerts {
            b.line(vec![
                (format!("  {:<7}", a.severity.label()), super::data::severity_role(a.severity)),
                (a.message.clone(), Role::Text),
            ]);
        }
    }
    b.heading("Aims");
    b.text(&c.aims, Role::Text);
    impact(store, id, b)?;
    let reviews = store.reviews_for(id)?;
    b.list_heading("Reviews", reviews.is_empty());
    for r in &reviews {
        review_line(b, r, None);
    }
    visits(b, &store.visits_for_contract(id)?, snap.today);
    b.away_conflicts(&store.open_conflicts_about("contracts", id)?);
    b.audit(&store.history("contracts", id)?);
    Ok(format!("Contract #{} · {}", c.id, clean(&s.name)))
}

/// A contract's success criteria (with each one's latest rating against its descriptor), its
/// agreement's sign-off and versions, and its close-out (issue #15).
fn impact(store: &Store, id: i64, b: &mut Builder) -> Result<(), StoreError> {
    let criteria = store.criteria(id)?;
    let latest = store.latest_ratings(id)?;
    b.list_heading("Success criteria (how it will be assessed)", criteria.is_empty());
    let num = |v: Option<f64>| v.map_or("—".to_string(), |v| v.to_string());
    for (i, k) in criteria.iter().enumerate() {
        b.line(vec![(format!("  {}. ", i + 1), Role::Muted), (k.text.clone(), Role::Text)]);
        let mut facts = vec![(format!("     {}", k.outcome.label()), Role::Accent)];
        if k.baseline.is_some() || k.target.is_some() {
            facts.push((format!(" · {} → {}", num(k.baseline), num(k.target)), Role::Muted));
        }
        if let Some(a) = k.actual {
            facts.push((format!(" · actual {a} ({})", k.actual_source), Role::Text));
        }
        if let Some((_, rag, on)) = latest.iter().find(|(c, _, _)| *c == k.id) {
            let role = match rag {
                Rag::Green => Role::Ok,
                Rag::Amber => Role::Warn,
                Rag::Red => Role::Danger,
            };
            facts
                .push((format!(" · {} {}: {}", rag.glyph(), fmt_date(*on), crate::domain::rag_descriptor(*rag)), role));
        }
        b.line(facts);
    }
    let st = store.agreement_status(id)?;
    b.heading("Agreement");
    if st.history.is_empty() {
        b.text(
            "not signed yet — the palette exports it to print and sign; `alliance contract sign` records signatures",
            Role::Muted,
        );
    } else {
        if st.variation_awaiting {
            b.field("variation", format!("awaiting sign-off: {}", st.changes.join("; ")), Role::Warn);
        } else if !st.awaiting.is_empty() {
            let who: Vec<_> = st.awaiting.iter().map(|p| p.as_str()).collect();
            b.field("awaiting", who.join(", "), Role::Warn);
        }
        for (a, signed) in &st.history {
            let who: Vec<String> = signed
                .iter()
                .map(|s| format!("{} ({}, {})", s.party.as_str(), s.signed_by, fmt_date(s.signed_on)))
                .collect();
            let shown = if who.is_empty() { "not signed".to_string() } else { who.join(" · ") };
            b.field(&format!("version {}", a.version), shown, Role::Text);
        }
    }
    if let Some(x) = store.closeout(id)? {
        b.heading(&format!("Close-out — {} {}, {}", x.kind.as_str(), fmt_date(x.closed_on), x.outcome.label()));
        if !x.reason.trim().is_empty() {
            b.field("reason", x.reason.clone(), Role::Text);
        }
        b.field("sustain", x.sustain.clone(), Role::Text);
        let score = x.school_feedback_score.map_or("—".to_string(), |s| format!("{s}/5"));
        b.field("school feedback", format!("{score} {}", x.school_feedback), Role::Text);
        b.field("lessons", x.lessons.clone(), Role::Text);
    }
    Ok(())
}

/// A funding stream: its money through the one budget rule, the contracts charged to it, and
/// its history.
fn stream(store: &Store, snap: &Snapshot, id: i64, b: &mut Builder) -> Result<String, StoreError> {
    let f: FundingStream = store.get(id)?;
    let rows: Vec<_> =
        store.contracts_with_streams()?.into_iter().filter(|r| r.contract.funding_stream_id == Some(id)).collect();
    let budget = crate::store::budget_of(std::slice::from_ref(&f), &rows, snap.year);
    b.heading(&format!("Funding stream — {}", f.name));
    b.field("Amount", fmt_pence(f.amount_pence), Role::Text);
    if let Some(l) = budget.streams.first() {
        b.field("Committed", fmt_pence(l.committed_pence), Role::Text);
        b.field("Delivered (spent)", fmt_pence(l.delivered_pence), Role::Text);
        b.field(
            "Remaining",
            format!("{} still to be spent on agreed work", fmt_pence(l.remaining_pence())),
            Role::Text,
        );
        let head = l.headroom_pence().unwrap_or(0);
        if head < 0 {
            b.field("Headroom", format!("{} — over-committed", fmt_pence(head)), Role::Danger);
        } else {
            b.field("Headroom", format!("{} free to commit", fmt_pence(head)), Role::Ok);
        }
        if l.proposed_pence > 0 {
            b.field("Proposed", format!("{} awaiting the board", fmt_pence(l.proposed_pence)), Role::Muted);
        }
    }
    b.heading("Notes");
    b.text(&f.notes, Role::Text);
    b.heading(&format!("Contracts charged to it ({})", rows.len()));
    if rows.is_empty() {
        b.text("", Role::Muted);
    }
    for r in &rows {
        let c = &r.contract;
        b.line(vec![
            (format!("  #{:<5}", c.id), Role::Muted),
            (format!("{} — {} — {}", r.school_name, r.leader_name, c.focus), Role::Text),
            (
                format!(
                    "  {} · {} · {}/{} days",
                    c.status,
                    fmt_pence(c.price_pence()),
                    fmt_days(r.delivered),
                    fmt_days(c.days_commissioned)
                ),
                Role::Muted,
            ),
        ]);
    }
    b.away_conflicts(&store.open_conflicts_about("funding_streams", id)?);
    b.audit(&store.history("funding_streams", id)?);
    Ok(f.name)
}

/// One visit in full: the notes and next steps the Visits list cuts to a line, its contract's
/// progress, and its history (corrections included).
fn visit(store: &Store, id: i64, b: &mut Builder) -> Result<String, StoreError> {
    let v: Visit = store.get(id)?;
    let row = store.contract_row(v.contract_id)?;
    let leader = store
        .find::<Leader>(v.leader_id)?
        .map_or_else(|| "—".to_string(), |l| format!("{} ({})", l.name, l.designation));
    let title = format!("Visit of {}", fmt_date(v.visited_on));
    b.heading(&format!("Visit #{} — {}", v.id, fmt_date(v.visited_on)));
    if let Some(r) = &row {
        b.field("Contract", format!("#{} {} — {}", r.contract.id, r.school_name, r.contract.focus), Role::Text);
        b.field(
            "Progress",
            format!(
                "{} of {} days delivered ({})",
                fmt_days(r.delivered),
                fmt_days(r.contract.days_commissioned),
                r.contract.status
            ),
            Role::Muted,
        );
    }
    b.field("Visited by", leader, Role::Text);
    b.field("Days", fmt_days(v.days), Role::Text);
    b.field("Activity", v.activity.as_str(), Role::Accent);
    b.heading("Note of visit");
    b.text(&v.notes, Role::Text);
    b.heading("Next steps");
    b.text(&v.next_steps, Role::Text);
    b.away_conflicts(&store.open_conflicts_about("visits", id)?);
    b.audit(&store.history("visits", id)?);
    b.text("e corrects this visit, or removes one logged in error", Role::Muted);
    Ok(title)
}
