//! An organisation's audit log: list it, and recompute its hash chain.

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::access::members::{
    AUDIT_CSV_HEADER, AuditEventPage, AuditFilter, AuditVerification,
};
use vern_domain::problem::{Problem, ProblemCode};

use super::members::PageParams;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(verify_audit_events)
        .service(export_audit_events)
        .service(list_audit_events);
}

/// The most events one export holds; narrow the filter for more.
const EXPORT_MAX: u64 = 100_000;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only events by this user or API client.
    actor: Option<Uuid>,
    /// Only this action, e.g. `role.granted`.
    #[param(pattern = "^[a-z._]{1,64}$")]
    action: Option<String>,
    /// Only events about this type of object, e.g. `user`.
    #[param(pattern = "^[a-z._]{1,64}$")]
    target_type: Option<String>,
    /// Only events about this object.
    #[param(min_length = 1, max_length = 128)]
    target_id: Option<String>,
    /// From this instant (RFC 3339, inclusive).
    from: Option<DateTime<Utc>>,
    /// Until this instant (RFC 3339, exclusive).
    to: Option<DateTime<Utc>>,
    /// Page size, 1–500.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

impl AuditParams {
    fn filter(&self) -> Result<AuditFilter, ApiError> {
        let filter = AuditFilter {
            actor: self.actor,
            action: self.action.clone(),
            target_type: self.target_type.clone(),
            target_id: self.target_id.clone(),
            from: self.from,
            to: self.to,
        };
        filter
            .check()
            .map_err(|field| ApiError::new(ProblemCode::InvalidQuery).field(field, "invalid"))?;
        Ok(filter)
    }
}

/// List audit events
///
/// The organisation's audit events, newest first. Events hold codes and ids, never
/// personal data.
#[utoipa::path(
    tag = "audit",
    operation_id = "list_audit_events",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), AuditParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of events, newest first", body = AuditEventPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may read the audit log (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad `limit` or `cursor` (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/audit-events")]
pub async fn list_audit_events(
    auth: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<AuditParams>,
) -> Result<web::Json<AuditEventPage>, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ReadAuditLog)
        .await?;
    let filter = params.filter()?;
    let page = PageParams {
        limit: params.limit.clone(),
        cursor: params.cursor.clone(),
    };
    let (limit, before) = page.parse::<i64>()?;
    Ok(web::Json(
        vern_db::audit::page(&state.db.conn, org, &filter, limit, before).await?,
    ))
}

/// Export audit events as CSV
///
/// The organisation's audit events as CSV (RFC 4180, UTF-8), oldest first, narrowed by the
/// same filters as the list; at most 100 000 rows. The columns include the hashes, so the
/// chain can be checked outside Vern too.
#[utoipa::path(
    tag = "audit",
    operation_id = "export_audit_events",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), AuditParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The events as CSV", body = String, content_type = "text/csv"),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role or scope that may read the audit log (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/audit-events/export.csv")]
pub async fn export_audit_events(
    auth: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<AuditParams>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ReadAuditLog)
        .await?;
    let filter = params.filter()?;
    let events = vern_db::audit::export(&state.db.conn, org, &filter, EXPORT_MAX).await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_error = |e: csv::Error| ApiError::internal(anyhow::anyhow!("csv: {e}"));
    writer.write_record(AUDIT_CSV_HEADER).map_err(csv_error)?;
    for e in events {
        writer
            .write_record([
                e.sequence.to_string(),
                e.occurred_at.to_rfc3339(),
                vern_db::audit::actor_kind_str(e.actor_kind).to_owned(),
                e.actor_id.map(|a| a.to_string()).unwrap_or_default(),
                e.action,
                e.target_type,
                e.target_id.unwrap_or_default(),
                vern_db::audit::outcome_name(e.outcome).to_owned(),
                e.request_id.unwrap_or_default(),
                e.prev_hash,
                e.hash,
            ])
            .map_err(csv_error)?;
    }
    let body = writer
        .into_inner()
        .map_err(|e| ApiError::internal(anyhow::anyhow!("csv: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"audit-{org}.csv\""),
        ))
        .body(body))
}

/// Verify the audit log
///
/// Recompute the organisation's hash chain and report the first broken link, if any.
#[utoipa::path(
    tag = "audit",
    operation_id = "verify_audit_events",
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
