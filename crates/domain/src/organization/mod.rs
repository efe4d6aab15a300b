//! Organisations: every object in Vern belongs to one.

mod kommune;
mod org_number;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use kommune::{Kommune, KommuneNumber, KommuneNumberError, kommuner_2024};
pub use org_number::{OrgNumber, OrgNumberError, check_digit};

use crate::OrganizationId;

/// What kind of organisation this is; it decides which roles exist in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// A kommune: controller of its residents' data.
    Municipality,
    /// A software vendor: keeps products in the shared catalogue, acts as processor.
    Vendor,
    /// A directorate, KS or similar: issues agreements to many organisations.
    Authority,
    /// The operator of this Vern installation.
    Platform,
}

impl OrgKind {
    pub const ALL: [OrgKind; 4] = [
        Self::Municipality,
        Self::Vendor,
        Self::Authority,
        Self::Platform,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Municipality => "municipality",
            Self::Vendor => "vendor",
            Self::Authority => "authority",
            Self::Platform => "platform",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == input)
    }
}

impl std::fmt::Display for OrgKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a municipality sits on the code list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MunicipalityInfo {
    /// Kommunenummer (four digits, valid on the 2024 code list).
    pub number: KommuneNumber,
    /// Fylkesnummer (two digits).
    #[cfg_attr(feature = "openapi", schema(example = "03"))]
    pub county_number: String,
    /// The county's official name.
    #[cfg_attr(feature = "openapi", schema(example = "Oslo"))]
    pub county_name: String,
}

impl MunicipalityInfo {
    pub fn from_number(number: KommuneNumber) -> Self {
        let kommune = number.kommune();
        Self {
            number,
            county_number: kommune.county_number.to_owned(),
            county_name: kommune.county_name.to_owned(),
        }
    }
}

/// An organisation as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organization {
    pub id: OrganizationId,
    pub kind: OrgKind,
    /// The organisation's name as it presents itself.
    #[cfg_attr(feature = "openapi", schema(example = "Oslo kommune"))]
    pub name: String,
    /// Organisasjonsnummer in Enhetsregisteret, where known.
    pub org_number: Option<OrgNumber>,
    /// Set for municipalities only.
    pub municipality: Option<MunicipalityInfo>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Set the organisation's number in Enhetsregisteret. Integrations' tokens from Maskinporten
/// name the organisation they act for by this number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgNumberChange {
    /// Nine digits, spaces allowed: `974 760 673`.
    #[cfg_attr(feature = "openapi", schema(example = "974760673"))]
    pub org_number: String,
}

crate::pagination::page_type!(
    /// One page of organisations.
    OrganizationPage,
    Organization
);

/// The display name Vern gives a municipality from the code list: "Oslo kommune".
/// Official names with Sámi or Kven forms keep them ("Guovdageaidnu - Kautokeino kommune").
pub fn municipality_display_name(kommune: &Kommune) -> String {
    format!("{} kommune", kommune.official_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_kind_round_trips_through_its_name() {
        for kind in OrgKind::ALL {
            assert_eq!(OrgKind::parse(kind.as_str()), Some(kind));
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", kind.as_str())
            );
        }
        assert_eq!(OrgKind::parse("Municipality"), None);
    }

    #[test]
    fn municipality_info_comes_from_the_code_list() {
        let info = MunicipalityInfo::from_number(KommuneNumber::parse("4601").unwrap());
        assert_eq!(info.county_number, "46");
        assert_eq!(info.county_name, "Vestland");
    }
}
