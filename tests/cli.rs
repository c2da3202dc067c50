//! The real `alliance` binary: `init`, `status` (text and `--json`), exit codes and messages,
//! and an independent recomputation of the headline figures with plain SQL.

mod common;

use alliance::domain::Category;
use alliance::store::{Access, Store};
use common::*;
use rusqlite::{Connection, OpenFlags};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

/// The binary with a clean environment: no database, clock, colour or config from the host.
fn alliance(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_alliance"));
    cmd.env_remove("ALLIANCE_DB")
        .env_remove("ALLIANCE_TODAY")
        .env_remove("NO_COLOR")
        .env("ALLIANCE_CONFIG", dir.join("no-config.toml"))
        .current_dir(dir);
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Output {
    alliance(dir).args(args).output().expect("run alliance")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

/// stderr is exactly one line starting `alliance: `.
fn one_line_error(o: &Output) -> String {
    let e = stderr(o);
    assert!(e.starts_with("alliance: "), "{e:?}");
    assert_eq!(e.trim_end().lines().count(), 1, "{e:?}");
    e
}

fn status_json(dir: &Path, db: &Path, today: &str) -> Value {
    let o = run(dir, &["status", "--json", "--db", &db.display().to_string(), "--today", today]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("status --json is JSON")
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().expect("object").keys().map(String::as_str).collect()
}

fn set<'a>(names: &[&'a str]) -> BTreeSet<&'a str> {
    names.iter().copied().collect()
}

fn fixture_db(dir: &Path) -> (std::path::PathBuf, Expected) {
    let (mut store, path) = create(dir, "fixture.db");
    let want = populate(&mut store);
    drop(store);
    (path, want)
}

// ---------------------------------------------------------------- init

#[test]
fn init_creates_then_refuses_to_overwrite() {
    let dir = tmp();
    let o = run(dir.path(), &["init", "new.db", "--name", "Plymouth Hub", "--today", TODAY]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("created new.db"));
    let path = dir.path().join("new.db");
    let store = Store::open(&path, Access::ReadOnly).expect("a real alliance file");
    assert_eq!(store.settings().expect("settings").alliance_name, "Plymouth Hub");
    drop(store);
    let before = bytes(&path);

    let o = run(dir.path(), &["init", "new.db", "--today", TODAY]);
    assert_eq!(code(&o), 3);
    let e = one_line_error(&o);
    assert!(e.contains("already exists"), "{e}");
    assert_eq!(bytes(&path), before);
}

// ---------------------------------------------------------------- status --json

