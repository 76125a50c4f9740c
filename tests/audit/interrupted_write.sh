#!/usr/bin/env bash
# An interrupted write leaves the previous ledgers intact: a `grade` of a big
# synthetic input is stopped while it writes its temporary ledger, killed with
# SIGKILL, and then the out-dir must hold exactly the earlier run's files,
# byte for byte, and nothing half-written under a final name. The next run
# takes over the lock the killed one held and removes its temporary file.
# Usage: tests/audit/interrupted_write.sh RISKLEDGER
set -euo pipefail
rl=$(realpath "$1")
src=$PWD
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

# The previous ledgers: tests/data/hand.csv (7 records).
"$rl" grade "$src/tests/data/hand.csv" --as-of 2026-11-25 --out-dir out --quiet
mkdir before && cp out/* before/
# 300,000 synthetic records (about 70 MB): grading takes seconds on one
# thread, and writing the ledger long enough to be caught.
"$rl" synth --count 300000 --seed 3 --quiet -o big.csv

caught=0
for attempt in 1 2 3 4 5; do
  "$rl" grade big.csv --as-of 2026-11-25 --out-dir out --quiet --threads 1 &
  pid=$!
  # Wait for the temporary ledger to appear, then freeze the process.
  while kill -0 "$pid" 2>/dev/null; do
    if compgen -G "out/.ledger.csv.tmp.*" >/dev/null; then
      kill -STOP "$pid"
      # Still writing (no rename yet: the ledger is the first to be renamed)?
      if compgen -G "out/.ledger.csv.tmp.*" >/dev/null; then caught=1; fi
      break
    fi
    sleep 0.002
  done
  if [ "$caught" = 1 ]; then
    tmp_file=$(compgen -G "out/.ledger.csv.tmp.*")
    echo "attempt $attempt: stopped while writing $(basename "$tmp_file") ($(stat -c %s "$tmp_file") bytes so far)"
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
    break
  fi
  wait "$pid" || true
  pid=""
  echo "attempt $attempt: the run finished before it could be stopped; again"
  rm -rf out && mkdir out && cp before/* out/
done
[ "$caught" = 1 ] || { echo "FAIL: no attempt stopped the run while it was writing"; exit 1; }

# The earlier files, byte for byte; besides them only the temporary file and
# the lock file the killed run left (hidden, never under a final name).
for f in ledger.csv rejects.csv manifest.json; do
  cmp "before/$f" "out/$f" || { echo "FAIL: out/$f changed"; exit 1; }
done
echo "after the kill: ledger.csv, rejects.csv, manifest.json as before"
listing=$(ls -A out | sed 's/\.tmp\.[A-Za-z0-9]\{6\}$/.tmp.XXXXXX/' | tr '\n' ' ')
[ "$listing" = ".ledger.csv.tmp.XXXXXX .riskledger.lock ledger.csv manifest.json rejects.csv " ] ||
  { echo "FAIL: unexpected files: $listing"; exit 1; }
echo "left behind: .ledger.csv.tmp.XXXXXX .riskledger.lock"
"$rl" verify out/manifest.json >/dev/null ||
  { echo "FAIL: the earlier manifest no longer verifies"; exit 1; }
echo "the earlier manifest still verifies"

# The next run is not blocked by the dead process's lock and cleans up.
"$rl" grade "$src/tests/data/hand.csv" --as-of 2026-11-24 --out-dir out --quiet
[ "$(ls -A out | tr '\n' ' ')" = "ledger.csv manifest.json rejects.csv " ] ||
  { echo "FAIL: after the next run: $(ls -A out | tr '\n' ' ')"; exit 1; }
grep -q '"as_of": "2026-11-24"' out/manifest.json || { echo "FAIL: the next run did not write"; exit 1; }
echo "the next run took the lock, removed the temporary file and wrote its ledgers"

# A run killed while it appends to the history database adds nothing: the
# append is one SQLite transaction (its rollback journal exists only while
# the transaction is open).
"$rl" grade "$src/tests/data/hand.csv" --as-of 2026-11-24 -o /dev/null --history history.db --quiet
caught=0
for attempt in 1 2 3 4 5; do
  "$rl" grade big.csv --as-of 2026-11-25 -o /dev/null --history history.db --quiet --threads 1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if [ -e history.db-journal ]; then
      kill -9 "$pid"
      caught=1
      break
    fi
    sleep 0.002
  done
  wait "$pid" 2>/dev/null || true
  pid=""
  [ "$caught" = 1 ] && break
  echo "attempt $attempt: the history was written before the run could be killed; again"
  sqlite3 history.db 'DELETE FROM decisions WHERE run_id > 1; DELETE FROM run_inputs WHERE run_id > 1; DELETE FROM runs WHERE run_id > 1'
done
[ "$caught" = 1 ] || { echo "FAIL: no attempt killed the run while it wrote its history"; exit 1; }
counts=$(sqlite3 history.db 'SELECT count(*) FROM runs' 'SELECT count(*) FROM decisions' 'PRAGMA integrity_check' | tr '\n' ' ')
[ "$counts" = "1 7 ok " ] || { echo "FAIL: after the kill the history holds: $counts"; exit 1; }
echo "killed while writing its history: the database still holds run 1 and its 7 decisions only"
