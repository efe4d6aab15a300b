#!/usr/bin/env bash
# Generates API clients from the committed openapi/openapi.json with the tools integrators
# use — openapi-typescript (+ openapi-fetch), openapi-python-client and progenitor (the
# `clients/rust` crate's build script, outside the default workspace members) — and runs a smoke
# program with each against a running server (debug build, demo data): client credentials,
# list organisations, create and read back a system, page through a list, a typed
# problem+json for bad input. The generated code is not committed. Prints
# "clients: N passed, M failed" (N, M: smoke programs).
set -uo pipefail
source "$(dirname "$0")/ensure.sh"
cd "$ROOT"

passed=0
failed=0
total=3
result() { if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "clients: $1 FAILED" >&2; fi; }

# The tools, pinned.
if [ ! -d clients/typescript/node_modules/openapi-typescript ]; then
  log "installing openapi-typescript, openapi-fetch and typescript"
  (cd clients/typescript && npm ci --silent --no-audit --no-fund) || { echo "clients: 0 passed, $total failed"; exit 1; }
fi
if [ ! -x .venv-clients/bin/openapi-python-client ] || [ ! -f .venv-clients/.vern-opc-0.29.1 ]; then
  log "installing openapi-python-client into .venv-clients"
  { python3 -m venv .venv-clients && .venv-clients/bin/pip install --quiet 'openapi-python-client==0.29.1' \
    && touch .venv-clients/.vern-opc-0.29.1; } || { echo "clients: 0 passed, $total failed"; exit 1; }
fi

# Generate from the committed spec.
spec="$ROOT/openapi/openapi.json"
rm -rf clients/typescript/generated clients/typescript/dist clients/python/generated
(cd clients/typescript && npx --no-install openapi-typescript "$spec" -o generated/vern.d.ts >/dev/null) \
  || { echo "clients: openapi-typescript failed" >&2; }
.venv-clients/bin/openapi-python-client generate --path "$spec" --meta none --config clients/python/config.yml \
  --output-path clients/python/generated/vern_client > "$ROOT/target/clients-python-generate.log" 2>&1 \
  || { echo "clients: openapi-python-client failed; see target/clients-python-generate.log" >&2; }
log "Rust client (progenitor): generating and compiling"
cargo build --quiet -p vern-client-rust
rust_built=$?

# A server with demo data; the demo's API client for the first municipality.
port="${CLIENTS_PORT:-18383}"
data="$(mktemp -d -t vern-clients.XXXXXX)"
VERN_HTTP_ADDR="127.0.0.1:$port" VERN_DATA_DIR="$data" VERN_DEMO=true VERN_LOG=warn \
  VERN_STATIC_DIR="$ROOT/frontend/dist" ./target/debug/vern > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break
  sleep 0.1
done
read -r client_id client_secret org < <(python3 - "$data/demo-credentials.json" <<'PY'
import json, sys
client = next(c for c in json.load(open(sys.argv[1]))["api_clients"] if "edit_register" in c["scopes"])
print(client["client_id"], client["client_secret"], client["organization_id"])
PY
)
export VERN="http://127.0.0.1:$port" CLIENT_ID="$client_id" CLIENT_SECRET="$client_secret" ORG="$org"

log "TypeScript client (openapi-typescript + openapi-fetch)"
(cd clients/typescript && npx --no-install tsc -p tsconfig.json && node dist/smoke.js)
result typescript $?

log "Python client (openapi-python-client)"
# The generator leaves out what it cannot type ("WARNING parsing …"); none may be left out.
if grep -A3 '^WARNING' "$ROOT/target/clients-python-generate.log" >&2; then
  echo "clients: openapi-python-client left parts of the API out (above)" >&2
  result python 1
else
  PYTHONPATH="$ROOT/clients/python/generated" .venv-clients/bin/python clients/python/smoke.py
  result python $?
fi

log "Rust client (progenitor)"
if [ "$rust_built" -eq 0 ]; then ./target/debug/vern-client-rust; result rust $?; else result rust 1; fi

echo "clients: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
