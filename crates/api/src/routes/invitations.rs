//! Invitations: administrators invite people into their organisation; the platform
//! operator creates organisations and appoints their first administrator the same way. The
//! invitee opens the single-use link, sets a password, enrols a TOTP authenticator and
//! only then holds the roles.
//!
//! The link carries its token in the URL fragment (`/invitation#token=…`), which browsers
//! never send to a server; the SPA posts it in a body, so it reaches no access log.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use vern_db::DbError;
use vern_domain::OrganizationId;
use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
use vern_domain::access::invitation::{
    AcceptInvitation, CheckedInvitation, CreateOrganization, FieldRefusal, FirstAdministrator,
    InvitationAccepted, InvitationCreated, InvitationPage, InvitationPreview, InvitationState,
    InvitationToken, NewInvitation, OrganizationCreated, TotpEnrolment, admin_role,
    check_invitation, check_new_organization,
};
use vern_domain::access::throttle::{PER_ACCOUNT, PER_ADDRESS};
use vern_domain::access::{Permission, check_password};
use vern_domain::problem::{Problem, ProblemCode};
use vern_domain::{EmailAddress, OrgKind};

use super::auth::{address_key, check_throttle, record_failure, unix_now};
use super::members::PageParams;
use crate::auth::credentials::{
    check_totp, enrolment, hash_password, new_totp_secret, verify_password,
};
use crate::auth::{Authenticated, random_token, token_hash};
use crate::body::Body;
use crate::error::ApiError;
use crate::middleware::request_id;
use crate::startup::AppState;

pub fn mount(cfg: &mut ServiceConfig) {
    cfg.service(create_organization)
        .service(invite_administrator)
        .service(list_invitations)
        .service(create_invitation)
        .service(withdraw_invitation)
        .service(preview_invitation)
        .service(invitation_totp)
        .service(accept_invitation);
}

fn refused(r: FieldRefusal) -> ApiError {
    ApiError::validation(r.field, r.code)
}

fn event(
    org: Option<OrganizationId>,
    actor: Option<Uuid>,
    action: &'static str,
    target_type: &'static str,
    target: Uuid,
    req: &HttpRequest,
) -> AuditDraft {
    AuditDraft {
        organization_id: org,
        actor_kind: if actor.is_some() {
            ActorKind::User
        } else {
            ActorKind::System
        },
        actor_id: actor,
        action,
        target_type,
        target_id: Some(target.to_string()),
        request_id: request_id(req),
        outcome: Outcome::Success,
    }
}

/// Stores an invitation inside the caller's transaction and audits it; the answer carries
/// the link, shown this once.
async fn store_invitation(
    state: &AppState,
    txn: &vern_db::DatabaseTransaction,
    org: OrganizationId,
    checked: CheckedInvitation,
    created_by: Uuid,
    req: &HttpRequest,
) -> Result<InvitationCreated, ApiError> {
    let now = Utc::now();
    let token = random_token().map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?;
    let row =
        vern_db::invitations::insert(txn, org, checked, token_hash(&token), Some(created_by), now)
            .await?;
    vern_db::audit::append(
        txn,
        event(
            Some(org),
            Some(created_by),
            "invitation.created",
            "invitation",
            row.id,
            req,
        ),
        now,
    )
    .await?;
    Ok(InvitationCreated {
        invitation: vern_db::invitations::to_domain(row, now)?,
        emailed: false,
        link: Some(format!(
            "{}/invitation#token={token}",
            state.public_url.trim_end_matches('/')
        )),
    })
}

/// The platform operator's check: some membership carries `CreateOrganizations`.
fn require_operator(auth: &Authenticated) -> Result<(), ApiError> {
    let operator = auth.memberships.iter().any(|m| {
        m.roles
            .iter()
            .any(|r| r.grants(Permission::CreateOrganizations))
    });
    operator
        .then_some(())
        .ok_or_else(|| ApiError::new(ProblemCode::Forbidden))
}

