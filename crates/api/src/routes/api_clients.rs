//! API clients: the organisation administrator creates, lists and revokes the machine
//! credentials its integrators use with `POST /api/v1/auth/token`.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
use vern_domain::access::clients::{
    ApiClientCreated, ApiClientPage, ClientRefusal, NewApiClient, check_new_client,
};
use vern_domain::problem::{Problem, ProblemCode};

use super::members::PageParams;
use crate::auth::{Authenticated, random_token, token_hash};
use crate::body::Body;
use crate::error::ApiError;
use crate::middleware::request_id;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_api_clients)
        .service(create_api_client)
        .service(revoke_api_client);
}

fn client_event(
    org: OrganizationId,
    auth: &Authenticated,
    action: &'static str,
    client: Uuid,
    req: &HttpRequest,
) -> AuditDraft {
    AuditDraft {
        organization_id: Some(org),
        actor_kind: ActorKind::User,
        actor_id: Some(auth.user_id),
        action,
        target_type: "api_client",
        target_id: Some(client.to_string()),
        request_id: request_id(req),
        outcome: Outcome::Success,
    }
}

/// List API clients
///
/// The organisation's API clients, newest first, revoked and expired ones included.
#[utoipa::path(
    tag = "api-clients",
    operation_id = "list_api_clients",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), PageParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of clients, newest first; secrets are never shown again", body = ApiClientPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may manage API clients, or an API client calling (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad `limit` or `cursor` (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/api-clients")]
pub async fn list_api_clients(
    auth: Authenticated,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<PageParams>,
) -> Result<web::Json<ApiClientPage>, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ManageApiClients)
        .await?;
    let (limit, before) = params.parse::<Uuid>()?;
    Ok(web::Json(
        vern_db::api_clients::page(&state.db.conn, org, limit, before).await?,
    ))
}

/// Create an API client
///
/// Create an API client. The answer carries the client secret, shown this once.
///
/// A client gets only permissions its creator holds in the organisation, and never
/// identity administration (members, roles, settings, API clients).
///
/// With `external_client_id` the client is an integration that authenticates with access
/// tokens from the authorisation server the operator configured (Maskinporten): it gets no
/// secret; a token from that server acts as this client when its `consumer` is this
/// organisation's number and its `client_id` is this one, with those of its scopes
/// (`vern:<permission>`) that this client holds.
#[utoipa::path(
    tag = "api-clients",
    operation_id = "create_api_client",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = NewApiClient,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Created; store `client_secret` now, it is not shown again", body = ApiClientCreated, headers(("Location" = String, description = "The organisation's client list"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may manage API clients (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Blank name, no scopes, a scope the creator lacks or identity administration, a bad expiry, or an external client id that is malformed or already registered here (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/api-clients")]
pub async fn create_api_client(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<NewApiClient>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ManageApiClients)
        .await?;
    let body = body.parse()?;
    let now = Utc::now();
    let held: Vec<Permission> = auth
        .memberships
        .iter()
        .filter(|m| m.organization_id == org)
        .flat_map(|m| m.roles.iter().flat_map(|r| r.permissions().iter().copied()))
        .collect();
    let refused = |r: ClientRefusal| ApiError::validation(r.field(), r.code());
    let checked = check_new_client(&body, &held, now).map_err(refused)?;
    // A client of the external server never gets a usable secret: it is stored as the hash
    // of random bytes no one is shown, and the token endpoint refuses such clients anyway.
    let secret = random_token().map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if let Some(external) = &checked.external_client_id
        && vern_db::api_clients::find_external(&txn, org, external, now)
            .await?
            .is_some()
    {
        return Err(refused(ClientRefusal::ExternalClientTaken));
    }
    let external = checked.external_client_id.is_some();
    let row = vern_db::api_clients::insert(
        &txn,
        org,
        checked,
        token_hash(&secret),
        Some(auth.user_id),
        now,
    )
    .await?;
    vern_db::audit::append(
        &txn,
        client_event(org, &auth, "api_client.created", row.id, &req),
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/organizations/{org}/api-clients"),
        ))
        .json(ApiClientCreated {
            client: vern_db::api_clients::to_domain(row)?,
            client_secret: (!external).then_some(secret),
        }))
}

/// Revoke an API client
///
/// Revoke an API client: its secret and every token issued to it stop working at once.
#[utoipa::path(
    tag = "api-clients",
    operation_id = "revoke_api_client",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("client_id" = Uuid, Path, description = "The client"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may manage API clients (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, or no live client with this id there (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/organizations/{org_id}/api-clients/{client_id}")]
pub async fn revoke_api_client(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, client_id) = path.into_inner();
    auth.require_here(&state, org, Permission::ManageApiClients)
        .await?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if !vern_db::api_clients::revoke(&txn, org, client_id, now).await? {
        return Err(ApiError::new(ProblemCode::NotFound));
    }
    vern_db::audit::append(
        &txn,
        client_event(org, &auth, "api_client.revoked", client_id, &req),
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::NoContent().finish())
}
