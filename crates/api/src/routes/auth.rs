//! Logging in (password, then a TOTP code), refreshing and logging out.
//!
//! The access token goes in the JSON answer and is kept in memory by the SPA; the refresh
//! token goes in an HttpOnly, SameSite=Strict cookie scoped to `/api/v1/auth`, and is
//! rotated on every use.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::sessions::Rotation;
use vern_domain::EmailAddress;
use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
use vern_domain::access::auth::{
    AuthMethod, LoginChallenge, LoginRequest, TokenResponse, TotpRequest,
};
use vern_domain::access::throttle::{PER_ACCOUNT, PER_ADDRESS, ThrottlePolicy};
use vern_domain::problem::{Problem, ProblemCode};

use crate::auth::credentials::{check_totp, verify_password};
use crate::auth::tokens::{self, ACCESS_AUDIENCE, MFA_AUDIENCE};
use crate::auth::{
    ACCESS_TOKEN_SECONDS, Authenticated, MFA_TOKEN_SECONDS, REFRESH_COOKIE, SESSION_HOURS,
    random_token, token_hash,
};
use crate::error::ApiError;
use crate::middleware::request_id;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(login)
        .service(login_totp)
        .service(refresh)
        .service(logout);
}

fn invalid_credentials() -> ApiError {
    ApiError::new(ProblemCode::InvalidCredentials)
}

pub(crate) fn login_event(
    user: Option<Uuid>,
    action: &'static str,
    outcome: Outcome,
    req: &HttpRequest,
) -> AuditDraft {
    AuditDraft {
        organization_id: None,
        actor_kind: if user.is_some() {
            ActorKind::User
        } else {
            ActorKind::System
        },
        actor_id: user,
        action,
        target_type: "session",
        target_id: None,
        request_id: request_id(req),
        outcome,
    }
}

/// Throttling keys: hashes, so neither e-mail nor IP addresses are stored.
fn account_key(email: &str) -> String {
    format!("acct:{}", token_hash(&email.trim().to_lowercase()))
}

pub(crate) fn account_key_for(email: &str) -> String {
    account_key(email)
}

pub(crate) fn address_key(req: &HttpRequest) -> String {
    let ip = crate::auth::extractor::client_ip(req)
        .map(|ip| ip.to_string())
        .unwrap_or_default();
    format!("addr:{}", token_hash(&ip))
}

/// 429 when either key is locked now.
pub(crate) async fn check_throttle(
    state: &AppState,
    keys: &[(&ThrottlePolicy, &str)],
) -> Result<(), ApiError> {
    let now = Utc::now();
    for (policy, key) in keys {
        let current = vern_db::throttle::get(&state.db.conn, key).await?;
        if let Some(wait) = policy.retry_after(current.as_ref(), now) {
            return Err(ApiError::rate_limited(wait));
        }
    }
    Ok(())
}

/// Counts a failure against each key and audits it, in one transaction.
pub(crate) async fn record_failure(
    state: &AppState,
    keys: &[(&ThrottlePolicy, &str)],
    draft: AuditDraft,
) -> Result<(), ApiError> {
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    for (policy, key) in keys {
        let current = vern_db::throttle::get(&txn, key).await?;
        vern_db::throttle::put(&txn, key, policy.record_failure(current, now)).await?;
    }
    vern_db::audit::append(&txn, draft, now).await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(())
}

/// Checks a code from the user's authenticator app under the per-account and per-address
/// throttles: a wrong code counts against both and is audited as `action` denied. Answers
/// the time step the code belongs to (to be recorded, so the code works once).
pub(crate) async fn verify_totp(
    state: &AppState,
    req: &HttpRequest,
    user: &vern_db::identity::UserRow,
    code: &str,
    action: &'static str,
) -> Result<i64, ApiError> {
    let sealed = user
        .totp_secret
        .as_deref()
        .ok_or_else(invalid_credentials)?;
    let secret = state.open_secret(sealed)?;
    let (account, address) = (account_key(&user.email), address_key(req));
    let keys = [
        (&PER_ACCOUNT, account.as_str()),
        (&PER_ADDRESS, address.as_str()),
    ];
    check_throttle(state, &keys).await?;
    match check_totp(&secret, code.trim(), unix_now(), user.totp_last_step) {
        Some(step) => Ok(step),
        None => {
            let event = login_event(Some(user.id), action, Outcome::Denied, req);
            record_failure(state, &keys, event).await?;
            Err(invalid_credentials())
        }
    }
}