#[test]
fn status_json_has_the_contract_fields_and_hand_worked_values() {
    let dir = tmp();
    let (db, want) = fixture_db(dir.path());
    let j = status_json(dir.path(), &db, TODAY);

    assert_eq!(keys(&j), set(&["today", "academic_year", "term_dates", "schools", "leaders", "contracts", "alerts"]));
    // The fixture records no term dates: every weekday counts, and status says so.
    assert_eq!(j["term_dates"]["recorded"], false);
    assert_eq!(j["term_dates"]["note"], "no term dates for 2026/27");
    assert_eq!(j["today"], "2026-11-23");
    assert_eq!(j["academic_year"], "2026/27");

    assert_eq!(keys(&j["schools"]), set(&["total", "by_category", "by_status"]));
    assert_eq!(keys(&j["schools"]["by_category"]), set(&["A", "B", "C", "D"]));
    assert_eq!(keys(&j["schools"]["by_status"]), set(&["urgent", "concern", "watch", "ok"]));
    assert_eq!(j["schools"]["total"], 7);
    for (i, c) in ["A", "B", "C", "D"].iter().enumerate() {
        assert_eq!(j["schools"]["by_category"][c], want.by_category[i], "category {c}");
    }
    for (i, s) in ["urgent", "concern", "watch", "ok"].iter().enumerate() {
        assert_eq!(j["schools"]["by_status"][s], want.by_status[i], "status {s}");
    }

    let l = &j["leaders"];
    assert_eq!(
        keys(l),
        set(&["active", "capacity_days", "delivered_days", "committed_days", "available_days", "over_capacity"])
    );
    assert_eq!(l["active"], want.active_leaders);
    assert_eq!(l["capacity_days"].as_f64(), Some(want.capacity));
    assert_eq!(l["delivered_days"].as_f64(), Some(want.delivered));
    assert_eq!(l["committed_days"].as_f64(), Some(want.committed));
    assert_eq!(l["available_days"].as_f64(), Some(want.available));
    assert_eq!(l["over_capacity"], want.over_capacity);

    let c = &j["contracts"];
    assert_eq!(keys(c), set(&["live", "active", "paused", "proposed", "by_rag"]));
    assert_eq!(keys(&c["by_rag"]), set(&["green", "amber", "red", "none"]));
    for (i, k) in ["live", "active", "paused", "proposed"].iter().enumerate() {
        assert_eq!(c[k], want.contracts[i], "contracts.{k}");
    }
    for (i, k) in ["green", "amber", "red", "none"].iter().enumerate() {
        assert_eq!(c["by_rag"][k], want.by_rag[i], "by_rag.{k}");
    }

    let alerts = j["alerts"].as_array().expect("alerts array");
    let kinds: Vec<&str> = alerts.iter().map(|a| a["kind"].as_str().expect("kind")).collect();
    assert_eq!(kinds, want.alert_kinds);
    for a in alerts {
        assert_eq!(keys(a), set(&["kind", "severity", "message", "school_id", "contract_id", "leader_id"]));
        assert!(["high", "medium", "low"].contains(&a["severity"].as_str().expect("severity")));
        assert!(!a["message"].as_str().expect("message").is_empty());
    }
    // The escalation names its school, contract and leader by id; the unsupported school only
    // its school.
    assert_eq!(alerts[0]["severity"], "high");
    assert_eq!((alerts[0]["school_id"].as_i64(), alerts[0]["contract_id"].as_i64()), (Some(4), Some(3)));
    assert_eq!(alerts[0]["leader_id"].as_i64(), Some(2));
    // Castle Hill (3) has only a paused contract, Ford (6) none: both unsupported.
    for (alert, school) in [(&alerts[2], 3), (&alerts[3], 6)] {
        assert_eq!(alert["kind"], "unsupported_concern");
        assert_eq!(alert["school_id"].as_i64(), Some(school));
        assert!(alert["contract_id"].is_null() && alert["leader_id"].is_null());
    }
    assert!(alerts[2]["message"].as_str().expect("message").contains("paused support is not support"));
}

/// The academic year containing `today` (YYYY-MM-DD), September start, as ISO bounds.
fn academic_year(today: &str) -> (String, String) {
    let y: i32 = today[..4].parse().expect("year");
    let m: u32 = today[5..7].parse().expect("month");
    let start = if m >= 9 { y } else { y - 1 };
    (format!("{start}-09-01"), format!("{}-08-31", start + 1))
}

