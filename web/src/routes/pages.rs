//! Server-rendered pages (read-only for now): the parts list with the
//! plain-language search box, a part's page with its history, a box's page
//! (what a box label's QR code opens) and the list of boxes.

use std::sync::LazyLock;

use askama::Template;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use spares_core::answer::{answer, describe};
use spares_core::query::{Page, Sort, SortKey};
use spares_core::question::understand;
use spares_core::search::{Suggestion, run};
use spares_core::{LocationCode, Spare, SpareId, StoreError};
use url::form_urlencoded::byte_serialize;

use crate::error::WebError;
use crate::state::AppState;

/// Rows per page of the list.
pub const PAGE_SIZE: usize = 50;

const CSS: &str = include_str!("../../static/style.css");

/// The stylesheet's URL carries a hash of its content, so browsers may
/// cache it forever and still see every change.
pub static CSS_URL: LazyLock<String> = LazyLock::new(|| {
    let hash = CSS.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("/static/style-{:08x}.css", hash as u32)
});

pub async fn stylesheet() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        CSS,
    )
        .into_response()
}

/// A page that failed: the same [`WebError`], rendered as HTML.
pub struct PageError(pub WebError);

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        PageError(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: String,
    css_url: &'static str,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        if let WebError::Internal(detail) | WebError::Unavailable(detail) = &self.0 {
            tracing::error!(error = %detail, "page failed");
        }
        let page = ErrorPage {
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            css_url: CSS_URL.as_str(),
            message: self.0.to_string(),
        };
        (status, render(&page)).into_response()
    }
}

fn render(page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "internal error",
            )
                .into_response()
        }
    }
}

fn encode(text: &str) -> String {
    byte_serialize(text.as_bytes()).collect()
}

#[derive(Debug, Deserialize)]
pub struct ListParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    dir: String,
    page: Option<usize>,
    /// Filters, combined with the question.
    #[serde(default)]
    category: String,
    #[serde(default, rename = "box")]
    location: String,
    #[serde(default)]
    low: String,
}

struct Header {
    label: &'static str,
    href: String,
    arrow: &'static str,
    optional: bool,
}

struct Row {
    id: i64,
    value: String,
    category: String,
    reference: String,
    package: String,
    quantity: i64,
    location: String,
    price: String,
    none_left: bool,
}

impl From<&Spare> for Row {
    fn from(s: &Spare) -> Self {
        Row {
            id: s.id.0,
            value: s
                .value
                .as_ref()
                .map_or_else(|| describe(s), |v| v.formatted()),
            category: s.category.to_string(),
            reference: s.reference.clone(),
            package: s
                .package
                .as_ref()
                .map(|p| p.text().to_owned())
                .unwrap_or_default(),
            quantity: s.quantity.get(),
            location: s
                .location
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            price: s.unit_price.map(|m| m.to_string()).unwrap_or_default(),
            none_left: s.quantity.get() == 0,
        }
    }
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    title: String,
    css_url: &'static str,
    q: String,
    interpretation: String,
    answer: String,
    warnings: Vec<String>,
    headers: Vec<Header>,
    rows: Vec<Row>,
    suggestions: Vec<String>,
    total: u64,
    total_in_stock: u64,
    shown: String,
    prev: Option<String>,
    next: Option<String>,
    categories: Vec<String>,
    category: String,
    boxes: Vec<String>,
    location: String,
    low: bool,
}

fn suggestion_text(s: &Suggestion) -> String {
    match s {
        Suggestion::Nearest { spare } => {
            let place = spare
                .location
                .as_ref()
                .map(|l| format!(" in {l}"))
                .unwrap_or_default();
            format!("{} × {}{place}", spare.quantity, describe(spare))
        }
        Suggestion::Combination {
            first,
            second,
            wiring,
            result,
        } => format!(
            "{} + {} in {} {}",
            describe(first),
            describe(second),
            wiring.name(),
            result.approximately()
        ),
    }
}

