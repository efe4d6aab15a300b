//! The API client: fetch on the same origin, JSON in and out, problem+json turned into a
//! typed error the pages show in the user's language.

use gloo_net::http::{Request, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use vern_domain::OrganizationId;
use vern_domain::access::auth::{LoginChallenge, LoginRequest, Me, TokenResponse, TotpRequest};
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
    let response = Request::post("/api/v1/auth/logout")
        .header("Authorization", &format!("Bearer {access_token}"))
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(())
    } else {
        read::<serde_json::Value>(response).await.map(|_| ())
    }
}

pub async fn me(access_token: &str) -> Result<Me, ApiError> {
    let response = Request::get("/api/v1/me")
        .header("Accept", "application/json")
        .header("Authorization", &format!("Bearer {access_token}"))
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    read(response).await
}

fn authorized(
    request: gloo_net::http::RequestBuilder,
    token: &str,
) -> gloo_net::http::RequestBuilder {
    request
        .header("Accept", "application/json")
        .header("Authorization", &format!("Bearer {token}"))
}

pub async fn list_members(
    org: OrganizationId,
    token: String,
) -> Result<vern_domain::access::members::MemberPage, ApiError> {
    let response = authorized(
        Request::get(&format!("/api/v1/organizations/{org}/members?limit=500")),
        &token,
    )
    .send()
    .await
    .map_err(|_| ApiError::Network)?;
    read(response).await
}

pub async fn grant_role(
    org: OrganizationId,
    user: uuid::Uuid,
    request: vern_domain::access::members::GrantRoleRequest,
    token: String,
) -> Result<vern_domain::access::members::RoleGrantView, ApiError> {
    let response = authorized(
        Request::post(&format!("/api/v1/organizations/{org}/members/{user}/roles")),
        &token,
    )
    .json(&request)
    .map_err(|_| ApiError::Network)?
    .send()
    .await
    .map_err(|_| ApiError::Network)?;
    read(response).await
}

pub async fn revoke_role(
    org: OrganizationId,
    user: uuid::Uuid,
    role: vern_domain::access::Role,
    token: String,
) -> Result<(), ApiError> {
    let response = authorized(
        Request::delete(&format!(
            "/api/v1/organizations/{org}/members/{user}/roles/{}",
            role.as_str()
        )),
        &token,
    )
    .send()
    .await
    .map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(())
    } else {
        read::<serde_json::Value>(response).await.map(|_| ())
    }
}

pub async fn list_audit_events(
    org: OrganizationId,
    token: String,
) -> Result<vern_domain::access::members::AuditEventPage, ApiError> {
    let response = authorized(
        Request::get(&format!(
            "/api/v1/organizations/{org}/audit-events?limit=100"
        )),
        &token,
    )
    .send()
    .await
    .map_err(|_| ApiError::Network)?;
    read(response).await
}

pub async fn verify_audit_events(
    org: OrganizationId,
    token: String,
) -> Result<vern_domain::access::members::AuditVerification, ApiError> {
    let response = authorized(
        Request::get(&format!("/api/v1/organizations/{org}/audit-events/verify")),
        &token,
    )
    .send()
    .await
    .map_err(|_| ApiError::Network)?;
    read(response).await
}

pub async fn get_ip_allowlist(
    org: OrganizationId,
    token: String,
) -> Result<vern_domain::access::members::IpAllowlistBody, ApiError> {
    let response = authorized(
        Request::get(&format!(
            "/api/v1/organizations/{org}/settings/ip-allowlist"
        )),
        &token,
    )
    .send()
    .await
    .map_err(|_| ApiError::Network)?;
    read(response).await
}

pub async fn put_ip_allowlist(
    org: OrganizationId,
    body: vern_domain::access::members::IpAllowlistBody,
    token: String,
) -> Result<vern_domain::access::members::IpAllowlistBody, ApiError> {
    let response = authorized(
        Request::put(&format!(
            "/api/v1/organizations/{org}/settings/ip-allowlist"
        )),
        &token,
    )
    .json(&body)
    .map_err(|_| ApiError::Network)?
    .send()
    .await
    .map_err(|_| ApiError::Network)?;
    read(response).await
}
