//! Who is at the keyboard, decided from things the caller cannot forge.
//!
//! - Deployment A (own Unix accounts): the account of the process's *real* uid, looked up in the
//!   password database. `$USER`, `$LOGNAME` and `$HOME` are never read: anyone can set them
//!   (`USER="Chair of board" alliance log-visit …` must not be recorded as the Chair).
//! - Deployment B (one service account, people by SSH key): `alliance gate --as NAME` — a
//!   forced command in the service account's `authorized_keys`, which the person cannot edit —
//!   sets the identity for the rest of the process with [`set_gate`]. It is process state, not an
//!   environment variable, so nothing the caller passes through SSH can change it.
//!
//! The store turns the identity into a role (`people`, DESIGN §3); this module only names people.

use std::sync::OnceLock;

/// A person as the audit trail and the role check know them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The account: a Unix login name (A) or the gate's `--as` name (B).
    pub account: String,
    /// In deployment B, the key the person came in with (the `--key` label of their forced
    /// command, e.g. its comment or fingerprint), recorded in the audit row.
    pub key: Option<String>,
    /// Whether this identity came from the gate.
    pub gate: bool,
}

static GATE: OnceLock<Identity> = OnceLock::new();

/// Sets this process's identity from `gate --as` (once; a second call changes nothing and
/// returns `false`).
pub fn set_gate(account: &str, key: Option<&str>) -> bool {
    let id = Identity { account: account.to_string(), key: key.map(str::to_string), gate: true };
    GATE.set(id).is_ok()
}

/// The identity in force: the gate's, else the real uid's account.
pub fn current() -> Identity {
    if let Some(id) = GATE.get() {
        return id.clone();
    }
    Identity { account: real_account(), key: None, gate: false }
}

/// The login name of the real uid (not the effective one: a set-uid copy still names the
/// person who ran it), or `uid N` when the password database has no entry for it.
pub fn real_account() -> String {
    account_of_uid(nix::unistd::getuid().as_raw())
}

/// The login name of a uid, or `uid N` when the password database has none.
pub fn account_of_uid(uid: u32) -> String {
    match nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid)) {
        Ok(Some(user)) => user.name,
        _ => format!("uid {uid}"),
    }
}

/// The name of a group id, or `gid N`.
pub fn group_of_gid(gid: u32) -> String {
    match nix::unistd::Group::from_gid(nix::unistd::Gid::from_raw(gid)) {
        Ok(Some(group)) => group.name,
        _ => format!("gid {gid}"),
    }
}

/// The account that owns a file (the admin of a file whose `people` is empty, and the only
/// account allowed to use `gate --as` on it).
pub fn owner_of(path: &std::path::Path) -> std::io::Result<(u32, String)> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata(path)?.uid();
    Ok((uid, account_of_uid(uid)))
}

/// Whether an account name is acceptable in `people` and `--as`: 1–64 characters of letters,
/// digits, `.`, `_` and `-`, not starting with `-` (the portable Unix login name set, so the
/// same word works in both deployments and in the audit trail).
pub fn valid_account(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('-')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names_are_plain_login_words() {
        for ok in ["ann", "ann.smith", "svc_hub", "b-2"] {
            assert!(valid_account(ok), "{ok}");
        }
        for bad in ["", "-rf", "ann smith", "ann@host", "a/b", "ann;rm", &"x".repeat(65)] {
            assert!(!valid_account(bad), "{bad}");
        }
    }

    #[test]
    fn the_real_account_ignores_the_environment() {
        // The lookup goes through the password database by uid; $USER plays no part.
        let uid = nix::unistd::getuid().as_raw();
        assert_eq!(real_account(), account_of_uid(uid));
        assert!(!real_account().is_empty());
    }
}
