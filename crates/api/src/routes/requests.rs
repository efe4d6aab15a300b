//! Data-subject requests, staff side: register a request received by letter, phone, e-mail
//! or at the counter; follow the organisation's cases by deadline; take each case through its
//! steps (identity clarification with the clock recorded as paused, extension with reasons,
//! answer or refusal on a legal ground, withdrawal); assign it; keep internal notes.
//!
//! Two layers of access. `ReadRequestOverview` (the DPO, caseworkers) sees kind, status,
//! deadline and assignee — no personal data. `HandleRequests` (caseworkers only) also sees
//! who asked and what they wrote, and changes cases. The org_admin, auditor and platform
//! operator hold neither. Contents, notes and replies are sealed with the content key before
//! they reach the database.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::{Duration, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::DbError;
use vern_db::requests::{CaseChange, DueCursor, NewRequestRow, RequestFilter, RequestRow};
use vern_db::reviews::IdCursor;
use vern_domain::OrganizationId;
use vern_domain::access::{Permission, Role};
use vern_domain::calendar::oslo_date;
use vern_domain::pagination::Limit;
use vern_domain::problem::{Problem, ProblemCode};
use vern_domain::requests::view::{
    Assignment, CaseEvent, CaseEventKind, CaseEventPage, CaseMember, CaseStep, Extension, NewNote,
    NewRequest, RequestCase, RequestContents, RequestOverview, RequestPage, RequestSettings,
    RequestSummary, StatusFilter, check_new_request, check_request_settings, check_written,
    needs_explanation, tally_open,
};
use vern_domain::requests::{
    CaseAction, CaseError, CaseFile, CaseStatus, DeadlineUrgency, RequestKind,
};

use super::common::{ParamErrors, cursor, entry_event, if_match, refused, with_etag};
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_requests)
        .service(register_request)
        .service(request_overview)
        .service(list_caseworkers)
        .service(get_request)
        .service(step_request)
        .service(extend_request)
        .service(assign_request)
        .service(add_note)
        .service(list_events)
        .service(get_request_settings)
        .service(put_request_settings);
}

