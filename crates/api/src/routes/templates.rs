//! Reuse between municipalities: a municipality publishes a processing activity as a
//! template; another copies it, with the catalogue products it runs on, as a draft of its
//! own.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::register::NameCursor;
use vern_db::templates::{Publication, TemplateFilter};
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::problem::{Problem, ProblemCode};
use vern_domain::register::activity::check_activity;
use vern_domain::register::system::{SystemFacts, SystemStatus, check_system};
use vern_domain::register::template::{
    ActivityTemplate, ActivityTemplatePage, TemplateCopy, TemplateCopyRequest, TemplatePublish,
    check_copy_request, check_publish, copy_facts, coverage, split_missing, template_facts,
};

use super::common::{ParamErrors, cursor, entry_event, refused, with_etag};
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_templates)
        .service(get_template)
        .service(copy_template)
        .service(get_activity_template)
        .service(publish_activity_template)
        .service(withdraw_activity_template);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateListParams {
    /// Page size, 1–500.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Text to look for in the name; case and accents are ignored. No control characters.
    #[param(
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*$",
        example = "elev"
    )]
    q: Option<String>,
    /// Only the templates of this municipality.
    #[param(value_type = Option<OrganizationId>)]
    publisher_id: Option<String>,
    /// Only the template made from this processing activity (at most one).
    #[param(value_type = Option<Uuid>)]
    activity_id: Option<String>,
}

/// List processing-activity templates
///
/// The templates every municipality has published, in Norwegian alphabetical order. Any
/// member who reads the register may browse them; they hold no personal data.
#[utoipa::path(
    tag = "register",
    operation_id = "list_activity_templates",
    params(("org_id" = OrganizationId, Path, description = "The organisation browsing"), TemplateListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of templates", body = ActivityTemplatePage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/activity-templates")]
pub async fn list_templates(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<TemplateListParams>,
) -> Result<web::Json<ActivityTemplatePage>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let mut errors = ParamErrors::default();
    let limit = errors.limit(params.limit.as_deref());
    let filter = TemplateFilter {
        q: errors.q(params.q.as_deref()),
        publisher: errors
            .uuid("publisher_id", params.publisher_id.as_deref())
            .map(OrganizationId::from_uuid),
        activity: errors.uuid("activity_id", params.activity_id.as_deref()),
    };
    errors.finish()?;
    let after: Option<NameCursor> = cursor(params.cursor.as_deref())?;
    let (items, next_cursor) =
        vern_db::templates::list(&state.db.conn, &filter, limit, after).await?;
    Ok(web::Json(ActivityTemplatePage { items, next_cursor }))
}

/// Get a processing-activity template
///
/// One processing-activity template the organisation can see: its own, or one another
/// organisation published for reuse, with its structure and who published it. The `ETag`
/// is the template's revision.
#[utoipa::path(
    tag = "register",
    operation_id = "get_activity_template",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation browsing"),
        ("template_id" = Uuid, Path, description = "The template"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The template", body = ActivityTemplate, headers(("ETag" = String, description = "The template's revision"))),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such template, or no such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/activity-templates/{template_id}")]
pub async fn get_template(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let template = vern_db::templates::find(&state.db.conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let revision = template.revision;
    Ok(with_etag(HttpResponse::Ok().json(template), revision))
}

/// Copy a template into the register
///
/// Copy a template as a new draft processing activity of the organisation. The
/// organisation's systems built on the template's products (not retired) are linked; with
/// `add_missing_systems`, a product it has no system for is registered as a planned system
/// of `owning_unit` and linked too. Products no longer in the catalogue are only reported.
#[utoipa::path(
    tag = "register",
    operation_id = "copy_activity_template",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation copying"),
        ("template_id" = Uuid, Path, description = "The template"),
    ),
    request_body = TemplateCopyRequest,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Copied; `Location` names the new activity", body = TemplateCopy, headers(("Location" = String, description = "The new activity's URL"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such template, or no such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No owning unit for the systems to add, or the template no longer passes the record's rules (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/activity-templates/{template_id}/copies")]
pub async fn copy_template(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<TemplateCopyRequest>,
) -> Result<HttpResponse, ApiError> {
    let (org, template_id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::EditRegister)
        .await?;
    let input = check_copy_request(&body.parse()?).map_err(refused)?;
    let db = &state.db.conn;
    let template = vern_db::templates::find(db, template_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let product_ids: Vec<Uuid> = template.products.iter().map(|p| p.product_id).collect();
    let systems = vern_db::templates::systems_on_products(db, org, &product_ids).await?;
    let covered = coverage(&product_ids, &systems);
    let (to_add, missing) = split_missing(&template.products, &covered, input.add_missing_systems);
    let mut new_systems = Vec::new();
    for p in &to_add {
        let facts = SystemFacts {
            product_id: Some(p.product_id),
            name: String::new(),
            owning_unit: input.owning_unit.clone(),
            version: String::new(),
            status: SystemStatus::Planned,
            integrations: Vec::new(),
            review_date: None,
            notes: String::new(),
            owners: Vec::new(),
        };
        new_systems.push(check_system(&facts, Some(&p.name)).map_err(refused)?);
    }

    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let mut added = Vec::new();
    for facts in &new_systems {
        let system = vern_db::register::insert_system(&txn, org, facts, now).await?;
        vern_db::audit::append(
            &txn,
            entry_event(&caller, &req, org, "system.created", "system", system.id),
            now,
        )
        .await?;
        added.push(system.id);
    }
    let linked: Vec<Uuid> = covered.linked.iter().chain(&added).copied().collect();
    let facts = check_activity(&copy_facts(&template.facts, linked)).map_err(refused)?;
    // A template holds shared terms only, so the copier's own terms do not matter here.
    let activity = vern_db::activities::insert(&txn, org, &facts, &Default::default(), now).await?;
    vern_db::audit::append(
        &txn,
        entry_event(
            &caller,
            &req,
            org,
            "processing_activity.copied_from_template",
            "processing_activity",
            activity.id,
        ),
        now,
    )
    .await?;
    // A shared DPIA becomes the copy's own draft: the analysis carries over, the DPO's
    // advice and the conclusion are the copier's to give.
    if let Some(content) = &template.dpia {
        vern_db::assessments::insert(
            &txn,
            vern_db::assessments::Save {
                org,
                activity: activity.id,
                content,
                status: vern_domain::assessment::AssessmentStatus::Draft,
                by: caller.user_id(),
                copied_from: Some(template_id),
            },
            now,
        )
        .await?;
    }
    vern_db::templates::count_copy(&txn, template_id).await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    let location = format!(
        "/api/v1/organizations/{org}/processing-activities/{}",
        activity.id
    );
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, location))
        .json(TemplateCopy {
            activity_id: activity.id,
            linked_systems: covered.linked,
            added_systems: added,
            missing_products: missing,
        }))
}

