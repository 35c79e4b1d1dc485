//! API writes: `POST /api/spares`, `POST /api/spares/{id}/adjust`,
//! `DELETE /api/spares/{id}`. Each needs `Authorization: Bearer
//! $SPARES_API_TOKEN`; every error is JSON and changes nothing.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::Deserialize;
use serde_json::{Value, json};
use spares_core::{Change, Source, SpareId, SpareInput};

use crate::error::WebError;
use crate::routes::api::SpareJson;
use crate::state::AppState;

/// Largest JSON body accepted by API writes.
pub const MAX_BODY: usize = 64 * 1024;

/// An API caller that presented the right bearer token.
pub struct ApiWriter;

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

fn json_error(e: JsonRejection) -> WebError {
    match e {
        JsonRejection::MissingJsonContentType(_) => {
            WebError::UnsupportedMediaType("send JSON with Content-Type: application/json".into())
        }
        JsonRejection::BytesRejection(_) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            WebError::TooLarge(format!("the body is larger than {MAX_BODY} bytes"))
        }
        other => WebError::BadRequest(other.body_text()),
    }
}

fn path_id(id: Result<Path<i64>, PathRejection>) -> Result<SpareId, WebError> {
    let Path(id) = id.map_err(|_| WebError::BadRequest("a spare id is a whole number".into()))?;
    Ok(SpareId(id))
}

/// Fields as text or numbers (`"quantity": 100` and `"quantity": "100"`).
fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// `POST /api/spares` with the CSV's fields as JSON; parameters as an object.
pub async fn create(
    State(state): State<AppState>,
    _writer: ApiWriter,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<SpareJson>), WebError> {
    let Json(body) = body.map_err(json_error)?;
    let Some(obj) = body.as_object() else {
        return Err(WebError::BadRequest("send a JSON object".into()));
    };
    let f = |k: &str| text(obj.get(k));
    let parameters = match obj.get("parameters") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(p)) => p.iter().map(|(k, v)| (k.clone(), text(Some(v)))).collect(),
        Some(_) => {
            return Err(WebError::BadRequest(
                "parameters: an object of name → value".into(),
            ));
        }
    };
    let tags = match obj.get("tags") {
        Some(Value::Array(a)) => a
            .iter()
            .map(|t| text(Some(t)))
            .collect::<Vec<_>>()
            .join(" "),
        other => text(other),
    };
    let input = SpareInput {
        category: f("category"),
        reference: f("reference"),
        manufacturer: f("manufacturer"),
        description: f("description"),
        value: f("value"),
        package: f("package"),
        parameters,
        tags,
        quantity: f("quantity"),
        low_stock: f("low_stock"),
        unit_price: f("unit_price"),
        currency: f("currency"),
        shop: f("shop"),
        location: f("location"),
        datasheet: f("datasheet"),
        notes: f("notes"),
    };
    let data = input
        .parse(None)
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let spare = state
        .store
        .create_spare(data, &Change::new(Source::Api, "api"))
        .await?;
    Ok((StatusCode::CREATED, Json(SpareJson::from(&spare))))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdjustBody {
    delta: i64,
    #[serde(default)]
    reason: String,
}

/// `POST /api/spares/{id}/adjust {"delta": -3, "reason": "..."}`.
pub async fn adjust(
    State(state): State<AppState>,
    _writer: ApiWriter,
    id: Result<Path<i64>, PathRejection>,
    body: Result<Json<AdjustBody>, JsonRejection>,
) -> Result<Json<Value>, WebError> {
    let id = path_id(id)?;
    let Json(body) = body.map_err(json_error)?;
    let change = Change::new(Source::Api, "api").with_reason(&body.reason);
    let m = state.store.adjust(id, body.delta, &change).await?;
    Ok(Json(json!({
        "id": m.spare.0,
        "delta": m.delta,
        "quantity": m.quantity_after.get(),
        "movement": m.id,
    })))
}

/// `DELETE /api/spares/{id}`.
pub async fn delete(
    State(state): State<AppState>,
    _writer: ApiWriter,
    id: Result<Path<i64>, PathRejection>,
) -> Result<StatusCode, WebError> {
    let id = path_id(id)?;
    state.store.delete_spare(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
