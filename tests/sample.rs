//! `alliance sample`, through the real binary: the same seed and date give the same data, the
//! committed `sample.db` is exactly what the generator makes, every alert kind and school
//! status is on show, the counts look like a real city alliance, and the file is sound.

use alliance::metrics::{AlertKind, Snapshot, Status};
use alliance::store::{Access, Store};
use chrono::NaiveDate;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TODAY: &str = "2026-11-23";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid date")
}

/// The binary with a clean environment: no database, clock or config from the host.
fn alliance(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_alliance"));
    cmd.env_remove("ALLIANCE_DB")
        .env_remove("ALLIANCE_TODAY")
        .env("ALLIANCE_CONFIG", dir.join("no-config.toml"))
        .current_dir(dir);
    cmd
}

fn sample_cmd(dir: &Path, out: &Path, seed: u64, today: &str, schools: Option<u32>) -> Output {
    let mut cmd = alliance(dir);
    cmd.arg("sample").arg("--out").arg(out).args(["--seed", &seed.to_string(), "--today", today]);
    if let Some(n) = schools {
        cmd.args(["--schools", &n.to_string()]);
    }
    cmd.output().expect("run alliance sample")
}

/// Generates a sample into `dir/name` and returns its path and the report line.
fn generate(dir: &Path, name: &str, seed: u64, today: &str, schools: Option<u32>) -> (PathBuf, String) {
    let out = dir.join(name);
    let o = sample_cmd(dir, &out, seed, today, schools);
    assert!(o.status.success(), "alliance sample failed: {}", String::from_utf8_lossy(&o.stderr));
    (out, String::from_utf8(o.stdout).expect("utf-8 report"))
}

fn open_ro(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open read-only")
}

/// Every table's rows (ordered by rowid) as text, plus the schema and header pragmas: two
/// files compare equal here exactly when they hold the same data.
fn dump(path: &Path) -> Vec<String> {
    let conn = open_ro(path);
    let mut out = Vec::new();
    for pragma in ["user_version", "application_id", "journal_mode"] {
        let v: rusqlite::types::Value = conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0)).expect("pragma");
        out.push(format!("PRAGMA {pragma} = {v:?}"));
    }
    let mut st =
        conn.prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name").expect("schema");
    let schema: Vec<(String, String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("schema rows")
        .collect::<Result<_, _>>()
        .expect("schema rows");
    for (kind, name, sql) in &schema {
        out.push(format!("{kind} {name}: {sql}"));
    }
    for (_, table, _) in schema.iter().filter(|(k, _, _)| k == "table") {
        let mut st = conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid")).expect("select");
        let n = st.column_count();
        let mut rows = st.query([]).expect("query");
        while let Some(row) = rows.next().expect("row") {
            let cells: Vec<String> = (0..n)
                .map(|i| match row.get_ref(i).expect("cell") {
                    ValueRef::Null => "NULL".to_string(),
                    ValueRef::Integer(x) => x.to_string(),
                    ValueRef::Real(x) => format!("{x:?}"),
                    ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                    ValueRef::Blob(b) => format!("x'{}'", b.iter().map(|x| format!("{x:02x}")).collect::<String>()),
                })
                .collect();
            out.push(format!("{table}: {}", cells.join(" | ")));
        }
    }
    out
}

/// Where two dumps first differ, for a readable failure.
fn first_difference(a: &[String], b: &[String]) -> String {
    match a.iter().zip(b).position(|(x, y)| x != y) {
        Some(i) => format!("first difference at line {i}:\n  {}\n  {}", a[i], b[i]),
        None => format!("one dump is longer: {} vs {} lines", a.len(), b.len()),
    }
}

fn snapshot(path: &Path) -> Snapshot {
    let store = Store::open(path, Access::ReadOnly).expect("open sample");
    store.snapshot(today()).expect("snapshot")
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn words(conn: &Connection, sql: &str) -> BTreeSet<String> {
    let mut st = conn.prepare(sql).expect("prepare");
    st.query_map([], |r| r.get::<_, String>(0)).expect("query").collect::<Result<_, _>>().expect("rows")
}

fn set(xs: &[&str]) -> BTreeSet<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

fn assert_every_alert_and_status(snap: &Snapshot, what: &str) {
    let kinds: BTreeSet<AlertKind> = snap.alerts.iter().map(|a| a.kind).collect();
    // Every kind the design names, and board decisions past due. An over-committed funding
    // stream is not staged in the sample (its grants are realistic and well within budget);
    // that rule is proven by the metrics unit tests and the board-pack export tests.
    for k in AlertKind::ALL.into_iter().filter(|k| *k != AlertKind::StreamOverCommitted) {
        assert!(kinds.contains(&k), "{what}: no {} alert; got {kinds:?}", k.as_str());
    }
    let statuses: BTreeSet<Status> = snap.schools.iter().map(|s| s.status).collect();
    for s in Status::ALL {
        assert!(statuses.contains(&s), "{what}: no school with status {}", s.label());
    }
}

#[test]
fn same_seed_and_date_give_the_same_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, report_a) = generate(dir.path(), "a.db", 2026, TODAY, None);
    let (b, report_b) = generate(dir.path(), "b.db", 2026, TODAY, None);
    let (da, db) = (dump(&a), dump(&b));
    assert!(da == db, "same seed, different data: {}", first_difference(&da, &db));
    assert_eq!(report_a.replace("a.db", "X"), report_b.replace("b.db", "X"));
}

