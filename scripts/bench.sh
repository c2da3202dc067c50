#!/usr/bin/env bash
# The national-scale figures of BENCHMARKS.md (issue 6), end to end through the real binary:
#
#   1. builds alliance (release) and generates the national file (22,000 schools, ~500,000
#      visits) with `alliance sample --scale national`, timing it (once; kept in target/bench);
#   2. times `alliance status --json` on it against the bare sqlite3 CLI running the same
#      aggregate queries status runs (the metric inputs: leaders with their delivered days,
#      open contracts with delivery and latest review, schools with their latest inspection,
#      overdue decisions, funding-stream contracts, settings) — the ratio is what alliance adds;
#   3. times `alliance render dashboard` on the national file and on sample.db, and `status`
#      on sample.db, and reports the national / sample ratio of each;
#   4. measures peak memory (/usr/bin/time -v, maximum resident set size).
#
# Timings are hyperfine medians (installed with apt-get when missing; else repeated runs and
# the median). The machine is shared: other work makes single runs noisy, so compare medians.
#
#   scripts/bench.sh                    # everything, RUNS=15 per command
#   RUNS=30 scripts/bench.sh
#   ALLIANCE_BENCH_DB=/path/national.db scripts/bench.sh   # use an existing national file
#
# For the in-process figures (filter keystroke, frame draw, visit save, idle poll, metrics):
#   cargo bench --bench national
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-15}"
TODAY=2026-11-23
T="${CARGO_TARGET_DIR:-target}"
BIN="$T/release/alliance"
OUT="$T/bench"
mkdir -p "$OUT"

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
cargo build --release --quiet --bin alliance

NATIONAL="${ALLIANCE_BENCH_DB:-$OUT/national-22000.db}"
if [ ! -f "$NATIONAL" ]; then
  echo "== generating $NATIONAL"
  start=$(date +%s.%N)
  "$BIN" sample --scale national --out "$NATIONAL" --today "$TODAY"
  end=$(date +%s.%N)
  echo "generation: $(echo "$end - $start" | bc) s"
fi
SAMPLE="sample.db"
ls -l "$NATIONAL" "$SAMPLE" | awk '{print $5, $9}'

if ! command -v hyperfine >/dev/null 2>&1; then
  (apt-get install -y -qq hyperfine >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq hyperfine >/dev/null 2>&1; }) || true
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
  apt-get install -y -qq sqlite3 >/dev/null 2>&1 || true
fi

# The queries of `alliance status` (src/store/aggregates.rs, src/store/measures.rs), for
# today = $TODAY (academic year 2026/27): each one as status runs it, so the floor reads the
# rows the figures come from (the metrics' inputs: settings, leaders with their delivered
# days, open contracts with delivery and latest review, open schools with their latest
# inspection, the last two judgements, head changes and predecessors' inspections, overdue
# decisions, funding-stream contracts, term dates, and the triggers' published figures).
SQL="$OUT/status-equivalent.sql"
cat > "$SQL" <<'EOF'
.output /dev/null
SELECT key, value FROM settings;
SELECT l.id, l.name, l.designation, l.days_per_year, l.active, l.home_school_id,
       coalesce((SELECT sum(v.days) FROM visits v
                 WHERE v.leader_id = l.id AND v.visited_on BETWEEN '2026-09-01' AND '2027-08-31'), 0.0)
FROM leaders l ORDER BY l.id;
SELECT c.id, c.school_id, s.name, c.leader_id, l.name, l.designation, c.focus, c.status,
       c.start_on, c.end_on, c.days_commissioned,
       coalesce((SELECT sum(v.days) FROM visits v WHERE v.contract_id = c.id), 0.0),
       (SELECT max(v.visited_on) FROM visits v WHERE v.contract_id = c.id),
       r.reviewed_on, r.rag, r.next_review_on, r.escalate
FROM contracts c
JOIN schools s ON s.id = c.school_id
JOIN leaders l ON l.id = c.leader_id
LEFT JOIN reviews r ON r.id = (SELECT r2.id FROM reviews r2 WHERE r2.contract_id = c.id
                              ORDER BY r2.reviewed_on DESC, r2.id DESC LIMIT 1)
WHERE c.status IN ('proposed', 'active', 'paused')
ORDER BY c.id;
SELECT s.id, s.name, s.urn, s.phase, s.category,
       i.inspected_on, i.framework, i.outcome, i.grade, i.areas, i.safeguarding_met, i.category_of_concern
