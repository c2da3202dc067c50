//! The forms coordinators fill in: log a visit, record a progress review, a contract (new or
//! edit), a school (category, soft intelligence), an inspection, a leader, a board meeting and
//! a decision. Each turns its fields into a domain record and saves it through the store's
//! validated writes; a refused save puts the reasons next to the fields and keeps every value.

use super::form::{Field, Form, picker};
use super::table::Target;
use crate::domain::dates::MONTH_NAMES;
use crate::domain::money::fmt_pence;
use crate::domain::money::{fmt_days, parse_days, parse_pence};
use crate::domain::settings::{SPECS, SettingChange, Settings, Unit, parse_value};
use crate::domain::validate::{Level, Problem, next_review_interval};
use crate::domain::*;
use crate::metrics::Snapshot;
use crate::store::{Store, StoreError};
use chrono::{Duration, NaiveDate};

/// The funding-stream choice meaning "not allocated to a stream".
const NO_STREAM: &str = "none";

/// The review form's RAG before the reviewer picks one.
const UNRATED: &str = "choose…";

mod closeout;
mod contract;
mod decision;
mod inspection;
mod leader;
mod meeting;
mod ratings;
mod review;
mod school;
mod settings;
mod sign;
mod stream;
mod visit;

/// A form as opened: its title, fields, the record as loaded (JSON) and its version.
type Opened = (String, Vec<Field>, Option<serde_json::Value>, i64);

/// What opening a form may set besides its fields.
#[derive(Default)]
struct Extra {
    /// The contract form's funding-stream choices as ids.
    stream_ids: Vec<Option<i64>>,
    /// The settings form's stored values as first shown.
    initial: Option<serde_json::Value>,
}

/// What a save reads besides the fields.
struct SaveCx {
    settings: Settings,
    version: i64,
    stream_ids: Vec<Option<i64>>,
    initial: Option<serde_json::Value>,
    base: Option<serde_json::Value>,
}

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
    /// Close a contract with its close-out (`forms/closeout.rs`).
    Closeout(i64),
    /// Record a signature on a contract's agreement (`forms/sign.rs`).
    Sign(i64),
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
            FormKind::Closeout(i) => ("closeout", i.to_string()),
            FormKind::Sign(i) => ("sign", i.to_string()),
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
    let mut extra = Extra::default();
    let (title, fields, base, version): Opened = match kind {
        FormKind::Visit => visit::open_new(snap, today, &ctx)?,
        FormKind::VisitEdit(id) => visit::open_edit(id, store, snap)?,
        FormKind::Review => review::open(store, snap, today, &ctx, &settings)?,
        FormKind::Contract(id) => contract::open(id, store, snap, today, &ctx, &mut extra)?,
        FormKind::School(None) => school::open_new()?,
        FormKind::School(Some(id)) => school::open_edit(id, store)?,
        FormKind::Inspection(id) => inspection::open(id, store, today)?,
        FormKind::Leader(id) => leader::open(id, store, snap)?,
        FormKind::Meeting => meeting::open(today)?,
        FormKind::Decision(id) => decision::open(id, store, snap, &ctx)?,
        FormKind::Stream(id) => stream::open(id, store)?,
        FormKind::Settings => settings::open(&settings, &mut extra)?,
        FormKind::Closeout(id) => {
            let (title, fields) = closeout::open(store, id, today)?;
            (title, fields, None, 0)
        }
        FormKind::Sign(id) => {
            let (title, fields) = sign::open(store, id, today)?;
            (title, fields, None, 0)
        }
    };
    let Extra { stream_ids, initial } = extra;
    let form = Form::new(title, fields, today).started_from(version);
    let mut of = OpenForm { kind, form, base, version, ranked_for: None, stream_ids, initial };
    rank_leaders(&mut of, store, snap);
    Ok(of)
}

