//! Writes through the pages: each needs a signed-in browser and the form's
//! CSRF token; bad input is shown beside its field and changes nothing.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use spares_core::{LocationCode, SpareId};

use crate::helpers::{Browser, TestApp, location, spare};

async fn count(app: &TestApp) -> u64 {
    app.store.count_spares().await.expect("count")
}

async fn quantity(app: &TestApp, id: SpareId) -> i64 {
    app.store.get_spare(id).await.expect("spare").quantity.get()
}

const TEN_K: [(&str, &str); 5] = [
    ("category", "resistor"),
    ("value", "10k"),
    ("package", "0805"),
    ("quantity", "100"),
    ("location", "A1"),
];

#[tokio::test]
async fn adding_a_part_reads_values_as_typed_and_says_what_happened() {
    let app = TestApp::new().await;
    let b = app.signed_in().await;
    let mut fields = TEN_K.to_vec();
    fields.extend([
        ("param_name", "tolerance"),
        ("param_value", "1%"),
        ("param_name", ""),
        ("param_value", ""),
    ]);
    let (status, headers, body) = app.post_form("/new", Some(&b), &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location(&headers), "/s/1");
    let s = app.store.get_spare(SpareId(1)).await.expect("created");
    assert_eq!(
        s.value.as_ref().map(|v| v.formatted()).as_deref(),
        Some("10 kΩ")
    );
    assert_eq!(s.quantity.get(), 100);
    assert_eq!(s.location, LocationCode::parse("A1").ok());
    assert_eq!(s.parameters.len(), 1);
    let page = app.follow(&headers, Some(&b)).await;
    assert!(page.contains("Added 100 × 10 kΩ"), "{page}");
    assert!(page.contains("in A1."));
    let history = app.store.history(s.id, 10).await.expect("history");
    assert_eq!(history[0].actor, "admin");
    assert_eq!(history[0].source, spares_core::Source::Web);
}

#[tokio::test]
async fn signed_out_or_without_the_csrf_token_nothing_is_written() {
    let app = TestApp::new().await;
    let (status, headers, _) = app.post_form("/new", None, &TEN_K).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location(&headers).starts_with("/login"));
    let b = app.signed_in().await;
    let mut no_token = TEN_K.to_vec();
    no_token.push(("csrf", ""));
    let (status, _, body) = app.post_form("/new", Some(&b), &no_token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("nothing was changed"), "{body}");
    // Another session's token does not fit this one.
    let other = app.signed_in().await;
    let mut foreign = TEN_K.to_vec();
    foreign.push(("csrf", &other.csrf));
    let (status, _, _) = app.post_form("/new", Some(&b), &foreign).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(count(&app).await, 0);
}

