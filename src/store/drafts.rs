//! Form drafts: what a person typed into a form and has not saved, kept per person, form and
//! target so it survives a crash, a signal or a refused save.

use super::{Access, Store, StoreError};
use rusqlite::OptionalExtension;

impl Store {
    /// Saves a form draft for this user (overwriting the previous one for the same form).
    pub fn save_draft(&mut self, form: &str, target: &str, data: &str) -> Result<(), StoreError> {
        let user = self.actor.user().to_string();
        self.write(|tx, actor| {
            tx.execute(
                "INSERT INTO drafts(user, form, target, data, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(user, form, target) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                rusqlite::params![user, form, target, data, actor.now()],
            )?;
            Ok(())
        })
    }

    /// This user's draft for a form, if one was left.
    pub fn load_draft(&self, form: &str, target: &str) -> Result<Option<(String, String)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT data, updated_at FROM drafts WHERE user = ?1 AND form = ?2 AND target = ?3",
                rusqlite::params![self.actor.user(), form, target],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// All of this user's drafts: `(form, target, updated_at)`.
    pub fn drafts(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT form, target, updated_at FROM drafts WHERE user = ?1 ORDER BY updated_at DESC")?;
        let rows = st.query_map([self.actor.user()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Forgets a draft (after a save, or when the user discards it).
    pub fn discard_draft(&mut self, form: &str, target: &str) -> Result<(), StoreError> {
        if self.access == Access::ReadOnly {
            return Ok(());
        }
        let user = self.actor.user().to_string();
        self.write(|tx, _| {
            tx.execute(
                "DELETE FROM drafts WHERE user = ?1 AND form = ?2 AND target = ?3",
                rusqlite::params![user, form, target],
            )?;
            Ok(())
        })
    }
}
