//! Scalable labels: the same layout as [`super::png`], in millimetres.

use super::MARGIN_MM;
use crate::label::Label;
use crate::qr::{Matrix, QUIET_ZONE, RenderError};

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// An SVG document of `label` at `width_mm` × `height_mm`.
pub fn render(label: &Label, width_mm: f64, height_mm: f64) -> Result<String, RenderError> {
    let matrix = Matrix::encode(&label.qr_text)?;
    let side = (height_mm - 2.0 * MARGIN_MM).min(width_mm - 2.0 * MARGIN_MM);
    matrix.check_fits(side)?;
    let module = side / matrix.with_quiet_zone() as f64;
    let x0 = MARGIN_MM + QUIET_ZONE as f64 * module;
    let y0 = (height_mm - side) / 2.0 + QUIET_ZONE as f64 * module;
    let mut path = String::new();
    for y in 0..matrix.size {
        let mut x = 0;
        while x < matrix.size {
            if matrix.dark(x, y) {
                let start = x;
                while x < matrix.size && matrix.dark(x, y) {
                    x += 1;
                }
                path.push_str(&format!(
                    "M{:.3} {:.3}h{:.3}v{:.3}h-{:.3}z",
                    x0 + start as f64 * module,
                    y0 + y as f64 * module,
                    (x - start) as f64 * module,
                    module,
                    (x - start) as f64 * module
                ));
            } else {
                x += 1;
            }
        }
    }
    let text_x = MARGIN_MM + side;
    let h = height_mm - 2.0 * MARGIN_MM;
    let title_size = h * 0.36;
    let mut texts = format!(
        r#"<text x="{text_x:.2}" y="{:.2}" font-size="{title_size:.2}" font-weight="bold">{}</text>"#,
        MARGIN_MM + title_size * 0.95,
        escape(&label.title)
    );
    let mut baseline = MARGIN_MM + title_size * 0.95;
    for (text, share) in [(&label.name, 0.17), (&label.summary, 0.15)] {
        if text.is_empty() {
            continue;
        }
        let size = h * share;
        baseline += size * 1.25;
        texts.push_str(&format!(
            r#"<text x="{text_x:.2}" y="{baseline:.2}" font-size="{size:.2}" textLength="{:.2}" lengthAdjust="spacingAndGlyphs">{}</text>"#,
            // Long names are squeezed into the space rather than overflowing.
            (width_mm - text_x - MARGIN_MM).min(text.chars().count() as f64 * size * 0.55),
            escape(text)
        ));
    }
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width_mm}mm" height="{height_mm}mm" viewBox="0 0 {width_mm} {height_mm}" role="img" aria-label="{}"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="{path}"/><g font-family="DejaVu Sans, Verdana, Arial, sans-serif" fill="#000">{texts}</g></svg>"##,
        escape(&format!("Label {}", label.title))
    ))
}
