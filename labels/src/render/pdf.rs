//! PDF: office sheets (or, for a label printer, one label per page). Each label is drawn at 300 dpi (the same picture as
//! a label printer gets) and placed in the sheet's grid. Written by hand:
//! a PDF of images needs only a few objects.

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;

use super::png;
use crate::label::{Label, MM_PER_INCH, Preset, Sheet};
use crate::qr::RenderError;

/// Where to start and how to adjust the grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SheetOptions {
    /// 1-based position of the first label (to reuse a partly used sheet).
    pub start_at: usize,
    /// Moves the whole grid (printers rarely print exactly where asked), mm.
    pub offset_x: f64,
    pub offset_y: f64,
}

impl Default for SheetOptions {
    fn default() -> Self {
        SheetOptions {
            start_at: 1,
            offset_x: 0.0,
            offset_y: 0.0,
        }
    }
}

fn pt(mm: f64) -> f64 {
    mm / MM_PER_INCH * 72.0
}

/// A PDF of `labels` on `preset`'s sheets.
pub fn render(
    labels: &[Label],
    preset: Preset,
    options: SheetOptions,
) -> Result<Vec<u8>, RenderError> {
    let sheet: Sheet = preset.pdf_sheet();
    if options.start_at == 0 || options.start_at > sheet.per_page() {
        return Err(RenderError::Invalid(format!(
            "start at a position from 1 to {} (a {} sheet has {} labels)",
            sheet.per_page(),
            preset,
            sheet.per_page()
        )));
    }
    if !(options.offset_x.abs() <= 20.0 && options.offset_y.abs() <= 20.0) {
        return Err(RenderError::Invalid(
            "offsets move the grid by at most 20 mm each way".into(),
        ));
    }
    if labels.is_empty() {
        return Err(RenderError::Invalid("no labels to print".into()));
    }
    // Each label is compressed as soon as it is drawn, so memory holds one
    // raw picture at a time (≈ 0.4 MB at 300 dpi) and the compressed rest
    // (≈ 20 KB each), not every raw picture at once.
    let mut images = Vec::with_capacity(labels.len());
    for label in labels {
        // Sheets and pages are laid out landscape; the printer's quarter
        // turn is for its PNG only.
        let (w, h) = preset.label_mm();
        let px = |mm: f64| (mm * super::DPI / MM_PER_INCH).round() as u32;
        let img = png::draw(label, px(w), px(h), super::DPI)?;
        let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
        z.write_all(img.as_raw())
            .map_err(|e| RenderError::Encode(e.to_string()))?;
        let data = z.finish().map_err(|e| RenderError::Encode(e.to_string()))?;
        images.push((img.width(), img.height(), data));
    }
    let skip = options.start_at - 1;
    let pages = (skip + images.len()).div_ceil(sheet.per_page());
    // Objects: 1 catalog, 2 pages, then per page (page, content), then images.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let page_ids: Vec<usize> = (0..pages).map(|p| 3 + 2 * p).collect();
    let first_image = 3 + 2 * pages;
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = page_ids.iter().map(|id| format!("{id} 0 R")).collect();
    objects.push(
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        )
        .into_bytes(),
    );
    for (p, _) in page_ids.iter().enumerate() {
        let mut content = String::new();
        let mut xobjects = String::new();
        for cell in 0..sheet.per_page() {
            let slot = p * sheet.per_page() + cell;
            if slot < skip || slot - skip >= images.len() {
                continue;
            }
            let i = slot - skip;
            let (col, row) = (cell % sheet.columns, cell / sheet.columns);
            let x =
                sheet.left + options.offset_x + col as f64 * (sheet.label_width + sheet.column_gap);
            let top =
                sheet.top + options.offset_y + row as f64 * (sheet.label_height + sheet.row_gap);
            let y = sheet.page_height - top - sheet.label_height;
            content.push_str(&format!(
                "q {:.3} 0 0 {:.3} {:.3} {:.3} cm /Im{i} Do Q\n",
                pt(sheet.label_width),
                pt(sheet.label_height),
                pt(x),
                pt(y)
            ));
            xobjects.push_str(&format!("/Im{i} {} 0 R ", first_image + i));
        }
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {:.3} {:.3}] /Resources << /XObject << {xobjects}>> >> /Contents {} 0 R >>",
                pt(sheet.page_width),
                pt(sheet.page_height),
                page_ids[p] + 1
            )
            .into_bytes(),
        );
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend_from_slice(content.as_bytes());
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }
    for (width, height, data) in images {
        let mut obj = format!(
            "<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length {} >>\nstream\n",
            data.len()
        )
        .into_bytes();
        obj.extend_from_slice(&data);
        obj.extend_from_slice(b"\nendstream");
        objects.push(obj);
    }
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (n, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", n + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    Ok(out)
}
