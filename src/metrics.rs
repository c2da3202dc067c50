//! The one implementation of every number and alert (DESIGN §5 ◆): leader capacity, contract
//! progress, alerts and school status. The TUI, `status`, `render` and exports all call
//! [`compute`]; nothing else does these sums.
//!
//! The store does the heavy aggregation in SQL (its `metric_inputs` read fills an [`Inputs`]) and
//! hands over one small fact row per leader, live or proposed contract, and school; the rules
//! here are pure functions of those facts and `today`, so they are tested against hand-computed
//! fixtures without a database.

mod alerts;
pub mod budget;
pub mod data;
pub mod impact;
mod status;

pub use alerts::{Alert, AlertKind, Severity};
pub use status::{Reason, SchoolStatus, Status, fill_headlines};

use crate::domain::settings::Settings;
use crate::domain::{AcademicYear, Calendar, Category, ContractStatus, Designation, Framework, Phase, Rag};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// A leader as the metrics need them, with their delivered days this academic year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeaderFacts {
    /// Leader id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Designation.
    pub designation: Designation,
    /// Capacity, days a year.
    pub days_per_year: f64,
    /// Deployable?
    pub active: bool,
    /// Their employer.
    pub home_school_id: Option<i64>,
    /// Σ visits.days by this leader with visited_on in the academic year.
    pub delivered_in_year: f64,
}

/// The latest progress review of a contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewFacts {
    /// Review date.
    pub reviewed_on: NaiveDate,
    /// Rating.
    pub rag: Rag,
    /// Next review due, if set.
    pub next_review_on: Option<NaiveDate>,
    /// Escalated to the board.
    pub escalate: bool,
}

/// A proposed, active or paused contract with its delivery so far.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractFacts {
    /// Contract id.
    pub id: i64,
    /// Supported school.
    pub school_id: i64,
    /// Its name.
    pub school_name: String,
    /// System leader.
    pub leader_id: i64,
    /// Their name.
    pub leader_name: String,
    /// Their designation.
    pub designation: Designation,
    /// Focus.
    pub focus: String,
    /// Status.
    pub status: ContractStatus,
    /// Start.
    pub start_on: NaiveDate,
    /// End.
    pub end_on: NaiveDate,
    /// Days commissioned.
    pub days_commissioned: f64,
    /// Σ of its visits' days, all time.
    pub delivered: f64,
    /// Its most recent visit.
    pub last_visit: Option<NaiveDate>,
    /// Its most recent review.
    pub latest_review: Option<ReviewFacts>,
}

/// A school's latest inspection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InspectionFacts {
    /// Date.
    pub inspected_on: NaiveDate,
    /// Era.
    pub framework: Framework,
    /// Outcome as published.
    pub outcome: String,
    /// Grade 1–4 where graded.
    pub grade: Option<i64>,
    /// Graded sub-judgements or report-card areas, `Area: judgement` lines.
    pub areas: String,
    /// Safeguarding met / not met, where published.
    pub safeguarding_met: Option<bool>,
    /// Ofsted's category of concern, where recorded.
    pub category_of_concern: Option<crate::domain::ConcernCategory>,
}

impl InspectionFacts {
    /// The outcome, for the category-of-concern, below-good and profile rules.
    pub fn outcome_view(&self) -> crate::domain::outcomes::Outcome<'_> {
        crate::domain::outcomes::Outcome {
            framework: self.framework,
            outcome: &self.outcome,
            grade: self.grade,
            areas: &self.areas,
            safeguarding_met: self.safeguarding_met,
            category_of_concern: self.category_of_concern,
        }
    }
}

/// A school as the metrics need it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolFacts {
    /// School id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// URN.
    pub urn: Option<i64>,
    /// Phase.
    pub phase: Phase,
    /// Board category.
    pub category: Category,
    /// Latest *standard* inspection (a monitoring inspection never replaces the judgement).
    pub latest_inspection: Option<InspectionFacts>,
    /// The latest two standard graded or report-card inspections, newest first: the RISE
    /// "stuck" test reads them (ungraded inspections judge nothing new).
    pub judgements: Vec<InspectionFacts>,
    /// The latest change of headteacher: when, and the new head.
    pub new_head: Option<(NaiveDate, String)>,
    /// Latest visit on any of its contracts — shown on screens, read by no rule, so the metric
    /// inputs leave it empty and the screens that show it fill it in (the store's
    /// `last_visit_by_school` read).
    pub last_visit: Option<NaiveDate>,
}

