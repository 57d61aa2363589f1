#!/usr/bin/env bash
# Builds and tests the Teams tab (src/TiesOffice.Tab): npm ci, type check and build, component tests (Vitest), then
# browser tests (node --test, Playwright driving Debian's Chromium) against the real DevHost on demo data.
# The browser tests need the .NET solution built in Release and Azurite installed (npm ci in the repository root):
# scripts/test.sh does both first. JUnit reports go to src/TiesOffice.Tab/artifacts/ (screenshots too).
# Usage: scripts/tab-test.sh [--no-browser]
set -euo pipefail
cd "$(dirname "$0")/../src/TiesOffice.Tab"

browser=1
[ "${1:-}" = "--no-browser" ] && browser=0

echo "==> Tab: installing (package-lock.json) and building"
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
node scripts/bundle-size.mjs

rm -rf artifacts/junit && mkdir -p artifacts/junit
status=0
echo "==> Tab: component tests (Vitest)"
npx vitest run --reporter=default --reporter=junit --outputFile.junit=artifacts/junit/vitest.xml || status=1

if [ "$browser" -eq 1 ]; then
  echo "==> Tab: browser tests (Chromium against the DevHost on demo data)"
  if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
    echo "tab-test: ${CHROMIUM_PATH:-/usr/bin/chromium} is missing; install it with: apt-get install -y chromium" >&2
    exit 2
  fi
  node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=junit --test-reporter-destination=artifacts/junit/browser.xml \
    browser-tests/tab.test.mjs browser-tests/pane.test.mjs || status=1
fi

read -r p f s < <(node scripts/junit-counts.mjs artifacts/junit/*.xml)
echo "tab: ${p} passed, ${f} failed, ${s} skipped"
exit $status
