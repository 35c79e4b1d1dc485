//! End to end in a real browser: the compiled `spares serve`, Debian's
//! Chromium driven by Playwright (`e2e/web.mjs`), once directly and once
//! through the real nginx with the repository's config
//! (`deploy/nginx/default.conf.template`).
//!
//! Needs `chromium`, `nginx`, Node and `npm ci --prefix e2e` (`.ci/run`
//! installs them); fails with that advice when one is missing. Screenshots
//! go to `target/tmp/e2e-screenshots/` (not committed).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "e2e/photos.rs"]
mod photos;

const PASSWORD: &str = "e2e password 123";
const GOOD_CSV: &str = "category,value,package,quantity,location,unit_price,currency\ncapacitor,100n,0805,50,A1,0.02,EUR\nresistor,1k,0805,200,A2,0.005,EUR\ncapacitor,10u,1206,30,A2,0.08,EUR\n";
const BAD_CSV: &str = "category,value,package,quantity,location\nresistor,1k,0805,10,A1\nresistor,banana,0805,10,A1\n";

/// Stops the child when the test ends, however it ends: SIGTERM first (so
/// nginx takes its workers down too), SIGKILL if it lingers.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if matches!(self.0.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repository root")
        .to_path_buf()
}

/// A raw HTTP/1.1 GET; returns the head and the body.
fn http_get(port: u16, path: &str, extra: &str) -> Option<(String, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{extra}\r\n"
    )
    .ok()?;
    let mut bytes = Vec::new();
    if let Err(e) = s.read_to_end(&mut bytes) {
        eprintln!("GET {path}: {e}");
        return None;
    }
    let text = String::from_utf8_lossy(&bytes);
    let (head, body) = text.split_once("\r\n\r\n")?;
    Some((head.to_owned(), body.to_owned()))
}

/// A raw HTTP/1.1 GET of a file the server sends with its length; `None`
/// for an answer other than 200.
fn http_get_bytes(port: u16, path: &str) -> Option<Vec<u8>> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).expect("read");
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP head");
    let head = String::from_utf8_lossy(&bytes[..end]).to_string();
    if !head.starts_with("HTTP/1.1 200") {
        return None;
    }
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "GET {path} came chunked: {head}"
    );
    Some(bytes[end + 4..].to_vec())
}

/// Makes the photos the browser uploads on the Scan page, in the
/// background: label sheets printed from the PDFs this server renders
/// (once the walk has imported the parts in boxes A1 and A2), and a
/// supplier bag. Each appears in `dir` whole (written, then renamed); the
/// walk waits for them.
fn take_photos(port: u16, dir: &Path) -> std::thread::JoinHandle<()> {
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        photos::supplier_bag(
            "[)>\u{1e}06\u{1d}P296-1395-1-ND\u{1d}1PLM358DR\u{1d}30P296-1395-1-ND\u{1d}K12345\u{1d}1K84123456\u{1d}10K99887766\u{1d}9D2345\u{1d}1TABC123\u{1d}Q25\u{1d}11K1\u{1e}\u{4}",
            &dir,
            "bag-lm358",
        );
        let start = Instant::now();
        let both = loop {
            if let Some(pdf) = http_get_bytes(port, "/labels.pdf?boxes=A1,A2&preset=a4-3x8") {
                break pdf;
            }
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "boxes A1 and A2 did not appear within 120 s"
            );
            std::thread::sleep(Duration::from_millis(200));
        };
        // One label for box A1 on a sheet whose first four were used already.
        let one = http_get_bytes(port, "/labels.pdf?boxes=A1&preset=a4-3x8&start=5")
            .expect("the label sheet for A1");
        photos::label_sheet(&one, &dir, "sheet-a1");
        photos::label_sheet(&both, &dir, "sheet-a1-a2");
    })
}

