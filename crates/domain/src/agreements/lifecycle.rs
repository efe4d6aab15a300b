//! The life of a data processing agreement: drafted by the controller, sent to the
//! processor, signed by both parties, and in force until a successor supersedes it, a party
//! terminates it or its end date passes. Any other step is refused.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::Permission;

/// Where an agreement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgreementStatus {
    /// Being written; the text may change freely.
    Draft,
    /// Sent for signature; nobody has signed the current version yet.
    Sent,
    /// One party has signed the current version; the other has not.
    PartiallySigned,
    /// Both parties have signed the current version: in force.
    Active,
    /// Replaced by a newer agreement between the same parties that is now in force.
    Superseded,
    /// Ended by a party (or withdrawn before it came into force).
    Terminated,
    /// Its end date has passed.
    Expired,
}

impl AgreementStatus {
    pub const ALL: [Self; 7] = [
        Self::Draft,
        Self::Sent,
        Self::PartiallySigned,
        Self::Active,
        Self::Superseded,
        Self::Terminated,
        Self::Expired,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Sent => "sent",
            Self::PartiallySigned => "partially_signed",
            Self::Active => "active",
            Self::Superseded => "superseded",
            Self::Terminated => "terminated",
            Self::Expired => "expired",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == input)
    }

    /// No step leads out of these.
    pub const fn is_final(self) -> bool {
        matches!(self, Self::Superseded | Self::Terminated | Self::Expired)
    }

    /// Waiting for signatures.
    pub const fn awaits_signature(self) -> bool {
        matches!(self, Self::Sent | Self::PartiallySigned)
    }

    /// The text may be changed (which makes a new version and voids earlier signatures).
    pub const fn is_revisable(self) -> bool {
        matches!(self, Self::Draft | Self::Sent | Self::PartiallySigned)
    }

    /// The processor sees the agreement once it has been sent; a draft is the controller's
    /// own work.
    pub const fn shown_to_processor(self) -> bool {
        !matches!(self, Self::Draft)
    }
}

/// A party to an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Controller,
    Processor,
}

/// What a member of `party` needs to end an agreement in `status`: an agreement in force
/// is ended by a signatory of either party; one not yet in force is withdrawn by the
/// controller's drafter. `None`: this party cannot end it (the processor before it is in
/// force) — or nobody can, because it has ended already.
pub const fn termination_permission(status: AgreementStatus, party: Party) -> Option<Permission> {
    match (status, party) {
        (AgreementStatus::Active, _) => Some(Permission::SignAgreements),
        (s, Party::Controller) if s.is_revisable() => Some(Permission::DraftAgreements),
        _ => None,
    }
}

/// Whether a newly active agreement replaces an older active one between the same parties:
/// when they cover any system in common.
pub fn supersedes(new_systems: &[Uuid], older_systems: &[Uuid]) -> bool {
    older_systems.iter().any(|s| new_systems.contains(s))
}

/// What happens to an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgreementEvent {
    /// The controller sends the current version for signature.
    Send,
    /// The text changes: a new version, back to draft; earlier signatures no longer count.
    Revise,
    /// A party's signatory signs the current version; `completes` when the other party has
    /// signed it already.
    Sign { completes: bool },
    /// A newer agreement between the same parties came into force.
    Supersede,
    /// A party ends it — or the controller withdraws it before it came into force.
    Terminate,
    /// Its end date passed.
    Expire,
}

impl AgreementEvent {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Send => "send",
            Self::Revise => "revise",
            Self::Sign { .. } => "sign",
            Self::Supersede => "supersede",
            Self::Terminate => "terminate",
            Self::Expire => "expire",
        }
    }
}

/// A refused step: the agreement's state does not allow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefusedTransition {
    pub from: AgreementStatus,
    pub event: AgreementEvent,
}

