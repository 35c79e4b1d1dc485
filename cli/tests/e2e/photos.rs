//! Phone photos for the browser to upload, made the way a camera would
//! see the real thing: a label sheet Spares printed (its PDF, rasterised by
//! poppler's `pdftoppm` as a printer would put it on paper) lying on a desk,
//! seen at an angle, a little out of focus, saved as a phone's JPEG; and a
//! Digi-Key bag's Data Matrix, turned and blurred the same way.
//!
//! Deterministic: the same inputs give the same bytes.

use std::path::{Path, PathBuf};
use std::process::Command;

use image::{GrayImage, Luma};
use imageproc::filter::gaussian_blur_f32;
use imageproc::geometric_transformations::{Interpolation, Projection, warp};

/// The desk around the page.
const DESK: u8 = 96;

/// `pdf` (one page) printed at `dpi`, as a `GrayImage`.
fn print(pdf: &[u8], dpi: u32, dir: &Path, name: &str) -> GrayImage {
    let pdf_path = dir.join(format!("{name}.pdf"));
    std::fs::write(&pdf_path, pdf).expect("write the PDF");
    let out = dir.join(name);
    let status = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-png", "-singlefile"])
        .arg(&pdf_path)
        .arg(&out)
        .status()
        .expect("run pdftoppm (apt-get install poppler-utils)");
    assert!(
        status.success(),
        "pdftoppm failed on {}",
        pdf_path.display()
    );
    image::open(out.with_extension("png"))
        .expect("read the printed page")
        .to_luma8()
}

/// `img` on a desk with a margin of `margin` of its size, seen at an angle
/// (each corner of the paper pulled in by up to `tilt` of the picture's
/// size), unevenly lit, blurred by `sigma`, as a JPEG of `quality`.
fn photograph(img: &GrayImage, margin: f32, tilt: f32, sigma: f32, quality: u8) -> Vec<u8> {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let (cw, ch) = (w * (1.0 + 2.0 * margin), h * (1.0 + 2.0 * margin));
    let mut desk = GrayImage::from_pixel(cw as u32, ch as u32, Luma([DESK]));
    image::imageops::overlay(
        &mut desk,
        img,
        i64::from((w * margin) as u32),
        i64::from((h * margin) as u32),
    );
    // The camera held lower on the left and turned a little: the far edge
    // shorter than the near one, nothing square.
    let from = [(0.0, 0.0), (cw, 0.0), (cw, ch), (0.0, ch)];
    let to = [
        (cw * tilt, ch * tilt * 0.6),
        (cw * (1.0 - tilt * 0.3), ch * tilt * 0.2),
        (cw * (1.0 - tilt * 0.1), ch * (1.0 - tilt * 0.4)),
        (cw * tilt * 0.5, ch),
    ];
    let projection = Projection::from_control_points(from, to).expect("a projection");
    let tilted = warp(
        &desk,
        &projection,
        Interpolation::Bilinear,
        Luma([DESK / 2]),
    );
    // Light from the top right: up to a fifth darker towards the bottom left.
    let lit = GrayImage::from_fn(tilted.width(), tilted.height(), |x, y| {
        let fx = x as f32 / tilted.width() as f32;
        let fy = y as f32 / tilted.height() as f32;
        let shade = 1.0 - 0.2 * ((1.0 - fx) + fy) / 2.0;
        Luma([(f32::from(tilted.get_pixel(x, y).0[0]) * shade) as u8])
    });
    let soft = gaussian_blur_f32(&lit, sigma);
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality)
        .encode_image(&soft)
        .expect("encode the JPEG");
    jpeg
}

/// Writes `dir/name.jpg` whole or not at all (written aside, then
/// renamed), so a reader waiting for it never sees half a file.
fn save(jpeg: &[u8], dir: &Path, name: &str) -> PathBuf {
    let part = dir.join(format!("{name}.jpg.part"));
    let path = dir.join(format!("{name}.jpg"));
    std::fs::write(&part, jpeg).expect("write the photo");
    std::fs::rename(&part, &path).expect("move the photo in place");
    path
}

/// A photo of the printed label sheet `pdf`, saved as `dir/name.jpg`.
pub fn label_sheet(pdf: &[u8], dir: &Path, name: &str) -> PathBuf {
    let page = print(pdf, 150, dir, name);
    save(&photograph(&page, 0.06, 0.08, 1.1, 72), dir, name)
}

/// A photo of a Digi-Key bag whose ISO 15434 Data Matrix says `text`
/// (the code on a white sticker on a grey antistatic bag), as `dir/name.jpg`.
pub fn supplier_bag(text: &str, dir: &Path, name: &str) -> PathBuf {
    use rxing::Writer;
    let matrix = rxing::datamatrix::DataMatrixWriter
        .encode(text, &rxing::BarcodeFormat::DATA_MATRIX, 0, 0)
        .expect("encode the Data Matrix");
    let module = 9;
    let (mw, mh) = (matrix.getWidth(), matrix.getHeight());
    // The sticker: the code with a quiet zone, and some print beside it.
    let (sw, sh) = ((mw + 4) * module + 420, (mh + 4) * module);
    let sticker = GrayImage::from_fn(sw, sh, |x, y| {
        let (mx, my) = (x / module, y / module);
        let in_code = mx >= 2 && my >= 2 && mx < mw + 2 && my < mh + 2;
        let dark = if in_code {
            matrix.get(mx - 2, my - 2)
        } else {
            // Rows of "text": short dark dashes right of the code.
            let tx = x.saturating_sub((mw + 4) * module);
            tx > 20 && (y / 14) % 3 == 1 && (tx / 9) % 5 != 0 && tx < 400
        };
        Luma([if dark { 20 } else { 235 }])
    });
    let mut bag = GrayImage::from_pixel(sw + 500, sh + 400, Luma([150]));
    image::imageops::overlay(&mut bag, &sticker, 250, 200);
    save(&photograph(&bag, 0.15, 0.07, 1.3, 70), dir, name)
}
