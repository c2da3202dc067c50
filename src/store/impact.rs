//! Impact writes and reads: success criteria, each review's criterion ratings, close-outs, and
//! agreements with their sign-offs. Every write is one `IMMEDIATE` transaction with its audit
//! rows, through [`Store::write`], like every other write.
//!
//! The rules kept here (so the CLI, the TUI and any import obey them alike):
//! - a contract is completed or terminated only together with its close-out
//!   ([`Store::close_contract`]; a schema trigger refuses it for any other program too);
//! - a proposed contract becomes active only once the school and the provider have signed the
//!   agreement as it stands (the `signoff` setting `warn` makes that a warning);
//! - a change to the days, dates, rate or criteria after anyone signed makes a new agreement
//!   version that needs signing again ([`sync_agreement`], called by every such write).

use super::{Actor, Store, StoreError, audit, entity};
use crate::domain::impact::{self as rules, unsigned};
use crate::domain::validate::{Level, Problem, Problems};
use crate::domain::*;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

fn refuse(p: Problems) -> Result<Vec<Problem>, StoreError> {
    if p.has_errors() { Err(StoreError::Invalid(p)) } else { Ok(p.warnings().cloned().collect()) }
}

fn one(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid(Problems(vec![Problem { field, message: message.into(), level: Level::Error }]))
}

fn warning(field: &'static str, message: impl Into<String>) -> Problem {
    Problem { field, message: message.into(), level: Level::Warning }
}

/// A contract's criteria in the order they were agreed (the `N` of `criterion list`).
pub(super) fn criteria_of(conn: &Connection, contract_id: i64) -> Result<Vec<Criterion>, StoreError> {
    entity::list(conn, "WHERE contract_id = ?1", [contract_id])
}

fn contract(conn: &Connection, id: i64) -> Result<Contract, StoreError> {
    entity::get(conn, id)?.ok_or(StoreError::NotFound { entity: "contract", id })
}

