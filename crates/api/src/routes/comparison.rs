//! Comparing two municipalities' application overviews. A municipality chooses whether
//! other municipalities may compare with its overview; a comparison shows products, names,
//! versions and statuses only — never owners, notes or integrations.

use actix_web::{HttpRequest, get, put, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use vern_db::templates::Sharing;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::organization::OrgKind;
use vern_domain::problem::{Problem, ProblemCode};
use vern_domain::register::compare::{ComparedOrganization, OverviewComparison, compare};

use super::common::{ParamErrors, entry_event};
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(get_overview_sharing)
        .service(put_overview_sharing)
        .service(list_overview_peers)
        .service(compare_overviews);
}

/// Whether other municipalities may compare their application overview with this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OverviewSharing {
    pub share_overview: bool,
}

/// The municipalities one may compare with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OverviewPeers {
    /// Every municipality that shows its overview to others, in name order (at most the
    /// country's municipalities, so not paged).
    pub items: Vec<ComparedOrganization>,
}

/// Get whether the overview is shared
///
/// Whether the organisation shows its application overview to other municipalities.
#[utoipa::path(
    tag = "register",
    operation_id = "get_overview_sharing",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The setting", body = OverviewSharing),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/settings/overview-sharing")]
pub async fn get_overview_sharing(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
) -> Result<web::Json<OverviewSharing>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let share_overview = vern_db::templates::shares(&state.db.conn, org, Sharing::Overview)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(web::Json(OverviewSharing { share_overview }))
}

/// Share the overview, or stop sharing it
///
/// Let other municipalities compare with the organisation's application overview (products,
/// names, versions and statuses of its systems), or stop letting them.
#[utoipa::path(
    tag = "register",
    operation_id = "put_overview_sharing",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = OverviewSharing,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Saved", body = OverviewSharing),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organizations/{org_id}/settings/overview-sharing")]
pub async fn put_overview_sharing(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<OverviewSharing>,
) -> Result<web::Json<OverviewSharing>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::EditRegister)
        .await?;
    let input = body.parse()?;
    change_sharing(
        &state,
        &caller,
        &req,
        org,
        Sharing::Overview,
        input.share_overview,
    )
    .await?;
    Ok(web::Json(input))
}

/// Sets what the organisation shares, with an audit event when it changes. 404 for no such
/// organisation.
pub(super) async fn change_sharing(
    state: &AppState,
    caller: &Caller,
    req: &HttpRequest,
    org: OrganizationId,
    what: Sharing,
    share: bool,
) -> Result<(), ApiError> {
    let current = vern_db::templates::shares(&state.db.conn, org, what)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if current == share {
        return Ok(());
    }
    let action = match (what, share) {
        (Sharing::Overview, true) => "organization.overview_shared",
        (Sharing::Overview, false) => "organization.overview_unshared",
        (Sharing::UsageWithVendors, true) => "organization.usage_shared_with_vendors",
        (Sharing::UsageWithVendors, false) => "organization.usage_unshared_with_vendors",
    };
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    vern_db::templates::set_sharing(&txn, org, what, share, now).await?;
    vern_db::audit::append(
        &txn,
        entry_event(caller, req, org, action, "organization", org.into_uuid()),
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(())
}

/// List municipalities to compare with
///
/// The municipalities that show their overview to others (the organisation itself left
/// out).
#[utoipa::path(
    tag = "register",
    operation_id = "list_overview_peers",
    params(("org_id" = OrganizationId, Path, description = "The organisation comparing")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The municipalities", body = OverviewPeers),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/overview-peers")]
pub async fn list_overview_peers(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
) -> Result<web::Json<OverviewPeers>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let items = vern_db::templates::overview_peers(&state.db.conn, org).await?;
    Ok(web::Json(OverviewPeers { items }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareParams {
    /// The municipality to compare with: one that shares its overview, or another of the
    /// caller's own where they read the register.
    #[param(value_type = OrganizationId, required = true)]
    with: Option<String>,
}

/// Compare two application overviews
///
/// The organisation's application overview beside another municipality's: per product (or
/// own system, matched by name), who has it and at which versions. Retired systems are
/// left out.
#[utoipa::path(
    tag = "register",
    operation_id = "compare_overviews",
    params(("org_id" = OrganizationId, Path, description = "The organisation comparing"), CompareParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The comparison", body = OverviewComparison),
        (status = 400, description = "Malformed path or query (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's, or the other is not a municipality sharing its overview (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`with` is missing, not an organisation id, or the organisation itself (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/overview-comparison")]
pub async fn compare_overviews(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<CompareParams>,
) -> Result<web::Json<OverviewComparison>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let mut errors = ParamErrors::default();
    let other = errors.uuid("with", params.with.as_deref());
    if params.with.is_none() {
        errors.add("with", "required");
    }
    errors.finish()?;
    let other = OrganizationId::from_uuid(other.ok_or_else(ApiError::not_found)?);
    if other == org {
        return Err(ApiError::new(ProblemCode::ValidationFailed).field("with", "same_organization"));
    }
    let db = &state.db.conn;
    let theirs = vern_db::organizations::get(db, other)
        .await?
        .filter(|o| o.kind == OrgKind::Municipality)
        .ok_or_else(ApiError::not_found)?;
    // Shared with everyone, or the caller reads that register too.
    let shared = vern_db::templates::shares(db, other, Sharing::Overview).await? == Some(true);
    if !shared {
        caller
            .require(other, Permission::ReadRegister)
            .map_err(|_| ApiError::not_found())?;
        caller.within_policy(&state, other).await?;
    }
    let ours = vern_db::organizations::get(db, org)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let our_systems = vern_db::register::all_systems(db, org).await?;
    let their_systems = vern_db::register::all_systems(db, other).await?;
    Ok(web::Json(compare(
        ComparedOrganization {
            id: org,
            name: ours.name,
        },
        &our_systems,
        ComparedOrganization {
            id: other,
            name: theirs.name,
        },
        &their_systems,
    )))
}
