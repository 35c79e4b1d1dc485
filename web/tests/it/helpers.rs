//! Shared test helpers: a fresh database per test, the app as a tower
//! service, and the real `spares` binary.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use spares_core::store::sqlite::SqliteStore;
use spares_core::{Change, Source, SpareData, SpareInput, Store};
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
    pub store: Arc<dyn Store>,
    pub read: ReadAccess,
    /// Kept between requests, like a running server's (sign-in limits).
    pub auth: Arc<Auth>,
    pub limits: spares_web::limits::Limits,
}

impl TestApp {
    /// A fresh SQLite file in its own directory.
    pub async fn new() -> TestApp {
        let dir = tempfile::Builder::new()
            .prefix("spares-web-test-")
            .tempdir()
            .expect("temp dir")
            .keep();
        let store = SqliteStore::open(dir.join("spares.db"))
            .await
            .expect("open store");
        TestApp {
            dir,
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
            public_url: Some(PUBLIC_URL.into()),
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

/// Runs the real `spares` binary with a database URL.
pub fn spares(db_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spares"))
        .env("SPARES_DATABASE_URL", db_url)
        .env_remove("RUST_LOG")
        .args(args)
        .output()
        .expect("run spares")
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

/// `spares serve` running as a child process on a free port; stopped
/// (SIGTERM, then SIGKILL) when dropped.
pub struct Server {
    child: std::process::Child,
    pub addr: String,
}

impl Server {
    /// Starts the real binary on `db_url` with extra environment variables
    /// and waits until it answers `/healthz`.
    pub fn start(db_url: &str, envs: &[(&str, &str)]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let addr = format!("127.0.0.1:{port}");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_spares"));
        cmd.env("SPARES_DATABASE_URL", db_url)
            .env("SPARES_LISTEN", &addr)
            .env("RUST_LOG", "error")
            .env_remove("SPARES_TRUSTED_PROXIES")
            .envs(envs.iter().copied())
            .arg("serve")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let server = Server {
            child: cmd.spawn().expect("start spares serve"),
            addr,
        };
        let start = std::time::Instant::now();
        while start.elapsed() < std::time::Duration::from_secs(20) {
            if http(&server.addr, "GET /healthz", &[], "").is_some_and(|r| r.status == 200) {
                return server;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("spares serve did not answer /healthz on {}", server.addr);
    }

    /// The most memory the server has held so far (VmHWM), in MB.
    pub fn peak_rss_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server's /proc status");
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .expect("VmHWM");
        kb / 1024.0
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let start = std::time::Instant::now();
        while start.elapsed() < std::time::Duration::from_secs(5) {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A raw HTTP/1.1 answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Answer {
    /// A header's value (case-insensitive name), the first if several.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request over a new connection (`line` is e.g. `GET /`),
/// `None` when the connection failed. The body is sent as a urlencoded form.
pub fn http(addr: &str, line: &str, headers: &[(&str, &str)], body: &str) -> Option<Answer> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(120)))
        .ok()?;
    let mut request = format!("{line} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() {
        request.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(body);
    s.write_all(request.as_bytes()).ok()?;
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).ok()?;
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    let mut body = bytes[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Some(Answer { status, head, body })
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 || data.len() < eol + 2 + size {
            break;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[(eol + 4 + size).min(data.len())..];
    }
    out
}
