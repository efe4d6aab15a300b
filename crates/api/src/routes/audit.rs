//! An organisation's audit log: list it, and recompute its hash chain.

use actix_web::{get, web};
use utoipa_actix_web::service_config::ServiceConfig;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::access::members::{AuditEventPage, AuditVerification};
use vern_domain::problem::Problem;

use super::members::PageParams;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(verify_audit_events).service(list_audit_events);
}

/// The organisation's audit events, newest first. Events hold codes and ids, never
/// personal data.
#[utoipa::path(
    tag = "audit",
    operation_id = "list_audit_events",
    summary = "List audit events",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), PageParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of events, newest first", body = AuditEventPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may read the audit log (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad `limit` or `cursor`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/audit-events")]
pub async fn list_audit_events(
    auth: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<PageParams>,
) -> Result<web::Json<AuditEventPage>, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ReadAuditLog)
        .await?;
    let (limit, before) = params.parse::<i64>()?;
    Ok(web::Json(
        vern_db::audit::page(&state.db.conn, org, limit, before).await?,
    ))
}

/// Recompute the organisation's hash chain and report the first broken link, if any.
#[utoipa::path(
    tag = "audit",
    operation_id = "verify_audit_events",
    summary = "Verify the audit log",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The verification result", body = AuditVerification),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may read the audit log (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/audit-events/verify")]
pub async fn verify_audit_events(
    auth: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
) -> Result<web::Json<AuditVerification>, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ReadAuditLog)
        .await?;
    let chain = vern_db::audit::chain(&state.db.conn, Some(org)).await?;
    let result = match vern_domain::access::audit::verify(&chain) {
        Ok(checked) => AuditVerification {
            checked,
            broken: None,
        },
        Err(broken) => AuditVerification {
            checked: (broken.sequence - 1).max(0) as u64,
            broken: Some(broken),
        },
    };
    Ok(web::Json(result))
}
