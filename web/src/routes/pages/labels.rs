//! Labels in the browser: each box's and part's label as SVG (shown on its
//! page), and the "Print labels" page — choose boxes or parts and a size,
//! preview, download a PDF (sheets, or one page per label for a label
//! printer) or a label printer's PNG.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use spares_core::{LocationCode, SpareId};
use spares_labels::content::{box_label, spare_label};
use spares_labels::render::{pdf, png, svg};
use spares_labels::{Label, Preset, RenderError};

use crate::auth::Reader;
use crate::error::WebError;
use crate::extract::{BoxCodePath, OnPage, SpareIdPath};
use crate::html::{Ctx, PageError, encode, page};
use crate::state::AppState;

/// Most labels one request renders: ten A4 sheets of 24 (a4-3x8) or eight
/// Letter sheets of 30 (letter-3x10) — a print run. A box or part named
/// twice is one label.
pub const MAX_LABELS: usize = 240;

/// The query of the label routes. `boxes` may repeat (ticked boxes) or
/// hold a comma-separated list; so may `parts`.
#[derive(Debug, Default)]
pub struct LabelParams {
    preset: String,
    boxes: String,
    parts: String,
    start: Option<usize>,
}

impl LabelParams {
    fn from_query(raw: Option<&str>) -> Result<LabelParams, PageError> {
        let mut p = LabelParams::default();
        for (k, v) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            match k.as_ref() {
                "preset" => p.preset = v.into_owned(),
                "boxes" => {
                    p.boxes.push(',');
                    p.boxes.push_str(&v);
                }
                "parts" => {
                    p.parts.push(',');
                    p.parts.push_str(&v);
                }
                "start" if !v.trim().is_empty() => {
                    p.start = Some(v.trim().parse().map_err(|_| {
                        PageError(WebError::BadRequest(format!(
                            "start: {v:?} is not a position"
                        )))
                    })?);
                }
                _ => {}
            }
        }
        p.parts = p.parts.trim_matches(',').to_owned();
        Ok(p)
    }
}

fn preset_of(text: &str) -> Result<Preset, PageError> {
    if text.trim().is_empty() {
        return Ok(Preset::A4x3x8);
    }
    Preset::parse(text).ok_or_else(|| {
        PageError(WebError::BadRequest(format!(
            "unknown label size {text:?}; choose one of {}",
            Preset::ALL.map(|p| p.name()).join(", ")
        )))
    })
}

fn render_error(e: RenderError) -> PageError {
    match e {
        RenderError::Encode(m) => PageError(WebError::internal(m)),
        other => PageError(WebError::BadRequest(other.to_string())),
    }
}

