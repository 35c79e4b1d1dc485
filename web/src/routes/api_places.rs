//! Boxes (locations) and shops in the JSON API:
//! `GET/POST /api/locations`, `GET/PATCH/DELETE /api/locations/{code}`,
//! `GET/POST /api/shops`, `GET/PATCH/DELETE /api/shops/{name}`.
//! Reads follow [`ApiReader`], writes need the bearer token ([`ApiWriter`]).

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::Value;
use spares_core::query::Page;
use spares_core::{Location, LocationCode, Shop, ShopName, StoreError, WebAddress};

use crate::error::WebError;
use crate::routes::api::SpareJson;
use crate::routes::api_write::{ApiReader, ApiWriter, json_error};
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct LocationJson {
    code: String,
    name: String,
    description: String,
    /// How many kinds of part it holds (in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    spares: Option<u64>,
    /// What it holds (for one box).
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<Vec<SpareJson>>,
}

#[derive(Debug, Serialize)]
pub struct ShopJson {
    name: String,
    website: Option<String>,
}

impl From<&Shop> for ShopJson {
    fn from(s: &Shop) -> Self {
        ShopJson {
            name: s.name.to_string(),
            website: s.website.as_ref().map(ToString::to_string),
        }
    }
}

fn object(body: &Value, known: &[&str]) -> Result<serde_json::Map<String, Value>, WebError> {
    let obj = body
        .as_object()
        .ok_or_else(|| WebError::BadRequest("send a JSON object".into()))?;
    if let Some(k) = obj.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(WebError::BadRequest(format!(
            "unknown field {k:?} (known: {})",
            known.join(", ")
        )));
    }
    Ok(obj.clone())
}

fn string(obj: &serde_json::Map<String, Value>, key: &str) -> Result<Option<String>, WebError> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(String::new())),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(_) => Err(WebError::BadRequest(format!("{key}: give text"))),
    }
}

fn code(text: &str) -> Result<LocationCode, WebError> {
    LocationCode::parse(text).map_err(|e| WebError::BadRequest(format!("code: {e}")))
}

fn shop_name(text: &str) -> Result<ShopName, WebError> {
    ShopName::parse(text).map_err(|e| WebError::BadRequest(format!("name: {e}")))
}

fn website(text: Option<String>) -> Result<Option<WebAddress>, WebError> {
    match text.as_deref() {
        None | Some("") => Ok(None),
        Some(w) => WebAddress::parse(w)
            .map(Some)
            .map_err(|e| WebError::BadRequest(format!("website: {e}"))),
    }
}

/// `GET /api/locations`.
pub async fn list_locations(
    State(state): State<AppState>,
    _r: ApiReader,
) -> Result<Json<Vec<LocationJson>>, WebError> {
    let list = state.store.list_locations().await?;
    Ok(Json(
        list.into_iter()
            .map(|l| LocationJson {
                code: l.location.code.to_string(),
                name: l.location.name,
                description: l.location.description,
                spares: Some(l.spares),
                items: None,
            })
            .collect(),
    ))
}

/// `GET /api/locations/{code}`: the box and what is in it.
pub async fn get_location(
    State(state): State<AppState>,
    _r: ApiReader,
    Path(text): Path<String>,
) -> Result<Json<LocationJson>, WebError> {
    let code = code(&text)?;
    let l = state.store.get_location(&code).await?;
    let query = spares_core::Query {
        location: Some(code),
        ..spares_core::Query::default()
    };
    let found = state.store.search(&query, &Page::first(1000)).await?;
    Ok(Json(LocationJson {
        code: l.code.to_string(),
        name: l.name,
        description: l.description,
        spares: Some(found.total),
        items: Some(found.spares.iter().map(SpareJson::from).collect()),
    }))
}

