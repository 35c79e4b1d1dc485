//! Boxes (locations) and shops in the JSON API:
//! `GET/POST /api/locations`, `GET/PATCH/DELETE /api/locations/{code}`,
//! `GET/POST /api/shops`, `GET/PATCH/DELETE /api/shops/{name}`.
//! Reads follow [`ApiReader`], writes need the bearer token ([`ApiWriter`]).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::Value;
use spares_core::query::Page;
use spares_core::{Location, Shop, StoreError};

use super::json::{
    LocationJson, ShopJson, SpareJson, code, location_json, object, shop_name, string, website,
};
use super::{ApiReader, ApiWriter};
use crate::error::WebError;
use crate::extract::{BoxCodePath, JsonBody, ShopNamePath};
use crate::state::AppState;

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
    BoxCodePath(code): BoxCodePath,
) -> Result<Json<LocationJson>, WebError> {
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
    JsonBody(body): JsonBody<Value>,
) -> Result<(StatusCode, Json<LocationJson>), WebError> {
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

/// `PATCH /api/locations/{code} {"name": ..., "description": ...}`.
pub async fn patch_location(
    State(state): State<AppState>,
    _w: ApiWriter,
    BoxCodePath(code): BoxCodePath,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<LocationJson>, WebError> {
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
    BoxCodePath(code): BoxCodePath,
) -> Result<StatusCode, WebError> {
    state.store.delete_location(&code).await?;
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
    ShopNamePath(name): ShopNamePath,
) -> Result<Json<ShopJson>, WebError> {
    let shop = state.store.get_shop(&name).await?;
    Ok(Json(ShopJson::from(&shop)))
}

/// `POST /api/shops {"name": "LCSC", "website": "https://www.lcsc.com/"}`.
pub async fn create_shop(
    State(state): State<AppState>,
    _w: ApiWriter,
    JsonBody(body): JsonBody<Value>,
) -> Result<(StatusCode, Json<ShopJson>), WebError> {
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
    ShopNamePath(name): ShopNamePath,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<ShopJson>, WebError> {
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
    ShopNamePath(name): ShopNamePath,
) -> Result<StatusCode, WebError> {
    state.store.delete_shop(&name).await?;
    Ok(StatusCode::NO_CONTENT)
}
