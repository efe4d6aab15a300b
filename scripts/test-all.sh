#!/usr/bin/env bash
# `just test`: every check, each suite closing with "<suite>: N passed, M failed", then a
# total. Runs all suites even when one fails, so one run shows everything; exits non-zero
# if any failed.
set -uo pipefail
source "$(dirname "$0")/ensure.sh"
cd "$ROOT"
unset TEST_DATABASE_URL

started=$(date +%s)
summary=()
total_passed=0
total_failed=0
logs="target/test-logs"
mkdir -p "$logs"

record() { # name passed failed
  summary+=("$1: $2 passed, $3 failed")
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
rust_suite sqlite cargo test --workspace --color never
rust_suite postgres scripts/with-postgres.sh cargo test --workspace --color never
step spa-build scripts/build-spa.sh

log "e2e (Playwright in Chromium, axe-core)"
cargo build -p vern-api --quiet
e2e_log="$logs/e2e.log"
scripts/e2e.sh 2>&1 | tee "$e2e_log"
e2e_line="$(grep -E '^e2e: [0-9]+ passed, [0-9]+ failed' "$e2e_log" | tail -1)"
if [ -n "$e2e_line" ]; then
  read -r p f < <(echo "$e2e_line" | awk '{print $2, $4}')
  record e2e "$p" "$f"
else
  record e2e 0 1
fi

log "schemathesis"
st_log="$logs/schemathesis.log"
scripts/schemathesis.sh 2>&1 | tee "$st_log"
st_line="$(grep -E '^schemathesis: [0-9]+ passed, [0-9]+ failed' "$st_log" | tail -1)"
if [ -n "$st_line" ]; then
  read -r p f < <(echo "$st_line" | awk '{print $2, $4}')
  record schemathesis "$p" "$f"
else
  record schemathesis 0 1
fi

elapsed=$(( $(date +%s) - started ))
echo
echo "== just test: summary ($((elapsed / 60)) min $((elapsed % 60)) s)"
for line in "${summary[@]}"; do echo "  $line"; done
echo "total: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
