//! The forms coordinators fill in: log a visit, record a progress review, a contract (new or
//! edit), a school (category, soft intelligence), an inspection, a leader, a board meeting and
//! a decision. Each turns its fields into a domain record and saves it through the store's
//! validated writes; a refused save puts the reasons next to the fields and keeps every value.

use super::form::{Field, Form, picker};
use super::table::Target;
use crate::domain::dates::MONTH_NAMES;
use crate::domain::money::fmt_pence;
use crate::domain::money::{fmt_days, parse_days, parse_pence};
use crate::domain::validate::{Level, Problem, suggested_next_review};
use crate::domain::*;
use crate::metrics::Snapshot;
use crate::store::{SPECS, SettingChange, Store, StoreError, Unit, parse_value};
use chrono::{Duration, NaiveDate};

/// The funding-stream choice meaning "not allocated to a stream".
const NO_STREAM: &str = "none";

/// The review form's RAG before the reviewer picks one.
const UNRATED: &str = "choose…";

/// Which form, and for which record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    /// Log a visit.
    Visit,
    /// Correct (or remove) a visit already logged.
    VisitEdit(i64),
    /// Record a progress review.
    Review,
    /// A new contract (`None`) or an edit.
    Contract(Option<i64>),
    /// A new school (`None`: one GIAS does not list, or before an import) or an edit.
    School(Option<i64>),
    /// Add an inspection to a school.
    Inspection(i64),
    /// A new system leader (`None`) or an edit.
    Leader(Option<i64>),
    /// Record a board meeting.
    Meeting,
    /// A new decision (`None`) or an edit.
    Decision(Option<i64>),
    /// A new funding stream (`None`) or an edit.
    Stream(Option<i64>),
    /// The alliance's settings: day rates, brokerage, intervals.
    Settings,
}

impl FormKind {
    /// `(form, target)` under which this form's draft is kept.
    pub fn draft_key(self) -> (&'static str, String) {
        let id = |o: Option<i64>| o.map_or("new".to_string(), |i| i.to_string());
        match self {
            FormKind::Visit => ("visit", "new".into()),
            FormKind::VisitEdit(i) => ("visit", i.to_string()),
            FormKind::Review => ("review", "new".into()),
            FormKind::Contract(o) => ("contract", id(o)),
            FormKind::School(o) => ("school", id(o)),
            FormKind::Inspection(i) => ("inspection", i.to_string()),
            FormKind::Leader(o) => ("leader", id(o)),
            FormKind::Meeting => ("meeting", "new".into()),
            FormKind::Decision(o) => ("decision", id(o)),
            FormKind::Stream(o) => ("stream", id(o)),
            FormKind::Settings => ("settings", "all".into()),
        }
    }
}

/// An open form with what it edits.
#[derive(Debug, Clone)]
pub struct OpenForm {
    /// Which form.
    pub kind: FormKind,
    /// The fields.
    pub form: Form,
    /// The record as loaded (JSON), to show what someone else changed.
    pub base: Option<serde_json::Value>,
    /// The version the edit is made against.
    pub version: i64,
    /// The (school, focus) the leader picker was last ranked for (contract form).
    pub ranked_for: Option<(i64, String)>,
    /// The contract form's funding-stream choices as ids (`None`: no stream), in choice
    /// order: a stream renamed since the form opened keeps its contracts.
    pub stream_ids: Vec<Option<i64>>,
    /// The settings form's stored values as first shown (or as last refreshed): only keys
    /// the user changed from these are saved.
    pub initial: Option<serde_json::Value>,
}

/// What a form may be pre-filled from: the selected record (or what "who can help?" chose).
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// A new contract's focus.
    pub focus: Option<String>,
    /// A new contract's days.
    pub days: Option<f64>,
    /// The selected contract, if any.
    pub contract: Option<i64>,
    /// The selected school.
    pub school: Option<i64>,
    /// The selected leader.
    pub leader: Option<i64>,
}

fn contract_picker(snap: &Snapshot, live_only: bool) -> crate::tui::table::TableModel {
    picker(
        snap.contracts
            .iter()
            .filter(|p| !live_only || p.contract.status.is_live())
            .map(|p| {
                let c = &p.contract;
                let st = if c.status.is_live() { String::new() } else { format!(" [{}]", c.status) };
                (
                    Target::Contract(c.id),
                    format!(
                        "{} — {} — {}, {}/{} days{st}",
                        c.school_name,
                        c.leader_name,
                        c.focus,
                        fmt_days(c.delivered),
                        fmt_days(c.days_commissioned)
                    ),
                )
            })
            .collect(),
    )
}

fn leader_picker(snap: &Snapshot) -> crate::tui::table::TableModel {
    picker(leader_items(snap))
}

/// Active leaders, by name, with their available days.
fn leader_items(snap: &Snapshot) -> Vec<(Target, String)> {
    let mut v: Vec<_> = snap.leaders.iter().filter(|l| l.leader.active).collect();
    v.sort_by(|a, b| a.leader.name.cmp(&b.leader.name));
    v.into_iter()
        .map(|l| {
            let over = if l.over_capacity() { " OVER" } else { "" };
            (
                Target::Leader(l.leader.id),
                format!(
                    "{} ({}) — {} days available{over}",
                    l.leader.name,
                    l.leader.designation,
                    fmt_days(l.available)
                ),
            )
        })
        .collect()
}

fn school_picker(snap: &Snapshot) -> crate::tui::table::TableModel {
    let mut v: Vec<_> = snap.schools.iter().collect();
    v.sort_by(|a, b| a.school.name.cmp(&b.school.name));
    picker(
        v.into_iter()
            .map(|s| {
                let urn = s.school.urn.map_or(String::new(), |u| format!(" {u}"));
                (
                    Target::School(s.school.id),
                    format!("{}{urn} — cat {} · {}", s.school.name, s.school.category, s.status.label()),
                )
            })
            .collect(),
    )
}

