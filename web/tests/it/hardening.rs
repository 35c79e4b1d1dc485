//! Hardening through the whole router: sessions end on the server, cookies
//! and headers over https, the sign-in limits, and bounded heavy requests.
//! (The memory bounds under real concurrent load are in `load_limits.rs`,
//! against the real binary.)

use axum::body::Body;
use axum::http::{Request, StatusCode};
use spares_web::auth::session::PRE_SESSION_SECS;
use spares_web::auth::{Auth, PasswordHash, SessionPolicy, hash_password};

use crate::helpers::{Browser, PASSWORD, TestApp, location, set_cookies, spare};

async fn can_open_the_add_form(app: &TestApp, browser: &Browser) -> bool {
    let (status, headers, _) = app.get_as("/new", browser).await;
    match status {
        StatusCode::OK => true,
        StatusCode::SEE_OTHER => {
            assert!(location(&headers).starts_with("/login"), "{headers:?}");
            false
        }
        other => panic!("unexpected {other}"),
    }
}

#[tokio::test]
async fn a_copied_cookie_stops_working_after_sign_out() {
    let app = TestApp::new().await;
    let (browser, status, _, body) = app.sign_in_with_form(PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let browser = browser.expect("signed in");
    let copy = browser.clone();
    assert!(can_open_the_add_form(&app, &copy).await);
    let (status, headers, _) = app.post_form("/logout", Some(&browser), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        set_cookies(&headers)
            .iter()
            .any(|(k, v)| k == "spares_session" && v.is_empty()),
        "the browser's cookie is deleted"
    );
    assert!(
        !can_open_the_add_form(&app, &copy).await,
        "the copied cookie must get the sign-in page"
    );
    // Nor can it write.
    let (status, headers, _) = app
        .post_form("/boxes", Some(&copy), &[("code", "Z9")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location(&headers).starts_with("/login"));
    assert!(app.store.list_locations().await.expect("boxes").is_empty());
}

#[tokio::test]
async fn a_password_change_ends_every_session() {
    let app = TestApp::new().await;
    let first = app.signed_in().await;
    let second = app.signed_in().await;
    assert!(can_open_the_add_form(&app, &first).await);
    // The server restarts with another password (same session secret).
    let new_hash =
        PasswordHash::parse(&hash_password("another password!").expect("hash")).expect("parse");
    let app = app.with_auth(Auth::build(
        TestApp::key(),
        Some(new_hash),
        spares_web::auth::ReadAccess::Public,
        false,
    ));
    assert!(!can_open_the_add_form(&app, &first).await);
    assert!(!can_open_the_add_form(&app, &second).await);
}

fn sqlite(app: &TestApp) -> rusqlite::Connection {
    rusqlite::Connection::open(app.dir.join("spares.db")).expect("open the test database")
}

#[tokio::test]
async fn an_idle_session_ends_and_so_does_one_past_its_lifetime() {
    let app = TestApp::new().await.with_auth(
        Auth::build(
            TestApp::key(),
            Some(PasswordHash::parse(crate::helpers::password_hash_text()).expect("hash")),
            spares_web::auth::ReadAccess::Public,
            false,
        )
        .with_sessions(SessionPolicy {
            idle_secs: 600,
            lifetime_secs: 3600,
        }),
    );
    let idle = app.signed_in().await;
    let old = app.signed_in().await;
    assert!(can_open_the_add_form(&app, &idle).await);
    assert!(can_open_the_add_form(&app, &old).await);
    let now = chrono::Utc::now().timestamp();
    let db = sqlite(&app);
    assert_eq!(
        db.query_row("SELECT COUNT(*) FROM sessions", [], |r| r.get::<_, i64>(0))
            .expect("count"),
        2
    );
    let id_of = |b: &Browser| {
        let value = b.cookie.split_once('=').expect("cookie").1;
        spares_web::auth::Session::decode(&TestApp::key(), value, now)
            .expect("session")
            .id()
    };
    // Eleven minutes without a request…
    db.execute(
        "UPDATE sessions SET last_seen = ?1 WHERE id = ?2",
        rusqlite::params![now - 660, id_of(&idle)],
    )
    .expect("make idle");
    // …and one that was active a moment ago but began over an hour ago.
    db.execute(
        "UPDATE sessions SET created_at = ?1, expires_at = ?2 WHERE id = ?3",
        rusqlite::params![now - 3700, now - 100, id_of(&old)],
    )
    .expect("make old");
    assert!(!can_open_the_add_form(&app, &idle).await, "idle");
    assert!(
        !can_open_the_add_form(&app, &old).await,
        "past its lifetime"
    );
}

#[tokio::test]
async fn the_sign_in_forms_token_dies_with_its_short_pre_session() {
    let app = TestApp::new().await;
    let long_ago = chrono::Utc::now().timestamp() - PRE_SESSION_SECS - 1;
    let pre = spares_web::auth::Session::pre_session(long_ago);
    let stale = Browser {
        cookie: format!("spares_session={}", pre.encode(&TestApp::key())),
        csrf: pre.csrf_token(&TestApp::key()),
    };
    let (status, _, body) = app
        .post_form("/login", Some(&stale), &[("password", PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // The login page's cookie lasts as long as the pre-session.
    let (_, headers, _) = app.get_page("/login").await;
    let raw = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("spares_session="))
        .expect("pre-session cookie")
        .to_owned();
    let max_age: i64 = raw
        .split("Max-Age=")
        .nth(1)
        .and_then(|r| r.split(';').next())
        .and_then(|n| n.parse().ok())
        .expect("Max-Age");
    assert!(max_age <= PRE_SESSION_SECS, "{raw}");
}

#[tokio::test]
async fn over_https_cookies_are_host_only_and_nothing_is_cached() {
    let app = TestApp::new().await.with_auth(
        std::sync::Arc::try_unwrap(TestApp::auth(spares_web::auth::ReadAccess::Public, true))
            .unwrap_or_else(|_| unreachable!("a fresh Arc")),
    );
    app.add(spare("resistor", "10k", "0805", "5", "A1")).await;
    let (browser, status, headers, _) = app.sign_in_with_form(PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let raw: Vec<&str> = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let session = raw
        .iter()
        .find(|c| c.starts_with("__Host-spares_session="))
        .unwrap_or_else(|| panic!("a __Host- session cookie: {raw:?}"));
    assert!(session.contains("; Secure") && session.contains("Path=/"));
    assert!(!session.to_ascii_lowercase().contains("domain="));
    assert_eq!(
        headers
            .get("strict-transport-security")
            .and_then(|v| v.to_str().ok()),
        Some("max-age=31536000")
    );
    let browser = browser.expect("signed in");
    for uri in [
        "/",
        "/new",
        "/export.csv",
        "/labels.pdf?boxes=A1",
        "/b/A1/label.svg",
    ] {
        let (status, headers, _) = app.get_as(uri, &browser).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_eq!(
            headers.get("cache-control").and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{uri}"
        );
        assert!(headers.contains_key("strict-transport-security"), "{uri}");
    }
    // Plain http (no https public URL, no proxy saying so): no HSTS.
    let plain = TestApp::new().await;
    let (_, headers, _) = plain.get_page("/").await;
    assert!(!headers.contains_key("strict-transport-security"));
    // A proxy that terminated https says so.
    let (_, headers, _) = plain
        .request(
            Request::get("/")
                .header("x-forwarded-proto", "https")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert!(headers.contains_key("strict-transport-security"));
}

#[tokio::test]
async fn repeated_wrong_passwords_are_held_off_even_with_the_right_one() {
    let app = TestApp::new().await;
    for attempt in 1..=4 {
        let (_, status, _, body) = app.sign_in_with_form("wrong password").await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}: {body}"
        );
    }
    // The fourth failure started a wait: the right password is not even
    // checked until it has passed.
    let (browser, status, headers, body) = app.sign_in_with_form(PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(browser.is_none());
    assert_eq!(
        headers.get("retry-after").and_then(|v| v.to_str().ok()),
        Some("1")
    );
    assert!(body.contains("Too many wrong passwords"), "{body}");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (browser, status, _, body) = app.sign_in_with_form(PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "after the wait: {body}");
    assert!(browser.is_some());
}

#[tokio::test]
async fn a_box_named_twice_is_one_label_and_a_run_is_bounded() {
    let app = TestApp::new().await;
    app.add(spare("resistor", "10k", "0805", "5", "A1")).await;
    let browser = app.signed_in().await;
    let (status, _, pdf) = app
        .get_as("/labels.pdf?boxes=A1,A1,a1&boxes=A1", &browser)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(pdf.matches("/Subtype /Image").count(), 1, "one label");
    let many: Vec<String> = (1..=spares_web::routes::pages::labels::MAX_LABELS + 1)
        .map(|i| i.to_string())
        .collect();
    let (status, _, body) = app
        .get_as(&format!("/labels.pdf?parts={}", many.join(",")), &browser)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("at most 240 labels"), "{body}");
}

#[tokio::test]
async fn heavy_work_beyond_its_bound_is_answered_busy_at_once() {
    let app = TestApp::new().await;
    app.add(spare("resistor", "10k", "0805", "5", "A1")).await;
    let browser = app.signed_in().await;
    let renders: Vec<_> = (0..spares_web::limits::RENDERS)
        .map(|_| app.limits.render().expect("permit"))
        .collect();
    let (status, headers, body) = app.get_as("/labels.pdf?boxes=A1", &browser).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(headers.contains_key("retry-after"));
    drop(renders);
    let (status, _, _) = app.get_as("/labels.pdf?boxes=A1", &browser).await;
    assert_eq!(status, StatusCode::OK);
    let transfers: Vec<_> = (0..spares_web::limits::TRANSFERS)
        .map(|_| app.limits.transfer().expect("permit"))
        .collect();
    let (status, headers, _) = app.get_as("/export.csv", &browser).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(headers.contains_key("retry-after"));
    drop(transfers);
    let (status, _, _) = app.get_as("/export.csv", &browser).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn exported_csv_never_hands_a_spreadsheet_a_formula() {
    let app = TestApp::new().await;
    let mut input = spare("ic", "", "", "3", "A1");
    input.reference = "=HYPERLINK(\"http://evil.example/\",\"datasheet\")".into();
    input.notes = "@SUM(1+1)".into();
    app.add(input).await;
    let (status, _, csv) = app.get_page("/export.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
    assert!(csv.contains("'@SUM(1+1)"), "{csv}");
    // And importing that file gives back the same texts.
    let spares = spares_core::csv_io::read_spares(csv.as_bytes(), None).expect("read back");
    assert!(spares[0].reference.starts_with("=HYPERLINK("));
    assert_eq!(spares[0].notes, "@SUM(1+1)");
}
