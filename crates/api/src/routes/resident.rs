//! The resident portal's API: log in through the identity provider (ID-porten), send a request
//! to a municipality, follow it, and read the outcome in the secure window. A resident sees
//! only requests made under their own national id; another's is 404. The session is an
//! HttpOnly, SameSite=Strict cookie scoped to `/api/v1/resident`.

use actix_web::{HttpRequest, HttpResponse, get, http::header, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::DbError;
use vern_db::requests::{NewRequestRow, RequestRow};
use vern_db::reviews::IdCursor;
use vern_domain::OrganizationId;
use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
use vern_domain::calendar::oslo_date;
use vern_domain::problem::{Problem, ProblemCode};
use vern_domain::requests::resident::{
    AnswerState, PortalMunicipality, ResidentAnswer, ResidentMe, ResidentNotice, ResidentRequest,
    ResidentRequestPage, ResidentRequestSummary, ResidentSubmission, answer_state,
    check_submission, login_is_fresh, notice_of,
};
use vern_domain::requests::view::{CaseEventKind, RequestContents};
use vern_domain::requests::{CaseFile, CaseStatus};

use super::common::{ParamErrors, cursor, refused};
use super::requests::case_file;
use crate::body::Body;
use crate::error::ApiError;
use crate::residents::{
    CALLBACK_PATH, LOGIN_COOKIE, RESIDENT_PATH, Resident, ResidentLogin, SESSION_COOKIE,
    open_session, safe_return_path,
};
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(login)
        .service(callback)
        .service(me)
        .service(logout)
        .service(municipalities)
        .service(submit)
        .service(list_mine)
        .service(get_mine)
        .service(withdraw)
        .service(read_answer)
        .service(download_answer);
}

fn login_config(state: &AppState) -> Result<&ResidentLogin, ApiError> {
    state.resident_login.as_deref().ok_or_else(|| {
        ApiError::not_found().detail("resident login is not configured on this server")
    })
}

