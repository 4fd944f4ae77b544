#!/usr/bin/env bash
# Import benchmark on a team workspace (issue 10): the contacts export of
# scripts/bench-import.sh (scripts/gen-hubspot-contacts.py) imported by Baton (release CLI)
# into a new team database, and by `psql -c "\copy t FROM file CSV HEADER"` into an
# all-text table, in turn, medians of RUNS runs. Needs a server: run it under
# scripts/with-pg.sh, which sets BATON_TEST_PG.
#   scripts/with-pg.sh scripts/bench-import-pg.sh [ROWS] [RUNS]
set -euo pipefail
ROWS=${1:-1000000}
RUNS=${2:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${BATON_TEST_PG:?run under scripts/with-pg.sh (BATON_TEST_PG names the server)}"
command -v psql >/dev/null || { echo "psql is needed (apt-get install postgresql-client)"; exit 1; }
WORK=${BENCH_DIR:-$(mktemp -d)}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --quiet --release -p baton-cli
BIN=$CARGO_TARGET_DIR/release/baton
CSV=$WORK/contacts.csv
[ -f "$CSV" ] || python3 "$ROOT/scripts/gen-hubspot-contacts.py" "$ROWS" "$CSV"
echo "file: $CSV ($(du -m "$CSV" | cut -f1) MB, $ROWS rows)"
ADMIN=$BATON_TEST_PG
TEAM=${BATON_TEST_PG%/*}/baton_bench
# The all-text table \copy fills: one text column per header name.
COLUMNS=$(head -1 "$CSV" | python3 -c 'import csv, sys; print(", ".join("\"%s\" text" % c.replace("\"", "\"\"") for c in next(csv.reader(sys.stdin))))')

now() { date +%s.%N; }
baton_times=(); copy_times=()
for i in $(seq "$RUNS"); do
  psql "$ADMIN" -qX -c "DROP DATABASE IF EXISTS baton_bench" -c "CREATE DATABASE baton_bench"
  "$BIN" --workspace "$TEAM" init >/dev/null   # the schema, outside the timing
  t0=$(now)
  "$BIN" --workspace "$TEAM" import "$CSV" >/dev/null
  t1=$(now)
  baton_times+=("$(echo "$t1 - $t0" | bc)")
  psql "$ADMIN" -qX -c "DROP TABLE IF EXISTS bench_copy" -c "CREATE TABLE bench_copy ($COLUMNS)"
  t0=$(now)
  psql "$ADMIN" -qX -c "\\copy bench_copy FROM '$CSV' CSV HEADER"
  t1=$(now)
  copy_times+=("$(echo "$t1 - $t0" | bc)")
  echo "run $i: baton ${baton_times[-1]} s, psql \\copy ${copy_times[-1]} s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mb=$(median "${baton_times[@]}"); mc=$(median "${copy_times[@]}")
echo "median: baton $mb s, psql \\copy $mc s, ratio baton/\\copy $(echo "scale=2; $mb / $mc" | bc)"
psql "$ADMIN" -qX -c "DROP DATABASE IF EXISTS baton_bench" -c "DROP TABLE IF EXISTS bench_copy"
[ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"
