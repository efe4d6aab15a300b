//! An organisation's own agreement templates: written in the template language of the
//! built-in ones, checked before they are stored (they must compile, read only known merge
//! fields and render a sample agreement), and versioned. Draft with `template: "own:<id>"`.
//! Only the owning organisation sees or uses them.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::DbError;
use vern_db::agreement_templates::TemplateRow;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::agreements::document::merge_fields;
use vern_domain::agreements::own_templates::{
    OwnTemplate, OwnTemplateInput, OwnTemplatePage, OwnTemplateSummary, OwnTemplateVersion,
    TemplateRefusal, check_own_template, own_key,
};
use vern_domain::agreements::terms::AgreementLanguage;
use vern_domain::problem::{Problem, ProblemCode};

use super::common::{ParamErrors, cursor, entry_event, if_match, refused, with_etag};
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_own_templates)
        .service(create_own_template)
        .service(get_own_template)
        .service(update_own_template);
}

fn refusal(r: TemplateRefusal) -> ApiError {
    let err = refused(r.errors);
    match r.detail {
        Some(detail) => err.detail(detail),
        None => err,
    }
}

fn language_of(row: &TemplateRow) -> Result<AgreementLanguage, ApiError> {
    AgreementLanguage::parse(&row.language)
        .ok_or_else(|| DbError::InvalidRow("agreement_templates.language").into())
}

