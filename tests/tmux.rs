//! Real-terminal end-to-end tests: the built binary in tmux, driven with send-keys and read with
//! capture-pane. Each test uses its own tmux server socket and a private copy of sample.db.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    _dir: tempfile::TempDir,
    db: PathBuf,
    out: PathBuf,
}

impl Tmux {
    /// Starts the app on a copy of sample.db in a detached tmux session of `w`×`h`.
    fn start(name: &str, w: u16, h: u16, extra_args: &str) -> Tmux {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("alliance.db");
        std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
        let out = dir.path().join("after.txt");
        let socket = format!("alliance-test-{name}-{}", std::process::id());
        let bin = env!("CARGO_BIN_EXE_alliance");
        // After the app exits, record its exit code and the terminal's modes in the same pty.
        let script = format!(
            "cd {dir}; ALLIANCE_CONFIG=/nonexistent ALLIANCE_TODAY=2026-11-23 TERM=xterm-256color {bin} {extra_args} {db}; \
             echo \"EXIT=$?\" > {out}; stty -a >> {out}; sleep 60",
            dir = dir.path().display(),
            db = db.display(),
            out = out.display(),
        );
        let status = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                &w.to_string(),
                "-y",
                &h.to_string(),
                "-s",
                "t",
            ])
            .arg(script)
            .status()
            .expect("tmux must be installed (.ci/run installs it)");
        assert!(status.success(), "tmux new-session failed");
        Tmux { socket, _dir: dir, db, out }
    }

    fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "t"])
            .args(keys)
            .status()
            .expect("send-keys");
        assert!(status.success());
    }

    fn literal(&self, text: &str) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "t", "-l", text])
            .status()
            .expect("send-keys -l");
        assert!(status.success());
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "t"])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen contains `needle`, or fails showing the screen.
    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("timed out waiting for {needle:?}; screen was:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn resize(&self, w: u16, h: u16) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "resize-window", "-t", "t", "-x", &w.to_string(), "-y", &h.to_string()])
            .status()
            .expect("resize-window");
        assert!(status.success());
    }

    /// Waits for the app to exit and returns what the pane's shell recorded afterwards.
    fn after_exit(&self) -> String {
        let start = Instant::now();
        loop {
            if let Ok(s) = std::fs::read_to_string(&self.out)
                && s.contains("speed")
            {
                return s;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("app did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

fn assert_sane_exit(after: &str) {
    assert!(after.contains("EXIT=0"), "exit code not 0:\n{after}");
    let words: Vec<&str> = after.split_whitespace().collect();
    assert!(words.contains(&"echo"), "echo not restored:\n{after}");
    assert!(words.contains(&"icanon"), "icanon not restored:\n{after}");
}

#[test]
fn navigate_every_screen_help_and_quit() {
    let t = Tmux::start("nav", 100, 30, "");
    t.wait_for("Active contracts");
    for (key, title) in [
        ("2", "Contracts ("),
        ("3", "System leaders"),
        ("4", "Schools ("),
        ("5", "Visits in 2026/27"),
        ("6", "Decisions ("),
        ("1", "Leader capacity"),
    ] {
        t.keys(&[key]);
        t.wait_for(title);
    }
    t.keys(&["?"]);
    t.wait_for("Help — keys");
    t.keys(&["Escape"]);
    t.wait_for("Alerts");
    t.keys(&["q"]);
    assert_sane_exit(&t.after_exit());
}

#[test]
fn filter_open_detail_and_palette() {
    let t = Tmux::start("filter", 100, 30, "");
    t.wait_for("Active contracts");
    t.keys(&["4"]);
    t.wait_for("Schools (");
    t.keys(&["/"]);
    t.literal("prim");
    // The title shows the filter as typed, and how many rows of the total match.
    let s = t.wait_for("/prim");
    assert!(s.contains(" of 96) /prim"), "filter shown in the title:\n{s}");
    t.keys(&["Enter", "Enter"]);
    t.wait_for("Live contracts");
    t.keys(&["Escape"]);
    t.wait_for("Schools (");
    t.keys(&[":"]);
    t.wait_for("Go to — schools");
    t.literal("Go to Leaders");
    t.keys(&["Enter"]);
    t.wait_for("System leaders");
    t.keys(&["C-c"]);
    assert_sane_exit(&t.after_exit());
}

#[test]
fn resize_to_small_and_back() {
    let t = Tmux::start("resize", 100, 30, "");
    t.wait_for("Active contracts");
    t.resize(50, 12);
    t.wait_for("terminal too small");
    t.resize(60, 20);
    t.wait_for("Active contracts");
    t.resize(100, 30);
    t.wait_for("School status");
    t.keys(&["q"]);
    assert_sane_exit(&t.after_exit());
    assert!(t.db.exists());
}

fn sqlite3(db: &Path, sql: &str) -> String {
    let out =
        Command::new("sqlite3").arg(db).arg(sql).output().expect("sqlite3 must be installed (.ci/run installs it)");
    assert!(out.status.success(), "sqlite3: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn log_a_visit_through_the_form() {
    let t = Tmux::start("visit", 100, 30, "");
    t.wait_for("Active contracts");
    let before: i64 = sqlite3(&t.db, "SELECT count(*) FROM visits").parse().expect("count");
    t.keys(&["v"]);
    t.wait_for("Log a visit");
    // Contract is pre-filled from the selected row; go to the notes and type.
    for _ in 0..3 {
        t.keys(&["Tab"]);
    }
    t.literal("Coached the English lead on moderation");
    t.keys(&["C-s"]);
    t.wait_for("logged");
    let after: i64 = sqlite3(&t.db, "SELECT count(*) FROM visits").parse().expect("count");
    assert_eq!(after, before + 1);
    assert_eq!(
        sqlite3(&t.db, "SELECT visited_on || '|' || notes FROM visits ORDER BY id DESC LIMIT 1"),
        "2026-11-23|Coached the English lead on moderation"
    );
    t.keys(&["q"]);
    assert_sane_exit(&t.after_exit());
}

#[test]
fn bad_date_shows_the_message_and_keeps_the_other_fields() {
    let t = Tmux::start("baddate", 100, 30, "");
    t.wait_for("Active contracts");
    t.keys(&["v"]);
    t.wait_for("Log a visit");
    for _ in 0..3 {
        t.keys(&["Tab"]);
    }
    t.literal("Notes that must survive");
    // Back to the date field (three fields up), clear it, type an impossible date.
    for _ in 0..3 {
        t.keys(&["BTab"]);
    }
    t.keys(&["C-u"]);
    t.literal("31/11/2026");
    t.keys(&["C-s"]);
    let s = t.wait_for("no such day");
    assert!(s.contains("Notes that must survive"), "other fields intact:\n{s}");
    assert!(s.contains("31/11/2026"), "typed date kept:\n{s}");
    t.keys(&["C-c"]);
    assert_sane_exit(&t.after_exit());
}

#[test]
fn killed_mid_form_resumes_the_draft() {
    let t = Tmux::start("draft", 100, 30, "");
    t.wait_for("Active contracts");
    t.keys(&["v"]);
    t.wait_for("Log a visit");
    for _ in 0..3 {
        t.keys(&["Tab"]);
    }
    t.literal("Draft that must not be lost");
    // Wait until the draft is written (debounced while typing), then kill -9 the app.
    let start = Instant::now();
    while sqlite3(&t.db, "SELECT count(*) FROM drafts") != "1" {
        assert!(start.elapsed() < Duration::from_secs(10), "draft never written");
        std::thread::sleep(Duration::from_millis(100));
    }
    let pids = Command::new("pgrep").args(["-f", &t.db.display().to_string()]).output().expect("pgrep");
    let pids = String::from_utf8_lossy(&pids.stdout).to_string();
    let bin_pid = pids
        .split_whitespace()
        .find(|p| {
            std::fs::read_to_string(format!("/proc/{p}/cmdline"))
                .is_ok_and(|c| c.starts_with(env!("CARGO_BIN_EXE_alliance")))
        })
        .expect("alliance process")
        .to_string();
    assert!(Command::new("kill").args(["-9", &bin_pid]).status().expect("kill").success());
    t.after_exit();
    // Start again on the same file, in the same tmux server.
    let again = format!(
        "ALLIANCE_CONFIG=/nonexistent ALLIANCE_TODAY=2026-11-23 TERM=xterm-256color {} {}",
        env!("CARGO_BIN_EXE_alliance"),
        t.db.display()
    );
    let status =
        Command::new("tmux").args(["-L", &t.socket, "new-window", "-t", "t"]).arg(again).status().expect("new-window");
    assert!(status.success());
    t.wait_for("Active contracts");
    t.keys(&["v"]);
    t.wait_for("Resume it?");
    t.keys(&["y"]);
    t.wait_for("Draft that must not be lost");
}

#[test]
fn dropped_link_keeps_the_draft_and_the_process_exits() {
    let t = Tmux::start("hangup", 100, 30, "");
    t.wait_for("Active contracts");
    t.keys(&["v"]);
    t.wait_for("Log a visit");
    for _ in 0..3 {
        t.keys(&["Tab"]);
    }
    t.literal("typed just before the link dropped");
    t.wait_for("typed just before the link dropped");
    // Killing the tmux server closes the terminal under the app, as a dropped SSH session does.
    let _ = Command::new("tmux").args(["-L", &t.socket, "kill-server"]).status();
    let start = Instant::now();
    let db = t.db.display().to_string();
    loop {
        let running = Command::new("pgrep").args(["-f", &db]).output().expect("pgrep");
        if running.stdout.is_empty() {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "alliance still running after the terminal closed");
        std::thread::sleep(Duration::from_millis(100));
    }
    let data = sqlite3(&t.db, "SELECT data FROM drafts WHERE form = 'visit'");
    assert!(data.contains("typed just before the link dropped"), "draft kept: {data}");
}

/// The five new-user tasks of issue #12 replayed in a real terminal on sample.db, each with
/// its keystroke count (search letters count; a note or summary typed does not).
#[test]
fn five_new_user_tasks_in_few_keys() {
    let t = Tmux::start("tasks", 80, 24, "");
    t.wait_for("Active contracts");
    // 1: find a school, read its category and latest inspection — `:ott Enter` (5 keys).
    t.literal(":ott");
    // The palette's row (with the URN) — not the dashboard's mention of the school.
    t.wait_for("Otterford Community Primary School · 900137");
    t.keys(&["Enter"]);
    let s = t.wait_for("Category          C");
    assert!(s.contains("3 Jul 2024"), "{s}");
    t.keys(&["Escape"]);
    t.wait_for("Active contracts");
    // 2: a half-day visit yesterday with a note — v, Tab, Tab, Tab, C-s (5 keys + typing).
    let visits: i64 = sqlite3(&t.db, "SELECT count(*) FROM visits").parse().expect("count");
    t.keys(&["v"]);
    t.wait_for("Log a visit");
    t.literal("yesterday");
    t.keys(&["Tab"]);
    t.literal("0.5");
    t.keys(&["Tab", "Tab"]);
    t.literal("Coached the EYFS lead");
    t.keys(&["C-s"]);
    t.wait_for("logged");
    assert_eq!(sqlite3(&t.db, "SELECT count(*) FROM visits").parse::<i64>().expect("count"), visits + 1);
    assert_eq!(
        sqlite3(&t.db, "SELECT visited_on || '|' || days FROM visits ORDER BY id DESC LIMIT 1"),
        "2026-11-22|0.5"
    );
    // 3: a red escalated review on Otterford's contract — `:ott Enter r r Tab … Tab y C-s`
    // (11 keys + the summary).
    t.literal(":ott");
    // The palette's row (with the URN) — not the dashboard's mention of the school.
    t.wait_for("Otterford Community Primary School · 900137");
    t.keys(&["Enter"]);
    t.wait_for("Category          C");
    t.keys(&["r"]);
    t.wait_for("Progress review");
    t.keys(&["r", "Tab"]);
    t.literal("EYFS outcomes slipping");
    t.keys(&["Tab", "y", "C-s"]);
    t.wait_for("recorded (red)");
    assert_eq!(
        sqlite3(&t.db, "SELECT rag || '|' || escalate || '|' || next_review_on FROM reviews ORDER BY id DESC LIMIT 1"),
        "red|1|2026-12-14"
    );
    t.keys(&["Escape"]);
    // Back on the dashboard before the next key: an Escape and a `3` read together are Alt-3.
    t.wait_for("Active contracts");
    // 4: a leader with at least 5 free days and maths — `3/maths` (7 keys).
    t.keys(&["3"]);
    t.wait_for("Specialisms");
    t.literal("/maths");
    let s = t.wait_for("KS3 maths");
    assert!(s.lines().any(|l| l.contains("Matthew Nowak") && l.contains("10")), "{s}");
    // 5: quit — Ctrl-C (1 key), even with the filter box open.
    t.keys(&["C-c"]);
    assert_sane_exit(&t.after_exit());
}
