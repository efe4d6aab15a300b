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

/// Narrowing the audit log: by who, what, which object and when. Every field is optional;
/// they combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// The acting user's or API client's id.
    pub actor: Option<Uuid>,
    /// An action code such as `role.granted`.
    pub action: Option<String>,
    /// A target type such as `user` or `api_client`.
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// From this instant (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Until this instant (exclusive).
    pub to: Option<DateTime<Utc>>,
}

impl AuditFilter {
    /// Action and target codes are short lower-case words with `.` and `_`: anything else
    /// cannot match and is refused as a bad query.
    pub fn check(&self) -> Result<(), &'static str> {
        let code = |s: &Option<String>| {
            s.as_deref().is_none_or(|v| {
                !v.is_empty()
                    && v.len() <= 64
                    && v.bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_')
            })
        };
        if !code(&self.action) {
            return Err("action");
        }
        if !code(&self.target_type) {
            return Err("target_type");
        }
        if self
            .target_id
            .as_deref()
            .is_some_and(|v| v.is_empty() || v.len() > 128)
        {
            return Err("target_id");
        }
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from >= to
        {
            return Err("to");
        }
        Ok(())
    }
}

/// One audit event as a CSV row (the columns of the export, in order).
pub const AUDIT_CSV_HEADER: [&str; 11] = [
    "sequence",
    "occurred_at",
    "actor_kind",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "outcome",
    "request_id",
    "prev_hash",
    "hash",
];

#[cfg(test)]
mod filter_tests {
    use super::*;

    #[test]
    fn filters_accept_codes_and_ordered_ranges_only() {
        assert_eq!(AuditFilter::default().check(), Ok(()));
        let ok = AuditFilter {
            action: Some("role.granted".into()),
            target_type: Some("api_client".into()),
            ..Default::default()
        };
        assert_eq!(ok.check(), Ok(()));
        let bad = AuditFilter {
            action: Some("Role Granted".into()),
            ..Default::default()
        };
        assert_eq!(bad.check(), Err("action"));
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let reversed = AuditFilter {
            from: Some(t("2026-11-24T10:00:00Z")),
            to: Some(t("2026-11-23T10:00:00Z")),
            ..Default::default()
        };
        assert_eq!(reversed.check(), Err("to"));
    }
}

/// Start an access review (recertification): every role in force must be confirmed by
/// `due`, or it lapses then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartAccessReview {
    pub due: DateTime<Utc>,
}

/// A review window is at least a day and at most 90 days long.
pub fn check_review_due(due: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), &'static str> {
    if due < now + chrono::Duration::days(1) {
        return Err("too_soon");
    }
    if due > now + chrono::Duration::days(90) {
        return Err("too_far_ahead");
    }
    Ok(())
}

/// The review is open: this many grants now await confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessReviewStarted {
    pub grants: u64,
    pub due: DateTime<Utc>,
}

/// Confirm a grant in an open review, optionally with a (new) end date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmGrant {
    pub until: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod review_tests {
    use super::*;

    #[test]
    fn a_review_window_is_between_a_day_and_ninety_days() {
        let now = DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            check_review_due(now + chrono::Duration::hours(23), now),
            Err("too_soon")
        );
        assert_eq!(
            check_review_due(now + chrono::Duration::days(14), now),
            Ok(())
        );
        assert_eq!(
            check_review_due(now + chrono::Duration::days(91), now),
            Err("too_far_ahead")
        );
    }
}
