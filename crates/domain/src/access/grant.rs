//! The life of a role grant and of a role request. Time is passed in.
//!
//! A grant is effective only while it is active, before its end date and — during an access
//! review — before the review's due date. `is_effective` decides by the clock itself, so a
//! grant that runs out stops working at that instant, whether or not the scheduler has
//! recorded the lapse yet.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum GrantState {
    Active {
        /// The grant ends at this instant, if set.
        until: Option<DateTime<Utc>>,
        /// An access review is open: unless confirmed by then, the grant lapses.
        review_due: Option<DateTime<Utc>>,
    },
    Revoked,
    Expired,
    /// Not re-confirmed in an access review.
    Lapsed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantEvent {
    Revoke,
    /// An access review asks for re-confirmation by `due`.
    StartReview {
        due: DateTime<Utc>,
    },
    /// The admin re-confirms the grant; optionally with a new end date.
    Confirm {
        until: Option<DateTime<Utc>>,
    },
    /// The scheduler records what the clock has already decided.
    Tick,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this change is not possible in the current state")]
pub struct TransitionError;

impl GrantState {
    pub const fn new(until: Option<DateTime<Utc>>) -> Self {
        Self::Active {
            until,
            review_due: None,
        }
    }

    pub fn is_effective(&self, now: DateTime<Utc>) -> bool {
        match self {
            Self::Active { until, review_due } => {
                until.is_none_or(|u| now < u) && review_due.is_none_or(|d| now < d)
            }
            _ => false,
        }
    }

    pub fn transition(
        self,
        event: GrantEvent,
        now: DateTime<Utc>,
    ) -> Result<Self, TransitionError> {
        let Self::Active { until, review_due } = self else {
            return Err(TransitionError);
        };
        // What the clock decided comes first: an expired grant cannot be reviewed or confirmed.
        if until.is_some_and(|u| now >= u) {
            return match event {
                GrantEvent::Tick | GrantEvent::Revoke => Ok(Self::Expired),
                _ => Err(TransitionError),
            };
        }
        if review_due.is_some_and(|d| now >= d) {
            return match event {
                GrantEvent::Tick | GrantEvent::Revoke => Ok(Self::Lapsed),
                _ => Err(TransitionError),
            };
        }
        match event {
            GrantEvent::Revoke => Ok(Self::Revoked),
            GrantEvent::StartReview { due } if due > now && review_due.is_none() => {
                Ok(Self::Active {
                    until,
                    review_due: Some(due),
                })
            }
            GrantEvent::StartReview { .. } => Err(TransitionError),
            GrantEvent::Confirm { until: new_until } if review_due.is_some() => {
                if new_until.is_some_and(|u| u <= now) {
                    return Err(TransitionError);
                }
                Ok(Self::Active {
                    until: new_until.or(until),
                    review_due: None,
                })
            }
            GrantEvent::Confirm { .. } => Err(TransitionError),
            GrantEvent::Tick => Ok(self),
        }
    }
}

/// A user's request for a role, with a written justification ("tjenstlig behov").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    Pending,
    Approved,
    Denied,
    Withdrawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestEvent {
    Approve,
    Deny,
    /// By the requester.
    Withdraw,
}

impl RequestState {
    pub const ALL: [RequestState; 4] =
        [Self::Pending, Self::Approved, Self::Denied, Self::Withdrawn];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Denied => "denied",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == input)
    }

    pub fn transition(self, event: RequestEvent) -> Result<Self, TransitionError> {
        match (self, event) {
            (Self::Pending, RequestEvent::Approve) => Ok(Self::Approved),
            (Self::Pending, RequestEvent::Deny) => Ok(Self::Denied),
            (Self::Pending, RequestEvent::Withdraw) => Ok(Self::Withdrawn),
            _ => Err(TransitionError),
        }
    }
}

#[cfg(test)]
mod membership_tests {
    use super::*;

    #[test]
    fn administrators_never_disable_or_remove_themselves() {
        assert_eq!(
            check_membership_change(MembershipChange::Disable, true),
            Err(GrantRefusal::OwnMembership)
        );
        assert_eq!(
            check_membership_change(MembershipChange::Remove, true),
            Err(GrantRefusal::OwnMembership)
        );
        assert_eq!(
            check_membership_change(MembershipChange::Enable, true),
            Ok(())
        );
        assert_eq!(
            check_membership_change(MembershipChange::Disable, false),
            Ok(())
        );
    }

