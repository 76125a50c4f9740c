#!/usr/bin/env bash
# Runs one libFuzzer target for a number of seconds, with ASan and UBSan.
# Usage: scripts/fuzz.sh TARGET SECONDS
#   TARGET: csv_reader, yaml_reader, rules or expression (tests/fuzz/)
# Builds the sanitizer build (build-asan, clang, -DRISKLEDGER_SANITIZE=ON
# -DRISKLEDGER_FUZZ=ON) when needed. Starts from the seed corpus in
# tests/fuzz/corpus/TARGET and the kept crashes in tests/fuzz/regressions/TARGET;
# inputs it finds go to build-asan/fuzz-corpus/TARGET (not committed). On a
# crash it exits non-zero and names the crashing input: fix the bug, then
# copy the input into tests/fuzz/regressions/TARGET/ so it stays a test.
# FUZZ_JOBS=N runs N fuzzing processes at once (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 2 ]; then
  echo "usage: scripts/fuzz.sh TARGET SECONDS (targets: csv_reader yaml_reader rules expression)" >&2
  exit 2
fi
target=$1
seconds=$2
case $target in
  csv_reader | yaml_reader | rules | expression) ;;
  *)
    echo "fuzz.sh: unknown target '$target' (targets: csv_reader yaml_reader rules expression)" >&2
    exit 2
    ;;
esac
build=${FUZZ_BUILD_DIR:-build-asan}
if [ ! -x "$build/tests/fuzz/fuzz_$target" ]; then
  CXX=clang++ ./scripts/setup.sh "$build" None -DCMAKE_CXX_FLAGS=-O1 -DRISKLEDGER_SANITIZE=ON -DRISKLEDGER_FUZZ=ON
else
  cmake --build "$build" --target "fuzz_$target" >/dev/null
fi

work=$build/fuzz-corpus/$target
crashes=$build/fuzz-crashes
mkdir -p "$work" "$crashes" "tests/fuzz/regressions/$target"
jobs=${FUZZ_JOBS:-1}
parallel=()
if [ "$jobs" -gt 1 ]; then parallel=(-jobs="$jobs" -workers="$jobs"); fi
echo "fuzzing $target for $seconds s ($jobs job(s)); new inputs in $work" >&2
set +e
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
  "$build/tests/fuzz/fuzz_$target" "$work" "tests/fuzz/corpus/$target" "tests/fuzz/regressions/$target" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$crashes/$target-" -print_final_stats=1 "${parallel[@]}" \
  >"$build/fuzz-$target.log" 2>&1
rc=$?
set -e
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs)' "$build/fuzz-$target.log" >&2 || true
if [ $rc -ne 0 ]; then
  tail -n 60 "$build/fuzz-$target.log" >&2
  echo "fuzz.sh: $target failed (exit $rc); crashing inputs: $(ls "$crashes" | grep "^$target-" | tr '\n' ' ')" >&2
  exit 1
fi
echo "fuzz.sh: $target ran $seconds s without a crash" >&2
