#!/usr/bin/env bash
# SQL cross-check of riskledger's default policy.
#
# Usage: tests/sql/crosscheck.sh RISKLEDGER_BINARY
#
# Generates 100,000 synthetic records (RISKLEDGER_CROSSCHECK_COUNT) (fixed seed), grades them with
# RISKLEDGER_BINARY and with the same policy written independently in SQLite
# (policy.sql) and in Python (reference.py), and requires the three ledgers
# (--columns rank,id,title,category,district,score,grade) to be byte-identical.
# Exit 0 when they are; 1 on any mismatch or failure; 2 on a usage error.
# Needs python3 and sqlite3 (>= 3.35, with math functions) on PATH.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 RISKLEDGER_BINARY" >&2
  exit 2
fi
binary=$1
count=${RISKLEDGER_CROSSCHECK_COUNT:-100000}
seed=20261125
as_of=2026-11-25
columns=rank,id,title,category,district,score,grade
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

for tool in python3 sqlite3; do
  command -v "$tool" >/dev/null || { echo "sql crosscheck: $tool not found on PATH" >&2; exit 1; }
done
[[ -x $binary ]] || { echo "sql crosscheck: $binary is not an executable file" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. The data set.
python3 "$here/make_synthetic.py" --count "$count" --seed "$seed" -o "$tmp/records.csv" </dev/null

# 2. The ledger under test.
rc=0
"$binary" grade "$tmp/records.csv" --columns "$columns" -o "$tmp/OUT.csv" --as-of "$as_of" --quiet \
  </dev/null >"$tmp/cli.out" 2>"$tmp/cli.err" || rc=$?
if [[ $rc -ne 0 ]]; then
  echo "sql crosscheck: '$binary grade' exited with code $rc; its stderr:" >&2
  cat "$tmp/cli.err" >&2
  exit 1
fi
if [[ ! -f $tmp/OUT.csv ]]; then
  echo "sql crosscheck: '$binary grade' exited 0 but wrote no ledger at -o OUT.csv" >&2
  exit 1
fi

# 3. The same policy in SQL, and in Python as a check on the SQL itself.
sqlite3 -batch -bail :memory: \
  ".import --csv \"$tmp/records.csv\" records" \
  ".read \"$here/policy.sql\"" </dev/null >"$tmp/SQL.csv"
python3 "$here/reference.py" "$tmp/records.csv" -o "$tmp/REF.csv" </dev/null
if ! cmp -s "$tmp/SQL.csv" "$tmp/REF.csv"; then
  echo "sql crosscheck: policy.sql and reference.py disagree (a bug in the cross-check itself):" >&2
  diff -u --label policy.sql --label reference.py "$tmp/SQL.csv" "$tmp/REF.csv" | head -20 >&2 || true
  exit 1
fi

# 4. Compare.
if ! cmp -s "$tmp/SQL.csv" "$tmp/OUT.csv"; then
  echo "sql crosscheck: MISMATCH between the SQL policy (expected) and riskledger:" >&2
  cmp "$tmp/SQL.csv" "$tmp/OUT.csv" >&2 || true
  diff -u --label "policy.sql (expected)" --label "riskledger grade" \
    "$tmp/SQL.csv" "$tmp/OUT.csv" | head -20 >&2 || true
  exit 1
fi
echo "sql crosscheck: $count rows identical"
