//! TEST ONLY — an OpenID Connect provider for development and tests, playing the part ID-porten
//! plays in production: a resident types one of Skatteetaten's synthetic national ids (month +
//! 80) and is logged in as that person. Real numbers are refused. It speaks the authorization
//! code flow with PKCE (S256, required), publishes a discovery document and a JWK set, and signs
//! ID tokens with a fresh Ed25519 key per start; the protocol messages are built with the
//! `openidconnect` crate.
//!
//! It also stands in for Maskinporten: `POST /maskinporten/token` (client id, the consumer's
//! organisation number, scopes) answers an access token shaped as Maskinporten's, signed
//! with the same key.
//!
//! It keeps nothing on disk: codes live in memory for a minute and work once. It listens on
//! loopback only, and Vern accepts the numbers it issues only when Vern's own test login is
//! enabled — which Vern allows only on a loopback address.

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::{App, HttpResponse, HttpServer, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use openidconnect::core::{
    CoreEdDsaPrivateSigningKey, CoreGenderClaim, CoreJsonWebKeySet,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreResponseType, CoreSubjectIdentifierType, CoreTokenType,
};
use openidconnect::{
    AccessToken, AdditionalClaims, Audience, AuthUrl, AuthenticationContextClass,
    AuthenticationMethodReference, EmptyAdditionalProviderMetadata, EmptyExtraTokenFields, IdToken,
    IdTokenClaims, IdTokenFields, IssuerUrl, JsonWebKeyId, JsonWebKeySetUrl, Nonce,
    PrivateSigningKey, ResponseTypes, Scope, StandardClaims, StandardTokenResponse,
    SubjectIdentifier, TokenUrl,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use vern_domain::person::NationalId;

/// How long an authorization code may wait for its exchange.
pub const CODE_SECONDS: u64 = 60;
/// How long an ID token is valid.
pub const ID_TOKEN_SECONDS: i64 = 120;
/// The assurance level the provider claims, named as ID-porten names its levels.
pub const ACR: &str = "idporten-loa-substantial";

/// The claims beyond the standard ones: the national id, named `pid` as ID-porten names it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PidClaims {
    pub pid: String,
}
impl AdditionalClaims for PidClaims {}

type PidIdToken =
    IdToken<PidClaims, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;
type PidTokenResponse = StandardTokenResponse<
    IdTokenFields<
        PidClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

/// What the provider is told at start.
#[derive(Debug, Clone)]
pub struct Config {
    /// The provider's address, `http://127.0.0.1:PORT` (no trailing slash).
    pub issuer: String,
    /// The one client it serves.
    pub client_id: String,
    /// When set, the token endpoint wants it (basic or post); else the client is public and
    /// PKCE alone binds the code.
    pub client_secret: Option<String>,
}

struct Grant {
    redirect_uri: String,
    nonce: Option<String>,
    challenge: String,
    pid: String,
    issued: Instant,
}

struct Provider {
    config: Config,
    key: CoreEdDsaPrivateSigningKey,
    /// The same key, for the machine tokens (jsonwebtoken), and its id.
    machine_key: jsonwebtoken::EncodingKey,
    kid: String,
    codes: Mutex<HashMap<String, Grant>>,
    pages: minijinja::Environment<'static>,
}

pub use vern_domain::connector::is_loopback_url;

fn random_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("random source: {e}"))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