#[test]
fn a_different_seed_gives_different_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, _) = generate(dir.path(), "a.db", 2026, TODAY, None);
    let (b, _) = generate(dir.path(), "b.db", 2027, TODAY, None);
    let (da, db) = (dump(&a), dump(&b));
    assert_ne!(da, db);
    let names = |p: &Path| words(&open_ro(p), "SELECT name FROM schools");
    assert_ne!(names(&a), names(&b), "a different seed should name different schools");
    assert_every_alert_and_status(&snapshot(&b), "seed 2027");
}

#[test]
fn the_committed_sample_is_what_the_generator_makes() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db");
    assert!(committed.exists(), "sample.db is missing: run scripts/make-sample.sh");
    let dir = tempfile::tempdir().expect("tempdir");
    // Read a copy, so nothing (not even a -shm file) appears next to the committed file.
    let copy = dir.path().join("committed.db");
    std::fs::copy(&committed, &copy).expect("copy sample.db");
    let (fresh, _) = generate(dir.path(), "fresh.db", 2026, TODAY, None);
    let (dc, df) = (dump(&copy), dump(&fresh));
    assert!(
        dc == df,
        "sample.db is out of date — regenerate it with scripts/make-sample.sh ({})",
        first_difference(&dc, &df)
    );
    let wal = committed.with_extension("db-wal");
    assert!(!wal.exists() || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) == 0);
}

#[test]
fn the_sample_shows_every_alert_kind_and_every_school_status() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = generate(dir.path(), "s.db", 2026, TODAY, None);
    let snap = snapshot(&path);
    assert_every_alert_and_status(&snap, "seed 2026");
    // Random contracts never push an active leader over capacity: only the written one is.
    let over = snap.alerts.iter().filter(|a| a.kind == AlertKind::OverCapacity).count();
    assert_eq!(over, 1, "exactly one leader over capacity");
}

#[test]
fn every_alert_and_status_appears_on_other_dates_and_sizes() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (i, (today, schools)) in [("2026-11-23", 10), ("2027-03-10", 96), ("2026-10-07", 300)].into_iter().enumerate() {
        let (path, _) = generate(dir.path(), &format!("s{i}.db"), 11 + i as u64, today, Some(schools));
        let store = Store::open(&path, Access::ReadOnly).expect("open");
        let day = NaiveDate::parse_from_str(today, "%Y-%m-%d").expect("date");
        let snap = store.snapshot(day).expect("snapshot");
        assert_every_alert_and_status(&snap, &format!("{schools} schools on {today}"));
        assert_eq!(snap.schools.len(), schools as usize);
    }
}

