//! Role requests: a member asks for a role with a written justification ("tjenstlig
//! behov"); an administrator of the organisation — never the requester — approves (the role
//! is granted at once) or denies, with an optional note. The requester may withdraw while
//! the request is pending. The state machine is `RequestState`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::invitation::FieldRefusal;
use super::{RequestState, Role};
use crate::{OrgKind, OrganizationId};

pub const MIN_JUSTIFICATION: usize = 10;
pub const MAX_JUSTIFICATION: usize = 1000;
pub const MAX_NOTE: usize = 500;

/// Ask for a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewRoleRequest {
    pub role: Role,
    /// Why the work needs the role: 10–1000 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "Jeg overtar som systemeier for barnehagesystemet fra 1. januar.",
            min_length = 10,
            max_length = 1000
        )
    )]
    pub justification: String,
}

/// The rules for a new request by someone who holds `held` in an organisation of `kind`.
/// Returns the trimmed justification.
pub fn check_role_request(
    new: &NewRoleRequest,
    kind: OrgKind,
    held: &[Role],
) -> Result<String, FieldRefusal> {
    if !new.role.allowed_in(kind) {
        return Err(FieldRefusal {
            field: "role",
            code: "not_for_this_kind_of_organization",
        });
    }
    if held.contains(&new.role) {
        return Err(FieldRefusal {
            field: "role",
            code: "already_held",
        });
    }
    let text = new.justification.trim();
    let chars = text.chars().count();
    if !(MIN_JUSTIFICATION..=MAX_JUSTIFICATION).contains(&chars) {
        return Err(FieldRefusal {
            field: "justification",
            code: "length",
        });
    }
    Ok(text.to_owned())
}

/// An administrator's decision, with an optional note to the requester (≤ 500 characters).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleRequestDecision {
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: Option<String>,
}

/// The note as stored: trimmed, empty as none.
pub fn check_note(note: Option<&str>) -> Result<Option<String>, FieldRefusal> {
    match note.map(str::trim).filter(|n| !n.is_empty()) {
        None => Ok(None),
        Some(n) if n.chars().count() > MAX_NOTE => Err(FieldRefusal {
            field: "note",
            code: "length",
        }),
        Some(n) => Ok(Some(n.to_owned())),
    }
}

/// The requester may not decide their own request: a second person must agree.
pub fn may_decide(requester: Uuid, decider: Uuid) -> bool {
    requester != decider
}

/// A role request as the requester and the organisation's administrators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleRequest {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub user_id: Uuid,
    pub user_display_name: String,
    pub user_email: String,
    pub role: Role,
    pub justification: String,
    pub state: RequestState,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
}

crate::pagination::page_type!(
    /// One page of role requests, newest first.
    RoleRequestPage,
    RoleRequest
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::RequestEvent;
    use proptest::prelude::*;

    fn ask(role: Role, text: &str) -> NewRoleRequest {
        NewRoleRequest {
            role,
            justification: text.into(),
        }
    }

    #[test]
    fn a_request_needs_a_reason_and_a_role_of_the_kind_not_held_yet() {
        let ok = check_role_request(
            &ask(Role::SystemOwner, "  Overtar ansvaret for sak/arkiv.  "),
            OrgKind::Municipality,
            &[Role::Auditor],
        );
        assert_eq!(ok.unwrap(), "Overtar ansvaret for sak/arkiv.");
        let code = |r: Result<String, FieldRefusal>| r.unwrap_err().code;
        assert_eq!(
            code(check_role_request(
                &ask(Role::Auditor, "Trenger innsyn i loggen"),
                OrgKind::Municipality,
                &[Role::Auditor]
            )),
            "already_held"
        );
        assert_eq!(
            code(check_role_request(
                &ask(Role::ProductEditor, "Trenger innsyn i loggen"),
                OrgKind::Municipality,
                &[]
            )),
            "not_for_this_kind_of_organization"
        );
        assert_eq!(
            code(check_role_request(
                &ask(Role::Auditor, "fordi"),
                OrgKind::Municipality,
                &[]
            )),
            "length"
        );
        assert_eq!(
            code(check_role_request(
                &ask(Role::Auditor, &"x".repeat(1001)),
                OrgKind::Municipality,
                &[]
            )),
            "length"
        );
    }

    #[test]
    fn notes_are_optional_and_bounded() {
        assert_eq!(check_note(None), Ok(None));
        assert_eq!(check_note(Some("   ")), Ok(None));
        assert_eq!(check_note(Some(" ok ")), Ok(Some("ok".into())));
        assert!(check_note(Some(&"x".repeat(501))).is_err());
    }

    #[test]
    fn nobody_decides_their_own_request() {
        let me = Uuid::from_u128(7);
        assert!(!may_decide(me, me));
        assert!(may_decide(me, Uuid::from_u128(8)));
    }

    #[test]
    fn states_round_trip_through_their_names() {
        for s in RequestState::ALL {
            assert_eq!(RequestState::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
    }

    proptest! {
        /// Only a pending request moves, and only once: every decided state is final.
        #[test]
        fn a_request_is_decided_at_most_once(events in proptest::collection::vec(0u8..3, 0..8)) {
            let mut state = RequestState::Pending;
            let mut moves = 0;
            for e in events {
                let event = [RequestEvent::Approve, RequestEvent::Deny, RequestEvent::Withdraw][e as usize];
                if let Ok(next) = state.transition(event) {
                    prop_assert_eq!(state, RequestState::Pending);
                    prop_assert_ne!(next, RequestState::Pending);
                    state = next;
                    moves += 1;
                }
            }
            prop_assert!(moves <= 1);
        }
    }
}
