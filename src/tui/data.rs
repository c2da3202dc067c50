//! View models: everything the screens draw, loaded from the store and formatted once, so
//! drawing is a pure function of this data (no SQL while drawing, DESIGN §2).
//!
//! [`Data::load`] reads what the dashboard shows (every metric); each other screen is read the
//! first time it is shown ([`Data::ensure`]) and again on each reload from then on — so a
//! national file opens as fast as its dashboard, and memory holds only the screens in use.
//! Two lists are bounded so their cost does not grow with years of history: the Visits screen
//! holds the latest [`VISITS_SHOWN`] visits of the year, and the Contracts screen the live,
//! proposed and recently ended contracts ([`Store::recent_contract_rows`]); their titles say
//! so, and a school's, leader's or contract's detail lists all of its own.

mod leaders;

use super::keymap::Screen;
use super::table::{Column, SortKey, TCell, TRow, TableModel, Target};
use super::theme::Role;
use crate::domain::money::{fmt_days, fmt_pence};
use crate::domain::{AcademicYear, ContractStatus, Phase, Rag, fmt_date};
use crate::metrics::{AlertKind, LeaderCapacity, Severity, Snapshot, Status};
use crate::store::{ContractRow, DecisionRow, Store, StoreError, VisitRow};
use chrono::{Datelike, NaiveDate};
use leaders::leaders_model;
use ratatui::layout::Constraint;
use std::collections::HashMap;

/// Everything loaded from the file for one refresh.
#[derive(Debug, Clone)]
pub struct Data {
    /// The alliance's name (on an away copy: "away copy of HOST, taken … — N changes not yet
    /// sent").
    pub alliance: String,
    /// On an away copy, the footer's short badge: "AWAY · 3 unsent".
    pub away_badge: Option<String>,
    /// Conflicts away copies left here that nobody has resolved (the footer says so; `C`).
    pub open_conflicts: usize,
    /// The person the app acts for, as `people` says at this load (a change to `people` is a
    /// write, so it reloads). The footer reads it on every frame; the store still decides on
    /// every save.
    pub who: Option<crate::domain::roles::Who>,
    /// All metrics.
    pub snap: Snapshot,
    /// Visits per week from the start of the academic year: (monday, visits, days).
    pub weekly: Vec<(NaiveDate, i64, f64)>,
    /// Dashboard: live contracts.
    pub dash_contracts: TableModel,
    /// Dashboard: leader capacity.
    pub dash_capacity: TableModel,
    /// Dashboard: school status.
    pub dash_schools: TableModel,
    /// Dashboard: alerts.
    pub dash_alerts: TableModel,
    /// Screen 2.
    pub contracts: TableModel,
    /// Screen 3.
    pub leaders: TableModel,
    /// Screen 4.
    pub schools: TableModel,
    /// Screen 5.
    pub visits: TableModel,
    /// Screen 6: decisions.
    pub decisions: TableModel,
    /// Screen 6: the decision id of each row of `decisions`.
    pub decision_ids: Vec<i64>,
    /// Screen 6: the agenda built from the data.
    pub agenda: TableModel,
    /// Screen 6: money per funding stream.
    pub budget: TableModel,
    /// Screen 6: meetings, newest first: (date, notes, decisions count).
    pub meetings: Vec<(NaiveDate, String, usize)>,
    /// How many visits there are this academic year (the Visits screen holds at most
    /// [`VISITS_SHOWN`] of them).
    pub visit_count: usize,
    /// How many contracts the file holds (the Contracts screen holds the recent ones).
    pub contract_count: usize,
    /// Each leader's specialisms (by leader id), as they typed them: shown and searched in the
    /// Leaders list and the palette.
    pub specialisms: HashMap<i64, String>,
    /// Screen 7: programme impact.
    pub impact: super::impact_view::ImpactView,
    /// Which list screens (by [`Screen::index`]) have been read.
    loaded: [bool; 7],
}

