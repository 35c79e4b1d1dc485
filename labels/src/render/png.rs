//! Raster labels: a grey image at a given size and DPI, encoded as PNG.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{GrayImage, ImageEncoder, Luma};

use super::{DPI, MARGIN_MM};
use crate::label::{Label, MM_PER_INCH, Preset};
use crate::qr::{MIN_MODULE_MM, Matrix, RenderError};

static BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");
static CONDENSED: &[u8] = include_bytes!("../../fonts/DejaVuSansCondensed.ttf");

fn font(bytes: &'static [u8]) -> Result<FontRef<'static>, RenderError> {
    FontRef::try_from_slice(bytes).map_err(|e| RenderError::Invalid(format!("font: {e}")))
}

/// Width in pixels of `text` at `size`.
fn text_width(font: &FontRef<'_>, size: f32, text: &str) -> f32 {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut width = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            width += scaled.kern(p, id);
        }
        width += scaled.h_advance(id);
        previous = Some(id);
    }
    width
}

/// Draws `text` with its baseline at `baseline`, starting at `x`.
fn draw_text(
    img: &mut GrayImage,
    font: &FontRef<'_>,
    size: f32,
    x: f32,
    baseline: f32,
    text: &str,
) {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut caret = x;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            caret += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(size, ab_glyph::point(caret, baseline));
        caret += scaled.h_advance(id);
        previous = Some(id);
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i64 + i64::from(gx);
                let py = bounds.min.y as i64 + i64::from(gy);
                if px >= 0 && py >= 0 && (px as u32) < img.width() && (py as u32) < img.height() {
                    let p = img.get_pixel_mut(px as u32, py as u32);
                    let ink = (coverage.clamp(0.0, 1.0) * 255.0) as u8;
                    p.0[0] = p.0[0].saturating_sub(ink);
                }
            });
        }
    }
}

/// The largest size ≤ `max` at which `text` fits `width` (down to `min`);
/// below that the text is shortened with an ellipsis.
fn fit(font: &FontRef<'_>, text: &str, width: f32, max: f32, min: f32) -> (f32, String) {
    let mut size = max;
    while size > min && text_width(font, size, text) > width {
        size -= 1.0;
    }
    if text_width(font, size, text) <= width {
        return (size, text.to_owned());
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>() + "…";
        if text_width(font, size, &candidate) <= width {
            return (size, candidate);
        }
    }
    (size, String::new())
}

/// Draws `label` on a white `width` × `height` image at `dpi`.
pub fn draw(label: &Label, width: u32, height: u32, dpi: f64) -> Result<GrayImage, RenderError> {
    let px_per_mm = dpi / MM_PER_INCH;
    let margin = (MARGIN_MM * px_per_mm).round() as u32;
    let matrix = Matrix::encode(&label.qr_text)?;
    let modules = matrix.with_quiet_zone() as u32;
    let side = height
        .saturating_sub(2 * margin)
        .min(width.saturating_sub(2 * margin));
    matrix.check_fits(f64::from(side) / px_per_mm)?;
    let module = side / modules;
    if f64::from(module) < MIN_MODULE_MM * px_per_mm - 0.5 || module == 0 {
        return Err(RenderError::TooSmall {
            modules: modules as usize,
            needed_mm: f64::from(modules) * MIN_MODULE_MM,
            available_mm: f64::from(side) / px_per_mm,
        });
    }
    let qr_side = module * modules;
    let mut img = GrayImage::from_pixel(width, height, Luma([255]));
    let x0 = margin;
    let y0 = (height - qr_side) / 2;
    let quiet = crate::qr::QUIET_ZONE as u32;
    for my in 0..matrix.size {
        for mx in 0..matrix.size {
            if matrix.dark(mx, my) {
                let px = x0 + (mx as u32 + quiet) * module;
                let py = y0 + (my as u32 + quiet) * module;
                for y in py..py + module {
                    for x in px..px + module {
                        img.put_pixel(x, y, Luma([0]));
                    }
                }
            }
        }
    }
    // Text to the right of the code (the quiet zone doubles as spacing).
    let text_x = (x0 + qr_side) as f32;
    let text_w = (width as f32 - text_x - margin as f32).max(0.0);
    if text_w > 10.0 {
        let bold = font(BOLD)?;
        let condensed = font(CONDENSED)?;
        let h = (height - 2 * margin) as f32;
        let (title_size, title) = fit(&bold, &label.title, text_w, h * 0.42, h * 0.12);
        let mut baseline = margin as f32 + title_size * 0.95;
        draw_text(&mut img, &bold, title_size, text_x, baseline, &title);
        for (text, share) in [(&label.name, 0.2), (&label.summary, 0.17)] {
            if text.is_empty() {
                continue;
            }
            let (size, shown) = fit(&condensed, text, text_w, h * share, h * 0.09);
            if baseline + size * 1.15 > (height - margin) as f32 {
                break;
            }
            baseline += size * 1.2;
            draw_text(&mut img, &condensed, size, text_x, baseline, &shown);
        }
    }
    Ok(img)
}

/// PNG bytes of a grey image.
pub fn encode(img: &GrayImage) -> Result<Vec<u8>, RenderError> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::L8,
        )
        .map_err(|e| RenderError::Encode(e.to_string()))?;
    Ok(out)
}

/// The label drawn for `preset` at 300 dpi: a label printer's exact image
/// (turned a quarter where the printer feeds that way), or one cell of a
/// sheet.
pub fn image_for(label: &Label, preset: Preset) -> Result<GrayImage, RenderError> {
    let (w_mm, h_mm) = preset.label_mm();
    let px = |mm: f64| (mm * DPI / MM_PER_INCH).round() as u32;
    let img = draw(label, px(w_mm), px(h_mm), DPI)?;
    Ok(if preset.rotated() {
        image::imageops::rotate90(&img)
    } else {
        img
    })
}

/// PNG bytes of [`image_for`].
pub fn png_for(label: &Label, preset: Preset) -> Result<Vec<u8>, RenderError> {
    encode(&image_for(label, preset)?)
}
