//! Issue #11, items 6, 7, 9–12: input that must be refused cleanly — one sentence, the
//! documented exit code, nothing changed — through the real binary.

mod common;

use std::path::{Path, PathBuf};
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

fn sample(dir: &Path) -> PathBuf {
    let db = dir.join("a.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy");
    db
}

/// One line on stderr, starting `alliance: `, at most `max` bytes, and the exit code.
fn refused(o: &Output, code: i32, max: usize) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert!(err.starts_with("alliance: "), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.len() <= max, "{} bytes: {err}", err.len());
    err
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db).expect("open").query_row(sql, [], |r| r.get(0)).expect("count")
}

const GIAS_HEADER: &str = "\"URN\",\"LA (code)\",\"LA (name)\",\"EstablishmentName\",\"TypeOfEstablishment (name)\",\"EstablishmentStatus (name)\",\"PhaseOfEducation (name)\",\"NumberOfPupils\",\"Postcode\"\r\n";

fn gias_row(i: usize) -> String {
    format!(
        "\"{}\",\"879\",\"Plymouth\",\"School number {i}\",\"Community school\",\"Open\",\"Primary\",\"200\",\"PL1 1AA\"\r\n",
        200_000 + i
    )
}

/// Item 6: a stray `"` on row 2 of a 1,001-row file swallowed 999 rows and reported "Saved".
#[test]
fn a_csv_with_an_unbalanced_quote_is_refused_with_its_line_and_nothing_saved() {
    let dir = common::tmp();
    let db = sample(dir.path());
    let before = count(&db, "SELECT count(*) FROM schools");
    let mut csv = GIAS_HEADER.replace('"', "");
    csv.push_str("200000,879,Plymouth,\"Stray Quote School,Community school,Open,Primary,200,PL1 1AA\r\n");
    for i in 1..1001 {
        csv.push_str(&gias_row(i).replace('"', ""));
    }
    let file = dir.path().join("edubasealldata.csv");
    std::fs::write(&file, csv).expect("write");
    let o = alliance(dir.path(), &["--db", "a.db", "import", "gias", "edubasealldata.csv"]);
    let err = refused(&o, 3, 300);
    assert!(err.contains("line 2"), "{err}");
    assert_eq!(count(&db, "SELECT count(*) FROM schools"), before, "nothing saved");
}

