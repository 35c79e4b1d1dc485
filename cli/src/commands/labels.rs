//! `spares labels`: QR labels of boxes and parts as a PDF sheet, printer
//! PNGs or SVGs.

use std::path::{Path, PathBuf};

use spares_core::{PublicUrl, Store, StoreError};

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
    pub public_url: Option<PublicUrl>,
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

/// `spares labels`: writes the files and names them.
pub async fn run(url: &str, request: &LabelRequest, output: &Path) -> anyhow::Result<bool> {
    let store = super::open(url).await?;
    for f in labels(store.as_ref(), request, output).await? {
        eprintln!("Wrote {}", f.display());
    }
    Ok(true)
}

/// Writes the labels; returns the files written. A PDF holds every label;
/// PNG and SVG are one file per label (`NAME.png` for one, `NAME-1.png`,
/// `NAME-2.png`… for several).
pub async fn labels(
    store: &dyn Store,
    request: &LabelRequest,
    output: &Path,
) -> Result<Vec<PathBuf>, LabelsError> {
    use spares_labels::content::{box_label, spare_label};
    use spares_labels::render::{pdf, png, svg};
    let preset = spares_labels::Preset::parse(&request.preset)
        .ok_or_else(|| LabelsError::Preset(request.preset.clone()))?;
    let public = request.public_url.as_ref();
    let mut codes = Vec::new();
    if request.all_boxes {
        codes = store
            .locations()
            .await?
            .into_iter()
            .map(|l| l.code)
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
    let write = |path: &Path, bytes: &[u8]| {
        std::fs::write(path, bytes).map_err(|error| LabelsError::Write {
            path: path.display().to_string(),
            error,
        })
    };
    let numbered = |i: usize| -> PathBuf {
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
