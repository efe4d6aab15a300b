//! The OpenAPI document. Paths and schemas are collected from the `#[utoipa::path]` handlers
//! as they are mounted (utoipa-actix-web), so what is served and what is documented cannot
//! drift apart; `openapi/openapi.json` is the committed copy and a test compares the two.

use actix_router::ResourceDef;
use actix_web::App;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{self, InfoBuilder, LicenseBuilder, Tag};
use utoipa_actix_web::AppExt;

use crate::routes;

#[derive(OpenApi)]
#[openapi(components(schemas(vern_domain::problem::Problem, vern_domain::problem::ProblemCode)))]
struct Base;

/// The complete document, as `GET /api/openapi.json` serves it and `vern openapi` prints it.
pub fn spec() -> openapi::OpenApi {
    let (_, spec) = App::new()
        .into_utoipa_app()
        .openapi(base())
        .configure(routes::mount)
        .split_for_parts();
    spec
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
    ]);
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer_auth",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
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

const DESCRIPTION: &str = "\
Vern is a privacy (GDPR) compliance platform for Norwegian municipalities, their software \
vendors and their residents.\n\n\
Conventions: JSON in and out, snake_case fields, UUID ids, RFC 3339 timestamps in UTC. \
Lists take `limit` (default 50, at most 500) and an opaque `cursor`, and answer \
`{\"items\": [...], \"next_cursor\": \"...\" | null}`. Every error is an RFC 9457 \
`application/problem+json` document with a stable `code` and a `request_id`.";

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