/// The most visits the Visits screen holds: the latest of the academic year. A city alliance
/// logs a few hundred to a couple of thousand a year; a national file, hundreds of thousands.
pub const VISITS_SHOWN: usize = 5_000;

/// `23 Nov` within six months of today, else `23 Nov 25`, for narrow table cells.
pub fn short_date(d: NaiveDate, today: NaiveDate) -> String {
    if (d - today).num_days().abs() < 183 { d.format("%-d %b").to_string() } else { d.format("%-d %b %y").to_string() }
}

/// Days to a date in words that fit a narrow column: `today`, `in 9d`, `12d ago`.
pub fn days_until(days: i64) -> String {
    match days {
        0 => "today".to_string(),
        d if d > 0 => format!("in {d}d"),
        d => format!("{}d ago", -d),
    }
}

fn day_num(d: NaiveDate) -> f64 {
    f64::from(chrono::Datelike::num_days_from_ce(&d))
}

/// Role and word for a RAG (never colour alone).
pub fn rag_cell(rag: Option<Rag>) -> TCell {
    match rag {
        Some(Rag::Green) => TCell::num("● green", Role::Ok, 1.0),
        Some(Rag::Amber) => TCell::num("◐ amber", Role::Warn, 2.0),
        Some(Rag::Red) => TCell::num("▲ red", Role::Danger, 3.0),
        None => TCell::num("– none", Role::Muted, 0.0),
    }
}

/// Role for a school status.
pub fn status_role(s: Status) -> Role {
    match s {
        Status::Urgent => Role::Danger,
        Status::Concern => Role::Warn,
        Status::Watch => Role::Info,
        Status::Ok => Role::Ok,
    }
}

/// Role for an alert severity.
pub fn severity_role(s: Severity) -> Role {
    match s {
        Severity::High => Role::Danger,
        Severity::Medium => Role::Warn,
        Severity::Low => Role::Muted,
    }
}

/// Days delivered of commissioned, figure first (so a narrow column keeps it), then a bar.
fn days_bar(delivered: f64, total: f64, width: usize) -> TCell {
    let filled = if total > 0.0 { ((delivered / total).min(1.0) * width as f64).round() as usize } else { 0 };
    let role = if delivered > total { Role::Danger } else { Role::BarDelivered };
    TCell::spans(
        vec![
            (
                format!("{:>7} ", format!("{}/{}", fmt_days(delivered), fmt_days(total))),
                if delivered > total { Role::Danger } else { Role::Text },
            ),
            ("█".repeat(filled), role),
            ("░".repeat(width - filled), Role::BarFree),
        ],
        SortKey::Num(if total > 0.0 { delivered / total } else { 0.0 }),
    )
}

/// A capacity bar: delivered █, committed ▓, free ░ (over capacity shows `!`).
fn capacity_bar(l: &LeaderCapacity, width: usize) -> TCell {
    let cap = l.capacity.max(0.0);
    let scale = |d: f64| if cap > 0.0 { ((d / cap) * width as f64).round() as usize } else { 0 };
    let del = scale(l.delivered).min(width);
    let com = scale(l.committed).min(width - del);
    let free = width - del - com;
    let mut spans = vec![
        ("█".repeat(del), Role::BarDelivered),
        ("▓".repeat(com), Role::BarCommitted),
        ("░".repeat(free), Role::BarFree),
    ];
    if l.over_capacity() {
        spans.push(("!".to_string(), Role::Danger));
    }
    TCell::spans(spans, SortKey::Num(l.utilisation.unwrap_or(0.0)))
}

const fn col(title: &'static str, width: Constraint, min: u16, drop: u8) -> Column {
    Column { title, width, min, drop }
}

/// A table under `columns` with one row per item: every screen's list is built this way.
fn table<T>(columns: &[Column], items: impl IntoIterator<Item = T>, row: impl FnMut(T) -> TRow) -> TableModel {
    TableModel::new(columns.to_vec(), items.into_iter().map(row).collect())
}

