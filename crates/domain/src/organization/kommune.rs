//! Kommunenummer: four digits, the first two naming the county. There is no check digit,
//! so a number is valid only if it is on the code list in force — here the 357
//! municipalities of 1 January 2024 (SSB classification 131), embedded at build time.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One municipality on the code list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kommune {
    pub number: &'static str,
    /// The official name, with Sámi or Kven forms where they are official.
    pub official_name: &'static str,
    pub short_name: &'static str,
    pub county_number: &'static str,
    pub county_name: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/kommuner_2024.rs"));

/// All municipalities valid from 1 January 2024, ordered by number.
pub fn kommuner_2024() -> &'static [Kommune] {
    KOMMUNER_2024
}

/// A kommunenummer on the 2024 code list.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "openapi",
    schema(value_type = String, pattern = "^[0-9]{4}$", example = "0301")
)]
#[serde(try_from = "String", into = "String")]
pub struct KommuneNumber(&'static Kommune);

impl std::hash::Hash for KommuneNumber {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.number.hash(state);
    }
}

impl PartialOrd for KommuneNumber {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for KommuneNumber {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.number.cmp(other.0.number)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KommuneNumberError {
    #[error("a municipality number has exactly four digits")]
    Format,
    #[error("no municipality has this number on the 2024 code list")]
    Unknown,
}

impl KommuneNumberError {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Format => "format",
            Self::Unknown => "unknown_municipality",
        }
    }
}

impl KommuneNumber {
    pub fn parse(input: &str) -> Result<Self, KommuneNumberError> {
        let input = input.trim();
        if input.len() != 4 || !input.bytes().all(|b| b.is_ascii_digit()) {
            return Err(KommuneNumberError::Format);
        }
        KOMMUNER_2024
            .binary_search_by(|k| k.number.cmp(input))
            .map(|i| Self(&KOMMUNER_2024[i]))
            .map_err(|_| KommuneNumberError::Unknown)
    }

    pub fn as_str(&self) -> &'static str {
        self.0.number
    }

    pub fn kommune(&self) -> &'static Kommune {
        self.0
    }

    pub fn county_number(&self) -> &'static str {
        self.0.county_number
    }
}

impl TryFrom<String> for KommuneNumber {
    type Error = KommuneNumberError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<KommuneNumber> for String {
    fn from(value: KommuneNumber) -> Self {
        value.0.number.to_owned()
    }
}

impl fmt::Display for KommuneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.number)
    }
}

impl fmt::Debug for KommuneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KommuneNumber({})", self.0.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn the_list_holds_357_municipalities_in_15_counties() {
        assert_eq!(kommuner_2024().len(), 357);
        let counties: HashSet<_> = kommuner_2024().iter().map(|k| k.county_number).collect();
        assert_eq!(counties.len(), 15);
    }

    #[test]
    fn knows_oslo_and_the_sami_names() {
        let oslo = KommuneNumber::parse("0301").unwrap();
        assert_eq!(oslo.kommune().short_name, "Oslo");
        assert_eq!(oslo.county_number(), "03");
        let tromso = KommuneNumber::parse("5501").unwrap();
        assert_eq!(tromso.kommune().county_name, "Troms - Romsa - Tromssa");
    }

    #[test]
    fn refuses_numbers_retired_before_2024() {
        // 1201 Bergen became 4601 in 2020; 5001 Trondheim stayed.
        assert_eq!(
            KommuneNumber::parse("1201"),
            Err(KommuneNumberError::Unknown)
        );
        assert!(KommuneNumber::parse("4601").is_ok());
        assert!(KommuneNumber::parse("5001").is_ok());
    }

    #[test]
    fn refuses_malformed_input() {
        for bad in ["", "301", "03011", "03a1", "-301", "０３０１"] {
            assert_eq!(
                KommuneNumber::parse(bad),
                Err(KommuneNumberError::Format),
                "{bad:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn every_listed_number_parses_and_round_trips(index in 0usize..357) {
            let kommune = &kommuner_2024()[index];
            let parsed = KommuneNumber::parse(kommune.number).unwrap();
            prop_assert_eq!(parsed.as_str(), kommune.number);
            prop_assert!(kommune.number.starts_with(parsed.county_number()));
            let json = serde_json::to_string(&parsed).unwrap();
            prop_assert_eq!(serde_json::from_str::<KommuneNumber>(&json).unwrap(), parsed);
        }

        #[test]
        fn a_four_digit_number_parses_exactly_when_it_is_listed(n in 0u32..10_000) {
            let input = format!("{n:04}");
            let listed = kommuner_2024().iter().any(|k| k.number == input);
            prop_assert_eq!(KommuneNumber::parse(&input).is_ok(), listed);
        }

        #[test]
        fn parse_never_panics(input in "\\PC*") {
            let _ = KommuneNumber::parse(&input);
        }
    }
}
