//! The validated writes every form and command goes through: each re-checks the domain rules
//! inside its own `IMMEDIATE` transaction (so the contract a visit is logged against is read
//! under the write lock), writes the record and its audit row, and returns any warnings.

use super::{Actor, Store, StoreError, entity};
use crate::domain::validate::{self, Problem, Problems};
use crate::domain::*;
use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::OptionalExtension;

/// A contract's delivered days, leaving out one visit (the one being corrected).
fn delivered(tx: &rusqlite::Connection, contract_id: i64, except: Option<i64>) -> Result<f64, StoreError> {
    Ok(tx.query_row(
        "SELECT coalesce(sum(days), 0.0) FROM visits WHERE contract_id = ?1 AND id != ?2",
        rusqlite::params![contract_id, except.unwrap_or(0)],
        |r| r.get(0),
    )?)
}

pub(super) fn refuse(p: Problems) -> Result<Vec<Problem>, StoreError> {
    if p.has_errors() { Err(StoreError::Invalid(p)) } else { Ok(p.warnings().cloned().collect()) }
}

pub(super) fn one_problem(field: &'static str, message: String) -> StoreError {
    StoreError::Invalid(Problems(vec![Problem { field, message, level: validate::Level::Error }]))
}

impl Store {
    /// Logs a visit: the contract must be live, the date on or before `today`; a date outside
    /// the contract's period is a warning. Returns the new id and the warnings.
    pub fn add_visit(&mut self, v: &Visit, today: NaiveDate) -> Result<(i64, Vec<Problem>), StoreError> {
        // The file is checked before anything is read for the write (a damaged file is refused
        // untouched, as every write's first step).
        self.ensure_verified()?;
        self.write(|tx, actor| add_visit_in(tx, actor, v, today))
    }

    /// Corrects a logged visit (made against its `stamp.version`): date, days, activity, notes,
    /// next steps and who visited, under the same rules as logging one — except that a visit
    /// of a contract closed since may still be corrected (a warning, not a refusal). A visit
    /// cannot move to another contract: remove it and log it against the right one.
    pub fn update_visit(&mut self, v: &Visit, today: NaiveDate) -> Result<Vec<Problem>, StoreError> {
        self.write(|tx, actor| update_visit_in(tx, actor, v, today))
    }

    /// Removes a visit logged in error (made against `version`). The audit trail keeps it.
    pub fn remove_visit(&mut self, id: i64, version: i64) -> Result<Visit, StoreError> {
        self.write(|tx, actor| remove_visit_in(tx, actor, id, version))
    }

    /// Records a progress review of a live or proposed contract.
    pub fn add_review(&mut self, r: &Review, today: NaiveDate) -> Result<i64, StoreError> {
        self.write(|tx, actor| add_review_in(tx, actor, r, today))
    }

    /// Creates (id 0) or updates a contract, enforcing the lifecycle from its stored status.
    pub fn save_contract(&mut self, c: &Contract) -> Result<(i64, Vec<Problem>), StoreError> {
        self.write(|tx, actor| save_contract_in(tx, actor, c))
    }

    /// Creates or updates a school.
    pub fn save_school(&mut self, s: &School) -> Result<i64, StoreError> {
        self.write(|tx, actor| save_school_in(tx, actor, s))
    }

    /// Creates or updates a system leader.
    pub fn save_leader(&mut self, l: &Leader) -> Result<i64, StoreError> {
        self.write(|tx, actor| save_leader_in(tx, actor, l))
    }

    /// Adds an inspection to a school.
    pub fn add_inspection(&mut self, i: &Inspection, today: NaiveDate) -> Result<i64, StoreError> {
        self.write(|tx, actor| add_inspection_in(tx, actor, i, today))
    }

    /// Records a board meeting.
    pub fn save_meeting(&mut self, m: &Meeting) -> Result<i64, StoreError> {
        self.write(|tx, actor| save_meeting_in(tx, actor, m))
    }

    /// Records or updates a board decision.
    pub fn save_decision(&mut self, d: &Decision) -> Result<i64, StoreError> {
        self.write(|tx, actor| save_decision_in(tx, actor, d))
    }

    /// Creates (id 0) or updates a funding stream: a name no other stream has (ignoring case)
    /// and an amount of at least £0. A stream's contracts stay allocated when it is renamed.
    pub fn save_stream(&mut self, f: &FundingStream) -> Result<i64, StoreError> {
        self.write(|tx, actor| save_stream_in(tx, actor, f))
    }

