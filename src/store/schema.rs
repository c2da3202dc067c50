//! The schema (DESIGN §3 ◆) and its migrations, tracked by `PRAGMA user_version`.
//!
//! Other tools query this file directly, so column names and stored words are a contract:
//! migrations only ever add. `application_id` marks the file as an alliance database, which is
//! how another program's SQLite file is told apart from ours before anything is written to it.

/// `PRAGMA application_id` of an alliance file: the ASCII bytes "ALLI".
pub const APPLICATION_ID: i32 = 0x414C_4C49;

/// Each migration brings the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    V1,
    V_TERMS,
    V_PEOPLE,
    V_IMPACT,
    V_OUTCOMES_EVENTS,
    V_MEASURES,
    V_INTELLIGENCE,
    V_GENERATION,
    V_AWAY,
    V_TRIGGER_POINTS,
];

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Version 1: every table of the data model, with the indexes the metrics and screens use.
const V1: &str = r#"
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE schools (
    id          INTEGER PRIMARY KEY,
    urn         INTEGER UNIQUE CHECK (urn IS NULL OR urn BETWEEN 100000 AND 999999),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    phase       TEXT NOT NULL CHECK (phase IN ('Nursery','Primary','Middle','Secondary','All-through','Special','PRU','16 plus')),
    school_type TEXT NOT NULL DEFAULT '',
    la_name     TEXT NOT NULL DEFAULT '',
    postcode    TEXT NOT NULL DEFAULT '',
    pupils      INTEGER CHECK (pupils IS NULL OR pupils >= 0),
    trust       TEXT NOT NULL DEFAULT '',
    headteacher TEXT NOT NULL DEFAULT '',
    member      INTEGER NOT NULL DEFAULT 1 CHECK (member IN (0, 1)),
    category    TEXT NOT NULL DEFAULT 'A' CHECK (category IN ('A','B','C','D')),
    notes       TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
) STRICT;
CREATE INDEX schools_category ON schools(category);
CREATE INDEX schools_trust ON schools(trust);

CREATE TABLE inspections (
    id               INTEGER PRIMARY KEY,
    school_id        INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
    inspected_on     TEXT NOT NULL CHECK (date(inspected_on) IS inspected_on),
    framework        TEXT NOT NULL CHECK (framework IN ('graded','ungraded','report_card')),
    outcome          TEXT NOT NULL DEFAULT '',
    grade            INTEGER CHECK (grade IS NULL OR grade BETWEEN 1 AND 4),
    safeguarding_met INTEGER CHECK (safeguarding_met IS NULL OR safeguarding_met IN (0, 1)),
    areas            TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    updated_at       TEXT NOT NULL,
    updated_by       TEXT NOT NULL,
    UNIQUE (school_id, inspected_on, framework)
) STRICT;

CREATE TABLE leaders (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
    designation    TEXT NOT NULL CHECK (designation IN ('NLE','LLE','SLE','NLG','Other')),
    home_school_id INTEGER REFERENCES schools(id) ON DELETE SET NULL,
    specialisms    TEXT NOT NULL DEFAULT '',
    days_per_year  REAL NOT NULL DEFAULT 15 CHECK (days_per_year >= 0),
    day_rate_pence INTEGER NOT NULL DEFAULT 0 CHECK (day_rate_pence >= 0),
    email          TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version        INTEGER NOT NULL DEFAULT 1,
    updated_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL
) STRICT;
CREATE INDEX leaders_home_school ON leaders(home_school_id);

CREATE TABLE funding_streams (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    amount_pence INTEGER NOT NULL CHECK (amount_pence >= 0),
    notes        TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL
) STRICT;

