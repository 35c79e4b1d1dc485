//! PATCH of spares, and boxes and shops through the JSON API.

use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, call, spare};

#[tokio::test]
async fn patch_changes_only_the_given_fields() {
    let app = TestApp::new().await;
    let mut input = spare("capacitor", "100n", "0805", "50", "A1");
    input.parameters = vec![
        ("voltage".into(), "50V".into()),
        ("dielectric".into(), "X7R".into()),
    ];
    let s = app.add(input).await;
    let uri = format!("/api/spares/{}", s.id);
    let (status, _) = app
        .send(call("PATCH", &uri, Some(r#"{"quantity": 40}"#), false))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = app
        .send(call(
            "PATCH",
            &uri,
            Some(r#"{"quantity": 40, "parameters": {"voltage": "25V", "dielectric": null}}"#),
            true,
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["quantity"], 40);
    assert_eq!(body["value"], "100 nF", "untouched");
    assert_eq!(body["location"], "A1");
    assert_eq!(body["parameters"]["voltage"], "25 V");
    assert!(body["parameters"].get("dielectric").is_none(), "{body}");
    let history = app.store.history(s.id, 5).await.expect("history");
    assert_eq!(history[0].delta, -10);

    for (bad, needle) in [
        (r#"{"value": "lots"}"#, "value"),
        (r#"{"quantity": -1}"#, "negative"),
        (r#"{"colour": "red"}"#, "unknown field"),
        (r#"[1]"#, "object"),
        (r#"{"#, ""),
    ] {
        let (status, err) = app.send(call("PATCH", &uri, Some(bad), true)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {err}");
        assert!(
            err["error"].as_str().is_some_and(|e| e.contains(needle)),
            "{bad}: {err}"
        );
    }
    assert_eq!(
        app.store
            .get_spare(s.id)
            .await
            .expect("spare")
            .quantity
            .get(),
        40,
        "bad patches change nothing"
    );
    let (status, _) = app
        .send(call("PATCH", "/api/spares/999", Some("{}"), true))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn boxes_through_the_api() {
    let app = TestApp::new().await;
    app.add(spare("resistor", "10k", "0805", "100", "A1")).await;
    let (status, list) = app.get("/api/locations").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["code"], "A1");
    assert_eq!(list[0]["spares"], 1);

    let (status, _) = app
        .send(call(
            "POST",
            "/api/locations",
            Some(r#"{"code":"B2","name":"caps"}"#),
            false,
        ))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, created) = app
        .send(call(
            "POST",
            "/api/locations",
            Some(r#"{"code":"b2","name":"caps"}"#),
            true,
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["code"], "B2");
    let (status, err) = app
        .send(call(
            "POST",
            "/api/locations",
            Some(r#"{"code":"B2"}"#),
            true,
        ))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    let (status, err) = app
        .send(call("POST", "/api/locations", Some(r#"{"code":""}"#), true))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");

    let (status, patched) = app
        .send(call(
            "PATCH",
            "/api/locations/B2",
            Some(r#"{"description":"ceramic"}"#),
            true,
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(patched["name"], "caps");
    assert_eq!(patched["description"], "ceramic");

    let (status, one) = app.get("/api/locations/a1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["items"][0]["value"], "10 kΩ");

    let (status, err) = app
        .send(call("DELETE", "/api/locations/A1", None, true))
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a box with parts stays: {err}"
    );
    let (status, _) = app
        .send(call("DELETE", "/api/locations/B2", None, true))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.get("/api/locations/B2").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn shops_through_the_api() {
    let app = TestApp::new().await;
    let (status, created) = app
        .send(call(
            "POST",
            "/api/shops",
            Some(r#"{"name":"LCSC","website":"https://www.lcsc.com/"}"#),
            true,
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, _) = app
        .send(call("POST", "/api/shops", Some(r#"{"name":"lcsc"}"#), true))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, err) = app
        .send(call(
            "POST",
            "/api/shops",
            Some(r#"{"name":"X","website":"ftp://x"}"#),
            true,
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        err["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("website"))
    );
    let (status, patched) = app
        .send(call(
            "PATCH",
            "/api/shops/LCSC",
            Some(r#"{"website":null}"#),
            true,
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(patched["website"], Value::Null);
    let (_, list) = app.get("/api/shops").await;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let mut input = spare("resistor", "10k", "0805", "1", "A1");
    input.shop = "LCSC".into();
    app.add(input).await;
    let (status, _) = app
        .send(call("DELETE", "/api/shops/LCSC", None, true))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "a shop parts name stays");
    let (status, _) = app.get("/api/shops/Nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
