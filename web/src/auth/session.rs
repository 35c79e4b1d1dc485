//! Signed session cookies.
//!
//! Cookie value: `{user}.{expires}.{nonce}.{signature}` where `user` is empty
//! for a signed-out visitor (who still needs a nonce for the login form's
//! CSRF token), `expires` is a Unix time, `nonce` 16 random bytes and the
//! signature an HMAC-SHA256 of the rest under the server's key. Nothing is
//! kept in memory: every replica with the same key can check a cookie.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// How long a signed-out visitor's session (the sign-in form's CSRF token)
/// lasts: a "pre-session", renewed on each view of the form.
pub const PRE_SESSION_SECS: i64 = 20 * 60;

/// The session cookie's name (with `__Host-` in front over https).
pub const COOKIE: &str = "spares_session";
/// The one-shot message cookie's name (with `__Host-` in front over https).
pub const FLASH_COOKIE: &str = "spares_flash";

/// A cookie's name as sent: over https with the `__Host-` prefix, which
/// browsers accept only from a secure origin, for `Path=/` and without
/// `Domain` (so no sibling subdomain can set or shadow it).
pub fn cookie_name(base: &str, secure: bool) -> String {
    if secure {
        format!("__Host-{base}")
    } else {
        base.to_owned()
    }
}

/// The key that signs cookies and CSRF tokens.
#[derive(Clone)]
pub struct SessionKey([u8; 32]);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("SPARES_SESSION_SECRET must have at least 32 characters (e.g. `openssl rand -hex 32`)")]
pub struct WeakSecret;

impl SessionKey {
    /// From a configured secret of 32+ characters.
    pub fn from_secret(secret: &str) -> Result<SessionKey, WeakSecret> {
        if secret.trim().chars().count() < 32 {
            return Err(WeakSecret);
        }
        Ok(SessionKey(Sha256::digest(secret.trim().as_bytes()).into()))
    }

    /// A random key: sessions end when the process stops and are not shared
    /// between replicas.
    pub fn random() -> SessionKey {
        let mut k = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut k);
        SessionKey(k)
    }

    fn sign(&self, text: &str) -> String {
        B64.encode(self.mac(text).finalize().into_bytes())
    }

    fn mac(&self, text: &str) -> HmacSha256 {
        // HMAC accepts keys of any length: this cannot fail.
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        mac.update(text.as_bytes());
        mac
    }

    fn verify(&self, text: &str, signature: &str) -> bool {
        B64.decode(signature)
            .is_ok_and(|sig| self.mac(text).verify_slice(&sig).is_ok())
    }

    /// A keyed digest of `text` (for the password's fingerprint).
    pub fn seal_fingerprint(&self, text: &str) -> String {
        self.sign(&format!("credential.{text}"))
    }

    /// A signed short text (for the flash cookie): `{b64 text}.{sig}`.
    pub fn seal(&self, text: &str) -> String {
        let body = B64.encode(text.as_bytes());
        let sig = self.sign(&format!("flash.{body}"));
        format!("{body}.{sig}")
    }

    /// The text of a [`SessionKey::seal`]ed value, if the signature holds.
    pub fn open(&self, sealed: &str) -> Option<String> {
        let (body, sig) = sealed.rsplit_once('.')?;
        if !self.verify(&format!("flash.{body}"), sig) {
            return None;
        }
        String::from_utf8(B64.decode(body).ok()?).ok()
    }
}

impl std::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKey(***)")
    }
}

/// A checked session: a signed-in user, or a signed-out visitor with a
/// nonce for CSRF tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: Option<String>,
    pub expires: i64,
    nonce: String,
}

impl Session {
    /// A new session ending after `lifetime_secs` (new nonce: a sign-in
    /// never reuses a visitor's nonce).
    pub fn new(user: Option<&str>, now: i64, lifetime_secs: i64) -> Session {
        let mut n = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut n);
        Session {
            user: user.map(str::to_owned),
            expires: now.saturating_add(lifetime_secs),
            nonce: B64.encode(n),
        }
    }

    /// A signed-out visitor's short-lived session.
    pub fn pre_session(now: i64) -> Session {
        Session::new(None, now, PRE_SESSION_SECS)
    }

    /// The key of this session's record in the store: a digest of its
    /// secret nonce, so that the database never holds a usable cookie.
    pub fn id(&self) -> String {
        Sha256::digest(format!("session.{}", self.nonce).as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Reads and checks a cookie value; `None` when forged, malformed or
    /// expired.
    pub fn decode(key: &SessionKey, value: &str, now: i64) -> Option<Session> {
        let (body, sig) = value.rsplit_once('.')?;
        if !key.verify(body, sig) {
            return None;
        }
        let mut parts = body.splitn(3, '.');
        let user = parts.next()?;
        let expires: i64 = parts.next()?.parse().ok()?;
        let nonce = parts.next()?;
        if expires <= now || nonce.is_empty() {
            return None;
        }
        Some(Session {
            user: (!user.is_empty()).then(|| user.to_owned()),
            expires,
            nonce: nonce.to_owned(),
        })
    }

    pub fn encode(&self, key: &SessionKey) -> String {
        let body = format!(
            "{}.{}.{}",
            self.user.as_deref().unwrap_or_default(),
            self.expires,
            self.nonce
        );
        let sig = key.sign(&body);
        format!("{body}.{sig}")
    }

    /// The token every form of this session carries.
    pub fn csrf_token(&self, key: &SessionKey) -> String {
        key.sign(&format!("csrf.{}", self.nonce))
    }

    /// Whether `presented` is this session's CSRF token (constant time).
    pub fn csrf_ok(&self, key: &SessionKey, presented: &str) -> bool {
        key.verify(&format!("csrf.{}", self.nonce), presented.trim())
    }

    pub fn signed_in(&self) -> bool {
        self.user.is_some()
    }
}

/// A `Set-Cookie` value for cookie `base` (see [`cookie_name`]). `secure`
/// adds `Secure` and the `__Host-` prefix; `max_age` 0 deletes.
pub fn set_cookie(base: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        cookie_name(base, secure),
        if secure { "; Secure" } else { "" }
    )
}