CREATE TABLE contracts (
    id                INTEGER PRIMARY KEY,
    school_id         INTEGER NOT NULL REFERENCES schools(id),
    leader_id         INTEGER NOT NULL REFERENCES leaders(id),
    focus             TEXT NOT NULL CHECK (length(trim(focus)) > 0),
    aims              TEXT NOT NULL DEFAULT '',
    success_criteria  TEXT NOT NULL DEFAULT '',
    start_on          TEXT NOT NULL CHECK (date(start_on) IS start_on),
    end_on            TEXT NOT NULL CHECK (date(end_on) IS end_on),
    days_commissioned REAL NOT NULL CHECK (days_commissioned > 0),
    day_rate_pence    INTEGER NOT NULL DEFAULT 0 CHECK (day_rate_pence >= 0),
    funding           TEXT NOT NULL DEFAULT '',
    funding_stream_id INTEGER REFERENCES funding_streams(id) ON DELETE SET NULL,
    status            TEXT NOT NULL CHECK (status IN ('proposed','active','paused','completed','terminated')),
    version           INTEGER NOT NULL DEFAULT 1,
    updated_at        TEXT NOT NULL,
    updated_by        TEXT NOT NULL,
    CHECK (end_on > start_on)
) STRICT;
CREATE INDEX contracts_status ON contracts(status, leader_id);
CREATE INDEX contracts_school ON contracts(school_id, status);
CREATE INDEX contracts_leader ON contracts(leader_id, status);
CREATE INDEX contracts_stream ON contracts(funding_stream_id);

CREATE TABLE visits (
    id          INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts(id),
    leader_id   INTEGER NOT NULL REFERENCES leaders(id),
    visited_on  TEXT NOT NULL CHECK (date(visited_on) IS visited_on),
    days        REAL NOT NULL CHECK (days > 0 AND days * 2 = CAST(days * 2 AS INTEGER)),
    activity    TEXT NOT NULL CHECK (activity IN ('diagnostic','coaching','observation','work scrutiny','training','data analysis','action planning','meeting','governance review')),
    notes       TEXT NOT NULL DEFAULT '',
    next_steps  TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
) STRICT;
CREATE INDEX visits_contract ON visits(contract_id, visited_on, days);
CREATE INDEX visits_leader ON visits(leader_id, visited_on, days);
CREATE INDEX visits_date ON visits(visited_on);

CREATE TABLE reviews (
    id             INTEGER PRIMARY KEY,
    contract_id    INTEGER NOT NULL REFERENCES contracts(id),
    reviewed_on    TEXT NOT NULL CHECK (date(reviewed_on) IS reviewed_on),
    rag            TEXT NOT NULL CHECK (rag IN ('green','amber','red')),
    summary        TEXT NOT NULL DEFAULT '',
    next_review_on TEXT CHECK (next_review_on IS NULL OR date(next_review_on) IS next_review_on),
    escalate       INTEGER NOT NULL DEFAULT 0 CHECK (escalate IN (0, 1)),
    version        INTEGER NOT NULL DEFAULT 1,
    updated_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL
) STRICT;
CREATE INDEX reviews_contract ON reviews(contract_id, reviewed_on, id);

CREATE TABLE board_meetings (
    id         INTEGER PRIMARY KEY,
    held_on    TEXT NOT NULL CHECK (date(held_on) IS held_on),
    notes      TEXT NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
) STRICT;
CREATE INDEX board_meetings_held ON board_meetings(held_on);

CREATE TABLE decisions (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES board_meetings(id) ON DELETE CASCADE,
    school_id   INTEGER REFERENCES schools(id),
    contract_id INTEGER REFERENCES contracts(id),
    kind        TEXT NOT NULL CHECK (kind IN ('commission','extend','vary','end','escalate','monitor')),
    text        TEXT NOT NULL,
    owner       TEXT NOT NULL DEFAULT '',
    due_on      TEXT CHECK (due_on IS NULL OR date(due_on) IS due_on),
    done        INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
) STRICT;
CREATE INDEX decisions_meeting ON decisions(meeting_id);
CREATE INDEX decisions_open ON decisions(done, due_on);
CREATE INDEX decisions_school ON decisions(school_id);

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    by        TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('insert','update','delete')),
    before    TEXT,
    after     TEXT
) STRICT;
CREATE INDEX audit_entity ON audit(entity, entity_id, id);

