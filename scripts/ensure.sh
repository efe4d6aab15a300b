#!/usr/bin/env bash
# Installs what the build and tests need when it is missing. Sourced by the other scripts;
# each function is idempotent and quick when the tool is already there.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { echo "==> $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

APT_UPDATED=""
apt_install() {
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "installing the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# The CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen() {
  local want have
  want="$(wasm_bindgen_version)"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  if [ "$have" != "$want" ]; then
    log "installing wasm-bindgen-cli $want (takes a few minutes, once)"
    # Without --locked: the CLI's own lockfile pins a crate the registry no longer has.
    cargo install wasm-bindgen-cli --version "$want" --quiet
  fi
}

ensure_css_packages() {
  if [ ! -f "$ROOT/frontend/node_modules/@digdir/designsystemet-css/package.json" ] \
    || [ ! -f "$ROOT/frontend/node_modules/postcss/package.json" ]; then
    log "installing Designsystemet's CSS (and postcss, to trim it) from npm"
    (cd "$ROOT/frontend" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_brotli() {
  command -v brotli >/dev/null || { log "installing brotli"; apt_install brotli || true; }
}

# The Noark 5 export's test validates against the National Archives' schema with xmllint.
ensure_xmllint() {
  command -v xmllint >/dev/null || { log "installing xmllint (libxml2-utils)"; apt_install libxml2-utils; }
}

# The integration guide's examples (docs/integration.md) run with curl, jq and openssl.
ensure_guide_tools() {
  local missing=()
  for tool in curl jq openssl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  if [ "${#missing[@]}" -gt 0 ]; then log "installing ${missing[*]}"; apt_install "${missing[@]}"; fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    log "installing Debian's Chromium"
    apt_install chromium
  fi
}

ensure_e2e_packages() {
  if [ ! -f "$ROOT/e2e/node_modules/@playwright/test/package.json" ] \
    || [ ! -f "$ROOT/e2e/node_modules/oidc-provider/package.json" ]; then
    log "installing Playwright, axe-core and oidc-provider from npm"
    (cd "$ROOT/e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_oha() {
  if ! command -v oha >/dev/null; then
    log "installing the load generator oha (once)"
    cargo install oha --locked --quiet
  fi
}