    /// Removes a funding stream (made against `version`). Contracts allocated to it are refused
    /// unless `unallocate`, which first takes each off the stream (an audited contract edit,
    /// so their history says why). Returns the stream as it was and how many contracts moved.
    pub fn remove_stream(
        &mut self,
        id: i64,
        version: i64,
        unallocate: bool,
    ) -> Result<(FundingStream, usize), StoreError> {
        self.write(|tx, actor| remove_stream_in(tx, actor, id, version, unallocate))
    }
}

/// The transaction body of [`Store::add_visit`], for a caller that already holds the write
/// transaction (an away copy's changes are replayed all in one transaction).
pub(super) fn add_visit_in(
    tx: &Connection,
    actor: &Actor,
    v: &Visit,
    today: NaiveDate,
) -> Result<(i64, Vec<Problem>), StoreError> {
    let contract: Option<Contract> = entity::get(tx, v.contract_id)?;
    if v.leader_id > 0 && entity::get::<Leader>(tx, v.leader_id)?.is_none() {
        return Err(one_problem("leader_id", format!("there is no leader with id {}", v.leader_id)));
    }
    let mut warnings = refuse(validate::visit(v, contract.as_ref(), today))?;
    // A weekday in the school holidays is a warning (read in this transaction, so a visit
    // replayed from an away copy is checked against the server's term dates).
    let calendar = Calendar::new(&entity::list::<Term, _>(tx, "", [])?, super::settings::load(tx)?.year_start_month);
    warnings.extend(validate::visit_in_holiday(v, &calendar).0);
    if let Some(c) = &contract {
        warnings.extend(validate::visit_delivery(v, c, delivered(tx, c.id, None)?).0);
    }
    let id = entity::insert(tx, v, actor)?;
    Ok((id, warnings))
}

/// The transaction body of [`Store::update_visit`], for a caller that already holds the write
/// transaction (an away copy's changes are replayed all in one transaction).
pub(super) fn update_visit_in(
    tx: &Connection,
    actor: &Actor,
    v: &Visit,
    today: NaiveDate,
) -> Result<Vec<Problem>, StoreError> {
    let before: Visit = entity::get(tx, v.id)?.ok_or(StoreError::NotFound { entity: "visit", id: v.id })?;
    if before.contract_id != v.contract_id {
        return Err(one_problem(
            "contract_id",
            "a visit cannot move to another contract — remove it and log it against the right one".into(),
        ));
    }
    if v.leader_id > 0 && entity::get::<Leader>(tx, v.leader_id)?.is_none() {
        return Err(one_problem("leader_id", format!("there is no leader with id {}", v.leader_id)));
    }
    let contract: Option<Contract> = entity::get(tx, v.contract_id)?;
    let mut warnings = refuse(validate::visit_correction(v, contract.as_ref(), today))?;
    if let Some(c) = contract.as_ref().filter(|c| c.status.is_live()) {
        warnings.extend(validate::visit_delivery(v, c, delivered(tx, c.id, Some(v.id))?).0);
    }
    entity::update(tx, v, actor)?;
    Ok(warnings)
}

/// The transaction body of [`Store::add_review`], for a caller that already holds the write
/// transaction (an away copy's changes are replayed all in one transaction).
pub(super) fn add_review_in(tx: &Connection, actor: &Actor, r: &Review, today: NaiveDate) -> Result<i64, StoreError> {
    if entity::get::<Contract>(tx, r.contract_id)?.is_none() {
        return Err(one_problem("contract_id", "choose the contract under review".into()));
    }
    refuse(validate::review(r, today))?;
    entity::insert(tx, r, actor)
}

