//! `spares backup` and `spares restore` as a person runs them, on both
//! backends: a backup taken while another process keeps changing stock is
//! consistent (every part's quantity is the end of its own history); after
//! the database is wiped, restoring it gives back exactly the backup (the
//! CSV exports are byte for byte the same).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use spares_core::{Change, Source, SpareInput, Store};

use crate::binary::spares;
use crate::helpers::TestApp;

/// 40 parts with some history.
async fn stock(store: &dyn Store) -> Vec<spares_core::SpareId> {
    let change = Change::new(Source::Api, "test");
    let mut ids = Vec::new();
    for i in 1..=40 {
        let data = SpareInput {
            category: "resistor".into(),
            value: format!("{i}k"),
            package: "0805".into(),
            quantity: "1000".into(),
            location: format!("A{}", i % 5 + 1),
            ..SpareInput::default()
        }
        .parse(None)
        .expect("spare");
        ids.push(store.create_spare(data, &change).await.expect("create").id);
    }
    ids
}

/// Keeps taking one part out of each spare in turn until `stop`.
fn keep_writing(
    store: Arc<dyn Store>,
    ids: Vec<spares_core::SpareId>,
    stop: Arc<AtomicBool>,
    done: Arc<AtomicU64>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let change = Change::new(Source::Api, "writer");
        let mut i = 0;
        while !stop.load(Ordering::Relaxed) {
            store
                .adjust(ids[i % ids.len()], -1, &change)
                .await
                .expect("adjust");
            done.fetch_add(1, Ordering::Relaxed);
            i += 1;
        }
    })
}

/// In `copy`, every spare's quantity is the quantity after its newest
/// movement: the history and the stock were read at one moment.
async fn assert_consistent(copy: &dyn Store) {
    let (snapshot, movements) = copy.consistent_copy().await.expect("read the backup");
    assert_eq!(snapshot.spares.len(), 40);
    for spare in &snapshot.spares {
        let last = movements
            .iter()
            .rev()
            .find(|m| m.spare == spare.id)
            .expect("a history");
        assert_eq!(
            last.quantity_after, spare.quantity,
            "spare {} has quantity {} but its history ends at {}",
            spare.id, spare.quantity, last.quantity_after
        );
    }
}

async fn backup_under_writes_then_restore(source_url: &str, source: Arc<dyn Store>) {
    let work = TestApp::new().await;
    let ids = stock(source.as_ref()).await;
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let writer = keep_writing(
        Arc::clone(&source),
        ids,
        Arc::clone(&stop),
        Arc::clone(&done),
    );
    // Let the writer get going, then back up while it writes.
    while done.load(Ordering::Relaxed) < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let file = work.dir.join("backup.db");
    let file_arg = file.display().to_string();
    let before = done.load(Ordering::Relaxed);
    let out = tokio::task::spawn_blocking({
        let url = source_url.to_owned();
        let f = file_arg.clone();
        move || spares(&url, &["backup", &f])
    })
    .await
    .expect("backup");
    let during = done.load(Ordering::Relaxed) - before;
    stop.store(true, Ordering::Relaxed);
    writer.await.expect("writer");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("Backed up 40 spares"), "{err}");
    assert!(during > 0, "the writer wrote while the backup ran");

    // A second backup onto the same file is refused.
    let again = spares(source_url, &["backup", &file_arg]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));

    let backup_url = format!("sqlite://{file_arg}");
    let copy = spares_store::connect(&backup_url)
        .await
        .expect("open the backup");
    assert_consistent(copy.as_ref()).await;
    let backup_csv = spares(&backup_url, &["export"]).stdout;
    drop(copy);

    // Wipe: a new, empty database in place of the old one.
    let fresh = TestApp::new().await;
    let out = spares(&fresh.db_url(), &["restore", &file_arg]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("Restored 40 spares"), "{err}");
    assert_eq!(spares(&fresh.db_url(), &["export"]).stdout, backup_csv);
    assert_eq!(
        fresh.store.consistent_copy().await.expect("restored"),
        spares_store::connect(&backup_url)
            .await
            .expect("backup")
            .consistent_copy()
            .await
            .expect("backup copy"),
        "ids, times and the whole history come back"
    );
    // Restoring into a database that is not empty is refused.
    let out = spares(&fresh.db_url(), &["restore", &file_arg]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sqlite_backup_taken_during_writes_restores_exactly() {
    let app = TestApp::new().await;
    let url = app.db_url();
    // The writer is another handle on the same file, as the bot would be.
    let writer: Arc<dyn Store> = spares_store::connect(&url).await.expect("open");
    backup_under_writes_then_restore(&url, writer).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the MongoDB test server (pip secantusdb) or SPARES_TEST_MONGODB_URI: run scripts/test"]
async fn a_mongodb_backup_taken_during_writes_restores_exactly() {
    let url = spares_store::fresh_mongodb_uri();
    let writer: Arc<dyn Store> = spares_store::connect(&url).await.expect("connect");
    backup_under_writes_then_restore(&url, writer).await;
}

#[test]
fn restoring_a_missing_file_says_so() {
    let out = spares(
        "sqlite:///nonexistent/x.db",
        &["restore", "/nonexistent/backup.db"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such backup file"));
}
