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
cargo build --release -p vern-api -p vern-demo-subject -p vern-test-idp --quiet

seconds="${BENCH_SECONDS:-10}"
conns="${BENCH_CONNECTIONS:-64}"
port="${BENCH_PORT:-18383}"
out="target/bench"
mkdir -p "$out"
data="$(mktemp -d -t vern-bench.XXXXXX)"

# The test identity provider stands in for Maskinporten (its machine tokens, its JWKS).
idp_port=$((port + 2))
./target/release/vern-test-idp --listen "127.0.0.1:$idp_port" > "$data/idp.log" 2>&1 &
idp=$!

# Cold start: process start to the first answered request, migrations and demo seed included.
# The per-client rate limit is lifted: the load below is one API client's, on purpose.
t0=$(date +%s%N)
VERN_HTTP_ADDR="127.0.0.1:$port" VERN_DATA_DIR="$data" VERN_DEMO=true VERN_LOG=warn \
  VERN_EXTERNAL_ISSUER="http://127.0.0.1:$idp_port" VERN_EXTERNAL_JWKS_URL="http://127.0.0.1:$idp_port/jwks" \
  VERN_CLIENT_RATE_LIMIT_PER_MINUTE=0 \
  VERN_BENCH_ENDPOINTS=true VERN_STATIC_DIR="$ROOT/frontend/dist" ./target/release/vern > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server $idp 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
until curl -sf "http://127.0.0.1:$port/api/health" >/dev/null; do
  kill -0 $server 2>/dev/null || { cat "$data/server.log"; exit 1; }
  sleep 0.005
done
cold_ms=$(( ($(date +%s%N) - t0) / 1000000 ))

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
rss_idle=$(rss_kb)

declare -A results
run() { # name path [header] [connections]
  local json
  local header=()
  [ -n "${3:-}" ] && header=(-H "$3")
  json="$(wrk -t2 -c"${4:-$conns}" -d"${seconds}s" --timeout 10s --latency "${header[@]}" -s bench/report.lua "http://127.0.0.1:$port$2" | tail -1)"
  results[$1]="$json"
}

# The register's hot paths need a caller and a register of size: Oslo's demo integration
# (client credentials from the demo credentials file) fills Oslo up to 600 systems.
log "generating the register data set (600 systems for Oslo)"
read -r oslo token bergen agreement < <(python3 - "$data/demo-credentials.json" "$port" <<'PY'
import http.client, json, sys, urllib.parse
creds = json.load(open(sys.argv[1]))
client = next(c for c in creds["api_clients"] if c["organization_name"].startswith("Oslo"))
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[2]))
form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": client["client_id"],
                               "client_secret": client["client_secret"]})
conn.request("POST", "/api/v1/auth/token", form, {"Content-Type": "application/x-www-form-urlencoded"})
token = json.loads(conn.getresponse().read())["access_token"]
org = client["organization_id"]
auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
conn.request("GET", f"/api/v1/organizations/{org}/systems?limit=500", headers=auth)
have = len(json.loads(conn.getresponse().read())["items"])
units = ["Utdanningsetaten", "Helse og omsorg", "Barne- og familieetaten", "Økonomi", "Bymiljøetaten"]
statuses = ["in_use", "in_use", "in_use", "planned", "phasing_out"]
for i in range(have, 600):
    body = json.dumps({"name": f"Fagsystem {i:03d}", "owning_unit": units[i % 5], "status": statuses[i % 5],
                       "integrations": ["Folkeregisteret"] if i % 3 == 0 else [],
                       "review_date": f"2027-{1 + i % 12:02d}-15"})
    conn.request("POST", f"/api/v1/organizations/{org}/systems", body, auth)
    response = conn.getresponse(); response.read()
    assert response.status == 201, response.status
conn.request("GET", "/api/v1/organizations?q=Bergen&limit=1")
bergen = json.loads(conn.getresponse().read())["items"][0]["id"]
conn.request("GET", f"/api/v1/organizations/{org}/agreements?limit=1", headers=auth)
agreement = json.loads(conn.getresponse().read())["items"][0]["id"]
print(org, token, bergen, agreement)
PY
)
auth="Authorization: Bearer $token"

