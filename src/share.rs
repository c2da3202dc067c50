//! Deployment A (issue #16): one file shared by colleagues' own Unix accounts in one group.
//!
//! What makes a shared SQLite file work for everyone, every time:
//! - the file, its `-wal` and its `-shm` belong to the group and are group-writable, in a
//!   directory that is group-writable and setgid (SQLite creates `-wal`/`-shm` beside the file,
//!   and without setgid they get the creator's primary group — the second coordinator is then
//!   locked out);
//! - every alliance process sets its umask to `007` while it works with a shared file, so what
//!   it creates is group-accessible whatever the person's own umask ([`shared_umask`]);
//! - `-wal` and `-shm` stay in place between sessions, the `-wal` zero bytes once the last
//!   process has gone (the store checkpoints with TRUNCATE and closes without deleting them), so
//!   a read-only member can open the file when nobody else is connected;
//! - read-only members (the board) get read access by POSIX ACLs on the file, `-wal`, `-shm`
//!   and the directory's default ACL, without widening "other".
//!
//! Roles here are enforced by alliance only: anyone who can read the file can read all of it
//! with `sqlite3`. Deployment B (`alliance gate`) is the one to use for board members and
//! sensitive soft intelligence.

use nix::sys::stat::{Mode, umask};
use nix::unistd::{Gid, Group, chown};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether a file is shared with its group for writing (group-writable, as `share` leaves it):
/// such a file keeps its `-wal`/`-shm` in place and makes its process use umask `007`. A file
/// that is only group-readable (0644 from a default umask, a copied sample) is not shared:
/// treating it so left `-wal`/`-shm` beside damaged files that must be refused untouched.
pub fn is_shared(meta: &std::fs::Metadata) -> bool {
    meta.mode() & 0o020 != 0
}

/// Sets this process's umask to `007` (group keeps read and write, others get nothing), for as
/// long as it runs: everything SQLite creates beside a shared file is then usable by the group.
pub fn shared_umask() {
    umask(Mode::from_bits_truncate(0o007));
}

/// The `-wal` and `-shm` paths of a database.
pub fn sidecars(path: &Path) -> [PathBuf; 2] {
    ["-wal", "-shm"].map(|suffix| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        PathBuf::from(p)
    })
}

/// Why sharing was refused: one sentence, and whether it is a permission matter (exit 7) or a
/// wrong argument (exit 3).
#[derive(Debug)]
pub struct ShareError {
    /// The sentence.
    pub message: String,
    /// A permission (or file-system) refusal rather than a bad argument.
    pub permission: bool,
}

fn denied(message: String) -> ShareError {
    ShareError { message, permission: true }
}

fn invalid(message: String) -> ShareError {
    ShareError { message, permission: false }
}

