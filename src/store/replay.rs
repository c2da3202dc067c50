//! Applying an away copy's changes on the server (`apply-changes`, `away send`): each change
//! goes through the same validated write a CLI command uses, all in ONE write transaction (all
//! of a send applies, or none of it), and every change applied is written to a ledger so the
//! same changes sent again change nothing.
//!
//! Conflicts are listed, never decided silently. An edit is merged field by field against what
//! the copy saw (its audit row's before-values): a field only the copy changed is taken, a
//! field only the server changed is kept, and a field both changed keeps the server's value
//! and is listed with both. A change the server's rules now refuse (a visit on a contract
//! closed meanwhile), an edit of a record deleted here and a removal of a record changed here
//! are held back and listed. Each listing names who changed what here, and when.

use super::away::{Change, ChangeSet, GENERATION_KEY, INSTALL_KEY, read_copy, setting};
use super::entity::{self, Entity};
use super::{Actor, AwayProblem, Store, StoreError, audit, away_tables, impact, intelligence, people, schema, writes};
use crate::domain::roles::{Refusal, Who};
use crate::domain::*;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// One thing an away change could not do, as listed to the sender and kept for a coordinator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// The change (the copy's audit row id).
    pub change_id: i64,
    /// The table.
    pub entity: String,
    /// The record.
    pub entity_id: i64,
    /// `both_changed`, `deleted_here`, `changed_here`, `contract_closed` or `refused`.
    pub kind: String,
    /// The field both sides changed (empty when the whole change was held back).
    pub field: String,
    /// The copy's value of that field.
    pub away_value: String,
    /// The value kept here.
    pub server_value: String,
    /// Who made the away change.
    pub away_by: String,
    /// When.
    pub away_at: String,
    /// Who made the change here it conflicts with (empty if unknown).
    pub server_by: String,
    /// When.
    pub server_at: String,
    /// One sentence: what happened and what was kept.
    pub detail: String,
}

/// What a send did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ApplyReport {
    /// Changes applied as made.
    pub applied: usize,
    /// Edits applied in part (some fields kept as the server's: see `conflicts`).
    pub merged: usize,
    /// Changes that needed nothing doing (the server already had them).
    pub unchanged: usize,
    /// Changes held back whole (see `conflicts`).
    pub held: usize,
    /// Changes this server had already received in an earlier send.
    pub already: usize,
    /// Every conflict listed by this send.
    pub conflicts: Vec<Conflict>,
    /// Warnings of the validated writes (a visit outside its contract's period …).
    pub warnings: Vec<String>,
}

/// The validated writes a record kind is replayed through.
pub(super) trait Replay: Entity + DeserializeOwned + Clone {
    fn create(tx: &Connection, actor: &Actor, r: &Self, today: NaiveDate) -> Result<Vec<String>, StoreError>;
    fn edit(tx: &Connection, actor: &Actor, r: &Self, today: NaiveDate) -> Result<Vec<String>, StoreError>;
    fn remove(tx: &Connection, actor: &Actor, id: i64, version: i64) -> Result<(), StoreError> {
        entity::delete::<Self>(tx, id, version, actor).map(|_| ())
    }
}

fn texts(p: Vec<crate::domain::validate::Problem>) -> Vec<String> {
    p.into_iter().map(|p| p.message).collect()
}

impl Replay for Visit {
    fn create(tx: &Connection, actor: &Actor, r: &Self, today: NaiveDate) -> Result<Vec<String>, StoreError> {
        Ok(texts(writes::add_visit_in(tx, actor, r, today)?.1))
    }
    fn edit(tx: &Connection, actor: &Actor, r: &Self, today: NaiveDate) -> Result<Vec<String>, StoreError> {
        Ok(texts(writes::update_visit_in(tx, actor, r, today)?))
    }
    fn remove(tx: &Connection, actor: &Actor, id: i64, version: i64) -> Result<(), StoreError> {
        writes::remove_visit_in(tx, actor, id, version).map(|_| ())
    }
}