FROM schools s
LEFT JOIN inspections i ON i.id = (SELECT i2.id FROM inspections i2
                                  WHERE i2.school_id = s.id AND i2.kind = 'standard'
                                  ORDER BY i2.inspected_on DESC, i2.id DESC LIMIT 1)
WHERE s.closed_on IS NULL
ORDER BY s.id;
SELECT school_id, inspected_on, framework, outcome, grade, areas, safeguarding_met, category_of_concern
FROM inspections WHERE kind = 'standard' AND framework IN ('graded', 'report_card')
ORDER BY school_id, inspected_on DESC, id DESC;
SELECT school_id, happened_on, after FROM school_events WHERE kind = 'head_changed'
ORDER BY school_id, happened_on, id;
SELECT l.school_id, i.inspected_on, i.framework, i.outcome, i.grade, i.areas, i.safeguarding_met,
       i.category_of_concern
FROM school_links l JOIN inspections i ON i.school_id = l.linked_school_id
WHERE l.link_type LIKE 'predecessor%' AND i.kind = 'standard';
SELECT id, kind, text, owner, due_on, school_id, contract_id FROM decisions
WHERE done = 0 AND due_on < '2026-11-23' ORDER BY due_on, id;
SELECT * FROM funding_streams ORDER BY id;
SELECT c.*, s.name, l.name, l.designation,
       coalesce((SELECT sum(v.days) FROM visits v WHERE v.contract_id = c.id), 0.0),
       (SELECT r.rag FROM reviews r WHERE r.contract_id = c.id ORDER BY r.reviewed_on DESC, r.id DESC LIMIT 1)
FROM contracts c JOIN schools s ON s.id = c.school_id JOIN leaders l ON l.id = c.leader_id
WHERE c.funding_stream_id IS NOT NULL ORDER BY c.start_on DESC, c.id DESC;
SELECT * FROM terms ORDER BY id;
SELECT school_id, area, measure, year, value, status, la_code FROM measures
WHERE ((NULL IS NULL AND area = 'school') OR school_id = NULL OR area <> 'school')
  AND measure IN ('PTRWM_EXP', 'PTL2BASICS_94', 'P8MEA', 'PERCTOT', 'PPERSABS10', 'PNUMFSMEVER')
ORDER BY measure, area, school_id, year;
EOF

A="$BIN --today $TODAY --db"
declare -A CMD=(
  [status_national]="$A $NATIONAL status --json"
  [sqlite3_national]="sqlite3 -batch -readonly -init $SQL $NATIONAL .quit"
  [render_national]="$A $NATIONAL render dashboard --width 120 --height 40"
  [status_sample]="$A $SAMPLE status --json"
  [sqlite3_sample]="sqlite3 -batch -readonly -init $SQL $SAMPLE .quit"
  [render_sample]="$A $SAMPLE render dashboard --width 120 --height 40"
)
ORDER=(status_national sqlite3_national render_national status_sample sqlite3_sample render_sample)

declare -A MED
median_of_runs() { # name, command: RUNS runs, median wall seconds
  local name=$1 cmd=$2 t=()
  for _ in $(seq "$RUNS"); do
    local s e; s=$(date +%s%N); $cmd >/dev/null; e=$(date +%s%N)
    t+=("$(( (e - s) / 1000 ))")
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2) / 1e6}'
}
for name in "${ORDER[@]}"; do
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$OUT/$name.json" "${CMD[$name]}" >/dev/null
    MED[$name]=$(python3 -c "import json;print(json.load(open('$OUT/$name.json'))['results'][0]['median'])")
  else
    MED[$name]=$(median_of_runs "$name" "${CMD[$name]}")
  fi
done

rss() { # the median of 5 peaks (KB)
  for _ in 1 2 3 4 5; do
    /usr/bin/time -v $1 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}'
  done | sort -n | sed -n 3p
}
RSS_RENDER_N=$(rss "${CMD[render_national]}")
RSS_RENDER_S=$(rss "${CMD[render_sample]}")
RSS_STATUS_N=$(rss "${CMD[status_national]}")
RSS_STATUS_S=$(rss "${CMD[status_sample]}")

