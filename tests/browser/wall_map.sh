#!/usr/bin/env bash
# The wall map in a real browser: grades examples/sweep.csv with --lang zh,
# draws the wall map of that ledger with `report --lang zh`, renders it with headless Chromium (Debian's
# `chromium`, with `fonts-noto-cjk` for the Chinese), saves a screenshot
# (BUILD/wall_map.png, and the printed PDF BUILD/wall_map.pdf) and checks the
# counts in the rendered DOM against counts worked out from the CSV ledger
# with Python's csv module. Skipped (exit 77) only when Chromium is not
# installed. Usage: wall_map.sh RISKLEDGER OUT_DIR
set -euo pipefail
rl=$1
out=$2
if ! command -v chromium >/dev/null 2>&1; then
  echo "SKIPPED: chromium is not installed (scripts/setup.sh installs Debian's chromium and fonts-noto-cjk)"
  exit 77
fi
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$rl" grade examples/sweep.csv --as-of 2026-11-25 -q --lang zh -o "$tmp/ledger.csv"
"$rl" report "$tmp/ledger.csv" --lang zh --as-of 2026-11-25 -q -o "$tmp/report.html"
# Headless Chromium as root needs --no-sandbox; no network is used (the page
# links to nothing), and a fresh profile keeps runs independent.
browser=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
  --user-data-dir="$tmp/profile" --window-size=1280,1200)
"${browser[@]}" --screenshot="$out/wall_map.png" "file://$tmp/report.html" >/dev/null 2>&1
"${browser[@]}" --no-pdf-header-footer --print-to-pdf="$out/wall_map.pdf" "file://$tmp/report.html" \
  >/dev/null 2>&1
"${browser[@]}" --dump-dom "file://$tmp/report.html" 2>/dev/null >"$tmp/dom.html"
/usr/bin/python3 "$(dirname "$0")/check_dom.py" "$tmp/ledger.csv" "$tmp/dom.html" "$out/wall_map.png" \
  "$out/wall_map.pdf"
