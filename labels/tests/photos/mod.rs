//! A degraded-photo set made from rendered labels: what a phone camera does
//! to a label (rotation, perspective, blur, noise, strong JPEG compression,
//! low contrast, glare, several labels at once, a small label in a
//! 12-megapixel picture). Deterministic for a seed. Shared by the test
//! (`tests/degraded.rs`) and the benchmark (`benches/decode_rate.rs`).

#![allow(dead_code)]

use image::{GrayImage, Luma};
use imageproc::geometric_transformations::{Interpolation, Projection, rotate_about_center, warp};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use spares_core::LocationCode;
use spares_labels::render::png;
use spares_labels::{Label, Payload, Preset};

pub const PUBLIC: &str = "https://spares.example.org";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Degradation {
    Rotation,
    Perspective,
    Blur,
    Noise,
    Jpeg30,
    LowContrast,
    Glare,
    Several,
    SmallIn12Mp,
    /// Everything a hurried phone shot does at once: turned, tilted,
    /// slightly blurred, noisy, compressed.
    Phone,
}

impl Degradation {
    pub const ALL: [Degradation; 10] = [
        Degradation::Rotation,
        Degradation::Perspective,
        Degradation::Blur,
        Degradation::Noise,
        Degradation::Jpeg30,
        Degradation::LowContrast,
        Degradation::Glare,
        Degradation::Several,
        Degradation::SmallIn12Mp,
        Degradation::Phone,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Degradation::Rotation => "rotation 0–360°",
            Degradation::Perspective => "perspective ±30%",
            Degradation::Blur => "blur σ 1.5–3.5 px",
            Degradation::Noise => "noise σ 25–50",
            Degradation::Jpeg30 => "JPEG quality 30",
            Degradation::LowContrast => "low contrast (125–155)",
            Degradation::Glare => "glare",
            Degradation::Several => "3 labels in one picture",
            Degradation::SmallIn12Mp => "label = 5% of 4000×3000",
            Degradation::Phone => "all at once (phone shot)",
        }
    }
}

/// One picture and the texts it must give.
pub struct Photo {
    pub jpeg: Vec<u8>,
    pub expected: Vec<String>,
}

fn label_image(rng: &mut StdRng) -> (GrayImage, String) {
    let code = format!(
        "{}{}",
        (b'A' + rng.gen_range(0..26u8)) as char,
        rng.gen_range(1..100)
    );
    let payload = Payload::Box(LocationCode::parse(&code).expect("code"));
    let label = Label::new(
        &payload,
        spares_core::PublicUrl::parse(PUBLIC).ok().as_ref(),
        "SMD resistors",
        "10 kΩ 0805 ×150",
    );
    let img = png::image_for(&label, Preset::Dymo11354).expect("render");
    (img, format!("{PUBLIC}/b/{code}"))
}

/// A grey, slightly uneven background (a desk, a box lid).
fn background(w: u32, h: u32, rng: &mut StdRng) -> GrayImage {
    let base = rng.gen_range(120..200) as f32;
    let tilt = rng.gen_range(-40.0..40.0f32);
    GrayImage::from_fn(w, h, |x, y| {
        let v =
            base + tilt * (x as f32 / w as f32 - 0.5) + tilt * 0.5 * (y as f32 / h as f32 - 0.5);
        Luma([v.clamp(0.0, 255.0) as u8])
    })
}

fn paste(canvas: &mut GrayImage, img: &GrayImage, x: u32, y: u32) {
    image::imageops::overlay(canvas, img, i64::from(x), i64::from(y));
}

fn scale(img: &GrayImage, f: f32) -> GrayImage {
    image::imageops::resize(
        img,
        ((img.width() as f32 * f) as u32).max(1),
        ((img.height() as f32 * f) as u32).max(1),
        image::imageops::FilterType::Triangle,
    )
}

fn jpeg(img: &GrayImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    enc.encode_image(img).expect("jpeg");
    out
}

/// A label on a 1600 × 1200 background, 40–55% of its width.
fn on_desk(rng: &mut StdRng) -> (GrayImage, String, (f32, f32, f32, f32)) {
    let (label, text) = label_image(rng);
    let f = rng.gen_range(0.95..1.3f32);
    let label = scale(&label, f);
    let mut canvas = background(1600, 1200, rng);
    let x = rng.gen_range(100..(1600 - label.width() - 100));
    let y = rng.gen_range(100..(1200 - label.height() - 100));
    paste(&mut canvas, &label, x, y);
    let rect = (
        x as f32,
        y as f32,
        label.width() as f32,
        label.height() as f32,
    );
    (canvas, text, rect)
}