/// The state after `event`, or why not.
pub fn transition(
    from: AgreementStatus,
    event: AgreementEvent,
) -> Result<AgreementStatus, RefusedTransition> {
    use AgreementEvent as E;
    use AgreementStatus as S;
    let to = match (from, event) {
        (S::Draft, E::Send) => S::Sent,
        (S::Draft | S::Sent | S::PartiallySigned, E::Revise) => S::Draft,
        (S::Sent, E::Sign { completes: false }) => S::PartiallySigned,
        (S::PartiallySigned, E::Sign { completes: true }) => S::Active,
        (S::Active, E::Supersede) => S::Superseded,
        (S::Draft | S::Sent | S::PartiallySigned | S::Active, E::Terminate) => S::Terminated,
        (S::Active, E::Expire) => S::Expired,
        _ => return Err(RefusedTransition { from, event }),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use AgreementEvent as E;
    use AgreementStatus as S;

    const EVENTS: [AgreementEvent; 7] = [
        E::Send,
        E::Revise,
        E::Sign { completes: false },
        E::Sign { completes: true },
        E::Supersede,
        E::Terminate,
        E::Expire,
    ];

    /// The whole table: every (state, event) pair, allowed ones with their target.
    fn expected(from: S, event: E) -> Option<S> {
        match (from, event) {
            (S::Draft, E::Send) => Some(S::Sent),
            (S::Draft, E::Revise) => Some(S::Draft),
            (S::Draft, E::Terminate) => Some(S::Terminated),
            (S::Sent, E::Revise) => Some(S::Draft),
            (S::Sent, E::Sign { completes: false }) => Some(S::PartiallySigned),
            (S::Sent, E::Terminate) => Some(S::Terminated),
            (S::PartiallySigned, E::Revise) => Some(S::Draft),
            (S::PartiallySigned, E::Sign { completes: true }) => Some(S::Active),
            (S::PartiallySigned, E::Terminate) => Some(S::Terminated),
            (S::Active, E::Supersede) => Some(S::Superseded),
            (S::Active, E::Terminate) => Some(S::Terminated),
            (S::Active, E::Expire) => Some(S::Expired),
            _ => None,
        }
    }

    #[test]
    fn every_allowed_and_refused_transition() {
        let mut allowed = 0;
        for from in S::ALL {
            for event in EVENTS {
                let got = transition(from, event);
                match expected(from, event) {
                    Some(to) => {
                        allowed += 1;
                        assert_eq!(got, Ok(to), "{from:?} + {event:?}");
                    }
                    None => assert_eq!(
                        got,
                        Err(RefusedTransition { from, event }),
                        "{from:?} + {event:?} must be refused"
                    ),
                }
            }
        }
        assert_eq!(allowed, 12);
    }

    #[test]
    fn final_states_allow_nothing() {
        for from in S::ALL.into_iter().filter(|s| s.is_final()) {
            for event in EVENTS {
                assert!(transition(from, event).is_err(), "{from:?} + {event:?}");
            }
        }
    }

    #[test]
    fn a_first_signature_cannot_complete_and_a_second_must() {
        assert!(transition(S::Sent, E::Sign { completes: true }).is_err());
        assert!(transition(S::PartiallySigned, E::Sign { completes: false }).is_err());
        assert!(transition(S::Draft, E::Sign { completes: false }).is_err());
    }

    #[test]
    fn who_may_end_an_agreement() {
        use Party::{Controller, Processor};
        assert_eq!(
            termination_permission(S::Active, Controller),
            Some(Permission::SignAgreements)
        );
        assert_eq!(
            termination_permission(S::Active, Processor),
            Some(Permission::SignAgreements)
        );
        for s in [S::Draft, S::Sent, S::PartiallySigned] {
            assert_eq!(
                termination_permission(s, Controller),
                Some(Permission::DraftAgreements)
            );
            assert_eq!(termination_permission(s, Processor), None);
        }
        for s in S::ALL.into_iter().filter(|s| s.is_final()) {
            assert_eq!(termination_permission(s, Controller), None);
        }
        // Whoever may end it, the state machine allows it.
        for s in S::ALL {
            if termination_permission(s, Controller).is_some() {
                assert!(transition(s, E::Terminate).is_ok(), "{s:?}");
            }
        }
    }

    #[test]
    fn only_drafts_are_hidden_from_the_processor() {
        let hidden: Vec<S> = S::ALL
            .into_iter()
            .filter(|s| !s.shown_to_processor())
            .collect();
        assert_eq!(hidden, vec![S::Draft]);
    }

    #[test]
    fn an_agreement_supersedes_one_covering_a_same_system() {
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        assert!(supersedes(&[a, b], &[b, c]));
        assert!(!supersedes(&[a], &[b, c]));
        assert!(!supersedes(&[], &[]));
    }

    #[test]
    fn status_names_round_trip() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
        assert_eq!(S::parse("signed"), None);
    }

    proptest! {
        /// Along any sequence of events, an agreement becomes active only through two
        /// signatures of one version (no revision between them), and never leaves a final
        /// state.
        #[test]
        fn active_needs_two_signatures_of_one_version(events in prop::collection::vec(0usize..7, 0..40)) {
            let mut state = S::Draft;
            let mut signatures_since_revision = 0;
            for i in events {
                let event = EVENTS[i];
                match transition(state, event) {
                    Ok(next) => {
                        prop_assert!(!state.is_final());
                        match event {
                            E::Revise => signatures_since_revision = 0,
                            E::Sign { .. } => signatures_since_revision += 1,
                            _ => {}
                        }
                        if next == S::Active && state != S::Active {
                            prop_assert_eq!(signatures_since_revision, 2);
                        }
                        state = next;
                    }
                    Err(refused) => prop_assert_eq!(refused.from, state),
                }
            }
        }
    }
}
