//! An organisation's own terms beside the shared taxonomy: narrower data categories and
//! data-subject categories its processing activities may use.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::access::audit::AuditDraft;
use vern_domain::problem::{Problem, ProblemCode};
use vern_domain::register::vocabulary::{
    LocalTerm, LocalTermList, NewTerm, TermLabels, check_labels, check_new_term,
};

use super::common::{entry_event, refused};
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_own_terms)
        .service(create_own_term)
        .service(relabel_own_term)
        .service(delete_own_term);
}

/// Own terms are named in the audit log by id: their keys are made from labels people
/// type, which are not for the log.
fn event(
    caller: &Caller,
    req: &HttpRequest,
    org: OrganizationId,
    action: &'static str,
    id: uuid::Uuid,
) -> AuditDraft {
    entry_event(caller, req, org, action, "own_term", id)
}

/// List the organisation's own terms
///
/// The organisation's own terms, with the shared term each narrows.
#[utoipa::path(
    tag = "register",
    operation_id = "list_own_terms",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The terms", body = LocalTermList),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/own-terms")]
pub async fn list_own_terms(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
) -> Result<web::Json<LocalTermList>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let items = vern_db::vocabulary::terms(&state.db.conn, org).await?;
    Ok(web::Json(LocalTermList { items }))
}

/// Add an own term
///
/// Add an own term under a shared one. It takes its legal meaning from the parent: a term
/// under a special category is a special category, one under a vulnerable group is
/// vulnerable. The key (`local:<slug>`) is made from the bokmål label.
#[utoipa::path(
    tag = "register",
    operation_id = "create_own_term",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = NewTerm,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Added", body = LocalTerm),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No bokmål label, a label too long, a parent that is not a shared term of that kind, or too many terms (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/own-terms")]
pub async fn create_own_term(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<NewTerm>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::EditRegister)
        .await?;
    let input = body.parse()?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let taken: Vec<String> = vern_db::vocabulary::terms(&txn, org)
        .await?
        .into_iter()
        .map(|t| t.key)
        .collect();
    let term = check_new_term(&input, &taken).map_err(refused)?;
    let id = vern_db::vocabulary::insert(&txn, org, &term, now).await?;
    vern_db::audit::append(&txn, event(&caller, &req, org, "own_term.created", id), now).await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::Created().json(term))
}

/// Change an own term's labels
///
/// Change an own term's labels (its key and parent stay).
#[utoipa::path(
    tag = "register",
    operation_id = "relabel_own_term",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("term_key" = String, Path, description = "The term's key", example = "local:tannhelseopplysninger"),
    ),
    request_body = TermLabels,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Saved", body = LocalTerm),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such term in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No bokmål label, or a label too long (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organizations/{org_id}/own-terms/{term_key}")]
pub async fn relabel_own_term(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, String)>,
    body: Body<TermLabels>,
) -> Result<web::Json<LocalTerm>, ApiError> {
    let (org, key) = path.into_inner();
    caller
        .require_here(&state, org, Permission::EditRegister)
        .await?;
    let labels = check_labels(&body.parse()?).map_err(refused)?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let id = vern_db::vocabulary::id_of(&txn, org, &key)
        .await?
        .ok_or_else(ApiError::not_found)?;
    vern_db::vocabulary::relabel(&txn, org, &key, &labels).await?;
    vern_db::audit::append(
        &txn,
        event(&caller, &req, org, "own_term.relabelled", id),
        now,
    )
    .await?;
    let term = vern_db::vocabulary::terms(&txn, org)
        .await?
        .into_iter()
        .find(|t| t.key == key)
        .ok_or_else(ApiError::not_found)?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(web::Json(term))
}

/// Remove an own term
///
/// Remove an own term no processing activity uses.
#[utoipa::path(
    tag = "register",
    operation_id = "delete_own_term",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("term_key" = String, Path, description = "The term's key", example = "local:tannhelseopplysninger"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such term in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A processing activity still uses it (`conflict`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/organizations/{org_id}/own-terms/{term_key}")]
pub async fn delete_own_term(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, String)>,
) -> Result<HttpResponse, ApiError> {
    let (org, key) = path.into_inner();
    caller
        .require_here(&state, org, Permission::EditRegister)
        .await?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let uses = vern_db::vocabulary::uses(&txn, org, &key).await?;
    if uses > 0 {
        return Err(ApiError::new(ProblemCode::Conflict)
            .field("term_key", "in_use")
            .detail(format!(
                "{uses} processing activities use the term; take it out of them first"
            )));
    }
    let id = vern_db::vocabulary::id_of(&txn, org, &key)
        .await?
        .ok_or_else(ApiError::not_found)?;
    vern_db::vocabulary::delete(&txn, org, &key).await?;
    vern_db::audit::append(&txn, event(&caller, &req, org, "own_term.deleted", id), now).await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::NoContent().finish())
}