/// Every agreement version of a contract, oldest first.
fn agreements_of(conn: &Connection, contract_id: i64) -> Result<Vec<Agreement>, StoreError> {
    let mut st = conn.prepare_cached(
        "SELECT id, contract_id, version, created_on, terms FROM agreements WHERE contract_id = ?1 ORDER BY version",
    )?;
    let rows = st.query_map([contract_id], |r| {
        Ok(Agreement {
            id: r.get(0)?,
            contract_id: r.get(1)?,
            version: r.get(2)?,
            created_on: r.get(3)?,
            terms: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn signoffs_of(conn: &Connection, agreement_id: i64) -> Result<Vec<Signoff>, StoreError> {
    entity::list(conn, "WHERE agreement_id = ?1", [agreement_id])
}

fn parse_terms(a: &Agreement) -> Option<Terms> {
    serde_json::from_str(&a.terms).ok()
}

fn today_of(actor: &Actor) -> NaiveDate {
    crate::domain::dates::iso(actor.now().get(..10).unwrap_or("")).unwrap_or_else(|| chrono::Utc::now().date_naive())
}

/// Inserts an agreement version with its audit row inside a transaction the caller holds (the
/// sample generator); returns its id.
pub fn insert_agreement_in(conn: &Connection, actor: &Actor, a: &Agreement) -> Result<i64, StoreError> {
    insert_agreement(conn, actor, a)
}

fn insert_agreement(conn: &Connection, actor: &Actor, a: &Agreement) -> Result<i64, StoreError> {
    let next: i64 = conn.query_row(
        "SELECT max(coalesce((SELECT max(id) FROM agreements), 0),
                    coalesce((SELECT max(entity_id) FROM audit WHERE entity = 'agreements'), 0)) + 1",
        [],
        |r| r.get(0),
    )?;
    // From an away copy's id block there (a contract edited away varies its agreement), and
    // past every block reserved for one here, as every other record's id.
    let id = super::away::allocate(conn, "agreement", next)?;
    conn.execute(
        "INSERT INTO agreements (id, contract_id, version, created_on, terms, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        rusqlite::params![id, a.contract_id, a.version, a.created_on, a.terms, actor.now(), actor.by],
    )?;
    let stored = Agreement { id, ..a.clone() };
    audit::write(conn, actor, "agreements", id, "insert", None::<&Agreement>, Some(&stored))?;
    Ok(id)
}

/// Brings a contract's agreement up to date with its terms after a write: an unsigned latest
/// version takes the new terms; a version someone has signed is kept as signed, and the changed
/// terms become the next version, awaiting signatures (a variation). A contract with no
/// agreement yet is left alone (version 1 is drawn up at the first signature). Returns the
/// latest version.
pub(super) fn sync_agreement(
    conn: &Connection,
    actor: &Actor,
    contract_id: i64,
) -> Result<Option<Agreement>, StoreError> {
    let c = contract(conn, contract_id)?;
    let now = Terms::of(&c, &criteria_of(conn, contract_id)?);
    let Some(latest) = agreements_of(conn, contract_id)?.pop() else { return Ok(None) };
    if parse_terms(&latest).as_ref() == Some(&now) {
        return Ok(Some(latest));
    }
    let terms = serde_json::to_string(&now).map_err(|e| one("terms", e.to_string()))?;
    if signoffs_of(conn, latest.id)?.is_empty() {
        let after = Agreement { terms, ..latest.clone() };
        conn.execute(
            "UPDATE agreements SET terms = ?1, updated_at = ?2, updated_by = ?3 WHERE id = ?4",
            rusqlite::params![after.terms, actor.now(), actor.by, latest.id],
        )?;
        audit::write(conn, actor, "agreements", latest.id, "update", Some(&latest), Some(&after))?;
        return Ok(Some(after));
    }
    let next = Agreement { id: 0, contract_id, version: latest.version + 1, created_on: today_of(actor), terms };
    let id = insert_agreement(conn, actor, &next)?;
    Ok(Some(Agreement { id, ..next }))
}

/// The transaction body of [`Store::save_criterion`], for a caller that already holds the write
/// transaction (an away copy's changes are replayed all in one transaction).
pub(super) fn save_criterion_in(tx: &Connection, actor: &Actor, k: &Criterion) -> Result<i64, StoreError> {
    let c = contract(tx, k.contract_id)?;
    if matches!(c.status, ContractStatus::Completed | ContractStatus::Terminated) {
        return Err(one("contract_id", format!("contract #{} is closed: its criteria are final", c.id)));
    }
    refuse(rules::criterion(k))?;
    let mut k = k.clone();
    k.text = k.text.trim().to_string();
    let before: Option<Criterion> = if k.id > 0 { entity::get(tx, k.id)? } else { None };
    let id = match before {
        Some(before) => {
            if before.contract_id != k.contract_id {
                return Err(one("contract_id", "a criterion cannot move to another contract"));
            }
            if before.actual != k.actual || before.actual_on != k.actual_on {
                k.actual_source = if k.actual.is_some() { "typed".into() } else { String::new() };
            }
            entity::update(tx, &k, actor)?.id
        }
        // New, or made on an away copy (it arrives with its id from the copy's block).
        None if k.id == 0 || actor.keeps_ids() => {
            if k.actual.is_some() {
                k.actual_source = "typed".into();
            }
            entity::insert(tx, &k, actor)?
        }
        None => return Err(StoreError::NotFound { entity: "criterion", id: k.id }),
    };
    sync_agreement(tx, actor, k.contract_id)?;
    Ok(id)
}

/// Where a contract's agreement stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgreementStatus {
    /// The latest version (0: none drawn up yet).
    pub version: i64,
    /// Who has signed the latest version.
    pub signed: Vec<Signoff>,
    /// Required parties (school, provider) yet to sign it.
    pub awaiting: Vec<Party>,
    /// An earlier version was signed and the latest is not yet signed by both: "variation
    /// awaiting sign-off".
    pub variation_awaiting: bool,
    /// What changed since the last version both required parties signed.
    pub changes: Vec<String>,
    /// Every version with its signatures, oldest first (the history).
    pub history: Vec<(Agreement, Vec<Signoff>)>,
}

impl AgreementStatus {
    /// Whether the school and the provider have both signed the terms as they stand.
    pub fn fully_signed(&self) -> bool {
        self.version > 0 && self.awaiting.is_empty()
    }
}

/// The agreement status of a contract, read in `conn` (so a write can decide under its lock).
pub(super) fn agreement_status(conn: &Connection, contract_id: i64) -> Result<AgreementStatus, StoreError> {
    let c = contract(conn, contract_id)?;
    let now = Terms::of(&c, &criteria_of(conn, contract_id)?);
    let mut history = Vec::new();
    for a in agreements_of(conn, contract_id)? {
        let s = signoffs_of(conn, a.id)?;
        history.push((a, s));
    }
    let Some((latest, signed)) = history.last().cloned() else {
        return Ok(AgreementStatus {
            version: 0,
            signed: vec![],
            awaiting: unsigned(&[]),
            variation_awaiting: false,
            changes: vec![],
            history,
        });
    };
    // The latest version no longer matches the terms (changed by another program): it still
    // needs signing as the terms stand.
    let current = parse_terms(&latest).as_ref() == Some(&now);
    let parties: Vec<Party> = if current { signed.iter().map(|s| s.party).collect() } else { vec![] };
    let awaiting = unsigned(&parties);
    let fully = |s: &[Signoff]| unsigned(&s.iter().map(|x| x.party).collect::<Vec<_>>()).is_empty();
    let last_full = history.iter().rev().find(|(_, s)| fully(s)).map(|(a, _)| a.clone());
    let variation_awaiting = !awaiting.is_empty() && last_full.is_some();
    let changes = match last_full.as_ref().and_then(parse_terms) {
        Some(t) if variation_awaiting => t.changes_to(&now),
        _ => vec![],
    };
    Ok(AgreementStatus { version: latest.version, signed, awaiting, variation_awaiting, changes, history })
}

/// The activation rule: a proposed (or new) contract becoming active needs the school's and the
/// provider's signatures on the terms as they stand. Refused, or with the `signoff = warn`
/// setting a warning.
pub(super) fn check_activation(
    conn: &Connection,
    c: &Contract,
    before: Option<ContractStatus>,
    warn_only: bool,
) -> Result<Vec<Problem>, StoreError> {
    let becomes_active = c.status == ContractStatus::Active && matches!(before, None | Some(ContractStatus::Proposed));
    if !becomes_active {
        return Ok(vec![]);
    }
    let awaiting = if c.id > 0 && before.is_some() { agreement_status(conn, c.id)?.awaiting } else { unsigned(&[]) };
    if awaiting.is_empty() {
        return Ok(vec![]);
    }
    let who = awaiting.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(" and the ");
    let message = format!(
        "the agreement is not yet signed by the {who} — record signatures with `alliance contract sign` before the contract becomes active"
    );
    if warn_only { Ok(vec![warning("status", message)]) } else { Err(one("status", message)) }
}

/// The close rule for the contract form and any other status change: completed or terminated
/// only through [`Store::close_contract`].
pub(super) fn check_closing(c: &Contract, before: Option<ContractStatus>) -> Result<(), StoreError> {
    let closing =
        matches!(c.status, ContractStatus::Completed | ContractStatus::Terminated) && before != Some(c.status);
    if closing {
        return Err(one(
            "status",
            format!(
                "a contract is {} with its close-out (outcome, criteria, feedback{}) — use `alliance contract close {}` or the close-out form",
                c.status.as_str(),
                if c.status == ContractStatus::Terminated { ", reason" } else { "" },
                c.id
            ),
        ));
    }
    Ok(())
}

/// One criterion's judgement at a close-out: its outcome and, optionally, its actual.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionOutcome {
    /// The criterion's id.
    pub criterion_id: i64,
    /// Met, partly met or not met.
    pub outcome: Outcome,
    /// Where it got to, and when.
    pub actual: Option<(f64, NaiveDate)>,
}

/// What [`Store::close_contract`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Closed {
    /// The close-out's id.
    pub closeout_id: i64,
    /// Warnings (criteria left open).
    pub warnings: Vec<Problem>,
}

/// What [`Store::sign`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signed {
    /// The agreement version signed.
    pub version: i64,
    /// Whether this signature made a proposed contract active.
    pub activated: bool,
    /// Parties still to sign.
    pub awaiting: Vec<Party>,
}

