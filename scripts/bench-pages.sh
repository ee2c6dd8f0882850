#!/usr/bin/env bash
# Benchmark of issue 6, in release: page times with the 1,000,000-household registry loaded.
# Synthesises and imports the population (once), starts the server, signs a county officer in and
# asks for household pages and searches one after another; prints p50/p95/max per kind.
# Usage: scripts/bench-pages.sh [N=1000000] [REQUESTS=300]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
REQUESTS=${2:-300}
OUT=${BENCH_OUT:-/tmp/jiuzhu-bench-pages}
mkdir -p "$OUT"
swift build -c release --product jiuzhu 2>&1 | grep -E "error|Build complete" || true
BIN=$(swift build -c release --show-bin-path)/jiuzhu
if [ ! -f "$OUT/pop-$N/members.csv" ]; then
  "$BIN" synth --households "$N" --seed 1 --today 2025-07-15 --out "$OUT/pop-$N" >/dev/null
fi
DB="$OUT/registry-$N.sqlite"
if [ ! -f "$DB" ]; then
  "$BIN" import population --database "$DB" --households "$OUT/pop-$N/households.csv" --members "$OUT/pop-$N/members.csv"
  "$BIN" migrate --database "$DB" >/dev/null
  COUNTY=$(sed -n 2p "$OUT/pop-$N/households.csv" | cut -d, -f2 | cut -c1-6)
  echo "a-long-benchmark-password" | "$BIN" user add --database "$DB" --username bench --role county_officer --division "$COUNTY" >/dev/null
fi
PORT=$((20000 + RANDOM % 10000))
"$BIN" serve --no-demo --database "$DB" --port "$PORT" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
echo "machine: $(nproc) cores; $(swift --version 2>&1 | head -1)"
echo "registry: $N households, $(($(wc -l < "$OUT/pop-$N/members.csv") - 1)) members (SQLite, $(du -h "$DB" | cut -f1))"
python3 scripts/bench-pages.py "http://127.0.0.1:$PORT" "$OUT/pop-$N" "$REQUESTS"
