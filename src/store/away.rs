//! Away copies (DESIGN §9, issue #17): a consistent snapshot of a server's file, worked on
//! without a connection, whose audited changes since the snapshot are later replayed on the
//! server (see `replay.rs`).
//!
//! What makes that safe:
//! - The server reserves a block of ids for each copy ([`AWAY_BLOCK`] of them, above every id
//!   it has used); the copy takes new records' ids from its block and the server skips every
//!   reserved block, so records created away keep their ids and collide with nothing.
//! - The copy records the server's identity: its install id (made once, kept in `settings`)
//!   and its generation id (changed when the file is restored or replaced), and the schema
//!   version. Changes are only ever applied to that same server file.
//! - The copy's changes are its audit rows after the snapshot's last one, so a change made
//!   from the TUI, `log-visit` or any other command is sent without anything else to keep.

use super::{Actor, AwayProblem, Store, StoreError, schema};
use crate::domain::validate::{Level, Problem, Problems};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// How many ids a server reserves for one away copy: records created away (visits, reviews …)
/// take theirs from it. A copy that uses them all is told to send its changes.
pub const AWAY_BLOCK: i64 = 1000;

/// The `settings` key holding a file's install id: made once, never changed, copied into every
/// backup and away copy. Tells "this server's file" from any other alliance file.
pub const INSTALL_KEY: &str = "install_id";

/// The `settings` key holding a file's generation id, which `alliance restore` changes (a
/// restored or replaced file is another generation: changes made against the old one are not
/// applied to it).
pub const GENERATION_KEY: &str = super::GENERATION_KEY;

/// The `format` of a change set document.
pub const CHANGES_FORMAT: &str = "alliance-away-changes";

/// The version of the change set document this build writes and reads.
pub const CHANGES_VERSION: u32 = 1;

/// What marks a file as an away copy, recorded when it was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwayCopy {
    /// Unique to this snapshot (a refreshed copy gets a new one).
    pub copy_id: String,
    /// The server as people call it: the host, or the server file's name.
    pub server: String,
    /// Where it was taken from: `HOST:PATH`, `HOST:`, or the server file's absolute path.
    pub source: String,
    /// The server file's install id.
    pub server_install: String,
    /// The server file's generation id when the copy was taken.
    pub server_generation: String,
    /// The schema version of both files.
    pub schema_version: i64,
    /// The person working on the copy, as the audit trail names them; its changes are made in
    /// their name.
    pub person: String,
    /// Their account (whose role in `people` governs what the copy may change).
    pub account: String,
    /// When the snapshot was taken (ISO-8601 UTC).
    pub taken_at: String,
    /// The first id of the block reserved for it.
    pub first_id: i64,
    /// The last id of that block.
    pub last_id: i64,
    /// The last audit row of the snapshot: later rows are the copy's own changes.
    pub base_audit_id: i64,
}

/// An away copy as its header shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwayStatus {
    /// What it is a copy of.
    pub copy: AwayCopy,
    /// Changes made on it since the snapshot (not yet sent).
    pub unsent: i64,
}

impl AwayStatus {
    /// "away copy of HOST, taken 23 Nov 09:12 — N changes not yet sent".
    pub fn banner(&self) -> String {
        let taken = chrono::DateTime::parse_from_rfc3339(&self.copy.taken_at)
            .map(|t| t.with_timezone(&chrono::Local).format("%-d %b %H:%M").to_string())
            .unwrap_or_else(|_| self.copy.taken_at.clone());
        let n = self.unsent;
        format!(
            "away copy of {}, taken {taken} — {n} change{} not yet sent",
            self.copy.server,
            if n == 1 { "" } else { "s" }
        )
    }

    /// Whole days since the snapshot was taken, by `now`.
    pub fn age_days(&self, now: chrono::DateTime<chrono::Utc>) -> i64 {
        chrono::DateTime::parse_from_rfc3339(&self.copy.taken_at).map_or(0, |t| (now - t.to_utc()).num_days())
    }
}

