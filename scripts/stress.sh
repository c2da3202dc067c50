#!/usr/bin/env bash
# The large concurrent-writers run (issue 5): 4 writers × 5,000 visits, each visit its own
# `alliance log-visit` process, on one copy of sample.db, with a `status --json` reader looping
# alongside; then every acknowledged id is checked with plain SQL.
#
#   scripts/stress.sh                 # 4 × 5,000, release build
#   WRITERS=8 VISITS=1000 scripts/stress.sh
#   KEEP=/tmp/stress scripts/stress.sh   # keep the database afterwards
#
# It builds the working tree as it is; to measure exactly what is committed, run it in a clean
# checkout (git worktree add /tmp/clean HEAD && cd /tmp/clean && scripts/stress.sh).
#
# Prints writes/s, per-write latency (p50, p99, max wait), lost writes; exits non-zero on any
# lost or refused write, any "locked"/"busy" message, or a failed integrity_check.
set -euo pipefail
cd "$(dirname "$0")/.."
WRITERS="${WRITERS:-4}"
VISITS="${VISITS:-5000}"
T="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet --bin alliance --example stress
args=(--bin "$T/release/alliance" --writers "$WRITERS" --visits "$VISITS")
if [ -n "${KEEP:-}" ]; then args+=(--keep "$KEEP"); fi
echo "$ scripts/stress.sh  (WRITERS=$WRITERS VISITS=$VISITS, $(nproc) CPUs, $(uname -sr))"
exec "$T/release/examples/stress" "${args[@]}"
