#!/usr/bin/env bash
# The README's test command: one-time machine set-up (libstdc++ fix where needed, Chromium for the
# browser tests, PostgreSQL's server programs for the scale-out tests), then the whole test suite in Release.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test DistillLab.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
# One plain closing line for tools that read it: "N passed, N failed, N skipped".
count() { grep -E "^ +$1: +[0-9]+" "$log" | tail -1 | grep -oE '[0-9]+' || echo 0; }
# CI keeps only the tail of this output: repeat each failed test's name, message and the top of its stack there.
if grep -qE '^ +Failed [A-Za-z]' "$log"; then
  echo "Failed tests (repeated from above):"
  awk '/^ +(Passed|Skipped) [A-Za-z]/ { show = 0 }
       /^ +Failed [A-Za-z]/ { show = 1; lines = 0; stack = 0 }
       show && /^ +Stack Trace:/ { stack = 1 }
       show { print; lines++; if (stack) stack++ }
       show && (lines >= 30 || stack > 8) { show = 0 }' "$log"
fi
if grep -qE '^Total tests: +[0-9]+' "$log"; then
  echo "$(count Passed) passed, $(count Failed) failed, $(count Skipped) skipped"
fi
exit $status
