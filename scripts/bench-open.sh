#!/usr/bin/env bash
# Open benchmark (issue 11): `baton --workspace W funnel --by source` from a fresh process
# (release build) on a HubSpot-style contacts workspace of each size, RUNS runs of each
# variant in turn, medians, with peak RSS:
#   persisted  the dataset kept beside the file (W.dataset) is current: read it
#   full       no W.dataset: every record is read and decoded (what every open did
#              before), then the dataset is persisted for the next open
#   sqlite3    peer: `sqlite3 W "SELECT * FROM records"` reading the same rows
# and, on the largest size, `baton import` of 10,000 new records into it against the same
# file into an empty workspace (an incremental import must not cost more with the
# workspace's size), then the first funnel after that import:
#   extended   W.dataset is one import behind: read, extended with the import's rows
#   reloaded   no W.dataset: every record read again
# Usage: scripts/bench-open.sh [RUNS] [SIZES...]   (default: 5 100000 1000000)
set -euo pipefail
RUNS=${1:-5}
shift || true
SIZES=("${@:-100000 1000000}")
read -r -a SIZES <<<"${SIZES[*]}"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-$(mktemp -d)}
EXTRA=10000
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed (apt-get install sqlite3)"; exit 1; }
cargo build --quiet --release -p baton-cli
BATON=$CARGO_TARGET_DIR/release/baton

now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# run NAME CMD...: time CMD (stdout dropped), append seconds and peak RSS (KiB) to NAME_t / NAME_m.
run() {
  local name=$1; shift
  local t0 t1
  t0=$(now)
  /usr/bin/time -v -o "$WORK/time.txt" "$@" >/dev/null
  t1=$(now)
  eval "${name}_t+=(\"$(echo "$t1 - $t0" | bc)\")"
  eval "${name}_m+=(\"$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$WORK/time.txt")\")"
}
report() { # report LABEL NAME [BASE]
  local -n t="${2}_t" m="${2}_m"
  local mt mm
  mt=$(median "${t[@]}"); mm=$(median "${m[@]}")
  if [ -n "${3:-}" ]; then
    local -n bt="${3}_t"
    printf '  %-34s %6.3f s  peak RSS %4d MiB  (%.2f× %s)\n' "$1" "$mt" $((mm / 1024)) "$(echo "scale=4; $mt / $(median "${bt[@]}")" | bc)" "$3"
  else
    printf '  %-34s %6.3f s  peak RSS %4d MiB\n' "$1" "$mt" $((mm / 1024))
  fi
}

last=${SIZES[-1]}
for n in "${SIZES[@]}"; do
  csv=$WORK/contacts-$n.csv
  ws=$WORK/w-$n.baton
  if [ ! -f "$ws" ]; then
    total=$n
    [ "$n" = "$last" ] && total=$((n + EXTRA))
    python3 "$ROOT/scripts/gen-hubspot-contacts.py" "$total" "$WORK/all.csv"
    head -n $((n + 1)) "$WORK/all.csv" >"$csv"
    if [ "$n" = "$last" ]; then
      { head -n 1 "$WORK/all.csv"; tail -n "$EXTRA" "$WORK/all.csv"; } >"$WORK/extra.csv"
    fi
    rm -f "$WORK/all.csv"
    "$BATON" --workspace "$ws" init >/dev/null
    "$BATON" --workspace "$ws" import "$csv" >/dev/null
  fi
  persisted_t=(); persisted_m=(); full_t=(); full_m=(); sqlite3_t=(); sqlite3_m=()
  for i in $(seq "$RUNS"); do
    rm -f "$ws.dataset"
    run full "$BATON" --workspace "$ws" funnel --by source
    run persisted "$BATON" --workspace "$ws" funnel --by source
    run sqlite3 sqlite3 "$ws" "SELECT * FROM records"
  done
  echo "$n records, cold open + first funnel (medians of $RUNS):"
  report "persisted dataset" persisted full
  report "full load (decode every record)" full
  report "sqlite3 SELECT * FROM records" sqlite3
  echo "  persisted / sqlite3: $(echo "scale=2; $(median "${persisted_t[@]}") / $(median "${sqlite3_t[@]}")" | bc)×"
done

# Incremental: import 10,000 new records into the largest workspace, then the next funnel.
ws=$WORK/w-$last.baton
cp "$ws" "$WORK/base.baton"
rm -f "$ws.dataset"
"$BATON" --workspace "$ws" funnel --by source >/dev/null # persist at the base version
cp "$ws.dataset" "$WORK/base.dataset"
rm -f "$WORK/empty.baton"*
"$BATON" --workspace "$WORK/empty.baton" init >/dev/null
extended_t=(); extended_m=(); reloaded_t=(); reloaded_m=(); import_t=(); import_m=(); empty_t=(); empty_m=()
for i in $(seq "$RUNS"); do
  # Copies are synced first: the import's commit would otherwise also flush the copy.
  cp "$WORK/empty.baton" "$WORK/inc-empty.baton"; rm -f "$WORK/inc-empty.baton-wal" "$WORK/inc-empty.baton-shm"
  sync "$WORK/inc-empty.baton"
  run empty "$BATON" --workspace "$WORK/inc-empty.baton" import "$WORK/extra.csv"
  cp "$WORK/base.baton" "$WORK/inc.baton"; rm -f "$WORK/inc.baton-wal" "$WORK/inc.baton-shm"
  sync "$WORK/inc.baton"
  run import "$BATON" --workspace "$WORK/inc.baton" import "$WORK/extra.csv"
  cp "$WORK/base.dataset" "$WORK/inc.baton.dataset"
  run extended "$BATON" --workspace "$WORK/inc.baton" funnel --by source
  rm -f "$WORK/inc.baton.dataset"
  run reloaded "$BATON" --workspace "$WORK/inc.baton" funnel --by source
done
echo "$EXTRA new records imported (medians of $RUNS):"
report "into $last records" import empty
report "into an empty workspace" empty
echo "$last records + $EXTRA imported, next funnel from a fresh process (medians of $RUNS):"
report "persisted dataset extended" extended reloaded
report "full reload" reloaded
[ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"
