//! Who is calling. `Caller` is a valid access token whose session (a staff user's) or API
//! client (an integration's) is still live; `Authenticated` is a caller who is a staff
//! user, for the operations that only people may do. Memberships, roles and a client's
//! scopes are read from the database on every request, so a revocation takes effect at
//! once.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::access::audit::ActorKind;
use vern_domain::access::auth::{AuthMethod, Membership};
use vern_domain::access::clients::parse_scope;
use vern_domain::problem::ProblemCode;

use super::tokens::{self, ACCESS_AUDIENCE};
use crate::error::ApiError;
use crate::startup::AppState;

/// The principal behind a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    User {
        user_id: Uuid,
        session_id: Uuid,
        auth_method: AuthMethod,
    },
    /// An API client acts for one organisation, with the scopes of its token.
    Client {
        client_id: Uuid,
        organization_id: OrganizationId,
        scopes: Vec<Permission>,
    },
}

#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    /// A user's memberships (empty for API clients).
    pub memberships: Vec<Membership>,
    /// The TCP peer's address.
    pub client_ip: Option<std::net::IpAddr>,
}

/// A staff user: a caller with a login session.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub auth_method: AuthMethod,
    pub memberships: Vec<Membership>,
    pub client_ip: Option<std::net::IpAddr>,
}

impl Caller {
    /// 404 when the caller has no standing in the organisation — its contents are not
    /// theirs to know of — and 403 when they do, but lack the permission.
    pub fn require(&self, org: OrganizationId, permission: Permission) -> Result<(), ApiError> {
        match &self.principal {
            Principal::User { .. } => {
                match self.memberships.iter().find(|m| m.organization_id == org) {
                    None => Err(ApiError::not_found()),
                    Some(m) if m.roles.iter().any(|r| r.grants(permission)) => Ok(()),
                    Some(_) => Err(ApiError::new(ProblemCode::Forbidden)),
                }
            }
            Principal::Client {
                organization_id,
                scopes,
                ..
            } => {
                if *organization_id != org {
                    Err(ApiError::not_found())
                } else if scopes.contains(&permission) {
                    Ok(())
                } else {
                    Err(ApiError::new(ProblemCode::Forbidden)
                        .detail(format!("the token lacks the scope {}", permission.scope())))
                }
            }
        }
    }

    /// `require`, and then the organisation's policies: its IP allowlist (requests from
    /// elsewhere are refused with 403 `ip_not_allowed`, integrations too) and, for staff,
    /// its passkey requirement (403 `passkey_required`).
    pub async fn require_here(
        &self,
        state: &AppState,
        org: OrganizationId,
        permission: Permission,
    ) -> Result<(), ApiError> {
        self.require(org, permission)?;
        self.within_policy(state, org).await
    }

    /// 403 `ip_not_allowed` when the request comes from outside the organisation's
    /// allowlist (an empty list admits every address); 403 `passkey_required` when the
    /// organisation requires passkeys and this staff session was opened without one.
    pub async fn within_policy(
        &self,
        state: &AppState,
        org: OrganizationId,
    ) -> Result<(), ApiError> {
        if let Principal::User { auth_method, .. } = &self.principal {
            let required = self
                .memberships
                .iter()
                .find(|m| m.organization_id == org)
                .is_some_and(|m| m.passkey_required);
            if !auth_method.satisfies(required) {
                return Err(ApiError::new(ProblemCode::PasskeyRequired));
            }
        }
        let allowlist = vern_db::organizations::ip_allowlist(&state.db.conn, org)
            .await?
            .unwrap_or_default();
        match self.client_ip {
            Some(ip) if allowlist.allows(ip) => Ok(()),
            None if allowlist.is_unrestricted() => Ok(()),
            _ => Err(ApiError::new(ProblemCode::IpNotAllowed)),
        }
    }

    /// Whether the caller belongs to the organisation: a member (any role), or an API
    /// client of it.
    pub fn is_member(&self, org: uuid::Uuid) -> bool {
        match &self.principal {
            Principal::User { .. } => self
                .memberships
                .iter()
                .any(|m| m.organization_id.into_uuid() == org),
            Principal::Client {
                organization_id, ..
            } => organization_id.into_uuid() == org,
        }
    }

    /// Who to name in the audit log.
    pub fn actor(&self) -> (ActorKind, Uuid) {
        match &self.principal {
            Principal::User { user_id, .. } => (ActorKind::User, *user_id),
            Principal::Client { client_id, .. } => (ActorKind::ApiClient, *client_id),
        }
    }

