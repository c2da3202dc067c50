//! `alliance share` and `init --group`: deployment A's group, modes, setgid directory, kept
//! `-wal`/`-shm` and readers' ACLs ([`crate::share`]), saying what changed.

use super::Failure;
use crate::store::{Access, Store, exit};
use std::path::Path;

/// Shares `path` and prints what changed.
pub fn run(path: &Path, group: Option<&str>, readers: Option<&str>) -> Result<(), Failure> {
    let keep_sidecars = || {
        let store = Store::open(path, Access::ReadWrite).map_err(|e| e.to_string())?;
        store.keep_sidecars().map_err(|e| e.to_string())
    };
    let changed = crate::share::share(path, group, readers, keep_sidecars).map_err(|e| Failure {
        code: if e.permission { exit::PERMISSION } else { exit::INVALID },
        message: e.message,
    })?;
    if changed.is_empty() {
        outln!("{} was already shared this way — nothing changed", path.display());
    }
    for line in changed {
        outln!("{}", crate::cli::printable(&line));
    }
    Ok(())
}
