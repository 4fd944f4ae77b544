#!/usr/bin/env bash
# Import benchmark on a team workspace (issue 10): the contacts export of
# scripts/bench-import.sh (scripts/gen-hubspot-contacts.py) imported by Baton (release CLI)
# into a new team database, and by `psql -c "\copy t FROM file CSV HEADER"` into an
# all-text table, in turn, medians of RUNS runs. Needs a server: run it under
# scripts/with-pg.sh, which sets BATON_TEST_PG.
# Then the funnel on the imported team workspace against the same data in a .baton file
# (`baton workspace copy` of it): the first funnel ever of each (no dataset kept yet),
# then `baton funnel --by source --json` from a fresh process, and the service's first
# funnel, a refresh after a filter change and the unfiltered one again (example
# bench_funnel), in turn, medians, ratios team/file. The team workspace's dataset is
# kept in $WORK/cache (BATON_CACHE_DIR), the file's beside it.
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
cargo build --quiet --release -p baton-cli --example bench_funnel
BIN=$CARGO_TARGET_DIR/release/baton
FUNNEL=$CARGO_TARGET_DIR/release/examples/bench_funnel
CSV=$WORK/contacts.csv
[ -f "$CSV" ] || python3 "$ROOT/scripts/gen-hubspot-contacts.py" "$ROWS" "$CSV"
echo "file: $CSV ($(du -m "$CSV" | cut -f1) MB, $ROWS rows)"
ADMIN=$BATON_TEST_PG
TEAM=${BATON_TEST_PG%/*}/baton_bench
# The all-text table \copy fills: one text column per header name.
COLUMNS=$(head -1 "$CSV" | python3 -c 'import csv, sys; print(", ".join("\"%s\" text" % c.replace("\"", "\"\"") for c in next(csv.reader(sys.stdin))))')

now() { date +%s.%N; }
# The server's own share, as a floor: the rows Baton stored (records and their stage
# snapshots, saved from the first run as binary COPY files) loaded by psql from those files
# into empty tables with the workspace's keys (`LIKE … INCLUDING ALL`), in one transaction
# as the import does. No client work at all: no import can be faster than this.
REC_BIN=$WORK/records.bin; SNAP_BIN=$WORK/snapshots.bin
baton_times=(); copy_times=(); floor_times=()
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
  if [ "$i" = 1 ]; then
    psql "$TEAM" -qX -c "\\copy records TO '$REC_BIN' (FORMAT binary)" \
      -c "\\copy import_snapshots TO '$SNAP_BIN' (FORMAT binary)"
  fi
  psql "$TEAM" -qX -c "CREATE TABLE floor_records (LIKE records INCLUDING ALL)" \
    -c "CREATE TABLE floor_snapshots (LIKE import_snapshots INCLUDING ALL)"
  t0=$(now)
  psql "$TEAM" -qX -1 -c "\\copy floor_records FROM '$REC_BIN' (FORMAT binary)" \
    -c "\\copy floor_snapshots FROM '$SNAP_BIN' (FORMAT binary)"
  t1=$(now)
  floor_times+=("$(echo "$t1 - $t0" | bc)")
  psql "$TEAM" -qX -c "DROP TABLE floor_records, floor_snapshots"
  echo "run $i: baton ${baton_times[-1]} s, psql \\copy ${copy_times[-1]} s, server floor ${floor_times[-1]} s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mb=$(median "${baton_times[@]}"); mc=$(median "${copy_times[@]}"); mf=$(median "${floor_times[@]}")
echo "median: baton $mb s, psql \\copy $mc s, ratio baton/\\copy $(echo "scale=2; $mb / $mc" | bc)"
echo "median: server floor (Baton's rows from binary files into tables with the workspace's keys) $mf s, ratio floor/\\copy $(echo "scale=2; $mf / $mc" | bc), baton/floor $(echo "scale=2; $mb / $mf" | bc)"

# The funnel: the last run's team workspace against the same data in a file.
echo "load average before the funnel part: $(cut -d' ' -f1-3 /proc/loadavg)"
export BATON_CACHE_DIR=$WORK/cache
rm -rf "$BATON_CACHE_DIR"
FILE=$WORK/bench.baton
rm -f "$FILE" "$FILE"-wal "$FILE"-shm "$FILE".dataset
"$BIN" workspace copy "$TEAM" "$FILE" >/dev/null
t0=$(now); "$FUNNEL" "$FILE" >"$WORK/cold.json"; t1=$(now)
echo "file, first funnel ever (no dataset kept beside it yet): $(cat "$WORK/cold.json"), process $(echo "$t1 - $t0" | bc) s"
t0=$(now); "$FUNNEL" "$TEAM" >"$WORK/cold-team.json"; t1=$(now)
echo "team, first funnel ever (no dataset kept on this client yet): $(cat "$WORK/cold-team.json"), process $(echo "$t1 - $t0" | bc) s"
cli_team=(); cli_file=(); first_team=(); first_file=(); filt_team=(); filt_file=()
field() { python3 -c "import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$@"; }
for i in $(seq "$RUNS"); do
  for w in team file; do
    if [ $w = team ]; then W=$TEAM; else W=$FILE; fi
    t0=$(now)
    "$BIN" --workspace "$W" funnel --by source --json >"$WORK/funnel-$w.json"
    t1=$(now)
    "$FUNNEL" "$W" >"$WORK/svc-$w.json"
    if [ $w = team ]; then
      cli_team+=("$(echo "$t1 - $t0" | bc)"); first_team+=("$(field "$WORK/svc-$w.json" first)")
      filt_team+=("$(field "$WORK/svc-$w.json" filtered)")
    else
      cli_file+=("$(echo "$t1 - $t0" | bc)"); first_file+=("$(field "$WORK/svc-$w.json" first)")
      filt_file+=("$(field "$WORK/svc-$w.json" filtered)")
    fi
  done
  cmp -s "$WORK/funnel-team.json" "$WORK/funnel-file.json" || { echo "the two funnels differ"; exit 1; }
  echo "run $i: baton funnel (process) team ${cli_team[-1]} s, file ${cli_file[-1]} s; service first funnel team ${first_team[-1]} s, file ${first_file[-1]} s; after a filter change team ${filt_team[-1]} s, file ${filt_file[-1]} s"
done
ratio() { echo "scale=2; $1 / $2" | bc; }
a=$(median "${cli_team[@]}"); b=$(median "${cli_file[@]}")
echo "median: baton funnel --by source --json (fresh process): team $a s, file $b s, ratio team/file $(ratio "$a" "$b")"
a=$(median "${first_team[@]}"); b=$(median "${first_file[@]}")
echo "median: first funnel after connecting (service): team $a s, file $b s, ratio team/file $(ratio "$a" "$b")"
a=$(median "${filt_team[@]}"); b=$(median "${filt_file[@]}")
echo "median: funnel after a filter change (service, dataset cached): team $a s, file $b s, ratio team/file $(ratio "$a" "$b")"
echo "load average after the funnel part: $(cut -d' ' -f1-3 /proc/loadavg)"
psql "$ADMIN" -qX -c "DROP DATABASE IF EXISTS baton_bench" -c "DROP TABLE IF EXISTS bench_copy"
[ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"
