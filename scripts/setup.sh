#!/usr/bin/env bash
# Installs the build dependencies that are missing (Debian packages), and
# configures and builds riskledger. Safe to run any number of times.
# Usage: scripts/setup.sh BUILD_DIR BUILD_TYPE [extra cmake args...]
set -euo pipefail

# libxlsxwriter-dev writes --format xlsx. python3-openpyxl and python3-yaml
# read the workbook and the YAML ledger back in the tests; chromium renders
# the HTML wall map in the browser test and fonts-noto-cjk gives it Chinese
# glyphs (both are large).
packages=(cmake ninja-build g++ pkg-config
  libcli11-dev libeigen3-dev libfmt-dev libyaml-cpp-dev doctest-dev libfast-float-dev libxlsxwriter-dev
  libssl-dev libsqlite3-dev nlohmann-json3-dev locales tzdata
  sqlite3 python3 parallel python3-openpyxl python3-yaml chromium fonts-noto-cjk
  clang libclang-rt-dev  # clang: the sanitizer build and libFuzzer (scripts/test.sh, scripts/fuzz.sh)
  strace)  # strace: the test that --no-fsync skips the flush (tests/golden/no_fsync.test)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "Installing missing packages: ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build_dir=${1:-build}
build_type=${2:-Release}
shift 2 || true
# CXX (e.g. clang++) is only read when the build directory is first configured.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" "$@" >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)"