pub(crate) fn unix_now() -> u64 {
    u64::try_from(Utc::now().timestamp()).unwrap_or_default()
}

/// Log in with e-mail and password
///
/// Log in, step one: e-mail and password.
///
/// Answers a short-lived `mfa_token` for the second step. A wrong e-mail and a wrong
/// password get the same answer, in the same time.
#[utoipa::path(
    tag = "auth",
    operation_id = "login",
    request_body = LoginRequest,
    security(()),
    responses(
        (status = 200, description = "Password accepted; send a second factor next", body = LoginChallenge),
        (status = 400, description = "The body is not JSON (`invalid_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "E-mail or password wrong (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The account has no second factor yet (`second_factor_missing`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts for this account or address; see `Retry-After` (`rate_limited`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json` (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body does not match the schema (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<web::Json<LoginChallenge>, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let (account, address) = (account_key(&email), address_key(&req));
    let keys = [
        (&PER_ACCOUNT, account.as_str()),
        (&PER_ADDRESS, address.as_str()),
    ];
    check_throttle(&state, &keys).await?;
    let user = match EmailAddress::parse(&email) {
        Ok(email) => vern_db::identity::find_user_by_email(&state.db.conn, &email).await?,
        Err(_) => None,
    };
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let password_ok = web::block(move || {
        password.chars().count() <= 128 && verify_password(&password, stored.as_deref())
    })
    .await
    .map_err(ApiError::internal)?;
    let user = user.filter(|u| password_ok && u.status == vern_db::identity::STATUS_ACTIVE);
    let Some(user) = user else {
        let event = login_event(None, "auth.login", Outcome::Denied, &req);
        record_failure(&state, &keys, event).await?;
        return Err(invalid_credentials());
    };
    let mut methods = Vec::new();
    if user.totp_secret.is_some() {
        methods.push("totp".to_owned());
    }
    if vern_db::passkeys::count_for_user(&state.db.conn, user.id).await? > 0 {
        methods.push("passkey".to_owned());
    }
    if methods.is_empty() {
        return Err(ApiError::new(ProblemCode::SecondFactorMissing));
    }
    let mfa_token = tokens::issue(
        &state.keys,
        &state.public_url,
        MFA_AUDIENCE,
        user.id,
        None,
        unix_now(),
        MFA_TOKEN_SECONDS,
    )
    .map_err(ApiError::internal)?;
    Ok(web::Json(LoginChallenge { mfa_token, methods }))
}

/// Complete the login with a TOTP code
///
/// Log in, step two: a code from the authenticator app.
///
/// Answers the access token and sets the refresh cookie. Each code works once.
#[utoipa::path(
    tag = "auth",
    operation_id = "login_totp",
    request_body = TotpRequest,
    security(()),
    responses(
        (status = 200, description = "Logged in; the refresh token is in the `vern_refresh` cookie", body = TokenResponse),
        (status = 400, description = "The body is not JSON (`invalid_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "The code or the mfa_token is wrong or expired (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts for this account or address; see `Retry-After` (`rate_limited`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json` (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body does not match the schema (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/mfa/totp")]
pub async fn login_totp(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<TotpRequest>,
) -> Result<HttpResponse, ApiError> {
    let claims = tokens::verify(
        &state.keys,
        &state.public_url,
        MFA_AUDIENCE,
        &body.mfa_token,
    )
    .map_err(|_| invalid_credentials())?;
    let user = vern_db::identity::find_user(&state.db.conn, claims.sub)
        .await?
        .ok_or_else(invalid_credentials)?;
    let step = verify_totp(&state, &req, &user, &body.code, "auth.login").await?;
    let account = account_key(&user.email);
    open_session(
        &state,
        &req,
        user.id,
        AuthMethod::PasswordTotp,
        Some(step),
        Some(&account),
        "auth.login",
    )
    .await
}

/// Opens a session after a successful login (recording the TOTP step used, if any) and
/// answers the access token with the refresh cookie.
pub(crate) async fn open_session(
    state: &AppState,
    req: &HttpRequest,
    user_id: Uuid,
    auth_method: AuthMethod,
    totp_step: Option<i64>,
    clear_throttle: Option<&str>,
    action: &'static str,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let refresh_token = random_token().map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if let Some(step) = totp_step {
        vern_db::identity::set_totp_last_step(&txn, user_id, step).await?;
    }
    if let Some(key) = clear_throttle {
        vern_db::throttle::clear(&txn, key).await?;
    }
    let session = vern_db::sessions::create(
        &txn,
        user_id,
        auth_method,
        token_hash(&refresh_token),
        now + chrono::Duration::hours(SESSION_HOURS),
        now,
    )
    .await?;
    let mut event = login_event(Some(user_id), action, Outcome::Success, req);
    event.target_id = Some(session.id.to_string());
    vern_db::audit::append(&txn, event, now).await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    token_response(state, user_id, session.id, refresh_token)
}

fn token_response(
    state: &AppState,
    user_id: Uuid,
    session_id: Uuid,
    refresh_token: String,
) -> Result<HttpResponse, ApiError> {
    let access_token = tokens::issue(
        &state.keys,
        &state.public_url,
        ACCESS_AUDIENCE,
        user_id,
        Some(session_id),
        unix_now(),
        ACCESS_TOKEN_SECONDS,
    )
    .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .cookie(refresh_cookie(
            state,
            refresh_token,
            CookieDuration::hours(SESSION_HOURS),
        ))
        .json(TokenResponse {
            access_token,
            token_type: "Bearer".to_owned(),
            expires_in: ACCESS_TOKEN_SECONDS,
        }))
}

fn refresh_cookie(state: &AppState, value: String, max_age: CookieDuration) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, value)
        .path("/api/v1/auth")
        .http_only(true)
        .secure(state.public_url.starts_with("https://"))
        .same_site(SameSite::Strict)
        .max_age(max_age)
        .finish()
}

