//! Limits on password checks. Each check runs argon2 with 19 MiB of memory
//! for tens of milliseconds, so a flood of wrong passwords would exhaust a
//! small container. Three limits apply before any check runs:
//!
//! 1. **Per client** (by [`super::client::ClientAddr`]): after
//!    [`Settings::free_failures`] failures, each further one doubles a wait
//!    (1 s, 2 s, 4 s … up to 15 min) during which that client is answered
//!    429 without a check. A success clears it.
//! 2. **Globally**: past [`Settings::global_budget`] failures in a window
//!    (from any clients), only one check a second is admitted in all, so a
//!    distributed guesser is slowed while the owner can still get in.
//! 3. **Concurrency**: at most [`Settings::concurrent`] checks at once;
//!    more are answered 429 "busy" at once.
//!
//! The state is in this process's memory (one replica's view); nginx's
//! `limit_req` on `/login` adds a limit in front of every replica.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The limits' settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Failures a client may have before it has to wait.
    pub free_failures: u32,
    /// The first wait; each further failure doubles it…
    pub first_wait: Duration,
    /// …up to this.
    pub longest_wait: Duration,
    /// Failures from all clients in [`Settings::global_window`] before
    /// checks are slowed to one a second.
    pub global_budget: u32,
    pub global_window: Duration,
    /// Password checks running at once.
    pub concurrent: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            free_failures: 3,
            first_wait: Duration::from_secs(1),
            longest_wait: Duration::from_secs(15 * 60),
            global_budget: 100,
            global_window: Duration::from_secs(10 * 60),
            concurrent: 2,
        }
    }
}

/// Clients remembered at most (a flood of addresses cannot grow memory
/// without end).
const MAX_CLIENTS: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    until: Instant,
}

#[derive(Debug)]
struct Global {
    window_start: Instant,
    failures: u32,
    next_slow: Instant,
}

/// Why a sign-in was not checked: try again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// This client failed too often.
    Backoff(Duration),
    /// Too many failures from everyone: one check a second.
    Slowed(Duration),
    /// Too many checks at once.
    Busy(Duration),
}

impl Refused {
    pub fn retry_after(self) -> Duration {
        match self {
            Refused::Backoff(d) | Refused::Slowed(d) | Refused::Busy(d) => d,
        }
    }
}

/// The sign-in limits of one process.
#[derive(Debug)]
pub struct SignInThrottle {
    settings: Settings,
    checks: Arc<Semaphore>,
    clients: Mutex<HashMap<Option<IpAddr>, Failures>>,
    global: Mutex<Global>,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        SignInThrottle::new(Settings::default())
    }
}

impl SignInThrottle {
    pub fn new(settings: Settings) -> SignInThrottle {
        let now = Instant::now();
        SignInThrottle {
            settings,
            checks: Arc::new(Semaphore::new(settings.concurrent.max(1))),
            clients: Mutex::new(HashMap::new()),
            global: Mutex::new(Global {
                window_start: now,
                failures: 0,
                next_slow: now,
            }),
        }
    }

    /// A permit to check one password for `client` (hold it during the
    /// check), or how long to wait.
    pub fn admit(&self, client: Option<IpAddr>) -> Result<OwnedSemaphorePermit, Refused> {
        self.admit_at(client, Instant::now())
    }

    fn admit_at(
        &self,
        client: Option<IpAddr>,
        now: Instant,
    ) -> Result<OwnedSemaphorePermit, Refused> {
        {
            let clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(f) = clients.get(&client)
                && f.until > now
            {
                return Err(Refused::Backoff(f.until - now));
            }
        }
        {
            let mut g = self.global.lock().unwrap_or_else(|e| e.into_inner());
            if now.duration_since(g.window_start) >= self.settings.global_window {
                g.window_start = now;
                g.failures = 0;
            }
            if g.failures >= self.settings.global_budget {
                if now < g.next_slow {
                    return Err(Refused::Slowed(g.next_slow - now));
                }
                g.next_slow = now + Duration::from_secs(1);
            }
        }
        Arc::clone(&self.checks)
            .try_acquire_owned()
            .map_err(|_| Refused::Busy(Duration::from_secs(1)))
    }

    /// Records a wrong password; returns how long `client` must now wait.
    pub fn failed(&self, client: Option<IpAddr>) -> Duration {
        self.failed_at(client, Instant::now())
    }