/// The request, if the caller's organisation holds it and the caller holds `permission`
/// there; 404 for everyone else.
pub(super) async fn load(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    permission: Permission,
) -> Result<RequestRow, ApiError> {
    let row = vern_db::requests::find(&state.db.conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if !caller.is_member(row.organization_id) {
        return Err(ApiError::not_found());
    }
    caller
        .require_here(
            state,
            OrganizationId::from_uuid(row.organization_id),
            permission,
        )
        .await?;
    Ok(row)
}

pub(super) fn handles(caller: &Caller, row: &RequestRow) -> bool {
    caller
        .require(
            OrganizationId::from_uuid(row.organization_id),
            Permission::HandleRequests,
        )
        .is_ok()
}

pub(super) fn case_file(row: &RequestRow) -> Result<CaseFile, ApiError> {
    Ok(CaseFile {
        kind: vern_db::requests::kind_of(row)?,
        status: vern_db::requests::status_of(row)?,
        clock: vern_db::requests::clock_of(row)?,
    })
}

fn summary(
    row: &RequestRow,
    names: &std::collections::HashMap<Uuid, String>,
) -> Result<RequestSummary, ApiError> {
    let case = case_file(row)?;
    let today = oslo_date(Utc::now());
    Ok(RequestSummary {
        id: row.id,
        reference: format!("{}/{}", row.year, row.sequence),
        kind: case.kind,
        channel: vern_db::requests::channel_of(row)?,
        status: case.status,
        received_on: row.received_on,
        deadline: case.status.is_open().then(|| case.clock.state(today)),
        extension_months: case.clock.extension_months,
        assignee: row.assignee_id.map(|id| CaseMember {
            id,
            name: names.get(&id).cloned().unwrap_or_default(),
        }),
        closed_at: row.closed_at,
    })
}

async fn case_view(
    state: &AppState,
    caller: &Caller,
    row: &RequestRow,
) -> Result<RequestCase, ApiError> {
    let names = vern_db::identity::display_names(&state.db.conn, row.assignee_id).await?;
    let case = case_file(row)?;
    let handles = handles(caller, row);
    let contents = match (&row.contents, handles) {
        (Some(sealed), true) => Some(
            serde_json::from_str::<RequestContents>(&state.open_content(sealed)?)
                .map_err(|_| ApiError::internal(DbError::InvalidRow("requests.contents")))?,
        ),
        _ => None,
    };
    Ok(RequestCase {
        summary: summary(row, &names)?,
        organization_id: row.organization_id,
        pause_stops_clock: case.clock.pause_stops_clock,
        pauses: case.clock.pauses.clone(),
        refusal_ground: vern_db::requests::refusal_of(row)?,
        allowed_actions: if handles {
            case.allowed_actions(oslo_date(Utc::now()))
                .into_iter()
                .map(str::to_owned)
                .collect()
        } else {
            Vec::new()
        },
        contents,
        revision: row.revision,
    })
}

async fn respond(state: &AppState, caller: &Caller, id: Uuid) -> Result<HttpResponse, ApiError> {
    let row = vern_db::requests::find(&state.db.conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let view = case_view(state, caller, &row).await?;
    Ok(with_etag(HttpResponse::Ok().json(view), row.revision))
}

fn case_refused(e: CaseError) -> ApiError {
    match e {
        CaseError::NotAllowed { .. } | CaseError::Closed => {
            ApiError::new(ProblemCode::InvalidTransition).detail(e.to_string())
        }
        CaseError::GroundNotApplicable => ApiError::validation("ground", e.code()),
        CaseError::Extension(x) => {
            let field = match x {
                vern_domain::requests::ExtensionError::TooLong => "months",
                vern_domain::requests::ExtensionError::TooLate => "months",
                vern_domain::requests::ExtensionError::ReasonsMissing => "reasons",
            };
            ApiError::validation(field, x.code()).detail(x.to_string())
        }
    }
}

/// Writes a step into the case's history and the audit log (ids and the action only).
#[allow(clippy::too_many_arguments)]
async fn record(
    txn: &vern_db::DatabaseTransaction,
    caller: &Caller,
    req: &HttpRequest,
    row: &RequestRow,
    kind: CaseEventKind,
    detail: Option<String>,
    sealed_text: Option<String>,
    now: chrono::DateTime<Utc>,
) -> Result<Uuid, ApiError> {
    let id = vern_db::requests::add_event(
        txn,
        row.id,
        kind.as_str(),
        caller.user_id(),
        detail,
        sealed_text,
        now,
    )
    .await?;
    let org = OrganizationId::from_uuid(row.organization_id);
    vern_db::audit::append(
        txn,
        entry_event(caller, req, org, kind.audit_action(), "request", row.id),
        now,
    )
    .await?;
    Ok(id)
}

/// Stores a case's new status and clock with its history and audit events in one
/// transaction (412 when someone else changed it first) and answers the updated case.
#[allow(clippy::too_many_arguments)]
async fn save_case(
    state: &AppState,
    caller: &Caller,
    req: &HttpRequest,
    row: &RequestRow,
    case: &CaseFile,
    refusal_ground: Option<vern_domain::requests::RefusalGround>,
    event: (CaseEventKind, Option<String>, Option<String>),
    now: chrono::DateTime<Utc>,
) -> Result<HttpResponse, ApiError> {
    let (kind, detail, text) = event;
    let sealed = text.map(|t| state.seal_content(&t)).transpose()?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    store_case(&txn, row, case, refusal_ground, now).await?;
    record(&txn, caller, req, row, kind, detail, sealed, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    respond(state, caller, row.id).await
}

/// Stores a case's new status and clock in the caller's transaction (412 when someone else
/// changed it first). Closing opens the resident's window to read the outcome, as long as
/// the municipality's policy says, and cancels what is still asked of the systems.
pub(super) async fn store_case(
    txn: &vern_db::DatabaseTransaction,
    row: &RequestRow,
    case: &CaseFile,
    refusal_ground: Option<vern_domain::requests::RefusalGround>,
    now: chrono::DateTime<Utc>,
) -> Result<(), ApiError> {
    let closing = !case.status.is_open();
    let answer_until = if closing {
        let policy =
            vern_db::requests::policy(txn, OrganizationId::from_uuid(row.organization_id)).await?;
        Some(vern_domain::requests::resident::window_until(
            now,
            policy.answer_window_days,
        ))
    } else {
        None
    };
    let change = CaseChange {
        answer_until,
        status: case.status,
        clock: &case.clock,
        due_on: case.clock.due(oslo_date(now)),
        refusal_ground,
        closed_at: closing.then_some(now),
    };
    if !vern_db::requests::change(txn, row, change, now).await? {
        return Err(stale());
    }
    if closing {
        vern_db::tasks::cancel_open(txn, row.id, now).await?;
    }
    Ok(())
}

pub(super) fn stale() -> ApiError {
    ApiError::new(ProblemCode::PreconditionFailed)
        .detail("someone else changed the case first; fetch it again and redo the change")
}

/// Free text someone wrote on the case, checked by the domain's rule.
fn written(field: &str, text: Option<&str>) -> Result<String, ApiError> {
    check_written(field, text).map_err(|e| refused(vec![e]))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestListParams {
    /// Page size, 1–500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// `open` (the default), `closed`, `all`, or one status (`received`,
    /// `identity_clarification`, `in_progress`, `answered`, `refused`, `withdrawn`).
    status: Option<String>,
    /// Only requests of this kind.
    #[param(value_type = Option<RequestKind>)]
    kind: Option<String>,
    /// `me`, `none` (unassigned) or a user id.
    assignee: Option<String>,
    /// `true`: only open requests past their deadline (paused ones excluded).
    #[param(value_type = Option<bool>)]
    overdue: Option<String>,
}

/// List the organisation's requests by deadline
///
/// The organisation's requests, soonest deadline first: reference, kind, status, deadline
/// and assignee — never who asked.
#[utoipa::path(
    tag = "requests",
    operation_id = "list_requests",
    params(("org_id" = OrganizationId, Path, description = "The municipality"), RequestListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of requests", body = RequestPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that oversees requests (caseworker, DPO), or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/requests")]
pub async fn list_requests(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<RequestListParams>,
) -> Result<web::Json<RequestPage>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRequestOverview)
        .await?;
    let mut errors = ParamErrors::default();
    let limit: Limit = errors.limit(params.limit.as_deref());
    let status = match params.status.as_deref() {
        None | Some("open") => Some(StatusFilter::Open),
        Some("all") => None,
        Some(raw) => errors.choice("status", Some(raw), StatusFilter::parse),
    };
    let kind = errors.choice("kind", params.kind.as_deref(), RequestKind::parse);
    let overdue = errors.flag("overdue", params.overdue.as_deref());
    let mut filter = RequestFilter {
        statuses: CaseStatus::ALL
            .into_iter()
            .filter(|s| status.is_none_or(|f| f.matches(*s)))
            .collect(),
        kind,
        ..RequestFilter::default()
    };
    match params.assignee.as_deref() {
        None | Some("") => {}
        Some("me") => match caller.user_id() {
            Some(me) => filter.assignee = Some(me),
            None => errors.add("assignee", "no_user"),
        },
        Some("none") => filter.unassigned = true,
        Some(raw) => filter.assignee = errors.uuid("assignee", Some(raw)),
    }
    errors.finish()?;
    let today = oslo_date(Utc::now());
    if overdue == Some(true) {
        // By the stored day first; a case whose clock stands still is then left out by its
        // computed state (its stored day is that of the last change).
        filter.statuses.retain(|s| s.is_open());
        filter.due_before = Some(today);
    }
    let after: Option<DueCursor> = cursor(params.cursor.as_deref())?;
    let (rows, next_cursor) =
        vern_db::requests::list(&state.db.conn, org, &filter, limit, after).await?;
    let names =
        vern_db::identity::display_names(&state.db.conn, rows.iter().filter_map(|r| r.assignee_id))
            .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        let item = summary(row, &names)?;
        if overdue == Some(true)
            && item
                .deadline
                .is_none_or(|d| d.urgency != DeadlineUrgency::Overdue)
        {
            continue;
        }
        items.push(item);
    }
    Ok(web::Json(RequestPage { items, next_cursor }))
}