#[test]
fn counts_look_like_a_city_alliance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, report) = generate(dir.path(), "s.db", 2026, TODAY, None);
    let c = open_ro(&path);
    let schools = count(&c, "SELECT count(*) FROM schools");
    let leaders = count(&c, "SELECT count(*) FROM leaders");
    let contracts = count(&c, "SELECT count(*) FROM contracts");
    let visits = count(&c, "SELECT count(*) FROM visits");
    let reviews = count(&c, "SELECT count(*) FROM reviews");
    let meetings = count(&c, "SELECT count(*) FROM board_meetings");
    let decisions = count(&c, "SELECT count(*) FROM decisions");
    assert!((90..=100).contains(&schools), "{schools} schools");
    assert!((25..=35).contains(&leaders), "{leaders} leaders");
    assert!((35..=45).contains(&contracts), "{contracts} contracts");
    assert!((200..=600).contains(&visits), "{visits} visits");
    assert!(reviews >= 50, "{reviews} reviews");
    assert!(meetings >= 3 && decisions >= 10, "{meetings} meetings, {decisions} decisions");
    assert!(
        report.contains(&format!(
            "{schools} schools, {leaders} leaders, {contracts} contracts, {visits} visits, {reviews} reviews, {meetings} board meetings, {decisions} decisions (seed 2026, today 23 Nov 2026)"
        )),
        "report does not match the file: {report}"
    );

    // Phases in realistic proportions; URNs, postcodes, trusts, heads.
    let primary = count(&c, "SELECT count(*) FROM schools WHERE phase = 'Primary'");
    let secondary = count(&c, "SELECT count(*) FROM schools WHERE phase = 'Secondary'");
    assert!(
        primary * 100 / schools >= 65 && (12..=25).contains(&secondary),
        "{primary} primary, {secondary} secondary"
    );
    assert!(count(&c, "SELECT count(DISTINCT phase) FROM schools") >= 5);
    assert_eq!(count(&c, "SELECT count(*) FROM schools WHERE urn BETWEEN 100000 AND 999999"), schools);
    assert_eq!(count(&c, "SELECT count(*) FROM schools WHERE la_name = 'Plymouth' AND postcode LIKE 'PL%'"), schools);
    assert_eq!(count(&c, "SELECT count(*) FROM schools WHERE headteacher = '' OR pupils IS NULL"), 0);
    let trusts = count(&c, "SELECT count(DISTINCT trust) FROM schools WHERE trust <> ''");
    assert!((8..=12).contains(&trusts), "{trusts} trusts");
    assert!(count(&c, "SELECT count(*) FROM schools WHERE notes <> ''") >= 20, "soft intelligence");
    let a = count(&c, "SELECT count(*) FROM schools WHERE category = 'A'");
    let d = count(&c, "SELECT count(*) FROM schools WHERE category = 'D'");
    assert!(a * 100 / schools >= 50 && (3..=8).contains(&d), "{a} A, {d} D");

    // Inspections of every era, report cards with areas and no grade.
    assert_eq!(words(&c, "SELECT framework FROM inspections"), set(&["graded", "ungraded", "report_card"]));
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM inspections WHERE framework = 'report_card' AND (grade IS NOT NULL OR areas NOT LIKE '%Leadership and governance: %' OR safeguarding_met IS NULL)"
        ),
        0
    );
    assert_eq!(count(&c, "SELECT count(*) FROM inspections WHERE framework = 'graded' AND grade IS NULL"), 0);
    assert!(count(&c, "SELECT count(*) FROM inspections WHERE outcome LIKE 'School remains %'") > 0);

    // Leaders of every designation, a couple inactive, each with a home school among the schools.
    assert_eq!(words(&c, "SELECT designation FROM leaders"), set(&["NLE", "LLE", "SLE", "NLG", "Other"]));
    let inactive = count(&c, "SELECT count(*) FROM leaders WHERE active = 0");
    assert!((1..=4).contains(&inactive), "{inactive} inactive leaders");
    assert_eq!(count(&c, "SELECT count(*) FROM leaders WHERE home_school_id IS NULL OR email NOT LIKE '%@%'"), 0);
    assert_eq!(count(&c, "SELECT count(*) FROM leaders WHERE designation = 'SLE' AND day_rate_pence < 35000"), 0);

    // Contracts in every status, at the leader's rate, some allocated to each funding stream.
    assert_eq!(
        words(&c, "SELECT status FROM contracts"),
        set(&["proposed", "active", "paused", "completed", "terminated"])
    );
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM contracts c JOIN leaders l ON l.id = c.leader_id WHERE c.day_rate_pence <> l.day_rate_pence"
        ),
        0
    );
    assert_eq!(count(&c, "SELECT count(*) FROM funding_streams"), 2);
    assert_eq!(count(&c, "SELECT count(DISTINCT funding_stream_id) FROM contracts"), 2);
    assert!(
        count(&c, "SELECT count(*) FROM contracts WHERE days_commissioned <> CAST(days_commissioned AS INTEGER)") > 0,
        "some half days"
    );

    // Visits never after today, only by the contract's leader, half and whole days.
    assert_eq!(count(&c, "SELECT count(*) FROM visits WHERE visited_on > '2026-11-23'"), 0);
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM visits v JOIN contracts c ON c.id = v.contract_id WHERE v.leader_id <> c.leader_id OR c.status = 'proposed'"
        ),
        0
    );
    assert_eq!(words(&c, "SELECT DISTINCT CAST(days AS TEXT) FROM visits WHERE days IN (0.5, 1.0)").len(), 2);

    // Reviews in all three colours, some escalated; board decisions of every kind, some done,
    // some open and past due.
    assert_eq!(words(&c, "SELECT rag FROM reviews"), set(&["green", "amber", "red"]));
    assert!(count(&c, "SELECT count(*) FROM reviews WHERE escalate = 1") >= 1);
    assert_eq!(count(&c, "SELECT count(*) FROM reviews WHERE reviewed_on > '2026-11-23'"), 0);
    assert_eq!(
        words(&c, "SELECT kind FROM decisions"),
        set(&["commission", "extend", "vary", "end", "escalate", "monitor", "recategorise", "approve_funding"])
    );
    assert!(count(&c, "SELECT count(*) FROM decisions WHERE done = 1") > 0);
    assert!(count(&c, "SELECT count(*) FROM decisions WHERE done = 0 AND due_on < '2026-11-23'") > 0);
    assert_eq!(count(&c, "SELECT count(*) FROM board_meetings WHERE held_on >= '2026-11-23'"), 0);
    // The LA's term dates for 2025/26 and 2026/27: three terms and three half terms a year.
    assert_eq!(words(&c, "SELECT kind || ' ' || count(*) FROM terms GROUP BY kind"), set(&["term 6", "closure 6"]));

    // One audit row per record, all stamped by the fixed sample actor.
    let records = count(
        &c,
        "SELECT (SELECT count(*) FROM schools) + (SELECT count(*) FROM inspections) + (SELECT count(*) FROM leaders) + (SELECT count(*) FROM contracts) + (SELECT count(*) FROM visits) + (SELECT count(*) FROM reviews) + (SELECT count(*) FROM board_meetings) + (SELECT count(*) FROM decisions) + (SELECT count(*) FROM funding_streams) + (SELECT count(*) FROM terms) + (SELECT count(*) FROM criteria) + (SELECT count(*) FROM criterion_ratings) + (SELECT count(*) FROM closeouts) + (SELECT count(*) FROM agreements) + (SELECT count(*) FROM signoffs) + (SELECT count(*) FROM school_events) + (SELECT count(*) FROM measures) + (SELECT count(*) FROM intelligence)",
    );
    assert_eq!(count(&c, "SELECT count(*) FROM audit WHERE action = 'insert'"), records);
    assert_eq!(words(&c, "SELECT by || ' ' || at FROM audit"), set(&["sample 2026-11-23T09:00:00Z"]));
    assert_eq!(
        words(&c, "SELECT updated_by || ' ' || updated_at FROM contracts"),
        set(&["sample 2026-11-23T09:00:00Z"])
    );
}

