//! The Projects page: can I build this? A typed list or an uploaded BOM or
//! KiCad schematic checked against the stock — verdicts, boxes to visit,
//! substitutes — with sign-in and CSRF like every upload, clear errors,
//! escaped output, and nothing changed by checking.

use axum::http::StatusCode;

use crate::helpers::{Browser, Part, TestApp, location, spare};

async fn post(
    app: &TestApp,
    b: Option<&Browser>,
    parts: &[Part<'_>],
) -> (StatusCode, axum::http::HeaderMap, String) {
    app.post_multipart("/projects/check", b, parts).await
}

async fn stocked() -> TestApp {
    let app = TestApp::new().await;
    app.add(spare("resistor", "10k", "0805", "150", "A1")).await;
    app.add(spare("capacitor", "100n", "0805", "40", "C1"))
        .await;
    app.add(spare("capacitor", "10u", "0805", "20", "C2")).await;
    app
}

#[tokio::test]
async fn a_typed_list_is_checked_with_the_boxes_to_visit() {
    let app = stocked().await;
    let b = app.signed_in().await;
    let (status, _, page) = app.get_as("/projects", &b).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"action="/projects/check""#), "{page}");
    let (status, _, page) = post(
        &app,
        Some(&b),
        &[
            Part::Text("csrf", &b.csrf),
            Part::Text("list", "4x 10k 0805\n100nF x6\nNE555\n"),
            Part::Text("boards", "2"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("The list — list, 3 lines, for 2 boards"),
        "{page}"
    );
    assert!(
        page.contains("You can build 0 boards from stock now (2 asked). Lines: 1 missing."),
        "{page}"
    );
    assert!(page.contains(r#"<a href="/b/A1">Box A1</a>"#), "{page}");
    assert!(page.contains("8 × 10 kΩ 0805"), "{page}");
    assert!(page.contains(r#"class="verdict-missing""#), "{page}");
    // Checking took nothing.
    let (_, json) = app.get("/api/spares/1").await;
    assert_eq!(json["quantity"], 150);
}

#[tokio::test]
async fn an_uploaded_bom_and_a_schematic_with_its_sheet() {
    let app = stocked().await;
    let b = app.signed_in().await;
    let csv = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../bom/tests/tables/kicad9-export.csv"
    ))
    .expect("csv");
    let (status, _, page) = post(
        &app,
        Some(&b),
        &[
            Part::Text("csrf", &b.csrf),
            Part::File("kicad9-export.csv", &csv),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("kicad9-export.csv — KiCad BOM, 6 lines, for 1 board"),
        "{page}"
    );
    assert!(page.contains("0805 instead of 1206"), "{page}");

    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../bom/tests/designs/complex_hierarchy/"
    );
    let root = std::fs::read(format!("{dir}complex_hierarchy.kicad_sch")).expect("root");
    let sheet = std::fs::read(format!("{dir}ampli_ht.kicad_sch")).expect("sheet");
    let (status, _, page) = post(
        &app,
        Some(&b),
        &[
            Part::Text("csrf", &b.csrf),
            Part::File("complex_hierarchy.kicad_sch", &root),
            Part::File("ampli_ht.kicad_sch", &sheet),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("KiCad schematic, 24 lines"), "{page}");
    assert!(!page.contains("was not given"), "{page}");
}

#[tokio::test]
async fn bad_input_says_what_and_keeps_the_list() {
    let app = stocked().await;
    let b = app.signed_in().await;
    let (status, _, page) = post(
        &app,
        Some(&b),
        &[
            Part::Text("csrf", &b.csrf),
            Part::Text("list", "4x 10k\n0x <script>alert(1)</script>\n"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("the list line 2: a quantity of 0"), "{page}");
    assert!(!page.contains("<script>alert"), "escaped: {page}");
    assert!(
        page.contains("&#60;script&#62;alert(1)"),
        "the list is kept: {page}"
    );
    let (status, _, page) = post(
        &app,
        Some(&b),
        &[
            Part::Text("csrf", &b.csrf),
            Part::File("odd.csv", b"Item,Pcs,What\n1,4,10k\n"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Name them in “Columns” below"), "{page}");
    let (status, _, page) = post(
        &app,
        Some(&b),
        &[
            Part::Text("csrf", &b.csrf),
            Part::File("odd.csv", b"Item,Pcs,What\n1,4,10k\n"),
            Part::Text("columns", "quantity=Pcs, value=What"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let (status, _, page) = post(
        &app,
        Some(&b),
        &[
            Part::Text("csrf", &b.csrf),
            Part::Text("list", "NE555"),
            Part::Text("boards", "0"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("is not a number from 1 to"), "{page}");
    let (status, _, page) = post(&app, Some(&b), &[Part::Text("csrf", &b.csrf)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("Choose a schematic or BOM file, or type a list"),
        "{page}"
    );
}

#[tokio::test]
async fn checking_needs_sign_in_and_the_forms_token() {
    let app = stocked().await;
    let (status, headers, _) = app.get_page("/projects").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location(&headers).starts_with("/login"), "{headers:?}");
    let (status, headers, _) = post(&app, None, &[Part::Text("list", "NE555")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location(&headers).starts_with("/login"), "{headers:?}");
    let b = app.signed_in().await;
    let (status, _, _) = post(
        &app,
        Some(&b),
        &[Part::Text("csrf", "wrong"), Part::Text("list", "NE555")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
