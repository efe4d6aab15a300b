//! The statutory clock of a data-subject request (GDPR Art. 12(3)).
//!
//! - One month from receipt, counted as Regulation 1182/71 Art. 3(2)(c) counts months: the
//!   period ends on the day of the next month with the same number as the day of receipt, or
//!   on that month's last day where there is no such day (31 January → 28 or 29 February).
//! - Days are Oslo calendar days ([`crate::calendar::oslo_date`]).
//! - The time may be extended by up to two further months (three in all) for complex or
//!   numerous requests, with reasons, and only while the first month runs — the resident must
//!   be told within it.
//! - While the controller waits for the requester to establish their identity (Art. 12(6)),
//!   the clock may stand still. Whether it does is the organisation's choice (EDPB Guidelines
//!   01/2022 leave room); every pause is recorded, so the deadline can always be explained.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Open requests whose deadline is this many days away or fewer are "due soon".
pub const WARN_DAYS: i64 = 7;
/// The most the deadline may be extended, in months (Art. 12(3)).
pub const MAX_EXTENSION_MONTHS: u8 = 2;
/// The shortest explanation accepted for an extension: the resident must understand why.
pub const MIN_REASON_CHARS: usize = 20;

/// `date` plus `months` calendar months, per Regulation 1182/71: the same day number, or the
/// last day of the month where that day does not exist.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    // chrono clamps to the month's last day, which is exactly the regulation's rule. The
    // fallback is only reachable at the end of chrono's calendar (year 262143).
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// A period in which the clock stood still, from `from` until `until` (the day the clock
/// started again); `until` is `None` while it still stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pause {
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl Pause {
    /// Whole days the clock stood still, as of `today` for a pause still open.
    pub fn days(&self, today: NaiveDate) -> i64 {
        let end = self.until.unwrap_or(today);
        (end - self.from).num_days().max(0)
    }
}

/// Everything the deadline depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Clock {
    /// The Oslo day the request was received.
    pub received: NaiveDate,
    /// Months added by extension (0, 1 or 2).
    pub extension_months: u8,
    /// Whether identity clarification stops the clock (the organisation's policy when the
    /// request was received).
    pub pause_stops_clock: bool,
    pub pauses: Vec<Pause>,
}

/// How close the deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeadlineUrgency {
    /// The deadline has passed.
    Overdue,
    /// `WARN_DAYS` or fewer left (the deadline day itself included).
    DueSoon,
    OnTrack,
    /// The clock stands still while identity is clarified.
    Paused,
}

/// The deadline as of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadlineState {
    /// The last day to answer.
    pub due: NaiveDate,
    /// Days from today to the due day: 0 on the day itself, negative once passed.
    pub days_left: i64,
    pub urgency: DeadlineUrgency,
    /// The last day on which the deadline may still be extended; `None` once it has been
    /// extended as far as the law allows.
    pub extendable_until: Option<NaiveDate>,
    /// Days the clock has stood still so far.
    pub paused_days: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ExtensionError {
    #[error("an extension is one or two months, and three months in all is the most")]
    TooLong,
    #[error("the deadline can only be extended while the first month runs")]
    TooLate,
    #[error("an extension needs reasons the resident can understand")]
    ReasonsMissing,
}

impl ExtensionError {
    pub const fn code(self) -> &'static str {
        match self {
            Self::TooLong => "extension_too_long",
            Self::TooLate => "extension_too_late",
            Self::ReasonsMissing => "extension_reasons_missing",
        }
    }
}

impl Clock {
    pub fn new(received: NaiveDate, pause_stops_clock: bool) -> Self {
        Self {
            received,
            extension_months: 0,
            pause_stops_clock,
            pauses: Vec::new(),
        }
    }

    /// Whether a pause is open.
    pub fn is_paused(&self) -> bool {
        self.pauses.iter().any(|p| p.until.is_none())
    }

    /// Days by which pauses push the deadline (none when the policy keeps the clock running).
    pub fn paused_days(&self, today: NaiveDate) -> i64 {
        if !self.pause_stops_clock {
            return 0;
        }
        self.pauses.iter().map(|p| p.days(today)).sum()
    }

    /// The end of the first month (moved by pauses): the last day to extend or refuse.
    pub fn first_month_ends(&self, today: NaiveDate) -> NaiveDate {
        add_months(self.received, 1) + chrono::Duration::days(self.paused_days(today))
    }

    /// The last day to answer.
    pub fn due(&self, today: NaiveDate) -> NaiveDate {
        add_months(self.received, 1 + u32::from(self.extension_months))
            + chrono::Duration::days(self.paused_days(today))
    }

    pub fn state(&self, today: NaiveDate) -> DeadlineState {
        let due = self.due(today);
        let days_left = (due - today).num_days();
        let paused = self.pause_stops_clock && self.is_paused();
        let urgency = if paused {
            DeadlineUrgency::Paused
        } else if days_left < 0 {
            DeadlineUrgency::Overdue
        } else if days_left <= WARN_DAYS {
            DeadlineUrgency::DueSoon
        } else {
            DeadlineUrgency::OnTrack
        };
        let first = self.first_month_ends(today);
        let extendable_until =
            (self.extension_months < MAX_EXTENSION_MONTHS && today <= first).then_some(first);
        DeadlineState {
            due,
            days_left,
            urgency,
            extendable_until,
            paused_days: self.paused_days(today),
        }
    }

