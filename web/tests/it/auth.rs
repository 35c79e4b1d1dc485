//! Sign-in, sessions, CSRF and read access.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::helpers::{API_TOKEN, Browser, PASSWORD, TestApp, location, set_cookies, spare};

/// Opens the login page like a browser: returns the visitor's cookie and the
/// form's CSRF token.
async fn visit_login(app: &TestApp) -> Browser {
    let (status, headers, body) = app.get_page("/login?next=%2Fboxes").await;
    assert_eq!(status, StatusCode::OK);
    let cookies = set_cookies(&headers);
    let (_, session) = cookies
        .iter()
        .find(|(k, _)| k == "spares_session")
        .expect("a visitor session for the form's CSRF token");
    let csrf = body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("csrf field")
        .to_owned();
    assert!(body.contains("name=\"next\" value=\"/boxes\""), "{body}");
    Browser {
        cookie: format!("spares_session={session}"),
        csrf,
    }
}

#[tokio::test]
async fn signing_in_with_the_password_gives_a_session_that_can_write() {
    let app = TestApp::new().await;
    let visitor = visit_login(&app).await;
    // The visitor session cannot write yet.
    let (status, headers, _) = app
        .post_form("/boxes", Some(&visitor), &[("code", "A1")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location(&headers).starts_with("/login"));

    let (status, headers, _) = app
        .post_form(
            "/login",
            Some(&visitor),
            &[("password", PASSWORD), ("next", "/boxes")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/boxes");
    let raw: Vec<String> = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    let session_header = raw
        .iter()
        .find(|c| c.starts_with("spares_session="))
        .expect("session cookie");
    assert!(session_header.contains("HttpOnly") && session_header.contains("SameSite=Lax"));
    assert!(!session_header.contains("Secure"), "plain http here");
    let session = set_cookies(&headers)
        .into_iter()
        .find(|(k, _)| k == "spares_session")
        .map(|(_, v)| v)
        .expect("session");
    assert_ne!(
        format!("spares_session={session}"),
        visitor.cookie,
        "a new session on sign-in"
    );

    // The signed-in page carries the new CSRF token; a write with it works.
    let mut signed_in = Browser {
        cookie: format!("spares_session={session}"),
        csrf: String::new(),
    };
    let (_, _, page) = app.get_as("/boxes", &signed_in).await;
    signed_in.csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("csrf")
        .to_owned();
    let (status, headers, _) = app
        .post_form(
            "/boxes",
            Some(&signed_in),
            &[("code", "A1"), ("name", "resistors")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/boxes");
    assert_eq!(app.store.list_locations().await.expect("boxes").len(), 1);
    // The old visitor token is not valid for the signed-in session.
    let stale = Browser {
        cookie: signed_in.cookie.clone(),
        csrf: visitor.csrf.clone(),
    };
    let (status, _, body) = app
        .post_form("/boxes", Some(&stale), &[("code", "B1")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(app.store.list_locations().await.expect("boxes").len(), 1);
}

#[tokio::test]
async fn a_wrong_password_or_a_missing_token_signs_nobody_in() {
    let app = TestApp::new().await;
    let visitor = visit_login(&app).await;
    let (status, headers, body) = app
        .post_form(
            "/login",
            Some(&visitor),
            &[("password", "hunter22"), ("next", "/")],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("Wrong password."), "{body}");
    // Only a new signed-out pre-session (a fresh token for the next try),
    // never a signed-in one.
    for (k, v) in set_cookies(&headers) {
        if k == "spares_session" {
            let session = spares_web::auth::Session::decode(
                &TestApp::key(),
                &v,
                chrono::Utc::now().timestamp(),
            )
            .expect("a valid pre-session");
            assert!(!session.signed_in(), "no session for a wrong password");
        }
    }
    // Without the CSRF token the right password does not help.
    let no_token = Browser {
        cookie: visitor.cookie.clone(),
        csrf: "nope".into(),
    };
    let (status, _, body) = app
        .post_form("/login", Some(&no_token), &[("password", PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("nothing was changed"), "{body}");
}

#[tokio::test]
async fn after_sign_in_only_local_pages_are_followed() {
    let app = TestApp::new().await;
    let visitor = visit_login(&app).await;
    for next in [
        "//evil.example/x",
        "https://evil.example/",
        "javascript:alert(1)",
    ] {
        let (status, headers, _) = app
            .post_form(
                "/login",
                Some(&visitor),
                &[("password", PASSWORD), ("next", next)],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(location(&headers), "/", "{next}");
    }
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = TestApp::new().await;
    let browser = app.signed_in().await;
    let (status, headers, _) = app.post_form("/logout", Some(&browser), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cleared = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.starts_with("spares_session=;") && c.contains("Max-Age=0"));
    assert!(cleared, "{headers:?}");
    let body = app.follow(&headers, None).await;
    assert!(body.contains("Signed out."), "{body}");
    assert!(body.contains("Sign in"));
}

#[tokio::test]
async fn forged_or_tampered_session_cookies_are_ignored() {
    let app = TestApp::new().await;
    let real = app.signed_in().await;
    for cookie in [
        "spares_session=admin.9999999999.abc.def".to_owned(),
        real.cookie.replace("admin", "root"),
        format!("{}x", real.cookie),
    ] {
        let forged = Browser {
            cookie,
            csrf: real.csrf.clone(),
        };
        let (status, headers, _) = app
            .post_form("/boxes", Some(&forged), &[("code", "Z9")])
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", forged.cookie);
        assert!(location(&headers).starts_with("/login"));
    }
    assert!(app.store.list_locations().await.expect("boxes").is_empty());
}

#[tokio::test]
async fn secure_cookies_behind_an_https_proxy() {
    let app = TestApp::new().await;
    let (_, headers, _) = app
        .request(
            Request::get("/login")
                .header("x-forwarded-proto", "https")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    let cookie = headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn private_reading_needs_sign_in_or_the_api_token() {
    let app = TestApp::new().await.private();
    let s = app.add(spare("resistor", "10k", "0805", "100", "A1")).await;
    for page in [
        "/",
        "/boxes",
        "/b/A1",
        "/shops",
        "/dashboard",
        "/export.csv",
    ] {
        let (status, headers, _) = app.get_page(page).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
        assert!(location(&headers).starts_with("/login?next="), "{page}");
    }
    let (status, headers, _) = app.get_page(&format!("/s/{}", s.id)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), format!("/login?next=%2Fs%2F{}", s.id));
    let (status, body) = app.get("/api/spares?q=10k").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("private"))
    );
    // The login page and health checks stay open.
    assert_eq!(app.get_page("/login").await.0, StatusCode::OK);
    assert_eq!(app.get_page("/healthz").await.0, StatusCode::OK);

    let (status, body) = app
        .send(
            Request::get("/api/spares?q=10k")
                .header("authorization", format!("Bearer {API_TOKEN}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 1);
    let browser = app.signed_in().await;
    let (status, _, body) = app.get_as("/", &browser).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("10 kΩ"));
}

#[tokio::test]
async fn public_reading_shows_no_write_controls_to_signed_out_visitors() {
    let app = TestApp::new().await;
    let s = app.add(spare("resistor", "10k", "0805", "100", "A1")).await;
    let (status, _, body) = app.get_page(&format!("/s/{}", s.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains("/stock"), "{body}");
    assert!(!body.contains("Delete"));
    let (_, _, body) = app
        .get_as(&format!("/s/{}", s.id), &app.signed_in().await)
        .await;
    assert!(body.contains(&format!("action=\"/s/{}/stock\"", s.id)));
    // Pages showing a write form send signed-out visitors to sign in.
    for page in [
        "/new".to_owned(),
        format!("/s/{}/edit", s.id),
        format!("/s/{}/delete", s.id),
    ] {
        let (status, headers, _) = app.get_page(&page).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
        assert!(location(&headers).starts_with("/login?next="));
    }
}
