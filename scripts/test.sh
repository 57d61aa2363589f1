#!/usr/bin/env bash
# Runs every TiesOffice test: installs the Node tools the tests start (Azurite), then the whole .NET suite, then the
# app package's tests (manifest/, node --test; they read the Functions build, so they run after it).
# Usage: scripts/test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser tests (tab, cards) drive Debian's chromium; a fresh machine has none.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "chromium is missing: run 'sudo apt-get install chromium' (Debian), then this script again." >&2
    exit 1
  fi
  echo "==> Installing chromium (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

echo "==> Installing Node tools (package-lock.json, manifest/package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error
(cd manifest && npm ci --no-audit --no-fund --loglevel=error)

echo "==> Building (Release)"
dotnet build TiesOffice.sln -c Release --nologo -v quiet

echo "==> Running tests"
results="$(pwd)/artifacts/test-results"
rm -rf "$results"
set +e
dotnet test --no-build -c Release --results-directory "$results" --report-xunit-trx "$@"
status=$?
set -e

echo "==> Running the app package tests (manifest/, node --test)"
mkdir -p "$results"
set +e
(cd manifest && node --test --test-reporter=tap >"$results/manifest.tap" 2>&1)
node_status=$?
set -e
# Failures in full; todo tests (routes a teammate's branch adds) and node's own summary lines.
grep -E '^not ok|^# (tests|pass|fail|todo|skipped|cancelled) ' "$results/manifest.tap" || true
[ "$node_status" -eq 0 ] || { status=1; echo "manifest tests failed: see $results/manifest.tap"; }

# One plain closing line, counted from the TRX reports, so any CI can read the totals.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
# node's summary: pass and fail count as such; todo and skipped as skipped. A run with no summary (node crashed)
# counts one failure.
tap="$results/manifest.tap"
if grep -q '^# pass ' "$tap" 2>/dev/null; then
  nodecount() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$tap" | tail -1; }
  p=$(nodecount pass); f=$(nodecount fail); c=$(nodecount cancelled); t=$(nodecount todo); k=$(nodecount skipped)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${c:-0})); skipped=$((skipped + ${t:-0} + ${k:-0}))
else
  failed=$((failed + 1))
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
