//! Systems in use: a municipality's application overview, each entry a catalogue product
//! or an own system.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::register::{NameCursor, SystemFilter};
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::access::Role;
use vern_domain::problem::FieldError;
use vern_domain::problem::{Problem, ProblemCode};
use vern_domain::register::system::{
    System, SystemFacts, SystemPage, SystemStatus, check_system, check_update, owner_may_change,
};

use super::common::{ParamErrors, cursor, entry_event, if_match, refused, with_etag};
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_systems)
        .service(create_system)
        .service(get_system)
        .service(update_system)
        .service(delete_system)
        .service(list_system_owners);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SystemListParams {
    /// Page size, 1–500.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Text to look for in the name; case and accents are ignored. No control characters.
    #[param(
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*$",
        example = "skole"
    )]
    q: Option<String>,
    /// Only systems with this status.
    #[param(value_type = Option<SystemStatus>)]
    status: Option<String>,
    /// Only systems built on this catalogue product.
    #[param(value_type = Option<Uuid>)]
    product_id: Option<String>,
    /// `overdue`: only entries whose review date has passed.
    #[param(pattern = "^overdue$")]
    review: Option<String>,
    /// `me`: only the systems the calling user owns.
    #[param(pattern = "^me$")]
    owner: Option<String>,
}

impl SystemListParams {
    fn parse(
        &self,
        caller: &Caller,
    ) -> Result<
        (
            SystemFilter,
            vern_domain::pagination::Limit,
            Option<NameCursor>,
        ),
        ApiError,
    > {
        let mut errors = ParamErrors::default();
        let limit = errors.limit(self.limit.as_deref());
        let q = errors.q(self.q.as_deref());
        let status = errors.choice("status", self.status.as_deref(), SystemStatus::parse);
        let product = errors.uuid("product_id", self.product_id.as_deref());
        let review_before = errors.overdue(self.review.as_deref());
        let owner = match self.owner.as_deref() {
            None => None,
            Some("me") => {
                let me = caller.user_id();
                if me.is_none() {
                    errors.add("owner", "not_a_user");
                }
                me
            }
            Some(_) => {
                errors.add("owner", "unknown_value");
                None
            }
        };
        errors.finish()?;
        Ok((
            SystemFilter {
                q,
                status,
                product,
                review_before,
                owner,
            },
            limit,
            cursor(self.cursor.as_deref())?,
        ))
    }
}

/// 422 for each owner who is not an active member holding the `system_owner` role.
async fn check_owners(
    state: &AppState,
    org: OrganizationId,
    facts: &SystemFacts,
) -> Result<(), ApiError> {
    if facts.owners.is_empty() {
        return Ok(());
    }
    let eligible: Vec<Uuid> = super::record::members_with_role(state, org, Role::SystemOwner)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    let errors: Vec<FieldError> = facts
        .owners
        .iter()
        .enumerate()
        .filter(|(_, o)| !eligible.contains(o))
        .map(|(i, _)| FieldError {
            field: format!("owners[{i}]"),
            code: "not_a_system_owner".into(),
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(refused(errors))
    }
}

/// Who may change a system: a register editor any of the organisation's; a system owner
/// (`EditOwnSystems`) only the systems they own, and not who owns them.
async fn require_system_edit(
    caller: &Caller,
    state: &AppState,
    org: OrganizationId,
    current: &SystemFacts,
    input: &SystemFacts,
) -> Result<(), ApiError> {
    if caller.require(org, Permission::EditRegister).is_ok()
        || caller.require(org, Permission::EditOwnSystems).is_err()
    {
        return caller
            .require_here(state, org, Permission::EditRegister)
            .await;
    }
    caller
        .require_here(state, org, Permission::EditOwnSystems)
        .await?;
    let user = caller
        .user_id()
        .ok_or_else(|| ApiError::new(ProblemCode::Forbidden))?;
    owner_may_change(user, current, input).map_err(|e| {
        ApiError::new(ProblemCode::Forbidden)
            .field(&e.field, &e.code)
            .detail("a system owner edits only their own systems, and not who owns them")
    })
}

/// The name of the published catalogue product a system is built on (422 if there is none).
async fn product_name(state: &AppState, facts: &SystemFacts) -> Result<Option<String>, ApiError> {
    let Some(id) = facts.product_id else {
        return Ok(None);
    };
    vern_db::register::find_product(&state.db.conn, id)
        .await?
        .filter(|p| p.facts.published)
        .map(|p| Some(p.facts.name))
        .ok_or_else(|| ApiError::validation("product_id", "not_in_catalogue"))
}

/// List systems in use
///
/// The organisation's systems in Norwegian alphabetical order.
#[utoipa::path(
    tag = "register",
    operation_id = "list_systems",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), SystemListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of systems", body = SystemPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/systems")]
pub async fn list_systems(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<SystemListParams>,
) -> Result<web::Json<SystemPage>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let (filter, limit, after) = params.parse(&caller)?;
    let (items, next_cursor) =
        vern_db::register::list_systems(&state.db.conn, org, &filter, limit, after).await?;
    Ok(web::Json(SystemPage { items, next_cursor }))
}

/// Register a system
///
/// Register a system: a published catalogue product (`product_id`) or an own system
/// (`name`).
#[utoipa::path(
    tag = "register",
    operation_id = "create_system",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = SystemFacts,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Registered; `Location` names it", body = System, headers(("ETag" = String, description = "The revision"), ("Location" = String, description = "The system's URL"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule is broken, or `product_id` is not a published product; see `errors` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/systems")]