ms() { python3 -c "print(f'{$1*1000:.1f}')"; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
echo
echo "== medians of $RUNS runs (wall clock), $(date -u +%Y-%m-%dT%H:%MZ)"
printf '| figure | national | sample.db | national / sample |\n|---|---|---|---|\n'
printf '| `status --json` | %s ms | %s ms | %s× |\n' "$(ms "${MED[status_national]}")" "$(ms "${MED[status_sample]}")" "$(ratio "${MED[status_national]}" "${MED[status_sample]}")"
printf '| bare sqlite3, same queries | %s ms | %s ms | %s× |\n' "$(ms "${MED[sqlite3_national]}")" "$(ms "${MED[sqlite3_sample]}")" "$(ratio "${MED[sqlite3_national]}" "${MED[sqlite3_sample]}")"
printf '| status / sqlite3 | %s× | %s× | |\n' "$(ratio "${MED[status_national]}" "${MED[sqlite3_national]}")" "$(ratio "${MED[status_sample]}" "${MED[sqlite3_sample]}")"
printf '| `render dashboard` 120×40 | %s ms | %s ms | %s× |\n' "$(ms "${MED[render_national]}")" "$(ms "${MED[render_sample]}")" "$(ratio "${MED[render_national]}" "${MED[render_sample]}")"
printf '| peak memory, `render dashboard` | %s MB | %s MB | %s× |\n' "$((RSS_RENDER_N / 1024))" "$((RSS_RENDER_S / 1024))" "$(ratio "$RSS_RENDER_N" "$RSS_RENDER_S")"
printf '| peak memory, `status --json` | %s MB | %s MB | %s× |\n' "$((RSS_STATUS_N / 1024))" "$((RSS_STATUS_S / 1024))" "$(ratio "$RSS_STATUS_N" "$RSS_STATUS_S")"
# `import performance` of a national KS2 file: one row per primary of the national file plus
# its LA and England rows, in the DfE's shape (named columns, % values, a few SUPP), for a year
# the file does not hold yet, so every figure is an insert with its audit row. Timed once, on a
# copy (it writes).
KS2DIR="$OUT/2027-2028"
mkdir -p "$KS2DIR"
KS2="$KS2DIR/england_ks2final.csv"
sqlite3 -batch -readonly -csv -header "$NATIONAL" > "$KS2" <<'EOF'
SELECT 1 AS RECTYPE, '' AS ALPHAIND, m.la_code AS LEA, '' AS ESTAB, s.urn AS URN, s.name AS SCHNAME, '' AS TOWN,
       CASE WHEN s.id % 97 = 0 THEN 'SUPP' ELSE printf('%d%%', m.value) END AS PTRWM_EXP,
       printf('%d%%', m.value / 8) AS PTRWM_HIGH, '' AS READPROG, '' AS WRITPROG, '' AS MATPROG,
       104 AS READ_AVERAGE, 104 AS MAT_AVERAGE, '70%' AS PTREAD_EXP
FROM schools s JOIN measures m ON m.school_id = s.id AND m.measure = 'PTRWM_EXP'
WHERE m.year = (SELECT max(year) FROM measures WHERE measure = 'PTRWM_EXP')
UNION ALL
SELECT 4, '', substr(area, 4), '', '', '', '', printf('%d%%', value), '8%', '', '', '', 105, 104, '71%'
FROM measures WHERE area LIKE 'la:%' AND measure = 'PTRWM_EXP'
  AND year = (SELECT max(year) FROM measures WHERE measure = 'PTRWM_EXP')
UNION ALL
SELECT 5, '', '', '', '', '', '', '62%', '8%', '', '', '', 105, 104, '71%';
EOF
KS2_ROWS=$(($(wc -l < "$KS2") - 1))
cp "$NATIONAL" "$OUT/national-import.db"
start=$(date +%s%N)
"$BIN" --today "$TODAY" --db "$OUT/national-import.db" import performance "$KS2" >/dev/null
end=$(date +%s%N)
IMPORT_S=$(python3 -c "print(f'{($end - $start)/1e9:.2f}')")
rm -f "$OUT/national-import.db" "$OUT/national-import.db-wal" "$OUT/national-import.db-shm" "$OUT"/national-import.db.before-*
printf '| `import performance` of a national KS2 file (%s rows) | %s s | | |\n' "$KS2_ROWS" "$IMPORT_S"

echo
echo "commands:"
for name in "${ORDER[@]}"; do echo "  $name: ${CMD[$name]}"; done
