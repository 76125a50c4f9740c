#!/usr/bin/env bash
# Sets up (installs missing packages), builds with warnings as errors, and
# runs the whole test suite through ctest. Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh build Release -DRISKLEDGER_WERROR=ON
cd build
ctest --output-on-failure --parallel "$(nproc)"
