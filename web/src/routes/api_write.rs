//! API writes: `POST /api/spares`, `PATCH`/`DELETE /api/spares/{id}`,
//! `POST /api/spares/{id}/adjust`. Each needs `Authorization: Bearer
//! $SPARES_API_TOKEN`; every error is JSON and changes nothing. Also the
//! [`ApiReader`] rule for reads (public, or token / signed-in session).

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::Deserialize;
use serde_json::{Value, json};
use spares_core::{Change, Source, SpareId, SpareInput};

use crate::auth::ReadAccess;
use crate::error::WebError;
use crate::routes::api::SpareJson;
use crate::state::AppState;

/// Largest JSON body accepted by API writes.
pub const MAX_BODY: usize = 64 * 1024;

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

pub fn json_error(e: JsonRejection) -> WebError {
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

/// Applies the fields present in `body` to `input` (absent fields stay;
/// `null` or "" clears). Parameters merge by name; a `null` value removes
/// one. Unknown fields are refused so a typo is not silently ignored.
fn apply(body: &Value, input: &mut SpareInput) -> Result<(), WebError> {
    let Some(obj) = body.as_object() else {
        return Err(WebError::BadRequest("send a JSON object".into()));
    };
    for (key, v) in obj {
        match key.as_str() {
            "parameters" => match v {
                Value::Null => input.parameters.clear(),
                Value::Object(p) => {
                    for (name, value) in p {
                        input
                            .parameters
                            .retain(|(n, _)| !n.trim().eq_ignore_ascii_case(name.trim()));
                        if !value.is_null() {
                            input.parameters.push((name.clone(), text(Some(value))));
                        }
                    }
                }
                _ => {
                    return Err(WebError::BadRequest(
                        "parameters: an object of name → value".into(),
                    ));
                }
            },
            "tags" => {
                input.tags = match v {
                    Value::Array(a) => a
                        .iter()
                        .map(|t| text(Some(t)))
                        .collect::<Vec<_>>()
                        .join(" "),
                    other => text(Some(other)),
                }
            }
            "id" => {}
            name => match (input.field_mut(name), v) {
                (Some(_), Value::Array(_) | Value::Object(_) | Value::Bool(_)) => {
                    return Err(WebError::BadRequest(format!(
                        "{name}: give text or a number"
                    )));
                }
                (Some(slot), v) => *slot = text(Some(v)),
                (None, _) => {
                    return Err(WebError::BadRequest(format!(
                        "unknown field {name:?} (known: {}, parameters)",
                        SpareInput::TEXT_FIELDS.join(", ")
                    )));
                }
            },
        }
    }
    Ok(())
}

/// `POST /api/spares` with the CSV's fields as JSON; parameters as an object.
pub async fn create(
    State(state): State<AppState>,
    _writer: ApiWriter,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<SpareJson>), WebError> {
    let Json(body) = body.map_err(json_error)?;
    let mut input = SpareInput::default();
    apply(&body, &mut input)?;
    let data = input
        .parse(Some(state.currency))
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let spare = state
        .store
        .create_spare(data, &Change::new(Source::Api, "api"))
        .await?;
    Ok((StatusCode::CREATED, Json(SpareJson::from(&spare))))
}

/// `PATCH /api/spares/{id}`: changes only the fields given (a quantity
/// change is recorded in the history).
pub async fn patch(
    State(state): State<AppState>,
    _writer: ApiWriter,
    id: Result<Path<i64>, PathRejection>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Json<SpareJson>, WebError> {
    let id = path_id(id)?;
    let Json(body) = body.map_err(json_error)?;
    let current = state.store.get_spare(id).await?;
    let mut input = SpareInput::from_data(&current);
    apply(&body, &mut input)?;
    let data = input
        .parse(Some(state.currency))
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let spare = state
        .store
        .update_spare(
            id,
            data,
            &Change::new(Source::Api, "api").with_reason("edited"),
        )
        .await?;
    Ok(Json(SpareJson::from(&spare)))
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
