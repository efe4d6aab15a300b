#!/usr/bin/env bash
# fmt, clippy native and wasm32, and a check that the domain crate stays free of I/O crates.
set -euo pipefail
source "$(dirname "$0")/ensure.sh"
cd "$ROOT"
ensure_wasm_target

log "cargo fmt --check"
cargo fmt --all -- --check

log "clippy (native: server crates, all targets)"
cargo clippy --all-targets --quiet -- -D warnings

log "clippy (the generated Rust client's build script and smoke program)"
cargo clippy -p vern-client-rust --quiet -- -D warnings

log "clippy (wasm32: SPA, domain, i18n)"
cargo clippy -p frontend -p vern-domain -p vern-i18n --target wasm32-unknown-unknown --quiet -- -D warnings

log "the domain crate depends on no I/O framework"
forbidden="$(cargo tree -p vern-domain -e normal,build --prefix none --format '{p}' | awk '{print $1}' \
  | grep -E '^(actix|actix-.*|sea-orm.*|sqlx.*|tokio|reqwest|hyper)$' | sort -u || true)"
if [ -n "$forbidden" ]; then
  echo "vern-domain must stay pure, but depends on: $forbidden" >&2
  exit 1
fi
echo "lint: ok"
