//! The SQLite backend: the shared conformance suite on a real file, plus
//! what is specific to SQLite (crash safety, files that are not ours,
//! schema versions, two processes on one file).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use spares_core::{Change, Quantity, Source, SpareInput, Store, StoreError};
use spares_sqlite::{SqliteStore, schema};

/// Where this run's databases live: `target/tmp/sqlite-conformance`,
/// emptied when the run starts (the stores outlive any one guard, so the
/// files stay until the next run instead of piling up in /tmp).
static PARENT: std::sync::LazyLock<PathBuf> = std::sync::LazyLock::new(|| {
    let parent = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sqlite-conformance");
    let _ = std::fs::remove_dir_all(&parent);
    std::fs::create_dir_all(&parent).expect("create the test folder");
    parent
});

/// A fresh directory that is kept (tests inspect files after the store is gone).
fn fresh_dir() -> PathBuf {
    tempfile::Builder::new()
        .prefix("spares-test-")
        .tempdir_in(PARENT.as_path())
        .expect("temp dir")
        .keep()
}

async fn fresh_store() -> Arc<dyn Store> {
    let path = fresh_dir().join("spares.db");
    Arc::new(SqliteStore::open(path).await.expect("open fresh store"))
}

async fn two_handles() -> (Arc<dyn Store>, Arc<dyn Store>) {
    let path = fresh_dir().join("spares.db");
    let a = SqliteStore::open(&path).await.expect("first handle");
    let b = SqliteStore::open(&path).await.expect("second handle");
    (Arc::new(a), Arc::new(b))
}

spares_store::conformance_suite!(fresh_store(), two_handles());

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read file")
}

#[tokio::test]
async fn a_file_that_is_not_sqlite_is_refused_and_left_untouched() {
    let path = fresh_dir().join("notes.db");
    std::fs::write(&path, "category,value\nresistor,10k\n".repeat(50)).expect("write");
    let before = bytes(&path);
    let err = SqliteStore::open(&path).await.expect_err("not a database");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    assert!(err.to_string().contains("not a Spares database"), "{err}");
    assert_eq!(bytes(&path), before);
    assert!(!path.with_extension("db-wal").exists());
}

#[tokio::test]
async fn a_corrupt_file_with_an_sqlite_header_is_refused_and_left_untouched() {
    let path = fresh_dir().join("corrupt.db");
    let mut content = b"SQLite format 3\0".to_vec();
    content.extend(std::iter::repeat_n(0xA5u8, 4096));
    std::fs::write(&path, &content).expect("write");
    let err = SqliteStore::open(&path).await.expect_err("corrupt");
    assert!(
        matches!(
            err,
            StoreError::NotADatabase { .. } | StoreError::Unavailable(_)
        ),
        "{err}"
    );
    assert_eq!(bytes(&path), content);
}

#[tokio::test]
async fn a_missing_or_unusable_directory_is_a_clear_error() {
    let missing = fresh_dir().join("no/such/dir/spares.db");
    let err = SqliteStore::open(&missing).await.expect_err("missing dir");
    assert!(err.to_string().contains("does not exist"), "{err}");

    let file = fresh_dir().join("a-file");
    std::fs::write(&file, "x").expect("write");
    let err = SqliteStore::open(file.join("spares.db"))
        .await
        .expect_err("parent is a file");
    assert!(matches!(err, StoreError::Unavailable(_)), "{err}");
    assert_eq!(bytes(&file), b"x");

    let dir = fresh_dir();
    let err = SqliteStore::open(&dir).await.expect_err("a directory");
    assert!(err.to_string().contains("is a directory"), "{err}");
}

