#!/usr/bin/env bash
# `just run`: Vern with demo data on SQLite, beside two made-up neighbours for the demo:
# the demo subject system (a school system that answers request tasks through the connector
# protocol with synthetic data) and the TEST ONLY identity provider residents log in with
# (synthetic national ids only, loopback only), which also stands in for Maskinporten
# (machine tokens at /maskinporten/token; see the README). All stop together.
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir="${VERN_DATA_DIR:-./data}"
mkdir -p "$data_dir"
secret_file="$data_dir/demo-connector.secret"
subject_addr="${DEMO_SUBJECT_LISTEN:-127.0.0.1:8091}"
idp_addr="${TEST_IDP_LISTEN:-127.0.0.1:8092}"
http_addr="${VERN_HTTP_ADDR:-127.0.0.1:8080}"
./target/release/vern-demo-subject --listen "$subject_addr" --secret-file "$secret_file" &
subject=$!
./target/release/vern-test-idp --listen "$idp_addr" --client-id vern-local &
idp=$!
trap 'kill $subject $idp 2>/dev/null || true' EXIT INT TERM
VERN_DEMO="${VERN_DEMO:-true}" \
VERN_HTTP_ADDR="$http_addr" \
VERN_PUBLIC_URL="${VERN_PUBLIC_URL:-http://localhost:${http_addr##*:}}" \
VERN_DEMO_CONNECTOR_URL="${VERN_DEMO_CONNECTOR_URL:-http://$subject_addr/vern}" \
VERN_DEMO_CONNECTOR_SECRET_FILE="$secret_file" \
VERN_RESIDENT_OIDC_ISSUER="${VERN_RESIDENT_OIDC_ISSUER:-http://$idp_addr}" \
VERN_RESIDENT_OIDC_CLIENT_ID="${VERN_RESIDENT_OIDC_CLIENT_ID:-vern-local}" \
VERN_RESIDENT_TEST_LOGIN="${VERN_RESIDENT_TEST_LOGIN:-true}" \
VERN_EXTERNAL_ISSUER="${VERN_EXTERNAL_ISSUER:-http://$idp_addr}" \
VERN_EXTERNAL_JWKS_URL="${VERN_EXTERNAL_JWKS_URL:-http://$idp_addr/jwks}" \
  ./target/release/vern
