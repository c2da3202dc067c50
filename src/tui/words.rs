//! How the TUI words the store's errors on its status line. The store's errors carry data (which
//! file, who, how it was replaced …) and a default sentence written for the command line, which
//! names the file in every message; the TUI's header already names the open file, so at 80
//! columns the status line leaves that path out and keeps the room for what to do.

use crate::store::StoreError;

/// One status-line sentence for a store error.
pub fn store_error(e: &StoreError) -> String {
    match e {
        StoreError::Busy(_) => {
            "the file is busy: another alliance or program is writing to it — try again in a moment".into()
        }
        StoreError::ReadOnly(_) => "this file is open read-only — nothing was changed".into(),
        StoreError::Full(_) => "the disk is full — nothing was saved; free some space and try again".into(),
        StoreError::Replaced { how, .. } => format!(
            "the file changed under this program: {how} — nothing more is saved here; quit and open the file again"
        ),
        StoreError::Corrupt(_, detail) => {
            format!("the file is damaged ({detail}) — quit and run `alliance check` for details")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Replacement;

    #[test]
    fn the_open_file_is_not_named_again_on_the_status_line() {
        let path = "/home/ann/a-very-long/shared/folder/alliance.db".to_string();
        for e in [
            StoreError::Busy(path.clone()),
            StoreError::ReadOnly(path.clone()),
            StoreError::Full(path.clone()),
            StoreError::Replaced { path: path.clone(), how: Replacement::CopiedOver },
            StoreError::Corrupt(path.clone(), "page 7".into()),
        ] {
            let said = store_error(&e);
            assert!(!said.contains(&path), "{said}");
            assert!(e.to_string().contains(&path), "the default sentence (the CLI's) names the file: {e}");
        }
        let replaced = StoreError::Replaced { path, how: Replacement::MovedOrDeleted };
        assert!(store_error(&replaced).contains("changed under this program: it was moved away or deleted"));
    }
}