# Requests: Oslo's demo caseworker (password and an authenticator code from pyotp, in the
# repository's .venv) registers 2000 letters; the register time is measured per request.
if ! { [ -x .venv/bin/python ] && .venv/bin/python -c 'import pyotp' 2>/dev/null; }; then
  log "installing pyotp into .venv"
  python3 -m venv .venv && .venv/bin/pip install --quiet 'pyotp==2.9.*'
fi
log "registering 2000 requests for Oslo"
read -r caseworker_token request_id register_p50 < <(.venv/bin/python - "$data/demo-credentials.json" "$port" "$oslo" <<'PY'
import datetime, http.client, json, sys, time, pyotp
creds = json.load(open(sys.argv[1]))
user = next(u for u in creds["users"] if "request_caseworker" in u["roles"] and u["organization_name"].startswith("Oslo"))
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[2]))
def post(path, body, headers=None):
    conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json", **(headers or {})})
    response = conn.getresponse()
    return response.status, json.loads(response.read())
_, challenge = post("/api/v1/auth/login", {"email": user["email"], "password": user["password"]})
_, tokens = post("/api/v1/auth/mfa/totp", {"mfa_token": challenge["mfa_token"], "code": pyotp.TOTP(user["totp_secret"]).now()})
auth = {"Authorization": f"Bearer {tokens['access_token']}"}
kinds = ["access", "access", "erasure", "rectification", "objection", "portability", "party_access"]
today = datetime.date.today()
times = []
for i in range(2000):
    body = {"kind": kinds[i % len(kinds)], "channel": "letter",
            "received_on": str(today - datetime.timedelta(days=i % 80)),
            "requester": {"name": f"Benk Innbygger {i:04d}", "postal_address": "Benkveien 1, 0150 Oslo"},
            "description": "Jeg ber om innsyn i opplysningene kommunen har om meg. " * 4}
    started = time.monotonic()
    status, case = post(f"/api/v1/organizations/{sys.argv[3]}/requests", body, auth)
    times.append((time.monotonic() - started) * 1000)
    assert status == 201, (status, case)