/// A date in a narrow column, sorted by the date rather than by its text.
fn date_cell(d: NaiveDate, today: NaiveDate, role: Role) -> TCell {
    TCell::num(short_date(d, today), role, day_num(d))
}

fn days_cell(days: f64, role: Role) -> TCell {
    TCell::num(fmt_days(days), role, days)
}

fn pence_cell(pence: i64, role: Role) -> TCell {
    TCell::num(fmt_pence(pence), role, pence as f64)
}

/// Severity as glyph and word, sorted by how severe.
fn severity_cell(s: Severity) -> TCell {
    TCell::num(format!("{}{}", s.glyph(), s.label()), severity_role(s), s as u8 as f64)
}

/// What Enter opens for something that may concern a contract, a school or a leader: the most
/// specific of them.
fn target_of(contract: Option<i64>, school: Option<i64>, leader: Option<i64>) -> Target {
    match (contract, school, leader) {
        (Some(c), _, _) => Target::Contract(c),
        (None, Some(s), _) => Target::School(s),
        (None, None, Some(l)) => Target::Leader(l),
        _ => Target::None,
    }
}

impl Data {
    /// Loads the dashboard for `today`: every metric, the weekly visits and the four panes.
    /// The other screens are empty until [`Data::ensure`] reads them.
    pub fn load(store: &Store, today: NaiveDate) -> Result<Data, StoreError> {
        let shown = store.path().display().to_string();
        Data::load_dashboard(store, today).map_err(|e| e.with_path(&shown))
    }

    /// Loads the dashboard and every screen (for tests and tools that want it all at once).
    pub fn load_all(store: &Store, today: NaiveDate) -> Result<Data, StoreError> {
        let mut d = Data::load(store, today)?;
        for s in Screen::ALL {
            d.ensure(store, s)?;
        }
        Ok(d)
    }

    fn load_dashboard(store: &Store, today: NaiveDate) -> Result<Data, StoreError> {
        let settings = store.settings()?;
        let year = AcademicYear::containing(today, settings.year_start_month);
        // The dashboard's own reads (each school's last visit, the weekly visits, the leaders'
        // specialisms) run on a second, read-only connection while this one builds the
        // snapshot: on a national file they are a sixth of the load and the machine has a
        // second core. Without a second connection (or if its thread fails) they run here,
        // after the snapshot. What they read is for display; a change committed between the
        // two reads is picked up by the next reload, as any other change is.
        let side = move |s: &Store| -> Result<_, StoreError> {
            Ok((s.last_visit_by_school()?, s.visits_per_week(year.start, today)?, s.leader_specialisms()?))
        };
        let (snap, aside) = match store.reader() {
            Ok(reader) => std::thread::scope(|scope| {
                let other = scope.spawn(move || side(&reader));
                let snap = store.snapshot(today);
                let aside = other.join().unwrap_or_else(|_| side(store));
                (snap, aside)
            }),
            Err(_) => (store.snapshot(today), side(store)),
        };
        let (mut snap, (last_visits, weekly, specialisms)) = (snap?, aside?);
        let away = store.away_status()?;
        for s in &mut snap.schools {
            s.school.last_visit = last_visits.get(&s.school.id).copied();
        }
        Ok(Data {
            specialisms,
            // An away copy's header says whose copy it is and what is not yet sent.
            away_badge: away.as_ref().map(|a| format!("AWAY · {} unsent", a.unsent)),
            open_conflicts: store.open_conflicts()?.len(),
            who: store.who().ok(),
            alliance: match away {
                Some(away) => away.banner(),
                None => settings.alliance_name,
            },
            dash_contracts: dash_contracts(&snap),
            dash_capacity: capacity_model(&snap, false),
            dash_schools: school_model(&snap, &SchoolInfo::new(), true),
            dash_alerts: alerts_model(&snap),
            contracts: TableModel::default(),
            leaders: TableModel::default(),
            schools: TableModel::default(),
            visits: TableModel::default(),
            decisions: TableModel::default(),
            decision_ids: Vec::new(),
            agenda: TableModel::default(),
            budget: TableModel::default(),
            meetings: Vec::new(),
            visit_count: 0,
            contract_count: 0,
            impact: Default::default(),
            loaded: [true, false, false, false, false, false, false],
            weekly,
            snap,
        })
    }