/// One change made on an away copy: one of its audit rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The audit row's id on the copy (with the copy id, what the server's ledger records).
    pub id: i64,
    /// When it was made (ISO-8601 UTC).
    pub at: String,
    /// Who made it.
    pub by: String,
    /// The table.
    pub entity: String,
    /// The record's id.
    pub entity_id: i64,
    /// insert, update or delete.
    pub action: String,
    /// The record before the change.
    pub before: Option<serde_json::Value>,
    /// The record after it.
    pub after: Option<serde_json::Value>,
}

/// An away copy's changes, as `away changes` writes them and `apply-changes` reads them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeSet {
    /// Always [`CHANGES_FORMAT`].
    pub format: String,
    /// [`CHANGES_VERSION`] when written by this build.
    pub version: u32,
    /// The copy the changes were made on.
    pub copy: AwayCopy,
    /// The changes, oldest first.
    pub changes: Vec<Change>,
}

impl ChangeSet {
    /// Reads a change set document, refusing anything else in one sentence.
    pub fn from_json(text: &str) -> Result<ChangeSet, StoreError> {
        let refuse = |why: String| StoreError::Away(AwayProblem::NotChanges { why });
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| refuse(e.to_string()))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(CHANGES_FORMAT) {
            return Err(refuse(format!("no \"format\": \"{CHANGES_FORMAT}\"")));
        }
        let version = value.get("version").and_then(serde_json::Value::as_u64).unwrap_or(0);
        if version != u64::from(CHANGES_VERSION) {
            return Err(StoreError::Away(AwayProblem::ChangesVersion { found: version, reads: CHANGES_VERSION }));
        }
        serde_json::from_value(value).map_err(|e| refuse(e.to_string()))
    }
}

fn one_problem(field: &'static str, message: String) -> StoreError {
    StoreError::Invalid(Problems(vec![Problem { field, message, level: Level::Error }]))
}

/// The id a new record gets, given `next` (past every id its table and audit trail named): on
/// an away copy, from its block; elsewhere, past any block reserved for an away copy.
pub(super) fn allocate(conn: &Connection, label: &str, next: i64) -> Result<i64, StoreError> {
    if let Some((first, last)) = conn
        .prepare_cached("SELECT first_id, last_id FROM away_copy")?
        .query_row([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
        .optional()?
    {
        let id = next.max(first);
        if id > last {
            return Err(one_problem(
                "id",
                format!(
                    "this away copy has used all {AWAY_BLOCK} ids reserved for new records, so the {label} was not saved — send your changes (`alliance away send`) to get a fresh copy"
                ),
            ));
        }
        return Ok(id);
    }
    let mut id = next;
    let mut st = conn.prepare_cached("SELECT last_id FROM away_blocks WHERE ?1 BETWEEN first_id AND last_id")?;
    while let Some(last) = st.query_row([id], |r| r.get::<_, i64>(0)).optional()? {
        id = last + 1;
    }
    Ok(id)
}

/// A stored setting's text, if the key is there.
pub(super) fn setting(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()?)
}

/// The file's install id, made now if it has none yet.
fn ensure_install_id(conn: &Connection) -> Result<String, StoreError> {
    if let Some(id) = setting(conn, INSTALL_KEY)?.filter(|v| !v.trim().is_empty()) {
        return Ok(id);
    }
    let id = random_id();
    conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?1, ?2)", [INSTALL_KEY, &id])?;
    Ok(id)
}

