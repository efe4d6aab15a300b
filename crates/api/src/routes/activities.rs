//! Processing activities: the municipality's record of processing (Art. 30(1)), one entry
//! per activity, linked to the systems it uses.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::activities::ActivityFilter;
use vern_db::register::NameCursor;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::problem::{Problem, ProblemCode};
use vern_domain::register::activity::{
    Activity, ActivityFacts, ActivityPage, ActivityStatus, DpiaStatus, check_activity_in,
    check_activity_update,
};
use vern_domain::register::vocabulary::Vocabulary;

use super::common::{
    ParamErrors, cursor, entry_event, foreign_links, if_match, refused, with_etag,
};
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_activities)
        .service(create_activity)
        .service(get_activity)
        .service(update_activity)
        .service(delete_activity);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityListParams {
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
    /// Only activities with this status.
    #[param(value_type = Option<ActivityStatus>)]
    status: Option<String>,
    /// Only activities that use this system.
    #[param(value_type = Option<Uuid>)]
    system_id: Option<String>,
    /// `true`: only activities with special categories (Art. 9) or criminal-offence data
    /// (Art. 10); `false`: only those without.
    #[param(value_type = Option<bool>)]
    special: Option<String>,
    /// Only those in (`true`) or out of (`false`) the public privacy statement.
    #[param(value_type = Option<bool>)]
    published: Option<String>,
    /// Only activities whose DPIA stands so.
    #[param(value_type = Option<DpiaStatus>)]
    dpia: Option<String>,
    /// `overdue`: only entries whose review date has passed.
    #[param(pattern = "^overdue$")]
    review: Option<String>,
}

impl ActivityListParams {
    fn parse(
        &self,
    ) -> Result<
        (
            ActivityFilter,
            vern_domain::pagination::Limit,
            Option<NameCursor>,
        ),
        ApiError,
    > {
        let mut errors = ParamErrors::default();
        let limit = errors.limit(self.limit.as_deref());
        let q = errors.q(self.q.as_deref());
        let status = errors.choice("status", self.status.as_deref(), ActivityStatus::parse);
        let system = errors.uuid("system_id", self.system_id.as_deref());
        let dpia = errors.choice("dpia", self.dpia.as_deref(), DpiaStatus::parse);
        let special = errors.flag("special", self.special.as_deref());
        let published = errors.flag("published", self.published.as_deref());
        let review_before = errors.overdue(self.review.as_deref());
        errors.finish()?;
        Ok((
            ActivityFilter {
                q,
                status,
                system,
                special,
                published,
                dpia,
                review_before,
            },
            limit,
            cursor(self.cursor.as_deref())?,
        ))
    }
}

/// Checks the facts in the organisation's vocabulary, and that every linked system is one
/// of the organisation's own.
async fn checked(
    state: &AppState,
    org: OrganizationId,
    input: &ActivityFacts,
) -> Result<(ActivityFacts, Vocabulary), ApiError> {
    let vocabulary = vern_db::vocabulary::vocabulary(&state.db.conn, org).await?;
    let facts = check_activity_in(input, &vocabulary).map_err(refused)?;
    let foreign =
        vern_db::activities::foreign_systems(&state.db.conn, org, &facts.system_ids).await?;
    let errors = foreign_links(
        "system_ids",
        &facts.system_ids,
        &foreign,
        "not_a_system_here",
    );
    if !errors.is_empty() {
        return Err(refused(errors));
    }
    Ok((facts, vocabulary))
}

/// List processing activities
///
/// The organisation's processing activities in Norwegian alphabetical order.
#[utoipa::path(
    tag = "register",
    operation_id = "list_processing_activities",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), ActivityListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of activities", body = ActivityPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/processing-activities")]
pub async fn list_activities(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<ActivityListParams>,
) -> Result<web::Json<ActivityPage>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let (filter, limit, after) = params.parse()?;
    let (items, next_cursor) =
        vern_db::activities::list(&state.db.conn, org, &filter, limit, after).await?;
    Ok(web::Json(ActivityPage { items, next_cursor }))
}

