//! Role requests: members ask for a role with a justification; administrators approve
//! (the role is granted in the same transaction) or deny; requesters may withdraw.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::DbError;
use vern_domain::OrganizationId;
use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
use vern_domain::access::role_request::{
    NewRoleRequest, RoleRequest, RoleRequestDecision, RoleRequestPage, check_note,
    check_role_request, may_decide,
};
use vern_domain::access::{Permission, RequestEvent, RequestState, Role, check_grant};
use vern_domain::problem::{Problem, ProblemCode};

use super::members::PageParams;
use crate::auth::Authenticated;
use crate::body::Body;
use crate::error::ApiError;
use crate::middleware::request_id;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(my_role_requests)
        .service(list_role_requests)
        .service(create_role_request)
        .service(approve_role_request)
        .service(deny_role_request)
        .service(withdraw_role_request);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoleRequestParams {
    /// Only requests in this state.
    state: Option<RequestState>,
    /// Page size, 1–500.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

impl RoleRequestParams {
    fn page(&self) -> PageParams {
        PageParams {
            limit: self.limit.clone(),
            cursor: self.cursor.clone(),
        }
    }
}

fn request_event(
    org: OrganizationId,
    user: Uuid,
    action: &'static str,
    id: Uuid,
    req: &HttpRequest,
) -> AuditDraft {
    AuditDraft {
        organization_id: Some(org),
        actor_kind: ActorKind::User,
        actor_id: Some(user),
        action,
        target_type: "role_request",
        target_id: Some(id.to_string()),
        request_id: request_id(req),
        outcome: Outcome::Success,
    }
}

/// My role requests
///
/// The caller's own role requests in every organisation, newest first.
#[utoipa::path(
    tag = "role-requests",
    operation_id = "list_my_role_requests",
    params(RoleRequestParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of the caller's requests", body = RoleRequestPage),
        (status = 400, description = "A query parameter is malformed (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad `limit` or `cursor` (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/role-requests")]
pub async fn my_role_requests(
    auth: Authenticated,
    state: web::Data<AppState>,
    params: web::Query<RoleRequestParams>,
) -> Result<web::Json<RoleRequestPage>, ApiError> {
    let (limit, before) = params.page().parse::<Uuid>()?;
    Ok(web::Json(
        vern_db::role_requests::page(
            &state.db.conn,
            None,
            Some(auth.user_id),
            params.state,
            limit,
            before,
        )
        .await?,
    ))
}

/// List role requests
///
/// The organisation's role requests, newest first; `state=pending` for the work queue.
#[utoipa::path(
    tag = "role-requests",
    operation_id = "list_role_requests",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), RoleRequestParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of requests", body = RoleRequestPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may decide role requests (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad `limit` or `cursor` (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/role-requests")]
pub async fn list_role_requests(
    auth: Authenticated,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<RoleRequestParams>,
) -> Result<web::Json<RoleRequestPage>, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::DecideRoleRequests)
        .await?;
    let (limit, before) = params.page().parse::<Uuid>()?;
    Ok(web::Json(
        vern_db::role_requests::page(&state.db.conn, Some(org), None, params.state, limit, before)
            .await?,
    ))
}

/// Request a role
///
/// Ask for a role in an organisation one is a member of, saying why the work needs it.
#[utoipa::path(
    tag = "role-requests",
    operation_id = "create_role_request",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = NewRoleRequest,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Requested; administrators see it in their queue", body = RoleRequest),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not a member of this organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request for this role is pending already (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The role is held already or not of this kind of organisation, or the justification is too short or long (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/role-requests")]
pub async fn create_role_request(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<NewRoleRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    let held = auth.member_here(&state, org).await?;
    let body = body.parse()?;
    let kind = vern_db::organizations::get(&state.db.conn, org)
        .await?
        .ok_or_else(ApiError::not_found)?
        .kind;
    let justification = check_role_request(&body, kind, &held)
        .map_err(|r| ApiError::validation(r.field, r.code))?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if vern_db::role_requests::has_pending(&txn, org, auth.user_id, body.role).await? {
        return Err(ApiError::new(ProblemCode::Conflict)
            .detail("a request for this role is pending already"));
    }
    let row =
        vern_db::role_requests::insert(&txn, org, auth.user_id, body.role, justification, now)
            .await?;
    vern_db::audit::append(
        &txn,
        request_event(org, auth.user_id, "role_request.created", row.id, &req),
        now,
    )
    .await?;
    // The administrators who decide hear of it.
    let mut admins = Vec::new();
    for role in Role::ALL
        .into_iter()
        .filter(|r| r.grants(Permission::DecideRoleRequests))
    {
        admins.extend(vern_db::notifications::holders(&txn, org, role, now).await?);
    }
    admins.retain(|u| *u != auth.user_id);
    let note = vern_domain::notifications::NewNotification {
        organization_id: org,
        kind: vern_domain::notifications::NotificationKind::RoleRequested,
        subject_id: row.id,
        params: vern_domain::notifications::NotificationParams::default(),
    };
    vern_db::notifications::deliver(&txn, &note, &admins, now).await?;
    let view = vern_db::role_requests::view(&txn, row).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(HttpResponse::Created().json(view))
}