fn svg_response(text: String) -> Response {
    (
        [
            (CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

/// `GET /b/{code}/label.svg?preset=`.
pub async fn box_svg(
    State(state): State<AppState>,
    Reader(_v): Reader,
    OnPage(BoxCodePath(code)): OnPage<BoxCodePath>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let preset = preset_of(&LabelParams::from_query(raw.as_deref())?.preset)?;
    let label = box_label(state.store.as_ref(), &code, state.public_url.as_ref()).await?;
    let (w, h) = preset.label_mm();
    Ok(svg_response(
        svg::render(&label, w, h).map_err(render_error)?,
    ))
}

/// `GET /s/{id}/label.svg?preset=`.
pub async fn spare_svg(
    State(state): State<AppState>,
    Reader(_v): Reader,
    OnPage(SpareIdPath(id)): OnPage<SpareIdPath>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let preset = preset_of(&LabelParams::from_query(raw.as_deref())?.preset)?;
    let label = spare_label(state.store.as_ref(), id, state.public_url.as_ref()).await?;
    let (w, h) = preset.label_mm();
    Ok(svg_response(
        svg::render(&label, w, h).map_err(render_error)?,
    ))
}

fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ' ', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The chosen boxes and parts, checked.
fn chosen(params: &LabelParams) -> Result<(Vec<LocationCode>, Vec<SpareId>), PageError> {
    let boxes = split(&params.boxes)
        .map(|b| {
            LocationCode::parse(b)
                .map_err(|e| PageError(WebError::BadRequest(format!("box {b:?}: {e}"))))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let boxes = first_of_each(boxes);
    let parts = split(&params.parts)
        .map(|p| {
            p.trim_start_matches('#')
                .parse::<i64>()
                .map(SpareId)
                .map_err(|_| PageError(WebError::BadRequest(format!("{p:?} is not a part number"))))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let parts = first_of_each(parts);
    if boxes.len() + parts.len() > MAX_LABELS {
        return Err(PageError(WebError::BadRequest(format!(
            "at most {MAX_LABELS} labels at once (ten A4 sheets); print the rest in another run"
        ))));
    }
    Ok((boxes, parts))
}

/// Each item once, in the order first named.
fn first_of_each<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

async fn labels_of(state: &AppState, params: &LabelParams) -> Result<Vec<Label>, PageError> {
    let (boxes, parts) = chosen(params)?;
    let mut labels = Vec::new();
    for code in &boxes {
        labels.push(box_label(state.store.as_ref(), code, state.public_url.as_ref()).await?);
    }
    for id in parts {
        labels.push(spare_label(state.store.as_ref(), id, state.public_url.as_ref()).await?);
    }
    if labels.is_empty() {
        return Err(PageError(WebError::BadRequest(
            "choose at least one box or part".into(),
        )));
    }
    Ok(labels)
}

/// `GET /labels.pdf?boxes=A1,A2&parts=12&preset=a4-3x8&start=1`.
pub async fn download_pdf(
    State(state): State<AppState>,
    Reader(_v): Reader,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let params = LabelParams::from_query(raw.as_deref())?;
    let preset = preset_of(&params.preset)?;
    let permit = state.limits.render()?;
    let labels = labels_of(&state, &params).await?;
    let options = pdf::SheetOptions {
        start_at: params.start.unwrap_or(1),
        ..pdf::SheetOptions::default()
    };
    let name = format!("labels-{preset}.pdf");
    download(
        move || pdf::render(&labels, preset, options),
        permit,
        "application/pdf",
        &name,
    )
    .await
}

/// Renders off the async workers, then answers as a file download.
async fn download(
    render: impl FnOnce() -> Result<Vec<u8>, RenderError> + Send + 'static,
    permit: tokio::sync::OwnedSemaphorePermit,
    content_type: &'static str,
    filename: &str,
) -> Result<Response, PageError> {
    let bytes = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        render()
    })
    .await
    .map_err(|e| PageError(WebError::internal(e)))?
    .map_err(render_error)?;
    Ok((
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /labels.png?boxes=A1&preset=brother-62`: one label as the label
/// printer wants it.
pub async fn download_png(
    State(state): State<AppState>,
    Reader(_v): Reader,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let params = LabelParams::from_query(raw.as_deref())?;
    let preset = preset_of(&params.preset)?;
    let permit = state.limits.render()?;
    let labels = labels_of(&state, &params).await?;
    let [label] = <[Label; 1]>::try_from(labels).map_err(|_| {
        PageError(WebError::BadRequest(
            "a PNG holds one label: choose one box or part, or download the PDF".into(),
        ))
    })?;
    let name = format!("label-{preset}.png");
    download(
        move || png::png_for(&label, preset),
        permit,
        "image/png",
        &name,
    )
    .await
}

/// Most boxes the print page lists as checkboxes.
pub const CHECKLIST_MAX: u64 = 150;

#[derive(Template)]
#[template(path = "labels.html")]
struct LabelsPage {
    ctx: Ctx,
    presets: Vec<(&'static str, &'static str)>,
    preset: String,
    boxes: Vec<(String, String, bool)>,
    /// The chosen boxes' codes, when there are too many boxes to list.
    boxes_typed: Option<String>,
    box_count: u64,
    parts: String,
    start: usize,
    previews: Vec<String>,
    query: String,
    error: String,
}

/// `GET /labels`: the print page (with a preview once something is chosen).
pub async fn print_page(
    State(state): State<AppState>,
    Reader(visitor): Reader,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let params = LabelParams::from_query(raw.as_deref())?;
    let preset = preset_of(&params.preset)?;
    let mut error = String::new();
    let (chosen_boxes, chosen_parts) = match chosen(&params) {
        Ok(c) => c,
        Err(PageError(e)) => {
            error = e.to_string();
            (Vec::new(), Vec::new())
        }
    };
    let preset_q = format!("preset={}", preset.name());
    let mut previews: Vec<String> = chosen_boxes
        .iter()
        .map(|c| format!("/b/{}/label.svg?{preset_q}", encode(c.as_str())))
        .collect();
    previews.extend(
        chosen_parts
            .iter()
            .map(|id| format!("/s/{id}/label.svg?{preset_q}")),
    );
    // A checkbox per box while that is a list a person can scan; beyond
    // that a field for the codes (a checklist of thousands of boxes is
    // neither usable nor cheap to send).
    let box_count = state.store.count_locations().await?;
    let (boxes, boxes_typed) = if box_count <= CHECKLIST_MAX {
        let boxes = state
            .store
            .locations()
            .await?
            .into_iter()
            .map(|l| {
                let on = chosen_boxes.contains(&l.code);
                (l.code.to_string(), l.name, on)
            })
            .collect();
        (boxes, None)
    } else {
        let typed = chosen_boxes
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        (Vec::new(), Some(typed))
    };
    let query = format!(
        "boxes={}&parts={}&{preset_q}&start={}",
        encode(
            &chosen_boxes
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(",")
        ),
        encode(
            &chosen_parts
                .iter()
                .map(|p| p.0.to_string())
                .collect::<Vec<_>>()
                .join(",")
        ),
        params.start.unwrap_or(1)
    );
    let view = LabelsPage {
        ctx: Ctx::new(&visitor, "Print labels"),
        presets: Preset::ALL
            .iter()
            .map(|p| (p.name(), p.description()))
            .collect(),
        preset: preset.name().to_owned(),
        boxes,
        boxes_typed,
        box_count,
        parts: params.parts.clone(),
        start: params.start.unwrap_or(1),
        previews,
        query,
        error,
    };
    Ok(page(&visitor, &view))
}
