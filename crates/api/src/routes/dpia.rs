//! DPIA screening of processing activities (GDPR Art. 35): the questions (WP248's nine
//! criteria and Datatilsynet's list), screening an activity — stored as history, and setting
//! the activity's DPIA status, which the record of processing shows — and the screenings so far.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::DbError;
use vern_db::reviews::IdCursor;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::dpia::{
    DpiaQuestionList, DpiaQuestionView, ScreeningAnswers, ScreeningOutcome, ScreeningPage,
    StoredScreening, questions, screen, status_after,
};
use vern_domain::problem::Problem;

use super::common::{ParamErrors, cursor, entry_event, refused};
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_questions)
        .service(create_screening)
        .service(list_screenings);
}

/// The screening's questions, in nb, nn and en.
#[utoipa::path(
    tag = "register",
    operation_id = "list_dpia_questions",
    summary = "The DPIA screening's questions",
    description = "WP248's nine criteria (two or more normally mean a DPIA) and the entries of Datatilsynet's list of processing that always needs one — some on their own (`needs_criteria: 0`), some together with at least one criterion.",
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The questions", body = DpiaQuestionList),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dpia-questions")]
pub async fn list_questions(_caller: Caller) -> HttpResponse {
    HttpResponse::Ok().json(DpiaQuestionList {
        items: questions().iter().map(DpiaQuestionView::from).collect(),
    })
}

async fn stored(
    state: &AppState,
    rows: &[vern_db::dpia::ScreeningRow],
) -> Result<Vec<StoredScreening>, ApiError> {
    let names =
        vern_db::identity::display_names(&state.db.conn, rows.iter().filter_map(|r| r.screened_by))
            .await?;
    rows.iter()
        .map(|row| {
            Ok(StoredScreening {
                id: row.id,
                activity_id: row.activity_id,
                answers: vern_db::dpia::answers_of(row)?,
                result: vern_db::dpia::result_of(row)?,
                screened_at: row.screened_at,
                screened_by: row.screened_by.and_then(|u| names.get(&u).cloned()),
            })
        })
        .collect()
}

/// Screens an activity: the answers are checked, the outcome stored with its reasons, and the
/// activity's DPIA status set (required / not required; a completed DPIA stays completed).
#[utoipa::path(
    tag = "register",
    operation_id = "screen_processing_activity",
    summary = "Screen a processing activity for a DPIA",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("activity_id" = Uuid, Path, description = "The activity"),
    ),
    request_body = ScreeningAnswers,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Screened; the outcome and the activity's DPIA status", body = ScreeningOutcome),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown criterion or list entry (`validation_failed`, `unknown_value`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/processing-activities/{activity_id}/dpia-screenings")]
pub async fn create_screening(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<ScreeningAnswers>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::EditRegister)
        .await?;
    let activity = vern_db::activities::find(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let answers = body.parse()?;
    let result = screen(&answers).map_err(refused)?;
    let status = status_after(activity.facts.dpia, &result);
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row = vern_db::dpia::record(
        &txn,
        org,
        id,
        &answers,
        &result,
        status,
        caller.user_id(),
        now,
    )
    .await?
    .ok_or_else(ApiError::not_found)?;
    vern_db::audit::append(
        &txn,
        entry_event(
            &caller,
            &req,
            org,
            "processing_activity.dpia_screened",
            "processing_activity",
            id,
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    let screening = stored(&state, std::slice::from_ref(&row))
        .await?
        .pop()
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Created().json(ScreeningOutcome {
        screening,
        dpia: status,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScreeningListParams {
    /// Page size, 1–500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// An activity's screenings, newest first.
#[utoipa::path(
    tag = "register",
    operation_id = "list_dpia_screenings",
    summary = "List a processing activity's DPIA screenings",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("activity_id" = Uuid, Path, description = "The activity"),
        ScreeningListParams,
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of screenings", body = ScreeningPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/processing-activities/{activity_id}/dpia-screenings")]
pub async fn list_screenings(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(OrganizationId, Uuid)>,
    params: web::Query<ScreeningListParams>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let mut errors = ParamErrors::default();
    let limit = errors.limit(params.limit.as_deref());
    errors.finish()?;
    let after = cursor::<IdCursor>(params.cursor.as_deref())?;
    vern_db::activities::find(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let (rows, next_cursor) = vern_db::dpia::list(&state.db.conn, id, limit, after).await?;
    Ok(HttpResponse::Ok().json(ScreeningPage {
        items: stored(&state, &rows).await?,
        next_cursor,
    }))
}