fn wait_until_up(port: u16, what: &str) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if http_get(port, "/healthz", "").is_some_and(|(h, _)| h.starts_with("HTTP/1.1 200")) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{what} did not answer /healthz on port {port} within 20 s");
}

/// `spares serve` on a fresh database.
fn start_spares(dir: &Path, hash: &str) -> (Running, u16) {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_spares"))
        .env(
            "SPARES_DATABASE_URL",
            format!("sqlite://{}", dir.join("spares.db").display()),
        )
        .env("SPARES_LISTEN", format!("127.0.0.1:{port}"))
        .env("SPARES_ADMIN_PASSWORD_HASH", hash)
        .env(
            "SPARES_SESSION_SECRET",
            "e2e-session-secret-0123456789abcdef",
        )
        .env("RUST_LOG", "warn")
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start spares serve");
    let running = Running(child);
    wait_until_up(port, "spares serve");
    (running, port)
}

fn require(cmd: &str, advice: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(found, "{cmd} is needed for the end-to-end tests: {advice}");
}

fn run_browser(url: &str, label: &str, csv_dir: &Path, photos: std::thread::JoinHandle<()>) {
    let script = repo().join("e2e/web.mjs");
    assert!(
        repo().join("e2e/node_modules/playwright-core").exists(),
        "run `npm ci --prefix e2e` first (installs playwright-core)"
    );
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-screenshots");
    let out = Command::new("node")
        .arg(&script)
        .env("SPARES_E2E_URL", url)
        .env("SPARES_E2E_PASSWORD", PASSWORD)
        .env("SPARES_E2E_SHOTS", &shots)
        .env("SPARES_E2E_CSV_DIR", csv_dir)
        .env("SPARES_E2E_LABEL", label)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if let Err(e) = photos.join() {
        panic!(
            "making the photos failed: {}\n(the browser run: {stdout}\n{stderr})",
            e.downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| e.downcast_ref::<&str>().copied())
                .unwrap_or("?")
        );
    }
    assert!(
        out.status.success(),
        "browser run {label} failed:\n{stdout}\n{stderr}\n(screenshots in {})",
        shots.display()
    );
    assert!(stdout.contains("all steps passed"), "{stdout}");
}

/// A fresh folder (deleted when the test ends) with the CSV files, and
/// the admin password's hash.
fn setup() -> (tempfile::TempDir, String) {
    require("chromium", "apt-get install chromium");
    require("node", "apt-get install nodejs npm");
    require("pdftoppm", "apt-get install poppler-utils");
    let dir = tempfile::Builder::new()
        .prefix("spares-e2e-")
        .tempdir()
        .expect("temp dir");
    std::fs::write(dir.path().join("good.csv"), GOOD_CSV).expect("write csv");
    std::fs::write(dir.path().join("bad.csv"), BAD_CSV).expect("write csv");
    let hash = spares_web::auth::hash_password(PASSWORD).expect("hash");
    (dir, hash)
}

#[test]
#[ignore = "needs Chromium, nginx and the e2e/ node packages: run scripts/test"]
fn a_person_uses_the_web_app_in_chromium() {
    let (keep, hash) = setup();
    let dir = keep.path();
    let (_spares, port) = start_spares(dir, &hash);
    let photos = take_photos(port, dir);
    run_browser(&format!("http://127.0.0.1:{port}"), "direct", dir, photos);
}

fn nginx_binary() -> &'static str {
    if Path::new("/usr/sbin/nginx").exists() {
        "/usr/sbin/nginx"
    } else {
        "nginx"
    }
}