#[test]
fn the_file_is_sound_and_self_contained() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = generate(dir.path(), "s.db", 2026, TODAY, None);
    for suffix in ["-wal", "-shm"] {
        let side = dir.path().join(format!("s.db{suffix}"));
        assert!(!side.exists(), "{} left behind", side.display());
    }
    let c = open_ro(&path);
    let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check");
    assert_eq!(ok, "ok");
    let mut st = c.prepare("PRAGMA foreign_key_check").expect("foreign_key_check");
    let problems = st.query_map([], |r| r.get::<_, String>(0)).expect("fk rows").count();
    assert_eq!(problems, 0, "foreign key problems");
    let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("journal_mode");
    assert_eq!(mode, "wal");
    let free: i64 = c.query_row("PRAGMA freelist_count", [], |r| r.get(0)).expect("freelist_count");
    assert_eq!(free, 0, "vacuumed");
    // And the app opens it.
    Store::open(&path, Access::ReadWrite).expect("alliance opens the sample");
}

#[test]
fn never_overwrites_an_existing_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("taken.db");
    std::fs::write(&out, b"precious").expect("write");
    let o = sample_cmd(dir.path(), &out, 2026, TODAY, None);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&out).expect("read"), b"precious");
    assert!(!dir.path().join("taken.db-wal").exists());
}

