//! The OpenAPI document. Paths and schemas are collected from the `#[utoipa::path]` handlers
//! as they are mounted (utoipa-actix-web), so what is served and what is documented cannot
//! drift apart; `openapi/openapi.json` is the committed copy and a test compares the two.

use actix_router::ResourceDef;
use actix_web::App;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{self, InfoBuilder, LicenseBuilder, Tag};
use utoipa_actix_web::AppExt;

use crate::routes;

#[derive(OpenApi)]
#[openapi(components(schemas(vern_domain::problem::Problem, vern_domain::problem::ProblemCode)))]
struct Base;

// A file's bytes in a request or response body: `{"type": "string", "format": "binary"}`,
// which generated clients turn into a byte stream or file (utoipa's `Vec<u8>` is documented
// as an array of integers). For `body = inline(Binary)` only. (`//`: the schema itself
// carries no description.)
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[derive(Debug)]
pub struct Binary(#[allow(dead_code)] Vec<u8>);

/// The complete document, as `GET /api/openapi.json` serves it and `vern openapi` prints it.
pub fn spec() -> openapi::OpenApi {
    let (_, spec) = App::new()
        .into_utoipa_app()
        .openapi(base())
        .configure(routes::mount)
        .split_for_parts();
    let mut spec = spec;
    document_rate_limits(&mut spec);
    crate::examples::apply(&mut spec);
    spec
}

/// Every operation an access token may call can answer 429 when the API client is over its
/// rate (`VERN_CLIENT_RATE_LIMIT_PER_MINUTE`); the handlers need not each say so.
fn document_rate_limits(spec: &mut openapi::OpenApi) {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder, header::HeaderBuilder};
    let response = ResponseBuilder::new()
        .description(
            "This API client has made more requests than its rate allows; wait the seconds in \
             `Retry-After` (`rate_limited`)",
        )
        .header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(1)),
                ))
                .description(Some("Seconds to wait before the next request"))
                .build(),
        )
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build();
    for item in spec.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in operations.into_iter().flatten() {
            let bearer = op.security.as_ref().is_some_and(|list| {
                list.iter().any(|req| {
                    serde_json::to_value(req).is_ok_and(|v| v.get("bearer_auth").is_some())
                })
            });
            if bearer {
                op.responses
                    .responses
                    .entry("429".to_owned())
                    .or_insert_with(|| RefOr::T(response.clone()));
            }
        }
    }
}

fn base() -> openapi::OpenApi {
    let mut doc = Base::openapi();
    doc.info = InfoBuilder::new()
        .title("Vern API")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(DESCRIPTION))
        .license(Some(
            LicenseBuilder::new()
                .name("EUPL-1.2")
                .identifier(Some("EUPL-1.2"))
                .build(),
        ))
        .build();
    doc.tags = Some(vec![
        tag("service", "Health and the API description itself."),
        tag(
            "organizations",
            "Municipalities, vendors and authorities: every object in Vern belongs to one.",
        ),
        tag(
            "auth",
            "Staff login (password, then a second factor), sessions, and the client credentials grant for integrations.",
        ),
        tag(
            "me",
            "The logged-in user: memberships, sessions, role requests.",
        ),
        tag(
            "members",
            "An organisation's users and their roles: the administrator's work.",
        ),
        tag(
            "invitations",
            "Invitations: single-use, expiring links through which a new member sets a password and enrols a second factor.",
        ),
        tag(
            "role-requests",
            "Users ask for a role with a justification; administrators approve or deny.",
        ),
        tag(
            "api-clients",
            "Machine credentials for integrators, scoped to permissions, with expiry and revocation.",
        ),
        tag(
            "webhooks",
            "Events delivered to an integration's endpoint (request received, deadline approaching, agreement signed, product changed, incident registered): ids and types only, signed with HMAC-SHA256, retried with growing waits, logged, and replayable.",
        ),
        tag("audit", "The hash-chained audit log."),
        tag(
            "settings",
            "Organisation settings such as the IP allowlist.",
        ),
        tag(
            "agreements",
            "Data processing agreements (Art. 28): drafted from templates with the register's facts, signed by both parties after a fresh second factor, sealed, versioned and verifiable.",
        ),
        tag(
            "campaigns",
            "One agreement sent to many organisations with one deadline, and who has opened, signed or is overdue.",
        ),
        tag(
            "requests",
            "Data-subject requests (GDPR Art. 15–21, forvaltningsloven § 18): registered cases with their statutory deadline, steps, extensions, assignment and history. Contents are encrypted and shown to caseworkers only.",
        ),
        tag(
            "incidents",
            "The register of personal data breaches (Art. 33(5)): the 72-hour clock from awareness, notices to Datatilsynet in phases with the report's fields generated, the resident notice (Art. 34) or its exception, and the register as CSV/XLSX. Vendors notify every customer of a product at once (`/vendor-incidents`); each receives a draft incident and the vendor sees who has taken it in.",
        ),
        tag(
            "consents",
            "Consent records for processing based on consent (Art. 7 and 8): the resident's own consent or a guardian's for a child below the activity's age for own consent, withdrawals recorded on the record (it then no longer counts), look-up by national identity number, counts for the record of processing, and the evidence as CSV/XLSX.",
        ),
        tag("connectors", CONNECTORS),
        tag(
            "resident",
            "The resident portal: log in through the identity provider (ID-porten; OpenID Connect authorization code with PKCE), send requests to municipalities, follow them, and read the answer in the secure window (fresh login, logged, closes after the municipality's answer window). The session is the HttpOnly cookie `vern_resident`.",
        ),
    ]);
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "connector_signature",
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "Vern-Signature",
            "`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>` with the connector's shared secret.",
        ))),
    );
    components.add_security_scheme(
        "resident_session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            "vern_resident",
            "The resident's session, set by the login callback (HttpOnly, SameSite=Strict, path `/api/v1/resident`).",
        ))),
    );
    components.add_security_scheme(
        "bearer_auth",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some(
                    "A staff session's access token, an API client's token from \
                     `POST /api/v1/auth/token`, or the configured external authorisation \
                     server's (Maskinporten) token for a registered client.",
                ))
                .build(),
        ),
    );
    doc
}

