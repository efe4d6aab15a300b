//! `Authenticated`: a valid access token whose session is still live. Memberships and roles
//! are read from the database on every request, so a revocation takes effect at once.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::access::auth::Membership;
use vern_domain::problem::ProblemCode;

use super::tokens::{self, ACCESS_AUDIENCE};
use crate::error::ApiError;
use crate::startup::AppState;

#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub memberships: Vec<Membership>,
    /// The TCP peer's address.
    pub client_ip: Option<std::net::IpAddr>,
}

impl Authenticated {
    /// 404 when the caller has no role in the organisation — its contents are not theirs to
    /// know of — and 403 when they have roles there, but none that carries the permission.
    pub fn require(&self, org: OrganizationId, permission: Permission) -> Result<(), ApiError> {
        match self.memberships.iter().find(|m| m.organization_id == org) {
            None => Err(ApiError::not_found()),
            Some(m) if m.roles.iter().any(|r| r.grants(permission)) => Ok(()),
            Some(_) => Err(ApiError::new(ProblemCode::Forbidden)),
        }
    }

    /// `require`, and then the organisation's IP allowlist: staff requests from elsewhere
    /// are refused with 403 `ip_not_allowed`.
    pub async fn require_here(
        &self,
        state: &AppState,
        org: OrganizationId,
        permission: Permission,
    ) -> Result<(), ApiError> {
        self.require(org, permission)?;
        let allowlist = vern_db::organizations::ip_allowlist(&state.db.conn, org)
            .await?
            .unwrap_or_default();
        match self.client_ip {
            Some(ip) if allowlist.allows(ip) => Ok(()),
            None if allowlist.is_unrestricted() => Ok(()),
            _ => Err(ApiError::new(ProblemCode::IpNotAllowed)),
        }
    }
}

fn unauthenticated() -> ApiError {
    ApiError::new(ProblemCode::Unauthenticated)
        .detail("send a valid access token: Authorization: Bearer <token>")
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let client_ip = req.peer_addr().map(|a| a.ip());
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_owned);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("no app state")))?;
            let token = token.ok_or_else(unauthenticated)?;
            let claims = tokens::verify(&state.keys, &state.public_url, ACCESS_AUDIENCE, &token)
                .map_err(|_| unauthenticated())?;
            let session_id = claims.sid.ok_or_else(unauthenticated)?;
            let now = chrono::Utc::now();
            let session = vern_db::sessions::find(&state.db.conn, session_id)
                .await?
                .ok_or_else(unauthenticated)?;
            if session.user_id != claims.sub || !vern_db::sessions::is_live(&session, now) {
                return Err(unauthenticated());
            }
            let memberships =
                vern_db::identity::memberships(&state.db.conn, claims.sub, now).await?;
            tracing::Span::current().record("user_id", tracing::field::display(claims.sub));
            Ok(Authenticated {
                user_id: claims.sub,
                session_id,
                memberships,
                client_ip,
            })
        })
    }
}