/// Renders the repository's nginx template (as the official image's
/// envsubst step does) into a complete config under `dir`.
fn nginx_config(dir: &Path, upstream_port: u16, port: u16) -> PathBuf {
    let template = std::fs::read_to_string(repo().join("deploy/nginx/default.conf.template"))
        .expect("read the nginx template");
    std::fs::create_dir_all(dir.join("cache")).expect("cache dir");
    let site = template
        .replace("${SPARES_UPSTREAM}", &format!("127.0.0.1:{upstream_port}"))
        .replace("${NGINX_PORT}", &format!("127.0.0.1:{port}"))
        .replace(
            "${NGINX_CACHE_DIR}",
            &dir.join("cache").display().to_string(),
        );
    assert!(
        !site.contains("${"),
        "every template variable is known: {site}"
    );
    std::fs::write(dir.join("spares.conf"), site).expect("write site");
    let d = dir.display();
    let main = format!(
        "user root;\ndaemon off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n  access_log {d}/access.log;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  \
         fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  include {d}/spares.conf;\n}}\n"
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, main).expect("write nginx.conf");
    path
}

#[test]
#[ignore = "needs Chromium, nginx and the e2e/ node packages: run scripts/test"]
fn the_web_app_works_behind_nginx_with_the_repository_config() {
    require("nginx", "apt-get install nginx");
    let (keep, hash) = setup();
    let dir = keep.path();
    let (_spares, upstream) = start_spares(dir, &hash);
    let photos = take_photos(upstream, dir);
    let port = free_port();
    let ngx = dir.join("nginx");
    std::fs::create_dir_all(&ngx).expect("nginx dir");
    let conf = nginx_config(&ngx, upstream, port);
    let check = Command::new(nginx_binary())
        .args(["-t", "-p"])
        .arg(&ngx)
        .arg("-c")
        .arg(&conf)
        .output()
        .expect("run nginx -t");
    assert!(
        check.status.success(),
        "nginx -t: {}",
        String::from_utf8_lossy(&check.stderr)
    );
    let _nginx = Running(
        Command::new(nginx_binary())
            .arg("-p")
            .arg(&ngx)
            .arg("-c")
            .arg(&conf)
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start nginx"),
    );
    wait_until_up(port, "nginx");

    // Proxy headers: a request that reached the load balancer over https
    // gets a Secure cookie; the request id travels through.
    let (head, _) = http_get(port, "/login", "X-Forwarded-Proto: https\r\n").expect("login page");
    assert!(head.contains("; Secure"), "{head}");
    assert!(
        head.to_ascii_lowercase().contains("x-request-id:"),
        "{head}"
    );
    let (head, _) = http_get(port, "/login", "").expect("login page");
    assert!(!head.contains("; Secure"), "plain http stays plain: {head}");
    // gzip for pages.
    let (head, _) = http_get(port, "/login", "Accept-Encoding: gzip\r\n").expect("login page");
    assert!(
        head.to_ascii_lowercase().contains("content-encoding: gzip"),
        "{head}"
    );
    // The stylesheet is cached by nginx after the first request.
    let (_, body) = http_get(port, "/login", "").expect("login page");
    let css = body
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("stylesheet link")
        .to_owned();
    let (first, _) = http_get(port, &css, "").expect("css");
    let (second, _) = http_get(port, &css, "").expect("css");
    assert!(first.contains("X-Cache-Status: MISS"), "{first}");
    assert!(second.contains("X-Cache-Status: HIT"), "{second}");

    run_browser(&format!("http://127.0.0.1:{port}"), "nginx", dir, photos);

    // nginx limits sign-in attempts per client before they reach the app.
    let statuses: Vec<String> = (0..20)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            write!(
                s,
                "POST /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 14\r\n\r\npassword=guess"
            )
            .expect("request");
            let mut head = String::new();
            s.read_to_string(&mut head).expect("answer");
            head.split_whitespace().nth(1).unwrap_or_default().to_owned()
        })
        .collect();
    assert!(
        statuses.iter().any(|s| s == "429"),
        "nginx let 20 sign-ins in a row through: {statuses:?}"
    );
    assert!(
        statuses.iter().any(|s| s == "403"),
        "the first ones reach the app (no CSRF token: 403): {statuses:?}"
    );
}
