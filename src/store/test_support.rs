//! What only the tests may use (feature `test-support`, enabled for them by the crate's
//! dev-dependency on itself): the raw connection, and unvalidated inserts and updates for
//! building fixtures. Front ends read through the store's methods and write through its
//! validated, audited ones.

use super::{Entity, Store, StoreError, entity};
use rusqlite::Connection;

impl Store {
    /// The raw connection, for read queries in this module's submodules and for tests that
    /// check the file with plain SQL. Not for front ends: every read they need is a method.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Inserts a record (its id and stamp are assigned) with its audit row, unvalidated;
    /// returns the id. For tests that build fixtures: front ends save through the validated
    /// methods (`add_visit`, `save_contract` …).
    pub fn insert<E: Entity>(&mut self, record: &E) -> Result<i64, StoreError> {
        self.write(|tx, actor| entity::insert(tx, record, actor))
    }

    /// Saves an edit made against `record.stamp().version`, unvalidated; refused with who
    /// changed it and when if someone saved first. For tests, as [`Store::insert`].
    pub fn update<E: Entity>(&mut self, record: &E) -> Result<E, StoreError> {
        self.write(|tx, actor| entity::update(tx, record, actor))
    }
}
