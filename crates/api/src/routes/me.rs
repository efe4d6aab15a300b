use actix_web::{HttpRequest, HttpResponse, delete, get, web};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
use vern_domain::access::auth::{AuthMethod, Me, SessionList, SessionView};
use vern_domain::problem::Problem;

use crate::middleware::request_id;

use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(me).service(my_sessions).service(end_my_session);
}

/// The logged-in user and their roles
///
/// Who the caller is: user, session, and the organisations and roles in force now.
#[utoipa::path(
    tag = "auth",
    operation_id = "get_me",
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, description = "No valid access token (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn me(
    state: web::Data<AppState>,
    auth: Authenticated,
) -> Result<web::Json<Me>, ApiError> {
    let user = vern_db::identity::find_user(&state.db.conn, auth.user_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(web::Json(Me {
        user_id: user.id,
        email: user.email,
        display_name: user.display_name,
        session_id: auth.session_id,
        auth_method: auth.auth_method,
        totp_enrolled: user.totp_secret.is_some(),
        memberships: auth.memberships,
    }))
}

/// My sessions
///
/// The caller's live sessions, so that one left open elsewhere can be ended.
#[utoipa::path(
    tag = "me",
    operation_id = "list_my_sessions",
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Live sessions, most recently used first", body = SessionList),
        (status = 401, description = "No valid access token (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/sessions")]
pub async fn my_sessions(
    state: web::Data<AppState>,
    auth: Authenticated,
) -> Result<web::Json<SessionList>, ApiError> {
    let rows = vern_db::sessions::live_for_user(&state.db.conn, auth.user_id, Utc::now()).await?;
    let items = rows
        .into_iter()
        .map(|s| {
            let auth_method = AuthMethod::parse(&s.auth_method)
                .ok_or(vern_db::DbError::InvalidRow("sessions.auth_method"))?;
            Ok(SessionView {
                current: s.id == auth.session_id,
                id: s.id,
                created_at: s.created_at,
                last_used_at: s.last_used_at,
                expires_at: s.expires_at,
                auth_method,
            })
        })
        .collect::<Result<Vec<_>, vern_db::DbError>>()?;
    Ok(web::Json(SessionList { items }))
}

/// End a session
///
/// End one of the caller's sessions: its tokens stop working at once.
#[utoipa::path(
    tag = "me",
    operation_id = "end_my_session",
    params(("session_id" = Uuid, Path, description = "The session")),
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "Ended"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No live session of the caller's with this id (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/sessions/{session_id}")]
pub async fn end_my_session(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Authenticated,
    session_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = session_id.into_inner();
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let session = vern_db::sessions::find(&txn, id)
        .await?
        .filter(|s| s.user_id == auth.user_id && vern_db::sessions::is_live(s, now))
        .ok_or_else(ApiError::not_found)?;
    vern_db::sessions::revoke(&txn, session.id, "ended_by_user", now).await?;
    vern_db::audit::append(
        &txn,
        AuditDraft {
            organization_id: None,
            actor_kind: ActorKind::User,
            actor_id: Some(auth.user_id),
            action: "session.ended",
            target_type: "session",
            target_id: Some(id.to_string()),
            request_id: request_id(&req),
            outcome: Outcome::Success,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::NoContent().finish())
}