/// An open board decision whose due date has passed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionFacts {
    /// Decision id.
    pub id: i64,
    /// Its kind (commission, extend …).
    pub kind: crate::domain::DecisionKind,
    /// First line of the decision.
    pub text: String,
    /// Who carries it out.
    pub owner: String,
    /// When it was due.
    pub due_on: NaiveDate,
    /// The school concerned.
    pub school_id: Option<i64>,
    /// The contract concerned.
    pub contract_id: Option<i64>,
}

/// A funding stream's amount and what is committed against it (from the one budget rule, [`budget::budget`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreamFacts {
    /// Stream id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Amount available, pence.
    pub amount_pence: i64,
    /// Committed to agreed contracts, pence.
    pub committed_pence: i64,
}

/// Everything [`compute`] needs.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The injected clock.
    pub today: NaiveDate,
    /// Settings (review interval, windows).
    pub settings: Settings,
    /// All leaders.
    pub leaders: Vec<LeaderFacts>,
    /// Proposed, active and paused contracts.
    pub contracts: Vec<ContractFacts>,
    /// All schools.
    pub schools: Vec<SchoolFacts>,
    /// Open decisions whose due date has passed.
    pub overdue_decisions: Vec<DecisionFacts>,
    /// Funding streams with their commitments.
    pub streams: Vec<StreamFacts>,
    /// Published data the triggers read ([`data::TRIGGER_MEASURES`]).
    pub data: data::DataFacts,
    /// The school-day calendar (term dates): day windows count school days.
    pub calendar: Calendar,
}

/// A leader's capacity sums for the academic year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeaderCapacity {
    /// The leader.
    pub leader: LeaderFacts,
    /// days_per_year.
    pub capacity: f64,
    /// Delivered this year.
    pub delivered: f64,
    /// Still owed on live contracts.
    pub committed: f64,
    /// capacity − delivered − committed (negative = over capacity).
    pub available: f64,
    /// (delivered + committed) / capacity; `None` when capacity is 0.
    pub utilisation: Option<f64>,
    /// Days on proposed contracts (shown, not committed).
    pub pipeline: f64,
    /// How many live contracts they hold.
    pub live_contracts: usize,
}

impl LeaderCapacity {
    /// Over capacity: an active leader with negative available days.
    pub fn over_capacity(&self) -> bool {
        self.leader.active && self.available < 0.0
    }
}

/// A live (or proposed) contract's progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractProgress {
    /// The contract.
    pub contract: ContractFacts,
    /// Days still to deliver (never below zero).
    pub remaining: f64,
    /// The latest review's rating.
    pub latest_rag: Option<Rag>,
    /// Latest review's next date, else start + review interval (live contracts only).
    pub next_review_on: Option<NaiveDate>,
    /// Days from today to end_on (negative when past).
    pub days_left: i64,
    /// The alerts raised on this contract.
    pub flags: Vec<AlertKind>,
}

/// Headline totals for `status` and the dashboard.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Active leaders.
    pub active_leaders: usize,
    /// Σ capacity of active leaders.
    pub capacity_days: f64,
    /// Σ delivered of active leaders.
    pub delivered_days: f64,
    /// Σ committed of active leaders.
    pub committed_days: f64,
    /// Σ available of active leaders.
    pub available_days: f64,
    /// Active leaders over capacity.
    pub over_capacity: usize,
    /// Live contracts.
    pub live: usize,
    /// Active contracts.
    pub active: usize,
    /// Paused contracts.
    pub paused: usize,
    /// Proposed contracts.
    pub proposed: usize,
    /// Live contracts by latest RAG: green, amber, red, none.
    pub by_rag: [usize; 4],
    /// Schools by category A–D.
    pub by_category: [usize; 4],
    /// Schools by status: urgent, concern, watch, ok.
    pub by_status: [usize; 4],
}

/// Every metric, computed once per load.
#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    /// The clock used.
    pub today: NaiveDate,
    /// The academic year containing today.
    pub year: AcademicYear,
    /// Leaders' capacity (all leaders, active first, over-capacity first).
    pub leaders: Vec<LeaderCapacity>,
    /// Live and proposed contracts' progress (live first, by end date).
    pub contracts: Vec<ContractProgress>,
    /// Every school's status, most severe first.
    pub schools: Vec<SchoolStatus>,
    /// Every alert, most severe first.
    pub alerts: Vec<Alert>,
    /// Headline counts.
    pub totals: Totals,
    /// "no term dates for 2027/28" when today's academic year has no terms recorded (every
    /// weekday then counts as a school day); `None` when it has.
    pub term_note: Option<String>,
}