/// Decide a pending request as an administrator (not one's own).
async fn decide(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    org: OrganizationId,
    id: Uuid,
    event: RequestEvent,
    body: Body<RoleRequestDecision>,
) -> Result<web::Json<RoleRequest>, ApiError> {
    auth.require_here(&state, org, Permission::DecideRoleRequests)
        .await?;
    let note = body.parse()?.note;
    let note = check_note(note.as_deref()).map_err(|r| ApiError::validation(r.field, r.code))?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row = vern_db::role_requests::find(&txn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if !may_decide(row.user_id, auth.user_id) {
        return Err(ApiError::new(ProblemCode::Forbidden)
            .detail("another administrator must decide your own request"));
    }
    let current =
        RequestState::parse(&row.state).ok_or(DbError::InvalidRow("role_requests.state"))?;
    let next = current.transition(event).map_err(|_| {
        ApiError::new(ProblemCode::Conflict).detail("the request has been decided already")
    })?;
    let role = Role::parse(&row.role).ok_or(DbError::InvalidRow("role_requests.role"))?;
    if !vern_db::role_requests::decide(&txn, id, next, Some(auth.user_id), note, now).await? {
        return Err(
            ApiError::new(ProblemCode::Conflict).detail("the request has been decided already")
        );
    }
    let action = match next {
        RequestState::Approved => "role_request.approved",
        _ => "role_request.denied",
    };
    vern_db::audit::append(
        &txn,
        request_event(org, auth.user_id, action, id, &req),
        now,
    )
    .await?;
    if next == RequestState::Approved {
        let kind = vern_db::organizations::get(&txn, org)
            .await?
            .ok_or_else(ApiError::not_found)?
            .kind;
        let held: Vec<Role> = vern_db::identity::memberships(&txn, row.user_id, now)
            .await?
            .into_iter()
            .find(|m| m.organization_id == org)
            .map(|m| m.roles)
            .unwrap_or_default();
        // Granted since the request? Then approving changes nothing more.
        if check_grant(role, kind, None, &held, now).is_ok() {
            vern_db::identity::grant_role(&txn, org, row.user_id, role, None, now).await?;
            let mut granted = request_event(org, auth.user_id, "role.granted", id, &req);
            granted.target_type = "user";
            granted.target_id = Some(row.user_id.to_string());
            vern_db::audit::append(&txn, granted, now).await?;
        }
    }
    let updated = vern_db::role_requests::find(&txn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let view = vern_db::role_requests::view(&txn, updated).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(web::Json(view))
}

/// Approve a role request
///
/// Approve a pending request: the role is granted at once.
#[utoipa::path(
    tag = "role-requests",
    operation_id = "approve_role_request",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("request_id" = Uuid, Path, description = "The request"),
    ),
    request_body = RoleRequestDecision,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Approved and granted", body = RoleRequest),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may decide, or one's own request (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or request (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Decided or withdrawn already (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The note is too long (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/role-requests/{request_id}/approve")]
pub async fn approve_role_request(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<RoleRequestDecision>,
) -> Result<web::Json<RoleRequest>, ApiError> {
    let (org, id) = path.into_inner();
    decide(auth, state, req, org, id, RequestEvent::Approve, body).await
}

/// Deny a role request
///
/// Deny a pending request, optionally with a note to the requester.
#[utoipa::path(
    tag = "role-requests",
    operation_id = "deny_role_request",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("request_id" = Uuid, Path, description = "The request"),
    ),
    request_body = RoleRequestDecision,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Denied", body = RoleRequest),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may decide, or one's own request (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or request (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Decided or withdrawn already (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The note is too long (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/role-requests/{request_id}/deny")]
pub async fn deny_role_request(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<RoleRequestDecision>,
) -> Result<web::Json<RoleRequest>, ApiError> {
    let (org, id) = path.into_inner();
    decide(auth, state, req, org, id, RequestEvent::Deny, body).await
}

/// Withdraw my role request
///
/// Withdraw a role request the logged-in user made and that is still pending; the
/// organisation's administrators no longer see it as waiting.
#[utoipa::path(
    tag = "role-requests",
    operation_id = "withdraw_role_request",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("request_id" = Uuid, Path, description = "The request"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Withdrawn", body = RoleRequest),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request of the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Decided already (`conflict`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/role-requests/{request_id}/withdraw")]
pub async fn withdraw_role_request(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<web::Json<RoleRequest>, ApiError> {
    let (org, id) = path.into_inner();
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row = vern_db::role_requests::find(&txn, org, id)
        .await?
        .filter(|r| r.user_id == auth.user_id)
        .ok_or_else(ApiError::not_found)?;
    let current =
        RequestState::parse(&row.state).ok_or(DbError::InvalidRow("role_requests.state"))?;
    let next = current.transition(RequestEvent::Withdraw).map_err(|_| {
        ApiError::new(ProblemCode::Conflict).detail("the request has been decided already")
    })?;
    if !vern_db::role_requests::decide(&txn, id, next, None, None, now).await? {
        return Err(
            ApiError::new(ProblemCode::Conflict).detail("the request has been decided already")
        );
    }
    vern_db::audit::append(
        &txn,
        request_event(org, auth.user_id, "role_request.withdrawn", id, &req),
        now,
    )
    .await?;
    let updated = vern_db::role_requests::find(&txn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let view = vern_db::role_requests::view(&txn, updated).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(web::Json(view))
}