#[tokio::test]
async fn a_database_from_a_newer_schema_is_refused_and_left_untouched() {
    let path = fresh_dir().join("future.db");
    {
        let conn = rusqlite::Connection::open(&path).expect("create");
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .expect("future schema");
    }
    let before = bytes(&path);
    let err = SqliteStore::open(&path).await.expect_err("newer schema");
    assert!(
        matches!(
            &err,
            StoreError::NewerSchema { path: p, found: 99, supported }
                if *p == path.display().to_string() && *supported == schema::SCHEMA_VERSION
        ),
        "{err:?}"
    );
    assert_eq!(bytes(&path), before);
}

#[tokio::test]
async fn reopening_keeps_data_and_schema_version() {
    let path = fresh_dir().join("spares.db");
    let store = SqliteStore::open(&path).await.expect("open");
    let data = SpareInput {
        value: "100n".into(),
        category: "cap".into(),
        quantity: "7".into(),
        ..SpareInput::default()
    }
    .parse(None)
    .expect("valid");
    let id = store
        .create_spare(data.clone(), &Change::new(Source::Cli, "t"))
        .await
        .expect("create")
        .id;
    drop(store);
    let again = SqliteStore::open(&path).await.expect("reopen");
    assert_eq!(again.get_spare(id).await.expect("get").data, data);
    let conn = rusqlite::Connection::open(&path).expect("open raw");
    assert_eq!(
        schema::version(&conn).expect("version"),
        schema::SCHEMA_VERSION
    );
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
}

const CHILD_ENV: &str = "SPARES_CRASH_CHILD_DB";

/// Runs in a child process (started by the crash test below): adjusts
/// forever, printing "committed N" after each adjustment returns.
#[tokio::test]
#[ignore = "helper process for sigkill_in_the_middle_of_adjustments_loses_nothing_committed"]
async fn crash_child_adjusts_until_killed() {
    use std::io::Write;
    let path = std::env::var(CHILD_ENV).expect("run only by the crash test");
    let id: i64 = std::env::var("SPARES_CRASH_CHILD_SPARE")
        .expect("spare id")
        .parse()
        .expect("id");
    let store = SqliteStore::open(path).await.expect("open");
    let change = Change::new(Source::Cli, "crash-child");
    let mut out = std::io::stdout().lock();
    loop {
        let m = store
            .adjust(spares_core::SpareId(id), 1, &change)
            .await
            .expect("adjust");
        writeln!(out, "committed {}", m.quantity_after).expect("report");
        out.flush().expect("flush");
    }
}

