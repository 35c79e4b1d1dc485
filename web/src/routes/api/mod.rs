//! The JSON API, one module tree: [`spares`] (search, one spare, writes),
//! [`places`] (boxes and shops), [`projects`] (projects, builds, shopping), [`json`] (the shapes it reads and writes).
//! Here: who may call it. Reads follow [`ApiReader`] (public, or the token
//! / a signed-in session when reading is private); writes need
//! `Authorization: Bearer $SPARES_API_TOKEN` ([`ApiWriter`]). Bodies,
//! paths and query strings come through [`crate::extract`], so every
//! rejection is the same JSON error.

pub mod json;
pub mod places;
pub mod projects;
pub mod spares;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::auth::ReadAccess;
use crate::error::WebError;
use crate::state::AppState;

/// An API caller that presented the right bearer token.
pub struct ApiWriter;

/// An API caller allowed to read: anyone when reading is public; otherwise
/// the bearer token or a signed-in browser session.
pub struct ApiReader;

impl FromRequestParts<AppState> for ApiReader {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.auth.read == ReadAccess::Public
            || crate::auth::Visitor::load(parts, state).await.signed_in()
        {
            return Ok(ApiReader);
        }
        ApiWriter::from_request_parts(parts, state)
            .await
            .map(|_| ApiReader)
            .map_err(|_| {
                WebError::Unauthorized(
                    "reading is private on this server: send Authorization: Bearer <token>".into(),
                )
            })
    }
}

impl FromRequestParts<AppState> for ApiWriter {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = &state.api_token else {
            return Err(WebError::Forbidden(
                "API writes are disabled: set SPARES_API_TOKEN on the server".into(),
            ));
        };
        let presented = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| WebError::Unauthorized("send Authorization: Bearer <token>".into()))?;
        if token.matches(presented.trim()) {
            Ok(ApiWriter)
        } else {
            Err(WebError::Unauthorized("wrong API token".into()))
        }
    }
}
