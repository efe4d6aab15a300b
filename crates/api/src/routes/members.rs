//! Members of an organisation and their roles: the organisation administrator's work.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
use vern_domain::access::members::{
    AccessReviewStarted, ConfirmGrant, GrantRoleRequest, MemberPage, RoleGrantView,
    StartAccessReview, check_review_due,
};
use vern_domain::access::{
    GrantEvent, GrantRefusal, GrantState, MembershipChange, Permission, Role, check_grant,
    check_membership_change, check_revoke,
};
use vern_domain::pagination::{Limit, decode_cursor};
use vern_domain::problem::{Problem, ProblemCode};

use crate::auth::Authenticated;
use crate::body::Body;
use crate::error::ApiError;
use crate::middleware::request_id;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_members)
        .service(grant_role)
        .service(revoke_role)
        .service(disable_member)
        .service(enable_member)
        .service(remove_member)
        .service(start_access_review)
        .service(confirm_grant);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1–500.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageParams {
    pub fn parse<K: serde::de::DeserializeOwned>(&self) -> Result<(Limit, Option<K>), ApiError> {
        let limit = match self.limit.as_deref().map(str::parse::<u32>) {
            None => Limit::default(),
            Some(Ok(n)) => {
                Limit::parse(Some(n)).map_err(|_| ApiError::validation("limit", "range"))?
            }
            Some(Err(_)) => return Err(ApiError::validation("limit", "not_an_integer")),
        };
        let cursor = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => None,
            Some(raw) => Some(decode_cursor::<K>(raw).map_err(|_| {
                ApiError::new(ProblemCode::InvalidCursor).field("cursor", "invalid")
            })?),
        };
        Ok((limit, cursor))
    }
}

/// The API's answer to a refused grant or revocation.
fn refusal(refusal: GrantRefusal) -> ApiError {
    match refusal {
        GrantRefusal::NotForThisKind => {
            ApiError::validation("role", "not_for_this_kind_of_organization")
        }
        GrantRefusal::EndInThePast => ApiError::validation("until", "in_the_past"),
        GrantRefusal::AlreadyHeld
        | GrantRefusal::OwnAdministratorRole
        | GrantRefusal::OwnMembership => {
            ApiError::new(ProblemCode::Conflict).detail(refusal.to_string())
        }
    }
}

fn role_event(
    org: OrganizationId,
    auth: &Authenticated,
    action: &'static str,
    user: Uuid,
    req: &HttpRequest,
) -> AuditDraft {
    AuditDraft {
        organization_id: Some(org),
        actor_kind: ActorKind::User,
        actor_id: Some(auth.user_id),
        action,
        target_type: "user",
        target_id: Some(user.to_string()),
        request_id: request_id(req),
        outcome: Outcome::Success,
    }
}

/// List members and their roles
///
/// List the organisation's members and the roles in force for each.
#[utoipa::path(
    tag = "members",
    operation_id = "list_members",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), PageParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of members, by e-mail", body = MemberPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may manage members (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad `limit` or `cursor` (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/members")]
pub async fn list_members(
    auth: Authenticated,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<PageParams>,
) -> Result<web::Json<MemberPage>, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ManageMembers)
        .await?;
    let (limit, after) = params.parse::<String>()?;
    Ok(web::Json(
        vern_db::identity::members(&state.db.conn, org, limit, after, Utc::now()).await?,
    ))
}

/// Grant a role
///
/// Grant a member a role, optionally until a given time. Takes effect at once.
#[utoipa::path(
    tag = "members",
    operation_id = "grant_role",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("user_id" = Uuid, Path, description = "The member"),
    ),
    request_body = GrantRoleRequest,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Granted", body = RoleGrantView, headers(("Location" = String, description = "The member's roles"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may manage roles (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or member (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The member already holds the role (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The role does not exist in this kind of organisation, or `until` has passed (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/members/{user_id}/roles")]
