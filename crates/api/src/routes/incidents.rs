//! The incident register (Art. 33(5)): register a breach, follow its 72-hour clock, record
//! the notices to Datatilsynet in phases and the resident notice decision, generate the
//! texts of both notices, close it once nothing is outstanding, and export the register.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::DbError;
use vern_db::incidents::{IncidentFilter, IncidentRow};
use vern_db::reviews::IdCursor;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::incidents::NoticePhase;
use vern_domain::incidents::facts::{
    Incident, IncidentFacts, IncidentPage, IncidentStatus, NewAuthorityNotice,
    ResidentNoticeDecision, check_authority_notice, check_incident, check_resident_notice,
    check_status_change, outstanding,
};
use vern_domain::incidents::report::{
    IncidentTexts, RegisterEntry, ReportContext, authority_report, late_reason_prompt, next_phase,
    register_headers, register_row, resident_letter,
};
use vern_domain::problem::{FieldError, Problem, ProblemCode};
use vern_domain::register::record::RecordLang;
use vern_domain::register::vocabulary::Vocabulary;

use super::common::{
    ParamErrors, cursor, entry_event, foreign_links, if_match, refused, with_etag,
};
use super::sheets;
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(register_csv)
        .service(register_xlsx)
        .service(list_incidents)
        .service(create_incident)
        .service(get_incident)
        .service(update_incident)
        .service(change_status)
        .service(record_notice)
        .service(record_resident_notice)
        .service(incident_texts);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncidentListParams {
    /// Page size, 1–500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only incidents with this status.
    #[param(value_type = Option<IncidentStatus>)]
    status: Option<String>,
    /// `running`: only those whose notice to Datatilsynet is still due.
    #[param(pattern = "^running$")]
    clock: Option<String>,
}

/// A status change.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct IncidentStatusChange {
    /// `open` takes in a draft or reopens a closed incident; `closed` closes an open one.
    pub status: IncidentStatus,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangParams {
    /// The language of the texts: `nb` (default), `nn` or `en`.
    #[param(value_type = Option<RecordLang>)]
    lang: Option<String>,
}

fn event(
    caller: &Caller,
    req: &HttpRequest,
    org: OrganizationId,
    action: &'static str,
    id: Uuid,
) -> vern_domain::access::audit::AuditDraft {
    entry_event(caller, req, org, action, "incident", id)
}

fn stale() -> ApiError {
    ApiError::new(ProblemCode::PreconditionFailed)
        .detail("someone else changed it first; fetch it again and redo the change")
}

/// A refusal of a step: the incident's state (`status`) is 409, the input 422.
fn refused_step(errors: Vec<FieldError>) -> ApiError {
    super::common::refused_in_state(errors, "not allowed in the incident's current state")
}

/// Checks the facts in the organisation's vocabulary, and that every linked system and
/// activity is the organisation's own.
async fn checked(
    state: &AppState,
    org: OrganizationId,
    input: &IncidentFacts,
) -> Result<IncidentFacts, ApiError> {
    let vocabulary = vern_db::vocabulary::vocabulary(&state.db.conn, org).await?;
    let facts = check_incident(input, &vocabulary, Utc::now()).map_err(refused)?;
    let systems =
        vern_db::activities::foreign_systems(&state.db.conn, org, &facts.system_ids).await?;
    let activities =
        vern_db::incidents::foreign_activities(&state.db.conn, org, &facts.activity_ids).await?;
    let mut errors = foreign_links(
        "system_ids",
        &facts.system_ids,
        &systems,
        "not_a_system_here",
    );
    errors.extend(foreign_links(
        "activity_ids",
        &facts.activity_ids,
        &activities,
        "not_an_activity_here",
    ));
    if errors.is_empty() {
        Ok(facts)
    } else {
        Err(refused(errors))
    }
}

