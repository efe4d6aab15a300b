#!/usr/bin/env bash
# `just test`: every check, each suite closing with "<suite>: N passed, M failed", then a
# total. Runs all suites even when one fails, so one run shows everything; exits non-zero
# if any failed.
set -uo pipefail
source "$(dirname "$0")/ensure.sh"
cd "$ROOT"
unset TEST_DATABASE_URL
if [ -n "${CI:-}" ]; then
  # A clean build gains nothing from incremental data; it only costs time and disk
  # (it was 30 of 43 GB of a developer's target/debug).
  export CARGO_INCREMENTAL=0
fi
disk_free() { df -h --output=avail "$ROOT" 2>/dev/null | tail -1 | tr -d ' '; }
log "disk free at start: $(disk_free)"

started=$(date +%s)
summary=()
total_passed=0
total_failed=0
logs="target/test-logs"
mkdir -p "$logs"

suite_started=$(date +%s)
record() { # name passed failed; the time since the previous suite ended goes with it
  local now; now=$(date +%s)
  summary+=("$1: $2 passed, $3 failed ($((now - suite_started)) s)")
  suite_started=$now
  total_passed=$((total_passed + $2))
  total_failed=$((total_failed + $3))
  echo "$1: $2 passed, $3 failed"
}

# Sums the "test result:" lines of a cargo test log.
cargo_counts() {
  awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
       END { printf "%d %d\n", p, f }' "$1"
}

rust_suite() { # name command...
  local name="$1"; shift
  local log="$logs/$name.log"
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  read -r passed failed < <(cargo_counts "$log")
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  record "$name" "$passed" "$failed"
}

step() { # name command...: a check that is not a test runner counts as one test
  local name="$1"; shift
  log "$name"
  if "$@"; then record "$name" 1 0; else record "$name" 0 1; fi
}

step lint scripts/lint.sh
ensure_xmllint
ensure_guide_tools
rust_suite sqlite cargo test --color never
rust_suite postgres scripts/with-postgres.sh cargo test --color never
step spa-build scripts/build-spa.sh

# Runs a suite that prints its own "<name>: N passed, M failed" line and records that line.
reported_suite() { # name command...
  local name="$1"; shift
  local log="$logs/$name.log" line p f
  "$@" 2>&1 | tee "$log"
  line="$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1)"
  if [ -n "$line" ]; then
    read -r p f < <(echo "$line" | awk '{print $2, $4}')
    record "$name" "$p" "$f"
  else
    record "$name" 0 1
  fi
}

log "e2e (Playwright in Chromium, axe-core)"
cargo build -p vern-api -p vern-demo-subject -p vern-test-idp --quiet
reported_suite e2e scripts/e2e.sh

log "generated API clients (TypeScript, Python)"
reported_suite clients scripts/clients.sh

log "schemathesis"
reported_suite schemathesis scripts/schemathesis.sh

elapsed=$(( $(date +%s) - started ))
echo
echo "== just test: summary ($((elapsed / 60)) min $((elapsed % 60)) s; disk free at the end: $(disk_free); target/: $(du -sh target 2>/dev/null | cut -f1))"
for line in "${summary[@]}"; do echo "  $line"; done
echo "total: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