times.sort()
print(tokens["access_token"], case["id"], round(times[len(times) // 2], 2))
PY
)

# "Who holds data" fan-out: 50 systems whose connectors (one demo subject system, each
# connector with its own secret) wait 100 ms before answering. Oslo's integration sets the
# connectors up; the caseworker registers one request with a synthetic national id and runs
# the lookup 20 times, one after another. Concurrency, not a loop: 50 × 100 ms in series
# would be 5 s.
log "fan-out: 50 connectors that each wait 100 ms"
fanout_port=$((port + 1))
./target/release/vern-demo-subject --listen "127.0.0.1:$fanout_port" --secret-file "$data/fanout.secrets" \
  --mode immediate --delay-ms 100 > "$data/fanout.log" 2>&1 &
fanout_server=$!
trap 'kill $server $idp $fanout_server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
read -r fanout_p50 fanout_max fanout_yes < <(.venv/bin/python - "$port" "$oslo" "$token" "$caseworker_token" "$fanout_port" "$data/fanout.secrets" <<'PY'
import http.client, json, sys, time
port, org, client_token, caseworker_token, fanout_port, secrets_path = sys.argv[1:7]
conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=60)
def call(method, path, body, token):
    conn.request(method, path, json.dumps(body) if body is not None else None,
                 {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    return response.status, json.loads(response.read() or b"null")
secrets = []
for i in range(50):
    status, system = call("POST", f"/api/v1/organizations/{org}/systems",
                          {"name": f"Koblet fagsystem {i:02d}", "owning_unit": "Benk", "status": "in_use"}, client_token)
    assert status == 201, (status, system)
    status, setup = call("PUT", f"/api/v1/organizations/{org}/systems/{system['id']}/connector",
                         {"endpoint": f"http://127.0.0.1:{fanout_port}/vern/{i}"}, client_token)
    assert status == 200, (status, setup)
    secrets.append(setup["secret"])
open(secrets_path, "w").write("\n".join(secrets) + "\n")
# A synthetic fødselsnummer (month + 80) the domain tests use; born on the 2nd, so the demo
# subject system holds data about the person.
NATIONAL_ID = "02813299952"
status, case = call("POST", f"/api/v1/organizations/{org}/requests", {
    "kind": "access", "channel": "letter",
    "requester": {"name": "Benk Innbygger Fanut", "national_id": NATIONAL_ID, "postal_address": "Benkveien 1, 0150 Oslo"},
    "description": "Jeg ber om innsyn i alt kommunen har om meg."}, caseworker_token)
assert status == 201, (status, case)
times = []
for _ in range(20):
    started = time.monotonic()
    status, result = call("POST", f"/api/v1/requests/{case['id']}/lookups", {}, caseworker_token)
    times.append((time.monotonic() - started) * 1000)
    assert status == 200, (status, result)
times.sort()
yes = sum(1 for s in result["systems"] if s["holds"] == "yes")
print(round(times[len(times) // 2], 1), round(times[-1], 1), yes)
PY
)
log "fan-out lookup to 50 connectors × 100 ms: p50 ${fanout_p50} ms, max ${fanout_max} ms (${fanout_yes} of 50 said yes)"

# A campaign from the demo directorate to every municipality (its demo integration drafts).
log "starting a campaign to every municipality"
read -r campaign campaign_ms directorate_token < <(python3 - "$data/demo-credentials.json" "$port" <<'PY'
import http.client, json, sys, time, urllib.parse, datetime
creds = json.load(open(sys.argv[1]))
client = next(c for c in creds["api_clients"] if c["organization_name"].startswith("Direktoratet"))
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[2]), timeout=300)
form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": client["client_id"],
                               "client_secret": client["client_secret"]})
conn.request("POST", "/api/v1/auth/token", form, {"Content-Type": "application/x-www-form-urlencoded"})
token = json.loads(conn.getresponse().read())["access_token"]
auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
conn.request("GET", "/api/v1/organizations?kind=municipality&limit=500")
municipalities = [o["id"] for o in json.loads(conn.getresponse().read())["items"]]
deadline = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
body = json.dumps({"deadline": deadline, "recipient_ids": municipalities, "terms": {
    "title": "Databehandleravtale for introduksjonsprogrammet", "template": "state-nb",
    "nature": "Registrering og oppfølging av deltakere", "start_date": "2027-01-01",
    "authorisation": "specific", "breach_notice_hours": 24, "end_of_contract": "return",
    "audit_procedure": "Årlig egenrapportering", "controller_contact": "personvern@example.org",
    "processor_contact": "Kommunens personvernombud",
    "scope": {"subject_matter": "Introduksjonsprogrammet", "purposes": ["Kvalifisering"],
              "data_categories": [{"label": "Navn og kontaktinformasjon"}],
              "data_subjects": ["Deltakere"], "security_measures": ["Tilgangsstyring"],
              "locations": ["Norge"]}}})
started = time.monotonic()
conn.request("POST", f"/api/v1/organizations/{client['organization_id']}/campaigns", body, auth)
response = conn.getresponse()
campaign = json.loads(response.read())
assert response.status == 201, (response.status, campaign)
print(campaign["id"], round((time.monotonic() - started) * 1000), token)
PY
)
log "campaign to every municipality started in ${campaign_ms} ms"

# A Maskinporten integration: Oslo's administrator sets the organisation number and registers
# the client id with what an administrator may grant (reading the audit log); the test
# identity provider issues the token (EdDSA, verified against its JWKS on every request). The
# audit log's first page is measured with it and with the demo integration's own token.
log "registering a Maskinporten client for Oslo"
mp_number="$(.venv/bin/python - "$data/demo-credentials.json" "$port" "$oslo" <<'PY'
import http.client, json, sys, pyotp
creds_path, port, org = sys.argv[1:4]
creds = json.load(open(creds_path))
admin = next(u for u in creds["users"] if "org_admin" in u["roles"] and u["organization_name"].startswith("Oslo"))
conn = http.client.HTTPConnection("127.0.0.1", int(port))
def call(method, path, body, headers=None):
    conn.request(method, path, json.dumps(body), {"Content-Type": "application/json", **(headers or {})})
    response = conn.getresponse()
    return response.status, json.loads(response.read() or b"null")
_, challenge = call("POST", "/api/v1/auth/login", {"email": admin["email"], "password": admin["password"]})
_, tokens = call("POST", "/api/v1/auth/mfa/totp", {"mfa_token": challenge["mfa_token"], "code": pyotp.TOTP(admin["totp_secret"]).now()})
auth = {"Authorization": f"Bearer {tokens['access_token']}"}
# A synthetic organisation number: eight digits and the mod-11 check digit.
base = [3, 1, 5, 0, 0, 0, 0, 0]
for last in range(10):
    digits = base[:7] + [last]
    check = 11 - sum(d * w for d, w in zip(digits, [3, 2, 7, 6, 5, 4, 3, 2])) % 11
    if check < 10:
        number = "".join(map(str, digits)) + str(check % 11)
        break
status, body = call("PUT", f"/api/v1/organizations/{org}/settings/org-number", {"org_number": number}, auth)
assert status == 200, (status, body)
status, body = call("POST", f"/api/v1/organizations/{org}/api-clients",
                    {"name": "Benk via Maskinporten", "scopes": ["read_audit_log"], "external_client_id": "bench-maskinporten"}, auth)
assert status == 201, (status, body)
print(number)
PY
)"

log "bare handler (ceiling), ${seconds}s at $conns connections"
run bare /__bench/bare
log "GET /api/health"
run health /api/health
log "GET /api/v1/organizations?limit=50"
run organizations "/api/v1/organizations?limit=50"
log "GET …/systems?limit=50 (600 systems)"
run systems "/api/v1/organizations/$oslo/systems?limit=50" "$auth"
# Exports are not a crowd's path: measured at 4 connections, for their latency.
log "GET …/audit-events?limit=50 with Vern's own token"
run audit "/api/v1/organizations/$oslo/audit-events?limit=50" "$auth"
log "GET …/audit-events?limit=50 with a Maskinporten token"
# Fetched now: a machine token lives 120 s (so BENCH_SECONDS up to about 110).
mp_token="$(curl -fsS -d client_id=bench-maskinporten -d consumer="$mp_number" -d scope=vern:read_audit_log \
  "http://127.0.0.1:$idp_port/maskinporten/token" | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')"
run audit_maskinporten "/api/v1/organizations/$oslo/audit-events?limit=50" "Authorization: Bearer $mp_token"
log "GET …/systems.csv (600 systems), 4 connections"
run systems_csv "/api/v1/organizations/$oslo/systems.csv" "$auth" 4
log "GET …/record-of-processing (JSON), 4 connections"
run record "/api/v1/organizations/$oslo/record-of-processing" "$auth" 4
log "GET …/record-of-processing.xlsx, 4 connections"
run record_xlsx "/api/v1/organizations/$oslo/record-of-processing.xlsx" "$auth" 4
log "GET …/overview-comparison (Oslo's 600 systems beside Bergen's), 4 connections"
run compare "/api/v1/organizations/$oslo/overview-comparison?with=$bergen" "$auth" 4
log "GET …/activity-templates?limit=50"
run templates "/api/v1/organizations/$oslo/activity-templates?limit=50" "$auth"
log "GET …/agreements?limit=50"
run agreements "/api/v1/organizations/$oslo/agreements?limit=50" "$auth"
log "GET /api/v1/agreements/{id} (with its missing elements), 4 connections"
run agreement "/api/v1/agreements/$agreement" "$auth" 4
log "GET /api/v1/agreements/{id}/document.pdf, 4 connections"
run agreement_pdf "/api/v1/agreements/$agreement/document.pdf" "$auth" 4
log "GET /api/v1/campaigns/{id} (counts over every municipality), 4 connections"
run campaign "/api/v1/campaigns/$campaign" "Authorization: Bearer $directorate_token" 4
log "GET …/campaigns/{id}/recipients?limit=50, 4 connections"
run campaign_recipients "/api/v1/campaigns/$campaign/recipients?limit=50" "Authorization: Bearer $directorate_token" 4
log "GET …/requests?limit=50 (2000 open), 4 connections"
run requests "/api/v1/organizations/$oslo/requests?limit=50" "Authorization: Bearer $caseworker_token" 4
log "GET …/request-overview (2000 open), 4 connections"
run request_overview "/api/v1/organizations/$oslo/request-overview" "Authorization: Bearer $caseworker_token" 4
log "GET /api/v1/requests/{id} (contents decrypted), 4 connections"
run request "/api/v1/requests/$request_id" "Authorization: Bearer $caseworker_token" 4
rss_peak=$(rss_kb)

python3 - "$out/results.json" "$seconds" "$conns" "$cold_ms" "$rss_idle" "$rss_peak" \
  "${results[bare]}" "${results[health]}" "${results[organizations]}" \
  "${results[systems]}" "${results[audit]}" "${results[audit_maskinporten]}" "${results[systems_csv]}" "${results[record]}" "${results[record_xlsx]}" \
  "${results[compare]}" "${results[templates]}" "${results[agreements]}" "${results[agreement]}" \
  "${results[agreement_pdf]}" "${results[campaign]}" "${results[campaign_recipients]}" \
  "${results[requests]}" "${results[request_overview]}" "${results[request]}" \
  "$campaign_ms" "$register_p50" "$fanout_p50" "$fanout_max" <<'PY'
import json, sys
path, seconds, conns, cold, idle, peak = sys.argv[1:7]
names = ["bare", "health", "organizations", "systems", "audit", "audit_maskinporten", "systems_csv", "record", "record_xlsx",
         "compare", "templates", "agreements", "agreement", "agreement_pdf", "campaign",
         "campaign_recipients", "requests", "request_overview", "request"]
labels = {"bare": "bare actix handler (ceiling)", "health": "GET /api/health",
          "organizations": "GET /api/v1/organizations?limit=50",
          "systems": "GET …/systems?limit=50 (of 600)",
          "audit": "GET …/audit-events?limit=50",
          "audit_maskinporten": "the same, Maskinporten token (EdDSA)",
          "systems_csv": "GET …/systems.csv (600 rows), 4 conns",
          "record": "GET …/record-of-processing, 4 conns",
          "record_xlsx": "GET …/record-of-processing.xlsx, 4 conns",
          "compare": "GET …/overview-comparison (600 vs 12), 4 conns",
          "templates": "GET …/activity-templates?limit=50",
          "agreements": "GET …/agreements?limit=50",
          "agreement": "GET /agreements/{id}, 4 conns",
          "agreement_pdf": "GET /agreements/{id}/document.pdf, 4 conns",
          "campaign": "GET /campaigns/{id} (357 recipients), 4 conns",
          "campaign_recipients": "GET /campaigns/{id}/recipients?limit=50, 4 conns",
          "requests": "GET …/requests?limit=50 (2000 open), 4 conns",
          "request_overview": "GET …/request-overview (2000 open), 4 conns",
          "request": "GET /requests/{id} (decrypted), 4 conns"}
res = {n: json.loads(s) for n, s in zip(names, sys.argv[7:7 + len(names)])}
ceiling = res["bare"]["rps"]
print(f"\n{'endpoint':<40} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'of bare':>8}")
for n in names:
    r = res[n]
    r["share_of_bare"] = round(r["rps"] / ceiling, 4) if ceiling else None
    print(f"{labels[n]:<40} {r['rps']:>10.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['errors']:>7} {r['share_of_bare']*100:>7.1f}%")
campaign_ms = int(sys.argv[7 + len(names)])
register_p50 = float(sys.argv[8 + len(names)])
fanout_p50 = float(sys.argv[9 + len(names)])
fanout_max = float(sys.argv[10 + len(names)])
print(f"\ncampaign to every municipality (357 agreements drafted, sent, audited): {campaign_ms} ms")
print(f"registering a request (sealed, numbered, audited), one client, p50: {register_p50} ms")
print(f"who-holds-data lookup, 50 connectors each waiting 100 ms: p50 {fanout_p50} ms, max {fanout_max} ms (20 runs)")
print(f"cold start to first answer (migrations + demo seed): {cold} ms")
print(f"server RSS: {int(idle)//1024} MB idle, {int(peak)//1024} MB after load")
json.dump({"seconds": int(seconds), "connections": int(conns), "cold_start_ms": int(cold),
           "rss_idle_kb": int(idle), "rss_after_load_kb": int(peak),
           "campaign_create_ms": campaign_ms, "request_register_p50_ms": register_p50,
           "lookup_fanout_50x100ms_p50_ms": fanout_p50, "lookup_fanout_50x100ms_max_ms": fanout_max,
           "endpoints": {n: dict(res[n], label=labels[n]) for n in names}},
          open(path, "w"), indent=2)
print(f"results: {path}")
PY
