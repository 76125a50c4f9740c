#!/usr/bin/env bash
# Storage faults: a full destination and a read-only one. Each failed grade
# must name the path, exit 1, leave the previous ledger byte for byte and
# leave no temporary file behind. The output is compared with
# storage_faults.out (UPDATE_GOLDEN=1 rewrites it).
#
# Root ignores permission bits, so a chmod'ed directory proves nothing here:
# the full disk is a 256 KiB tmpfs and the read-only directory a read-only
# bind mount, both inside a private mount namespace (unshare -m) so that no
# mount outlives the test. Without the privilege to mount, only /dev/full is
# tested and the test reports itself skipped (exit 77).
set -u
rl=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

steps() {
  local rl=$1 t=$2 out
  # grade_twice DIR: a good run, then a run that must fail; prints what the
  # failing run said and what is left in DIR.
  grade_twice() {
    local dir=$1 fault=$2
    "$rl" grade tests/data/hand.csv --as-of 2026-11-25 --out-dir "$dir" --quiet
    echo "[first run: exit $?]"
    cp "$dir/ledger.csv" "$t/before.csv"
    eval "$fault"
    "$rl" grade tests/data/bad_records.csv --as-of 2026-11-25 --out-dir "$dir" --quiet 2>&1
    echo "[second run: exit $?]"
    cmp -s "$t/before.csv" "$dir/ledger.csv" && echo "ledger.csv unchanged"
    echo "left in the directory: $(ls -A "$dir" | tr '\n' ' ')"
  }

  echo "== a full file system (256 KiB tmpfs, filled up after the first run)"
  mkdir -p "$t/full"
  mount -t tmpfs -o size=256k tmpfs "$t/full" || return 1
  grade_twice "$t/full/ledger" 'head -c 1M /dev/zero >"$t/full/filler" 2>/dev/null'

  echo "== a read-only file system (read-only bind mount after the first run)"
  mkdir -p "$t/ro/ledger"
  grade_twice "$t/ro/ledger" 'mount --bind "$t/ro" "$t/ro" && mount -o remount,bind,ro "$t/ro"'
  echo "== a new --out-dir on the read-only file system"
  "$rl" grade tests/data/hand.csv --as-of 2026-11-25 --out-dir "$t/ro/new" --quiet 2>&1
  echo "[exit $?]"
}

{
  echo "== /dev/full as the ledger file"
  "$rl" grade tests/data/hand.csv --as-of 2026-11-25 -o /dev/full --quiet 2>&1
  echo "[exit $?]"
  if unshare -m --propagation private true 2>/dev/null; then
    export -f steps
    unshare -m --propagation private bash -c 'steps "$@"' steps "$rl" "$tmp"
    echo "[namespace: exit $?]"
  else
    echo "SKIPPED: cannot create a mount namespace here (needs root or CAP_SYS_ADMIN)"
  fi
} 2>&1 | sed "s|$tmp|\$TMP|g" >"$tmp/actual"

if grep -q '^SKIPPED' "$tmp/actual"; then
  cat "$tmp/actual"
  echo "storage_faults: full and read-only file systems not tested: no mount namespace" >&2
  exit 77
fi
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then cp "$tmp/actual" "$here/storage_faults.out"; fi
diff -u "$here/storage_faults.out" "$tmp/actual"
