//! The API client: fetch on the same origin, JSON in and out, problem+json turned into a
//! typed error the pages show in the user's language.

use std::future::Future;
use std::pin::Pin;

use gloo_net::http::{Method, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::Role;
use vern_domain::access::auth::{
    AuthenticationPolicy, LoginChallenge, LoginRequest, Me, SessionList, TokenResponse, TotpRequest,
};
use vern_domain::access::clients::{ApiClientCreated, ApiClientPage, NewApiClient};
use vern_domain::access::invitation::{
    AcceptInvitation, CreateOrganization, InvitationAccepted, InvitationCreated, InvitationPage,
    InvitationPreview, InvitationToken, NewInvitation, OrganizationCreated, TotpEnrolment,
};
use vern_domain::access::members::{
    AccessReviewStarted, AuditEventPage, AuditVerification, ConfirmGrant, GrantRoleRequest,
    IpAllowlistBody, MemberPage, RoleGrantView, StartAccessReview,
};
use vern_domain::access::passkeys::{
    MfaToken, PasskeyAssertion, PasskeyChallenge, PasskeyList, PasskeyView, RegisterPasskey,
};
use vern_domain::access::role_request::{
    NewRoleRequest, RoleRequest, RoleRequestDecision, RoleRequestPage,
};
use vern_domain::organization::{Organization, OrganizationPage};
use vern_domain::problem::Problem;
use vern_domain::register::product::{Product, ProductFacts, ProductPage};
use vern_domain::register::system::{System, SystemFacts, SystemPage};

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

/// One request, compiled once: every typed call below goes through here, so the fetch and
/// problem handling are not duplicated per response type in the wasm. Answers the body
/// text of a success (empty for 204).
fn call(
    method: Method,
    url: String,
    token: Option<String>,
    body: Option<String>,
) -> Pin<Box<dyn Future<Output = Result<String, ApiError>>>> {
    call_if_match(method, url, token, body, None)
}

/// `call` with `If-Match` (the ETag is the resource's revision, quoted).
fn call_if_match(
    method: Method,
    url: String,
    token: Option<String>,
    body: Option<String>,
    revision: Option<i32>,
) -> Pin<Box<dyn Future<Output = Result<String, ApiError>>>> {
    Box::pin(async move {
        let mut request = RequestBuilder::new(&url)
            .method(method)
            .header("Accept", "application/json");
        if let Some(token) = token {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        if let Some(revision) = revision {
            request = request.header("If-Match", &format!("\"{revision}\""));
        }
        let request = match body {
            Some(json) => request
                .header("Content-Type", "application/json")
                .body(json)
                .map_err(|_| ApiError::Network)?,
            None => request.build().map_err(|_| ApiError::Network)?,
        };
        answer(request).await
    })
}

/// Sends a request; the body text of a success, or the problem document of a failure.
async fn answer(request: gloo_net::http::Request) -> Result<String, ApiError> {
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    let text = response.text().await.map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(text)
    } else {
        match serde_json::from_str::<Problem>(&text) {
            Ok(problem) => Err(ApiError::Problem(Box::new(problem))),
            Err(_) => Err(ApiError::Network),
        }
    }
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|_| ApiError::Network)
}

fn to_json<B: Serialize>(body: &B) -> Result<String, ApiError> {
    serde_json::to_string(body).map_err(|_| ApiError::Network)
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    parse(&call(Method::GET, url.to_owned(), None, None).await?)
}

/// A resident portal call: the session is the cookie the API set at login.
pub async fn resident_get<T: DeserializeOwned>(url: String) -> Result<T, ApiError> {
    get(&url).await
}

/// A resident portal POST with a JSON body.
pub async fn resident_post<B: Serialize, T: DeserializeOwned>(
    url: String,
    body: B,
) -> Result<T, ApiError> {
    parse(&call(Method::POST, url, None, Some(to_json(&body)?)).await?)
}

/// Sends a file the resident chose as the body of a POST; the JSON answer.
pub async fn resident_upload<T: DeserializeOwned>(
    url: String,
    file: web_sys::File,
) -> Result<T, ApiError> {
    let request = RequestBuilder::new(&url)
        .method(Method::POST)
        .header("Accept", "application/json")
        .header("Content-Type", "application/octet-stream")
        .body(wasm_bindgen::JsValue::from(file))
        .map_err(|_| ApiError::Network)?;
    parse(&answer(request).await?)
}

