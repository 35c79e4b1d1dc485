//! Shared test helpers: a fresh database per test and the app as a tower
//! service. (`spares-cli`'s tests include this file too, beside their own
//! helpers for the real binary.)

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use spares_core::{Change, Source, SpareData, SpareInput, Store};
use spares_sqlite::SqliteStore;
use spares_web::auth::{Auth, PasswordHash, ReadAccess, Session, SessionKey, hash_password};
use spares_web::startup::app;
use spares_web::state::{ApiToken, AppState};
use std::sync::OnceLock;

pub const API_TOKEN: &str = "test-token-0123456789abcdef";
pub const PASSWORD: &str = "correct horse battery";
pub const PUBLIC_URL: &str = "https://spares.example.org";
const SESSION_SECRET: &str = "test-session-secret-0123456789abcdef";
use tower::ServiceExt;

/// The argon2 hash of [`PASSWORD`] as configured, made once per test binary.
pub fn password_hash_text() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password(PASSWORD).expect("hash"))
}

fn password_hash() -> PasswordHash {
    PasswordHash::parse(password_hash_text()).expect("valid hash")
}

/// A browser's cookies and the CSRF token its forms carry.
#[derive(Clone, Debug)]
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

pub struct TestApp {
    pub dir: PathBuf,
    /// Deletes the directory when the last copy of the app is gone.
    _keep: Arc<tempfile::TempDir>,
    pub store: Arc<dyn Store>,
    pub read: ReadAccess,
    /// Kept between requests, like a running server's (sign-in limits).
    pub auth: Arc<Auth>,
    pub limits: spares_web::limits::Limits,
}

impl TestApp {
    /// A fresh SQLite file in its own directory.
    pub async fn new() -> TestApp {
        let keep = tempfile::Builder::new()
            .prefix("spares-web-test-")
            .tempdir()
            .expect("temp dir");
        let dir = keep.path().to_path_buf();
        let store = SqliteStore::open(dir.join("spares.db"))
            .await
            .expect("open store");
        TestApp {
            dir,
            _keep: Arc::new(keep),
            store: Arc::new(store),
            read: ReadAccess::Public,
            auth: Self::auth(ReadAccess::Public, false),
            limits: spares_web::limits::Limits::default(),
        }
    }

    /// The test settings: the test key and password.
    pub fn auth(read: ReadAccess, secure: bool) -> Arc<Auth> {
        Auth::new(Self::key(), Some(password_hash()), read, secure)
    }

    pub fn db_url(&self) -> String {
        format!("sqlite://{}", self.dir.join("spares.db").display())
    }

    pub async fn add(&self, input: SpareInput) -> spares_core::Spare {
        let data: SpareData = input.parse(None).expect("valid test spare");
        self.store
            .create_spare(data, &Change::new(Source::Api, "test"))
            .await
            .expect("create")
    }

    /// The same app with private reading.
    pub fn private(mut self) -> TestApp {
        self.read = ReadAccess::Private;
        self.auth = Self::auth(ReadAccess::Private, false);
        self
    }

    /// The same app with other authentication settings.
    pub fn with_auth(mut self, auth: Auth) -> TestApp {
        self.auth = Arc::new(auth);
        self
    }

    pub fn key() -> SessionKey {
        SessionKey::from_secret(SESSION_SECRET).expect("key")
    }

    /// The app's state, with the test API token and password.
    pub fn state(&self) -> AppState {
        AppState {
            store: Arc::clone(&self.store),
            api_token: ApiToken::new(API_TOKEN),
            auth: Arc::clone(&self.auth),
            currency: spares_core::Currency::parse("EUR").expect("EUR"),
            public_url: spares_core::PublicUrl::parse(PUBLIC_URL).ok(),
            limits: self.limits.clone(),
        }
    }

    /// A browser signed in as the admin (as if it had used the login form:
    /// the session is in the store too).
    pub async fn signed_in(&self) -> Browser {
        let now = chrono::Utc::now().timestamp();
        let session = Session::new(Some("admin"), now, self.auth.sessions.lifetime_secs);
        self.store
            .create_session(&spares_core::SessionRecord {
                id: session.id(),
                user: "admin".into(),
                credential: self.auth.credential().to_owned(),
                created_at: now,
                last_seen: now,
                expires_at: session.expires,
            })
            .await
            .expect("session stored");
        let name =
            spares_web::auth::session::cookie_name("spares_session", self.auth.secure_cookies);
        Browser {
            cookie: format!("{name}={}", session.encode(&Self::key())),
            csrf: session.csrf_token(&Self::key()),
        }
    }

    /// Signs in through the login form as a browser would (GET the form for
    /// its pre-session, POST the password); returns the browser and the
    /// answer to the POST.
    pub async fn sign_in_with_form(
        &self,
        password: &str,
    ) -> (Option<Browser>, StatusCode, axum::http::HeaderMap, String) {
        let (_, headers, body) = self.get_page("/login").await;
        let cookie = set_cookies(&headers)
            .into_iter()
            .find(|(k, _)| k.ends_with("spares_session"))
            .map(|(k, v)| format!("{k}={v}"))
            .expect("a pre-session cookie");
        let csrf = csrf_in(&body);
        let pre = Browser { cookie, csrf };
        let (status, headers, body) = self
            .post_form(
                "/login",
                Some(&pre),
                &[("password", password), ("next", "/")],
            )
            .await;
        let signed_in = set_cookies(&headers)
            .into_iter()
            .find(|(k, v)| k.ends_with("spares_session") && !v.is_empty())
            .filter(|_| status == StatusCode::SEE_OTHER)
            .map(|(k, v)| {
                let cookie = format!("{k}={v}");
                let value = v.clone();
                let session = Session::decode(&Self::key(), &value, chrono::Utc::now().timestamp())
                    .expect("a valid session cookie");
                Browser {
                    cookie,
                    csrf: session.csrf_token(&Self::key()),
                }
            });
        (signed_in, status, headers, body)
    }

