#!/usr/bin/env bash
# Runs one case of the bad-input corpus (tests/data/bad/README.md). For
# tests/data/bad/NAME.expected the input is the other NAME.* file there:
#   NAME.rules.yaml   a rules file, checked with `riskledger rules check`;
#   NAME.csv/.yaml    records, graded with `riskledger grade` into a scratch
#                     directory (NAME.args, if present, adds arguments);
#   NAME.EXT.gen      a bash script whose output is the input NAME.EXT, made
#                     at test time in the scratch directory (huge inputs).
# What riskledger prints and its exit code are compared with NAME.expected.
# When records were graded (exit 0 or 3), a last line checks that
# read = graded + rejected, against the ledger and rejects files as well, and
# shows the rejects.
# Each run is limited in time and, outside sanitizer builds, in memory
# (BAD_INPUT_MEMORY_KB, default 2 GiB): no input may hang or take unbounded
# memory. UPDATE_GOLDEN=1 rewrites NAME.expected (review the diff).
set -u
rl=$1
expected=$(realpath --relative-to=. "$2")  # messages name inputs as tests/data/bad/...
dir=$(dirname "$expected")
name=$(basename "$expected" .expected)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

input=""
for f in "$dir/$name".*; do
  case $f in *.expected | *.args) ;; *) input=$f ;; esac
done
if [ -z "$input" ]; then
  echo "no input file for $expected" >&2
  exit 1
fi
if [[ $input == *.gen ]]; then
  made=$tmp/$(basename "${input%.gen}")
  bash "$input" >"$made" || exit 1
  input=$made
fi
args=()
if [ -f "$dir/$name.args" ]; then read -r -a args <"$dir/$name.args"; fi

memory_kb=${BAD_INPUT_MEMORY_KB:-2097152}
run() {
  (
    if [ "$memory_kb" != unlimited ]; then ulimit -v "$memory_kb"; fi
    exec timeout 120 "$@"
  ) >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
}
out=$tmp/out
if [[ $input == *.rules.yaml ]]; then
  run "$rl" rules check "$input"
else
  run "$rl" grade "$input" "${args[@]}" --as-of 2026-11-25 --out-dir "$out" --format csv,jsonl
fi
rc=$?

reconcile() {
  # The counts printed, the ledger's records and the records rejects.csv names.
  local counts read graded rejected ledger_rows rejected_rows
  counts=$(grep -E '^read [0-9]+, graded [0-9]+, rejected [0-9]+' "$tmp/stderr" | tail -1)
  read=$(sed -E 's/^read ([0-9]+),.*/\1/' <<<"$counts")
  graded=$(sed -E 's/^read [0-9]+, graded ([0-9]+),.*/\1/' <<<"$counts")
  rejected=$(sed -E 's/^read [0-9]+, graded [0-9]+, rejected ([0-9]+).*/\1/' <<<"$counts")
  ledger_rows=$(wc -l <"$out/ledger.jsonl")
  rejected_rows=$(python3 -c '
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    print(len({(r["file"], r["line"]) for r in csv.DictReader(f)}))' "$out/rejects.csv")
  # What each rejected record got (the first 30 rows).
  echo "--- rejects.csv"
  head -n 31 "$out/rejects.csv"
  local rows
  rows=$(($(wc -l <"$out/rejects.csv") - 31))
  if [ "$rows" -gt 0 ]; then echo "... and $rows more lines"; fi
  echo "--- read $read = graded $graded + rejected $rejected; ledger.jsonl: $ledger_rows records, rejects.csv: $rejected_rows records"
  if [ -z "$counts" ] || [ $((graded + rejected)) -ne "$read" ] || [ "$ledger_rows" -ne "$graded" ] ||
    [ "$rejected_rows" -ne "$rejected" ]; then
    echo "--- COUNTS DO NOT RECONCILE"
  fi
}

{
  cat "$tmp/stdout"
  echo "--- stderr"
  cat "$tmp/stderr"
  echo "--- exit $rc"
  if [[ $input != *.rules.yaml ]] && { [ $rc -eq 0 ] || [ $rc -eq 3 ]; }; then reconcile; fi
} | sed -e "s|$tmp|\$TMP|g" >"$tmp/actual"
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then cp "$tmp/actual" "$expected"; fi
if ! diff -u "$expected" "$tmp/actual"; then
  echo "bad-input case $name failed: output differs from $(basename "$expected")" >&2
  exit 1
fi
