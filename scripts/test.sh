#!/usr/bin/env bash
# Runs every TiesOffice test: installs what the tests need (Debian's chromium, the Node tools from the lock files),
# builds in Release, then runs the whole .NET suite, the Teams tab's build, component and browser tests
# (scripts/tab-test.sh), and the Node suites (manifest/: the app package; tests/bot-node: botbuilder as the
# Connector and every card in the adaptivecards renderer). The Node suites read the .NET build, so they run after it.
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

echo "==> Installing Node tools (package-lock.json files)"
npm ci --no-audit --no-fund --loglevel=error
(cd manifest && npm ci --no-audit --no-fund --loglevel=error)
(cd tests/bot-node && npm ci --no-audit --no-fund --loglevel=error)

echo "==> Building (Release)"
dotnet build TiesOffice.sln -c Release --nologo -v quiet

echo "==> Running tests"
results="$(pwd)/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
set +e
dotnet test --no-build -c Release --results-directory "$results" --report-xunit-trx "$@" 2>&1 | tee "$results/dotnet-test.log"
status=${PIPESTATUS[0]}

echo "==> Tab: build, component tests and browser tests"
scripts/tab-test.sh
tab_status=$?
[ "$tab_status" -eq 0 ] || status=1

# A Node suite run with node --test's TAP reporter; its summary lines are added to the totals below.
node_suite() { # name, folder
  echo "==> Running the $1 tests ($2, node --test)"
  (cd "$2" && node --test --test-concurrency=1 --test-reporter=tap) >"$results/$1.tap" 2>&1
  local rc=$?
  grep -E '^not ok|^# (tests|pass|fail|todo|skipped|cancelled) ' "$results/$1.tap" || tail -n 30 "$results/$1.tap"
  [ "$rc" -eq 0 ] || { status=1; echo "$1 tests failed: see $results/$1.tap"; }
}
node_suite manifest manifest
node_suite bot-node tests/bot-node
set -e

# One plain closing line, so any CI can read the totals. The .NET figures come from dotnet test's own run summary
# (the TRX files stay as artifacts, but their generated names can collide between two assemblies that finish in the
# same instant, and a collision lost one assembly's counts). No summary (the runner crashed) counts one failure.
passed=0; failed=0; skipped=0
dotnet_summary=$(sed -n '/^Test run summary/,$p' "$results/dotnet-test.log")
if [ -n "$dotnet_summary" ]; then
  dotnetcount() { sed -n "s/^  $1: \([0-9]*\)$/\1/p" <<<"$dotnet_summary" | tail -1; }
  p=$(dotnetcount succeeded); f=$(dotnetcount failed); n=$(dotnetcount skipped)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
else
  failed=$((failed + 1))
fi
# node's summaries: pass and fail count as such; todo and skipped as skipped. A run with no summary (node crashed)
# counts one failure.
for tap in "$results"/*.tap; do
  [ -f "$tap" ] || continue
  if grep -q '^# pass ' "$tap"; then
    nodecount() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$tap" | tail -1; }
    p=$(nodecount pass); f=$(nodecount fail); c=$(nodecount cancelled); t=$(nodecount todo); k=$(nodecount skipped)
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${c:-0})); skipped=$((skipped + ${t:-0} + ${k:-0}))
  else
    failed=$((failed + 1))
  fi
done
# The tab's tests report JUnit XML (Vitest and node --test); a tab run that failed before reporting counts as one failure.
read -r tp tf ts < <(node src/TiesOffice.Tab/scripts/junit-counts.mjs src/TiesOffice.Tab/artifacts/junit/*.xml 2>/dev/null || echo "0 0 0")
if [ "$tab_status" -ne 0 ] && [ "${tf:-0}" -eq 0 ]; then tf=1; fi
passed=$((passed + ${tp:-0})); failed=$((failed + ${tf:-0})); skipped=$((skipped + ${ts:-0}))
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
