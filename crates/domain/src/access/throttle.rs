//! Throttling of failed logins, per account and per client address. After `free` failures
//! inside the window, each further failure locks the key for a back-off that doubles up to
//! a ceiling. A lock answers 429 with `Retry-After` — the same for known and unknown
//! accounts, so it reveals nothing. Time is passed in.

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures allowed inside the window before locks start.
    pub free: u32,
    pub window: Duration,
    pub first_lock: Duration,
    pub max_lock: Duration,
}

/// Per account: five tries, then 30 s, 1 min, 2 min … up to 15 min.
pub const PER_ACCOUNT: ThrottlePolicy = ThrottlePolicy {
    free: 5,
    window: Duration::minutes(15),
    first_lock: Duration::seconds(30),
    max_lock: Duration::minutes(15),
};

/// Per client address: more room (offices share an address), same back-off.
pub const PER_ADDRESS: ThrottlePolicy = ThrottlePolicy {
    free: 30,
    window: Duration::minutes(15),
    first_lock: Duration::seconds(30),
    max_lock: Duration::minutes(15),
};

/// What is stored per key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleState {
    pub failures: u32,
    pub window_start: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
}

impl ThrottlePolicy {
    /// Seconds to wait, if the key is locked at `now`.
    pub fn retry_after(&self, state: Option<&ThrottleState>, now: DateTime<Utc>) -> Option<u64> {
        let until = state?.locked_until?;
        (until > now).then(|| u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1))
    }

    /// The state after one more failure at `now`.
    pub fn record_failure(
        &self,
        state: Option<ThrottleState>,
        now: DateTime<Utc>,
    ) -> ThrottleState {
        let fresh = ThrottleState {
            failures: 0,
            window_start: now,
            locked_until: None,
        };
        let mut state = match state {
            Some(s) if now - s.window_start < self.window => s,
            _ => fresh,
        };
        state.failures += 1;
        if state.failures > self.free {
            let doublings = (state.failures - self.free - 1).min(16);
            let lock = (self.first_lock * 2_i32.pow(doublings)).min(self.max_lock);
            state.locked_until = Some(now + lock);
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 17, 12, 0, 0).unwrap() + Duration::seconds(s)
    }

    #[test]
    fn the_free_tries_do_not_lock_and_the_next_ones_back_off() {
        let p = PER_ACCOUNT;
        let mut state = None;
        for i in 0..5 {
            let s = p.record_failure(state, t(i));
            assert_eq!(p.retry_after(Some(&s), t(i)), None, "try {i}");
            state = Some(s);
        }
        let s = p.record_failure(state, t(5));
        assert_eq!(p.retry_after(Some(&s), t(5)), Some(30));
        let s = p.record_failure(Some(s), t(40));
        assert_eq!(p.retry_after(Some(&s), t(40)), Some(60));
        assert_eq!(p.retry_after(Some(&s), t(100)), None, "the lock ends");
    }

    #[test]
    fn a_quiet_window_starts_over() {
        let p = PER_ACCOUNT;
        let mut state = None;
        for i in 0..6 {
            state = Some(p.record_failure(state, t(i)));
        }
        let s = p.record_failure(state, t(16 * 60));
        assert_eq!(s.failures, 1);
        assert_eq!(p.retry_after(Some(&s), t(16 * 60)), None);
    }

    proptest! {
        #[test]
        fn a_lock_never_exceeds_the_ceiling(gaps in proptest::collection::vec(0i64..120, 1..60)) {
            let p = PER_ACCOUNT;
            let mut state = None;
            let mut now = 0;
            for gap in gaps {
                now += gap;
                let s = p.record_failure(state, t(now));
                if let Some(wait) = p.retry_after(Some(&s), t(now)) {
                    prop_assert!(wait <= 15 * 60);
                    prop_assert!(s.failures > p.free);
                }
                state = Some(s);
            }
        }
    }
}
