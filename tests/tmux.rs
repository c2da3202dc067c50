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
        ("6", "Board decisions"),
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
    let s = t.wait_for(" of ");
    assert!(s.contains("/prim"), "filter shown in the title:\n{s}");
    t.keys(&["Enter", "Enter"]);
    t.wait_for("Soft intelligence");
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
