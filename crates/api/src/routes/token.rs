//! `POST /api/v1/auth/token`: the OAuth 2.0 client credentials grant (RFC 6749 §4.4) for
//! integrations. The client authenticates with its id and secret — in the form body or as
//! HTTP Basic — and receives a short-lived access token carrying its scopes.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
use vern_domain::access::clients::{
    ClientTokenRequest, ClientTokenResponse, format_scope, parse_scope, token_scopes,
};
use vern_domain::access::throttle::{PER_ACCOUNT, PER_ADDRESS};
use vern_domain::problem::{Problem, ProblemCode};

use super::auth::{address_key, check_throttle, record_failure, unix_now};
use crate::auth::tokens::{self, ACCESS_AUDIENCE};
use crate::auth::{ACCESS_TOKEN_SECONDS, token_hash};
use crate::error::ApiError;
use crate::middleware::request_id;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(client_token);
}

fn invalid_client() -> ApiError {
    ApiError::new(ProblemCode::InvalidClient)
}

/// The body, form-encoded (RFC 6749) or JSON.
fn parse_body(req: &HttpRequest, body: &[u8]) -> Result<ClientTokenRequest, ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        serde_urlencoded::from_bytes(body).map_err(|_| {
            ApiError::new(ProblemCode::InvalidJson).detail("the form is not a token request")
        })
    } else if content_type.starts_with("application/json") {
        serde_json::from_slice(body).map_err(|_| ApiError::new(ProblemCode::InvalidJson))
    } else {
        Err(ApiError::new(ProblemCode::UnsupportedMediaType)
            .detail("send application/x-www-form-urlencoded or application/json"))
    }
}

/// HTTP Basic credentials (RFC 6749 §2.3.1: each part form-url-encoded).
fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    use base64::Engine as _;
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    let unescape = |s: &str| -> Option<String> {
        serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={s}"))
            .ok()?
            .pop()
            .map(|(_, v)| v)
    };
    Some((unescape(id)?, unescape(secret)?))
}

/// Get an access token for an API client
///
/// Exchange client credentials for an access token.
///
/// Form-encoded per RFC 6749 (`grant_type=client_credentials&client_id=…&client_secret=…`);
/// the same fields as a JSON body are accepted too, and the credentials may come as HTTP
/// Basic instead. Failed
/// attempts are throttled per client and per address (429 with `Retry-After`).
#[utoipa::path(
    tag = "auth",
    operation_id = "client_token",
    // One documented content type: client generators cannot tell two bodies of the same
    // schema apart. JSON with the same fields is accepted too.
    request_body(content((ClientTokenRequest = "application/x-www-form-urlencoded"))),
    security(()),
    responses(
        (status = 200, description = "An access token for the client's organisation, with the granted scopes", body = ClientTokenResponse),
        (status = 400, description = "Malformed body (`invalid_json`); a grant other than `client_credentials` (`unsupported_grant_type`); a scope the client lacks (`invalid_scope`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown client, wrong secret, or the client is revoked or expired (`invalid_client`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither form-encoded nor JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see `Retry-After` (`rate_limited`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/token")]
pub async fn client_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let form = parse_body(&req, &body)?;
    if form.grant_type != "client_credentials" {
        return Err(ApiError::new(ProblemCode::UnsupportedGrantType));
    }
    let (id, secret) = match (basic_credentials(&req), form.client_id, form.client_secret) {
        (Some(pair), _, _) => pair,
        (None, Some(id), Some(secret)) => (id, secret),
        _ => return Err(invalid_client().detail("send client_id and client_secret")),
    };
    let requested = match form.scope.as_deref() {
        None => None,
        Some(s) => Some(parse_scope(s).ok_or_else(|| ApiError::new(ProblemCode::InvalidScope))?),
    };
    let client_key = format!("client:{}", token_hash(id.trim()));
    let address = address_key(&req);
    let keys = [
        (&PER_ACCOUNT, client_key.as_str()),
        (&PER_ADDRESS, address.as_str()),
    ];
    check_throttle(&state, &keys).await?;
    let now = Utc::now();
    let client = match Uuid::parse_str(id.trim()) {
        Ok(uuid) => vern_db::api_clients::find(&state.db.conn, uuid).await?,
        Err(_) => None,
    };
    // Clients of the external authorisation server get their tokens there, not here.
    let client = client.filter(|c| {
        vern_db::api_clients::is_live(c, now)
            && c.external_client_id.is_none()
            && c.secret_hash == token_hash(&secret)
    });
    let Some(client) = client else {
        let event = AuditDraft {
            organization_id: None,
            actor_kind: ActorKind::System,
            actor_id: None,
            action: "auth.client_token",
            target_type: "api_client",
            target_id: None,
            request_id: request_id(&req),
            outcome: Outcome::Denied,
        };
        record_failure(&state, &keys, event).await?;
        return Err(invalid_client());
    };
    let held = vern_db::api_clients::scopes(&client)?;
    let scopes = token_scopes(&held, requested.as_deref())
        .ok_or_else(|| ApiError::new(ProblemCode::InvalidScope))?;
    let scope = format_scope(&scopes);
    let access_token = tokens::issue_with_scope(
        &state.keys,
        &state.public_url,
        ACCESS_AUDIENCE,
        client.id,
        None,
        Some(scope.clone()),
        unix_now(),
        ACCESS_TOKEN_SECONDS,
    )
    .map_err(ApiError::internal)?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    vern_db::api_clients::touch(&txn, client.id, now).await?;
    vern_db::throttle::clear(&txn, &client_key).await?;
    vern_db::audit::append(
        &txn,
        AuditDraft {
            organization_id: Some(OrganizationId::from_uuid(client.organization_id)),
            actor_kind: ActorKind::ApiClient,
            actor_id: Some(client.id),
            action: "auth.client_token",
            target_type: "api_client",
            target_id: Some(client.id.to_string()),
            request_id: request_id(&req),
            outcome: Outcome::Success,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(ClientTokenResponse {
            access_token,
            token_type: "Bearer".to_owned(),
            expires_in: ACCESS_TOKEN_SECONDS,
            scope,
        }))
}
