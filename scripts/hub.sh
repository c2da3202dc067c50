#!/usr/bin/env bash
# The long run of tests/hub.rs's shared-file test (issue #16): real Unix accounts (made and
# removed by the test; needs root), umask 077 each, three coordinators logging visits, a
# coordinator's TUI and a board member's status loop on one shared file — then checks 0
# failures, 0 lost writes and the audit's names. VISITS per coordinator (default 350: about a minute
# with the debug build on a 2-core machine).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "hub.sh needs root to create Unix users and groups" >&2
  exit 1
fi
VISITS="${1:-350}"
start=$(date +%s)
ALLIANCE_HUB_VISITS="$VISITS" cargo test --test hub three_coordinators -- --nocapture
echo "took $(( $(date +%s) - start )) s for $((VISITS * 3)) visits"
