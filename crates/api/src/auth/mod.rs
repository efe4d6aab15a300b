//! Authentication: JWT signing keys, access and second-factor tokens, password and TOTP
//! checks, and the `Authenticated` extractor that every protected handler takes.

pub mod credentials;
pub mod external;
pub mod extractor;
pub mod keys;
pub mod limits;
pub mod secrets;
pub mod tokens;

pub use extractor::{Authenticated, Caller, Principal};
pub use keys::JwtKeys;
pub use secrets::SecretBox;

use sha2::{Digest, Sha256};

/// Access tokens live ten minutes; the refresh cookie renews them.
pub const ACCESS_TOKEN_SECONDS: u64 = 600;
/// A session ends twelve hours after login, however often it is refreshed.
pub const SESSION_HOURS: i64 = 12;
/// The second-factor step must follow the password within five minutes.
pub const MFA_TOKEN_SECONDS: u64 = 300;
pub const REFRESH_COOKIE: &str = "vern_refresh";

/// 32 random bytes, base64url: refresh tokens.
pub fn random_token() -> Result<String, getrandom::Error> {
    use base64::Engine as _;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Refresh tokens are stored as their SHA-256.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