/// Ends the resident's session.
pub async fn resident_logout() -> Result<(), ApiError> {
    call(
        Method::POST,
        "/api/v1/resident/logout".to_owned(),
        None,
        None,
    )
    .await
    .map(|_| ())
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
    parse(&call(Method::POST, url.to_owned(), None, Some(to_json(body)?)).await?)
}

pub async fn login(email: String, password: String) -> Result<LoginChallenge, ApiError> {
    post("/api/v1/auth/login", &LoginRequest { email, password }).await
}

pub async fn login_totp(mfa_token: String, code: String) -> Result<TokenResponse, ApiError> {
    post("/api/v1/auth/mfa/totp", &TotpRequest { mfa_token, code }).await
}

/// Uses the HttpOnly refresh cookie (sent by the browser, never visible to us), one tab at
/// a time (`refresh_lock`).
pub async fn refresh() -> Result<TokenResponse, ApiError> {
    match crate::refresh_lock::refresh().await {
        Some((true, text)) => parse(&text),
        Some((false, text)) => match serde_json::from_str::<Problem>(&text) {
            Ok(problem) => Err(ApiError::Problem(Box::new(problem))),
            Err(_) => Err(ApiError::Network),
        },
        None => Err(ApiError::Network),
    }
}

pub async fn logout(access_token: &str) -> Result<(), ApiError> {
    empty(Method::POST, "/api/v1/auth/logout".to_owned(), access_token).await
}

pub async fn me(access_token: &str) -> Result<Me, ApiError> {
    get_authorized("/api/v1/me", access_token).await
}

/// GET with the access token.
async fn get_authorized<T: DeserializeOwned>(url: &str, token: &str) -> Result<T, ApiError> {
    parse(&call(Method::GET, url.to_owned(), Some(token.to_owned()), None).await?)
}

/// A request with a JSON body and the access token.
async fn send_authorized<B: Serialize, T: DeserializeOwned>(
    method: Method,
    url: String,
    body: &B,
    token: &str,
) -> Result<T, ApiError> {
    parse(&call(method, url, Some(token.to_owned()), Some(to_json(body)?)).await?)
}

/// A request without a body that answers 204 on success.
async fn empty(method: Method, url: String, token: &str) -> Result<(), ApiError> {
    call(method, url, Some(token.to_owned()), None)
        .await
        .map(|_| ())
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
        Method::POST,
        format!("/api/v1/organizations/{org}/members/{user}/roles"),
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
    empty(Method::DELETE, url, &token).await
}

/// `query` is `?action=…&from=…` (or empty), as `with_query` builds it.
pub async fn list_audit_events(
    org: OrganizationId,
    query: String,
    token: String,
) -> Result<AuditEventPage, ApiError> {
    let sep = if query.is_empty() { "?" } else { "&" };
    get_authorized(
        &format!("/api/v1/organizations/{org}/audit-events{query}{sep}limit=100"),
        &token,
    )
    .await
}

/// The CSV export for the same filter.
pub async fn export_audit_events(
    org: OrganizationId,
    query: String,
    token: String,
) -> Result<String, ApiError> {
    call(
        Method::GET,
        format!("/api/v1/organizations/{org}/audit-events/export.csv{query}"),
        Some(token),
        None,
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
        Method::PUT,
        format!("/api/v1/organizations/{org}/settings/ip-allowlist"),
        &body,
        &token,
    )
    .await
}

/// Without a body: for `POST …/disable` and the like.
async fn post_authorized_empty(url: &str, token: &str) -> Result<(), ApiError> {
    empty(Method::POST, url.to_owned(), token).await
}

pub async fn delete(url: String, token: String) -> Result<(), ApiError> {
    empty(Method::DELETE, url, &token).await
}

/// POST without a body to an endpoint that answers 204.
pub async fn post_empty(url: String, token: String) -> Result<(), ApiError> {
    post_authorized_empty(&url, &token).await
}

pub async fn member_action(
    org: OrganizationId,
    user: Uuid,
    action: &'static str,
    token: String,
) -> Result<(), ApiError> {
    let base = format!("/api/v1/organizations/{org}/members/{user}");
    if action == "remove" {
        empty(Method::DELETE, base, &token).await
    } else {
        post_authorized_empty(&format!("{base}/{action}"), &token).await
    }
}

