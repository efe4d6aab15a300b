//! Residents: login through OpenID Connect (authorization code with PKCE, ID-porten in
//! production), their sessions, and the purge of cases whose reading window has closed.
//!
//! The protocol is the `openidconnect` crate's: discovery, the authorization URL with state,
//! nonce and an S256 code challenge, the code exchange, and the ID token's checks (signature
//! against the provider's JWKS, issuer, audience, expiry, nonce, access-token hash). Vern adds
//! what is its own: the national id claim must be a valid number, synthetic numbers only with
//! the test login (which settings allow on loopback only), and the session it opens.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use chrono::{DateTime, Utc};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AuthorizationCode, Client, ClientId, ClientSecret,
    CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields,
    IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    StandardErrorResponse, StandardTokenResponse, TokenResponse,
};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;
use uuid::Uuid;
use vern_domain::person::NationalId;
use vern_domain::problem::ProblemCode;

use crate::error::ApiError;
use crate::settings::Settings;
use crate::startup::AppState;

/// The session cookie: HttpOnly, SameSite=Strict, scoped to the resident API.
pub const SESSION_COOKIE: &str = "vern_resident";
/// The login's state (sealed: state, nonce, PKCE verifier, where to go back to), read once by
/// the callback. SameSite=Lax: the callback is a navigation from the provider.
pub const LOGIN_COOKIE: &str = "vern_resident_login";
pub const RESIDENT_PATH: &str = "/api/v1/resident";
pub const CALLBACK_PATH: &str = "/api/v1/resident/callback";
/// How long the provider may take to send the resident back.
const LOGIN_SECONDS: i64 = 600;
/// How long the provider's metadata and keys are kept before being fetched again.
const METADATA_SECONDS: u64 = 600;
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// The claims beyond the standard ones, kept as they come: the national id's claim name is
/// configurable.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExtraClaims {
    #[serde(flatten)]
    pub claims: HashMap<String, serde_json::Value>,
}
impl AdditionalClaims for ExtraClaims {}

type ResidentTokenResponse = StandardTokenResponse<
    IdTokenFields<
        ExtraClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

type ResidentClient = Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    ResidentTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Resident login as configured.
#[derive(Debug)]
pub struct ResidentLogin {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: Option<ClientSecret>,
    pid_claim: String,
    /// Synthetic national ids are accepted (test login, loopback only).
    pub test_login: bool,
    pub session_minutes: u32,
    pub fresh_minutes: u32,
    redirect: RedirectUrl,
    /// Cookies get `Secure` when Vern is reached over https.
    pub secure_cookies: bool,
    metadata: RwLock<Option<(Instant, CoreProviderMetadata)>>,
}

/// Why a login did not complete; the code goes to the SPA in the redirect, never details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginFailure {
    /// The provider said no, or the resident cancelled.
    Refused,
    /// The login cookie is missing, old or does not match the state.
    Expired,
    /// The provider could not be reached or answered wrongly.
    Provider,
    /// The ID token did not hold up.
    InvalidToken,
    /// No valid national id in the token.
    NoNationalId,
    /// A synthetic number outside the test login.
    SyntheticRefused,
}

impl LoginFailure {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Refused => "refused",
            Self::Expired => "expired",
            Self::Provider => "provider_unavailable",
            Self::InvalidToken => "invalid_token",
            Self::NoNationalId => "no_national_id",
            Self::SyntheticRefused => "synthetic_id_refused",
        }
    }
}

/// What the login cookie carries, sealed.
#[derive(Serialize, Deserialize)]
struct PendingLogin {
    state: String,
    nonce: String,
    verifier: String,
    return_to: String,
    fresh: bool,
    at: i64,
}

/// Who logged in, as the provider vouched.
#[derive(Debug)]
pub struct LoggedIn {
    pub national_id: NationalId,
    pub auth_time: DateTime<Utc>,
    pub return_to: String,
}

