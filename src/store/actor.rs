//! Who writes (the [`Actor`] stamped on every change), and how a file on a read-only mount is
//! opened for reading.

use super::{Access, sanitize_line};
use std::path::Path;

/// Who is making a change and when, as written to `audit` and `updated_by`/`updated_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// As the audit trail shows them: the account, plus the SSH client's address or the gate
    /// key where known (`ann@10.0.0.7`, `ann [key ann@laptop]`).
    pub by: String,
    /// A fixed timestamp (tests, the sample generator); `None` means the real clock.
    pub fixed_at: Option<String>,
    /// The account whose role in `people` governs this actor's writes. `None` is the program
    /// itself (the sample generator, tests): unrestricted. The command line and the TUI always
    /// act for an account ([`Actor::current`]).
    pub account: Option<String>,
    /// When replaying a change made on an away copy: when it arrived here (written to the
    /// audit row beside the time it was made). Such a change keeps the record ids it was
    /// given on the copy (they come from the block reserved for it).
    pub arrived_at: Option<String>,
}

impl Actor {
    /// The person at this terminal: the real uid's account from the password database (or the
    /// gate's `--as`), never `$USER` — see [`crate::identity`]. The SSH client's address is
    /// added for the reader of the audit trail; it plays no part in who the person is.
    pub fn current() -> Actor {
        let id = crate::identity::current();
        let mut by = id.account.clone();
        // Only an address's characters: the variable is the caller's to set in deployment A.
        let address = std::env::var("SSH_CLIENT").ok().and_then(|c| c.split_whitespace().next().map(str::to_string));
        if let Some(ip) =
            address.filter(|a| a.len() <= 45 && a.chars().all(|c| c.is_ascii_hexdigit() || c == '.' || c == ':'))
        {
            by = format!("{by}@{ip}");
        }
        if let Some(key) = &id.key {
            by = format!("{by} [key {key}]");
        }
        Actor { by: sanitize_line(&by), fixed_at: None, account: Some(id.account), arrived_at: None }
    }

    /// The same as [`Actor::current`] (kept for callers of the first round's name; it never
    /// reads `$USER`).
    pub fn from_env() -> Actor {
        Actor::current()
    }

    /// An actor acting for `account` (a person in `people`) with a fixed clock, for tests.
    pub fn person(account: &str, at: &str) -> Actor {
        Actor {
            by: account.to_string(),
            fixed_at: Some(at.to_string()),
            account: Some(account.to_string()),
            arrived_at: None,
        }
    }

    /// A named actor with a fixed clock, for tests and generated data.
    pub fn fixed(by: &str, at: &str) -> Actor {
        Actor { by: by.to_string(), fixed_at: Some(at.to_string()), account: None, arrived_at: None }
    }

    /// Whether new records keep the ids they carry (a change replayed from an away copy).
    pub fn keeps_ids(&self) -> bool {
        self.arrived_at.is_some()
    }

    /// The time to stamp on a change, ISO-8601 UTC to the second.
    pub fn now(&self) -> String {
        match &self.fixed_at {
            Some(at) => at.clone(),
            None => chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        }
    }

    /// The day of [`Actor::now`] (dates events written by an edit).
    pub fn today(&self) -> chrono::NaiveDate {
        self.now().get(..10).and_then(|d| d.parse().ok()).unwrap_or_else(|| chrono::Utc::now().date_naive())
    }

    /// The person's account (drafts are kept per person, wherever they connect from).
    pub fn user(&self) -> &str {
        match &self.account {
            Some(account) => account,
            None => self.by.split('@').next().unwrap_or(&self.by),
        }
    }
}

/// On a read-only mount (a snapshot, a backup disk) with no write-ahead log content beside the
/// file, SQLite cannot create the `-wal`/`-shm` a WAL-mode file needs even to be read; nothing
/// can change a file there, so it is opened `immutable` (no locks, no `-shm`). Only then: on a
/// live file another process could write while an immutable reader read torn pages.
pub(crate) fn read_only_mount_uri(path: &Path, access: Access) -> Option<String> {
    if access != Access::ReadOnly {
        return None;
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let stat = nix::sys::statvfs::statvfs(dir).ok()?;
    if !stat.flags().contains(nix::sys::statvfs::FsFlags::ST_RDONLY) {
        return None;
    }
    let [wal, _] = crate::share::sidecars(path);
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return None;
    }
    // A URI path: `%`, `?` and `#` would otherwise be read as escapes, the query or a fragment.
    let mut escaped = String::new();
    for c in path.to_str()?.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '?' => escaped.push_str("%3f"),
            '#' => escaped.push_str("%23"),
            c => escaped.push(c),
        }
    }
    Some(format!("file:{escaped}?immutable=1"))
}