fn strs<T: Copy>(all: &[T], f: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| f(*v)).collect()
}

fn json<T: serde::Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

/// Builds the form for `kind`, pre-filled from `ctx` and the stored record.
pub fn open(
    kind: FormKind,
    store: &Store,
    snap: &Snapshot,
    today: NaiveDate,
    ctx: Context,
) -> Result<OpenForm, StoreError> {
    let settings = store.settings()?;
    let mut stream_ids = Vec::new();
    let mut initial = None;
    let (title, fields, base, version): (String, Vec<Field>, Option<serde_json::Value>, i64) = match kind {
        FormKind::Visit => {
            let contract = ctx
                .contract
                .filter(|id| snap.contracts.iter().any(|p| p.contract.id == *id && p.contract.status.is_live()));
            let leader = contract
                .and_then(|id| snap.contracts.iter().find(|p| p.contract.id == id))
                .map(|p| p.contract.leader_id)
                .or(ctx.leader);
            // Most used first: date, days and the note; who visited follows the contract.
            let fields = vec![
                Field::pick("contract_id", "Contract", contract_picker(snap, true), contract.map(Target::Contract)),
                Field::date("visited_on", "Date", Some(today)).suggested(),
                Field::days("days", "Days", Some(1.0)).suggested(),
                Field::choice("activity", "Activity", &strs(Activity::ALL, Activity::as_str), "coaching"),
                Field::multi("notes", "Note of visit", ""),
                Field::multi("next_steps", "Next steps", ""),
                Field::pick("leader_id", "Visited by", leader_picker(snap), leader.map(Target::Leader)).optional(),
            ];
            ("Log a visit".into(), fields, None, 0)
        }
        FormKind::VisitEdit(id) => {
            let v: Visit = store.get(id)?;
            let label = store.contract_row(v.contract_id)?.map_or(format!("contract #{}", v.contract_id), |r| {
                format!("#{} {} — {} — {}", r.contract.id, r.school_name, r.leader_name, r.contract.focus)
            });
            // Who visited stays choosable when they are no longer active (a correction to an
            // old visit must not force someone else's name onto it).
            let mut leaders = leader_items(snap);
            if !leaders.iter().any(|(t, _)| *t == Target::Leader(v.leader_id))
                && let Some(l) = store.find::<Leader>(v.leader_id)?
            {
                leaders.insert(0, (Target::Leader(l.id), format!("{} ({}) — inactive", l.name, l.designation)));
            }
            let fields = vec![
                Field::text("contract", "Contract", &label).locked(),
                Field::pick("leader_id", "Visited by", picker(leaders), Some(Target::Leader(v.leader_id))),
                Field::date("visited_on", "Date", Some(v.visited_on)),
                Field::days("days", "Days", Some(v.days)),
                Field::choice("activity", "Activity", &strs(Activity::ALL, Activity::as_str), v.activity.as_str()),
                Field::multi("notes", "Note of visit", &v.notes),
                Field::multi("next_steps", "Next steps", &v.next_steps),
                Field::boolean("remove", "Remove this visit", false),
            ];
            (format!("Correct visit #{id} of {}", fmt_date(v.visited_on)), fields, json(&v), v.stamp.version)
        }
        FormKind::Review => {
            let contract = ctx.contract.filter(|id| snap.contracts.iter().any(|p| p.contract.id == *id));
            let fields = vec![
                Field::pick("contract_id", "Contract", contract_picker(snap, false), contract.map(Target::Contract)),
                // No rating is chosen for the reviewer: two keys must not record "green".
                Field::choice("rag", "RAG", &[UNRATED, "green", "amber", "red"], UNRATED),
                Field::multi("summary", "Summary", ""),
                Field::boolean("escalate", "Escalate to board", false),
                Field::date("reviewed_on", "Review date", Some(today)).suggested(),
                Field::opt_date(
                    "next_review_on",
                    "Next review",
                    Some(suggested_next_review(today, settings.review_interval_days, None, false)),
                )
                .suggested(),
            ];
            ("Progress review".into(), fields, None, 0)
        }
        FormKind::Contract(id) => {
            let c: Option<Contract> = id.map(|i| store.get(i)).transpose()?;
            let streams: Vec<FundingStream> = store.all()?;
            stream_ids = std::iter::once(None).chain(streams.iter().map(|s| Some(s.id))).collect();
            let school = c.as_ref().map(|c| c.school_id).or(ctx.school);
            let leader = c.as_ref().map(|c| c.leader_id).or(ctx.leader);
            let start = c.as_ref().map_or(today, |c| c.start_on);
            let fields = vec![
                // School and focus first: the leader picker is ranked for them when reached.
                Field::pick("school_id", "Supported school", school_picker(snap), school.map(Target::School)),
                Field::text("focus", "Focus", c.as_ref().map_or(ctx.focus.as_deref().unwrap_or(""), |c| &c.focus)),
                Field::pick("leader_id", "System leader", leader_picker(snap), leader.map(Target::Leader)),
                Field::multi("aims", "Aims", c.as_ref().map_or("", |c| &c.aims)),
                Field::multi("success_criteria", "Success criteria", c.as_ref().map_or("", |c| &c.success_criteria)),
                Field::date("start_on", "Start", Some(start)).suggested_if(c.is_none()),
                Field::date("end_on", "End", Some(c.as_ref().map_or(start + Duration::days(120), |c| c.end_on)))
                    .suggested_if(c.is_none()),
                Field::days("days_commissioned", "Days", c.as_ref().map(|c| c.days_commissioned).or(ctx.days)),
                Field::money("day_rate_pence", "Day rate (blank: the leader's)", c.as_ref().map(|c| c.day_rate_pence))
                    .optional(),
                Field::text("funding", "Funding (who pays)", c.as_ref().map_or("", |c| &c.funding)).optional(),
                {
                    let mut names: Vec<&str> = vec![NO_STREAM];
                    names.extend(streams.iter().map(|s| s.name.as_str()));
                    let current = c
                        .as_ref()
                        .and_then(|c| c.funding_stream_id)
                        .and_then(|id| streams.iter().find(|s| s.id == id))
                        .map_or(NO_STREAM, |s| s.name.as_str());
                    Field::choice("funding_stream_id", "Funding stream", &names, current)
                },
                Field::choice(
                    "status",
                    "Status",
                    &strs(ContractStatus::ALL, ContractStatus::as_str),
                    c.as_ref().map_or("proposed", |c| c.status.as_str()),
                ),
            ];
            let title = match &c {
                Some(c) => format!("Edit contract #{}", c.id),
                None => "New contract".into(),
            };
            let v = c.as_ref().map_or(0, |c| c.stamp.version);
            (title, fields, c.as_ref().and_then(json), v)
        }
        FormKind::School(None) => {
            let fields = vec![
                Field::text("name", "Name", ""),
                Field::text("urn", "URN (if it has one)", "").optional(),
                Field::choice("phase", "Phase", &strs(Phase::ALL, Phase::as_str), "Primary"),
                Field::text("school_type", "Type", "").optional(),
                Field::text("la_name", "Local authority", "").optional(),
                Field::text("postcode", "Postcode", "").optional(),
                Field::text("pupils", "Pupils on roll", "").optional(),
                Field::text("trust", "Trust", "").optional(),
                Field::text("headteacher", "Headteacher", "").optional(),
                Field::boolean("member", "Alliance member", true),
                Field::choice("category", "Category", &["A", "B", "C", "D"], "A"),
                Field::multi("notes", "Soft intelligence", "").optional(),
            ];
            ("New school".into(), fields, None, 0)
        }
        FormKind::School(Some(id)) => {
            let s: School = store.get(id)?;
            let fields = vec![
                Field::text("name", "Name", &s.name).locked(),
                Field::choice("category", "Category", &["A", "B", "C", "D"], s.category.as_str()),
                Field::multi("notes", "Soft intelligence", &s.notes),
                Field::text("headteacher", "Headteacher", &s.headteacher).optional(),
                Field::text("trust", "Trust", &s.trust).optional(),
                Field::boolean("member", "Alliance member", s.member),
            ];
            (format!("Edit school · {}", s.name), fields, json(&s), s.stamp.version)
        }
        FormKind::Inspection(id) => {
            let s: School = store.get(id)?;
            let fields = vec![
                Field::text("school", "School", &s.name).locked(),
                Field::date("inspected_on", "Inspected on", Some(today)).suggested(),
                Field::choice("framework", "Framework", &strs(Framework::ALL, Framework::as_str), "report_card"),
                Field::text("outcome", "Outcome (as published)", ""),
                Field::choice("grade", "Grade (graded only)", &["none", "1", "2", "3", "4"], "none"),
                // Not assumed: "met" is a judgement the report states.
                Field::choice("safeguarding_met", "Safeguarding", &["unknown", "met", "not met"], "unknown"),
                Field::multi("areas", "Areas (one per line)", ""),
            ];
            (format!("Add inspection · {}", s.name), fields, None, 0)
        }
        FormKind::Leader(id) => {
            let l: Option<Leader> = id.map(|i| store.get(i)).transpose()?;
            let fields = vec![
                Field::text("name", "Name", l.as_ref().map_or("", |l| &l.name)),
                Field::choice(
                    "designation",
                    "Designation",
                    &strs(Designation::ALL, Designation::as_str),
                    l.as_ref().map_or("SLE", |l| l.designation.as_str()),
                ),
                // Their own school: the conflict-of-interest rule excludes them from it (and
                // from its trust's schools) when the board looks for a leader.
                Field::pick(
                    "home_school_id",
                    "Home school",
                    school_picker(snap),
                    l.as_ref().and_then(|l| l.home_school_id).map(Target::School),
                )
                .optional(),
                Field::text("specialisms", "Specialisms", l.as_ref().map_or("", |l| &l.specialisms)).optional(),
                Field::days("days_per_year", "Capacity (days/yr)", l.as_ref().map(|l| l.days_per_year)),
                Field::money("day_rate_pence", "Day rate (blank: default)", l.as_ref().map(|l| l.day_rate_pence))
                    .optional(),
                Field::text("email", "Email", l.as_ref().map_or("", |l| &l.email)).optional(),
                Field::text("phone", "Phone", l.as_ref().map_or("", |l| &l.phone)).optional(),
                Field::boolean("active", "Active", l.as_ref().is_none_or(|l| l.active)),
            ];
            let title = match &l {
                Some(l) => format!("Edit leader · {}", l.name),
                None => "New system leader".into(),
            };
            let v = l.as_ref().map_or(0, |l| l.stamp.version);
            (title, fields, l.as_ref().and_then(json), v)
        }
        FormKind::Meeting => {
            let fields = vec![
                Field::date("held_on", "Meeting date", Some(today)).suggested(),
                Field::multi("notes", "Notes / minutes", ""),
            ];
            ("Record a board meeting".into(), fields, None, 0)
        }
        FormKind::Decision(id) => {
            let d: Option<Decision> = id.map(|i| store.get(i)).transpose()?;
            let meetings = store.meetings()?;
            let meeting_model = picker(
                meetings.iter().map(|m| (Target::Meeting(m.id), format!("Board of {}", fmt_date(m.held_on)))).collect(),
            );
            let meeting = d.as_ref().map(|d| d.meeting_id).or(meetings.first().map(|m| m.id));
            let fields = vec![
                Field::pick("meeting_id", "Meeting", meeting_model, meeting.map(Target::Meeting)),
                Field::choice(
                    "kind",
                    "Kind",
                    &strs(DecisionKind::ALL, DecisionKind::as_str),
                    d.as_ref().map_or("monitor", |d| d.kind.as_str()),
                ),
                Field::pick(
                    "school_id",
                    "School",
                    school_picker(snap),
                    d.as_ref().and_then(|d| d.school_id).or(ctx.school).map(Target::School),
                )
                .optional(),
                Field::pick(
                    "contract_id",
                    "Contract",
                    contract_picker(snap, false),
                    d.as_ref().and_then(|d| d.contract_id).or(ctx.contract).map(Target::Contract),
                )
                .optional(),
                Field::multi("text", "Decision", d.as_ref().map_or("", |d| &d.text)),
                Field::text("owner", "Owner", d.as_ref().map_or("", |d| &d.owner)).optional(),
                Field::opt_date("due_on", "Due", d.as_ref().and_then(|d| d.due_on)),
                Field::boolean("done", "Done", d.as_ref().is_some_and(|d| d.done)),
            ];
            let title = if d.is_some() { "Edit decision" } else { "Record a decision" };
            let v = d.as_ref().map_or(0, |d| d.stamp.version);
            (title.into(), fields, d.as_ref().and_then(json), v)
        }
        FormKind::Stream(id) => {
            let f: Option<FundingStream> = id.map(|i| store.get(i)).transpose()?;
            let fields = vec![
                Field::text("name", "Name", f.as_ref().map_or("", |f| &f.name)),
                Field::money("amount_pence", "Amount available", f.as_ref().map(|f| f.amount_pence)),
                Field::multi("notes", "Notes", f.as_ref().map_or("", |f| &f.notes)).optional(),
            ];
            let title = match &f {
                Some(f) => format!("Edit funding stream · {}", f.name),
                None => "New funding stream".into(),
            };
            let v = f.as_ref().map_or(0, |f| f.stamp.version);
            (title, fields, f.as_ref().and_then(json), v)
        }
        FormKind::Settings => {
            let fields = SPECS
                .iter()
                .map(|spec| {
                    let stored = settings.get(spec.key).unwrap_or_default();
                    match spec.unit {
                        Unit::Pence => Field::money(spec.key, spec.label, stored.parse().ok()),
                        Unit::Month => Field::choice(spec.key, spec.label, &MONTH_NAMES, &settings.shown(spec.key)),
                        // "15%" and "42 days" say their unit; both are read back as typed.
                        Unit::Percent | Unit::Days => Field::text(spec.key, spec.label, &settings.shown(spec.key)),
                        Unit::Text => Field::text(spec.key, spec.label, &stored),
                    }
                })
                .collect();
            initial = Some(stored_settings(&settings));
            ("Settings".into(), fields, initial.clone(), 0)
        }
    };
    let mut of =
        OpenForm { kind, form: Form::new(title, fields, today), base, version, ranked_for: None, stream_ids, initial };
    rank_leaders(&mut of, store, snap);
    Ok(of)
}

