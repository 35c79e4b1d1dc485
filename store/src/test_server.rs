//! The MongoDB server the tests use.

/// A MongoDB URI with a fresh database name, for tests: the server named by
/// `SPARES_TEST_MONGODB_URI`, or else a `secantusd-py` test server (PyPI
/// `secantusdb`) started once per test process on a free port. Panics with
/// instructions when neither is available: MongoDB tests are never skipped.
pub fn fresh_mongodb_uri() -> String {
    use std::process::{Child, Command, Stdio};
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};

    struct Server {
        uri: String,
        _child: Option<Child>,
    }
    static SERVER: OnceLock<Server> = OnceLock::new();
    static N: AtomicU64 = AtomicU64::new(0);

    let server = SERVER.get_or_init(|| {
        if let Ok(uri) = std::env::var("SPARES_TEST_MONGODB_URI") {
            return Server { uri, _child: None };
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let child = Command::new("secantusd-py")
            .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--storage-path", ":memory:"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "no MongoDB to test against: set SPARES_TEST_MONGODB_URI, or install the test server with \
                     `pip install --pre secantusdb==0.7.0b3` ({e})"
                )
            });
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Server {
            uri: format!("mongodb://127.0.0.1:{port}/?directConnection=true"),
            _child: Some(child),
        }
    });
    let n = N.fetch_add(1, Ordering::SeqCst);
    let name = format!("spares_test_{}_{n}", std::process::id());
    match server.uri.split_once("/?") {
        Some((base, query)) => format!("{base}/{name}?{query}"),
        None => format!("{}/{name}", server.uri.trim_end_matches('/')),
    }
}