    pub fn user_id(&self) -> Option<Uuid> {
        match &self.principal {
            Principal::User { user_id, .. } => Some(*user_id),
            Principal::Client { .. } => None,
        }
    }
}

impl Authenticated {
    pub fn caller(&self) -> Caller {
        Caller {
            principal: Principal::User {
                user_id: self.user_id,
                session_id: self.session_id,
                auth_method: self.auth_method,
            },
            memberships: self.memberships.clone(),
            client_ip: self.client_ip,
        }
    }

    pub fn require(&self, org: OrganizationId, permission: Permission) -> Result<(), ApiError> {
        self.caller().require(org, permission)
    }

    pub async fn require_here(
        &self,
        state: &AppState,
        org: OrganizationId,
        permission: Permission,
    ) -> Result<(), ApiError> {
        self.caller().require_here(state, org, permission).await
    }

    /// The caller's roles in the organisation, from within its allowlist; 404 for a
    /// non-member. For what every member may do, whatever their roles.
    pub async fn member_here(
        &self,
        state: &AppState,
        org: OrganizationId,
    ) -> Result<Vec<vern_domain::access::Role>, ApiError> {
        let roles = self
            .memberships
            .iter()
            .find(|m| m.organization_id == org)
            .map(|m| m.roles.clone())
            .ok_or_else(ApiError::not_found)?;
        self.caller().within_policy(state, org).await?;
        Ok(roles)
    }
}

fn unauthenticated() -> ApiError {
    ApiError::new(ProblemCode::Unauthenticated)
        .detail("send a valid access token: Authorization: Bearer <token>")
}

/// The caller behind the token; an API client over its rate gets 429 (whichever way it
/// authenticated).
async fn authenticate(
    state: Option<web::Data<AppState>>,
    token: Option<String>,
    client_ip: Option<std::net::IpAddr>,
) -> Result<Caller, ApiError> {
    let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("no app state")))?;
    let caller = identify(&state, token, client_ip).await?;
    if let Principal::Client { client_id, .. } = &caller.principal {
        state.client_limits.check(*client_id).map_err(|wait| {
            ApiError::rate_limited(wait)
                .detail("this API client is over its request rate; wait and try again")
        })?;
    }
    Ok(caller)
}

async fn identify(
    state: &AppState,
    token: Option<String>,
    client_ip: Option<std::net::IpAddr>,
) -> Result<Caller, ApiError> {
    let token = token.ok_or_else(unauthenticated)?;
    if let Some(external) = state
        .external_issuer
        .as_ref()
        .filter(|e| e.claims_to_be_ours(&token))
    {
        return authenticate_external(state, external, &token, client_ip).await;
    }
    let claims = tokens::verify(&state.keys, &state.public_url, ACCESS_AUDIENCE, &token)
        .map_err(|_| unauthenticated())?;
    let now = chrono::Utc::now();
    match (claims.sid, claims.scope) {
        (Some(session_id), None) => {
            let session = vern_db::sessions::find(&state.db.conn, session_id)
                .await?
                .ok_or_else(unauthenticated)?;
            if session.user_id != claims.sub || !vern_db::sessions::is_live(&session, now) {
                return Err(unauthenticated());
            }
            let auth_method = AuthMethod::parse(&session.auth_method)
                .ok_or(vern_db::DbError::InvalidRow("sessions.auth_method"))?;
            let memberships =
                vern_db::identity::memberships(&state.db.conn, claims.sub, now).await?;
            tracing::Span::current().record("user_id", tracing::field::display(claims.sub));
            Ok(Caller {
                principal: Principal::User {
                    user_id: claims.sub,
                    session_id,
                    auth_method,
                },
                memberships,
                client_ip,
            })
        }
        (None, Some(scope)) => {
            let client = vern_db::api_clients::find(&state.db.conn, claims.sub)
                .await?
                .filter(|c| vern_db::api_clients::is_live(c, now))
                .ok_or_else(unauthenticated)?;
            // The token's scopes, as far as the client still has them.
            let current = vern_db::api_clients::scopes(&client)?;
            let scopes = parse_scope(&scope)
                .ok_or_else(unauthenticated)?
                .into_iter()
                .filter(|p| current.contains(p))
                .collect();
            Ok(Caller {
                principal: Principal::Client {
                    client_id: client.id,
                    organization_id: OrganizationId::from_uuid(client.organization_id),
                    scopes,
                },
                memberships: Vec::new(),
                client_ip,
            })
        }
        _ => Err(unauthenticated()),
    }
}

