#!/usr/bin/env python3
"""Picks the OpenAPI examples from a recording of the API test suite.

Usage: examples.py <recording.jsonl> <openapi.json> <examples.json>

The recording has one JSON line per successful exchange ({method, path, status, request,
response}; see crates/api/src/examples.rs). For each operation, the richest request body and,
per status, the richest answer (most non-null values; then the shortest; then the first in
sort order) become its examples. Lists are cut to three items, long strings shortened, and
secrets (passwords, client secrets, tokens, TOTP secrets) replaced by placeholders. The
result is written with sorted keys, so a new recording changes only what changed.
"""
import json
import sys

PLACEHOLDERS = {
    "password": "correct-horse-battery-staple",
    "new_password": "correct-horse-battery-staple",
    "client_secret": "example-client-secret",
    "secret": "example-signing-secret",
    "access_token": "eyJhbGciOiJFZERTQSIsImtpZCI6ImV4YW1wbGUifQ.example.signature",
    "refresh_token": "example-refresh-token",
    "mfa_token": "example-mfa-token",
    "token": "example-one-time-token",
    "totp_code": "123456",
    "otpauth_uri": "otpauth://totp/Vern:kari.nordmann%40example.org?secret=EXAMPLEEXAMPLE&issuer=Vern",
    "qr_png_base64": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    "content_base64": "VGhlIGF0dGFjaG1lbnQncyBieXRlcy4=",
}
MAX_ITEMS = 3
MAX_STRING = 400


def scrub(value, key=None):
    if key in PLACEHOLDERS and isinstance(value, str):
        return PLACEHOLDERS[key]
    if key == "code" and isinstance(value, str) and len(value) == 6 and value.isdigit():
        return "123456"  # a one-time code
    if isinstance(value, dict):
        return {k: scrub(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value[:MAX_ITEMS]]
    if isinstance(value, str) and len(value) > MAX_STRING:
        return value[:MAX_STRING] + "…"
    return value


def listed_properties(spec, schema):
    """The writable property names a schema lists, its allOf members' included; None if open."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return listed_properties(spec, spec["components"]["schemas"][name])
    if "oneOf" in schema or "anyOf" in schema or "additionalProperties" in schema:
        return None
    names = {k for k, v in schema.get("properties", {}).items() if not v.get("readOnly")}
    for member in schema.get("allOf", []):
        more = listed_properties(spec, member)
        if more is None:
            return None
        names |= more
    return names or None


def only_listed(spec, schema, value):
    """A request body as the schema lists it: tests often send back what they read, and the
    server ignores read-only extras such as `created_at`; an example should not show them."""
    names = listed_properties(spec, schema)
    if names is None or not isinstance(value, dict):
        return value
    return {k: v for k, v in value.items() if k in names}


def richness(value):
    if isinstance(value, dict):
        return sum(richness(v) for v in value.values())
    if isinstance(value, list):
        return sum(richness(v) for v in value)
    return 0 if value is None else 1


def rank(value):
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return (-richness(value), len(text), text)


def main(recording, spec_path, out_path):
    spec = json.load(open(spec_path))
    ops = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                ops[(method, path)] = op
    best = {}
    for line in open(recording, encoding="utf-8"):
        exchange = json.loads(line)
        op = ops.get((exchange["method"], exchange["path"]))
        if op is None:
            continue
        op_id = op["operationId"]
        body = op.get("requestBody", {}).get("content", {})
        if exchange.get("request") is not None and (
            "application/json" in body or "application/x-www-form-urlencoded" in body
        ):
            media = "application/json" if "application/json" in body else "application/x-www-form-urlencoded"
            candidate = scrub(only_listed(spec, body[media].get("schema", {}), exchange["request"]))
            slot = (op_id, "request")
            if slot not in best or rank(candidate) < rank(best[slot]):
                best[slot] = candidate
        status = str(exchange["status"])
        answer = op.get("responses", {}).get(status, {}).get("content", {})
        if exchange.get("response") is not None and "application/json" in answer:
            candidate = scrub(exchange["response"])
            slot = (op_id, status)
            if slot not in best or rank(candidate) < rank(best[slot]):
                best[slot] = candidate
    examples = {}
    for (op_id, slot), value in best.items():
        entry = examples.setdefault(op_id, {})
        if slot == "request":
            entry["request"] = value
        else:
            entry.setdefault("responses", {})[slot] = value
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(examples, out, sort_keys=True, indent=1, ensure_ascii=False)
        out.write("\n")
    print(f"examples: {len(examples)} operations", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:4])