pub async fn create_system(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<SystemFacts>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::EditRegister)
        .await?;
    let input = body.parse()?;
    let product_name = product_name(&state, &input).await?;
    let facts = check_system(&input, product_name.as_deref()).map_err(refused)?;
    check_owners(&state, org, &facts).await?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let system = vern_db::register::insert_system(&txn, org, &facts, now).await?;
    vern_db::audit::append(
        &txn,
        event(&caller, &req, org, "system.created", system.id),
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    let location = format!("/api/v1/organizations/{org}/systems/{}", system.id);
    let revision = system.revision;
    Ok(with_etag(
        HttpResponse::Created()
            .insert_header((actix_web::http::header::LOCATION, location))
            .json(system),
        revision,
    ))
}

/// Get a system
///
/// One system in use: its facts, status, owners, linked catalogue product and connector.
/// The `ETag` is the system's revision; send it as `If-Match` to change or delete it.
#[utoipa::path(
    tag = "register",
    operation_id = "get_system",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("system_id" = Uuid, Path, description = "The system"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The system", body = System, headers(("ETag" = String, description = "The revision, for If-Match"))),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such system in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/systems/{system_id}")]
pub async fn get_system(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let system = vern_db::register::find_system(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let revision = system.revision;
    Ok(with_etag(HttpResponse::Ok().json(system), revision))
}

/// Update a system
///
/// Replace a system's facts, with `If-Match`. The status follows the life cycle (planned →
/// in use → being phased out → retired; retired is final) and a system keeps its product.
/// Register editors change any system; a system owner changes the systems they own, but
/// not who owns them.
#[utoipa::path(
    tag = "register",
    operation_id = "update_system",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("system_id" = Uuid, Path, description = "The system"),
        ("If-Match" = String, Header, description = "The ETag of the revision the change is based on"),
    ),
    request_body = SystemFacts,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Saved", body = System, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, a system owner changing another's system or who owns it, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such system in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The status cannot change that way, or the product cannot change (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else saved first (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule is broken; see `errors` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No If-Match (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organizations/{org_id}/systems/{system_id}")]
pub async fn update_system(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<SystemFacts>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let current = vern_db::register::find_system(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let input = body.parse()?;
    require_system_edit(&caller, &state, org, &current.facts, &input).await?;
    let expected = if_match(&req, current.revision)?;
    if let Err(e) = check_update(&current.facts, &input) {
        return Err(ApiError::new(ProblemCode::Conflict)
            .field(&e.field, &e.code)
            .detail("that change is not allowed from the system's current state"));
    }
    let product_name = match input.product_id {
        // The product may have been unpublished since; the system keeps its link.
        Some(_) => current.product_name.clone(),
        None => None,
    };
    let facts = check_system(&input, product_name.as_deref()).map_err(refused)?;
    if facts.owners != current.facts.owners {
        check_owners(&state, org, &facts).await?;
    }
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let updated = vern_db::register::update_system(&txn, org, id, expected, &facts, now)
        .await?
        .ok_or_else(|| {
            ApiError::new(ProblemCode::PreconditionFailed)
                .detail("someone else changed it first; fetch it again and redo the change")
        })?;
    vern_db::audit::append(&txn, event(&caller, &req, org, "system.updated", id), now).await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    let revision = updated.revision;
    Ok(with_etag(HttpResponse::Ok().json(updated), revision))
}

/// Delete a system
///
/// Remove a system registered by mistake. (A system that was used is retired instead, so
/// that the record keeps it.)
#[utoipa::path(
    tag = "register",
    operation_id = "delete_system",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("system_id" = Uuid, Path, description = "The system"),
        ("If-Match" = String, Header, description = "The ETag of the revision to delete"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such system in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Only a planned system can be deleted; retire one that was in use (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else saved first (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No If-Match (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/organizations/{org_id}/systems/{system_id}")]
pub async fn delete_system(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::EditRegister)
        .await?;
    let current = vern_db::register::find_system(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if_match(&req, current.revision)?;
    if current.facts.status != SystemStatus::Planned {
        return Err(ApiError::new(ProblemCode::Conflict)
            .detail("only a planned system can be deleted; retire it instead"));
    }
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if !vern_db::register::delete_system(&txn, org, id).await? {
        return Err(ApiError::not_found());
    }
    vern_db::reviews::delete_for_subject(&txn, id).await?;
    vern_db::audit::append(&txn, event(&caller, &req, org, "system.deleted", id), now).await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::NoContent().finish())
}

fn event(
    caller: &Caller,
    req: &HttpRequest,
    org: OrganizationId,
    action: &'static str,
    id: Uuid,
) -> vern_domain::access::audit::AuditDraft {
    entry_event(caller, req, org, action, "system", id)
}

/// Someone who can be named a system's owner: an active member holding `system_owner`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SystemOwnerCandidate {
    pub user_id: Uuid,
    pub display_name: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SystemOwnerCandidateList {
    pub items: Vec<SystemOwnerCandidate>,
}

/// List who can own systems
///
/// The members who can own systems (those holding the `system_owner` role now), for
/// choosing a system's owners.
#[utoipa::path(
    tag = "register",
    operation_id = "list_system_owner_candidates",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The candidates, by name", body = SystemOwnerCandidateList),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/system-owners")]
pub async fn list_system_owners(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
) -> Result<web::Json<SystemOwnerCandidateList>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let mut items: Vec<SystemOwnerCandidate> =
        super::record::members_with_role(&state, org, Role::SystemOwner)
            .await?
            .into_iter()
            .map(|m| SystemOwnerCandidate {
                user_id: m.user_id,
                display_name: m.display_name,
            })
            .collect();
    items.sort_by_key(|c| vern_domain::sort_key::sort_key(&c.display_name));
    Ok(web::Json(SystemOwnerCandidateList { items }))
}
