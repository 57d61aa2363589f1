#!/usr/bin/env bash
# Runs every TiesOffice test: installs the Node tools the tests start (Azurite), then the whole .NET suite, then the
# Teams tab's build, component tests and browser tests (scripts/tab-test.sh; needs Debian's chromium).
# Usage: scripts/test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> Installing Node tools (package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error

echo "==> Building (Release)"
dotnet build TiesOffice.sln -c Release --nologo -v quiet

echo "==> Running tests"
results="$(pwd)/artifacts/test-results"
rm -rf "$results"
set +e
dotnet test --no-build -c Release --results-directory "$results" --report-xunit-trx "$@"
status=$?

echo "==> Tab: build, component tests and browser tests"
scripts/tab-test.sh
tab_status=$?
set -e

# One plain closing line, counted from the TRX reports, so any CI can read the totals.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
# The tab's tests report JUnit XML (Vitest and node --test); a tab run that failed before reporting counts as one failure.
read -r tp tf ts < <(node src/TiesOffice.Tab/scripts/junit-counts.mjs src/TiesOffice.Tab/artifacts/junit/*.xml)
if [ "$tab_status" -ne 0 ] && [ "$tf" -eq 0 ]; then tf=1; fi
passed=$((passed + tp)); failed=$((failed + tf)); skipped=$((skipped + ts))
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$status" -ne 0 ] && exit $status
exit $tab_status
