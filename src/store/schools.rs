//! A school's life as the record keeps it: dated events (a new head, a trust joined, a
//! conversion), links between schools (GIAS's predecessor/successor), a conversion that moves
//! the support to the successor, and the board's re-categorisation. Every write is audited in
//! the caller's one transaction.

use super::{Actor, Entity, Store, StoreError, entity};
use crate::domain::*;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

/// What a conversion moved from the predecessor to the successor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conversion {
    /// Live (and proposed) contracts moved, by id.
    pub contracts: Vec<i64>,
    /// The category the successor took, when it changed.
    pub category: Option<(Category, Category)>,
    /// Whether notes were carried over.
    pub notes: bool,
}

/// Writes the events a school edit means (`source` `edit`, `gias` …), dated `on`.
pub(super) fn record_events(
    conn: &Connection,
    actor: &Actor,
    old: &School,
    new: &School,
    on: NaiveDate,
    source: &str,
) -> Result<(), StoreError> {
    for (kind, before, after) in events::between(old, new) {
        let on = if kind == EventKind::Closed { new.closed_on.unwrap_or(on) } else { on };
        let e = SchoolEvent {
            id: 0,
            school_id: new.id,
            happened_on: on,
            kind,
            before,
            after,
            source: source.to_string(),
            stamp: Stamp::default(),
        };
        entity::insert(conn, &e, actor)?;
    }
    Ok(())
}

/// Converts `from` into `to` (a school that closed and reopened under a new URN): links them
/// both ways, moves `from`'s live and proposed contracts (their visits and reviews go with
/// them) to `to`, gives `to` the board's category and notes when `to` has none of its own, and
/// marks `from` closed on `on`, with a `converted` event on each. Already converted: nothing.
pub(super) fn convert(
    conn: &Connection,
    actor: &Actor,
    from: &School,
    to: &School,
    on: NaiveDate,
    source: &str,
) -> Result<Option<Conversion>, StoreError> {
    let already: Option<i64> = conn
        .query_row(
            "SELECT id FROM school_links WHERE school_id = ?1 AND linked_school_id = ?2 AND link_type = 'successor'",
            [from.id, to.id],
            |r| r.get(0),
        )
        .optional()?;
    if already.is_some() {
        return Ok(None);
    }
    for (school, linked, kind) in [(from.id, to.id, "successor"), (to.id, from.id, "predecessor")] {
        let link = SchoolLink {
            id: 0,
            school_id: school,
            linked_school_id: linked,
            link_type: kind.to_string(),
            since: Some(on),
            stamp: Stamp::default(),
        };
        entity::insert(conn, &link, actor)?;
    }
    let mut done = Conversion::default();
    let moving: Vec<Contract> =
        entity::list(conn, "WHERE school_id = ?1 AND status IN ('proposed', 'active', 'paused')", [from.id])?;
    for mut c in moving {
        c.school_id = to.id;
        let c = entity::update(conn, &c, actor)?;
        done.contracts.push(c.id);
    }
    let mut successor: School =
        entity::get(conn, to.id)?.ok_or(StoreError::NotFound { entity: "school", id: to.id })?;
    // The successor is a fresh GIAS record (category A, no notes): the board's judgement of
    // the school carries over. Of an amalgamation's several predecessors, the most serious
    // category stands; a more serious one the board already set on the successor is kept.
    if from.category > successor.category {
        done.category = Some((successor.category, from.category));
        successor.category = from.category;
    }
    if !from.notes.trim().is_empty() && successor.notes.trim().is_empty() {
        successor.notes = from.notes.clone();
        done.notes = true;
    }
    if done.category.is_some() || done.notes {
        entity::update(conn, &successor, actor)?;
    }
    let mut closed: School =
        entity::get(conn, from.id)?.ok_or(StoreError::NotFound { entity: "school", id: from.id })?;
    if closed.closed_on.is_none() {
        closed.closed_on = Some(on);
        entity::update(conn, &closed, actor)?;
    }
    let urn = |s: &School| s.urn.map_or_else(String::new, |u| u.to_string());
    for (school, before, after) in [(from.id, urn(from), urn(to)), (to.id, urn(from), urn(to))] {
        let e = SchoolEvent {
            id: 0,
            school_id: school,
            happened_on: on,
            kind: EventKind::Converted,
            before,
            after,
            source: source.to_string(),
            stamp: Stamp::default(),
        };
        entity::insert(conn, &e, actor)?;
    }
    Ok(Some(done))
}

/// Links two schools with a link that is not a conversion (amalgamated, merged, sixth-form
/// centre link …), unless already linked that way. Returns whether a link was added.
pub(super) fn link(
    conn: &Connection,
    actor: &Actor,
    school: i64,
    linked: i64,
    link_type: &str,
    since: Option<NaiveDate>,
) -> Result<bool, StoreError> {
    let exists: Option<i64> = conn
        .query_row(
            "SELECT id FROM school_links WHERE school_id = ?1 AND linked_school_id = ?2 AND link_type = ?3",
            rusqlite::params![school, linked, link_type],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_some() {
        return Ok(false);
    }
    let l = SchoolLink {
        id: 0,
        school_id: school,
        linked_school_id: linked,
        link_type: link_type.to_string(),
        since,
        stamp: Stamp::default(),
    };
    entity::insert(conn, &l, actor)?;
    Ok(true)
}

/// Applies a `recategorise` decision to its school in the caller's transaction: the school's
/// category becomes the decision's, with its own audit row.
pub(super) fn apply_recategorise(conn: &Connection, actor: &Actor, d: &Decision) -> Result<(), StoreError> {
    let (Some(school_id), Some(category)) = (d.school_id, d.category) else {
        return Ok(());
    };
    let mut s: School =
        entity::get(conn, school_id)?.ok_or(StoreError::NotFound { entity: School::LABEL, id: school_id })?;
    if s.category != category {
        s.category = category;
        entity::update(conn, &s, actor)?;
    }
    Ok(())
}

impl Store {
    /// A school's events, oldest first.
    pub fn school_events(&self, school_id: i64) -> Result<Vec<SchoolEvent>, StoreError> {
        let mut events: Vec<SchoolEvent> = entity::list(&self.conn, "WHERE school_id = ?1", [school_id])?;
        events.sort_by(|a, b| a.happened_on.cmp(&b.happened_on).then(a.id.cmp(&b.id)));
        Ok(events)
    }

    /// Every event dated `from` to `to`, oldest first (the board pack's "changes in schools").
    pub fn events_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<SchoolEvent>, StoreError> {
        let mut events: Vec<SchoolEvent> =
            entity::list(&self.conn, "WHERE happened_on BETWEEN ?1 AND ?2", rusqlite::params![from, to])?;
        events.sort_by(|a, b| a.happened_on.cmp(&b.happened_on).then(a.id.cmp(&b.id)));
        Ok(events)
    }

    /// A school's links, each with the linked school.
    pub fn school_links(&self, school_id: i64) -> Result<Vec<(SchoolLink, School)>, StoreError> {
        let links: Vec<SchoolLink> = entity::list(&self.conn, "WHERE school_id = ?1", [school_id])?;
        links
            .into_iter()
            .map(|l| {
                let other = self.get::<School>(l.linked_school_id)?;
                Ok((l, other))
            })
            .collect()
    }
}