impl serde::Serialize for AcademicYear {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.label())
    }
}

/// Rounds to the half day the data is kept in, so float sums of halves never show `2.9999`.
fn tidy(days: f64) -> f64 {
    (days * 2.0).round() / 2.0
}

/// The leader sums of DESIGN §5 for one leader, given their contracts.
pub fn leader_capacity(l: &LeaderFacts, contracts: &[ContractFacts]) -> LeaderCapacity {
    capacity_of(l, contracts.iter().filter(|c| c.leader_id == l.id))
}

/// [`leader_capacity`] over the leader's own contracts, already picked out.
fn capacity_of<'a>(l: &LeaderFacts, mine: impl Iterator<Item = &'a ContractFacts>) -> LeaderCapacity {
    let (mut committed, mut pipeline, mut live) = (0.0, 0.0, 0);
    for c in mine {
        if c.status.is_live() {
            committed += (c.days_commissioned - c.delivered).max(0.0);
            live += 1;
        } else if c.status == ContractStatus::Proposed {
            pipeline += c.days_commissioned;
        }
    }
    let capacity = l.days_per_year;
    let delivered = tidy(l.delivered_in_year);
    let committed = tidy(committed);
    let available = capacity - delivered - committed;
    let utilisation = (capacity > 0.0).then(|| (delivered + committed) / capacity);
    LeaderCapacity {
        leader: l.clone(),
        capacity,
        delivered,
        committed,
        available,
        utilisation,
        pipeline: tidy(pipeline),
        live_contracts: live,
    }
}

/// When a live contract's next review is due: the latest review's date for it, else that
/// review's date + the interval, else start + the interval — the interval in school days, and
/// a date that falls in a holiday moved to the next school day (DESIGN §5, term time).
pub fn next_review_on(c: &ContractFacts, interval_school_days: i64, calendar: &Calendar) -> NaiveDate {
    match &c.latest_review {
        Some(r) => match r.next_review_on {
            Some(d) => calendar.on_or_after(d),
            None => calendar.add_school_days(r.reviewed_on, interval_school_days),
        },
        None => calendar.add_school_days(c.start_on, interval_school_days),
    }
}

/// Computes every metric from the facts.
pub fn compute(inputs: &Inputs) -> Snapshot {
    let (leaders, contracts, alerts) = raise_alerts(inputs);
    finish(inputs, inputs.schools.clone(), leaders, contracts, alerts)
}

/// [`compute`] from facts it may consume: the published data (the largest input on a national
/// file) is freed once the alerts are raised, and each school's facts move into its status
/// instead of being copied, so the facts and the snapshot are never held twice at the peak.
pub fn compute_owned(mut inputs: Inputs) -> Snapshot {
    let (leaders, contracts, alerts) = raise_alerts(&inputs);
    inputs.data = data::DataFacts::default();
    let schools = std::mem::take(&mut inputs.schools);
    finish(&inputs, schools, leaders, contracts, alerts)
}

type Raised = (Vec<LeaderCapacity>, Vec<ContractProgress>, Vec<Alert>);

/// Leaders' capacity, contracts' progress and every alert (the only step that reads the
/// published data).
fn raise_alerts(inputs: &Inputs) -> Raised {
    let today = inputs.today;

    // Each leader's contracts, picked out once (not a scan of every contract per leader).
    let mut by_leader: HashMap<i64, Vec<&ContractFacts>> = HashMap::new();
    for c in &inputs.contracts {
        by_leader.entry(c.leader_id).or_default().push(c);
    }
    let leaders: Vec<LeaderCapacity> =
        inputs.leaders.iter().map(|l| capacity_of(l, by_leader.get(&l.id).into_iter().flatten().copied())).collect();

    let contracts: Vec<ContractProgress> = inputs
        .contracts
        .iter()
        .map(|c| ContractProgress {
            contract: c.clone(),
            remaining: tidy((c.days_commissioned - c.delivered).max(0.0)),
            latest_rag: c.latest_review.as_ref().map(|r| r.rag),
            next_review_on: c
                .status
                .is_live()
                .then(|| next_review_on(c, inputs.settings.review_interval_days, &inputs.calendar)),
            days_left: (c.end_on - today).num_days(),
            flags: Vec::new(),
        })
        .collect();

    let alerts = alerts::alerts(inputs, &leaders, &contracts);
    (leaders, contracts, alerts)
}

