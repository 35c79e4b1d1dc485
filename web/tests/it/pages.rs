//! The server-rendered pages, through the real router.

use axum::http::StatusCode;
use spares_core::SpareInput;

use crate::helpers::{TestApp, spare};

#[tokio::test]
async fn an_empty_inventory_shows_how_to_start() {
    let app = TestApp::new().await;
    let (status, headers, body) = app.get_page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("text/html"))
    );
    assert!(body.contains("No parts yet"), "{body}");
    assert!(body.contains("spares import parts.csv"));
}

#[tokio::test]
async fn the_search_box_answers_and_shows_how_it_understood() {
    let app = TestApp::new().await;
    let ten = app.add(spare("resistor", "10k", "0805", "150", "A1")).await;
    app.add(spare("resistor", "1k", "0805", "10", "A1")).await;
    let (status, _, body) = app.get_page("/?q=do+I+have+a+10k+resistor%3F").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("Understood as: <strong>resistor · 10 kΩ</strong>"),
        "{body}"
    );
    assert!(body.contains("Yes: 150 × 10 kΩ 0805 in A1."), "{body}");
    assert!(body.contains(&format!("href=\"/s/{}\"", ten.id)));
    assert!(!body.contains("1 kΩ"), "1k is not 10k: {body}");
    assert!(
        body.contains("value=\"do I have a 10k resistor?\""),
        "the question stays in the box"
    );
}

#[tokio::test]
async fn stored_text_is_escaped_everywhere() {
    let app = TestApp::new().await;
    let s = app
        .add(SpareInput {
            reference: "<script>alert(1)</script>".into(),
            description: "\"><img src=x onerror=alert(2)>".into(),
            notes: "<b>bold</b>".into(),
            location: "A1".into(),
            quantity: "1".into(),
            ..SpareInput::default()
        })
        .await;
    for uri in [
        format!("/s/{}", s.id),
        "/".to_owned(),
        "/b/A1".to_owned(),
        "/?q=%3Cscript%3E".to_owned(),
    ] {
        let (status, _, body) = app.get_page(&uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(!body.contains("<script>"), "{uri}: {body}");
        assert!(!body.contains("<img src=x"), "{uri}: {body}");
        assert!(!body.contains("<b>bold"), "{uri}: {body}");
    }
    let (_, _, body) = app.get_page(&format!("/s/{}", s.id)).await;
    assert!(
        body.contains("&lt;script&gt;") || body.contains("&#60;script&#62;"),
        "{body}"
    );
}

#[tokio::test]
async fn columns_sort_and_pages_follow() {
    let app = TestApp::new().await;
    for i in 1..=60 {
        app.add(spare(
            "resistor",
            &format!("{i}k"),
            "0805",
            &i.to_string(),
            "A1",
        ))
        .await;
    }
    let (_, _, first) = app.get_page("/?sort=quantity&dir=desc").await;
    let q60 = first.find(">60<").expect("60 on the first page");
    let q59 = first.find(">59<").expect("59 on the first page");
    assert!(q60 < q59, "descending");
    assert!(first.contains("1–50 of 60"), "{first}");
    // Numbered pages (old links) still work.
    let (_, _, second) = app.get_page("/?sort=quantity&dir=desc&page=2").await;
    assert!(second.contains("51–60 of 60"), "{second}");
    assert!(second.contains(">1<"));
    // The pager's links seek from a neighbouring row and keep the order.
    let link = |body: &str, rel: &str| -> String {
        let end = body
            .find(&format!("\" rel=\"{rel}\""))
            .unwrap_or_else(|| panic!("no {rel} link in {body}"));
        let start = body[..end].rfind("href=\"").expect("href") + 6;
        body[start..end].replace("&amp;", "&").replace("&#38;", "&")
    };
    let next = link(&first, "next");
    assert!(
        next.contains("after=") && next.contains("sort=quantity&dir=desc"),
        "{next}"
    );
    let (_, _, second) = app.get_page(&next).await;
    assert!(second.contains("51–60 of 60"), "{second}");
    assert!(
        second.contains(">1<") && !second.contains(">60<"),
        "{second}"
    );
    assert!(!second.contains("rel=\"next\""), "the end: {second}");
    let (_, _, back) = app.get_page(&link(&second, "prev")).await;
    assert!(
        back.contains("1–50 of 60") && back.contains(">60<"),
        "{back}"
    );
    let (_, _, last) = app.get_page("/?sort=quantity&dir=desc&last=1").await;
    assert!(
        last.contains("11–60 of 60") && last.contains(">1<"),
        "{last}"
    );
    assert!(last.contains(">50<") && !last.contains(">51<"), "{last}");
    let (status, _, _) = app.get_page("/?page=abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_box_page_lists_its_contents_and_unknown_boxes_are_404() {
    let app = TestApp::new().await;
    app.add(spare("capacitor", "100n", "0805", "80", "c2"))
        .await;
    app.add(spare("capacitor", "1u", "0805", "0", "C2")).await;
    app.add(spare("resistor", "10k", "0805", "5", "A1")).await;
    let (status, _, body) = app.get_page("/b/c2").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Box C2"));
    assert!(body.contains("100 nF") && body.contains("1 µF"));
    assert!(!body.contains("10 kΩ"));
    assert!(body.contains("none-left"), "a part at zero is marked");
    let (status, _, body) = app.get_page("/b/Z9").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("no box Z9"), "{body}");
    let (status, _, _) = app.get_page("/b/a%20b").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, _, boxes) = app.get_page("/boxes").await;
    assert!(boxes.contains("/b/A1") && boxes.contains("/b/C2"));
}

