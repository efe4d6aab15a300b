//! Step-up: a logged-in user proves the second factor again — a passkey or a TOTP code —
//! before a sensitive step such as signing an agreement. The proof counts for
//! `STEP_UP_SECONDS` in this session.

use actix_web::{HttpRequest, post, web};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;
use vern_db::DbError;
use vern_domain::access::audit::Outcome;
use vern_domain::access::auth::{
    STEP_UP_SECONDS, StepUpAssertion, StepUpResult, StepUpTotp, StrongAuth,
};
use vern_domain::access::passkeys::{CeremonyKind, PasskeyChallenge};
use vern_domain::access::throttle::PER_ADDRESS;
use vern_domain::problem::{Problem, ProblemCode};
use webauthn_rs::prelude::{PasskeyAuthentication, PublicKeyCredential};

use super::auth::{address_key, check_throttle, login_event, record_failure, verify_totp};
use super::passkeys::{
    challenge, from_state, internal, record_passkey_use, stored_passkey, to_state,
};
use crate::auth::Authenticated;
use crate::body::Body;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(step_up_totp)
        .service(start_step_up_passkey)
        .service(finish_step_up_passkey);
}

fn invalid_credentials() -> ApiError {
    ApiError::new(ProblemCode::InvalidCredentials)
}

async fn record_step_up(
    state: &AppState,
    req: &HttpRequest,
    user: &Authenticated,
    method: StrongAuth,
    totp_step: Option<i64>,
) -> Result<web::Json<StepUpResult>, ApiError> {
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if let Some(step) = totp_step {
        vern_db::identity::set_totp_last_step(&txn, user.user_id, step).await?;
    }
    vern_db::sessions::mark_strong_auth(&txn, user.session_id, method, now).await?;
    let mut event = login_event(Some(user.user_id), "auth.step_up", Outcome::Success, req);
    event.target_id = Some(user.session_id.to_string());
    vern_db::audit::append(&txn, event, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(web::Json(StepUpResult {
        method,
        valid_until: now + chrono::Duration::seconds(STEP_UP_SECONDS),
    }))
}

/// Confirm with a TOTP code before a sensitive step
///
/// Prove the second factor again with a code from the authenticator app.
#[utoipa::path(
    tag = "auth",
    operation_id = "step_up_totp",
    request_body = StepUpTotp,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Confirmed; sensitive steps are allowed until `valid_until`", body = StepUpResult),
        (status = 400, description = "The body is not JSON (`invalid_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in, or the code is wrong (`unauthenticated`, `invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json` (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body does not match the schema (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see `Retry-After` (`rate_limited`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/step-up/totp")]
pub async fn step_up_totp(
    user: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Body<StepUpTotp>,
) -> Result<web::Json<StepUpResult>, ApiError> {
    let body = body.parse()?;
    let row = vern_db::identity::find_user(&state.db.conn, user.user_id)
        .await?
        .ok_or_else(invalid_credentials)?;
    let step = verify_totp(&state, &req, &row, &body.code, "auth.step_up").await?;
    record_step_up(&state, &req, &user, StrongAuth::Totp, Some(step)).await
}

/// Start a passkey confirmation before a sensitive step
///
/// Start proving the second factor again with a passkey: the challenge.
#[utoipa::path(
    tag = "auth",
    operation_id = "start_step_up_passkey",
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Options for `navigator.credentials.get`", body = PasskeyChallenge),
        (status = 401, description = "Not logged in, or the user has no passkey (`unauthenticated`, `invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/step-up/passkey/challenge")]
pub async fn start_step_up_passkey(
    user: Authenticated,
    state: web::Data<AppState>,
) -> Result<web::Json<PasskeyChallenge>, ApiError> {
    let passkeys = vern_db::passkeys::for_user(&state.db.conn, user.user_id)
        .await?
        .iter()
        .map(stored_passkey)
        .collect::<Result<Vec<_>, _>>()?;
    if passkeys.is_empty() {
        return Err(invalid_credentials());
    }
    let (options, authentication) = state
        .webauthn
        .start_passkey_authentication(&passkeys)
        .map_err(internal)?;
    let mut options = serde_json::to_value(&options).map_err(internal)?;
    if let Some(public_key) = options.get_mut("publicKey").and_then(|p| p.as_object_mut()) {
        public_key.insert("userVerification".into(), "required".into());
    }
    Ok(web::Json(
        challenge(
            &state,
            Some(user.user_id),
            CeremonyKind::StepUp,
            options,
            to_state(&authentication)?,
        )
        .await?,
    ))
}

/// Complete a passkey confirmation before a sensitive step
///
/// The second half of a step-up: send the authenticator's assertion for the challenge from
/// `POST /auth/step-up/passkey/challenge`. On success the session may take the steps that
/// need a fresh confirmation until `valid_until`.
#[utoipa::path(
    tag = "auth",
    operation_id = "finish_step_up_passkey",
    request_body = StepUpAssertion,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Confirmed; sensitive steps are allowed until `valid_until`", body = StepUpResult),
        (status = 400, description = "Malformed body (`invalid_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in, or the passkey or ceremony is not valid (`unauthenticated`, `invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body does not match the schema (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts from this address; see `Retry-After` (`rate_limited`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/step-up/passkey")]
pub async fn finish_step_up_passkey(
    user: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Body<StepUpAssertion>,
) -> Result<web::Json<StepUpResult>, ApiError> {
    let body = body.parse()?;
    let address = address_key(&req);
    let keys = [(&PER_ADDRESS, address.as_str())];
    check_throttle(&state, &keys).await?;
    let now = Utc::now();
    let fail = || login_event(Some(user.user_id), "auth.step_up", Outcome::Denied, &req);
    let ceremony = vern_db::passkeys::take_ceremony(
        &state.db.conn,
        body.ceremony_id,
        CeremonyKind::StepUp,
        Some(user.user_id),
        now,
    )
    .await?;
    let verified = match ceremony {
        Some(ceremony) => {
            let authentication: PasskeyAuthentication = from_state(&ceremony)?;
            serde_json::from_value::<PublicKeyCredential>(body.credential)
                .ok()
                .and_then(|credential| {
                    state
                        .webauthn
                        .finish_passkey_authentication(&credential, &authentication)
                        .ok()
                })
        }
        None => None,
    };
    let Some(result) = verified else {
        record_failure(&state, &keys, fail()).await?;
        return Err(invalid_credentials());
    };
    if !result.user_verified() {
        record_failure(&state, &keys, fail()).await?;
        return Err(invalid_credentials());
    }
    record_passkey_use(&state, user.user_id, &result, now).await?;
    record_step_up(&state, &req, &user, StrongAuth::Passkey, None).await
}
