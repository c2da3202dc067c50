//! People and roles in the store (issue #16): who the actor is in this file, the role check every
//! write transaction runs before it commits, and the audited `people` writes.
//!
//! The check lives in [`super::Store::transaction`], the one write path: it resolves the person
//! from `people` inside the write transaction (so a role changed a moment ago counts), refuses a
//! board member or unlisted account before anything runs, and after the write — before the
//! commit — checks every table the transaction touched (SQLite's update hook records them) and
//! every audit row it wrote against [`Who`]'s rules. A write another engineer adds through
//! `Store::write` is checked without any code of its own.

use super::{Actor, Entity, Store, StoreError, entity};
use crate::domain::roles::{LEADER_CONTRACT_TABLES, Who};
use crate::domain::{Person, Role, Stamp};
use rusqlite::{Connection, OptionalExtension};
use std::collections::BTreeSet;
use std::path::Path;

/// The person `actor` is in the file at `path`, read through `conn`.
pub(super) fn resolve(conn: &Connection, actor: &Actor, path: &Path) -> Result<Who, StoreError> {
    let Some(account) = actor.account.as_deref() else { return Ok(Who::Program) };
    let listed: Option<(Role, Option<i64>, bool)> = conn
        .prepare_cached("SELECT role, leader_id, active FROM people WHERE account = ?1")?
        .query_row([account], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    match listed {
        Some((role, leader_id, true)) => Ok(Who::Person { account: account.to_string(), role, leader_id }),
        Some((_, _, false)) => Ok(Who::Unlisted { account: account.to_string() }),
        None => {
            let empty: bool = conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM people)", [], |r| r.get(0))?;
            if empty && owner_account(path).as_deref() == Some(account) {
                Ok(Who::Person { account: account.to_string(), role: Role::Admin, leader_id: None })
            } else {
                Ok(Who::Unlisted { account: account.to_string() })
            }
        }
    }
}

fn owner_account(path: &Path) -> Option<String> {
    crate::identity::owner_of(path).ok().map(|(_, name)| name)
}

/// Refuses, in one sentence, a transaction that changed what `who` may not change: any table
/// outside their role (from `touched`), and for a leader any visit or review whose contract is
/// not theirs (from the audit rows written after `audit_mark`).
pub(super) fn check_changes(
    conn: &Connection,
    who: &Who,
    touched: &BTreeSet<String>,
    audit_mark: i64,
) -> Result<(), StoreError> {
    if let Some(no) = touched.iter().find_map(|t| who.table_refusal(t)) {
        return Err(StoreError::NotAllowed(no));
    }
    if who.leader_scope().is_none() {
        return Ok(());
    }
    let mut st = conn.prepare_cached("SELECT entity, before, after FROM audit WHERE id > ?1")?;
    let rows = st.query_map([audit_mark], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, Option<String>>(2)?))
    })?;
    let mut contracts = BTreeSet::new();
    for row in rows {
        let (entity, before, after) = row?;
        if !LEADER_CONTRACT_TABLES.contains(&entity.as_str()) {
            continue;
        }
        for json in [before, after].into_iter().flatten() {
            let value = serde_json::from_str::<serde_json::Value>(&json).ok();
            let field = |name: &str| value.as_ref().and_then(|v| v.get(name)).and_then(serde_json::Value::as_i64);
            // A rating names its review, not its contract: the review's contract is the one
            // the leader must own.
            let id = match field("contract_id") {
                Some(id) => id,
                None => match field("review_id") {
                    Some(review) => conn
                        .query_row("SELECT contract_id FROM reviews WHERE id = ?1", [review], |r| r.get(0))
                        .optional()?
                        .unwrap_or(0),
                    None => 0,
                },
            };
            contracts.insert(id);
        }
    }
    for id in contracts {
        let leader: Option<i64> =
            conn.query_row("SELECT leader_id FROM contracts WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        if let Some(no) = who.contract_refusal(id, leader) {
            return Err(StoreError::NotAllowed(no));
        }
    }
    Ok(())
}

/// What `people add` and `people edit` ask for.
#[derive(Debug, Clone, Default)]
pub struct PersonChange {
    /// The account (add only).
    pub account: String,
    /// A new role.
    pub role: Option<Role>,
    /// A new display name.
    pub name: Option<String>,
    /// A new leader link (`Some(None)` removes it).
    pub leader_id: Option<Option<i64>>,
    /// Active or not.
    pub active: Option<bool>,
}

fn problem(message: String) -> StoreError {
    use crate::domain::validate::{Level, Problem, Problems};
    StoreError::Invalid(Problems(vec![Problem { field: "person", message, level: Level::Error }]))
}

/// Refuses a change that leaves no active admin.
fn keep_an_admin(conn: &Connection, account: &str) -> Result<(), StoreError> {
    let admins: i64 =
        conn.query_row("SELECT count(*) FROM people WHERE role = 'admin' AND active = 1", [], |r| r.get(0))?;
    if admins == 0 {
        return Err(problem(format!(
            "{account} is the last admin — make someone else admin first (`alliance people edit NAME --role admin`)"
        )));
    }
    Ok(())
}