/// Recomputes the headline figures straight from the file with SQL written here (not the
/// crate's queries or rules), and compares them with `status --json`.
fn assert_json_matches_sql(db: &Path, today: &str, j: &Value) {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("plain sqlite");
    let (start, end) = academic_year(today);
    let int = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
    let real = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> f64 { conn.query_row(sql, p, |r| r.get(0)).expect(sql) };
    let close = |a: f64, b: &Value, what: &str| {
        let b = b.as_f64().unwrap_or(f64::NAN);
        assert!((a - b).abs() < 1e-9, "{what}: SQL {a} vs JSON {b}");
    };

    assert_eq!(j["academic_year"], format!("{}/{}", &start[..4], &end[2..4]));
    assert_eq!(j["schools"]["total"].as_i64(), Some(int("SELECT count(*) FROM schools")));
    for c in ["A", "B", "C", "D"] {
        let n = int(&format!("SELECT count(*) FROM schools WHERE category = '{c}'"));
        assert_eq!(j["schools"]["by_category"][c].as_i64(), Some(n), "category {c}");
    }
    let by_status = |s: &str| int(&format!("SELECT count(*) FROM contracts WHERE status = '{s}'"));
    let c = &j["contracts"];
    assert_eq!(c["active"].as_i64(), Some(by_status("active")));
    assert_eq!(c["paused"].as_i64(), Some(by_status("paused")));
    assert_eq!(c["proposed"].as_i64(), Some(by_status("proposed")));
    assert_eq!(c["live"].as_i64(), Some(by_status("active") + by_status("paused")));

    let l = &j["leaders"];
    assert_eq!(l["active"].as_i64(), Some(int("SELECT count(*) FROM leaders WHERE active = 1")));
    let capacity = real("SELECT total(days_per_year) FROM leaders WHERE active = 1", &[]);
    let delivered = real(
        "SELECT total(v.days) FROM visits v JOIN leaders l ON l.id = v.leader_id
         WHERE l.active = 1 AND v.visited_on >= ?1 AND v.visited_on <= ?2",
        &[&start, &end],
    );
    let committed = real(
        "SELECT total(max(0, c.days_commissioned
                           - (SELECT total(v.days) FROM visits v WHERE v.contract_id = c.id)))
         FROM contracts c JOIN leaders l ON l.id = c.leader_id
         WHERE l.active = 1 AND c.status IN ('active', 'paused')",
        &[],
    );
    close(capacity, &l["capacity_days"], "capacity");
    close(delivered, &l["delivered_days"], "delivered");
    close(committed, &l["committed_days"], "committed");
    close(capacity - delivered - committed, &l["available_days"], "available");
    let over: i64 = conn
        .query_row(
            "SELECT count(*) FROM leaders l WHERE l.active = 1 AND l.days_per_year
               - (SELECT total(v.days) FROM visits v
                  WHERE v.leader_id = l.id AND v.visited_on BETWEEN ?1 AND ?2)
               - (SELECT total(max(0, c.days_commissioned
                                      - (SELECT total(v.days) FROM visits v WHERE v.contract_id = c.id)))
                  FROM contracts c WHERE c.leader_id = l.id AND c.status IN ('active', 'paused')) < 0",
            [&start, &end],
            |r| r.get(0),
        )
        .expect("over capacity");
    assert_eq!(l["over_capacity"].as_i64(), Some(over));

    let mut st = conn
        .prepare(
            "SELECT coalesce((SELECT r.rag FROM reviews r WHERE r.contract_id = c.id
                              ORDER BY r.reviewed_on DESC, r.id DESC LIMIT 1), 'none') AS rag, count(*)
             FROM contracts c WHERE c.status IN ('active', 'paused') GROUP BY rag",
        )
        .expect("by rag");
    let rows: Vec<(String, i64)> =
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("query").collect::<Result<_, _>>().expect("rows");
    for k in ["green", "amber", "red", "none"] {
        let n = rows.iter().find(|(rag, _)| rag == k).map_or(0, |(_, n)| *n);
        assert_eq!(c["by_rag"][k].as_i64(), Some(n), "by_rag.{k}");
    }

    // A few alert counts whose rules are one line of SQL each.
    let alerts = j["alerts"].as_array().expect("alerts");
    let n_alerts = |kind: &str| alerts.iter().filter(|a| a["kind"] == kind).count() as i64;
    let live = "c.status IN ('active', 'paused')";
    let count_with_today = |sql: String| -> i64 { conn.query_row(&sql, [today], |r| r.get(0)).expect("count") };
    assert_eq!(
        n_alerts("past_end"),
        count_with_today(format!("SELECT count(*) FROM contracts c WHERE {live} AND c.end_on < ?1"))
    );
    assert_eq!(
        n_alerts("ending_soon"),
        count_with_today(format!(
            "SELECT count(*) FROM contracts c WHERE {live} AND c.end_on BETWEEN ?1 AND date(?1, '+14 days')"
        ))
    );
    assert_eq!(
        n_alerts("unsupported_concern"),
        count_with_today(
            "SELECT count(*) FROM schools s WHERE s.category IN ('C', 'D') AND ?1 = ?1 AND s.closed_on IS NULL
               AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.school_id = s.id AND c.status = 'active')"
                .to_string()
        )
    );
    assert_eq!(
        n_alerts("red_review"),
        count_with_today(format!(
            "SELECT count(*) FROM contracts c WHERE {live} AND ?1 = ?1 AND
               (SELECT r.rag FROM reviews r WHERE r.contract_id = c.id
                ORDER BY r.reviewed_on DESC, r.id DESC LIMIT 1) = 'red'"
        ))
    );
}