#[test]
fn sigkill_in_the_middle_of_adjustments_loses_nothing_committed() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let path = fresh_dir().join("crash.db");
    let id = rt.block_on(async {
        let store = SqliteStore::open(&path).await.expect("open");
        let data = SpareInput {
            reference: "NE555P".into(),
            ..SpareInput::default()
        }
        .parse(None)
        .expect("valid");
        store
            .create_spare(data, &Change::new(Source::Cli, "t"))
            .await
            .expect("create")
            .id
    });
    let exe = std::env::current_exe().expect("test binary");
    let mut reported: i64 = 0;
    for round in 0..20u64 {
        let mut child = Command::new(&exe)
            .args([
                "crash_child_adjusts_until_killed",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .env("SPARES_CRASH_CHILD_SPARE", id.0.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        let stdout = child.stdout.take().expect("child stdout");
        let mut lines = BufReader::new(stdout).lines();
        // Let it commit a varying number of adjustments, then kill it mid-stream.
        let wanted = 20 + round * 17;
        let mut seen = 0;
        while seen < wanted {
            let Some(Ok(line)) = lines.next() else { break };
            if let Some(n) = line.strip_prefix("committed ") {
                reported = n.parse().expect("number");
                seen += 1;
            }
        }
        assert_eq!(seen, wanted, "child stopped early in round {round}");
        child.kill().expect("SIGKILL");
        // Anything it printed before dying was committed too.
        for line in lines.map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("committed ") {
                reported = n.parse().expect("number");
            }
        }
        child.wait().expect("reap");

        let quantity = rt.block_on(async {
            let store = SqliteStore::open(&path)
                .await
                .expect("reopens after SIGKILL");
            store.get_spare(id).await.expect("spare survives").quantity
        });
        assert!(
            quantity.get() >= reported,
            "round {round}: child reported {reported} committed, file has {quantity}"
        );
        // At most the one adjustment in flight at the kill may be committed unreported.
        assert!(
            quantity.get() <= reported + 1,
            "round {round}: {quantity} > {reported} + 1"
        );
        reported = quantity.get();
    }
    assert!(
        reported > 20 * 20,
        "the children made progress ({reported})"
    );
}

#[tokio::test]
async fn adjustments_are_refused_at_zero_with_the_remaining_count() {
    let store = fresh_store().await;
    let data = SpareInput {
        reference: "BC547".into(),
        quantity: "1".into(),
        ..SpareInput::default()
    }
    .parse(None)
    .expect("valid");
    let spare = store
        .create_spare(data, &Change::new(Source::Web, "t"))
        .await
        .expect("create");
    let err = store
        .adjust(spare.id, -5, &Change::new(Source::Web, "t"))
        .await
        .expect_err("refused");
    assert_eq!(
        err.to_string(),
        format!("only 1 left of spare {}, cannot take 5", spare.id)
    );
    assert_eq!(
        store.get_spare(spare.id).await.expect("get").quantity,
        Quantity::new(1).expect("valid")
    );
}

/// A large import takes the bulk path (every index dropped and built again,
/// `added` set at once): afterwards the indexes are back, the totals equal
/// the reference, and pages still come in the reference order.
#[tokio::test]
async fn a_large_import_keeps_indexes_totals_and_order() {
    use rand::SeedableRng;
    use spares_core::query::{Page, Query, Sort, SortKey, reference_page};
    use spares_core::summary::Summary;

    let path = fresh_dir().join("bulk.db");
    let store = SqliteStore::open(&path).await.expect("open");
    let index_sql = || -> Vec<String> {
        let conn = rusqlite::Connection::open(&path).expect("file");
        let mut stmt = conn
            .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            .expect("indexes");
        stmt.query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("row")
    };
    let indexes_before = index_sql();
    let mut rng = rand::rngs::StdRng::seed_from_u64(17);
    let spares: Vec<_> = (0..6_000)
        .map(|_| spares_store::conformance::random_spare(&mut rng))
        .collect();
    let change = Change::new(Source::Import, "bulk");
    assert_eq!(
        store.import(spares, &change, None).await.expect("import"),
        6_000
    );

    let (snapshot, movements) = store.consistent_copy().await.expect("copy");
    assert_eq!(
        store.summary().await.expect("summary"),
        Summary::of(&snapshot.spares, &movements)
    );
    for (key, descending) in [
        (SortKey::Quantity, true),
        (SortKey::Price, false),
        (SortKey::Location, true),
    ] {
        let page = Page {
            sort: Sort { key, descending },
            offset: 4_000,
            limit: 50,
            seek: None,
        };
        let query = Query::default();
        assert_eq!(
            store.search(&query, &page).await.expect("page"),
            reference_page(&snapshot.spares, &query, &page),
            "{key:?}"
        );
    }
    assert_eq!(
        index_sql(),
        indexes_before,
        "every index is back, as it was"
    );
    let conn = rusqlite::Connection::open(&path).expect("file");
    for (name, _) in schema::SORT_INDEXES {
        let found: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ?",
                [name],
                |r| r.get(0),
            )
            .expect("index");
        assert_eq!(found, 1, "index {name} is back after the import");
    }
    // And the trigger that keeps `added` runs again after the import.
    store
        .adjust(snapshot.spares[0].id, 5, &change)
        .await
        .expect("adjust");
    let (snapshot, movements) = store.consistent_copy().await.expect("copy");
    assert_eq!(
        store.summary().await.expect("summary"),
        Summary::of(&snapshot.spares, &movements)
    );
}
