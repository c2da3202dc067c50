#!/usr/bin/env bash
# Regenerates the committed sample.db: the deterministic sample alliance (seed 2026) as it
# stands on 23 Nov 2026. tests/sample.rs checks the committed file matches, as data.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f sample.db sample.db-wal sample.db-shm
cargo run --release -- sample --out sample.db --seed 2026 --today 2026-11-23
