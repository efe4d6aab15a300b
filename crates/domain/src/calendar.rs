//! Calendar days as Norwegian users count them: in Europe/Oslo, whatever the server's zone.
//! A deadline "15 January" ends at midnight in Oslo, not in UTC.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Oslo;

/// The day it is in Oslo at `now`.
pub fn oslo_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Oslo).date_naive()
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
}