/// Create a processing activity
///
/// Describe a processing activity. The record's rules apply: legal bases (c) and (e) name
/// their statute, a special category has its Art. 9(2) condition, criminal-offence data a
/// legal reference, legitimate interests are refused for a public task, the national
/// identity number needs a justification, and linked systems must be the organisation's.
#[utoipa::path(
    tag = "register",
    operation_id = "create_processing_activity",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = ActivityFacts,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = Activity, headers(("ETag" = String, description = "The revision"), ("Location" = String, description = "The activity's URL"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule is broken; see `errors` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/processing-activities")]
pub async fn create_activity(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<ActivityFacts>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::EditRegister)
        .await?;
    let input = body.parse()?;
    let (facts, vocabulary) = checked(&state, org, &input).await?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let activity = vern_db::activities::insert(&txn, org, &facts, &vocabulary, now).await?;
    vern_db::audit::append(
        &txn,
        event(
            &caller,
            &req,
            org,
            "processing_activity.created",
            activity.id,
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    let location = format!(
        "/api/v1/organizations/{org}/processing-activities/{}",
        activity.id
    );
    let revision = activity.revision;
    Ok(with_etag(
        HttpResponse::Created()
            .insert_header((actix_web::http::header::LOCATION, location))
            .json(activity),
        revision,
    ))
}

/// Get a processing activity
///
/// One processing activity with all its Art. 30 facts, its status, DPIA status and the
/// systems it uses. The `ETag` is the activity's revision; send it as `If-Match` to change it.
#[utoipa::path(
    tag = "register",
    operation_id = "get_processing_activity",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("activity_id" = Uuid, Path, description = "The activity"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The activity", body = Activity, headers(("ETag" = String, description = "The revision, for If-Match"))),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/processing-activities/{activity_id}")]
pub async fn get_activity(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let activity = vern_db::activities::find(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let revision = activity.revision;
    Ok(with_etag(HttpResponse::Ok().json(activity), revision))
}

/// Update a processing activity
///
/// Replace an activity's facts, with `If-Match`. The status follows the life cycle (draft →
/// active → discontinued; discontinued is final).
#[utoipa::path(
    tag = "register",
    operation_id = "update_processing_activity",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("activity_id" = Uuid, Path, description = "The activity"),
        ("If-Match" = String, Header, description = "The ETag of the revision the change is based on"),
    ),
    request_body = ActivityFacts,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Saved", body = Activity, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The status cannot change that way (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else saved first (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule is broken; see `errors` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No If-Match (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organizations/{org_id}/processing-activities/{activity_id}")]
pub async fn update_activity(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<ActivityFacts>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::EditRegister)
        .await?;
    let current = vern_db::activities::find(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let expected = if_match(&req, current.revision)?;
    let input = body.parse()?;
    if let Err(e) = check_activity_update(&current.facts, &input) {
        return Err(ApiError::new(ProblemCode::Conflict)
            .field(&e.field, &e.code)
            .detail("that change is not allowed from the activity's current state"));
    }
    let (facts, vocabulary) = checked(&state, org, &input).await?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let updated = vern_db::activities::update(&txn, org, id, expected, &facts, &vocabulary, now)
        .await?
        .ok_or_else(|| {
            ApiError::new(ProblemCode::PreconditionFailed)
                .detail("someone else changed it first; fetch it again and redo the change")
        })?;
    vern_db::audit::append(
        &txn,
        event(&caller, &req, org, "processing_activity.updated", id),
        now,
    )
    .await?;
    // A discontinued activity is history, not a model for others: its template goes.
    if facts.status == ActivityStatus::Discontinued
        && let Some(template) = vern_db::templates::withdraw(&txn, org, id).await?
    {
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
    }
    txn.commit().await.map_err(vern_db::DbError::from)?;
    let revision = updated.revision;
    Ok(with_etag(HttpResponse::Ok().json(updated), revision))
}

/// Delete a draft processing activity
///
/// Remove a draft. (An activity that was in the record is discontinued instead, so that the
/// record keeps it.)
#[utoipa::path(
    tag = "register",
    operation_id = "delete_processing_activity",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("activity_id" = Uuid, Path, description = "The activity"),
        ("If-Match" = String, Header, description = "The ETag of the revision to delete"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Only a draft can be deleted; discontinue an active one (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else saved first (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No If-Match (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/organizations/{org_id}/processing-activities/{activity_id}")]
pub async fn delete_activity(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::EditRegister)
        .await?;
    let current = vern_db::activities::find(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if_match(&req, current.revision)?;
    if current.facts.status != ActivityStatus::Draft {
        return Err(ApiError::new(ProblemCode::Conflict)
            .detail("only a draft can be deleted; discontinue it instead"));
    }
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if !vern_db::activities::delete(&txn, org, id).await? {
        return Err(ApiError::not_found());
    }
    vern_db::reviews::delete_for_subject(&txn, id).await?;
    vern_db::audit::append(
        &txn,
        event(&caller, &req, org, "processing_activity.deleted", id),
        now,
    )
    .await?;
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
    entry_event(caller, req, org, action, "processing_activity", id)
}