#[test]
fn status_json_agrees_with_plain_sql() {
    let dir = tmp();
    let (db, _) = fixture_db(dir.path());
    let j = status_json(dir.path(), &db, TODAY);
    assert_json_matches_sql(&db, TODAY, &j);
    // And on another day: 31 Aug 2026 is the last day of 2025/26.
    let j = status_json(dir.path(), &db, "2026-08-31");
    assert_eq!(j["academic_year"], "2025/26");
    assert_json_matches_sql(&db, "2026-08-31", &j);
}

#[test]
fn status_json_agrees_with_plain_sql_on_the_sample() {
    let dir = tmp();
    let db = dir.path().join("sample.db");
    let o = run(dir.path(), &["sample", "--out", "sample.db", "--today", TODAY]);
    assert_eq!(code(&o), 0, "alliance sample failed: {}", stderr(&o));
    let j = status_json(dir.path(), &db, TODAY);
    assert!(j["schools"]["total"].as_i64().expect("total") >= 10);
    assert!(j["contracts"]["live"].as_i64().expect("live") > 0);
    assert!(j["leaders"]["delivered_days"].as_f64().expect("delivered") > 0.0);
    assert_json_matches_sql(&db, TODAY, &j);
    assert!(!j["alerts"].as_array().expect("alerts").is_empty(), "the sample shows alerts");

    // Its text report into a pipe keeps every alert whole, dates and figures included (a terminal
    // cuts them to its width: see `status_on_a_terminal_fits_its_width`).
    let o = run(dir.path(), &["status", "--db", "sample.db", "--today", TODAY]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains('…'), "nothing is cut in a pipe:\n{out}");
    for a in j["alerts"].as_array().expect("alerts") {
        let message = a["message"].as_str().expect("message");
        assert!(out.lines().any(|l| l.ends_with(message)), "{message:?} whole:\n{out}");
    }
    assert!(out.contains("ended 11 Nov 2026 (12 days ago) but is still active"), "{out}");
}

// ---------------------------------------------------------------- status (text)

