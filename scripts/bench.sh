#!/usr/bin/env bash
# `just bench`: load on loopback against a release build, each figure beside the ceiling
# of a bare actix handler in the same binary and the same run. Measures only: nothing here
# passes or fails on time. Results: stdout and target/bench/results.json.
#   BENCH_SECONDS (default 10) per endpoint, BENCH_CONNECTIONS (default 64).
set -euo pipefail
source "$(dirname "$0")/ensure.sh"
cd "$ROOT"

command -v wrk >/dev/null || { log "installing wrk"; apt_install wrk; }
log "building the release server"
cargo build --release -p vern-api --quiet

seconds="${BENCH_SECONDS:-10}"
conns="${BENCH_CONNECTIONS:-64}"
port="${BENCH_PORT:-18383}"
out="target/bench"
mkdir -p "$out"
data="$(mktemp -d -t vern-bench.XXXXXX)"

# Cold start: process start to the first answered request, migrations and demo seed included.
t0=$(date +%s%N)
VERN_HTTP_ADDR="127.0.0.1:$port" VERN_DATA_DIR="$data" VERN_DEMO=true VERN_LOG=warn \
  VERN_BENCH_ENDPOINTS=true VERN_STATIC_DIR="$ROOT/frontend/dist" ./target/release/vern > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
until curl -sf "http://127.0.0.1:$port/api/health" >/dev/null; do
  kill -0 $server 2>/dev/null || { cat "$data/server.log"; exit 1; }
  sleep 0.005
done
cold_ms=$(( ($(date +%s%N) - t0) / 1000000 ))

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
rss_idle=$(rss_kb)

declare -A results
run() { # name path
  local json
  json="$(wrk -t2 -c"$conns" -d"${seconds}s" --latency -s bench/report.lua "http://127.0.0.1:$port$2" | tail -1)"
  results[$1]="$json"
}

log "bare handler (ceiling), ${seconds}s at $conns connections"
run bare /__bench/bare
log "GET /api/health"
run health /api/health
log "GET /api/v1/organizations?limit=50"
run organizations "/api/v1/organizations?limit=50"
rss_peak=$(rss_kb)

python3 - "$out/results.json" "$seconds" "$conns" "$cold_ms" "$rss_idle" "$rss_peak" \
  "${results[bare]}" "${results[health]}" "${results[organizations]}" <<'PY'
import json, sys
path, seconds, conns, cold, idle, peak = sys.argv[1:7]
names = ["bare", "health", "organizations"]
labels = {"bare": "bare actix handler (ceiling)", "health": "GET /api/health",
          "organizations": "GET /api/v1/organizations?limit=50"}
res = {n: json.loads(s) for n, s in zip(names, sys.argv[7:10])}
ceiling = res["bare"]["rps"]
print(f"\n{'endpoint':<40} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'of bare':>8}")
for n in names:
    r = res[n]
    r["share_of_bare"] = round(r["rps"] / ceiling, 4) if ceiling else None
    print(f"{labels[n]:<40} {r['rps']:>10.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['errors']:>7} {r['share_of_bare']*100:>7.1f}%")
print(f"\ncold start to first answer (migrations + demo seed): {cold} ms")
print(f"server RSS: {int(idle)//1024} MB idle, {int(peak)//1024} MB after load")
json.dump({"seconds": int(seconds), "connections": int(conns), "cold_start_ms": int(cold),
           "rss_idle_kb": int(idle), "rss_after_load_kb": int(peak),
           "endpoints": {n: dict(res[n], label=labels[n]) for n in names}},
          open(path, "w"), indent=2)
print(f"results: {path}")
PY