    fn failed_at(&self, client: Option<IpAddr>, now: Instant) -> Duration {
        let s = self.settings;
        {
            let mut g = self.global.lock().unwrap_or_else(|e| e.into_inner());
            g.failures = g.failures.saturating_add(1);
        }
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if clients.len() >= MAX_CLIENTS {
            clients.retain(|_, f| now.duration_since(f.last) < s.longest_wait);
            if clients.len() >= MAX_CLIENTS {
                clients.clear();
            }
        }
        let f = clients.entry(client).or_insert(Failures {
            count: 0,
            last: now,
            until: now,
        });
        // A quiet quarter of an hour forgives old failures.
        if now.duration_since(f.last) >= s.longest_wait {
            f.count = 0;
        }
        f.count = f.count.saturating_add(1);
        f.last = now;
        let wait = if f.count > s.free_failures {
            let doublings = (f.count - s.free_failures - 1).min(20);
            (s.first_wait * 2u32.pow(doublings)).min(s.longest_wait)
        } else {
            Duration::ZERO
        };
        f.until = now + wait;
        wait
    }

    /// A right password: the client's failures are forgotten.
    pub fn succeeded(&self, client: Option<IpAddr>) {
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&client);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> Option<IpAddr> {
        Some(IpAddr::from([203, 0, 113, last]))
    }

    #[test]
    fn a_client_waits_twice_as_long_after_each_failure_past_the_free_ones() {
        let t = SignInThrottle::default();
        let now = Instant::now();
        for _ in 0..3 {
            assert!(t.admit_at(ip(1), now).is_ok());
            assert_eq!(t.failed_at(ip(1), now), Duration::ZERO);
        }
        assert_eq!(t.failed_at(ip(1), now), Duration::from_secs(1));
        assert_eq!(
            t.admit_at(ip(1), now).err(),
            Some(Refused::Backoff(Duration::from_secs(1)))
        );
        assert!(
            t.admit_at(ip(2), now).is_ok(),
            "other clients are not held up"
        );
        let later = now + Duration::from_secs(1);
        assert!(t.admit_at(ip(1), later).is_ok(), "after the wait");
        assert_eq!(t.failed_at(ip(1), later), Duration::from_secs(2));
        assert_eq!(t.failed_at(ip(1), later), Duration::from_secs(4));
        for _ in 0..30 {
            t.failed_at(ip(1), later);
        }
        assert_eq!(
            t.failed_at(ip(1), later),
            Duration::from_secs(15 * 60),
            "capped"
        );
        t.succeeded(ip(1));
        assert!(t.admit_at(ip(1), later).is_ok(), "a success clears it");
    }

    #[test]
    fn past_the_global_budget_one_check_a_second_is_admitted() {
        let t = SignInThrottle::new(Settings {
            global_budget: 5,
            ..Settings::default()
        });
        let now = Instant::now();
        for i in 0..5 {
            t.failed_at(ip(i), now);
        }
        assert!(t.admit_at(ip(100), now).is_ok(), "one this second");
        assert!(matches!(t.admit_at(ip(101), now), Err(Refused::Slowed(_))));
        assert!(t.admit_at(ip(101), now + Duration::from_secs(1)).is_ok());
        // A new window restores full speed.
        let next = now + Duration::from_secs(10 * 60);
        assert!(t.admit_at(ip(102), next).is_ok());
        assert!(t.admit_at(ip(103), next).is_ok());
    }

    #[test]
    fn checks_beyond_the_concurrency_bound_are_busy() {
        let t = SignInThrottle::default();
        let now = Instant::now();
        let a = t.admit_at(ip(1), now).expect("first");
        let _b = t.admit_at(ip(2), now).expect("second");
        assert_eq!(
            t.admit_at(ip(3), now).err(),
            Some(Refused::Busy(Duration::from_secs(1)))
        );
        drop(a);
        assert!(t.admit_at(ip(3), now).is_ok());
    }

    #[test]
    fn remembered_clients_are_bounded() {
        let t = SignInThrottle::default();
        let now = Instant::now();
        for i in 0..(MAX_CLIENTS as u32 + 50) {
            t.failed_at(Some(IpAddr::from(i.to_be_bytes())), now);
        }
        assert!(t.clients.lock().expect("lock").len() <= MAX_CLIENTS);
    }
}
