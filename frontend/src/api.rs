//! The API client: fetch on the same origin, JSON in and out, problem+json turned into a
//! typed error the pages show in the user's language.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::Role;
use vern_domain::access::auth::{LoginChallenge, LoginRequest, Me, TokenResponse, TotpRequest};
use vern_domain::access::members::{
    AuditEventPage, AuditVerification, GrantRoleRequest, IpAllowlistBody, MemberPage, RoleGrantView,
};
use vern_domain::organization::{Organization, OrganizationPage};
use vern_domain::problem::Problem;

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server answered with a problem document.
    Problem(Box<Problem>),
    /// No answer, or one we could not read.
    Network,
}

impl ApiError {
    /// The i18n key that explains this error.
    pub fn message_key(&self) -> String {
        match self {
            Self::Problem(p) => format!("problem-{}", p.code.as_str().replace('_', "-")),
            Self::Network => "problem-network".to_owned(),
        }
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Problem(p) => p.request_id.as_deref(),
            Self::Network => None,
        }
    }
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    let response = Request::get(url)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    read(response).await
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        response.json::<T>().await.map_err(|_| ApiError::Network)
    } else {
        match response.json::<Problem>().await {
            Ok(problem) => Err(ApiError::Problem(Box::new(problem))),
            Err(_) => Err(ApiError::Network),
        }
    }
}

/// Builds `path?k=v&…`, leaving out empty values.
pub fn with_query(path: &str, params: &[(&str, Option<String>)]) -> String {
    let Ok(search) = web_sys::UrlSearchParams::new() else {
        return path.to_owned();
    };
    for (key, value) in params {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            search.append(key, value);
        }
    }
    let query: String = search.to_string().into();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgQuery {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub cursor: Option<String>,
}

impl OrgQuery {
    pub fn params(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("q", self.q.clone()),
            ("kind", self.kind.clone()),
            ("cursor", self.cursor.clone()),
        ]
    }
}

pub async fn list_organizations(query: &OrgQuery) -> Result<OrganizationPage, ApiError> {
    get(&with_query("/api/v1/organizations", &query.params())).await
}

pub async fn get_organization(id: OrganizationId) -> Result<Organization, ApiError> {
    get(&format!("/api/v1/organizations/{id}")).await
}

async fn post<B: Serialize, T: DeserializeOwned>(url: &str, body: &B) -> Result<T, ApiError> {
    let request = Request::post(url)
        .header("Accept", "application/json")
        .json(body)
        .map_err(|_| ApiError::Network)?;
    read(request.send().await.map_err(|_| ApiError::Network)?).await
}

pub async fn login(email: String, password: String) -> Result<LoginChallenge, ApiError> {
    post("/api/v1/auth/login", &LoginRequest { email, password }).await
}

pub async fn login_totp(mfa_token: String, code: String) -> Result<TokenResponse, ApiError> {
    post("/api/v1/auth/mfa/totp", &TotpRequest { mfa_token, code }).await
}

/// Uses the HttpOnly refresh cookie (sent by the browser, never visible to us).
pub async fn refresh() -> Result<TokenResponse, ApiError> {
    let response = Request::post("/api/v1/auth/refresh")
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    read(response).await
}

pub async fn logout(access_token: &str) -> Result<(), ApiError> {
    send_authorized_empty(Request::post("/api/v1/auth/logout"), access_token).await
}

pub async fn me(access_token: &str) -> Result<Me, ApiError> {
    get_authorized("/api/v1/me", access_token).await
}

fn authorized(request: RequestBuilder, token: &str) -> RequestBuilder {
    request
        .header("Accept", "application/json")
        .header("Authorization", &format!("Bearer {token}"))
}

/// GET with the access token.
async fn get_authorized<T: DeserializeOwned>(url: &str, token: &str) -> Result<T, ApiError> {
    let response = authorized(Request::get(url), token)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    read(response).await
}

/// A request with a JSON body and the access token.
async fn send_authorized<B: Serialize, T: DeserializeOwned>(
    request: RequestBuilder,
    body: &B,
    token: &str,
) -> Result<T, ApiError> {
    let request = authorized(request, token)
        .json(body)
        .map_err(|_| ApiError::Network)?;
    read(request.send().await.map_err(|_| ApiError::Network)?).await
}

/// A request that answers 204 on success.
async fn send_authorized_empty(request: RequestBuilder, token: &str) -> Result<(), ApiError> {
    let response = authorized(request, token)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(())
    } else {
        read::<serde_json::Value>(response).await.map(|_| ())
    }
}

pub async fn list_members(org: OrganizationId, token: String) -> Result<MemberPage, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/members?limit=500"),
        &token,
    )
    .await
}

pub async fn grant_role(
    org: OrganizationId,
    user: Uuid,
    request: GrantRoleRequest,
    token: String,
) -> Result<RoleGrantView, ApiError> {
    send_authorized(
        Request::post(&format!("/api/v1/organizations/{org}/members/{user}/roles")),
        &request,
        &token,
    )
    .await
}

pub async fn revoke_role(
    org: OrganizationId,
    user: Uuid,
    role: Role,
    token: String,
) -> Result<(), ApiError> {
    let url = format!(
        "/api/v1/organizations/{org}/members/{user}/roles/{}",
        role.as_str()
    );
    send_authorized_empty(Request::delete(&url), &token).await
}

pub async fn list_audit_events(
    org: OrganizationId,
    token: String,
) -> Result<AuditEventPage, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/audit-events?limit=100"),
        &token,
    )
    .await
}

pub async fn verify_audit_events(
    org: OrganizationId,
    token: String,
) -> Result<AuditVerification, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/audit-events/verify"),
        &token,
    )
    .await
}

pub async fn get_ip_allowlist(
    org: OrganizationId,
    token: String,
) -> Result<IpAllowlistBody, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/settings/ip-allowlist"),
        &token,
    )
    .await
}

pub async fn put_ip_allowlist(
    org: OrganizationId,
    body: IpAllowlistBody,
    token: String,
) -> Result<IpAllowlistBody, ApiError> {
    send_authorized(
        Request::put(&format!(
            "/api/v1/organizations/{org}/settings/ip-allowlist"
        )),
        &body,
        &token,
    )
    .await
}
