#!/usr/bin/env bash
# Installs the build into a scratch prefix and checks what lands there: the
# binary (which runs), the rule sets, the man page (which man renders with
# its NAME line) and the bash completion (which defines the completion).
# Usage: install_layout.sh BUILD_DIR
set -euo pipefail
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$1" --prefix "$prefix" >/dev/null
fail=0
for f in bin/riskledger share/riskledger/rules/default.yaml share/man/man1/riskledger.1 \
  share/bash-completion/completions/riskledger; do
  if [ -e "$prefix/$f" ]; then echo "installed $f"; else echo "MISSING $f"; fail=1; fi
done
"$prefix/bin/riskledger" --version
if command -v man >/dev/null; then
  MANWIDTH=80 man -l "$prefix/share/man/man1/riskledger.1" 2>/dev/null | grep -m1 -A1 '^NAME' | tail -1 | sed 's/^ *//'
fi
bash -c "source '$prefix/share/bash-completion/completions/riskledger' && complete -p riskledger"
exit $fail