/// 128 random bits as 32 hex digits (from the kernel; where it cannot give them, the clock's
/// nanoseconds and the process id, which still tell two copies apart).
fn random_id() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    let from_kernel = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)).is_ok();
    if !from_kernel {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        bytes = (nanos ^ (u128::from(std::process::id()) << 96)).to_be_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The highest id any record, audit row or reserved block has used.
fn highest_id(conn: &Connection) -> Result<i64, StoreError> {
    // Every table of records (those stamped with who changed them), whoever added it.
    let tables: Vec<String> = {
        let mut st = conn.prepare(
            "SELECT m.name FROM sqlite_schema m WHERE m.type = 'table'
             AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'updated_by')",
        )?;
        st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
    };
    let mut top: i64 = conn.query_row(
        "SELECT max(coalesce((SELECT max(entity_id) FROM audit), 0), coalesce((SELECT max(last_id) FROM away_blocks), 0))",
        [],
        |r| r.get(0),
    )?;
    for t in tables {
        // Table names come from sqlite_schema, not from input; quoted all the same.
        let max: Option<i64> =
            conn.query_row(&format!("SELECT max(id) FROM \"{}\"", t.replace('"', "")), [], |r| r.get(0))?;
        top = top.max(max.unwrap_or(0));
    }
    Ok(top)
}

impl Store {
    /// What this file is an away copy of, or `None` for an ordinary (server) file.
    pub fn away_copy(&self) -> Result<Option<AwayCopy>, StoreError> {
        read_copy(&self.conn)
    }

    /// This away copy's header facts, or `None` for an ordinary file.
    pub fn away_status(&self) -> Result<Option<AwayStatus>, StoreError> {
        let Some(copy) = self.away_copy()? else { return Ok(None) };
        let unsent: i64 =
            self.conn.query_row("SELECT count(*) FROM audit WHERE id > ?1", [copy.base_audit_id], |r| r.get(0))?;
        Ok(Some(AwayStatus { copy, unsent }))
    }

