//! One generic path for reading and writing every editable table, so versioning, stamps and
//! the audit row are written the same way for schools, contracts, visits and the rest.

use super::{Actor, StoreError, audit};
use crate::domain::*;
use rusqlite::types::ToSql;
use rusqlite::{Connection, OptionalExtension, Row, params_from_iter};

/// A record type stored in one table with `id`, its columns, and `version`/`updated_at`/
/// `updated_by`.
pub trait Entity: serde::Serialize + Sized {
    /// Table name (also the `entity` word in `audit`).
    const TABLE: &'static str;
    /// How people call one of these ("contract").
    const LABEL: &'static str;
    /// Editable columns, in the order [`Entity::values`] gives them.
    const COLUMNS: &'static [&'static str];
    /// Row id (0 before insert).
    fn id(&self) -> i64;
    /// Revision stamp.
    fn stamp(&self) -> &Stamp;
    /// Column values, in [`Entity::COLUMNS`] order.
    fn values(&self) -> Vec<&dyn ToSql>;
    /// Reads a row selected by [`select_sql`].
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self>;
}

/// `SELECT id, <columns>, version, updated_at, updated_by FROM <table>`.
pub fn select_sql<E: Entity>() -> String {
    format!("SELECT id, {}, version, updated_at, updated_by FROM {}", E::COLUMNS.join(", "), E::TABLE)
}

/// Reads the stamp columns of a row.
pub fn stamp(row: &Row<'_>) -> rusqlite::Result<Stamp> {
    Ok(Stamp { version: row.get("version")?, updated_at: row.get("updated_at")?, updated_by: row.get("updated_by")? })
}

pub(super) fn get<E: Entity>(conn: &Connection, id: i64) -> Result<Option<E>, StoreError> {
    let sql = format!("{} WHERE id = ?1", select_sql::<E>());
    Ok(conn.prepare_cached(&sql)?.query_row([id], |r| E::from_row(r)).optional()?)
}

pub(super) fn list<E: Entity, P: rusqlite::Params>(
    conn: &Connection,
    tail: &str,
    params: P,
) -> Result<Vec<E>, StoreError> {
    let sql = format!("{} {tail} ORDER BY id", select_sql::<E>());
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st.query_map(params, |r| E::from_row(r))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Creates a record (id 0, or, when replaying an away copy's changes, an id the copy was given
/// that this file does not hold) or saves an edit of one.
pub(super) fn save<E: Entity>(conn: &Connection, record: &E, actor: &Actor) -> Result<i64, StoreError> {
    let new = record.id() == 0 || (actor.keeps_ids() && get::<E>(conn, record.id())?.is_none());
    if new { insert(conn, record, actor) } else { Ok(update(conn, record, actor)?.id()) }
}

pub(super) fn insert<E: Entity>(conn: &Connection, record: &E, actor: &Actor) -> Result<i64, StoreError> {
    let now = actor.now();
    // A change replayed from an away copy keeps the id it was given there: the copy's ids come
    // from a block this file reserved for it, so they collide with nothing here.
    let id = if actor.keeps_ids() && record.id() > 0 {
        if get::<E>(conn, record.id())?.is_some() {
            return Err(StoreError::Invalid(crate::domain::validate::Problems(vec![
                crate::domain::validate::Problem {
                    field: "id",
                    message: format!("{} #{} already exists here", E::LABEL, record.id()),
                    level: crate::domain::validate::Level::Error,
                },
            ])));
        }
        record.id()
    } else {
        next_id::<E>(conn)?
    };
    let cols = E::COLUMNS.join(", ");
    let marks: Vec<String> = (1..=E::COLUMNS.len() + 3).map(|i| format!("?{i}")).collect();
    let sql = format!("INSERT INTO {} ({cols}, updated_at, updated_by, id) VALUES ({})", E::TABLE, marks.join(", "));
    let mut values = record.values();
    values.push(&now);
    values.push(&actor.by);
    values.push(&id);
    conn.prepare_cached(&sql)?.execute(params_from_iter(values))?;
    let stored: E = get(conn, id)?.ok_or(StoreError::NotFound { entity: E::LABEL, id })?;
    audit::write(conn, actor, E::TABLE, id, "insert", None::<&E>, Some(&stored))?;
    Ok(id)
}

/// Refuses a change made against an older version than the one stored: someone saved first.
fn unchanged_since<E: Entity>(stored: &E, expected: i64) -> Result<(), StoreError> {
    if stored.stamp().version == expected {
        return Ok(());
    }
    Err(StoreError::Stale {
        entity: E::LABEL,
        id: stored.id(),
        by: stored.stamp().updated_by.clone(),
        at: stored.stamp().updated_at.clone(),
    })
}

/// The id a new record gets: past every id the table holds *and* every id its audit trail
/// has named. SQLite alone would hand a removed record's id (the highest) to the next insert,
/// and the new record would inherit the removed one's history.
///
/// Ids are shared with away copies (DESIGN §9): an away copy takes its new ids from the block
/// its server reserved for it, and the server skips every reserved block, so records created
/// away keep their ids when they are sent and never collide.
fn next_id<E: Entity>(conn: &Connection) -> Result<i64, StoreError> {
    let sql = format!(
        "SELECT max(coalesce((SELECT max(id) FROM {t}), 0),
                    coalesce((SELECT max(entity_id) FROM audit WHERE entity = ?1), 0)) + 1",
        t = E::TABLE
    );
    let next: i64 = conn.prepare_cached(&sql)?.query_row([E::TABLE], |r| r.get(0))?;
    super::away::allocate(conn, E::LABEL, next)
}

pub(super) fn update<E: Entity>(conn: &Connection, record: &E, actor: &Actor) -> Result<E, StoreError> {
    let id = record.id();
    let before: E = get(conn, id)?.ok_or(StoreError::NotFound { entity: E::LABEL, id })?;
    let expected = record.stamp().version;
    unchanged_since(&before, expected)?;
    let now = actor.now();
    let n = E::COLUMNS.len();
    let sets: Vec<String> = E::COLUMNS.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 1)).collect();
    let sql = format!(
        "UPDATE {} SET {}, version = version + 1, updated_at = ?{}, updated_by = ?{} \
         WHERE id = ?{} AND version = ?{}",
        E::TABLE,
        sets.join(", "),
        n + 1,
        n + 2,
        n + 3,
        n + 4
    );
    let mut values = record.values();
    values.push(&now);
    values.push(&actor.by);
    values.push(&id);
    values.push(&expected);
    conn.prepare_cached(&sql)?.execute(params_from_iter(values))?;
    let after: E = get(conn, id)?.ok_or(StoreError::NotFound { entity: E::LABEL, id })?;
    audit::write(conn, actor, E::TABLE, id, "update", Some(&before), Some(&after))?;
    Ok(after)
}