pub async fn list_invitations(
    org: OrganizationId,
    token: String,
) -> Result<InvitationPage, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/invitations?limit=100"),
        &token,
    )
    .await
}

pub async fn create_invitation(
    org: OrganizationId,
    body: NewInvitation,
    token: String,
) -> Result<InvitationCreated, ApiError> {
    send_authorized(
        Method::POST,
        format!("/api/v1/organizations/{org}/invitations"),
        &body,
        &token,
    )
    .await
}

pub async fn preview_invitation(token: String) -> Result<InvitationPreview, ApiError> {
    post("/api/v1/invitations/preview", &InvitationToken { token }).await
}

pub async fn invitation_totp(token: String) -> Result<TotpEnrolment, ApiError> {
    post("/api/v1/invitations/totp", &InvitationToken { token }).await
}

pub async fn accept_invitation(body: AcceptInvitation) -> Result<InvitationAccepted, ApiError> {
    post("/api/v1/invitations/accept", &body).await
}

pub async fn create_organization(
    body: CreateOrganization,
    token: String,
) -> Result<OrganizationCreated, ApiError> {
    send_authorized(
        Method::POST,
        "/api/v1/organizations".to_owned(),
        &body,
        &token,
    )
    .await
}

pub async fn list_api_clients(
    org: OrganizationId,
    token: String,
) -> Result<ApiClientPage, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/api-clients?limit=100"),
        &token,
    )
    .await
}

pub async fn create_api_client(
    org: OrganizationId,
    body: NewApiClient,
    token: String,
) -> Result<ApiClientCreated, ApiError> {
    send_authorized(
        Method::POST,
        format!("/api/v1/organizations/{org}/api-clients"),
        &body,
        &token,
    )
    .await
}

pub async fn list_webhooks(
    org: OrganizationId,
    token: String,
) -> Result<vern_domain::webhooks::WebhookPage, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/webhooks?limit=100"),
        &token,
    )
    .await
}

pub async fn create_webhook(
    org: OrganizationId,
    body: vern_domain::webhooks::NewWebhook,
    token: String,
) -> Result<vern_domain::webhooks::WebhookCreated, ApiError> {
    send_authorized(
        Method::POST,
        format!("/api/v1/organizations/{org}/webhooks"),
        &body,
        &token,
    )
    .await
}

pub async fn webhook_deliveries(
    org: OrganizationId,
    webhook: uuid::Uuid,
    token: String,
) -> Result<vern_domain::webhooks::DeliveryPage, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/webhooks/{webhook}/deliveries?limit=100"),
        &token,
    )
    .await
}

pub async fn rotate_webhook_secret(
    org: OrganizationId,
    webhook: uuid::Uuid,
    token: String,
) -> Result<vern_domain::webhooks::WebhookCreated, ApiError> {
    send_authorized(
        Method::POST,
        format!("/api/v1/organizations/{org}/webhooks/{webhook}/secret"),
        &vern_domain::webhooks::SecretRotation::default(),
        &token,
    )
    .await
}

pub async fn replay_webhook_delivery(
    org: OrganizationId,
    delivery: uuid::Uuid,
    token: String,
) -> Result<vern_domain::webhooks::Delivery, ApiError> {
    send_authorized(
        Method::POST,
        format!("/api/v1/organizations/{org}/webhook-deliveries/{delivery}/replay"),
        &serde_json::json!({}),
        &token,
    )
    .await
}

pub async fn list_role_requests(
    org: OrganizationId,
    token: String,
) -> Result<RoleRequestPage, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/role-requests?limit=100"),
        &token,
    )
    .await
}

pub async fn my_role_requests(token: String) -> Result<RoleRequestPage, ApiError> {
    get_authorized("/api/v1/me/role-requests?limit=100", &token).await
}

pub async fn create_role_request(
    org: OrganizationId,
    body: NewRoleRequest,
    token: String,
) -> Result<RoleRequest, ApiError> {
    send_authorized(
        Method::POST,
        format!("/api/v1/organizations/{org}/role-requests"),
        &body,
        &token,
    )
    .await
}

