//! The Projects page: can I build this? A typed list or an uploaded BOM or
//! KiCad schematic checked against the stock — verdicts, boxes to visit,
//! substitutes — with sign-in and CSRF like every upload, clear errors,
//! escaped output, and nothing changed by checking.

use axum::http::StatusCode;

use crate::helpers::{Browser, Part, TestApp, location, stocked};

async fn post(
    app: &TestApp,
    b: Option<&Browser>,
    parts: &[Part<'_>],
) -> (StatusCode, axum::http::HeaderMap, String) {
    app.post_multipart("/projects/check", b, parts).await
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

/// Saves the typed list (of two lines) as project "Amp" and answers its
/// page's address.
async fn saved(app: &TestApp, b: &Browser, list: &str) -> String {
    let (to, page) = saved_as(app, b, list, "  Amp <b>1</b> ").await;
    assert!(
        page.contains("Saved “Amp &#60;b&#62;1&#60;/b&#62;”: 2 lines."),
        "{page}"
    );
    to
}

/// Saves the typed list as project `name`: its page's address, and the
/// page it went to.
async fn saved_as(app: &TestApp, b: &Browser, list: &str, name: &str) -> (String, String) {
    let (status, headers, page) = post(
        app,
        Some(b),
        &[
            Part::Text("csrf", &b.csrf),
            Part::Text("list", list),
            Part::Text("name", name),
            Part::Text("action", "save"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let to = location(&headers).to_owned();
    assert!(to.starts_with("/projects/"), "{to}");
    let page = app.follow(&headers, Some(b)).await;
    (to.split('?').next().unwrap_or_default().to_owned(), page)
}

#[tokio::test]
async fn a_saved_project_is_listed_built_and_undone() {
    let app = stocked().await;
    let b = app.signed_in().await;
    let project = saved(&app, &b, "4x 10k 0805\n100nF x6\n").await;
    let (_, _, list) = app.get_as("/projects", &b).await;
    assert!(
        list.contains(&format!(
            r#"<a href="{project}">Amp &#60;b&#62;1&#60;/b&#62;</a>"#
        )),
        "{list}"
    );
    // The same name again (any case) is refused and the list is kept.
    let (status, _, page) = post(
        &app,
        Some(&b),
        &[
            Part::Text("csrf", &b.csrf),
            Part::Text("list", "1x 10k 0805"),
            Part::Text("name", "AMP <B>1</B>"),
            Part::Text("action", "save"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("another project has that name; nothing was saved."),
        "{page}"
    );
    assert!(page.contains("1x 10k 0805</textarea>"), "{page}");

    let (status, _, page) = app.get_as(&format!("{project}?boards=5"), &b).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("2 lines for 5 boards"), "{page}");
    assert!(page.contains("Build 5 boards"), "{page}");
    assert!(page.contains(r#"<a href="/b/A1">Box A1</a>"#), "{page}");
    // 5 boards: 20 of 150 resistors, 30 of 40 capacitors.
    let (status, headers, _) = app
        .post_form(&format!("{project}/build"), Some(&b), &[("boards", "5")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = app.follow(&headers, Some(&b)).await;
    assert!(
        page.contains(
            "Built 5 × Amp &#60;b&#62;1&#60;/b&#62;: took 50 parts from 2 spares (build #1)."
        ),
        "{page}"
    );
    assert!(page.contains("Build #1: "), "{page}");
    let (_, json) = app.get("/api/spares/1").await;
    assert_eq!(json["quantity"], 130);
    let (_, json) = app.get("/api/spares/2").await;
    assert_eq!(json["quantity"], 10);
    // Again: 10 capacitors left, 30 needed — refused, the line named, nothing taken.
    let (_, headers, _) = app
        .post_form(&format!("{project}/build"), Some(&b), &[("boards", "5")])
        .await;
    let page = app.follow(&headers, Some(&b)).await;
    assert!(
        page.contains("Cannot build 5 × Amp &#60;b&#62;1&#60;/b&#62;; nothing was taken. Line 2 (100nF) is short: 10 of 30 in stock."),
        "{page}"
    );
    let (_, json) = app.get("/api/spares/1").await;
    assert_eq!(json["quantity"], 130);
    // Undo puts everything back, once.
    let (status, headers, _) = app.post_form("/builds/1/undo", Some(&b), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), project);
    let page = app.follow(&headers, Some(&b)).await;
    assert!(
        page.contains("Build #1 undone: 50 parts put back."),
        "{page}"
    );
    assert!(page.contains("(undone "), "{page}");
    let (_, json) = app.get("/api/spares/2").await;
    assert_eq!(json["quantity"], 40);
    let (_, headers, _) = app
        .post_form("/builds/1/undo", Some(&b), &[("back", &project)])
        .await;
    let page = app.follow(&headers, Some(&b)).await;
    assert!(
        page.contains("build #1 was undone already; nothing was changed."),
        "{page}"
    );
    let (_, json) = app.get("/api/spares/2").await;
    assert_eq!(json["quantity"], 40);
}

#[tokio::test]
async fn a_spare_chosen_for_a_line_is_kept_and_used() {
    let app = stocked().await;
    let b = app.signed_in().await;
    let project = saved(&app, &b, "4x 10k 0805\n2x 10uF 1206\n").await;
    let (_, _, page) = app.get_as(&project, &b).await;
    assert!(page.contains(r#"class="verdict-substitute""#), "{page}");
    assert!(page.contains(r#"action="/projects/1/choose""#), "{page}");
    // The 10 µF capacitor in 0805 (#3) for line 2.
    let (_, headers, _) = app
        .post_form(
            &format!("{project}/choose"),
            Some(&b),
            &[("line", "2"), ("spare", ""), ("other", "#3")],
        )
        .await;
    let page = app.follow(&headers, Some(&b)).await;
    assert!(page.contains("Line 2 now takes #3 "), "{page}");
    assert!(page.contains("chosen by hand: "), "{page}");
    assert!(page.contains(r#"<option value="3" selected>"#), "{page}");
    assert!(!page.contains(r#"class="verdict-substitute""#), "{page}");
    let (_, headers, _) = app
        .post_form(&format!("{project}/build"), Some(&b), &[("boards", "1")])
        .await;
    let page = app.follow(&headers, Some(&b)).await;
    assert!(page.contains("Built 1 × "), "{page}");
    let (_, json) = app.get("/api/spares/3").await;
    assert_eq!(json["quantity"], 18);
    // Bad choices change nothing.
    for (line, other, says) in [
        ("9", "3", "There is no such line"),
        ("2", "999", "There is no spare #999"),
        ("2", "abc", "is not a spare&#39;s number"),
    ] {
        let (_, headers, _) = app
            .post_form(
                &format!("{project}/choose"),
                Some(&b),
                &[("line", line), ("other", other)],
            )
            .await;
        let page = app.follow(&headers, Some(&b)).await;
        assert!(page.contains(says), "{says}: {page}");
        assert!(page.contains(r#"<option value="3" selected>"#), "{page}");
    }
    // Back to Spares' own choice.
    let (_, headers, _) = app
        .post_form(
            &format!("{project}/choose"),
            Some(&b),
            &[("line", "2"), ("spare", "")],
        )
        .await;
    let page = app.follow(&headers, Some(&b)).await;
    assert!(
        page.contains("Line 2 is matched automatically again."),
        "{page}"
    );
    assert!(page.contains(r#"class="verdict-substitute""#), "{page}");
}

#[tokio::test]
async fn a_project_is_renamed_and_takes_a_new_design() {
    let app = stocked().await;
    let b = app.signed_in().await;
    let project = saved(&app, &b, "4x 10k 0805\n2x 10uF 1206\n").await;
    let (_, _, page) = app.get_as(&project, &b).await;
    assert!(page.contains(r#"action="/projects/1/rename""#), "{page}");
    assert!(page.contains(r#"href="/projects/1/design""#), "{page}");
    // A spare chosen for line 2 and a build: the new design clears the
    // first and keeps the second.
    app.post_form(
        &format!("{project}/choose"),
        Some(&b),
        &[("line", "2"), ("other", "3")],
    )
    .await;
    app.post_form(&format!("{project}/build"), Some(&b), &[("boards", "1")])
        .await;
    let (status, headers, _) = app
        .post_form(
            &format!("{project}/rename"),
            Some(&b),
            &[("name", " Amp <i>2</i> ")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = app.follow(&headers, Some(&b)).await;
    assert!(
        page.contains("Renamed to “Amp &#60;i&#62;2&#60;/i&#62;”."),
        "{page}"
    );
    assert!(
        page.contains("<h1>Amp &#60;i&#62;2&#60;/i&#62;</h1>"),
        "{page}"
    );
    // Another project's name, or none: refused, the name kept.
    saved_as(&app, &b, "1x 10k 0805", "Other").await;
    for (name, says) in [
        (
            "OTHER",
            "another project has that name; nothing was changed.",
        ),
        ("  ", "Name: "),
    ] {
        let (_, headers, _) = app
            .post_form(&format!("{project}/rename"), Some(&b), &[("name", name)])
            .await;
        let page = app.follow(&headers, Some(&b)).await;
        assert!(page.contains(says), "{name}: {page}");
        assert!(
            page.contains("<h1>Amp &#60;i&#62;2&#60;/i&#62;</h1>"),
            "{page}"
        );
    }

    // The new-design page: the project's form, without a name.
    let (status, _, page) = app.get_as(&format!("{project}/design"), &b).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("New design for Amp &#60;i&#62;2&#60;/i&#62;"),
        "{page}"
    );
    assert!(page.contains(r#"action="/projects/1/design""#), "{page}");
    assert!(page.contains(r#"value="replace""#), "{page}");
    assert!(!page.contains(r#"name="name""#), "{page}");
    // Bad input: said, the list kept, the project unchanged.
    let (status, _, page) = app
        .post_multipart(
            &format!("{project}/design"),
            Some(&b),
            &[
                Part::Text("csrf", &b.csrf),
                Part::Text("list", "4x 10k 0805\n"),
                Part::Text("boards", "0"),
                Part::Text("action", "replace"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert!(page.contains("4x 10k 0805\n</textarea>"), "{page}");
    assert!(page.contains(r#"value="replace""#), "{page}");
    let (_, _, page) = app.get_as(&project, &b).await;
    assert!(page.contains("2 lines for 1 board"), "{page}");
    // Checking on that page changes nothing either.
    let (status, _, page) = app
        .post_multipart(
            &format!("{project}/design"),
            Some(&b),
            &[
                Part::Text("csrf", &b.csrf),
                Part::Text("list", "1x 10k 0805\n"),
                Part::Text("action", "check"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("You can build"), "{page}");
    let (_, _, page) = app.get_as(&project, &b).await;
    assert!(page.contains("2 lines for 1 board"), "{page}");
    // Replaced: the new lines, the choice gone, the build kept (and undoable).
    let (status, headers, page) = app
        .post_multipart(
            &format!("{project}/design"),
            Some(&b),
            &[
                Part::Text("csrf", &b.csrf),
                Part::Text("list", "1x 10k 0805\n"),
                Part::Text("action", "replace"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let page = app.follow(&headers, Some(&b)).await;
    assert!(
        page.contains("New design for “Amp &#60;i&#62;2&#60;/i&#62;”: 1 line (was 2); spares chosen by hand were cleared, builds are kept."),
        "{page}"
    );
    assert!(page.contains("1 line for 1 board"), "{page}");
    assert!(page.contains("From typed list"), "{page}");
    assert!(!page.contains("chosen by hand: "), "{page}");
    assert!(page.contains("Build #1: "), "{page}");
    assert!(page.contains(r#"action="/builds/1/undo""#), "{page}");
    // The writes need sign-in and the token.
    let (status, headers, _) = app
        .post_form(&format!("{project}/rename"), None, &[("name", "x")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location(&headers).starts_with("/login"));
    let (status, _, _) = app
        .post_multipart(
            &format!("{project}/design"),
            Some(&b),
            &[
                Part::Text("csrf", "wrong"),
                Part::Text("list", "1x 10k 0805\n"),
                Part::Text("action", "replace"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = app.get_as("/projects/99/design", &b).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn shopping_lists_download_in_every_format() {
    let app = stocked().await;
    let b = app.signed_in().await;
    let project = saved(&app, &b, "4x 10k 0805\n3x =HYPERLINK(1)\n").await;
    let (status, headers, body) = app
        .get_as(
            &format!("{project}/shopping?format=plain&boards=2&extra=1"),
            &b,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers["content-type"], "text/plain; charset=utf-8");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"Amp__b_1__b_-2x-plain.txt\""
    );
    assert_eq!(body, "7 × hyperlink(1 for =HYPERLINK(1)\n");
    let (status, headers, body) = app
        .get_as(&format!("{project}/shopping?format=lcsc&boards=2"), &b)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        body,
        "Quantity,LCSC Part Number,Manufacture Part Number,Manufacturer,Description,Customer Part Number\n\
         6,,,,hyperlink(1,'=HYPERLINK(1)\n"
    );
    for (format, header) in [
        ("mouser", "Mouser Part Number,"),
        ("digikey", "Quantity,Digi-Key Part Number,"),
    ] {
        let (status, _, body) = app
            .get_as(&format!("{project}/shopping?format={format}"), &b)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.starts_with(header), "{body}");
    }
    let (status, _, _) = app
        .get_as(&format!("{project}/shopping?format=ebay"), &b)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = app
        .get_as(&format!("{project}/shopping?format=plain&extra=-1"), &b)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn project_writes_need_sign_in_and_the_token_and_delete_needs_a_tick() {
    let app = stocked().await;
    let b = app.signed_in().await;
    let project = saved(&app, &b, "4x 10k 0805\n1x 100nF 0805\n").await;
    for path in ["build", "choose", "delete"] {
        let (status, headers, _) = app
            .post_form(&format!("{project}/{path}"), None, &[("boards", "1")])
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
        assert!(location(&headers).starts_with("/login"), "{path}");
        let (status, _, _) = app
            .post_form(
                &format!("{project}/{path}"),
                Some(&b),
                &[("csrf", "wrong"), ("boards", "1"), ("sure", "on")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let (status, headers, _) = app.get_page(&project).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location(&headers).starts_with("/login"));
    let (_, json) = app.get("/api/spares/1").await;
    assert_eq!(json["quantity"], 150);
    let (_, headers, _) = app
        .post_form(&format!("{project}/delete"), Some(&b), &[])
        .await;
    let page = app.follow(&headers, Some(&b)).await;
    assert!(page.contains("Tick “yes, delete it”"), "{page}");
    let (_, headers, _) = app
        .post_form(&format!("{project}/delete"), Some(&b), &[("sure", "on")])
        .await;
    assert_eq!(location(&headers), "/projects");
    let page = app.follow(&headers, Some(&b)).await;
    assert!(
        page.contains("Deleted the project “Amp &#60;b&#62;1&#60;/b&#62;”."),
        "{page}"
    );
    let (status, _, _) = app.get_as(&project, &b).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = app.get_as("/projects/abc", &b).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// A zip of (name, bytes) entries, stored (no compression), as `zip -0`
/// writes them.
fn stored_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let header = |sig: &[u8], out: &mut Vec<u8>, central: bool| {
            out.extend_from_slice(sig);
            if central {
                out.extend_from_slice(&20u16.to_le_bytes());
            }
            out.extend_from_slice(&20u16.to_le_bytes());
            out.extend_from_slice(&[0; 2 + 2 + 4 + 4]);
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            if central {
                // Comment length, disk, internal and external attributes.
                out.extend_from_slice(&[0; 10]);
                out.extend_from_slice(&offset.to_le_bytes());
            }
            out.extend_from_slice(name.as_bytes());
        };
        header(b"PK\x03\x04", &mut out, false);
        out.extend_from_slice(data);
        header(b"PK\x01\x02", &mut directory, true);
    }
    let start = out.len() as u32;
    out.extend_from_slice(&directory);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(directory.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[tokio::test]
async fn a_zipped_project_is_read_and_a_bad_zip_is_named() {
    let app = stocked().await;
    let b = app.signed_in().await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../bom/tests/designs/complex_hierarchy");
    let root = std::fs::read(dir.join("complex_hierarchy.kicad_sch")).expect("root");
    let sheet = std::fs::read(dir.join("ampli_ht.kicad_sch")).expect("sheet");
    let z = stored_zip(&[
        ("complex_hierarchy/complex_hierarchy.kicad_sch", &root),
        ("complex_hierarchy/ampli_ht.kicad_sch", &sheet),
        (
            "complex_hierarchy/complex_hierarchy.kicad_pcb",
            b"(kicad_pcb)",
        ),
    ]);
    let (status, _, page) = post(
        &app,
        Some(&b),
        &[
            Part::Text("csrf", &b.csrf),
            Part::File("complex_hierarchy.zip", &z),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("complex_hierarchy.zip — KiCad schematic"),
        "{page}"
    );
    assert!(!page.contains("Warning:"), "both sheets were read: {page}");
    let damaged = &z[..z.len() - 10];
    let (status, _, page) = post(
        &app,
        Some(&b),
        &[
            Part::Text("csrf", &b.csrf),
            Part::File("broken.zip", damaged),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("broken.zip: a damaged zip archive."),
        "{page}"
    );
}