/// Shares `path` with `group` (default: the file's group), and gives `readers` read access by
/// ACL. Returns what it changed, one line each. `keep_sidecars` opens the file as the store does
/// and leaves its `-wal` and `-shm` in place (`Store::keep_sidecars`), saying why it could not:
/// passed in by the command, so this module stays below the store, which asks it whether a file
/// is shared.
pub fn share(
    path: &Path,
    group: Option<&str>,
    readers: Option<&str>,
    keep_sidecars: impl FnOnce() -> Result<(), String>,
) -> Result<Vec<String>, ShareError> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| invalid(format!("{shown}: {e}")))?;
    if !meta.is_file() {
        return Err(invalid(format!("{shown} is not a file")));
    }
    let me = nix::unistd::getuid().as_raw();
    if me != meta.uid() && me != 0 {
        return Err(denied(format!(
            "only {} (the file's owner) or root can share {shown}",
            crate::identity::account_of_uid(meta.uid())
        )));
    }
    let gid = match group {
        Some(name) => group_gid(name)?,
        None => meta.gid(),
    };
    let group_name = crate::identity::group_of_gid(gid);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut changed = Vec::new();
    // ACL support is checked first, on the file itself, so a refusal changes nothing.
    let readers_gid = readers.map(group_gid).transpose()?;
    if let Some(r) = readers {
        setfacl(&["-m", &format!("g:{r}:r--,m::rw-")], path)?;
    }
    shared_umask();

    // The file: the group's, read-write for owner and group, nothing for others.
    let was = meta.mode() & 0o7777;
    set_group(path, gid, meta.gid(), &mut changed)?;
    set_mode(path, 0o660, was, &mut changed)?;

    // The directory: the group's, setgid, group may create and remove (the -wal and -shm).
    let dmeta = std::fs::metadata(&dir).map_err(|e| invalid(format!("{}: {e}", dir.display())))?;
    let dwas = dmeta.mode() & 0o7777;
    if me != dmeta.uid() && me != 0 {
        if dmeta.gid() != gid || dwas & 0o2070 != 0o2070 {
            return Err(denied(format!(
                "{} belongs to {}: ask them (or root) to run `chgrp {group_name} {0}; chmod g+rwxs {0}`, then share again",
                dir.display(),
                crate::identity::account_of_uid(dmeta.uid())
            )));
        }
    } else {
        set_group(&dir, gid, dmeta.gid(), &mut changed)?;
        set_mode(&dir, dwas | 0o2070, dwas, &mut changed)?;
    }

    // -wal and -shm: created now and kept in place, the -wal empty. One left by someone else
    // that this account cannot use would make the open fail: say whose it is instead.
    if me != 0
        && let Some(problem) = sidecar_problems(path).into_iter().next()
    {
        return Err(denied(problem));
    }
    let existed: Vec<bool> = sidecars(path).iter().map(|p| p.exists()).collect();
    keep_sidecars().map_err(denied)?;
    for (side, existed) in sidecars(path).iter().zip(existed) {
        let Ok(m) = std::fs::metadata(side) else {
            return Err(denied(format!("SQLite did not create {} — is the directory writable?", side.display())));
        };
        if !existed {
            changed.push(format!("created {} (kept in place between sessions)", side.display()));
        }
        if m.uid() != me && me != 0 && (m.gid() != gid || m.mode() & 0o060 != 0o060) {
            return Err(denied(format!(
                "{} belongs to {} and the group cannot write it: ask them (or root) to run `alliance share` once",
                side.display(),
                crate::identity::account_of_uid(m.uid())
            )));
        }
        if m.uid() == me || me == 0 {
            set_group(side, gid, m.gid(), &mut changed)?;
            set_mode(side, 0o660, m.mode() & 0o7777, &mut changed)?;
        }
    }

    if let (Some(r), Some(_)) = (readers, readers_gid) {
        // Every entry is named: with an ACL, `chmod` moves the mask, not the group's entry.
        let file_acl = format!("u::rw-,g::rw-,o::---,g:{r}:r--,m::rw-");
        setfacl(&["-m", &file_acl], path)?;
        for side in sidecars(path) {
            setfacl(&["-m", &file_acl], &side)?;
        }
        setfacl(&["-m", &format!("g::rwx,g:{r}:r-x,m::rwx")], &dir)?;
        setfacl(&["-d", "-m", &format!("u::rwX,g::rwX,o::---,g:{r}:rX,m::rwX")], &dir)?;
        changed.push(format!(
            "group {r} may read {shown}, its -wal and -shm (POSIX ACLs; 'other' unchanged), and files created in {} (default ACL)",
            dir.display()
        ));
    }
    Ok(changed)
}

fn group_gid(name: &str) -> Result<u32, ShareError> {
    match Group::from_name(name) {
        Ok(Some(g)) => Ok(g.gid.as_raw()),
        _ => Err(invalid(format!("there is no group called {}", crate::text::clean(name)))),
    }
}

fn set_group(path: &Path, gid: u32, was: u32, changed: &mut Vec<String>) -> Result<(), ShareError> {
    if gid == was {
        return Ok(());
    }
    chown(path, None, Some(Gid::from_raw(gid))).map_err(|e| {
        denied(format!(
            "cannot give {} to group {}: {e} (you must own it and be a member of the group, or be root)",
            path.display(),
            crate::identity::group_of_gid(gid)
        ))
    })?;
    changed.push(format!(
        "group of {}: {} → {}",
        path.display(),
        crate::identity::group_of_gid(was),
        crate::identity::group_of_gid(gid)
    ));
    Ok(())
}