/// `approve`, `deny` or `withdraw`.
pub async fn decide_role_request(
    org: OrganizationId,
    id: Uuid,
    action: &'static str,
    note: Option<String>,
    token: String,
) -> Result<RoleRequest, ApiError> {
    send_authorized(
        Method::POST,
        format!("/api/v1/organizations/{org}/role-requests/{id}/{action}"),
        &RoleRequestDecision { note },
        &token,
    )
    .await
}

pub async fn my_sessions(token: String) -> Result<SessionList, ApiError> {
    get_authorized("/api/v1/me/sessions", &token).await
}

pub async fn my_passkeys(token: String) -> Result<PasskeyList, ApiError> {
    get_authorized("/api/v1/me/passkeys", &token).await
}

pub async fn start_passkey_registration(token: String) -> Result<PasskeyChallenge, ApiError> {
    parse(
        &call(
            Method::POST,
            "/api/v1/me/passkey-registration".to_owned(),
            Some(token),
            None,
        )
        .await?,
    )
}

pub async fn finish_passkey_registration(
    body: RegisterPasskey,
    token: String,
) -> Result<PasskeyView, ApiError> {
    send_authorized(
        Method::POST,
        "/api/v1/me/passkeys".to_owned(),
        &body,
        &token,
    )
    .await
}

pub async fn passkey_second_factor(mfa_token: String) -> Result<PasskeyChallenge, ApiError> {
    post(
        "/api/v1/auth/mfa/passkey/challenge",
        &MfaToken { mfa_token },
    )
    .await
}

pub async fn passkey_login_challenge() -> Result<PasskeyChallenge, ApiError> {
    parse(
        &call(
            Method::POST,
            "/api/v1/auth/passkey/challenge".to_owned(),
            None,
            None,
        )
        .await?,
    )
}

pub async fn finish_passkey_login(body: PasskeyAssertion) -> Result<TokenResponse, ApiError> {
    post("/api/v1/auth/passkey", &body).await
}

pub async fn start_access_review(
    org: OrganizationId,
    due: chrono::DateTime<chrono::Utc>,
    token: String,
) -> Result<AccessReviewStarted, ApiError> {
    send_authorized(
        Method::POST,
        format!("/api/v1/organizations/{org}/access-reviews"),
        &StartAccessReview { due },
        &token,
    )
    .await
}

pub async fn confirm_grant(
    org: OrganizationId,
    grant: Uuid,
    token: String,
) -> Result<RoleGrantView, ApiError> {
    send_authorized(
        Method::POST,
        format!("/api/v1/organizations/{org}/grants/{grant}/confirm"),
        &ConfirmGrant::default(),
        &token,
    )
    .await
}

pub async fn get_authentication_policy(
    org: OrganizationId,
    token: String,
) -> Result<AuthenticationPolicy, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/settings/authentication"),
        &token,
    )
    .await
}

pub async fn put_org_number(
    org: OrganizationId,
    body: vern_domain::organization::OrgNumberChange,
    token: String,
) -> Result<Organization, ApiError> {
    send_authorized(
        Method::PUT,
        format!("/api/v1/organizations/{org}/settings/org-number"),
        &body,
        &token,
    )
    .await
}

pub async fn put_authentication_policy(
    org: OrganizationId,
    body: AuthenticationPolicy,
    token: String,
) -> Result<AuthenticationPolicy, ApiError> {
    send_authorized(
        Method::PUT,
        format!("/api/v1/organizations/{org}/settings/authentication"),
        &body,
        &token,
    )
    .await
}

pub async fn start_totp_enrolment(token: String) -> Result<TotpEnrolment, ApiError> {
    parse(
        &call(
            Method::POST,
            "/api/v1/me/totp-enrolment".to_owned(),
            Some(token),
            None,
        )
        .await?,
    )
}

pub async fn confirm_totp(code: String, token: String) -> Result<(), ApiError> {
    let body = to_json(&vern_domain::access::auth::ConfirmTotp { code })?;
    call(
        Method::PUT,
        "/api/v1/me/totp".to_owned(),
        Some(token),
        Some(body),
    )
    .await
    .map(|_| ())
}

// The register.

pub async fn list_catalogue(
    q: Option<String>,
    cursor: Option<String>,
    token: String,
) -> Result<ProductPage, ApiError> {
    let url = with_query("/api/v1/products", &[("q", q), ("cursor", cursor)]);
    get_authorized(&url, &token).await
}