    /// Whether screen `s` has been read.
    pub fn is_loaded(&self, s: Screen) -> bool {
        self.loaded[s.index()]
    }

    /// Reads screen `s` if it has not been read since this data was loaded.
    pub fn ensure(&mut self, store: &Store, s: Screen) -> Result<(), StoreError> {
        if self.is_loaded(s) {
            return Ok(());
        }
        let shown = store.path().display().to_string();
        self.read_screen(store, s).map_err(|e| e.with_path(&shown))?;
        self.loaded[s.index()] = true;
        Ok(())
    }

    fn read_screen(&mut self, store: &Store, s: Screen) -> Result<(), StoreError> {
        let today = self.snap.today;
        let year = self.snap.year;
        match s {
            Screen::Dashboard => {}
            Screen::Leaders => self.leaders = leaders_model(&self.snap, &self.specialisms),
            Screen::Schools => {
                store.fill_headlines(&mut self.snap.schools)?;
                self.schools = school_model(&self.snap, &store.school_list_info()?, false);
            }
            Screen::Visits => {
                let (rows, total) = store.latest_visit_rows(year.start, year.end, VISITS_SHOWN)?;
                self.visits = visits_model(&rows, today);
                self.visit_count = total;
            }
            Screen::Contracts => {
                let rows = store.recent_contract_rows(recent_since(year))?;
                self.contracts = contracts_model(&rows, &self.snap);
                self.contract_count = store.contract_count()?;
            }
            Screen::Board => {
                // Live and proposed contracts, every one allocated to a stream, and those ending
                // this year or last: all the budget and agenda read.
                let contract_rows = store.recent_contract_rows(recent_since(year))?;
                let decisions = store.decision_rows()?;
                let mut per_meeting: HashMap<i64, usize> = HashMap::new();
                for d in &decisions {
                    *per_meeting.entry(d.decision.meeting_id).or_default() += 1;
                }
                self.meetings = store
                    .meetings()?
                    .into_iter()
                    .map(|m| {
                        let n = per_meeting.get(&m.id).copied().unwrap_or(0);
                        (m.held_on, m.notes, n)
                    })
                    .collect();
                let streams: Vec<crate::domain::FundingStream> = store.all()?;
                self.budget = budget_model(&crate::store::budget_of(&streams, &contract_rows, year));
                self.agenda = agenda_model(&crate::views::agenda(&self.snap, &contract_rows, &decisions));
                self.decisions = decisions_model(&decisions, today);
                self.decision_ids = decisions.iter().map(|d| d.decision.id).collect();
            }
            Screen::Impact => self.impact = super::impact_view::ImpactView::load(store, year)?,
        }
        Ok(())
    }
}

/// Contracts that ended before the start of last academic year are history: the Contracts
/// screen leaves them to the school's and leader's detail.
pub fn recent_since(year: AcademicYear) -> NaiveDate {
    AcademicYear::containing(year.start - chrono::Duration::days(1), year.start.month()).start
}