    /// Runs a write of the program's own bookkeeping (the install id, an id block, an away
    /// copy's label) as the program itself: it changes no record, so no role governs it.
    fn as_program<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>, &Actor) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let person = self.actor.account.take();
        let out = self.write(f);
        self.actor.account = person;
        out
    }

    /// The identity an away copy of this file records: `(install id, generation id)`. The
    /// install id is made (and saved) if the file has none yet.
    fn server_identity(&mut self) -> Result<(String, String), StoreError> {
        self.as_program(|tx, _| {
            let install = ensure_install_id(tx)?;
            let generation = setting(tx, GENERATION_KEY)?.unwrap_or_default();
            Ok((install, generation))
        })
    }

    /// Takes an away copy of this (server) file into `dest`, which must not exist: reserves an
    /// id block for it, copies the file consistently while others go on writing (SQLite's
    /// online backup), and marks the copy with the server's identity, the time and `person`.
    /// `dest` is either absent or a complete away copy (made beside it, then given its name).
    pub fn take_away_copy(
        &mut self,
        dest: &Path,
        server: &str,
        source: &str,
        person: &str,
    ) -> Result<AwayCopy, StoreError> {
        let shown = dest.display().to_string();
        if dest.symlink_metadata().is_ok() {
            return Err(StoreError::Away(AwayProblem::CopyExists { path: shown }));
        }
        let partial = partial_beside(dest)?;
        let result = self.snapshot_into(&partial, server, source, person).and_then(|copy| {
            std::fs::hard_link(&partial, dest).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => StoreError::DestinationExists(shown.clone()),
                _ => StoreError::Io(shown.clone(), e.to_string()),
            })?;
            Ok(copy)
        });
        let _ = std::fs::remove_file(&partial);
        result
    }

    /// Takes a new snapshot for an away copy and puts it in place of `dest` (an away copy
    /// whose changes were just sent), keeping `person`'s drafts from the old copy.
    pub fn refresh_away_copy(&mut self, dest: &Path, old: &AwayCopy) -> Result<AwayCopy, StoreError> {
        let partial = partial_beside(dest)?;
        let result = self.snapshot_into(&partial, &old.server, &old.source, &old.person).and_then(|copy| {
            replace_away_copy(&partial, dest, &old.person)?;
            Ok(copy)
        });
        let _ = std::fs::remove_file(&partial);
        result
    }

    /// Writes the snapshot into `partial` and marks it as an away copy.
    fn snapshot_into(
        &mut self,
        partial: &Path,
        server: &str,
        source: &str,
        person: &str,
    ) -> Result<AwayCopy, StoreError> {
        if self.away_copy()?.is_some() {
            return Err(StoreError::Away(AwayProblem::CopyOfCopy { path: self.path().display().to_string() }));
        }
        let (install, generation) = self.server_identity()?;
        // What the person may read decides what goes to the laptop (a leader: their own work).
        let scope = super::people::resolve(&self.conn, &self.actor, self.path())?.leader_scope();
        let copy_id = random_id();
        let taken_at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let (first_id, last_id) = self.as_program(|tx, _| {
            let top = highest_id(tx)?;
            // A round number people can tell apart from the server's own ids.
            let first = (top / AWAY_BLOCK + 1) * AWAY_BLOCK;
            let last = first + AWAY_BLOCK - 1;
            tx.execute(
                "INSERT INTO away_blocks(copy_id, person, taken_at, first_id, last_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![copy_id, person, taken_at, first, last],
            )?;
            Ok((first, last))
        })?;
        let _ = std::fs::remove_file(partial);
        self.backup_to(partial)?;
        let shown = partial.display().to_string();
        let conn =
            Connection::open_with_flags(partial, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| StoreError::from_sqlite(&shown, e))?;
        // Off while a leader's copy is narrowed: the rows left pointing at what was taken out
        // are found with foreign_key_check and removed in turn (see `narrow_to_leader`).
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        // What is taken out of the copy is overwritten, not left readable in free pages.
        conn.pragma_update(None, "secure_delete", "ON")?;
        let tx = conn.unchecked_transaction()?;
        let base_audit_id: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM audit", [], |r| r.get(0))?;
        let copy = AwayCopy {
            copy_id,
            server: server.to_string(),
            source: source.to_string(),
            server_install: install,
            server_generation: generation,
            schema_version: schema::SCHEMA_VERSION,
            person: person.to_string(),
            account: self.actor.account.clone().unwrap_or_else(|| person_user(person).to_string()),
            taken_at,
            first_id,
            last_id,
            base_audit_id,
        };
        // Nobody else's unsaved forms go to a laptop; the server's away bookkeeping stays there.
        tx.execute("DELETE FROM drafts WHERE user != ?1", [person_user(person)])?;
        tx.execute_batch("DELETE FROM away_applied; DELETE FROM away_conflicts;")?;
        // Sensitive soft intelligence never goes to a laptop, whoever takes the copy: neither the
        // entries nor the audit trail's copies of them. The audit rows stay, their content
        // withheld, so no audit id is freed for reuse (the copy's changes are the rows after
        // `base_audit_id`).
        tx.execute_batch(
            "UPDATE audit SET
                 before = CASE WHEN before IS NULL THEN NULL ELSE '{\"withheld\":\"sensitive soft intelligence\"}' END,
                 after = CASE WHEN after IS NULL THEN NULL ELSE '{\"withheld\":\"sensitive soft intelligence\"}' END
             WHERE entity = 'intelligence'
               AND (entity_id IN (SELECT id FROM intelligence WHERE sensitivity = 'sensitive')
                    OR json_extract(before, '$.sensitivity') = 'sensitive'
                    OR json_extract(after, '$.sensitivity') = 'sensitive');
             DELETE FROM intelligence WHERE sensitivity = 'sensitive';",
        )?;
        if let Some(leader) = scope {
            narrow_to_leader(&tx, leader)?;
        }
        tx.execute(
            "INSERT INTO away_copy(copy_id, server, source, server_install, server_generation, schema_version,
                                   person, account, taken_at, first_id, last_id, base_audit_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            rusqlite::params![
                copy.copy_id,
                copy.server,
                copy.source,
                copy.server_install,
                copy.server_generation,
                copy.schema_version,
                copy.person,
                copy.account,
                copy.taken_at,
                copy.first_id,
                copy.last_id,
                copy.base_audit_id
            ],
        )?;
        tx.commit()?;
        conn.close().map_err(|(_, e)| StoreError::from_sqlite(&shown, e))?;
        Ok(copy)
    }

    /// Records what an away copy received over SSH is called and where it came from (the
    /// server cannot know the name the laptop uses for it). Not audited: it describes the file.
    pub fn relabel_away_copy(&mut self, server: &str, source: &str) -> Result<(), StoreError> {
        self.as_program(|tx, _| {
            let n = tx.execute("UPDATE away_copy SET server = ?1, source = ?2", [server, source])?;
            if n != 1 {
                return Err(StoreError::Away(AwayProblem::NotSentCopy { from: None }));
            }
            Ok(())
        })
    }

    /// This away copy's changes since its snapshot, oldest first.
    pub fn away_changes(&self) -> Result<ChangeSet, StoreError> {
        let copy = self
            .away_copy()?
            .ok_or_else(|| StoreError::Away(AwayProblem::NotACopy { path: self.path().display().to_string() }))?;
        let mut st = self.conn.prepare(
            "SELECT id, at, by, entity, entity_id, action, before, after FROM audit WHERE id > ?1 ORDER BY id",
        )?;
        let json = |s: Option<String>| s.and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
        let changes = st
            .query_map([copy.base_audit_id], |r| {
                Ok(Change {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    by: r.get(2)?,
                    entity: r.get(3)?,
                    entity_id: r.get(4)?,
                    action: r.get(5)?,
                    before: json(r.get(6)?),
                    after: json(r.get(7)?),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ChangeSet { format: CHANGES_FORMAT.into(), version: CHANGES_VERSION, copy, changes })
    }
}

/// Leaves in a leader's away copy only what they may read (issue #16: the schools and contracts
/// they work on): other leaders' contracts go, with their visits and reviews and every row that
/// pointed at them (found through the foreign keys, so tables added later are covered too);
/// other schools keep their public facts but not their notes (soft intelligence); and the audit
/// rows of whatever was taken out or blanked lose their before/after values.
fn narrow_to_leader(tx: &Connection, leader: i64) -> Result<(), StoreError> {
    let mut gone: Vec<(String, i64)> = Vec::new();
    {
        let mut st = tx.prepare("SELECT id FROM contracts WHERE leader_id != ?1")?;
        let ids: Vec<i64> = st.query_map([leader], |r| r.get(0))?.collect::<Result<_, _>>()?;
        gone.extend(ids.into_iter().map(|id| ("contracts".to_string(), id)));
    }
    tx.execute("DELETE FROM contracts WHERE leader_id != ?1", [leader])?;
    // Rows left pointing at what was removed, removed in turn until none is left.
    loop {
        let mut st = tx.prepare("SELECT \"table\", rowid FROM pragma_foreign_key_check")?;
        let orphans: Vec<(String, i64)> = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?.unwrap_or(0))))?
            .collect::<Result<_, _>>()?;
        if orphans.is_empty() {
            break;
        }
        for (table, rowid) in orphans {
            // Table names come from SQLite's own foreign-key report, not from input.
            tx.execute(&format!("DELETE FROM \"{}\" WHERE rowid = ?1", table.replace('"', "")), [rowid])?;
            gone.push((table, rowid));
        }
    }
    let mut st =
        tx.prepare("SELECT id FROM schools WHERE id NOT IN (SELECT school_id FROM contracts) AND notes != ''")?;
    let others: Vec<i64> = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    tx.execute("UPDATE schools SET notes = '' WHERE id NOT IN (SELECT school_id FROM contracts)", [])?;
    gone.extend(others.into_iter().map(|id| ("schools".to_string(), id)));
    // The history of other leaders' visits and reviews (removed ones too) names their contracts.
    let contracts: Vec<i64> = gone.iter().filter(|(t, _)| t == "contracts").map(|(_, id)| *id).collect();
    let mut by_contract = tx.prepare(
        "UPDATE audit SET before = NULL, after = NULL
         WHERE json_extract(coalesce(after, before), '$.contract_id') = ?1",
    )?;
    for id in contracts {
        by_contract.execute([id])?;
    }
    let mut blank = tx.prepare("UPDATE audit SET before = NULL, after = NULL WHERE entity = ?1 AND entity_id = ?2")?;
    for (table, id) in &gone {
        blank.execute(rusqlite::params![table, id])?;
    }
    Ok(())
}

