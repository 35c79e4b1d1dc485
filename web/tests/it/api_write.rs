//! JSON API writes: bearer token, clear JSON errors, nothing changed on error.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{API_TOKEN, TestApp, spare};

fn post(uri: &str, body: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::post(uri).header("content-type", "application/json");
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    r.body(Body::from(body.to_owned())).expect("request")
}

async fn count(app: &TestApp) -> u64 {
    app.store.count_spares().await.expect("count")
}

#[tokio::test]
async fn creating_a_part_needs_the_token_and_reads_values_as_typed() {
    let app = TestApp::new().await;
    let body = json!({
        "category": "resistor", "value": "4k7", "package": "0805", "quantity": 100,
        "location": "a1", "parameters": {"tolerance": "1%", "power": "1/8W"}, "tags": ["smd", "e96"],
        "unit_price": "0.004", "currency": "EUR"
    })
    .to_string();
    let (status, err) = app.send(post("/api/spares", &body, None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{err}");
    let (status, _) = app
        .send(post("/api/spares", &body, Some("wrong-token-0123456789")))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(count(&app).await, 0, "nothing written without the token");

    let (status, created) = app.send(post("/api/spares", &body, Some(API_TOKEN))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["value"], "4.7 kΩ");
    assert_eq!(created["location"], "A1");
    assert_eq!(created["quantity"], 100);
    assert_eq!(created["parameters"]["power"], "⅛ W");
    let (_, found) = app.get("/api/spares?q=4k7+resistor").await;
    assert_eq!(found["total"], 1);
}

#[tokio::test]
async fn bad_input_is_a_json_error_and_changes_nothing() {
    let app = TestApp::new().await;
    for (body, status, needle) in [
        (
            r#"{"category":"resistor","value":"10uF"}"#,
            StatusCode::BAD_REQUEST,
            "value",
        ),
        (
            r#"{"category":"resistor","value":"10k","quantity":-5}"#,
            StatusCode::BAD_REQUEST,
            "negative",
        ),
        (
            r#"{"reference":"X","unit_price":"0.1","currency":"EURO"}"#,
            StatusCode::BAD_REQUEST,
            "currency",
        ),
        (
            r#"{"reference":"X","colour":"red"}"#,
            StatusCode::BAD_REQUEST,
            "unknown field \"colour\"",
        ),
        (
            r#"{"reference":"X","quantity":[1]}"#,
            StatusCode::BAD_REQUEST,
            "quantity: give text or a number",
        ),
        (r#"{"reference": "#, StatusCode::BAD_REQUEST, ""),
        (
            r#"["not", "an", "object"]"#,
            StatusCode::BAD_REQUEST,
            "object",
        ),
    ] {
        let (got, err) = app.send(post("/api/spares", body, Some(API_TOKEN))).await;
        assert_eq!(got, status, "{body}: {err}");
        assert!(
            err["error"].as_str().is_some_and(|e| e.contains(needle)),
            "{body}: {err}"
        );
    }
    let big = format!(r#"{{"reference":"{}"}}"#, "x".repeat(100_000));
    let (status, err) = app.send(post("/api/spares", &big, Some(API_TOKEN))).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    let plain = Request::post("/api/spares")
        .header("authorization", format!("Bearer {API_TOKEN}"))
        .body(Body::from("reference=X"))
        .expect("request");
    let (status, _) = app.send(plain).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(count(&app).await, 0);
}

#[tokio::test]
async fn adjusting_never_goes_below_zero_and_deleting_needs_the_token() {
    let app = TestApp::new().await;
    let s = app.add(spare("capacitor", "100n", "0805", "3", "C1")).await;
    let uri = format!("/api/spares/{}/adjust", s.id);
    let (status, moved) = app
        .send(post(
            &uri,
            r#"{"delta": -2, "reason": "synth"}"#,
            Some(API_TOKEN),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["quantity"], 1);
    let (status, err) = app
        .send(post(&uri, r#"{"delta": -5}"#, Some(API_TOKEN)))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        err["error"]
            .as_str()
            .is_some_and(|e| e.contains("only 1 left")),
        "{err}"
    );
    let (status, _) = app
        .send(post(&uri, r#"{"delta": "lots"}"#, Some(API_TOKEN)))
        .await;
    assert!(status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .send(post(
            "/api/spares/999999/adjust",
            r#"{"delta": 1}"#,
            Some(API_TOKEN),
        ))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, now) = app.get(&format!("/api/spares/{}", s.id)).await;
    assert_eq!(
        now["quantity"], 1,
        "refused changes left the stock as it was"
    );

    let delete = |token: Option<&str>| {
        let mut r = Request::delete(format!("/api/spares/{}", s.id));
        if let Some(t) = token {
            r = r.header("authorization", format!("Bearer {t}"));
        }
        r.body(Body::empty()).expect("request")
    };
    let (status, _) = app.send(delete(None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app.send(delete(Some(API_TOKEN))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _): (StatusCode, Value) = app.get(&format!("/api/spares/{}", s.id)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn without_a_configured_token_writes_are_refused() {
    let app = TestApp::new().await;
    let state = spares_web::state::AppState {
        api_token: None,
        ..app.state()
    };
    use tower::ServiceExt;
    let response = spares_web::startup::app(state)
        .oneshot(post("/api/spares", r#"{"reference":"X"}"#, Some(API_TOKEN)))
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(&app).await, 0);
}
