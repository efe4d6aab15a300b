// Smoke test of a client generated from the committed spec: openapi-typescript's types with
// openapi-fetch. Typechecked with `tsc --strict`, then run against a server:
//   VERN=http://127.0.0.1:8080 CLIENT_ID=… CLIENT_SECRET=… ORG=… node dist/smoke.js
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/vern.js";

type Problem = components["schemas"]["Problem"];

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`failed: ${what}`);
  console.log(`ok: ${what}`);
}

const base = env("VERN");
const org = env("ORG");
const anonymous = createClient<paths>({ baseUrl: base });

// 1. Client credentials.
// RFC 6749 form body: the spec types the fields, URLSearchParams encodes them.
const token = await anonymous.POST("/api/v1/auth/token", {
  body: {
    grant_type: "client_credentials",
    client_id: env("CLIENT_ID"),
    client_secret: env("CLIENT_SECRET"),
  },
  bodySerializer: (body) =>
    new URLSearchParams(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string")),
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
});
check(token.response.status === 200 && token.data !== undefined, "client credentials give a token");
const accessToken: string = token.data!.access_token;
const client = createClient<paths>({
  baseUrl: base,
  headers: { Authorization: `Bearer ${accessToken}` },
});

// 2. Organisations (public list).
const orgs = await client.GET("/api/v1/organizations", { params: { query: { limit: 5 } } });
check(orgs.data !== undefined && orgs.data.items.length === 5, "five organisations listed");
const names: string[] = orgs.data!.items.map((o) => o.name);
console.log(`  ${names.join(", ")}`);

// 3. Create a system and read it back.
const created = await client.POST("/api/v1/organizations/{org_id}/systems", {
  params: { path: { org_id: org } },
  body: { name: "Smoke (TypeScript)", owning_unit: "IT", status: "planned" },
});
check(created.response.status === 201 && created.data !== undefined, "a system is created");
const id: string = created.data!.id;
const read = await client.GET("/api/v1/organizations/{org_id}/systems/{system_id}", {
  params: { path: { org_id: org, system_id: id } },
});
check(read.data?.name === "Smoke (TypeScript)" && read.data.status === "planned", "it reads back");

// 4. Page through the systems, three at a time.
let cursor: string | undefined = undefined;
let seen = 0;
let pages = 0;
do {
  const page: { data?: components["schemas"]["SystemPage"] } = await client.GET("/api/v1/organizations/{org_id}/systems", {
    params: { path: { org_id: org }, query: { limit: 3, cursor } },
  });
  if (!page.data) throw new Error("a page failed");
  seen += page.data.items.length;
  pages += 1;
  cursor = page.data.next_cursor ?? undefined;
} while (cursor !== undefined);
const all = await client.GET("/api/v1/organizations/{org_id}/systems", {
  params: { path: { org_id: org }, query: { limit: 500 } },
});
check(pages > 1 && seen === all.data!.items.length, `paged through ${seen} systems in ${pages} pages`);

// 5. Bad input gives a typed problem.
const bad = await client.POST("/api/v1/organizations/{org_id}/systems", {
  params: { path: { org_id: org } },
  body: { owning_unit: "IT", status: "planned" } as components["schemas"]["SystemFacts"],
});
const problem: Problem | undefined = bad.error as Problem | undefined;
check(
  bad.response.status === 422 && problem?.code === "validation_failed" && problem.errors?.[0]?.field === "name",
  "bad input gives problem+json with code validation_failed on name",
);

// Clean up: a planned system can be deleted.
const etag = read.response.headers.get("etag") ?? "";
const removed = await client.DELETE("/api/v1/organizations/{org_id}/systems/{system_id}", {
  params: { path: { org_id: org, system_id: id }, header: { "If-Match": etag } },
});
check(removed.response.status === 204, "the system is deleted");
console.log("typescript client: all checks passed");
