//! `/`: the parts list with the plain-language search box, filters, sorting
//! and pagination.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use spares_core::LocationCode;
use spares_core::SpareId;
use spares_core::answer::{answer, suggestion_text};
use spares_core::query::{Page, Seek, Sort, SortKey};
use spares_core::question::understand;
use spares_core::search::run;

use super::Row;
use crate::auth::Reader;
use crate::error::WebError;
use crate::extract::{OnPage, Params};
use crate::html::{self, Ctx, PageError, encode};
use crate::state::AppState;

/// Rows per page of the list.
pub const PAGE_SIZE: usize = 50;

#[derive(Debug, Deserialize)]
pub struct ListParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    dir: String,
    page: Option<usize>,
    /// Keyset pagination: the page right after / before this part's place
    /// in the order, or the last page; `from` is the position of its first
    /// row, carried by the link only to say "101–150" without counting.
    after: Option<i64>,
    before: Option<i64>,
    #[serde(default)]
    last: String,
    from: Option<usize>,
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

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    ctx: Ctx,
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
    first_page: Option<String>,
    prev: Option<String>,
    next: Option<String>,
    last_page: Option<String>,
    categories: Vec<String>,
    category: String,
    location: String,
    low: bool,
}

/// `/`: every part, or the answer to the question in `q`; sortable,
/// paginated.
pub async fn list(
    State(state): State<AppState>,
    Reader(visitor): Reader,
    OnPage(Params(params)): OnPage<Params<ListParams>>,
) -> Result<Response, PageError> {
    // A keyboard-wedge scanner typing a label's or a bag's code into the
    // search box: go where the code points instead of searching its words.
    if spares_labels::scanned::Scanned::is_code(&params.q) {
        return Ok(html::see_other(
            &format!("/scan/code?text={}", encode(params.q.trim())),
            None,
        ));
    }
    let key = SortKey::parse(&params.sort).unwrap_or_default();
    let descending = params.dir == "desc";
    let page_no = params.page.unwrap_or(1).max(1);
    let offset = match params.from {
        Some(from) => from.max(1) - 1,
        None => (page_no - 1).saturating_mul(PAGE_SIZE),
    };
    let seek = if let Some(id) = params.after {
        Some(Seek::After(SpareId(id)))
    } else if let Some(id) = params.before {
        Some(Seek::Before(SpareId(id)))
    } else if params.last == "1" {
        Some(Seek::Last)
    } else {
        None
    };
    let page = Page::first(PAGE_SIZE)
        .sorted(Sort { key, descending })
        .skip(offset)
        .seek(seek);
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
    // Only an empty answer needs to know whether the inventory is empty.
    let total_in_stock = if outcome.total > 0 {
        outcome.total
    } else {
        state.store.count_spares().await?
    };
    let categories: Vec<String> = spares_core::Builtin::ALL
        .iter()
        .map(|b| b.key().to_owned())
        .collect();
    let filters = format!(
        "q={}&category={}&box={}&low={}",
        encode(&params.q),
        encode(&params.category),
        encode(&params.location),
        if low { "1" } else { "" }
    );
    let order = |sort: SortKey, desc: bool| {
        format!(
            "/?{filters}&sort={}&dir={}",
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
            href: order(*k, *k == key && !descending),
            arrow: match (*k == key, descending) {
                (true, false) => " ▲",
                (true, true) => " ▼",
                _ => "",
            },
            optional: *optional,
        })
        .collect();
    let shown_count = outcome.matches.len();
    // Where this page starts: counted for offset pages, carried by the link
    // for keyset pages, and known for the last page and a short "previous".
    let first = match page.seek {
        Some(Seek::Last) => (outcome.total as usize).saturating_sub(shown_count) + 1,
        Some(Seek::Before(_)) if offset < PAGE_SIZE => 1,
        _ => offset + 1,
    };
    // The position of the last row shown (`first - 1` when none is).
    let last = first + shown_count - 1;
    let here = order(key, descending);
    let at_start = first <= 1;
    let at_end = (last as u64) >= outcome.total;
    let prev = match outcome.matches.first() {
        Some(row) if !at_start && first > PAGE_SIZE + 1 => Some(format!(
            "{here}&before={}&from={}",
            row.id.0,
            first - PAGE_SIZE
        )),
        _ if !at_start => Some(here.clone()),
        _ => None,
    };
    let next = match outcome.matches.last() {
        Some(row) if !at_end => Some(format!("{here}&after={}&from={}", row.id.0, last + 1)),
        _ => None,
    };
    let view = ListPage {
        ctx: Ctx::new(
            &visitor,
            if params.q.is_empty() {
                "Parts".into()
            } else {
                params.q.clone()
            },
        ),
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
        first_page: (!at_start).then(|| here.clone()),
        prev,
        next,
        last_page: (!at_end).then(|| format!("{here}&last=1")),
        categories,
        category: params.category.trim().to_lowercase(),
        location: params.location.trim().to_uppercase(),
        low,
        q: params.q,
    };
    Ok(html::page(&visitor, &view))
}