pub async fn get_product(id: Uuid, token: String) -> Result<Product, ApiError> {
    get_authorized(&format!("/api/v1/products/{id}"), &token).await
}

pub async fn list_vendor_products(
    org: OrganizationId,
    token: String,
) -> Result<ProductPage, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/products?limit=500"),
        &token,
    )
    .await
}

/// Creates (`revision` None) or updates a product.
pub async fn save_product(
    org: OrganizationId,
    id: Option<Uuid>,
    revision: Option<i32>,
    facts: ProductFacts,
    token: String,
) -> Result<Product, ApiError> {
    let (method, url) = match id {
        None => (
            Method::POST,
            format!("/api/v1/organizations/{org}/products"),
        ),
        Some(id) => (
            Method::PUT,
            format!("/api/v1/organizations/{org}/products/{id}"),
        ),
    };
    parse(&call_if_match(method, url, Some(token), Some(to_json(&facts)?), revision).await?)
}

pub async fn list_systems(url: String, token: String) -> Result<SystemPage, ApiError> {
    get_authorized(&url, &token).await
}

pub async fn get_system(org: OrganizationId, id: Uuid, token: String) -> Result<System, ApiError> {
    get_authorized(&format!("/api/v1/organizations/{org}/systems/{id}"), &token).await
}

/// Registers (`id` None) or updates a system.
pub async fn save_system(
    org: OrganizationId,
    id: Option<Uuid>,
    revision: Option<i32>,
    facts: SystemFacts,
    token: String,
) -> Result<System, ApiError> {
    let (method, url) = match id {
        None => (Method::POST, format!("/api/v1/organizations/{org}/systems")),
        Some(id) => (
            Method::PUT,
            format!("/api/v1/organizations/{org}/systems/{id}"),
        ),
    };
    parse(&call_if_match(method, url, Some(token), Some(to_json(&facts)?), revision).await?)
}

pub async fn delete_system(
    org: OrganizationId,
    id: Uuid,
    revision: i32,
    token: String,
) -> Result<(), ApiError> {
    call_if_match(
        Method::DELETE,
        format!("/api/v1/organizations/{org}/systems/{id}"),
        Some(token),
        None,
        Some(revision),
    )
    .await
    .map(|_| ())
}

/// One entry of a product's history (the facts themselves are left out).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct ProductRevisionItem {
    pub revision: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub material_changes: Vec<vern_domain::register::product::MaterialFact>,
}

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct ProductRevisionList {
    pub items: Vec<ProductRevisionItem>,
}

pub async fn list_product_revisions(
    id: Uuid,
    token: String,
) -> Result<ProductRevisionList, ApiError> {
    get_authorized(&format!("/api/v1/products/{id}/revisions"), &token).await
}

pub async fn list_activities(
    url: String,
    token: String,
) -> Result<vern_domain::register::activity::ActivityPage, ApiError> {
    get_authorized(&url, &token).await
}

pub async fn get_activity(
    org: OrganizationId,
    id: Uuid,
    token: String,
) -> Result<vern_domain::register::activity::Activity, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/processing-activities/{id}"),
        &token,
    )
    .await
}

/// Creates (`id` None) or updates a processing activity.
pub async fn save_activity(
    org: OrganizationId,
    id: Option<Uuid>,
    revision: Option<i32>,
    facts: vern_domain::register::activity::ActivityFacts,
    token: String,
) -> Result<vern_domain::register::activity::Activity, ApiError> {
    let (method, url) = match id {
        None => (
            Method::POST,
            format!("/api/v1/organizations/{org}/processing-activities"),
        ),
        Some(id) => (
            Method::PUT,
            format!("/api/v1/organizations/{org}/processing-activities/{id}"),
        ),
    };
    parse(&call_if_match(method, url, Some(token), Some(to_json(&facts)?), revision).await?)
}

/// A binary download (an XLSX export) with the access token.
pub async fn fetch_bytes(url: String, token: String) -> Result<Vec<u8>, ApiError> {
    let response = RequestBuilder::new(&url)
        .method(Method::GET)
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if response.ok() {
        response.binary().await.map_err(|_| ApiError::Network)
    } else {
        let text = response.text().await.map_err(|_| ApiError::Network)?;
        match serde_json::from_str::<Problem>(&text) {
            Ok(problem) => Err(ApiError::Problem(Box::new(problem))),
            Err(_) => Err(ApiError::Network),
        }
    }
}

