//! `/dashboard`: totals, stock value per category (a server-rendered SVG bar
//! chart), the low-stock list and the latest movements.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use spares_core::answer::describe;
use spares_core::query::Page;

use super::Row;
use crate::auth::Reader;
use crate::html::{Ctx, PageError, page};
use crate::state::AppState;

/// One bar of the chart, laid out in SVG units.
struct Bar {
    label: String,
    amount: String,
    y: usize,
    width: usize,
    text_y: usize,
}

struct Recent {
    at: String,
    id: i64,
    part: String,
    delta: String,
    after: i64,
    who: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    ctx: Ctx,
    kinds: u64,
    pieces: u64,
    boxes: u64,
    values: Vec<String>,
    currency: String,
    bars: Vec<Bar>,
    chart_height: usize,
    low: Vec<Row>,
    recent: Vec<Recent>,
}

/// Width of the chart's bar area in SVG units.
const BAR_AREA: usize = 300;
const BAR_STEP: usize = 26;

pub async fn show(
    State(state): State<AppState>,
    Reader(visitor): Reader,
) -> Result<Response, PageError> {
    // Totals kept by the store (no reading of every spare).
    let summary = state.store.summary().await?;
    let values = summary.value_per_currency();
    let categories: Vec<(String, Decimal)> = summary
        .value_per_category(state.currency)
        .into_iter()
        .map(|(c, v)| (c.to_string(), v))
        .collect();
    let max = categories.first().map_or(Decimal::ZERO, |c| c.1);
    let bars: Vec<Bar> = categories
        .iter()
        .enumerate()
        .map(|(i, (label, amount))| {
            let share = if max.is_zero() {
                0.0
            } else {
                (amount / max).to_f64().unwrap_or(0.0)
            };
            Bar {
                label: label.clone(),
                amount: format!("{amount:.2} {}", state.currency),
                y: i * BAR_STEP,
                width: ((share * BAR_AREA as f64).round() as usize).max(1),
                text_y: i * BAR_STEP + 15,
            }
        })
        .collect();
    let low_query = spares_core::Query {
        low_stock: true,
        ..spares_core::Query::default()
    };
    let low = state.store.search(&low_query, &Page::first(50)).await?;
    let mut recent = Vec::new();
    for m in state.store.recent_movements(15).await? {
        let part = match state.store.get_spare(m.spare).await {
            Ok(s) => describe(&s),
            Err(_) => format!("part {}", m.spare),
        };
        recent.push(Recent {
            at: m.at.format("%Y-%m-%d %H:%M").to_string(),
            id: m.spare.0,
            part,
            delta: format!("{:+}", m.delta),
            after: m.quantity_after.get(),
            who: format!("{} ({})", m.actor, m.source),
        });
    }
    let view = DashboardPage {
        ctx: Ctx::new(&visitor, "Dashboard"),
        kinds: summary.spares(),
        pieces: summary.pieces(),
        boxes: state.store.count_locations().await?,
        values: values.iter().map(|(c, a)| format!("{a:.2} {c}")).collect(),
        currency: state.currency.to_string(),
        chart_height: bars.len() * BAR_STEP,
        bars,
        low: low.spares.iter().map(Row::from).collect(),
        recent,
    };
    Ok(page(&visitor, &view))
}
