#!/usr/bin/env bash
# The bash completion script: commands, each command's options, values of
# --format (comma-separated, and only csv/jsonl for score), --lang and
# --encoding. Each case prints the words offered for a command line whose
# last word is being completed; the golden file holds the expected words.
# Usage: completion.sh SCRIPT
source "$1"
offer() {
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMPREPLY=()
  _riskledger
  printf '%s -> %s\n' "$*" "${COMPREPLY[*]}"
}
offer riskledger ""
offer riskledger re
offer riskledger grade --f
offer riskledger grade --format ""
offer riskledger grade --format csv,x
offer riskledger score --format ""
offer riskledger report --
offer riskledger grade a.csv --lang ""
offer riskledger validate --encoding g
offer riskledger rules ""
