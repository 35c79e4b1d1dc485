//! Rendering pages: the layout context every template gets, the HTML error
//! page, and the embedded stylesheet under a content-hashed name.

use std::sync::LazyLock;

use askama::Template;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use spares_core::StoreError;

use crate::error::WebError;

const CSS: &str = include_str!("../static/style.css");
const SCAN_JS: &str = include_str!("../static/scan.js");

/// A static file's URL carries a hash of its content, so browsers may
/// cache it forever and still see every change.
fn hashed_url(stem: &str, ext: &str, content: &str) -> String {
    let hash = content.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("/static/{stem}-{:08x}.{ext}", hash as u32)
}

pub static CSS_URL: LazyLock<String> = LazyLock::new(|| hashed_url("style", "css", CSS));

/// The Scan page's live camera scanning (served by Spares itself, so the
/// CSP's `script-src 'self'` allows it).
pub static SCAN_JS_URL: LazyLock<String> = LazyLock::new(|| hashed_url("scan", "js", SCAN_JS));

fn immutable(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (CONTENT_TYPE, content_type),
            (CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}

pub async fn stylesheet() -> Response {
    immutable("text/css; charset=utf-8", CSS)
}

pub async fn scan_script() -> Response {
    immutable("text/javascript; charset=utf-8", SCAN_JS)
}

/// What a page needs to know about the person looking at it (auth's
/// `Visitor` is one): html depends on nothing of auth, auth on html.
pub trait Viewer {
    fn signed_in(&self) -> bool;
    /// The CSRF token their forms carry ("" when signed out).
    fn csrf(&self) -> String;
    /// The one-shot message to show ("!…" for a failure).
    fn flash(&self) -> Option<&str>;
    /// Cookies a shown page sets (deleting the flash message it showed).
    fn page_cookies(&self) -> Vec<String>;
}

/// What the layout (`base.html`) shows around every page.
pub struct Ctx {
    pub title: String,
    pub css_url: &'static str,
    pub signed_in: bool,
    /// The CSRF token every form carries ("" when signed out).
    pub csrf: String,
    /// The one-shot message saying what the last action did.
    pub flash: Option<String>,
    /// Whether that message reports a failure.
    pub flash_error: bool,
}

impl Ctx {
    pub fn new(viewer: &impl Viewer, title: impl Into<String>) -> Ctx {
        let flash = viewer.flash();
        Ctx {
            title: title.into(),
            css_url: CSS_URL.as_str(),
            signed_in: viewer.signed_in(),
            csrf: viewer.csrf(),
            flash: flash.map(|f| f.strip_prefix('!').unwrap_or(f).to_owned()),
            flash_error: flash.is_some_and(|f| f.starts_with('!')),
        }
    }

    fn plain(title: impl Into<String>) -> Ctx {
        Ctx {
            title: title.into(),
            css_url: CSS_URL.as_str(),
            signed_in: false,
            csrf: String::new(),
            flash: None,
            flash_error: false,
        }
    }
}

/// Renders a template; a template failure is logged and answered 500.
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// Renders a page for `viewer` (deleting the flash message it showed).
pub fn page(viewer: &impl Viewer, template: &impl Template) -> Response {
    with_cookies(render(template), viewer.page_cookies())
}

/// Adds `Set-Cookie` headers to a response.
pub fn with_cookies(mut response: Response, cookies: Vec<String>) -> Response {
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            response.headers_mut().append(SET_COOKIE, v);
        }
    }
    response
}

/// 303 See Other (what a form post answers), with an optional cookie.
pub fn see_other(location: &str, cookie: Option<String>) -> Response {
    let mut response = axum::response::Redirect::to(location).into_response();
    if let Some(c) = cookie
        && let Ok(v) = c.parse()
    {
        response
            .headers_mut()
            .append(axum::http::header::SET_COOKIE, v);
    }
    response
}

/// A page that failed: the same [`WebError`], rendered as HTML.
#[derive(Debug)]
pub struct PageError(pub WebError);

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        PageError(e.into())
    }
}

impl From<WebError> for PageError {
    fn from(e: WebError) -> Self {
        PageError(e)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: Ctx,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        self.0.log("page");
        let page = ErrorPage {
            ctx: Ctx::plain(status.canonical_reason().unwrap_or("Error")),
            message: self.0.to_string(),
        };
        let mut response = (status, render(&page)).into_response();
        self.0.add_retry_after(&mut response);
        response
    }
}

/// Percent-encodes text for a query string.
pub fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