async fn found(state: &AppState, org: OrganizationId, id: Uuid) -> Result<IncidentRow, ApiError> {
    vern_db::incidents::find(&state.db.conn, org, id)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// The incident as the API shows it, with its ETag.
async fn shown(
    state: &AppState,
    row: &IncidentRow,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, ApiError> {
    let incident = view(state, row).await?;
    let revision = incident.revision;
    Ok(with_etag(
        HttpResponse::build(status).json(incident),
        revision,
    ))
}

async fn view(state: &AppState, row: &IncidentRow) -> Result<Incident, ApiError> {
    let mut notices = vern_db::incidents::notices(&state.db.conn, &[row.id]).await?;
    let notices = notices.remove(&row.id).unwrap_or_default();
    let names = vern_db::identity::display_names(
        &state.db.conn,
        notices.iter().filter_map(|n| n.recorded_by),
    )
    .await?;
    let source = vern_db::incidents::vendor_source(&state.db.conn, row.vendor_notice_id).await?;
    Ok(vern_db::incidents::incident(
        row,
        &notices,
        &names,
        source,
        Utc::now(),
    )?)
}

/// The controller and its contact point, for the texts.
struct Controller {
    name: String,
    org_number: Option<String>,
    contact: String,
    vocabulary: Vocabulary,
}

async fn controller(state: &AppState, org: OrganizationId) -> Result<Controller, ApiError> {
    let organization = vern_db::organizations::get(&state.db.conn, org)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let contact = super::record::privacy_officers(state, org)
        .await?
        .into_iter()
        .map(|p| format!("{} <{}>", p.name, p.email))
        .collect::<Vec<_>>()
        .join("; ");
    Ok(Controller {
        name: organization.name,
        org_number: organization.org_number.map(|n| n.to_string()),
        contact,
        vocabulary: vern_db::vocabulary::vocabulary(&state.db.conn, org).await?,
    })
}

/// Builds the texts for an incident: the report for `phase` and the letter to residents.
async fn texts(
    state: &AppState,
    org: OrganizationId,
    row: &IncidentRow,
    phase: Option<NoticePhase>,
    late_reason: Option<&str>,
    lang: RecordLang,
) -> Result<IncidentTexts, ApiError> {
    let facts = vern_db::incidents::facts_of(row)?;
    let resident = vern_db::incidents::resident_notice_of(row)?;
    let who = controller(state, org).await?;
    let (systems, activities) =
        vern_db::incidents::link_names(&state.db.conn, org, &facts.system_ids, &facts.activity_ids)
            .await?;
    let ctx = ReportContext {
        controller: &who.name,
        org_number: who.org_number.as_deref(),
        contact: &who.contact,
        systems: &systems,
        activities: &activities,
        vocabulary: &who.vocabulary,
    };
    Ok(IncidentTexts {
        next_phase: phase,
        authority: authority_report(&facts, phase, late_reason, resident.as_ref(), &ctx, lang),
        residents: resident_letter(&facts, &ctx, lang),
    })
}

async fn given_phases(state: &AppState, id: Uuid) -> Result<Vec<NoticePhase>, ApiError> {
    Ok(vern_db::incidents::notices(&state.db.conn, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default()
        .iter()
        .map(vern_db::incidents::phase_of)
        .collect::<Result<Vec<_>, _>>()?)
}

/// List incidents
///
/// The register, newest first, each with its clock.
#[utoipa::path(
    tag = "incidents",
    operation_id = "list_incidents",
    description = "The organisation's register of personal data breaches (Art. 33(5)), notified or not, newest first. Each row carries the 72-hour clock: `running`, `urgent` (a day or less left), `overdue`, `notified` or `not_due`.",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), IncidentListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of incidents", body = IncidentPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads incidents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/incidents")]
pub async fn list_incidents(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<IncidentListParams>,
) -> Result<web::Json<IncidentPage>, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadIncidents)
        .await?;
    let mut errors = ParamErrors::default();
    let limit = errors.limit(params.limit.as_deref());
    let status = errors.choice("status", params.status.as_deref(), IncidentStatus::parse);
    let clock_running = errors
        .choice("clock", params.clock.as_deref(), |s| {
            (s == "running").then_some(())
        })
        .is_some();
    errors.finish()?;
    let after = cursor::<IdCursor>(params.cursor.as_deref())?;
    let filter = IncidentFilter {
        status,
        clock_running,
    };
    let (rows, next_cursor) =
        vern_db::incidents::list(&state.db.conn, org, &filter, limit, after).await?;
    let now = Utc::now();
    let items = rows
        .iter()
        .map(|r| vern_db::incidents::summary(r, now))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(web::Json(IncidentPage { items, next_cursor }))
}

