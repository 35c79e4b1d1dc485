//! Who may talk to the bot, where, and how often.
//!
//! The bot answers in private chats, and in a group only when its id is on
//! `SPARES_BOT_ALLOWED_CHATS`: in any other group it says so once, then
//! stays silent (cards, prices and /export would reach every member).

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::{AllowList, ChatList};

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

/// Whether the bot answers in a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatVerdict {
    Allow,
    /// A group not on the list, first time: say why, once.
    TellOnce,
    /// Already told: stay silent.
    Ignore,
}

/// The allow-list, who has been refused, and a per-user rate limit
/// (fixed window).
#[derive(Debug)]
pub struct Gate {
    allowed: AllowList,
    groups: ChatList,
    told_groups: Mutex<HashSet<i64>>,
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
            groups: ChatList::default(),
            told_groups: Mutex::new(HashSet::new()),
            refused: Mutex::new(HashSet::new()),
            windows: Mutex::new(HashMap::new()),
            burst,
            window,
        }
    }

    /// The same gate, answering in these group chats too.
    pub fn with_groups(mut self, groups: ChatList) -> Gate {
        self.groups = groups;
        self
    }

    /// Whether to answer in chat `chat` (`private`: a one-to-one chat).
    pub fn check_chat(&self, chat: i64, private: bool) -> ChatVerdict {
        if private || self.groups.allows(chat) {
            return ChatVerdict::Allow;
        }
        let mut told = self.told_groups.lock().unwrap_or_else(|e| e.into_inner());
        if told.len() > 10_000 {
            told.clear();
        }
        if told.insert(chat) {
            ChatVerdict::TellOnce
        } else {
            ChatVerdict::Ignore
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
    fn groups_are_told_once_unless_listed() {
        let gate = Gate::new("1".parse().expect("list")).with_groups("-5".parse().expect("chats"));
        assert_eq!(gate.check_chat(1, true), ChatVerdict::Allow);
        assert_eq!(gate.check_chat(-5, false), ChatVerdict::Allow);
        assert_eq!(gate.check_chat(-7, false), ChatVerdict::TellOnce);
        assert_eq!(gate.check_chat(-7, false), ChatVerdict::Ignore);
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
