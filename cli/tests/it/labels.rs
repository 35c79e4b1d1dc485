//! `spares labels` and `spares scan`: sheets and printer PNGs written by
//! the CLI, read back with the decoder the bot and the web use.

use crate::binary::spares;
use crate::helpers::{PUBLIC_URL, TestApp, spare};

#[tokio::test]
async fn spares_labels_writes_sheets_and_printer_pngs_and_spares_scan_reads_them() {
    let app = TestApp::new().await;
    app.add(spare("resistor", "10k", "0805", "150", "A1")).await;
    app.add(spare("capacitor", "100n", "0805", "50", "B2"))
        .await;
    let pdf = app.dir.join("labels.pdf");
    let out = spares(
        &app.db_url(),
        &[
            "--public-url",
            PUBLIC_URL,
            "labels",
            "--boxes",
            "A1,B2",
            "--preset",
            "a4-3x8",
            "-o",
            pdf.to_str().expect("path"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF"));

    let png = app.dir.join("box.png");
    let out = spares(
        &app.db_url(),
        &[
            "--public-url",
            PUBLIC_URL,
            "labels",
            "--all-boxes",
            "--preset",
            "dymo-11354",
            "-o",
            png.to_str().expect("path"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first = app.dir.join("box-1.png");
    let second = app.dir.join("box-2.png");
    let out = spares(
        &app.db_url(),
        &[
            "scan",
            first.to_str().expect("path"),
            second.to_str().expect("path"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{PUBLIC_URL}/b/A1\n{PUBLIC_URL}/b/B2\n")
    );

    // Nothing to scan, bad files and bad requests: clear errors, exit 1.
    let blank = app.dir.join("blank.png");
    image::GrayImage::from_pixel(200, 100, image::Luma([255]))
        .save(&blank)
        .expect("blank");
    let out = spares(&app.db_url(), &["scan", blank.to_str().expect("path")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no QR code found"));
    let text = app.dir.join("notes.txt");
    std::fs::write(&text, "hello").expect("write");
    let out = spares(&app.db_url(), &["scan", text.to_str().expect("path")]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a picture"));
    let out = spares(
        &app.db_url(),
        &["labels", "--boxes", "A1", "--preset", "a5", "-o", "x.pdf"],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown preset \"a5\""));
    let out = spares(&app.db_url(), &["labels", "--boxes", "ZZ9", "-o", "x.pdf"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no location ZZ9")
            || String::from_utf8_lossy(&out.stderr).contains("ZZ9")
    );
}
