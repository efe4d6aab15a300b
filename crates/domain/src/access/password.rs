//! The password policy, after NIST SP 800-63B: length over composition rules, no
//! truncation, and refuse the obvious (common passwords, the user's own e-mail name).

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("at least {MIN_CHARS} characters")]
    TooShort,
    #[error("at most {MAX_CHARS} characters")]
    TooLong,
    #[error("too easy to guess")]
    TooCommon,
    #[error("must not contain your e-mail name")]
    ContainsIdentity,
}

impl PasswordError {
    pub const fn code(self) -> &'static str {
        match self {
            Self::TooShort => "too_short",
            Self::TooLong => "too_long",
            Self::TooCommon => "too_common",
            Self::ContainsIdentity => "contains_identity",
        }
    }
}

/// Passwords people pick first, in Norwegian and English; compared case-insensitively,
/// ignoring trailing digits and punctuation.
const COMMON: &[&str] = &[
    "password",
    "passord",
    "qwertyuiop",
    "qwertzuiop",
    "asdfghjkl",
    "sommerferie",
    "vinterferie",
    "sommer",
    "vinter",
    "høsten",
    "våren",
    "kommune",
    "velkommen",
    "welcome",
    "letmein",
    "administrator",
    "changeme",
    "endremeg",
    "hemmelig",
    "iloveyou",
    "football",
    "fotball",
    "1234567890",
    "0987654321",
    "abcdefghijkl",
    "norge",
    "norway",
    "personvern",
];

pub fn check_password(password: &str, email: Option<&str>) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordError::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordError::TooLong);
    }
    let lower = password.to_lowercase();
    let distinct: std::collections::BTreeSet<char> = lower.chars().collect();
    if distinct.len() < 4 {
        return Err(PasswordError::TooCommon);
    }
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
    // Only digits and punctuation: a number sequence or a date.
    if stem.is_empty() {
        return Err(PasswordError::TooCommon);
    }
    if COMMON.iter().any(|common| {
        stem == *common || stem.trim_start_matches(|c: char| c.is_ascii_digit()) == *common
    }) {
        return Err(PasswordError::TooCommon);
    }
    let local = email
        .and_then(|e| e.split('@').next())
        .map(str::to_lowercase);
    if local.is_some_and(|local| local.chars().count() >= 4 && lower.contains(&local)) {
        return Err(PasswordError::ContainsIdentity);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn long_passphrases_pass_without_composition_rules() {
        assert_eq!(check_password("fire hester i en rød låve", None), Ok(()));
        assert_eq!(
            check_password("correct horse battery staple", Some("kari@example.org")),
            Ok(())
        );
    }

    #[test]
    fn short_common_and_personal_passwords_are_refused() {
        assert_eq!(check_password("Kort1!", None), Err(PasswordError::TooShort));
        assert_eq!(
            check_password("Sommerferie2026!", None),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_password("aaaaaaaaaaaaaa", None),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_password("1234567890123", None),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_password("kari.nordmann-er-best", Some("kari.nordmann@example.org")),
            Err(PasswordError::ContainsIdentity)
        );
        assert_eq!(
            check_password(&"x1y2".repeat(33), None),
            Err(PasswordError::TooLong)
        );
    }

    proptest! {
        #[test]
        fn length_is_counted_in_characters_not_bytes(n in 1usize..40) {
            let password: String = "æøåé".chars().cycle().take(n).collect();
            let result = check_password(&password, None);
            if n < MIN_CHARS {
                prop_assert_eq!(result, Err(PasswordError::TooShort));
            } else {
                prop_assert_eq!(result, Ok(()));
            }
        }

        #[test]
        fn never_panics(password in "\\PC*", email in proptest::option::of("\\PC*")) {
            let _ = check_password(&password, email.as_deref());
        }
    }
}
