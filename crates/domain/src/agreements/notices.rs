//! Sub-processor change notices (Art. 28(2)). Under general authorisation the processor may
//! change its sub-processors after telling the controller, who may object within the notice
//! period the agreement sets. When a vendor changes a product's sub-processors, every
//! controller with an active agreement under general authorisation covering a system on
//! that product gets a notice: what was added and removed, and the deadline. The controller
//! accepts the change or objects (with its reasons) before the deadline.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::terms::{AgreementTerms, Authorisation};
use crate::problem::FieldError;
use crate::register::product::SubProcessor;
use crate::register::{Errors, text};

pub const MAX_REASON: usize = 2000;

/// What changed in a sub-processor list; order is not a change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubProcessorChange {
    pub added: Vec<SubProcessor>,
    pub removed: Vec<SubProcessor>,
}

impl SubProcessorChange {
    pub fn between(before: &[SubProcessor], after: &[SubProcessor]) -> Self {
        Self {
            added: after
                .iter()
                .filter(|s| !before.contains(s))
                .cloned()
                .collect(),
            removed: before
                .iter()
                .filter(|s| !after.contains(s))
                .cloned()
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// The notice period an agreement gives for a change to `product`'s sub-processors: only
/// an agreement under general authorisation whose systems run on the product gets a
/// notice (under specific authorisation a new sub-processor needs its own approval). An
/// agreement in force under general authorisation always has a notice period (sending
/// requires it); 30 days stands in should one lack it.
pub fn notice_period(
    terms: &AgreementTerms,
    covered_products: &[Uuid],
    product: Uuid,
) -> Option<u32> {
    (terms.authorisation == Authorisation::General && covered_products.contains(&product))
        .then(|| terms.notice_period_days.unwrap_or(DEFAULT_NOTICE_DAYS))
}

pub const DEFAULT_NOTICE_DAYS: u32 = 30;

/// The last moment the controller may object.
pub fn objection_deadline(notified_at: DateTime<Utc>, notice_period_days: u32) -> DateTime<Utc> {
    notified_at + Duration::days(i64::from(notice_period_days))
}

/// Where a notice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    /// Awaiting the controller.
    Open,
    Accepted,
    Objected,
}

impl NoticeStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Accepted => "accepted",
            Self::Objected => "objected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Open, Self::Accepted, Self::Objected]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// The controller's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeAnswer {
    Accept,
    Object,
}

/// Why an answer is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerRefusal {
    /// Answered already.
    Decided,
    /// An objection after the deadline is too late; the change stands.
    DeadlinePassed,
}

/// The status after the controller's answer at `now`. Accepting is possible while the
/// notice is open; objecting only until the deadline.
pub fn answer(
    status: NoticeStatus,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
    answer: NoticeAnswer,
) -> Result<NoticeStatus, AnswerRefusal> {
    if status != NoticeStatus::Open {
        return Err(AnswerRefusal::Decided);
    }
    match answer {
        NoticeAnswer::Accept => Ok(NoticeStatus::Accepted),
        NoticeAnswer::Object if now <= deadline => Ok(NoticeStatus::Objected),
        NoticeAnswer::Object => Err(AnswerRefusal::DeadlinePassed),
    }
}

/// An objection's reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Objection {
    /// Why the controller objects, for the processor.
    pub reason: String,
}

pub fn check_objection(o: &Objection) -> Result<Objection, Vec<FieldError>> {
    let mut e = Errors::default();
    let reason = text(&mut e, "reason", &o.reason, true, MAX_REASON).unwrap_or_default();
    e.finish(Objection { reason })
}

/// A notice as both parties see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeNotice {
    pub id: Uuid,
    pub agreement_id: Uuid,
    pub product_id: Uuid,
    pub product_name: String,
    pub change: SubProcessorChange,
    pub notified_at: DateTime<Utc>,
    pub objection_deadline: DateTime<Utc>,
    pub status: NoticeStatus,
    /// The controller's reasons, when it objected.
    pub reason: String,
    pub decided_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    fn sp(name: &str) -> SubProcessor {
        SubProcessor {
            name: name.into(),
            org_number: None,
            country: "NO".into(),
            service: "drift".into(),
            transfer_mechanism: None,
        }
    }

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, day, 12, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn the_change_names_what_was_added_and_removed() {
        let change = SubProcessorChange::between(&[sp("A"), sp("B")], &[sp("B"), sp("C")]);
        assert_eq!(change.added, vec![sp("C")]);
        assert_eq!(change.removed, vec![sp("A")]);
        assert!(SubProcessorChange::between(&[sp("A"), sp("B")], &[sp("B"), sp("A")]).is_empty());
    }

    #[test]
    fn only_general_authorisation_on_the_product_gets_a_notice() {
        let mut terms = crate::agreements::terms::tests::sample_terms();
        let (p, q) = (Uuid::from_u128(7), Uuid::from_u128(8));
        assert_eq!(notice_period(&terms, &[p], p), Some(30));
        assert_eq!(notice_period(&terms, &[q], p), None);
        terms.notice_period_days = Some(14);
        assert_eq!(notice_period(&terms, &[p, q], p), Some(14));
        terms.authorisation = Authorisation::Specific;
        assert_eq!(notice_period(&terms, &[p], p), None);
    }

    #[test]
    fn the_deadline_is_the_notice_period_after_the_notice() {
        assert_eq!(objection_deadline(at(1), 14), at(15));
    }

    #[test]
    fn objections_only_until_the_deadline_and_only_once() {
        let deadline = at(15);
        assert_eq!(
            answer(NoticeStatus::Open, deadline, at(15), NoticeAnswer::Object),
            Ok(NoticeStatus::Objected)
        );
        assert_eq!(
            answer(NoticeStatus::Open, deadline, at(16), NoticeAnswer::Object),
            Err(AnswerRefusal::DeadlinePassed)
        );
        assert_eq!(
            answer(NoticeStatus::Open, deadline, at(16), NoticeAnswer::Accept),
            Ok(NoticeStatus::Accepted)
        );
        for decided in [NoticeStatus::Accepted, NoticeStatus::Objected] {
            for a in [NoticeAnswer::Accept, NoticeAnswer::Object] {
                assert_eq!(
                    answer(decided, deadline, at(2), a),
                    Err(AnswerRefusal::Decided)
                );
            }
        }
    }

    #[test]
    fn an_objection_needs_reasons() {
        assert!(
            check_objection(&Objection {
                reason: "  ".into()
            })
            .is_err()
        );
        assert_eq!(
            check_objection(&Objection {
                reason: " Overføring til USA ".into()
            })
            .map(|o| o.reason),
            Ok("Overføring til USA".to_owned())
        );
    }

    proptest! {
        /// Applying the change to the old list gives the new one (as sets).
        #[test]
        fn the_change_is_exact(before in prop::collection::btree_set("[A-F]", 0..6), after in prop::collection::btree_set("[A-F]", 0..6)) {
            let b: Vec<SubProcessor> = before.iter().map(|n| sp(n)).collect();
            let a: Vec<SubProcessor> = after.iter().map(|n| sp(n)).collect();
            let change = SubProcessorChange::between(&b, &a);
            let mut applied: Vec<SubProcessor> = b.into_iter().filter(|s| !change.removed.contains(s)).collect();
            applied.extend(change.added.clone());
            applied.sort();
            let mut expected = a.clone();
            expected.sort();
            prop_assert_eq!(applied, expected);
        }
    }
}