const LOGIN_PAGE: &str = r#"<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Testinnlogging – ikke ID-porten</title>
<link rel="icon" href="data:,">
<style>
body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
.warning { background: #fff3cd; border: 2px solid #8a6d00; padding: 1rem; border-radius: .25rem; }
label { display: block; font-weight: 600; margin-top: 1.5rem; }
input[type=text] { font-size: 1.25rem; padding: .5rem; width: 14ch; letter-spacing: .1em; }
button { margin-top: 1rem; font-size: 1rem; padding: .6rem 1.2rem; background: #0b4f9c; color: #fff; border: 0; border-radius: .25rem; }
button:focus, input:focus { outline: 3px solid #d9480f; outline-offset: 2px; }
.error { color: #a4161a; font-weight: 600; }
</style>
</head>
<body>
<main>
<h1>Testinnlogging</h1>
<p class="warning" role="note"><strong>Bare for utvikling og test.</strong> Dette er ikke ID-porten.
Du kan bare logge inn med Skatteetatens syntetiske fødselsnumre (måned + 80), aldri med et ekte nummer.</p>
<form method="post" action="authorize">
{% for name, value in hidden %}<input type="hidden" name="{{ name }}" value="{{ value }}">
{% endfor %}<label for="pid">Syntetisk fødselsnummer (11 siffer)</label>
<input id="pid" name="pid" type="text" inputmode="numeric" autocomplete="off" maxlength="11" value="{{ pid }}"{% if error %} aria-invalid="true" aria-describedby="pid-error"{% endif %} autofocus>
{% if error %}<p id="pid-error" class="error">{{ error }}</p>{% endif %}
<button type="submit">Logg inn</button>
</form>
</main>
</body>
</html>
"#;

impl Provider {
    fn new(config: Config) -> anyhow::Result<Self> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("random source: {e}"))?;
        let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
        let pem = signing
            .to_pkcs8_pem(Default::default())
            .map_err(|e| anyhow::anyhow!("key: {e}"))?;
        let der = signing
            .to_pkcs8_der()
            .map_err(|e| anyhow::anyhow!("key: {e}"))?;
        let kid = format!("test-{}", &random_token()?[..8]);
        let key = CoreEdDsaPrivateSigningKey::from_ed25519_pem(
            &pem,
            Some(JsonWebKeyId::new(kid.clone())),
        )
        .map_err(|e| anyhow::anyhow!("key: {e}"))?;
        let machine_key = jsonwebtoken::EncodingKey::from_ed_der(der.as_bytes());
        let mut pages = minijinja::Environment::new();
        pages.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        pages.add_template("login.html", LOGIN_PAGE)?;
        Ok(Self {
            config,
            key,
            machine_key,
            kid,
            codes: Mutex::new(HashMap::new()),
            pages,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.config.issuer.trim_end_matches('/'))
    }

    fn metadata(&self) -> anyhow::Result<CoreProviderMetadata> {
        Ok(CoreProviderMetadata::new(
            IssuerUrl::new(self.config.issuer.clone())?,
            AuthUrl::new(self.url("authorize"))?,
            JsonWebKeySetUrl::new(self.url("jwks"))?,
            vec![ResponseTypes::new(vec![CoreResponseType::Code])],
            vec![CoreSubjectIdentifierType::Pairwise],
            vec![CoreJwsSigningAlgorithm::EdDsa],
            EmptyAdditionalProviderMetadata {},
        )
        .set_token_endpoint(Some(TokenUrl::new(self.url("token"))?))
        .set_scopes_supported(Some(vec![Scope::new("openid".to_owned())])))
    }

    fn page(&self, hidden: &[(String, String)], pid: &str, error: Option<&str>) -> HttpResponse {
        let body = self
            .pages
            .get_template("login.html")
            .and_then(|t| {
                t.render(minijinja::context! { hidden => hidden, pid => pid, error => error })
            })
            .unwrap_or_else(|e| format!("template: {e}"));
        let status = if error.is_some() {
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
        } else {
            actix_web::http::StatusCode::OK
        };
        HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(body)
    }

    fn expire_codes(&self) {
        let mut codes = self
            .codes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        codes.retain(|_, g| g.issued.elapsed() < Duration::from_secs(CODE_SECONDS));
    }
}

/// The authorization request's parameters (query on GET, form on POST).
#[derive(Debug, Deserialize, Serialize, Default)]
struct AuthorizeParams {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    prompt: Option<String>,
    max_age: Option<String>,
    ui_locales: Option<String>,
    acr_values: Option<String>,
    /// Only on the login form's POST.
    pid: Option<String>,
}

impl AuthorizeParams {
    fn hidden(&self) -> Vec<(String, String)> {
        let value = serde_json::to_value(self).unwrap_or_default();
        value
            .as_object()
            .map(|o| {
                o.iter()
                    .filter(|(k, _)| k.as_str() != "pid")
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn bad_request(what: &str) -> HttpResponse {
    HttpResponse::BadRequest()
        .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
        .body(format!("Testinnlogging: {what}"))
}

fn redirect_error(redirect_uri: &str, error: &str, state: Option<&str>) -> HttpResponse {
    let mut url = match url::Url::parse(redirect_uri) {
        Ok(u) => u,
        Err(_) => return bad_request("ugyldig redirect_uri"),
    };
    url.query_pairs_mut().append_pair("error", error);
    if let Some(s) = state {
        url.query_pairs_mut().append_pair("state", s);
    }
    HttpResponse::Found()
        .insert_header((header::LOCATION, url.to_string()))
        .finish()
}

/// Checks what must hold before anything is shown: the client, a loopback redirect, the code
/// flow and PKCE with S256. Answers the redirect URI, or the response to give instead.
fn check_authorize(p: &Provider, q: &AuthorizeParams) -> Result<String, Box<HttpResponse>> {
    if q.client_id.as_deref() != Some(p.config.client_id.as_str()) {
        return Err(Box::new(bad_request("ukjent client_id")));
    }
    let Some(redirect) = q.redirect_uri.clone().filter(|r| is_loopback_url(r)) else {
        return Err(Box::new(bad_request("redirect_uri må gå til loopback")));
    };
    let state = q.state.as_deref();
    if q.response_type.as_deref() != Some("code") {
        return Err(Box::new(redirect_error(
            &redirect,
            "unsupported_response_type",
            state,
        )));
    }
    if !q
        .scope
        .as_deref()
        .unwrap_or_default()
        .split(' ')
        .any(|s| s == "openid")
    {
        return Err(Box::new(redirect_error(&redirect, "invalid_scope", state)));
    }
    if q.code_challenge_method.as_deref() != Some("S256")
        || q.code_challenge.as_deref().is_none_or(|c| c.len() < 43)
    {
        return Err(Box::new(redirect_error(
            &redirect,
            "invalid_request",
            state,
        )));
    }
    Ok(redirect)
}

async fn discovery(p: web::Data<Provider>) -> HttpResponse {
    match p.metadata() {
        Ok(m) => HttpResponse::Ok().json(m),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

async fn jwks(p: web::Data<Provider>) -> HttpResponse {
    HttpResponse::Ok().json(CoreJsonWebKeySet::new(vec![p.key.as_verification_key()]))
}

async fn authorize_form(p: web::Data<Provider>, q: web::Query<AuthorizeParams>) -> HttpResponse {
    match check_authorize(&p, &q) {
        Ok(_) => p.page(&q.hidden(), "", None),
        Err(r) => *r,
    }
}

async fn authorize_login(p: web::Data<Provider>, f: web::Form<AuthorizeParams>) -> HttpResponse {
    let redirect = match check_authorize(&p, &f) {
        Ok(r) => r,
        Err(r) => return *r,
    };
    let typed = f.pid.as_deref().unwrap_or_default().trim().to_owned();
    let pid = match NationalId::parse(&typed) {
        Ok(id) if id.is_synthetic() => id.expose(),
        Ok(_) => {
            return p.page(
                &f.hidden(),
                "",
                Some("Bare syntetiske fødselsnumre (måned + 80) kan brukes her."),
            );
        }
        Err(_) => {
            return p.page(
                &f.hidden(),
                &typed,
                Some("Ikke et gyldig fødselsnummer: sjekk dato og kontrollsifre."),
            );
        }
    };
    p.expire_codes();
    let Ok(code) = random_token() else {
        return HttpResponse::InternalServerError().finish();
    };
    p.codes
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(
            code.clone(),
            Grant {
                redirect_uri: redirect.clone(),
                nonce: f.nonce.clone(),
                challenge: f.code_challenge.clone().unwrap_or_default(),
                pid,
                issued: Instant::now(),
            },
        );
    let mut url = match url::Url::parse(&redirect) {
        Ok(u) => u,
        Err(_) => return bad_request("ugyldig redirect_uri"),
    };
    url.query_pairs_mut().append_pair("code", &code);
    if let Some(s) = &f.state {
        url.query_pairs_mut().append_pair("state", s);
    }
    HttpResponse::Found()
        .insert_header((header::LOCATION, url.to_string()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    code_verifier: Option<String>,
}

fn token_error(error: &str) -> HttpResponse {
    HttpResponse::BadRequest()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({ "error": error }))
}

/// The client's id and secret from HTTP basic authentication, when it used it.
fn basic_credentials(req: &actix_web::HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    let unescape = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Some((unescape(id), unescape(secret)))
}

async fn token(
    p: web::Data<Provider>,
    req: actix_web::HttpRequest,
    f: web::Form<TokenForm>,
) -> HttpResponse {
    if f.grant_type.as_deref() != Some("authorization_code") {
        return token_error("unsupported_grant_type");
    }
    let (client_id, secret) = match basic_credentials(&req) {
        Some((id, secret)) => (Some(id), Some(secret)),
        None => (f.client_id.clone(), f.client_secret.clone()),
    };
    if client_id.as_deref() != Some(p.config.client_id.as_str()) {
        return token_error("invalid_client");
    }
    if let Some(expected) = &p.config.client_secret
        && secret.as_deref() != Some(expected.as_str())
    {
        return token_error("invalid_client");
    }
    p.expire_codes();
    // One use: the code is gone whatever happens next.
    let Some(grant) = f.code.as_deref().and_then(|c| {
        p.codes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(c)
    }) else {
        return token_error("invalid_grant");
    };
    if f.redirect_uri.as_deref() != Some(grant.redirect_uri.as_str()) {
        return token_error("invalid_grant");
    }
    let Some(verifier) = f.code_verifier.as_deref() else {
        return token_error("invalid_grant");
    };
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if computed != grant.challenge {
        return token_error("invalid_grant");
    }
    let now = Utc::now();
    // A stable subject per person that is not the national id itself.
    let sub = vern_domain::connector::sha256_hex(format!("vern-test-idp:{}", grant.pid).as_bytes());
    let issuer = match IssuerUrl::new(p.config.issuer.clone()) {
        Ok(i) => i,
        Err(_) => return HttpResponse::InternalServerError().finish(),
    };
    let claims = IdTokenClaims::new(
        issuer,
        vec![Audience::new(p.config.client_id.clone())],
        now + chrono::Duration::seconds(ID_TOKEN_SECONDS),
        now,
        StandardClaims::new(SubjectIdentifier::new(sub)),
        PidClaims { pid: grant.pid },
    )
    .set_nonce(grant.nonce.map(Nonce::new))
    .set_auth_time(Some(now))
    .set_auth_context_ref(Some(AuthenticationContextClass::new(ACR.to_owned())))
    .set_auth_method_refs(Some(vec![AuthenticationMethodReference::new(
        "TestID".to_owned(),
    )]));
    let Ok(access) = random_token().map(AccessToken::new) else {
        return HttpResponse::InternalServerError().finish();
    };
    let id_token = match PidIdToken::new(
        claims,
        &p.key,
        CoreJwsSigningAlgorithm::EdDsa,
        Some(&access),
        None,
    ) {
        Ok(t) => t,
        Err(e) => return HttpResponse::InternalServerError().body(e.to_string()),
    };
    let mut response = PidTokenResponse::new(
        access,
        CoreTokenType::Bearer,
        IdTokenFields::new(Some(id_token), EmptyExtraTokenFields {}),
    );
    response.set_expires_in(Some(&Duration::from_secs(ID_TOKEN_SECONDS as u64)));
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(response)
}

/// How long a machine access token is valid (Maskinporten's default).
pub const MACHINE_TOKEN_SECONDS: u64 = 120;

#[derive(Debug, Deserialize)]
struct MachineTokenForm {
    client_id: Option<String>,
    /// The organisation number the integration acts for.
    consumer: Option<String>,
    /// Space-separated scopes, e.g. `vern:read_register vern:edit_register`.
    scope: Option<String>,
}

/// TEST ONLY: a Maskinporten-shaped access token, for trying Vern's external-token login and
/// measuring it (`just bench`). Maskinporten itself wants a JWT grant signed with the
/// client's own key or certificate; this provider takes the client id, the consumer's
/// organisation number and the scopes as they are, and signs with its own key (published at
/// `/jwks`). The claims are those Vern reads (`iss`, `client_id`, `consumer` as
/// `iso6523-actorid-upis` / `0192:<number>`, `scope`, `iat`, `exp`).
async fn machine_token(p: web::Data<Provider>, f: web::Form<MachineTokenForm>) -> HttpResponse {
    use vern_domain::access::external::{
        CONSUMER_AUTHORITY, ExternalClaims, ORGNR_ICD, TokenOrganization,
    };
    let Some(client_id) = f.client_id.clone().filter(|c| !c.trim().is_empty()) else {
        return token_error("invalid_client");
    };
    let Some(consumer) = f
        .consumer
        .as_deref()
        .and_then(|n| vern_domain::OrgNumber::parse(n).ok())
    else {
        return token_error("invalid_request");
    };
    let scope = f.scope.clone().unwrap_or_default();
    let now = u64::try_from(Utc::now().timestamp()).unwrap_or_default();
    let claims = ExternalClaims {
        iss: p.config.issuer.clone(),
        iat: now,
        exp: now + MACHINE_TOKEN_SECONDS,
        scope: scope.clone(),
        consumer: Some(TokenOrganization {
            authority: CONSUMER_AUTHORITY.to_owned(),
            id: format!("{ORGNR_ICD}:{}", consumer.as_str()),
        }),
        client_id: Some(client_id),
        supplier: None,
    };
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA);
    header.kid = Some(p.kid.clone());
    match jsonwebtoken::encode(&header, &claims, &p.machine_key) {
        Ok(token) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(serde_json::json!({
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": MACHINE_TOKEN_SECONDS,
                "scope": scope,
            })),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

/// Starts the provider on a bound loopback listener. Refuses anything else.
pub fn serve(listener: TcpListener, config: Config) -> anyhow::Result<Server> {
    let addr = listener.local_addr()?;
    anyhow::ensure!(
        addr.ip().is_loopback(),
        "the test identity provider listens on loopback only (asked for {addr})"
    );
    anyhow::ensure!(
        is_loopback_url(&config.issuer),
        "the test identity provider's issuer must be a loopback address"
    );
    let provider = web::Data::new(Provider::new(config)?);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(provider.clone())
            .route(
                "/.well-known/openid-configuration",
                web::get().to(discovery),
            )
            .route("/jwks", web::get().to(jwks))
            .route("/authorize", web::get().to(authorize_form))
            .route("/authorize", web::post().to(authorize_login))
            .route("/token", web::post().to(token))
            .route("/maskinporten/token", web::post().to(machine_token))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)?
    .run();
    Ok(server)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listener_elsewhere_than_loopback_is_refused() {
        let listener = TcpListener::bind("0.0.0.0:0").unwrap();
        let config = Config {
            issuer: "http://127.0.0.1:1".to_owned(),
            client_id: "c".to_owned(),
            client_secret: None,
        };
        let err = serve(listener, config).err().unwrap();
        assert!(err.to_string().contains("loopback"), "{err}");
    }

    #[test]
    fn the_login_page_escapes_what_it_echoes() {
        let p = Provider::new(Config {
            issuer: "http://127.0.0.1:1".to_owned(),
            client_id: "c".to_owned(),
            client_secret: None,
        })
        .unwrap();
        let response = p.page(
            &[("state".to_owned(), "\"><script>x</script>".to_owned())],
            "",
            None,
        );
        let body = actix_web::body::to_bytes(response.into_body());
        let body = futures_executor(body);
        assert!(!body.contains("<script>x"), "{body}");
        assert!(body.contains("&quot;&gt;&lt;script&gt;"), "{body}");
    }

    fn futures_executor(
        f: impl std::future::Future<Output = Result<actix_web::web::Bytes, Box<dyn std::error::Error>>>,
    ) -> String {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        String::from_utf8(rt.block_on(f).unwrap().to_vec()).unwrap()
    }
}