fn cleared_cookie(state: &AppState) -> Cookie<'static> {
    refresh_cookie(state, String::new(), CookieDuration::ZERO)
}

/// Exchange the refresh cookie for a new access token
///
/// Get a new access token with the refresh cookie; the cookie is replaced.
///
/// A refresh token works once. Presenting one that was already used ends the session:
/// someone else may hold a copy.
#[utoipa::path(
    tag = "auth",
    operation_id = "refresh_token",
    security(()),
    responses(
        (status = 200, description = "A new access token; the cookie is rotated", body = TokenResponse),
        (status = 401, description = "No valid refresh cookie, or it was used before (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let Some(old) = req
        .cookie(REFRESH_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
    else {
        return Err(ApiError::new(ProblemCode::Unauthenticated));
    };
    let new = random_token().map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let rotation =
        vern_db::sessions::rotate(&txn, &token_hash(&old), token_hash(&new), now).await?;
    match rotation {
        Rotation::Rotated(session) => {
            txn.commit().await.map_err(vern_db::DbError::from)?;
            token_response(&state, session.user_id, session.id, new)
        }
        Rotation::Reused {
            session_id,
            user_id,
        } => {
            let mut event =
                login_event(Some(user_id), "auth.refresh_reused", Outcome::Denied, &req);
            event.target_id = Some(session_id.to_string());
            vern_db::audit::append(&txn, event, now).await?;
            txn.commit().await.map_err(vern_db::DbError::from)?;
            Ok(unauthenticated_clearing(&state))
        }
        Rotation::Invalid => Ok(unauthenticated_clearing(&state)),
    }
}

fn unauthenticated_clearing(state: &AppState) -> HttpResponse {
    let err = ApiError::new(ProblemCode::Unauthenticated).detail("log in again");
    let mut response = actix_web::ResponseError::error_response(&err);
    let _ = response.add_cookie(&cleared_cookie(state));
    response
}

/// Log out
///
/// End the current session: its access and refresh tokens stop working at once.
#[utoipa::path(
    tag = "auth",
    operation_id = "logout",
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "The session is ended and the cookie cleared"),
        (status = 401, description = "No valid access token (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Authenticated,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    vern_db::sessions::revoke(&txn, auth.session_id, "logout", now).await?;
    let mut event = login_event(Some(auth.user_id), "auth.logout", Outcome::Success, &req);
    event.target_id = Some(auth.session_id.to_string());
    vern_db::audit::append(&txn, event, now).await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::NoContent()
        .cookie(cleared_cookie(&state))
        .finish())
}
