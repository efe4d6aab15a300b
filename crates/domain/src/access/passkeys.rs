//! Passkeys (WebAuthn): as a second factor after the password, or alone ("passwordless",
//! with a discoverable credential and user verification). The ceremonies themselves are
//! webauthn-rs's work in the API; these are the messages and the rules around them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const MAX_PASSKEY_NAME: usize = 100;
/// A started ceremony must be finished within five minutes.
pub const CEREMONY_SECONDS: i64 = 300;
/// A person with more than this many passkeys is more likely confused than careful.
pub const MAX_PASSKEYS_PER_USER: usize = 20;

/// What a ceremony is for; a ceremony is finished only by the step it was started for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CeremonyKind {
    Registration,
    SecondFactor,
    Passwordless,
    /// A logged-in user proving the passkey again before a sensitive step (signing).
    StepUp,
}

impl CeremonyKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Registration => "registration",
            Self::SecondFactor => "second_factor",
            Self::Passwordless => "passwordless",
            Self::StepUp => "step_up",
        }
    }
}

/// The name shown in the list: "Laptop", "YubiKey 5". Trimmed, 1–100 characters.
pub fn check_passkey_name(name: &str) -> Result<String, &'static str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_PASSKEY_NAME {
        return Err("length");
    }
    if name.chars().any(char::is_control) {
        return Err("control_characters");
    }
    Ok(name.to_owned())
}

/// A registered passkey, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyView {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyList {
    pub items: Vec<PasskeyView>,
}

/// A started ceremony: pass `options` to the browser's WebAuthn API (after
/// `PublicKeyCredential.parseCreationOptionsFromJSON` / `parseRequestOptionsFromJSON`) and
/// send the result back with `ceremony_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyChallenge {
    pub ceremony_id: Uuid,
    /// `{"publicKey": {...}}` as WebAuthn Level 3 JSON.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub options: serde_json::Value,
}

/// Finish registering a passkey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterPasskey {
    pub ceremony_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "Arbeids-PC", max_length = 100))]
    pub name: String,
    /// The browser's `credential.toJSON()`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub credential: serde_json::Value,
}

/// The password step's token, to start a passkey as the second factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaToken {
    pub mfa_token: String,
}

/// Finish a passkey login: as the second factor (with `mfa_token`) or passwordless.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyAssertion {
    pub ceremony_id: Uuid,
    /// Required for the second factor; absent for a passwordless login.
    pub mfa_token: Option<String>,
    /// The browser's `credential.toJSON()`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub credential: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(check_passkey_name("  Laptop "), Ok("Laptop".to_owned()));
        assert_eq!(check_passkey_name("   "), Err("length"));
        assert_eq!(check_passkey_name(&"x".repeat(101)), Err("length"));
        assert_eq!(check_passkey_name("a\u{7}b"), Err("control_characters"));
        assert!(check_passkey_name(&"ø".repeat(100)).is_ok());
    }

    #[test]
    fn ceremony_kinds_have_distinct_names() {
        let names = [
            CeremonyKind::Registration.as_str(),
            CeremonyKind::SecondFactor.as_str(),
            CeremonyKind::Passwordless.as_str(),
        ];
        assert_eq!(
            names
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            3
        );
    }
}
