//! Organisations: the searchable list and one organisation's facts.

mod detail;
mod list;

pub use detail::OrganizationDetail;
pub use list::OrganizationList;

use vern_domain::OrgKind;

/// The i18n key naming an organisation kind.
pub fn kind_key(kind: OrgKind) -> String {
    format!("org-kind-{}", kind.as_str())
}