    /// Checks an extension by `months` with `reasons` on `today`.
    pub fn check_extension(
        &self,
        months: u8,
        reasons: &str,
        today: NaiveDate,
    ) -> Result<(), ExtensionError> {
        if months == 0 || self.extension_months + months > MAX_EXTENSION_MONTHS {
            return Err(ExtensionError::TooLong);
        }
        if today > self.first_month_ends(today) {
            return Err(ExtensionError::TooLate);
        }
        if reasons.trim().chars().count() < MIN_REASON_CHARS {
            return Err(ExtensionError::ReasonsMissing);
        }
        Ok(())
    }

    /// Extends the deadline; call [`Clock::check_extension`] first.
    pub fn extend(&mut self, months: u8) {
        self.extension_months = (self.extension_months + months).min(MAX_EXTENSION_MONTHS);
    }

    /// Stops the clock from `today` (no-op while already stopped).
    pub fn pause(&mut self, today: NaiveDate) {
        if !self.is_paused() {
            self.pauses.push(Pause {
                from: today,
                until: None,
            });
        }
    }

    /// Starts the clock again from `today`.
    pub fn resume(&mut self, today: NaiveDate) {
        for pause in self.pauses.iter_mut().filter(|p| p.until.is_none()) {
            pause.until = Some(today.max(pause.from));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn one_month_ends_on_the_same_day_number() {
        assert_eq!(add_months(d(2027, 3, 15), 1), d(2027, 4, 15));
        assert_eq!(add_months(d(2027, 12, 15), 1), d(2028, 1, 15));
    }

    #[test]
    fn a_missing_day_number_means_the_last_day_of_the_month() {
        assert_eq!(add_months(d(2027, 1, 31), 1), d(2027, 2, 28));
        assert_eq!(add_months(d(2028, 1, 31), 1), d(2028, 2, 29)); // leap year
        assert_eq!(add_months(d(2027, 1, 30), 1), d(2027, 2, 28));
        assert_eq!(add_months(d(2027, 3, 31), 1), d(2027, 4, 30));
        assert_eq!(add_months(d(2028, 2, 29), 1), d(2028, 3, 29));
        assert_eq!(add_months(d(2100, 1, 29), 1), d(2100, 2, 28)); // 2100 is no leap year
        assert_eq!(add_months(d(2000, 1, 29), 1), d(2000, 2, 29)); // 2000 is
    }

    #[test]
    fn the_extension_is_counted_from_receipt_not_from_the_first_deadline() {
        // 31 January + 3 months = 30 April; going by way of 28 February would give 28 April.
        let mut clock = Clock::new(d(2027, 1, 31), true);
        assert_eq!(clock.due(d(2027, 2, 1)), d(2027, 2, 28));
        clock.extend(2);
        assert_eq!(clock.due(d(2027, 2, 1)), d(2027, 4, 30));
    }

    #[test]
    fn urgency_follows_the_days_left() {
        let clock = Clock::new(d(2027, 3, 1), true);
        let due = d(2027, 4, 1);
        assert_eq!(clock.state(d(2027, 3, 2)).urgency, DeadlineUrgency::OnTrack);
        assert_eq!(
            clock.state(due - chrono::Duration::days(WARN_DAYS)).urgency,
            DeadlineUrgency::DueSoon
        );
        let on_the_day = clock.state(due);
        assert_eq!(on_the_day.days_left, 0);
        assert_eq!(on_the_day.urgency, DeadlineUrgency::DueSoon);
        let after = clock.state(d(2027, 4, 2));
        assert_eq!(after.days_left, -1);
        assert_eq!(after.urgency, DeadlineUrgency::Overdue);
    }

    #[test]
    fn a_pause_moves_the_deadline_by_its_days_when_the_policy_says_so() {
        let mut clock = Clock::new(d(2027, 3, 1), true);
        clock.pause(d(2027, 3, 5));
        // While paused, the deadline moves one day per day and shows as paused.
        let paused = clock.state(d(2027, 3, 15));
        assert_eq!(paused.urgency, DeadlineUrgency::Paused);
        assert_eq!(paused.paused_days, 10);
        assert_eq!(paused.due, d(2027, 4, 11));
        clock.resume(d(2027, 3, 19));
        let resumed = clock.state(d(2027, 3, 30));
        assert_eq!(resumed.paused_days, 14);
        assert_eq!(resumed.due, d(2027, 4, 15));
        assert_eq!(resumed.urgency, DeadlineUrgency::OnTrack);
        // A second pause adds up.
        clock.pause(d(2027, 4, 1));
        clock.resume(d(2027, 4, 3));
        assert_eq!(clock.due(d(2027, 4, 10)), d(2027, 4, 17));
    }

    #[test]
    fn without_the_policy_a_pause_is_recorded_but_the_clock_runs() {
        let mut clock = Clock::new(d(2027, 3, 1), false);
        clock.pause(d(2027, 3, 5));
        assert!(clock.is_paused());
        let state = clock.state(d(2027, 3, 15));
        assert_eq!(state.due, d(2027, 4, 1));
        assert_eq!(state.paused_days, 0);
        assert_eq!(state.urgency, DeadlineUrgency::OnTrack);
    }

    #[test]
    fn extension_rules() {
        let reasons = "Saken gjelder opplysninger i mange fagsystemer.";
        let mut clock = Clock::new(d(2027, 1, 31), true);
        assert_eq!(
            clock.check_extension(3, reasons, d(2027, 2, 1)),
            Err(ExtensionError::TooLong)
        );
        assert_eq!(
            clock.check_extension(0, reasons, d(2027, 2, 1)),
            Err(ExtensionError::TooLong)
        );
        assert_eq!(
            clock.check_extension(1, "  kort  ", d(2027, 2, 1)),
            Err(ExtensionError::ReasonsMissing)
        );
        // The last day of the first month is still in time; the day after is not.
        assert_eq!(clock.check_extension(1, reasons, d(2027, 2, 28)), Ok(()));
        assert_eq!(
            clock.check_extension(1, reasons, d(2027, 3, 1)),
            Err(ExtensionError::TooLate)
        );
        clock.extend(1);
        assert_eq!(clock.due(d(2027, 2, 10)), d(2027, 3, 31));
        // One more month is allowed while the first month runs; then nothing.
        assert_eq!(clock.check_extension(1, reasons, d(2027, 2, 10)), Ok(()));
        assert_eq!(
            clock.check_extension(2, reasons, d(2027, 2, 10)),
            Err(ExtensionError::TooLong)
        );
        clock.extend(1);
        assert_eq!(clock.state(d(2027, 2, 10)).extendable_until, None);
        assert_eq!(clock.due(d(2027, 2, 10)), d(2027, 4, 30));
    }

    #[test]
    fn a_pause_also_moves_the_last_day_to_extend() {
        let mut clock = Clock::new(d(2027, 3, 1), true);
        clock.pause(d(2027, 3, 10));
        clock.resume(d(2027, 3, 20));
        assert_eq!(clock.first_month_ends(d(2027, 4, 5)), d(2027, 4, 11));
        assert_eq!(
            clock.check_extension(1, "Mange systemer må gjennomgås.", d(2027, 4, 11)),
            Ok(())
        );
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        // 1990–2100 covers leap years, the 2000 and 2100 century rules and every month end.
        (0i64..40_500).prop_map(|n| d(1990, 1, 1) + chrono::Duration::days(n))
    }

    proptest! {
        #[test]
        fn one_month_later_is_the_same_day_or_the_months_last(date in any_date(), months in 1u32..=3) {
            let end = add_months(date, months);
            prop_assert!(end > date);
            let month_index = |x: NaiveDate| {
                use chrono::Datelike;
                x.year() * 12 + i32::try_from(x.month0()).unwrap()
            };
            prop_assert_eq!(month_index(end) - month_index(date), i32::try_from(months).unwrap());
            use chrono::Datelike;
            if end.day() != date.day() {
                // Only when the day does not exist: the end is the last day of its month.
                prop_assert!(end.day() < date.day());
                prop_assert_eq!((end + chrono::Duration::days(1)).day(), 1);
            }
            // Between 28 and 92 days: a month (or three) is never shorter or longer.
            let days = (end - date).num_days();
            prop_assert!(days >= 28 * i64::from(months) && days <= 31 * i64::from(months) + 1);
        }

        #[test]
        fn the_deadline_never_comes_before_one_month_or_after_three_plus_pauses(
            received in any_date(),
            steps in proptest::collection::vec((0i64..40, 0u8..4), 0..8),
            policy in any::<bool>()
        ) {
            let mut clock = Clock::new(received, policy);
            let mut today = received;
            for (advance, op) in steps {
                today += chrono::Duration::days(advance);
                match op {
                    0 => clock.pause(today),
                    1 => clock.resume(today),
                    _ => {
                        let months = op - 1;
                        if clock.check_extension(months, "Mange fagsystemer må gjennomgås.", today).is_ok() {
                            prop_assert!(today <= clock.first_month_ends(today));
                            clock.extend(months);
                        }
                    }
                }
                prop_assert!(clock.extension_months <= MAX_EXTENSION_MONTHS);
                prop_assert!(clock.pauses.iter().filter(|p| p.until.is_none()).count() <= 1);
                let due = clock.due(today);
                let paused = clock.paused_days(today);
                prop_assert!(due >= add_months(received, 1));
                prop_assert!(due <= add_months(received, 3) + chrono::Duration::days(paused));
                if !policy {
                    prop_assert_eq!(paused, 0);
                }
            }
        }
    }
}