#[tokio::test]
async fn a_full_box_is_shown_a_hundred_parts_at_a_time() {
    let app = TestApp::new().await;
    let parts: Vec<_> = (1..=130)
        .map(|i| {
            spare("resistor", &format!("{i}k"), "0805", "3", "D1")
                .parse(None)
                .expect("valid")
        })
        .collect();
    app.store
        .import(
            parts,
            &spares_core::Change::new(spares_core::Source::Import, "t"),
            None,
        )
        .await
        .expect("import");
    let (status, _, first) = app.get_page("/b/D1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(first.contains("Parts 1–100 of 130"), "{first}");
    assert_eq!(
        first.matches("<tr").count() - 1,
        100,
        "a header and 100 rows"
    );
    assert!(first.contains("href=\"/b/D1?page=2\""));
    assert!(!first.contains("rel=\"prev\""));
    let (_, _, second) = app.get_page("/b/D1?page=2").await;
    assert!(second.contains("Parts 101–130 of 130"), "{second}");
    assert!(second.contains("href=\"/b/D1?page=1\""));
    assert!(!second.contains("rel=\"next\""));
    // Past the end: no rows, but the box is not called empty.
    let (_, _, past) = app.get_page("/b/D1?page=9").await;
    assert!(!past.contains("This box is empty"), "{past}");
    let (status, _, _) = app.get_page("/b/D1?page=x").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_spare_page_shows_parameters_and_history() {
    let app = TestApp::new().await;
    let mut input = spare("capacitor", "47u", "THT", "20", "C3");
    input.parameters = vec![("voltage".into(), "35V".into())];
    let s = app.add(input).await;
    app.store
        .adjust(
            s.id,
            -3,
            &spares_core::Change::new(spares_core::Source::Bot, "telegram:42").with_reason("synth"),
        )
        .await
        .expect("adjust");
    let (status, _, body) = app.get_page(&format!("/s/{}", s.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("35 V"));
    assert!(body.contains("<strong id=\"quantity\">17</strong>"));
    assert!(
        body.contains("telegram:42 (bot)") && body.contains("synth") && body.contains("-3"),
        "{body}"
    );
    let (status, _, _) = app.get_page("/s/123456").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn security_headers_and_a_cacheable_stylesheet() {
    let app = TestApp::new().await;
    let (_, headers, body) = app.get_page("/").await;
    assert!(
        headers["content-security-policy"]
            .to_str()
            .is_ok_and(|c| c.contains("frame-ancestors 'none'"))
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let css = body
        .split("href=\"")
        .find_map(|part| {
            part.split('"')
                .next()
                .filter(|h| h.starts_with("/static/style-"))
        })
        .expect("stylesheet link")
        .to_owned();
    let (status, headers, text) = app.get_page(&css).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["cache-control"]
            .to_str()
            .is_ok_and(|c| c.contains("immutable"))
    );
    assert!(text.contains("--accent"));
    let (status, _, _) = app.get_page("/static/style-00000000.css").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an old name is not served");
}

#[tokio::test]
async fn filters_narrow_the_list_and_survive_sorting() {
    let app = TestApp::new().await;
    app.add(spare("resistor", "10k", "0805", "150", "A1")).await;
    let mut low = spare("capacitor", "100n", "0805", "2", "C2");
    low.low_stock = "5".into();
    app.add(low).await;
    app.add(spare("capacitor", "1u", "0805", "40", "C2")).await;
    let (_, _, body) = app.get_page("/?category=capacitor").await;
    assert!(
        body.contains("100 nF") && body.contains("1 µF") && !body.contains("10 kΩ"),
        "{body}"
    );
    let (_, _, body) = app.get_page("/?box=a1").await;
    assert!(body.contains("10 kΩ") && !body.contains("100 nF"), "{body}");
    let (_, _, body) = app.get_page("/?low=1").await;
    assert!(
        body.contains("100 nF") && !body.contains("1 µF") && !body.contains("10 kΩ"),
        "{body}"
    );
    assert!(
        body.contains("low=1&amp;sort=") || body.contains("low=1&#38;sort="),
        "sort links keep the filter: {body}"
    );
    let (status, _, _) = app.get_page("/?box=a%20b").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
