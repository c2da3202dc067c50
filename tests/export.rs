//! `alliance export board-pack` through the real binary: each format, escaping of hostile user
//! text, CSV injection, money to the penny, month and meeting selection, refusing to overwrite;
//! and `export::table_csv` for the TUI's list export.

mod common;

use alliance::domain::*;
use alliance::export::{BoardPack, Format, Month};
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary with a clean environment.
fn alliance(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alliance"))
        .env_remove("ALLIANCE_DB")
        .env_remove("ALLIANCE_TODAY")
        .env("ALLIANCE_CONFIG", dir.join("no-config.toml"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run alliance")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const SCRIPT_NAME: &str = "<script>alert('x')</script> Academy";
const TABLE_NAME: &str = "*Star* | `Tick` _Primary_ [Aided]";

/// A small alliance with hostile text everywhere a user can type, two funding streams and odd
/// day rates, worked out by hand:
///
/// | contract | stream | status | days × rate | delivered | committed | delivered £ |
/// |---|---|---|---|---|---|---|
/// | c1 | Forum | active | 6.5 × £350.33 = £2,277.145 → £2,277.15 | 2.5 → £875.825 → £875.83 | 227,715 | 87,583 |
/// | c2 | Forum | completed | 4 × £450 | 3 | 135,000 (what it delivered) | 135,000 |
/// | c3 | Forum | proposed | 5 × £350 = £1,750 | 0 | — (proposed 175,000) | 0 |
/// | c4 | Core | active | 3 × £550 | 0.5 | 165,000 | 27,500 |
/// | c5 | (text "School budget") | paused | 2 × £450.50 | 1 | 90,100 | 45,050 |
/// | c6 | Tiny pot (£100) | active | 1 × £350 | 0 | 35,000: £250 over-committed | 0 |
///
/// Totals: allocated £640,100 · committed £6,528.15 · delivered £2,951.33 · remaining £3,576.82 ·
/// proposed £1,750.
fn hostile_alliance(dir: &Path) -> PathBuf {
    let (mut store, path) = create(dir, "pack.db");
    let mut s = |name: &str, cat| store.insert(&school(name, cat)).expect("school");
    let s_script = s(SCRIPT_NAME, Category::D);
    let s_table = s(TABLE_NAME, Category::C);
    let s_formula = s("=SUM(A1)", Category::B);
    let s_plain = s("Drake Primary", Category::A);
    let s_unsupported = s("@x Unsupported School", Category::C);
    let _ = s_unsupported;

    let mut l = leader("@x Lead", 15.0, true);
    l.phone = "+44 1752 000000".into();
    let lead = store.insert(&l).expect("leader");
    let other = store.insert(&leader("Ann Hart", 30.0, true)).expect("leader");

    let forum = store
        .insert(&FundingStream {
            id: 0,
            name: "Schools Forum <grant>".into(),
            amount_pence: 60_000_000,
            notes: String::new(),
            stamp: Stamp::default(),
        })
        .expect("stream");
    let core = store
        .insert(&FundingStream {
            id: 0,
            name: "Hub core funding".into(),
            amount_pence: 4_000_000,
            notes: String::new(),
            stamp: Stamp::default(),
        })
        .expect("stream");

    let tiny = store
        .insert(&FundingStream {
            id: 0,
            name: "Tiny pot".into(),
            amount_pence: 10_000,
            notes: String::new(),
            stamp: Stamp::default(),
        })
        .expect("stream");

    let mut c = |sch, ld, days, rate, st, stream: Option<i64>, funding: &str, focus: &str| {
        let mut k = contract(sch, ld, "2026-09-07", "2027-03-31", days, st);
        k.day_rate_pence = rate;
        k.funding_stream_id = stream;
        k.funding = funding.into();
        k.focus = focus.into();
        store.insert(&k).expect("contract")
    };
    use ContractStatus::*;
    let c1 = c(s_script, lead, 6.5, 35_033, Active, Some(forum), "", "Leadership <b>now</b>");
    let c2 = c(s_table, other, 4.0, 45_000, Completed, Some(forum), "", "Maths");
    c(s_formula, other, 5.0, 35_000, Proposed, Some(forum), "", "-5 writing");
    let c4 = c(s_plain, lead, 3.0, 55_000, Active, Some(core), "", "Phonics");
    let c5 = c(s_table, other, 2.0, 45_050, Paused, None, "School budget", "Attendance");
    c(s_plain, other, 1.0, 35_000, Active, Some(tiny), "", "Governance");

    for (ct, ld, on, days) in [
        (c1, lead, "2026-09-21", 1.0),
        (c1, lead, "2026-10-12", 1.5),
        (c2, other, "2026-09-14", 3.0),
        (c4, lead, "2026-10-01", 0.5),
        (c5, other, "2026-09-30", 1.0),
    ] {
        let mut v = visit(ct, ld, on, days);
        v.notes = "=HYPERLINK(\"x\")\nsecond line".into();
        store.insert(&v).expect("visit");
    }
    store.insert(&review(c1, "2026-11-02", Rag::Red, Some("2026-12-14"), true)).expect("review");

    let nov = store
        .insert(&Meeting {
            id: 0,
            held_on: d("2026-11-11"),
            notes: "# Minutes\n<i>draft</i>".into(),
            stamp: Stamp::default(),
        })
        .expect("meeting");
    let oct = store
        .insert(&Meeting { id: 0, held_on: d("2026-10-14"), notes: String::new(), stamp: Stamp::default() })
        .expect("meeting");
    let decision = |meeting, school, text: &str, owner: &str, due: Option<&str>, done| Decision {
        id: 0,
        meeting_id: meeting,
        school_id: school,
        contract_id: None,
        kind: DecisionKind::Monitor,
        category: None,
        text: text.into(),
        owner: owner.into(),
        due_on: due.map(d),
        done,
        stamp: Stamp::default(),
    };
    store
        .insert(&decision(oct, Some(s_plain), "October: visit Drake", "Hub director", Some("2026-11-01"), false))
        .expect("d");
    store.insert(&decision(nov, Some(s_script), "-5 days | *chase*", "@owner", Some("2026-11-20"), false)).expect("d");
    store.insert(&decision(nov, None, "Write to the DfE", "+44 1752 000000", Some("2026-12-02"), false)).expect("d");
    store.insert(&decision(nov, Some(s_formula), "Already done", "Chair", Some("2026-11-12"), true)).expect("d");
    path
}

fn export(dir: &Path, db: &Path, month: &str, format: &str, out: &str) -> Output {
    alliance(
        dir,
        &[
            "export",
            "board-pack",
            "--db",
            &db.display().to_string(),
            "--today",
            TODAY,
            "--month",
            month,
            "--format",
            format,
            "--out",
            out,
        ],
    )
}

fn exported(dir: &Path, db: &Path, format: &str) -> String {
    let out = format!("pack.{format}");
    let o = export(dir, db, "2026-11", format, &out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    std::fs::read_to_string(dir.join(out)).expect("pack written")
}

#[test]
fn markdown_escapes_user_text_and_sums_money() {
    let dir = tmp();
    let db = hostile_alliance(dir.path());
    let md = exported(dir.path(), &db, "md");
    assert!(md.starts_with("# Board pack — November 2026\n"), "{md}");
    assert!(md.contains("board meeting of 11 Nov 2026"));
    // The headline sets the streams' commitments beside their amounts, and the rest apart:
    // c1 + c2 + c4 + c6 = £5,627.15 against £640,100; c5 (no stream) £901.
    assert!(
        md.contains("**Budget**: £5,627.15 committed of £640,100 in funding streams (+ £901 from other funding)"),
        "{md}"
    );
    // No raw markup from user text survives.
    assert!(!md.contains("<script>") && !md.contains("<b>") && !md.contains("<i>"), "{md}");
    assert!(md.contains("\\<script\\>alert('x')\\</script\\> Academy"), "{md}");
    assert!(md.contains("\\*Star\\* \\| \\`Tick\\` \\_Primary\\_ \\[Aided\\]"), "{md}");
    assert!(md.contains("Schools Forum \\<grant\\>"));
    // Meeting notes: a leading `#` is not a heading; the line break is joined.
    assert!(md.contains("> \\# Minutes / \\<i\\>draft\\</i\\>"), "{md}");
    // Every table row has the header's number of cells: no user `|` broke a table.
    for block in md.split("\n\n").filter(|b| b.starts_with("| ")) {
        let mut lines = block.lines();
        let cells = |l: &str| l.replace("\\|", "").matches('|').count();
        let head = cells(lines.next().expect("header"));
        for l in lines {
            assert_eq!(cells(l), head, "{l}");
        }
    }
    // Money to the penny (see hostile_alliance).
    assert!(md.contains("£2,277.15"), "c1 price");
    assert!(md.contains("| **Total** | £640,100 | £6,528.15 | £2,951.33 | £3,576.82 | — | £1,750 | 6 |"), "{md}");
    assert!(md.contains("| Tiny pot | £100 | £350 | £0 | £350 | **-£250 (over-committed)** | £0 | 1 |"), "{md}");
    assert!(
        md.contains(
            "| Schools Forum \\<grant\\> | £600,000 | £3,627.15 | £2,225.83 | £1,401.32 | £596,372.85 | £1,750 | 3 |"
        ),
        "{md}"
    );
    assert!(md.contains("| School budget | — | £901 | £450.50 | £450.50 | — | £0 | 1 |"), "{md}");
    // Agenda: unsupported C schools (one with none, one with its support paused — paused
    // support is not support), red+escalated review, proposed contract, overdue decisions.
    for heading in [
        "### Schools of concern without support (2)",
        "### Red or escalated reviews (1)",
        "### Proposed contracts awaiting a decision (1)",
        "### Decisions past their due date (2)",
    ] {
        assert!(md.contains(heading), "{heading}\n{md}");
    }
    assert!(md.contains("**2 overdue** as of 23 Nov 2026."));
    assert!(md.contains("**1 Nov 2026 — overdue**"));
}

#[test]
fn html_is_self_contained_printable_and_escaped() {
    let dir = tmp();
    let db = hostile_alliance(dir.path());
    let html = exported(dir.path(), &db, "html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    let lower = html.to_lowercase();
    for banned in ["http", "<script", "<link", "src=", "@import", "<b>now", "<i>draft"] {
        assert!(!lower.contains(banned), "found {banned}");
    }
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Academy"));
    assert!(html.contains("Leadership &lt;b&gt;now&lt;/b&gt;"));
    assert!(html.contains("@media print"));
    assert_eq!(html.matches("<svg").count(), 3, "status, capacity and budget charts");
    assert!(html.contains("aria-label=\"Leader capacity\""));
    assert!(html.contains("£6,528.15") && html.contains("£2,951.33") && html.contains("£3,576.82"));
    assert!(html.contains("£250 over-committed (350%)"), "budget chart says it in words");
    assert!(html.contains("2 overdue"));
    assert!(html.trim_end().ends_with("</html>"));
}

/// Every cell of a CSV file, row by row.
fn cells(text: &str) -> Vec<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    rdr.records().map(|r| r.expect("csv record").iter().map(str::to_string).collect()).collect()
}

/// The data rows of one section (after its title and header rows).
fn section(all: &[Vec<String>], title: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let start = all.iter().position(|r| r.len() == 1 && r[0].trim_start_matches('\u{feff}') == title).expect(title);
    let header = all[start + 1].clone();
    // Sections are separated by an empty line (which CSV readers skip) and start with a one-cell
    // title row; every other row has two cells or more.
    let rows = all[start + 2..].iter().take_while(|r| r.len() > 1).cloned().collect();
    (header, rows)
}

#[test]
fn csv_neutralises_formulas_and_keeps_numbers() {
    let dir = tmp();
    let db = hostile_alliance(dir.path());
    let text = exported(dir.path(), &db, "csv");
    assert!(text.starts_with('\u{feff}'), "BOM for spreadsheets");
    assert!(text.contains("\r\n"));
    let all = cells(&text);
    let flat: Vec<&String> = all.iter().flatten().collect();
    // No cell a spreadsheet would run: anything starting = + - @ is a plain number we computed.
    for c in &flat {
        if c.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            assert!(c.parse::<f64>().is_ok(), "unsafe cell {c:?}");
        }
    }
    for needle in ["'=SUM(A1)", "'@x Lead", "'-5 days | *chase*", "'+44 1752 000000", "'@owner"] {
        assert!(flat.iter().any(|c| c.as_str() == needle), "{needle} missing");
    }
    // The proposed contract's focus starts its agenda line, so the whole cell is neutralised.
    assert!(flat.iter().any(|c| c.starts_with("'-5 writing with Ann Hart")));
    let (header, budget) = section(&all, "Budget");
    assert_eq!(header[..4], ["Funding", "Kind", "Amount (£)", "Committed (£)"]);
    let total = budget.iter().find(|r| r[1] == "total").expect("total row");
    assert_eq!(total[2..6], ["640100.00", "6528.15", "2951.33", "3576.82"]);
    assert_eq!(total[7], "1750.00");
    // The sum of the lines is the total, to the penny.
    let pence = |s: &str| (s.parse::<f64>().expect("number") * 100.0).round() as i64;
    let sum: i64 = budget.iter().filter(|r| r[1] != "total").map(|r| pence(&r[3])).sum();
    assert_eq!(sum, 652_815);
    let tiny = budget.iter().find(|r| r[0] == "Tiny pot").expect("tiny pot");
    assert_eq!(tiny[6..], ["-250.00", "0.00", "1", "yes"]);
    let (_, leaders) = section(&all, "Leader capacity");
    assert!(leaders.iter().any(|r| r[0] == "'@x Lead"));
    let (_, due) = section(&all, "Open decisions");
    assert_eq!(due.iter().filter(|r| r[1] == "yes").count(), 2, "{due:?}");
    let (_, meta) = section(&all, "Board pack");
    assert!(meta.contains(&vec!["Board meeting".to_string(), "2026-11-11".to_string()]));
}

#[test]
fn refuses_to_overwrite_without_force_and_rejects_bad_arguments() {
    let dir = tmp();
    let db = hostile_alliance(dir.path());
    std::fs::write(dir.path().join("keep.md"), "mine").expect("write");
    let o = export(dir.path(), &db, "2026-11", "md", "keep.md");
    assert_eq!(code(&o), 3);
    assert!(stderr(&o).contains("keep.md already exists") && stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(dir.path().join("keep.md")).expect("read"), "mine");

    let dbs = db.display().to_string();
    let o = alliance(
        dir.path(),
        &["export", "board-pack", "--db", &dbs, "--today", TODAY, "--month", "2026-11", "--out", "keep.md", "--force"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(std::fs::read_to_string(dir.path().join("keep.md")).expect("read").starts_with("# Board pack"));

    // A bad value of a known option is refused input (exit 3), in one sentence.
    let o = export(dir.path(), &db, "2026-13", "md", "x.md");
    assert_eq!(code(&o), 3);
    assert!(stderr(&o).contains("the month part must be 01 to 12"), "{}", stderr(&o));
    let o = export(dir.path(), &db, "2026-11", "pdf", "x.pdf");
    assert_eq!(code(&o), 3);
    assert!(stderr(&o).contains("pdf"), "{}", stderr(&o));
    let o = alliance(dir.path(), &["export", "board-pack", "--db", &dbs, "--today", TODAY, "--out", "pack.txt"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("choose a format with --format md, html or csv"), "{}", stderr(&o));
    assert!(!dir.path().join("x.md").exists() && !dir.path().join("pack.txt").exists());
}

#[test]
fn month_selects_the_meeting_and_stdout_works() {
    let dir = tmp();
    let db = hostile_alliance(dir.path());
    let o = export(dir.path(), &db, "2026-10", "md", "-");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let md = String::from_utf8(o.stdout).expect("utf-8");
    assert!(md.starts_with("# Board pack — October 2026"));
    assert!(md.contains("board meeting of 14 Oct 2026"));
    assert!(md.contains("### Taken at the meeting of 14 Oct 2026"));
    assert!(md.contains("October: visit Drake"));
    let o = export(dir.path(), &db, "2027-01", "md", "-");
    let md = String::from_utf8(o.stdout).expect("utf-8");
    assert!(md.contains("no board meeting recorded in January 2027"), "{md}");
    assert!(!md.contains("### Taken at"));
}

/// Clear screen, an OSC 52 clipboard write and a title change; with a C1 CSI and a
/// right-to-left override, the kinds of text a shared file could use to drive a terminal.
const ESCAPES: &str = "\u{1b}[2J\u{1b}]52;c;cm0gLXJmIH4K\u{7}\u{1b}]0;pwned\u{7} \u{9b}31m \u{202e}gnp.exe\u{202c}";

/// Control characters other than line breaks (`\n`, `\r\n`), and bidi overrides and isolates.
fn raw_controls(s: &str) -> Vec<char> {
    let mut chars = s.chars().peekable();
    let mut bad = Vec::new();
    while let Some(c) = chars.next() {
        let line_break = c == '\n' || (c == '\r' && chars.peek() == Some(&'\n'));
        if !line_break && (c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')) {
            bad.push(c);
        }
    }
    bad
}

#[test]
fn stdout_pack_is_exact_in_a_pipe_and_escaped_on_a_terminal() {
    let dir = tmp();
    let (mut store, db) = create(dir.path(), "escapes.db");
    let name = format!("Esc {ESCAPES} Primary");
    let sid = store.insert(&school(&name, Category::C)).expect("school");
    let meeting = store
        .insert(&Meeting { id: 0, held_on: d("2026-11-11"), notes: String::new(), stamp: Stamp::default() })
        .expect("meeting");
    store
        .insert(&Decision {
            id: 0,
            meeting_id: meeting,
            school_id: Some(sid),
            contract_id: None,
            kind: DecisionKind::Monitor,
            category: None,
            text: format!("Chase {ESCAPES}"),
            owner: "Chair".into(),
            due_on: Some(d("2026-11-20")),
            done: false,
            stamp: Stamp::default(),
        })
        .expect("decision");
    drop(store);
    for format in ["csv", "md"] {
        // Into a pipe: exactly the bytes `--out FILE` writes, escape sequences and all.
        let file = format!("pack.{format}");
        let o = export(dir.path(), &db, "2026-11", format, &file);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let written = std::fs::read(dir.path().join(&file)).expect("pack written");
        let o = export(dir.path(), &db, "2026-11", format, "-");
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert!(o.stdout == written, "{format}: piped --out - differs from --out {file}");
        assert!(String::from_utf8_lossy(&written).contains('\u{202e}'), "{format}: the file keeps the override");
        // The function that decides: bytes untouched for a pipe, escaped for a terminal.
        assert!(alliance::cli::pack_for_stdout(written.clone(), false) == written);
        let shown = String::from_utf8(alliance::cli::pack_for_stdout(written.clone(), true)).expect("utf-8");
        assert_eq!(raw_controls(&shown), [], "{format} on a terminal:\n{}", shown.escape_debug());
        assert!(shown.contains("\\u{202e}gnp.exe\\u{202c}"), "{format}: shown as escapes:\n{shown}");
        assert_eq!(shown.lines().count(), String::from_utf8_lossy(&written).lines().count(), "{format}: same lines");
        // Through a real terminal (util-linux `script`), when there is one to be had.
        if have_script() {
            let dbs = db.display().to_string();
            let args =
                ["export", "board-pack", "--db", &dbs, "--today", TODAY, "--month", "2026-11", "--format", format];
            // The terminal's own line discipline writes each `\n` as `\r\n`: undo that first.
            let tty = alliance_on_a_tty(dir.path(), &[&args[..], &["--out", "-"]].concat(), &[]).replace("\r\n", "\n");
            assert_eq!(raw_controls(&tty), [], "{format} on a terminal:\n{}", tty.escape_debug());
            assert!(tty.contains("Board pack") && tty.contains("\\u{202e}gnp.exe"), "{tty}");
        }
    }
    // The CSV keeps the name exactly, as one cell.
    let csv = std::fs::read_to_string(dir.path().join("pack.csv")).expect("csv");
    assert!(csv.contains("\u{1b}[2J"), "the CSV file keeps the escape sequence");
    assert!(cells(&csv).iter().flatten().any(|c| *c == name), "the name is one exact cell");
}

#[test]
fn the_pack_is_data_that_writers_share() {
    let dir = tmp();
    let db = hostile_alliance(dir.path());
    let store = alliance::store::Store::open(&db, alliance::store::Access::ReadOnly).expect("open");
    let month = Month::parse("2026-11").expect("month");
    let pack = BoardPack::build(&store, month, d(TODAY)).expect("pack");
    assert_eq!(pack.meeting().map(|m| m.held_on), Some(d("2026-11-11")));
    assert_eq!(pack.decisions_taken.len(), 3);
    assert_eq!(pack.contracts.len(), 4, "live contracts: c1, c4, c5, c6");
    assert_eq!(pack.budget.total.committed_pence, 652_815);
    assert!(pack.budget.streams.iter().any(|l| l.name == "Tiny pot" && l.over_committed()));
    assert_eq!(pack.budget.total.delivered_pence, 295_133);
    for f in Format::ALL {
        assert!(!alliance::export::render(&pack, f).is_empty());
    }
}

#[test]
fn table_csv_exports_any_list_safely() {
    let csv = alliance::export::table_csv(
        &["School", "Phone", "Notes"],
        &[vec!["St Mary's, \"Aided\"", "+44 1752 000000", "=SUM(A1)"], vec!["@x", "-5", "two\nlines"]],
    );
    let all = cells(&csv);
    assert_eq!(all[0][0].trim_start_matches('\u{feff}'), "School");
    assert_eq!(all[1], ["St Mary's, \"Aided\"", "'+44 1752 000000", "'=SUM(A1)"]);
    assert_eq!(all[2], ["'@x", "'-5", "two\nlines"]);
}

#[test]
fn the_sample_exports_in_every_format() {
    let dir = tmp();
    let o = alliance(dir.path(), &["sample", "--out", "s.db", "--today", TODAY]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let db = dir.path().join("s.db");
    for f in ["md", "html", "csv"] {
        let text = exported(dir.path(), &db, f);
        assert!(text.contains("Plymouth") || text.contains("alliance"), "{f}");
        assert!(text.len() > 5_000, "{f}: {} bytes", text.len());
    }
}

/// The permission bits of a file.
#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("exported file").permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn exported_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmp();
    let db = hostile_alliance(dir.path());
    let dbs = db.display().to_string();
    // Under the usual umask (022) a plain file would come out 0644, readable by everyone on a
    // shared server; the pack holds visit notes about named staff, like the database (0600).
    let umask_022 = |args: &[&str]| {
        Command::new("sh")
            .arg("-c")
            .arg("umask 022 && exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_alliance"))
            .args(args)
            .env_remove("ALLIANCE_DB")
            .env_remove("ALLIANCE_TODAY")
            .env("ALLIANCE_CONFIG", dir.path().join("no-config.toml"))
            .current_dir(dir.path())
            .output()
            .expect("run alliance")
    };
    for f in ["md", "html", "csv"] {
        let out = format!("pack.{f}");
        let o = umask_022(&["export", "board-pack", "--db", &dbs, "--today", TODAY, "--out", &out]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert_eq!(mode(&dir.path().join(&out)), 0o600, "{out}");
    }
    // Replacing a world-readable file with --force leaves an owner-only one.
    let old = dir.path().join("old.md");
    std::fs::write(&old, "old").expect("write");
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let o = umask_022(&["export", "board-pack", "--db", &dbs, "--today", TODAY, "--out", "old.md", "--force"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(std::fs::read_to_string(&old).expect("read").starts_with("# Board pack"));
    assert_eq!(mode(&old), 0o600);
}
