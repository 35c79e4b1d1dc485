//! Labels from the web app: rendered, then read back with the same decoder
//! the bot and `spares scan` use.

use axum::http::StatusCode;
use http_body_util::BodyExt;
use spares_labels::decode::decode;
use tower::ServiceExt;

use crate::helpers::{PUBLIC_URL, TestApp, spare};

async fn bytes(app: &TestApp, uri: &str) -> (StatusCode, String, Vec<u8>) {
    let response = spares_web::startup::app(app.state())
        .oneshot(
            axum::http::Request::get(uri)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    let status = response.status();
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (status, kind, body)
}

#[tokio::test]
async fn box_and_part_pages_show_their_labels_as_svg() {
    let app = TestApp::new().await;
    let s = app.add(spare("resistor", "10k", "0805", "150", "A1")).await;
    let (_, _, page) = app.get_page("/b/A1").await;
    assert!(
        page.contains("src=\"/b/A1/label.svg?preset=brother-62\""),
        "{page}"
    );
    let (status, kind, svg) = bytes(&app, "/b/A1/label.svg").await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("image/svg+xml"));
    let svg = String::from_utf8(svg).expect("utf-8");
    assert!(svg.contains("10 kΩ 0805 ×150"), "{svg}");
    let (_, _, page) = app.get_page(&format!("/s/{}", s.id)).await;
    assert!(page.contains(&format!("src=\"/s/{}/label.svg", s.id)));
    let (status, _, _) = bytes(&app, "/b/NOPE/label.svg").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = bytes(&app, "/b/A1/label.svg?preset=huge").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_print_page_previews_and_downloads_labels_that_scan() {
    let app = TestApp::new().await;
    let s = app.add(spare("resistor", "10k", "0805", "150", "A1")).await;
    app.add(spare("capacitor", "100n", "0805", "50", "B2"))
        .await;
    let (status, _, page) = app
        .get_page("/labels?boxes=A1&boxes=B2&preset=a4-3x8")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("src=\"/b/A1/label.svg?preset=a4-3x8\""),
        "{page}"
    );
    assert!(
        page.contains(
            "href=\"/labels.pdf?boxes=A1%2CB2&#38;parts=&#38;preset=a4-3x8&#38;start=1\""
        ),
        "{page}"
    );

    let (status, kind, png) = bytes(
        &app,
        &format!("/labels.png?parts={}&preset=brother-62", s.id),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "image/png");
    assert_eq!(
        decode(&png).expect("decode"),
        [format!("{PUBLIC_URL}/s/{}", s.id)]
    );
    let (status, _, _) = bytes(&app, "/labels.png?boxes=A1,B2&preset=brother-62").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a PNG holds one label");

    let (status, kind, pdf) =
        bytes(&app, "/labels.pdf?boxes=A1,B2&preset=letter-3x10&start=5").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/pdf");
    assert!(pdf.starts_with(b"%PDF-1.4"));
    let (status, _, _) = bytes(&app, "/labels.pdf?boxes=A1&preset=a4-3x8&start=99").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = bytes(&app, "/labels.pdf?preset=a4-3x8").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "nothing chosen");
}

#[tokio::test]
async fn with_hundreds_of_boxes_the_print_page_asks_for_codes_instead_of_listing_them() {
    let app = TestApp::new().await;
    let few = app.get_page("/labels").await.2;
    assert!(few.contains("No boxes yet."), "{few}");
    for i in 0..=spares_web::routes::pages::labels::CHECKLIST_MAX {
        app.store
            .save_location(spares_core::Location {
                code: spares_core::LocationCode::parse(&format!("R{i}")).expect("code"),
                name: String::new(),
                description: String::new(),
            })
            .await
            .expect("box");
    }
    let (status, _, page) = app.get_page("/labels?boxes=R7,+R12&preset=a4-3x8").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("type=\"checkbox\""), "{page}");
    assert!(
        page.contains("id=\"boxes\" name=\"boxes\" value=\"R7, R12\""),
        "{page}"
    );
    assert!(page.contains("151 boxes"), "{page}");
    assert!(
        page.contains("src=\"/b/R12/label.svg?preset=a4-3x8\""),
        "{page}"
    );
}