/// In the contract form, orders the leader picker by who is best placed for the chosen school
/// and focus (see [`crate::matching`]), each with its score and top reason; conflicts of
/// interest are listed last with why. Re-ranks only when the school or focus changed.
pub fn rank_leaders(of: &mut OpenForm, store: &Store, snap: &Snapshot) {
    // Ranked when the leader field is reached, not on every keystroke of the focus.
    let on_leader = of.form.fields.get(of.form.focus).is_some_and(|f| f.key == "leader_id");
    if !matches!(of.kind, FormKind::Contract(_)) || !on_leader {
        return;
    }
    let Some(school) = picked(&of.form, "school_id") else { return };
    let focus = text(&of.form, "focus").trim().to_string();
    if focus.is_empty() || of.ranked_for.as_ref() == Some(&(school, focus.clone())) {
        return;
    }
    let days = of.form.field("days_commissioned").and_then(|f| parse_days(&f.value()).ok());
    let Ok(ranked) = store.best_placed(snap, school, &focus, days) else { return };
    let items = ranked
        .iter()
        .map(|r| {
            let label = match &r.excluded {
                Some(why) => format!("✗ {} ({}) — {why}", r.name, r.designation),
                None => format!(
                    "{} ({}) — {} days free — score {}{}",
                    r.name,
                    r.designation,
                    fmt_days(r.available),
                    r.score,
                    r.reasons.first().map_or(String::new(), |w| format!(" · {w}"))
                ),
            };
            (Target::Leader(r.leader_id), label)
        })
        .collect();
    if let Some(f) = of.form.field_mut("leader_id") {
        let model = picker(items);
        f.list.refresh(&model);
        if let Some(t) = f.picked
            && let Some(row) = model.rows.iter().find(|r| r.target == t)
        {
            f.picked_label = row.cells.first().map(|c| c.plain()).unwrap_or_default();
        }
        f.kind = super::form::Kind::Pick(model);
    }
    of.ranked_for = Some((school, focus));
}

