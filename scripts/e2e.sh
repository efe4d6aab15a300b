#!/usr/bin/env bash
# Runs the Playwright journeys in Debian's Chromium against the real server (debug build)
# and prints "e2e: N passed, M failed". Expects frontend/dist and target/debug/vern built.
set -uo pipefail
source "$(dirname "$0")/ensure.sh"
cd "$ROOT"
ensure_chromium
ensure_e2e_packages

cd e2e
rm -rf test-results
npx --no-install playwright test
status=$?
node summarize.mjs
exit $status