/// Round two fixes the sample's story by editing text and dates and adding records: every
/// school, leader and contract of round one's sample.db is kept exactly as it was.
#[test]
fn the_sample_keeps_round_ones_schools_leaders_and_contracts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let before = Connection::open_with_flags(
        root.join("tests/fixtures/sample-round1.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("round one");
    let now = Connection::open_with_flags(root.join("sample.db"), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("sample");
    for sql in [
        "SELECT id, urn, name, category, headteacher FROM schools ORDER BY id",
        "SELECT id, name, home_school_id, specialisms FROM leaders ORDER BY id",
        "SELECT id, school_id, leader_id, status, start_on, end_on FROM contracts ORDER BY id",
    ] {
        let rows = |c: &Connection| -> Vec<Vec<String>> {
            let mut st = c.prepare(sql).expect("prepare");
            let n = st.column_count();
            st.query_map([], |r| {
                (0..n).map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}"))).collect()
            })
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
        };
        assert_eq!(rows(&before), rows(&now), "{sql}");
    }
}

/// The published-data stories of issue 14: a school sliding for two years with no contract
/// (a high data concern: concern status, a category to review), one recovering after
/// completed support (no trigger), one with a small, suppressed cohort (no trigger); three
/// years of KS2, KS4, absence and census figures with LA and England rows.
#[test]
fn the_sample_tells_the_data_stories() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db");
    let c = open_ro(&path);
    for family in ["PTRWM_EXP", "ATT8SCR", "PERCTOT", "PNUMFSMEVER"] {
        let years = count(&c, &format!("SELECT count(DISTINCT year) FROM measures WHERE measure = '{family}'"));
        assert_eq!(years, 3, "{family}: three years");
        let england =
            count(&c, &format!("SELECT count(*) FROM measures WHERE area = 'england' AND measure = '{family}'"));
        assert_eq!(england, 3, "{family}: England each year");
    }
    assert!(count(&c, "SELECT count(*) FROM measures WHERE area = 'la:879'") > 0, "Plymouth's LA rows");
    assert_eq!(
        count(&c, "SELECT count(*) FROM measures WHERE measure = 'P8MEA' AND year IN ('2024/25', '2025/26')"),
        0
    );
    let snap = snapshot(&path);
    let data: Vec<_> = snap.alerts.iter().filter(|a| a.kind == AlertKind::DataConcern).collect();
    let sliding = data.iter().find(|a| a.severity == alliance::metrics::Severity::High).expect("a high data concern");
    let id = sliding.school_id.expect("school");
    let st = snap.schools.iter().find(|s| s.school.id == id).expect("status");
    assert!(sliding.message.starts_with(&format!("{}: RWM expected", st.school.name)), "{}", sliding.message);
    assert_eq!(st.status, Status::Concern);
    assert_eq!(st.school.category, alliance::domain::Category::A);
    assert_eq!(count(&c, &format!("SELECT count(*) FROM contracts WHERE school_id = {id}")), 0, "no contract yet");
    // Recovering: results up by ten points or more over two years after completed support.
    let recovering = count(
        &c,
        "SELECT count(*) FROM measures a JOIN measures b ON a.school_id = b.school_id AND a.measure = b.measure
         WHERE a.measure = 'PTRWM_EXP' AND a.year = '2025/26' AND b.year = '2023/24' AND a.value - b.value >= 10
           AND a.school_id IN (SELECT school_id FROM contracts WHERE status = 'completed')",
    );
    assert!(recovering >= 1);
    // Suppressed: every KS2 figure of one school is SUPP, and no alert reads it.
    let small: i64 = c
        .query_row(
            "SELECT school_id FROM measures WHERE measure = 'PTRWM_EXP' GROUP BY school_id
             HAVING sum(status = 'SUPP') = 3",
            [],
            |r| r.get(0),
        )
        .expect("a suppressed school");
    assert!(!data.iter().any(|a| a.school_id == Some(small)), "never on suppressed data");
}

/// Every close-out's overall outcome is borne out by its criteria (the rule the close-out warns
/// by), in the committed sample and in other seeds and dates: a "met" contract met most of its
/// aims and none was missed.
#[test]
fn every_closeout_agrees_with_its_criteria() {
    use alliance::domain::Outcome;
    use alliance::domain::impact::outcome_against_criteria;
    let dir = tempfile::tempdir().expect("tempdir");
    let (other, _) = generate(dir.path(), "other.db", 7, "2027-03-10", Some(160));
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db");
    for path in [committed, other] {
        let conn = open_ro(&path);
        let mut st = conn
            .prepare(
                "SELECT co.contract_id, co.outcome, group_concat(cr.outcome) FROM closeouts co \
                 JOIN criteria cr ON cr.contract_id = co.contract_id GROUP BY co.contract_id",
            )
            .expect("prepare");
        let rows: Vec<(i64, String, String)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("query")
            .map(|r| r.expect("row"))
            .collect();
        assert!(rows.len() >= 10, "{}: only {} close-outs with criteria", path.display(), rows.len());
        for (id, overall, each) in rows {
            let parse = |s: &str| Outcome::parse(s).expect("an outcome");
            let each: Vec<Outcome> = each.split(',').map(parse).collect();
            assert_eq!(
                outcome_against_criteria(parse(&overall), &each),
                None,
                "{}: contract #{id} closed {overall} with criteria {each:?}",
                path.display()
            );
        }
    }
}
