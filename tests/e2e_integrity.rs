//! End to end, with real processes (issue #11, "Done when"): the TUI in tmux on its own
//! socket, `alliance` CLI writers, `cp` and `mv`, and `sqlite3` to look at the file afterwards.
//!
//! 1. A visit logged from the CLI while the TUI is open is in the file alone (`cp`) once the
//!    TUI has quit, with no `-wal` holding it.
//! 2. A backup copied back beside a stale `-wal` is refused by `status`, `check` and the TUI,
//!    byte-for-byte unchanged with its log; `alliance restore` then puts a good backup back.
//! 3. Two TUIs edit the same school: Ann's notes and Bob's category both survive.
//! 4. Another file `mv`-ed over the database under Ann's TUI: nothing more is saved and her
//!    open form is kept beside the database.

mod common;
#[path = "support/stress.rs"]
mod stress;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_alliance")
}

/// One tmux server (its own socket) with one session per TUI.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(name: &str) -> Tmux {
        Tmux { socket: format!("alliance-i11-{name}-{}", std::process::id()) }
    }

    /// Starts the TUI on `db` in session `s`, as user `who`.
    fn tui(&self, s: &str, db: &Path, who: &str) {
        let script = format!(
            "cd {dir}; USER={who} ALLIANCE_CONFIG=/nonexistent ALLIANCE_TODAY=2026-11-23 TERM=xterm-256color {bin} {db}; echo EXITED; sleep 60",
            dir = db.parent().expect("dir").display(),
            bin = bin(),
            db = db.display(),
        );
        let ok = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "-s", s])
            .arg(script)
            .status()
            .expect("tmux (installed by .ci/run)");
        assert!(ok.success());
    }

    fn keys(&self, s: &str, keys: &[&str]) {
        let ok =
            Command::new("tmux").args(["-L", &self.socket, "send-keys", "-t", s]).args(keys).status().expect("keys");
        assert!(ok.success());
    }

    fn literal(&self, s: &str, text: &str) {
        let ok =
            Command::new("tmux").args(["-L", &self.socket, "send-keys", "-t", s, "-l", text]).status().expect("keys");
        assert!(ok.success());
    }

    fn screen(&self, s: &str) -> String {
        let out =
            Command::new("tmux").args(["-L", &self.socket, "capture-pane", "-p", "-t", s]).output().expect("capture");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, s: &str, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen(s);
            if screen.contains(needle) {
                return screen;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "timed out waiting for {needle:?}:\n{screen}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

fn sqlite3(db: &Path, sql: &str) -> String {
    let out = Command::new("sqlite3").arg(db).arg(sql).output().expect("sqlite3 (installed by .ci/run)");
    assert!(out.status.success(), "sqlite3: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

fn sample(dir: &Path, name: &str) -> PathBuf {
    let db = dir.join(name);
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    db
}

fn cli(db: &Path, args: &[&str]) -> std::process::Output {
    stress::alliance(Path::new(bin())).arg("--db").arg(db).args(args).output().expect("alliance")
}

#[test]
fn scenario_1_a_cli_write_under_the_tui_is_in_the_copied_file_after_quitting() {
    let dir = common::tmp();
    let db = sample(dir.path(), "a.db");
    let tmux = Tmux::new("one");
    tmux.tui("t", &db, "ann");
    tmux.wait_for("t", "Active contracts");
    let contract = stress::active_contracts(&db)[0];
    stress::log_one(Path::new(bin()), &db, contract, "e2e: logged under the TUI").expect("acknowledged");
    tmux.wait_for("t", "changed by another coordinator");
    tmux.keys("t", &["q"]);
    tmux.wait_for("t", "EXITED");
    assert!(std::fs::metadata(side(&db, "-wal")).map_or(0, |m| m.len()) == 0, "no -wal with content");
    let copy = dir.path().join("copy.db");
    let cp = Command::new("cp").arg(&db).arg(&copy).status().expect("cp");
    assert!(cp.success());
    assert_eq!(sqlite3(&copy, "SELECT count(*) FROM visits WHERE notes = 'e2e: logged under the TUI'"), "1");
}

#[test]
fn scenario_2_a_refused_file_is_unchanged_and_restore_puts_a_backup_back() {
    let dir = common::tmp();
    let good = sample(dir.path(), "good-backup.db");
    // The live file grows (folded in), then changes again (left in -wal by a killed writer);
    // an older copy is put back with `cp`, beside that log.
    let live = sample(dir.path(), "a.db");
    let old = dir.path().join("old.db");
    std::fs::copy(&live, &old).expect("old copy");
    sqlite3(
        &live,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
         INSERT INTO drafts SELECT 'x', 'school', 'id-' || i, hex(randomblob(200)), '2026-11-23' FROM n;",
    );
    let killed = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "(echo 'PRAGMA wal_autocheckpoint=0;'; echo \"UPDATE drafts SET data='c' WHERE target='id-1500';\"; \
             echo \"INSERT INTO drafts VALUES ('y','f','t',hex(randomblob(3000)),'2026');\"; \
             echo \".shell cp {db}-wal {dir}/stale-wal\") | sqlite3 {db}",
            db = live.display(),
            dir = dir.path().display()
        ))
        .status()
        .expect("sqlite3 writer");
    assert!(killed.success());
    Command::new("cp").arg(&old).arg(&live).status().expect("cp");
    std::fs::copy(dir.path().join("stale-wal"), side(&live, "-wal")).expect("stale log");
    let (bytes, wal) = (std::fs::read(&live).expect("db"), std::fs::read(side(&live, "-wal")).expect("wal"));
    for args in [&["status"][..], &["check"]] {
        let out = cli(&live, args);
        assert_eq!(out.status.code(), Some(5), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let tmux = Tmux::new("two");
    tmux.tui("t", &live, "ann");
    tmux.wait_for("t", "EXITED");
    assert!(std::fs::read(&live).expect("db") == bytes, "the refused file is byte-for-byte unchanged");
    assert!(std::fs::read(side(&live, "-wal")).expect("wal") == wal, "and so is its -wal");
    let out = cli(&live, &["restore", good.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(sqlite3(&live, "PRAGMA quick_check"), "ok");
    assert_eq!(sqlite3(&live, "SELECT count(*) FROM schools"), sqlite3(&good, "SELECT count(*) FROM schools"));
}

#[test]
fn scenario_3_two_tuis_editing_one_school_keep_both_changes() {
    let dir = common::tmp();
    let db = sample(dir.path(), "a.db");
    sqlite3(&db, "UPDATE schools SET category = 'A'");
    let tmux = Tmux::new("three");
    tmux.tui("ann", &db, "ann");
    tmux.tui("bob", &db, "bob");
    for s in ["ann", "bob"] {
        tmux.wait_for(s, "Active contracts");
        tmux.keys(s, &["4"]);
        tmux.wait_for(s, "Schools");
        tmux.keys(s, &["e"]);
        tmux.wait_for(s, "Edit school");
    }
    // Ann: Tab from the category to the notes, and types.
    tmux.keys("ann", &["Tab"]);
    tmux.literal("ann", " Ann e2e note.");
    // Bob: changes the category (A → C) and saves first.
    tmux.keys("bob", &["c"]);
    tmux.keys("bob", &["C-s"]);
    tmux.wait_for("bob", "saved (category C)");
    tmux.keys("ann", &["C-s"]);
    // Both run as this Unix user: the refusal names the account (the real uid, not $USER).
    tmux.wait_for("ann", "was changed by");
    tmux.keys("ann", &["C-s"]);
    // Only a successful save says "saved (category …)" (the refusal says "not saved").
    tmux.wait_for("ann", "saved (category C)");
    assert_eq!(sqlite3(&db, "SELECT category FROM schools WHERE notes LIKE '%Ann e2e note.%'"), "C");
}

#[test]
fn scenario_4_a_file_moved_over_the_database_stops_the_tui_saving() {
    let dir = common::tmp();
    let db = sample(dir.path(), "a.db");
    let other = sample(dir.path(), "other.db");
    let tmux = Tmux::new("four");
    tmux.tui("t", &db, "ann");
    tmux.wait_for("t", "Active contracts");
    tmux.keys("t", &["4"]);
    tmux.wait_for("t", "Schools");
    tmux.keys("t", &["e"]);
    tmux.wait_for("t", "Edit school");
    tmux.keys("t", &["Tab"]);
    tmux.literal("t", " typed before the mv");
    let mv = Command::new("mv").arg(&other).arg(&db).status().expect("mv");
    assert!(mv.success());
    tmux.wait_for("t", "changed under this program");
    tmux.keys("t", &["C-s"]);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(sqlite3(&db, "SELECT count(*) FROM schools WHERE notes LIKE '%typed before the mv%'"), "0");
    let kept: Vec<String> =
        common::listing(dir.path()).into_iter().filter(|n| n.contains(".unsaved-school-")).collect();
    assert_eq!(kept.len(), 1, "{:?}", common::listing(dir.path()));
    let text = std::fs::read_to_string(dir.path().join(&kept[0])).expect("kept form");
    assert!(text.contains("typed before the mv"));
}