/// `POST /api/locations {"code": "A1", "name": "...", "description": "..."}`.
pub async fn create_location(
    State(state): State<AppState>,
    _w: ApiWriter,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<LocationJson>), WebError> {
    let Json(body) = body.map_err(json_error)?;
    let obj = object(&body, &["code", "name", "description"])?;
    let code = code(&string(&obj, "code")?.unwrap_or_default())?;
    match state.store.get_location(&code).await {
        Ok(_) => return Err(WebError::Conflict(format!("box {code} already exists"))),
        Err(StoreError::NotFound { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    let saved = state
        .store
        .save_location(Location {
            code,
            name: string(&obj, "name")?.unwrap_or_default(),
            description: string(&obj, "description")?.unwrap_or_default(),
        })
        .await?;
    Ok((StatusCode::CREATED, Json(location_json(saved))))
}

fn location_json(l: Location) -> LocationJson {
    LocationJson {
        code: l.code.to_string(),
        name: l.name,
        description: l.description,
        spares: None,
        items: None,
    }
}

/// `PATCH /api/locations/{code} {"name": ..., "description": ...}`.
pub async fn patch_location(
    State(state): State<AppState>,
    _w: ApiWriter,
    Path(text): Path<String>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Json<LocationJson>, WebError> {
    let code = code(&text)?;
    let Json(body) = body.map_err(json_error)?;
    let obj = object(&body, &["name", "description"])?;
    let mut l = state.store.get_location(&code).await?;
    if let Some(n) = string(&obj, "name")? {
        l.name = n;
    }
    if let Some(d) = string(&obj, "description")? {
        l.description = d;
    }
    Ok(Json(location_json(state.store.save_location(l).await?)))
}

/// `DELETE /api/locations/{code}`: only an empty box (409 otherwise).
pub async fn delete_location(
    State(state): State<AppState>,
    _w: ApiWriter,
    Path(text): Path<String>,
) -> Result<StatusCode, WebError> {
    state.store.delete_location(&code(&text)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/shops`.
pub async fn list_shops(
    State(state): State<AppState>,
    _r: ApiReader,
) -> Result<Json<Vec<ShopJson>>, WebError> {
    let list = state.store.list_shops().await?;
    Ok(Json(list.iter().map(ShopJson::from).collect()))
}

/// `GET /api/shops/{name}`.
pub async fn get_shop(
    State(state): State<AppState>,
    _r: ApiReader,
    Path(name): Path<String>,
) -> Result<Json<ShopJson>, WebError> {
    let shop = state.store.get_shop(&shop_name(&name)?).await?;
    Ok(Json(ShopJson::from(&shop)))
}

/// `POST /api/shops {"name": "LCSC", "website": "https://www.lcsc.com/"}`.
pub async fn create_shop(
    State(state): State<AppState>,
    _w: ApiWriter,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<ShopJson>), WebError> {
    let Json(body) = body.map_err(json_error)?;
    let obj = object(&body, &["name", "website"])?;
    let name = shop_name(&string(&obj, "name")?.unwrap_or_default())?;
    let website = website(string(&obj, "website")?)?;
    match state.store.get_shop(&name).await {
        Ok(s) => {
            return Err(WebError::Conflict(format!(
                "shop {} already exists",
                s.name
            )));
        }
        Err(StoreError::NotFound { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    let saved = state.store.save_shop(Shop { name, website }).await?;
    Ok((StatusCode::CREATED, Json(ShopJson::from(&saved))))
}

/// `PATCH /api/shops/{name} {"website": ...}`.
pub async fn patch_shop(
    State(state): State<AppState>,
    _w: ApiWriter,
    Path(name): Path<String>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Json<ShopJson>, WebError> {
    let name = shop_name(&name)?;
    let Json(body) = body.map_err(json_error)?;
    let obj = object(&body, &["website"])?;
    let mut shop = state.store.get_shop(&name).await?;
    if let Some(w) = string(&obj, "website")? {
        shop.website = website(Some(w))?;
    }
    Ok(Json(ShopJson::from(&state.store.save_shop(shop).await?)))
}

/// `DELETE /api/shops/{name}`: only a shop no part names (409 otherwise).
pub async fn delete_shop(
    State(state): State<AppState>,
    _w: ApiWriter,
    Path(name): Path<String>,
) -> Result<StatusCode, WebError> {
    state.store.delete_shop(&shop_name(&name)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
