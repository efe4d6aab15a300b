//! Organisation settings: the IP allowlist and the login policy.

use actix_web::{HttpRequest, get, put, web};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;
use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
use vern_domain::access::auth::AuthenticationPolicy;
use vern_domain::access::members::IpAllowlistBody;
use vern_domain::access::{AllowlistError, IpAllowlist, Permission};
use vern_domain::organization::{OrgNumberChange, Organization};
use vern_domain::problem::{Problem, ProblemCode};
use vern_domain::{OrgNumber, OrganizationId};

use crate::auth::Authenticated;
use crate::body::Body;
use crate::error::ApiError;
use crate::middleware::request_id;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(get_ip_allowlist)
        .service(put_ip_allowlist)
        .service(get_authentication_policy)
        .service(put_authentication_policy)
        .service(put_org_number);
}

/// Set the organisation number
///
/// Set the organisation's number in Enhetsregisteret (organisasjonsnummer).
///
/// Integrations authenticating with Maskinporten tokens act for the organisation whose number
/// is the token's `consumer`; municipalities are created from the code list without one. A
/// number belongs to one organisation in Vern.
#[utoipa::path(
    tag = "settings",
    operation_id = "put_org_number",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = OrgNumberChange,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The organisation with its number", body = Organization),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may change settings (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another organisation in Vern has this number (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a valid organisation number (`validation_failed`, field `org_number`, code `length`, `not_digits` or `checksum`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organizations/{org_id}/settings/org-number")]
pub async fn put_org_number(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<OrgNumberChange>,
) -> Result<web::Json<Organization>, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ManageOrgSettings)
        .await?;
    let body = body.parse()?;
    let number = OrgNumber::parse(&body.org_number)
        .map_err(|e| ApiError::validation("org_number", e.code()))?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if !vern_db::organizations::set_org_number(&txn, org, &number, now).await? {
        return Err(ApiError::new(ProblemCode::Conflict)
            .detail("another organisation in Vern has this number"));
    }
    let event = AuditDraft {
        organization_id: Some(org),
        actor_kind: ActorKind::User,
        actor_id: Some(auth.user_id),
        action: "settings.org_number_set",
        target_type: "organization",
        target_id: Some(org.to_string()),
        request_id: request_id(&req),
        outcome: Outcome::Success,
    };
    vern_db::audit::append(&txn, event, now).await?;
    let organization = vern_db::organizations::get(&txn, org)
        .await?
        .ok_or_else(ApiError::not_found)?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(web::Json(organization))
}

/// Get the IP allowlist
///
/// The networks the organisation's staff may reach Vern from.
#[utoipa::path(
    tag = "settings",
    operation_id = "get_ip_allowlist",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The allowlist; empty means no restriction", body = IpAllowlistBody),
        (status = 400, description = "`org_id` is not a UUID (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may change settings, or a request from outside the allowlist (`forbidden`, `ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/settings/ip-allowlist")]
pub async fn get_ip_allowlist(
    auth: Authenticated,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
) -> Result<web::Json<IpAllowlistBody>, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ManageOrgSettings)
        .await?;
    let list = vern_db::organizations::ip_allowlist(&state.db.conn, org)
        .await?
        .unwrap_or_default();
    Ok(web::Json(IpAllowlistBody {
        entries: list.entries(),
    }))
}

/// Replace the IP allowlist
///
/// Replace the allowlist. A list that would shut out the caller's own address is refused,
/// so an administrator cannot lock everyone out by mistake.
#[utoipa::path(
    tag = "settings",
    operation_id = "put_ip_allowlist",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = IpAllowlistBody,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The allowlist as stored (normalised)", body = IpAllowlistBody),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may change settings, or a request from outside the allowlist (`forbidden`, `ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An entry is not a CIDR range, too many entries, or the list would shut out the caller (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organizations/{org_id}/settings/ip-allowlist")]
pub async fn put_ip_allowlist(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<IpAllowlistBody>,
) -> Result<web::Json<IpAllowlistBody>, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ManageOrgSettings)
        .await?;
    let body = body.parse()?;
    let list = IpAllowlist::parse(&body.entries).map_err(|e| match e {
        AllowlistError::Invalid { index } => {
            ApiError::validation(&format!("entries[{index}]"), "not_a_cidr_range")
        }
        AllowlistError::TooMany => ApiError::validation("entries", "too_many"),
    })?;
    if list.would_lock_out(auth.client_ip) {
        return Err(ApiError::new(ProblemCode::ValidationFailed)
            .field("entries", "would_lock_you_out")
            .detail("the list does not include the address you are connected from"));
    }
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    vern_db::organizations::set_ip_allowlist(&txn, org, &list, now).await?;
    let event = AuditDraft {
        organization_id: Some(org),
        actor_kind: ActorKind::User,
        actor_id: Some(auth.user_id),
        action: "settings.ip_allowlist_changed",
        target_type: "organization",
        target_id: Some(org.to_string()),
        request_id: request_id(&req),
        outcome: Outcome::Success,
    };
    vern_db::audit::append(&txn, event, now).await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(web::Json(IpAllowlistBody {
        entries: list.entries(),
    }))
}

/// Get the login policy
///
/// How the organisation's staff must log in.
#[utoipa::path(
    tag = "settings",
    operation_id = "get_authentication_policy",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The policy", body = AuthenticationPolicy),
        (status = 400, description = "`org_id` is not a UUID (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may change settings, or the organisation's network or login policy refuses this session (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/settings/authentication")]
pub async fn get_authentication_policy(
    auth: Authenticated,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
) -> Result<web::Json<AuthenticationPolicy>, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ManageOrgSettings)
        .await?;
    let require_passkey = vern_db::organizations::require_passkey(&state.db.conn, org)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(web::Json(AuthenticationPolicy { require_passkey }))
}

/// Change the login policy
///
/// Change the login policy. Requiring passkeys takes effect on the next request: staff
/// sessions opened with a TOTP code are refused in this organisation until they log in
/// again with a passkey. The administrator turning it on must be logged in with a passkey
/// themselves, so that they cannot lock themselves out.
#[utoipa::path(
    tag = "settings",
    operation_id = "put_authentication_policy",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = AuthenticationPolicy,
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The policy as stored", body = AuthenticationPolicy),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may change settings, or the organisation's network or login policy refuses this session (`forbidden`, `ip_not_allowed`, `passkey_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Passkeys can only be required from a session opened with a passkey (`validation_failed`, field `require_passkey`, code `log_in_with_a_passkey_first`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organizations/{org_id}/settings/authentication")]
pub async fn put_authentication_policy(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<AuthenticationPolicy>,
) -> Result<web::Json<AuthenticationPolicy>, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ManageOrgSettings)
        .await?;
    let body = body.parse()?;
    let policy = body;
    if !auth.auth_method.satisfies(policy.require_passkey) {
        return Err(ApiError::new(ProblemCode::ValidationFailed)
            .field("require_passkey", "log_in_with_a_passkey_first")
            .detail("log in with a passkey before requiring passkeys of everyone"));
    }
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    vern_db::organizations::set_require_passkey(&txn, org, policy.require_passkey, now).await?;
    let event = AuditDraft {
        organization_id: Some(org),
        actor_kind: ActorKind::User,
        actor_id: Some(auth.user_id),
        action: if policy.require_passkey {
            "settings.passkeys_required"
        } else {
            "settings.passkeys_optional"
        },
        target_type: "organization",
        target_id: Some(org.to_string()),
        request_id: request_id(&req),
        outcome: Outcome::Success,
    };
    vern_db::audit::append(&txn, event, now).await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(web::Json(policy))
}
