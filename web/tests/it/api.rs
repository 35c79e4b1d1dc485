//! The JSON API and health endpoints, through the real router.

use axum::http::StatusCode;

use crate::helpers::{TestApp, spare};

#[tokio::test]
async fn search_pages_follow_their_next_links_to_the_end() {
    let app = TestApp::new().await;
    for i in 1..=7 {
        app.add(spare(
            "resistor",
            &format!("{i}k"),
            "0805",
            &i.to_string(),
            "A1",
        ))
        .await;
    }
    let mut uri = "/api/spares?q=resistor&limit=3&sort=quantity&dir=desc".to_owned();
    let mut quantities = Vec::new();
    for _ in 0..5 {
        let (status, body) = app.get(&uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        assert_eq!(body["total"], 7, "{body}");
        for item in body["items"].as_array().expect("items") {
            quantities.push(item["quantity"].as_i64().expect("quantity"));
        }
        match body["next"].as_str() {
            Some(next) => uri = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(quantities, [7, 6, 5, 4, 3, 2, 1]);
    let (status, body) = app.get("/api/spares?q=resistor&after=abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn healthz_and_readyz_answer() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    let (status, body) = app.get("/readyz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["database"], "sqlite");
}

#[tokio::test]
async fn a_plain_question_finds_the_part_and_says_how_it_was_understood() {
    let app = TestApp::new().await;
    app.add(spare("resistor", "10k", "0805", "150", "A1")).await;
    app.add(spare("resistor", "1k", "0805", "10", "A1")).await;
    app.add(spare("capacitor", "100n", "0805", "80", "A2"))
        .await;
    let (status, body) = app
        .get("/api/spares?q=do%20I%20have%20a%2010k%20resistor%3F")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["interpretation"], "resistor · 10 kΩ");
    assert_eq!(body["items"].as_array().map(Vec::len), Some(1));
    let item = &body["items"][0];
    assert_eq!(item["value"], "10 kΩ");
    assert_eq!(item["quantity"], 150);
    assert_eq!(item["location"], "A1");
    assert_eq!(item["package"], "0805");
    assert!(
        body["answer"]
            .as_str()
            .is_some_and(|a| a.starts_with("Yes: 150 × 10 kΩ 0805 in A1")),
        "{body}"
    );
    assert_eq!(body["suggestions"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn a_missing_value_gets_substitutes_kept_apart_from_matches() {
    let app = TestApp::new().await;
    app.add(spare("resistor", "20k", "0805", "4", "B2")).await;
    app.add(spare("resistor", "4k7", "0805", "9", "B3")).await;
    let (status, body) = app.get("/api/spares?q=10k%20resistor").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["items"].as_array().map(Vec::len),
        Some(0),
        "20k is not 10k"
    );
    let suggestions = body["suggestions"].as_array().cloned().unwrap_or_default();
    assert!(
        suggestions.iter().any(|s| s["kind"] == "combination"
            && s["wiring"] == "parallel"
            && s["result"] == "10 kΩ"),
        "{body}"
    );
    assert!(suggestions.iter().any(|s| s["kind"] == "nearest"));
    assert!(
        body["answer"]
            .as_str()
            .is_some_and(|a| a.contains("2 × 20 kΩ in B2 in parallel = 10 kΩ")),
        "{body}"
    );
}

#[tokio::test]
async fn bad_parameters_and_unknown_ids_are_json_errors() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/api/spares?limit=abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"].as_str().is_some_and(|e| e.contains("limit")),
        "{body}"
    );
    let (status, body) = app.get("/api/spares?limit=100000").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = app.get("/api/spares/424242").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "no spare #424242");
    let (status, _) = app.get("/api/spares/not-a-number").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn one_spare_by_id() {
    let app = TestApp::new().await;
    let s = app.add(spare("capacitor", "4u7", "0805", "12", "c3")).await;
    let (status, body) = app.get(&format!("/api/spares/{}", s.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["value"], "4.7 µF");
    assert_eq!(body["location"], "C3");
}
