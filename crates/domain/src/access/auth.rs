//! The authentication API's messages.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Role;
use crate::{OrgKind, OrganizationId};

/// Step one: e-mail and password.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(example = "kari.nordmann@example.org", max_length = 254)
    )]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub password: String,
}

/// The password was right; a second factor is needed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginChallenge {
    /// Pass to the second-factor step; valid for five minutes.
    pub mfa_token: String,
    /// The second factors this user has: `totp`, `passkey`.
    pub methods: Vec<String>,
}

/// Step two: a code from the authenticator app.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpRequest {
    pub mfa_token: String,
    /// Six digits.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "123456", pattern = "^[0-9]{6}$")
    )]
    pub code: String,
}

/// An access token (RFC 6749 §5.1). The refresh token travels in an HttpOnly cookie.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
}

/// An organisation the caller belongs to, with the roles in force there now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Membership {
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub organization_kind: OrgKind,
    pub roles: Vec<Role>,
}

/// Who the caller is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub session_id: Uuid,
    pub memberships: Vec<Membership>,
}

/// One of the caller's live sessions. Vern keeps no address or device fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub id: Uuid,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The last refresh of its access token.
    pub last_used_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// The session this request belongs to.
    pub current: bool,
}

/// The caller's live sessions, most recently used first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionList {
    pub items: Vec<SessionView>,
}
