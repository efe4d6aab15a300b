//! Calendar days as Norwegian users count them: in Europe/Oslo, whatever the server's zone.
//! A deadline "15 January" ends at midnight in Oslo, not in UTC.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Oslo;

/// The day it is in Oslo at `now`.
pub fn oslo_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Oslo).date_naive()
}

/// The moment an Oslo wall-clock time names, as a form's `datetime-local` field gives it
/// (`2026-11-19T10:00`, seconds optional). In the autumn's repeated hour the earlier moment
/// is taken; a time skipped in spring (02:30 on the last Sunday of March) is `None`.
pub fn oslo_input(value: &str) -> Option<DateTime<Utc>> {
    use chrono::{NaiveDateTime, TimeZone};
    let naive = NaiveDateTime::parse_from_str(value.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value.trim(), "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    Oslo.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// A moment as a `datetime-local` field's value in Oslo time: `2026-11-19T10:00`.
pub fn oslo_input_value(at: DateTime<Utc>) -> String {
    at.with_timezone(&Oslo).format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_oslo_day_starts_an_hour_or_two_before_the_utc_day() {
        // Winter (UTC+1): 23:30 UTC on 14 January is already 15 January in Oslo.
        let winter = Utc.with_ymd_and_hms(2027, 1, 14, 23, 30, 0).unwrap();
        assert_eq!(
            oslo_date(winter),
            NaiveDate::from_ymd_opt(2027, 1, 15).unwrap()
        );
        let before = Utc.with_ymd_and_hms(2027, 1, 14, 22, 59, 59).unwrap();
        assert_eq!(
            oslo_date(before),
            NaiveDate::from_ymd_opt(2027, 1, 14).unwrap()
        );
        // Summer (UTC+2): 22:00 UTC on 30 June is 1 July in Oslo.
        let summer = Utc.with_ymd_and_hms(2027, 6, 30, 22, 0, 0).unwrap();
        assert_eq!(
            oslo_date(summer),
            NaiveDate::from_ymd_opt(2027, 7, 1).unwrap()
        );
    }

    #[test]
    fn form_times_are_read_as_oslo_wall_clock_times() {
        // November: UTC+1.
        let at = oslo_input("2026-11-19T10:00").unwrap();
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 11, 19, 9, 0, 0).unwrap());
        assert_eq!(oslo_input_value(at), "2026-11-19T10:00");
        // The repeated hour on 25 October 2026 takes the earlier (summer time) moment.
        assert_eq!(
            oslo_input("2026-10-25T02:30").unwrap(),
            Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap()
        );
        // The skipped hour on 29 March 2026 does not exist.
        assert_eq!(oslo_input("2026-03-29T02:30"), None);
        assert_eq!(oslo_input("19.11.2026 10:00"), None);
    }
}