async fn http_call(
    client: reqwest::Client,
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, reqwest::Error> {
    let mut request = reqwest::Request::try_from(request)?;
    *request.timeout_mut() = Some(PROVIDER_TIMEOUT);
    let response = client.execute(request).await?;
    let mut builder = http::Response::builder().status(response.status().as_u16());
    for (name, value) in response.headers() {
        builder = builder.header(name.as_str(), value.as_bytes());
    }
    let body = response.bytes().await?.to_vec();
    Ok(builder
        .body(body)
        .unwrap_or_else(|_| http::Response::new(Vec::new())))
}

/// A path inside Vern to return to after login: `/…`, not `//…`, no scheme.
pub fn safe_return_path(input: Option<&str>) -> String {
    match input {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.contains("://")
                && p.len() <= 300
                && !p.chars().any(char::is_control) =>
        {
            p.to_owned()
        }
        _ => "/innsyn".to_owned(),
    }
}

fn sha256_hex(value: &str) -> String {
    vern_domain::connector::sha256_hex(value.as_bytes())
}

impl ResidentLogin {
    /// The configured login, or `None` when no provider is set.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Option<Self>> {
        let Some(issuer) = &settings.resident_oidc_issuer else {
            return Ok(None);
        };
        let public = settings.public_url();
        Ok(Some(Self {
            issuer: IssuerUrl::new(issuer.trim_end_matches('/').to_owned())?,
            client_id: ClientId::new(settings.resident_oidc_client_id.clone().unwrap_or_default()),
            client_secret: settings
                .resident_oidc_client_secret
                .as_ref()
                .map(|s| ClientSecret::new(s.expose().to_owned())),
            pid_claim: settings.resident_oidc_pid_claim.clone(),
            test_login: settings.resident_test_login,
            session_minutes: settings.resident_session_minutes,
            fresh_minutes: settings.resident_fresh_login_minutes,
            redirect: RedirectUrl::new(format!("{public}{CALLBACK_PATH}"))?,
            secure_cookies: public.starts_with("https://"),
            metadata: RwLock::new(None),
        }))
    }

    async fn provider(
        &self,
        http: &reqwest::Client,
        refresh: bool,
    ) -> Result<CoreProviderMetadata, LoginFailure> {
        if !refresh
            && let Some((at, meta)) = self.metadata.read().await.as_ref()
            && at.elapsed() < Duration::from_secs(METADATA_SECONDS)
        {
            return Ok(meta.clone());
        }
        let client = http.clone();
        let fetch = move |r| http_call(client.clone(), r);
        let meta = CoreProviderMetadata::discover_async(self.issuer.clone(), &fetch)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "resident login: provider discovery failed");
                LoginFailure::Provider
            })?;
        *self.metadata.write().await = Some((Instant::now(), meta.clone()));
        Ok(meta)
    }

    fn client(&self, meta: CoreProviderMetadata) -> ResidentClient {
        ResidentClient::from_provider_metadata(
            meta,
            self.client_id.clone(),
            self.client_secret.clone(),
        )
        .set_redirect_uri(self.redirect.clone())
    }

    /// Starts a login: the provider's authorization URL and the sealed login cookie.
    pub async fn start(
        &self,
        state: &AppState,
        return_to: String,
        fresh: bool,
    ) -> Result<(String, Cookie<'static>), ApiError> {
        let meta = self.provider(&state.outbound, false).await.map_err(|_| {
            ApiError::new(ProblemCode::ServiceUnavailable)
                .detail("the identity provider cannot be reached")
        })?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let client = self.client(meta);
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        if fresh {
            // Ask the provider to make the resident log in again, and to say when they did.
            request = request
                .add_prompt(CoreAuthPrompt::Login)
                .set_max_age(Duration::ZERO);
        }
        let (url, csrf, nonce) = request.url();
        let pending = PendingLogin {
            state: csrf.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
            return_to,
            fresh,
            at: Utc::now().timestamp(),
        };
        let sealed = state.seal_content(
            &serde_json::to_string(&pending)
                .map_err(|e| ApiError::internal(anyhow::Error::from(e)))?,
        )?;
        let cookie = Cookie::build(LOGIN_COOKIE, sealed)
            .path(CALLBACK_PATH)
            .http_only(true)
            .secure(self.secure_cookies)
            .same_site(SameSite::Lax)
            .max_age(CookieDuration::seconds(LOGIN_SECONDS))
            .finish();
        Ok((url.to_string(), cookie))
    }

    /// Completes a login from the callback's code and state and the login cookie.
    pub async fn finish(
        &self,
        state: &AppState,
        cookie: Option<&str>,
        code: &str,
        returned_state: &str,
    ) -> Result<LoggedIn, LoginFailure> {
        let pending: PendingLogin = cookie
            .and_then(|c| state.open_content(c).ok())
            .and_then(|json| serde_json::from_str(&json).ok())
            .ok_or(LoginFailure::Expired)?;
        let age = Utc::now().timestamp() - pending.at;
        if !(0..=LOGIN_SECONDS).contains(&age) || pending.state != returned_state {
            return Err(LoginFailure::Expired);
        }
        let meta = self.provider(&state.outbound, false).await?;
        let client = self.client(meta);
        let http = state.outbound.clone();
        let fetch = move |r| http_call(http.clone(), r);
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|_| LoginFailure::Provider)?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
            .request_async(&fetch)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "resident login: the code exchange failed");
                LoginFailure::Provider
            })?;
        let id_token = response.id_token().ok_or(LoginFailure::InvalidToken)?;
        let nonce = Nonce::new(pending.nonce.clone());
        let claims = match checked_claims(&client, &response, id_token, &nonce) {
            Ok(claims) => claims,
            Err(_) => {
                // A key the cached set lacks (the provider rotated): fetch the keys again, once.
                let meta = self.provider(&state.outbound, true).await?;
                checked_claims(&self.client(meta), &response, id_token, &nonce)?
            }
        };
        self.identity(&claims, &pending)
    }

    fn identity(
        &self,
        claims: &openidconnect::IdTokenClaims<ExtraClaims, CoreGenderClaim>,
        pending: &PendingLogin,
    ) -> Result<LoggedIn, LoginFailure> {
        let raw = claims
            .additional_claims()
            .claims
            .get(&self.pid_claim)
            .and_then(|v| v.as_str())
            .ok_or(LoginFailure::NoNationalId)?;
        let national_id = NationalId::parse(raw).map_err(|_| LoginFailure::NoNationalId)?;
        if national_id.is_synthetic() && !self.test_login {
            return Err(LoginFailure::SyntheticRefused);
        }
        let now = Utc::now();
        let auth_time = claims.auth_time().unwrap_or(now).min(now);
        if pending.fresh && now - auth_time > chrono::Duration::seconds(LOGIN_SECONDS) {
            // The provider did not make them log in again.
            return Err(LoginFailure::InvalidToken);
        }
        Ok(LoggedIn {
            national_id,
            auth_time,
            return_to: pending.return_to.clone(),
        })
    }

    /// The session cookie for a new session's token.
    pub fn session_cookie(&self, token: String) -> Cookie<'static> {
        Cookie::build(SESSION_COOKIE, token)
            .path(RESIDENT_PATH)
            .http_only(true)
            .secure(self.secure_cookies)
            .same_site(SameSite::Strict)
            .max_age(CookieDuration::minutes(i64::from(self.session_minutes)))
            .finish()
    }

    pub fn cleared(&self, name: &'static str, path: &'static str) -> Cookie<'static> {
        Cookie::build(name, "")
            .path(path)
            .http_only(true)
            .secure(self.secure_cookies)
            .max_age(CookieDuration::ZERO)
            .finish()
    }
}

