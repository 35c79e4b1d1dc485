//! `spares import` and `spares export`: the CSV format of
//! [`spares_core::csv_io`] between a file and the store.

use std::io::{Read, Write};
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};
use spares_core::csv_io::{CsvError, read_spares, write_spares};
use spares_core::{Change, Currency, Source, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("{0}. Nothing was imported")]
    Csv(CsvError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot write: {0}")]
    Write(#[from] std::io::Error),
    #[error("verification failed: {0}")]
    Verify(String),
}

// Not `#[from]`: the message already contains the CSV error, and a
// `source` would make error chains print it twice.
impl From<CsvError> for TransferError {
    fn from(e: CsvError) -> Self {
        TransferError::Csv(e)
    }
}

/// Reads a whole CSV, then adds every row in one transaction (all or
/// nothing). Shows a progress bar on a terminal.
pub async fn import(
    store: &dyn Store,
    reader: impl Read,
    default_currency: Currency,
    actor: &str,
) -> Result<u64, TransferError> {
    let spinner = ProgressBar::new_spinner().with_message("reading CSV");
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let spares = read_spares(reader, Some(default_currency));
    spinner.finish_and_clear();
    let spares = spares?;
    let bar = ProgressBar::new(spares.len() as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} spares ({per_sec}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress_bar = bar.clone();
    let n = store
        .import(
            spares,
            &Change::new(Source::Import, actor),
            Some(Arc::new(move |done| progress_bar.set_position(done))),
        )
        .await;
    bar.finish_and_clear();
    Ok(n?)
}

/// Writes every spare as CSV, by id.
pub async fn export(store: &dyn Store, writer: impl Write) -> Result<usize, TransferError> {
    let snapshot = store.export().await?;
    write_spares(writer, &snapshot.spares)?;
    Ok(snapshot.spares.len())
}

/// What `spares migrate` copied, with the checksum both sides agreed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    pub spares: usize,
    pub locations: usize,
    pub shops: usize,
    pub movements: usize,
    /// FNV-1a 64 of the CSV export, identical on both sides.
    pub checksum: u64,
}

/// FNV-1a, 64 bits: a stable checksum to print (not a security hash).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

async fn csv_of(store: &dyn Store) -> Result<Vec<u8>, TransferError> {
    let mut out = Vec::new();
    export(store, &mut out).await?;
    Ok(out)
}

/// Copies everything (spares with their ids and times, boxes, shops,
/// history) from one store into an empty one, then checks counts and the
/// CSV export of both sides.
pub async fn migrate(from: &dyn Store, to: &dyn Store) -> Result<Migrated, TransferError> {
    let snapshot = from.export().await?;
    let movements = from.all_movements().await?;
    let expected = Migrated {
        spares: snapshot.spares.len(),
        locations: snapshot.locations.len(),
        shops: snapshot.shops.len(),
        movements: movements.len(),
        checksum: fnv1a(&csv_of(from).await?),
    };
    to.restore(snapshot, movements).await?;
    let copied = to.export().await?;
    let got = Migrated {
        spares: copied.spares.len(),
        locations: copied.locations.len(),
        shops: copied.shops.len(),
        movements: to.all_movements().await?.len(),
        checksum: fnv1a(&csv_of(to).await?),
    };
    if got != expected {
        return Err(TransferError::Verify(format!(
            "the copy differs: expected {expected:?}, found {got:?}"
        )));
    }
    Ok(got)
}

/// What `spares labels` was asked for.
#[derive(Debug, Clone)]
pub struct LabelRequest {
    pub boxes: Vec<String>,
    pub all_boxes: bool,
    pub parts: Vec<i64>,
    pub preset: String,
    pub start_at: usize,
    /// Moves the sheet's grid (x right, y down), in millimetres.
    pub offset_mm: (f64, f64),
    pub public_url: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum LabelsError {
    #[error("unknown preset {0:?}; use one of: {list}", list = spares_labels::Preset::ALL.map(|p| p.name()).join(", "))]
    Preset(String),
    #[error("say which labels: --boxes A1,A2, --all-boxes or --parts 12,40")]
    Nothing,
    #[error("{0}")]
    Box(String),
    #[error("the output must end in .pdf, .png or .svg (got {0})")]
    Format(String),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Render(#[from] spares_labels::RenderError),
    #[error("cannot write {path}: {error}")]
    Write { path: String, error: std::io::Error },
}

/// Writes the labels; returns the files written. A PDF holds every label;
/// PNG and SVG are one file per label (`NAME.png` for one, `NAME-1.png`,
/// `NAME-2.png`… for several).
pub async fn labels(
    store: &dyn Store,
    request: &LabelRequest,
    output: &std::path::Path,
) -> Result<Vec<std::path::PathBuf>, LabelsError> {
    use spares_labels::content::{box_label, spare_label};
    use spares_labels::render::{pdf, png, svg};
    let preset = spares_labels::Preset::parse(&request.preset)
        .ok_or_else(|| LabelsError::Preset(request.preset.clone()))?;
    let public = request.public_url.as_deref();
    let mut codes = Vec::new();
    if request.all_boxes {
        codes = store
            .list_locations()
            .await?
            .into_iter()
            .map(|l| l.location.code)
            .collect();
    }
    for b in &request.boxes {
        codes.push(
            spares_core::LocationCode::parse(b)
                .map_err(|e| LabelsError::Box(format!("box {b:?}: {e}")))?,
        );
    }
    let mut labels = Vec::new();
    for code in &codes {
        labels.push(box_label(store, code, public).await?);
    }
    for id in &request.parts {
        labels.push(spare_label(store, spares_core::SpareId(*id), public).await?);
    }
    if labels.is_empty() {
        return Err(LabelsError::Nothing);
    }
    let ext = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let write = |path: &std::path::Path, bytes: &[u8]| {
        std::fs::write(path, bytes).map_err(|error| LabelsError::Write {
            path: path.display().to_string(),
            error,
        })
    };
    let numbered = |i: usize| -> std::path::PathBuf {
        if labels.len() == 1 {
            return output.to_path_buf();
        }
        let stem = output
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "label".into());
        output.with_file_name(format!("{stem}-{}.{ext}", i + 1))
    };
    let mut written = Vec::new();
    match ext.as_str() {
        "pdf" => {
            let options = pdf::SheetOptions {
                start_at: request.start_at,
                offset_x: request.offset_mm.0,
                offset_y: request.offset_mm.1,
            };
            write(output, &pdf::render(&labels, preset, options)?)?;
            written.push(output.to_path_buf());
        }
        "png" => {
            for (i, label) in labels.iter().enumerate() {
                let path = numbered(i);
                write(&path, &png::png_for(label, preset)?)?;
                written.push(path);
            }
        }
        "svg" => {
            let (w, h) = preset.label_mm();
            for (i, label) in labels.iter().enumerate() {
                let path = numbered(i);
                write(&path, svg::render(label, w, h)?.as_bytes())?;
                written.push(path);
            }
        }
        other => return Err(LabelsError::Format(format!(".{other}"))),
    }
    Ok(written)
}

/// GET /healthz on `addr` (an unspecified address means this host); Ok
/// when it answers 200 within 3 s.
pub fn healthcheck(mut addr: std::net::SocketAddr) -> std::io::Result<()> {
    use std::time::Duration;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let timeout = Duration::from_secs(3);
    let mut stream = std::net::TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head)?;
    if head.starts_with(b"HTTP/1.1 200") {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "/healthz answered {}",
            String::from_utf8_lossy(&head)
        )))
    }
}