/// The transaction body of [`Store::save_contract`], for a caller that already holds the write
/// transaction (an away copy's changes are replayed all in one transaction).
pub(super) fn save_contract_in(
    tx: &Connection,
    actor: &Actor,
    c: &Contract,
) -> Result<(i64, Vec<Problem>), StoreError> {
    let before: Option<Contract> = if c.id > 0 { entity::get(tx, c.id)? } else { None };
    // A contract made on an away copy arrives with its id (from the copy's block).
    if c.id > 0 && before.is_none() && !actor.keeps_ids() {
        return Err(StoreError::NotFound { entity: "contract", id: c.id });
    }
    let before_status = before.as_ref().map(|b| b.status);
    let mut warnings = refuse(validate::contract(c, before_status))?;
    super::impact::check_closing(c, before_status)?;
    let signoff_warns = !super::settings::load(tx)?.signoff_required;
    warnings.extend(super::impact::check_activation(tx, c, before_status, signoff_warns)?);
    for (field, ok) in [
        ("school_id", entity::get::<School>(tx, c.school_id)?.is_some()),
        ("leader_id", entity::get::<Leader>(tx, c.leader_id)?.is_some()),
    ] {
        if !ok {
            return Err(one_problem(field, format!("the chosen {} no longer exists", &field[..field.len() - 3])));
        }
    }
    let id = if before.is_some() {
        let id = entity::update(tx, c, actor)?.id;
        super::impact::sync_agreement(tx, actor, id)?;
        id
    } else {
        // A new contract's free-text criteria become its criterion records, split as the
        // schema's migration splits existing ones.
        let id = entity::insert(tx, c, actor)?;
        for clause in split_clauses(&c.success_criteria) {
            entity::insert(tx, &Criterion::new(id, &clause), actor)?;
        }
        id
    };
    Ok((id, warnings))
}

