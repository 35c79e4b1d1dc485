//! Reading QR codes from photos.
//!
//! A phone photo is decoded with bounded memory ([`image::Limits`]), turned
//! upright by its EXIF orientation, then tried with several preparations
//! until codes are found: `rqrr` on a downscaled copy and at full size,
//! `rxing` (a port of ZXing, "try harder", several codes per picture, QR
//! and Data Matrix only) on the same, then with the contrast stretched and
//! with a few global thresholds, then turned by 45° (finder patterns of a
//! skewed code are easier to find upright), and for a small picture (a
//! far-away, blurred sticker) enlarged three times and binarised locally
//! and at a fine sweep of levels. Every decoded text is returned once; both
//! readers check a code's error correction, and a text that claims to be a
//! Spares label but does not parse is dropped as misread.

use std::collections::BTreeSet;
use std::io::Cursor;

use image::{DynamicImage, GrayImage, ImageDecoder, ImageReader, Limits};

use crate::payload::{Payload, PayloadError};

/// Largest file accepted (a 12-megapixel JPEG is 3–8 MB).
pub const MAX_BYTES: usize = 25 * 1024 * 1024;
/// Largest width or height accepted.
pub const MAX_SIDE: u32 = 12_000;
/// Most pixels accepted (checked from the file's header, before decoding):
/// 24 megapixels (6000 × 4000) holds every phone's normal photo. A photo
/// decodes to 3 bytes a pixel and is then turned grey, so one decode peaks
/// near 100 MB: what a 256 MiB container can spare.
pub const MAX_PIXELS: u64 = 24_000_000;
/// Most memory the image decoder may allocate (24 megapixels in colour).
pub const MAX_ALLOC: u64 = 96 * 1024 * 1024;

/// One photo is decoded at a time in a process: several at once would
/// multiply the peak above.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
/// Size the first, fast attempts work at.
const FAST_SIDE: u32 = 1600;

/// Why a picture could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {} MB", MAX_BYTES >> 20)]
    TooLarge,
    #[error("not a picture Spares can read (JPEG, PNG or WebP)")]
    NotAnImage,
    #[error(
        "the picture is {width} × {height} pixels; at most {} megapixels (and {MAX_SIDE} pixels a side) are accepted",
        MAX_PIXELS / 1_000_000
    )]
    TooManyPixels { width: u32, height: u32 },
    #[error("the picture is damaged or cut short: {0}")]
    Damaged(String),
    #[error("another picture is being read; try again in a moment")]
    Busy,
}

/// The picture, upright, in grey.
pub fn load(bytes: &[u8]) -> Result<GrayImage, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(DecodeError::TooLarge);
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| DecodeError::NotAnImage)?;
    match reader.format() {
        Some(image::ImageFormat::Jpeg | image::ImageFormat::Png | image::ImageFormat::WebP) => {}
        _ => return Err(DecodeError::NotAnImage),
    }
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| DecodeError::Damaged(e.to_string()))?;
    let (width, height) = decoder.dimensions();
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(DecodeError::TooManyPixels { width, height });
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    decoder
        .set_limits(limits)
        .map_err(|_| DecodeError::TooManyPixels { width, height })?;
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => DecodeError::TooManyPixels { width, height },
        other => DecodeError::Damaged(other.to_string()),
    })?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    Ok(img.into_luma8())
}

fn rqrr_texts(img: &GrayImage, found: &mut BTreeSet<String>) {
    // rqrr asserts on some degenerate geometry (a finder pattern whose
    // perspective sends a point to infinity): a picture that trips it is
    // one rqrr cannot read, not a reason to fail the request.
    let texts = std::panic::catch_unwind(|| {
        let mut prepared = rqrr::PreparedImage::prepare(img.clone());
        prepared
            .detect_grids()
            .into_iter()
            .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
            .collect::<Vec<_>>()
    })
    .unwrap_or_default();
    found.extend(texts);
}

fn rxing_texts(img: &GrayImage, found: &mut BTreeSet<String>) {
    // Two-dimensional codes only: QR (labels, LCSC, TME) and Data Matrix
    // (Digi-Key, Mouser). A one-dimensional reader finds "barcodes" in
    // stripes and text, and a wrong text is worse than none.
    let mut hints = rxing::DecodeHints {
        TryHarder: Some(true),
        PossibleFormats: Some(
            [
                rxing::BarcodeFormat::QR_CODE,
                rxing::BarcodeFormat::DATA_MATRIX,
            ]
            .into_iter()
            .collect(),
        ),
        ..Default::default()
    };
    if let Ok(results) = rxing::helpers::detect_multiple_in_luma_with_hints(
        img.as_raw().clone(),
        img.width(),
        img.height(),
        &mut hints,
    ) {
        for r in results {
            found.insert(r.getText().to_owned());
        }
    }
}

