//! One error type for every handler, rendered once (as JSON for `/api`).
//! Internals are logged, never shown.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use spares_core::StoreError;

/// What a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 429 with `Retry-After`.
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_secs: u64,
    },
    #[error("the database is not available")]
    Unavailable(String),
    /// A failure the visitor cannot fix; the cause is kept as the source
    /// and logged as a chain, never shown.
    #[error("internal error")]
    Internal(#[source] BoxError),
}

/// The cause an internal error keeps.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => WebError::NotFound(e.to_string()),
            StoreError::Conflict(_) | StoreError::InsufficientStock { .. } => {
                WebError::Conflict(e.to_string())
            }
            StoreError::Invalid(_) => WebError::BadRequest(e.to_string()),
            StoreError::Unavailable(_) => WebError::Unavailable(e.to_string()),
            other => WebError::Internal(Box::new(other)),
        }
    }
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            WebError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            WebError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl WebError {
    /// An internal error caused by `e`.
    pub fn internal(e: impl Into<BoxError>) -> WebError {
        WebError::Internal(e.into())
    }

    /// Logs what the visitor is not shown: the whole cause of an internal
    /// error, the reason the database is unavailable.
    pub fn log(&self, what: &str) {
        match self {
            WebError::Internal(_) => {
                tracing::error!(error = %spares_core::error_chain(self), "{what} failed")
            }
            WebError::Unavailable(detail) => {
                tracing::error!(error = %detail, "{what} failed: database unavailable")
            }
            _ => {}
        }
    }

    /// "Busy, try again in a moment": the bounded heavy work (label
    /// rendering, exports, photo decoding) is all in use.
    pub fn busy(what: &str) -> WebError {
        WebError::TooManyRequests {
            message: format!("{what} is busy with other requests; try again in a moment"),
            retry_after_secs: 2,
        }
    }

    /// Adds `Retry-After` to a 429 answer.
    pub fn add_retry_after(&self, response: &mut Response) {
        if let WebError::TooManyRequests {
            retry_after_secs, ..
        } = self
        {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(*retry_after_secs),
            );
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        self.log("request");
        let mut response =
            (self.status(), Json(json!({ "error": self.to_string() }))).into_response();
        self.add_retry_after(&mut response);
        response
    }
}
