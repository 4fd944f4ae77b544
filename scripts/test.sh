#!/usr/bin/env bash
# README command 2: every check and test, in order, stopping at the first failure.
# Installs what is missing first. CI runs exactly this (.ci/run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
START=$SECONDS
section() { printf '\n\033[1;34m======== %s  (+%ss)\033[0m\n' "$*" "$((SECONDS - START))"; }
trap 'printf "\n\033[1;31mFAILED in section above after %ss\033[0m\n" "$((SECONDS - START))"' ERR

section "Install dependencies"
bash scripts/install-deps.sh

# The app crate embeds ui/dist at compile time (tauri::generate_context!), so build it first.
section "UI build (vite)"
(cd ui && npm run -s build)

section "GitHub workflows (actionlint)"
.tools/venv/bin/actionlint .github/workflows/*.yml

section "cargo fmt --check"
cargo fmt --all --check

# The PostgreSQL tests (team workspaces) compile with the `pg-tests` feature; every cargo
# line below takes the same features so nothing is built twice.
PG_FEATURES=(--features baton-cli/pg-tests,baton-metrics/pg-tests,baton-service/pg-tests)

section "cargo clippy (warnings denied)"
cargo clippy --workspace --all-targets "${PG_FEATURES[@]}" -- -D warnings

# Before `cargo test`, which rewrites ui/src/lib/bindings/ and would hide any drift.
section "Bindings drift check"
bash scripts/check-bindings.sh

section "Rust tests (with a throwaway PostgreSQL cluster, stopped at the end)"
bash scripts/with-pg.sh cargo test --workspace "${PG_FEATURES[@]}"

section "UI lint (eslint)"
(cd ui && npm run -s lint)

section "UI type check (svelte-check)"
(cd ui && npm run -s check)

section "UI unit tests (vitest)"
(cd ui && npm run -s test)

section "Build the app and CLI for end-to-end tests"
cargo build -p baton-app -p baton-cli "${PG_FEATURES[@]}"

section "End-to-end tests (real window under Xvfb, tauri-driver + WebKitWebDriver)"
xvfb-run -a -s "-screen 0 1280x800x24" .tools/venv/bin/pytest -q tests/e2e

printf '\n\033[1;32mAll checks passed in %ss\033[0m\n' "$((SECONDS - START))"