-- Form drafts, saved as people type so a dropped SSH session loses nothing (per OS user).
CREATE TABLE drafts (
    user       TEXT NOT NULL,
    form       TEXT NOT NULL,
    target     TEXT NOT NULL,
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user, form, target)
) STRICT;
"#;

/// Term time (round two): the `terms` table — terms, and closures inside them — and the two
/// day windows of the alerts turned from calendar days into school days. Round one's defaults
/// become round two's (review every 42 → 30 school days, no visit for 30 → 20); any other
/// value is scaled by 5/7 (weekdays per week) and rounded, at least 1. An unreadable value is
/// left alone (it falls back to the default when read).
const V_TERMS: &str = r#"
CREATE TABLE terms (
    id         INTEGER PRIMARY KEY,
    starts_on  TEXT NOT NULL CHECK (date(starts_on) IS starts_on),
    ends_on    TEXT NOT NULL CHECK (date(ends_on) IS ends_on),
    label      TEXT NOT NULL DEFAULT '',
    kind       TEXT NOT NULL DEFAULT 'term' CHECK (kind IN ('term','closure')),
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    CHECK (ends_on >= starts_on)
) STRICT;
CREATE INDEX terms_dates ON terms(starts_on, ends_on);

UPDATE settings
SET value = CASE
    WHEN key = 'review_interval_days' AND trim(value) = '42' THEN '30'
    WHEN key = 'no_visit_days' AND trim(value) = '30' THEN '20'
    ELSE CAST(max(1, CAST(round(CAST(trim(value) AS INTEGER) * 5.0 / 7.0) AS INTEGER)) AS TEXT)
END
WHERE key IN ('review_interval_days', 'no_visit_days')
  AND trim(value) != '' AND trim(value) NOT GLOB '*[^0-9]*' AND CAST(trim(value) AS INTEGER) > 0;
"#;

/// People and roles (issue #16, DESIGN §3 `people`): who may use the file and what they may do.
/// An empty table means the file's Unix owner is its admin (so round one's files keep working
/// for their owner); `init` records its creator as admin.
const V_PEOPLE: &str = r#"
CREATE TABLE people (
    id         INTEGER PRIMARY KEY,
    account    TEXT NOT NULL UNIQUE CHECK (length(account) BETWEEN 1 AND 64),
    name       TEXT NOT NULL DEFAULT '',
    role       TEXT NOT NULL CHECK (role IN ('admin','coordinator','leader','board')),
    leader_id  INTEGER REFERENCES leaders(id) ON DELETE SET NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
) STRICT;
CREATE INDEX people_leader ON people(leader_id);
"#;

/// Impact (issue #15): success criteria as records, each review's rating of each criterion,
/// close-outs, and agreements with their sign-offs. Existing contracts' free-text success
/// criteria become one criterion per line or `;`-separated clause, text unchanged (trimmed),
/// in the order written. A contract cannot be marked completed or terminated (by any program)
/// without its close-out of that kind.
const V_IMPACT: &str = r#"
CREATE TABLE criteria (
    id            INTEGER PRIMARY KEY,
    contract_id   INTEGER NOT NULL REFERENCES contracts(id),
    text          TEXT NOT NULL CHECK (length(trim(text)) > 0),
    measure       TEXT NOT NULL DEFAULT '',
    baseline      REAL,
    baseline_on   TEXT CHECK (baseline_on IS NULL OR date(baseline_on) IS baseline_on),
    target        REAL,
    target_by     TEXT CHECK (target_by IS NULL OR date(target_by) IS target_by),
    actual        REAL,
    actual_on     TEXT CHECK (actual_on IS NULL OR date(actual_on) IS actual_on),
    actual_source TEXT NOT NULL DEFAULT '' CHECK (actual_source IN ('', 'typed', 'imported')),
    outcome       TEXT NOT NULL DEFAULT 'open' CHECK (outcome IN ('open','met','partly_met','not_met')),
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL
) STRICT;
CREATE INDEX criteria_contract ON criteria(contract_id, id);
CREATE INDEX criteria_measure ON criteria(measure) WHERE measure != '';

