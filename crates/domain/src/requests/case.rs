//! The case a request becomes: received → (identity clarification, with the clock recorded as
//! paused) → in progress → answered | refused (with its legal ground) | withdrawn. Extension
//! is an event on an open case, not a state. Any other step is refused.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::deadline::{Clock, ExtensionError};
use super::kind::{RefusalGround, RequestKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Registered, nobody has started on it.
    Received,
    /// Waiting for the requester to establish their identity (Art. 12(6)).
    IdentityClarification,
    /// Being handled: tasks to the systems, the answer being put together.
    InProgress,
    /// The answer has been released.
    Answered,
    /// Refused, with a legal ground.
    Refused,
    /// The requester withdrew it.
    Withdrawn,
}

impl CaseStatus {
    pub const ALL: [Self; 6] = [
        Self::Received,
        Self::IdentityClarification,
        Self::InProgress,
        Self::Answered,
        Self::Refused,
        Self::Withdrawn,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::IdentityClarification => "identity_clarification",
            Self::InProgress => "in_progress",
            Self::Answered => "answered",
            Self::Refused => "refused",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == input)
    }

    /// Still to be dealt with: counts against the deadline.
    pub const fn is_open(self) -> bool {
        matches!(
            self,
            Self::Received | Self::IdentityClarification | Self::InProgress
        )
    }
}

/// A step in the case. Extension is separate ([`CaseFile::extend`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CaseAction {
    /// Start handling it.
    Start,
    /// Ask the requester to establish their identity; the clock is recorded as paused.
    ClarifyIdentity,
    /// The identity is established; handling continues and the clock runs again.
    IdentityConfirmed,
    /// Release the answer.
    Answer,
    /// Refuse on a legal ground that applies to the request's kind.
    Refuse { ground: RefusalGround },
    /// The requester withdrew the request.
    Withdraw,
}

impl CaseAction {
    pub const fn name(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::ClarifyIdentity => "clarify_identity",
            Self::IdentityConfirmed => "identity_confirmed",
            Self::Answer => "answer",
            Self::Refuse { .. } => "refuse",
            Self::Withdraw => "withdraw",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error("a case that is {from:?} cannot {action}")]
    NotAllowed {
        from: CaseStatus,
        action: &'static str,
    },
    #[error("this legal ground does not apply to a request of this kind")]
    GroundNotApplicable,
    #[error("the case is closed")]
    Closed,
    #[error(transparent)]
    Extension(#[from] ExtensionError),
}

impl CaseError {
    pub const fn code(self) -> &'static str {
        match self {
            Self::NotAllowed { .. } => "case_transition_not_allowed",
            Self::GroundNotApplicable => "refusal_ground_not_applicable",
            Self::Closed => "case_closed",
            Self::Extension(e) => e.code(),
        }
    }
}

/// The status a step leads to, or why it is refused.
pub fn transition(
    from: CaseStatus,
    kind: RequestKind,
    action: CaseAction,
) -> Result<CaseStatus, CaseError> {
    use CaseAction as A;
    use CaseStatus as S;
    let not_allowed = || CaseError::NotAllowed {
        from,
        action: action.name(),
    };
    match (from, action) {
        (S::Received, A::Start) => Ok(S::InProgress),
        (S::Received | S::InProgress, A::ClarifyIdentity) => Ok(S::IdentityClarification),
        (S::IdentityClarification, A::IdentityConfirmed) => Ok(S::InProgress),
        (S::InProgress, A::Answer) => Ok(S::Answered),
        (S::Received | S::IdentityClarification | S::InProgress, A::Refuse { ground }) => {
            if ground.applies_to(kind) {
                Ok(S::Refused)
            } else {
                Err(CaseError::GroundNotApplicable)
            }
        }
        (S::Received | S::IdentityClarification | S::InProgress, A::Withdraw) => Ok(S::Withdrawn),
        _ => Err(not_allowed()),
    }
}

/// A case's status and clock together, so that a step keeps both right: asking for identity
/// pauses the clock, confirming it (or closing the case) starts it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFile {
    pub kind: RequestKind,
    pub status: CaseStatus,
    pub clock: Clock,
}

impl CaseFile {
    pub fn new(kind: RequestKind, received: NaiveDate, pause_stops_clock: bool) -> Self {
        Self {
            kind,
            status: CaseStatus::Received,
            clock: Clock::new(received, pause_stops_clock),
        }
    }

