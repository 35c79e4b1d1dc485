//! The JSON API: `GET /api/spares?q=` answers a plain-language question;
//! `GET /api/spares/{id}` returns one spare.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use spares_core::answer::answer;
use spares_core::search::{Suggestion, search};
use spares_core::{Spare, SpareId};

use crate::error::WebError;
use crate::routes::api_write::ApiReader;
use crate::state::AppState;

/// Most items one search returns.
pub const MAX_LIMIT: usize = 500;

#[derive(Debug, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    limit: Option<usize>,
}

/// A spare as the API shows it.
#[derive(Debug, Serialize)]
pub struct SpareJson {
    id: i64,
    category: String,
    reference: String,
    manufacturer: String,
    description: String,
    /// Engineering notation ("10 kΩ").
    value: Option<String>,
    /// The value in SI base units (10000.0).
    value_si: Option<f64>,
    package: Option<String>,
    quantity: i64,
    low_stock: Option<i64>,
    location: Option<String>,
    /// Name → value as shown ("50 V", "X7R").
    parameters: BTreeMap<String, String>,
    /// Exact decimal, as a string.
    unit_price: Option<String>,
    currency: Option<String>,
    shop: Option<String>,
    tags: Vec<String>,
    datasheet: Option<String>,
}

impl From<&Spare> for SpareJson {
    fn from(s: &Spare) -> Self {
        SpareJson {
            id: s.id.0,
            category: s.category.key().to_owned(),
            reference: s.reference.clone(),
            manufacturer: s.manufacturer.clone(),
            description: s.description.clone(),
            value: s.value.as_ref().map(|v| v.formatted()),
            value_si: s.value.as_ref().map(|v| v.si()),
            package: s.package.as_ref().map(|p| p.text().to_owned()),
            quantity: s.quantity.get(),
            low_stock: s.low_stock.map(|q| q.get()),
            location: s.location.as_ref().map(|l| l.to_string()),
            parameters: s
                .parameters
                .iter()
                .map(|(k, v)| (k.to_string(), v.display()))
                .collect(),
            unit_price: s.unit_price.map(|m| m.amount().to_string()),
            currency: s.unit_price.map(|m| m.currency().to_string()),
            shop: s.shop.as_ref().map(|x| x.to_string()),
            tags: s.tags.iter().map(|t| t.as_str().to_owned()).collect(),
            datasheet: s.datasheet.as_ref().map(|d| d.to_string()),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SuggestionJson {
    Nearest {
        item: Box<SpareJson>,
    },
    Combination {
        wiring: &'static str,
        result: String,
        parts: Vec<SpareJson>,
    },
}

impl From<&Suggestion> for SuggestionJson {
    fn from(s: &Suggestion) -> Self {
        match s {
            Suggestion::Nearest { spare } => SuggestionJson::Nearest {
                item: Box::new(SpareJson::from(spare.as_ref())),
            },
            Suggestion::Combination {
                first,
                second,
                wiring,
                result,
            } => SuggestionJson::Combination {
                wiring: wiring.name(),
                result: result.formatted(),
                parts: vec![
                    SpareJson::from(first.as_ref()),
                    SpareJson::from(second.as_ref()),
                ],
            },
        }
    }
}

#[derive(Debug, Serialize)]
pub struct SearchResponse {
    /// How the question was understood ("resistor · 10 kΩ").
    interpretation: String,
    /// The short reply the bot gives.
    answer: String,
    warnings: Vec<String>,
    /// True when matches were found by tolerating typos.
    approximate: bool,
    total: u64,
    items: Vec<SpareJson>,
    suggestions: Vec<SuggestionJson>,
}

pub async fn search_spares(
    State(state): State<AppState>,
    _reader: ApiReader,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchResponse>, WebError> {
    let Query(params) =
        params.map_err(|e| WebError::BadRequest(format!("bad query string: {}", e.body_text())))?;
    let limit = params.limit.unwrap_or(50);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(WebError::BadRequest(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    let outcome = search(state.store.as_ref(), &params.q, limit).await?;
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
    }))
}

pub async fn get_spare(
    State(state): State<AppState>,
    _reader: ApiReader,
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
) -> Result<Json<SpareJson>, WebError> {
    let Path(id) = id.map_err(|_| WebError::BadRequest("a spare id is a whole number".into()))?;
    let spare = state.store.get_spare(SpareId(id)).await?;
    Ok(Json(SpareJson::from(&spare)))
}