CREATE TABLE criterion_ratings (
    id           INTEGER PRIMARY KEY,
    review_id    INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    criterion_id INTEGER NOT NULL REFERENCES criteria(id) ON DELETE CASCADE,
    rag          TEXT NOT NULL CHECK (rag IN ('green','amber','red')),
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    UNIQUE (review_id, criterion_id)
) STRICT;
CREATE INDEX criterion_ratings_criterion ON criterion_ratings(criterion_id);

CREATE TABLE closeouts (
    id                    INTEGER PRIMARY KEY,
    contract_id           INTEGER NOT NULL UNIQUE REFERENCES contracts(id),
    kind                  TEXT NOT NULL CHECK (kind IN ('completed','terminated')),
    closed_on             TEXT NOT NULL CHECK (date(closed_on) IS closed_on),
    outcome               TEXT NOT NULL CHECK (outcome IN ('met','partly_met','not_met')),
    sustain               TEXT NOT NULL DEFAULT '',
    school_feedback_score INTEGER CHECK (school_feedback_score IS NULL OR school_feedback_score BETWEEN 1 AND 5),
    school_feedback       TEXT NOT NULL DEFAULT '',
    lessons               TEXT NOT NULL DEFAULT '',
    reason                TEXT NOT NULL DEFAULT '',
    version               INTEGER NOT NULL DEFAULT 1,
    updated_at            TEXT NOT NULL,
    updated_by            TEXT NOT NULL,
    CHECK (kind = 'completed' OR length(trim(reason)) > 0)
) STRICT;
CREATE INDEX closeouts_closed ON closeouts(closed_on);

CREATE TABLE agreements (
    id          INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts(id),
    version     INTEGER NOT NULL CHECK (version >= 1),
    created_on  TEXT NOT NULL CHECK (date(created_on) IS created_on),
    terms       TEXT NOT NULL DEFAULT '{}',
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    UNIQUE (contract_id, version)
) STRICT;

CREATE TABLE signoffs (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements(id),
    party        TEXT NOT NULL CHECK (party IN ('school','provider','commissioner')),
    signed_on    TEXT NOT NULL CHECK (date(signed_on) IS signed_on),
    signed_by    TEXT NOT NULL CHECK (length(trim(signed_by)) > 0),
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    UNIQUE (agreement_id, party)
) STRICT;

CREATE TRIGGER contracts_close_needs_closeout
BEFORE UPDATE OF status ON contracts
WHEN NEW.status IN ('completed', 'terminated') AND NEW.status IS NOT OLD.status
 AND NOT EXISTS (SELECT 1 FROM closeouts WHERE contract_id = NEW.id AND kind = NEW.status)
BEGIN
    SELECT RAISE(ABORT, 'a contract is completed or terminated with its close-out (alliance contract close)');
END;

INSERT INTO criteria (contract_id, text, updated_at, updated_by)
WITH RECURSIVE
parts (contract_id, n, part, rest) AS (
    SELECT id, 0, NULL, replace(success_criteria, char(10), ';') || ';' FROM contracts
    UNION ALL
    SELECT contract_id, n + 1, substr(rest, 1, instr(rest, ';') - 1), substr(rest, instr(rest, ';') + 1)
      FROM parts WHERE rest != ''
)
SELECT contract_id, trim(part, ' ' || char(9) || char(13)), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'migration'
  FROM parts
 WHERE part IS NOT NULL AND trim(part, ' ' || char(9) || char(13)) != ''
 ORDER BY contract_id, n;
"#;