fn dash_contracts(snap: &Snapshot) -> TableModel {
    const COLUMNS: &[Column] = &[
        col("School", Constraint::Fill(3), 12, 0),
        col("Leader", Constraint::Fill(2), 12, 4),
        col("Focus", Constraint::Fill(2), 10, 5),
        col("Days", Constraint::Length(12), 12, 2),
        col("Ends", Constraint::Length(7), 7, 3),
        col("End", Constraint::Length(9), 6, 8),
        col("RAG", Constraint::Length(7), 7, 1),
        col("Review", Constraint::Length(9), 6, 6),
        col("Flags", Constraint::Length(11), 5, 7),
    ];
    let today = snap.today;
    table(COLUMNS, snap.contracts.iter().filter(|p| p.contract.status.is_live()), |p| {
        let c = &p.contract;
        let role = if p.days_left < 0 {
            Role::Danger
        } else if p.flags.contains(&AlertKind::EndingSoon) {
            Role::Warn
        } else {
            Role::Text
        };
        let next = match p.next_review_on {
            Some(d) => date_cell(d, today, if d < today { Role::Danger } else { Role::Text }),
            None => TCell::blank(),
        };
        let flags: Vec<&str> = p.flags.iter().map(|f| f.short()).collect();
        let status = if c.status == ContractStatus::Paused { " (paused)" } else { "" };
        TRow {
            target: Target::Contract(c.id),
            cells: vec![
                TCell::text(format!("{}{status}", c.school_name), Role::Text),
                TCell::text(format!("{} ({})", c.leader_name, c.designation), Role::Text),
                TCell::text(&c.focus, Role::Muted),
                days_bar(c.delivered, c.days_commissioned, 4),
                TCell::num(days_until(p.days_left), role, day_num(c.end_on)),
                date_cell(c.end_on, today, role),
                rag_cell(p.latest_rag),
                next,
                TCell::text(flags.join(" "), Role::Danger),
            ],
            search: &[0, 1, 2],
        }
    })
}

fn capacity_model(snap: &Snapshot, full: bool) -> TableModel {
    let mut columns = vec![
        col("Leader", Constraint::Fill(2), 10, 0),
        col("Des", Constraint::Length(5), 4, 3),
        col("Capacity", Constraint::Length(if full { 16 } else { 11 }), 11, 2),
        col("Avail", Constraint::Length(5), 5, 0),
        col("Use", Constraint::Length(5), 4, 4),
    ];
    if full {
        columns.extend([
            col("Cap", Constraint::Length(5), 4, 5),
            col("Deliv", Constraint::Length(6), 5, 5),
            col("Commit", Constraint::Length(6), 6, 5),
            col("Pipeline", Constraint::Length(8), 8, 7),
            col("Live", Constraint::Length(4), 4, 6),
            col("State", Constraint::Length(8), 8, 8),
        ]);
    }
    table(&columns, snap.leaders.iter().filter(|l| full || l.leader.active), |l| {
        let avail_role = if l.over_capacity() {
            Role::Danger
        } else if l.available < 2.0 {
            Role::Warn
        } else {
            Role::Ok
        };
        let util = l.utilisation.map_or("–".to_string(), |u| format!("{:.0}%", u * 100.0));
        let mut cells = vec![
            TCell::text(&l.leader.name, if l.leader.active { Role::Text } else { Role::Muted }),
            TCell::text(l.leader.designation.as_str(), Role::Accent),
            capacity_bar(l, if full { 15 } else { 10 }),
            days_cell(l.available, avail_role),
            TCell::num(util, Role::Text, l.utilisation.unwrap_or(0.0)),
        ];
        if full {
            cells.extend([
                days_cell(l.capacity, Role::Text),
                days_cell(l.delivered, Role::Text),
                days_cell(l.committed, Role::Text),
                days_cell(l.pipeline, Role::Muted),
                TCell::num(l.live_contracts.to_string(), Role::Text, l.live_contracts as f64),
                TCell::text(if l.leader.active { "active" } else { "inactive" }, Role::Muted),
            ]);
        }
        TRow { target: Target::Leader(l.leader.id), cells, search: &[0, 1] }
    })
}

/// Extra per-school columns the metrics do not carry (phase, LA, trust).
pub type SchoolInfo = std::collections::HashMap<i64, (String, String, String)>;

/// How the latest inspection reads in a list: its month first (so a narrow column never cuts
/// the date), then the grade or the outcome as published.
fn inspection_text(i: &crate::metrics::InspectionFacts) -> String {
    format!("{} {}", i.inspected_on.format("%b %y"), i.outcome_view().compact())
}

