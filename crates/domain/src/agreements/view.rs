//! The agreement as the API shows it to both parties.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::document::{Block, DiffLine};
use super::facts::Element;
use super::lifecycle::AgreementStatus;
use super::templates::TemplateStructure;
use super::terms::{AgreementLanguage, AgreementTerms};
use crate::OrganizationId;

/// A party, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementParty {
    pub id: OrganizationId,
    pub name: String,
}

/// A required element the agreement does not yet have, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MissingElement {
    pub element: Element,
    /// The article of the GDPR that asks for it, e.g. `28(3)(g)`.
    pub article: String,
    /// The drafter's field that supplies it, or `register:…` when the register does.
    pub source: String,
}

impl From<Element> for MissingElement {
    fn from(element: Element) -> Self {
        Self {
            element,
            article: element.article().to_owned(),
            source: element.source().to_owned(),
        }
    }
}

/// A signature on one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementSignature {
    pub version: i32,
    pub organization: AgreementParty,
    pub signer_name: String,
    /// The second factor the signer proved: `passkey` or `totp`.
    pub method: String,
    pub signed_at: DateTime<Utc>,
    pub document_sha256: String,
    /// The key id of the platform key that sealed the signature.
    pub seal_kid: String,
}

/// A list entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementSummary {
    pub id: Uuid,
    pub title: String,
    pub controller: AgreementParty,
    pub processor: AgreementParty,
    pub status: AgreementStatus,
    pub current_version: i32,
    pub review_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementPage {
    pub items: Vec<AgreementSummary>,
    pub next_cursor: Option<String>,
}

/// The whole agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agreement {
    pub id: Uuid,
    pub title: String,
    pub controller: AgreementParty,
    pub processor: AgreementParty,
    pub status: AgreementStatus,
    pub language: AgreementLanguage,
    pub terms: AgreementTerms,
    pub current_version: i32,
    /// The SHA-256 of the current version's text.
    pub document_sha256: String,
    /// What Art. 28(3) requires that the current version does not yet give; sending waits
    /// until this is empty.
    pub missing_elements: Vec<MissingElement>,
    /// Signatures on the current version.
    pub signatures: Vec<AgreementSignature>,
    pub revision: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub activated_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// When someone at the processor first opened it.
    pub opened_at: Option<DateTime<Utc>>,
    /// The campaign it came with, and its deadline.
    pub campaign: Option<super::campaign::AgreementCampaign>,
}

/// One version of the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementVersion {
    pub number: i32,
    pub sha256: String,
    pub change_note: String,
    pub created_at: DateTime<Utc>,
}

/// What changed between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionDiff {
    pub from: i32,
    pub to: i32,
    pub lines: Vec<DiffLine>,
}

/// One signature checked against the stored text and the platform's seal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignatureCheck {
    pub signature: AgreementSignature,
    /// The stored text of the signed version still has the hash that was signed.
    pub document_matches: bool,
    /// The seal verifies with the platform's key and binds this signer, organisation,
    /// time and hash.
    pub seal_valid: bool,
}

/// The result of checking every signature of an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verification {
    /// Every signature holds (and there is at least one).
    pub valid: bool,
    pub current_version: i32,
    /// The SHA-256 of the current version's text as stored now.
    pub document_sha256: String,
    pub signatures: Vec<SignatureCheck>,
}

/// A template one can draft from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementTemplateInfo {
    pub key: String,
    pub name_nb: String,
    pub name_en: String,
    pub structure: TemplateStructure,
    pub language: AgreementLanguage,
    /// The merge fields the template reads.
    pub merge_fields: Vec<String>,
    /// The template's source, when asked for (`include_source=true`): a start for an own
    /// template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The platform's seal over a signature: what the JWS binds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealClaims {
    pub iss: String,
    /// The agreement id.
    pub sub: String,
    pub version: i32,
    pub document_sha256: String,
    pub organization_id: Uuid,
    pub user_id: Uuid,
    pub signer_name: String,
    pub method: String,
    /// Unix seconds.
    pub signed_at: i64,
    pub iat: i64,
}

/// A version's text as blocks, for showing it in the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementText {
    pub version: i32,
    pub sha256: String,
    pub blocks: Vec<Block>,
}
