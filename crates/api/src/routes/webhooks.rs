//! Webhooks: the organisation's administrator subscribes an endpoint to events, reads each
//! webhook's delivery log, removes a webhook, and sends a delivery again.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::problem::{Problem, ProblemCode};
use vern_domain::webhooks::{
    Delivery, DeliveryPage, DeliveryStatus, NewWebhook, SecretRotation, WebhookCreated,
    WebhookPage, check_webhook,
};

use super::common::entry_event;
use super::members::PageParams;
use crate::auth::Authenticated;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

/// A new signing secret (32 random bytes, as connectors get) and its sealed form to store.
fn signing_secret(state: &AppState) -> Result<(String, String), ApiError> {
    let secret = crate::connectors::new_secret().map_err(ApiError::internal)?;
    let sealed = state.seal_secret(&secret)?;
    Ok((secret, sealed))
}

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_webhooks)
        .service(create_webhook)
        .service(remove_webhook)
        .service(rotate_webhook_secret)
        .service(list_webhook_deliveries)
        .service(replay_webhook_delivery);
}

/// List webhooks
///
/// The organisation's webhooks, newest first, removed ones included.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "list_webhooks",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), PageParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of webhooks; secrets are never shown again", body = WebhookPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that manages integrations, or an API client calling (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad `limit` or `cursor` (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/webhooks")]
pub async fn list_webhooks(
    auth: Authenticated,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<PageParams>,
) -> Result<web::Json<WebhookPage>, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ManageApiClients)
        .await?;
    let (limit, before) = params.parse::<Uuid>()?;
    Ok(web::Json(
        vern_db::webhooks::page(&state.db.conn, org, limit, before).await?,
    ))
}

/// Create a webhook
///
/// Subscribe an endpoint to events. The answer carries the signing secret, shown this once.
///
/// Each delivery is a POST of an `EventPayload` — the event's type, the object's kind and id,
/// the organisation and the time; never personal data — with the headers `Vern-Event`,
/// `Vern-Delivery` and `Vern-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
/// "<t>.<body>")>`. Verify the signature, refuse a `t` more than five minutes from your
/// clock and a `delivery_id` you have seen, answer 2xx quickly, then fetch the object with
/// your API client. A delivery not answered with 2xx is tried again after 1, 4, 16, 64
/// minutes and so on (at most a day apart), eight attempts in all.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "create_webhook",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = NewWebhook,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Created; store `secret` now, it is not shown again", body = WebhookCreated, headers(("Location" = String, description = "The organisation's webhooks"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that manages integrations (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A URL that is not https (plain http only to loopback) or carries credentials, no event types, or a description over 200 characters (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/webhooks")]
pub async fn create_webhook(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<NewWebhook>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ManageApiClients)
        .await?;
    let body = body.parse()?;
    let checked = check_webhook(&body).map_err(|r| ApiError::validation(r.field(), r.code()))?;
    let (secret, sealed) = signing_secret(&state)?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row =
        vern_db::webhooks::insert(&txn, org, checked, sealed, Some(auth.user_id), now).await?;
    vern_db::audit::append(
        &txn,
        entry_event(
            &auth.caller(),
            &req,
            org,
            "webhook.created",
            "webhook",
            row.id,
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/organizations/{org}/webhooks")))
        .json(WebhookCreated {
            webhook: vern_db::webhooks::to_domain(row)?,
            secret,
        }))
}

/// Remove a webhook
///
/// Remove a webhook: nothing more is delivered to it, and its pending deliveries are given up.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "remove_webhook",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("webhook_id" = Uuid, Path, description = "The webhook"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that manages integrations (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, or no live webhook with this id there (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/organizations/{org_id}/webhooks/{webhook_id}")]
pub async fn remove_webhook(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    auth.require_here(&state, org, Permission::ManageApiClients)
        .await?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if !vern_db::webhooks::revoke(&txn, org, id, now).await? {
        return Err(ApiError::new(ProblemCode::NotFound));
    }
    vern_db::audit::append(
        &txn,
        entry_event(&auth.caller(), &req, org, "webhook.removed", "webhook", id),
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::NoContent().finish())
}

