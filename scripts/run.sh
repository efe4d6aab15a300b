#!/usr/bin/env bash
# `just run`: Vern with demo data on SQLite, beside the demo subject system (a made-up school
# system that answers request tasks through the connector protocol with synthetic data).
# Both stop together.
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir="${VERN_DATA_DIR:-./data}"
mkdir -p "$data_dir"
secret_file="$data_dir/demo-connector.secret"
subject_addr="${DEMO_SUBJECT_LISTEN:-127.0.0.1:8091}"
./target/release/vern-demo-subject --listen "$subject_addr" --secret-file "$secret_file" &
subject=$!
trap 'kill $subject 2>/dev/null || true' EXIT INT TERM
VERN_DEMO="${VERN_DEMO:-true}" \
VERN_DEMO_CONNECTOR_URL="${VERN_DEMO_CONNECTOR_URL:-http://$subject_addr/vern}" \
VERN_DEMO_CONNECTOR_SECRET_FILE="$secret_file" \
  ./target/release/vern
