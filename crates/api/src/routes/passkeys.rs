//! Passkeys (WebAuthn, through webauthn-rs): registering them from a logged-in session,
//! and logging in with one — as the second factor after the password, or passwordless
//! with a discoverable credential. Ceremonies are kept in the database for five minutes
//! and work once.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::DbError;
use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
use vern_domain::access::auth::AuthMethod;
use vern_domain::access::passkeys::{
    CEREMONY_SECONDS, CeremonyKind, MAX_PASSKEYS_PER_USER, MfaToken, PasskeyAssertion,
    PasskeyChallenge, PasskeyList, PasskeyView, RegisterPasskey, check_passkey_name,
};
use vern_domain::access::throttle::PER_ADDRESS;
use vern_domain::problem::{Problem, ProblemCode};
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyAuthentication, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential,
};

use super::auth::{address_key, check_throttle, login_event, open_session, record_failure};
use crate::auth::Authenticated;
use crate::auth::tokens::{self, MFA_AUDIENCE};
use crate::error::ApiError;
use crate::middleware::request_id;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(list_passkeys)
        .service(start_passkey_registration)
        .service(finish_passkey_registration)
        .service(delete_passkey)
        .service(start_passkey_second_factor)
        .service(start_passkey_login)
        .service(finish_passkey_login);
}

fn invalid_credentials() -> ApiError {
    ApiError::new(ProblemCode::InvalidCredentials)
}

pub(crate) fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(anyhow::anyhow!("webauthn: {e}"))
}

pub(crate) fn to_state<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(internal)
}

pub(crate) fn from_state<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, ApiError> {
    serde_json::from_str(json)
        .map_err(|_| ApiError::from(DbError::InvalidRow("webauthn_ceremonies.state")))
}

pub(crate) fn stored_passkey(row: &vern_db::passkeys::PasskeyRow) -> Result<Passkey, ApiError> {
    serde_json::from_str(&row.passkey)
        .map_err(|_| ApiError::from(DbError::InvalidRow("passkeys.passkey")))
}

fn credential_key(passkey: &Passkey) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(passkey.cred_id().as_ref() as &[u8])
}

/// Records that one of the user's passkeys was used, storing its updated counter.
pub(crate) async fn record_passkey_use(
    state: &AppState,
    user_id: Uuid,
    result: &webauthn_rs::prelude::AuthenticationResult,
    now: chrono::DateTime<Utc>,
) -> Result<(), ApiError> {
    for row in vern_db::passkeys::for_user(&state.db.conn, user_id).await? {
        let mut passkey = stored_passkey(&row)?;
        if passkey.cred_id() == result.cred_id() {
            let changed = passkey.update_credential(result).unwrap_or(false);
            let json = if changed {
                Some(to_state(&passkey)?)
            } else {
                None
            };
            vern_db::passkeys::record_use(&state.db.conn, row.id, json, now).await?;
        }
    }
    Ok(())
}