/// In the review form, keeps the suggested next review in step with the rating and escalation
/// (half the interval for a red review escalated to the board), while the user has not typed
/// their own date.
pub fn follow_choices(of: &mut OpenForm, store: &Store) {
    if of.kind != FormKind::Review || !of.form.take_choice_changed() {
        return;
    }
    if of.form.field("next_review_on").is_none_or(|f| !f.suggested) {
        return;
    }
    let Ok(settings) = store.settings() else { return };
    let on =
        of.form.field("reviewed_on").and_then(|f| f.parse_date(of.form.today).ok().flatten()).unwrap_or(of.form.today);
    let rag = Rag::parse(chosen(&of.form, "rag"));
    let next = suggested_next_review(on, settings.review_interval_days, rag, flag(&of.form, "escalate"));
    if let Some(f) = of.form.field_mut("next_review_on") {
        f.set_text(&next.format("%d/%m/%Y").to_string());
        f.suggested = true;
    }
}

fn picked(form: &Form, key: &str) -> Option<i64> {
    match form.field(key).and_then(|f| f.picked) {
        Some(
            Target::School(i)
            | Target::Leader(i)
            | Target::Contract(i)
            | Target::Meeting(i)
            | Target::Stream(i)
            | Target::Visit(i),
        ) => Some(i),
        _ => None,
    }
}