fn scaled(img: &GrayImage, side: u32) -> GrayImage {
    let longest = img.width().max(img.height());
    if longest <= side {
        return img.clone();
    }
    let f = f64::from(side) / f64::from(longest);
    image::imageops::resize(
        img,
        ((f64::from(img.width()) * f).round() as u32).max(1),
        ((f64::from(img.height()) * f).round() as u32).max(1),
        image::imageops::FilterType::Triangle,
    )
}

/// Stretches the darkest 1% to black and the lightest 1% to white.
fn stretched(img: &GrayImage) -> GrayImage {
    let mut histogram = [0u64; 256];
    for p in img.pixels() {
        histogram[usize::from(p.0[0])] += 1;
    }
    let total: u64 = histogram.iter().sum();
    let cut = total / 100;
    let (mut lo, mut hi, mut acc) = (0usize, 255usize, 0u64);
    for (i, n) in histogram.iter().enumerate() {
        acc += n;
        if acc > cut {
            lo = i;
            break;
        }
    }
    acc = 0;
    for (i, n) in histogram.iter().enumerate().rev() {
        acc += n;
        if acc > cut {
            hi = i;
            break;
        }
    }
    if hi <= lo + 8 {
        return img.clone();
    }
    let span = (hi - lo) as f32;
    let mut out = img.clone();
    for p in out.pixels_mut() {
        let v = (f32::from(p.0[0]) - lo as f32) / span * 255.0;
        p.0[0] = v.clamp(0.0, 255.0) as u8;
    }
    out
}

/// `img` made `factor` times larger, smoothly (Catmull-Rom): a small,
/// soft code gets modules several pixels wide for the finders.
fn enlarged(img: &GrayImage, factor: u32) -> GrayImage {
    image::imageops::resize(
        img,
        img.width() * factor,
        img.height() * factor,
        image::imageops::FilterType::CatmullRom,
    )
}

/// Black where a pixel is darker than the mean of the square around it
/// (side `2 * radius + 1`) by more than `offset`: a threshold that follows
/// shadows and glare across the picture. Summed-area table, O(pixels).
fn locally_thresholded(img: &GrayImage, radius: u32, offset: i64) -> GrayImage {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let mut sums = vec![0i64; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0i64;
        for x in 0..w {
            row += i64::from(img.as_raw()[y * w + x]);
            sums[(y + 1) * (w + 1) + x + 1] = sums[y * (w + 1) + x + 1] + row;
        }
    }
    let r = radius as usize;
    let mut out = img.clone();
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let total = sums[y1 * (w + 1) + x1] - sums[y0 * (w + 1) + x1] - sums[y1 * (w + 1) + x0]
                + sums[y0 * (w + 1) + x0];
            let count = ((y1 - y0) * (x1 - x0)) as i64;
            let v = i64::from(img.as_raw()[y * w + x]);
            out.as_mut()[y * w + x] = if v * count < total - offset * count {
                0
            } else {
                255
            };
        }
    }
    out
}

fn thresholded(img: &GrayImage, level: u8) -> GrayImage {
    let mut out = img.clone();
    for p in out.pixels_mut() {
        p.0[0] = if p.0[0] < level { 0 } else { 255 };
    }
    out
}

fn rotated45(img: &GrayImage) -> GrayImage {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let side = ((w * w + h * h).sqrt()).ceil() as u32;
    let mut out = GrayImage::from_pixel(side, side, image::Luma([255]));
    let (cx, cy) = (side as f32 / 2.0, side as f32 / 2.0);
    let (sx, sy) = (w / 2.0, h / 2.0);
    let c = std::f32::consts::FRAC_1_SQRT_2;
    for y in 0..side {
        for x in 0..side {
            let dx = x as f32 - cx;
            let dy = y as f32 - cy;
            let ox = c * dx - c * dy + sx;
            let oy = c * dx + c * dy + sy;
            if ox >= 0.0 && oy >= 0.0 && ox < w - 1.0 && oy < h - 1.0 {
                out.put_pixel(x, y, *img.get_pixel(ox as u32, oy as u32));
            }
        }
    }
    out
}

