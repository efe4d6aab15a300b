//! Organisasjonsnummer: the nine-digit number of an entity in Enhetsregisteret.
//! Digits 1–8 weighted 3 2 7 6 5 4 3 2; check = 11 − (sum mod 11), where 11 becomes 0 and
//! 10 means the number cannot exist.

use std::fmt;

use serde::{Deserialize, Serialize};

const WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

/// A valid organisasjonsnummer. Holding one means it passed the mod-11 check.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "openapi",
    schema(value_type = String, pattern = "^[0-9]{9}$", example = "123456785")
)]
#[serde(try_from = "String", into = "String")]
pub struct OrgNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OrgNumberError {
    #[error("an organisation number has exactly nine digits")]
    Length,
    #[error("an organisation number has only digits")]
    NotDigits,
    #[error("the check digit does not match")]
    Checksum,
}

impl OrgNumberError {
    /// Stable code for the API's field errors.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Length => "length",
            Self::NotDigits => "not_digits",
            Self::Checksum => "checksum",
        }
    }
}

impl OrgNumber {
    /// Parses a number as people write it: `974760673` or `974 760 673`.
    pub fn parse(input: &str) -> Result<Self, OrgNumberError> {
        let compact: String = input.trim().chars().filter(|c| *c != ' ').collect();
        if !compact.chars().all(|c| c.is_ascii_digit()) {
            return Err(OrgNumberError::NotDigits);
        }
        if compact.len() != 9 {
            return Err(OrgNumberError::Length);
        }
        let digits: Vec<u32> = compact.bytes().map(|b| u32::from(b - b'0')).collect();
        match check_digit(&digits[..8]) {
            Some(check) if check == digits[8] => Ok(Self(compact)),
            _ => Err(OrgNumberError::Checksum),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The check digit for eight digits, or `None` when no valid number has these eight.
pub fn check_digit(first_eight: &[u32]) -> Option<u32> {
    let sum: u32 = first_eight.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    match 11 - (sum % 11) {
        11 => Some(0),
        10 => None,
        k => Some(k),
    }
}

impl TryFrom<String> for OrgNumber {
    type Error = OrgNumberError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<OrgNumber> for String {
    fn from(value: OrgNumber) -> Self {
        value.0
    }
}

impl fmt::Display for OrgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for OrgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // An organisation number is public information: no redaction needed.
        write!(f, "OrgNumber({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_documented_example() {
        assert_eq!(OrgNumber::parse("123456785").unwrap().as_str(), "123456785");
    }

    #[test]
    fn accepts_spaces_between_groups_and_normalises_them() {
        assert_eq!(
            OrgNumber::parse(" 123 456 785 ").unwrap().as_str(),
            "123456785"
        );
    }

    #[test]
    fn rejects_wrong_check_digit() {
        assert_eq!(OrgNumber::parse("123456784"), Err(OrgNumberError::Checksum));
    }

    #[test]
    fn rejects_wrong_length_and_letters() {
        assert_eq!(OrgNumber::parse("12345678"), Err(OrgNumberError::Length));
        assert_eq!(OrgNumber::parse("1234567850"), Err(OrgNumberError::Length));
        assert_eq!(OrgNumber::parse(""), Err(OrgNumberError::Length));
        assert_eq!(
            OrgNumber::parse("12345678a"),
            Err(OrgNumberError::NotDigits)
        );
        assert_eq!(
            OrgNumber::parse("１２３４５６７８５"),
            Err(OrgNumberError::NotDigits)
        );
    }

    #[test]
    fn serde_refuses_an_invalid_number() {
        assert!(serde_json::from_str::<OrgNumber>("\"123456784\"").is_err());
        let ok: OrgNumber = serde_json::from_str("\"123456785\"").unwrap();
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"123456785\"");
    }

    fn with_check(first: &[u32]) -> Option<String> {
        let check = check_digit(first)?;
        Some(
            first
                .iter()
                .chain(std::iter::once(&check))
                .map(|d| char::from_digit(*d, 10).unwrap())
                .collect(),
        )
    }

    proptest! {
        #[test]
        fn every_number_built_with_its_check_digit_parses(first in proptest::collection::vec(0u32..10, 8)) {
            match with_check(&first) {
                Some(number) => {
                    let parsed = OrgNumber::parse(&number).unwrap();
                    prop_assert_eq!(parsed.as_str(), number.as_str());
                    prop_assert_eq!(OrgNumber::parse(&parsed.to_string()).unwrap(), parsed);
                }
                // No ninth digit makes these eight valid: every completion is refused.
                None => for last in 0..10 {
                    let number: String = first.iter().chain(std::iter::once(&last))
                        .map(|d| char::from_digit(*d, 10).unwrap()).collect();
                    prop_assert_eq!(OrgNumber::parse(&number), Err(OrgNumberError::Checksum));
                }
            }
        }

        #[test]
        fn any_single_digit_change_is_detected(
            first in proptest::collection::vec(0u32..10, 8),
            position in 0usize..9,
            delta in 1u32..10,
        ) {
            if let Some(number) = with_check(&first) {
                let mut digits: Vec<u32> = number.chars().map(|c| c.to_digit(10).unwrap()).collect();
                digits[position] = (digits[position] + delta) % 10;
                let changed: String = digits.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
                prop_assert!(OrgNumber::parse(&changed).is_err());
            }
        }

        #[test]
        fn parse_never_panics(input in "\\PC*") {
            let _ = OrgNumber::parse(&input);
        }
    }
}
