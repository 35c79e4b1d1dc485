//! The Scan page: a photo uploaded from the browser (or a code typed by a
//! keyboard-wedge scanner) leads where its code points.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::helpers::{Browser, Part, TestApp, location, spare};

/// The PNG label of box `code`, as Spares prints it.
async fn label_png(app: &TestApp, code: &str) -> Vec<u8> {
    let response = spares_web::startup::app(app.state())
        .oneshot(
            Request::get(format!("/labels.png?boxes={code}&preset=brother-62"))
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec()
}

/// Uploads a photo to `/scan`. The decoder reads one photo at a time per
/// process and answers 429 to the others; tests of this binary run in
/// parallel, so a 429 here is waited out (at most 30 s).
async fn upload(
    app: &TestApp,
    b: Option<&Browser>,
    csrf: &str,
    photo: &[u8],
) -> (StatusCode, axum::http::HeaderMap, String) {
    for _ in 0..600 {
        let answer = upload_once(app, b, csrf, photo).await;
        if answer.0 != StatusCode::TOO_MANY_REQUESTS {
            return answer;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the decoder stayed busy for 30 s");
}

async fn upload_once(
    app: &TestApp,
    b: Option<&Browser>,
    csrf: &str,
    photo: &[u8],
) -> (StatusCode, axum::http::HeaderMap, String) {
    app.post_multipart(
        "/scan",
        b,
        &[Part::Text("csrf", csrf), Part::File("photo.png", photo)],
    )
    .await
}

#[tokio::test]
async fn a_photo_of_a_box_label_opens_the_box() {
    let app = TestApp::new().await;
    app.add(spare("resistor", "10k", "0805", "150", "A1")).await;
    let b = app.signed_in().await;
    let photo = label_png(&app, "A1").await;

    let (status, headers, _) = upload(&app, Some(&b), &b.csrf, &photo).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/b/A1");

    // Sign-in and CSRF as for every write; nothing is read without them.
    let (status, headers, _) = upload(&app, None, "", &photo).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location(&headers).starts_with("/login"), "{headers:?}");
    let (status, _, _) = upload(&app, Some(&b), "wrong", &photo).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn several_labels_in_one_photo_are_listed_and_bad_photos_say_why() {
    let app = TestApp::new().await;
    app.add(spare("resistor", "10k", "0805", "150", "A1")).await;
    app.add(spare("capacitor", "100n", "0805", "50", "B2"))
        .await;
    let b = app.signed_in().await;
    let first = image::load_from_memory(&label_png(&app, "A1").await).expect("png");
    let second = image::load_from_memory(&label_png(&app, "B2").await).expect("png");
    let mut both = image::GrayImage::from_pixel(
        first.width() + second.width() + 40,
        first.height().max(second.height()),
        image::Luma([255]),
    );
    image::imageops::overlay(&mut both, &first.to_luma8(), 0, 0);
    image::imageops::overlay(
        &mut both,
        &second.to_luma8(),
        i64::from(first.width()) + 40,
        0,
    );
    let mut png = Vec::new();
    image::DynamicImage::ImageLuma8(both)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encode");
    let (status, _, page) = upload(&app, Some(&b), &b.csrf, &png).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("2 codes in that photo"), "{page}");
    assert!(
        page.contains("href=\"/b/A1\"") && page.contains("href=\"/b/B2\""),
        "{page}"
    );

    let blank = {
        let mut out = Vec::new();
        image::DynamicImage::ImageLuma8(image::GrayImage::from_pixel(64, 64, image::Luma([255])))
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .expect("encode");
        out
    };
    let (status, _, page) = upload(&app, Some(&b), &b.csrf, &blank).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("No code found in that photo"), "{page}");
    let (status, _, page) = upload(&app, Some(&b), &b.csrf, b"not a picture").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("cannot be read"), "{page}");
}

