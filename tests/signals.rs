//! SIGTERM and SIGHUP (a dropped SSH session) while a form is open, in a real terminal (tmux):
//! the form's draft is saved — including what was typed after the last timed draft — the
//! terminal is restored for the shell, the exit is clean, and reopening offers to resume.
//! (A terminal that vanishes outright is `dropped_link_keeps_the_draft_and_the_process_exits`
//! in tests/tmux.rs.)

#[path = "support/stress.rs"]
mod stress;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Session {
    socket: String,
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Session {
    fn new(name: &str) -> Session {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("alliance.db");
        stress::sample_copy(Path::new(env!("CARGO_BIN_EXE_alliance")), &db);
        Session { socket: format!("alliance-signals-{name}-{}", std::process::id()), dir, db }
    }

    /// Starts the app in a new tmux window of 100×30. The app is `exec`ed by a child shell that
    /// first writes its pid, so the test signals exactly the alliance process; the pane's own
    /// shell then records the exit code and `stty -a` in `after-WINDOW.txt` and becomes an
    /// interactive shell, to show the terminal is usable.
    fn start(&self, window: &str) {
        let after = self.dir.path().join(format!("after-{window}.txt"));
        let pid = self.dir.path().join(format!("pid-{window}"));
        let script = format!(
            "cd {dir}; sh -c 'echo $$ > {pid}; ALLIANCE_CONFIG=/nonexistent ALLIANCE_TODAY=2026-11-23 USER=ann \
             TERM=xterm-256color exec {bin} {db}'; echo \"EXIT=$?\" > {after}.tmp; stty -a >> {after}.tmp; \
             mv {after}.tmp {after}; PS1='$ ' exec sh -i",
            dir = self.dir.path().display(),
            pid = pid.display(),
            bin = env!("CARGO_BIN_EXE_alliance"),
            db = self.db.display(),
            after = after.display(),
        );
        let first = !self.tmux(&["has-session", "-t", "t"]);
        let ok = if first {
            self.tmux(&[
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                "100",
                "-y",
                "30",
                "-s",
                "t",
                "-n",
                window,
                &script,
            ])
        } else {
            self.tmux(&["new-window", "-t", "t", "-n", window, &script])
        };
        assert!(ok, "tmux could not start the app (tmux must be installed; .ci/run installs it)");
    }

    fn tmux(&self, args: &[&str]) -> bool {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux must be installed (.ci/run installs it)")
            .status
            .success()
    }

    fn keys(&self, window: &str, keys: &[&str]) {
        let target = format!("t:{window}");
        let mut args = vec!["send-keys", "-t", &target];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args), "send-keys");
    }

    fn literal(&self, window: &str, text: &str) {
        assert!(self.tmux(&["send-keys", "-t", &format!("t:{window}"), "-l", text]), "send-keys -l");
    }

    fn screen(&self, window: &str) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", &format!("t:{window}")])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, window: &str, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen(window);
            if s.contains(needle) {
                return s;
            }
            assert!(start.elapsed() < Duration::from_secs(15), "timed out waiting for {needle:?}; screen:\n{s}");
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn pid(&self, window: &str) -> String {
        let path = self.dir.path().join(format!("pid-{window}"));
        let start = Instant::now();
        loop {
            if let Ok(p) = std::fs::read_to_string(&path)
                && !p.trim().is_empty()
            {
                return p.trim().to_string();
            }
            assert!(start.elapsed() < Duration::from_secs(10), "no pid file");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn after_exit(&self, window: &str) -> String {
        let path = self.dir.path().join(format!("after-{window}.txt"));
        let start = Instant::now();
        loop {
            if let Ok(s) = std::fs::read_to_string(&path) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "the app did not exit; screen:\n{}",
                self.screen(window)
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn draft(&self) -> Option<String> {
        let c = rusqlite::Connection::open(&self.db).expect("open");
        // Drafts are kept per account (the real uid's), whatever `$USER` says (`USER=ann` above).
        let me = alliance::identity::real_account();
        c.query_row("SELECT data FROM drafts WHERE user = ?1 AND form = 'visit'", [me], |r| r.get(0)).ok()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

fn alive(pid: &str) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| s.contains(") Z "))
}

/// Opens the visit form, types a note, waits for the timed draft, types more, and returns at
/// once so the signal lands before the next timed draft could be written.
fn type_into_visit_form(s: &Session, w: &str, first: &str, more: &str) {
    s.wait_for(w, "Active contracts");
    s.keys(w, &["v"]);
    s.wait_for(w, "Log a visit");
    for _ in 0..3 {
        s.keys(w, &["Tab"]);
    }
    s.literal(w, first);
    let start = Instant::now();
    while !s.draft().is_some_and(|d| d.contains(first)) {
        assert!(start.elapsed() < Duration::from_secs(10), "the timed draft was never written");
        std::thread::sleep(Duration::from_millis(30));
    }
    s.literal(w, more);
    s.wait_for(w, more);
}

fn assert_sane_terminal(after: &str) {
    assert!(after.contains("EXIT=0"), "exit code:\n{after}");
    let words: Vec<&str> = after.split_whitespace().collect();
    for mode in ["echo", "icanon", "isig", "icrnl", "opost"] {
        assert!(words.contains(&mode), "{mode} not restored:\n{after}");
    }
}

fn signal_saves_the_draft_and_restores_the_terminal(sig: &str) {
    let s = Session::new(&sig.to_lowercase());
    s.start("one");
    let pid = s.pid("one");
    let (first, more) = ("Met the head about phonics", " — and the reading lead, “books” & <notes>");
    type_into_visit_form(&s, "one", first, more);
    assert!(Command::new("kill").args([&format!("-{sig}"), &pid]).status().expect("kill").success());
    let after = s.after_exit("one");
    assert_sane_terminal(&after);
    assert!(!alive(&pid), "the app exited");
    let draft = s.draft().expect("a draft was saved");
    assert!(draft.contains(&format!("{first}{more}")), "the whole note, typed after the timed draft too: {draft}");
    // The shell got a usable terminal back: what is typed is echoed, and runs on Enter.
    s.literal("one", "echo back-$((40+2))");
    s.wait_for("one", "echo back-$((40+2))");
    s.keys("one", &["Enter"]);
    let screen = s.wait_for("one", "\nback-42");
    assert!(!screen.contains("Log a visit"), "the app's screen is gone (alternate screen left):\n{screen}");

    // Reopen on the same file: the form offers the draft, and resuming restores the note.
    s.start("two");
    s.wait_for("two", "Active contracts");
    s.keys("two", &["v"]);
    s.wait_for("two", "Resume it?");
    s.keys("two", &["y"]);
    s.wait_for("two", "Met the head about phonics — and the reading lead");
    s.keys("two", &["C-c"]);
}

#[test]
fn sigterm_saves_the_draft_and_restores_the_terminal() {
    signal_saves_the_draft_and_restores_the_terminal("TERM");
}

#[test]
fn sighup_saves_the_draft_and_restores_the_terminal() {
    signal_saves_the_draft_and_restores_the_terminal("HUP");
}