fn school_model(snap: &Snapshot, info: &SchoolInfo, dash: bool) -> TableModel {
    let mut columns = vec![
        col("Status", Constraint::Length(9), 9, 0),
        col("School", Constraint::Fill(3), 14, 0),
        col("Cat", Constraint::Length(3), 3, 1),
        col("Inspection", Constraint::Fill(2), 12, 4),
        col("Support", Constraint::Length(7), 7, 2),
        col("Visited", Constraint::Length(9), 7, 3),
    ];
    if !dash {
        columns.extend([
            col("Results", Constraint::Length(14), 11, 4),
            col("Phase", Constraint::Length(11), 9, 5),
            col("URN", Constraint::Length(6), 6, 6),
            col("LA", Constraint::Length(12), 10, 8),
            col("Trust", Constraint::Fill(1), 10, 7),
        ]);
    }
    let today = snap.today;
    let shown = snap.schools.iter().filter(|s| !dash || s.status != Status::Ok || s.live_contracts > 0);
    table(&columns, shown, |s| {
        let sc = &s.school;
        let insp = match &sc.latest_inspection {
            Some(i) => TCell::num(inspection_text(i), Role::Muted, day_num(i.inspected_on)),
            None => TCell::blank(),
        };
        let support = if s.live_contracts > 0 {
            TCell::num(format!("{} live", s.live_contracts), Role::Ok, s.live_contracts as f64)
        } else if matches!(s.status, Status::Urgent | Status::Concern) {
            TCell::num("none", Role::Danger, 0.0)
        } else {
            TCell::num("–", Role::Muted, 0.0)
        };
        let last = match sc.last_visit {
            Some(d) => date_cell(d, today, Role::Text),
            None => TCell::blank(),
        };
        let status = TCell::num(
            format!("{} {}", s.status.glyph(), s.status.label()),
            status_role(s.status),
            s.status as u8 as f64,
        );
        let cat = TCell::text(
            sc.category.as_str(),
            match sc.category {
                crate::domain::Category::D => Role::Danger,
                crate::domain::Category::C => Role::Warn,
                _ => Role::Text,
            },
        );
        let (phase, la, trust) = info.get(&sc.id).cloned().unwrap_or_default();
        let mut cells = vec![status, TCell::text(&sc.name, Role::Text), cat, insp, support, last];
        if !dash {
            // The results headline ("RWM 48% ↓12"): sorted by the change, a fall first.
            let change = s.headline.as_deref().and_then(|h| {
                let (_, n) = h.rsplit_once(' ')?;
                let v: f64 = n.trim_start_matches(['↓', '↑', '→']).parse().ok()?;
                Some(if n.starts_with('↓') { -v } else { v })
            });
            let headline = match &s.headline {
                Some(h) => TCell::num(
                    h,
                    if change.is_some_and(|c| c < 0.0) { Role::Warn } else { Role::Text },
                    change.unwrap_or(0.0),
                ),
                None => TCell::blank(),
            };
            cells.extend([
                headline,
                TCell::text(phase, Role::Muted),
                TCell::num(sc.urn.map_or(String::new(), |u| u.to_string()), Role::Muted, sc.urn.unwrap_or(0) as f64),
                TCell::text(la, Role::Muted),
                TCell::text(trust, Role::Muted),
            ]);
        }
        TRow { target: Target::School(sc.id), cells, search: if dash { &[1] } else { &[1, 8, 10] } }
    })
}

fn alerts_model(snap: &Snapshot) -> TableModel {
    const COLUMNS: &[Column] = &[col("Sev", Constraint::Length(8), 8, 0), col("Alert", Constraint::Fill(1), 20, 0)];
    table(COLUMNS, &snap.alerts, |a| TRow {
        // A stream's alert opens the stream (its contracts and money).
        target: a.stream_id.map_or_else(|| target_of(a.contract_id, a.school_id, a.leader_id), Target::Stream),
        cells: vec![severity_cell(a.severity), TCell::text(&a.message, Role::Text)],
        search: &[1],
    })
}

