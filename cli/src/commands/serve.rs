//! `spares serve`: the web app and the JSON API.

use std::sync::Arc;

use anyhow::Context;
use spares_core::{Currency, PublicUrl};
use spares_web::auth::{Auth, PasswordHash, ReadAccess, SessionKey, SessionPolicy};
use spares_web::config::ServeArgs;
use spares_web::state::{ApiToken, AppState};

pub async fn serve(
    url: &str,
    args: &ServeArgs,
    currency: Currency,
    public_url: Option<PublicUrl>,
) -> anyhow::Result<bool> {
    let api_token = match args.api_token.as_deref() {
        None | Some("") => None,
        Some(t) => Some(
            ApiToken::new(t)
                .context("SPARES_API_TOKEN / --api-token must have at least 16 characters")?,
        ),
    };
    let auth = auth_settings(args, public_url.as_ref())?;
    let store = super::open(url).await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let addr = listener.local_addr().context("reading the bound address")?;
    tracing::info!(%addr, database = store.backend(), "Spares is listening on http://{addr}");
    let state = AppState {
        store,
        api_token,
        auth,
        currency,
        public_url,
        limits: spares_web::limits::Limits::default(),
    };
    spares_web::startup::serve(listener, state)
        .await
        .context("serving")?;
    Ok(true)
}

/// Sign-in settings from configuration; malformed values stop the start.
fn auth_settings(args: &ServeArgs, public_url: Option<&PublicUrl>) -> anyhow::Result<Arc<Auth>> {
    let password = match args.admin_password_hash.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(h) => Some(PasswordHash::parse(h).context("SPARES_ADMIN_PASSWORD_HASH")?),
    };
    let key = match args.session_secret.as_deref().map(str::trim) {
        None | Some("") => {
            tracing::warn!(
                "SPARES_SESSION_SECRET is not set: sessions end when the server restarts and are not shared between replicas"
            );
            SessionKey::random()
        }
        Some(secret) => SessionKey::from_secret(secret)?,
    };
    if password.is_none() {
        if args.read_access == ReadAccess::Private {
            anyhow::bail!(
                "SPARES_READ_ACCESS=private needs SPARES_ADMIN_PASSWORD_HASH (make one with `spares hash-password`), otherwise nobody could read"
            );
        }
        tracing::warn!(
            "SPARES_ADMIN_PASSWORD_HASH is not set: nobody can sign in, so the web pages are read-only"
        );
    }
    let secure = public_url.is_some_and(PublicUrl::is_https);
    let policy = SessionPolicy {
        idle_secs: args.session_idle_timeout,
        lifetime_secs: args.session_lifetime,
    };
    Ok(Arc::new(
        Auth::build(key, password, args.read_access, secure)
            .with_sessions(policy)
            .with_trusted_proxies(args.trusted_proxies.clone()),
    ))
}
