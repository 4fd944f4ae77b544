#!/usr/bin/env bash
# Re-import benchmark on a team workspace (issue 10): a team's weekly round trip, the
# contacts export of scripts/bench-import.sh (scripts/gen-hubspot-contacts.py) imported
# once (untimed), then imported AGAIN, every row a stored record: into a new team
# database, and in turn the same two imports into a new .baton file, release `baton` CLI
# for both, medians of RUNS runs, ratio team/file. Needs a server: run it under
# scripts/with-pg.sh, which sets BATON_TEST_PG.
#   scripts/with-pg.sh scripts/bench-reimport-pg.sh [ROWS] [RUNS]
# ROWS below the size of $BENCH_DIR/contacts.csv takes its first ROWS rows (a file of its
# own beside it). PG_LOG_MS=N logs the team re-import's statements slower than N ms into
# the cluster's log ($BATON_PG_CLUSTER/log), and prints where. RECORDS_FILLFACTOR=N sets
# `records`' fillfactor after `init` (an experiment: the schema does not set one).
set -euo pipefail
ROWS=${1:-1000000}
RUNS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${BATON_TEST_PG:?run under scripts/with-pg.sh (BATON_TEST_PG names the server)}"
command -v psql >/dev/null || { echo "psql is needed (apt-get install postgresql-client)"; exit 1; }
WORK=${BENCH_DIR:-$(mktemp -d)}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
# BATON_BIN=path: time that binary instead (e.g. a copy of an earlier build).
if [ -z "${BATON_BIN:-}" ]; then
  cargo build --quiet --release -p baton-cli
fi
BIN=${BATON_BIN:-$CARGO_TARGET_DIR/release/baton}
FULL=$WORK/contacts.csv
[ -f "$FULL" ] || python3 "$ROOT/scripts/gen-hubspot-contacts.py" "$ROWS" "$FULL"
CSV=$FULL
if [ "$(($(wc -l <"$FULL") - 1))" -gt "$ROWS" ]; then
  CSV=$WORK/contacts-$ROWS.csv
  [ -f "$CSV" ] || head -n "$((ROWS + 1))" "$FULL" >"$CSV"
fi
echo "file: $CSV ($(du -m "$CSV" | cut -f1) MB, $(($(wc -l <"$CSV") - 1)) lines after the header)"
ADMIN=$BATON_TEST_PG
DB=baton_reimport
TEAM=${BATON_TEST_PG%/*}/$DB
FILE=$WORK/reimport.baton
export BATON_CACHE_DIR=$WORK/reimport-cache
# A week apart, as a team's weekly export and re-import.
FIRST="--as-of 2026-01-05"
AGAIN="--as-of 2026-01-12"

now() { date +%s.%N; }
# The import's summary without its timing, to compare the two backends' answers.
summary() { grep -v -i -E 'seconds|[0-9.]+ ?s\b' "$1" || true; }
team_times=(); file_times=(); rss=()
for i in $(seq "$RUNS"); do
  psql "$ADMIN" -qX -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  "$BIN" --workspace "$TEAM" init >/dev/null
  if [ -n "${RECORDS_FILLFACTOR:-}" ]; then
    psql "$TEAM" -qX -c "ALTER TABLE records SET (fillfactor = $RECORDS_FILLFACTOR)"
  fi
  # shellcheck disable=SC2086
  "$BIN" --workspace "$TEAM" import $FIRST "$CSV" >/dev/null
  if [ -n "${PG_LOG_MS:-}" ]; then
    psql "$ADMIN" -qX -c "ALTER DATABASE $DB SET log_min_duration_statement = $PG_LOG_MS"
    echo "statements over $PG_LOG_MS ms: ${BATON_PG_CLUSTER:-the cluster}/log"
  fi
  load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(now)
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$WORK/reimport-time.txt" "$BIN" --workspace "$TEAM" import $AGAIN "$CSV" >"$WORK/reimport-team.txt"
  t1=$(now)
  team_times+=("$(echo "$t1 - $t0" | bc)")
  rss+=("$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$WORK/reimport-time.txt")")
  if [ -n "${PG_LOG_MS:-}" ]; then
    psql "$ADMIN" -qX -c "ALTER DATABASE $DB RESET log_min_duration_statement"
  fi
  rm -f "$FILE" "$FILE"-wal "$FILE"-shm "$FILE".dataset
  "$BIN" --workspace "$FILE" init >/dev/null
  # shellcheck disable=SC2086
  "$BIN" --workspace "$FILE" import $FIRST "$CSV" >/dev/null
  t0=$(now)
  # shellcheck disable=SC2086
  "$BIN" --workspace "$FILE" import $AGAIN "$CSV" >"$WORK/reimport-file.txt"
  t1=$(now)
  file_times+=("$(echo "$t1 - $t0" | bc)")
  if [ "$(summary "$WORK/reimport-team.txt")" != "$(summary "$WORK/reimport-file.txt")" ]; then
    echo "the two re-imports answered differently:"; diff "$WORK/reimport-team.txt" "$WORK/reimport-file.txt" || true
    exit 1
  fi
  echo "run $i (load $load): re-import team ${team_times[-1]} s (peak RSS $((rss[-1] / 1024)) MiB), file ${file_times[-1]} s"
done
cat "$WORK/reimport-team.txt"
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mt=$(median "${team_times[@]}"); mf=$(median "${file_times[@]}")
echo "median: re-import team $mt s, file $mf s, ratio team/file $(echo "scale=2; $mt / $mf" | bc); load average now $(cut -d' ' -f1-3 /proc/loadavg)"
psql "$ADMIN" -qX -c "DROP DATABASE IF EXISTS $DB"
rm -rf "$FILE" "$FILE"-wal "$FILE"-shm "$FILE".dataset "$BATON_CACHE_DIR"
[ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"