impl Store {
    /// A contract's success criteria, in order.
    pub fn criteria(&self, contract_id: i64) -> Result<Vec<Criterion>, StoreError> {
        criteria_of(&self.conn, contract_id)
    }

    /// Adds (id 0) or edits a criterion; a change to the agreed terms after signing makes a
    /// new agreement version. An actual typed here is marked `typed` (imports never replace
    /// it). Returns the id.
    pub fn save_criterion(&mut self, k: &Criterion) -> Result<i64, StoreError> {
        self.write(|tx, actor| save_criterion_in(tx, actor, k))
    }

    /// Records a review with its rating of each criterion (criterion id, RAG) in one
    /// transaction; every rated criterion must be the contract's.
    pub fn add_rated_review(
        &mut self,
        r: &Review,
        ratings: &[(i64, Rag)],
        today: NaiveDate,
    ) -> Result<i64, StoreError> {
        self.write(|tx, actor| {
            if entity::get::<Contract>(tx, r.contract_id)?.is_none() {
                return Err(one("contract_id", "choose the contract under review"));
            }
            refuse(crate::domain::validate::review(r, today))?;
            let id = entity::insert(tx, r, actor)?;
            rate_in(tx, actor, id, r.contract_id, ratings)?;
            Ok(id)
        })
    }

