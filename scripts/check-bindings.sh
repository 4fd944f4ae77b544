#!/usr/bin/env bash
# Fails when ui/src/lib/bindings/ differs from what the Rust types generate (ts-rs).
# Regenerates into a temporary directory, so the committed files are never touched.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
FRESH="$(mktemp -d)"
trap 'rm -rf "$FRESH"' EXIT

# ts-rs writes one file per `#[ts(export)]` type from its generated `export_bindings_*` tests.
TS_RS_EXPORT_DIR="$FRESH" cargo test -q --workspace --features baton-cli/pg-tests,baton-metrics/pg-tests,baton-service/pg-tests --lib export_bindings >/dev/null

if diff -ru --exclude='*.test.ts' "ui/src/lib/bindings" "$FRESH" ; then
  echo "bindings are up to date ($(ls "$FRESH" | wc -l) files)"
else
  echo
  echo "error: ui/src/lib/bindings/ has drifted from the Rust types."
  echo "Regenerate with: cargo test --workspace --lib export_bindings (then commit ui/src/lib/bindings/)"
  exit 1
fi