#[tokio::test]
async fn a_scanned_bag_fills_in_the_add_form_or_offers_the_part_in_stock() {
    let app = TestApp::new().await;
    let b = app.signed_in().await;
    let bag = "[)><RS>06<GS>P296-1234-ND<GS>1PLM358DR<GS>Q25<RS><EOT>";
    let (status, headers, _) = app
        .get_as(&format!("/scan/code?text={}", urlencode(bag)), &b)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let to = location(&headers).to_owned();
    assert!(to.starts_with("/new?reference=LM358DR"), "{to}");
    let (status, _, form) = app.get_as(&to, &b).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("value=\"LM358DR\""), "{form}");
    assert!(form.contains("value=\"25\""), "{form}");
    // The shop the parser recognises (ISO 15434 without `30P`: Mouser).
    assert!(
        form.contains("name=\"shop\" type=\"text\" value=\"Mouser\""),
        "{form}"
    );

    let mut input = spare("ic", "", "SOIC-8", "3", "C4");
    input.reference = "LM358DR".into();
    let s = app.add(input).await;
    let (status, _, page) = app
        .get_as(&format!("/scan/code?text={}", urlencode(bag)), &b)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("already in stock"), "{page}");
    assert!(
        page.contains(&format!("action=\"/s/{}/stock\"", s.id)),
        "{page}"
    );
    assert!(page.contains("Add 25 here"), "{page}");
}

#[tokio::test]
async fn a_code_typed_into_the_search_box_goes_where_it_points() {
    let app = TestApp::new().await;
    app.add(spare("resistor", "10k", "0805", "150", "A1")).await;
    let (status, headers, _) = app.get_page("/?q=SPARES%3AB%3Aa1").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, headers2, _) = app.get_page(location(&headers)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers2), "/b/A1");
    // Words are still searched.
    let (status, _, page) = app.get_page("/?q=10k").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("10 kΩ"), "{page}");
    // Something that is not a code, typed on the Scan page, says so.
    let (status, _, page) = app.get_page("/scan/code?text=hello").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("neither a Spares label nor a supplier bag"),
        "{page}"
    );
}

/// The live camera scan sends every code it saw in one request: one code
/// opens its page, several are listed, repeats count once, and too many
/// are refused rather than listed without end.
#[tokio::test]
async fn codes_seen_by_the_live_camera_scan_lead_to_their_pages() {
    let app = TestApp::new().await;
    app.add(spare("resistor", "10k", "0805", "150", "A1")).await;
    let (status, headers, _) = app
        .get_page("/scan/code?text=SPARES%3AB%3AA1&text=SPARES%3AB%3AA1")
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/b/A1");
    let (status, _, page) = app
        .get_page("/scan/code?text=SPARES%3AB%3AA1&text=SPARES%3AB%3AC7&text=")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("2 codes scanned"), "{page}");
    assert!(page.contains(r#"<a href="/b/A1">Box A1</a>"#), "{page}");
    assert!(page.contains(r#"<a href="/b/C7">Box C7</a>"#), "{page}");
    let many: String = (0..=spares_web::routes::pages::scan::MAX_CODES)
        .map(|i| format!("text=SPARES%3AB%3AA{i}&"))
        .collect();
    let (status, _, page) = app.get_page(&format!("/scan/code?{many}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("scan fewer"), "{page}");
    let (status, _, page) = app.get_page("/scan/code?text=%20").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Scan or type a code first"), "{page}");
}

/// The Scan page's camera script is Spares' own file, under a content
/// hash, allowed by the page's Content-Security-Policy (`script-src
/// 'self'`, no inline script); the live section stays hidden until the
/// script finds a camera and a detector.
#[tokio::test]
async fn the_live_scan_script_is_served_by_spares_itself() {
    let app = TestApp::new().await;
    let (status, headers, page) = app.get_page("/scan").await;
    assert_eq!(status, StatusCode::OK);
    let csp = headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(
        page.contains(r#"<section id="live" class="card live" hidden>"#),
        "{page}"
    );
    let src = page
        .split(r#"<script src=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a script element");
    assert!(
        src.starts_with("/static/scan-") && src.ends_with(".js"),
        "{src}"
    );
    assert!(!page.contains("<script>"), "no inline script: {page}");
    let (status, headers, body) = app.get_page(src).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/javascript")),
        "{headers:?}"
    );
    assert!(body.contains("BarcodeDetector"), "{body}");
    assert!(body.contains("/scan/code?"), "{body}");
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
