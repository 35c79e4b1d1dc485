//! Extractors that apply the access rules before a handler runs.
//!
//! - [`Visitor`]: anyone; carries the session (if any) and the flash message.
//! - [`Reader`]: a visitor allowed to read (always, when reading is public).
//! - [`Editor`]: a signed-in visitor (pages that show a write form).
//! - [`EditForm`]: a signed-in visitor's urlencoded form whose CSRF token
//!   matched. Handlers that change data take this, so no write can skip it.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::session::{self, COOKIE, FLASH_COOKIE, Session};
use super::{Auth, ReadAccess};
use crate::error::WebError;
use crate::html::PageError;
use crate::state::AppState;

/// The current Unix time.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Anyone, with their session and one-shot message.
#[derive(Clone)]
pub struct Visitor {
    pub session: Option<Session>,
    pub flash: Option<String>,
    /// Whether cookies set in the answer get `Secure`.
    pub secure: bool,
    /// The path and query asked for (for "sign in, then come back").
    pub path: String,
    auth: std::sync::Arc<Auth>,
}

impl Visitor {
    /// The visitor of a request. A signed-in cookie counts only while its
    /// session is in the store and still valid (not signed out, not idle too
    /// long, not past its lifetime, same password); otherwise the visitor
    /// is signed out.
    pub async fn load(parts: &Parts, state: &AppState) -> Visitor {
        let auth = &state.auth;
        let headers = &parts.headers;
        let secure = auth.secure_cookies || forwarded_https(headers);
        let now = now();
        let mut session = session::cookie(headers, &session::cookie_name(COOKIE, secure))
            .and_then(|v| Session::decode(&auth.key, v, now));
        if let Some(s) = &session
            && s.signed_in()
            && !still_signed_in(state, s, now).await
        {
            session = None;
        }
        let flash = session::cookie(headers, &session::cookie_name(FLASH_COOKIE, secure))
            .and_then(|v| auth.key.open(v));
        Visitor {
            session,
            flash,
            secure,
            path: parts
                .uri
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
            auth: std::sync::Arc::clone(auth),
        }
    }

    pub fn user(&self) -> Option<&str> {
        self.session.as_ref().and_then(|s| s.user.as_deref())
    }

    pub fn signed_in(&self) -> bool {
        self.user().is_some()
    }

    /// This session's CSRF token ("" without a session).
    pub fn csrf(&self) -> String {
        self.session
            .as_ref()
            .map(|s| s.csrf_token(&self.auth.key))
            .unwrap_or_default()
    }

    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    /// `Set-Cookie` values every page answer carries: the flash message is
    /// shown once, then deleted.
    pub fn page_cookies(&self) -> Vec<String> {
        if self.flash.is_some() {
            vec![session::set_cookie(FLASH_COOKIE, "", 0, self.secure)]
        } else {
            Vec::new()
        }
    }

    /// A `Set-Cookie` carrying `message` to the next page.
    pub fn flash_cookie(&self, message: &str) -> String {
        session::set_cookie(FLASH_COOKIE, &self.auth.key.seal(message), 60, self.secure)
    }

    /// A `Set-Cookie` carrying `session` (until it ends).
    pub fn session_cookie(&self, session: &Session) -> String {
        session::set_cookie(
            COOKIE,
            &session.encode(&self.auth.key),
            (session.expires - now()).max(0),
            self.secure,
        )
    }

    /// A `Set-Cookie` that signs out.
    pub fn clear_session_cookie(&self) -> String {
        session::set_cookie(COOKIE, "", 0, self.secure)
    }

    /// 303 to the login page, then back to this page.
    pub fn to_login(&self, message: &str) -> Response {
        let next: String = url::form_urlencoded::byte_serialize(self.path.as_bytes()).collect();
        crate::html::see_other(
            &format!("/login?next={next}"),
            Some(self.flash_cookie(message)),
        )
    }
}

/// How often a session's `last_seen` is written (a write per request
/// would serialise every page view on the store's writer).
const TOUCH_EVERY_SECS: i64 = 60;

/// Whether a signed-in cookie's session is still valid in the store;
/// records activity about once a minute.
async fn still_signed_in(state: &AppState, session: &Session, now: i64) -> bool {
    let id = session.id();
    let record = match state.store.get_session(&id).await {
        Ok(Some(r)) => r,
        Ok(None) => return false,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the session; treating the visitor as signed out");
            return false;
        }
    };
    let auth = &state.auth;
    if record.user.as_str() != session.user.as_deref().unwrap_or_default()
        || !record.valid_at(now, auth.sessions.idle_secs, auth.credential())
    {
        return false;
    }
    if now - record.last_seen >= TOUCH_EVERY_SECS
        && let Err(e) = state.store.touch_session(&id, now).await
    {
        tracing::warn!(error = %e, "cannot record session activity");
    }
    true
}

