//! The time-based work the server does on a schedule, and when each job is next due. Every
//! instance runs the same loop; the database decides which instance runs a due job (a
//! conditional update claims the slot), so each slot runs once however many instances run.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Job {
    /// Purge the contents of closed cases whose answer window has closed.
    PurgeAnswerWindows,
    /// Remind of deadlines: incident clocks, data-subject request deadlines.
    Reminders,
    /// E-mail the notifications their readers want by e-mail.
    Mail,
    /// Record the grants that ran out (end date or access review passed) as expired or
    /// lapsed, each with an audit event. They stopped working at that instant already.
    LapseGrants,
    /// Send webhook deliveries that are due: retries, and any a stopped server left.
    Webhooks,
}

impl Job {
    pub const ALL: [Self; 5] = [
        Self::PurgeAnswerWindows,
        Self::Reminders,
        Self::Mail,
        Self::LapseGrants,
        Self::Webhooks,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Self::PurgeAnswerWindows => "purge_answer_windows",
            Self::Reminders => "reminders",
            Self::Mail => "mail",
            Self::LapseGrants => "lapse_grants",
            Self::Webhooks => "webhooks",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|j| j.name() == s)
    }

    /// How often the job runs.
    pub fn interval(self) -> Duration {
        match self {
            Self::PurgeAnswerWindows => Duration::hours(1),
            Self::Reminders => Duration::minutes(15),
            Self::Mail => Duration::minutes(1),
            Self::LapseGrants => Duration::minutes(5),
            Self::Webhooks => Duration::seconds(30),
        }
    }
}

/// The first slot after `now` on the job's grid (`due` + k·`interval`): a server that was
/// down for a day runs the job once on waking, not once per missed slot.
pub fn next_due(due: DateTime<Utc>, interval: Duration, now: DateTime<Utc>) -> DateTime<Utc> {
    if interval <= Duration::zero() {
        return now;
    }
    if due > now {
        return due;
    }
    let step = interval.num_milliseconds();
    let behind = (now - due).num_milliseconds();
    due + Duration::milliseconds((behind / step + 1) * step)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    #[test]
    fn a_missed_day_runs_once_and_keeps_the_grid() {
        let due = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
        let now = due + Duration::hours(25) + Duration::minutes(20);
        assert_eq!(
            next_due(due, Duration::hours(1), now),
            due + Duration::hours(26)
        );
        assert_eq!(
            next_due(due, Duration::hours(1), due),
            due + Duration::hours(1)
        );
        assert_eq!(
            next_due(due + Duration::hours(2), Duration::hours(1), due),
            due + Duration::hours(2)
        );
        for job in Job::ALL {
            assert_eq!(Job::parse(job.name()), Some(job));
        }
    }

    proptest! {
        #[test]
        fn the_next_slot_is_after_now_on_the_grid_and_within_one_interval(
            behind in 0i64..10_000_000, step in 1i64..1_000_000,
        ) {
            let due = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
            let now = due + Duration::milliseconds(behind);
            let next = next_due(due, Duration::milliseconds(step), now);
            prop_assert!(next > now);
            prop_assert!(next - now <= Duration::milliseconds(step));
            prop_assert_eq!((next - due).num_milliseconds() % step, 0);
        }
    }
}