pub(super) fn audit(
    resident: &Resident,
    req: &HttpRequest,
    org: Option<Uuid>,
    action: &'static str,
    target: Option<(&'static str, Uuid)>,
) -> AuditDraft {
    AuditDraft {
        organization_id: org.map(OrganizationId::from_uuid),
        actor_kind: ActorKind::Resident,
        actor_id: Some(resident.session_id),
        action,
        target_type: target.map_or("resident_session", |(t, _)| t),
        target_id: Some(target.map_or(resident.session_id, |(_, id)| id).to_string()),
        request_id: crate::middleware::request_id(req),
        outcome: Outcome::Success,
    }
}

/// Writes a resident's step into the case's history and the audit log.
pub(super) async fn record_event(
    txn: &vern_db::DatabaseTransaction,
    resident: &Resident,
    req: &HttpRequest,
    row: &RequestRow,
    kind: CaseEventKind,
    detail: Option<String>,
    now: chrono::DateTime<Utc>,
) -> Result<(), ApiError> {
    vern_db::requests::add_event(txn, row.id, kind.as_str(), None, detail, None, now).await?;
    vern_db::audit::append(
        txn,
        audit(
            resident,
            req,
            Some(row.organization_id),
            kind.audit_action(),
            Some(("request", row.id)),
        ),
        now,
    )
    .await?;
    Ok(())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoginParams {
    /// A path in Vern to come back to (default `/innsyn`).
    return_to: Option<String>,
    /// `true`: make the resident log in again at the provider (needed to read an answer).
    #[param(value_type = Option<bool>)]
    fresh: Option<String>,
}

/// Start a resident's login at the identity provider
///
/// Sends the browser to the identity provider (authorization code flow with PKCE).
#[utoipa::path(
    tag = "resident",
    operation_id = "resident_login",
    description = "A browser navigation, not an API call: answers 302 to the provider's authorization endpoint with state, nonce and an S256 code challenge, and sets a short-lived sealed cookie that the callback reads.",
    params(LoginParams),
    security(()),
    responses(
        (status = 302, description = "To the identity provider", headers(("Location" = String, description = "The provider's authorization URL"))),
        (status = 400, description = "A query parameter is malformed (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Resident login is not configured on this server (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`fresh` is not `true` or `false` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The identity provider cannot be reached (`service_unavailable`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/resident/login")]
pub async fn login(
    state: web::Data<AppState>,
    params: web::Query<LoginParams>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = ParamErrors::default();
    let fresh = errors
        .flag("fresh", params.fresh.as_deref())
        .unwrap_or(false);
    errors.finish()?;
    let config = login_config(&state)?;
    let return_to = safe_return_path(params.return_to.as_deref());
    let (url, cookie) = config.start(&state, return_to, fresh).await?;
    Ok(HttpResponse::Found()
        .insert_header((header::LOCATION, url))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(cookie)
        .finish())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackParams {
    code: Option<String>,
    state: Option<String>,
    /// Set by the provider when the login did not happen.
    error: Option<String>,
}

/// Complete a resident's login (the provider's redirect)
///
/// Where the provider sends the browser back: the code is exchanged, the ID token checked and
/// a session opened; then on to where the login started. Failures go to the portal with
/// `login_error=<code>`.
#[utoipa::path(
    tag = "resident",
    operation_id = "resident_login_callback",
    description = "Exchanges the code (with the PKCE verifier), verifies the ID token (signature from the provider's JWKS, issuer, audience, expiry, nonce) and reads the national id claim. Synthetic national ids are refused unless the test login is enabled. On success sets the `vern_resident` session cookie. Always answers 302: to the page the login started from, or to `/innsyn?login_error=refused|expired|provider_unavailable|invalid_token|no_national_id|synthetic_id_refused`.",
    params(CallbackParams),
    security(()),
    responses(
        (status = 302, description = "Back to the portal", headers(("Location" = String, description = "Where the browser goes next"))),
        (status = 404, description = "Resident login is not configured on this server (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/resident/callback")]
pub async fn callback(
    state: web::Data<AppState>,
    req: HttpRequest,
    params: web::Query<CallbackParams>,
) -> Result<HttpResponse, ApiError> {
    let config = login_config(&state)?;
    let cookie = req.cookie(LOGIN_COOKIE).map(|c| c.value().to_owned());
    let failed = |code: &str| {
        HttpResponse::Found()
            .insert_header((header::LOCATION, format!("/innsyn?login_error={code}")))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .cookie(config.cleared(LOGIN_COOKIE, CALLBACK_PATH))
            .finish()
    };
    if params.error.is_some() {
        return Ok(failed(crate::residents::LoginFailure::Refused.code()));
    }
    let (Some(code), Some(returned)) = (params.code.as_deref(), params.state.as_deref()) else {
        return Ok(failed(crate::residents::LoginFailure::Expired.code()));
    };
    let who = match config
        .finish(&state, cookie.as_deref(), code, returned)
        .await
    {
        Ok(who) => who,
        Err(failure) => {
            tracing::info!(reason = failure.code(), "resident login refused");
            return Ok(failed(failure.code()));
        }
    };
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let (session, token) = open_session(&state, &txn, config, &who, now).await?;
    let resident = Resident {
        session_id: session.id,
        subject_key: session.subject_key.clone(),
        national_id: who.national_id,
        auth_time: session.auth_time,
        expires_at: session.expires_at,
        client_ip: None,
    };
    vern_db::audit::append(
        &txn,
        audit(&resident, &req, None, "resident.login", None),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(HttpResponse::Found()
        .insert_header((header::LOCATION, who.return_to))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(config.cleared(LOGIN_COOKIE, CALLBACK_PATH))
        .cookie(config.session_cookie(token))
        .finish())
}

/// The logged-in resident
///
/// Who is logged in (the national id masked) and until when the login counts as fresh.
#[utoipa::path(
    tag = "resident",
    operation_id = "resident_me",
    security(("resident_session" = [])),
    responses(
        (status = 200, description = "The resident's session", body = ResidentMe),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/resident/me")]
pub async fn me(resident: Resident, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let config = login_config(&state)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(ResidentMe {
            national_id_masked: resident.national_id.masked(),
            logged_in_at: resident.auth_time,
            expires_at: resident.expires_at,
            fresh_until: resident.auth_time
                + chrono::Duration::minutes(i64::from(config.fresh_minutes)),
        }))
}

/// Log the resident out
///
/// Ends the resident's session and clears the cookie.
#[utoipa::path(
    tag = "resident",
    operation_id = "resident_logout",
    security(("resident_session" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/resident/logout")]
pub async fn logout(
    resident: Resident,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let config = login_config(&state)?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    vern_db::residents::end(&txn, resident.session_id, now).await?;
    vern_db::audit::append(
        &txn,
        audit(&resident, &req, None, "resident.logout", None),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(HttpResponse::NoContent()
        .cookie(config.cleared(SESSION_COOKIE, RESIDENT_PATH))
        .finish())
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct PortalMunicipalityList {
    /// Every municipality that takes requests in Vern, by name (at most the country's 357).
    pub items: Vec<PortalMunicipality>,
}

/// Municipalities that take requests
///
/// The municipalities a resident can send a request to.
#[utoipa::path(
    tag = "resident",
    operation_id = "resident_municipalities",
    security(("resident_session" = [])),
    responses(
        (status = 200, description = "The municipalities", body = PortalMunicipalityList),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/resident/municipalities")]
pub async fn municipalities(
    _resident: Resident,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let items = vern_db::organizations::taking_requests(&state.db.conn)
        .await?
        .into_iter()
        .map(|(id, name)| PortalMunicipality { id, name })
        .collect();
    Ok(HttpResponse::Ok().json(PortalMunicipalityList { items }))
}

pub(super) async fn municipality_name(state: &AppState, id: Uuid) -> Result<String, ApiError> {
    Ok(
        vern_db::organizations::get(&state.db.conn, OrganizationId::from_uuid(id))
            .await?
            .map(|o| o.name)
            .unwrap_or_default(),
    )
}

fn summary_of(
    row: &RequestRow,
    case: &CaseFile,
    municipality: PortalMunicipality,
) -> ResidentRequestSummary {
    let now = Utc::now();
    ResidentRequestSummary {
        id: row.id,
        reference: format!("{}/{}", row.year, row.sequence),
        municipality,
        kind: case.kind,
        status: case.status,
        received_on: row.received_on,
        due_on: case
            .status
            .is_open()
            .then(|| case.clock.due(oslo_date(now))),
        answer: answer_state(case.status, row.answer_until, row.purged_at.is_some(), now),
        answer_until: row.answer_until,
    }
}

const NOTICE_KINDS: [CaseEventKind; 7] = [
    CaseEventKind::Registered,
    CaseEventKind::IdentityRequested,
    CaseEventKind::IdentityConfirmed,
    CaseEventKind::Extended,
    CaseEventKind::Answered,
    CaseEventKind::Refused,
    CaseEventKind::Withdrawn,
];

async fn resident_view(state: &AppState, row: &RequestRow) -> Result<ResidentRequest, ApiError> {
    let case = case_file(row)?;
    let municipality = PortalMunicipality {
        id: row.organization_id,
        name: municipality_name(state, row.organization_id).await?,
    };
    let description = match &row.contents {
        Some(sealed) => Some(
            serde_json::from_str::<RequestContents>(&state.open_content(sealed)?)
                .map_err(|_| ApiError::internal(DbError::InvalidRow("requests.contents")))?
                .description,
        ),
        None => None,
    };
    let kinds: Vec<&str> = NOTICE_KINDS.iter().map(|k| k.as_str()).collect();
    let mut notices = Vec::new();
    for event in vern_db::requests::events_of_kinds(&state.db.conn, row.id, &kinds).await? {
        let Some(kind) = CaseEventKind::parse(&event.kind).and_then(notice_of) else {
            continue;
        };
        // Only an extension's reasons are shown here; replies and refusals are read in the
        // secure window.
        let text = match (kind, &event.text) {
            (vern_domain::requests::resident::NoticeKind::Extended, Some(sealed)) => {
                Some(state.open_content(sealed)?)
            }
            _ => None,
        };
        notices.push(ResidentNotice {
            at: event.at,
            kind,
            text,
        });
    }
    Ok(ResidentRequest {
        summary: summary_of(row, &case, municipality),
        description,
        extension_months: case.clock.extension_months,
        notices,
    })
}

/// Send a request to a municipality
///
/// Sends a request to a municipality in the resident's own name (from their login).
#[utoipa::path(
    tag = "resident",
    operation_id = "resident_submit_request",
    description = "Access (Art. 15), rectification, erasure, restriction, portability, objection, or party access (forvaltningsloven § 18). The national id comes from the login; the deadline counts from today. The municipality's caseworkers see it at once.",
    security(("resident_session" = [])),
    request_body = ResidentSubmission,
    responses(
        (status = 201, description = "Received, with the case number and deadline", body = ResidentRequest, headers(("Location" = String, description = "The request's URL in the resident API"))),
        (status = 400, description = "Malformed body (`invalid_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not valid: unknown municipality, name or description missing or too long, e-mail or phone malformed, unknown subject category (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/resident/requests")]
pub async fn submit(
    resident: Resident,
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Body<ResidentSubmission>,
) -> Result<HttpResponse, ApiError> {
    let input = body.parse()?;
    let now = Utc::now();
    let today = oslo_date(now);
    let known =
        vern_db::organizations::takes_requests(&state.db.conn, input.organization_id).await?;
    let checked = check_submission(&input, &resident.national_id, today);
    let valid = match (checked, known) {
        (Ok(v), true) => v,
        (Ok(_), false) => {
            return Err(ApiError::validation(
                "organization_id",
                "unknown_municipality",
            ));
        }
        (Err(mut errors), known) => {
            if !known {
                errors.insert(
                    0,
                    vern_domain::problem::FieldError::new(
                        "organization_id",
                        "unknown_municipality",
                    ),
                );
            }
            return Err(refused(errors));
        }
    };
    let org = OrganizationId::from_uuid(input.organization_id);
    let policy = vern_db::requests::policy(&state.db.conn, org).await?;
    let case = CaseFile::new(valid.kind, valid.received_on, policy.pause_stops_clock);
    let contents = serde_json::to_string(&valid.contents).map_err(ApiError::internal)?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let row = vern_db::requests::insert(
        &txn,
        NewRequestRow {
            organization: org,
            kind: valid.kind,
            channel: valid.channel,
            received_at: now,
            due_on: case.clock.due(today),
            clock: case.clock,
            requester_key: Some(resident.subject_key.clone()),
            contents: state.seal_content(&contents)?,
            registered_by: None,
        },
        now,
    )
    .await?;
    record_event(
        &txn,
        &resident,
        &req,
        &row,
        CaseEventKind::Registered,
        Some(valid.channel.as_str().to_owned()),
        now,
    )
    .await?;
    let webhooks =
        crate::webhooks::request_received(&txn, row.organization_id, row.id, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    state.webhooks.spawn(webhooks);
    let view = resident_view(&state, &row).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/resident/requests/{}", row.id),
        ))
        .json(view))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MineParams {
    /// Page size, 1–500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// List the resident's requests
///
/// The resident's requests to every municipality, newest first — those sent in the portal
/// and those registered for them by staff under their national id.
#[utoipa::path(
    tag = "resident",
    operation_id = "resident_list_requests",
    params(MineParams),
    security(("resident_session" = [])),
    responses(
        (status = 200, description = "One page of the resident's requests", body = ResidentRequestPage),
        (status = 400, description = "A query parameter is malformed (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/resident/requests")]
pub async fn list_mine(
    resident: Resident,
    state: web::Data<AppState>,
    params: web::Query<MineParams>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = ParamErrors::default();
    let limit = errors.limit(params.limit.as_deref());
    errors.finish()?;
    let after = cursor::<IdCursor>(params.cursor.as_deref())?;
    let (rows, next_cursor) =
        vern_db::requests::of_requester(&state.db.conn, &resident.subject_key, limit, after)
            .await?;
    let mut names = std::collections::HashMap::new();
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        let name = match names.get(&row.organization_id) {
            Some(n) => String::clone(n),
            None => {
                let n = municipality_name(&state, row.organization_id).await?;
                names.insert(row.organization_id, n.clone());
                n
            }
        };
        let case = case_file(row)?;
        items.push(summary_of(
            row,
            &case,
            PortalMunicipality {
                id: row.organization_id,
                name,
            },
        ));
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(ResidentRequestPage { items, next_cursor }))
}

/// One of the resident's requests; someone else's is 404.
pub(super) async fn own_request(
    state: &AppState,
    resident: &Resident,
    id: Uuid,
) -> Result<RequestRow, ApiError> {
    vern_db::requests::find(&state.db.conn, id)
        .await?
        .filter(|row| row.requester_key.as_deref() == Some(resident.subject_key.as_str()))
        .ok_or_else(ApiError::not_found)
}

/// Get one of the resident's requests
///
/// One of the resident's requests: status, deadline, what they wrote and what they have been
/// told (received, identity clarification, extension with reasons, answer ready, refused).
#[utoipa::path(
    tag = "resident",
    operation_id = "resident_get_request",
    params(("request_id" = Uuid, Path, description = "The request")),
    security(("resident_session" = [])),
    responses(
        (status = 200, description = "The request", body = ResidentRequest),
        (status = 400, description = "The id is not a UUID (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the resident's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/resident/requests/{request_id}")]
pub async fn get_mine(
    resident: Resident,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let row = own_request(&state, &resident, id.into_inner()).await?;
    let view = resident_view(&state, &row).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(view))
}

/// Withdraw the resident's request
///
/// The resident withdraws their own request while it is open: the case closes as withdrawn,
/// open tasks to the systems are cancelled, and the window for its contents starts.
#[utoipa::path(
    tag = "resident",
    operation_id = "resident_withdraw_request",
    params(("request_id" = Uuid, Path, description = "The request")),
    security(("resident_session" = [])),
    responses(
        (status = 200, description = "Withdrawn", body = ResidentRequest),
        (status = 400, description = "The id is not a UUID (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the resident's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed already (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The case changed at the same moment; try again (`precondition_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/resident/requests/{request_id}/withdraw")]
pub async fn withdraw(
    resident: Resident,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let row = own_request(&state, &resident, id.into_inner()).await?;
    let now = Utc::now();
    let mut case = case_file(&row)?;
    case.apply(vern_domain::requests::CaseAction::Withdraw, oslo_date(now))
        .map_err(|e| ApiError::new(ProblemCode::InvalidTransition).detail(e.to_string()))?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    super::requests::store_case(&txn, &row, &case, None, now).await?;
    record_event(
        &txn,
        &resident,
        &req,
        &row,
        CaseEventKind::Withdrawn,
        Some("resident".to_owned()),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    let row = own_request(&state, &resident, row.id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(resident_view(&state, &row).await?))
}

/// The outcome, if the caller may read it now: their own closed case, inside the window,
/// with a fresh login. Logs the view (or download) in the case's history and the audit log.
async fn open_answer(
    state: &AppState,
    resident: &Resident,
    req: &HttpRequest,
    id: Uuid,
    kind: CaseEventKind,
) -> Result<ResidentAnswer, ApiError> {
    let config = login_config(state)?;
    let row = own_request(state, resident, id).await?;
    let case = case_file(&row)?;
    let now = Utc::now();
    match answer_state(case.status, row.answer_until, row.purged_at.is_some(), now) {
        AnswerState::Ready => {}
        AnswerState::Closed => return Err(ApiError::new(ProblemCode::AnswerWindowClosed)),
        AnswerState::Pending | AnswerState::None => {
            return Err(ApiError::new(ProblemCode::InvalidTransition)
                .detail("there is no answer to read for this request"));
        }
    }
    if !login_is_fresh(resident.auth_time, now, config.fresh_minutes) {
        return Err(ApiError::new(ProblemCode::FreshLoginRequired).detail(format!(
            "log in again (/api/v1/resident/login?fresh=true): an answer opens only within {} minutes of a login",
            config.fresh_minutes
        )));
    }
    let outcome = match case.status {
        CaseStatus::Refused => CaseEventKind::Refused,
        _ => CaseEventKind::Answered,
    };
    let event = vern_db::requests::events_of_kinds(&state.db.conn, row.id, &[outcome.as_str()])
        .await?
        .pop()
        .ok_or_else(|| ApiError::internal(DbError::InvalidRow("request_events.answer")))?;
    let text = match &event.text {
        Some(sealed) => state.open_content(sealed)?,
        None => return Err(ApiError::new(ProblemCode::AnswerWindowClosed)),
    };
    let txn = vern_db::connection::begin_write(&state.db).await?;
    record_event(&txn, resident, req, &row, kind, None, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(ResidentAnswer {
        request_id: row.id,
        reference: format!("{}/{}", row.year, row.sequence),
        status: case.status,
        text,
        refusal_ground: vern_db::requests::refusal_of(&row)?,
        released_at: event.at,
        readable_until: row.answer_until.unwrap_or(now),
    })
}

/// Read the answer to the resident's request
///
/// Reads the answer (or the reasons for a refusal) in the secure window.
#[utoipa::path(
    tag = "resident",
    operation_id = "resident_read_answer",
    description = "Only the requester, only after a login of the last few minutes (`VERN_RESIDENT_FRESH_LOGIN_MINUTES`), only until the window closes (the municipality's `answer_window_days` from the release). Every read is logged.",
    params(("request_id" = Uuid, Path, description = "The request")),
    security(("resident_session" = [])),
    responses(
        (status = 200, description = "The answer", body = ResidentAnswer),
        (status = 400, description = "The id is not a UUID (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in, or the login is not fresh (`unauthenticated`, `fresh_login_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the resident's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is still open or was withdrawn (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The window has closed (`answer_window_closed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/resident/requests/{request_id}/answer")]
pub async fn read_answer(
    resident: Resident,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let answer = open_answer(
        &state,
        &resident,
        &req,
        id.into_inner(),
        CaseEventKind::AnswerViewed,
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(answer))
}

/// Download the answer to the resident's request
///
/// Downloads the answer as a text file, on the same conditions as reading it.
#[utoipa::path(
    tag = "resident",
    operation_id = "resident_download_answer",
    params(("request_id" = Uuid, Path, description = "The request")),
    security(("resident_session" = [])),
    responses(
        (status = 200, description = "The answer as UTF-8 text", body = String, content_type = "text/plain", headers(("Content-Disposition" = String, description = "attachment; filename=…"))),
        (status = 400, description = "The id is not a UUID (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in, or the login is not fresh (`unauthenticated`, `fresh_login_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request among the resident's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is still open or was withdrawn (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The window has closed (`answer_window_closed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/resident/requests/{request_id}/answer/download")]
pub async fn download_answer(
    resident: Resident,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let answer = open_answer(
        &state,
        &resident,
        &req,
        id.into_inner(),
        CaseEventKind::AnswerDownloaded,
    )
    .await?;
    let file = format!("svar-{}.txt", answer.reference.replace('/', "-"));
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(answer.text))
}
