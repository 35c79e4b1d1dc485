//! Every preset rendered, then read back: from the PNG, and from the PDF
//! rasterized by poppler's `pdftoppm` (Debian poppler-utils).

use std::process::Command;

use spares_core::{LocationCode, SpareId};
use spares_labels::decode::{DecodeError, decode};
use spares_labels::render::pdf::{SheetOptions, render as pdf};
use spares_labels::render::{png, svg};
use spares_labels::{Label, Payload, Preset, RenderError};

const PUBLIC: &str = "https://spares.example.org";

fn box_label(code: &str) -> Label {
    let payload = Payload::Box(LocationCode::parse(code).expect("code"));
    Label::new(
        &payload,
        spares_core::PublicUrl::parse(PUBLIC).ok().as_ref(),
        "SMD resistors 0805",
        "10 kΩ 0805 ×150, 4.7 kΩ 0805 ×90",
    )
}

#[test]
fn every_printer_preset_decodes_back_to_its_payload() {
    for preset in [Preset::Brother62, Preset::Brother29x90, Preset::Dymo11354] {
        let label = box_label("C12");
        let bytes = png::png_for(&label, preset).expect("render");
        let img = image::load_from_memory(&bytes).expect("a PNG");
        assert_eq!(
            Some((img.width(), img.height())),
            preset.printer_pixels(),
            "{preset}"
        );
        let texts = decode(&bytes).expect("decode");
        assert_eq!(texts, [format!("{PUBLIC}/b/C12")], "{preset}");
        assert_eq!(
            Payload::parse(&texts[0]).expect("payload"),
            Payload::Box(LocationCode::parse("c12").expect("code"))
        );
    }
    // The issue's fixed point: Brother 62 mm tape is 696 px wide at 300 dpi.
    assert_eq!(Preset::Brother62.printer_pixels().map(|p| p.0), Some(696));
}

#[test]
fn sheet_labels_decode_from_the_png_too() {
    for preset in [Preset::A4x3x8, Preset::Letter3x10] {
        let label = Label::new(
            &Payload::Spare(SpareId(4321)),
            spares_core::PublicUrl::parse(PUBLIC).ok().as_ref(),
            "LM7805",
            "5 V regulator TO-220 ×6",
        );
        let bytes = png::png_for(&label, preset).expect("render");
        assert_eq!(
            decode(&bytes).expect("decode"),
            [format!("{PUBLIC}/s/4321")],
            "{preset}"
        );
    }
}

fn pdftoppm(pdf: &[u8]) -> Vec<Vec<u8>> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("sheet.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = Command::new("pdftoppm")
        .args(["-r", "200", "-png"])
        .arg(&path)
        .arg(dir.path().join("page"))
        .output()
        .expect("pdftoppm (apt-get install poppler-utils)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut pages: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    pages.sort();
    pages
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect()
}

#[test]
#[ignore = "needs pdftoppm (Debian poppler-utils): run scripts/test"]
fn pdf_sheets_rasterized_by_pdftoppm_give_back_every_label() {
    for preset in [Preset::A4x3x8, Preset::Letter3x10] {
        let labels: Vec<Label> = ["A1", "A2", "B7", "DRAWER-3"]
            .iter()
            .map(|c| box_label(c))
            .collect();
        let bytes = pdf(&labels, preset, SheetOptions::default()).expect("pdf");
        let pages = pdftoppm(&bytes);
        assert_eq!(pages.len(), 1, "{preset}");
        let mut texts = decode(&pages[0]).expect("decode page");
        texts.sort();
        let mut expected: Vec<String> = ["A1", "A2", "B7", "DRAWER-3"]
            .iter()
            .map(|c| format!("{PUBLIC}/b/{c}"))
            .collect();
        expected.sort();
        assert_eq!(texts, expected, "{preset}");
    }
}

#[test]
#[ignore = "needs pdftoppm (Debian poppler-utils): run scripts/test"]
fn start_at_skips_used_positions_and_overflows_to_a_new_page() {
    let labels: Vec<Label> = (1..=3).map(|i| box_label(&format!("Z{i}"))).collect();
    // Position 23 of 24: two labels on the first page, one on the second.
    let bytes = pdf(
        &labels,
        Preset::A4x3x8,
        SheetOptions {
            start_at: 23,
            ..SheetOptions::default()
        },
    )
    .expect("pdf");
    let pages = pdftoppm(&bytes);
    assert_eq!(pages.len(), 2);
    let first = decode(&pages[0]).expect("decode");
    assert_eq!(first.len(), 2, "{first:?}");
    let second = decode(&pages[1]).expect("decode");
    assert_eq!(second, [format!("{PUBLIC}/b/Z3")]);
    // The bottom-right cells are used: the top of page 1 is blank.
    let img = image::load_from_memory(&pages[0])
        .expect("png")
        .into_luma8();
    let top_dark = img
        .rows()
        .take(img.height() as usize / 2)
        .flatten()
        .filter(|p| p.0[0] < 128)
        .count();
    assert_eq!(top_dark, 0, "positions 1–22 stay empty");

    let err = pdf(
        &labels,
        Preset::A4x3x8,
        SheetOptions {
            start_at: 25,
            ..SheetOptions::default()
        },
    );
    assert!(matches!(err, Err(RenderError::Invalid(m)) if m.contains("from 1 to 24")));
    // A label printer's PDF: one label per page of the label's size.
    let bytes = pdf(&labels, Preset::Brother62, SheetOptions::default()).expect("pdf");
    let pages = pdftoppm(&bytes);
    assert_eq!(pages.len(), 3);
    assert_eq!(
        decode(&pages[2]).expect("decode"),
        [format!("{PUBLIC}/b/Z3")]
    );
}

#[test]
fn a_label_too_small_for_its_payload_is_refused_with_a_message() {
    let long = format!("{PUBLIC}/{}", "x".repeat(900));
    let label = Label {
        qr_text: long,
        title: "A1".into(),
        name: String::new(),
        summary: String::new(),
    };
    match png::png_for(&label, Preset::Letter3x10) {
        Err(RenderError::TooSmall {
            needed_mm,
            available_mm,
            ..
        }) => {
            assert!(needed_mm > available_mm);
        }
        other => panic!("expected TooSmall, got {other:?}"),
    }
    let msg = svg::render(&label, 30.0, 15.0)
        .expect_err("too small")
        .to_string();
    assert!(msg.contains("too small") && msg.contains("mm"), "{msg}");
}

#[test]
fn svg_labels_are_escaped_and_scalable() {
    let label = Label::new(
        &Payload::Box(LocationCode::parse("A1").expect("code")),
        None,
        "<script>alert(1)</script> & co",
        "10 kΩ",
    );
    let svg = svg::render(&label, 62.0, 29.0).expect("svg");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"62mm\""));
    assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    assert!(!svg.contains("<script>"));
    assert_eq!(
        label.qr_text, "SPARES:B:A1",
        "offline form without a public URL"
    );
    // The SVG rasterized by Chromium is not needed here: the path is the
    // same matrix the PNG draws, checked by the round trips above.
    assert!(svg.matches('M').count() > 20);
}