fn set_mode(path: &Path, mode: u32, was: u32, changed: &mut Vec<String>) -> Result<(), ShareError> {
    if mode == was {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| denied(format!("cannot change the mode of {}: {e}", path.display())))?;
    changed.push(format!("mode of {}: {was:04o} → {mode:04o}", path.display()));
    Ok(())
}

fn setfacl(args: &[&str], path: &Path) -> Result<(), ShareError> {
    let out =
        Command::new("setfacl").args(args).arg("--").arg(path).output().map_err(|_| {
            denied("setfacl is not installed (package `acl`): it gives --readers their read access".into())
        })?;
    if out.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    if err.contains("not supported") {
        return Err(denied(format!(
            "the filesystem holding {} has no POSIX ACLs, so readers cannot be given read access without widening 'other' — use a filesystem with ACLs, or deployment B (`alliance gate`)",
            path.display()
        )));
    }
    Err(denied(format!("setfacl on {} failed: {}", path.display(), err.lines().next().unwrap_or("").trim())))
}

/// The access the file, its `-wal`/`-shm` and its directory give, in words, for `check`:
/// owner, group, other and any ACL entries (from `getfacl`, when installed).
pub fn access_report(path: &Path) -> Vec<(String, String)> {
    let mut lines = Vec::new();
    let mut targets: Vec<PathBuf> = vec![path.to_path_buf()];
    targets.extend(sidecars(path));
    for t in &targets {
        let Ok(m) = std::fs::metadata(t) else { continue };
        let mode = m.mode();
        let word = |bits: u32| match (bits & 4 != 0, bits & 2 != 0) {
            (true, true) => "read-write",
            (true, false) => "read",
            (false, true) => "write-only",
            (false, false) => "none",
        };
        let mut text = format!(
            "{:04o} — owner {} {}, group {} {}, other {}",
            mode & 0o7777,
            crate::identity::account_of_uid(m.uid()),
            word(mode >> 6),
            crate::identity::group_of_gid(m.gid()),
            word(mode >> 3),
            word(mode)
        );
        let acl = named_acl_entries(t);
        if !acl.is_empty() {
            text.push_str(&format!("; ACL {}", acl.join(", ")));
        }
        let name = t.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        lines.push((name, text));
    }
    lines
}

/// The named user and group entries of a file's access ACL (`group:board:r--`), effective
/// rights after the mask.
fn named_acl_entries(path: &Path) -> Vec<String> {
    let Ok(out) = Command::new("getfacl").args(["--omit-header", "--absolute-names", "--"]).arg(path).output() else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .filter(|l| (l.starts_with("user:") || l.starts_with("group:")) && !l.contains("::"))
        .map(|l| {
            let (entry, effective) = match l.split_once("#effective:") {
                Some((e, eff)) => (e.trim(), Some(eff.trim())),
                None => (l.trim(), None),
            };
            match effective {
                Some(eff) => format!("{entry} (effective {eff})"),
                None => entry.to_string(),
            }
        })
        .collect()
}

/// A `-wal` or `-shm` this account cannot read and write while it can write the file itself —
/// left by a process with a narrow umask or another group — blocks every write. One sentence
/// each, saying whose it is and what fixes it without breaking the share.
pub fn sidecar_problems(path: &Path) -> Vec<String> {
    use nix::unistd::{AccessFlags, access};
    if access(path, AccessFlags::W_OK).is_err() {
        return Vec::new();
    }
    sidecars(path)
        .iter()
        .filter_map(|side| {
            let m = std::fs::metadata(side).ok()?;
            if access(side.as_path(), AccessFlags::R_OK | AccessFlags::W_OK).is_ok() {
                return None;
            }
            let owner = crate::identity::account_of_uid(m.uid());
            Some(format!(
                "{} is read-only for you ({:04o}, owner {owner}, group {}), so no one but {owner} can write the database — {owner} or root can fix it with `alliance share`; or, when nobody has the file open, {owner} can delete it (SQLite makes a new one)",
                side.display(),
                m.mode() & 0o7777,
                crate::identity::group_of_gid(m.gid()),
            ))
        })
        .collect()
}
