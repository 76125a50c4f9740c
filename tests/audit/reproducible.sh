#!/usr/bin/env bash
# Reproducible bytes: `grade` writes byte-identical outputs for the same
# inputs, rules and --as-of whatever the thread count, the order of the input
# files given, the order of the records inside them, the locale (LC_ALL) and
# the time zone (TZ). Each variation is compared with one reference run.
# Usage: tests/audit/reproducible.sh RISKLEDGER
set -euo pipefail
rl=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# 2,000 synthetic records with about 2% rejected ones (so rejects.csv has rows),
# split into two inputs.
"$rl" synth --count 2000 --seed 11 --bad-rate 0.02 --quiet -o all.csv
python3 - <<'PY'
import csv
rows = list(csv.reader(open("all.csv", newline="", encoding="utf-8")))
header, body = rows[0], rows[1:]
for name, part in (("a.csv", body[:1000]), ("b.csv", body[1000:])):
    with open(name, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([header] + part)
PY

grade() {  # grade OUT_DIR [args...]: the reference options, plus any others
  local out=$1
  shift
  local rc=0
  "$rl" grade --as-of 2026-11-25 --format csv,json,jsonl --out-dir "$out" --quiet "$@" || rc=$?
  [ "$rc" -eq 3 ] || { echo "FAIL: grade into $out exited $rc, expected 3 (rejects)"; exit 1; }
}
same_dir() {  # same_dir WHAT DIR: every file equal to the reference's
  if diff -r ref "$2" >/dev/null; then echo "same bytes: $1"; else
    echo "FAIL: $1: outputs differ from the reference"
    diff -r ref "$2" | head -5
    exit 1
  fi
}
same_ledgers() {  # same_ledgers WHAT DIR: the ledgers equal to the reference's
  for f in ledger.csv ledger.json ledger.jsonl; do
    cmp -s "ref/$f" "$2/$f" || { echo "FAIL: $1: $f differs from the reference"; exit 1; }
  done
  echo "same ledgers: $1"
}

# The reference: one thread, UTC, the C locale, inputs in the order a, b.
TZ=UTC LC_ALL=C grade ref a.csv b.csv --threads 1
test "$(ls ref)" = "$(printf 'ledger.csv\nledger.json\nledger.jsonl\nmanifest.json\nrejects.csv')"
# synth --seed 11 --bad-rate 0.02 gives 33 records with a problem.
grep -q '"rejected": 33,' ref/manifest.json || { echo "FAIL: expected 33 rejected records"; exit 1; }

# 1. Threads.
for t in 2 3 8; do
  TZ=UTC LC_ALL=C grade "threads$t" a.csv b.csv --threads "$t"
  same_dir "--threads $t" "threads$t"
done

# 2. The order of the input files given (inputs are read in byte order of
#    path, so rejects.csv and manifest.json are the same too).
TZ=UTC LC_ALL=C grade swapped b.csv a.csv
same_dir "inputs given as b.csv a.csv" swapped

# 3. The order of the records inside the inputs: every record shuffled and
#    dealt into the two files the other way round. Only the ledgers can be
#    equal: rejects.csv names lines and manifest.json the inputs' hashes.
mkdir shuffled
python3 - <<'PY'
import csv, random
rows = list(csv.reader(open("all.csv", newline="", encoding="utf-8")))
header, body = rows[0], rows[1:]
random.Random(5).shuffle(body)
for name, part in (("shuffled/a.csv", body[:700]), ("shuffled/b.csv", body[700:])):
    with open(name, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([header] + part)
PY
cmp -s a.csv shuffled/a.csv && { echo "FAIL: the shuffle changed nothing"; exit 1; }
TZ=UTC LC_ALL=C grade shuffled-out shuffled/a.csv shuffled/b.csv
same_ledgers "records shuffled across the inputs" shuffled-out

# 4. Time zones far apart (UTC+14, UTC-10, UTC+8).
for tz in Pacific/Kiritimati Pacific/Honolulu Asia/Shanghai; do
  [ -e "/usr/share/zoneinfo/$tz" ] || { echo "FAIL: time zone $tz is not installed (tzdata)"; exit 1; }
  TZ=$tz LC_ALL=C grade "tz-${tz//\//-}" a.csv b.csv
  same_dir "TZ=$tz" "tz-${tz//\//-}"
done

# 5. Locales with a decimal comma (de_DE) and Chinese (zh_CN), compiled
#    here (localedef, from Debian's locales) so none needs to be installed.
mkdir locales
for l in de_DE zh_CN; do localedef -i "$l" -f UTF-8 "locales/$l.UTF-8" 2>/dev/null || true; done
# The locale is really in force: bash's printf reads 1,5 as a number in de_DE.
test "$(LOCPATH=$work/locales LC_ALL=de_DE.UTF-8 bash -c 'printf "%.1f" 1,5')" = "1,5" ||
  { echo "FAIL: the de_DE.UTF-8 locale did not load"; exit 1; }
for l in de_DE.UTF-8 zh_CN.UTF-8; do
  LOCPATH=$work/locales TZ=UTC LC_ALL=$l grade "lc-$l" a.csv b.csv
  same_dir "LC_ALL=$l" "lc-$l"
done

# 6. All at once: 2 threads, inputs swapped, Shanghai, de_DE.
LOCPATH=$work/locales TZ=Asia/Shanghai LC_ALL=de_DE.UTF-8 grade mixed b.csv a.csv --threads 2
same_dir "threads 2 + inputs swapped + TZ=Asia/Shanghai + LC_ALL=de_DE.UTF-8" mixed
echo "reproducible: all variations gave the reference bytes"
