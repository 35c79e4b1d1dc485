//! The MongoDB backend: the shared conformance suite, unchanged, with
//! transactions and with the non-transactional fallback, plus what is
//! specific to MongoDB.
//!
//! The server: `SPARES_TEST_MONGODB_URI` if set (a real `mongod`, e.g. from
//! `docker compose up mongo`), otherwise a `secantusd-py` test server
//! (PyPI `secantusdb`) started here on a free port. If neither is
//! available the tests fail: they are never skipped. Plain `cargo test`
//! lists them as ignored (cargo cannot install the server); `scripts/test`
//! installs it and runs them.

use std::sync::Arc;
use std::time::Duration;

use spares_core::{Change, Source, SpareInput, Store, StoreError};
use spares_mongo::{MongoStore, Transactions};

fn fresh_uri() -> String {
    spares_store::fresh_mongodb_uri()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

mod with_transactions {
    use super::*;

    async fn fresh_store() -> Arc<dyn Store> {
        Arc::new(MongoStore::connect(&fresh_uri()).await.expect("connect"))
    }

    async fn two_handles() -> (Arc<dyn Store>, Arc<dyn Store>) {
        let uri = fresh_uri();
        let a = MongoStore::connect(&uri).await.expect("first client");
        let b = MongoStore::connect(&uri).await.expect("second client");
        (Arc::new(a), Arc::new(b))
    }

    spares_store::conformance_suite!(
        ignore = "needs the MongoDB test server (pip secantusdb) or SPARES_TEST_MONGODB_URI: run scripts/test";
        fresh_store(), two_handles(), adjustments_per_task()
    );
}

mod without_transactions {
    use super::*;

    async fn fresh_store() -> Arc<dyn Store> {
        let store = MongoStore::connect_with(&fresh_uri(), Transactions::Off)
            .await
            .expect("connect");
        assert!(!store.uses_transactions());
        Arc::new(store)
    }

    async fn two_handles() -> (Arc<dyn Store>, Arc<dyn Store>) {
        let uri = fresh_uri();
        let a = MongoStore::connect_with(&uri, Transactions::Off)
            .await
            .expect("first client");
        let b = MongoStore::connect_with(&uri, Transactions::Off)
            .await
            .expect("second client");
        (Arc::new(a), Arc::new(b))
    }

    spares_store::conformance_suite!(
        ignore = "needs the MongoDB test server (pip secantusdb) or SPARES_TEST_MONGODB_URI: run scripts/test";
        fresh_store(), two_handles(), adjustments_per_task()
    );
}

/// Adjustments per concurrent task (8 tasks): 100 by default, because the
/// single-threaded Python test server serialises every request (~45
/// adjustments/s under this contention); set
/// `SPARES_TEST_MONGODB_ADJUSTMENTS=1000` against a real server for the
/// same load as the SQLite suite.
fn adjustments_per_task() -> usize {
    std::env::var("SPARES_TEST_MONGODB_ADJUSTMENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100)
}

#[tokio::test]
#[ignore = "needs the MongoDB test server (pip secantusdb) or SPARES_TEST_MONGODB_URI: run scripts/test"]
async fn transactions_are_used_exactly_when_the_server_supports_them() {
    let uri = fresh_uri();
    let store = MongoStore::connect(&uri).await.expect("connect");
    let client = mongodb::Client::with_uri_str(&uri).await.expect("client");
    let hello = client
        .database("admin")
        .run_command(mongodb::bson::doc! { "hello": 1 })
        .await
        .expect("hello");
    let replica_set = hello.get_str("setName").is_ok();
    let mongos = hello.get_str("msg").is_ok_and(|m| m == "isdbgrid");
    assert_eq!(store.uses_transactions(), replica_set || mongos);
    let off = MongoStore::connect_with(&uri, Transactions::Off)
        .await
        .expect("connect");
    assert!(!off.uses_transactions());
}

#[tokio::test]
#[ignore = "needs the MongoDB test server (pip secantusdb) or SPARES_TEST_MONGODB_URI: run scripts/test"]
async fn connect_through_the_url_picks_mongodb() {
    let store = spares_store::connect(&fresh_uri()).await.expect("connect");
    assert_eq!(store.backend(), "mongodb");
    store.ping().await.expect("ping");
}

#[tokio::test]
#[ignore = "needs the MongoDB test server (pip secantusdb) or SPARES_TEST_MONGODB_URI: run scripts/test"]
async fn an_unreachable_server_is_a_clear_error() {
    let port = free_port();
    let started = std::time::Instant::now();
    let err = MongoStore::connect(&format!(
        "mongodb://user:s3cret@127.0.0.1:{port}/?directConnection=true&serverSelectionTimeoutMS=1000"
    ))
    .await
    .expect_err("nothing listens there");
    assert!(matches!(err, StoreError::Unavailable(_)), "{err}");
    assert!(
        err.to_string().contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );
    assert!(
        !err.to_string().contains("s3cret"),
        "never show the password: {err}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    let bad = MongoStore::connect("mongodb://[::1")
        .await
        .expect_err("bad URL");
    assert!(bad.to_string().contains("invalid MongoDB URL"), "{bad}");
}

#[tokio::test]
#[ignore = "needs the MongoDB test server (pip secantusdb) or SPARES_TEST_MONGODB_URI: run scripts/test"]
async fn a_database_from_a_newer_schema_is_refused() {
    let uri = fresh_uri();
    MongoStore::connect(&uri).await.expect("create");
    let client = mongodb::Client::with_uri_str(&uri).await.expect("client");
    let db = client.default_database().expect("database in the URI");
    db.collection::<mongodb::bson::Document>("meta")
        .update_one(
            mongodb::bson::doc! { "_id": "schema" },
            mongodb::bson::doc! { "$set": { "version": 99_i64 } },
        )
        .await
        .expect("bump version");
    let err = MongoStore::connect(&uri).await.expect_err("newer schema");
    assert!(
        matches!(err, StoreError::NewerSchema { found: 99, .. }),
        "{err}"
    );
}

/// A schema-2 database (flags only under `sort`) gets the sort keys at
/// connect, so its orders are right in both directions.
#[tokio::test]
#[ignore = "needs the MongoDB test server (pip secantusdb) or SPARES_TEST_MONGODB_URI: run scripts/test"]
async fn schema_2_gains_the_sort_keys() {
    use mongodb::bson::doc;
    use spares_core::query::{Page, Query, Sort, SortKey};
    let uri = fresh_uri();
    let store = MongoStore::connect(&uri).await.expect("create");
    for reference in ["", "b", "A", ""] {
        let data = SpareInput {
            reference: reference.into(),
            description: "a part".into(),
            ..SpareInput::default()
        }
        .parse(None)
        .expect("valid");
        store
            .create_spare(data, &Change::new(Source::Api, "t"))
            .await
            .expect("create");
    }
    let client = mongodb::Client::with_uri_str(&uri).await.expect("client");
    let db = client.default_database().expect("database in the URI");
    db.collection::<mongodb::bson::Document>("spares")
        .update_many(
            doc! {},
            doc! { "$unset": { "sort.category": "", "sort.reference": "", "sort.unit": "",
            "sort.package": "", "sort.location": "", "sort.currency": "" } },
        )
        .await
        .expect("as schema 2 wrote it");
    db.collection::<mongodb::bson::Document>("meta")
        .update_one(
            doc! { "_id": "schema" },
            doc! { "$set": { "version": 2_i64 } },
        )
        .await
        .expect("version 2");
    let store = MongoStore::connect(&uri).await.expect("migrate");
    for descending in [false, true] {
        let page = Page::first(10).sorted(Sort {
            key: SortKey::Reference,
            descending,
        });
        let found = store
            .search(&Query::default(), &page)
            .await
            .expect("search");
        let references: Vec<&str> = found.spares.iter().map(|s| s.reference.as_str()).collect();
        let expected = if descending {
            ["b", "A", "", ""]
        } else {
            ["", "", "A", "b"]
        };
        assert_eq!(references, expected, "descending={descending}");
    }
}

#[tokio::test]
#[ignore = "needs the MongoDB test server (pip secantusdb) or SPARES_TEST_MONGODB_URI: run scripts/test"]
async fn hostile_search_text_is_matched_literally() {
    let store = MongoStore::connect(&fresh_uri()).await.expect("connect");
    for reference in ["A.B*C", "{\"$gt\": \"\"}", "$where", "(x)|y"] {
        let data = SpareInput {
            reference: reference.into(),
            ..SpareInput::default()
        }
        .parse(None)
        .expect("valid");
        store
            .create_spare(data, &Change::new(Source::Api, "t"))
            .await
            .expect("create");
    }
    for (term, expected) in [
        (".", 1),
        ("a.b*c", 1),
        ("$gt", 1),
        ("$where", 1),
        (")|y", 1),
        (".*", 0),
    ] {
        let q = spares_core::Query::default().with_term(term);
        let found = store
            .search(&q, &spares_core::query::Page::first(10))
            .await
            .expect("search");
        assert_eq!(found.total, expected, "{term:?}");
    }
}

/// A duplicate key (here: the id sequence lost, so a new spare gets an id
/// in use) is a conflict in the app's own words: the server's text, which
/// names indexes and keys, never reaches a caller.
#[tokio::test]
#[ignore = "needs the MongoDB test server (pip secantusdb) or SPARES_TEST_MONGODB_URI: run scripts/test"]
async fn a_duplicate_key_is_a_conflict_without_the_servers_words() {
    let uri = fresh_uri();
    let store = MongoStore::connect(&uri).await.expect("connect");
    let change = Change::new(Source::Api, "test");
    let data = SpareInput {
        category: "resistor".into(),
        value: "10k".into(),
        quantity: "5".into(),
        ..SpareInput::default()
    }
    .parse(None)
    .expect("spare");
    store
        .create_spare(data.clone(), &change)
        .await
        .expect("first");
    let client = mongodb::Client::with_uri_str(&uri).await.expect("client");
    let db = client
        .default_database()
        .unwrap_or_else(|| client.database("spares"));
    db.collection::<mongodb::bson::Document>("counters")
        .drop()
        .await
        .expect("drop the id sequence");
    match store.create_spare(data, &change).await {
        Err(StoreError::Conflict(message)) => {
            assert_eq!(message, "that already exists");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
}

/// Every order of the list, both directions, is an index on the server:
/// for each sort key the `spares` collection has an index whose key pattern
/// is exactly the sort document the queries send, and the winning plan of
/// a sorted find has no in-memory SORT stage (checked only when the
/// server's plans show sorts at all: a control sort that no index covers
/// must show one); each keyset step is read through an index.
#[tokio::test]
#[ignore = "needs the MongoDB test server (pip secantusdb) or SPARES_TEST_MONGODB_URI: run scripts/test"]
async fn every_order_of_the_list_is_an_index_and_no_plan_sorts() {
    use futures_util::TryStreamExt;
    use mongodb::bson::{Bson, Document, doc};
    use spares_core::query::{Sort, SortKey};

    let uri = fresh_uri();
    let store = MongoStore::connect(&uri).await.expect("connect");
    let change = Change::new(Source::Api, "plan");
    for (value, quantity) in [("10k", "5"), ("4k7", "0"), ("100", "7")] {
        let data = SpareInput {
            category: "resistor".into(),
            value: value.into(),
            quantity: quantity.into(),
            ..SpareInput::default()
        }
        .parse(None)
        .expect("valid");
        store.create_spare(data, &change).await.expect("create");
    }
    let client = mongodb::Client::with_uri_str(&uri).await.expect("client");
    let db = client.default_database().expect("a database in the URI");
    let pattern = |d: &Document| -> Vec<(String, i64)> {
        d.iter()
            .map(|(k, v)| {
                let n = match v {
                    Bson::Int32(n) => i64::from(*n),
                    Bson::Int64(n) => *n,
                    Bson::Double(f) => *f as i64,
                    _ => 0,
                };
                (k.clone(), n)
            })
            .collect()
    };
    let indexes: Vec<Vec<(String, i64)>> = db
        .collection::<Document>("spares")
        .list_indexes()
        .await
        .expect("list indexes")
        .try_collect::<Vec<_>>()
        .await
        .expect("indexes")
        .iter()
        .map(|i| pattern(&i.keys))
        .collect();
    let winning = |answer: mongodb::error::Result<Document>| -> Option<String> {
        answer
            .ok()?
            .get_document("queryPlanner")
            .and_then(|q| q.get_document("winningPlan"))
            .ok()
            .map(ToString::to_string)
    };
    let explain_where = |filter: Document, sort: Document| {
        let db = db.clone();
        async move {
            db.run_command(doc! {
                "explain": { "find": "spares", "filter": filter, "sort": sort, "limit": 50 },
                "verbosity": "queryPlanner",
            })
            .await
        }
    };
    let explain = |sort: Document| {
        let db = db.clone();
        async move {
            db.run_command(doc! {
                "explain": { "find": "spares", "filter": {}, "sort": sort, "limit": 50 },
                "verbosity": "queryPlanner",
            })
            .await
        }
    };
    let control = winning(explain(doc! { "notes": 1 }).await);
    let planner = control.as_deref().is_some_and(|p| p.contains("\"SORT\""));
    let mut planned = 0;
    for (key, descending) in SortKey::ALL
        .into_iter()
        .flat_map(|k| [(k, false), (k, true)])
    {
        let sort = spares_mongo::translate::sort(Sort { key, descending });
        assert!(
            indexes.contains(&pattern(&sort)),
            "no index for {key:?} descending={descending}: {sort} (indexes: {indexes:?})"
        );
        if planner && let Some(plan) = winning(explain(sort.clone()).await) {
            assert!(
                !plan.contains("\"SORT\""),
                "{key:?} descending={descending} sorts in memory: {plan}"
            );
            planned += 1;
        }
        // Each step of a keyset page (the rows after a document) is read
        // through an index, never a collection scan. (The test server's
        // planner puts a SORT stage over a range of the order's index,
        // where MongoDB's own planner knows the index gives the order; that
        // part is only checkable against a real server.)
        let sort_of = Sort { key, descending };
        let columns = sort_of.columns();
        let at_doc = db
            .collection::<Document>("spares")
            .find_one(doc! {})
            .await
            .expect("read")
            .expect("a spare");
        let at: Vec<Option<Bson>> = columns
            .iter()
            .map(|(c, _)| {
                spares_mongo::translate::value_at(&at_doc, spares_mongo::translate::column_path(*c))
            })
            .collect();
        for step in spares_core::query::seek_steps(&columns, &at, true) {
            let filter = spares_mongo::translate::step_filter(&step);
            if planner
                && let Some(plan) = winning(explain_where(filter.clone(), sort.clone()).await)
            {
                assert!(
                    !plan.contains("COLLSCAN") && plan.contains("IXSCAN"),
                    "{key:?} descending={descending} seek step {filter} does not use an index: {plan}"
                );
                planned += 1;
            }
        }
    }
    println!(
        "{} orders have their index; {planned} winning plans checked (control: {control:?})",
        SortKey::ALL.len() * 2
    );
}
