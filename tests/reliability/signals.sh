#!/usr/bin/env bash
# SIGINT and SIGTERM during `grade`: the run dies of the signal (exit 130 and
# 143 as a shell reports them), its temporary files are removed and the
# previous ledger is left byte for byte. The grade reads 2,000,000 synthetic
# records, so that it is still writing its ledger when the temporary file is
# seen and the signal sent. The output is compared with signals.out
# (UPDATE_GOLDEN=1 rewrites it).
set -u
rl=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Fewer records suffice where the program runs slower (sanitizer builds).
count=${RISKLEDGER_SIGNAL_COUNT:-2000000}

"$rl" synth --count "$count" --seed 11 >"$tmp/big.csv" 2>/dev/null || exit 1

interrupt() {
  local sig=$1 out=$tmp/out-$1
  "$rl" grade tests/data/hand.csv --as-of 2026-11-25 --out-dir "$out" --quiet
  cp "$out/ledger.csv" "$tmp/before.csv"
  # Job control on: the background grade is in its own process group, and
  # SIGINT is not ignored in it as it would be in a plain background job.
  set -m
  "$rl" grade "$tmp/big.csv" --as-of 2026-11-25 --out-dir "$out" --quiet 2>"$tmp/stderr" &
  local pid=$! seen=""
  for _ in $(seq 12000); do  # up to 120 s
    if compgen -G "$out/.ledger.csv.tmp.*" >/dev/null; then
      seen=yes
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  kill -s "$sig" "$pid"
  wait "$pid"
  local rc=$?
  set +m
  echo "== SIG$sig $([ -n "$seen" ] && echo "while the temporary ledger was being written" || echo "BUT NO TEMPORARY FILE WAS SEEN")"
  cat "$tmp/stderr"
  echo "exit $rc"
  cmp -s "$tmp/before.csv" "$out/ledger.csv" && echo "ledger.csv unchanged"
  echo "left in the directory: $(ls -A "$out" | tr '\n' ' ')"
}

{
  interrupt INT
  interrupt TERM
} 2>&1 | grep -v '^\[[0-9]*\]' | sed "s|$tmp|\$TMP|g" >"$tmp/actual"  # no job-control notes
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then cp "$tmp/actual" "$here/signals.out"; fi
diff -u "$here/signals.out" "$tmp/actual"
