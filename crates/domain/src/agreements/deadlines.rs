//! What an organisation must do about its agreements, and by when: sign what it has been
//! sent (by the campaign's deadline, if any), countersign what the other party has signed,
//! review its active agreements by their review date, and see agreements about to run out.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::lifecycle::{AgreementStatus, Party};
use super::view::AgreementParty;

/// Agreements whose review or end falls within this many days are "due soon".
pub const SOON_DAYS: i64 = 30;

/// What has to be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Sign an agreement the organisation has not signed yet.
    Sign,
    /// Review an active agreement (the controller's review date).
    Review,
    /// An active agreement ends on this day: renew it or let it go.
    Expiry,
}

impl DeadlineKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Sign => "sign",
            Self::Review => "review",
            Self::Expiry => "expiry",
        }
    }
}

/// How close the day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// The day has passed.
    Overdue,
    /// Within `SOON_DAYS` (today included).
    Soon,
    /// Later, or no day set.
    Later,
}

/// What the organisation knows about one of its agreements, as far as deadlines go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineFacts {
    pub status: AgreementStatus,
    /// The organisation's side.
    pub side: Party,
    /// Whether the organisation has signed the version in force.
    pub signed_by_us: bool,
    /// The campaign's deadline, when the agreement came with one.
    pub sign_by: Option<NaiveDate>,
    pub review_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementDeadline {
    pub agreement_id: Uuid,
    pub title: String,
    /// The other party.
    pub counterparty: AgreementParty,
    pub kind: DeadlineKind,
    /// By when; `null` when no day is set (an agreement to sign without a deadline).
    pub due: Option<NaiveDate>,
    pub urgency: Urgency,
    /// Days from today to `due` (negative when overdue).
    pub days_left: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementDeadlinePage {
    pub items: Vec<AgreementDeadline>,
    pub next_cursor: Option<String>,
}

pub fn urgency(due: Option<NaiveDate>, today: NaiveDate) -> Urgency {
    match due {
        Some(day) if day < today => Urgency::Overdue,
        Some(day) if (day - today).num_days() <= SOON_DAYS => Urgency::Soon,
        _ => Urgency::Later,
    }
}

/// The things to do about one agreement: sign it (the processor once it is sent, the
/// controller once the processor has signed — whoever has not signed the version in
/// force), review it (the controller's active agreement with a review date), and its end
/// (active, with an end date).
pub fn deadlines(f: &DeadlineFacts) -> Vec<(DeadlineKind, Option<NaiveDate>)> {
    use AgreementStatus as S;
    let mut out = Vec::new();
    // The processor signs what it is sent; the controller countersigns once the processor
    // has signed (until then it waits on the processor, and a campaign's sender would
    // otherwise see every recipient's agreement as its own task).
    let to_sign = match f.side {
        Party::Processor => matches!(f.status, S::Sent | S::PartiallySigned),
        Party::Controller => f.status == S::PartiallySigned,
    };
    if to_sign && !f.signed_by_us {
        out.push((DeadlineKind::Sign, f.sign_by));
    }
    if f.status == S::Active {
        if f.side == Party::Controller
            && let Some(day) = f.review_date
        {
            out.push((DeadlineKind::Review, Some(day)));
        }
        if let Some(day) = f.end_date {
            out.push((DeadlineKind::Expiry, Some(day)));
        }
    }
    out
}

/// The order of the list: by day (none last), then by kind and agreement.
pub fn sort_key(d: &AgreementDeadline) -> (NaiveDate, DeadlineKind, Uuid) {
    (d.due.unwrap_or(NaiveDate::MAX), d.kind, d.agreement_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn facts(status: AgreementStatus, side: Party) -> DeadlineFacts {
        DeadlineFacts {
            status,
            side,
            signed_by_us: false,
            sign_by: Some(day(2027, 1, 15)),
            review_date: Some(day(2027, 6, 1)),
            end_date: Some(day(2028, 12, 31)),
        }
    }

    #[test]
    fn what_is_sent_to_us_is_to_be_signed_by_the_campaign_deadline() {
        let f = facts(AgreementStatus::Sent, Party::Processor);
        assert_eq!(
            deadlines(&f),
            vec![(DeadlineKind::Sign, Some(day(2027, 1, 15)))]
        );
        let f = DeadlineFacts { sign_by: None, ..f };
        assert_eq!(deadlines(&f), vec![(DeadlineKind::Sign, None)]);
    }

    #[test]
    fn the_controller_countersigns_once_the_processor_has_signed() {
        assert!(deadlines(&facts(AgreementStatus::Sent, Party::Controller)).is_empty());
        assert_eq!(
            deadlines(&facts(AgreementStatus::PartiallySigned, Party::Controller))[0].0,
            DeadlineKind::Sign
        );
    }

    #[test]
    fn once_we_have_signed_we_wait_for_the_other_party() {
        let f = DeadlineFacts {
            signed_by_us: true,
            ..facts(AgreementStatus::PartiallySigned, Party::Controller)
        };
        assert!(deadlines(&f).is_empty());
        let f = facts(AgreementStatus::PartiallySigned, Party::Controller);
        assert_eq!(deadlines(&f)[0].0, DeadlineKind::Sign);
    }

    #[test]
    fn the_controller_reviews_and_both_see_the_end() {
        let f = facts(AgreementStatus::Active, Party::Controller);
        assert_eq!(
            deadlines(&f),
            vec![
                (DeadlineKind::Review, Some(day(2027, 6, 1))),
                (DeadlineKind::Expiry, Some(day(2028, 12, 31)))
            ]
        );
        let f = facts(AgreementStatus::Active, Party::Processor);
        assert_eq!(
            deadlines(&f),
            vec![(DeadlineKind::Expiry, Some(day(2028, 12, 31)))]
        );
    }

    #[test]
    fn drafts_and_ended_agreements_have_no_deadlines() {
        for status in [
            AgreementStatus::Draft,
            AgreementStatus::Superseded,
            AgreementStatus::Terminated,
            AgreementStatus::Expired,
        ] {
            assert!(deadlines(&facts(status, Party::Controller)).is_empty());
        }
    }

    #[test]
    fn urgency_counts_today_as_soon_and_yesterday_as_overdue() {
        let today = day(2027, 3, 1);
        assert_eq!(urgency(Some(day(2027, 2, 28)), today), Urgency::Overdue);
        assert_eq!(urgency(Some(today), today), Urgency::Soon);
        assert_eq!(urgency(Some(day(2027, 3, 31)), today), Urgency::Soon);
        assert_eq!(urgency(Some(day(2027, 4, 1)), today), Urgency::Later);
        assert_eq!(urgency(None, today), Urgency::Later);
    }

    fn any_status() -> impl Strategy<Value = AgreementStatus> {
        proptest::sample::select(AgreementStatus::ALL.to_vec())
    }

    proptest! {
        /// Nothing to sign once signed or once ended; reviews only for the controller of
        /// an active agreement; every deadline but signing has a day.
        #[test]
        fn deadlines_follow_the_status_and_side(
            status in any_status(),
            controller in any::<bool>(),
            signed in any::<bool>(),
            sign_by in proptest::option::of(0u32..400),
            review in proptest::option::of(0u32..400),
            end in proptest::option::of(0u32..400),
        ) {
            let base = day(2027, 1, 1);
            let at = |d: Option<u32>| d.map(|n| base + chrono::Duration::days(i64::from(n)));
            let f = DeadlineFacts {
                status,
                side: if controller { Party::Controller } else { Party::Processor },
                signed_by_us: signed,
                sign_by: at(sign_by),
                review_date: at(review),
                end_date: at(end),
            };
            for (kind, due) in deadlines(&f) {
                match kind {
                    DeadlineKind::Sign => {
                        prop_assert!(!signed);
                        prop_assert!(!status.is_final() && status != AgreementStatus::Draft);
                        prop_assert!(!controller || status == AgreementStatus::PartiallySigned);
                    }
                    DeadlineKind::Review => {
                        prop_assert!(controller && status == AgreementStatus::Active);
                        prop_assert!(due.is_some());
                    }
                    DeadlineKind::Expiry => {
                        prop_assert_eq!(status, AgreementStatus::Active);
                        prop_assert!(due.is_some());
                    }
                }
            }
        }
    }
}
