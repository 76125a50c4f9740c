#!/usr/bin/env bash
# Sets up (installs missing packages), builds and runs everything CI checks.
# Safe to run twice.
#   1. the Release build with warnings as errors, and the whole test suite;
#   2. the ASan+UBSan build (clang, -DRISKLEDGER_SANITIZE=ON, with the fuzz
#      targets) in build-asan, and the whole test suite again there, with
#      smaller data sets for the two slowest tests (RISKLEDGER_CROSSCHECK_COUNT,
#      RISKLEDGER_SIGNAL_COUNT);
#   3. each fuzz target for FUZZ_SECONDS seconds (default 20).
# SKIP_SANITIZERS=1 stops after step 1.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh build Release -DRISKLEDGER_WERROR=ON
(cd build && ctest --output-on-failure --parallel "$(nproc)")
if [ "${SKIP_SANITIZERS:-}" = 1 ]; then exit 0; fi

CXX=clang++ ./scripts/setup.sh build-asan None -DCMAKE_CXX_FLAGS=-O1 -DRISKLEDGER_SANITIZE=ON \
  -DRISKLEDGER_FUZZ=ON -DRISKLEDGER_WERROR=ON
(cd build-asan && RISKLEDGER_CROSSCHECK_COUNT=20000 RISKLEDGER_SIGNAL_COUNT=300000 \
  ctest --output-on-failure --parallel "$(nproc)")

for target in csv_reader yaml_reader rules expression; do
  ./scripts/fuzz.sh "$target" "${FUZZ_SECONDS:-20}"
done
echo "fuzzing: 4 passed, 0 failed"