/// Register an incident
///
/// Registers a breach. The clock starts at `aware_at`; linked systems and activities must be
/// the organisation's; free texts must not hold national identity numbers.
#[utoipa::path(
    tag = "incidents",
    operation_id = "create_incident",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = IncidentFacts,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Registered; `Location` names it", body = Incident, headers(("ETag" = String, description = "The revision"), ("Location" = String, description = "The incident's URL"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that handles incidents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule is broken; see `errors` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/incidents")]
pub async fn create_incident(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<IncidentFacts>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ManageIncidents)
        .await?;
    let facts = checked(&state, org, &body.parse()?).await?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row = vern_db::incidents::insert(
        &txn,
        org,
        &facts,
        IncidentStatus::Open,
        None,
        caller.user_id(),
        now,
    )
    .await?;
    vern_db::audit::append(
        &txn,
        event(&caller, &req, org, "incident.created", row.id),
        now,
    )
    .await?;
    let webhooks = crate::webhooks::queue(
        &txn,
        &[vern_db::webhooks::Event::once(
            org,
            vern_domain::webhooks::EventType::IncidentRegistered,
            row.id,
            now,
        )],
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    state.webhooks.spawn(webhooks);
    let location = format!("/api/v1/organizations/{org}/incidents/{}", row.id);
    let mut response = shown(&state, &row, actix_web::http::StatusCode::CREATED).await?;
    response.headers_mut().insert(
        actix_web::http::header::LOCATION,
        actix_web::http::header::HeaderValue::from_str(&location).map_err(ApiError::internal)?,
    );
    Ok(response)
}

/// Get an incident
///
/// One incident with its clock, notices, resident notice decision and what is outstanding.
#[utoipa::path(
    tag = "incidents",
    operation_id = "get_incident",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("incident_id" = Uuid, Path, description = "The incident"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The incident", body = Incident, headers(("ETag" = String, description = "The revision, for If-Match"))),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads incidents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such incident in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/incidents/{incident_id}")]
pub async fn get_incident(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::ReadIncidents)
        .await?;
    let row = found(&state, org, id).await?;
    shown(&state, &row, actix_web::http::StatusCode::OK).await
}

/// Update an incident
///
/// Replaces the facts, with `If-Match`. A closed incident is reopened first.
#[utoipa::path(
    tag = "incidents",
    operation_id = "update_incident",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("incident_id" = Uuid, Path, description = "The incident"),
        ("If-Match" = String, Header, description = "The ETag of the revision the change is based on"),
    ),
    request_body = IncidentFacts,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Saved", body = Incident, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that handles incidents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such incident in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The incident is closed (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else saved first (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule is broken; see `errors` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No If-Match (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organizations/{org_id}/incidents/{incident_id}")]
pub async fn update_incident(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<IncidentFacts>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::ManageIncidents)
        .await?;
    let current = found(&state, org, id).await?;
    let expected = if_match(&req, current.revision)?;
    if vern_db::incidents::status_of(&current)? == IncidentStatus::Closed {
        return Err(refused_step(vec![FieldError::new("status", "closed")]));
    }
    let facts = checked(&state, org, &body.parse()?).await?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row = vern_db::incidents::update_facts(&txn, id, expected, &facts, now)
        .await?
        .ok_or_else(stale)?;
    vern_db::audit::append(&txn, event(&caller, &req, org, "incident.updated", id), now).await?;
    txn.commit().await.map_err(DbError::from)?;
    shown(&state, &row, actix_web::http::StatusCode::OK).await
}

/// Take in, close or reopen an incident
///
/// Takes in a draft, closes an open incident (once nothing is outstanding) or reopens a
/// closed one, with `If-Match`.
#[utoipa::path(
    tag = "incidents",
    operation_id = "change_incident_status",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("incident_id" = Uuid, Path, description = "The incident"),
        ("If-Match" = String, Header, description = "The ETag of the revision the change is based on"),
    ),
    request_body = IncidentStatusChange,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Changed", body = Incident, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that handles incidents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such incident in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not from this status, or something is outstanding; the field error names the first (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else saved first (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown status (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No If-Match (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/incidents/{incident_id}/status")]