type ResidentIdToken = openidconnect::IdToken<
    ExtraClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// The ID token's claims once its signature (with the provider's keys), issuer, audience,
/// expiry, nonce and — when present — access-token hash hold.
fn checked_claims(
    client: &ResidentClient,
    response: &ResidentTokenResponse,
    id_token: &ResidentIdToken,
    nonce: &Nonce,
) -> Result<openidconnect::IdTokenClaims<ExtraClaims, CoreGenderClaim>, LoginFailure> {
    let verifier = client.id_token_verifier().set_allowed_algs([
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        CoreJwsSigningAlgorithm::RsaSsaPssSha256,
        CoreJwsSigningAlgorithm::EcdsaP256Sha256,
        CoreJwsSigningAlgorithm::EdDsa,
    ]);
    let claims = id_token.claims(&verifier, nonce).map_err(|e| {
        tracing::warn!(error = %e, "resident login: ID token refused");
        LoginFailure::InvalidToken
    })?;
    if let Some(expected) = claims.access_token_hash() {
        let alg = id_token
            .signing_alg()
            .map_err(|_| LoginFailure::InvalidToken)?;
        let key = id_token
            .signing_key(&verifier)
            .map_err(|_| LoginFailure::InvalidToken)?;
        let actual = AccessTokenHash::from_token(response.access_token(), alg, key)
            .map_err(|_| LoginFailure::InvalidToken)?;
        if actual != *expected {
            return Err(LoginFailure::InvalidToken);
        }
    }
    Ok(claims.clone())
}

