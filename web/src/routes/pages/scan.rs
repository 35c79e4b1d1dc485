//! `/scan`: scanning from the browser. A photo taken with the phone's
//! camera (a plain file input, so every phone browser can) is decoded on
//! the server and leads where its code points: a box label to the box, a
//! part label to the part, a supplier bag to the add form filled in from
//! the bag (or to the part already in stock, to add the bag to it).
//! Several codes in one photo give a list. `/scan/code?text=` does the
//! same for a code typed by a keyboard-wedge scanner (the search box sends
//! such codes there too).

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use spares_core::query::{Page, Query};
use spares_labels::decode::{self, DecodeError};
use spares_labels::scanned::Scanned;
use spares_labels::supplier::SupplierCode;

use crate::auth::{Editor, Reader, Visitor};
use crate::error::WebError;
use crate::html::{Ctx, PageError, SCAN_JS_URL, encode, page, see_other};
use crate::state::AppState;
use crate::upload::{Upload, form_file};

/// Largest photo accepted (what the decoder accepts).
pub const MAX_PHOTO: usize = decode::MAX_BYTES;

const TIP: &str = "No code found in that photo. Hold the phone closer so the code fills a good part of the picture, \
with more light and no glare, and flat (not at a steep angle).";

/// Where a scanned code leads.
struct Found {
    /// What the code is, in words.
    what: String,
    /// The page it opens, if any.
    href: Option<String>,
}

#[derive(Template)]
#[template(path = "scan.html")]
struct ScanPage {
    ctx: Ctx,
    scan_js: &'static str,
    max_mib: usize,
    message: String,
    found: Vec<Found>,
    /// A bag whose part is already in stock: add it there.
    bag: Option<BagInStock>,
}

struct BagInStock {
    id: i64,
    text: String,
    quantity: i64,
    new_href: String,
}

fn scan_page(
    visitor: &Visitor,
    message: String,
    found: Vec<Found>,
    status: StatusCode,
) -> Response {
    let view = ScanPage {
        ctx: Ctx::new(visitor, "Scan"),
        scan_js: SCAN_JS_URL.as_str(),
        max_mib: MAX_PHOTO >> 20,
        message,
        found,
        bag: None,
    };
    (status, page(visitor, &view)).into_response()
}

/// `GET /scan`.
pub async fn form(Reader(visitor): Reader) -> Response {
    scan_page(&visitor, String::new(), Vec::new(), StatusCode::OK)
}

/// Most codes one `/scan/code` request may carry (a shelf seen by the
/// live camera scan is a handful).
pub const MAX_CODES: usize = 50;

/// `GET /scan/code?text=…[&text=…]`: a code typed by a scanner, or the
/// codes the live camera scan saw.
pub async fn code(
    State(state): State<AppState>,
    Reader(visitor): Reader,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let mut texts: Vec<String> = Vec::new();
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let text = v.trim();
        if k == "text" && !text.is_empty() && !texts.iter().any(|t| t == text) {
            texts.push(text.to_owned());
        }
    }
    if texts.is_empty() {
        return Ok(scan_page(
            &visitor,
            "Scan or type a code first.".into(),
            Vec::new(),
            StatusCode::BAD_REQUEST,
        ));
    }
    if texts.len() > MAX_CODES {
        return Ok(scan_page(
            &visitor,
            format!(
                "{} codes at once is more than this page lists ({MAX_CODES}); scan fewer.",
                texts.len()
            ),
            Vec::new(),
            StatusCode::BAD_REQUEST,
        ));
    }
    lead(&state, &visitor, texts, "scanned").await
}

/// `POST /scan`: fields `csrf` and `file` (the photo).
pub async fn photo(
    State(state): State<AppState>,
    Editor(visitor): Editor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let Some(Upload { bytes, .. }) = form_file(
        &state,
        &visitor,
        multipart,
        MAX_PHOTO >> 20,
        "nothing was read",
    )
    .await?
    else {
        return Ok(scan_page(
            &visitor,
            "Take or choose a photo first.".into(),
            Vec::new(),
            StatusCode::BAD_REQUEST,
        ));
    };
    // CPU work off the async workers; one photo at a time per process
    // (the decoder's memory bound), others are told to try again.
    let texts = tokio::task::spawn_blocking(move || decode::try_decode(&bytes))
        .await
        .map_err(|e| PageError(WebError::internal(e)))?;
    let texts = match texts {
        Ok(texts) => texts,
        Err(DecodeError::Busy) => {
            return Err(PageError(WebError::busy("Reading photos")));
        }
        Err(e) => {
            return Ok(scan_page(
                &visitor,
                format!("That photo cannot be read: {e}."),
                Vec::new(),
                StatusCode::BAD_REQUEST,
            ));
        }
    };
    if texts.is_empty() {
        return Ok(scan_page(&visitor, TIP.into(), Vec::new(), StatusCode::OK));
    }
    lead(&state, &visitor, texts, "in that photo").await
}

