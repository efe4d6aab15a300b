//! DPIA screening of processing activities (GDPR Art. 35): the questions (WP248's nine
//! criteria and Datatilsynet's list), screening an activity — stored as history, and setting
//! the activity's DPIA status, which the record of processing shows — and the screenings so far.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
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

use vern_domain::assessment::{
    Assessment, AssessmentInput, AssessmentSource, AssessmentStatus, activity_status_after,
    check_assessment,
};
use vern_domain::problem::ProblemCode;

use super::common::{ParamErrors, cursor, entry_event, if_match, refused, with_etag};
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_questions)
        .service(create_screening)
        .service(list_screenings)
        .service(get_assessment)
        .service(save_assessment);
}

/// The DPIA screening's questions
///
/// The screening's questions, in nb, nn and en.
#[utoipa::path(
    tag = "register",
    operation_id = "list_dpia_questions",
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

/// Screen a processing activity for a DPIA
///
/// Screens an activity: the answers are checked, the outcome stored with its reasons, and the
/// activity's DPIA status set (required / not required; a completed DPIA stays completed).
#[utoipa::path(
    tag = "register",
    operation_id = "screen_processing_activity",
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
        (status = 422, description = "An unknown criterion or list entry: `validation_failed`, the field error naming it `unknown_value`", body = Problem, content_type = "application/problem+json"),
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

/// List a processing activity's DPIA screenings
///
/// The DPIA screenings recorded for one processing activity, newest first: the answers to the
/// screening criteria, the outcome (DPIA required or not, and why) and who screened it when.
#[utoipa::path(
    tag = "register",
    operation_id = "list_dpia_screenings",
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

/// The DPIA as shown, with its ETag.
async fn assessment_view(
    state: &AppState,
    row: &vern_db::assessments::AssessmentRow,
) -> Result<HttpResponse, ApiError> {
    let content = vern_db::assessments::content_of(row)?;
    let names = vern_db::identity::display_names(&state.db.conn, row.updated_by).await?;
    let copied_from = match row.copied_from_template {
        Some(template_id) => Some(AssessmentSource {
            template_id,
            publisher_name: vern_db::templates::find(&state.db.conn, template_id)
                .await?
                .map(|t| t.publisher.name)
                .unwrap_or_default(),
        }),
        None => None,
    };
    let view = Assessment {
        activity_id: row.activity_id,
        inherent_risks: Assessment::inherent(&content),
        content,
        status: vern_db::assessments::status_of(row)?,
        revision: row.revision,
        updated_at: row.updated_at,
        updated_by: row.updated_by.and_then(|u| names.get(&u).cloned()),
        completed_at: row.completed_at,
        copied_from,
    };
    Ok(with_etag(HttpResponse::Ok().json(view), row.revision))
}

/// Get a processing activity's DPIA
///
/// An activity's DPIA: the structured answers (Art. 35(7)), the DPO's advice, the
/// conclusion.
#[utoipa::path(
    tag = "register",
    operation_id = "get_dpia_assessment",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("activity_id" = Uuid, Path, description = "The activity"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The DPIA", body = Assessment, headers(("ETag" = String, description = "The revision, for If-Match"))),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity in the organisation, or no DPIA started for it (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/processing-activities/{activity_id}/dpia-assessment")]
pub async fn get_assessment(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRegister)
        .await?;
    let row = vern_db::assessments::find(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    assessment_view(&state, &row).await
}

/// Save or complete a processing activity's DPIA
///
/// Saves an activity's DPIA as a draft, or completes it.
#[utoipa::path(
    tag = "register",
    operation_id = "save_dpia_assessment",
    description = "The first save starts the DPIA (no If-Match); later saves need the ETag. Completing (`complete: true`) needs every part answered, measures against every risk and a conclusion — a high remaining risk means prior consultation with Datatilsynet (Art. 36(1)) — and sets the activity's DPIA status to `completed`; saving a completed DPIA as a draft sets it back to `required`.",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("activity_id" = Uuid, Path, description = "The activity"),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag of the revision the change is based on; required once the DPIA exists"),
    ),
    request_body = AssessmentInput,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Saved", body = Assessment, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that edits the register, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else saved first (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule is broken; see `errors` (`validation_failed`): `required`, `too_long`, `contains_national_id`, `residual_high_risk`", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "The DPIA exists and no If-Match was sent (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organizations/{org_id}/processing-activities/{activity_id}/dpia-assessment")]
pub async fn save_assessment(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<AssessmentInput>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::EditRegister)
        .await?;
    let activity = vern_db::activities::find(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let existing = vern_db::assessments::find(&state.db.conn, org, id).await?;
    let expected = existing
        .as_ref()
        .map(|row| if_match(&req, row.revision))
        .transpose()?;
    let input = body.parse()?;
    let content = check_assessment(&input).map_err(refused)?;
    let status = if input.complete {
        AssessmentStatus::Completed
    } else {
        AssessmentStatus::Draft
    };
    let activity_status = activity_status_after(status, activity.facts.dpia);
    let now = Utc::now();
    let save = vern_db::assessments::Save {
        org,
        activity: id,
        content: &content,
        status,
        by: caller.user_id(),
        copied_from: existing.as_ref().and_then(|r| r.copied_from_template),
    };
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row = match expected {
        None => vern_db::assessments::insert(&txn, save, now).await?,
        Some(expected) => vern_db::assessments::update(&txn, save, expected, now)
            .await?
            .ok_or_else(|| {
                ApiError::new(ProblemCode::PreconditionFailed)
                    .detail("someone else saved the DPIA first; fetch it again and redo the change")
            })?,
    };
    if activity_status != activity.facts.dpia {
        vern_db::dpia::set_activity_status(&txn, org, id, activity_status, now).await?;
    }
    let action = if status == AssessmentStatus::Completed {
        "processing_activity.dpia_completed"
    } else {
        "processing_activity.dpia_saved"
    };
    vern_db::audit::append(
        &txn,
        entry_event(&caller, &req, org, action, "processing_activity", id),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    assessment_view(&state, &row).await
}