    #[test]
    fn disabling_keeps_grants_and_removal_ends_them() {
        assert_eq!(
            MembershipChange::Disable.states(),
            (&["active"][..], "suspended")
        );
        assert_eq!(
            MembershipChange::Enable.states(),
            (&["suspended"][..], "active")
        );
        assert_eq!(MembershipChange::Remove.states().1, "revoked");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn t(hours: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::hours(hours)
    }

    #[test]
    fn a_grant_with_an_end_stops_working_at_that_instant() {
        let grant = GrantState::new(Some(t(10)));
        assert!(grant.is_effective(t(9)));
        assert!(!grant.is_effective(t(10)));
        assert_eq!(
            grant.transition(GrantEvent::Tick, t(10)),
            Ok(GrantState::Expired)
        );
    }

    #[test]
    fn an_unconfirmed_grant_lapses_on_the_review_due_date() {
        let grant = GrantState::new(None)
            .transition(GrantEvent::StartReview { due: t(24) }, t(0))
            .unwrap();
        assert!(grant.is_effective(t(23)));
        assert!(
            !grant.is_effective(t(24)),
            "lapsed at once, before the scheduler runs"
        );
        assert_eq!(
            grant.transition(GrantEvent::Tick, t(25)),
            Ok(GrantState::Lapsed)
        );
        assert_eq!(
            grant.transition(GrantEvent::Confirm { until: None }, t(25)),
            Err(TransitionError)
        );
    }

    #[test]
    fn a_confirmed_grant_leaves_the_review() {
        let grant = GrantState::new(None)
            .transition(GrantEvent::StartReview { due: t(24) }, t(0))
            .unwrap();
        let confirmed = grant
            .transition(
                GrantEvent::Confirm {
                    until: Some(t(1000)),
                },
                t(5),
            )
            .unwrap();
        assert_eq!(
            confirmed,
            GrantState::Active {
                until: Some(t(1000)),
                review_due: None
            }
        );
        assert!(confirmed.is_effective(t(500)));
    }

    #[test]
    fn confirming_outside_a_review_or_reviewing_twice_is_refused() {
        let grant = GrantState::new(None);
        assert_eq!(
            grant.transition(GrantEvent::Confirm { until: None }, t(0)),
            Err(TransitionError)
        );
        let reviewed = grant
            .transition(GrantEvent::StartReview { due: t(5) }, t(0))
            .unwrap();
        assert_eq!(
            reviewed.transition(GrantEvent::StartReview { due: t(9) }, t(1)),
            Err(TransitionError)
        );
        assert_eq!(
            grant.transition(GrantEvent::StartReview { due: t(0) }, t(0)),
            Err(TransitionError)
        );
    }

    #[test]
    fn role_requests_are_decided_once() {
        assert_eq!(
            RequestState::Pending.transition(RequestEvent::Approve),
            Ok(RequestState::Approved)
        );
        assert_eq!(
            RequestState::Pending.transition(RequestEvent::Deny),
            Ok(RequestState::Denied)
        );
        assert_eq!(
            RequestState::Pending.transition(RequestEvent::Withdraw),
            Ok(RequestState::Withdrawn)
        );
        for decided in [
            RequestState::Approved,
            RequestState::Denied,
            RequestState::Withdrawn,
        ] {
            for event in [
                RequestEvent::Approve,
                RequestEvent::Deny,
                RequestEvent::Withdraw,
            ] {
                assert_eq!(decided.transition(event), Err(TransitionError));
            }
        }
    }

    fn event() -> impl Strategy<Value = (GrantEvent, i64)> {
        (0u8..4, 0i64..200, 0i64..200).prop_map(|(kind, at, due)| {
            let event = match kind {
                0 => GrantEvent::Revoke,
                1 => GrantEvent::StartReview { due: t(due) },
                2 => GrantEvent::Confirm {
                    until: (due % 3 == 0).then(|| t(due + 50)),
                },
                _ => GrantEvent::Tick,
            };
            (event, at)
        })
    }

    proptest! {
        #[test]
        fn an_ended_grant_never_comes_back(
            until in proptest::option::of(0i64..200),
            mut events in proptest::collection::vec(event(), 0..30),
        ) {
            // Time only moves forward.
            events.sort_by_key(|(_, at)| *at);
            let mut state = GrantState::new(until.map(t));
            let mut ended = false;
            for (event, at) in events {
                if let Ok(next) = state.transition(event, t(at)) {
                    state = next;
                }
                let terminal = !matches!(state, GrantState::Active { .. });
                prop_assert!(!ended || terminal, "an ended grant became active again");
                ended |= terminal;
                if terminal {
                    prop_assert!(!state.is_effective(t(at)));
                }
                if let GrantState::Active { until: Some(u), .. } = state {
                    prop_assert!(!state.is_effective(u));
                }
            }
        }

        #[test]
        fn an_effective_grant_is_active_and_within_its_dates(
            until in proptest::option::of(0i64..200),
            due in proptest::option::of(1i64..200),
            now in 0i64..250,
        ) {
            let mut state = GrantState::new(until.map(t));
            if let Some(Ok(next)) = due.map(|due| state.transition(GrantEvent::StartReview { due: t(due) }, t(0))) {
                state = next;
            }
            if state.is_effective(t(now)) {
                let GrantState::Active { until, review_due } = state else { unreachable!() };
                prop_assert!(until.is_none_or(|u| t(now) < u));
                prop_assert!(review_due.is_none_or(|d| t(now) < d));
            }
        }
    }
}

/// Why a grant or a revocation is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GrantRefusal {
    #[error("this kind of organisation has no such role")]
    NotForThisKind,
    #[error("the end date has passed")]
    EndInThePast,
    #[error("the member already holds the role")]
    AlreadyHeld,
    #[error("administrators cannot remove their own administrator role")]
    OwnAdministratorRole,
    #[error("administrators cannot disable or remove themselves")]
    OwnMembership,
}

