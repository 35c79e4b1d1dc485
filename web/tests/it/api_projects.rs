//! Projects through the JSON API: create from typed lines (JSON) or files
//! (a form upload), check for N boards, choose a spare for a line, build
//! (all or nothing), undo, shopping lists; every call needs the token.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::helpers::{API_TOKEN, Part, call, multipart, stocked};

#[tokio::test]
async fn a_project_from_lines_is_checked_built_undone_and_shopped_for() {
    let app = stocked().await;
    let new = r#"{"name": "Amp", "lines": ["4x 10k 0805", "100nF x6", "NE555"]}"#;
    let (status, _) = app
        .send(call("POST", "/api/projects", Some(new), false))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, p) = app
        .send(call("POST", "/api/projects", Some(new), true))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let id = p["id"].as_i64().expect("id");
    assert_eq!(p["name"], "Amp");
    assert_eq!(p["lines"].as_array().map(Vec::len), Some(3));
    assert_eq!(p["lines"][1]["text"], "100nF");
    assert_eq!(p["lines"][1]["quantity"], 6);
    let (status, body) = app
        .send(call("POST", "/api/projects", Some(new), true))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    let (status, c) = app
        .send(call(
            "GET",
            &format!("/api/projects/{id}/check?boards=2"),
            None,
            true,
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    assert_eq!(c["boards"], 2);
    assert_eq!(c["buildable"], 0);
    assert_eq!(c["can_build"], false);
    assert_eq!(c["lines"][0]["verdict"], "enough");
    assert_eq!(c["lines"][0]["takes"][0]["quantity"], 8);
    assert_eq!(c["lines"][0]["takes"][0]["spare"]["location"], "A1");
    assert_eq!(c["lines"][2]["verdict"], "missing");
    assert_eq!(c["boxes_to_visit"][0]["code"], "A1");

    // NE555 is missing: refused, named, nothing taken.
    let build = format!("/api/projects/{id}/build");
    let (status, body) = app
        .send(call("POST", &build, Some(r#"{"boards": 2}"#), true))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        body["error"],
        "Cannot build 2 × Amp; nothing was taken. Line 3 (NE555) is missing."
    );
    let (_, s) = app.get("/api/spares/1").await;
    assert_eq!(s["quantity"], 150);

    // Shopping: what is short, with one spare per line.
    let (status, list) = app
        .send(call(
            "GET",
            &format!("/api/projects/{id}/shopping?boards=2&extra=1"),
            None,
            true,
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(list[0]["quantity"], 3);
    assert_eq!(list[0]["reference"], "NE555");
    let (status, _, csv) = app
        .request(call(
            "GET",
            &format!("/api/projects/{id}/shopping?format=digikey"),
            None,
            true,
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.starts_with("Quantity,Digi-Key Part Number,"), "{csv}");

    // Drop the NE555 line's need by choosing a spare for it: the 10 µF.
    let (status, p) = app
        .send(call(
            "PATCH",
            &format!("/api/projects/{id}"),
            Some(r#"{"choose": {"3": 3}, "name": "Amp 2"}"#),
            true,
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["lines"][2]["chosen_spare"], 3);
    assert_eq!(p["name"], "Amp 2");
    let (status, b) = app
        .send(call("POST", &build, Some(r#"{"boards": 2}"#), true))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    assert_eq!(b["boards"], 2);
    assert_eq!(b["takes"].as_array().map(Vec::len), Some(3));
    let (_, s) = app.get("/api/spares/3").await;
    assert_eq!(s["quantity"], 18);
    let undo = format!("/api/builds/{}/undo", b["id"]);
    let (status, u) = app.send(call("POST", &undo, None, true)).await;
    assert_eq!(status, StatusCode::OK, "{u}");
    assert!(u["undone_at"].is_string());
    let (_, s) = app.get("/api/spares/3").await;
    assert_eq!(s["quantity"], 20);
    let (status, _) = app.send(call("POST", &undo, None, true)).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // A new revision of the design: lines replaced, the choice cleared,
    // the name and the build kept.
    let design = format!("/api/projects/{id}/design");
    for (body, says) in [
        (r#"{"lines": []}"#, "type a list"),
        (
            r#"{"name": "X", "lines": ["1x 10k 0805"]}"#,
            "rename with PATCH",
        ),
        (r#"{"lines": ["1x 10k 0805"], "extra": 1}"#, "unknown field"),
    ] {
        let (status, e) = app.send(call("PUT", &design, Some(body), true)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {e}");
        assert!(
            e["error"].as_str().is_some_and(|m| m.contains(says)),
            "{body}: {e}"
        );
    }
    let (status, _) = app
        .send(call(
            "PUT",
            &design,
            Some(r#"{"lines": ["1x 10k 0805"]}"#),
            false,
        ))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, kept) = app
        .send(call("GET", &format!("/api/projects/{id}"), None, true))
        .await;
    assert_eq!(kept["lines"].as_array().map(Vec::len), Some(3), "{kept}");
    let (status, p) = app
        .send(call(
            "PUT",
            &design,
            Some(r#"{"lines": ["2x 10k 0805", "1x 100nF 0805"]}"#),
            true,
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["name"], "Amp 2");
    assert_eq!(p["lines"].as_array().map(Vec::len), Some(2), "{p}");
    assert!(p["lines"][1]["chosen_spare"].is_null(), "{p}");
    let (status, builds) = app
        .send(call(
            "GET",
            &format!("/api/projects/{id}/check"),
            None,
            true,
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(builds["can_build"], true, "{builds}");
}

#[tokio::test]
async fn a_project_from_an_uploaded_bom_and_bad_input() {
    let app = stocked().await;
    let csv = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../bom/tests/tables/kicad9-export.csv"),
    )
    .expect("sample BOM");
    let upload = |parts: &[Part<'_>], token: bool| {
        let (content_type, body) = multipart(parts);
        let mut r = Request::post("/api/projects").header("content-type", content_type);
        if token {
            r = r.header("authorization", format!("Bearer {API_TOKEN}"));
        }
        r.body(Body::from(body)).expect("request")
    };
    let (status, p) = app
        .send(upload(
            &[
                Part::Text("name", "Sensor"),
                Part::File("sensor-bom.csv", &csv),
            ],
            true,
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    assert_eq!(p["sources"], serde_json::json!(["sensor-bom.csv"]));
    assert!(p["lines"].as_array().is_some_and(|l| l.len() > 3), "{p}");
    let (status, _) = app
        .send(upload(
            &[Part::Text("name", "X"), Part::File("a.csv", &csv)],
            false,
        ))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for (parts, says) in [
        (
            vec![
                Part::Text("name", "Bad"),
                Part::File("notes.csv", b"just some words\n"),
            ],
            "notes.csv",
        ),
        (
            vec![
                Part::Text("name", "Cut"),
                Part::File("cut.kicad_sch", b"(kicad_sch (version 20230121) (symbol"),
            ],
            "cut.kicad_sch",
        ),
        (vec![Part::Text("name", " ")], "type a list"),
        (vec![Part::Text("list", "NE555")], "name:"),
    ] {
        let (status, body) = app.send(upload(&parts, true)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["error"].as_str().is_some_and(|e| e.contains(says)),
            "{says}: {body}"
        );
    }
    for bad in [
        r#"{"name": "A", "lines": ["4x 10k"], "extra": 1}"#,
        r#"{"lines": ["4x 10k"]}"#,
        r#"[1, 2]"#,
    ] {
        let (status, body) = app
            .send(call("POST", "/api/projects", Some(bad), true))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
    let (_, all) = app.send(call("GET", "/api/projects", None, true)).await;
    assert_eq!(
        all.as_array().map(Vec::len),
        Some(1),
        "nothing stored on error: {all}"
    );
    let id = p["id"].as_i64().expect("id");
    for (patch, says) in [
        (r#"{"choose": {"99": 1}}"#, "there is no line"),
        (r#"{"choose": {"1": 999}}"#, "there is no spare #999"),
        (r#"{"choose": {"1": "x"}}"#, "a spare's number or null"),
        (r#"{"colour": "red"}"#, "unknown field"),
    ] {
        let (status, body) = app
            .send(call(
                "PATCH",
                &format!("/api/projects/{id}"),
                Some(patch),
                true,
            ))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{patch}: {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| e.contains(says)),
            "{says}: {body}"
        );
    }
    for (uri, status) in [
        (
            format!("/api/projects/{id}/check?boards=0"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/projects/{id}/shopping?format=ebay"),
            StatusCode::BAD_REQUEST,
        ),
        ("/api/projects/999".to_owned(), StatusCode::NOT_FOUND),
        ("/api/projects/x".to_owned(), StatusCode::BAD_REQUEST),
    ] {
        let (got, body) = app.send(call("GET", &uri, None, true)).await;
        assert_eq!(got, status, "{uri}: {body}");
    }
    let (status, _) = app
        .send(call("DELETE", &format!("/api/projects/{id}"), None, true))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app
        .send(call("GET", &format!("/api/projects/{id}"), None, true))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
