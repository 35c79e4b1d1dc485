//! Who may read and who may write.
//!
//! - Reading is public or private ([`ReadAccess`]); writing always needs a
//!   signed-in person (web forms) or the API bearer token (JSON API).
//! - Sign-in checks one password against an argon2 hash from configuration
//!   ([`password`]), behind the limits of [`throttle`] (per client address,
//!   [`client`]). The session lives in a signed cookie ([`session`]) and, once
//!   signed in, in the store too: sign-out, a password change, the idle
//!   timeout and the absolute lifetime ([`SessionPolicy`]) end it on the
//!   server, for every replica that shares the database.
//! - Every form carries a CSRF token derived from the session's random nonce;
//!   a form without the right token changes nothing. The sign-in form's
//!   token belongs to a short "pre-session" ([`session::PRE_SESSION_SECS`]).

pub mod client;
pub mod extract;
pub mod password;
pub mod session;
pub mod throttle;

use std::sync::Arc;

pub use extract::{EditForm, Editor, Reader, Visitor};
pub use password::{PasswordHash, hash_password};
pub use session::{Session, SessionKey};

/// Whether signed-out visitors may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ReadAccess {
    /// Anyone who can reach the server may read (writes still need sign-in).
    #[default]
    Public,
    /// Reading needs sign-in too (or the API token for the JSON API).
    Private,
}

/// How long a signed-in session lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Ends after this long without a request (seconds).
    pub idle_secs: i64,
    /// Ends this long after sign-in, however active (seconds).
    pub lifetime_secs: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle_secs: 12 * 3600,
            lifetime_secs: 7 * 24 * 3600,
        }
    }
}

/// Authentication settings and sign-in limits, shared by every handler.
pub struct Auth {
    pub key: SessionKey,
    /// `None`: nobody can sign in (the login page says how to set it up).
    pub password: Option<PasswordHash>,
    pub read: ReadAccess,
    /// Always mark cookies `Secure` (the public URL is https). They are also
    /// marked when a proxy says the request came over https.
    pub secure_cookies: bool,
    pub sessions: SessionPolicy,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: client::TrustedProxies,
    pub throttle: throttle::SignInThrottle,
    /// A fingerprint of the password hash: sessions made with another
    /// password no longer match it.
    credential: String,
}

impl Auth {
    /// Settings with the default session policy, no trusted proxy and the
    /// default sign-in limits.
    pub fn new(
        key: SessionKey,
        password: Option<PasswordHash>,
        read: ReadAccess,
        secure_cookies: bool,
    ) -> Arc<Auth> {
        Arc::new(Auth::build(key, password, read, secure_cookies))
    }

    /// [`Auth::new`] before it is shared, to change with the `with_*` calls.
    pub fn build(
        key: SessionKey,
        password: Option<PasswordHash>,
        read: ReadAccess,
        secure_cookies: bool,
    ) -> Auth {
        let credential = password
            .as_ref()
            .map(|p| p.fingerprint(&key))
            .unwrap_or_default();
        Auth {
            key,
            password,
            read,
            secure_cookies,
            sessions: SessionPolicy::default(),
            trusted_proxies: client::TrustedProxies::default(),
            throttle: throttle::SignInThrottle::default(),
            credential,
        }
    }

    pub fn with_sessions(mut self, policy: SessionPolicy) -> Auth {
        self.sessions = policy;
        self
    }

    pub fn with_trusted_proxies(mut self, proxies: client::TrustedProxies) -> Auth {
        self.trusted_proxies = proxies;
        self
    }

    pub fn with_throttle(mut self, settings: throttle::Settings) -> Auth {
        self.throttle = throttle::SignInThrottle::new(settings);
        self
    }

    /// The fingerprint of the current password (for session records).
    pub fn credential(&self) -> &str {
        &self.credential
    }
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth")
            .field("password", &self.password.is_some())
            .field("read", &self.read)
            .finish_non_exhaustive()
    }
}
