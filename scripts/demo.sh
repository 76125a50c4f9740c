#!/usr/bin/env bash
# Sets up and builds riskledger (Release), then grades the shipped example
# sweep into ledger/ and prints the A-grade rows and the counts.
# The example was swept in the week to 2026-11-24, so overdue items are judged
# as of 2026-11-25; set AS_OF=YYYY-MM-DD to judge as of another day.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh build Release
rl=build/cli/riskledger
as_of=${AS_OF:-2026-11-25}

echo "== validate examples/sweep.csv"
"$rl" validate examples/sweep.csv --rules rules/default.yaml

echo "== grade examples/sweep.csv into ledger/ (as of $as_of)"
"$rl" grade examples/sweep.csv --rules rules/default.yaml --out-dir ledger --as-of "$as_of"

echo "== A-grade risk points (ledger/ledger.csv)"
# Title last, so a comma inside a title cannot shift the columns awk reads.
"$rl" grade examples/sweep.csv --rules rules/default.yaml --as-of "$as_of" --quiet -o - \
  --columns rank,id,grade,score,district,deadline,overdue,title |
  awk -F, 'NR == 1 || $3 == "A" {
    title = $0
    for (i = 1; i <= 7; i++) sub(/^[^,]*,/, "", title)
    if (title ~ /^"/) { title = substr(title, 2, length(title) - 2); gsub(/""/, "\"", title) }
    printf "%-5s %-14s %-5s %-6s %-10s %-10s %-7s %s\n", $1, $2, $3, $4, $5, $6, $7, title
  }'
