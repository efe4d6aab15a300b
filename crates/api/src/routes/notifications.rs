//! The caller's in-app notifications: what happened or is due in the organisations they
//! work for (vendors' incident notices, incident clocks, request deadlines), newest first,
//! and marking them read.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::reviews::IdCursor;
use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
use vern_domain::notifications::{NotificationPage, NotificationPreferences};
use vern_domain::problem::Problem;

use super::common::{ParamErrors, cursor};
use crate::auth::Authenticated;
use crate::body::Body;
use crate::error::ApiError;
use crate::middleware::request_id;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_notifications)
        .service(read_all_notifications)
        .service(read_notification)
        .service(get_preferences)
        .service(put_preferences);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationListParams {
    /// Page size, 1–500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 50)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// `true`: only unread ones.
    #[param(value_type = Option<bool>)]
    unread: Option<String>,
}

/// List my notifications
///
/// The caller's notifications, newest first, with the number unread.
#[utoipa::path(
    tag = "me",
    operation_id = "list_my_notifications",
    description = "Each names its kind, its subject (an incident or a request, by id) and what its text needs (a reference, a title, a deadline) — never personal data. Texts are the client's to show in the reader's language.",
    params(NotificationListParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of notifications", body = NotificationPage),
        (status = 400, description = "A query parameter is malformed (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range, or the cursor is not valid (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/notifications")]
pub async fn list_notifications(
    state: web::Data<AppState>,
    auth: Authenticated,
    params: web::Query<NotificationListParams>,
) -> Result<web::Json<NotificationPage>, ApiError> {
    let mut errors = ParamErrors::default();
    let limit = errors.limit(params.limit.as_deref());
    let unread = errors.flag("unread", params.unread.as_deref());
    errors.finish()?;
    let after = cursor::<IdCursor>(params.cursor.as_deref())?;
    let (items, next_cursor, unread_count) = vern_db::notifications::list(
        &state.db.conn,
        auth.user_id,
        unread == Some(true),
        limit,
        after,
    )
    .await?;
    Ok(web::Json(NotificationPage {
        items,
        next_cursor,
        unread: unread_count,
    }))
}

fn event(auth: &Authenticated, req: &HttpRequest, target: Option<Uuid>) -> AuditDraft {
    AuditDraft {
        organization_id: None,
        actor_kind: ActorKind::User,
        actor_id: Some(auth.user_id),
        action: "notification.read",
        target_type: "notification",
        target_id: target.map(|t| t.to_string()),
        request_id: request_id(req),
        outcome: Outcome::Success,
    }
}

/// Mark a notification read
///
/// Marks one of the caller's notifications read.
#[utoipa::path(
    tag = "me",
    operation_id = "read_my_notification",
    params(("notification_id" = Uuid, Path, description = "The notification")),
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "Read"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No notification of the caller's with this id (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/notifications/{notification_id}/read")]
pub async fn read_notification(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Authenticated,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if !vern_db::notifications::owns(&txn, auth.user_id, id).await? {
        return Err(ApiError::not_found());
    }
    if vern_db::notifications::mark_read(&txn, auth.user_id, Some(id), now).await? > 0 {
        vern_db::audit::append(&txn, event(&auth, &req, Some(id)), now).await?;
    }
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mark all notifications read
///
/// Marks all the caller's notifications read.
#[utoipa::path(
    tag = "me",
    operation_id = "read_all_my_notifications",
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "All read"),
        (status = 401, description = "No valid access token (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/notifications/read")]
pub async fn read_all_notifications(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Authenticated,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if vern_db::notifications::mark_read(&txn, auth.user_id, None, now).await? > 0 {
        vern_db::audit::append(&txn, event(&auth, &req, None), now).await?;
    }
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::NoContent().finish())
}

/// My notification preferences
///
/// The caller's choices: the language of their e-mails, and which kinds come by e-mail.
#[utoipa::path(
    tag = "me",
    operation_id = "get_my_notification_preferences",
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The choices; every kind is e-mailed unless switched off", body = NotificationPreferences),
        (status = 401, description = "No valid access token (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/notification-preferences")]
pub async fn get_preferences(
    state: web::Data<AppState>,
    auth: Authenticated,
) -> Result<web::Json<NotificationPreferences>, ApiError> {
    let (language, off) = vern_db::notifications::preferences(&state.db.conn, auth.user_id).await?;
    Ok(web::Json(NotificationPreferences::from_stored(
        language, &off,
    )))
}

/// Set my notification preferences
///
/// Sets the language of the caller's e-mails and which kinds come by e-mail (kinds left out
/// keep their choice).
#[utoipa::path(
    tag = "me",
    operation_id = "put_my_notification_preferences",
    request_body = NotificationPreferences,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Saved; the choices now", body = NotificationPreferences),
        (status = 400, description = "Malformed body (`invalid_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown language or kind (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/notification-preferences")]
pub async fn put_preferences(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Authenticated,
    body: Body<NotificationPreferences>,
) -> Result<web::Json<NotificationPreferences>, ApiError> {
    let input = body.parse()?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let (_, current) = vern_db::notifications::preferences(&txn, auth.user_id).await?;
    let off = input.switched_off(&current);
    vern_db::notifications::set_preferences(&txn, auth.user_id, input.language, &off, now).await?;
    vern_db::audit::append(
        &txn,
        AuditDraft {
            organization_id: None,
            actor_kind: ActorKind::User,
            actor_id: Some(auth.user_id),
            action: "notification_preferences.changed",
            target_type: "user",
            target_id: Some(auth.user_id.to_string()),
            request_id: request_id(&req),
            outcome: Outcome::Success,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(web::Json(NotificationPreferences::from_stored(
        input.language,
        &off,
    )))
}
