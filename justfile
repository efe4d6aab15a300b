# Vern — `just run` starts the app with demo data; `just test` runs every check.
# Each recipe installs what it needs (wasm target, wasm-bindgen, npm packages, Chromium,
# PostgreSQL, schemathesis) on first use.

set shell := ["bash", "-euo", "pipefail", "-c"]

# Show the recipes.
default:
    @just --list

# Build everything and start Vern on http://localhost:8080 with SQLite and demo data.
run: build
    scripts/run.sh

# Build the SPA and the server (release).
build: build-spa
    cargo build --release -p vern-api -p vern-demo-subject -p vern-test-idp --quiet
    @echo "server built: target/release/vern (and for the demo: target/release/vern-demo-subject, target/release/vern-test-idp)"

# Build the SPA into frontend/dist and print its size.
build-spa:
    scripts/build-spa.sh

# Format check, clippy (native and wasm32) with -D warnings, and the domain crate's purity.
lint:
    scripts/lint.sh

# Every check: lint, Rust tests on SQLite and PostgreSQL (incl. OpenAPI drift), SPA build, browser journeys, generated clients, schemathesis.
test:
    scripts/test-all.sh

# Browser journeys only (builds the SPA and the debug server first).
e2e: build-spa
    cargo build -p vern-api -p vern-demo-subject -p vern-test-idp --quiet
    scripts/e2e.sh

# Generate the TypeScript and Python clients from the committed spec and run their smoke programs.
clients:
    cargo build -p vern-api --quiet
    scripts/clients.sh

# Rust tests against a throwaway PostgreSQL.
test-postgres:
    scripts/with-postgres.sh cargo test --quiet

# Regenerate the committed OpenAPI document from the code.
openapi:
    cargo run --quiet -p vern-api -- openapi > openapi/openapi.json
    @echo "openapi/openapi.json regenerated"

# Load benchmarks against a release build; results in target/bench/*.json.
bench:
    scripts/bench.sh

# Record the OpenAPI request and answer examples from the API test suite (real bodies,
# synthetic data) into openapi/examples.json, then regenerate openapi/openapi.json.
record-examples:
    rm -f target/examples.jsonl
    VERN_RECORD_EXAMPLES="$PWD/target/examples.jsonl" cargo test --quiet -p vern-api --features record-examples --test api -- --skip openapi::
    python3 scripts/examples.py target/examples.jsonl openapi/openapi.json openapi/examples.json
    just openapi