/// A municipality's public privacy statement (no login).
pub async fn get_privacy_statement(
    org: OrganizationId,
    lang: &str,
) -> Result<vern_domain::register::record::PrivacyStatement, ApiError> {
    get(&format!(
        "/api/v1/organizations/{org}/privacy-statement?lang={lang}"
    ))
    .await
}

pub async fn list_review_items(
    url: String,
    token: String,
) -> Result<vern_domain::register::review::ReviewItemPage, ApiError> {
    get_authorized(&url, &token).await
}

/// Records the review of an open item at `revision` (412 when the vendor changed it since).
pub async fn resolve_review_item(
    org: OrganizationId,
    id: Uuid,
    revision: i32,
    resolution: vern_domain::register::review::ReviewResolution,
    token: String,
) -> Result<vern_domain::register::review::ReviewItem, ApiError> {
    parse(
        &call_if_match(
            Method::POST,
            format!("/api/v1/organizations/{org}/review-items/{id}/resolve"),
            Some(token),
            Some(to_json(&resolution)?),
            Some(revision),
        )
        .await?,
    )
}

/// Sends a file as the body of a POST, with its media type, and answers the JSON reply.
pub async fn upload<T: DeserializeOwned>(
    url: String,
    file: web_sys::File,
    content_type: String,
    token: String,
) -> Result<T, ApiError> {
    let request = RequestBuilder::new(&url)
        .method(Method::POST)
        .header("Accept", "application/json")
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", &content_type)
        .body(wasm_bindgen::JsValue::from(file))
        .map_err(|_| ApiError::Network)?;
    parse(&answer(request).await?)
}

pub async fn get_processor_record(
    org: OrganizationId,
    token: String,
) -> Result<vern_domain::register::processor::ProcessorRecord, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/processor-record"),
        &token,
    )
    .await
}

/// Someone who can be named a system's owner.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct SystemOwnerCandidate {
    pub user_id: Uuid,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct SystemOwnerCandidateList {
    pub items: Vec<SystemOwnerCandidate>,
}

pub async fn list_system_owner_candidates(
    org: OrganizationId,
    token: String,
) -> Result<SystemOwnerCandidateList, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/system-owners"),
        &token,
    )
    .await
}

pub async fn list_activity_templates(
    url: String,
    token: String,
) -> Result<vern_domain::register::template::ActivityTemplatePage, ApiError> {
    get_authorized(&url, &token).await
}

/// The template published from one of the organisation's activities, if there is one.
pub async fn find_activity_template(
    org: OrganizationId,
    activity: Uuid,
    token: String,
) -> Result<Option<vern_domain::register::template::ActivityTemplate>, ApiError> {
    let page: vern_domain::register::template::ActivityTemplatePage = get_authorized(
        &format!(
            "/api/v1/organizations/{org}/activity-templates?publisher_id={org}&activity_id={activity}"
        ),
        &token,
    )
    .await?;
    Ok(page.items.into_iter().next())
}

/// Publishes the activity as a template, or refreshes its template.
pub async fn publish_activity_template(
    org: OrganizationId,
    activity: Uuid,
    body: vern_domain::register::template::TemplatePublish,
    token: String,
) -> Result<vern_domain::register::template::ActivityTemplate, ApiError> {
    send_authorized(
        Method::PUT,
        format!("/api/v1/organizations/{org}/processing-activities/{activity}/template"),
        &body,
        &token,
    )
    .await
}

/// Copies a template into the organisation's register as a draft.
pub async fn copy_activity_template(
    org: OrganizationId,
    template: Uuid,
    body: vern_domain::register::template::TemplateCopyRequest,
    token: String,
) -> Result<vern_domain::register::template::TemplateCopy, ApiError> {
    send_authorized(
        Method::POST,
        format!("/api/v1/organizations/{org}/activity-templates/{template}/copies"),
        &body,
        &token,
    )
    .await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct OverviewSharing {
    pub share_overview: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct OverviewPeers {
    pub items: Vec<vern_domain::register::compare::ComparedOrganization>,
}

pub async fn get_overview_sharing(
    org: OrganizationId,
    token: String,
) -> Result<OverviewSharing, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/settings/overview-sharing"),
        &token,
    )
    .await
}

