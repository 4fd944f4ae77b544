#!/usr/bin/env bash
# README command 1: install what is missing, build the UI and the app, and open Baton
# on the demo workspace. Without a display (a server, CI) the window runs under Xvfb.
# `BATON_WORKSPACE=/path/file.baton scripts/run.sh` opens that file instead.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
say() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

bash scripts/install-deps.sh

say "Build the UI (ui/dist)"
(cd ui && npm run -s build)

say "Build the app (cargo build -p baton-app; the first build takes several minutes)"
cargo build -p baton-app -p baton-cli
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

if [[ -z "${BATON_WORKSPACE:-}" ]]; then
  # A fresh demo workspace each run, made by the CLI through the same import path users take.
  DEMO_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/app.baton.workbench"
  mkdir -p "$DEMO_DIR"
  export BATON_WORKSPACE="$DEMO_DIR/demo.baton"
  if [[ ! -f "$BATON_WORKSPACE" ]]; then
    say "Create the demo workspace"
    "$TARGET_DIR/debug/baton" --workspace "$BATON_WORKSPACE" demo
  fi
fi

say "Launch Baton on $BATON_WORKSPACE"
if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then
  exec "$TARGET_DIR/debug/baton-app"
else
  echo "no display: running the window under Xvfb (to look at it: scripts/screenshot.sh, see docs/dev.md)"
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$TARGET_DIR/debug/baton-app"
fi