fn contracts_model(rows: &[ContractRow], snap: &Snapshot) -> TableModel {
    const COLUMNS: &[Column] = &[
        col("#", Constraint::Length(6), 4, 6),
        col("School", Constraint::Fill(3), 14, 0),
        col("Leader", Constraint::Fill(2), 12, 2),
        col("Focus", Constraint::Fill(2), 10, 3),
        col("Status", Constraint::Length(10), 8, 0),
        col("Days", Constraint::Length(12), 12, 1),
        col("Start", Constraint::Length(9), 7, 7),
        col("End", Constraint::Length(9), 7, 4),
        col("RAG", Constraint::Length(7), 7, 2),
        col("Price", Constraint::Length(8), 7, 8),
        col("Flags", Constraint::Fill(1), 5, 5),
    ];
    let today = snap.today;
    let flags_by_id: std::collections::HashMap<i64, &[AlertKind]> =
        snap.contracts.iter().map(|p| (p.contract.id, p.flags.as_slice())).collect();
    table(COLUMNS, rows, |r| {
        let c = &r.contract;
        let flags: Vec<&str> =
            flags_by_id.get(&c.id).map(|f| f.iter().map(|k| k.short()).collect()).unwrap_or_default();
        let status_role = match c.status {
            ContractStatus::Active => Role::Ok,
            ContractStatus::Paused => Role::Warn,
            ContractStatus::Proposed => Role::Info,
            _ => Role::Muted,
        };
        TRow {
            target: Target::Contract(c.id),
            cells: vec![
                TCell::num(format!("#{}", c.id), Role::Muted, c.id as f64),
                TCell::text(&r.school_name, Role::Text),
                TCell::text(format!("{} ({})", r.leader_name, r.designation), Role::Text),
                TCell::text(&c.focus, Role::Muted),
                TCell::text(c.status.as_str(), status_role),
                days_bar(r.delivered, c.days_commissioned, 4),
                date_cell(c.start_on, today, Role::Text),
                date_cell(c.end_on, today, Role::Text),
                rag_cell(r.latest_rag),
                pence_cell(c.price_pence(), Role::Text),
                TCell::text(flags.join(" "), Role::Danger),
            ],
            search: &[1, 2, 3],
        }
    })
}

fn visits_model(rows: &[VisitRow], today: NaiveDate) -> TableModel {
    const COLUMNS: &[Column] = &[
        col("Date", Constraint::Length(9), 7, 0),
        col("School", Constraint::Fill(3), 14, 0),
        col("Leader", Constraint::Fill(2), 12, 1),
        col("Days", Constraint::Length(4), 4, 0),
        col("Activity", Constraint::Length(16), 10, 2),
        col("Focus", Constraint::Fill(2), 10, 3),
        col("Note", Constraint::Fill(3), 10, 4),
    ];
    table(COLUMNS, rows, |r| {
        let v = &r.visit;
        TRow {
            target: Target::Visit(v.id),
            cells: vec![
                date_cell(v.visited_on, today, Role::Text),
                TCell::text(&r.school_name, Role::Text),
                TCell::text(&r.leader_name, Role::Text),
                days_cell(v.days, Role::Text),
                TCell::text(v.activity.as_str(), Role::Accent),
                TCell::text(&r.focus, Role::Muted),
                TCell::text(v.notes.lines().next().unwrap_or(""), Role::Muted),
            ],
            search: &[1, 2, 4, 5],
        }
    })
}