/// One code that opens a page: go there. Anything else: a page listing
/// what was found.
async fn lead(
    state: &AppState,
    visitor: &Visitor,
    texts: Vec<String>,
    from: &str,
) -> Result<Response, PageError> {
    let scanned: Vec<Scanned> = texts.iter().map(|t| Scanned::read(t)).collect();
    if let [Scanned::Bag(bag)] = scanned.as_slice()
        && let Some(response) = bag_in_stock(state, visitor, bag).await?
    {
        return Ok(response);
    }
    let found: Vec<Found> = scanned.iter().map(found).collect();
    if let [
        Found {
            href: Some(href), ..
        },
    ] = found.as_slice()
    {
        return Ok(see_other(href, None));
    }
    let message = if found.len() > 1 {
        format!("{} codes {from}:", found.len())
    } else {
        String::new()
    };
    Ok(scan_page(visitor, message, found, StatusCode::OK))
}

fn found(scanned: &Scanned) -> Found {
    match scanned {
        Scanned::Box(code) => Found {
            what: format!("Box {code}"),
            href: Some(format!("/b/{}", encode(code.as_str()))),
        },
        Scanned::Spare(id) => Found {
            what: format!("Part #{id}"),
            href: Some(format!("/s/{id}")),
        },
        Scanned::Bag(bag) => Found {
            what: format!(
                "{} bag: {} × {}",
                bag.supplier.name(),
                bag.quantity.map_or(1, |q| q.get()),
                bag.part().unwrap_or_default()
            ),
            href: Some(new_part_href(bag)),
        },
        Scanned::Unusable(why) => Found {
            what: format!("A code Spares cannot use: {why}"),
            href: None,
        },
        Scanned::Other(text) => Found {
            what: format!("A code that says “{text}” — neither a Spares label nor a supplier bag"),
            href: None,
        },
    }
}

/// The add form, filled in from a bag.
fn new_part_href(bag: &SupplierCode) -> String {
    let input = bag.spare_input(None);
    format!(
        "/new?reference={}&manufacturer={}&quantity={}&shop={}&notes={}",
        encode(&input.reference),
        encode(&input.manufacturer),
        encode(&input.quantity),
        encode(&input.shop),
        encode(&input.notes)
    )
}

/// A bag whose part number is already in stock: a page offering to add
/// the bag to that part (or to add it as a new part after all).
async fn bag_in_stock(
    state: &AppState,
    visitor: &Visitor,
    bag: &SupplierCode,
) -> Result<Option<Response>, PageError> {
    let Some(part) = bag.part() else {
        return Ok(None);
    };
    let existing = state
        .store
        .search(&Query::default().with_term(part), &Page::first(5))
        .await?
        .spares
        .into_iter()
        .find(|s| s.reference.eq_ignore_ascii_case(part));
    let Some(spare) = existing else {
        return Ok(None);
    };
    let place = spare
        .location
        .as_ref()
        .map_or(String::new(), |l| format!(" in {l}"));
    let view = ScanPage {
        ctx: Ctx::new(visitor, "Scan"),
        scan_js: SCAN_JS_URL.as_str(),
        max_mib: MAX_PHOTO >> 20,
        message: String::new(),
        found: Vec::new(),
        bag: Some(BagInStock {
            id: spare.id.0,
            text: format!(
                "{} bag of {}: already in stock — {} × #{}{place}.",
                bag.supplier.name(),
                part,
                spare.quantity,
                spare.id
            ),
            quantity: bag.quantity.map_or(1, |q| q.get()),
            new_href: new_part_href(bag),
        }),
    };
    Ok(Some(page(visitor, &view)))
}
