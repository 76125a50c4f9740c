#!/usr/bin/env bash
# Scale-out check: 4 shards scored in parallel with GNU parallel (as across
# hosts with --sshlogin, here on this machine), merged with a plain byte sort
# on sort_key, numbered, and compared byte for byte with one `grade` run.
# Usage: parallel_shards.sh RISKLEDGER_BINARY
set -euo pipefail
rl=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
columns=id,title,category,district,score,grade

"$rl" synth --count 20000 --seed 7 -o all.csv --quiet
# Split by record (a remark may hold a line break), keeping the header in each shard.
python3 - <<'PY'
import csv
with open("all.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
for k in range(4):
    with open(f"shard{k}.csv", "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(header)
        w.writerows(body[k::4])
PY

# The map step: each shard scored on its own, with the sort key first.
parallel --will-cite --halt now,fail=1 -j4 \
  "$rl score {} --with-sort-key --columns $columns --as-of 2026-11-25 --quiet > {.}.scored" ::: shard*.csv
# The reduce step: drop the headers, sort as bytes, drop the key, number the rows.
{
  echo "rank,$columns"
  tail -q -n +2 shard*.scored | LC_ALL=C sort | cut -d, -f2- | awk '{ print NR "," $0 }'
} > merged.csv

"$rl" grade all.csv --as-of 2026-11-25 --quiet -o single.csv --columns "rank,$columns"
if ! cmp single.csv merged.csv; then
  diff single.csv merged.csv | head -10
  exit 1
fi
echo "scale-out: 4 shards merged with sort equal the single-machine ledger ($(($(wc -l < single.csv) - 1)) rows)"