fn decisions_model(rows: &[DecisionRow], today: NaiveDate) -> TableModel {
    const COLUMNS: &[Column] = &[
        col("Done", Constraint::Length(7), 6, 0),
        col("Board", Constraint::Length(7), 6, 4),
        col("Kind", Constraint::Length(10), 8, 2),
        col("Subject", Constraint::Fill(2), 14, 0),
        col("Decision", Constraint::Fill(3), 14, 1),
        col("Owner", Constraint::Length(14), 8, 3),
        col("Due", Constraint::Length(15), 7, 0),
    ];
    table(COLUMNS, rows, |r| {
        let d = &r.decision;
        let (due, role) = match d.due_on {
            Some(due) if !d.done && due < today => (format!("{} overdue", short_date(due, today)), Role::Danger),
            Some(due) => (short_date(due, today), Role::Text),
            None => (String::new(), Role::Muted),
        };
        let subject = r
            .school_name
            .clone()
            .map(|s| match &r.contract_focus {
                Some(f) => format!("{s} — {f}"),
                None => s,
            })
            .unwrap_or_default();
        TRow {
            target: target_of(d.contract_id, d.school_id, None),
            cells: vec![
                TCell::text(if d.done { "✓ done" } else { "○ open" }, if d.done { Role::Muted } else { Role::Warn }),
                date_cell(r.held_on, today, Role::Muted),
                TCell::text(d.kind.as_str(), Role::Accent),
                TCell::text(subject, Role::Text),
                TCell::text(d.text.lines().next().unwrap_or(""), Role::Text),
                TCell::text(&d.owner, Role::Muted),
                TCell::num(due, role, d.due_on.map_or(f64::MAX, day_num)),
            ],
            search: &[3, 4, 5],
        }
    })
}

fn agenda_model(items: &[crate::board::AgendaItem]) -> TableModel {
    const COLUMNS: &[Column] = &[
        col("Sev", Constraint::Length(8), 8, 2),
        col("Item", Constraint::Length(24), 14, 1),
        col("Subject", Constraint::Fill(2), 14, 0),
        col("Why", Constraint::Fill(3), 14, 3),
    ];
    table(COLUMNS, items, |a| TRow {
        target: target_of(a.contract_id, a.school_id, a.leader_id),
        cells: vec![
            severity_cell(a.severity),
            TCell::num(a.kind.heading(), Role::Accent, a.kind as u8 as f64),
            TCell::text(&a.subject, Role::Text),
            TCell::text(&a.detail, Role::Muted),
        ],
        search: &[1, 2, 3],
    })
}

fn budget_model(b: &crate::metrics::budget::Budget) -> TableModel {
    const COLUMNS: &[Column] = &[
        col("Funding", Constraint::Fill(2), 14, 0),
        col("Amount", Constraint::Length(10), 8, 4),
        col("Committed", Constraint::Length(10), 9, 0),
        col("Delivered", Constraint::Length(10), 9, 2),
        col("Remaining", Constraint::Length(10), 9, 3),
        col("Headroom", Constraint::Length(10), 9, 1),
        col("Proposed", Constraint::Length(10), 8, 5),
    ];
    table(COLUMNS, b.lines().chain(std::iter::once(&b.total)), |l| {
        let head = l.headroom_pence();
        let head_role = if l.over_committed() { Role::Danger } else { Role::Ok };
        TRow {
            target: l.stream_id.map_or(Target::None, Target::Stream),
            cells: vec![
                TCell::text(
                    if l.over_committed() { format!("{} OVER", l.name) } else { l.name.clone() },
                    if l.stream_id.is_some() { Role::Text } else { Role::Muted },
                ),
                TCell::num(
                    l.allocated_pence.map_or("—".into(), fmt_pence),
                    Role::Text,
                    l.allocated_pence.unwrap_or(0) as f64,
                ),
                pence_cell(l.committed_pence, Role::Text),
                pence_cell(l.delivered_pence, Role::Text),
                pence_cell(l.remaining_pence(), Role::Text),
                TCell::num(head.map_or("—".into(), fmt_pence), head_role, head.unwrap_or(0) as f64),
                pence_cell(l.proposed_pence, Role::Muted),
            ],
            search: &[0],
        }
    })
}

/// Formats a date for detail views.
pub fn long_date(d: NaiveDate) -> String {
    fmt_date(d)
}
