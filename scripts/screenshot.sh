#!/usr/bin/env bash
# Start the built app under a private Xvfb, wait, save a screenshot of the whole
# screen, and stop the app. For looking at screens without a desktop.
#   scripts/screenshot.sh OUT.png [WORKSPACE.baton] [SCREEN_ID] [SECONDS]
# SCREEN_ID (e.g. funnel) opens that screen first. Uses a throwaway config/data dir.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$(realpath -m "${1:?usage: screenshot.sh OUT.png [WORKSPACE] [SCREEN_ID] [SECONDS]}")"
WORKSPACE="${2:-}"
SCREEN="${3:-}"
WAIT="${4:-6}"
APP="${BATON_APP_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/baton-app}"
[[ -x "$APP" ]] || { echo "error: $APP not built (cargo build -p baton-app)" >&2; exit 1; }
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT

export XDG_CONFIG_HOME="$SCRATCH/config" XDG_DATA_HOME="$SCRATCH/data"
[[ -n "$WORKSPACE" ]] && export BATON_WORKSPACE="$(realpath "$WORKSPACE")"
# The screen to open is passed as the start URL's hash through an env var the app reads.
[[ -n "$SCREEN" ]] && export BATON_START_SCREEN="$SCREEN"

xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  "$0" >"$3/app.log" 2>&1 &
  pid=$!
  sleep "$1"
  import -window root "$2"
  kill "$pid"; wait "$pid" 2>/dev/null || true
' "$APP" "$WAIT" "$OUT" "$SCRATCH"
echo "saved $OUT"