/// Round two (#13): what Ofsted publishes (category of concern, monitoring inspections), what
/// GIAS says about a school's responsible bodies and life (religious character, diocese, trust
/// group id, closure), dated school events and links, and the decision kinds `recategorise`
/// (with the new category) and `approve_funding`.
///
/// SQLite cannot alter a CHECK, so `decisions` is rebuilt: a new table with the wider CHECK and
/// the `category` column, every row copied with its id, the old table dropped and the new one
/// renamed, then its indexes made again. Nothing references `decisions`, so the foreign keys
/// that stay on during the migration are not disturbed.
const V_OUTCOMES_EVENTS: &str = r#"
ALTER TABLE inspections ADD COLUMN category_of_concern TEXT
    CHECK (category_of_concern IS NULL OR category_of_concern IN ('special measures','serious weaknesses','significant improvement'));
ALTER TABLE inspections ADD COLUMN kind TEXT NOT NULL DEFAULT 'standard' CHECK (kind IN ('standard','monitoring'));
UPDATE inspections SET category_of_concern = 'special measures'
    WHERE grade = 4 AND lower(outcome) LIKE '%special measures%';
UPDATE inspections SET category_of_concern = 'serious weaknesses'
    WHERE grade = 4 AND lower(outcome) LIKE '%serious weakness%';

ALTER TABLE schools ADD COLUMN religious_character TEXT NOT NULL DEFAULT '';
ALTER TABLE schools ADD COLUMN diocese TEXT NOT NULL DEFAULT '';
ALTER TABLE schools ADD COLUMN trust_code TEXT NOT NULL DEFAULT '';
ALTER TABLE schools ADD COLUMN closed_on TEXT CHECK (closed_on IS NULL OR date(closed_on) IS closed_on);

CREATE TABLE school_events (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
    happened_on TEXT NOT NULL CHECK (date(happened_on) IS happened_on),
    kind        TEXT NOT NULL CHECK (kind IN ('head_changed','trust_joined','trust_left','renamed','converted','opened','closed')),
    before      TEXT NOT NULL DEFAULT '',
    after       TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
) STRICT;
CREATE INDEX school_events_school ON school_events(school_id, happened_on);
CREATE INDEX school_events_kind ON school_events(kind, happened_on);

CREATE TABLE school_links (
    id               INTEGER PRIMARY KEY,
    school_id        INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
    linked_school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
    link_type        TEXT NOT NULL CHECK (length(trim(link_type)) > 0),
    since            TEXT CHECK (since IS NULL OR date(since) IS since),
    version          INTEGER NOT NULL DEFAULT 1,
    updated_at       TEXT NOT NULL,
    updated_by       TEXT NOT NULL,
    UNIQUE (school_id, linked_school_id, link_type),
    CHECK (school_id != linked_school_id)
) STRICT;
CREATE INDEX school_links_linked ON school_links(linked_school_id);

CREATE TABLE decisions_v2 (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES board_meetings(id) ON DELETE CASCADE,
    school_id   INTEGER REFERENCES schools(id),
    contract_id INTEGER REFERENCES contracts(id),
    kind        TEXT NOT NULL CHECK (kind IN ('commission','extend','vary','end','escalate','monitor','recategorise','approve_funding')),
    category    TEXT CHECK (category IS NULL OR category IN ('A','B','C','D')),
    text        TEXT NOT NULL,
    owner       TEXT NOT NULL DEFAULT '',
    due_on      TEXT CHECK (due_on IS NULL OR date(due_on) IS due_on),
    done        INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    CHECK (kind != 'recategorise' OR (category IS NOT NULL AND school_id IS NOT NULL))
) STRICT;
INSERT INTO decisions_v2 (id, meeting_id, school_id, contract_id, kind, category, text, owner, due_on, done, version, updated_at, updated_by)
    SELECT id, meeting_id, school_id, contract_id, kind, NULL, text, owner, due_on, done, version, updated_at, updated_by
    FROM decisions;
DROP TABLE decisions;
ALTER TABLE decisions_v2 RENAME TO decisions;
CREATE INDEX decisions_meeting ON decisions(meeting_id);
CREATE INDEX decisions_open ON decisions(done, due_on);
CREATE INDEX decisions_school ON decisions(school_id);
"#;