/// In the contract form, orders the leader picker by who is best placed for the chosen school
/// and focus (see [`crate::matching`]), each with its score and top reason; conflicts of
/// interest are listed last with why. Re-ranks only when the school or focus changed.
pub fn rank_leaders(of: &mut OpenForm, store: &Store, snap: &Snapshot) {
    // Ranked when the leader field is reached, not on every keystroke of the focus.
    let on_leader = of.form.fields.get(of.form.focus).is_some_and(|f| f.key == contract::LEADER_ID);
    if !matches!(of.kind, FormKind::Contract(_)) || !on_leader {
        return;
    }
    let Some(school) = picked(&of.form, contract::SCHOOL_ID) else { return };
    let focus = text(&of.form, contract::FOCUS).trim().to_string();
    if focus.is_empty() || of.ranked_for.as_ref() == Some(&(school, focus.clone())) {
        return;
    }
    let days = of.form.field(contract::DAYS_COMMISSIONED).and_then(|f| parse_days(&f.value()).ok());
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
    if let Some(f) = of.form.field_mut(contract::LEADER_ID) {
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
    if of.form.field(review::NEXT_REVIEW_ON).is_none_or(|f| !f.suggested) {
        return;
    }
    let Ok(settings) = store.settings() else { return };
    let on = of
        .form
        .field(review::REVIEWED_ON)
        .and_then(|f| f.parse_date(of.form.today).ok().flatten())
        .unwrap_or(of.form.today);
    let rag = Rag::parse(chosen(&of.form, review::RAG));
    let Ok(calendar) = store.calendar() else { return };
    let days = next_review_interval(settings.review_interval_days, rag, flag(&of.form, review::ESCALATE));
    let next = calendar.add_school_days(on, days);
    if let Some(f) = of.form.field_mut(review::NEXT_REVIEW_ON) {
        f.set_text(&next.format("%d/%m/%Y").to_string());
        f.suggested = true;
    }
}

fn picked(form: &Form, key: &str) -> Option<i64> {
    match field(form, key).and_then(|f| f.picked) {
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

/// The field with `key`: a key the form does not have is a programming error, caught in tests
/// (never a silent empty value).
fn field<'a>(form: &'a Form, key: &str) -> Option<&'a super::form::Field> {
    let f = form.field(key);
    debug_assert!(f.is_some(), "the form {:?} has no field {key:?}", form.title);
    f
}

fn text(form: &Form, key: &str) -> String {
    field(form, key).map(|f| f.value()).unwrap_or_default()
}

fn chosen<'a>(form: &'a Form, key: &str) -> &'a str {
    field(form, key).map_or("", |f| f.chosen())
}

fn flag(form: &Form, key: &str) -> bool {
    field(form, key).is_some_and(|f| f.choice == 1)
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
    // A resumed draft is saved against the version it was typed against.
    of.version = of.form.base_version(of.version);
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
            stale(of, store, snap, entity, id, &by, &at);
            Saved::Refused
        }
        Err(e) => {
            of.form.notice = Some((format!("not saved: {} (your text is kept)", super::words::store_error(&e)), true));
            Saved::Refused
        }
    }
}