pub async fn change_status(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<IncidentStatusChange>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::ManageIncidents)
        .await?;
    let current = found(&state, org, id).await?;
    let expected = if_match(&req, current.revision)?;
    let to = body.parse()?.status;
    let from = vern_db::incidents::status_of(&current)?;
    let facts = vern_db::incidents::facts_of(&current)?;
    let phases = given_phases(&state, id).await?;
    let resident = vern_db::incidents::resident_notice_of(&current)?;
    let left = outstanding(from, &facts, &phases, resident.as_ref());
    check_status_change(from, to, &left).map_err(|e| refused_step(vec![e]))?;
    let action = match (from, to) {
        (IncidentStatus::Draft, _) => "incident.taken_in",
        (_, IncidentStatus::Closed) => "incident.closed",
        _ => "incident.reopened",
    };
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row = vern_db::incidents::set_status(&txn, &current, expected, to, now)
        .await?
        .ok_or_else(stale)?;
    vern_db::audit::append(&txn, event(&caller, &req, org, action, id), now).await?;
    txn.commit().await.map_err(DbError::from)?;
    shown(&state, &row, actix_web::http::StatusCode::OK).await
}

/// Record a notice to Datatilsynet
///
/// Records a notice given to Datatilsynet — the initial one, supplements, the final one —
/// with the report as it was sent (generated now, in Norwegian bokmål). The first stops the
/// clock; after 72 hours it needs the reason for the delay.
#[utoipa::path(
    tag = "incidents",
    operation_id = "record_incident_notice",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("incident_id" = Uuid, Path, description = "The incident"),
        ("If-Match" = String, Header, description = "The ETag of the revision the notice is based on"),
    ),
    request_body = NewAuthorityNotice,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Recorded", body = Incident, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that handles incidents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such incident in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The incident is not open (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else saved first (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Out of order, after the final notice, late without a reason, or not notifiable (`validation_failed`: `phase_order`, `after_final`, `reason_required`, `not_notifiable`, `before_awareness`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No If-Match (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/incidents/{incident_id}/notices")]
pub async fn record_notice(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<NewAuthorityNotice>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::ManageIncidents)
        .await?;
    let current = found(&state, org, id).await?;
    if_match(&req, current.revision)?;
    let input = body.parse()?;
    let status = vern_db::incidents::status_of(&current)?;
    let facts = vern_db::incidents::facts_of(&current)?;
    let phases = given_phases(&state, id).await?;
    let now = Utc::now();
    let notice =
        check_authority_notice(status, &facts, &phases, &input, now).map_err(refused_step)?;
    let report = texts(
        &state,
        org,
        &current,
        Some(notice.phase),
        notice.late_reason.as_deref(),
        RecordLang::Nb,
    )
    .await?
    .authority;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let (row, _) =
        vern_db::incidents::add_notice(&txn, &current, &notice, &report, caller.user_id(), now)
            .await?
            .ok_or_else(stale)?;
    vern_db::audit::append(
        &txn,
        event(&caller, &req, org, "incident.notified", id),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    shown(&state, &row, actix_web::http::StatusCode::CREATED).await
}

/// Record the resident notice decision
///
/// Records whether the residents were told of a high-risk breach (when, how, how many) or
/// which of Art. 34(3)'s exceptions applies and why, with `If-Match`.
#[utoipa::path(
    tag = "incidents",
    operation_id = "record_resident_notice",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("incident_id" = Uuid, Path, description = "The incident"),
        ("If-Match" = String, Header, description = "The ETag of the revision the decision is based on"),
    ),
    request_body = ResidentNoticeDecision,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Recorded", body = Incident, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that handles incidents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such incident in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The incident is not open (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else saved first (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a high-risk breach, or a text missing (`validation_failed`: `not_high_risk`, `required`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No If-Match (`precondition_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organizations/{org_id}/incidents/{incident_id}/resident-notice")]