fn checked(p: &Person, conn: &Connection) -> Result<(), StoreError> {
    if !crate::identity::valid_account(&p.account) {
        return Err(problem(format!(
            "`{}` is not an account name — use letters, digits, `.`, `_` and `-` (a Unix login name)",
            p.account.chars().filter(|c| !c.is_control()).take(64).collect::<String>()
        )));
    }
    if p.name.chars().any(char::is_control) || p.name.chars().count() > 120 {
        return Err(problem("the name must be one line of at most 120 characters".into()));
    }
    match (p.role, p.leader_id) {
        (Role::Leader, None) => {
            return Err(problem(format!("{} is a leader: say which system leader with --leader NAME", p.account)));
        }
        (Role::Leader, Some(id)) => {
            if entity::get::<crate::domain::Leader>(conn, id)?.is_none() {
                return Err(problem(format!("there is no leader with id {id}")));
            }
        }
        (_, Some(_)) => {
            return Err(problem(
                "only a leader is linked to a system leader (--leader goes with --role leader)".into(),
            ));
        }
        (_, None) => {}
    }
    Ok(())
}

impl Store {
    /// The person this store acts for, by the file's `people` as they are now.
    pub fn who(&self) -> Result<Who, StoreError> {
        resolve(&self.conn, &self.actor, &self.path)
    }

    /// Everyone in `people`, in account order.
    pub fn people(&self) -> Result<Vec<Person>, StoreError> {
        let mut all: Vec<Person> = entity::list(&self.conn, "", [])?;
        all.sort_by(|a, b| a.account.cmp(&b.account));
        Ok(all)
    }

    /// Adds a person. The first person added to a file whose `people` is empty also records the
    /// file's owner as admin (they were admin implicitly until then).
    pub fn add_person(&mut self, change: &PersonChange) -> Result<i64, StoreError> {
        let owner = owner_account(&self.path);
        self.write(|tx, actor| {
            let role = change.role.ok_or_else(|| problem("say which role with --role".into()))?;
            let p = Person {
                id: 0,
                account: change.account.trim().to_string(),
                name: change.name.clone().unwrap_or_default().trim().to_string(),
                role,
                leader_id: change.leader_id.flatten(),
                active: change.active.unwrap_or(true),
                stamp: Stamp::default(),
            };
            checked(&p, tx)?;
            let empty: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM people)", [], |r| r.get(0))?;
            if let Some(owner) = owner.filter(|o| empty && *o != p.account) {
                let admin = Person {
                    account: owner.clone(),
                    name: owner,
                    role: Role::Admin,
                    leader_id: None,
                    active: true,
                    ..p.clone()
                };
                entity::insert(tx, &admin, actor)?;
            }
            let taken: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM people WHERE account = ?1)", [&p.account], |r| r.get(0))?;
            if taken {
                return Err(problem(format!(
                    "{} is already one of this alliance's people — use `people edit`",
                    p.account
                )));
            }
            let id = entity::insert(tx, &p, actor)?;
            keep_an_admin(tx, &p.account)?;
            Ok(id)
        })
    }

    /// Changes a person's role, name, leader or active flag.
    pub fn edit_person(&mut self, change: &PersonChange) -> Result<Person, StoreError> {
        self.write(|tx, actor| {
            let before = person_by_account(tx, &change.account)?;
            let mut p = before.clone();
            if let Some(role) = change.role {
                p.role = role;
                if role != Role::Leader && change.leader_id.is_none() {
                    p.leader_id = None;
                }
            }
            if let Some(name) = &change.name {
                p.name = name.trim().to_string();
            }
            if let Some(leader) = change.leader_id {
                p.leader_id = leader;
            }
            if let Some(active) = change.active {
                p.active = active;
            }
            checked(&p, tx)?;
            let after = entity::update(tx, &p, actor)?;
            keep_an_admin(tx, &p.account)?;
            Ok(after)
        })
    }

    /// Removes a person (the audit trail keeps them). The last admin cannot be removed.
    pub fn remove_person(&mut self, account: &str) -> Result<Person, StoreError> {
        self.write(|tx, actor| {
            let p = person_by_account(tx, account)?;
            let gone: Person = entity::delete(tx, p.id, p.stamp.version, actor)?;
            keep_an_admin(tx, account)?;
            Ok(gone)
        })
    }

    /// Records the creator of a new file as its admin (`init`).
    pub fn record_creator(&mut self) -> Result<(), StoreError> {
        let Some(account) = self.actor.account.clone() else { return Ok(()) };
        self.write(|tx, actor| {
            let p = Person {
                id: 0,
                name: account.clone(),
                account,
                role: Role::Admin,
                leader_id: None,
                active: true,
                stamp: Stamp::default(),
            };
            entity::insert(tx, &p, actor).map(|_| ())
        })
    }
}

fn person_by_account(conn: &Connection, account: &str) -> Result<Person, StoreError> {
    let sql = format!("{} WHERE account = ?1", entity::select_sql::<Person>());
    conn.prepare_cached(&sql)?.query_row([account.trim()], Person::from_row).optional()?.ok_or_else(|| {
        problem(format!(
            "{} is not one of this alliance's people — `alliance people` lists them",
            account.chars().filter(|c| !c.is_control()).take(64).collect::<String>()
        ))
    })
}