/// Someone saved first: say who and when, list what they changed, and merge field by field
/// ([`Form::merge`]): the fields the user left alone take their values, hers are kept, and a
/// field both changed is shown as a conflict to resolve. Their version becomes the new base.
fn stale(of: &mut OpenForm, store: &Store, snap: &Snapshot, entity: &str, id: i64, by: &str, at: &str) {
    let at_shown = at.replace('T', " ").trim_end_matches('Z').to_string();
    let current: Option<serde_json::Value> = match of.kind {
        FormKind::Contract(_) => store.find::<Contract>(id).ok().flatten().and_then(|r| json(&r)),
        FormKind::School(_) => store.find::<School>(id).ok().flatten().and_then(|r| json(&r)),
        FormKind::Leader(_) => store.find::<Leader>(id).ok().flatten().and_then(|r| json(&r)),
        FormKind::Decision(_) => store.find::<Decision>(id).ok().flatten().and_then(|r| json(&r)),
        FormKind::VisitEdit(_) => store.find::<Visit>(id).ok().flatten().and_then(|r| json(&r)),
        FormKind::Stream(_) => store.find::<FundingStream>(id).ok().flatten().and_then(|r| json(&r)),
        FormKind::Settings => store.settings().ok().map(|s| stored_settings(&s)),
        _ => None,
    };
    if let (Some(old), Some(new)) =
        (of.base.as_ref().and_then(|b| b.as_object()), current.as_ref().and_then(|c| c.as_object()))
    {
        for (k, v) in new {
            if k == "stamp" || old.get(k) == Some(v) {
                continue;
            }
            let show = |v: Option<&serde_json::Value>| match v {
                Some(serde_json::Value::String(s)) => s.chars().take(40).collect(),
                Some(other) => other.to_string(),
                None => String::new(),
            };
            of.form.notice_lines.push(format!("{k}: {} → {}", show(old.get(k)), show(Some(v))));
        }
    }
    // The same form, opened on the record as it is now, is what the merge takes their values from.
    let conflicts = match open(of.kind, store, snap, of.form.today, Context::default()) {
        Ok(theirs) => {
            let n = of.form.merge(&theirs.form, by);
            of.base = theirs.base;
            of.version = theirs.version;
            of.initial = theirs.initial;
            Some(n)
        }
        Err(_) => None,
    };
    let what = match conflicts {
        Some(0) => "the fields you left alone now show their values and yours are kept — Ctrl-S saves".to_string(),
        Some(n) => format!(
            "the fields you left alone now show their values; {n} field(s) you both changed are marked — on each, Ctrl-T takes theirs, Ctrl-Y keeps yours, or type a new value; then Ctrl-S"
        ),
        None => "your values are kept".to_string(),
    };
    of.form.notice = Some((format!("not saved: this {entity} was changed by {by} at {at_shown} — {what}"), true));
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
    let cx = SaveCx {
        settings: store.settings()?,
        version: of.version,
        stream_ids: of.stream_ids.clone(),
        initial: of.initial.clone(),
        base: of.base.clone(),
    };
    let kind = of.kind;
    let mut r = Reader { form: &mut of.form, failed: false };
    match kind {
        FormKind::Visit => visit::save_new(&mut r, store, snap, today),
        FormKind::VisitEdit(id) => visit::save_edit(id, &mut r, store, today, &cx),
        FormKind::Review => review::save(&mut r, store, today),
        FormKind::Contract(id) => contract::save(id, &mut r, store, snap, today, &cx),
        FormKind::School(None) => school::save_new(&mut r, store),
        FormKind::School(Some(id)) => school::save_edit(id, &mut r, store, &cx),
        FormKind::Inspection(school_id) => inspection::save(school_id, &mut r, store, today),
        FormKind::Leader(id) => leader::save(id, &mut r, store, &cx),
        FormKind::Meeting => meeting::save(&mut r, store, today),
        FormKind::Decision(id) => decision::save(id, &mut r, store, &cx),
        FormKind::Stream(id) => stream::save(id, &mut r, store, snap, &cx),
        FormKind::Settings => settings::save(&mut r, store, &cx),
        FormKind::Closeout(id) => closeout::save(r.form, store, id, today),
        FormKind::Sign(id) => sign::save(r.form, store, id, today),
    }
}

/// The stored value of every setting, as the JSON base a settings form is edited against.
fn stored_settings(s: &crate::domain::settings::Settings) -> serde_json::Value {
    SPECS
        .iter()
        .map(|spec| (spec.key.to_string(), serde_json::Value::from(s.get(spec.key).unwrap_or_default())))
        .collect()
}

fn spec_label(key: &str) -> &'static str {
    SPECS.iter().find(|s| s.key == key).map_or("", |s| s.label)
}