pub fn photo(kind: Degradation, seed: u64) -> Photo {
    let mut rng = StdRng::seed_from_u64(seed ^ (kind as u64) << 32);
    let (mut img, text, (x, y, w, h)) = on_desk(&mut rng);
    let mut quality = 85;
    let mut expected = vec![text];
    match kind {
        Degradation::Rotation => {
            let theta = rng.gen_range(0.0..std::f32::consts::TAU);
            img = rotate_about_center(&img, theta, Interpolation::Bilinear, Luma([160]));
        }
        Degradation::Perspective => {
            let j = |rng: &mut StdRng| rng.gen_range(-0.3..0.3f32);
            let from = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)];
            let to = [
                (x + j(&mut rng) * w, y + j(&mut rng) * h),
                (x + w + j(&mut rng) * w, y + j(&mut rng) * h),
                (x + w + j(&mut rng) * w, y + h + j(&mut rng) * h),
                (x + j(&mut rng) * w, y + h + j(&mut rng) * h),
            ];
            if let Some(p) = Projection::from_control_points(from, to) {
                img = warp(&img, &p, Interpolation::Bilinear, Luma([160]));
            }
        }
        Degradation::Blur => {
            let sigma = rng.gen_range(1.5..3.5f32);
            img = imageproc::filter::gaussian_blur_f32(&img, sigma);
        }
        Degradation::Noise => {
            let sd = rng.gen_range(25.0..50.0f64);
            img = imageproc::noise::gaussian_noise(&img, 0.0, sd, rng.r#gen());
        }
        Degradation::Jpeg30 => quality = 30,
        Degradation::Phone => {}
        Degradation::LowContrast => {
            for p in img.pixels_mut() {
                p.0[0] = (125.0 + f32::from(p.0[0]) * 30.0 / 255.0) as u8;
            }
            img = imageproc::noise::gaussian_noise(&img, 0.0, 4.0, rng.r#gen());
        }
        Degradation::Glare => {
            let cx = x + rng.gen_range(0.2..0.8f32) * w;
            let cy = y + rng.gen_range(0.2..0.8f32) * h;
            let r = h * rng.gen_range(0.5..1.0f32);
            let strength = rng.gen_range(150.0..230.0f32);
            for (px, py, p) in img.enumerate_pixels_mut() {
                let d = ((px as f32 - cx).powi(2) + (py as f32 - cy).powi(2)).sqrt() / r;
                if d < 1.0 {
                    let add = strength * (1.0 - d * d);
                    p.0[0] = (f32::from(p.0[0]) + add).min(255.0) as u8;
                }
            }
        }
        Degradation::Several => {
            let mut canvas = background(3000, 2000, &mut rng);
            expected.clear();
            for slot in 0..3u32 {
                let (label, text) = label_image(&mut rng);
                let theta = rng.gen_range(-0.35..0.35f32);
                let pad = 120;
                let mut framed = GrayImage::from_pixel(
                    label.width() + 2 * pad,
                    label.height() + 2 * pad,
                    Luma([255]),
                );
                paste(&mut framed, &label, pad, pad);
                let framed =
                    rotate_about_center(&framed, theta, Interpolation::Bilinear, Luma([170]));
                let x = 60 + slot * 980;
                let y = rng.gen_range(100..(2000 - framed.height() - 100));
                paste(&mut canvas, &framed, x, y);
                expected.push(text);
            }
            img = canvas;
        }
        Degradation::SmallIn12Mp => {
            let (label, text) = label_image(&mut rng);
            // 5% of 12 Mpx = 600,000 px; the label is 673 × 378 = 254,000.
            let f = (600_000.0f32 / (label.width() * label.height()) as f32).sqrt();
            let label = scale(&label, f);
            let mut canvas = background(4000, 3000, &mut rng);
            let x = rng.gen_range(0..(4000 - label.width()));
            let y = rng.gen_range(0..(3000 - label.height()));
            paste(&mut canvas, &label, x, y);
            img = imageproc::noise::gaussian_noise(&canvas, 0.0, 6.0, rng.r#gen());
            expected = vec![text];
        }
    }
    if kind == Degradation::Phone {
        let j = |rng: &mut StdRng| rng.gen_range(-0.15..0.15f32);
        let from = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)];
        let to = [
            (x + j(&mut rng) * w, y + j(&mut rng) * h),
            (x + w + j(&mut rng) * w, y + j(&mut rng) * h),
            (x + w + j(&mut rng) * w, y + h + j(&mut rng) * h),
            (x + j(&mut rng) * w, y + h + j(&mut rng) * h),
        ];
        if let Some(p) = Projection::from_control_points(from, to) {
            img = warp(&img, &p, Interpolation::Bilinear, Luma([160]));
        }
        let theta = rng.gen_range(0.0..std::f32::consts::TAU);
        img = rotate_about_center(&img, theta, Interpolation::Bilinear, Luma([160]));
        img = imageproc::filter::gaussian_blur_f32(&img, rng.gen_range(0.8..1.8f32));
        img = imageproc::noise::gaussian_noise(&img, 0.0, rng.gen_range(8.0..20.0f64), rng.r#gen());
        quality = 50;
    }
    expected.sort();
    Photo {
        jpeg: jpeg(&img, quality),
        expected,
    }
}
