//! Members of an organisation and their role grants, as the admin API shows them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Role;
use super::audit::{AuditRecord, BrokenLink};

/// A role grant in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleGrantView {
    pub id: Uuid,
    pub role: Role,
    /// The grant ends at this instant, if set.
    pub until: Option<DateTime<Utc>>,
    /// An access review asks for re-confirmation by then.
    pub review_due: Option<DateTime<Utc>>,
}

/// A user of the organisation with the roles they hold there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    /// `active` or `disabled`.
    pub status: String,
    pub grants: Vec<RoleGrantView>,
}

crate::pagination::page_type!(
    /// One page of members, by e-mail address.
    MemberPage,
    Member
);

/// Grant a role, optionally until a given instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantRoleRequest {
    pub role: Role,
    pub until: Option<DateTime<Utc>>,
}

crate::pagination::page_type!(
    /// One page of audit events, newest first.
    AuditEventPage,
    AuditRecord
);

/// The result of recomputing an organisation's audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditVerification {
    /// Events checked, from the first.
    pub checked: u64,
    /// The first link that does not hold; `null` when the chain is intact.
    pub broken: Option<BrokenLink>,
}

/// The organisation's IP allowlist: CIDR ranges or single addresses; empty means no
/// restriction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IpAllowlistBody {
    #[cfg_attr(feature = "openapi", schema(example = json!(["10.20.0.0/16", "2001:db8::/32"])))]
    pub entries: Vec<String>,
}
