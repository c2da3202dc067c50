//! The validated writes every form and command goes through: each re-checks the domain rules
//! inside its own `IMMEDIATE` transaction (so the contract a visit is logged against is read
//! under the write lock), writes the record and its audit row, and returns any warnings.

use super::{Store, StoreError, entity};
use crate::domain::validate::{self, Problem, Problems};
use crate::domain::*;
use chrono::NaiveDate;
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
        let calendar = self.calendar()?;
        self.write(|tx, actor| {
            let contract: Option<Contract> = entity::get(tx, v.contract_id)?;
            if v.leader_id > 0 && entity::get::<Leader>(tx, v.leader_id)?.is_none() {
                return Err(one_problem("leader_id", format!("there is no leader with id {}", v.leader_id)));
            }
            let mut warnings = refuse(validate::visit(v, contract.as_ref(), today))?;
            warnings.extend(validate::visit_in_holiday(v, &calendar).0);
            if let Some(c) = &contract {
                warnings.extend(validate::visit_delivery(v, c, delivered(tx, c.id, None)?).0);
            }
            let id = entity::insert(tx, v, actor)?;
            Ok((id, warnings))
        })
    }

    /// Corrects a logged visit (made against its `stamp.version`): date, days, activity, notes,
    /// next steps and who visited, under the same rules as logging one — except that a visit
    /// of a contract closed since may still be corrected (a warning, not a refusal). A visit
    /// cannot move to another contract: remove it and log it against the right one.
    pub fn update_visit(&mut self, v: &Visit, today: NaiveDate) -> Result<Vec<Problem>, StoreError> {
        self.write(|tx, actor| {
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
        })
    }

    /// Removes a visit logged in error (made against `version`). The audit trail keeps it.
    pub fn remove_visit(&mut self, id: i64, version: i64) -> Result<Visit, StoreError> {
        self.write(|tx, actor| entity::delete(tx, id, version, actor))
    }

    /// Records a progress review of a live or proposed contract.
    pub fn add_review(&mut self, r: &Review, today: NaiveDate) -> Result<i64, StoreError> {
        self.write(|tx, actor| {
            if entity::get::<Contract>(tx, r.contract_id)?.is_none() {
                return Err(one_problem("contract_id", "choose the contract under review".into()));
            }
            refuse(validate::review(r, today))?;
            entity::insert(tx, r, actor)
        })
    }

    /// Creates (id 0) or updates a contract, enforcing the lifecycle from its stored status.
    pub fn save_contract(&mut self, c: &Contract) -> Result<(i64, Vec<Problem>), StoreError> {
        self.write(|tx, actor| {
            let before: Option<Contract> = if c.id > 0 { entity::get(tx, c.id)? } else { None };
            if c.id > 0 && before.is_none() {
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
                    return Err(one_problem(
                        field,
                        format!("the chosen {} no longer exists", &field[..field.len() - 3]),
                    ));
                }
            }
            let id = if c.id > 0 {
                let id = entity::update(tx, c, actor)?.id;
                super::impact::sync_agreement(tx, actor, id)?;
                id
            } else {
                // A new contract's free-text criteria become its criterion records, split as
                // the schema's migration splits existing ones.
                let id = entity::insert(tx, c, actor)?;
                for clause in split_clauses(&c.success_criteria) {
                    entity::insert(tx, &Criterion::new(id, &clause), actor)?;
                }
                id
            };
            Ok((id, warnings))
        })
    }

    /// Creates or updates a school.
    pub fn save_school(&mut self, s: &School) -> Result<i64, StoreError> {
        self.write(|tx, actor| {
            refuse(validate::school(s))?;
            if let Some(urn) = s.urn {
                let other: Option<(i64, String)> = tx
                    .query_row(
                        "SELECT id, name FROM schools WHERE urn = ?1 AND id != ?2",
                        rusqlite::params![urn, s.id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                if let Some((_, name)) = other {
                    return Err(one_problem("urn", format!("URN {urn} already belongs to {name}")));
                }
            }
            if s.id == 0 {
                return entity::insert(tx, s, actor);
            }
            let before: Option<School> = entity::get(tx, s.id)?;
            let after = entity::update(tx, s, actor)?;
            if let Some(before) = before {
                // A new head or trust typed into the form is a dated event, like one from GIAS.
                super::schools::record_events(tx, actor, &before, &after, actor.today(), "edit")?;
            }
            Ok(after.id)
        })
    }

    /// Creates or updates a system leader.
    pub fn save_leader(&mut self, l: &Leader) -> Result<i64, StoreError> {
        self.write(|tx, actor| {
            refuse(validate::leader(l))?;
            if l.id > 0 { Ok(entity::update(tx, l, actor)?.id) } else { entity::insert(tx, l, actor) }
        })
    }

    /// Adds an inspection to a school.
    pub fn add_inspection(&mut self, i: &Inspection, today: NaiveDate) -> Result<i64, StoreError> {
        self.write(|tx, actor| {
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
        })
    }

    /// Records a board meeting.
    pub fn save_meeting(&mut self, m: &Meeting) -> Result<i64, StoreError> {
        self.write(
            |tx, actor| if m.id > 0 { Ok(entity::update(tx, m, actor)?.id) } else { entity::insert(tx, m, actor) },
        )
    }

    /// Records or updates a board decision.
    pub fn save_decision(&mut self, d: &Decision) -> Result<i64, StoreError> {
        self.write(|tx, actor| {
            refuse(validate::decision(d))?;
            if entity::get::<Meeting>(tx, d.meeting_id)?.is_none() {
                return Err(one_problem("meeting_id", "choose the board meeting".into()));
            }
            if let Some(school) = d.school_id
                && entity::get::<School>(tx, school)?.is_none()
            {
                return Err(one_problem("school_id", "the chosen school no longer exists".into()));
            }
            // A re-categorisation changes the school in this same transaction — when it is
            // recorded, or when its school or category is corrected (marking it done is not a
            // new re-categorisation, so a later change by the board is not undone).
            let before: Option<Decision> = if d.id > 0 { entity::get(tx, d.id)? } else { None };
            let applies = d.kind == DecisionKind::Recategorise
                && before.as_ref().is_none_or(|b| {
                    b.kind != DecisionKind::Recategorise || b.category != d.category || b.school_id != d.school_id
                });
            let id = if d.id > 0 { entity::update(tx, d, actor)?.id } else { entity::insert(tx, d, actor)? };
            if applies {
                super::schools::apply_recategorise(tx, actor, d)?;
            }
            Ok(id)
        })
    }

    /// Creates (id 0) or updates a funding stream: a name no other stream has (ignoring case)
    /// and an amount of at least £0. A stream's contracts stay allocated when it is renamed.
    pub fn save_stream(&mut self, f: &FundingStream) -> Result<i64, StoreError> {
        self.write(|tx, actor| {
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
            if f.id > 0 { Ok(entity::update(tx, &f, actor)?.id) } else { entity::insert(tx, &f, actor) }
        })
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
        self.write(|tx, actor| {
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
        })
    }
}
