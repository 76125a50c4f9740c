#!/usr/bin/env bash
# Runs one golden CLI test: executes NAME.test (bash, with $RL the riskledger
# binary and $TMP a fresh scratch directory), captures stdout, stderr and the
# exit code, and compares them with NAME.out as a whole.
# UPDATE_GOLDEN=1 rewrites NAME.out (review the diff before committing it).
set -u
rl=$1
test_file=$2
expected=${test_file%.test}.out
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export RL=$rl TMP=$tmp/scratch
mkdir -p "$TMP"
bash "$test_file" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
rc=$?
{
  cat "$tmp/stdout"
  echo "--- stderr"
  cat "$tmp/stderr"
  echo "--- exit $rc"
} | sed "s|$TMP|\$TMP|g" >"$tmp/actual"
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then cp "$tmp/actual" "$expected"; fi
if ! diff -u "$expected" "$tmp/actual"; then
  echo "golden test $(basename "$test_file") failed: output differs from $(basename "$expected")" >&2
  exit 1
fi
