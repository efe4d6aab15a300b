//! Personal data breaches (GDPR Art. 33–34): the 72-hour clock to notify Datatilsynet, which
//! starts when the organisation became aware; notices given in phases (an initial one, then
//! supplements, Art. 33(4)); a notice after the deadline must say why it is late.

pub mod facts;
pub mod report;
pub mod vendor;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Hours from awareness to the notification deadline (Art. 33(1)).
pub const NOTIFY_WITHIN_HOURS: i64 = 72;
/// With less than this left, the clock is urgent.
pub const URGENT_HOURS: i64 = 24;

/// How a breach affects the data, as Datatilsynet classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BreachClass {
    /// Disclosed to or accessed by someone who should not have it.
    Confidentiality,
    /// Altered without authority.
    Integrity,
    /// Lost, or not reachable when needed.
    Availability,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockUrgency {
    /// More than a day left.
    Running,
    /// A day or less left.
    Urgent,
    /// Past the deadline without a notice.
    Overdue,
    /// Notified (the clock no longer matters).
    Notified,
    /// No notice is due: the breach is unlikely to result in a risk, or the incident is closed.
    NotDue,
}

/// The clock as of a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClockState {
    pub aware_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    /// Whole minutes left (negative when past); `None` once notified.
    pub minutes_left: Option<i64>,
    pub urgency: ClockUrgency,
}

/// The deadline to notify for a breach the organisation became aware of at `aware_at`.
pub fn deadline(aware_at: DateTime<Utc>) -> DateTime<Utc> {
    aware_at + Duration::hours(NOTIFY_WITHIN_HOURS)
}

/// Where the clock stands at `now`, given when (if ever) the first notice went.
pub fn clock(
    aware_at: DateTime<Utc>,
    first_notice: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> ClockState {
    let due = deadline(aware_at);
    if first_notice.is_some() {
        return ClockState {
            aware_at,
            deadline: due,
            minutes_left: None,
            urgency: ClockUrgency::Notified,
        };
    }
    let left = due - now;
    let urgency = if left <= Duration::zero() {
        ClockUrgency::Overdue
    } else if left <= Duration::hours(URGENT_HOURS) {
        ClockUrgency::Urgent
    } else {
        ClockUrgency::Running
    };
    ClockState {
        aware_at,
        deadline: due,
        minutes_left: Some(left.num_minutes()),
        urgency,
    }
}

/// A notice to Datatilsynet: the first, a supplement, or the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticePhase {
    Initial,
    Supplement,
    /// Complete: nothing more will follow.
    Final,
}

impl NoticePhase {
    pub const ALL: [Self; 3] = [Self::Initial, Self::Supplement, Self::Final];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Initial => "initial",
            Self::Supplement => "supplement",
            Self::Final => "final",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    #[error("the first notice must be the initial one, and there is only one")]
    PhaseOrder,
    #[error("the final notice has been given")]
    AfterFinal,
    #[error("a notice cannot come before the organisation became aware")]
    BeforeAwareness,
    #[error("a notice after the 72 hours must say why it is late")]
    LateWithoutReason,
}

impl NoticeError {
    pub const fn code(self) -> &'static str {
        match self {
            Self::PhaseOrder => "phase_order",
            Self::AfterFinal => "after_final",
            Self::BeforeAwareness => "before_awareness",
            Self::LateWithoutReason => "reason_required",
        }
    }
}

/// Checks the next notice against those given (oldest first): the initial one first and
/// once, nothing after the final one, never before awareness, and a reason when the first
/// notice is late. Only the first notice is held to the deadline: supplements may follow
/// as facts come in (Art. 33(4)).
pub fn check_notice(
    aware_at: DateTime<Utc>,
    given: &[NoticePhase],
    next: NoticePhase,
    at: DateTime<Utc>,
    late_reason: Option<&str>,
) -> Result<(), NoticeError> {
    if at < aware_at {
        return Err(NoticeError::BeforeAwareness);
    }
    if given.contains(&NoticePhase::Final) {
        return Err(NoticeError::AfterFinal);
    }
    let first = given.is_empty();
    if first != (next == NoticePhase::Initial) {
        return Err(NoticeError::PhaseOrder);
    }
    if first && at > deadline(aware_at) && late_reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(NoticeError::LateWithoutReason);
    }
    Ok(())
}

