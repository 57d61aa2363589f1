#!/usr/bin/env bash
# Runs every TiesOffice test: installs the Node tools the tests start (Azurite), then the whole .NET suite, then the
# Node tests of the bot (tests/bot-node: botbuilder as the Connector, cards in the adaptivecards renderer in chromium).
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

echo "==> Running the bot's Node tests (tests/bot-node)"
node_out="$results/bot-node.tap"
mkdir -p "$results"
(cd tests/bot-node && npm ci --no-audit --no-fund --loglevel=error && node --test --test-concurrency=1 --test-reporter=tap) >"$node_out" 2>&1
node_status=$?
grep -E '^(not ok|# (tests|pass|fail))' "$node_out" || tail -n 30 "$node_out"
[ $node_status -eq 0 ] || status=$node_status
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
# The Node runner's own summary lines ("# pass N", "# fail N", "# skipped N"); a run that never got to them counts as one failure.
if grep -q '^# pass ' "$node_out"; then
  passed=$((passed + $(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$node_out" | tail -1)))
  failed=$((failed + $(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$node_out" | tail -1)))
  skipped=$((skipped + $(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$node_out" | tail -1)))
else
  failed=$((failed + 1))
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
