//! Extractors for what a request carries — path parts, query strings, JSON
//! bodies — parsed into domain types, whose rejection is the app's own
//! [`WebError`] (axum's "customize extractor error" pattern): one message
//! for "not a whole number", one for a bad query string, whatever the
//! route. API routes use them as they are (the error renders as JSON);
//! pages wrap them in [`OnPage`] so the same error renders as an HTML page.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use spares_core::project::{BuildId, ProjectId};
use spares_core::{LocationCode, ShopName, SpareId};

use crate::error::WebError;
use crate::html::PageError;

/// Largest JSON body accepted by API writes.
pub const MAX_JSON_BODY: usize = 64 * 1024;

/// A JSON body (`Content-Type: application/json`, at most
/// [`MAX_JSON_BODY`] bytes).
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T, S> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(WebError::UnsupportedMediaType(
                "send JSON with Content-Type: application/json".into(),
            )),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(WebError::TooLarge(
                format!("the body is larger than {MAX_JSON_BODY} bytes"),
            )),
            Err(e) => Err(WebError::BadRequest(e.body_text())),
        }
    }
}

/// The query string, deserialized.
#[derive(Debug)]
pub struct Params<T>(pub T);

impl<T, S> FromRequestParts<S> for Params<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| Params(v))
            .map_err(|e| WebError::BadRequest(format!("bad query string: {}", e.body_text())))
    }
}

/// The one path parameter, as text.
async fn path_text<S: Send + Sync>(parts: &mut Parts, state: &S) -> Result<String, WebError> {
    Path::<String>::from_request_parts(parts, state)
        .await
        .map(|Path(t)| t)
        .map_err(|e| WebError::BadRequest(format!("bad address: {}", e.body_text())))
}

/// A part's number from the path (`/s/12`, `/api/spares/12`).
#[derive(Debug, Clone, Copy)]
pub struct SpareIdPath(pub SpareId);

impl<S: Send + Sync> FromRequestParts<S> for SpareIdPath {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let text = path_text(parts, state).await?;
        match text.trim().parse::<i64>() {
            Ok(n) => Ok(SpareIdPath(SpareId(n))),
            Err(_) => Err(WebError::BadRequest(
                "a part number is a whole number, e.g. 12".into(),
            )),
        }
    }
}

/// A whole number from the path, for `what` ("a project number").
async fn path_number<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
    what: &str,
) -> Result<i64, WebError> {
    let text = path_text(parts, state).await?;
    text.trim()
        .parse::<i64>()
        .map_err(|_| WebError::BadRequest(format!("{what} is a whole number, e.g. 3")))
}

/// A project's number from the path (`/projects/3`, `/api/projects/3`).
#[derive(Debug, Clone, Copy)]
pub struct ProjectIdPath(pub ProjectId);

impl<S: Send + Sync> FromRequestParts<S> for ProjectIdPath {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_number(parts, state, "a project number")
            .await
            .map(|n| ProjectIdPath(ProjectId(n)))
    }
}

/// A build's number from the path (`/builds/7/undo`).
#[derive(Debug, Clone, Copy)]
pub struct BuildIdPath(pub BuildId);

impl<S: Send + Sync> FromRequestParts<S> for BuildIdPath {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_number(parts, state, "a build number")
            .await
            .map(|n| BuildIdPath(BuildId(n)))
    }
}

/// A box code from the path (`/b/A1`, `/api/locations/A1`).
#[derive(Debug, Clone)]
pub struct BoxCodePath(pub LocationCode);

impl<S: Send + Sync> FromRequestParts<S> for BoxCodePath {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let text = path_text(parts, state).await?;
        LocationCode::parse(&text)
            .map(BoxCodePath)
            .map_err(|e| WebError::BadRequest(format!("box code: {e}")))
    }
}

/// A shop's name from the path (`/shops/LCSC`, `/api/shops/LCSC`).
#[derive(Debug, Clone)]
pub struct ShopNamePath(pub ShopName);

impl<S: Send + Sync> FromRequestParts<S> for ShopNamePath {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let text = path_text(parts, state).await?;
        ShopName::parse(&text)
            .map(ShopNamePath)
            .map_err(|e| WebError::BadRequest(format!("shop name: {e}")))
    }
}

/// Any of the extractors above on a page: the same rejection, rendered as
/// an HTML page ([`PageError`]) instead of JSON.
#[derive(Debug)]
pub struct OnPage<E>(pub E);

impl<E, S> FromRequestParts<S> for OnPage<E>
where
    E: FromRequestParts<S, Rejection = WebError>,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        E::from_request_parts(parts, state)
            .await
            .map(OnPage)
            .map_err(PageError)
    }
}