pub(crate) async fn challenge(
    state: &AppState,
    user_id: Option<Uuid>,
    kind: CeremonyKind,
    options: serde_json::Value,
    ceremony_state: String,
) -> Result<PasskeyChallenge, ApiError> {
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let ceremony_id = vern_db::passkeys::start_ceremony(
        &txn,
        user_id,
        kind,
        ceremony_state,
        now,
        now + chrono::Duration::seconds(CEREMONY_SECONDS),
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(PasskeyChallenge {
        ceremony_id,
        options,
    })
}

/// My passkeys
///
/// The passkeys registered to the logged-in user, with their names, when they were added
/// and last used. The public keys are never shown.
#[utoipa::path(
    tag = "me",
    operation_id = "list_my_passkeys",
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The caller's passkeys, oldest first", body = PasskeyList),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/passkeys")]
pub async fn list_passkeys(
    auth: Authenticated,
    state: web::Data<AppState>,
) -> Result<web::Json<PasskeyList>, ApiError> {
    let rows = vern_db::passkeys::for_user(&state.db.conn, auth.user_id).await?;
    Ok(web::Json(PasskeyList {
        items: rows.iter().map(vern_db::passkeys::view).collect(),
    }))
}

/// Start registering a passkey
///
/// Start registering a passkey for the caller. The options ask for a discoverable
/// credential with user verification, so the passkey also works without a password.
#[utoipa::path(
    tag = "me",
    operation_id = "start_passkey_registration",
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "Options for `navigator.credentials.create`", body = PasskeyChallenge),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller has the most passkeys allowed (`conflict`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/passkey-registration")]
pub async fn start_passkey_registration(
    auth: Authenticated,
    state: web::Data<AppState>,
) -> Result<web::Json<PasskeyChallenge>, ApiError> {
    let user = vern_db::identity::find_user(&state.db.conn, auth.user_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let existing = vern_db::passkeys::for_user(&state.db.conn, user.id).await?;
    if existing.len() >= MAX_PASSKEYS_PER_USER {
        return Err(ApiError::new(ProblemCode::Conflict).detail("remove a passkey first"));
    }
    let exclude = existing
        .iter()
        .map(stored_passkey)
        .map(|p| p.map(|p| p.cred_id().clone()))
        .collect::<Result<Vec<_>, _>>()?;
    let (options, registration) = state
        .webauthn
        .start_passkey_registration(user.id, &user.email, &user.display_name, Some(exclude))
        .map_err(internal)?;
    let mut options = serde_json::to_value(&options).map_err(internal)?;
    // Ask for a discoverable credential: the passkey then works for a passwordless login.
    if let Some(selection) = options
        .get_mut("publicKey")
        .and_then(|p| p.get_mut("authenticatorSelection"))
        .and_then(|s| s.as_object_mut())
    {
        selection.insert("residentKey".into(), "required".into());
        selection.insert("requireResidentKey".into(), true.into());
        selection.insert("userVerification".into(), "required".into());
    }
    Ok(web::Json(
        challenge(
            &state,
            Some(user.id),
            CeremonyKind::Registration,
            options,
            to_state(&registration)?,
        )
        .await?,
    ))
}

/// Register a passkey
///
/// Finish registering a passkey: the browser's credential for the started ceremony.
#[utoipa::path(
    tag = "me",
    operation_id = "finish_passkey_registration",
    request_body = RegisterPasskey,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Registered", body = PasskeyView),
        (status = 400, description = "Malformed body, or a credential that does not answer the challenge (`invalid_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ceremony of the caller's, or it expired (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "This passkey is registered already (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A blank or too long name (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/passkeys")]
pub async fn finish_passkey_registration(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<RegisterPasskey>,
) -> Result<HttpResponse, ApiError> {
    let RegisterPasskey {
        ceremony_id,
        name,
        credential,
    } = body.into_inner();
    let name = check_passkey_name(&name).map_err(|code| ApiError::validation("name", code))?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let registration: PasskeyRegistration = from_state(
        &vern_db::passkeys::take_ceremony(
            &txn,
            ceremony_id,
            CeremonyKind::Registration,
            Some(auth.user_id),
            now,
        )
        .await?
        .ok_or_else(ApiError::not_found)?,
    )?;
    let credential: RegisterPublicKeyCredential = serde_json::from_value(credential)
        .map_err(|_| ApiError::new(ProblemCode::InvalidJson).field("credential", "malformed"))?;
    let passkey = state
        .webauthn
        .finish_passkey_registration(&credential, &registration)
        .map_err(|_| ApiError::new(ProblemCode::InvalidJson).field("credential", "not_verified"))?;
    let key = credential_key(&passkey);
    if vern_db::passkeys::credential_taken(&txn, &key).await? {
        return Err(
            ApiError::new(ProblemCode::Conflict).detail("this passkey is registered already")
        );
    }
    let row =
        vern_db::passkeys::insert(&txn, auth.user_id, name, key, to_state(&passkey)?, now).await?;
    vern_db::audit::append(
        &txn,
        AuditDraft {
            organization_id: None,
            actor_kind: ActorKind::User,
            actor_id: Some(auth.user_id),
            action: "passkey.registered",
            target_type: "passkey",
            target_id: Some(row.id.to_string()),
            request_id: request_id(&req),
            outcome: Outcome::Success,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(HttpResponse::Created().json(vern_db::passkeys::view(&row)))
}

/// Remove a passkey
///
/// Remove one of the logged-in user's passkeys; it cannot be used to log in from then on.
/// The last second factor (no other passkey and no authenticator app) cannot be removed.
#[utoipa::path(
    tag = "me",
    operation_id = "delete_my_passkey",
    params(("passkey_id" = Uuid, Path, description = "The passkey")),
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API client calling (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No passkey of the caller's with this id (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The last second factor cannot be removed (`conflict`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/passkeys/{passkey_id}")]
pub async fn delete_passkey(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    passkey_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = passkey_id.into_inner();
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let user = vern_db::identity::find_user(&txn, auth.user_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let count = vern_db::passkeys::count_for_user(&txn, user.id).await?;
    if user.totp_secret.is_none() && count == 1 {
        return Err(ApiError::new(ProblemCode::Conflict)
            .detail("this is your only second factor; add another first"));
    }
    if !vern_db::passkeys::delete(&txn, auth.user_id, id).await? {
        return Err(ApiError::not_found());
    }
    vern_db::audit::append(
        &txn,
        AuditDraft {
            organization_id: None,
            actor_kind: ActorKind::User,
            actor_id: Some(auth.user_id),
            action: "passkey.removed",
            target_type: "passkey",
            target_id: Some(id.to_string()),
            request_id: request_id(&req),
            outcome: Outcome::Success,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(HttpResponse::NoContent().finish())
}

/// Start a passkey as the second factor
///
/// Log in, step two with a passkey: the challenge for the user who passed step one.
#[utoipa::path(
    tag = "auth",
    operation_id = "start_passkey_second_factor",
    request_body = MfaToken,
    security(()),
    responses(
        (status = 200, description = "Options for `navigator.credentials.get`", body = PasskeyChallenge),
        (status = 400, description = "Malformed body (`invalid_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "The mfa_token is wrong or expired, or the user has no passkey (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body does not match the schema (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/mfa/passkey/challenge")]
pub async fn start_passkey_second_factor(
    state: web::Data<AppState>,
    body: web::Json<MfaToken>,
) -> Result<web::Json<PasskeyChallenge>, ApiError> {
    let claims = tokens::verify(
        &state.keys,
        &state.public_url,
        MFA_AUDIENCE,
        &body.mfa_token,
    )
    .map_err(|_| invalid_credentials())?;
    let passkeys = vern_db::passkeys::for_user(&state.db.conn, claims.sub)
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
    let options = serde_json::to_value(&options).map_err(internal)?;
    Ok(web::Json(
        challenge(
            &state,
            Some(claims.sub),
            CeremonyKind::SecondFactor,
            options,
            to_state(&authentication)?,
        )
        .await?,
    ))
}

/// Start a passwordless passkey login
///
/// Log in with a passkey alone: a challenge for any discoverable credential.
#[utoipa::path(
    tag = "auth",
    operation_id = "start_passkey_login",
    security(()),
    responses(
        (status = 200, description = "Options for `navigator.credentials.get`", body = PasskeyChallenge),
    )
)]
#[post("/auth/passkey/challenge")]
pub async fn start_passkey_login(
    state: web::Data<AppState>,
) -> Result<web::Json<PasskeyChallenge>, ApiError> {
    let (options, authentication) = state
        .webauthn
        .start_discoverable_authentication()
        .map_err(internal)?;
    let mut options = serde_json::to_value(&options).map_err(internal)?;
    if let Some(public_key) = options.get_mut("publicKey").and_then(|p| p.as_object_mut()) {
        public_key.insert("userVerification".into(), "required".into());
    }
    Ok(web::Json(
        challenge(
            &state,
            None,
            CeremonyKind::Passwordless,
            options,
            to_state(&authentication)?,
        )
        .await?,
    ))
}

/// Complete a login with a passkey
///
/// Finish a passkey login — the second factor (with `mfa_token`) or passwordless.
/// Answers the access token and sets the refresh cookie, like the TOTP step.
#[utoipa::path(
    tag = "auth",
    operation_id = "finish_passkey_login",
    request_body = PasskeyAssertion,
    security(()),
    responses(
        (status = 200, description = "Logged in; the refresh token is in the `vern_refresh` cookie", body = vern_domain::access::auth::TokenResponse),
        (status = 400, description = "Malformed body (`invalid_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "The passkey, mfa_token or ceremony is not valid (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body does not match the schema (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts from this address; see `Retry-After` (`rate_limited`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/passkey")]
pub async fn finish_passkey_login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<PasskeyAssertion>,
) -> Result<HttpResponse, ApiError> {
    let address = address_key(&req);
    let keys = [(&PER_ADDRESS, address.as_str())];
    check_throttle(&state, &keys).await?;
    let PasskeyAssertion {
        ceremony_id,
        mfa_token,
        credential,
    } = body.into_inner();
    let now = Utc::now();
    let fail = |user: Option<Uuid>| login_event(user, "auth.login_passkey", Outcome::Denied, &req);
    // The second factor names its user through the mfa_token; passwordless finds the user
    // from the credential.
    let expected_user = match mfa_token.as_deref() {
        Some(token) => Some(
            tokens::verify(&state.keys, &state.public_url, MFA_AUDIENCE, token)
                .map_err(|_| invalid_credentials())?
                .sub,
        ),
        None => None,
    };
    let kind = if expected_user.is_some() {
        CeremonyKind::SecondFactor
    } else {
        CeremonyKind::Passwordless
    };
    let Some(ceremony) =
        vern_db::passkeys::take_ceremony(&state.db.conn, ceremony_id, kind, expected_user, now)
            .await?
    else {
        record_failure(&state, &keys, fail(expected_user)).await?;
        return Err(invalid_credentials());
    };
    let Ok(credential) = serde_json::from_value::<PublicKeyCredential>(credential) else {
        record_failure(&state, &keys, fail(expected_user)).await?;
        return Err(invalid_credentials());
    };
    let verified = match expected_user {
        Some(user_id) => {
            let authentication: PasskeyAuthentication = from_state(&ceremony)?;
            state
                .webauthn
                .finish_passkey_authentication(&credential, &authentication)
                .ok()
                .map(|result| (user_id, result))
        }
        None => {
            let authentication: DiscoverableAuthentication = from_state(&ceremony)?;
            let identified = state
                .webauthn
                .identify_discoverable_authentication(&credential)
                .map(|(user_id, cred_id)| (user_id, cred_id.to_vec()));
            match identified {
                Ok((user_id, cred_id)) => {
                    let rows = vern_db::passkeys::for_user(&state.db.conn, user_id).await?;
                    let mut found = None;
                    for row in &rows {
                        let passkey = stored_passkey(row)?;
                        if passkey.cred_id().as_ref() as &[u8] == cred_id.as_slice() {
                            found = Some(passkey);
                        }
                    }
                    found.and_then(|passkey| {
                        state
                            .webauthn
                            .finish_discoverable_authentication_v2(
                                &credential,
                                authentication,
                                &passkey,
                            )
                            .ok()
                            .map(|result| (user_id, result))
                    })
                }
                Err(_) => None,
            }
        }
    };
    let Some((user_id, result)) = verified else {
        record_failure(&state, &keys, fail(expected_user)).await?;
        return Err(invalid_credentials());
    };
    let user = vern_db::identity::find_user(&state.db.conn, user_id)
        .await?
        .filter(|u| u.status == vern_db::identity::STATUS_ACTIVE)
        .ok_or_else(invalid_credentials)?;
    // Update the stored counter of the passkey that was used.
    record_passkey_use(&state, user.id, &result, now).await?;
    let account = super::auth::account_key_for(&user.email);
    let method = if expected_user.is_some() {
        AuthMethod::PasswordPasskey
    } else {
        AuthMethod::Passkey
    };
    open_session(
        &state,
        &req,
        user.id,
        method,
        None,
        Some(&account),
        "auth.login_passkey",
    )
    .await
}