/// Opens a session for a resident who logged in; answers the cookie's value.
pub async fn open_session(
    state: &AppState,
    txn: &vern_db::DatabaseTransaction,
    login: &ResidentLogin,
    who: &LoggedIn,
    now: DateTime<Utc>,
) -> Result<(vern_db::residents::ResidentSessionRow, String), ApiError> {
    let token = crate::connectors::new_secret().map_err(ApiError::internal)?;
    let row = vern_db::residents::create(
        txn,
        vern_db::residents::NewResidentSession {
            token_hash: sha256_hex(&token),
            subject_key: state.requester_key(&who.national_id),
            sealed_national_id: state.seal_content(&who.national_id.expose())?,
            auth_time: who.auth_time,
            expires_at: now + chrono::Duration::minutes(i64::from(login.session_minutes)),
        },
        now,
    )
    .await?;
    Ok((row, token))
}

/// A logged-in resident: their session's cookie was presented and the session is live.
#[derive(Debug, Clone)]
pub struct Resident {
    pub session_id: Uuid,
    /// The keyed hash of their national id: finds their requests.
    pub subject_key: String,
    pub national_id: NationalId,
    pub auth_time: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub client_ip: Option<std::net::IpAddr>,
}

impl FromRequest for Resident {
    type Error = ApiError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<actix_web::web::Data<AppState>>()
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no app state")))?
                .clone();
            let token = req
                .cookie(SESSION_COOKIE)
                .map(|c| c.value().to_owned())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| ApiError::new(ProblemCode::Unauthenticated))?;
            let row = vern_db::residents::live(&state.db.conn, &sha256_hex(&token), Utc::now())
                .await?
                .ok_or_else(|| ApiError::new(ProblemCode::Unauthenticated))?;
            let national_id =
                NationalId::parse(&state.open_content(&row.national_id)?).map_err(|_| {
                    ApiError::internal(anyhow::anyhow!("a resident session's national id"))
                })?;
            Ok(Resident {
                session_id: row.id,
                subject_key: row.subject_key,
                national_id,
                auth_time: row.auth_time,
                expires_at: row.expires_at,
                client_ip: crate::auth::extractor::client_ip(&req),
            })
        })
    }
}

/// Purges every case whose reading window has closed: contents, history texts and results
/// go, the metadata stays, and each purge is written to the case's history and the audit log.
/// Also deletes resident sessions that ended more than a day ago. Answers how many cases.
pub async fn purge_closed_windows(
    db: &vern_db::Database,
    now: DateTime<Utc>,
) -> Result<usize, vern_db::DbError> {
    use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
    use vern_domain::requests::view::CaseEventKind;
    let mut purged = 0;
    loop {
        let due = vern_db::requests::due_for_purge(&db.conn, now, 100).await?;
        if due.is_empty() {
            break;
        }
        let batch = due.len();
        for row in due {
            let txn = vern_db::connection::begin_write(db).await?;
            if vern_db::requests::purge(&txn, row.id, now).await? {
                vern_db::requests::add_event(
                    &txn,
                    row.id,
                    CaseEventKind::Purged.as_str(),
                    None,
                    None,
                    None,
                    now,
                )
                .await?;
                vern_db::audit::append(
                    &txn,
                    AuditDraft {
                        organization_id: Some(vern_domain::OrganizationId::from_uuid(
                            row.organization_id,
                        )),
                        actor_kind: ActorKind::System,
                        actor_id: None,
                        action: CaseEventKind::Purged.audit_action(),
                        target_type: "request",
                        target_id: Some(row.id.to_string()),
                        request_id: None,
                        outcome: Outcome::Success,
                    },
                    now,
                )
                .await?;
                purged += 1;
            }
            txn.commit().await?;
        }
        if batch < 100 {
            break;
        }
    }
    vern_db::residents::delete_stale(&db.conn, now - chrono::Duration::days(1)).await?;
    Ok(purged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_return_path(Some("/innsyn/abc")), "/innsyn/abc");
        for bad in [
            "https://evil.example.org",
            "//evil.example.org",
            "/\\evil",
            "innsyn",
            "/x?u=http://e",
        ] {
            assert_eq!(safe_return_path(Some(bad)), "/innsyn", "{bad}");
        }
        assert_eq!(safe_return_path(None), "/innsyn");
    }
}
