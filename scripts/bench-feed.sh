#!/usr/bin/env bash
# Benchmark of issue 7: a department feed of ROWS rows matched against a registry of about
# 3,000,000 members, in release. Synthesises the registry (HOUSEHOLDS households, seed 1) into a
# new SQLite file, writes a wages feed (人社) in which MATCHED rows name registered members (each
# a wage of 1 fen above the member's declared income, so each raises a flag) and the rest name
# people the registry does not know, in UTF-8 and in GBK, then times `jiuzhu feed import` of each
# (wall time and peak memory, /usr/bin/time) and checks the counts it prints.
# Usage: scripts/bench-feed.sh [ROWS=5000000] [MATCHED=100000] [HOUSEHOLDS=1050000]  (JIUZHU_BIN=… to time a given binary)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-5000000}
MATCHED=${2:-100000}
HOUSEHOLDS=${3:-1050000}
OUT=${BENCH_OUT:-/tmp/jiuzhu-bench-feed}
mkdir -p "$OUT"
if [ -z "${JIUZHU_BIN:-}" ]; then
  swift build -c release --product jiuzhu 2>&1 | grep -E "error|Build complete" || true
fi
BIN=${JIUZHU_BIN:-$(swift build -c release --show-bin-path)/jiuzhu}

measure() { # label, command... — prints a line with wall time and peak memory, and the command's output
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > "$OUT/out" 2>&1 || { cat "$OUT/out"; exit 1; }
  read -r secs kb < "$OUT/time"
  echo "$label: ${secs} s, peak $((kb / 1024)) MiB"
  head -5 "$OUT/out" | sed 's/^/  /'
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(swift --version 2>&1 | head -1)"
if [ ! -f "$OUT/registry-$HOUSEHOLDS.sqlite" ]; then
  rm -rf "$OUT/pop"
  "$BIN" synth --households "$HOUSEHOLDS" --seed 1 --today 2025-07-15 --out "$OUT/pop" >/dev/null
  "$BIN" import population --households "$OUT/pop/households.csv" --members "$OUT/pop/members.csv" \
        --database "$OUT/registry-$HOUSEHOLDS.sqlite.tmp" >/dev/null
  mv "$OUT/registry-$HOUSEHOLDS.sqlite.tmp" "$OUT/registry-$HOUSEHOLDS.sqlite"
fi
echo "registry: $(( $(wc -l < "$OUT/pop/members.csv") - 1 )) members in $(( $(wc -l < "$OUT/pop/households.csv") - 1 )) households"

python3 - "$OUT/pop/members.csv" "$OUT/wages.csv" "$ROWS" "$MATCHED" <<'PY'
import csv, random, sys
members, out, rows, matched = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(7)
with open(members, newline='', encoding='utf-8') as f:
    r = csv.reader(f); head = next(r)
    ci, cm = head.index('id_number'), head.index('monthly_income_fen')
    people = [(row[ci], int(row[cm])) for row in r]
known = set(p[0][:17] for p in people)
chosen = rng.sample(people, matched)
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def stranger():
    while True:
        s = '5301%02d' % rng.randint(1, 99) + '%04d%02d%02d' % (rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)) + '%03d' % rng.randint(0, 999)
        if s not in known:
            return s + '10X98765432'[sum(int(c) * w for c, w in zip(s, W)) % 11]
lines = [(p[0], p[1] + 1) for p in chosen] + [(stranger(), rng.randint(150000, 1500000)) for _ in range(rows - matched)]
rng.shuffle(lines)
employers = ['元江县建筑公司', '昆明市第一人民医院', '云南红塔集团', '玉溪市商业银行', '个旧市锡业公司', '蒙自市农业合作社']
with open(out, 'w', encoding='utf-8', newline='') as f:
    f.write('id_number,employer,monthly_wage_fen\n')
    for i, (idn, wage) in enumerate(lines):
        f.write(f'{idn},{employers[i % 6]}{i % 97}号,{wage}\n')
PY
iconv -f UTF-8 -t GB18030 "$OUT/wages.csv" > "$OUT/wages-gbk.csv"
echo "feed: $ROWS rows ($MATCHED of registered members), $(du -h "$OUT/wages.csv" | cut -f1) UTF-8, $(du -h "$OUT/wages-gbk.csv" | cut -f1) GBK"

for f in wages.csv wages-gbk.csv; do
  cp "$OUT/registry-$HOUSEHOLDS.sqlite" "$OUT/run.sqlite"
  measure "feed import $f" "$BIN" feed import --department 人社 --file "$OUT/$f" --as-of 2025-07-01 --database "$OUT/run.sqlite"
  grep -q "$ROWS rows, $MATCHED matched to members, $((ROWS - MATCHED)) unknown people" "$OUT/out" || { echo "  UNEXPECTED COUNTS"; exit 1; }
  measure "the same file again" "$BIN" feed import --department 人社 --file "$OUT/$f" --as-of 2025-07-01 --database "$OUT/run.sqlite"
done
rm -f "$OUT/run.sqlite"
