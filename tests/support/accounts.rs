//! Real Unix accounts for the many-people tests (issue #16): groups and users made with
//! `groupadd`/`useradd` (serialised, retried while another process holds the password file's
//! lock) and removed in `Drop`, even when a test fails; commands run as them with umask 077.

#![allow(dead_code, reason = "each test file uses different parts")]

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;
use std::time::Duration;

/// One `useradd`/`groupadd` at a time within this test binary (they lock /etc/passwd).
static ACCOUNTS: Mutex<()> = Mutex::new(());

/// Whether this process is root (the tests that make accounts need it; CI runs as root).
pub fn is_root() -> bool {
    nix::unistd::getuid().is_root()
}

fn admin(cmd: &str, args: &[&str]) -> Result<(), String> {
    let _one = ACCOUNTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut last = String::new();
    // Another test binary may hold the lock on the password file for a moment.
    for _ in 0..50 {
        let out = Command::new(cmd).args(args).output().map_err(|e| format!("{cmd}: {e}"))?;
        if out.status.success() {
            return Ok(());
        }
        last = String::from_utf8_lossy(&out.stderr).into_owned();
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!("{cmd} {}: {last}", args.join(" ")))
}

/// Users and groups made for one test, removed when dropped.
#[derive(Default)]
pub struct Accounts {
    users: Vec<String>,
    groups: Vec<String>,
}

impl Accounts {
    /// Makes a group.
    pub fn group(&mut self, name: &str) -> u32 {
        admin("groupadd", &[name]).expect("groupadd");
        self.groups.push(name.to_string());
        nix::unistd::Group::from_name(name).expect("group lookup").expect("group exists").gid.as_raw()
    }

    /// Makes a user whose primary group is `group`, with no home directory and a shell (sshd
    /// runs a forced command through it).
    pub fn user(&mut self, name: &str, group: &str) -> u32 {
        admin("useradd", &["-M", "-N", "-g", group, "-d", "/nonexistent", "-s", "/bin/sh", name]).expect("useradd");
        self.users.push(name.to_string());
        nix::unistd::User::from_name(name).expect("user lookup").expect("user exists").uid.as_raw()
    }
}

impl Drop for Accounts {
    fn drop(&mut self) {
        for u in self.users.drain(..) {
            let _ = admin("userdel", &[&u]);
        }
        for g in self.groups.drain(..) {
            let _ = admin("groupdel", &[&g]);
        }
    }
}

/// The uid and primary gid of a user.
pub fn ids(user: &str) -> (u32, u32) {
    let u = nix::unistd::User::from_name(user).expect("lookup").expect("user");
    (u.uid.as_raw(), u.gid.as_raw())
}

/// A copy of the binary in a 0755 directory other accounts can reach (a clone under /root is
/// not), and the directory holding it.
pub fn shared_binary() -> (tempfile::TempDir, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::Builder::new().prefix("alliance-bin").tempdir_in("/tmp").expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let bin = dir.path().join("alliance");
    std::fs::copy(env!("CARGO_BIN_EXE_alliance"), &bin).expect("copy binary");
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    (dir, bin)
}

/// `alliance ARGS` as `user` (their uid and primary group, no other groups) with umask 077 and
/// a clean environment in which `$USER` names someone else.
pub fn as_user(user: &str, bin: &Path, args: &[&str]) -> Command {
    let (uid, gid) = ids(user);
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c").arg("umask 077; exec \"$0\" \"$@\"").arg(bin).args(args);
    cmd.uid(uid)
        .gid(gid)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", "/nonexistent")
        .env("USER", "someone-else")
        .env("LOGNAME", "someone-else")
        .env("ALLIANCE_CONFIG", "/nonexistent/alliance.toml")
        .env("ALLIANCE_TODAY", "2026-11-23")
        .current_dir("/");
    cmd
}

/// Runs `alliance ARGS` as `user` and returns what it did.
pub fn run_as(user: &str, bin: &Path, args: &[&str]) -> Output {
    as_user(user, bin, args).output().expect("run alliance")
}

/// stdout and stderr of an output, for assertion messages.
pub fn text(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A short unique prefix for account names (Unix names stay under 32 characters).
pub fn prefix() -> String {
    format!("al{}", std::process::id() % 100_000)
}

/// Reads the shared file without disturbing it: read-only, and closed without the checkpoint
/// that would delete its -wal and -shm.
pub fn peek(db: &Path) -> rusqlite::Connection {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    c.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true).expect("config");
    c
}
