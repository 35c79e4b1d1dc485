//! Shared by the bot's integration tests: a real SQLite store in a temp
//! directory with a few parts, and real JPEG photos of rendered labels.

#![allow(dead_code)]

use std::sync::Arc;

use image::{GrayImage, Luma};
use spares_core::movement::{Change, Source};
use spares_core::spare::SpareInput;
use spares_core::{Spare, Store};
use spares_labels::render::png;
use spares_labels::{Label, Payload, Preset};

pub const PUBLIC_URL: &str = "https://spares.example.org";
/// teloxide_tests' default user (MockUser::ID): allowed in the tests.
pub const ALLOWED: u64 = 12345678;
pub const STRANGER: u64 = 666;

pub struct Shop {
    pub dir: tempfile::TempDir,
    pub url: String,
    pub store: Arc<dyn Store>,
    pub resistor: Spare,
    pub capacitor: Spare,
    pub ic: Spare,
}

pub async fn part(store: &dyn Store, fields: &[(&str, &str)]) -> Spare {
    let mut input = SpareInput::default();
    for (name, value) in fields {
        *input.get_mut(spares_core::Field::parse(name).expect("field")) = (*value).to_owned();
    }
    let data = input.parse(None).expect("valid part");
    store
        .create_spare(data, &Change::new(Source::Cli, "test"))
        .await
        .expect("create")
}

/// A store with 150 × 10 kΩ 0805 in A1, 40 × 100 nF 0805 in A1, 2 × NE555 in B2.
pub async fn shop() -> Shop {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("spares.db").display());
    let store = spares_store::connect(&url).await.expect("store");
    let resistor = part(
        store.as_ref(),
        &[
            ("category", "resistor"),
            ("value", "10k"),
            ("package", "0805"),
            ("quantity", "150"),
            ("location", "A1"),
        ],
    )
    .await;
    let capacitor = part(
        store.as_ref(),
        &[
            ("category", "capacitor"),
            ("value", "100nF"),
            ("package", "0805"),
            ("quantity", "40"),
            ("location", "A1"),
        ],
    )
    .await;
    let ic = part(
        store.as_ref(),
        &[
            ("category", "ic"),
            ("reference", "NE555"),
            ("package", "DIP-8"),
            ("quantity", "2"),
            ("low_stock", "5"),
            ("location", "B2"),
        ],
    )
    .await;
    Shop {
        dir,
        url,
        store,
        resistor,
        capacitor,
        ic,
    }
}

fn jpeg(img: &GrayImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .expect("jpeg");
    out
}

/// A label as printed, photographed on a desk: grey background, the label
/// at 45% of the width. `degraded`: smaller, blurred, low contrast, JPEG 35.
pub fn label_photo(payload: &Payload, degraded: bool) -> Vec<u8> {
    let label = Label::new(
        payload,
        spares_core::PublicUrl::parse(PUBLIC_URL).ok().as_ref(),
        "SMD parts",
        "10 kΩ 0805 ×150",
    );
    let mut img = png::image_for(&label, Preset::Dymo11354).expect("render");
    let (w, h) = (1600u32, 1200u32);
    let mut canvas = GrayImage::from_fn(w, h, |x, y| Luma([(150 + (x + y) % 30) as u8]));
    if degraded {
        img = image::imageops::resize(
            &img,
            img.width() * 3 / 4,
            img.height() * 3 / 4,
            image::imageops::FilterType::Triangle,
        );
        img = image::imageops::blur(&img, 1.2);
        for p in img.pixels_mut() {
            p.0[0] = 110 + (u16::from(p.0[0]) * 60 / 255) as u8;
        }
    }
    image::imageops::overlay(&mut canvas, &img, 300, 250);
    jpeg(&canvas, if degraded { 35 } else { 85 })
}

/// A desk with no code on it.
pub fn blank_photo() -> Vec<u8> {
    jpeg(
        &GrayImage::from_fn(800, 600, |x, _| Luma([(100 + x % 50) as u8])),
        80,
    )
}

/// An LCSC bag's QR code, photographed.
pub fn supplier_photo(text: &str) -> Vec<u8> {
    let code = qrcode_image(text);
    let mut canvas = GrayImage::from_pixel(1200, 900, Luma([170]));
    image::imageops::overlay(&mut canvas, &code, 300, 150);
    jpeg(&canvas, 85)
}

fn qrcode_image(text: &str) -> GrayImage {
    let m = spares_labels::qr::Matrix::encode(text).expect("qr");
    let scale = 8;
    let side = (m.with_quiet_zone() * scale) as u32;
    let quiet = (m.with_quiet_zone() - m.size) / 2;
    GrayImage::from_fn(side, side, |x, y| {
        let mx = (x as usize / scale).wrapping_sub(quiet);
        let my = (y as usize / scale).wrapping_sub(quiet);
        Luma([if m.dark(mx, my) { 0 } else { 255 }])
    })
}
