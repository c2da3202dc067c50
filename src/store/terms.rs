//! Term dates (`terms`): the terms and closures that make school days (see
//! [`crate::domain::calendar`]), added one by one or imported from an LA's published dates.
//! Every change is audited like any other record.

use super::{Store, StoreError, entity, writes};
use crate::domain::calendar::{Calendar, Term};
use crate::domain::validate;

/// What an import of term dates did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermsImported {
    /// Rows added.
    pub added: usize,
    /// Rows already recorded (same dates and kind), left alone.
    pub unchanged: usize,
}

impl Store {
    /// Every term and closure, by date.
    pub fn terms(&self) -> Result<Vec<Term>, StoreError> {
        let mut all: Vec<Term> = self.all()?;
        all.sort_by(|a, b| a.starts_on.cmp(&b.starts_on).then(a.kind.cmp(&b.kind)).then(a.id.cmp(&b.id)));
        Ok(all)
    }

    /// The school-day calendar the metrics count with.
    pub fn calendar(&self) -> Result<Calendar, StoreError> {
        let start_month = self.settings()?.year_start_month;
        Ok(Calendar::new(&self.all::<Term>()?, start_month))
    }

    /// Adds a term or closure; the same dates and kind twice is refused.
    pub fn add_term(&mut self, t: &Term) -> Result<i64, StoreError> {
        self.write(|tx, actor| {
            writes::refuse(validate::term(t))?;
            let same: Vec<Term> = entity::list(
                tx,
                "WHERE starts_on = ?1 AND ends_on = ?2 AND kind = ?3",
                rusqlite::params![t.starts_on, t.ends_on, t.kind],
            )?;
            if let Some(x) = same.first() {
                return Err(writes::one_problem(
                    "starts_on",
                    format!("that {} is already recorded (#{}{})", t.kind, x.id, label_of(x)),
                ));
            }
            entity::insert(tx, t, actor)
        })
    }

    /// Removes a term or closure (audited, against the version read).
    pub fn remove_term(&mut self, id: i64, version: i64) -> Result<Term, StoreError> {
        self.write(|tx, actor| entity::delete(tx, id, version, actor))
    }

    /// Adds every row not yet recorded, in one transaction: re-importing the same file changes
    /// nothing. A row the rules refuse stops the whole import with its reason.
    pub fn import_terms(&mut self, rows: &[Term]) -> Result<TermsImported, StoreError> {
        self.write(|tx, actor| {
            let mut done = TermsImported::default();
            for t in rows {
                writes::refuse(validate::term(t))?;
                let same: Vec<Term> = entity::list(
                    tx,
                    "WHERE starts_on = ?1 AND ends_on = ?2 AND kind = ?3",
                    rusqlite::params![t.starts_on, t.ends_on, t.kind],
                )?;
                if same.is_empty() {
                    entity::insert(tx, t, actor)?;
                    done.added += 1;
                } else {
                    done.unchanged += 1;
                }
            }
            Ok(done)
        })
    }
}

fn label_of(t: &Term) -> String {
    if t.label.trim().is_empty() { String::new() } else { format!(", {}", t.label.trim()) }
}