/// Register a request received outside the portal
///
/// Register a request the municipality received by letter, phone, e-mail or at the counter,
/// on the resident's behalf. The deadline counts from the day it was received. Who asked and
/// what they wrote are stored encrypted.
#[utoipa::path(
    tag = "requests",
    operation_id = "register_request",
    params(("org_id" = OrganizationId, Path, description = "The municipality")),
    request_body = NewRequest,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Registered, with its case number and deadline", body = RequestCase, headers(("Location" = String, description = "The request's URL"), ("ETag" = String, description = "The case's revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a caseworker, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not valid: the channel is the portal's, the day is in the future or more than 90 days ago, the name or description is missing, the national id's date or check digits are wrong, no way to reach the resident (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/requests")]
pub async fn register_request(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<NewRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::HandleRequests)
        .await?;
    let now = Utc::now();
    let today = oslo_date(now);
    let input = check_new_request(&body.parse()?, today).map_err(refused)?;
    let policy = vern_db::requests::policy(&state.db.conn, org).await?;
    let case = CaseFile::new(input.kind, input.received_on, policy.pause_stops_clock);
    let contents = serde_json::to_string(&input.contents).map_err(ApiError::internal)?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row = vern_db::requests::insert(
        &txn,
        NewRequestRow {
            organization: org,
            kind: input.kind,
            channel: input.channel,
            received_at: now,
            due_on: case.clock.due(today),
            clock: case.clock,
            requester_key: input.national_id.as_ref().map(|id| state.requester_key(id)),
            contents: state.seal_content(&contents)?,
            registered_by: caller.user_id(),
        },
        now,
    )
    .await?;
    record(
        &txn,
        &caller,
        &req,
        &row,
        CaseEventKind::Registered,
        Some(input.channel.as_str().to_owned()),
        None,
        now,
    )
    .await?;
    let webhooks =
        crate::webhooks::request_received(&txn, row.organization_id, row.id, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    state.webhooks.spawn(webhooks);
    let view = case_view(&state, &caller, &row).await?;
    Ok(with_etag(
        HttpResponse::Created()
            .insert_header(("Location", format!("/api/v1/requests/{}", row.id)))
            .json(view),
        row.revision,
    ))
}

/// Get a request
///
/// One request: its clock with every pause, the steps the caller may take, and — for
/// caseworkers — who asked and what they wrote.
#[utoipa::path(
    tag = "requests",
    operation_id = "get_request",
    params(("request_id" = Uuid, Path, description = "The request")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The request (`contents` only for caseworkers)", body = RequestCase, headers(("ETag" = String, description = "The case's revision"))),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that oversees requests, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/requests/{request_id}")]
pub async fn get_request(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let row = load(
        &state,
        &caller,
        id.into_inner(),
        Permission::ReadRequestOverview,
    )
    .await?;
    let view = case_view(&state, &caller, &row).await?;
    Ok(with_etag(HttpResponse::Ok().json(view), row.revision))
}

/// Move a request to its next status
///
/// Take a step in the case: `start`, `clarify_identity` (the clock is recorded as paused, and
/// stops if the organisation's policy says so), `identity_confirmed`, `answer` (with the
/// reply), `refuse` (with a legal ground that fits the kind, and the reasons), `withdraw`.
#[utoipa::path(
    tag = "requests",
    operation_id = "step_request",
    params(("request_id" = Uuid, Path, description = "The request"), ("If-Match" = String, Header, description = "The ETag the step is based on")),
    request_body = vern_domain::requests::view::CaseStepSchema,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Done", body = RequestCase, headers(("ETag" = String, description = "The case's revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a caseworker, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The step is not allowed from the case's status (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed the case first (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The ground does not apply to this kind of request, or the reply or reasons are missing (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/requests/{request_id}/transitions")]
pub async fn step_request(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Body<CaseStep>,
) -> Result<HttpResponse, ApiError> {
    let row = load(&state, &caller, id.into_inner(), Permission::HandleRequests).await?;
    if_match(&req, row.revision)?;
    let step = body.parse()?;
    let now = Utc::now();
    let today = oslo_date(now);
    let mut case = case_file(&row)?;
    case.apply(step.action, today).map_err(case_refused)?;
    let explanation = if needs_explanation(step.action) {
        Some(written("explanation", step.explanation.as_deref())?)
    } else {
        match step.explanation.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(_) => Some(written("explanation", step.explanation.as_deref())?),
        }
    };
    let ground = match step.action {
        CaseAction::Refuse { ground } => Some(ground),
        _ => None,
    };
    save_case(
        &state,
        &caller,
        &req,
        &row,
        &case,
        ground,
        (
            CaseEventKind::of_action(step.action),
            ground.map(|g| g.as_str().to_owned()),
            explanation,
        ),
        now,
    )
    .await
}

/// Extend a request's deadline
///
/// Extend the deadline by one or two months (three in all at most), with reasons the
/// resident is told — only while the first month runs.
#[utoipa::path(
    tag = "requests",
    operation_id = "extend_request",
    params(("request_id" = Uuid, Path, description = "The request"), ("If-Match" = String, Header, description = "The ETag the extension is based on")),
    request_body = Extension,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Extended", body = RequestCase, headers(("ETag" = String, description = "The case's revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a caseworker, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed the case first (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "More than three months in all, the first month has ended, or the reasons are missing (`validation_failed` with `extension_too_long`, `extension_too_late`, `extension_reasons_missing`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/requests/{request_id}/extend")]
pub async fn extend_request(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Body<Extension>,
) -> Result<HttpResponse, ApiError> {
    let row = load(&state, &caller, id.into_inner(), Permission::HandleRequests).await?;
    if_match(&req, row.revision)?;
    let input = body.parse()?;
    let reasons = written("reasons", Some(&input.reasons))?;
    let now = Utc::now();
    let today = oslo_date(now);
    let mut case = case_file(&row)?;
    case.extend(input.months, &reasons, today)
        .map_err(case_refused)?;
    save_case(
        &state,
        &caller,
        &req,
        &row,
        &case,
        None,
        (
            CaseEventKind::Extended,
            Some(input.months.to_string()),
            Some(reasons),
        ),
        now,
    )
    .await
}

/// Assign a request
///
/// Assign the case to a caseworker of the organisation, or leave it unassigned.
#[utoipa::path(
    tag = "requests",
    operation_id = "assign_request",
    params(("request_id" = Uuid, Path, description = "The request"), ("If-Match" = String, Header, description = "The ETag the change is based on")),
    request_body = Assignment,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Assigned", body = RequestCase, headers(("ETag" = String, description = "The case's revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a caseworker, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed the case first (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The user is not a caseworker of the organisation (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/requests/{request_id}/assignee")]
pub async fn assign_request(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Body<Assignment>,
) -> Result<HttpResponse, ApiError> {
    let row = load(&state, &caller, id.into_inner(), Permission::HandleRequests).await?;
    if_match(&req, row.revision)?;
    let input = body.parse()?;
    let now = Utc::now();
    let org = OrganizationId::from_uuid(row.organization_id);
    if let Some(user) = input.user_id {
        let caseworkers = caseworkers_of(&state, org).await?;
        if !caseworkers.iter().any(|c| c.id == user) {
            return Err(ApiError::validation("user_id", "not_a_caseworker"));
        }
    }
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if !vern_db::requests::assign(&txn, &row, input.user_id, now).await? {
        return Err(stale());
    }
    record(
        &txn,
        &caller,
        &req,
        &row,
        CaseEventKind::Assigned,
        input.user_id.map(|u| u.to_string()),
        None,
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    respond(&state, &caller, row.id).await
}

/// Add an internal note to a request
///
/// Add an internal note to the case (never shown to the resident). Stored encrypted.
#[utoipa::path(
    tag = "requests",
    operation_id = "add_request_note",
    params(("request_id" = Uuid, Path, description = "The request")),
    request_body = NewNote,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Noted", body = CaseEvent),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a caseworker, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case's contents have been purged (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The note is empty or too long (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/requests/{request_id}/notes")]
pub async fn add_note(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Body<NewNote>,
) -> Result<HttpResponse, ApiError> {
    let row = load(&state, &caller, id.into_inner(), Permission::HandleRequests).await?;
    let input = body.parse()?;
    let text = written("text", Some(&input.text))?;
    if row.purged_at.is_some() {
        return Err(ApiError::new(ProblemCode::InvalidTransition)
            .detail("the case's contents have been purged"));
    }
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let id = record(
        &txn,
        &caller,
        &req,
        &row,
        CaseEventKind::Note,
        None,
        Some(state.seal_content(&text)?),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    let actor = match caller.user_id() {
        Some(me) => vern_db::identity::display_names(&state.db.conn, [me])
            .await?
            .remove(&me)
            .map(|name| CaseMember { id: me, name }),
        None => None,
    };
    Ok(HttpResponse::Created().json(CaseEvent {
        id,
        at: now,
        kind: CaseEventKind::Note,
        actor,
        detail: None,
        text: Some(text),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventListParams {
    /// Page size, 1–500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// List a request's history
///
/// The case's history, oldest first. The written text of notes, reasons and replies is shown
/// to caseworkers only.
#[utoipa::path(
    tag = "requests",
    operation_id = "list_request_events",
    params(("request_id" = Uuid, Path, description = "The request"), EventListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of the history", body = CaseEventPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that oversees requests, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the caller's organisations' (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/requests/{request_id}/events")]
pub async fn list_events(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    params: web::Query<EventListParams>,
) -> Result<web::Json<CaseEventPage>, ApiError> {
    let row = load(
        &state,
        &caller,
        id.into_inner(),
        Permission::ReadRequestOverview,
    )
    .await?;
    let mut errors = ParamErrors::default();
    let limit = errors.limit(params.limit.as_deref());
    errors.finish()?;
    let after: Option<IdCursor> = cursor(params.cursor.as_deref())?;
    let (rows, next_cursor) =
        vern_db::requests::events(&state.db.conn, row.id, limit, after).await?;
    let mut people: Vec<Uuid> = rows.iter().filter_map(|e| e.actor_id).collect();
    // An assignment's detail is the assignee's id: shown by name.
    people.extend(
        rows.iter()
            .filter(|e| e.kind == CaseEventKind::Assigned.as_str())
            .filter_map(|e| e.detail.as_deref().and_then(|d| d.parse::<Uuid>().ok())),
    );
    let names = vern_db::identity::display_names(&state.db.conn, people).await?;
    let handles = handles(&caller, &row);
    let mut items = Vec::with_capacity(rows.len());
    for e in rows {
        let kind = CaseEventKind::parse(&e.kind)
            .ok_or_else(|| ApiError::internal(DbError::InvalidRow("request_events.kind")))?;
        let detail = if kind == CaseEventKind::Assigned {
            e.detail
                .as_deref()
                .and_then(|d| d.parse::<Uuid>().ok())
                .map(|u| names.get(&u).cloned().unwrap_or_default())
        } else {
            e.detail.clone()
        };
        let text = match (&e.text, handles) {
            (Some(sealed), true) => Some(state.open_content(sealed)?),
            _ => None,
        };
        items.push(CaseEvent {
            id: e.id,
            at: e.at,
            kind,
            actor: e.actor_id.map(|id| CaseMember {
                id,
                name: names.get(&id).cloned().unwrap_or_default(),
            }),
            detail,
            text,
        });
    }
    Ok(web::Json(CaseEventPage { items, next_cursor }))
}

/// Counts of the organisation's requests
///
/// The DPO's overview: open requests by urgency and kind, unassigned ones, and how many of
/// the last twelve months' requests were closed after their deadline. Counts only.
#[utoipa::path(
    tag = "requests",
    operation_id = "get_request_overview",
    params(("org_id" = OrganizationId, Path, description = "The municipality")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The overview", body = RequestOverview),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that oversees requests, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/request-overview")]
pub async fn request_overview(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
) -> Result<web::Json<RequestOverview>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadRequestOverview)
        .await?;
    let now = Utc::now();
    let today = oslo_date(now);
    let open = vern_db::requests::open_of(&state.db.conn, org).await?;
    let states: Vec<_> = open
        .iter()
        .map(|c| (c.kind, c.clock.state(today), c.assigned))
        .collect();
    let mut overview = tally_open(states.iter().map(|(k, s, a)| (*k, s, *a)));
    let closed =
        vern_db::requests::closed_since(&state.db.conn, org, now - Duration::days(365)).await?;
    overview.closed_last_year = u32::try_from(closed.len()).unwrap_or(u32::MAX);
    overview.closed_late_last_year = u32::try_from(
        closed
            .iter()
            .filter(|(due, closed)| oslo_date(*closed) > *due)
            .count(),
    )
    .unwrap_or(u32::MAX);
    let tasks = vern_db::tasks::open_tasks_of(&state.db.conn, org).await?;
    let names =
        vern_db::tasks::system_names(&state.db.conn, tasks.iter().map(|(s, _, _)| *s)).await?;
    overview.by_system = vern_domain::requests::view::tally_systems(tasks, &names, today);
    Ok(web::Json(overview))
}

async fn caseworkers_of(
    state: &AppState,
    org: OrganizationId,
) -> Result<Vec<CaseMember>, ApiError> {
    let holders = vern_db::identity::holders_of(
        &state.db.conn,
        org,
        &Role::ALL
            .into_iter()
            .filter(|r| r.grants(Permission::HandleRequests))
            .collect::<Vec<_>>(),
        Utc::now(),
    )
    .await?;
    Ok(holders
        .into_iter()
        .map(|(id, name)| CaseMember { id, name })
        .collect())
}

/// List the caseworkers a request can be assigned to
///
/// The organisation's caseworkers: whom a request can be assigned to.
#[utoipa::path(
    tag = "requests",
    operation_id = "list_caseworkers",
    params(("org_id" = OrganizationId, Path, description = "The municipality")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The caseworkers, by name", body = Vec<CaseMember>),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a caseworker, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/caseworkers")]
pub async fn list_caseworkers(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
) -> Result<web::Json<Vec<CaseMember>>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::HandleRequests)
        .await?;
    Ok(web::Json(caseworkers_of(&state, org).await?))
}

/// Get the organisation's request policy
///
/// The organisation's policy for data-subject requests: how many days a released answer
/// stays readable for the resident, and whether waiting for the requester to establish
/// their identity stops the clock. The `ETag` is the policy's revision, for `If-Match` when
/// changing it. Readable by those who oversee requests and those who manage the
/// organisation's settings.
#[utoipa::path(
    tag = "requests",
    operation_id = "get_request_settings",
    params(("org_id" = OrganizationId, Path, description = "The municipality")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The policy", body = RequestSettings, headers(("ETag" = String, description = "The policy's revision"))),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither overseeing requests nor managing the organisation's settings, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/request-settings")]
pub async fn get_request_settings(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    if caller.require(org, Permission::ManageOrgSettings).is_err() {
        caller.require(org, Permission::ReadRequestOverview)?;
    }
    caller.within_policy(&state, org).await?;
    let policy = vern_db::requests::policy(&state.db.conn, org).await?;
    Ok(with_etag(
        HttpResponse::Ok().json(RequestSettings {
            pause_stops_clock: policy.pause_stops_clock,
            answer_window_days: policy.answer_window_days,
            revision: policy.revision,
        }),
        policy.revision,
    ))
}

/// Change the organisation's request policy
///
/// Change the organisation's request policy (the organisation's administrator).
#[utoipa::path(
    tag = "requests",
    operation_id = "put_request_settings",
    params(("org_id" = OrganizationId, Path, description = "The municipality"), ("If-Match" = String, Header, description = "The ETag the change is based on")),
    request_body = RequestSettings,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Changed", body = RequestSettings, headers(("ETag" = String, description = "The policy's revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the organisation's administrator, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed it first (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The answer window is outside 7–90 days (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organizations/{org_id}/request-settings")]
pub async fn put_request_settings(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<RequestSettings>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ManageOrgSettings)
        .await?;
    let current = vern_db::requests::policy(&state.db.conn, org).await?;
    if_match(&req, current.revision)?;
    let input = body.parse()?;
    check_request_settings(&input).map_err(refused)?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let stored = vern_db::requests::set_policy(
        &txn,
        org,
        current.revision,
        input.pause_stops_clock,
        input.answer_window_days,
        now,
    )
    .await?;
    if !stored {
        return Err(stale());
    }
    vern_db::audit::append(
        &txn,
        entry_event(
            &caller,
            &req,
            org,
            "request_settings.changed",
            "organization",
            org.into_uuid(),
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    let saved = RequestSettings {
        revision: current.revision + 1,
        ..input
    };
    Ok(with_etag(
        HttpResponse::Ok().json(saved),
        current.revision + 1,
    ))
}
