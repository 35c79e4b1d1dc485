//! Sign-in and sign-out. One password, checked against the argon2 hash in
//! `SPARES_ADMIN_PASSWORD_HASH`; the session is a signed cookie.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::local_path;
use crate::auth::extract::{CsrfForm, now, see_other};
use crate::auth::{Session, Visitor};
use crate::error::WebError;
use crate::html::{Ctx, PageError, page, with_cookies};
use crate::state::AppState;

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

/// Shows the form; gives a signed-out visitor a session (for the form's
/// CSRF token) when they have none.
fn login_page(state: &AppState, visitor: &Visitor, next: &str, error: &str) -> Response {
    let mut visitor = visitor.clone();
    let mut cookies = visitor.page_cookies();
    if visitor.session.is_none() {
        let session = Session::new(None, now());
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
    if error.is_empty() {
        response
    } else {
        (StatusCode::UNAUTHORIZED, response).into_response()
    }
}

/// `GET /login?next=/path`.
pub async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    params: Result<Query<LoginParams>, QueryRejection>,
) -> Response {
    let next = params.map(|Query(p)| p.next).unwrap_or_default();
    login_page(&state, &visitor, &next, "")
}

/// `POST /login` (`password`, `next`, `csrf`).
pub async fn login(State(state): State<AppState>, form: CsrfForm) -> Result<Response, PageError> {
    let next = local_path(form.get("next"), "/");
    let Some(hash) = state.auth.password.clone() else {
        return Ok(login_page(
            &state,
            &form.visitor,
            &next,
            "Sign-in is not set up on this server.",
        ));
    };
    let password = form.get("password").to_owned();
    let ok = tokio::task::spawn_blocking(move || hash.verify(&password))
        .await
        .map_err(|e| PageError(WebError::Internal(e.to_string())))?;
    if !ok {
        tracing::warn!("failed sign-in");
        return Ok(login_page(&state, &form.visitor, &next, "Wrong password."));
    }
    // A fresh session: the signed-out nonce is never reused.
    let session = Session::new(Some(ADMIN), now());
    let response = see_other(&next, Some(form.visitor.flash_cookie("Signed in.")));
    Ok(with_cookies(
        response,
        vec![form.visitor.session_cookie(&session)],
    ))
}

/// `POST /logout`.
pub async fn logout(form: CsrfForm) -> Response {
    let response = see_other("/", Some(form.visitor.flash_cookie("Signed out.")));
    with_cookies(response, vec![form.visitor.clear_session_cookie()])
}
