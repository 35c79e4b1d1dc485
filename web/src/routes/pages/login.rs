//! Sign-in and sign-out. One password, checked against the argon2 hash in
//! `SPARES_ADMIN_PASSWORD_HASH` behind the sign-in limits
//! ([`crate::auth::throttle`]); the session is a signed cookie whose record
//! in the store sign-out deletes.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::local_path;
use crate::auth::client::ClientAddr;
use crate::auth::extract::{CsrfForm, now};
use crate::auth::throttle::Refused;
use crate::auth::{Session, Visitor};
use crate::error::WebError;
use crate::html::see_other;
use crate::html::{Ctx, PageError, page, with_cookies};
use crate::state::AppState;
use spares_core::SessionRecord;

/// The name changes are recorded under.
pub const ADMIN: &str = "admin";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ctx: Ctx,
    next: String,
    error: String,
    configured: bool,
}

#[derive(Debug, Deserialize)]
pub struct LoginParams {
    #[serde(default)]
    next: String,
}

/// Shows the form with a fresh pre-session (for the form's CSRF token)
/// when the visitor is signed out and has none, or after a failed attempt
/// (`error` set: each attempt's token is used once by an honest browser).
fn login_page(
    state: &AppState,
    visitor: &Visitor,
    next: &str,
    error: &str,
    status: StatusCode,
) -> Response {
    let mut visitor = visitor.clone();
    let mut cookies = visitor.page_cookies();
    if !visitor.signed_in() && (visitor.session.is_none() || !error.is_empty()) {
        let session = Session::pre_session(now());
        cookies.push(visitor.session_cookie(&session));
        visitor.session = Some(session);
    }
    let view = LoginPage {
        ctx: Ctx::new(&visitor, "Sign in"),
        next: local_path(next, "/"),
        error: error.to_owned(),
        configured: state.auth.password.is_some(),
    };
    let response = with_cookies(page(&visitor, &view), cookies);
    (status, response).into_response()
}

/// The sign-in page answering 429, with `Retry-After`.
fn refused(state: &AppState, visitor: &Visitor, next: &str, why: Refused) -> Response {
    let secs = why.retry_after().as_secs_f64().ceil().max(1.0) as u64;
    let message = match why {
        Refused::Busy(_) => format!(
            "The server is checking other sign-ins; try again in {secs} second{}.",
            if secs == 1 { "" } else { "s" }
        ),
        Refused::Backoff(_) | Refused::Slowed(_) => format!(
            "Too many wrong passwords; try again in {secs} second{}.",
            if secs == 1 { "" } else { "s" }
        ),
    };
    let mut response = login_page(
        state,
        visitor,
        next,
        &message,
        StatusCode::TOO_MANY_REQUESTS,
    );
    response.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from(secs),
    );
    response
}

/// `GET /login?next=/path`.
pub async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    params: Result<Query<LoginParams>, QueryRejection>,
) -> Response {
    let next = params.map(|Query(p)| p.next).unwrap_or_default();
    login_page(&state, &visitor, &next, "", StatusCode::OK)
}

/// `POST /login` (`password`, `next`, `csrf`).
pub async fn login(
    State(state): State<AppState>,
    client: ClientAddr,
    form: CsrfForm,
) -> Result<Response, PageError> {
    let next = local_path(form.get("next"), "/");
    let Some(hash) = state.auth.password.clone() else {
        return Ok(login_page(
            &state,
            &form.visitor,
            &next,
            "Sign-in is not set up on this server.",
            StatusCode::UNAUTHORIZED,
        ));
    };
    let permit = match state.auth.throttle.admit(client.0) {
        Ok(p) => p,
        Err(why) => {
            tracing::warn!(client = %client, ?why, "sign-in refused by the limits");
            return Ok(refused(&state, &form.visitor, &next, why));
        }
    };
    let password = form.get("password").to_owned();
    let ok = tokio::task::spawn_blocking(move || {
        // The permit is held while argon2 runs.
        let _permit = permit;
        hash.verify(&password)
    })
    .await
    .map_err(|e| PageError(WebError::internal(e)))?;
    if !ok {
        let wait = state.auth.throttle.failed(client.0);
        tracing::warn!(client = %client, wait_secs = wait.as_secs(), "failed sign-in");
        return Ok(login_page(
            &state,
            &form.visitor,
            &next,
            "Wrong password.",
            StatusCode::UNAUTHORIZED,
        ));
    }
    state.auth.throttle.succeeded(client.0);
    // A fresh session: the signed-out nonce is never reused.
    let now = now();
    let session = Session::new(Some(ADMIN), now, state.auth.sessions.lifetime_secs);
    state
        .store
        .create_session(&SessionRecord {
            id: session.id(),
            user: ADMIN.to_owned(),
            credential: state.auth.credential().to_owned(),
            created_at: now,
            last_seen: now,
            expires_at: session.expires,
        })
        .await?;
    tracing::info!(client = %client, "signed in");
    let response = see_other(&next, Some(form.visitor.flash_cookie("Signed in.")));
    Ok(with_cookies(
        response,
        vec![form.visitor.session_cookie(&session)],
    ))
}

/// `POST /logout`: ends the session in the store (so a copied cookie stops
/// working too), then deletes the cookie.
pub async fn logout(State(state): State<AppState>, form: CsrfForm) -> Result<Response, PageError> {
    if let Some(session) = form.visitor.session.as_ref().filter(|s| s.signed_in()) {
        state.store.end_session(&session.id()).await?;
    }
    let response = see_other("/", Some(form.visitor.flash_cookie("Signed out.")));
    Ok(with_cookies(
        response,
        vec![form.visitor.clear_session_cookie()],
    ))
}
