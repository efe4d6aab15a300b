//! The audit log's hash chain. Each organisation's events form a chain: an event's hash
//! covers its own fields and the previous event's hash, so changing, removing or reordering
//! any stored event breaks every link after it. `verify` finds the first broken link.
//!
//! Free text has no place here: actions are codes (`organization.created`), targets are a
//! type and an id. Personal data never enters an event.

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::OrganizationId;

/// The hash before the first event of a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Bumped if the canonical form ever changes; old events keep verifying under their own.
pub const CHAIN_VERSION: u8 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    User,
    ApiClient,
    /// Vern itself: the scheduler, start-up seeding.
    System,
    /// A resident logged in to the portal; the actor id is their login session, never who
    /// they are.
    Resident,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    Denied,
    Failed,
}

/// What happened, before it is sealed into the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditDraft {
    pub organization_id: Option<OrganizationId>,
    pub actor_kind: ActorKind,
    pub actor_id: Option<Uuid>,
    /// A code such as `auth.login` or `role.granted`; never free text.
    pub action: &'static str,
    pub target_type: &'static str,
    pub target_id: Option<String>,
    pub request_id: Option<String>,
    pub outcome: Outcome,
}

/// A sealed event as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditRecord {
    pub id: Uuid,
    pub organization_id: Option<OrganizationId>,
    /// 1, 2, 3, … within the organisation's chain.
    pub sequence: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_kind: ActorKind,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub request_id: Option<String>,
    pub outcome: Outcome,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRecord {
    /// Seals a draft after `previous` (None: the first event of the chain). Time is kept to
    /// the microsecond, the precision every supported database stores.
    pub fn seal(
        draft: AuditDraft,
        id: Uuid,
        previous: Option<(i64, &str)>,
        now: DateTime<Utc>,
    ) -> Self {
        let (sequence, prev_hash) = match previous {
            Some((seq, hash)) => (seq + 1, hash.to_owned()),
            None => (1, GENESIS.to_owned()),
        };
        let mut record = Self {
            id,
            organization_id: draft.organization_id,
            sequence,
            occurred_at: now.trunc_subsecs(6),
            actor_kind: draft.actor_kind,
            actor_id: draft.actor_id,
            action: draft.action.to_owned(),
            target_type: draft.target_type.to_owned(),
            target_id: draft.target_id,
            request_id: draft.request_id,
            outcome: draft.outcome,
            prev_hash,
            hash: String::new(),
        };
        record.hash = record.compute_hash();
        record
    }

    /// SHA-256 over an unambiguous encoding (a JSON array in fixed order) of every field
    /// but the hash itself.
    pub fn compute_hash(&self) -> String {
        let canonical = serde_json::json!([
            CHAIN_VERSION,
            self.id,
            self.organization_id,
            self.sequence,
            self.occurred_at
                .to_rfc3339_opts(SecondsFormat::Micros, true),
            self.actor_kind,
            self.actor_id,
            self.action,
            self.target_type,
            self.target_id,
            self.request_id,
            self.outcome,
            self.prev_hash,
        ]);
        let digest = Sha256::digest(canonical.to_string().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The first link that does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrokenLink {
    /// The sequence number where the chain breaks.
    pub sequence: i64,
    pub reason: BreakReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BreakReason {
    /// The event's fields do not match its hash: it was changed.
    Altered,
    /// The event does not point at the one before it: one was removed or reordered.
    Unlinked,
    /// A sequence number is missing or repeated.
    Gap,
}

/// Checks a chain given in sequence order.
pub fn verify<'a>(events: impl IntoIterator<Item = &'a AuditRecord>) -> Result<u64, BrokenLink> {
    let mut expected_prev = GENESIS.to_owned();
    let mut count: u64 = 0;
    for (expected_seq, event) in (1_i64..).zip(events) {
        if event.sequence != expected_seq {
            return Err(BrokenLink {
                sequence: expected_seq,
                reason: BreakReason::Gap,
            });
        }
        if event.compute_hash() != event.hash {
            return Err(BrokenLink {
                sequence: event.sequence,
                reason: BreakReason::Altered,
            });
        }
        if event.prev_hash != expected_prev {
            return Err(BrokenLink {
                sequence: event.sequence,
                reason: BreakReason::Unlinked,
            });
        }
        expected_prev.clone_from(&event.hash);
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn draft(i: u32) -> AuditDraft {
        AuditDraft {
            organization_id: Some(OrganizationId::from_uuid(Uuid::from_u128(7))),
            actor_kind: if i.is_multiple_of(2) {
                ActorKind::User
            } else {
                ActorKind::System
            },
            actor_id: Some(Uuid::from_u128(u128::from(i))),
            action: ["auth.login", "role.granted", "member.invited"][(i % 3) as usize],
            target_type: "user",
            target_id: Some(format!("t{i}")),
            request_id: None,
            outcome: Outcome::Success,
        }
    }

    fn chain(n: u32) -> Vec<AuditRecord> {
        let start = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let mut events: Vec<AuditRecord> = Vec::new();
        for i in 0..n {
            let previous = events.last().map(|e| (e.sequence, e.hash.as_str()));
            let at = start + chrono::Duration::nanoseconds(i64::from(i) * 1_234_567_891);
            events.push(AuditRecord::seal(
                draft(i),
                Uuid::from_u128(u128::from(i) + 100),
                previous,
                at,
            ));
        }
        events
    }

    #[test]
    fn a_fresh_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(5));
        assert_eq!(verify(&chain(0)), Ok(0));
        assert_eq!(chain(1)[0].prev_hash, GENESIS);
    }

    #[test]
    fn time_is_kept_to_the_microsecond() {
        let e = &chain(3)[2];
        assert_eq!(e.occurred_at.timestamp_subsec_nanos() % 1000, 0);
    }

    #[test]
    fn removing_or_reordering_an_event_is_detected() {
        let mut events = chain(5);
        events.remove(2);
        assert_eq!(
            verify(&events),
            Err(BrokenLink {
                sequence: 3,
                reason: BreakReason::Gap
            })
        );
        let mut events = chain(5);
        events.swap(1, 2);
        assert!(verify(&events).is_err());
        // Renumbering after a removal still breaks the link.
        let mut events = chain(5);
        events.remove(2);
        for (i, e) in events.iter_mut().enumerate() {
            e.sequence = i as i64 + 1;
        }
        assert!(verify(&events).is_err());
    }

    proptest! {
        #[test]
        fn changing_any_field_of_any_event_is_detected(n in 1u32..12, index in 0usize..12, field in 0u8..9) {
            let mut events = chain(n);
            let i = index % events.len();
            let e = &mut events[i];
            match field {
                0 => e.action.push('x'),
                1 => e.target_type = "system".to_owned(),
                2 => e.target_id = None,
                3 => e.actor_id = Some(Uuid::from_u128(999)),
                4 => e.occurred_at += chrono::Duration::microseconds(1),
                5 => e.outcome = Outcome::Denied,
                6 => e.organization_id = None,
                7 => e.request_id = Some("forged".to_owned()),
                _ => e.actor_kind = ActorKind::ApiClient,
            }
            let broken = verify(&events).unwrap_err();
            prop_assert_eq!(broken.sequence, i as i64 + 1);
            prop_assert_eq!(broken.reason, BreakReason::Altered);
        }

        #[test]
        fn rehashing_a_changed_event_breaks_the_next_link(n in 2u32..12, index in 0usize..11) {
            let mut events = chain(n);
            let i = index % (events.len() - 1);
            events[i].action = "forged.action".to_owned();
            events[i].hash = events[i].compute_hash();
            let broken = verify(&events).unwrap_err();
            prop_assert_eq!(broken, BrokenLink { sequence: i as i64 + 2, reason: BreakReason::Unlinked });
        }
    }
}
