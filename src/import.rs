//! Imports of public DfE and Ofsted data into the alliance file:
//!
//! - [`gias`]: the "Get Information about Schools" establishment download → schools (and, in
//!   older files, their last graded Ofsted rating);
//! - [`ofsted`]: Ofsted's inspection outcomes management information → inspections;
//! - [`terms`]: an LA's published term dates (CSV or iCalendar) → terms and closures.
//!
//! Each importer reads the whole file first ([`gias::read`], [`ofsted::read`]): a file that is
//! not text, or not the expected download, is refused with one sentence before the database
//! is opened for writing. Then every row is checked and written inside one transaction
//! ([`crate::store::Store::import`]) — all or nothing, rolled back for `--dry-run` — and the
//! [`Report`] says what was added, updated (and how), left unchanged, or skipped (why, on which
//! line). Columns are always found by header name, never by position.

pub mod gias;
pub mod links;
pub mod ofsted;
pub mod performance;
pub mod read;
pub mod report;
pub mod terms;

pub use read::FileError;
pub use report::{Report, SkipKind, Skipped};

use crate::store::StoreError;

/// Told `(rows done, rows to do)` as an import writes, for a progress bar.
pub type Progress<'a> = dyn FnMut(usize, usize) + 'a;

/// Why an import stopped without saving anything.
#[derive(Debug)]
pub enum ImportError {
    /// The file is not what was expected, or asks for something it does not hold.
    File(FileError),
    /// The database refused (read-only, busy, damaged …).
    Store(StoreError),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::File(e) => e.fmt(f),
            ImportError::Store(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ImportError {}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        ImportError::Store(e)
    }
}

impl From<FileError> for ImportError {
    fn from(e: FileError) -> Self {
        ImportError::File(e)
    }
}