/// The OS-user part of a person (`ann@10.0.0.7` → `ann`), as drafts are kept.
fn person_user(person: &str) -> &str {
    person.split('@').next().unwrap_or(person)
}

pub(super) fn read_copy(conn: &Connection) -> Result<Option<AwayCopy>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT copy_id, server, source, server_install, server_generation, schema_version, person, account,
                    taken_at, first_id, last_id, base_audit_id FROM away_copy",
        )?
        .query_row([], |r| {
            Ok(AwayCopy {
                copy_id: r.get(0)?,
                server: r.get(1)?,
                source: r.get(2)?,
                server_install: r.get(3)?,
                server_generation: r.get(4)?,
                schema_version: r.get(5)?,
                person: r.get(6)?,
                account: r.get(7)?,
                taken_at: r.get(8)?,
                first_id: r.get(9)?,
                last_id: r.get(10)?,
                base_audit_id: r.get(11)?,
            })
        })
        .optional()?)
}

/// A hidden file beside `dest` to build a copy in (same directory, so it can be renamed).
fn partial_beside(dest: &Path) -> Result<std::path::PathBuf, StoreError> {
    let shown = dest.display().to_string();
    let name = dest
        .file_name()
        .ok_or_else(|| StoreError::Io(shown.clone(), "that is not a file name".into()))?
        .to_string_lossy()
        .into_owned();
    let dir = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Ok(dir.join(format!(".{name}.away-{}", std::process::id())))
}

