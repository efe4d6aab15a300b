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
    /// The organisation admits only sessions opened with a passkey.
    #[serde(default)]
    pub passkey_required: bool,
}

/// How a session was opened. A passkey is phishing-resistant; a TOTP code is not, so an
/// organisation may insist on the former.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// Password, then a code from the authenticator app.
    PasswordTotp,
    /// Password, then a passkey.
    PasswordPasskey,
    /// A passkey alone (discoverable credential with user verification).
    Passkey,
}

impl AuthMethod {
    pub const ALL: [Self; 3] = [Self::PasswordTotp, Self::PasswordPasskey, Self::Passkey];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PasswordTotp => "password_totp",
            Self::PasswordPasskey => "password_passkey",
            Self::Passkey => "passkey",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Whether a passkey took part: what an organisation that requires passkeys asks for.
    pub const fn used_passkey(self) -> bool {
        matches!(self, Self::PasswordPasskey | Self::Passkey)
    }

    /// May a session opened this way act in an organisation with this policy?
    pub const fn satisfies(self, passkey_required: bool) -> bool {
        !passkey_required || self.used_passkey()
    }
}

/// An organisation's login policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthenticationPolicy {
    /// Staff must log in with a passkey (as the second factor or passwordless) to act in
    /// this organisation; sessions opened with a TOTP code are refused with 403
    /// `passkey_required`. API clients are not affected.
    pub require_passkey: bool,
}

/// Who the caller is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub session_id: Uuid,
    /// How this session was opened.
    pub auth_method: AuthMethod,
    /// Whether an authenticator app (TOTP) is enrolled.
    pub totp_enrolled: bool,
    pub memberships: Vec<Membership>,
}

/// Confirm a new authenticator app with its first code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmTotp {
    /// Six digits from the newly enrolled app.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "123456", pattern = "^[0-9]{6}$")
    )]
    pub code: String,
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
    pub auth_method: AuthMethod,
    /// The session this request belongs to.
    pub current: bool,
}

/// The caller's live sessions, most recently used first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionList {
    pub items: Vec<SessionView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_methods_round_trip_through_their_names() {
        for method in AuthMethod::ALL {
            assert_eq!(AuthMethod::parse(method.as_str()), Some(method));
            let json = serde_json::to_string(&method).unwrap();
            assert_eq!(json, format!("\"{}\"", method.as_str()));
        }
        assert_eq!(AuthMethod::parse("password"), None);
    }

    #[test]
    fn only_a_passkey_satisfies_an_organisation_that_requires_one() {
        assert!(AuthMethod::PasswordTotp.satisfies(false));
        assert!(!AuthMethod::PasswordTotp.satisfies(true));
        assert!(AuthMethod::PasswordPasskey.satisfies(true));
        assert!(AuthMethod::Passkey.satisfies(true));
        assert!(AuthMethod::Passkey.satisfies(false));
    }
}

/// How long a proved second factor counts as fresh for a sensitive step (signing).
pub const STEP_UP_SECONDS: i64 = 300;

/// The second factor a user proved most recently in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StrongAuth {
    Passkey,
    Totp,
}

impl StrongAuth {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Passkey => "passkey",
            Self::Totp => "totp",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "passkey" => Some(Self::Passkey),
            "totp" => Some(Self::Totp),
            _ => None,
        }
    }

    /// The factor a login proved.
    pub const fn of_login(method: AuthMethod) -> Self {
        match method {
            AuthMethod::PasswordTotp => Self::Totp,
            AuthMethod::PasswordPasskey | AuthMethod::Passkey => Self::Passkey,
        }
    }
}

/// Whether a second factor proved at `proved_at` still counts at `now`.
pub fn is_fresh(
    proved_at: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    proved_at.is_some_and(|t| {
        let age = (now - t).num_seconds();
        (0..=STEP_UP_SECONDS).contains(&age)
    })
}

#[cfg(test)]
mod step_up_tests {
    use chrono::{Duration, TimeZone, Utc};

    use super::*;

    #[test]
    fn a_second_factor_is_fresh_for_five_minutes() {
        let proved = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).single();
        let now = proved.unwrap_or_default();
        assert!(is_fresh(proved, now));
        assert!(is_fresh(proved, now + Duration::seconds(STEP_UP_SECONDS)));
        assert!(!is_fresh(
            proved,
            now + Duration::seconds(STEP_UP_SECONDS + 1)
        ));
        assert!(
            !is_fresh(proved, now - Duration::seconds(1)),
            "from the future"
        );
        assert!(!is_fresh(None, now));
    }

    #[test]
    fn the_login_names_its_factor() {
        assert_eq!(
            StrongAuth::of_login(AuthMethod::PasswordTotp),
            StrongAuth::Totp
        );
        assert_eq!(
            StrongAuth::of_login(AuthMethod::Passkey),
            StrongAuth::Passkey
        );
        for s in [StrongAuth::Passkey, StrongAuth::Totp] {
            assert_eq!(StrongAuth::parse(s.as_str()), Some(s));
        }
    }
}

/// A code from the authenticator app, proving the second factor again.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepUpTotp {
    /// Six digits.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "123456", pattern = "^[0-9]{6}$")
    )]
    pub code: String,
}

/// The browser's answer to a step-up passkey challenge.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepUpAssertion {
    pub ceremony_id: uuid::Uuid,
    /// The browser's `credential.toJSON()`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub credential: serde_json::Value,
}

/// A proved second factor and how long it counts for sensitive steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepUpResult {
    pub method: StrongAuth,
    pub valid_until: chrono::DateTime<chrono::Utc>,
}
