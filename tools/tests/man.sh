#!/usr/bin/env bash
# man.sh: a manual page renders without a warning.
#
#   man.sh PATH-TO-MAN PAGE
set -euo pipefail
out=$(MANWIDTH=80 "$1" --warnings -l "$2" 2>&1 >/dev/null)
if [ -n "$out" ]; then
  printf '%s\n' "$out"
  exit 1
fi
echo "ok: $2 renders without a warning"