/// The transaction body of [`Store::save_school`], for a caller that already holds the write
/// transaction (an away copy's changes are replayed all in one transaction).
pub(super) fn save_school_in(tx: &Connection, actor: &Actor, s: &School) -> Result<i64, StoreError> {
    refuse(validate::school(s))?;
    if let Some(urn) = s.urn {
        let other: Option<(i64, String)> = tx
            .query_row("SELECT id, name FROM schools WHERE urn = ?1 AND id != ?2", rusqlite::params![urn, s.id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if let Some((_, name)) = other {
            return Err(one_problem("urn", format!("URN {urn} already belongs to {name}")));
        }
    }
    let before: Option<School> = if s.id > 0 { entity::get(tx, s.id)? } else { None };
    let id = match &before {
        // New, or made on an away copy (it arrives with its id from the copy's block).
        None if s.id == 0 || actor.keeps_ids() => entity::insert(tx, s, actor)?,
        None => return Err(StoreError::NotFound { entity: "school", id: s.id }),
        Some(before) => {
            let after = entity::update(tx, s, actor)?;
            // A new head or trust typed into the form is a dated event, like one from GIAS.
            super::schools::record_events(tx, actor, before, &after, actor.today(), "edit")?;
            after.id
        }
    };
    // Notes typed into the school's record are soft intelligence: they become a dated entry, so
    // the record of what was heard and when stays whole (issue 14).
    let typed = s.notes.trim();
    if !typed.is_empty() && before.as_ref().is_none_or(|b| b.notes != s.notes) {
        let noted_on = chrono::NaiveDate::parse_from_str(actor.now().get(..10).unwrap_or(""), "%Y-%m-%d")
            .unwrap_or_else(|_| chrono::Utc::now().date_naive());
        let entry = crate::domain::Intelligence {
            id: 0,
            school_id: id,
            noted_on,
            source: "school record".into(),
            text: s.notes.clone(),
            sensitivity: "normal".into(),
            review_on: None,
            redacted: false,
            stamp: Default::default(),
        };
        entity::insert(tx, &entry, actor)?;
    }
    Ok(id)
}

/// The transaction body of [`Store::save_leader`], for a caller that already holds the write
/// transaction (an away copy's changes are replayed all in one transaction).
pub(super) fn save_leader_in(tx: &Connection, actor: &Actor, l: &Leader) -> Result<i64, StoreError> {
    refuse(validate::leader(l))?;
    entity::save(tx, l, actor)
}

/// The transaction body of [`Store::add_inspection`], for a caller that already holds the write
/// transaction (an away copy's changes are replayed all in one transaction).
pub(super) fn add_inspection_in(
    tx: &Connection,
    actor: &Actor,
    i: &Inspection,
    today: NaiveDate,
) -> Result<i64, StoreError> {
    if i.inspected_on > today {
        return Err(one_problem("inspected_on", "an inspection cannot be dated in the future".into()));
    }
    let problems = validate::inspection(i);
    if problems.has_errors() {
        return Err(StoreError::Invalid(problems));
    }
    let dup: Option<i64> = tx
        .query_row(
            "SELECT id FROM inspections WHERE school_id = ?1 AND inspected_on = ?2 AND framework = ?3",
            rusqlite::params![i.school_id, i.inspected_on, i.framework],
            |r| r.get(0),
        )
        .optional()?;
    if dup.is_some() {
        return Err(one_problem(
            "inspected_on",
            format!("this school already has a {} inspection on {}", i.framework, fmt_date(i.inspected_on)),
        ));
    }
    entity::insert(tx, i, actor)
}

/// The transaction body of [`Store::save_decision`], for a caller that already holds the write
/// transaction (an away copy's changes are replayed all in one transaction).
pub(super) fn save_decision_in(tx: &Connection, actor: &Actor, d: &Decision) -> Result<i64, StoreError> {
    refuse(validate::decision(d))?;
    if entity::get::<Meeting>(tx, d.meeting_id)?.is_none() {
        return Err(one_problem("meeting_id", "choose the board meeting".into()));
    }
    if let Some(school) = d.school_id
        && entity::get::<School>(tx, school)?.is_none()
    {
        return Err(one_problem("school_id", "the chosen school no longer exists".into()));
    }
    // A re-categorisation changes the school in this same transaction — when it is recorded,
    // or when its school or category is corrected (marking it done is not a new
    // re-categorisation, so a later change by the board is not undone).
    let before: Option<Decision> = if d.id > 0 { entity::get(tx, d.id)? } else { None };
    let applies = d.kind == DecisionKind::Recategorise
        && before.as_ref().is_none_or(|b| {
            b.kind != DecisionKind::Recategorise || b.category != d.category || b.school_id != d.school_id
        });
    let id = entity::save(tx, d, actor)?;
    if applies {
        super::schools::apply_recategorise(tx, actor, d)?;
    }
    Ok(id)
}

/// The transaction body of [`Store::save_stream`], for a caller that already holds the write
/// transaction (an away copy's changes are replayed all in one transaction).
pub(super) fn save_stream_in(tx: &Connection, actor: &Actor, f: &FundingStream) -> Result<i64, StoreError> {
    let name = f.name.trim();
    if name.is_empty() {
        return Err(one_problem("name", "a funding stream needs a name".into()));
    }
    if name.chars().any(char::is_control) || name.chars().count() > 120 {
        return Err(one_problem("name", "the name must be one line of at most 120 characters".into()));
    }
    if !(0..=money::MAX_PENCE).contains(&f.amount_pence) {
        return Err(one_problem("amount_pence", "the amount must be between £0 and £100,000,000".into()));
    }
    // "none" is the contract form's word for "not allocated to a stream".
    if name.eq_ignore_ascii_case("none") {
        return Err(one_problem(
            "name",
            "`none` means \"no stream\" in the contract form — choose another name".into(),
        ));
    }
    // Compared in Rust: SQLite's lower() folds ASCII letters only (École ≠ école).
    let lower = name.to_lowercase();
    let others: Vec<FundingStream> = entity::list(tx, "WHERE id != ?1", [f.id])?;
    let clash = others.into_iter().map(|o| o.name).find(|n| n.trim().to_lowercase() == lower);
    if let Some(other) = clash {
        return Err(one_problem("name", format!("there is already a funding stream called {other}")));
    }
    let f = FundingStream { name: name.to_string(), ..f.clone() };
    entity::save(tx, &f, actor)
}

/// The transaction body of [`Store::remove_stream`], for a caller that already holds the write
/// transaction (an away copy's changes are replayed all in one transaction).
pub(super) fn remove_stream_in(
    tx: &Connection,
    actor: &Actor,
    id: i64,
    version: i64,
    unallocate: bool,
) -> Result<(FundingStream, usize), StoreError> {
    let contracts: Vec<Contract> = entity::list(tx, "WHERE funding_stream_id = ?1", [id])?;
    if !contracts.is_empty() && !unallocate {
        let n = contracts.len();
        return Err(one_problem(
            "funding_stream_id",
            format!(
                "{n} contract{} {} allocated to this stream — move {} to another stream first",
                if n == 1 { "" } else { "s" },
                if n == 1 { "is" } else { "are" },
                if n == 1 { "it" } else { "them" },
            ),
        ));
    }
    for c in &contracts {
        let moved = Contract { funding_stream_id: None, ..c.clone() };
        entity::update(tx, &moved, actor)?;
    }
    let gone: FundingStream = entity::delete(tx, id, version, actor)?;
    Ok((gone, contracts.len()))
}

/// The transaction body of [`Store::save_meeting`].
pub(super) fn save_meeting_in(tx: &Connection, actor: &Actor, m: &Meeting) -> Result<i64, StoreError> {
    entity::save(tx, m, actor)
}

/// The transaction body of [`Store::remove_visit`].
pub(super) fn remove_visit_in(tx: &Connection, actor: &Actor, id: i64, version: i64) -> Result<Visit, StoreError> {
    entity::delete(tx, id, version, actor)
}
