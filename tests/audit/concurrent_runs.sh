#!/usr/bin/env bash
# Two runs into one out-dir never interleave: the second exits 1 with a clear
# message while the first holds the lock, or waits for it with --lock-wait;
# runs started together with --lock-wait all succeed one after the other, and
# the out-dir ends up as one run's consistent set (its manifest verifies).
# Usage: tests/audit/concurrent_runs.sh RISKLEDGER
set -euo pipefail
rl=$(realpath "$1")
src=$PWD
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
hand=$src/tests/data/hand.csv
mkdir out

# 1. The lock held by another process (flock(1) takes the same kind of lock):
#    without --lock-wait, exit 1 at once and nothing written.
flock out/.riskledger.lock sleep 3 &
holder=$!
sleep 0.3
rc=0
"$rl" grade "$hand" --as-of 2026-11-25 --out-dir out --quiet 2>err.txt || rc=$?
[ "$rc" = 1 ] || { echo "FAIL: expected exit 1 while locked, got $rc"; exit 1; }
grep -q "^riskledger: another riskledger run is writing to out (lock file out/.riskledger.lock); try again later or give --lock-wait SECONDS$" err.txt ||
  { echo "FAIL: message: $(cat err.txt)"; exit 1; }
[ "$(ls -A out)" = ".riskledger.lock" ] || { echo "FAIL: wrote while locked: $(ls -A out)"; exit 1; }
echo "locked: exit 1, '$(cat err.txt)'"

# 2. With --lock-wait it waits for the holder (about 2.7 s more) and writes.
start=$(date +%s%N)
"$rl" grade "$hand" --as-of 2026-11-25 --out-dir out --quiet --lock-wait 20
waited=$((($(date +%s%N) - start) / 1000000))
wait "$holder"
[ "$waited" -ge 1500 ] || { echo "FAIL: --lock-wait returned after ${waited} ms, before the holder let go"; exit 1; }
[ "$(ls -A out | tr '\n' ' ')" = "ledger.csv manifest.json rejects.csv " ] || { echo "FAIL: $(ls -A out)"; exit 1; }
echo "--lock-wait: waited for the holder, then wrote (lock file removed)"

# 3. A real run holding the lock: the second names its pid.
"$rl" synth --count 200000 --seed 5 --quiet -o big.csv
"$rl" grade big.csv --as-of 2026-11-25 --out-dir out --quiet --threads 1 &
first=$!
while kill -0 "$first" 2>/dev/null && [ ! -e out/.riskledger.lock ]; do sleep 0.002; done
rc=0
"$rl" grade "$hand" --as-of 2026-11-25 --out-dir out --quiet 2>err.txt || rc=$?
if [ -e out/.riskledger.lock ] || [ "$rc" = 1 ]; then
  [ "$rc" = 1 ] || { echo "FAIL: the second run exited $rc while the first wrote"; exit 1; }
  grep -q "another riskledger run (pid $first) is writing to out" err.txt || { echo "FAIL: $(cat err.txt)"; exit 1; }
  echo "second run while the first writes: exit 1, names pid of the first"
else
  echo "(the first run finished before the second reached the lock: case 1 covers the message)"
fi
wait "$first"
"$rl" verify out/manifest.json >/dev/null || { echo "FAIL: the first run's outputs do not verify"; exit 1; }

# 4. Four runs at once with --lock-wait, each a different as-of date: all
#    exit 0, and the out-dir holds one of them whole (its manifest verifies).
"$rl" synth --count 20000 --seed 6 --quiet -o small.csv
pids=()
for day in 21 22 23 24; do
  "$rl" grade small.csv "$hand" --as-of "2026-11-$day" --out-dir out --quiet --lock-wait 120 --threads 1 &
  pids+=($!)
done
for p in "${pids[@]}"; do
  rc=0
  wait "$p" || rc=$?
  [ "$rc" = 0 ] || { echo "FAIL: a concurrent run exited $rc"; exit 1; }
done
[ "$(ls -A out | tr '\n' ' ')" = "ledger.csv manifest.json rejects.csv " ] || { echo "FAIL: $(ls -A out)"; exit 1; }
"$rl" verify out/manifest.json >/dev/null || { echo "FAIL: the out-dir is not one run's consistent set"; exit 1; }
echo "4 runs at once with --lock-wait: all exit 0; the out-dir is one run's set ($(grep -o '"as_of": "[0-9-]*"' out/manifest.json)) and verifies"
