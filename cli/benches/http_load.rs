//! `cargo bench -p spares-cli --bench http_load`: the compiled `spares serve`
//! over 100,000 realistic spares (SQLite; 200+ boxes, one of them holding
//! 5,000 parts), loaded by `wrk` (Debian package) with 64 connections on 2
//! threads for 5 s per page: list pages 1, 100 and the last; every sort key
//! in both directions, shallow and deep; a search with a value; the big
//! box; a part; the dashboard; shops; the labels page; the API search.
//! Each page gets a fresh server; prints one table (req/s, p50, p99 and the
//! server's peak RSS, VmHWM) and the largest peak. Targets (issue #17, 2 cores): every page p99
//! < 50 ms; list pages ≥ 2,000 req/s at any depth and sort; dashboard and
//! shops ≥ 500 req/s; RSS under load < 60 MB.
//!
//! `SPARES_BENCH_SPARES`, `SPARES_BENCH_SECONDS` change the size and the
//! duration; `SPARES_BENCH_ONLY=dashboard,shops` runs only the pages whose
//! path contains one of the words; `SPARES_BENCH_MONGODB_URI` (an empty
//! database) runs it all on MongoDB.

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../../core/benches/common.rs"]
mod common;

use spares_core::query::{Page, Query, Sort, SortKey};
use spares_core::{Change, Source};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Seconds → milliseconds from wrk's "1.23ms" / "456.00us" / "1.02s".
fn millis(text: &str) -> f64 {
    let (num, factor) = if let Some(n) = text.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (text, 1.0)
    };
    num.parse::<f64>().unwrap_or(f64::NAN) * factor
}

struct Load {
    rps: f64,
    p50: f64,
    p99: f64,
    errors: String,
}

fn wrk(url: &str, seconds: usize) -> Load {
    let out = Command::new("wrk")
        .args(["-t2", "-c64", &format!("-d{seconds}s"), "--latency", url])
        .output()
        .expect("wrk (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    let find = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or("nan")
            .to_owned()
    };
    let errors = text
        .lines()
        .filter(|l| l.contains("Non-2xx") || l.contains("Socket errors"))
        .collect::<Vec<_>>()
        .join("; ");
    Load {
        rps: find("Requests/sec:").parse().unwrap_or(f64::NAN),
        p50: millis(&find("50%")),
        p99: millis(&find("99%")),
        errors,
    }
}

/// Parts moved into the box `BIG`.
const BIG_BOX: usize = 5_000;

/// Every sort the list offers.
const SORT_KEYS: [&str; 8] = [
    "category",
    "reference",
    "value",
    "package",
    "quantity",
    "location",
    "price",
    "updated",
];

/// `spares serve` on the database at `url` and a free port, once it accepts connections.
fn start_server(url: &str) -> (std::process::Child, u16) {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let server = Command::new(env!("CARGO_BIN_EXE_spares"))
        .env("SPARES_DATABASE_URL", url)
        .env("SPARES_LISTEN", format!("127.0.0.1:{port}"))
        .env(
            "SPARES_SESSION_SECRET",
            "bench-session-secret-0123456789abcdef",
        )
        .env("RUST_LOG", "warn")
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start spares serve");
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (server, port)
}

