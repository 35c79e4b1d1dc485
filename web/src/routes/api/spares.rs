//! `/api/spares`: `GET ?q=` answers a plain-language question, `GET
//! /{id}` returns one spare; `POST` creates, `PATCH`/`DELETE /{id}` change
//! and delete, `POST /{id}/adjust` adds or takes out. Writes need the
//! bearer token ([`ApiWriter`]); every error is JSON and changes nothing.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use spares_core::answer::answer;
use spares_core::query::{Page, Seek, Sort, SortKey};
use spares_core::question::understand;
use spares_core::search::run;
use spares_core::{Change, Source, SpareId, SpareInput};

use crate::html::encode;

use super::json::{SearchResponse, SpareJson, SuggestionJson, apply};
use super::{ApiReader, ApiWriter};
use crate::error::WebError;
use crate::extract::{JsonBody, Params, SpareIdPath};
use crate::state::AppState;

/// Most items one search returns.
pub const MAX_LIMIT: usize = 500;

#[derive(Debug, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    limit: Option<usize>,
    /// The order (as on the list page) and the id of the last item of the
    /// previous page: the next page, as cheap at any depth as the first.
    #[serde(default)]
    sort: String,
    #[serde(default)]
    dir: String,
    after: Option<i64>,
}

pub async fn search_spares(
    State(state): State<AppState>,
    _reader: ApiReader,
    Params(params): Params<SearchParams>,
) -> Result<Json<SearchResponse>, WebError> {
    let limit = params.limit.unwrap_or(50);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(WebError::BadRequest(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    let sort = Sort {
        key: SortKey::parse(&params.sort).unwrap_or_default(),
        descending: params.dir == "desc",
    };
    // One more than asked: whether a next page exists, without counting.
    let page = Page::first(limit + 1)
        .sorted(sort)
        .seek(params.after.map(|id| Seek::After(SpareId(id))));
    let mut outcome = run(state.store.as_ref(), understand(&params.q), &page).await?;
    let more = outcome.matches.len() > limit;
    outcome.matches.truncate(limit);
    let next = match outcome.matches.last() {
        Some(last) if more => Some(format!(
            "/api/spares?q={}&limit={limit}&sort={}&dir={}&after={}",
            encode(&params.q),
            sort.key.name(),
            if sort.descending { "desc" } else { "asc" },
            last.id.0
        )),
        _ => None,
    };
    Ok(Json(SearchResponse {
        interpretation: outcome.interpretation(),
        answer: answer(&params.q, &outcome),
        warnings: outcome.understood.warnings.clone(),
        approximate: outcome.approximate,
        total: outcome.total,
        items: outcome.matches.iter().map(SpareJson::from).collect(),
        suggestions: outcome
            .suggestions
            .iter()
            .map(SuggestionJson::from)
            .collect(),
        next,
    }))
}

pub async fn get_spare(
    State(state): State<AppState>,
    _reader: ApiReader,
    SpareIdPath(id): SpareIdPath,
) -> Result<Json<SpareJson>, WebError> {
    let spare = state.store.get_spare(id).await?;
    Ok(Json(SpareJson::from(&spare)))
}

/// `POST /api/spares` with the CSV's fields as JSON; parameters as an object.
pub async fn create(
    State(state): State<AppState>,
    _writer: ApiWriter,
    JsonBody(body): JsonBody<Value>,
) -> Result<(StatusCode, Json<SpareJson>), WebError> {
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
    SpareIdPath(id): SpareIdPath,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<SpareJson>, WebError> {
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
    SpareIdPath(id): SpareIdPath,
    JsonBody(body): JsonBody<AdjustBody>,
) -> Result<Json<Value>, WebError> {
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
    SpareIdPath(id): SpareIdPath,
) -> Result<StatusCode, WebError> {
    state.store.delete_spare(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