impl Replay for Review {
    fn create(tx: &Connection, actor: &Actor, r: &Self, today: NaiveDate) -> Result<Vec<String>, StoreError> {
        writes::add_review_in(tx, actor, r, today).map(|_| Vec::new())
    }
    fn edit(tx: &Connection, actor: &Actor, r: &Self, today: NaiveDate) -> Result<Vec<String>, StoreError> {
        let warnings = writes::refuse(crate::domain::validate::review(r, today))?;
        entity::update(tx, r, actor)?;
        Ok(texts(warnings))
    }
}

impl Replay for Inspection {
    fn create(tx: &Connection, actor: &Actor, r: &Self, today: NaiveDate) -> Result<Vec<String>, StoreError> {
        writes::add_inspection_in(tx, actor, r, today).map(|_| Vec::new())
    }
    fn edit(tx: &Connection, actor: &Actor, r: &Self, _: NaiveDate) -> Result<Vec<String>, StoreError> {
        entity::update(tx, r, actor).map(|_| Vec::new())
    }
}

/// A review's rating of one criterion (issue #15), under `rate_criteria`'s rule: the criterion
/// must be one of the reviewed contract's, and a review rates a criterion once.
impl Replay for CriterionRating {
    fn create(tx: &Connection, actor: &Actor, r: &Self, _: NaiveDate) -> Result<Vec<String>, StoreError> {
        rating_allowed(tx, r)?;
        entity::insert(tx, r, actor).map(|_| Vec::new())
    }
    fn edit(tx: &Connection, actor: &Actor, r: &Self, _: NaiveDate) -> Result<Vec<String>, StoreError> {
        rating_allowed(tx, r)?;
        entity::update(tx, r, actor).map(|_| Vec::new())
    }
}

fn rating_allowed(tx: &Connection, r: &CriterionRating) -> Result<(), StoreError> {
    let refuse = |message: String| {
        use crate::domain::validate::{Level, Problem, Problems};
        StoreError::Invalid(Problems(vec![Problem { field: "criteria", message, level: Level::Error }]))
    };
    let Some(review) = entity::get::<Review>(tx, r.review_id)? else {
        return Err(refuse(format!("review #{} is not here", r.review_id)));
    };
    let criterion: Option<Criterion> = entity::get(tx, r.criterion_id)?;
    if criterion.is_none_or(|k| k.contract_id != review.contract_id) {
        return Err(refuse(format!("criterion #{} is not one of contract #{}'s", r.criterion_id, review.contract_id)));
    }
    let other: Option<i64> = tx
        .query_row(
            "SELECT id FROM criterion_ratings WHERE review_id = ?1 AND criterion_id = ?2 AND id != ?3",
            [r.review_id, r.criterion_id, r.id],
            |row| row.get(0),
        )
        .optional()?;
    if other.is_some() {
        return Err(refuse(format!("review #{} already rates criterion #{}", r.review_id, r.criterion_id)));
    }
    Ok(())
}

/// A contract's success criterion, under `save_criterion`'s rules (not on a closed contract,
/// never moved to another contract); the agreement is brought up to date by the same write.
impl Replay for Criterion {
    fn create(tx: &Connection, actor: &Actor, r: &Self, _: NaiveDate) -> Result<Vec<String>, StoreError> {
        impact::save_criterion_in(tx, actor, r).map(|_| Vec::new())
    }
    fn edit(tx: &Connection, actor: &Actor, r: &Self, today: NaiveDate) -> Result<Vec<String>, StoreError> {
        Self::create(tx, actor, r, today)
    }
}