/// Create an organisation
///
/// Create an organisation and invite its first administrator (platform operators only).
///
/// A municipality is named from the 2024 code list by its kommunenummer; vendors and
/// authorities give a name. The organisation number must pass the mod-11 check. The first
/// administrator gets `org_admin` (`vendor_admin` in a vendor).
#[utoipa::path(
    tag = "organizations",
    operation_id = "create_organization",
    request_body = CreateOrganization,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Created, with the first administrator's invitation", body = OrganizationCreated, headers(("Location" = String, description = "The new organisation"))),
        (status = 400, description = "Malformed body (`invalid_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a platform operator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An organisation with this organisation number or kommunenummer exists (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid, e.g. the check digit (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations")]
pub async fn create_organization(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<CreateOrganization>,
) -> Result<HttpResponse, ApiError> {
    require_operator(&auth)?;
    let now = Utc::now();
    let checked = check_new_organization(&body).map_err(refused)?;
    let invitation = check_invitation(
        &NewInvitation {
            email: body.first_admin.email.clone(),
            display_name: body.first_admin.display_name.clone(),
            roles: vec![checked.admin_role],
        },
        checked.kind,
        now,
    )
    .map_err(|r| ApiError::validation(&format!("first_admin.{}", r.field), r.code))?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let taken = vern_db::organizations::find_by_org_number(&txn, checked.org_number.as_str())
        .await?
        .is_some();
    let municipality_taken = match checked.kommune_number {
        Some(k) => vern_db::organizations::find_by_kommunenummer(&txn, k.as_str())
            .await?
            .is_some(),
        None => false,
    };
    if taken || municipality_taken {
        return Err(ApiError::new(ProblemCode::Conflict)
            .detail("an organisation with this organisation number or kommunenummer exists"));
    }
    let organization = vern_db::organizations::insert(
        &txn,
        vern_db::organizations::NewOrganization {
            kind: checked.kind,
            name: checked.name,
            org_number: Some(checked.org_number),
            kommunenummer: checked.kommune_number,
        },
        now,
    )
    .await?;
    for org in [None, Some(organization.id)] {
        vern_db::audit::append(
            &txn,
            event(
                org,
                Some(auth.user_id),
                "organization.created",
                "organization",
                organization.id.into_uuid(),
                &req,
            ),
            now,
        )
        .await?;
    }
    let invitation = store_invitation(
        &state,
        &txn,
        organization.id,
        invitation,
        auth.user_id,
        &req,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/organizations/{}", organization.id),
        ))
        .json(OrganizationCreated {
            organization,
            invitation,
        }))
}

/// Appoint an administrator
///
/// Invite an administrator into an existing organisation (platform operators only) — for
/// an organisation that has none yet, or has lost its last.
#[utoipa::path(
    tag = "invitations",
    operation_id = "invite_administrator",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = FirstAdministrator,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "The administrator's invitation", body = InvitationCreated),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A member of the organisation who is not a platform operator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, or the caller is neither operator nor member (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid e-mail or name, or a platform organisation (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/administrator-invitations")]
pub async fn invite_administrator(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<FirstAdministrator>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    if require_operator(&auth).is_err() {
        // Not an operator: answer as any organisation-scoped operation would.
        auth.require(org, Permission::CreateOrganizations)?;
    }
    let body = body.parse()?;
    let now = Utc::now();
    let kind = vern_db::organizations::get(&state.db.conn, org)
        .await?
        .ok_or_else(ApiError::not_found)?
        .kind;
    if kind == OrgKind::Platform {
        return Err(ApiError::validation("org_id", "platform"));
    }
    let checked = check_invitation(
        &NewInvitation {
            email: body.email.clone(),
            display_name: body.display_name.clone(),
            roles: vec![admin_role(kind)],
        },
        kind,
        now,
    )
    .map_err(refused)?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let created = store_invitation(&state, &txn, org, checked, auth.user_id, &req).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(HttpResponse::Created().json(created))
}

/// List invitations
///
/// The organisation's invitations, newest first, with their state.
#[utoipa::path(
    tag = "invitations",
    operation_id = "list_invitations",
    params(("org_id" = OrganizationId, Path, description = "The organisation"), PageParams),
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "One page of invitations", body = InvitationPage),
        (status = 400, description = "A path or query parameter is malformed (`invalid_path_parameter`, `invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may manage members (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad `limit` or `cursor` (`validation_failed`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{org_id}/invitations")]