/// What an administrator does to a membership as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipChange {
    /// Every role stops working until enabled again; the grants are kept.
    Disable,
    Enable,
    /// Every role ends; the person is no longer a member.
    Remove,
}

impl MembershipChange {
    /// The grant states (as stored) the change applies to, and the state they move to.
    pub const fn states(self) -> (&'static [&'static str], &'static str) {
        match self {
            Self::Disable => (&["active"], "suspended"),
            Self::Enable => (&["suspended"], "active"),
            Self::Remove => (&["active", "suspended"], "revoked"),
        }
    }
}

/// Nobody disables or removes themselves: another administrator must, so an organisation
/// is never locked out by a slip.
pub fn check_membership_change(
    change: MembershipChange,
    acting_on_self: bool,
) -> Result<(), GrantRefusal> {
    if acting_on_self && change != MembershipChange::Enable {
        return Err(GrantRefusal::OwnMembership);
    }
    Ok(())
}

/// The rules for granting `role` to someone who holds `held` in an organisation of `kind`.
pub fn check_grant(
    role: super::Role,
    kind: crate::OrgKind,
    until: Option<DateTime<Utc>>,
    held: &[super::Role],
    now: DateTime<Utc>,
) -> Result<(), GrantRefusal> {
    if !role.allowed_in(kind) {
        return Err(GrantRefusal::NotForThisKind);
    }
    if until.is_some_and(|u| u <= now) {
        return Err(GrantRefusal::EndInThePast);
    }
    if held.contains(&role) {
        return Err(GrantRefusal::AlreadyHeld);
    }
    Ok(())
}

/// Another administrator must remove an administrator's own role, so an organisation is
/// never left without one by a slip.
pub fn check_revoke(role: super::Role, revoking_own: bool) -> Result<(), GrantRefusal> {
    if revoking_own && role.grants(super::Permission::ManageRoles) {
        return Err(GrantRefusal::OwnAdministratorRole);
    }
    Ok(())
}

#[cfg(test)]
mod rule_tests {
    use super::super::Role;
    use super::*;
    use crate::OrgKind;
    use chrono::TimeZone;

    #[test]
    fn grants_follow_kind_time_and_what_is_held() {
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        let later = Some(now + chrono::Duration::days(30));
        assert_eq!(
            check_grant(Role::Auditor, OrgKind::Municipality, later, &[], now),
            Ok(())
        );
        assert_eq!(
            check_grant(Role::ProductEditor, OrgKind::Municipality, None, &[], now),
            Err(GrantRefusal::NotForThisKind)
        );
        assert_eq!(
            check_grant(Role::Auditor, OrgKind::Municipality, Some(now), &[], now),
            Err(GrantRefusal::EndInThePast)
        );
        assert_eq!(
            check_grant(
                Role::Auditor,
                OrgKind::Municipality,
                None,
                &[Role::Auditor],
                now
            ),
            Err(GrantRefusal::AlreadyHeld)
        );
    }

    #[test]
    fn administrators_do_not_remove_their_own_administrator_role() {
        assert_eq!(
            check_revoke(Role::OrgAdmin, true),
            Err(GrantRefusal::OwnAdministratorRole)
        );
        assert_eq!(
            check_revoke(Role::VendorAdmin, true),
            Err(GrantRefusal::OwnAdministratorRole)
        );
        assert_eq!(check_revoke(Role::OrgAdmin, false), Ok(()));
        assert_eq!(check_revoke(Role::Auditor, true), Ok(()));
    }
}