/// A dated soft-intelligence entry, under `add_note`'s checks, with the school's notes mirror
/// kept by the same write; an edit that redacts goes through `redact_note` (which reaches the
/// audit trail's copies of the text). Sensitive entries are never typed on a copy (refused at
/// write time there), and one arriving all the same is refused here too.
impl Replay for Intelligence {
    fn create(tx: &Connection, actor: &Actor, r: &Self, _: NaiveDate) -> Result<Vec<String>, StoreError> {
        intelligence::check(r)?;
        not_sensitive(r)?;
        entity::insert(tx, r, actor)?;
        intelligence::sync_mirror(tx, actor, r.school_id)?;
        Ok(Vec::new())
    }
    fn edit(tx: &Connection, actor: &Actor, r: &Self, _: NaiveDate) -> Result<Vec<String>, StoreError> {
        if r.redacted {
            return intelligence::redact_in(tx, actor, r.id).map(|_| Vec::new());
        }
        intelligence::check(r)?;
        not_sensitive(r)?;
        entity::update(tx, r, actor)?;
        intelligence::sync_mirror(tx, actor, r.school_id)?;
        Ok(Vec::new())
    }
}

fn not_sensitive(r: &Intelligence) -> Result<(), StoreError> {
    if r.sensitivity == "sensitive" {
        use crate::domain::validate::{Level, Problem, Problems};
        return Err(StoreError::Invalid(Problems(vec![Problem {
            field: "sensitivity",
            message: "sensitive soft intelligence is recorded on the server only, never on an away copy".into(),
            level: Level::Error,
        }])));
    }
    Ok(())
}

/// Kinds saved by one `save_*` write for both new records and edits.
macro_rules! replay_by_save {
    ($ty:ty, $save:path) => {
        impl Replay for $ty {
            fn create(tx: &Connection, actor: &Actor, r: &Self, _: NaiveDate) -> Result<Vec<String>, StoreError> {
                Ok(Warned::from($save(tx, actor, r)?).0)
            }
            fn edit(tx: &Connection, actor: &Actor, r: &Self, today: NaiveDate) -> Result<Vec<String>, StoreError> {
                Self::create(tx, actor, r, today)
            }
        }
    };
}

/// The warnings of a `save_*` write, whichever shape it returns.
struct Warned(Vec<String>);
impl From<i64> for Warned {
    fn from(_: i64) -> Self {
        Warned(Vec::new())
    }
}
impl From<(i64, Vec<crate::domain::validate::Problem>)> for Warned {
    fn from((_, p): (i64, Vec<crate::domain::validate::Problem>)) -> Self {
        Warned(texts(p))
    }
}

replay_by_save!(Contract, writes::save_contract_in);
replay_by_save!(School, writes::save_school_in);
replay_by_save!(Leader, writes::save_leader_in);
replay_by_save!(Meeting, writes::save_meeting_in);
replay_by_save!(Decision, writes::save_decision_in);
replay_by_save!(FundingStream, writes::save_stream_in);

/// What one change came to.
enum Outcome {
    Applied(Vec<String>),
    Merged(Vec<String>, Vec<Conflict>),
    Unchanged,
    Held(Box<Conflict>),
}

impl Outcome {
    fn word(&self) -> &'static str {
        match self {
            Outcome::Applied(_) => "applied",
            Outcome::Merged(..) => "merged",
            Outcome::Unchanged => "unchanged",
            Outcome::Held(_) => "conflict",
        }
    }
}