pub async fn list_invitations(
    auth: Authenticated,
    state: web::Data<AppState>,
    org_id: web::Path<OrganizationId>,
    params: web::Query<PageParams>,
) -> Result<web::Json<InvitationPage>, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ManageMembers)
        .await?;
    let (limit, before) = params.parse::<Uuid>()?;
    Ok(web::Json(
        vern_db::invitations::page(&state.db.conn, org, limit, before, Utc::now()).await?,
    ))
}

/// Invite a member
///
/// Invite someone with one or more roles. Without e-mail delivery the answer carries the
/// single-use link, shown this once; it works for seven days.
#[utoipa::path(
    tag = "invitations",
    operation_id = "create_invitation",
    params(("org_id" = OrganizationId, Path, description = "The organisation")),
    request_body = NewInvitation,
    security(("bearer_auth" = [])),
    responses(
        (status = 201, description = "Invited", body = InvitationCreated),
        (status = 400, description = "Malformed body or path (`invalid_json`, `invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may manage members and roles (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation among the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid e-mail or name, no roles, or a role this kind of organisation does not have (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{org_id}/invitations")]
pub async fn create_invitation(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    org_id: web::Path<OrganizationId>,
    body: Body<NewInvitation>,
) -> Result<HttpResponse, ApiError> {
    let org = org_id.into_inner();
    auth.require_here(&state, org, Permission::ManageMembers)
        .await?;
    let body = body.parse()?;
    auth.require(org, Permission::ManageRoles)?;
    let now = Utc::now();
    let kind = vern_db::organizations::get(&state.db.conn, org)
        .await?
        .ok_or_else(ApiError::not_found)?
        .kind;
    let checked = check_invitation(&body, kind, now).map_err(refused)?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let created = store_invitation(&state, &txn, org, checked, auth.user_id, &req).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(HttpResponse::Created().json(created))
}

/// Withdraw an invitation
///
/// Withdraw a pending invitation: its link stops working at once.
#[utoipa::path(
    tag = "invitations",
    operation_id = "withdraw_invitation",
    params(
        ("org_id" = OrganizationId, Path, description = "The organisation"),
        ("invitation_id" = Uuid, Path, description = "The invitation"),
    ),
    security(("bearer_auth" = [])),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 400, description = "Malformed path (`invalid_path_parameter`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No role that may manage members (`forbidden`); outside the IP allowlist (`ip_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, or no pending invitation with this id (`not_found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/organizations/{org_id}/invitations/{invitation_id}")]