fn tag(name: &str, description: &str) -> Tag {
    let mut tag = Tag::new(name);
    tag.description = Some(description.to_owned());
    tag
}

const CONNECTORS: &str = "\
Systems that answer data-subject requests automatically. Set a connector up on a system in the \
register (`PUT …/systems/{system_id}/connector`); the answer shows the shared secret once.\n\n\
**Vern → system.** Vern POSTs JSON to the endpoint: a `TaskMessage` (`type: task`: what do you \
hold about `subject.national_id`, for `request_kind`; answer by `respond_by`) or a \
`LookupMessage` (`type: lookup`: do you hold anything?). Every message carries \
`Vern-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<raw body>\")>` and a fresh \
`delivery_id` in the body. Refuse a signature that does not verify, a `t` more than 300 seconds \
from your clock, and a `delivery_id` you have seen.\n\n\
**System → Vern.** Answer a lookup with `200 {\"holds\": true|false}` within a few seconds. \
Answer a task at once with `200` and a `TaskAnswer` (`outcome`: `no_data`, `data` with a \
`package` and/or `files`, or `error` with an `error_code`), or with `202` and POST a \
`Callback` (the same answer with `task_id` and a new `delivery_id`) to the task's \
`callback_url` later, signed the same way with the same secret. Anything else — another \
status, a timeout (10 s by default), a body over 1 MiB — counts as a failed send: Vern tries \
five times with doubling waits, then hands the task to the system's owner, as it does when \
`respond_by` passes without a callback or the answer is `error`.";

const DESCRIPTION: &str = "\
Vern is a privacy (GDPR) compliance platform for Norwegian municipalities, their software \
vendors and their residents.\n\n\
Conventions: JSON in and out, snake_case fields, UUID ids, RFC 3339 timestamps in UTC. \
Lists take `limit` (default 50, at most 500) and an opaque `cursor`, and answer \
`{\"items\": [...], \"next_cursor\": \"...\" | null}`. Every error is an RFC 9457 \
`application/problem+json` document with a stable `code` and a `request_id`.\n\n\
Integrations authenticate as an API client: with Vern's client credentials grant \
(`POST /api/v1/auth/token`), or with an access token from the authorisation server the \
operator configured (Maskinporten), whose `consumer` is the organisation's number, whose \
`client_id` the organisation has registered as an API client, and whose scopes are \
`vern:<permission>`. Each API client may make a configured number of requests a minute \
(600 by default); above it the answer is 429 with `Retry-After`.";

/// Which methods each documented path has: answers 405 with `Allow` instead of 404 when the
/// path exists but the method does not.
#[derive(Debug)]
pub struct MethodTable {
    entries: Vec<(ResourceDef, Vec<&'static str>)>,
}

impl MethodTable {
    pub fn from_spec(spec: &openapi::OpenApi) -> Self {
        let mut entries: Vec<(ResourceDef, Vec<&'static str>)> = spec
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let mut methods = Vec::new();
                let ops = [
                    ("GET", &item.get),
                    ("PUT", &item.put),
                    ("POST", &item.post),
                    ("DELETE", &item.delete),
                    ("PATCH", &item.patch),
                ];
                for (name, op) in ops {
                    if op.is_some() {
                        methods.push(name);
                    }
                }
                (ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        entries.push((ResourceDef::new("/api/openapi.json"), vec!["GET"]));
        Self { entries }
    }

    /// The `Allow` value for a path the API knows, or `None` for an unknown path.
    pub fn allow(&self, path: &str) -> Option<String> {
        self.entries
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, methods)| methods.join(", "))
    }
}