/// `/`: every part, or the answer to the question in `q`; sortable,
/// paginated.
pub async fn list(
    State(state): State<AppState>,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, PageError> {
    let Query(params) = params.map_err(|e| {
        PageError(WebError::BadRequest(format!(
            "bad address: {}",
            e.body_text()
        )))
    })?;
    let key = SortKey::parse(&params.sort).unwrap_or_default();
    let descending = params.dir == "desc";
    let page_no = params.page.unwrap_or(1).max(1);
    let page = Page {
        sort: Sort { key, descending },
        offset: (page_no - 1).saturating_mul(PAGE_SIZE),
        limit: PAGE_SIZE,
    };
    let mut understood = understand(&params.q);
    if !params.category.is_empty() {
        let category = spares_core::Category::parse(&params.category)
            .map_err(|e| PageError(WebError::BadRequest(e.to_string())))?;
        understood.query.category = Some(category);
    }
    if !params.location.is_empty() {
        let code = LocationCode::parse(&params.location)
            .map_err(|e| PageError(WebError::BadRequest(e.to_string())))?;
        understood.query.location = Some(code);
    }
    let low = params.low == "1";
    if low {
        understood.query.low_stock = true;
    }
    let outcome = run(state.store.as_ref(), understood, &page).await?;
    let total_in_stock = state.store.count_spares().await?;
    let categories: Vec<String> = spares_core::Builtin::ALL
        .iter()
        .map(|b| b.key().to_owned())
        .collect();
    let boxes: Vec<String> = state
        .store
        .list_locations()
        .await?
        .into_iter()
        .filter(|l| l.spares > 0)
        .map(|l| l.location.code.to_string())
        .collect();
    let filters = format!(
        "q={}&category={}&box={}&low={}",
        encode(&params.q),
        encode(&params.category),
        encode(&params.location),
        if low { "1" } else { "" }
    );
    let link = |sort: SortKey, desc: bool, page: usize| {
        format!(
            "/?{filters}&sort={}&dir={}&page={page}",
            sort.name(),
            if desc { "desc" } else { "asc" }
        )
    };
    let columns: [(&str, SortKey, bool); 7] = [
        ("Value", SortKey::Value, false),
        ("Category", SortKey::Category, true),
        ("Reference", SortKey::Reference, true),
        ("Package", SortKey::Package, true),
        ("Quantity", SortKey::Quantity, false),
        ("Box", SortKey::Location, false),
        ("Unit price", SortKey::Price, true),
    ];
    let headers = columns
        .iter()
        .map(|(label, k, optional)| Header {
            label,
            href: link(*k, *k == key && !descending, 1),
            arrow: match (*k == key, descending) {
                (true, false) => " ▲",
                (true, true) => " ▼",
                _ => "",
            },
            optional: *optional,
        })
        .collect();
    let first = page.offset + 1;
    let last = page.offset + outcome.matches.len();
    let view = ListPage {
        title: if params.q.is_empty() {
            "Parts".into()
        } else {
            params.q.clone()
        },
        css_url: CSS_URL.as_str(),
        interpretation: outcome.interpretation(),
        answer: answer(&params.q, &outcome),
        warnings: outcome.understood.warnings.clone(),
        headers,
        rows: outcome.matches.iter().map(Row::from).collect(),
        suggestions: outcome.suggestions.iter().map(suggestion_text).collect(),
        total: outcome.total,
        total_in_stock,
        shown: if last >= first {
            format!("{first}–{last}")
        } else {
            "0".into()
        },
        prev: (page_no > 1).then(|| link(key, descending, page_no - 1)),
        next: ((last as u64) < outcome.total).then(|| link(key, descending, page_no + 1)),
        categories,
        category: params.category.trim().to_lowercase(),
        boxes,
        location: params.location.trim().to_uppercase(),
        low,
        q: params.q,
    };
    Ok(render(&view))
}

struct HistoryRow {
    at: String,
    delta: String,
    after: i64,
    who: String,
    why: String,
}

#[derive(Template)]
#[template(path = "spare.html")]
struct SparePage {
    title: String,
    css_url: &'static str,
    category: String,
    fields: Vec<(&'static str, String)>,
    quantity: i64,
    location: String,
    datasheet: Option<String>,
    parameters: Vec<(String, String)>,
    notes: String,
    history: Vec<HistoryRow>,
}

/// `/s/{id}`: everything about one part, and its stock history.
pub async fn spare(
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Response, PageError> {
    let Path(id) = id.map_err(|_| {
        PageError(WebError::BadRequest(
            "a part number is a whole number".into(),
        ))
    })?;
    let s = state.store.get_spare(SpareId(id)).await?;
    let history = state.store.history(s.id, 100).await?;
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
            "Shop",
            s.shop.as_ref().map(ToString::to_string).unwrap_or_default(),
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
        title: s.title(),
        css_url: CSS_URL.as_str(),
        category: s.category.to_string(),
        fields,
        quantity: s.quantity.get(),
        location: s
            .location
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        datasheet: s.datasheet.as_ref().map(ToString::to_string),
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
    Ok(render(&view))
}

#[derive(Template)]
#[template(path = "box.html")]
struct BoxPage {
    title: String,
    css_url: &'static str,
    code: String,
    name: String,
    description: String,
    rows: Vec<Row>,
}

/// `/b/{code}`: what is in a box (the page a box label opens).
pub async fn boxed(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let code =
        LocationCode::parse(&code).map_err(|e| PageError(WebError::BadRequest(e.to_string())))?;
    let location = state.store.get_location(&code).await?;
    let query = spares_core::Query {
        location: Some(code.clone()),
        ..spares_core::Query::default()
    };
    let found = state.store.search(&query, &Page::first(1000)).await?;
    let view = BoxPage {
        title: format!("Box {code}"),
        css_url: CSS_URL.as_str(),
        code: code.to_string(),
        name: location.name,
        description: location.description,
        rows: found.spares.iter().map(Row::from).collect(),
    };
    Ok(render(&view))
}

#[derive(Template)]
#[template(path = "boxes.html")]
struct BoxesPage {
    title: String,
    css_url: &'static str,
    boxes: Vec<(String, String, u64)>,
}

/// `/boxes`: every box with how many kinds of part it holds.
pub async fn boxes(State(state): State<AppState>) -> Result<Response, PageError> {
    let list = state.store.list_locations().await?;
    let view = BoxesPage {
        title: "Boxes".into(),
        css_url: CSS_URL.as_str(),
        boxes: list
            .into_iter()
            .map(|l| (l.location.code.to_string(), l.location.name, l.spares))
            .collect(),
    };
    Ok(render(&view))
}