/// Get an activity's published template
///
/// The template published from one of the organisation's activities.
#[utoipa::path(
    tag = "register",
    operation_id = "get_processing_activity_template",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("activity_id" = Uuid, Path, description = "The activity"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The template", body = ActivityTemplate),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity in the organisation, or it is not published as a template (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/processing-activities/{activity_id}/template")]
pub async fn get_activity_template(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<web::Json<ActivityTemplate>, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let template = vern_db::templates::find_for_activity(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(web::Json(template))
}

/// Publish an activity as a template
///
/// Publish an active processing activity as a template for other municipalities, or
/// refresh its template from the activity as it now stands. The template carries the
/// description and the catalogue products of the linked systems; not the systems, status,
/// review date, privacy-statement flag or DPIA conclusion.
#[utoipa::path(
    tag = "register",
    operation_id = "publish_processing_activity_template",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("activity_id" = Uuid, Path, description = "The activity"),
    ),
    request_body = TemplatePublish,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The template was refreshed", body = ActivityTemplate),
        (status = 201, description = "Published", body = ActivityTemplate),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Only an active activity can be a template (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The note is too long, or the DPIA to share is not completed (`validation_failed`: `too_long`, `no_completed_dpia`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organizations/{org_id}/processing-activities/{activity_id}/template")]
pub async fn publish_activity_template(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<TemplatePublish>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::EditRegister)
        .await?;
    let input = check_publish(&body.parse()?).map_err(refused)?;
    let activity = vern_db::activities::find(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    // Own terms become the shared terms they narrow: others do not know them.
    let vocabulary = vern_db::vocabulary::vocabulary(&state.db.conn, org).await?;
    let facts = template_facts(&vocabulary.generalise(&activity.facts)).map_err(|e| {
        ApiError::new(ProblemCode::Conflict)
            .field("status", e.code())
            .detail("only an active processing activity can be published as a template")
    })?;
    // The DPIA goes along only when asked for, and only a completed one: a draft is not
    // something to hand to others.
    let dpia = if input.include_dpia {
        let row = vern_db::assessments::find(&state.db.conn, org, id).await?;
        let stored = match &row {
            Some(r) => Some((
                vern_db::assessments::status_of(r)?,
                vern_db::assessments::content_of(r)?,
            )),
            None => None,
        };
        Some(
            vern_domain::assessment::shareable(stored.as_ref().map(|(s, c)| (*s, c)))
                .map_err(|e| refused(vec![e]))?,
        )
    } else {
        None
    };
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let products =
        vern_db::templates::products_of_systems(&txn, org, &activity.facts.system_ids).await?;
    let (template, created) = vern_db::templates::publish(
        &txn,
        org,
        Publication {
            activity_id: id,
            activity_revision: activity.revision,
            note: &input.note,
            facts: &facts,
            products: &products,
            dpia: dpia.as_ref(),
        },
        now,
    )
    .await?;
    let action = if created {
        "activity_template.published"
    } else {
        "activity_template.updated"
    };
    vern_db::audit::append(
        &txn,
        entry_event(&caller, &req, org, action, "activity_template", template.id),
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(if created {
        HttpResponse::Created().json(template)
    } else {
        HttpResponse::Ok().json(template)
    })
}

/// Withdraw an activity's template
///
/// Withdraw an activity's template: other municipalities no longer see it. Copies already
/// made are theirs and stay.
#[utoipa::path(
    tag = "register",
    operation_id = "withdraw_processing_activity_template",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("activity_id" = Uuid, Path, description = "The activity"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity in the organisation, or it is not published as a template (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/organizations/{org_id}/processing-activities/{activity_id}/template")]
pub async fn withdraw_activity_template(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::EditRegister)
        .await?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let template = vern_db::templates::withdraw(&txn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    vern_db::audit::append(
        &txn,
        entry_event(
            &caller,
            &req,
            org,
            "activity_template.withdrawn",
            "activity_template",
            template,
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::NoContent().finish())
}