pub async fn put_overview_sharing(
    org: OrganizationId,
    body: OverviewSharing,
    token: String,
) -> Result<OverviewSharing, ApiError> {
    send_authorized(
        Method::PUT,
        format!("/api/v1/organizations/{org}/settings/overview-sharing"),
        &body,
        &token,
    )
    .await
}

pub async fn list_overview_peers(
    org: OrganizationId,
    token: String,
) -> Result<OverviewPeers, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/overview-peers"),
        &token,
    )
    .await
}

pub async fn compare_overviews(
    org: OrganizationId,
    with: OrganizationId,
    token: String,
) -> Result<vern_domain::register::compare::OverviewComparison, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/overview-comparison?with={with}"),
        &token,
    )
    .await
}

pub async fn list_own_terms(
    org: OrganizationId,
    token: String,
) -> Result<vern_domain::register::vocabulary::LocalTermList, ApiError> {
    get_authorized(&format!("/api/v1/organizations/{org}/own-terms"), &token).await
}

pub async fn create_own_term(
    org: OrganizationId,
    body: vern_domain::register::vocabulary::NewTerm,
    token: String,
) -> Result<vern_domain::register::vocabulary::LocalTerm, ApiError> {
    send_authorized(
        Method::POST,
        format!("/api/v1/organizations/{org}/own-terms"),
        &body,
        &token,
    )
    .await
}

pub async fn relabel_own_term(
    org: OrganizationId,
    key: String,
    body: vern_domain::register::vocabulary::TermLabels,
    token: String,
) -> Result<vern_domain::register::vocabulary::LocalTerm, ApiError> {
    send_authorized(
        Method::PUT,
        format!("/api/v1/organizations/{org}/own-terms/{key}"),
        &body,
        &token,
    )
    .await
}

pub async fn get_product_usage(
    org: OrganizationId,
    token: String,
) -> Result<vern_domain::register::usage::ProductUsage, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/product-usage"),
        &token,
    )
    .await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct UsageSharing {
    pub share_usage_with_vendors: bool,
}

pub async fn get_usage_sharing(
    org: OrganizationId,
    token: String,
) -> Result<UsageSharing, ApiError> {
    get_authorized(
        &format!("/api/v1/organizations/{org}/settings/usage-sharing"),
        &token,
    )
    .await
}

pub async fn put_usage_sharing(
    org: OrganizationId,
    body: UsageSharing,
    token: String,
) -> Result<UsageSharing, ApiError> {
    send_authorized(
        Method::PUT,
        format!("/api/v1/organizations/{org}/settings/usage-sharing"),
        &body,
        &token,
    )
    .await
}

/// GET a JSON resource with the access token.
pub async fn fetch_json<T: DeserializeOwned>(url: String, token: String) -> Result<T, ApiError> {
    get_authorized(&url, &token).await
}

/// POST a JSON body with the access token; the JSON answer.
pub async fn post_json<B: Serialize, T: DeserializeOwned>(
    url: String,
    body: B,
    token: String,
) -> Result<T, ApiError> {
    send_authorized(Method::POST, url, &body, &token).await
}

/// PUT a JSON body (no `If-Match`: the resource has no revision to match); the JSON answer.
pub async fn put_json_plain<B: Serialize, T: DeserializeOwned>(
    url: String,
    body: B,
    token: String,
) -> Result<T, ApiError> {
    send_authorized(Method::PUT, url, &body, &token).await
}

/// PUT a JSON body with `If-Match`; the JSON answer.
pub async fn put_json<B: Serialize, T: DeserializeOwned>(
    url: String,
    body: B,
    revision: i32,
    token: String,
) -> Result<T, ApiError> {
    parse(
        &call_if_match(
            Method::PUT,
            url,
            Some(token),
            Some(to_json(&body)?),
            Some(revision),
        )
        .await?,
    )
}

/// POST a JSON body with `If-Match`; the JSON answer.
pub async fn post_json_if_match<B: Serialize, T: DeserializeOwned>(
    url: String,
    body: B,
    revision: i32,
    token: String,
) -> Result<T, ApiError> {
    parse(
        &call_if_match(
            Method::POST,
            url,
            Some(token),
            Some(to_json(&body)?),
            Some(revision),
        )
        .await?,
    )
}
