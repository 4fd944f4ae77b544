#!/usr/bin/env bash
# Import preview timing (issue 13): an 8,800-row HubSpot-style contacts export previewed
# after each mapping change, re-reading the file every time (as before) and re-mapping
# the rows already read (now). Usage: scripts/bench-preview.sh [ROWS] [RUNS] [--debug]
set -euo pipefail
ROWS=${1:-8800}
RUNS=${2:-11}
PROFILE=${3:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-$(mktemp -d)}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
if [ "$PROFILE" = "--debug" ]; then
  cargo build --quiet -p baton-import --example bench_preview
  BIN=$CARGO_TARGET_DIR/debug/examples/bench_preview
else
  cargo build --quiet --release -p baton-import --example bench_preview
  BIN=$CARGO_TARGET_DIR/release/examples/bench_preview
fi
CSV=$WORK/contacts-$ROWS.csv
[ -f "$CSV" ] || python3 "$ROOT/scripts/gen-hubspot-contacts.py" "$ROWS" "$CSV"
"$BIN" "$CSV" "$RUNS"
[ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"
