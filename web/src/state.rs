//! What every handler can reach.

use std::sync::Arc;

use spares_core::{Currency, Store};

use crate::auth::Auth;

/// The bearer token that authorises API writes. Never printed.
#[derive(Clone)]
pub struct ApiToken(Arc<str>);

impl ApiToken {
    /// A token of at least 16 characters (shorter ones are refused at start).
    pub fn new(token: &str) -> Option<ApiToken> {
        let t = token.trim();
        (t.chars().count() >= 16).then(|| ApiToken(Arc::from(t)))
    }

    /// Constant-time comparison with a presented token.
    pub fn matches(&self, presented: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), presented.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl std::fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiToken(***)")
    }
}

/// Shared, cheap to clone. Holds nothing that another replica would miss:
/// sessions are in the store; what is in memory (sign-in limits, busy
/// permits) is each replica's own protection.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// API writes are refused while this is `None`.
    pub api_token: Option<ApiToken>,
    /// Sign-in, sessions and read access.
    pub auth: Arc<Auth>,
    /// Currency of prices typed without one.
    pub currency: Currency,
    /// Where labels' QR codes point (`None`: the offline `SPARES:B:` form).
    pub public_url: Option<spares_core::PublicUrl>,
    /// Bounds on heavy work at once (this process's).
    pub limits: crate::limits::Limits,
}