/// Why residents were not told of a high-risk breach (Art. 34(3)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResidentNoticeException {
    /// The data were unintelligible to others (encrypted).
    Unintelligible,
    /// Measures taken since mean the high risk is no longer likely.
    RiskNoLongerLikely,
    /// Telling each would take disproportionate effort: a public notice instead.
    PublicNoticeInstead,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn t(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 27, 23, 30, 0).unwrap() + Duration::hours(h)
    }

    #[test]
    fn the_clock_runs_72_hours_from_awareness_across_a_daylight_saving_change() {
        // 29 March 2026 Norway moves to summer time: the law counts hours, not local days.
        let state = clock(t(0), None, t(1));
        assert_eq!(state.deadline, t(72));
        assert_eq!(state.minutes_left, Some(71 * 60));
        assert_eq!(state.urgency, ClockUrgency::Running);
        assert_eq!(clock(t(0), None, t(48)).urgency, ClockUrgency::Urgent);
        assert_eq!(clock(t(0), None, t(72)).urgency, ClockUrgency::Overdue);
        assert_eq!(clock(t(0), None, t(80)).minutes_left, Some(-8 * 60));
        assert_eq!(
            clock(t(0), Some(t(80)), t(90)).urgency,
            ClockUrgency::Notified
        );
    }

    #[test]
    fn notices_come_initial_first_and_late_ones_say_why() {
        assert_eq!(
            check_notice(t(0), &[], NoticePhase::Initial, t(10), None),
            Ok(())
        );
        assert_eq!(
            check_notice(t(0), &[], NoticePhase::Supplement, t(10), None),
            Err(NoticeError::PhaseOrder)
        );
        assert_eq!(
            check_notice(
                t(0),
                &[NoticePhase::Initial],
                NoticePhase::Initial,
                t(10),
                None
            ),
            Err(NoticeError::PhaseOrder)
        );
        assert_eq!(
            check_notice(t(0), &[], NoticePhase::Initial, t(73), None),
            Err(NoticeError::LateWithoutReason)
        );
        assert_eq!(
            check_notice(
                t(0),
                &[],
                NoticePhase::Initial,
                t(73),
                Some("Oppdaget i helgen")
            ),
            Ok(())
        );
        // Supplements are not held to the 72 hours.
        assert_eq!(
            check_notice(
                t(0),
                &[NoticePhase::Initial],
                NoticePhase::Supplement,
                t(200),
                None
            ),
            Ok(())
        );
        assert_eq!(
            check_notice(
                t(0),
                &[NoticePhase::Initial, NoticePhase::Final],
                NoticePhase::Supplement,
                t(200),
                None
            ),
            Err(NoticeError::AfterFinal)
        );
        assert_eq!(
            check_notice(t(0), &[], NoticePhase::Initial, t(-1), None),
            Err(NoticeError::BeforeAwareness)
        );
    }

    proptest! {
        #[test]
        fn the_clock_is_overdue_exactly_after_72_hours(minutes in 0i64..10_000, aware in 0i64..4_000_000_000) {
            let aware_at = Utc.timestamp_opt(aware, 0).unwrap();
            let now = aware_at + Duration::minutes(minutes);
            let state = clock(aware_at, None, now);
            prop_assert_eq!(state.urgency == ClockUrgency::Overdue, minutes >= 72 * 60);
            prop_assert_eq!(state.minutes_left, Some(72 * 60 - minutes));
        }

        #[test]
        fn an_initial_notice_in_time_never_needs_a_reason(minutes in 0i64..=72 * 60) {
            let aware_at = t(0);
            prop_assert!(check_notice(aware_at, &[], NoticePhase::Initial, aware_at + Duration::minutes(minutes), None).is_ok());
        }
    }
}
