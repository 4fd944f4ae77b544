#!/usr/bin/env bash
# Spreadsheet import benchmark (issue 11): the same HubSpot-style contacts export as CSV and
# as .xlsx (the CSV saved by LibreOffice: dates typed as dates, shared strings), each
# imported by Baton (release build, fresh workspace) in turn, medians of RUNS runs, with
# peak RSS. Usage: scripts/bench-import-xlsx.sh [ROWS] [RUNS]
# Needs python3, bc, soffice (LibreOffice); set BENCH_DIR=DIR to keep and reuse the files.
set -euo pipefail
ROWS=${1:-200000}
RUNS=${2:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-$(mktemp -d)}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --quiet --release -p baton-import --example bench_import
BIN=$CARGO_TARGET_DIR/release/examples/bench_import
CSV=$WORK/contacts-$ROWS.csv
XLSX=$WORK/contacts-$ROWS.xlsx
[ -f "$CSV" ] || python3 "$ROOT/scripts/gen-hubspot-contacts.py" "$ROWS" "$CSV"
if [ ! -f "$XLSX" ]; then
  soffice --headless --norestore --infilter="CSV:44,34,76,1" --convert-to xlsx --outdir "$WORK" "$CSV" >/dev/null 2>&1
fi
echo "files: $CSV ($(du -m "$CSV" | cut -f1) MB), $XLSX ($(du -m "$XLSX" | cut -f1) MB), $ROWS rows"

now() { date +%s.%N; }
run() { # FILE → "seconds peak_kib"
  rm -f "$WORK/b.baton" "$WORK/b.baton-wal" "$WORK/b.baton-shm" "$WORK/b.baton-journal"
  local t0 t1
  t0=$(now)
  /usr/bin/time -v -o "$WORK/time.txt" "$BIN" "$1" "$WORK/b.baton" >"$WORK/out.txt"
  t1=$(now)
  echo "$(echo "$t1 - $t0" | bc) $(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$WORK/time.txt")"
}
csv_t=(); csv_m=(); xlsx_t=(); xlsx_m=()
for i in $(seq "$RUNS"); do
  read -r t m < <(run "$CSV"); csv_t+=("$t"); csv_m+=("$m")
  read -r t m < <(run "$XLSX"); xlsx_t+=("$t"); xlsx_m+=("$m")
  echo "run $i: csv ${csv_t[-1]} s (peak RSS ${csv_m[-1]} KiB), xlsx ${xlsx_t[-1]} s (peak RSS ${xlsx_m[-1]} KiB)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mc=$(median "${csv_t[@]}"); mx=$(median "${xlsx_t[@]}")
echo "median: csv $mc s, xlsx $mx s, ratio xlsx/csv $(echo "scale=2; $mx / $mc" | bc), peak RSS csv $(( $(median "${csv_m[@]}") / 1024 )) MiB, xlsx $(( $(median "${xlsx_m[@]}") / 1024 )) MiB"
[ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"