fn text(form: &Form, key: &str) -> String {
    form.field(key).map(|f| f.value()).unwrap_or_default()
}

fn chosen<'a>(form: &'a Form, key: &str) -> &'a str {
    form.field(key).map_or("", |f| f.chosen())
}

fn flag(form: &Form, key: &str) -> bool {
    form.field(key).is_some_and(|f| f.choice == 1)
}

/// Parses every typed field; collects field errors into the form. `None` if any failed.
struct Reader<'a> {
    form: &'a mut Form,
    failed: bool,
}

impl Reader<'_> {
    fn date(&mut self, key: &'static str) -> Option<NaiveDate> {
        let today = self.form.today;
        let f = self.form.field_mut(key)?;
        match f.parse_date(today) {
            Ok(d) => d,
            Err(e) => {
                f.error = Some(e);
                self.failed = true;
                None
            }
        }
    }
    fn days(&mut self, key: &'static str) -> f64 {
        let Some(f) = self.form.field_mut(key) else { return 0.0 };
        match parse_days(&f.value()) {
            Ok(v) => v,
            Err(e) => {
                f.error = Some(e.to_string());
                self.failed = true;
                0.0
            }
        }
    }
    fn pence(&mut self, key: &'static str) -> Option<i64> {
        let f = self.form.field_mut(key)?;
        if f.optional && f.value().trim().is_empty() {
            return None;
        }
        match parse_pence(&f.value()) {
            Ok(v) => Some(v),
            Err(e) => {
                f.error = Some(e.to_string());
                self.failed = true;
                None
            }
        }
    }
    /// A whole number that may be left blank.
    fn optional_number(&mut self, key: &'static str, hint: &str) -> Option<i64> {
        let f = self.form.field_mut(key)?;
        let v = f.value();
        let t = v.trim().replace(',', "");
        if t.is_empty() {
            return None;
        }
        match t.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                f.error = Some(format!("`{}` is not a number — {hint}", t.chars().take(20).collect::<String>()));
                self.failed = true;
                None
            }
        }
    }
    fn need(&mut self, key: &'static str, what: &str) -> i64 {
        match picked(self.form, key) {
            Some(id) => id,
            None => {
                if let Some(f) = self.form.field_mut(key) {
                    f.error = Some(format!("choose the {what}"));
                }
                self.failed = true;
                0
            }
        }
    }
}

/// Shows store problems next to their fields; problems without a field go to the notice.
fn show_problems(form: &mut Form, problems: &[Problem]) {
    let mut unplaced = Vec::new();
    for p in problems {
        let slot = form.field_mut(p.field).filter(|f| !f.locked);
        match (slot, p.level) {
            (Some(f), Level::Error) => f.error = Some(p.message.clone()),
            (Some(f), Level::Warning) => f.warning = Some(p.message.clone()),
            (None, _) => unplaced.push(p.message.clone()),
        }
    }
    if !unplaced.is_empty() {
        form.notice_lines.extend(unplaced);
    }
}

/// What a save did.
pub enum Saved {
    /// Saved; the message to show.
    Done(String),
    /// Refused; the form shows why and keeps every value.
    Refused,
}

/// Tries to save the form. On refusal the reasons are put next to the fields and the notice.
pub fn save(of: &mut OpenForm, store: &mut Store, snap: &Snapshot) -> Saved {
    of.form.clear_messages();
    let today = of.form.today;
    let result = build_and_save(of, store, snap, today);
    match result {
        Ok(Some(msg)) => Saved::Done(msg),
        Ok(None) => {
            of.form.notice = Some(("not saved — fix the fields marked ✗ (your text is kept)".into(), true));
            of.form.focus_first_error();
            Saved::Refused
        }
        Err(StoreError::Invalid(p)) => {
            show_problems(&mut of.form, &p.0);
            of.form.notice = Some(("not saved — fix the fields marked ✗ (your text is kept)".into(), true));
            of.form.focus_first_error();
            Saved::Refused
        }
        Err(StoreError::Stale { entity, id, by, at }) => {
            stale(of, store, entity, id, &by, &at);
            Saved::Refused
        }
        Err(e) => {
            of.form.notice = Some((format!("not saved: {e} (your text is kept)"), true));
            Saved::Refused
        }
    }
}

/// Someone saved first: say who and when, list what they changed, and take their version as
/// the new base so a second Ctrl-S applies these values on top of theirs.
fn stale(of: &mut OpenForm, store: &Store, entity: &str, id: i64, by: &str, at: &str) {
    let at_shown = at.replace('T', " ").trim_end_matches('Z').to_string();
    of.form.notice = Some((
        format!(
            "not saved: this {entity} was changed by {by} at {at_shown} — your values are kept; Ctrl-S again saves them over the new version"
        ),
        true,
    ));
    let current: Option<(serde_json::Value, i64)> = match of.kind {
        FormKind::Contract(_) => {
            store.find::<Contract>(id).ok().flatten().map(|r| (json(&r).unwrap_or_default(), r.stamp.version))
        }
        FormKind::School(_) => {
            store.find::<School>(id).ok().flatten().map(|r| (json(&r).unwrap_or_default(), r.stamp.version))
        }
        FormKind::Leader(_) => {
            store.find::<Leader>(id).ok().flatten().map(|r| (json(&r).unwrap_or_default(), r.stamp.version))
        }
        FormKind::Decision(_) => {
            store.find::<Decision>(id).ok().flatten().map(|r| (json(&r).unwrap_or_default(), r.stamp.version))
        }
        FormKind::VisitEdit(_) => {
            store.find::<Visit>(id).ok().flatten().map(|r| (json(&r).unwrap_or_default(), r.stamp.version))
        }
        FormKind::Stream(_) => {
            store.find::<FundingStream>(id).ok().flatten().map(|r| (json(&r).unwrap_or_default(), r.stamp.version))
        }
        FormKind::Settings => store.settings().ok().map(|s| (stored_settings(&s), 0)),
        _ => None,
    };
    if let Some((now, version)) = current {
        if let (Some(old), Some(new)) = (of.base.as_ref().and_then(|b| b.as_object()), now.as_object()) {
            for (k, v) in new {
                if k == "stamp" {
                    continue;
                }
                if old.get(k) != Some(v) {
                    let show = |v: Option<&serde_json::Value>| match v {
                        Some(serde_json::Value::String(s)) => s.chars().take(40).collect(),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    };
                    of.form.notice_lines.push(format!("{k}: {} → {}", show(old.get(k)), show(Some(v))));
                }
            }
        }
        of.base = Some(now);
        of.version = version;
    }
    if of.kind == FormKind::Settings {
        refresh_untouched_settings(of, store);
    }
}

