//! Password hashing (argon2id, the crate's defaults: 19 MiB, 2 passes) and TOTP (RFC 6238:
//! SHA-1, 6 digits, 30 s, one step of drift either way, no code used twice).

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use totp_rs::{Algorithm, Secret, TOTP};

pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Checks a password against a stored hash; with no hash, checks against a dummy so that
/// an unknown account takes as long as a known one.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: LazyLock<String> =
        LazyLock::new(|| hash_password("not-a-real-password-just-for-timing").unwrap_or_default());
    let (hash, real) = match stored {
        Some(hash) => (hash, true),
        None => (DUMMY.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
        && real
}

pub const TOTP_STEP: u64 = 30;

fn totp(secret_base32: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_base32.to_owned()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, 6, 1, TOTP_STEP, bytes, None, String::new()).ok()
}

/// What an authenticator app needs to enrol the secret: the `otpauth://` URI and the same
/// as a QR code (PNG, base64).
pub fn enrolment(secret_base32: &str, account: &str) -> Option<(String, String)> {
    let bytes = Secret::Encoded(secret_base32.to_owned()).to_bytes().ok()?;
    let totp = TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        TOTP_STEP,
        bytes,
        Some("Vern".to_owned()),
        account.replace(':', ""),
    )
    .ok()?;
    let qr = totp.get_qr_base64().ok()?;
    Some((totp.get_url(), qr))
}

/// A fresh base32 secret (160 bits) for enrolment and demo users.
pub fn new_totp_secret() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes)?;
    Ok(Secret::Raw(bytes.to_vec()).to_encoded().to_string())
}

/// The current code, for tests and the demo.
pub fn totp_code(secret_base32: &str, unix_time: u64) -> Option<String> {
    totp(secret_base32).map(|t| t.generate(unix_time))
}

/// The time step the code belongs to, if it is valid now (±1 step) and newer than
/// `last_step` — a code is accepted only once.
pub fn check_totp(
    secret_base32: &str,
    code: &str,
    unix_time: u64,
    last_step: Option<i64>,
) -> Option<i64> {
    let totp = totp(secret_base32)?;
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let current = (unix_time / TOTP_STEP) as i64;
    (current - 1..=current + 1)
        .filter(|step| last_step.is_none_or(|last| *step > last))
        .find(|step| totp.generate((*step as u64) * TOTP_STEP) == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("fire hester i en rød låve").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("fire hester i en rød låve", Some(&hash)));
        assert!(!verify_password("fire hester i en rød låvE", Some(&hash)));
        assert!(!verify_password(
            "not-a-real-password-just-for-timing",
            None
        ));
    }

    #[test]
    fn the_enrolment_uri_names_vern_and_the_account() {
        let secret = new_totp_secret().unwrap();
        let (uri, qr) = enrolment(&secret, "kari@example.org").unwrap();
        assert!(
            uri.starts_with("otpauth://totp/Vern:kari%40example.org?"),
            "{uri}"
        );
        assert!(uri.contains(&format!("secret={secret}")), "{uri}");
        assert!(uri.contains("issuer=Vern"), "{uri}");
        assert!(qr.len() > 100);
    }

    #[test]
    fn rfc_6238_test_vector() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", T = 59 → 94287082 (8
        // digits); the 6-digit code is its last six digits.
        let secret = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        assert_eq!(totp_code(&secret, 59).unwrap(), "287082");
    }

    #[test]
    fn a_code_is_accepted_once_and_within_one_step() {
        let secret = new_totp_secret().unwrap();
        let now = 1_800_000_000;
        let code = totp_code(&secret, now).unwrap();
        let step = check_totp(&secret, &code, now, None).unwrap();
        assert_eq!(
            check_totp(&secret, &code, now, Some(step)),
            None,
            "replay refused"
        );
        assert!(
            check_totp(&secret, &code, now + 30, None).is_some(),
            "one step of drift"
        );
        assert_eq!(check_totp(&secret, &code, now + 90, None), None, "too old");
        assert_eq!(check_totp(&secret, "12345", now, None), None);
    }
}