/// Waits (at most 120 s) until a part page answers within 100 ms.
fn drain(port: u16) {
    use std::io::{Read, Write};
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(120) {
        let asked = Instant::now();
        let answered = std::net::TcpStream::connect(("127.0.0.1", port))
            .and_then(|mut s| {
                s.set_read_timeout(Some(Duration::from_secs(10)))?;
                s.write_all(b"GET /s/1 HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")?;
                let mut answer = Vec::new();
                s.read_to_end(&mut answer)?;
                Ok(answer.starts_with(b"HTTP/1.1 200"))
            })
            .unwrap_or(false);
        if answered && asked.elapsed() < Duration::from_millis(100) {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    println!("(the server was still busy after 120 s)");
}

fn main() {
    let n = env_or("SPARES_BENCH_SPARES", 100_000);
    let seconds = env_or("SPARES_BENCH_SECONDS", 5);
    let dir = tempfile::tempdir().expect("temp dir");
    // SPARES_BENCH_MONGODB_URI runs the same pages on MongoDB (an empty
    // database); otherwise a fresh SQLite file (SPARES_BENCH_DB keeps it,
    // for looking at it afterwards).
    let url = match std::env::var("SPARES_BENCH_MONGODB_URI") {
        Ok(uri) => uri,
        Err(_) => {
            let db = std::env::var("SPARES_BENCH_DB")
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|_| dir.path().join("bench.db"));
            let _ = std::fs::remove_file(&db);
            format!("sqlite://{}", db.display())
        }
    };
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let started = Instant::now();
    // One box with 5,000 parts: the first ones generated (the rest spread
    // evenly over 2,500 boxes).
    let mut inventory = common::inventory(n, 7);
    for data in inventory.iter_mut().take(BIG_BOX) {
        data.location = Some(spares_core::LocationCode::parse("BIG").expect("code"));
    }
    let store = runtime.block_on(async {
        let store = spares_store::connect(&url)
            .await
            .expect("open the database");
        let already = store.count_spares().await.expect("count");
        assert!(
            already == 0,
            "{url} holds {already} spares: give the benchmark an empty database"
        );
        store
            .import(inventory, &Change::new(Source::Import, "bench"), None)
            .await
            .expect("import");
        store
    });
    println!("database: {}", store.backend());
    // The id at a position of an order: where a "next" link from the page
    // before would seek from.
    let id_at = |sort: Sort, position: usize| -> i64 {
        let page = Page::first(1).sorted(sort).skip(position);
        runtime
            .block_on(store.search(&Query::default(), &page))
            .expect("search")
            .spares
            .first()
            .map_or(1, |s| s.id.0)
    };
    println!(
        "database of {n} spares made in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!("{n} spares, wrk -t2 -c64 -d{seconds}s, a fresh server for each page");
    println!(
        "{:<42} {:>10} {:>9} {:>9} {:>9}",
        "page", "req/s", "p50 ms", "p99 ms", "peak MB"
    );
    let last = n.div_ceil(50).max(1);
    // Deep pages both ways: numbered (OFFSET, as old links are) and the
    // pager's keyset links (after the previous page's last row).
    let deep = (n.saturating_sub(50)).max(1);
    let mut paths: Vec<String> = vec![
        "/".into(),
        "/?page=100".into(),
        format!("/?page={last}"),
        format!(
            "/?after={}&from={}",
            id_at(Sort::default(), deep - 1),
            deep + 1
        ),
        "/?last=1".into(),
    ];
    let middle = (n / 4).max(1);
    for key in SORT_KEYS {
        paths.push(format!("/?sort={key}&dir=asc"));
        let sort = Sort {
            key: SortKey::parse(key).expect("a sort key"),
            descending: true,
        };
        paths.push(format!(
            "/?sort={key}&dir=desc&after={}&from={}",
            id_at(sort, middle - 1),
            middle + 1
        ));
    }
    paths.extend(
        [
            "/?q=10k+resistor",
            "/b/BIG",
            "/s/12345",
            "/dashboard",
            "/shops",
            "/labels",
            "/api/spares?q=10k",
            "/api/spares?q=do+I+have+a+100nF+capacitor%3F",
            "/healthz",
        ]
        .map(String::from),
    );
    let mut worst_peak = 0.0f64;
    let only: Vec<String> = std::env::var("SPARES_BENCH_ONLY")
        .map(|v| v.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    for path in paths
        .iter()
        .filter(|p| only.is_empty() || only.iter().any(|w| p.contains(w.as_str())))
    {
        // A fresh server per page: requests wrk gave up on cannot slow the
        // next page, and the peak memory is this page's.
        let (mut server, port) = start_server(&url);
        let pid = server.id();
        drain(port);
        let load = wrk(&format!("http://127.0.0.1:{port}{path}"), seconds);
        let peak = status_kib(pid, "VmHWM:") as f64 / 1024.0;
        worst_peak = worst_peak.max(peak);
        println!(
            "{path:<42} {:>10.0} {:>9.2} {:>9.2} {:>9.1} {}",
            load.rps, load.p50, load.p99, peak, load.errors
        );
        let _ = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status();
        let _ = server.wait();
    }
    println!("largest peak RSS of a server: {worst_peak:.1} MB (VmHWM)");
}