pub(super) fn delete<E: Entity>(conn: &Connection, id: i64, expected: i64, actor: &Actor) -> Result<E, StoreError> {
    let before: E = get(conn, id)?.ok_or(StoreError::NotFound { entity: E::LABEL, id })?;
    unchanged_since(&before, expected)?;
    conn.prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", E::TABLE))?.execute([id])?;
    audit::write(conn, actor, E::TABLE, id, "delete", Some(&before), None::<&E>)?;
    Ok(before)
}

/// Declares the [`Entity`] impl of a record: table, label, then `column => field` pairs.
macro_rules! entity {
    ($ty:ident, $table:literal, $label:literal, [$($col:ident),+ $(,)?]) => {
        impl Entity for $ty {
            const TABLE: &'static str = $table;
            const LABEL: &'static str = $label;
            const COLUMNS: &'static [&'static str] = &[$(stringify!($col)),+];
            fn id(&self) -> i64 { self.id }
            fn stamp(&self) -> &Stamp { &self.stamp }
            fn values(&self) -> Vec<&dyn ToSql> { vec![$(&self.$col),+] }
            fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
                Ok($ty { id: row.get("id")?, $($col: row.get(stringify!($col))?,)+ stamp: stamp(row)? })
            }
        }
    };
}

entity!(
    School,
    "schools",
    "school",
    [
        urn,
        name,
        phase,
        school_type,
        la_name,
        postcode,
        pupils,
        trust,
        headteacher,
        member,
        category,
        notes,
        religious_character,
        diocese,
        trust_code,
        closed_on
    ]
);
entity!(
    Inspection,
    "inspections",
    "inspection",
    [school_id, inspected_on, framework, outcome, grade, safeguarding_met, areas, category_of_concern, kind]
);
entity!(
    Leader,
    "leaders",
    "leader",
    [name, designation, home_school_id, specialisms, days_per_year, day_rate_pence, email, phone, active]
);
entity!(
    Contract,
    "contracts",
    "contract",
    [
        school_id,
        leader_id,
        focus,
        aims,
        success_criteria,
        start_on,
        end_on,
        days_commissioned,
        day_rate_pence,
        funding,
        funding_stream_id,
        status
    ]
);
entity!(Visit, "visits", "visit", [contract_id, leader_id, visited_on, days, activity, notes, next_steps]);
entity!(Review, "reviews", "review", [contract_id, reviewed_on, rag, summary, next_review_on, escalate]);
entity!(Meeting, "board_meetings", "board meeting", [held_on, notes]);
entity!(
    Decision,
    "decisions",
    "decision",
    [meeting_id, school_id, contract_id, kind, category, text, owner, due_on, done]
);
entity!(SchoolEvent, "school_events", "school event", [school_id, happened_on, kind, before, after, source]);
entity!(SchoolLink, "school_links", "school link", [school_id, linked_school_id, link_type, since]);
entity!(FundingStream, "funding_streams", "funding stream", [name, amount_pence, notes]);
entity!(Term, "terms", "term date", [starts_on, ends_on, label, kind]);
entity!(Person, "people", "person", [account, name, role, leader_id, active]);
entity!(
    Criterion,
    "criteria",
    "criterion",
    [contract_id, text, measure, baseline, baseline_on, target, target_by, actual, actual_on, actual_source, outcome]
);
entity!(CriterionRating, "criterion_ratings", "criterion rating", [review_id, criterion_id, rag]);
entity!(
    Closeout,
    "closeouts",
    "close-out",
    [contract_id, kind, closed_on, outcome, sustain, school_feedback_score, school_feedback, lessons, reason]
);
entity!(Signoff, "signoffs", "signature", [agreement_id, party, signed_on, signed_by]);
entity!(
    Measure,
    "measures",
    "measure",
    [school_id, area, measure, year, value, status, release, source, la_code, note]
);
entity!(
    Intelligence,
    "intelligence",
    "intelligence entry",
    [school_id, noted_on, source, text, sensitivity, review_on, redacted]
);
