//! CSV from the browser: `GET /import` (the form, and the export link),
//! `POST /import` (multipart; the same format and all-or-nothing rule as
//! `spares import`), `GET /export.csv`.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use spares_core::csv_io::{self, check_spares};
use spares_core::store::ImportRows;
use spares_core::{Change, Source};

use crate::auth::{Editor, Reader, Visitor};
use crate::error::WebError;
use crate::html::see_other;
use crate::html::{Ctx, PageError, page};
use crate::state::AppState;
use crate::upload::{Upload, form_file};

/// Largest CSV upload accepted from the browser.
pub const MAX_UPLOAD: usize = 16 * 1024 * 1024;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    ctx: Ctx,
    error: String,
    columns: String,
    max_mib: usize,
}

fn import_page(visitor: &Visitor, error: String) -> Response {
    let view = ImportPage {
        ctx: Ctx::new(visitor, "Import and export"),
        columns: spares_core::csv_io::documented_columns(),
        max_mib: MAX_UPLOAD >> 20,
        error: error.clone(),
    };
    let response = page(visitor, &view);
    if error.is_empty() {
        response
    } else {
        (StatusCode::BAD_REQUEST, response).into_response()
    }
}

/// `GET /import`.
pub async fn form(Reader(visitor): Reader) -> Response {
    import_page(&visitor, String::new())
}

/// `POST /import`: fields `csrf` and `file`.
pub async fn import(
    State(state): State<AppState>,
    Editor(visitor): Editor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let Some(Upload { filename, bytes }) = form_file(
        &state,
        &visitor,
        multipart,
        MAX_UPLOAD >> 20,
        "nothing was imported",
    )
    .await?
    else {
        return Ok(import_page(
            &visitor,
            "Choose a CSV file first; nothing was imported.".into(),
        ));
    };
    let _permit = state.limits.transfer()?;
    let currency = state.currency;
    // Checked whole first, then parsed again as the rows are written: the
    // import holds the text and one parsed row, not every row.
    let parsed = tokio::task::spawn_blocking(move || {
        let checked = check_spares(bytes.as_slice(), Some(currency))?;
        let len = checked.len();
        let rows = checked
            .rows()?
            .map(|row| row.map_err(|e| spares_core::StoreError::Invalid(e.to_string())));
        Ok::<_, csv_io::CsvError>(ImportRows {
            rows: Box::new(rows),
            len,
        })
    })
    .await
    .map_err(|e| PageError(WebError::internal(e)))?;
    let spares = match parsed {
        Ok(s) => s,
        Err(e) => {
            return Ok(import_page(
                &visitor,
                format!("{filename}: {e}. Nothing was imported."),
            ));
        }
    };
    let change = Change::new(Source::Import, visitor.user().unwrap_or("web"))
        .with_reason(&format!("imported from {filename}"));
    let n = match state.store.import_rows(spares, &change, None).await {
        Ok(n) => n,
        Err(e @ (spares_core::StoreError::Invalid(_) | spares_core::StoreError::Conflict(_))) => {
            return Ok(import_page(
                &visitor,
                format!("{filename}: {e}. Nothing was imported."),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let message = format!("Imported {n} parts from {filename}.");
    Ok(see_other("/", Some(visitor.flash_cookie(&message))))
}

/// The parts of a streamed download, sent to the response body.
struct Download(tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>);

#[async_trait::async_trait]
impl csv_io::CsvParts for Download {
    async fn part(&mut self, bytes: Vec<u8>) -> Result<(), csv_io::CsvError> {
        self.0
            .send(Ok(bytes))
            .await
            .map_err(|_| csv_io::CsvError::Io("the download was cancelled".into()))
    }
}

/// `GET /export.csv`: every part, by id, in the import format.
pub async fn export(
    State(state): State<AppState>,
    Reader(_visitor): Reader,
) -> Result<Response, PageError> {
    let permit = state.limits.transfer()?;
    // Streamed: a slice of the inventory at a time goes out as it is read,
    // so memory stays flat at any size. A failure part-way ends the body
    // with an error (the browser shows a failed download, never a short
    // file that looks whole).
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(2);
    let store = std::sync::Arc::clone(&state.store);
    tokio::spawn(async move {
        let _permit = permit;
        let mut parts = Download(tx.clone());
        let sent = csv_io::export_in_parts(store.as_ref(), &mut parts).await;
        if let Err(e) = sent {
            tracing::warn!(error = %spares_core::error_chain(&e), "export failed part-way");
            let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
        }
    });
    let body =
        axum::body::Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|part| (part, rx))
        }));
    let name = format!("spares-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}