    /// Rates criteria at an existing review (a rating given again replaces the earlier one).
    pub fn rate_criteria(&mut self, review_id: i64, ratings: &[(i64, Rag)]) -> Result<(), StoreError> {
        self.write(|tx, actor| {
            let r: Review =
                entity::get(tx, review_id)?.ok_or(StoreError::NotFound { entity: "review", id: review_id })?;
            rate_in(tx, actor, review_id, r.contract_id, ratings)
        })
    }

    /// The ratings given at one review.
    pub fn ratings(&self, review_id: i64) -> Result<Vec<CriterionRating>, StoreError> {
        entity::list(&self.conn, "WHERE review_id = ?1", [review_id])
    }

    /// Each criterion's latest rating on a contract: criterion id → (RAG, review date).
    pub fn latest_ratings(&self, contract_id: i64) -> Result<Vec<(i64, Rag, NaiveDate)>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT cr.criterion_id, cr.rag, r.reviewed_on FROM criterion_ratings cr
               JOIN reviews r ON r.id = cr.review_id
              WHERE r.contract_id = ?1
                AND r.id = (SELECT r2.id FROM criterion_ratings c2 JOIN reviews r2 ON r2.id = c2.review_id
                             WHERE c2.criterion_id = cr.criterion_id ORDER BY r2.reviewed_on DESC, r2.id DESC LIMIT 1)
              ORDER BY cr.criterion_id",
        )?;
        let rows = st.query_map([contract_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The close-out of a contract, if it has one.
    pub fn closeout(&self, contract_id: i64) -> Result<Option<Closeout>, StoreError> {
        Ok(entity::list::<Closeout, _>(&self.conn, "WHERE contract_id = ?1", [contract_id])?.pop())
    }

    /// Closes a contract: writes its close-out, each criterion's outcome and actual, and the
    /// contract's new status (completed or terminated), all in one transaction. Refused for a
    /// contract that cannot become that status, one already closed, a date after `today`, an
    /// open overall outcome, a score outside 1–5, or a termination without a reason.
    pub fn close_contract(
        &mut self,
        close: &Closeout,
        outcomes: &[CriterionOutcome],
        today: NaiveDate,
    ) -> Result<Closed, StoreError> {
        self.write(|tx, actor| {
            let c = contract(tx, close.contract_id)?;
            let to = match close.kind {
                CloseKind::Completed => ContractStatus::Completed,
                CloseKind::Terminated => ContractStatus::Terminated,
            };
            if matches!(c.status, ContractStatus::Completed | ContractStatus::Terminated) {
                return Err(one("status", format!("contract #{} is already {}", c.id, c.status.as_str())));
            }
            if !c.status.can_become(to) {
                return Err(one("status", format!("a {} contract cannot become {}", c.status.as_str(), to.as_str())));
            }
            refuse(rules::closeout(close))?;
            if close.closed_on > today {
                return Err(one("closed_on", "a close-out cannot be dated in the future"));
            }
            if close.closed_on < c.start_on {
                return Err(one(
                    "closed_on",
                    format!("the close-out is before the contract started ({})", fmt_date(c.start_on)),
                ));
            }
            let criteria = criteria_of(tx, c.id)?;
            let mut updated = criteria.clone();
            for o in outcomes {
                let Some(k) = updated.iter_mut().find(|k| k.id == o.criterion_id) else {
                    return Err(one(
                        "criteria",
                        format!("criterion #{} is not one of contract #{}'s", o.criterion_id, c.id),
                    ));
                };
                if o.outcome == Outcome::Open {
                    return Err(one("criteria", "each criterion closes as met, partly_met or not_met"));
                }
                k.outcome = o.outcome;
                if let Some((v, on)) = o.actual {
                    k.actual = Some(v);
                    k.actual_on = Some(on);
                    k.actual_source = "typed".into();
                }
                refuse(rules::criterion(k))?;
            }
            let id = entity::insert(tx, &Closeout { id: 0, ..close.clone() }, actor)?;
            for (k, before) in updated.iter().zip(&criteria) {
                if k != before {
                    entity::update(tx, k, actor)?;
                }
            }
            entity::update(tx, &Contract { status: to, ..c.clone() }, actor)?;
            let open = updated.iter().filter(|k| k.outcome == Outcome::Open).count();
            let mut warnings = Vec::new();
            if open > 0 {
                warnings.push(warning(
                    "criteria",
                    format!("{open} criteri{} left open (no outcome recorded)", if open == 1 { "on" } else { "a" }),
                ));
            }
            let each: Vec<Outcome> = updated.iter().map(|k| k.outcome).collect();
            if let Some(w) = crate::domain::impact::outcome_against_criteria(close.outcome, &each) {
                warnings.push(warning("outcome", w));
            }
            Ok(Closed { closeout_id: id, warnings })
        })
    }

    /// Where a contract's agreement stands: version, signatures, variation.
    pub fn agreement_status(&self, contract_id: i64) -> Result<AgreementStatus, StoreError> {
        agreement_status(&self.conn, contract_id)
    }

    /// Records one party's signature on the agreement as it stands (drawing up version 1, or
    /// the next version after a variation, as needed). When the school and the provider have
    /// both signed a proposed contract, it becomes active.
    pub fn sign(
        &mut self,
        contract_id: i64,
        party: Party,
        signed_on: NaiveDate,
        signed_by: &str,
        today: NaiveDate,
    ) -> Result<Signed, StoreError> {
        self.write(|tx, actor| {
            let c = contract(tx, contract_id)?;
            if matches!(c.status, ContractStatus::Completed | ContractStatus::Terminated) {
                return Err(one(
                    "contract_id",
                    format!("contract #{} is {}: there is nothing left to sign", c.id, c.status.as_str()),
                ));
            }
            let latest = match sync_agreement(tx, actor, contract_id)? {
                Some(a) => a,
                None => {
                    let terms = Terms::of(&c, &criteria_of(tx, contract_id)?);
                    let terms = serde_json::to_string(&terms).map_err(|e| one("terms", e.to_string()))?;
                    let a = Agreement { id: 0, contract_id, version: 1, created_on: signed_on.min(today), terms };
                    let id = insert_agreement(tx, actor, &a)?;
                    Agreement { id, ..a }
                }
            };
            let s = Signoff {
                id: 0,
                agreement_id: latest.id,
                party,
                signed_on,
                signed_by: signed_by.trim().to_string(),
                stamp: Stamp::default(),
            };
            refuse(rules::signoff(&s, today))?;
            if let Some(prev) = signoffs_of(tx, latest.id)?.into_iter().find(|x| x.party == party) {
                return Err(one(
                    "party",
                    format!(
                        "the {} already signed version {} on {} ({})",
                        party.as_str(),
                        latest.version,
                        fmt_date(prev.signed_on),
                        prev.signed_by
                    ),
                ));
            }
            entity::insert(tx, &s, actor)?;
            let status = agreement_status(tx, contract_id)?;
            let activated = c.status == ContractStatus::Proposed && status.awaiting.is_empty();
            if activated {
                entity::update(tx, &Contract { status: ContractStatus::Active, ..c.clone() }, actor)?;
            }
            Ok(Signed { version: latest.version, activated, awaiting: status.awaiting })
        })
    }
}

/// Writes ratings at a review of `contract_id`, replacing any earlier rating of the same
/// criterion at that review.
fn rate_in(
    tx: &Connection,
    actor: &Actor,
    review_id: i64,
    contract_id: i64,
    ratings: &[(i64, Rag)],
) -> Result<(), StoreError> {
    for (criterion_id, rag) in ratings {
        let k: Option<Criterion> = entity::get(tx, *criterion_id)?;
        if k.as_ref().is_none_or(|k| k.contract_id != contract_id) {
            return Err(one("criteria", format!("criterion #{criterion_id} is not one of contract #{contract_id}'s")));
        }
        let existing: Option<CriterionRating> = tx
            .query_row(
                "SELECT id FROM criterion_ratings WHERE review_id = ?1 AND criterion_id = ?2",
                [review_id, *criterion_id],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .map(|id| entity::get(tx, id))
            .transpose()?
            .flatten();
        match existing {
            Some(e) if e.rag == *rag => {}
            Some(e) => {
                entity::update(tx, &CriterionRating { rag: *rag, ..e }, actor)?;
            }
            None => {
                let r = CriterionRating {
                    id: 0,
                    review_id,
                    criterion_id: *criterion_id,
                    rag: *rag,
                    stamp: Stamp::default(),
                };
                entity::insert(tx, &r, actor)?;
            }
        }
    }
    Ok(())
}
