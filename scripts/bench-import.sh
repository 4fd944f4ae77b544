#!/usr/bin/env bash
# Import benchmark (issue 3): a 1,000,000-row HubSpot-style contacts export imported by
# Baton (release build) and by `sqlite3 .import --csv`, alternating, medians of RUNS runs,
# plus Baton's peak RSS. Usage: scripts/bench-import.sh [ROWS] [RUNS]
set -euo pipefail
ROWS=${1:-1000000}
RUNS=${2:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-$(mktemp -d)}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed (apt-get install sqlite3)"; exit 1; }
cargo build --quiet --release -p baton-import --example bench_import
BIN=$CARGO_TARGET_DIR/release/examples/bench_import
CSV=$WORK/contacts.csv
[ -f "$CSV" ] || python3 "$ROOT/scripts/gen-hubspot-contacts.py" "$ROWS" "$CSV"
echo "file: $CSV ($(du -m "$CSV" | cut -f1) MB, $ROWS rows)"

now() { date +%s.%N; }
baton_times=(); sqlite_times=(); rss=()
for i in $(seq "$RUNS"); do
  rm -f "$WORK/b.baton" "$WORK/b.baton-wal" "$WORK/b.baton-shm"
  t0=$(now)
  /usr/bin/time -v -o "$WORK/time.txt" "$BIN" "$CSV" "$WORK/b.baton" >/dev/null
  t1=$(now)
  baton_times+=("$(echo "$t1 - $t0" | bc)")
  rss+=("$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$WORK/time.txt")")
  rm -f "$WORK/s.db"
  t0=$(now)
  sqlite3 "$WORK/s.db" ".import --csv $CSV contacts"
  t1=$(now)
  sqlite_times+=("$(echo "$t1 - $t0" | bc)")
  echo "run $i: baton ${baton_times[-1]} s (peak RSS ${rss[-1]} KiB), sqlite3 .import ${sqlite_times[-1]} s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mb=$(median "${baton_times[@]}"); ms=$(median "${sqlite_times[@]}"); mr=$(median "${rss[@]}")
echo "median: baton $mb s, sqlite3 .import $ms s, ratio baton/sqlite3 $(echo "scale=2; $mb / $ms" | bc), baton peak RSS $((mr / 1024)) MiB"
[ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"