#[test]
fn bad_pictures_are_clear_errors() {
    assert_eq!(decode(&[]), Err(DecodeError::Empty));
    assert_eq!(
        decode(b"hello, not a picture"),
        Err(DecodeError::NotAnImage)
    );
    let good = png::png_for(&box_label("A1"), Preset::Dymo11354).expect("png");
    assert!(matches!(
        decode(&good[..good.len() / 2]),
        Err(DecodeError::Damaged(_))
    ));
    // A small file that claims 20,000 × 20,000 pixels (a decompression bomb).
    let bomb = {
        let mut out = Vec::new();
        let mut encoder = ::png::Encoder::new(&mut out, 20_000, 20_000);
        encoder.set_color(::png::ColorType::Grayscale);
        encoder.set_depth(::png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("header");
        let mut stream = writer.stream_writer().expect("stream");
        let row = vec![255u8; 20_000];
        use std::io::Write;
        for _ in 0..200 {
            stream.write_all(&row).expect("row");
        }
        // Cut short on purpose: only the header matters.
        drop(stream);
        drop(writer);
        out
    };
    assert!(bomb.len() < 1_000_000, "the bomb is small: {}", bomb.len());
    assert_eq!(
        decode(&bomb),
        Err(DecodeError::TooManyPixels {
            width: 20_000,
            height: 20_000
        })
    );
    // A picture without any code is not an error: nothing found.
    let blank =
        png::encode(&image::GrayImage::from_pixel(300, 200, image::Luma([255]))).expect("png");
    assert_eq!(decode(&blank), Ok(Vec::new()));
}

/// A PNG header claiming `width` × `height` grey pixels, cut short (only the
/// header matters: a small file that would decode to a huge picture).
fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut out, width, height);
    encoder.set_color(::png::ColorType::Grayscale);
    encoder.set_depth(::png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("header");
    let mut stream = writer.stream_writer().expect("stream");
    use std::io::Write;
    stream.write_all(&vec![255u8; width as usize]).expect("row");
    drop(stream);
    drop(writer);
    out
}

/// Decoding is sized to a small container: an 11,000 × 11,000 picture
/// (121 megapixels, once 363 MB decoded) and anything over
/// `MAX_PIXELS` is refused from its header, before any pixel is decoded.
#[test]
fn pictures_over_the_pixel_budget_are_refused_before_decoding() {
    use spares_labels::decode::{MAX_ALLOC, MAX_PIXELS};
    const { assert!(MAX_ALLOC <= 96 * 1024 * 1024) };
    assert_eq!(
        decode(&png_bomb(11_000, 11_000)),
        Err(DecodeError::TooManyPixels {
            width: 11_000,
            height: 11_000
        })
    );
    // Just over the budget, each side well under the old per-side cap.
    let side = (MAX_PIXELS as f64).sqrt() as u32 + 2;
    assert!(matches!(
        decode(&png_bomb(side, side)),
        Err(DecodeError::TooManyPixels { .. })
    ));
    let message = DecodeError::TooManyPixels {
        width: 11_000,
        height: 11_000,
    }
    .to_string();
    assert!(message.contains("24 megapixels"), "{message}");
}

