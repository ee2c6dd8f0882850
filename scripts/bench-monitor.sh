#!/usr/bin/env bash
# Benchmark of issue 9: a monitoring push of ROWS rows (医保's medical costs) turned into warnings,
# in release. Synthesises a registry (HOUSEHOLDS households, seed 1, the five localities) into a new
# SQLite file; writes a medical_costs push in which REGISTERED rows name registered members and the
# rest name people the registry does not know, born in one of the localities' counties (so each is
# routed to its county); amounts are spread so that about a third reach the 40,000-yuan burden.
# Times `jiuzhu monitor push` (wall time and peak memory, /usr/bin/time), then checks with sqlite3
# that the warnings written are exactly those the file implies (python computes the expected count).
# Usage: scripts/bench-monitor.sh [ROWS=1000000] [REGISTERED=300000] [HOUSEHOLDS=350000]  (JIUZHU_BIN=… to time a given binary)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
REGISTERED=${2:-300000}
HOUSEHOLDS=${3:-350000}
OUT=${BENCH_OUT:-/tmp/jiuzhu-bench-monitor}
mkdir -p "$OUT"
if [ -z "${JIUZHU_BIN:-}" ]; then
  swift build -c release --product jiuzhu 2>&1 | grep -E "error|Build complete" || true
fi
BIN=${JIUZHU_BIN:-$(swift build -c release --show-bin-path)/jiuzhu}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(swift --version 2>&1 | head -1)"
if [ ! -f "$OUT/registry-$HOUSEHOLDS.sqlite" ]; then
  rm -rf "$OUT/pop"
  "$BIN" synth --households "$HOUSEHOLDS" --seed 1 --today 2025-07-15 --out "$OUT/pop" >/dev/null
  "$BIN" import population --households "$OUT/pop/households.csv" --members "$OUT/pop/members.csv" \
        --database "$OUT/registry-$HOUSEHOLDS.sqlite.tmp" >/dev/null
  mv "$OUT/registry-$HOUSEHOLDS.sqlite.tmp" "$OUT/registry-$HOUSEHOLDS.sqlite"
fi
echo "registry: $(( $(wc -l < "$OUT/pop/members.csv") - 1 )) members in $(( $(wc -l < "$OUT/pop/households.csv") - 1 )) households"

EXPECTED=$(python3 - "$OUT/pop/members.csv" "$OUT/pop/households.csv" "$OUT/push.csv" "$ROWS" "$REGISTERED" <<'PY'
import csv, random, sys
members, households, out, rows, registered = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(9)
with open(households, newline='', encoding='utf-8') as f:
    r = csv.reader(f); next(r)
    counties = sorted(set(row[1][:6] for row in r))
with open(members, newline='', encoding='utf-8') as f:
    r = csv.reader(f); head = next(r)
    ci = head.index('id_number')
    people = [row[ci] for row in r]
known = set(p[:17] for p in people)
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
seen = set()
def stranger():
    while True:
        s = rng.choice(counties) + '%04d%02d%02d' % (rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)) + '%03d' % rng.randint(0, 999)
        if s not in known and s not in seen:
            seen.add(s)
            return s + '10X98765432'[sum(int(c) * w for c, w in zip(s, W)) % 11]
ids = rng.sample(people, registered) + [stranger() for _ in range(rows - registered)]
rng.shuffle(ids)
warned = 0
with open(out, 'w', encoding='utf-8', newline='') as f:
    f.write('id_number,year,self_paid_fen\n')
    for idn in ids:
        fen = rng.randint(0, 12000000)
        if fen >= 4000000: warned += 1
        f.write('%s,2025,%d\n' % (idn, fen))
print(warned)
PY
)
echo "push: $ROWS rows of medical_costs ($REGISTERED registered), $EXPECTED at or above 40,000 yuan"

DB="$OUT/run.sqlite"
cp "$OUT/registry-$HOUSEHOLDS.sqlite" "$DB"
"$BIN" migrate --database "$DB" >/dev/null
/usr/bin/time -f "%e %M" -o "$OUT/time" "$BIN" monitor push --database "$DB" --department 医保 --file "$OUT/push.csv" --type monthly --received-on 2025-09-30 > "$OUT/out" 2>&1 || { cat "$OUT/out"; exit 1; }
read -r secs kb < "$OUT/time"
echo "monitor push: ${secs} s, peak $((kb / 1024)) MiB"
head -3 "$OUT/out" | sed 's/^/  /'
WRITTEN=$(sqlite3 "$DB" "SELECT COUNT(*) FROM warnings WHERE county_due = '2025-10-11'")
echo "warnings written, each due at the county on 2025-10-11: $WRITTEN (expected $EXPECTED)"
[ "$WRITTEN" = "$EXPECTED" ] || { echo "MISMATCH"; exit 1; }