#[test]
fn status_text_is_whole_in_a_pipe_and_fits_80_columns_on_a_terminal() {
    use unicode_width::UnicodeWidthStr;
    let dir = tmp();
    let (db, _) = fixture_db(dir.path());
    // A second file with long names and large figures, to push every line.
    let (mut store, long) = create(dir.path(), "long.db");
    let mut s = store.settings().expect("settings");
    s.alliance_name = "The Exceptionally Long-Named Teaching School Hub of the South West Peninsula".into();
    store.save_settings(&s).expect("save");
    let name = "St Bartholomew's Church of England Voluntary Aided Primary and Nursery School, Devonport";
    store.insert(&school(name, Category::D)).expect("school");
    for i in 0..12 {
        let lid = store.insert(&leader(&format!("Leader {i}"), 1000.5, true)).expect("leader");
        let sid = store.insert(&school(&format!("School {i}"), Category::A)).expect("school");
        let cid = store
            .insert(&contract(sid, lid, "2026-09-01", "2027-07-16", 999.5, alliance::domain::ContractStatus::Active))
            .expect("contract");
        store.insert(&visit(cid, lid, "2026-11-20", 111.5)).expect("visit");
    }
    drop(store);

    for db in [&db, &long] {
        let o = run(dir.path(), &["status", "--db", &db.display().to_string(), "--today", TODAY]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let out = stdout(&o);
        assert!(!out.contains('\u{1b}'), "no ANSI escapes when stdout is not a terminal:\n{out}");
        assert!(out.lines().count() > 8);
        if !have_script() {
            continue;
        }
        let tty = plain_status_on_a_tty(dir.path(), db, Some(80));
        assert!(tty.lines().count() > 8);
        for line in tty.lines() {
            assert!(line.width() <= 80, "{} columns: {line:?}", line.width());
        }
        // Lines short enough to fit are the same as in the pipe.
        let fits = |l: &&str| l.width() < 80 && !l.ends_with('…');
        assert_eq!(tty.lines().filter(fits).count(), out.lines().filter(fits).count(), "{tty}\n{out}");
    }
    let o = run(dir.path(), &["status", "--db", &long.display().to_string(), "--today", TODAY]);
    let out = stdout(&o);
    // Piped, the long names are whole; on an 80-column terminal they are cut with an ellipsis.
    assert!(out.contains(name) && out.contains("South West Peninsula — status on"), "{out}");
    assert!(!out.contains('…'), "{out}");
    // Every headline figure is there in full, in the pipe and on the terminal.
    let tty = if have_script() { plain_status_on_a_tty(dir.path(), &long, Some(80)) } else { out.clone() };
    if have_script() {
        assert!(tty.contains("St Bartholomew's Church of England") && !tty.contains(name), "{tty}");
        assert!(tty.contains('…'), "long lines are cut with an ellipsis:\n{tty}");
    }
    for figure in ["12006", "1338", "10656", "available 12", "12 active"] {
        assert!(out.contains(figure) && tty.contains(figure), "{figure} missing:\n{out}\n{tty}");
    }
}

/// `status` on a terminal `columns` wide (None: a terminal that does not say), without colour,
/// with the terminal's `\r\n` line ends made `\n`.
fn plain_status_on_a_tty(dir: &Path, db: &Path, columns: Option<u16>) -> String {
    let db = db.display().to_string();
    let args = ["status", "--db", &db, "--today", TODAY];
    alliance_on_a_tty_sized(dir, &args, &[("NO_COLOR", "1")], columns).replace("\r\n", "\n")
}

#[test]
fn status_on_a_terminal_fits_its_width() {
    use unicode_width::UnicodeWidthStr;
    if !have_script() {
        println!("skipped: util-linux `script` is not available to give the binary a terminal");
        return;
    }
    let dir = tmp();
    let db = dir.path().join("sample.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample.db");
    let widest = |s: &str| s.lines().map(|l| l.width()).max().unwrap_or(0);
    let past_end = "Past end: Primroseleigh Primary Academy — EYFS (Rachel Holmes) ended 11 Nov 2026 (12 days ago) but is still active";

    // A wide terminal: lines use its width, and an alert that fits is whole.
    let wide = plain_status_on_a_tty(dir.path(), &db, Some(160));
    assert!(wide.contains(past_end), "{wide}");
    assert!(widest(&wide) <= 160 && widest(&wide) > 120, "{wide}");
    assert!(wide.contains('…'), "the longest alerts are still cut at 160 columns:\n{wide}");
    // 80 columns, a narrower terminal, or one that cannot say its size: 80 columns.
    for columns in [Some(80), Some(40), None] {
        let text = plain_status_on_a_tty(dir.path(), &db, columns);
        assert!(widest(&text) <= 80 && widest(&text) >= 78, "{columns:?}:\n{text}");
        assert!(text.contains("Past end: Primroseleigh Primary Academy — EYFS (Rachel Holmes) ended 1…"), "{text}");
    }
}

#[test]
fn status_text_cuts_wide_names_by_display_width() {
    use unicode_width::UnicodeWidthStr;
    let dir = tmp();
    let (mut store, db) = create(dir.path(), "wide.db");
    // Fewer than 80 characters, more than 80 columns: CJK and emoji take two columns each.
    let mut s = store.settings().expect("settings");
    s.alliance_name = "東京都立第一教育連携協議会の学校改善ハブ".repeat(2);
    store.save_settings(&s).expect("save");
    let cjk = "東京都立第一小学校附属幼稚園".repeat(3);
    let emoji = format!("Zoë's 🏫👩‍🏫 School {}", "🏫📚✏️".repeat(12));
    for name in [&cjk, &emoji] {
        assert!(name.chars().count() < 71 && name.width() > 71, "{name}: the old cut would not apply");
        store.insert(&school(name, Category::D)).expect("school");
    }
    drop(store);
    // Into a pipe, nothing is cut.
    let o = run(dir.path(), &["status", "--db", &db.display().to_string(), "--today", TODAY]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let piped = stdout(&o);
    assert!(piped.contains(&cjk) && piped.contains(&emoji) && !piped.contains('…'), "{piped}");
    if !have_script() {
        println!("skipped: util-linux `script` is not available to give the binary a terminal");
        return;
    }
    let out = plain_status_on_a_tty(dir.path(), &db, Some(80));
    for line in out.lines() {
        assert!(line.width() <= 80, "{} columns: {line:?}", line.width());
    }
    let first = out.lines().next().expect("title line");
    assert!(first.starts_with("東京都立") && first.ends_with('…') && first.width() >= 78, "{first:?}");
    for start in ["東京都立第一小学校", "Zoë's 🏫👩‍🏫 School"] {
        let line = out.lines().find(|l| l.contains(start)).unwrap_or_else(|| panic!("{start} missing:\n{out}"));
        assert!(line.ends_with('…'), "cut with an ellipsis: {line:?}");
    }
}

/// Runs `status` with stdout on a pseudo-terminal (via `script`), so colour would be used.
fn status_on_a_tty(dir: &Path, db: &Path, no_color: Option<&str>) -> String {
    let db = db.display().to_string();
    let env: Vec<(&str, &str)> = no_color.map(|v| ("NO_COLOR", v)).into_iter().collect();
    alliance_on_a_tty(dir, &["status", "--db", &db, "--today", TODAY], &env)
}

#[test]
fn colour_only_on_a_terminal_and_never_with_a_non_empty_no_color() {
    if !have_script() {
        println!("skipped: util-linux `script` is not available to give the binary a terminal");
        return;
    }
    let dir = tmp();
    let (db, _) = fixture_db(dir.path());
    let coloured = status_on_a_tty(dir.path(), &db, None);
    assert!(coloured.contains("\u{1b}["), "high alerts are coloured on a terminal:\n{coloured}");
    let plain = status_on_a_tty(dir.path(), &db, Some("1"));
    assert!(!plain.contains('\u{1b}'), "NO_COLOR=1 turns colour off:\n{plain}");
    // no-color.org: only a non-empty value counts; `NO_COLOR=` (set but empty) leaves colour on.
    let empty = status_on_a_tty(dir.path(), &db, Some(""));
    assert!(empty.contains("\u{1b}["), "NO_COLOR= (empty) keeps colour:\n{empty}");
    assert_eq!(empty, coloured);
    assert!(plain.contains("high"), "severity is still a word:\n{plain}");
    // Piped, the same file has no colour either (checked line by line in the 80-column test).
    assert_eq!(plain.replace("\r\n", "\n").trim_end(), coloured_free(&coloured).trim_end());
}

/// The coloured report with its SGR sequences removed: colour must be the only difference.
fn coloured_free(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out.replace("\r\n", "\n")
}

// ---------------------------------------------------------------- failures

#[test]
fn missing_file_exits_4_and_is_not_created() {
    let dir = tmp();
    let o = run(dir.path(), &["status", "--db", "nope.db", "--today", TODAY]);
    assert_eq!(code(&o), 4);
    let e = one_line_error(&o);
    assert!(e.contains("nope.db"), "{e}");
    assert!(stdout(&o).is_empty());
    assert!(!dir.path().join("nope.db").exists());
    // The bare form and $ALLIANCE_DB behave the same.
    let o = run(dir.path(), &["nope.db", "--today", TODAY]);
    assert_eq!(code(&o), 4);
    let o =
        alliance(dir.path()).env("ALLIANCE_DB", "nope.db").args(["status", "--today", TODAY]).output().expect("run");
    assert_eq!(code(&o), 4);
    assert!(!dir.path().join("nope.db").exists());
}

#[test]
fn a_mistyped_command_is_not_taken_for_a_database() {
    let dir = tmp();
    let (db, _) = fixture_db(dir.path());
    let dbs = db.display().to_string();
    // With --db, a bare word that is no file was meant as a command: refused, with the nearest.
    for args in [vec!["--db", &dbs, "stats"], vec!["stats", "--db", &dbs]] {
        let o = run(dir.path(), &args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert_eq!(one_line_error(&o).trim_end(), "alliance: `stats` is not a command — did you mean `status`?");
    }
    let o = run(dir.path(), &["--db", &dbs, "improt"]);
    assert_eq!(code(&o), 2);
    assert!(one_line_error(&o).contains("did you mean `import`?"));
    let o = run(dir.path(), &["--db", &dbs, "xyzzy"]);
    assert_eq!(code(&o), 2);
    assert!(one_line_error(&o).contains("`xyzzy` is neither a command nor a file"), "{}", stderr(&o));
    // --db and an existing bare path name two databases.
    std::fs::copy(&db, dir.path().join("other.db")).expect("copy");
    let o = run(dir.path(), &["--db", &dbs, "other.db"]);
    assert_eq!(code(&o), 2);
    assert!(one_line_error(&o).contains("two databases given"), "{}", stderr(&o));

    // Without --db, the missing file's refusal (exit 4) suggests the command before `init`.
    let o = run(dir.path(), &["stats"]);
    assert_eq!(code(&o), 4);
    let e = one_line_error(&o);
    assert!(e.starts_with("alliance: `stats` is not a command or a file — did you mean `status`?"), "{e}");
    assert!(e.contains("alliance init stats"), "{e}");
    assert!(!dir.path().join("stats").exists());
    // A file name is never taken for a command.
    let o = run(dir.path(), &["stats.db"]);
    assert_eq!(code(&o), 4);
    assert!(!stderr(&o).contains("did you mean"), "{}", stderr(&o));

    // The bare path still opens that file (here the TUI asks for a terminal: the file was read),
    // and it comes before $ALLIANCE_DB.
    let o = run(dir.path(), &[&dbs]);
    assert_eq!(code(&o), 3);
    assert!(one_line_error(&o).contains("the TUI needs a terminal"), "{}", stderr(&o));
    let o = alliance(dir.path()).env("ALLIANCE_DB", "nope.db").args([&dbs, "status"]).output().expect("run");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).starts_with("Test Alliance — status on"), "{}", stdout(&o));
    let o = alliance(dir.path()).env("ALLIANCE_DB", &dbs).args(["stats"]).output().expect("run");
    assert_eq!(code(&o), 4);
    assert!(one_line_error(&o).contains("did you mean `status`?"), "{}", stderr(&o));
}

#[test]
fn not_sqlite_exits_5_and_is_unchanged() {
    let dir = tmp();
    let path = dir.path().join("minutes.db");
    std::fs::write(&path, "Board minutes, 18 Nov 2026\n".repeat(50)).expect("write");
    let before = bytes(&path);
    for args in [vec!["status", "--db", "minutes.db"], vec!["status", "--json", "--db", "minutes.db"]] {
        let o = run(dir.path(), &[&args[..], &["--today", TODAY]].concat());
        assert_eq!(code(&o), 5);
        let e = one_line_error(&o);
        assert!(e.contains("minutes.db") && e.contains("not an alliance database"), "{e}");
        assert!(stdout(&o).is_empty());
    }
    assert_eq!(bytes(&path), before);
    assert_eq!(listing(dir.path()), ["minutes.db"]);
}

#[test]
fn impossible_today_exits_3_with_a_suggestion() {
    let dir = tmp();
    let (db, _) = fixture_db(dir.path());
    let o = run(dir.path(), &["status", "--db", &db.display().to_string(), "--today", "31/11/2026"]);
    assert_eq!(code(&o), 3);
    let e = one_line_error(&o);
    assert!(e.contains("--today") && e.contains("31/11/2026") && e.contains("no such day"), "{e}");
    assert!(e.contains("2026-11-23") || e.contains("23/11/2026"), "suggests a form that works: {e}");
    // The same from the environment.
    let o = alliance(dir.path())
        .env("ALLIANCE_TODAY", "31/11/2026")
        .args(["status", "--db", &db.display().to_string()])
        .output()
        .expect("run");
    assert_eq!(code(&o), 3);
    // UK forms are accepted.
    let j = status_json(dir.path(), &db, "23/11/2026");
    assert_eq!(j["today"], "2026-11-23");
    // So is `-3` (three days ago), which clap would otherwise take for a flag.
    let j = status_json(dir.path(), &db, "-3");
    let days_ago = chrono::Local::now().date_naive() - d(j["today"].as_str().expect("today"));
    assert!((3..=4).contains(&days_ago.num_days()), "{days_ago} (3, or 4 if midnight passed)");
}

#[test]
fn status_reads_a_read_only_file_without_changing_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmp();
    let (db, want) = fixture_db(dir.path());
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let before = bytes(&db);
    let j = status_json(dir.path(), &db, TODAY);
    assert_eq!(j["contracts"]["live"], want.contracts[0]);
    let o = run(dir.path(), &["status", "--read-only", "--db", &db.display().to_string(), "--today", TODAY]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(bytes(&db), before);
}

/// `alliance status alliance.db` reads that file (the database after a complete command is
/// taken as --db); `alliance stats alliance.db` names the command meant; a command that needs
/// its own argument says how to give the database instead.
#[test]
fn a_database_after_the_command_is_understood() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), dir.path().join("alliance.db"))
        .expect("copy");
    let o = run(dir.path(), &["--today", "2026-11-23", "status", "alliance.db"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("Plymouth Schools Alliance (sample) — status on 23 Nov 2026"), "{}", stdout(&o));
    let o = run(dir.path(), &["render", "leaders", "alliance.db", "--width", "80", "--height", "24"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("Specialisms"));
    let o = run(dir.path(), &["stats", "alliance.db"]);
    assert_eq!(code(&o), 2);
    assert!(one_line_error(&o).contains("`stats` is not a command — did you mean `status`?"), "{}", stderr(&o));
    let o = run(dir.path(), &["export", "board-pack", "alliance.db"]);
    assert_eq!(code(&o), 2);
    assert!(
        one_line_error(&o).contains("did you mean `alliance --db alliance.db export board-pack`?"),
        "{}",
        stderr(&o)
    );
}

/// `alliance man` prints the committed manual page (regenerate it with
/// `cargo run -- man > docs/alliance.1` when the commands change); completions are printed
/// for bash, zsh and fish.
#[test]
fn man_page_is_current_and_completions_print() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = run(dir.path(), &["man"]);
    assert_eq!(code(&o), 0);
    let committed = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/alliance.1"))
        .expect("docs/alliance.1 is committed");
    assert!(stdout(&o) == committed, "docs/alliance.1 is out of date: cargo run -- man > docs/alliance.1");
    for shell in ["bash", "zsh", "fish"] {
        let o = run(dir.path(), &["completions", shell]);
        assert_eq!(code(&o), 0, "{shell}");
        assert!(stdout(&o).contains("log-visit"), "{shell}");
    }
    // A bad value of a known argument is refused input (exit 3, one sentence), as for options.
    let o = run(dir.path(), &["completions", "tcsh"]);
    assert_eq!(code(&o), 3);
    assert!(String::from_utf8_lossy(&o.stderr).contains("`tcsh` is not a valid value"));
}
