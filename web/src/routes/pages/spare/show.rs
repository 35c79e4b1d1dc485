//! `/s/{id}`: everything about one part, and its stock history.

use super::*;

pub(super) struct HistoryRow {
    at: String,
    delta: String,
    after: i64,
    who: String,
    why: String,
}

#[derive(Template)]
#[template(path = "spare.html")]
pub(super) struct SparePage {
    ctx: Ctx,
    id: i64,
    category: String,
    fields: Vec<(&'static str, String)>,
    quantity: i64,
    location: String,
    datasheet: Option<String>,
    shop: Option<(String, Option<String>)>,
    parameters: Vec<(String, String)>,
    notes: String,
    history: Vec<HistoryRow>,
}

/// `/s/{id}`: everything about one part, and its stock history.
pub async fn show(
    State(state): State<AppState>,
    Reader(visitor): Reader,
    OnPage(SpareIdPath(id)): OnPage<SpareIdPath>,
) -> Result<Response, PageError> {
    let s = state.store.get_spare(id).await?;
    let history = state.store.history(s.id, 100).await?;
    let shop = match &s.shop {
        Some(name) => {
            let website = state
                .store
                .get_shop(name)
                .await
                .ok()
                .and_then(|shop| shop.website.map(|w| w.to_string()));
            Some((name.to_string(), website))
        }
        None => None,
    };
    let mut fields = Vec::new();
    for (label, value) in [
        (
            "Value",
            s.value.as_ref().map(|v| v.formatted()).unwrap_or_default(),
        ),
        ("Reference", s.reference.clone()),
        ("Manufacturer", s.manufacturer.clone()),
        ("Description", s.description.clone()),
        (
            "Package",
            s.package
                .as_ref()
                .map(|p| p.text().to_owned())
                .unwrap_or_default(),
        ),
        (
            "Low-stock threshold",
            s.low_stock.map(|q| q.to_string()).unwrap_or_default(),
        ),
        (
            "Unit price",
            s.unit_price.map(|m| m.to_string()).unwrap_or_default(),
        ),
        (
            "Tags",
            s.tags
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ),
    ] {
        if !value.is_empty() {
            fields.push((label, value));
        }
    }
    let view = SparePage {
        ctx: Ctx::new(&visitor, s.title()),
        id: s.id.0,
        category: s.category.to_string(),
        fields,
        quantity: s.quantity.get(),
        location: s
            .location
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        datasheet: s.datasheet.as_ref().map(ToString::to_string),
        shop,
        parameters: s
            .parameters
            .iter()
            .map(|(k, v)| (k.to_string(), v.display()))
            .collect(),
        notes: s.notes.clone(),
        history: history
            .iter()
            .map(|m| HistoryRow {
                at: m.at.format("%Y-%m-%d %H:%M").to_string(),
                delta: format!("{:+}", m.delta),
                after: m.quantity_after.get(),
                who: format!("{} ({})", m.actor, m.source),
                why: m.reason.clone().unwrap_or_default(),
            })
            .collect(),
    };
    Ok(page(&visitor, &view))
}