fn refused_token(why: &str) -> ApiError {
    ApiError::new(ProblemCode::Unauthenticated)
        .detail(format!("the access token is refused: {why}"))
}

/// A token from the external authorisation server (Maskinporten): verified against its
/// published keys, then acting for the organisation its consumer number names, as the API
/// client that organisation registered for its `client_id`, with the token's scopes that
/// the registration holds.
async fn authenticate_external(
    state: &AppState,
    issuer: &crate::auth::external::ExternalIssuer,
    token: &str,
    client_ip: Option<std::net::IpAddr>,
) -> Result<Caller, ApiError> {
    use crate::auth::external::ExternalTokenError as E;
    use vern_domain::access::external::{self, ExternalRefusal};
    let claims = issuer.verify(token).await.map_err(|e| match e {
        E::KeysUnavailable(_) => ApiError::new(ProblemCode::ServiceUnavailable)
            .detail("the authorisation server's keys cannot be fetched; try again shortly"),
        E::UnknownKey => refused_token("signed with a key the issuer does not publish"),
        E::Algorithm => refused_token("its algorithm is not accepted"),
        E::Malformed => refused_token("it is not a signed JWT with a kid"),
        E::Invalid(e) => match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => refused_token("it has expired"),
            jsonwebtoken::errors::ErrorKind::InvalidAudience => {
                refused_token("it is not for this audience")
            }
            jsonwebtoken::errors::ErrorKind::InvalidSignature => {
                refused_token("its signature does not hold")
            }
            _ => refused_token("it is not valid"),
        },
    })?;
    let number = external::consumer_org_number(&claims).map_err(|r| match r {
        ExternalRefusal::NoConsumer => refused_token("it names no consumer organisation"),
        _ => refused_token("its consumer is not a Norwegian organisation number"),
    })?;
    let client_id =
        external::client_id(&claims).map_err(|_| refused_token("it has no client_id"))?;
    let org = vern_db::organizations::find_by_org_number(&state.db.conn, number.as_str())
        .await?
        .ok_or_else(|| refused_token("no organisation in Vern has its consumer number"))?;
    let now = chrono::Utc::now();
    let client = vern_db::api_clients::find_external(&state.db.conn, org.id, client_id, now)
        .await?
        .ok_or_else(|| {
            refused_token(
                "the consumer organisation has not registered its client_id as an API client",
            )
        })?;
    let registered = vern_db::api_clients::scopes(&client)?;
    let scopes = external::granted(
        &external::map_scopes(&claims.scope, &issuer.scope_prefix),
        &registered,
    );
    Ok(Caller {
        principal: Principal::Client {
            client_id: client.id,
            organization_id: org.id,
            scopes,
        },
        memberships: Vec::new(),
        client_ip,
    })
}

/// The client's address: the TCP peer, or — behind a trusted reverse proxy
/// (`VERN_TRUSTED_PROXIES`) — the nearest untrusted `X-Forwarded-For` hop.
pub fn client_ip(req: &HttpRequest) -> Option<std::net::IpAddr> {
    let peer = req.peer_addr()?.ip();
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return Some(peer);
    };
    if state.trusted_proxies.is_unrestricted() {
        return Some(peer);
    }
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect();
    Some(vern_domain::access::proxy::client_address(
        peer,
        &forwarded,
        &state.trusted_proxies,
    ))
}

fn bearer(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned)
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let client_ip = client_ip(req);
        let token = bearer(req);
        Box::pin(authenticate(state, token, client_ip))
    }
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let client_ip = client_ip(req);
        let token = bearer(req);
        Box::pin(async move {
            let caller = authenticate(state, token, client_ip).await?;
            match caller.principal {
                Principal::User {
                    user_id,
                    session_id,
                    auth_method,
                } => Ok(Authenticated {
                    user_id,
                    session_id,
                    auth_method,
                    memberships: caller.memberships,
                    client_ip: caller.client_ip,
                }),
                Principal::Client { .. } => Err(ApiError::new(ProblemCode::Forbidden)
                    .detail("this operation is for staff users, not API clients")),
            }
        })
    }
}
