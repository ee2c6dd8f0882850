#!/usr/bin/env bash
# Benchmark of issue 3, in release: `jiuzhu simulate` over N synthetic households from CSV, end to
# end (process start, reading and checking both files, evaluating, printing the totals), and a
# what-if (two evaluations and the comparison). Each is run 5 times; the best and median are shown.
# Usage: scripts/bench-simulate.sh [N=1000000] [SEED=1]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
SEED=${2:-1}
OUT=${BENCH_OUT:-/tmp/jiuzhu-bench-sim}
mkdir -p "$OUT"
swift build -c release --product jiuzhu 2>&1 | grep -E "error|Build complete" || true
BIN=$(swift build -c release --show-bin-path)/jiuzhu
if [ ! -f "$OUT/pop-$N-$SEED/members.csv" ]; then
  "$BIN" synth --households "$N" --seed "$SEED" --today 2025-07-15 --out "$OUT/pop-$N-$SEED" >/dev/null
fi
H="$OUT/pop-$N-$SEED/households.csv"; M="$OUT/pop-$N-$SEED/members.csv"
echo "machine: $(nproc) cores; $(swift --version 2>&1 | head -1)"
echo "population: $N households, $(($(wc -l < "$M") - 1)) members, $(du -shc "$H" "$M" | tail -1 | cut -f1) of CSV"
runs() { # label, command...
  local label=$1; shift
  local times=()
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > "$OUT/last.json"
    times+=("$(cat "$OUT/time")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v l="$label" '{t[NR]=$1; m[NR]=$2} END {printf "%s: best %.2f s, median %.2f s, peak %d MiB\n", l, t[1], t[3], m[3]/1024}'
}
runs "wc -l (reading the files)" wc -l "$H" "$M"
runs "simulate --policy reference" "$BIN" simulate --households "$H" --members "$M" --month 2025-07 --policy reference
head -c 400 "$OUT/last.json"; echo
runs "simulate what-if (--set S_rural=55000 --set uplift_rate=20%)" "$BIN" simulate --households "$H" --members "$M" --month 2025-07 \
  --policy reference --set S_rural=55000 --set uplift_rate=20%
python3 -c "import json; r=json.load(open('$OUT/last.json')); print('  what-if: households changed', r['households_changed'], ', cost change', r['total_cost_change_fen'], 'fen')"
echo "phases of one what-if run (--timings):"
"$BIN" simulate --households "$H" --members "$M" --month 2025-07 --policy reference --set S_rural=55000 --timings 2>&1 >/dev/null | sed 's/^/  /'