/// The rest of the snapshot from the alerts: contract flags, school statuses (from `schools`,
/// the facts of `inputs.schools`), sorting and totals.
fn finish(
    inputs: &Inputs,
    schools: Vec<SchoolFacts>,
    mut leaders: Vec<LeaderCapacity>,
    mut contracts: Vec<ContractProgress>,
    alerts: Vec<Alert>,
) -> Snapshot {
    let today = inputs.today;
    let year = AcademicYear::containing(today, inputs.settings.year_start_month);
    let mut flags: HashMap<i64, Vec<AlertKind>> = HashMap::new();
    for a in &alerts {
        if let Some(id) = a.contract_id {
            flags.entry(id).or_default().push(a.kind);
        }
    }
    for p in &mut contracts {
        p.flags = flags.remove(&p.contract.id).unwrap_or_default();
    }
    let schools = status::school_statuses(inputs, schools, &alerts);

    leaders.sort_by(|a, b| {
        b.leader
            .active
            .cmp(&a.leader.active)
            .then(b.over_capacity().cmp(&a.over_capacity()))
            .then(a.available.total_cmp(&b.available))
            .then(a.leader.name.cmp(&b.leader.name))
    });
    contracts.sort_by(|a, b| {
        b.contract
            .status
            .is_live()
            .cmp(&a.contract.status.is_live())
            .then(a.contract.end_on.cmp(&b.contract.end_on))
            .then(a.contract.id.cmp(&b.contract.id))
    });

    let totals = totals(&leaders, &contracts, &schools);
    let term_note = inputs.calendar.missing_year(today).map(|y| crate::domain::calendar::missing_note(&y));
    Snapshot { today, year, leaders, contracts, schools, alerts, totals, term_note }
}

fn totals(leaders: &[LeaderCapacity], contracts: &[ContractProgress], schools: &[SchoolStatus]) -> Totals {
    let mut t = Totals::default();
    for l in leaders.iter().filter(|l| l.leader.active) {
        t.active_leaders += 1;
        t.capacity_days += l.capacity;
        t.delivered_days += l.delivered;
        t.committed_days += l.committed;
        t.available_days += l.available;
        t.over_capacity += usize::from(l.over_capacity());
    }
    for c in contracts {
        match c.contract.status {
            ContractStatus::Active => t.active += 1,
            ContractStatus::Paused => t.paused += 1,
            ContractStatus::Proposed => t.proposed += 1,
            _ => {}
        }
        if c.contract.status.is_live() {
            t.live += 1;
            let i = match c.latest_rag {
                Some(Rag::Green) => 0,
                Some(Rag::Amber) => 1,
                Some(Rag::Red) => 2,
                None => 3,
            };
            t.by_rag[i] += 1;
        }
    }
    for s in schools {
        t.by_category[s.school.category as usize] += 1;
        t.by_status[s.status as usize] += 1;
    }
    t
}

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;

/// Warns when a live contract would take its leader over capacity (the contract form and any
/// other front end that saves contracts say the same).
pub fn capacity_warning(snap: &Snapshot, c: &crate::domain::Contract) -> Option<String> {
    if !c.status.is_live() {
        return None;
    }
    let l = snap.leaders.iter().find(|l| l.leader.id == c.leader_id)?;
    // Days this contract already commits (when editing) are in `available`; add them back.
    let already = snap
        .contracts
        .iter()
        .find(|p| p.contract.id == c.id && p.contract.status.is_live() && p.contract.leader_id == c.leader_id)
        .map_or(0.0, |p| p.remaining);
    let delivered = snap.contracts.iter().find(|p| p.contract.id == c.id).map_or(0.0, |p| p.contract.delivered);
    let needs = (c.days_commissioned - delivered).max(0.0);
    let after = l.available + already - needs;
    (after < 0.0).then(|| {
        format!(
            "{} would be over capacity: {} days available, this contract needs {} more",
            l.leader.name,
            crate::domain::money::fmt_days(l.available + already),
            crate::domain::money::fmt_days(needs)
        )
    })
}