/// Item 7: only regular files are imported; a FIFO used to hang and `/dev/zero` to exhaust memory.
#[test]
fn imports_read_only_regular_files() {
    let dir = common::tmp();
    sample(dir.path());
    let fifo = dir.path().join("pipe.csv");
    assert!(Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    for special in [fifo.to_str().expect("utf-8"), "/dev/zero"] {
        let started = std::time::Instant::now();
        let o = alliance(dir.path(), &["--db", "a.db", "import", "gias", special]);
        let err = refused(&o, 3, 300);
        assert!(err.contains("not a regular file"), "{err}");
        assert!(started.elapsed().as_secs() < 10);
    }
}

/// Item 9: skips are listed in file order (a row refused while saving came after those
/// refused while reading), with CRLF line numbers right.
#[test]
fn skips_are_listed_in_file_order_with_crlf_line_numbers() {
    let dir = common::tmp();
    sample(dir.path());
    let mut csv = String::from(GIAS_HEADER);
    csv.push_str(&gias_row(1)); // line 2
    // Line 3: refused while saving (the name is too long for a school).
    csv.push_str(&format!(
        "\"200002\",\"879\",\"Plymouth\",\"{}\",\"Community school\",\"Open\",\"Primary\",\"200\",\"PL1 1AA\"\r\n",
        "N".repeat(300)
    ));
    csv.push_str(
        "\"abc\",\"879\",\"Plymouth\",\"Bad URN\",\"Community school\",\"Open\",\"Primary\",\"200\",\"PL1 1AA\"\r\n",
    ); // line 4
    std::fs::write(dir.path().join("edubasealldata.csv"), csv).expect("write");
    let o = alliance(dir.path(), &["--db", "a.db", "import", "gias", "edubasealldata.csv"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let l3 = out.find("line 3:").unwrap_or_else(|| panic!("line 3 listed: {out}"));
    let l4 = out.find("line 4:").unwrap_or_else(|| panic!("line 4 listed: {out}"));
    assert!(l3 < l4, "file order: {out}");
}

/// Item 10: `export --force` only ever replaces a regular file (a FIFO or a symlink became a
/// regular file).
#[test]
fn export_force_never_replaces_a_special_file() {
    let dir = common::tmp();
    sample(dir.path());
    let fifo = dir.path().join("pack.md");
    assert!(Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    let target = dir.path().join("real.md");
    std::fs::write(&target, "keep").expect("write");
    let link = dir.path().join("link.md");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    for out in ["pack.md", "link.md"] {
        let o = alliance(dir.path(), &["--db", "a.db", "export", "board-pack", "--out", out, "--force"]);
        let err = refused(&o, 3, 300);
        assert!(err.contains("not a regular file"), "{err}");
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo).expect("fifo").file_type().is_fifo());
    assert!(std::fs::symlink_metadata(&link).expect("link").file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).expect("target"), "keep");
    // A regular file is still replaced with --force.
    let o = alliance(dir.path(), &["--db", "a.db", "export", "board-pack", "--out", "real.md", "--force"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Item 11: absurd dates are refused with the reason, and nothing is logged.
#[test]
fn absurd_dates_are_refused() {
    let dir = common::tmp();
    let db = sample(dir.path());
    let before = count(&db, "SELECT count(*) FROM visits");
    let contract =
        count(&db, "SELECT id FROM contracts WHERE status = 'active' AND start_on >= '2026-09-01' ORDER BY id LIMIT 1");
    let c = contract.to_string();
    for (date, phrase) in [
        ("1900-01-01", "before"),
        ("23/11/0026", "before"),
        ("2040-01-01", "years ahead"),
        ("2025-01-02", "a year before"),
    ] {
        let o = alliance(
            dir.path(),
            &["--db", "a.db", "log-visit", "--contract", &c, "--date", date, "--days", "1", "--activity", "coaching"],
        );
        let err = refused(&o, 3, 300);
        assert!(err.contains(phrase), "{date}: {err}");
    }
    assert_eq!(count(&db, "SELECT count(*) FROM visits"), before);
}

/// Item 12: a bad value of a known flag exits 3 in one sentence; an unknown flag exits 2;
/// creating a file where one may not write exits 7.
#[test]
fn exit_codes_for_bad_values_unknown_flags_and_permissions() {
    let dir = common::tmp();
    sample(dir.path());
    for args in [
        &["--db", "a.db", "match", "--school", "x", "--focus", "y", "--top", "-1"][..],
        &["--db", "a.db", "match", "--school", "x", "--focus", "y", "--days", "-inf"],
        &["--db", "a.db", "funding", "add", "X", "--amount", "-5"],
        &["--db", "a.db", "render", "dashboard", "--width", "5"],
    ] {
        refused(&alliance(dir.path(), args), 3, 200);
    }
    let long = "9".repeat(5000);
    let err = refused(
        &alliance(dir.path(), &["--db", "a.db", "match", "--school", "x", "--focus", "y", "--top", &long]),
        3,
        200,
    );
    assert!(err.contains('…'), "the echoed value is cut: {err}");
    let o = alliance(dir.path(), &["--db", "a.db", "status", "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    // /sys refuses new files even to root.
    for args in [&["init", "/sys/alliance-test.db"][..], &["--db", "a.db", "backup", "/sys/alliance-test.db"]] {
        let err = refused(&alliance(dir.path(), args), 7, 300);
        assert!(err.contains("permission denied"), "{err}");
    }
    let err = refused(
        &alliance(dir.path(), &["--db", "a.db", "export", "board-pack", "--out", "/sys/alliance-test.md"]),
        7,
        300,
    );
    assert!(err.contains("permission denied"), "{err}");
}