/// The value of cookie `name` in a request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;
    const LIFETIME: i64 = 7 * 86_400;

    #[test]
    fn a_pre_session_is_short_and_its_token_dies_with_it() {
        let pre = Session::pre_session(NOW);
        let cookie = pre.encode(&key());
        assert!(Session::decode(&key(), &cookie, NOW + PRE_SESSION_SECS - 1).is_some());
        assert_eq!(
            Session::decode(&key(), &cookie, NOW + PRE_SESSION_SECS),
            None
        );
    }

    #[test]
    fn the_store_key_is_a_digest_not_the_secret() {
        let s = Session::new(Some("admin"), NOW, LIFETIME);
        let id = s.id();
        assert_eq!(id.len(), 64);
        assert!(!s.encode(&key()).contains(&id));
        assert_ne!(id, Session::new(Some("admin"), NOW, LIFETIME).id());
    }

    #[test]
    fn secure_cookies_carry_the_host_prefix() {
        let c = set_cookie(COOKIE, "v", 60, true);
        assert!(c.starts_with("__Host-spares_session=v; Path=/;"), "{c}");
        assert!(c.contains("; Secure") && !c.contains("Domain"));
        assert!(set_cookie(COOKIE, "v", 60, false).starts_with("spares_session=v;"));
    }

    fn key() -> SessionKey {
        SessionKey::from_secret("0123456789abcdef0123456789abcdef").expect("key")
    }

    #[test]
    fn a_session_round_trips_and_keeps_its_csrf_token() {
        let s = Session::new(Some("admin"), NOW, LIFETIME);
        let back = Session::decode(&key(), &s.encode(&key()), NOW + 10).expect("valid");
        assert_eq!(back, s);
        assert!(back.csrf_ok(&key(), &s.csrf_token(&key())));
        assert!(!back.csrf_ok(&key(), "forged"));
        assert!(!back.csrf_ok(
            &key(),
            &Session::new(Some("admin"), NOW, LIFETIME).csrf_token(&key())
        ));
    }

    #[test]
    fn forged_expired_or_foreign_cookies_are_refused() {
        let s = Session::new(Some("admin"), NOW, LIFETIME).encode(&key());
        // Another key.
        let other = SessionKey::from_secret("another secret that is long enough!").expect("key");
        assert_eq!(Session::decode(&other, &s, NOW), None);
        // Expired.
        assert_eq!(Session::decode(&key(), &s, NOW + LIFETIME), None);
        // Promoting a visitor cookie to a user by editing it.
        let visitor = Session::pre_session(NOW).encode(&key());
        let promoted = format!("admin{visitor}");
        assert_eq!(Session::decode(&key(), &promoted, NOW), None);
        for junk in ["", ".", "a.b.c.d", "admin.9999999999.n.", "...."] {
            assert_eq!(Session::decode(&key(), junk, NOW), None, "{junk}");
        }
    }

    #[test]
    fn weak_secrets_are_refused() {
        assert_eq!(SessionKey::from_secret("short").err(), Some(WeakSecret));
    }

    #[test]
    fn sealed_messages_open_only_unchanged() {
        let sealed = key().seal("Saved 10 kΩ");
        assert_eq!(key().open(&sealed).as_deref(), Some("Saved 10 kΩ"));
        assert_eq!(key().open(&sealed.replace('.', "x.")), None);
        assert_eq!(key().open("garbage"), None);
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = axum::http::HeaderMap::new();
        h.append(
            axum::http::header::COOKIE,
            "a=1; spares_session=xyz".parse().expect("header"),
        );
        h.append(axum::http::header::COOKIE, "b=2".parse().expect("header"));
        assert_eq!(cookie(&h, COOKIE), Some("xyz"));
        assert_eq!(cookie(&h, "b"), Some("2"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
