//! Issue #11, item 8: every line any command prints goes through the one terminal-safe writer
//! (`alliance::text`): names from a CSV and from the database, and file names, never reach the
//! terminal raw — checked on each command's real output, not only the screens.

mod common;

use alliance::text::unsafe_for_terminal;
use std::path::Path;
use std::process::{Command, Output};

fn alliance(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alliance"))
        .env_remove("ALLIANCE_DB")
        .env("ALLIANCE_CONFIG", "/nonexistent")
        .env("ALLIANCE_TODAY", common::TODAY)
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run alliance")
}

/// Nothing a terminal would obey in stdout or stderr (line ends apart).
fn safe(what: &str, o: &Output) {
    for (stream, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.chars().any(|c| c != '\n' && unsafe_for_terminal(c)),
            "{what}: raw control characters on {stream}: {text:?}"
        );
    }
}

const HOSTILE: &str = "\u{1b}[2J\u{1b}]0;pwned\u{7}\u{202e}";

#[test]
fn every_command_prints_names_and_file_names_safely() {
    let dir = common::tmp();
    let db = format!("a{HOSTILE}.db");
    let o = alliance(dir.path(), &["init", &db]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    safe("init", &o);
    let header = "URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),NumberOfPupils,Postcode\n";
    let csv = |name: &str| {
        format!(
            "{header}200001,879,Plymouth,{name},Community school,Open,Primary,200,PL1 1AA\n200001,879,Plymouth,Dup{name},Community school,Open,Primary,200,PL1 1AA\n"
        )
    };
    let file = format!("edubasealldata{HOSTILE}.csv");
    std::fs::write(dir.path().join(&file), csv(&format!("Old{HOSTILE}Name"))).expect("csv");
    let o = alliance(dir.path(), &["--db", &db, "import", "gias", &file]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    safe("import gias (added, duplicate row, from FILE)", &o);
    // Re-import with a new name: the `updated` line shows the old name from the database.
    std::fs::write(dir.path().join(&file), csv(&format!("New{HOSTILE}Name"))).expect("csv");
    let o = alliance(dir.path(), &["--db", &db, "import", "gias", &file]);
    assert!(o.status.success());
    safe("import gias (updated)", &o);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("\\u{1b}"), "shown as an escape: {out}");
    let backup = format!("b{HOSTILE}.db");
    let o = alliance(dir.path(), &["--db", &db, "backup", &backup]);
    assert!(o.status.success());
    safe("backup", &o);
    let o = alliance(dir.path(), &["--db", &db, "restore", &backup]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    safe("restore", &o);
    let pack = format!("p{HOSTILE}.md");
    let o = alliance(dir.path(), &["--db", &db, "export", "board-pack", "--out", &pack]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    safe("export", &o);
    for args in [&["status"][..], &["check"], &["settings"], &["funding"], &["render", "schools"]] {
        let mut all = vec!["--db", db.as_str()];
        all.extend_from_slice(args);
        safe(&args.join(" "), &alliance(dir.path(), &all));
    }
    let o = alliance(
        dir.path(),
        &["--db", &db, "log-visit", "--school", &format!("x{HOSTILE}"), "--days", "1", "--activity", "coaching"],
    );
    assert!(!o.status.success());
    safe("log-visit refusal", &o);
}