/// After someone else changed the settings: the fields the user left alone take the new
/// values (and count as untouched again); the ones they changed keep what they typed.
fn refresh_untouched_settings(of: &mut OpenForm, store: &Store) {
    let Ok(now) = store.settings() else { return };
    let mut first = of.initial.clone().unwrap_or_default();
    for spec in SPECS {
        let Some(f) = of.form.field_mut(spec.key) else { continue };
        let typed = match spec.unit {
            Unit::Month => f.chosen().to_string(),
            _ => f.value(),
        };
        let shown = first.get(spec.key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        if parse_value(spec, &typed).ok().as_deref() != Some(shown.as_str()) {
            continue;
        }
        let stored = now.get(spec.key).unwrap_or_default();
        match spec.unit {
            Unit::Month => {
                if let Some(i) = MONTH_NAMES.iter().position(|m| *m == now.shown(spec.key)) {
                    f.choice = i;
                }
            }
            Unit::Pence => f.set_text(&fmt_pence(stored.parse().unwrap_or(0)).replace(',', "")),
            Unit::Percent | Unit::Days => f.set_text(&now.shown(spec.key)),
            Unit::Text => f.set_text(&stored),
        }
        first[spec.key] = serde_json::Value::from(stored);
    }
    of.initial = Some(first);
}

fn warnings_text(w: &[Problem]) -> String {
    if w.is_empty() {
        String::new()
    } else {
        format!(" (note: {})", w.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("; "))
    }
}

fn build_and_save(
    of: &mut OpenForm,
    store: &mut Store,
    snap: &Snapshot,
    today: NaiveDate,
) -> Result<Option<String>, StoreError> {
    let settings = store.settings()?;
    let version = of.version;
    let kind = of.kind;
    let stream_ids = of.stream_ids.clone();
    let initial = of.initial.clone();
    let mut r = Reader { form: &mut of.form, failed: false };
    match kind {
        FormKind::Visit => {
            let contract_id = r.need("contract_id", "contract");
            let leader = picked(r.form, "leader_id")
                .or_else(|| snap.contracts.iter().find(|p| p.contract.id == contract_id).map(|p| p.contract.leader_id))
                .unwrap_or(0);
            let visited_on = r.date("visited_on");
            let days = r.days("days");
            if r.failed {
                return Ok(None);
            }
            let v = Visit {
                id: 0,
                contract_id,
                leader_id: leader,
                visited_on: visited_on.unwrap_or(today),
                days,
                activity: Activity::parse(chosen(r.form, "activity")).unwrap_or(Activity::Coaching),
                notes: text(r.form, "notes"),
                next_steps: text(r.form, "next_steps"),
                stamp: Stamp::default(),
            };
            let (id, warnings) = store.add_visit(&v, today)?;
            Ok(Some(format!(
                "visit #{id} logged: {} day(s) on {}{}",
                fmt_days(days),
                fmt_date(v.visited_on),
                warnings_text(&warnings)
            )))
        }
        FormKind::VisitEdit(id) => {
            if flag(r.form, "remove") {
                let gone = store.remove_visit(id, version)?;
                return Ok(Some(format!(
                    "visit #{id} of {} removed ({} day(s); kept in the audit trail)",
                    fmt_date(gone.visited_on),
                    fmt_days(gone.days)
                )));
            }
            let visited_on = r.date("visited_on");
            let days = r.days("days");
            let leader = r.need("leader_id", "leader who visited");
            if r.failed {
                return Ok(None);
            }
            let mut v: Visit = store.get(id)?;
            v.leader_id = leader;
            v.visited_on = visited_on.unwrap_or(v.visited_on);
            v.days = days;
            v.activity = Activity::parse(chosen(r.form, "activity")).unwrap_or(v.activity);
            v.notes = text(r.form, "notes");
            v.next_steps = text(r.form, "next_steps");
            v.stamp.version = version;
            let warnings = store.update_visit(&v, today)?;
            Ok(Some(format!(
                "visit #{id} corrected: {} day(s) on {}{}",
                fmt_days(v.days),
                fmt_date(v.visited_on),
                warnings_text(&warnings)
            )))
        }
        FormKind::Review => {
            let contract_id = r.need("contract_id", "contract");
            let reviewed_on = r.date("reviewed_on");
            let next = r.date("next_review_on");
            let rag = Rag::parse(chosen(r.form, "rag"));
            if rag.is_none()
                && let Some(f) = r.form.field_mut("rag")
            {
                f.error = Some("choose the rating: green, amber or red (→ or space)".into());
                r.failed = true;
            }
            // Said with the rating, not after it: every missing thing at once.
            if text(r.form, "summary").trim().is_empty()
                && let Some(f) = r.form.field_mut("summary")
            {
                f.error = Some("the summary is needed: what was reviewed, and the evidence for the rating".into());
                r.failed = true;
            }
            if r.failed {
                return Ok(None);
            }
            let rv = Review {
                id: 0,
                contract_id,
                reviewed_on: reviewed_on.unwrap_or(today),
                rag: rag.unwrap_or(Rag::Amber),
                summary: text(r.form, "summary"),
                next_review_on: next,
                escalate: flag(r.form, "escalate"),
                stamp: Stamp::default(),
            };
            let id = store.add_review(&rv, today)?;
            Ok(Some(format!("review #{id} recorded ({})", rv.rag)))
        }
        FormKind::Contract(id) => {
            let school_id = r.need("school_id", "supported school");
            let leader_id = r.need("leader_id", "system leader");
            let start = r.date("start_on");
            let end = r.date("end_on");
            let days = r.days("days_commissioned");
            let rate = r.pence("day_rate_pence");
            if r.failed {
                return Ok(None);
            }
            let stream_id = {
                let i = r.form.field("funding_stream_id").map_or(0, |f| f.choice);
                stream_ids.get(i).copied().flatten()
            };
            if let Some(sid) = stream_id
                && store.find::<FundingStream>(sid)?.is_none()
            {
                if let Some(f) = r.form.field_mut("funding_stream_id") {
                    f.error =
                        Some("this stream was removed since the form opened — Esc, then open the form again".into());
                }
                return Ok(None);
            }
            let leader = snap.leaders.iter().find(|l| l.leader.id == leader_id);
            // A blank rate takes the leader's own agreed rate; a leader without one (0) takes
            // the default for their designation from the settings.
            let own_rate = match leader {
                Some(l) => store.find::<Leader>(l.leader.id)?.map_or(0, |r| r.day_rate_pence),
                None => 0,
            };
            let default_rate = match (own_rate, leader) {
                (r, _) if r > 0 => r,
                (_, Some(l)) => settings.day_rate(l.leader.designation),
                _ => 0,
            };
            let c = Contract {
                id: id.unwrap_or(0),
                school_id,
                leader_id,
                focus: text(r.form, "focus").trim().to_string(),
                aims: text(r.form, "aims"),
                success_criteria: text(r.form, "success_criteria"),
                start_on: start.unwrap_or(today),
                end_on: end.unwrap_or(today),
                days_commissioned: days,
                day_rate_pence: rate.unwrap_or(default_rate),
                funding: text(r.form, "funding").trim().to_string(),
                funding_stream_id: stream_id,
                status: ContractStatus::parse(chosen(r.form, "status")).unwrap_or(ContractStatus::Proposed),
                stamp: Stamp { version, ..Stamp::default() },
            };
            let over = capacity_warning(snap, &c);
            let (saved_id, warnings) = store.save_contract(&c)?;
            let mut msg = format!("contract #{saved_id} saved{}", warnings_text(&warnings));
            if let Some(w) = over {
                msg.push_str(&format!(" — warning: {w}"));
            }
            Ok(Some(msg))
        }
        FormKind::School(None) => {
            let urn = r.optional_number("urn", "a URN is six digits, e.g. 113525");
            let pupils = r.optional_number("pupils", "pupils on roll is a whole number");
            if r.failed {
                return Ok(None);
            }
            let s = School {
                id: 0,
                urn,
                name: text(r.form, "name").trim().to_string(),
                phase: Phase::parse(chosen(r.form, "phase")).unwrap_or(Phase::Primary),
                school_type: text(r.form, "school_type").trim().to_string(),
                la_name: text(r.form, "la_name").trim().to_string(),
                postcode: text(r.form, "postcode").trim().to_uppercase(),
                pupils,
                trust: text(r.form, "trust").trim().to_string(),
                headteacher: text(r.form, "headteacher").trim().to_string(),
                member: flag(r.form, "member"),
                category: Category::parse(chosen(r.form, "category")).unwrap_or(Category::A),
                notes: text(r.form, "notes"),
                stamp: Stamp::default(),
            };
            let id = store.save_school(&s)?;
            Ok(Some(format!("school #{id} {} added (category {})", s.name, s.category)))
        }
        FormKind::School(Some(id)) => {
            let mut s: School = store.get(id)?;
            s.category = Category::parse(chosen(r.form, "category")).unwrap_or(s.category);
            s.notes = text(r.form, "notes");
            s.headteacher = text(r.form, "headteacher").trim().to_string();
            s.trust = text(r.form, "trust").trim().to_string();
            s.member = flag(r.form, "member");
            s.stamp.version = version;
            store.save_school(&s)?;
            Ok(Some(format!("{} saved (category {})", s.name, s.category)))
        }
        FormKind::Inspection(school_id) => {
            let on = r.date("inspected_on");
            if r.failed {
                return Ok(None);
            }
            let framework = Framework::parse(chosen(r.form, "framework")).unwrap_or(Framework::ReportCard);
            let grade = chosen(r.form, "grade").parse::<i64>().ok();
            let outcome = match (text(r.form, "outcome").trim(), grade) {
                ("", Some(g)) => grade_word(g).to_string(),
                (o, _) => o.to_string(),
            };
            // An inspection with no outcome would become the school's "latest" and hide what
            // the one before it said.
            if outcome.is_empty() {
                if let Some(f) = r.form.field_mut("outcome") {
                    f.error =
                        Some("the outcome is needed, as published (e.g. Requires improvement), or a grade".into());
                }
                return Ok(None);
            }
            let i = Inspection {
                id: 0,
                school_id,
                inspected_on: on.unwrap_or(today),
                framework,
                outcome,
                grade,
                safeguarding_met: match chosen(r.form, "safeguarding_met") {
                    "met" => Some(true),
                    "not met" => Some(false),
                    _ => None,
                },
                areas: text(r.form, "areas"),
                stamp: Stamp::default(),
            };
            let id = store.add_inspection(&i, today)?;
            Ok(Some(format!("inspection #{id} added")))
        }
        FormKind::Leader(id) => {
            let cap = r.days("days_per_year");
            let rate = r.pence("day_rate_pence");
            if r.failed {
                return Ok(None);
            }
            let mut l: Leader = match id {
                Some(i) => store.get(i)?,
                None => Leader {
                    id: 0,
                    name: String::new(),
                    designation: Designation::Sle,
                    home_school_id: None,
                    specialisms: String::new(),
                    days_per_year: 0.0,
                    day_rate_pence: 0,
                    email: String::new(),
                    phone: String::new(),
                    active: true,
                    stamp: Stamp::default(),
                },
            };
            l.name = text(r.form, "name").trim().to_string();
            l.designation = Designation::parse(chosen(r.form, "designation")).unwrap_or(l.designation);
            l.home_school_id = picked(r.form, "home_school_id");
            l.specialisms = text(r.form, "specialisms").trim().to_string();
            l.days_per_year = cap;
            // Blank: the default day rate for their designation, from the settings.
            l.day_rate_pence = rate.unwrap_or_else(|| settings.day_rate(l.designation));
            l.email = text(r.form, "email").trim().to_string();
            l.phone = text(r.form, "phone").trim().to_string();
            l.active = flag(r.form, "active");
            l.stamp.version = version;
            let saved = store.save_leader(&l)?;
            Ok(Some(if id.is_some() {
                format!("{} saved", l.name)
            } else {
                format!("leader #{saved} {} ({}) added at {} a day", l.name, l.designation, fmt_pence(l.day_rate_pence))
            }))
        }
        FormKind::Meeting => {
            let on = r.date("held_on");
            if r.failed {
                return Ok(None);
            }
            let m =
                Meeting { id: 0, held_on: on.unwrap_or(today), notes: text(r.form, "notes"), stamp: Stamp::default() };
            let id = store.save_meeting(&m)?;
            Ok(Some(format!("board meeting #{id} of {} recorded", fmt_date(m.held_on))))
        }
        FormKind::Decision(id) => {
            let meeting_id = r.need("meeting_id", "board meeting");
            let due = r.date("due_on");
            if r.failed {
                return Ok(None);
            }
            let d = Decision {
                id: id.unwrap_or(0),
                meeting_id,
                school_id: picked(r.form, "school_id"),
                contract_id: picked(r.form, "contract_id"),
                kind: DecisionKind::parse(chosen(r.form, "kind")).unwrap_or(DecisionKind::Monitor),
                text: text(r.form, "text"),
                owner: text(r.form, "owner").trim().to_string(),
                due_on: due,
                done: flag(r.form, "done"),
                stamp: Stamp { version, ..Stamp::default() },
            };
            let id = store.save_decision(&d)?;
            Ok(Some(format!("decision #{id} recorded")))
        }
        FormKind::Stream(id) => {
            let amount = r.pence("amount_pence");
            if r.failed {
                return Ok(None);
            }
            let f = FundingStream {
                id: id.unwrap_or(0),
                name: text(r.form, "name"),
                amount_pence: amount.unwrap_or(0),
                notes: text(r.form, "notes"),
                stamp: Stamp { version, ..Stamp::default() },
            };
            let saved = store.save_stream(&f)?;
            // Saved: what follows only words the message, so a failed read must not say otherwise.
            let committed = match (store.get::<FundingStream>(saved), store.contracts_with_streams()) {
                (Ok(stored), Ok(rows)) => crate::board::budget(std::slice::from_ref(&stored), &rows, snap.year)
                    .streams
                    .pop()
                    .map_or(0, |l| l.committed_pence),
                _ => 0,
            };
            let mut msg = format!("funding stream {} saved: {}", f.name.trim(), fmt_pence(f.amount_pence));
            if committed > f.amount_pence {
                msg.push_str(&format!(
                    " — warning: {} is committed, over by {}",
                    fmt_pence(committed),
                    fmt_pence(committed - f.amount_pence)
                ));
            }
            Ok(Some(msg))
        }
        FormKind::Settings => {
            let base = of.base.clone().unwrap_or_default();
            let first = initial.clone().unwrap_or_default();
            let mut changes = Vec::new();
            for spec in SPECS {
                let typed = match spec.unit {
                    Unit::Month => chosen(r.form, spec.key).to_string(),
                    _ => text(r.form, spec.key),
                };
                match parse_value(spec, &typed) {
                    Ok(value) => {
                        // Only what the user changed: a key they left alone is not written
                        // back over someone else's newer value.
                        let shown = first.get(spec.key).and_then(|v| v.as_str()).unwrap_or_default();
                        if value != shown {
                            let expected = base.get(spec.key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
                            changes.push(SettingChange { key: spec.key, expected, value });
                        }
                    }
                    Err(e) => {
                        if let Some(f) = r.form.field_mut(spec.key) {
                            f.error = Some(e);
                        }
                        r.failed = true;
                    }
                }
            }
            if r.failed {
                return Ok(None);
            }
            if changes.is_empty() {
                return Ok(Some("settings unchanged".into()));
            }
            let after = store.change_settings(&changes)?;
            let said: Vec<String> =
                changes.iter().map(|c| format!("{} {}", spec_label(c.key), after.shown(c.key))).collect();
            Ok(Some(format!("settings saved: {}", said.join(", "))))
        }
    }
}

/// The stored value of every setting, as the JSON base a settings form is edited against.
fn stored_settings(s: &crate::store::Settings) -> serde_json::Value {
    SPECS
        .iter()
        .map(|spec| (spec.key.to_string(), serde_json::Value::from(s.get(spec.key).unwrap_or_default())))
        .collect()
}

fn spec_label(key: &str) -> &'static str {
    SPECS.iter().find(|s| s.key == key).map_or("", |s| s.label)
}

/// Warns when a live contract would take its leader over capacity.
pub fn capacity_warning(snap: &Snapshot, c: &Contract) -> Option<String> {
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
            fmt_days(l.available + already),
            fmt_days(needs)
        )
    })
}