/// Replace a webhook's secret
///
/// Makes a new signing secret and answers it, this once. For a day
/// (`previous_secret_until`) each delivery is signed with both: `Vern-Signature` carries a
/// `v1` for the new secret and one for the old, and a receiver that checks any `v1` accepts
/// either. Switch your endpoint to the new secret within that day; after it, only the new
/// one signs. With `immediately`, the old secret stops signing at once (for a secret that may
/// have leaked). Replacing it again while an overlap lasts ends that overlap: the secret just
/// replaced is the only old one that signs.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "rotate_webhook_secret",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("webhook_id" = Uuid, Path, description = "The webhook"),
    ),
    request_body = SecretRotation,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The new secret; store it now, it is not shown again", body = WebhookCreated),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that manages integrations (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, or no live webhook with this id there (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body does not match the schema (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/webhooks/{webhook_id}/secret")]
pub async fn rotate_webhook_secret(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<SecretRotation>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    auth.require_here(&state, org, Permission::ManageApiClients)
        .await?;
    let rotation = body.parse()?;
    let (secret, sealed) = signing_secret(&state)?;
    let now = Utc::now();
    let until = rotation.old_signs_until(now);
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let Some(row) = vern_db::webhooks::rotate_secret(&txn, org, id, sealed, until).await? else {
        return Err(ApiError::new(ProblemCode::NotFound));
    };
    vern_db::audit::append(
        &txn,
        entry_event(
            &auth.caller(),
            &req,
            org,
            "webhook.secret_rotated",
            "webhook",
            id,
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::Ok().json(WebhookCreated {
        webhook: vern_db::webhooks::to_domain(row)?,
        secret,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryListParams {
    /// Page size, 1–500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only deliveries in this status.
    #[param(value_type = Option<DeliveryStatus>)]
    status: Option<String>,
}

/// List a webhook's deliveries
///
/// A webhook's delivery log, newest first: each delivery's status, attempts, the endpoint's
/// last answer and the next attempt.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "list_webhook_deliveries",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("webhook_id" = Uuid, Path, description = "The webhook"),
        DeliveryListParams,
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of deliveries", body = DeliveryPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that manages integrations (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or webhook (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad `limit`, `cursor` or `status` (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/webhooks/{webhook_id}/deliveries")]
pub async fn list_webhook_deliveries(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<(OrganizationId, Uuid)>,
    params: web::Query<DeliveryListParams>,
) -> Result<web::Json<DeliveryPage>, ApiError> {
    let (org, id) = path.into_inner();
    auth.require_here(&state, org, Permission::ManageApiClients)
        .await?;
    let params = params.into_inner();
    let (limit, before) = PageParams {
        limit: params.limit,
        cursor: params.cursor,
    }
    .parse::<Uuid>()?;
    let status = match params.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            DeliveryStatus::parse(s).ok_or_else(|| ApiError::validation("status", "unknown"))?,
        ),
    };
    vern_db::webhooks::find(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(web::Json(
        vern_db::webhooks::deliveries(&state.db.conn, org, id, status, limit, before).await?,
    ))
}

/// Replay a delivery
///
/// Send a delivery again: a new delivery of the same event (same `event_id`, new
/// `delivery_id`), sent at once and retried like any other. For an endpoint that was down or
/// lost what it received.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "replay_webhook_delivery",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("delivery_id" = Uuid, Path, description = "The delivery to send again"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 202, description = "The new delivery, queued and being sent", body = Delivery),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that manages integrations (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such delivery in the organisation, or its webhook was removed (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/webhook-deliveries/{delivery_id}/replay")]
pub async fn replay_webhook_delivery(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    auth.require_here(&state, org, Permission::ManageApiClients)
        .await?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row = vern_db::webhooks::replay(&txn, org, id, now)
        .await?
        .ok_or_else(ApiError::not_found)?;
    vern_db::audit::append(
        &txn,
        entry_event(
            &auth.caller(),
            &req,
            org,
            "webhook.delivery_replayed",
            "webhook_delivery",
            row.id,
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    state.webhooks.spawn(vec![row.id]);
    Ok(HttpResponse::Accepted().json(vern_db::webhooks::delivery_to_domain(row)?))
}