impl Store {
    /// Applies an away copy's changes to this (server) file in one write transaction: checks
    /// the copy was taken of this very file (install id, generation, schema, id block), skips
    /// changes already received, replays the rest through the validated writes in the name of
    /// the person who made them (the audit row keeps when each was made and when it arrived),
    /// and lists every conflict (also kept in `away_conflicts`).
    pub fn apply_changes(&mut self, set: &ChangeSet, today: NaiveDate) -> Result<ApplyReport, StoreError> {
        let shown = self.path().display().to_string();
        let path = self.path().to_path_buf();
        self.write(|tx, here| {
            check_identity(tx, set, &shown)?;
            // Roles apply (issue #16): every change is checked against the sender's role, and a
            // leader sends only the changes of their own away copy.
            let who = people::resolve(tx, here, &path)?;
            if who.leader_scope().is_some() && who.account() != set.copy.account {
                return Err(StoreError::NotAllowed(Refusal::NotTheirCopy {
                    account: who.account().to_string(),
                    copy_account: set.copy.account.clone(),
                }));
            }
            let arrived = here.now();
            let mut report = ApplyReport::default();
            // The last change replayed as made: rows its write derived on the copy are made
            // again by its replay here, not replayed themselves (see `away_tables`).
            let mut primary: Option<&Change> = None;
            for ch in &set.changes {
                let seen: Option<String> = tx
                    .prepare_cached("SELECT outcome FROM away_applied WHERE copy_id = ?1 AND change_id = ?2")?
                    .query_row(rusqlite::params![set.copy.copy_id, ch.id], |r| r.get(0))
                    .optional()?;
                if seen.is_some() {
                    report.already += 1;
                    continue;
                }
                let actor = Actor {
                    by: ch.by.clone(),
                    fixed_at: Some(ch.at.clone()),
                    account: Some(set.copy.account.clone()),
                    arrived_at: Some(arrived.clone()),
                };
                let outcome = if primary.is_some_and(|p| away_tables::derived(p, ch)) {
                    Outcome::Unchanged
                } else {
                    primary = Some(ch);
                    replay_one(tx, ch, &actor, &who, today)?
                };
                tx.prepare_cached(
                    "INSERT INTO away_applied(copy_id, change_id, applied_at, outcome) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(rusqlite::params![set.copy.copy_id, ch.id, arrived, outcome.word()])?;
                let conflicts = match outcome {
                    Outcome::Applied(w) => {
                        report.applied += 1;
                        report.warnings.extend(w);
                        Vec::new()
                    }
                    Outcome::Merged(w, c) => {
                        report.merged += 1;
                        report.warnings.extend(w);
                        c
                    }
                    Outcome::Unchanged => {
                        report.unchanged += 1;
                        Vec::new()
                    }
                    Outcome::Held(c) => {
                        report.held += 1;
                        vec![*c]
                    }
                };
                for c in conflicts {
                    record_conflict(tx, &set.copy.copy_id, ch, &c, &arrived)?;
                    report.conflicts.push(c);
                }
            }
            Ok(report)
        })
    }
}

/// Refuses changes made on a copy of another file, of another generation of this file (it was
/// restored or replaced since), or of another schema; and changes made on a copy here.
fn check_identity(tx: &Connection, set: &ChangeSet, shown: &str) -> Result<(), StoreError> {
    let copy = &set.copy;
    if read_copy(tx)?.is_some() {
        return Err(StoreError::Away(AwayProblem::AppliedToCopy { path: shown.to_string() }));
    }
    let install = setting(tx, INSTALL_KEY)?.unwrap_or_default();
    if install.is_empty() || install != copy.server_install {
        return Err(StoreError::Away(AwayProblem::OtherFile { path: shown.to_string() }));
    }
    if copy.schema_version != schema::SCHEMA_VERSION {
        return Err(StoreError::Away(AwayProblem::SchemaDiffers {
            path: shown.to_string(),
            copy: copy.schema_version,
            here: schema::SCHEMA_VERSION,
        }));
    }
    let generation = setting(tx, GENERATION_KEY)?.unwrap_or_default();
    if generation != copy.server_generation {
        return Err(StoreError::Away(AwayProblem::Restored {
            path: shown.to_string(),
            taken_at: copy.taken_at.clone(),
        }));
    }
    let block: Option<(i64, i64)> = tx
        .query_row("SELECT first_id, last_id FROM away_blocks WHERE copy_id = ?1", [&copy.copy_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    if block != Some((copy.first_id, copy.last_id)) {
        return Err(StoreError::Away(AwayProblem::NoIdBlock { path: shown.to_string() }));
    }
    if let Some(ch) =
        set.changes.iter().find(|c| c.action == "insert" && !(copy.first_id..=copy.last_id).contains(&c.entity_id))
    {
        return Err(StoreError::Away(AwayProblem::OutsideIds {
            change: ch.id,
            entity: ch.entity.clone(),
            id: ch.entity_id,
        }));
    }
    Ok(())
}

fn replay_one(tx: &Connection, ch: &Change, actor: &Actor, who: &Who, today: NaiveDate) -> Result<Outcome, StoreError> {
    match ch.entity.as_str() {
        "visits" => one::<Visit>(tx, ch, actor, who, today),
        "reviews" => one::<Review>(tx, ch, actor, who, today),
        "contracts" => one::<Contract>(tx, ch, actor, who, today),
        "schools" => one::<School>(tx, ch, actor, who, today),
        "leaders" => one::<Leader>(tx, ch, actor, who, today),
        "inspections" => one::<Inspection>(tx, ch, actor, who, today),
        "board_meetings" => one::<Meeting>(tx, ch, actor, who, today),
        "decisions" => one::<Decision>(tx, ch, actor, who, today),
        "funding_streams" => one::<FundingStream>(tx, ch, actor, who, today),
        "criterion_ratings" => one::<CriterionRating>(tx, ch, actor, who, today),
        "criteria" => one::<Criterion>(tx, ch, actor, who, today),
        "intelligence" => one::<Intelligence>(tx, ch, actor, who, today),
        // A copy made by an older alliance could still hold such changes: listed, not lost.
        other => Ok(Outcome::Held(Box::new(conflict(
            ch,
            "refused",
            format!(
                "{} #{}: {} — this change was not applied",
                other.replace('_', " "),
                ch.entity_id,
                away_tables::server_only_reason(other)
            ),
        )))),
    }
}

/// A conflict about the whole change.
fn conflict(ch: &Change, kind: &str, detail: String) -> Conflict {
    Conflict {
        change_id: ch.id,
        entity: ch.entity.clone(),
        entity_id: ch.entity_id,
        kind: kind.into(),
        field: String::new(),
        away_value: String::new(),
        server_value: String::new(),
        away_by: ch.by.clone(),
        away_at: ch.at.clone(),
        server_by: String::new(),
        server_at: String::new(),
        detail,
    }
}

/// The record's fields as a JSON object, without the stamp (it always differs).
fn fields(v: Option<&Value>) -> Map<String, Value> {
    let mut m = v.and_then(Value::as_object).cloned().unwrap_or_default();
    m.remove("stamp");
    m
}

pub(super) fn shown(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn parse<E: DeserializeOwned>(ch: &Change, v: Value) -> Result<E, StoreError> {
    serde_json::from_value(v).map_err(|e| {
        StoreError::Away(AwayProblem::Unreadable {
            change: ch.id,
            entity: ch.entity.clone(),
            id: ch.entity_id,
            why: e.to_string(),
        })
    })
}

/// Runs one validated write inside a savepoint: a refusal by the server's rules rolls back
/// just this change and becomes a conflict; anything else (busy, I/O) fails the whole send.
fn guarded(
    tx: &Connection,
    ch: &Change,
    who: &Who,
    label: &str,
    write: impl FnOnce() -> Result<Vec<String>, StoreError>,
) -> Result<Result<Vec<String>, Conflict>, StoreError> {
    let mark: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM audit", [], |r| r.get(0))?;
    tx.execute_batch("SAVEPOINT away_change")?;
    // The write, then the sender's role against what it changed (a leader's visit on someone
    // else's contract): refused here, it is rolled back and listed, and the rest goes on.
    let written = write().and_then(|w| {
        people::check_changes(tx, who, &std::collections::BTreeSet::new(), mark)?;
        Ok(w)
    });
    match written {
        Ok(w) => {
            tx.execute_batch("RELEASE away_change")?;
            Ok(Ok(w))
        }
        Err(
            e @ (StoreError::Invalid(_)
            | StoreError::NotFound { .. }
            | StoreError::Stale { .. }
            | StoreError::NotAllowed(_)),
        ) => {
            tx.execute_batch("ROLLBACK TO away_change; RELEASE away_change")?;
            Ok(Err(refusal(tx, ch, label, &e)?))
        }
        Err(e) => Err(e),
    }
}

/// The conflict for a change the server's rules refused: a visit or review on a contract that
/// was closed meanwhile names who closed it and when.
fn refusal(tx: &Connection, ch: &Change, label: &str, e: &StoreError) -> Result<Conflict, StoreError> {
    let contract_id = ch.after.as_ref().and_then(|a| a.get("contract_id")).and_then(Value::as_i64);
    let contract = contract_id.map(|id| entity::get::<Contract>(tx, id)).transpose()?.flatten();
    if let Some(c) = contract.filter(|c| !c.status.is_live() && ch.action == "insert") {
        {
            let mut k = conflict(
                ch,
                "contract_closed",
                format!(
                    "{label} #{} on contract #{}: the contract is {} here (by {} at {}) — not applied ({e})",
                    ch.entity_id,
                    c.id,
                    c.status.as_str(),
                    c.stamp.updated_by,
                    c.stamp.updated_at.replace('T', " ").trim_end_matches('Z'),
                ),
            );
            k.server_by = c.stamp.updated_by.clone();
            k.server_at = c.stamp.updated_at.clone();
            return Ok(k);
        }
    }
    Ok(conflict(ch, "refused", format!("{label} #{}: refused here — {e} — not applied", ch.entity_id)))
}

/// Who last changed `field` of a record here, and when (from its audit trail).
fn who_changed(tx: &Connection, entity: &str, id: i64, field: &str) -> Result<(String, String), StoreError> {
    let rows = audit::history(tx, entity, id)?;
    Ok(rows
        .iter()
        .find(|r| r.changes().iter().any(|(f, _, _)| f == field))
        .or(rows.first())
        .map(|r| (r.by.clone(), r.at.clone()))
        .unwrap_or_default())
}

fn one<E: Replay>(
    tx: &Connection,
    ch: &Change,
    actor: &Actor,
    who: &Who,
    today: NaiveDate,
) -> Result<Outcome, StoreError> {
    let label = E::LABEL;
    // A table outside the sender's role is not even tried (the write path would refuse the
    // whole send for having touched it).
    if let Some(no) = who.table_refusal(E::TABLE) {
        return Ok(Outcome::Held(Box::new(conflict(ch, "refused", format!("{label} #{}: {no}", ch.entity_id)))));
    }
    match ch.action.as_str() {
        "insert" => {
            let rec: E = parse(ch, ch.after.clone().unwrap_or(Value::Null))?;
            Ok(match guarded(tx, ch, who, label, || E::create(tx, actor, &rec, today))? {
                Ok(w) => Outcome::Applied(w),
                Err(c) => Outcome::Held(Box::new(c)),
            })
        }
        "update" => {
            let Some(current) = entity::get::<E>(tx, ch.entity_id)? else {
                let (by, at) = who_changed(tx, E::TABLE, ch.entity_id, "")?;
                // No trail here at all: the record was made away and its creation held back.
                let detail = if by.is_empty() {
                    format!(
                        "{label} #{} is not here (its creation was held back) — the away edit was not applied",
                        ch.entity_id
                    )
                } else {
                    format!(
                        "{label} #{} was removed here by {by} at {} — the away edit was not applied",
                        ch.entity_id,
                        at.replace('T', " ").trim_end_matches('Z')
                    )
                };
                let mut c = conflict(ch, "deleted_here", detail);
                (c.server_by, c.server_at) = (by, at);
                return Ok(Outcome::Held(Box::new(c)));
            };
            let before = fields(ch.before.as_ref());
            let after = fields(ch.after.as_ref());
            let here = serde_json::to_value(&current).map_err(|e| StoreError::Io("replay".into(), e.to_string()))?;
            let mut merged = here.as_object().cloned().unwrap_or_default();
            let here = fields(Some(&here));
            let mut both = Vec::new();
            let mut taken = 0;
            for (k, away) in &after {
                let was = before.get(k);
                let now = here.get(k);
                if was == Some(away) || now == Some(away) {
                    continue; // the copy did not change it, or both made the same change
                }
                if now == was {
                    merged.insert(k.clone(), away.clone());
                    taken += 1;
                } else {
                    let (by, at) = who_changed(tx, E::TABLE, ch.entity_id, k)?;
                    both.push(Conflict {
                        field: k.clone(),
                        away_value: shown(Some(away)),
                        server_value: shown(now),
                        server_by: by.clone(),
                        server_at: at.clone(),
                        ..conflict(
                            ch,
                            "both_changed",
                            format!(
                                "{label} #{} {k}: changed to \"{}\" away by {} at {} and to \"{}\" here by {by} at {} — kept \"{}\" (the server's)",
                                ch.entity_id,
                                shown(Some(away)),
                                ch.by,
                                ch.at.replace('T', " ").trim_end_matches('Z'),
                                shown(now),
                                at.replace('T', " ").trim_end_matches('Z'),
                                shown(now)
                            ),
                        )
                    });
                }
            }
            if taken == 0 {
                return Ok(if both.is_empty() { Outcome::Unchanged } else { Outcome::Merged(Vec::new(), both) });
            }
            let rec: E = parse(ch, Value::Object(merged))?;
            Ok(match guarded(tx, ch, who, label, || E::edit(tx, actor, &rec, today))? {
                Ok(w) if both.is_empty() => Outcome::Applied(w),
                Ok(w) => Outcome::Merged(w, both),
                Err(c) => Outcome::Held(Box::new(c)),
            })
        }
        "delete" => {
            let Some(current) = entity::get::<E>(tx, ch.entity_id)? else { return Ok(Outcome::Unchanged) };
            let here = fields(Some(
                &serde_json::to_value(&current).map_err(|e| StoreError::Io("replay".into(), e.to_string()))?,
            ));
            if here != fields(ch.before.as_ref()) {
                let (by, at) = (current.stamp().updated_by.clone(), current.stamp().updated_at.clone());
                let mut c = conflict(
                    ch,
                    "changed_here",
                    format!(
                        "{label} #{} was removed away but changed here by {by} at {} — kept; remove it here if it should go",
                        ch.entity_id,
                        at.replace('T', " ").trim_end_matches('Z')
                    ),
                );
                (c.server_by, c.server_at) = (by, at);
                return Ok(Outcome::Held(Box::new(c)));
            }
            let version = current.stamp().version;
            Ok(
                match guarded(tx, ch, who, label, || E::remove(tx, actor, ch.entity_id, version).map(|()| Vec::new()))?
                {
                    Ok(w) => Outcome::Applied(w),
                    Err(c) => Outcome::Held(Box::new(c)),
                },
            )
        }
        other => Err(StoreError::Away(AwayProblem::UnknownAction { change: ch.id, action: other.to_string() })),
    }
}

fn record_conflict(tx: &Connection, copy_id: &str, ch: &Change, c: &Conflict, arrived: &str) -> Result<(), StoreError> {
    let change = serde_json::to_string(ch).map_err(|e| StoreError::Io("replay".into(), e.to_string()))?;
    tx.prepare_cached(
        "INSERT INTO away_conflicts(copy_id, change_id, entity, entity_id, kind, field, away_value, server_value,
                                    away_by, away_at, server_by, server_at, detail, change, arrived_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(rusqlite::params![
        copy_id,
        c.change_id,
        c.entity,
        c.entity_id,
        c.kind,
        c.field,
        c.away_value,
        c.server_value,
        c.away_by,
        c.away_at,
        c.server_by,
        c.server_at,
        c.detail,
        change,
        arrived
    ])?;
    Ok(())
}
