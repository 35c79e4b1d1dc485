//! Signed-in sessions as the store keeps them, so that a session can be
//! ended on the server (sign-out, password change, timeouts) and not only
//! by deleting a browser's cookie.
//!
//! The store never holds what a browser presents: [`SessionRecord::id`] is
//! a digest of the cookie's secret part, made by the web tier.

/// One signed-in session. Times are Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// Digest of the cookie's secret (hex); the key.
    pub id: String,
    /// Who signed in.
    pub user: String,
    /// A fingerprint of the credential signed in with: when the password
    /// changes, every session made with the old one stops matching.
    pub credential: String,
    pub created_at: i64,
    /// The last request seen (updated at most about once a minute).
    pub last_seen: i64,
    /// The absolute end, whatever the activity.
    pub expires_at: i64,
}

impl SessionRecord {
    /// Whether the session may still be used at `now`, given the idle
    /// timeout and the current credential's fingerprint.
    pub fn valid_at(&self, now: i64, idle_secs: i64, credential: &str) -> bool {
        now < self.expires_at
            && now.saturating_sub(self.last_seen) < idle_secs
            && self.credential == credential
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> SessionRecord {
        SessionRecord {
            id: "ab".into(),
            user: "admin".into(),
            credential: "c1".into(),
            created_at: 1000,
            last_seen: 1000,
            expires_at: 1000 + 7 * 86_400,
        }
    }

    #[test]
    fn a_session_ends_when_idle_too_long_at_its_absolute_end_or_with_a_new_password() {
        let r = record();
        assert!(r.valid_at(1001, 3600, "c1"));
        assert!(!r.valid_at(1000 + 3600, 3600, "c1"), "idle");
        assert!(!r.valid_at(1001, 3600, "c2"), "password changed");
        let busy = SessionRecord {
            last_seen: r.expires_at - 1,
            ..r.clone()
        };
        assert!(!busy.valid_at(r.expires_at, 3600, "c1"), "absolute end");
    }
}
