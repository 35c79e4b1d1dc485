//! Boxes (locations): the list with part counts, a box's page (what its
//! label's QR code opens) with ± buttons, renaming, moving parts between
//! boxes, adding and removing boxes.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use spares_core::query::Page;
use spares_core::{Change, Location, LocationCode, Source, StoreError};

use super::{Row, failed, user_message};
use crate::auth::{EditForm, Reader};
use crate::extract::{BoxCodePath, OnPage, Params};
use crate::html::see_other;
use crate::html::{Ctx, PageError, encode, page};
use crate::state::AppState;

/// Parts per page of a box (a drawer may hold thousands).
pub const BOX_PAGE: usize = 100;

#[derive(Template)]
#[template(path = "box.html")]
struct BoxPage {
    ctx: Ctx,
    code: String,
    name: String,
    description: String,
    rows: Vec<Row>,
    /// How many parts the box holds in all.
    total: u64,
    /// "Parts 101–200 of 5,000" when there is more than one page.
    shown: String,
    prev: Option<String>,
    next: Option<String>,
    back: String,
    others: Vec<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct BoxParams {
    page: Option<usize>,
}

/// `/b/{code}`: what is in a box.
pub async fn show(
    State(state): State<AppState>,
    Reader(visitor): Reader,
    OnPage(BoxCodePath(code)): OnPage<BoxCodePath>,
    OnPage(Params(params)): OnPage<Params<BoxParams>>,
) -> Result<Response, PageError> {
    let location = state.store.get_location(&code).await?;
    let query = spares_core::Query {
        location: Some(code.clone()),
        ..spares_core::Query::default()
    };
    let page_no = params.page.unwrap_or(1).max(1);
    let page_of = Page {
        offset: (page_no - 1).saturating_mul(BOX_PAGE),
        ..Page::first(BOX_PAGE)
    };
    let found = state.store.search(&query, &page_of).await?;
    let base = format!("/b/{}", encode(code.as_str()));
    let pages = (found.total as usize).div_ceil(BOX_PAGE).max(1);
    let link = |n: usize| format!("{base}?page={n}");
    let shown = if pages > 1 && !found.spares.is_empty() {
        format!(
            "Parts {}–{} of {}",
            page_of.offset + 1,
            page_of.offset + found.spares.len(),
            found.total
        )
    } else {
        String::new()
    };
    // The "move to" suggestions are for those who can move parts.
    let others = if visitor.signed_in() {
        state
            .store
            .locations()
            .await?
            .into_iter()
            .map(|l| l.code.to_string())
            .filter(|c| *c != code.as_str())
            .collect()
    } else {
        Vec::new()
    };
    let view = BoxPage {
        ctx: Ctx::new(&visitor, format!("Box {code}")),
        back: if page_no > 1 {
            link(page_no)
        } else {
            base.clone()
        },
        code: code.to_string(),
        name: location.name,
        description: location.description,
        rows: found.spares.iter().map(Row::from).collect(),
        total: found.total,
        shown,
        prev: (page_no > 1).then(|| link(page_no - 1)),
        next: (page_no < pages).then(|| link(page_no + 1)),
        others,
    };
    Ok(page(&visitor, &view))
}

#[derive(Template)]
#[template(path = "boxes.html")]
struct BoxesPage {
    ctx: Ctx,
    boxes: Vec<(String, String, u64)>,
}

/// `/boxes`: every box with how many kinds of part it holds.
pub async fn list(
    State(state): State<AppState>,
    Reader(visitor): Reader,
) -> Result<Response, PageError> {
    let list = state.store.list_locations().await?;
    let view = BoxesPage {
        ctx: Ctx::new(&visitor, "Boxes"),
        boxes: list
            .into_iter()
            .map(|l| (l.location.code.to_string(), l.location.name, l.spares))
            .collect(),
    };
    Ok(page(&visitor, &view))
}

/// `POST /boxes`: a new box (code, name, description).
pub async fn create(State(state): State<AppState>, form: EditForm) -> Result<Response, PageError> {
    let message = match LocationCode::parse(form.get("code")) {
        Err(e) => failed(format!("Box code: {e}; nothing was added")),
        Ok(code) => match state.store.get_location(&code).await {
            Ok(_) => failed(format!("Box {code} already exists; nothing was changed")),
            Err(StoreError::NotFound { .. }) => {
                let location = Location {
                    code: code.clone(),
                    name: form.get("name").trim().to_owned(),
                    description: form.get("description").trim().to_owned(),
                };
                state.store.save_location(location).await?;
                format!("Added box {code}.")
            }
            Err(e) => return Err(e.into()),
        },
    };
    Ok(see_other(
        "/boxes",
        Some(form.visitor.flash_cookie(&message)),
    ))
}

/// `POST /b/{code}/edit`: new name and description (the code stays: it is
/// printed on the label).
pub async fn rename(
    State(state): State<AppState>,
    OnPage(BoxCodePath(code)): OnPage<BoxCodePath>,
    form: EditForm,
) -> Result<Response, PageError> {
    let mut location = state.store.get_location(&code).await?;
    location.name = form.get("name").trim().to_owned();
    location.description = form.get("description").trim().to_owned();
    let back = format!("/b/{}", encode(code.as_str()));
    let message = match state.store.save_location(location).await {
        Ok(_) => format!("Box {code} saved."),
        Err(e) => user_message(e)?,
    };
    Ok(see_other(&back, Some(form.visitor.flash_cookie(&message))))
}

/// `POST /b/{code}/move`: the ticked parts (`id`) go to box `to` (created
/// if new).
pub async fn move_parts(
    State(state): State<AppState>,
    OnPage(BoxCodePath(code)): OnPage<BoxCodePath>,
    form: EditForm,
) -> Result<Response, PageError> {
    let back = format!("/b/{}", encode(code.as_str()));
    let reply = |m: String| Ok(see_other(&back, Some(form.visitor.flash_cookie(&m))));
    let to = match LocationCode::parse(form.get("to")) {
        Ok(to) => to,
        Err(e) => return reply(failed(format!("Target box: {e}; nothing was moved"))),
    };
    let ids: Result<Vec<i64>, _> = form.all("id").map(|s| s.trim().parse::<i64>()).collect();
    let Ok(ids) = ids else {
        return reply(failed("Unreadable part list; nothing was moved"));
    };
    if ids.is_empty() {
        return reply(failed("Tick the parts to move first; nothing was moved"));
    }
    // Check every part first, so a bad one moves nothing.
    let mut parts = Vec::new();
    for id in ids {
        let s = state.store.get_spare(spares_core::SpareId(id)).await?;
        if s.location.as_ref() != Some(&code) {
            return reply(failed(format!(
                "Part {id} is not in box {code}; nothing was moved"
            )));
        }
        parts.push(s);
    }
    let change = Change::new(Source::Web, form.visitor.user().unwrap_or("web"))
        .with_reason(&format!("moved from {code} to {to}"));
    let n = parts.len();
    for s in parts {
        let mut data = s.data.clone();
        data.location = Some(to.clone());
        state.store.update_spare(s.id, data, &change).await?;
    }
    reply(format!(
        "Moved {n} part{} from {code} to {to}.",
        if n == 1 { "" } else { "s" }
    ))
}

/// `POST /b/{code}/delete`: only an empty box.
pub async fn delete(
    State(state): State<AppState>,
    OnPage(BoxCodePath(code)): OnPage<BoxCodePath>,
    form: EditForm,
) -> Result<Response, PageError> {
    match state.store.delete_location(&code).await {
        Ok(()) => Ok(see_other(
            "/boxes",
            Some(form.visitor.flash_cookie(&format!("Removed box {code}."))),
        )),
        Err(e) => {
            let m = user_message(e)?;
            Ok(see_other(
                &format!("/b/{}", encode(code.as_str())),
                Some(form.visitor.flash_cookie(&m)),
            ))
        }
    }
}
