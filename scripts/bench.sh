#!/usr/bin/env bash
# Benchmarks of issue 2, in release: synth of N households, and import of them into a new
# SQLite file (CSV parse + checks + one transaction). Prints wall time, peak memory and rows/s.
# Usage: scripts/bench.sh [N=1000000] [SEED=1]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
SEED=${2:-1}
OUT=${BENCH_OUT:-/tmp/jiuzhu-bench}
rm -rf "$OUT"; mkdir -p "$OUT"
swift build -c release --product jiuzhu 2>&1 | grep -E "error|Compiling jiuzhu|Build complete" || true
BIN=$(swift build -c release --show-bin-path)/jiuzhu

measure() { # label, command... — prints a line, leaves the seconds in $secs
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" >/dev/null
  read -r secs kb < "$OUT/time"
  echo "$label: ${secs} s, peak $((kb / 1024)) MiB"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(swift --version 2>&1 | head -1)"
measure "synth --households $N" "$BIN" synth --households "$N" --seed "$SEED" --today 2025-07-15 --out "$OUT/pop"
h=$(($(wc -l < "$OUT/pop/households.csv") - 1)); m=$(($(wc -l < "$OUT/pop/members.csv") - 1))
echo "  $h households, $m members, $(du -sh "$OUT/pop" | cut -f1) of CSV"
measure "import population into a new SQLite file" "$BIN" import population --households "$OUT/pop/households.csv" \
      --members "$OUT/pop/members.csv" --database "$OUT/bench.sqlite"
i=$secs
python3 -c "print(f'  import: {($h+$m)/$i:,.0f} rows/s ({$h+$m:,} rows in {$i} s)')"
measure "export population" "$BIN" export population --out "$OUT/export" --database "$OUT/bench.sqlite"
if cmp -s "$OUT/pop/households.csv" "$OUT/export/households.csv" && cmp -s "$OUT/pop/members.csv" "$OUT/export/members.csv"; then
  echo "  round trip: export is byte-identical to the synthetic files"
else
  echo "  round trip: FILES DIFFER"; exit 1
fi