pub async fn grant_role(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<GrantRoleRequest>,
) -> Result<HttpResponse, ApiError> {
    let (org, user_id) = path.into_inner();
    auth.require_here(&state, org, Permission::ManageRoles)
        .await?;
    let body = body.parse()?;
    let now = Utc::now();
    let kind = vern_db::organizations::get(&state.db.conn, org)
        .await?
        .ok_or_else(ApiError::not_found)?
        .kind;
    let GrantRoleRequest { role, until } = body;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if !vern_db::identity::is_member(&txn, org, user_id).await? {
        return Err(ApiError::not_found());
    }
    let held: Vec<Role> = vern_db::identity::memberships(&txn, user_id, now)
        .await?
        .into_iter()
        .find(|m| m.organization_id == org)
        .map(|m| m.roles)
        .unwrap_or_default();
    check_grant(role, kind, until, &held, now).map_err(refusal)?;
    let id = vern_db::identity::grant_role(&txn, org, user_id, role, until, now).await?;
    vern_db::audit::append(
        &txn,
        role_event(org, &auth, "role.granted", user_id, &req),
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/organizations/{org}/members?cursor="),
        ))
        .json(RoleGrantView {
            id,
            role,
            until,
            review_due: None,
        }))
}

/// Revoke a role
///
/// End a member's role. Takes effect at once, for sessions already open too.
#[utoipa::path(
    tag = "members",
    operation_id = "revoke_role",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("user_id" = Uuid, Path, description = "The member"),
        ("role" = Role, Path, description = "The role to end"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may manage roles (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, member or grant (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Administrators cannot remove their own administrator role (`conflict`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/organizations/{org_id}/members/{user_id}/roles/{role}")]
pub async fn revoke_role(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid, Role)>,
) -> Result<HttpResponse, ApiError> {
    let (org, user_id, role) = path.into_inner();
    auth.require_here(&state, org, Permission::ManageRoles)
        .await?;
    check_revoke(role, user_id == auth.user_id).map_err(refusal)?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if vern_db::identity::revoke_role(&txn, org, user_id, role, now).await? == 0 {
        return Err(ApiError::not_found());
    }
    vern_db::audit::append(
        &txn,
        role_event(org, &auth, "role.revoked", user_id, &req),
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::NoContent().finish())
}

async fn change_membership(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    org: OrganizationId,
    user_id: Uuid,
    change: MembershipChange,
) -> Result<HttpResponse, ApiError> {
    auth.require_here(&state, org, Permission::ManageMembers)
        .await?;
    check_membership_change(change, user_id == auth.user_id).map_err(refusal)?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if !vern_db::identity::is_member(&txn, org, user_id).await? {
        return Err(ApiError::not_found());
    }
    let moved = vern_db::identity::change_membership(&txn, org, user_id, change, now).await?;
    if moved == 0 {
        return Err(ApiError::new(ProblemCode::Conflict).detail(match change {
            MembershipChange::Disable => "the member is disabled already",
            MembershipChange::Enable => "the member is not disabled",
            MembershipChange::Remove => "the member holds no roles",
        }));
    }
    let action = match change {
        MembershipChange::Disable => "member.disabled",
        MembershipChange::Enable => "member.enabled",
        MembershipChange::Remove => "member.removed",
    };
    vern_db::audit::append(&txn, role_event(org, &auth, action, user_id, &req), now).await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::NoContent().finish())
}

/// Disable a member
///
/// Disable a member: every role in this organisation stops working at once, for open
/// sessions too, and is kept for when the member is enabled again.
#[utoipa::path(
    tag = "members",
    operation_id = "disable_member",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("user_id" = Uuid, Path, description = "The member"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "Disabled"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may manage members (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or member (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Disabled already, or oneself (`conflict`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/members/{user_id}/disable")]
pub async fn disable_member(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, user_id) = path.into_inner();
    change_membership(auth, state, req, org, user_id, MembershipChange::Disable).await
}

/// Enable a member
///
/// Enable a disabled member: the roles they held work again.
#[utoipa::path(
    tag = "members",
    operation_id = "enable_member",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("user_id" = Uuid, Path, description = "The member"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "Enabled"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may manage members (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or member (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not disabled (`conflict`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/members/{user_id}/enable")]
pub async fn enable_member(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, user_id) = path.into_inner();
    change_membership(auth, state, req, org, user_id, MembershipChange::Enable).await
}

/// Remove a member
///
/// Remove a member: every role in this organisation ends. The account stays (it may
/// belong to other organisations); the audit log keeps the history.
#[utoipa::path(
    tag = "members",
    operation_id = "remove_member",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("user_id" = Uuid, Path, description = "The member"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may manage members (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or member (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Oneself (`conflict`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/organizations/{org_id}/members/{user_id}")]
pub async fn remove_member(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, user_id) = path.into_inner();
    change_membership(auth, state, req, org, user_id, MembershipChange::Remove).await
}

/// Start an access review
///
/// Start an access review: every role in force must be re-confirmed by `due`; roles not
/// confirmed by then stop working at that instant.
#[utoipa::path(
    tag = "members",
    operation_id = "start_access_review",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = StartAccessReview,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "The review is open", body = AccessReviewStarted),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may manage roles (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`due` is less than a day or more than 90 days ahead (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/access-reviews")]
pub async fn start_access_review(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<StartAccessReview>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ManageRoles)
        .await?;
    let body = body.parse()?;
    let now = Utc::now();
    let due = body.due;
    check_review_due(due, now).map_err(|code| ApiError::validation("due", code))?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let grants = vern_db::identity::start_review(&txn, org, due, now).await?;
    let mut event = role_event(org, &auth, "access_review.started", auth.user_id, &req);
    event.target_type = "organization";
    event.target_id = Some(org.to_string());
    vern_db::audit::append(&txn, event, now).await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::Created().json(AccessReviewStarted { grants, due }))
}

/// Confirm a role in an access review
///
/// Confirm a role in an open access review, optionally with a new end date.
#[utoipa::path(
    tag = "members",
    operation_id = "confirm_grant",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("grant_id" = Uuid, Path, description = "The role grant"),
    ),
    request_body = ConfirmGrant,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Confirmed", body = RoleGrantView),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may manage roles (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or grant (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not under review, or lapsed, ended or revoked already (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body does not match the schema, or `until` has passed (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/grants/{grant_id}/confirm")]
pub async fn confirm_grant(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<ConfirmGrant>,
) -> Result<web::Json<RoleGrantView>, ApiError> {
    let (org, grant_id) = path.into_inner();
    auth.require_here(&state, org, Permission::ManageRoles)
        .await?;
    let body = body.parse()?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let grant = vern_db::identity::find_grant(&txn, org, grant_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let current = if grant.state == "active" {
        GrantState::Active {
            until: grant.until,
            review_due: grant.review_due,
        }
    } else {
        GrantState::Revoked
    };
    let next = current
        .transition(GrantEvent::Confirm { until: body.until }, now)
        .map_err(|_| {
            ApiError::new(ProblemCode::Conflict)
                .detail("the role is not awaiting confirmation, or has lapsed or ended")
        })?;
    let GrantState::Active { until, review_due } = next else {
        return Err(ApiError::new(ProblemCode::Conflict));
    };
    vern_db::identity::set_grant_dates(&txn, grant_id, until, review_due, now).await?;
    vern_db::audit::append(
        &txn,
        role_event(org, &auth, "role.confirmed", grant.user_id, &req),
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    let role = Role::parse(&grant.role).ok_or(vern_db::DbError::InvalidRow("role_grants.role"))?;
    Ok(web::Json(RoleGrantView {
        id: grant_id,
        role,
        until,
        review_due,
    }))
}
