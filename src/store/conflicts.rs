//! The conflicts away changes left on a server (`away_conflicts`), and how a coordinator
//! resolves them (the TUI's conflict list, `alliance conflicts resolve`): keep the server's
//! value, take the away value, set a new one, or dismiss a held-back change with a reason. A
//! value is written through the same validated, versioned write an away edit is replayed
//! with, and the conflict is marked resolved — with who, when and how, in its own audit row —
//! in the same transaction.

use super::replay::{Conflict, Replay, shown};
use super::{Actor, AwayProblem, entity};
use super::{Store, StoreError, audit, people};
use crate::domain::roles::Who;
use crate::domain::*;
use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::OptionalExtension;
use serde_json::{Value, json};

/// How a coordinator resolves one conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// A field both sides changed keeps the value here (the server's).
    KeepServer,
    /// A field both sides changed takes the away copy's value.
    TakeAway,
    /// A field both sides changed takes a value typed now.
    Value(String),
    /// A change held back whole (refused, on a closed contract, of a removed record, removing
    /// a changed one) is closed with the reason given.
    Dismiss(String),
    /// Marked resolved from the command line (`alliance conflicts resolve ID`): the value kept
    /// here stands, or the away value was re-entered through a form.
    Marked,
}

fn problem(message: String) -> StoreError {
    use crate::domain::validate::{Level, Problem, Problems};
    StoreError::Invalid(Problems(vec![Problem { field: "conflict", message, level: Level::Error }]))
}

/// What a typed value may mean for a field now holding `now`: a number, yes/no, a date
/// typed as people type dates (`30/11/2026`, `+14`), or text — the record's kind takes the
/// first it accepts. Empty clears an optional field.
fn typed(now: Option<&Value>, text: &str, today: NaiveDate) -> Vec<Value> {
    let t = text.trim();
    let mut v = Vec::new();
    if t.is_empty() {
        v.push(Value::Null);
    }
    let is_date = |v: Option<&Value>| v.and_then(Value::as_str).is_some_and(|s| crate::domain::dates::iso(s).is_some());
    if (now.is_none_or(Value::is_null) || is_date(now))
        && let Ok(d) = crate::domain::parse_date(t, today)
    {
        v.push(Value::String(d.format("%Y-%m-%d").to_string()));
    }
    let bool_of = |t: &str| match t.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Some(true),
        "no" | "n" | "false" => Some(false),
        _ => None,
    };
    let number = t.parse::<i64>().map(Value::from).ok().or_else(|| t.parse::<f64>().ok().map(Value::from));
    match now {
        Some(Value::Bool(_)) => v.extend(bool_of(t).map(Value::Bool)),
        Some(Value::Number(_)) => v.extend(number),
        Some(Value::String(_)) => v.push(Value::String(t.to_string())),
        _ => {
            v.extend(number);
            v.push(Value::String(t.to_string()));
            v.extend(bool_of(t).map(Value::Bool));
        }
    }
    if v.is_empty() {
        v.push(Value::String(t.to_string()));
    }
    v
}

impl Store {
    /// The conflicts away changes left here that nobody has resolved yet, oldest first.
    pub fn open_conflicts(&self) -> Result<Vec<(i64, Conflict)>, StoreError> {
        self.conflicts_where("", "", 0)
    }

