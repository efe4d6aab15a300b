//! Requests per API client: a GCRA limiter (the `governor` crate) keyed by the client, on each
//! instance. A client over its rate gets 429 `rate_limited` with `Retry-After`; staff users'
//! sessions are not limited here (their logins are throttled where they log in).

use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use uuid::Uuid;

/// How many clients the limiter remembers before it forgets the idle ones.
const FORGET_ABOVE: usize = 10_000;

pub struct ClientLimits {
    /// `None`: no limit (`VERN_CLIENT_RATE_LIMIT_PER_MINUTE=0`, for a gateway that limits, or a
    /// load measurement).
    limiter: Option<DefaultKeyedRateLimiter<Uuid>>,
    clock: DefaultClock,
    pub per_minute: u32,
}

impl std::fmt::Debug for ClientLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientLimits")
            .field("per_minute", &self.per_minute)
            .finish_non_exhaustive()
    }
}

impl ClientLimits {
    /// `per_minute` requests a minute, all of which may come at once; 0: no limit.
    pub fn new(per_minute: u32) -> Self {
        Self {
            limiter: NonZeroU32::new(per_minute)
                .map(|rate| DefaultKeyedRateLimiter::keyed(Quota::per_minute(rate))),
            clock: DefaultClock::default(),
            per_minute,
        }
    }

    /// `Err(seconds)` to wait when the client is over its rate; otherwise counts this request.
    pub fn check(&self, client: Uuid) -> Result<(), u64> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        if limiter.len() > FORGET_ABOVE {
            limiter.retain_recent();
        }
        limiter.check_key(&client).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_is_no_limit() {
        let limits = ClientLimits::new(0);
        let client = Uuid::now_v7();
        assert!((0..10_000).all(|_| limits.check(client).is_ok()));
    }

    #[test]
    fn a_client_over_its_rate_waits_and_others_do_not() {
        let limits = ClientLimits::new(3);
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        for _ in 0..3 {
            assert_eq!(limits.check(a), Ok(()));
        }
        let wait = limits.check(a).unwrap_err();
        // One request a minute's share: 20 seconds, rounded up.
        assert!((1..=20).contains(&wait), "{wait}");
        assert_eq!(limits.check(b), Ok(()));
    }
}
