//! Shops: the list with what was spent at each, adding and editing.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use rust_decimal::Decimal;
use spares_core::{Currency, Shop, ShopName, WebAddress};

use super::failed;
use crate::auth::{EditForm, Reader};
use crate::extract::{OnPage, ShopNamePath};
use crate::html::see_other;
use crate::html::{Ctx, PageError, encode, page};
use crate::state::AppState;

struct ShopRow {
    name: String,
    website: String,
    parts: u64,
    /// "12.40 EUR · 3.00 USD": per currency.
    spent: String,
    in_stock: String,
}

#[derive(Template)]
#[template(path = "shops.html")]
struct ShopsPage {
    ctx: Ctx,
    shops: Vec<ShopRow>,
}

fn per_currency(sums: Option<&BTreeMap<Currency, Decimal>>) -> String {
    sums.map(|m| {
        m.iter()
            .map(|(c, a)| format!("{a:.2} {c}"))
            .collect::<Vec<_>>()
            .join(" · ")
    })
    .unwrap_or_default()
}

/// `/shops`: each shop, its parts, what was bought there (every stock
/// increase × the unit price) and what of it is still in stock.
pub async fn list(
    State(state): State<AppState>,
    Reader(visitor): Reader,
) -> Result<Response, PageError> {
    let shops = state.store.list_shops().await?;
    // Totals kept by the store (no reading of every spare and movement).
    let per_shop = state.store.summary().await?.per_shop();
    let view = ShopsPage {
        ctx: Ctx::new(&visitor, "Shops"),
        shops: shops
            .iter()
            .map(|shop| ShopRow {
                name: shop.name.to_string(),
                website: shop
                    .website
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                parts: per_shop.get(&shop.name.key()).map_or(0, |t| t.spares),
                spent: per_currency(per_shop.get(&shop.name.key()).map(|t| &t.spent)),
                in_stock: per_currency(per_shop.get(&shop.name.key()).map(|t| &t.in_stock)),
            })
            .collect(),
    };
    Ok(page(&visitor, &view))
}

fn shop_from(form: &EditForm, name: &str) -> Result<Shop, String> {
    let name = ShopName::parse(name).map_err(|e| format!("Shop name: {e}"))?;
    let website = match form.get("website").trim() {
        "" => None,
        w => Some(WebAddress::parse(w).map_err(|e| format!("Website: {e}"))?),
    };
    Ok(Shop { name, website })
}

/// `POST /shops`: a new shop.
pub async fn create(State(state): State<AppState>, form: EditForm) -> Result<Response, PageError> {
    let message = match shop_from(&form, form.get("name")) {
        Err(e) => failed(format!("{e}; nothing was added")),
        Ok(shop) => match state.store.get_shop(&shop.name).await {
            Ok(existing) => failed(format!(
                "{} already exists; nothing was changed",
                existing.name
            )),
            Err(_) => {
                let saved = state.store.save_shop(shop).await?;
                format!("Added shop {}.", saved.name)
            }
        },
    };
    Ok(see_other(
        "/shops",
        Some(form.visitor.flash_cookie(&message)),
    ))
}

/// `POST /shops/{name}/edit`: a new website.
pub async fn update(
    State(state): State<AppState>,
    OnPage(ShopNamePath(name)): OnPage<ShopNamePath>,
    form: EditForm,
) -> Result<Response, PageError> {
    let message = match shop_from(&form, &name.to_string()) {
        Err(e) => failed(format!("{e}; nothing was changed")),
        Ok(shop) => {
            // Must exist: editing never creates.
            state.store.get_shop(&shop.name).await?;
            let saved = state.store.save_shop(shop).await?;
            format!("Saved shop {}.", saved.name)
        }
    };
    Ok(see_other(
        &format!("/shops#{}", encode(&name.to_string())),
        Some(form.visitor.flash_cookie(&message)),
    ))
}