/// Published and local performance data (issue 14): one row per school (or comparator area),
/// measure and academic year. `value` is the number as published (`49%` is 49); a cell that is
/// not a number is kept as it was published in `status` (SUPP, NE, NP, x …) with a null value,
/// so a suppressed figure is never read as 0. Comparator rows (the LA, England) have no school.
/// `la_code` is the LA the file placed a school in, which finds its LA comparator.
const V_MEASURES: &str = r#"
CREATE TABLE measures (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER REFERENCES schools(id) ON DELETE CASCADE,
    area       TEXT NOT NULL CHECK (area = 'school' OR area = 'england' OR area LIKE 'la:%'),
    measure    TEXT NOT NULL CHECK (length(trim(measure)) > 0),
    year       TEXT NOT NULL CHECK (year GLOB '[12][0-9][0-9][0-9]/[0-9][0-9]'),
    value      REAL,
    status     TEXT NOT NULL DEFAULT 'ok',
    release    TEXT NOT NULL CHECK (release IN ('provisional','revised','final','local')),
    source     TEXT NOT NULL DEFAULT '',
    la_code    TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    CHECK ((area = 'school') = (school_id IS NOT NULL)),
    CHECK ((status = 'ok') = (value IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX measures_key ON measures(area, ifnull(school_id, 0), measure, year);
CREATE INDEX measures_school ON measures(school_id, measure, year);
-- Covering: the metrics read a few measures for every school straight from the index, without
-- a look-up in the table per figure (0.4 s instead of 1.3 s for 260,000 national figures).
CREATE INDEX measures_measure ON measures(measure, area, school_id, year, value, status, la_code);
"#;

/// Dated soft intelligence (issue 14): one entry per thing heard, with where it came from, how
/// sensitive it is and when it should be looked at again. `schools.notes` stays, mirroring the
/// newest normal entry, so scripts that read it keep working; each school's old notes become
/// its first entry, dated by the school's last change. A redacted entry keeps the fact that it
/// existed (date, source) but not its text.
const V_INTELLIGENCE: &str = r#"
CREATE TABLE intelligence (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
    noted_on    TEXT NOT NULL CHECK (date(noted_on) IS noted_on),
    source      TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL,
    sensitivity TEXT NOT NULL DEFAULT 'normal' CHECK (sensitivity IN ('normal','sensitive')),
    review_on   TEXT CHECK (review_on IS NULL OR date(review_on) IS review_on),
    redacted    INTEGER NOT NULL DEFAULT 0 CHECK (redacted IN (0, 1)),
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
) STRICT;
CREATE INDEX intelligence_school ON intelligence(school_id, noted_on);
INSERT INTO intelligence (school_id, noted_on, source, text, sensitivity, updated_at, updated_by)
    SELECT id, coalesce(date(updated_at), date('now')), 'notes (before dated entries)', notes, 'normal', updated_at, updated_by
    FROM schools WHERE trim(notes) <> '' ORDER BY id;
"#;

/// The file's generation id (`settings.generation`, 32 hex digits): given once here, and anew
/// by every `alliance restore`, so copies taken earlier can tell the file was restored since.
/// Adds one settings row; works on round one's file.
const V_GENERATION: &str = r#"
INSERT OR IGNORE INTO settings(key, value) VALUES ('generation', lower(hex(randomblob(16))));
"#;

/// Away copies (DESIGN §9, issue #17): a laptop's copy of the file, worked on without a
/// connection and sent back later. Only adds: a column saying when a replayed change arrived,
/// and four tables (empty in a file nobody took an away copy of).
const V_AWAY: &str = r#"
-- When a change made on an away copy arrived here (NULL: made here). `at` stays the time it
-- was made there, `by` the person who made it.
ALTER TABLE audit ADD COLUMN arrived_at TEXT;

-- On a server: the id block reserved for each away copy taken of it. New records here skip
-- every block; records created on the copy take their ids from its block.
CREATE TABLE away_blocks (
    copy_id  TEXT PRIMARY KEY,
    person   TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    first_id INTEGER NOT NULL,
    last_id  INTEGER NOT NULL CHECK (last_id >= first_id)
) STRICT;

-- On a server: every away change applied here (or listed as a conflict), so sending the same
-- changes again changes nothing.
CREATE TABLE away_applied (
    copy_id    TEXT NOT NULL,
    change_id  INTEGER NOT NULL,
    applied_at TEXT NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('applied','merged','unchanged','conflict')),
    PRIMARY KEY (copy_id, change_id)
) STRICT;

-- On a server: what an away change could not do, for a coordinator to resolve. `field` is
-- empty when the whole change was held back; `change` keeps the away record in full.
CREATE TABLE away_conflicts (
    id           INTEGER PRIMARY KEY,
    copy_id      TEXT NOT NULL,
    change_id    INTEGER NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('both_changed','deleted_here','changed_here','contract_closed','refused')),
    field        TEXT NOT NULL DEFAULT '',
    away_value   TEXT NOT NULL DEFAULT '',
    server_value TEXT NOT NULL DEFAULT '',
    away_by      TEXT NOT NULL,
    away_at      TEXT NOT NULL,
    server_by    TEXT NOT NULL DEFAULT '',
    server_at    TEXT NOT NULL DEFAULT '',
    detail       TEXT NOT NULL,
    change       TEXT NOT NULL,
    arrived_at   TEXT NOT NULL,
    resolved_at  TEXT,
    resolved_by  TEXT
) STRICT;
CREATE INDEX away_conflicts_open ON away_conflicts(resolved_at, entity, entity_id);

-- On an away copy only (one row): what it is a copy of, taken when and by whom, its id block,
-- and the last audit row of the snapshot (rows after it are the changes not yet sent).
CREATE TABLE away_copy (
    copy_id           TEXT PRIMARY KEY,
    server            TEXT NOT NULL,
    source            TEXT NOT NULL,
    server_install    TEXT NOT NULL,
    server_generation TEXT NOT NULL,
    schema_version    INTEGER NOT NULL,
    person            TEXT NOT NULL,
    account           TEXT NOT NULL,
    taken_at          TEXT NOT NULL,
    first_id          INTEGER NOT NULL,
    last_id           INTEGER NOT NULL,
    base_audit_id     INTEGER NOT NULL
) STRICT;
"#;

/// The measure codes the data triggers read, as an SQL list (the same codes as
/// `metrics::data::TRIGGER_MEASURES`; a test keeps the two equal).
macro_rules! trigger_measures_sql {
    () => {
        "'PTRWM_EXP', 'PTL2BASICS_94', 'P8MEA', 'PERCTOT', 'PPERSABS10', 'PNUMFSMEVER'"
    };
}

/// The rows of `measure_trigger_points` computed afresh from `measures`, for the series the
/// filter (SQL on the measures rows: `AND school_id = … AND measure = …`, or nothing) selects:
/// one row per school and trigger measure with its latest year and the year two before it
/// (the points `metrics::data::trigger_points` keeps), and the series' latest non-empty LA code.
macro_rules! trigger_points_fresh_sql {
    ($filter:expr) => {
        concat!(
            "SELECT l.school_id, l.measure, m.year, m.value, m.status, p.year, p.value, p.status,
                    ifnull((SELECT x.la_code FROM measures x
                            WHERE x.school_id = l.school_id AND x.measure = l.measure AND x.la_code <> ''
                            ORDER BY x.year DESC LIMIT 1), '')
             FROM (SELECT school_id, measure, max(year) AS latest FROM measures
                   WHERE school_id IS NOT NULL AND measure IN (",
            trigger_measures_sql!(),
            ") ",
            $filter,
            " GROUP BY school_id, measure) l
             CROSS JOIN measures m ON m.measure = l.measure AND m.area = 'school' AND m.school_id = l.school_id
              AND m.year = l.latest
             LEFT JOIN measures p ON p.measure = l.measure AND p.area = 'school' AND p.school_id = l.school_id
              AND p.year = printf('%d/%02d', substr(l.latest, 1, 4) - 2, (substr(l.latest, 1, 4) - 1) % 100)"
        )
    };
}

/// Recomputes one series of `measure_trigger_points` (`$row` is `NEW` or `OLD`).
macro_rules! trigger_points_refresh_sql {
    ($row:literal) => {
        concat!(
            "DELETE FROM measure_trigger_points WHERE school_id = ",
            $row,
            ".school_id AND measure = ",
            $row,
            ".measure;
            INSERT INTO measure_trigger_points (school_id, measure, year, value, status, prior_year, prior_value, prior_status, series_la) ",
            trigger_points_fresh_sql!(concat!("AND school_id = ", $row, ".school_id AND measure = ", $row, ".measure")),
            ";"
        )
    };
}

/// Every row `measure_trigger_points` should hold, computed afresh (`alliance check` compares).
pub const TRIGGER_POINTS_FRESH: &str = trigger_points_fresh_sql!("");

/// Issue 14 §5: what the data triggers read, kept apart from the full history so `status` and
/// the dashboard read one row per school and trigger measure (about 100,000 on a national
/// file) instead of every figure of every year. Each row holds the two points
/// `metrics::data::trigger_points` keeps — the series' latest year and the year two before it
/// (`prior_*`, null when there is none) — and the series' latest non-empty LA code. It is
/// derived: SQLite triggers on `measures` recompute a school's series in the same statement
/// (so every write path — imports, edits, deletes, away replay, a school's deletion cascading
/// — keeps it in step inside its own transaction), the migration fills it from the stored
/// figures, and `alliance check` compares it with a fresh computation. The partial index finds
/// the comparator rows (LA, England) without walking every school's figures.
const V_TRIGGER_POINTS: &str = concat!(
    "CREATE TABLE measure_trigger_points (
    school_id    INTEGER NOT NULL,
    measure      TEXT NOT NULL,
    year         TEXT NOT NULL,
    value        REAL,
    status       TEXT NOT NULL,
    prior_year   TEXT,
    prior_value  REAL,
    prior_status TEXT,
    series_la    TEXT NOT NULL DEFAULT '',
    UNIQUE (school_id, measure)
) STRICT;
CREATE INDEX measures_comparators ON measures(area, measure, year, value, status) WHERE school_id IS NULL;
INSERT INTO measure_trigger_points (school_id, measure, year, value, status, prior_year, prior_value, prior_status, series_la) ",
    trigger_points_fresh_sql!(""),
    ";
CREATE TRIGGER measures_trigger_points_insert AFTER INSERT ON measures
WHEN NEW.school_id IS NOT NULL AND NEW.measure IN (",
    trigger_measures_sql!(),
    ")
BEGIN ",
    trigger_points_refresh_sql!("NEW"),
    " END;
CREATE TRIGGER measures_trigger_points_delete AFTER DELETE ON measures
WHEN OLD.school_id IS NOT NULL AND OLD.measure IN (",
    trigger_measures_sql!(),
    ")
BEGIN ",
    trigger_points_refresh_sql!("OLD"),
    " END;
CREATE TRIGGER measures_trigger_points_update AFTER UPDATE ON measures
WHEN (OLD.school_id IS NOT NULL AND OLD.measure IN (",
    trigger_measures_sql!(),
    ")) OR (NEW.school_id IS NOT NULL AND NEW.measure IN (",
    trigger_measures_sql!(),
    "))
BEGIN ",
    trigger_points_refresh_sql!("OLD"),
    " ",
    trigger_points_refresh_sql!("NEW"),
    " END;
"
);

#[cfg(test)]
mod tests {
    #[test]
    fn the_schema_summarises_the_measures_the_triggers_read() {
        let listed: Vec<String> = crate::metrics::data::TRIGGER_MEASURES.iter().map(|m| format!("'{m}'")).collect();
        assert_eq!(trigger_measures_sql!(), listed.join(", "));
    }
}