    /// POSTs a urlencoded form as `browser` (or signed out), with its CSRF
    /// token unless the fields carry one.
    pub async fn post_form(
        &self,
        uri: &str,
        browser: Option<&Browser>,
        fields: &[(&str, &str)],
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        if let Some(b) = browser
            && !fields.iter().any(|(k, _)| *k == "csrf")
        {
            all.push(("csrf", &b.csrf));
        }
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(all)
            .finish();
        let mut req =
            Request::post(uri).header("content-type", "application/x-www-form-urlencoded");
        if let Some(b) = browser {
            req = req.header("cookie", &b.cookie);
        }
        self.request(req.body(Body::from(body)).expect("request"))
            .await
    }

    /// Follows a 303 as `browser` would: GET its Location with the cookies
    /// the answer set (the flash message). Returns the page's body.
    pub async fn follow(
        &self,
        headers: &axum::http::HeaderMap,
        browser: Option<&Browser>,
    ) -> String {
        let location = headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .expect("a redirect");
        let mut cookies: Vec<String> = browser.map(|b| b.cookie.clone()).into_iter().collect();
        cookies.extend(
            set_cookies(headers)
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| format!("{k}={v}")),
        );
        let (status, _, body) = self
            .request(
                Request::get(location)
                    .header("cookie", cookies.join("; "))
                    .body(Body::empty())
                    .expect("request"),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "following to {location}: {body}");
        body
    }

    /// GET as `browser`.
    pub async fn get_as(
        &self,
        uri: &str,
        browser: &Browser,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        self.request(
            Request::get(uri)
                .header("cookie", &browser.cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    /// POSTs a `multipart/form-data` form (as `browser`, if any): text
    /// fields and files in order.
    pub async fn post_multipart(
        &self,
        path: &str,
        browser: Option<&Browser>,
        parts: &[Part<'_>],
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let (content_type, body) = multipart(parts);
        let mut req = Request::post(path).header("content-type", content_type);
        if let Some(b) = browser {
            req = req.header("cookie", &b.cookie);
        }
        self.request(req.body(Body::from(body)).expect("request"))
            .await
    }

    /// Sends any request through the whole router; returns status, headers
    /// and the body as text.
    pub async fn request(
        &self,
        request: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let response = app(self.state()).oneshot(request).await.expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    /// Sends any request; returns status and JSON.
    pub async fn send(&self, request: Request<Body>) -> (StatusCode, Value) {
        let (status, _, body) = self.request(request).await;
        (status, serde_json::from_str(&body).unwrap_or(Value::Null))
    }

    /// GET through the whole router; returns status, headers and text.
    pub async fn get_page(&self, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
        self.request(Request::get(uri).body(Body::empty()).expect("request"))
            .await
    }

    /// Sends a request through the whole router; returns status and JSON.
    pub async fn get(&self, uri: &str) -> (StatusCode, Value) {
        let (status, _, body) = self.get_page(uri).await;
        (status, serde_json::from_str(&body).unwrap_or(Value::Null))
    }
}

/// One field of a multipart form: a text field, or a `file` field
/// (file name, bytes).
pub enum Part<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a [u8]),
}

/// An API request: JSON `body` if any, with the test token if `token`.
pub fn call(method: &str, uri: &str, body: Option<&str>, token: bool) -> Request<Body> {
    let mut r = Request::builder().method(method).uri(uri);
    if body.is_some() {
        r = r.header("content-type", "application/json");
    }
    if token {
        r = r.header("authorization", format!("Bearer {API_TOKEN}"));
    }
    r.body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
        .expect("request")
}

/// A `multipart/form-data` body of text fields and files (each a `file`
/// field), in order, and its content type.
pub fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = "SparesTestBoundary7";
    let mut body = Vec::new();
    for p in parts {
        match p {
            Part::Text(name, value) => body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            ),
            Part::File(filename, bytes) => {
                body.extend_from_slice(
                    format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .as_bytes(),
                );
                body.extend_from_slice(bytes);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A small stock for the project tests: 150 × 10k 0805 in A1 (#1),
/// 40 × 100 nF 0805 in C1 (#2), 20 × 10 µF 0805 in C2 (#3).
pub async fn stocked() -> TestApp {
    let app = TestApp::new().await;
    app.add(spare("resistor", "10k", "0805", "150", "A1")).await;
    app.add(spare("capacitor", "100n", "0805", "40", "C1"))
        .await;
    app.add(spare("capacitor", "10u", "0805", "20", "C2")).await;
    app
}

/// A spare from (category, value, package, quantity, location).
pub fn spare(
    category: &str,
    value: &str,
    package: &str,
    quantity: &str,
    location: &str,
) -> SpareInput {
    SpareInput {
        category: category.into(),
        value: value.into(),
        package: package.into(),
        quantity: quantity.into(),
        location: location.into(),
        ..SpareInput::default()
    }
}

/// (name, value) of every `Set-Cookie` of an answer.
pub fn set_cookies(headers: &axum::http::HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// The CSRF token in a page's first form.
pub fn csrf_in(body: &str) -> String {
    const FIELD: &str = "name=\"csrf\" value=\"";
    let at = body.find(FIELD).expect("a csrf field") + FIELD.len();
    body[at..].split('"').next().unwrap_or_default().to_owned()
}

/// Where a redirect goes.
pub fn location(headers: &axum::http::HeaderMap) -> &str {
    headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}
