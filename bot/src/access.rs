//! Who may talk to the bot, and how often.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::AllowList;

/// Requests a user may make per [`WINDOW`] before being asked to slow down.
pub const BURST: u32 = 20;
pub const WINDOW: Duration = Duration::from_secs(30);

/// What to do with an update from `user`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// Not on the allow-list, first time: say so politely, once.
    RefuseOnce,
    /// Not on the allow-list, already told: ignore.
    Ignore,
    /// Too many requests: say so once per window, then ignore.
    SlowDown,
    SlowDownQuietly,
}

/// The allow-list, who has been refused, and a per-user rate limit
/// (fixed window).
#[derive(Debug)]
pub struct Gate {
    allowed: AllowList,
    refused: Mutex<HashSet<u64>>,
    windows: Mutex<HashMap<u64, (Instant, u32)>>,
    burst: u32,
    window: Duration,
}

impl Gate {
    pub fn new(allowed: AllowList) -> Gate {
        Gate::with_limit(allowed, BURST, WINDOW)
    }

    pub fn with_limit(allowed: AllowList, burst: u32, window: Duration) -> Gate {
        Gate {
            allowed,
            refused: Mutex::new(HashSet::new()),
            windows: Mutex::new(HashMap::new()),
            burst,
            window,
        }
    }

    pub fn check(&self, user: u64) -> Verdict {
        self.check_at(user, Instant::now())
    }

    fn check_at(&self, user: u64, now: Instant) -> Verdict {
        if !self.allowed.allows(user) {
            let mut refused = self.refused.lock().unwrap_or_else(|e| e.into_inner());
            // Bounded: a flood of strangers cannot grow memory without end.
            if refused.len() > 10_000 {
                refused.clear();
            }
            return if refused.insert(user) {
                Verdict::RefuseOnce
            } else {
                Verdict::Ignore
            };
        }
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let (start, count) = windows.entry(user).or_insert((now, 0));
        if now.duration_since(*start) >= self.window {
            *start = now;
            *count = 0;
        }
        *count += 1;
        match (*count).cmp(&(self.burst + 1)) {
            std::cmp::Ordering::Less => Verdict::Allow,
            std::cmp::Ordering::Equal => Verdict::SlowDown,
            std::cmp::Ordering::Greater => Verdict::SlowDownQuietly,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strangers_are_told_once() {
        let gate = Gate::new("1".parse().expect("list"));
        assert_eq!(gate.check(2), Verdict::RefuseOnce);
        assert_eq!(gate.check(2), Verdict::Ignore);
        assert_eq!(gate.check(3), Verdict::RefuseOnce);
        assert_eq!(gate.check(1), Verdict::Allow);
    }

    #[test]
    fn rate_limit_per_user_and_window() {
        let gate = Gate::with_limit("1,2".parse().expect("list"), 3, Duration::from_secs(10));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(gate.check_at(1, t0), Verdict::Allow);
        }
        assert_eq!(gate.check_at(1, t0), Verdict::SlowDown);
        assert_eq!(gate.check_at(1, t0), Verdict::SlowDownQuietly);
        assert_eq!(gate.check_at(2, t0), Verdict::Allow, "per user");
        let later = t0 + Duration::from_secs(11);
        assert_eq!(gate.check_at(1, later), Verdict::Allow, "new window");
    }
}