/// Puts a fresh snapshot (`fresh`, a complete away copy beside `dest`) in place of the away copy
/// `dest` whose changes were sent, keeping `person`'s drafts from it.
pub fn replace_away_copy(fresh: &Path, dest: &Path, person: &str) -> Result<(), StoreError> {
    carry_drafts(dest, fresh, person)?;
    std::fs::rename(fresh, dest).map_err(|e| StoreError::Io(dest.display().to_string(), e.to_string()))
}

/// Copies `person`'s drafts (forms left unsaved) from the old copy into the new one.
fn carry_drafts(old: &Path, new: &Path, person: &str) -> Result<(), StoreError> {
    let shown = old.display().to_string();
    let open = |p: &Path, flags: OpenFlags| {
        Connection::open_with_flags(p, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| StoreError::from_sqlite(&shown, e))
    };
    // Read-write although it is only read: closing the last read-write connection folds and
    // removes its -wal and -shm, which must not be left beside the copy that replaces it.
    let from = open(old, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    let mut st = from.prepare("SELECT user, form, target, data, updated_at FROM drafts WHERE user = ?1")?;
    let drafts: Vec<[String; 5]> = st
        .query_map([person_user(person)], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]))?
        .collect::<Result<_, _>>()?;
    let to = open(new, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    let tx = to.unchecked_transaction()?;
    for d in &drafts {
        tx.execute(
            "INSERT OR REPLACE INTO drafts(user, form, target, data, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params_from_iter(d.iter()),
        )?;
    }
    tx.commit()?;
    drop(st);
    from.close().map_err(|(_, e)| StoreError::from_sqlite(&shown, e))?;
    Ok(())
}
