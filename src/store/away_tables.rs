//! What an away copy may change, decided once per table (docs/DESIGN-NOTES.md, "What an away
//! copy may change"). Every table a write touches is one of three kinds:
//!
//! - **replayed**: its changes are sent and replayed on the server through the server's own
//!   validated write, with the field merge and the role checks (`replay.rs`);
//! - **derived**: the server writes it itself as a consequence of a replayed change (a
//!   contract's agreement version, a school's dated events, the `schools.notes` mirror of
//!   soft intelligence), so the copy's rows of it are not replayed but made again by the
//!   replayed write;
//! - **server only**: refused *at write time* on an away copy, in one sentence, so no work is
//!   accepted away and lost later.
//!
//! A table added later is server only until it is listed here with its replay: the rule
//! refuses by default rather than accepting work it cannot send.

use super::away::Change;
use super::away::read_copy;
use super::{AwayProblem, StoreError};
use rusqlite::Connection;
use std::collections::BTreeSet;

/// Tables whose away changes are replayed through the server's validated writes.
pub const REPLAYED: &[&str] = &[
    "visits",
    "reviews",
    "criterion_ratings",
    "contracts",
    "criteria",
    "schools",
    "leaders",
    "inspections",
    "board_meetings",
    "decisions",
    "funding_streams",
    "intelligence",
];

/// `(replayed table, table its write derives)`: the derived rows a replayed change's write
/// makes again on the server. `sync_agreement` after a contract or criterion edit; a school
/// edit's dated events and its typed notes' intelligence entry; a re-categorisation's school
/// change and event; an intelligence entry's `schools.notes` mirror.
const DERIVED: &[(&str, &str)] = &[
    ("contracts", "agreements"),
    ("criteria", "agreements"),
    ("schools", "school_events"),
    ("schools", "intelligence"),
    ("decisions", "schools"),
    ("decisions", "school_events"),
    ("intelligence", "schools"),
];

/// The copy's own bookkeeping: written on the copy, never sent.
const OWN: &[&str] = &["audit", "drafts", "away_copy"];

/// Why changes to `table` are not accepted on an away copy, without what became of them: the
/// store's refusal ([`super::AwayProblem::ServerOnly`]) adds "nothing was saved", a form not
/// offered and a change held back say their own.
pub fn server_only_reason(table: &str) -> String {
    match table {
        "settings" => "settings are changed on the server only (they set everyone's figures)".to_string(),
        "terms" => "term dates are changed on the server only (every calendar and figure reads them)".to_string(),
        "people" => "people and their roles are changed on the server only".to_string(),
        "closeouts" => "contracts are closed on the server only (a close-out ends the contract for everyone, and work logged meanwhile on another copy would land on a closed contract)".to_string(),
        "signoffs" | "agreements" => "signatures are recorded on the server only (the agreement's versions are drawn up there, and a signature taken away could sign terms varied meanwhile)".to_string(),
        "measures" | "school_links" | "school_events" | "bulk_load" => {
            "imports and school links are run on the server only (they load published data for everyone)".to_string()
        }
        "away_conflicts" | "away_applied" | "away_blocks" => {
            "away changes are resolved on the server only".to_string()
        }
        other => format!("{} are changed on the server only", other.replace('_', " ")),
    }
}

/// Whether a write on an away copy may touch `table`.
fn accepted_away(table: &str) -> bool {
    REPLAYED.contains(&table) || OWN.contains(&table) || DERIVED.iter().any(|(_, d)| *d == table)
}

/// On an away copy, refuses (before it commits) a write that touched a server-only table, or
/// that recorded sensitive soft intelligence (which never goes to a laptop, so it is never
/// typed into one either). Does nothing on a server's file.
pub(super) fn check_away_write(tx: &Connection, touched: &BTreeSet<String>, audit_mark: i64) -> Result<(), StoreError> {
    if touched.iter().all(|t| OWN.contains(&t.as_str())) || read_copy(tx)?.is_none() {
        return Ok(());
    }
    if let Some(table) = touched.iter().find(|t| !accepted_away(t)) {
        return Err(StoreError::Away(AwayProblem::ServerOnly { table: table.clone() }));
    }
    let sensitive: i64 = tx.query_row(
        "SELECT count(*) FROM audit WHERE id > ?1 AND entity = 'intelligence'
           AND json_extract(after, '$.sensitivity') = 'sensitive'",
        [audit_mark],
        |r| r.get(0),
    )?;
    if sensitive > 0 {
        return Err(StoreError::Away(AwayProblem::SensitiveAway));
    }
    Ok(())
}

/// Whether `ch` was derived by the write of `primary` (the last replayed change before it):
/// the same person in the same second (one transaction), a kind that write derives, and —
/// where the same table is also written by hand — exactly what that write changes, so a
/// person's own change made in the same second is never taken for a derived one.
pub(super) fn derived(primary: &Change, ch: &Change) -> bool {
    if primary.at != ch.at || primary.by != ch.by {
        return false;
    }
    if !DERIVED.contains(&(primary.entity.as_str(), ch.entity.as_str())) {
        return false;
    }
    let field = |v: &Option<serde_json::Value>, k: &str| v.as_ref().and_then(|v| v.get(k)).cloned();
    match (primary.entity.as_str(), ch.entity.as_str()) {
        // The entry a school edit's typed notes become: its text is the notes typed.
        ("schools", "intelligence") => {
            let source = field(&ch.after, "source");
            ch.action == "insert"
                && source.as_ref().and_then(serde_json::Value::as_str) == Some("school record")
                && field(&ch.after, "text") == field(&primary.after, "notes")
        }
        // The notes mirror changes only `notes`; a re-categorisation only `category`. A school
        // edit that changed anything else is the person's own, and is replayed.
        ("intelligence", "schools") => ch.action == "update" && changed_only(ch, "notes"),
        ("decisions", "schools") => ch.action == "update" && changed_only(ch, "category"),
        _ => true,
    }
}

/// Whether an update changed `field` and nothing else (the stamp aside).
fn changed_only(ch: &Change, field: &str) -> bool {
    let (Some(before), Some(after)) =
        (ch.before.as_ref().and_then(|v| v.as_object()), ch.after.as_ref().and_then(|v| v.as_object()))
    else {
        return false;
    };
    after.iter().filter(|(k, v)| k.as_str() != "stamp" && before.get(k.as_str()) != Some(v)).all(|(k, _)| k == field)
}
