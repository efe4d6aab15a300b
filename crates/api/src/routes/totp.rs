//! The caller's own authenticator app (TOTP): enrol a new one (replacing the old once the
//! new one is confirmed with a code) or remove it when a passkey remains.

use actix_web::{HttpRequest, HttpResponse, delete, post, put, web};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;
use vern_db::DbError;
use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
use vern_domain::access::auth::ConfirmTotp;
use vern_domain::access::invitation::TotpEnrolment;
use vern_domain::problem::{Problem, ProblemCode};

use super::auth::unix_now;
use crate::auth::Authenticated;
use crate::auth::credentials::{check_totp, enrolment, new_totp_secret};
use crate::error::ApiError;
use crate::middleware::request_id;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(start_totp_enrolment)
        .service(confirm_totp)
        .service(remove_totp);
}

fn event(auth: &Authenticated, req: &HttpRequest, action: &'static str) -> AuditDraft {
    AuditDraft {
        organization_id: None,
        actor_kind: ActorKind::User,
        actor_id: Some(auth.user_id),
        action,
        target_type: "user",
        target_id: Some(auth.user_id.to_string()),
        request_id: request_id(req),
        outcome: Outcome::Success,
    }
}

/// Get a new TOTP secret to enrol
///
/// Start enrolling an authenticator app: a fresh secret, as text and as a QR code. The
/// current app (if any) keeps working until the new one is confirmed; asking again
/// replaces the secret offered before.
#[utoipa::path(
    tag = "me",
    operation_id = "start_totp_enrolment",
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The secret to enrol; confirm it with `PUT /me/totp`", body = TotpEnrolment),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/totp-enrolment")]
pub async fn start_totp_enrolment(
    auth: Authenticated,
    state: web::Data<AppState>,
) -> Result<web::Json<TotpEnrolment>, ApiError> {
    let user = vern_db::identity::find_user(&state.db.conn, auth.user_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let secret = new_totp_secret().map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?;
    let (otpauth_uri, qr_png_base64) = enrolment(&secret, &user.email)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("TOTP enrolment")))?;
    let sealed = state.seal_secret(&secret)?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    vern_db::identity::set_pending_totp(&txn, user.id, &sealed, Utc::now()).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(web::Json(TotpEnrolment {
        secret,
        otpauth_uri,
        qr_png_base64,
    }))
}

/// Confirm a new authenticator app
///
/// Confirm the authenticator app offered by `POST /me/totp-enrolment` with its first
/// code. It replaces the previous app at once.
#[utoipa::path(
    tag = "me",
    operation_id = "confirm_totp",
    request_body = ConfirmTotp,
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "The new app is enrolled; the old one no longer works"),
        (status = 400, description = "Malformed body (`invalid_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No enrolment was started (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The code is not valid for the new secret (`validation_failed`, field `code`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/totp")]
pub async fn confirm_totp(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<ConfirmTotp>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let user = vern_db::identity::find_user(&txn, auth.user_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let sealed = user
        .pending_totp_secret
        .ok_or_else(|| ApiError::new(ProblemCode::Conflict).detail("start an enrolment first"))?;
    let secret = state.open_secret(&sealed)?;
    let step = check_totp(&secret, body.code.trim(), unix_now(), None)
        .ok_or_else(|| ApiError::validation("code", "invalid_code"))?;
    vern_db::identity::confirm_totp(&txn, user.id, &sealed, step, now).await?;
    let action = if user.totp_secret.is_some() {
        "totp.replaced"
    } else {
        "totp.enrolled"
    };
    vern_db::audit::append(&txn, event(&auth, &req, action), now).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(HttpResponse::NoContent().finish())
}

/// Remove the authenticator app
///
/// Remove the authenticator app. Refused while it is the only second factor.
#[utoipa::path(
    tag = "me",
    operation_id = "remove_totp",
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "Removed; log in with a passkey from now on"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No authenticator app is enrolled (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It is the only second factor; add a passkey first (`conflict`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/totp")]
pub async fn remove_totp(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let user = vern_db::identity::find_user(&txn, auth.user_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if user.totp_secret.is_none() {
        return Err(ApiError::not_found());
    }
    if vern_db::passkeys::count_for_user(&txn, user.id).await? == 0 {
        return Err(ApiError::new(ProblemCode::Conflict)
            .detail("this is your only second factor; add a passkey first"));
    }
    vern_db::identity::remove_totp(&txn, user.id, now).await?;
    vern_db::audit::append(&txn, event(&auth, &req, "totp.removed"), now).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(HttpResponse::NoContent().finish())
}