    /// The open conflicts about one record — for a contract, also those about its visits and
    /// reviews held back (a visit on a contract closed meanwhile), so its detail shows them.
    pub fn open_conflicts_about(&self, table: &str, id: i64) -> Result<Vec<(i64, Conflict)>, StoreError> {
        self.conflicts_where(
            "AND ((entity = ?1 AND entity_id = ?2)
                  OR (?1 = 'contracts' AND json_extract(change, '$.after.contract_id') = ?2))",
            table,
            id,
        )
    }

    fn conflicts_where(&self, tail: &str, table: &str, id: i64) -> Result<Vec<(i64, Conflict)>, StoreError> {
        let sql = format!(
            "SELECT id, change_id, entity, entity_id, kind, field, away_value, server_value, away_by, away_at,
                    server_by, server_at, detail FROM away_conflicts WHERE resolved_at IS NULL {tail} ORDER BY id"
        );
        let mut st = self.conn.prepare(&sql)?;
        let params: Vec<&dyn rusqlite::ToSql> = if tail.is_empty() { Vec::new() } else { vec![&table, &id] };
        let rows = st.query_map(params.as_slice(), |r| {
            Ok((
                r.get(0)?,
                Conflict {
                    change_id: r.get(1)?,
                    entity: r.get(2)?,
                    entity_id: r.get(3)?,
                    kind: r.get(4)?,
                    field: r.get(5)?,
                    away_value: r.get(6)?,
                    server_value: r.get(7)?,
                    away_by: r.get(8)?,
                    away_at: r.get(9)?,
                    server_by: r.get(10)?,
                    server_at: r.get(11)?,
                    detail: r.get(12)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The away change a conflict is about, as sent (the record in full in `after`), so a
    /// change held back whole can be re-entered without retyping it.
    pub fn conflict_change(&self, id: i64) -> Result<Option<Value>, StoreError> {
        let text: Option<String> =
            self.conn.query_row("SELECT change FROM away_conflicts WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// What a record is about, in the words a coordinator knows it by — the school (and, for
    /// anything under a contract, the contract's focus) — so a conflict list names "Lindendale
    /// Primary School — Leadership", not only "contract #26". A record not on this server (made
    /// away and held back) is placed by the contract or school its away copy names, from the
    /// conflict's recorded change. `None` when neither is known here.
    pub fn conflict_subject(&self, conflict_id: i64, table: &str, id: i64) -> Result<Option<String>, StoreError> {
        let contract = |cid: i64| -> Result<Option<String>, StoreError> {
            Ok(self
                .conn
                .query_row(
                    "SELECT s.name || ' — ' || c.focus FROM contracts c JOIN schools s ON s.id = c.school_id \
                     WHERE c.id = ?1",
                    [cid],
                    |r| r.get(0),
                )
                .optional()?)
        };
        let school = |sid: i64| -> Result<Option<String>, StoreError> {
            Ok(self.conn.query_row("SELECT name FROM schools WHERE id = ?1", [sid], |r| r.get(0)).optional()?)
        };
        let column = |sql: &str| -> Result<Option<i64>, StoreError> {
            Ok(self.conn.query_row(sql, [id], |r| r.get::<_, Option<i64>>(0)).optional()?.flatten())
        };
        let here = match table {
            "contracts" => contract(id)?,
            "visits" | "reviews" | "criteria" => {
                match column(&format!("SELECT contract_id FROM {table} WHERE id = ?1"))? {
                    Some(c) => contract(c)?,
                    None => None,
                }
            }
            "criterion_ratings" => {
                match column(
                    "SELECT r.contract_id FROM criterion_ratings x JOIN reviews r ON r.id = x.review_id WHERE x.id = ?1",
                )? {
                    Some(c) => contract(c)?,
                    None => None,
                }
            }
            "schools" => school(id)?,
            "leaders" => {
                self.conn.query_row("SELECT name FROM leaders WHERE id = ?1", [id], |r| r.get(0)).optional()?
            }
            "inspections" | "intelligence" | "decisions" => {
                match column(&format!("SELECT school_id FROM {table} WHERE id = ?1"))? {
                    Some(s) => school(s)?,
                    None => None,
                }
            }
            _ => None,
        };
        if here.is_some() {
            return Ok(here);
        }
        // Not here (made away, or removed here): the away record says where it belonged.
        let Some(change) = self.conflict_change(conflict_id)? else { return Ok(None) };
        let rec = change.get("after").or_else(|| change.get("before"));
        let field = |k: &str| rec.and_then(|r| r.get(k)).and_then(Value::as_i64);
        if let Some(c) = field("contract_id") {
            return contract(c);
        }
        match field("school_id") {
            Some(s) => school(s),
            None => Ok(None),
        }
    }

    /// Marks a listed conflict as resolved by this store's actor (the coordinator has decided:
    /// the value kept here stands, or they have re-entered the away value through a form).
    pub fn resolve_conflict(&mut self, id: i64) -> Result<(), StoreError> {
        self.resolve_conflict_as(id, &Resolution::Marked, chrono::Utc::now().date_naive()).map(|_| ())
    }

    /// Resolves one open conflict as the coordinator chose, in one transaction: a chosen value
    /// is saved through the record's validated write (refused, with nothing changed, if the
    /// field was changed here since it was listed), and the conflict is marked resolved with
    /// an audit row saying who resolved it, when and how. Only a coordinator or an admin
    /// resolves. Returns what was done, in a few words.
    pub fn resolve_conflict_as(&mut self, id: i64, how: &Resolution, today: NaiveDate) -> Result<String, StoreError> {
        let path = self.path().to_path_buf();
        self.write(|tx, actor| {
            let who = people::resolve(tx, actor, &path)?;
            if let Some(no) = who.conflict_refusal() {
                return Err(StoreError::NotAllowed(no));
            }
            let row: Option<(String, i64, String, String, String, String, String)> = tx
                .query_row(
                    "SELECT entity, entity_id, kind, field, away_value, server_value, change
                       FROM away_conflicts WHERE id = ?1 AND resolved_at IS NULL",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
                )
                .optional()?;
            let Some((entity, entity_id, kind, field, away_value, server_value, change)) = row else {
                return Err(StoreError::NotFound { entity: "open conflict", id });
            };
            let one_field = kind == "both_changed" && !field.is_empty();
            let target = (entity.as_str(), entity_id, field.as_str());
            let whole = || {
                problem(format!(
                    "conflict {id} is about the whole change, not one field — dismiss it with a reason once it is dealt with"
                ))
            };
            let done = match how {
                Resolution::KeepServer if one_field => format!("kept \"{server_value}\" (the server's)"),
                Resolution::TakeAway if one_field => {
                    let away = serde_json::from_str::<Value>(&change)
                        .ok()
                        .and_then(|c| c.get("after").and_then(|a| a.get(&field)).cloned())
                        .unwrap_or_else(|| Value::String(away_value.clone()));
                    set_field(tx, actor, &who, target, &|_| vec![away.clone()], &server_value, today)?;
                    format!("took \"{away_value}\" (the away value)")
                }
                Resolution::Value(text) if one_field => {
                    let set = set_field(tx, actor, &who, target, &|now| typed(now, text, today), &server_value, today)?;
                    format!("set to \"{}\"", shown(Some(&set)))
                }
                Resolution::KeepServer | Resolution::TakeAway | Resolution::Value(_) => return Err(whole()),
                Resolution::Dismiss(reason) => {
                    let reason = reason.trim();
                    if reason.is_empty() || reason.chars().any(char::is_control) {
                        return Err(problem("say in one line why the away change is dismissed".into()));
                    }
                    format!("dismissed: {reason}")
                }
                Resolution::Marked => "marked resolved".to_string(),
            };
            let at = actor.now();
            tx.execute(
                "UPDATE away_conflicts SET resolved_at = ?2, resolved_by = ?3 WHERE id = ?1",
                rusqlite::params![id, at, actor.by],
            )?;
            let before = json!({ "entity": entity, "entity_id": entity_id, "kind": kind, "field": field, "resolved_at": null });
            let after = json!({
                "entity": entity, "entity_id": entity_id, "kind": kind, "field": field,
                "resolved_at": at, "resolved_by": actor.by, "resolution": done,
            });
            audit::write(tx, actor, "away_conflicts", id, "update", Some(&before), Some(&after))?;
            Ok(done)
        })
    }
}

/// Sets `field` of a record to the first of `values` (given the field's value now) its kind
/// accepts, and returns it; through the same
/// validated write an away edit is replayed with (the record's version is checked, the audit
/// row written). Refused as stale when the field no longer shows `seen` (someone changed it
/// since the coordinator looked).
fn set_field(
    tx: &Connection,
    actor: &Actor,
    who: &Who,
    target: (&str, i64, &str),
    values: &dyn Fn(Option<&Value>) -> Vec<Value>,
    seen: &str,
    today: NaiveDate,
) -> Result<Value, StoreError> {
    let (table, id, field) = target;
    let f = match table {
        "visits" => set::<Visit>,
        "reviews" => set::<Review>,
        "contracts" => set::<Contract>,
        "schools" => set::<School>,
        "leaders" => set::<Leader>,
        "inspections" => set::<Inspection>,
        "board_meetings" => set::<Meeting>,
        "decisions" => set::<Decision>,
        "funding_streams" => set::<FundingStream>,
        "criterion_ratings" => set::<CriterionRating>,
        "criteria" => set::<Criterion>,
        "intelligence" => set::<Intelligence>,
        other => return Err(StoreError::Away(AwayProblem::ServerOnly { table: other.to_string() })),
    };
    f(tx, actor, who, id, field, values, seen, today)
}

#[allow(clippy::too_many_arguments)]
fn set<E: Replay>(
    tx: &Connection,
    actor: &Actor,
    who: &Who,
    id: i64,
    field: &str,
    values: &dyn Fn(Option<&Value>) -> Vec<Value>,
    seen: &str,
    today: NaiveDate,
) -> Result<Value, StoreError> {
    if let Some(no) = who.table_refusal(E::TABLE) {
        return Err(StoreError::NotAllowed(no));
    }
    let current = entity::get::<E>(tx, id)?.ok_or(StoreError::NotFound { entity: E::LABEL, id })?;
    let here = serde_json::to_value(&current).map_err(|e| StoreError::Io("conflict".into(), e.to_string()))?;
    if shown(here.get(field)) != seen {
        return Err(StoreError::Stale {
            entity: E::LABEL,
            id,
            by: current.stamp().updated_by.clone(),
            at: current.stamp().updated_at.clone(),
        });
    }
    let mut last = String::new();
    let values = values(here.get(field));
    for v in &values {
        let mut rec = here.clone();
        if let Some(obj) = rec.as_object_mut() {
            obj.insert(field.to_string(), v.clone());
        }
        match serde_json::from_value::<E>(rec) {
            Ok(rec) => return E::edit(tx, actor, &rec, today).map(|_| v.clone()),
            Err(e) => last = e.to_string(),
        }
    }
    use crate::domain::validate::{Level, Problem, Problems};
    let what = values.first().map(|v| shown(Some(v))).unwrap_or_default();
    Err(StoreError::Invalid(Problems(vec![Problem {
        field: "value",
        message: format!("\"{what}\" is not a {} {field} ({last})", E::LABEL),
        level: Level::Error,
    }])))
}
