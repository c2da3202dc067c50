//! The away conflicts list in a real terminal: the built binary in tmux over a server file that
//! received an away copy's conflicting change; `C` lists it, `a` takes the away value, and the
//! file holds it. Its own tmux server socket; a private copy of sample.db.

mod common;

use alliance::domain::Contract;
use alliance::store::{Access, Actor, Store};
use common::{d, tmp};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn open_as(path: &Path, by: &str, at: &str) -> Store {
    let mut s = Store::open(path, Access::ReadWrite).expect("open");
    s.actor = Actor::fixed(by, at);
    s
}

/// Contract 26's aims changed away by ann and here by bob; the away changes applied here.
fn conflicting_server(dir: &Path) -> std::path::PathBuf {
    let server = dir.join("alliance.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db"), &server).expect("copy sample.db");
    let away = dir.join("away.db");
    open_as(&server, "ann", "2026-11-23T09:00:00Z")
        .take_away_copy(&away, "hub", &server.display().to_string(), "ann")
        .expect("take away copy");
    let mut a = open_as(&away, "ann", "2026-11-23T10:00:00Z");
    let c: Contract = a.get(26).expect("contract");
    a.save_contract(&Contract { aims: "Aims agreed away".into(), ..c }).expect("edit away");
    drop(a);
    let mut s = open_as(&server, "bob", "2026-11-23T10:30:00Z");
    let c: Contract = s.get(26).expect("contract");
    s.save_contract(&Contract { aims: "Aims agreed at the hub".into(), ..c }).expect("edit here");
    drop(s);
    let set = Store::open(&away, Access::ReadWrite).expect("open away").away_changes().expect("changes");
    let report = open_as(&server, "hub", "2026-11-24T08:00:00Z").apply_changes(&set, d("2026-11-23")).expect("apply");
    assert_eq!(report.conflicts.len(), 1);
    server
}

struct Tmux(String);

impl Tmux {
    fn run(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.0])
            .args(args)
            .output()
            .expect("tmux must be installed (.ci/run installs it)")
    }

    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let s = String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned();
            if s.contains(needle) {
                return s;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {needle:?}; screen was:\n{s}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

#[test]
fn c_lists_the_conflict_and_a_takes_the_away_value_in_a_real_terminal() {
    let dir = tmp();
    let db = conflicting_server(dir.path());
    let t = Tmux(format!("alliance-conflicts-{}", std::process::id()));
    let script = format!(
        "cd {dir}; ALLIANCE_CONFIG=/nonexistent ALLIANCE_TODAY=2026-11-23 TERM=xterm-256color {bin} {db}; sleep 60",
        dir = dir.path().display(),
        bin = env!("CARGO_BIN_EXE_alliance"),
        db = db.display()
    );
    let started = t.run(&["-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", "-s", "t", &script]);
    assert!(started.status.success(), "tmux new-session failed");
    t.wait_for("1 away conflict — C");
    t.run(&["send-keys", "-t", "t", "C"]);
    let s = t.wait_for("Away conflicts to resolve (1)");
    assert!(s.contains("\"Aims agreed away\" by ann"), "{s}");
    t.run(&["send-keys", "-t", "t", "a"]);
    t.wait_for("Away conflicts to resolve (0)");
    t.run(&["send-keys", "-t", "t", "Escape", "q"]);
    let s = Store::open(&db, Access::ReadOnly).expect("open");
    assert_eq!(s.get::<Contract>(26).expect("contract").aims, "Aims agreed away");
    assert!(s.open_conflicts().expect("conflicts").is_empty());
}