/// Every QR code text in a grey picture, trying harder preparations only
/// while nothing is found.
pub fn texts_in(img: &GrayImage) -> Vec<String> {
    let mut found = BTreeSet::new();
    let small = scaled(img, FAST_SIDE);
    rqrr_texts(&small, &mut found);
    // Several labels in one picture: small codes may only show at full size.
    let large = img.width().max(img.height()) > FAST_SIDE;
    if large {
        rqrr_texts(&scaled(img, 4000), &mut found);
    }
    if found.is_empty() {
        rxing_texts(&small, &mut found);
    }
    if found.is_empty() && large {
        rxing_texts(&scaled(img, 3000), &mut found);
    }
    if found.is_empty() {
        let s = stretched(&small);
        rqrr_texts(&s, &mut found);
        for level in [96u8, 128, 160] {
            if !found.is_empty() {
                break;
            }
            rqrr_texts(&thresholded(&s, level), &mut found);
        }
    }
    if found.is_empty() {
        let r = rotated45(&scaled(img, 1200));
        rqrr_texts(&r, &mut found);
        if found.is_empty() {
            rxing_texts(&r, &mut found);
        }
    }
    if found.is_empty() && img.width().max(img.height()) <= SMALL_SIDE {
        small_and_soft(img, &mut found);
    }
    // A text that claims to be a Spares label but does not parse was
    // misread: drop it (both readers have already checked the code's error
    // correction).
    found.retain(|t| !matches!(Payload::parse(t), Err(PayloadError::Invalid(_))));
    found.into_iter().collect()
}

/// Pictures up to this side are worth enlarging (a far-away or
/// low-resolution code).
const SMALL_SIDE: u32 = 640;

/// A small, blurred picture: enlarged three times with its contrast
/// stretched, then binarised against its surroundings at a few window
/// sizes, then at global levels 4 apart (a blurred sticker on a dark
/// background reads at one level and not at its neighbours 8 apart); each
/// candidate, made only when the ones before failed, is tried by both
/// readers.
fn small_and_soft(img: &GrayImage, found: &mut BTreeSet<String>) {
    let big = stretched(&enlarged(img, 3));
    let side = big.width().min(big.height());
    let local = [8, 16, 32]
        .into_iter()
        .map(|divisor| locally_thresholded(&big, (side / divisor).max(4), 0));
    let global = (40u8..220).step_by(4).map(|level| thresholded(&big, level));
    for candidate in std::iter::once(big.clone()).chain(local).chain(global) {
        rqrr_texts(&candidate, found);
        if found.is_empty() {
            rxing_texts(&candidate, found);
        }
        if !found.is_empty() {
            return;
        }
    }
}

/// Every QR code text in a photo (JPEG, PNG or WebP), each once. Waits
/// while another photo is being decoded in this process.
pub fn decode(bytes: &[u8]) -> Result<Vec<String>, DecodeError> {
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok(texts_in(&load(bytes)?))
}

/// [`decode`], or [`DecodeError::Busy`] at once while another photo is
/// being decoded (for servers that answer "try again" rather than queue).
pub fn try_decode(bytes: &[u8]) -> Result<Vec<String>, DecodeError> {
    let _turn = match ONE_AT_A_TIME.try_lock() {
        Ok(guard) => guard,
        Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
        Err(std::sync::TryLockError::WouldBlock) => return Err(DecodeError::Busy),
    };
    Ok(texts_in(&load(bytes)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qr::Matrix;

    /// A clean picture of a QR code holding `text`, 6 pixels a module.
    fn picture(text: &str) -> GrayImage {
        let m = Matrix::encode(text).expect("fits");
        let side = (m.size + 8) as u32 * 6;
        GrayImage::from_fn(side, side, |x, y| {
            let (mx, my) = ((x / 6) as usize, (y / 6) as usize);
            let dark = mx >= 4 && my >= 4 && m.dark(mx - 4, my - 4);
            image::Luma([if dark { 0 } else { 255 }])
        })
    }

    #[test]
    fn a_code_that_claims_to_be_a_label_but_is_not_one_is_dropped() {
        assert_eq!(texts_in(&picture("SPARES:B:A1")), ["SPARES:B:A1"]);
        assert_eq!(texts_in(&picture("hello")), ["hello"]);
        // A Spares payload that does not parse: misread, never shown.
        assert!(texts_in(&picture("SPARES:S:0")).is_empty());
    }

    #[test]
    fn a_local_threshold_follows_a_shadow() {
        // Left half dark grey with a darker dot, right half light with a
        // lighter-than-black dot: one global level cannot find both.
        let img = GrayImage::from_fn(40, 20, |x, y| {
            let base = if x < 20 { 60 } else { 200 };
            let dot = (x == 10 || x == 30) && y == 10;
            image::Luma([if dot { base - 50 } else { base }])
        });
        let bin = locally_thresholded(&img, 4, 10);
        assert_eq!(bin.get_pixel(10, 10).0[0], 0);
        assert_eq!(bin.get_pixel(30, 10).0[0], 0);
        assert_eq!(bin.get_pixel(5, 5).0[0], 255);
        assert_eq!(bin.get_pixel(35, 5).0[0], 255);
    }
}
