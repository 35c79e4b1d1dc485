//! Who may read and who may write.
//!
//! - Reading is public or private ([`ReadAccess`]); writing always needs a
//!   signed-in person (web forms) or the API bearer token (JSON API).
//! - Sign-in checks one password against an argon2 hash from configuration
//!   ([`password`]). The session lives in a signed cookie ([`session`]): the
//!   server keeps nothing in memory, so any replica that shares
//!   `SPARES_SESSION_SECRET` accepts it.
//! - Every form carries a CSRF token derived from the session's random nonce;
//!   a form without the right token changes nothing.

pub mod extract;
pub mod password;
pub mod session;

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

/// Authentication settings, shared by every handler.
#[derive(Clone)]
pub struct Auth {
    pub key: SessionKey,
    /// `None`: nobody can sign in (the login page says how to set it up).
    pub password: Option<PasswordHash>,
    pub read: ReadAccess,
    /// Always mark cookies `Secure` (the public URL is https). They are also
    /// marked when a proxy says the request came over https.
    pub secure_cookies: bool,
}

impl Auth {
    pub fn new(
        key: SessionKey,
        password: Option<PasswordHash>,
        read: ReadAccess,
        secure_cookies: bool,
    ) -> Arc<Auth> {
        Arc::new(Auth {
            key,
            password,
            read,
            secure_cookies,
        })
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