impl crate::html::Viewer for Visitor {
    fn signed_in(&self) -> bool {
        Visitor::signed_in(self)
    }
    fn csrf(&self) -> String {
        Visitor::csrf(self)
    }
    fn flash(&self) -> Option<&str> {
        self.flash.as_deref()
    }
    fn page_cookies(&self) -> Vec<String> {
        Visitor::page_cookies(self)
    }
}

/// Whether the request came over https (the public URL says so, or a
/// proxy does).
pub fn is_https(auth: &Auth, headers: &HeaderMap) -> bool {
    auth.secure_cookies || forwarded_https(headers)
}

fn forwarded_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Visitor::load(parts, state).await)
    }
}

/// A visitor allowed to read pages.
pub struct Reader(pub Visitor);

impl FromRequestParts<AppState> for Reader {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let v = Visitor::load(parts, state).await;
        if state.auth.read == ReadAccess::Public || v.signed_in() {
            Ok(Reader(v))
        } else {
            Err(v.to_login("Sign in to see the parts."))
        }
    }
}

/// A signed-in visitor (for pages that show a write form).
pub struct Editor(pub Visitor);

impl FromRequestParts<AppState> for Editor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let v = Visitor::load(parts, state).await;
        if v.signed_in() {
            Ok(Editor(v))
        } else {
            Err(v.to_login("Sign in to make changes."))
        }
    }
}

/// A urlencoded form whose CSRF token matched the visitor's session. Field
/// order is kept (parameter rows come in pairs).
pub struct CsrfForm {
    pub visitor: Visitor,
    pub fields: Vec<(String, String)>,
}

impl CsrfForm {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What a form that failed its CSRF check is told.
pub const CSRF_MESSAGE: &str = "This form has expired or did not come from this site, so nothing was changed. Go back, reload the page and try again.";

impl FromRequest<AppState> for CsrfForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let visitor = Visitor::load(&parts, state).await;
        CsrfForm::checked(visitor, Request::from_parts(parts, body), state).await
    }
}

impl CsrfForm {
    /// Reads the form of `req` and checks its token against `visitor`'s
    /// session (already loaded by the caller: one session read a request).
    async fn checked(visitor: Visitor, req: Request, state: &AppState) -> Result<Self, Response> {
        let Form(fields): Form<Vec<(String, String)>> = Form::from_request(req, state)
            .await
            .map_err(|e| form_error(e).into_response())?;
        let token = fields
            .iter()
            .find(|(k, _)| k == "csrf")
            .map_or("", |(_, v)| v.as_str());
        let ok = visitor
            .session
            .as_ref()
            .is_some_and(|s| s.csrf_ok(&state.auth.key, token));
        if !ok {
            return Err(PageError(WebError::Forbidden(CSRF_MESSAGE.into())).into_response());
        }
        Ok(CsrfForm { visitor, fields })
    }
}

fn form_error(e: FormRejection) -> PageError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return PageError(WebError::TooLarge("the form is too large".into()));
    }
    if e.status() == StatusCode::UNSUPPORTED_MEDIA_TYPE {
        return PageError(WebError::UnsupportedMediaType(
            "send the form as application/x-www-form-urlencoded".into(),
        ));
    }
    PageError(WebError::BadRequest(format!(
        "unreadable form: {}",
        e.body_text()
    )))
}

/// A signed-in visitor's form with a valid CSRF token: what every page
/// write takes.
pub struct EditForm(pub CsrfForm);

impl FromRequest<AppState> for EditForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let visitor = Visitor::load(&parts, state).await;
        if !visitor.signed_in() {
            // Checked before the CSRF token: a signed-out visitor is sent to
            // sign in (then back to the page the form was on).
            let mut v = visitor;
            if let Some(referer) = parts
                .headers
                .get(axum::http::header::REFERER)
                .and_then(|r| r.to_str().ok())
                .and_then(|r| url::Url::parse(r).ok())
            {
                v.path = referer[url::Position::BeforePath..].to_owned();
            }
            return Err(v.to_login("Sign in to make changes; nothing was changed."));
        }
        let form = CsrfForm::checked(visitor, Request::from_parts(parts, body), state).await?;
        Ok(EditForm(form))
    }
}

impl std::ops::Deref for EditForm {
    type Target = CsrfForm;
    fn deref(&self) -> &CsrfForm {
        &self.0
    }
}