pub async fn withdraw_invitation(
    auth: Authenticated,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(OrganizationId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    auth.require_here(&state, org, Permission::ManageMembers)
        .await?;
    let now = Utc::now();
    let txn = vern_db::connection::begin_write(&state.db).await?;
    if !vern_db::invitations::revoke(&txn, org, id, now).await? {
        return Err(ApiError::not_found());
    }
    vern_db::audit::append(
        &txn,
        event(
            Some(org),
            Some(auth.user_id),
            "invitation.withdrawn",
            "invitation",
            id,
            &req,
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(HttpResponse::NoContent().finish())
}

/// The pending invitation behind a token: 404 for an unknown token, 410 for one that is
/// used, withdrawn or expired.
async fn pending(
    state: &AppState,
    token: &str,
) -> Result<vern_db::invitations::InvitationRow, ApiError> {
    if token.is_empty() || token.len() > 128 {
        return Err(ApiError::not_found());
    }
    let row = vern_db::invitations::find_by_token(&state.db.conn, &token_hash(token))
        .await?
        .ok_or_else(ApiError::not_found)?;
    match vern_db::invitations::state(&row, Utc::now()) {
        InvitationState::Pending => Ok(row),
        _ => Err(ApiError::new(ProblemCode::Gone)),
    }
}

/// Look at an invitation
///
/// What the invitation link is for: the organisation, the address and the roles.
#[utoipa::path(
    tag = "invitations",
    operation_id = "preview_invitation",
    request_body = InvitationToken,
    security(()),
    responses(
        (status = 200, description = "The pending invitation", body = InvitationPreview),
        (status = 400, description = "Malformed body (`invalid_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No invitation has this token (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The invitation was used, withdrawn or has expired (`gone`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body does not match the schema (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invitations/preview")]
pub async fn preview_invitation(
    state: web::Data<AppState>,
    body: web::Json<InvitationToken>,
) -> Result<web::Json<InvitationPreview>, ApiError> {
    let row = pending(&state, &body.token).await?;
    let organization = vern_db::organizations::get(
        &state.db.conn,
        OrganizationId::from_uuid(row.organization_id),
    )
    .await?
    .ok_or_else(ApiError::not_found)?;
    let email =
        EmailAddress::parse(&row.email).map_err(|_| DbError::InvalidRow("invitations.email"))?;
    let account_exists = vern_db::identity::find_user_by_email(&state.db.conn, &email)
        .await?
        .is_some();
    Ok(web::Json(InvitationPreview {
        organization_name: organization.name,
        roles: vern_db::invitations::roles(&row)?,
        email: row.email,
        display_name: row.display_name,
        expires_at: row.expires_at,
        account_exists,
    }))
}

/// Get a TOTP secret to enrol
///
/// Start enrolling an authenticator app for a new account: a fresh TOTP secret, as text
/// and as a QR code. Asking again replaces the secret offered before.
#[utoipa::path(
    tag = "invitations",
    operation_id = "invitation_totp",
    request_body = InvitationToken,
    security(()),
    responses(
        (status = 200, description = "The secret to enrol; confirm it with a code when accepting", body = TotpEnrolment),
        (status = 400, description = "Malformed body (`invalid_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No invitation has this token (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The address has an account with a second factor already (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The invitation was used, withdrawn or has expired (`gone`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body does not match the schema (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invitations/totp")]
pub async fn invitation_totp(
    state: web::Data<AppState>,
    body: web::Json<InvitationToken>,
) -> Result<web::Json<TotpEnrolment>, ApiError> {
    let row = pending(&state, &body.token).await?;
    let email =
        EmailAddress::parse(&row.email).map_err(|_| DbError::InvalidRow("invitations.email"))?;
    if vern_db::identity::find_user_by_email(&state.db.conn, &email)
        .await?
        .is_some()
    {
        return Err(ApiError::new(ProblemCode::Conflict)
            .detail("this address has an account; confirm with its password and code"));
    }
    let secret = new_totp_secret().map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?;
    let (otpauth_uri, qr_png_base64) = enrolment(&secret, email.as_str())
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("TOTP enrolment")))?;
    let sealed = state.seal_secret(&secret)?;
    let txn = vern_db::connection::begin_write(&state.db).await?;
    vern_db::invitations::set_pending_totp(&txn, row.id, &sealed).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(web::Json(TotpEnrolment {
        secret,
        otpauth_uri,
        qr_png_base64,
    }))
}

/// Accept an invitation
///
/// Accept an invitation. A new account chooses its password and confirms the enrolled
/// authenticator with a code; an existing account confirms with its password and code.
/// Then the roles are granted, and the link is spent.
#[utoipa::path(
    tag = "invitations",
    operation_id = "accept_invitation",
    request_body = AcceptInvitation,
    security(()),
    responses(
        (status = 200, description = "Accepted; log in with the address", body = InvitationAccepted),
        (status = 400, description = "Malformed body (`invalid_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong code, or wrong password of the existing account (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No invitation has this token (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No TOTP secret was enrolled first (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The invitation was used, withdrawn or has expired (`gone`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password breaks the password policy (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see `Retry-After` (`rate_limited`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invitations/accept")]
pub async fn accept_invitation(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<AcceptInvitation>,
) -> Result<web::Json<InvitationAccepted>, ApiError> {
    let AcceptInvitation {
        token,
        password,
        totp_code,
    } = body.into_inner();
    let row = pending(&state, &token).await?;
    let org = OrganizationId::from_uuid(row.organization_id);
    let email =
        EmailAddress::parse(&row.email).map_err(|_| DbError::InvalidRow("invitations.email"))?;
    let account = format!("acct:{}", token_hash(email.as_str()));
    let address = address_key(&req);
    let keys = [
        (&PER_ACCOUNT, account.as_str()),
        (&PER_ADDRESS, address.as_str()),
    ];
    check_throttle(&state, &keys).await?;
    let now = Utc::now();
    let existing = vern_db::identity::find_user_by_email(&state.db.conn, &email).await?;
    let denied = |user: Option<Uuid>| AuditDraft {
        organization_id: Some(org),
        actor_kind: if user.is_some() {
            ActorKind::User
        } else {
            ActorKind::System
        },
        actor_id: user,
        action: "invitation.accept",
        target_type: "invitation",
        target_id: Some(row.id.to_string()),
        request_id: request_id(&req),
        outcome: Outcome::Denied,
    };
    // What to store: the new user's credentials, or the existing user's TOTP step.
    let (user_id, new_user, step) = match existing {
        Some(user) => {
            let stored = user.password_hash.clone();
            let candidate = password.clone();
            let password_ok = web::block(move || {
                candidate.chars().count() <= 128 && verify_password(&candidate, stored.as_deref())
            })
            .await
            .map_err(ApiError::internal)?;
            let secret = user
                .totp_secret
                .as_deref()
                .map(|sealed| state.open_secret(sealed))
                .transpose()?;
            let step = secret.as_deref().and_then(|secret| {
                check_totp(secret, totp_code.trim(), unix_now(), user.totp_last_step)
            });
            match (
                password_ok && user.status == vern_db::identity::STATUS_ACTIVE,
                step,
            ) {
                (true, Some(step)) => (user.id, None, step),
                _ => {
                    record_failure(&state, &keys, denied(Some(user.id))).await?;
                    return Err(ApiError::new(ProblemCode::InvalidCredentials));
                }
            }
        }
        None => {
            check_password(&password, Some(email.as_str()))
                .map_err(|e| ApiError::validation("password", e.code()))?;
            let sealed = row.pending_totp_secret.clone().ok_or_else(|| {
                ApiError::new(ProblemCode::Conflict).detail("enrol an authenticator first")
            })?;
            let secret = state.open_secret(&sealed)?;
            let Some(step) = check_totp(&secret, totp_code.trim(), unix_now(), None) else {
                record_failure(&state, &keys, denied(None)).await?;
                return Err(ApiError::new(ProblemCode::InvalidCredentials));
            };
            let hash = web::block(move || hash_password(&password))
                .await
                .map_err(ApiError::internal)?
                .map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?;
            (Uuid::nil(), Some((hash, sealed)), step)
        }
    };
    let txn = vern_db::connection::begin_write(&state.db).await?;
    let user_id = match new_user {
        Some((hash, secret)) => {
            vern_db::identity::insert_user(
                &txn,
                vern_db::identity::NewUser {
                    email: email.clone(),
                    display_name: row.display_name.clone(),
                    password_hash: Some(hash),
                    totp_secret: Some(secret),
                },
                now,
            )
            .await?
            .id
        }
        None => user_id,
    };
    vern_db::identity::set_totp_last_step(&txn, user_id, step).await?;
    if !vern_db::invitations::accept(&txn, row.id, user_id, now).await? {
        return Err(ApiError::new(ProblemCode::Gone));
    }
    let held: Vec<vern_domain::access::Role> = vern_db::identity::memberships(&txn, user_id, now)
        .await?
        .into_iter()
        .find(|m| m.organization_id == org)
        .map(|m| m.roles)
        .unwrap_or_default();
    for role in vern_db::invitations::roles(&row)? {
        if !held.contains(&role) {
            vern_db::identity::grant_role(&txn, org, user_id, role, None, now).await?;
        }
    }
    vern_db::throttle::clear(&txn, &account).await?;
    vern_db::audit::append(
        &txn,
        event(
            Some(org),
            Some(user_id),
            "invitation.accepted",
            "invitation",
            row.id,
            &req,
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(web::Json(InvitationAccepted {
        organization_id: org,
        email: email.as_str().to_owned(),
    }))
}