#[tokio::test]
async fn bad_fields_are_shown_beside_each_field_and_nothing_is_saved() {
    let app = TestApp::new().await;
    let b = app.signed_in().await;
    let (status, _, body) = app
        .post_form(
            "/new",
            Some(&b),
            &[
                ("category", "resistor"),
                ("value", "10 bananas"),
                ("quantity", "-5"),
                ("package", "0805"),
                ("datasheet", "javascript:alert(1)"),
                ("param_name", "voltage"),
                ("param_value", "fifty"),
                ("param_name", ""),
                ("param_value", "50V"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("Nothing was saved: 4 fields to fix."),
        "{body}"
    );
    for field in ["value", "quantity", "datasheet"] {
        assert!(
            body.contains(&format!("id=\"e-{field}\"")),
            "{field}: {body}"
        );
    }
    assert!(body.contains("id=\"e-parameters\""));
    // What was typed stays in the form.
    assert!(body.contains("value=\"10 bananas\""));
    assert!(body.contains("value=\"0805\""));
    assert!(body.contains("value=\"fifty\""));
    assert_eq!(count(&app).await, 0);
}

#[tokio::test]
async fn add_another_like_this_prefills_the_next_of_a_series() {
    let app = TestApp::new().await;
    let b = app.signed_in().await;
    let mut fields = TEN_K.to_vec();
    fields.extend([("then", "another"), ("reference", "RC0805FR-0710KL")]);
    let (status, headers, _) = app.post_form("/new", Some(&b), &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/new?like=1");
    let page = app.follow(&headers, Some(&b)).await;
    assert!(page.contains("Add another like it"), "{page}");
    assert!(
        page.contains("name=\"package\" type=\"text\" value=\"0805\""),
        "{page}"
    );
    assert!(page.contains("name=\"location\" type=\"text\" value=\"A1\""));
    assert!(
        page.contains("name=\"value\" type=\"text\" value=\"\""),
        "value left blank"
    );
    assert!(!page.contains("RC0805FR"), "reference left blank");
}

#[tokio::test]
async fn more_parameter_rows_can_be_added_without_saving() {
    let app = TestApp::new().await;
    let b = app.signed_in().await;
    let (status, _, body) = app
        .post_form(
            "/new",
            Some(&b),
            &[
                ("value", "10k"),
                ("param_name", "a"),
                ("param_value", "1"),
                ("more", "1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.matches("name=\"param_name\"").count(), 3, "{body}");
    assert_eq!(count(&app).await, 0);
}

#[tokio::test]
async fn plus_minus_and_set_change_stock_and_never_go_below_zero() {
    let app = TestApp::new().await;
    let s = app.add(spare("resistor", "10k", "0805", "1", "A1")).await;
    let b = app.signed_in().await;
    let uri = format!("/s/{}/stock", s.id);
    let (status, headers, _) = app
        .post_form(&uri, Some(&b), &[("delta", "1"), ("back", "/b/A1")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/b/A1");
    assert_eq!(quantity(&app, s.id).await, 2);
    let page = app.follow(&headers, Some(&b)).await;
    assert!(page.contains("10 kΩ 0805: +1, 2 left."), "{page}");

    for _ in 0..2 {
        app.post_form(&uri, Some(&b), &[("delta", "-1")]).await;
    }
    assert_eq!(quantity(&app, s.id).await, 0);
    let (_, headers, _) = app.post_form(&uri, Some(&b), &[("delta", "-1")]).await;
    assert_eq!(quantity(&app, s.id).await, 0, "never negative");
    let page = app.follow(&headers, Some(&b)).await;
    assert!(page.contains("class=\"flash error\""), "{page}");
    assert!(page.contains("only 0 left"), "{page}");

    let (_, headers, _) = app.post_form(&uri, Some(&b), &[("set", "-3")]).await;
    let page = app.follow(&headers, Some(&b)).await;
    assert!(page.contains("New quantity:"), "{page}");
    assert_eq!(quantity(&app, s.id).await, 0);
    app.post_form(&uri, Some(&b), &[("set", "25")]).await;
    assert_eq!(quantity(&app, s.id).await, 25);
    // Going back elsewhere than this site is refused.
    let (_, headers, _) = app
        .post_form(
            &uri,
            Some(&b),
            &[("delta", "1"), ("back", "https://evil.example/")],
        )
        .await;
    assert_eq!(location(&headers), format!("/s/{}", s.id));

    let (status, _, _) = app
        .post_form("/s/999/stock", Some(&b), &[("delta", "1")])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = app
        .post_form("/s/abc/stock", Some(&b), &[("delta", "1")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn editing_replaces_fields_and_a_bad_edit_changes_nothing() {
    let app = TestApp::new().await;
    let s = app.add(spare("resistor", "10k", "0805", "100", "A1")).await;
    let b = app.signed_in().await;
    let (status, _, form) = app.get_as(&format!("/s/{}/edit", s.id), &b).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("value=\"10k\""), "{form}");
    let uri = format!("/s/{}/edit", s.id);
    let (status, _, _) = app
        .post_form(
            &uri,
            Some(&b),
            &[
                ("category", "resistor"),
                ("value", "4k7"),
                ("quantity", "oops"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let unchanged = app.store.get_spare(s.id).await.expect("spare");
    assert_eq!(unchanged.data, s.data);
    let (status, headers, _) = app
        .post_form(
            &uri,
            Some(&b),
            &[
                ("category", "resistor"),
                ("value", "4k7"),
                ("quantity", "90"),
                ("location", "A2"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = app.follow(&headers, Some(&b)).await;
    assert!(page.contains("Saved 90 × 4.7 kΩ"), "{page}");
    let edited = app.store.get_spare(s.id).await.expect("spare");
    assert_eq!(edited.quantity.get(), 90);
    assert_eq!(edited.location, LocationCode::parse("A2").ok());
    let history = app.store.history(s.id, 10).await.expect("history");
    assert_eq!(
        history[0].delta, -10,
        "the quantity change is in the history"
    );
}

#[tokio::test]
async fn deleting_asks_first_then_removes() {
    let app = TestApp::new().await;
    let s = app.add(spare("resistor", "10k", "0805", "100", "A1")).await;
    let b = app.signed_in().await;
    let (status, _, page) = app.get_as(&format!("/s/{}/delete", s.id), &b).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Delete 100 × 10 kΩ 0805 in A1?"), "{page}");
    assert_eq!(count(&app).await, 1, "asking deletes nothing");
    let (status, headers, _) = app
        .post_form(&format!("/s/{}/delete", s.id), Some(&b), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(count(&app).await, 0);
    let page = app.follow(&headers, Some(&b)).await;
    assert!(page.contains("Deleted 100 × 10 kΩ 0805."), "{page}");
    let (status, _, _) = app
        .post_form(&format!("/s/{}/delete", s.id), Some(&b), &[])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_flash_message_is_shown_once() {
    let app = TestApp::new().await;
    let s = app.add(spare("resistor", "10k", "0805", "1", "A1")).await;
    let b = app.signed_in().await;
    let (_, headers, _) = app
        .post_form(&format!("/s/{}/stock", s.id), Some(&b), &[("delta", "1")])
        .await;
    let flash = crate::helpers::set_cookies(&headers)
        .into_iter()
        .find(|(k, _)| k == "spares_flash")
        .expect("flash cookie");
    let with_flash = Browser {
        cookie: format!("{}; spares_flash={}", b.cookie, flash.1),
        csrf: b.csrf.clone(),
    };
    let (_, headers, page) = app.get_as(&format!("/s/{}", s.id), &with_flash).await;
    assert!(page.contains("2 left."));
    let cleared = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.starts_with("spares_flash=;") && c.contains("Max-Age=0"));
    assert!(cleared, "the message is deleted once shown");
    // A forged message is not shown.
    let forged = Browser {
        cookie: format!("{}; spares_flash=SGFja2Vk.bad", b.cookie),
        csrf: b.csrf.clone(),
    };
    let (_, _, page) = app.get_as("/", &forged).await;
    assert!(!page.contains("class=\"flash"), "{page}");
}

#[tokio::test]
async fn an_oversized_form_is_refused_with_413() {
    let app = TestApp::new().await;
    let b = app.signed_in().await;
    let big = "x".repeat(100 * 1024);
    let (status, _, _) = app.post_form("/new", Some(&b), &[("notes", &big)]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(count(&app).await, 0);
}

#[tokio::test]
async fn boxes_can_be_added_renamed_emptied_into_another_and_removed() {
    let app = TestApp::new().await;
    let a = app.add(spare("resistor", "10k", "0805", "100", "A1")).await;
    let c = app
        .add(spare("capacitor", "100n", "0805", "50", "A1"))
        .await;
    let b = app.signed_in().await;
    let (_, headers, _) = app
        .post_form("/boxes", Some(&b), &[("code", "B2"), ("name", "caps")])
        .await;
    assert!(
        app.follow(&headers, Some(&b))
            .await
            .contains("Added box B2.")
    );
    let (_, headers, _) = app.post_form("/boxes", Some(&b), &[("code", "b2")]).await;
    assert!(
        app.follow(&headers, Some(&b))
            .await
            .contains("Box B2 already exists")
    );
    let (_, headers, _) = app.post_form("/boxes", Some(&b), &[("code", "  ")]).await;
    assert!(
        app.follow(&headers, Some(&b))
            .await
            .contains("nothing was added")
    );

    let (_, headers, _) = app
        .post_form(
            "/b/A1/edit",
            Some(&b),
            &[("name", "SMD resistors"), ("description", "top shelf")],
        )
        .await;
    let page = app.follow(&headers, Some(&b)).await;
    assert!(page.contains("Box A1 · SMD resistors"), "{page}");
    assert!(page.contains("type=\"checkbox\" name=\"id\""));

    // A part that is not in the box moves nothing.
    let (_, headers, _) = app
        .post_form(
            "/b/B2/move",
            Some(&b),
            &[("id", &c.id.to_string()), ("to", "A1")],
        )
        .await;
    assert!(
        app.follow(&headers, Some(&b))
            .await
            .contains("not in box B2")
    );
    let (_, headers, _) = app
        .post_form(
            "/b/A1/move",
            Some(&b),
            &[("id", &c.id.to_string()), ("to", "b2")],
        )
        .await;
    assert!(
        app.follow(&headers, Some(&b))
            .await
            .contains("Moved 1 part from A1 to B2.")
    );
    let moved = app.store.get_spare(c.id).await.expect("spare");
    assert_eq!(moved.location, LocationCode::parse("B2").ok());
    assert_eq!(
        app.store.get_spare(a.id).await.expect("spare").location,
        LocationCode::parse("A1").ok()
    );

    // A box with parts stays; an empty one can go.
    let (_, headers, _) = app.post_form("/b/A1/delete", Some(&b), &[]).await;
    assert!(
        app.follow(&headers, Some(&b))
            .await
            .contains("nothing was changed")
    );
    app.post_form(
        "/b/A1/move",
        Some(&b),
        &[("id", &a.id.to_string()), ("to", "B2")],
    )
    .await;
    let (_, headers, _) = app.post_form("/b/A1/delete", Some(&b), &[]).await;
    assert!(
        app.follow(&headers, Some(&b))
            .await
            .contains("Removed box A1.")
    );
    let codes: Vec<String> = app
        .store
        .list_locations()
        .await
        .expect("boxes")
        .into_iter()
        .map(|l| l.location.code.to_string())
        .collect();
    assert_eq!(codes, ["B2"]);
}

#[tokio::test]
async fn a_box_page_has_plus_minus_buttons_that_come_back_to_it() {
    let app = TestApp::new().await;
    let s = app.add(spare("resistor", "10k", "0805", "100", "A1")).await;
    let (_, _, page) = app.get_as("/b/A1", &app.signed_in().await).await;
    assert!(
        page.contains(&format!("action=\"/s/{}/stock\"", s.id)),
        "{page}"
    );
    assert!(page.contains("name=\"back\" value=\"/b/A1\""));
}

#[tokio::test]
async fn shops_show_what_was_spent_there() {
    let app = TestApp::new().await;
    let mut input = spare("resistor", "10k", "0805", "100", "A1");
    input.shop = "LCSC".into();
    input.unit_price = "0.01".into();
    input.currency = "EUR".into();
    let s = app.add(input).await;
    let b = app.signed_in().await;
    // Took 40 out, bought 50 more: spent = 150 × 0.01, in stock = 110 × 0.01.
    app.post_form(&format!("/s/{}/stock", s.id), Some(&b), &[("delta", "-40")])
        .await;
    app.post_form(&format!("/s/{}/stock", s.id), Some(&b), &[("delta", "50")])
        .await;
    let (_, _, page) = app.get_page("/shops").await;
    assert!(page.contains("1.50 EUR"), "{page}");
    assert!(page.contains("1.10 EUR"), "{page}");

    let (_, headers, _) = app
        .post_form(
            "/shops",
            Some(&b),
            &[("name", "Mouser"), ("website", "https://www.mouser.com/")],
        )
        .await;
    assert!(
        app.follow(&headers, Some(&b))
            .await
            .contains("Added shop Mouser.")
    );
    let (_, headers, _) = app
        .post_form(
            "/shops/Mouser/edit",
            Some(&b),
            &[("website", "javascript:alert(1)")],
        )
        .await;
    assert!(app.follow(&headers, Some(&b)).await.contains("Website:"));
    let shop = app
        .store
        .get_shop(&spares_core::ShopName::parse("Mouser").expect("name"))
        .await
        .expect("shop");
    assert_eq!(
        shop.website.map(|w| w.to_string()).as_deref(),
        Some("https://www.mouser.com/")
    );
}

#[tokio::test]
async fn the_dashboard_totals_stock_and_charts_value_per_category() {
    let app = TestApp::new().await;
    let mut r = spare("resistor", "10k", "0805", "100", "A1");
    r.unit_price = "0.01".into();
    r.currency = "EUR".into();
    let mut c = spare("capacitor", "100n", "0805", "3", "A1");
    c.unit_price = "0.5".into();
    c.currency = "EUR".into();
    c.low_stock = "5".into();
    app.add(r).await;
    app.add(c).await;
    let (status, _, page) = app.get_page("/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<span class=\"big\">2</span> distinct parts"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"big\">103</span> pieces"),
        "{page}"
    );
    assert!(page.contains("2.50 EUR"), "total value: {page}");
    assert_eq!(page.matches("<rect ").count(), 2, "one bar per category");
    // The capacitor is worth more, so its bar comes first and is full width.
    let cap = page.find("capacitor: 1.50 EUR").expect("capacitor bar");
    let res = page.find("resistor: 1.00 EUR").expect("resistor bar");
    assert!(cap < res);
    assert!(page.contains("width=\"300\""));
    assert!(page.contains("Low stock"));
    assert!(page.contains("100 nF"), "the capacitor is low: {page}");
}

fn multipart(csrf: &str, csv: &str) -> (String, String) {
    let boundary = "XyZboundary42";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"parts.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(
    app: &TestApp,
    b: Option<&Browser>,
    csrf: &str,
    csv: &str,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let (content_type, body) = multipart(csrf, csv);
    let mut req = Request::post("/import").header("content-type", content_type);
    if let Some(b) = b {
        req = req.header("cookie", &b.cookie);
    }
    app.request(req.body(Body::from(body)).expect("request"))
        .await
}

#[tokio::test]
async fn a_csv_imports_from_the_browser_all_or_nothing() {
    let app = TestApp::new().await;
    let b = app.signed_in().await;
    let good = "category,value,package,quantity,location\nresistor,10k,0805,100,A1\ncapacitor,100n,0805,50,A2\n";
    let bad = "category,value,package,quantity,location\nresistor,1k,0805,10,A1\nresistor,banana,0805,10,A1\n";
    let (status, _, page) = upload(&app, Some(&b), &b.csrf, bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("line 3"), "{page}");
    assert!(page.contains("Nothing was imported."));
    assert_eq!(count(&app).await, 0);

    let (status, _, _) = upload(&app, Some(&b), "wrong", good).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, headers, _) = upload(&app, None, "", good).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location(&headers).starts_with("/login"));
    assert_eq!(count(&app).await, 0);

    let (status, headers, _) = upload(&app, Some(&b), &b.csrf, good).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        app.follow(&headers, Some(&b))
            .await
            .contains("Imported 2 parts from parts.csv.")
    );
    assert_eq!(count(&app).await, 2);

    let (status, headers, csv) = app.get_page("/export.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("text/csv"))
    );
    assert!(
        headers["content-disposition"]
            .to_str()
            .is_ok_and(|d| d.contains("attachment"))
    );
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.contains("10k"));
}

/// A CSV over the upload limit is refused (413) before it is read, and
/// nothing is imported: what a browser upload can make the server parse is
/// bounded.
#[tokio::test]
async fn a_csv_over_the_upload_limit_is_refused_and_nothing_is_imported() {
    let app = TestApp::new().await;
    let b = app.signed_in().await;
    let row = "resistor,10k,0805,100,A1\n";
    let mut csv = String::from("category,value,package,quantity,location\n");
    while csv.len() <= spares_web::routes::pages::transfer::MAX_UPLOAD {
        csv.push_str(row);
    }
    let (status, _, page) = upload(&app, Some(&b), &b.csrf, &csv).await;
    assert_eq!(
        status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        &page[..page.len().min(300)]
    );
    assert!(
        page.contains("nothing was imported"),
        "{}",
        &page[..page.len().min(300)]
    );
    assert_eq!(count(&app).await, 0);
}

/// The download streams a slice of the inventory at a time: across several
/// slices every part comes once, in id order, exactly as the CLI's export.
#[tokio::test]
async fn a_large_export_streams_every_part_once() {
    let app = TestApp::new().await;
    let n = spares_core::csv_io::EXPORT_SLICE * 2 + 7;
    let data: Vec<spares_core::SpareData> = (0..n)
        .map(|i| {
            spare("resistor", &format!("{}", i + 1), "0805", "3", "A1")
                .parse(None)
                .expect("valid")
        })
        .collect();
    app.store
        .import(
            data,
            &spares_core::Change::new(spares_core::Source::Import, "t"),
            None,
        )
        .await
        .expect("import");
    let (status, _, csv) = app.get_page("/export.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(csv.lines().count(), n + 1, "a header and every part");
    let mut direct = Vec::new();
    spares_core::csv_io::export(app.store.as_ref(), &mut direct)
        .await
        .expect("export");
    assert_eq!(csv.as_bytes(), direct.as_slice());
}
