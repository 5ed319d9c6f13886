//! The sign-in throttle: how long a client waits before its next password check.
//!
//! Failures are counted per username *and* client address, and per address over every
//! username. Past a free allowance each further attempt waits a delay that doubles, up to
//! a cap; a count is forgotten a day after its last failure. The account itself is never
//! locked: a stranger's failures slow the stranger's address only, so the owner, signing in
//! from elsewhere, is not kept out (a stranger on the owner's own address, e.g. the same
//! office connection, slows both). Each attempt is counted before its password is checked,
//! so a burst of requests sent at once gets no more checks than the allowance.

use std::net::IpAddr;

use time::{Duration, OffsetDateTime};

/// How many failures are free, and how the wait grows after them.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    pub free: i64,
    pub first_delay: Duration,
    pub max_delay: Duration,
}

/// One username from one address: five tries, then waits of 1, 2, 4 … minutes, at most an hour.
pub const PER_USERNAME: Policy = Policy { free: 5, first_delay: Duration::minutes(1), max_delay: Duration::hours(1) };

/// One address over every username: room for an office behind one connection, not for
/// trying names one after another.
pub const PER_ADDRESS: Policy = Policy { free: 20, first_delay: Duration::minutes(1), max_delay: Duration::hours(1) };

/// A count with no failure for this long is dropped (by the store, before it counts): the
/// next failure starts from one again.
pub const FORGET_AFTER: Duration = Duration::days(1);

/// The failures counted for a key, and when the last one was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    pub failures: i64,
    pub last_at: OffsetDateTime,
}

impl Policy {
    /// How long an attempt at `now` must still wait after `count`; `None`: it may go ahead.
    pub fn wait(&self, count: Option<Count>, now: OffsetDateTime) -> Option<Duration> {
        let count = count?;
        let beyond = count.failures - self.free;
        if beyond < 0 {
            return None;
        }
        // 2^beyond, saturating: past the cap the exact power does not matter.
        let factor =
            1_i32.checked_shl(u32::try_from(beyond).unwrap_or(u32::MAX)).filter(|&f| f > 0).unwrap_or(i32::MAX);
        let delay = self.first_delay.checked_mul(factor).unwrap_or(self.max_delay).min(self.max_delay);
        let wait = count.last_at + delay - now;
        wait.is_positive().then_some(wait)
    }
}

/// The key of a client address: an IPv4 address as it is, an IPv6 one by its /64 (one
/// customer's network usually holds a whole /64, so single addresses would cost nothing).
pub fn address_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// `Retry-After` for a wait: whole seconds, rounded up, never 0 (which would invite an
/// immediate retry).
pub fn retry_after(wait: Duration) -> u64 {
    let seconds = wait.whole_seconds() + i64::from(wait.subsec_nanoseconds() > 0);
    seconds.max(1).unsigned_abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH + Duration::days(20_000) + Duration::minutes(minutes)
    }

    fn count(failures: i64, last: i64) -> Option<Count> {
        Some(Count { failures, last_at: at(last) })
    }

    #[test]
    fn the_free_failures_wait_nothing() {
        assert_eq!(PER_USERNAME.wait(None, at(0)), None);
        for failures in 0..5 {
            assert_eq!(PER_USERNAME.wait(count(failures, 0), at(0)), None, "{failures}");
        }
    }

    #[test]
    fn then_the_wait_doubles_up_to_an_hour() {
        let waits: Vec<_> = (5..=13).map(|f| PER_USERNAME.wait(count(f, 0), at(0))).collect();
        let minutes = |m: i64| Some(Duration::minutes(m));
        assert_eq!(
            waits,
            [
                minutes(1),
                minutes(2),
                minutes(4),
                minutes(8),
                minutes(16),
                minutes(32),
                minutes(60),
                minutes(60),
                minutes(60)
            ]
        );
        assert_eq!(PER_USERNAME.wait(count(1_000_000, 0), at(0)), minutes(60), "no overflow");
        assert_eq!(PER_USERNAME.wait(count(6, 0), at(1)), minutes(1), "counted from the last failure");
        assert_eq!(PER_USERNAME.wait(count(6, 0), at(2)), None, "waited out");
        assert_eq!(PER_ADDRESS.wait(count(19, 0), at(0)), None);
        assert_eq!(PER_ADDRESS.wait(count(20, 0), at(0)), minutes(1));
    }

    #[test]
    fn addresses_key_ipv6_by_its_64() {
        assert_eq!(address_key("203.0.113.7".parse().unwrap()), "203.0.113.7");
        assert_eq!(address_key("::ffff:203.0.113.7".parse().unwrap()), "203.0.113.7", "mapped IPv4");
        assert_eq!(address_key("2001:db8:1:2:aaaa::1".parse().unwrap()), "2001:db8:1:2::/64");
        assert_eq!(address_key("2001:db8:1:2:bbbb::9".parse().unwrap()), "2001:db8:1:2::/64");
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after(Duration::seconds(59) + Duration::milliseconds(1)), 60);
        assert_eq!(retry_after(Duration::seconds(60)), 60);
        assert_eq!(retry_after(Duration::ZERO), 1);
    }
}
