#!/usr/bin/env bash
# Builds the SPA into frontend/dist:
#   index.html, favicon.svg, assets/<content hash>/{frontend.js, frontend_bg.wasm, boot.js, *.css}
# The hash directory lets the server cache assets for a year; index.html is never cached.
# No wasm-opt: Debian's (108) corrupts Rust 1.95 output, and a good one saves ~2 KB.
# The profile keeps the target_features section (strip = "debuginfo") so wasm-bindgen sees
# which wasm features are on; wasm-bindgen itself then drops the name section.
set -euo pipefail
source "$(dirname "$0")/ensure.sh"
cd "$ROOT"

ensure_wasm_target
ensure_wasm_bindgen
ensure_css_packages
ensure_brotli

log "building the SPA (wasm32, release)"
RUSTFLAGS="--cfg erase_components" cargo build -p frontend --target wasm32-unknown-unknown --profile wasm-release --quiet

stage="$(mktemp -d -t vern-dist.XXXXXX)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/pkg"
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir "$stage/pkg" \
  target/wasm32-unknown-unknown/wasm-release/frontend.wasm
cp frontend/static/boot.js frontend/static/vern.css "$stage/pkg/"
# Designsystemet without the components the SPA does not use (see the script's list).
node frontend/scripts/trim-css.mjs frontend/node_modules/@digdir/designsystemet-css/dist/src/index.css "$stage/pkg/designsystemet.css"
cp frontend/node_modules/@digdir/designsystemet-theme/brand/digdir.css "$stage/pkg/theme.css"
# Bokmål is compiled in; the other languages are fetched when chosen (frontend/src/i18n.rs).
for lang in nn en; do
  first=1
  for f in $(LC_ALL=C ls crates/i18n/locales/$lang/*.ftl); do
    [ $first -eq 1 ] || printf '\n'
    cat "$f"; first=0
  done > "$stage/pkg/locale-$lang.txt"
done

# wasm-bindgen puts inline JavaScript under snippets/: hash and measure every file.
hash="$(find "$stage/pkg" -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)"
mkdir -p "$stage/dist/assets"
mv "$stage/pkg" "$stage/dist/assets/$hash"
sed "s/__ASSET_DIR__/$hash/g" frontend/static/index.html > "$stage/dist/index.html"
cp frontend/static/favicon.svg "$stage/dist/"

rm -rf frontend/dist.old
[ -d frontend/dist ] && mv frontend/dist frontend/dist.old
mv "$stage/dist" frontend/dist
rm -rf frontend/dist.old

assets="frontend/dist/assets/$hash"
size() { wc -c < "$1" | tr -d ' '; }
br() { if command -v brotli >/dev/null; then brotli -c -q 11 "$1" | wc -c | tr -d ' '; else gzip -c -9 "$1" | wc -c | tr -d ' '; fi; }
method="brotli"; command -v brotli >/dev/null || method="gzip (brotli not installed)"
wasm_raw=$(size "$assets/frontend_bg.wasm"); wasm_br=$(br "$assets/frontend_bg.wasm")
# What every visitor loads (wasm + js + css, bokmål included); each other language adds
# its locale file when chosen.
total_br=0
while IFS= read -r f; do total_br=$((total_br + $(br "$f"))); done < <(find "$assets" -type f ! -name 'locale-*')
locale_br=$(br "$assets/locale-en.txt")
echo "SPA built: frontend/dist (assets/$hash)"
printf 'SPA wasm size: %d bytes raw, %d bytes %s\n' "$wasm_raw" "$wasm_br" "$method"
printf 'SPA transfer size (wasm + js + css, %s): %d bytes\n' "$method" "$total_br"
printf 'SPA language file (English, fetched when chosen, %s): %d bytes\n' "$method" "$locale_br"
mkdir -p target/bench
printf '{"wasm_raw_bytes": %d, "wasm_compressed_bytes": %d, "transfer_compressed_bytes": %d, "compression": "%s"}\n' \
  "$wasm_raw" "$wasm_br" "$total_br" "$method" > target/bench/spa-size.json
