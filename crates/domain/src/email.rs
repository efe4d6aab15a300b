//! An e-mail address as Vern stores it: trimmed, lower-cased, one `@` with a non-empty
//! local part and a domain with a dot. Deliverability is the mail server's business.

use std::fmt;

use serde::{Deserialize, Serialize};

pub const MAX_LEN: usize = 254;

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, format = Email, example = "kari.nordmann@example.org"))]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an e-mail address")]
pub struct EmailError;

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let email = input.trim().to_lowercase();
        if email.is_empty()
            || email.len() > MAX_LEN
            || email.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(EmailError);
        }
        let (local, domain) = email.split_once('@').ok_or(EmailError)?;
        let domain_ok = domain.contains('.')
            && !domain.contains('@')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(EmailError);
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = EmailError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A staff member's e-mail address is personal data: keep it out of logs.
impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EmailAddress([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_and_validates() {
        assert_eq!(
            EmailAddress::parse("  Kari.Nordmann@Example.ORG ")
                .unwrap()
                .as_str(),
            "kari.nordmann@example.org"
        );
        for bad in [
            "",
            "kari",
            "@example.org",
            "kari@",
            "kari@example",
            "kari@@example.org",
            "ka ri@example.org",
            "kari@.example.org",
            "kari@example..org",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn debug_does_not_show_the_address() {
        let email = EmailAddress::parse("kari@example.org").unwrap();
        assert!(!format!("{email:?}").contains("kari"));
    }

    proptest! {
        #[test]
        fn valid_addresses_round_trip(local in "[a-z0-9._+-]{1,30}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
            let raw = format!("{local}@{domain}");
            let email = EmailAddress::parse(&raw).unwrap();
            prop_assert_eq!(email.as_str(), raw.as_str());
            prop_assert_eq!(EmailAddress::parse(&email.to_string()).unwrap(), email);
        }

        #[test]
        fn never_panics(input in "\\PC*") {
            let _ = EmailAddress::parse(&input);
        }
    }
}