pub async fn record_resident_notice(
    caller: Caller,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
    body: Body<ResidentNoticeDecision>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::ManageIncidents)
        .await?;
    let current = found(&state, org, id).await?;
    let expected = if_match(&req, current.revision)?;
    let input = body.parse()?;
    let status = vern_db::incidents::status_of(&current)?;
    let facts = vern_db::incidents::facts_of(&current)?;
    let now = Utc::now();
    let decision = check_resident_notice(status, &facts, &input, now).map_err(refused_step)?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row = vern_db::incidents::set_resident_notice(&txn, id, expected, &decision, now)
        .await?
        .ok_or_else(stale)?;
    vern_db::audit::append(
        &txn,
        event(&caller, &req, org, "incident.resident_notice_recorded", id),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    shown(&state, &row, actix_web::http::StatusCode::OK).await
}

/// Generate the notice texts
///
/// The texts for the next notice: the report to Datatilsynet (its form's fields, for the
/// next phase) and the plain-language letter to the residents.
#[utoipa::path(
    tag = "incidents",
    operation_id = "get_incident_texts",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("incident_id" = Uuid, Path, description = "The incident"),
        LangParams,
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The texts", body = IncidentTexts),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads incidents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such incident in the organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown language (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/incidents/{incident_id}/texts")]
pub async fn incident_texts(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(OrganizationId, Uuid)>,
    params: web::Query<LangParams>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    caller
        .require_here(&state, org, Permission::ReadIncidents)
        .await?;
    let lang = sheets::lang(params.lang.as_deref())?;
    let row = found(&state, org, id).await?;
    let facts = vern_db::incidents::facts_of(&row)?;
    let phase = next_phase(facts.risk, &given_phases(&state, id).await?);
    let late = late_reason_prompt(phase, facts.aware_at, Utc::now(), lang);
    Ok(HttpResponse::Ok().json(texts(&state, org, &row, phase, late, lang).await?))
}

/// Every incident as register rows, oldest first.
async fn register_rows(
    state: &AppState,
    org: OrganizationId,
    lang: RecordLang,
) -> Result<Vec<Vec<String>>, ApiError> {
    let rows = vern_db::incidents::all(&state.db.conn, org).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let notices = vern_db::incidents::notices(&state.db.conn, &ids).await?;
    let vocabulary = vern_db::vocabulary::vocabulary(&state.db.conn, org).await?;
    let empty = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let facts = vern_db::incidents::facts_of(row)?;
        let resident = vern_db::incidents::resident_notice_of(row)?;
        let reference = vern_db::incidents::reference(row);
        let given = notices.get(&row.id).unwrap_or(&empty);
        let entry = RegisterEntry {
            reference: &reference,
            status: vern_db::incidents::status_of(row)?,
            facts: &facts,
            first_notice: row.first_notice_at,
            late_reason: given.first().and_then(|n| n.late_reason.as_deref()),
            resident: resident.as_ref(),
        };
        out.push(register_row(&entry, &vocabulary, lang));
    }
    Ok(out)
}

/// The incident register (CSV)
///
/// The incident register as CSV (RFC 4180, UTF-8): every incident, notified or not.
#[utoipa::path(
    tag = "incidents",
    operation_id = "export_incidents_csv",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), LangParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The register as CSV", body = String, content_type = "text/csv"),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads incidents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown language (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/incidents.csv")]
pub async fn register_csv(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<LangParams>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadIncidents)
        .await?;
    let lang = sheets::lang(params.lang.as_deref())?;
    let rows = register_rows(&state, org, lang).await?;
    sheets::csv("avviksregister", org, &register_headers(lang), rows)
}

/// The incident register (XLSX)
///
/// The incident register as an Excel workbook.
#[utoipa::path(
    tag = "incidents",
    operation_id = "export_incidents_xlsx",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), LangParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The register as a workbook", body = inline(crate::openapi::Binary), content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that reads incidents, or refused by the organisation's policies (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown language (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/incidents.xlsx")]
pub async fn register_xlsx(
    caller: Caller,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<LangParams>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    caller
        .require_here(&state, org, Permission::ReadIncidents)
        .await?;
    let lang = sheets::lang(params.lang.as_deref())?;
    let rows = register_rows(&state, org, lang).await?;
    let layout = sheets::Layout {
        sheet: lang.pick("Avviksregister", "Avviksregister", "Incident register"),
        column_width: 24.0,
        frozen_columns: 2,
        wrap: true,
    };
    sheets::xlsx(
        "avviksregister",
        org,
        &layout,
        &register_headers(lang),
        rows,
    )
}