/// While one photo is being decoded, `try_decode` answers Busy at once and
/// `decode` waits its turn.
#[test]
fn one_photo_is_decoded_at_a_time() {
    use spares_labels::decode::try_decode;
    let photo = png::png_for(&box_label("A1"), Preset::Dymo11354).expect("png");
    let started = std::sync::Arc::new(std::sync::Barrier::new(2));
    let busy_seen = std::thread::scope(|scope| {
        // Many decodes in a row on one thread keep the decoder busy…
        let worker = {
            let started = std::sync::Arc::clone(&started);
            let photo = photo.clone();
            scope.spawn(move || {
                started.wait();
                for _ in 0..40 {
                    assert_eq!(decode(&photo).expect("decode").len(), 1);
                }
            })
        };
        started.wait();
        // …so some try on another thread finds it busy.
        let mut busy = 0;
        for _ in 0..2000 {
            match try_decode(&photo) {
                Err(DecodeError::Busy) => busy += 1,
                Ok(texts) => {
                    assert_eq!(texts.len(), 1);
                    // A mutex is not fair: let the waiting worker take it
                    // before this thread tries again.
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                Err(e) => panic!("{e}"),
            }
            if worker.is_finished() {
                break;
            }
        }
        worker.join().expect("worker");
        busy
    });
    assert!(busy_seen > 0, "try_decode never found the decoder busy");
}

/// A supplier's Data Matrix (Digi-Key prints its ISO 15434 bag code that
/// way) is read too: rxing handles it when rqrr finds no QR code.
#[test]
fn a_data_matrix_bag_code_is_read_and_understood() {
    use rxing::Writer;
    let text = "[)>\u{1e}06\u{1d}P296-1395-1-ND\u{1d}1PLM358DR\u{1d}30P296-1395-1-ND\u{1d}Q25\u{1d}K12345\u{1e}\u{4}";
    let matrix = rxing::datamatrix::DataMatrixWriter
        .encode(text, &rxing::BarcodeFormat::DATA_MATRIX, 0, 0)
        .expect("encode");
    let module = 12;
    let (w, h) = (matrix.getWidth(), matrix.getHeight());
    let img = image::GrayImage::from_fn((w + 8) * module, (h + 8) * module, |x, y| {
        let (mx, my) = (x / module, y / module);
        let dark = mx >= 4 && my >= 4 && mx < w + 4 && my < h + 4 && matrix.get(mx - 4, my - 4);
        image::Luma([if dark { 0 } else { 255 }])
    });
    let bytes = png::encode(&img).expect("png");
    let texts = decode(&bytes).expect("decode");
    assert_eq!(texts.len(), 1, "{texts:?}");
    let code = spares_labels::supplier::parse(&texts[0]).expect("a supplier code");
    assert_eq!(code.quantity.map(|q| q.get()), Some(25));
}

/// A phone stores the picture as the sensor saw it and says how to turn it
/// (EXIF orientation); the decoder turns it first.
#[test]
fn exif_orientation_is_honoured() {
    let label = box_label("E5");
    let upright = png::image_for(&label, Preset::Dymo11354).expect("render");
    // Stored turned a quarter, with orientation 6 ("rotate 90° clockwise to view").
    let stored = image::imageops::rotate270(&upright);
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&stored)
        .expect("jpeg");
    // APP1 Exif segment: little-endian TIFF, one IFD entry: 0x0112 = 6.
    let tiff: Vec<u8> = [
        &b"II*\0"[..],
        &8u32.to_le_bytes(),
        &1u16.to_le_bytes(),
        &0x0112u16.to_le_bytes(),
        &3u16.to_le_bytes(),
        &1u32.to_le_bytes(),
        &6u16.to_le_bytes(),
        &[0, 0],
        &0u32.to_le_bytes(),
    ]
    .concat();
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut with_exif = jpeg[..2].to_vec();
    with_exif.extend_from_slice(&[0xFF, 0xE1]);
    with_exif.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    with_exif.extend_from_slice(&app1);
    with_exif.extend_from_slice(&jpeg[2..]);
    let img = spares_labels::decode::load(&with_exif).expect("load");
    assert_eq!(
        (img.width(), img.height()),
        (upright.width(), upright.height()),
        "turned upright"
    );
    assert_eq!(
        decode(&with_exif).expect("decode"),
        [format!("{PUBLIC}/b/E5")]
    );
}