async fn view(state: &AppState, row: &TemplateRow) -> Result<OwnTemplate, ApiError> {
    let versions = vern_db::agreement_templates::versions(&state.db.conn, row.id).await?;
    let source = versions
        .iter()
        .find(|v| v.number == row.current_version)
        .map(|v| v.source.clone())
        .ok_or(DbError::InvalidRow("agreement_templates.current_version"))?;
    Ok(OwnTemplate {
        id: row.id,
        organization_id: OrganizationId::from_uuid(row.organization_id),
        key: own_key(row.id),
        name: row.name.clone(),
        language: language_of(row)?,
        current_version: row.current_version,
        merge_fields: merge_fields(&source).unwrap_or_default(),
        source,
        versions: versions
            .iter()
            .map(|v| OwnTemplateVersion {
                number: v.number,
                change_note: v.change_note.clone(),
                created_at: v.created_at,
            })
            .collect(),
        revision: row.revision,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// The template, if the caller's organisation owns it and the caller holds `permission`
/// there; 404 for everyone else.
async fn load(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    permission: Permission,
) -> Result<(TemplateRow, OrganizationId), ApiError> {
    let row = vern_db::agreement_templates::find(&state.db.conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if !caller.is_member(row.organization_id) {
        return Err(ApiError::not_found());
    }
    let org = OrganizationId::from_uuid(row.organization_id);
    caller.require_here(state, org, permission).await?;
    Ok((row, org))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OwnTemplateListParams {
    /// Page size, 1–500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// List the organisation's own agreement templates
///
/// The organisation's own agreement templates, newest first.
#[utoipa::path(
    tag = "agreements",
    operation_id = "list_own_agreement_templates",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), OwnTemplateListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of templates", body = OwnTemplatePage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads agreements, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/agreement-templates")]
pub async fn list_own_templates(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<OwnTemplateListParams>,
) -> Result<web::Json<OwnTemplatePage>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadAgreements)
        .await?;
    let mut errors = ParamErrors::default();
    let limit = errors.limit(params.limit.as_deref());
    errors.finish()?;
    let after = cursor(params.cursor.as_deref())?;
    let (rows, next_cursor) =
        vern_db::agreement_templates::list(&state.db.conn, org, limit, after).await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(OwnTemplateSummary {
                id: r.id,
                key: own_key(r.id),
                name: r.name.clone(),
                language: language_of(r)?,
                current_version: r.current_version,
                updated_at: r.updated_at,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(web::Json(OwnTemplatePage { items, next_cursor }))
}

/// Add an own agreement template
///
/// Add a template of the organisation's own (version 1). It is checked first: it must
/// compile, read only the merge fields of the built-in templates, and render a sample
/// agreement; the problem's `detail` names the line and cause otherwise.
#[utoipa::path(
    tag = "agreements",
    operation_id = "create_own_agreement_template",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = OwnTemplateInput,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Added (version 1)", body = OwnTemplate, headers(("Location" = String, description = "The template's URL"), ("ETag" = String, description = "The template's revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that drafts agreements, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No name, or the source does not compile, reads an unknown field or does not render (`validation_failed`: `syntax_error`, `unknown_field`, `render_error`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/agreement-templates")]
pub async fn create_own_template(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<OwnTemplateInput>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::DraftAgreements)
        .await?;
    let (input, _) = check_own_template(&body.parse()?).map_err(refusal)?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row =
        vern_db::agreement_templates::create(&txn, org, &input, caller.user_id(), now).await?;
    vern_db::audit::append(
        &txn,
        entry_event(
            &caller,
            &req,
            org,
            "agreement_template.created",
            "agreement_template",
            row.id,
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    let template = view(&state, &row).await?;
    Ok(with_etag(
        HttpResponse::Created()
            .insert_header((
                "Location",
                format!("/api/v1/agreement-templates/{}", row.id),
            ))
            .json(template),
        row.revision,
    ))
}

/// Get an own agreement template
///
/// An own template: the source in force, the merge fields it reads, and its versions.
#[utoipa::path(
    tag = "agreements",
    operation_id = "get_own_agreement_template",
    params(("template_id" = Uuid, Path, description = "The template")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The template", body = OwnTemplate, headers(("ETag" = String, description = "The template's revision"))),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads agreements, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such template among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/agreement-templates/{template_id}")]
pub async fn get_own_template(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (row, _) = load(&state, &caller, id.into_inner(), Permission::ReadAgreements).await?;
    let template = view(&state, &row).await?;
    Ok(with_etag(HttpResponse::Ok().json(template), row.revision))
}

/// Change an own agreement template (a new version)
///
/// Change an own template: a new version, checked like a new template. Agreements already
/// drafted keep their text; drafting and new agreement versions use the new one.
#[utoipa::path(
    tag = "agreements",
    operation_id = "update_own_agreement_template",
    params(("template_id" = Uuid, Path, description = "The template"), ("If-Match" = String, Header, description = "The ETag the change is based on")),
    request_body = OwnTemplateInput,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Changed (or unchanged when nothing differs)", body = OwnTemplate, headers(("ETag" = String, description = "The template's revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that drafts agreements, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such template among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed it first (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "As when adding one (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/agreement-templates/{template_id}")]
pub async fn update_own_template(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Body<OwnTemplateInput>,
) -> Result<HttpResponse, ApiError> {
    let (row, org) = load(
        &state,
        &caller,
        id.into_inner(),
        Permission::DraftAgreements,
    )
    .await?;
    if_match(&req, row.revision)?;
    let (input, _) = check_own_template(&body.parse()?).map_err(refusal)?;
    let current = vern_db::agreement_templates::current(&state.db.conn, &row).await?;
    if current.source == input.source
        && row.name == input.name
        && row.language == input.language.as_str()
    {
        let template = view(&state, &row).await?;
        return Ok(with_etag(HttpResponse::Ok().json(template), row.revision));
    }
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if !vern_db::agreement_templates::new_version(&txn, &row, &input, caller.user_id(), now).await?
    {
        return Err(ApiError::new(ProblemCode::PreconditionFailed));
    }
    vern_db::audit::append(
        &txn,
        entry_event(
            &caller,
            &req,
            org,
            "agreement_template.changed",
            "agreement_template",
            row.id,
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    let row = vern_db::agreement_templates::find(&state.db.conn, row.id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let template = view(&state, &row).await?;
    Ok(with_etag(HttpResponse::Ok().json(template), row.revision))
}