    pub fn apply(&mut self, action: CaseAction, today: NaiveDate) -> Result<(), CaseError> {
        let next = transition(self.status, self.kind, action)?;
        if next == CaseStatus::IdentityClarification {
            self.clock.pause(today);
        } else {
            self.clock.resume(today);
        }
        self.status = next;
        Ok(())
    }

    /// The steps that can be taken on `today`, by name (`extend` included while it is
    /// allowed): what a caseworker's screen offers.
    pub fn allowed_actions(&self, today: NaiveDate) -> Vec<&'static str> {
        let probes = [
            CaseAction::Start,
            CaseAction::ClarifyIdentity,
            CaseAction::IdentityConfirmed,
            CaseAction::Answer,
            // Some general ground fits every kind: a refusal is possible whenever one is.
            CaseAction::Refuse {
                ground: RefusalGround::ManifestlyUnfounded,
            },
            CaseAction::Withdraw,
        ];
        let mut out: Vec<&'static str> = probes
            .into_iter()
            .filter(|a| transition(self.status, self.kind, *a).is_ok())
            .map(CaseAction::name)
            .collect();
        if self.status.is_open() && self.clock.state(today).extendable_until.is_some() {
            out.push("extend");
        }
        out
    }

    pub fn extend(&mut self, months: u8, reasons: &str, today: NaiveDate) -> Result<(), CaseError> {
        if !self.status.is_open() {
            return Err(CaseError::Closed);
        }
        self.clock.check_extension(months, reasons, today)?;
        self.clock.extend(months);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const REFUSE_ANY: CaseAction = CaseAction::Refuse {
        ground: RefusalGround::ManifestlyUnfounded,
    };

    fn actions() -> [CaseAction; 6] {
        [
            CaseAction::Start,
            CaseAction::ClarifyIdentity,
            CaseAction::IdentityConfirmed,
            CaseAction::Answer,
            REFUSE_ANY,
            CaseAction::Withdraw,
        ]
    }

    #[test]
    fn every_allowed_step() {
        use CaseStatus as S;
        let k = RequestKind::Access;
        let allowed = [
            (S::Received, CaseAction::Start, S::InProgress),
            (
                S::Received,
                CaseAction::ClarifyIdentity,
                S::IdentityClarification,
            ),
            (S::Received, REFUSE_ANY, S::Refused),
            (S::Received, CaseAction::Withdraw, S::Withdrawn),
            (
                S::IdentityClarification,
                CaseAction::IdentityConfirmed,
                S::InProgress,
            ),
            (S::IdentityClarification, REFUSE_ANY, S::Refused),
            (S::IdentityClarification, CaseAction::Withdraw, S::Withdrawn),
            (
                S::InProgress,
                CaseAction::ClarifyIdentity,
                S::IdentityClarification,
            ),
            (S::InProgress, CaseAction::Answer, S::Answered),
            (S::InProgress, REFUSE_ANY, S::Refused),
            (S::InProgress, CaseAction::Withdraw, S::Withdrawn),
        ];
        for (from, action, to) in allowed {
            assert_eq!(transition(from, k, action), Ok(to), "{from:?} {action:?}");
        }
        // Everything else is refused.
        let mut refused = 0;
        for from in CaseStatus::ALL {
            for action in actions() {
                if allowed.iter().any(|(f, a, _)| *f == from && *a == action) {
                    continue;
                }
                assert!(
                    matches!(
                        transition(from, k, action),
                        Err(CaseError::NotAllowed { .. })
                    ),
                    "{from:?} {action:?}"
                );
                refused += 1;
            }
        }
        assert_eq!(refused, 6 * 6 - allowed.len());
    }

    #[test]
    fn closed_cases_take_no_step() {
        for from in [
            CaseStatus::Answered,
            CaseStatus::Refused,
            CaseStatus::Withdrawn,
        ] {
            assert!(!from.is_open());
            for action in actions() {
                assert!(transition(from, RequestKind::Erasure, action).is_err());
            }
        }
    }

    #[test]
    fn a_refusal_must_cite_a_ground_that_fits_the_kind() {
        let portability_ground = CaseAction::Refuse {
            ground: RefusalGround::PortabilityNotApplicable,
        };
        assert_eq!(
            transition(
                CaseStatus::InProgress,
                RequestKind::Erasure,
                portability_ground
            ),
            Err(CaseError::GroundNotApplicable)
        );
        assert_eq!(
            transition(
                CaseStatus::InProgress,
                RequestKind::Portability,
                portability_ground
            ),
            Ok(CaseStatus::Refused)
        );
    }

    #[test]
    fn identity_clarification_pauses_the_clock_and_confirmation_resumes_it() {
        let mut case = CaseFile::new(RequestKind::Access, d(2027, 3, 1), true);
        case.apply(CaseAction::ClarifyIdentity, d(2027, 3, 3))
            .unwrap();
        assert!(case.clock.is_paused());
        case.apply(CaseAction::IdentityConfirmed, d(2027, 3, 10))
            .unwrap();
        assert!(!case.clock.is_paused());
        assert_eq!(case.status, CaseStatus::InProgress);
        assert_eq!(case.clock.due(d(2027, 3, 11)), d(2027, 4, 8));
    }

    #[test]
    fn a_withdrawal_during_clarification_closes_the_pause() {
        let mut case = CaseFile::new(RequestKind::Access, d(2027, 3, 1), true);
        case.apply(CaseAction::ClarifyIdentity, d(2027, 3, 3))
            .unwrap();
        case.apply(CaseAction::Withdraw, d(2027, 3, 5)).unwrap();
        assert!(!case.clock.is_paused());
        assert_eq!(case.clock.paused_days(d(2027, 5, 1)), 2);
    }

    #[test]
    fn a_closed_case_cannot_be_extended() {
        let mut case = CaseFile::new(RequestKind::Access, d(2027, 3, 1), true);
        case.apply(CaseAction::Start, d(2027, 3, 2)).unwrap();
        case.apply(CaseAction::Answer, d(2027, 3, 3)).unwrap();
        assert_eq!(
            case.extend(1, "Mange fagsystemer må gjennomgås.", d(2027, 3, 4)),
            Err(CaseError::Closed)
        );
    }

    #[test]
    fn the_offered_steps_follow_status_and_clock() {
        let mut case = CaseFile::new(RequestKind::Access, d(2027, 3, 1), true);
        assert_eq!(
            case.allowed_actions(d(2027, 3, 2)),
            ["start", "clarify_identity", "refuse", "withdraw", "extend"]
        );
        // After the first month no extension is offered.
        assert!(!case.allowed_actions(d(2027, 4, 2)).contains(&"extend"));
        case.apply(CaseAction::Start, d(2027, 3, 2)).unwrap();
        case.apply(CaseAction::Answer, d(2027, 3, 3)).unwrap();
        assert!(case.allowed_actions(d(2027, 3, 3)).is_empty());
    }

    fn any_action() -> impl Strategy<Value = CaseAction> {
        prop_oneof![
            Just(CaseAction::Start),
            Just(CaseAction::ClarifyIdentity),
            Just(CaseAction::IdentityConfirmed),
            Just(CaseAction::Answer),
            Just(CaseAction::Withdraw),
            (0usize..RefusalGround::ALL.len()).prop_map(|i| CaseAction::Refuse {
                ground: RefusalGround::ALL[i]
            }),
        ]
    }

    proptest! {
        #[test]
        fn the_clock_is_paused_exactly_while_identity_is_clarified(
            kind in 0usize..RequestKind::ALL.len(),
            steps in proptest::collection::vec((0i64..20, any_action()), 0..12),
        ) {
            let kind = RequestKind::ALL[kind];
            let mut case = CaseFile::new(kind, d(2027, 1, 31), true);
            let mut today = d(2027, 1, 31);
            for (advance, action) in steps {
                today += chrono::Duration::days(advance);
                let before = case.clone();
                match case.apply(action, today) {
                    Ok(()) => {
                        prop_assert!(before.status.is_open());
                        if case.status == CaseStatus::Answered {
                            prop_assert_eq!(before.status, CaseStatus::InProgress);
                        }
                    }
                    Err(_) => prop_assert_eq!(&case, &before),
                }
                prop_assert_eq!(
                    case.clock.is_paused(),
                    case.status == CaseStatus::IdentityClarification
                );
            }
        }
    }
}
