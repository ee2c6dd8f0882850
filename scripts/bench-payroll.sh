#!/usr/bin/env bash
# Benchmark of issue 8: the payment roll of RECIPIENTS households of one county, in release.
# Uses the registry of scripts/bench-feed.sh (1,050,000 households, seed 1; made if missing),
# writes recipients.csv for the county with the most households (dibao, paid to the head, an
# account each), migrates it with `jiuzhu import recipients`, then times `payroll generate`,
# `payroll confirm` and `payroll export` (wall time and peak memory, /usr/bin/time) and checks
# the bank file's lines and total against the recipients file.
# Usage: scripts/bench-payroll.sh [RECIPIENTS=200000]   (JIUZHU_BIN=… to time a given binary)
set -euo pipefail
cd "$(dirname "$0")/.."
RECIPIENTS=${1:-200000}
OUT=${BENCH_OUT:-/tmp/jiuzhu-bench-feed}
HOUSEHOLDS=1050000
mkdir -p "$OUT"
if [ -z "${JIUZHU_BIN:-}" ]; then
  swift build -c release --product jiuzhu 2>&1 | grep -E "error|Build complete" || true
fi
BIN=${JIUZHU_BIN:-$(swift build -c release --show-bin-path)/jiuzhu}

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > "$OUT/out" 2>&1 || { cat "$OUT/out"; exit 1; }
  read -r secs kb < "$OUT/time"
  echo "$label: ${secs} s, peak $((kb / 1024)) MiB"
  head -4 "$OUT/out" | sed 's/^/  /'
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(swift --version 2>&1 | head -1)"
if [ ! -f "$OUT/registry-$HOUSEHOLDS.sqlite" ]; then
  rm -rf "$OUT/pop"
  "$BIN" synth --households "$HOUSEHOLDS" --seed 1 --today 2025-07-15 --out "$OUT/pop" >/dev/null
  "$BIN" import population --households "$OUT/pop/households.csv" --members "$OUT/pop/members.csv" \
        --database "$OUT/registry-$HOUSEHOLDS.sqlite.tmp" >/dev/null
  mv "$OUT/registry-$HOUSEHOLDS.sqlite.tmp" "$OUT/registry-$HOUSEHOLDS.sqlite"
fi
COUNTY=$(python3 - "$OUT/pop/households.csv" "$OUT/pop/members.csv" "$OUT/recipients.csv" "$RECIPIENTS" <<'PY'
import csv, sys, collections
hfile, mfile, out, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
county = collections.Counter(r['division_code'][:6] for r in csv.DictReader(open(hfile, encoding='utf-8'))).most_common(1)[0][0]
heads = {}
for r in csv.DictReader(open(mfile, encoding='utf-8')):
    if r['relation'] == 'head' and r['id_number'][:6] and r['household_id'] not in heads:
        heads[r['household_id']] = r['id_number']
ids = [r['household_id'] for r in csv.DictReader(open(hfile, encoding='utf-8')) if r['division_code'][:6] == county][:n]
with open(out, 'w', encoding='utf-8') as f:
    f.write('household_id,programme,payee_id_number,monthly_amount_fen,first_month,next_review,bank_account\n')
    for i, h in enumerate(ids):
        f.write(f'{h},dibao,{heads[h]},{30000 + i % 50000},2024-01,2026-06-30,621700{i:010d}\n')
print(county)
PY
)
LINES=$(( $(wc -l < "$OUT/recipients.csv") - 1 ))
TOTAL=$(awk -F, 'NR > 1 { s += $4 } END { printf "%.0f", s }' "$OUT/recipients.csv")
echo "recipients: $LINES households of county $COUNTY"
cp "$OUT/registry-$HOUSEHOLDS.sqlite" "$OUT/pay.sqlite"
rm -rf "$OUT/bank"
"$BIN" migrate --database "$OUT/pay.sqlite" >/dev/null
measure "import recipients" "$BIN" import recipients --file "$OUT/recipients.csv" --from 2025-07 --database "$OUT/pay.sqlite"
measure "payroll generate" "$BIN" payroll generate --county "$COUNTY" --month 2025-07 --database "$OUT/pay.sqlite"
measure "payroll generate again (a draft)" "$BIN" payroll generate --county "$COUNTY" --month 2025-07 --database "$OUT/pay.sqlite"
measure "payroll confirm" "$BIN" payroll confirm --county "$COUNTY" --month 2025-07 --database "$OUT/pay.sqlite"
measure "payroll export (CSV and .xlsx)" "$BIN" payroll export --county "$COUNTY" --month 2025-07 --out "$OUT/bank" --database "$OUT/pay.sqlite"
got=$(( $(wc -l < "$OUT/bank/payroll-$COUNTY-2025-07.csv") - 1 ))
sum=$(awk -F, 'NR > 1 { s += $7 } END { printf "%.0f", s }' "$OUT/bank/payroll-$COUNTY-2025-07.csv")
[ "$got" = "$LINES" ] && [ "$sum" = "$TOTAL" ] || { echo "  BANK FILE DIFFERS: $got lines, $sum fen (expected $LINES, $TOTAL)"; exit 1; }
echo "  bank file: $got lines, $sum fen — as the recipients file"
rm -f "$OUT/pay.sqlite"
