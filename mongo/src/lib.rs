//! The MongoDB backend (also Amazon DocumentDB and Atlas through
//! `mongodb+srv://`), through the official driver.
//!
//! Collections: `spares`, `locations` (`_id` = code), `shops` (`_id` =
//! lower-case name), `movements`, `projects`, `project_names` (`_id` = a
//! name's key), `builds`, `counters` (id sequences) and `meta` (schema
//! version). Indexes are created idempotently at connect.
//!
//! Stock changes never read-modify-write: an adjustment is one
//! `find_one_and_update` with `$inc` guarded by `quantity >= -delta`, which
//! also bumps the spare's `movement_seq`, so each spare's history is a
//! consistent chain. Edits that set a quantity are guarded by the quantity
//! they read (optimistic concurrency, retried).
//!
//! Where the deployment supports transactions (replica set, sharded
//! cluster, Atlas), the movement is written in the same transaction as the
//! stock change. On a standalone server (no transactions) the order is
//! first the guarded stock update, then the movement insert: a crash
//! between the two can lose a movement record, never a stock change. An
//! import without transactions tags its rows with an `import_batch` and
//! deletes them if a later row fails.

// Defined before the modules so that they can use it.
/// Runs a write action inside the session's transaction when there is one.
macro_rules! run {
    ($action:expr, $session:expr) => {
        match $session.as_mut() {
            Some(s) => $action.session(&mut *s).await,
            None => $action.await,
        }
    };
}

mod docs;
mod places;
mod projects;
mod refs;
mod sessions;
mod spares;
mod stock;
mod transactions;
mod transfer;
pub mod translate;

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use futures_util::TryStreamExt;
use mongodb::bson::{Bson, Document, doc};
use mongodb::error::{ErrorKind, TRANSIENT_TRANSACTION_ERROR, WriteFailure};
use mongodb::options::{ClientOptions, ReturnDocument};
use mongodb::{Client, ClientSession, Collection, Database, IndexModel};

use spares_core::location::{Location, LocationCode};
use spares_core::movement::{Change, Movement};
use spares_core::project::{Build, BuildId, BuildTake, Project, ProjectData, ProjectId};
use spares_core::quantity::{MAX_QUANTITY, Quantity};
use spares_core::query::{Found, Page, Query, ValueStock};
use spares_core::session::SessionRecord;
use spares_core::shop::{Shop, ShopName};
use spares_core::spare::{ParamName, Spare, SpareData, SpareId};
use spares_core::store::{LocationSummary, Progress, Snapshot, Store, StoreError};
use spares_core::summary::{Summary, Totals};

use docs::{int, micros};

/// The newest schema this build knows.
pub const SCHEMA_VERSION: i64 = 3;

/// How many times an operation that hit a transient conflict is retried.
const RETRIES: usize = 40;

/// Whether to use transactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transactions {
    /// Use them when the deployment supports them (replica set, mongos).
    Auto,
    /// Never: the documented non-transactional order (tests use this to
    /// cover standalone servers).
    Off,
}

/// A handle on one MongoDB database.
#[derive(Clone)]
pub struct MongoStore {
    client: Client,
    db: Database,
    transactions: bool,
}

impl std::fmt::Debug for MongoStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MongoStore")
            .field("database", &self.db.name())
            .field("transactions", &self.transactions)
            .finish()
    }
}

/// Why an operation failed: a transient transaction conflict (retried) or
/// a final error.
enum Fail {
    Transient,
    Store(StoreError),
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Self {
        Fail::Store(e)
    }
}

fn is_duplicate(e: &mongodb::error::Error) -> bool {
    matches!(&*e.kind, ErrorKind::Write(WriteFailure::WriteError(w)) if w.code == 11000)
        || e.to_string().contains("E11000")
}

fn store_err(e: mongodb::error::Error) -> StoreError {
    if is_duplicate(&e) {
        // The server's text names indexes and keys: logged, never shown.
        tracing::debug!(error = %e, "duplicate key");
        return StoreError::Conflict("that already exists".into());
    }
    match &*e.kind {
        ErrorKind::ServerSelection { .. }
        | ErrorKind::Io(_)
        | ErrorKind::ConnectionPoolCleared { .. } => {
            StoreError::Unavailable(format!("MongoDB is unreachable: {e}"))
        }
        _ => StoreError::backend(e),
    }
}

fn fail(e: mongodb::error::Error) -> Fail {
    if e.contains_label(TRANSIENT_TRANSACTION_ERROR) {
        Fail::Transient
    } else {
        Fail::Store(store_err(e))
    }
}

/// Runs `op` again while it fails transiently.
async fn retrying<T, F, Fut>(mut op: F) -> Result<T, StoreError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Fail>>,
{
    for attempt in 0..RETRIES {
        match op().await {
            Ok(v) => return Ok(v),
            Err(Fail::Store(e)) => return Err(e),
            Err(Fail::Transient) => {
                // Exponential backoff (1 ms to 64 ms) with jitter, so that
                // conflicting writers do not retry in lockstep.
                let base = 1u64 << attempt.min(6);
                let jitter = u64::from(
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.subsec_nanos()),
                ) % (base + 1);
                tokio::time::sleep(Duration::from_millis(base + jitter)).await;
            }
        }
    }
    Err(StoreError::backend(format!(
        "gave up after {RETRIES} transaction conflicts"
    )))
}

fn not_found(id: SpareId) -> StoreError {
    StoreError::NotFound {
        what: "spare",
        key: format!("#{id}"),
    }
}

/// The hosts of a URL, for messages (never the credentials).
fn hosts(opts: &ClientOptions) -> String {
    opts.hosts
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

impl MongoStore {
    /// Connects (transactions when available), checks the schema version
    /// and creates indexes.
    pub async fn connect(url: &str) -> Result<MongoStore, StoreError> {
        MongoStore::connect_with(url, Transactions::Auto).await
    }

    pub async fn connect_with(url: &str, mode: Transactions) -> Result<MongoStore, StoreError> {
        let mut opts = ClientOptions::parse(url)
            .await
            .map_err(|e| StoreError::Unavailable(format!("invalid MongoDB URL: {}", e.kind)))?;
        opts.app_name.get_or_insert_with(|| "spares".to_owned());
        opts.server_selection_timeout
            .get_or_insert(Duration::from_secs(5));
        opts.connect_timeout.get_or_insert(Duration::from_secs(5));
        let where_ = hosts(&opts);
        let db_name = opts
            .default_database
            .clone()
            .unwrap_or_else(|| "spares".to_owned());
        let client = Client::with_options(opts).map_err(store_err)?;
        let db = client.database(&db_name);
        db.run_command(doc! { "ping": 1 }).await.map_err(|e| {
            StoreError::Unavailable(format!("cannot reach MongoDB at {where_}: {}", e.kind))
        })?;
        let hello = client
            .database("admin")
            .run_command(doc! { "hello": 1 })
            .await
            .map_err(store_err)?;
        let supports =
            hello.get_str("setName").is_ok() || hello.get_str("msg").is_ok_and(|m| m == "isdbgrid");
        let store = MongoStore {
            client,
            db,
            transactions: supports && mode == Transactions::Auto,
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Whether writes use transactions.
    pub fn uses_transactions(&self) -> bool {
        self.transactions
    }

    fn spares(&self) -> Collection<Document> {
        self.db.collection("spares")
    }

    fn movements(&self) -> Collection<Document> {
        self.db.collection("movements")
    }

    fn locations(&self) -> Collection<Document> {
        self.db.collection("locations")
    }

    fn shops(&self) -> Collection<Document> {
        self.db.collection("shops")
    }

    fn sessions(&self) -> Collection<Document> {
        self.db.collection("sessions")
    }

    /// Schema 2: each spare's `added` (pieces ever added, for the money
    /// spent per shop), from its positive movements. Idempotent.
    async fn fill_added(&self) -> Result<(), StoreError> {
        let sums: Vec<Document> = self
            .movements()
            .aggregate(vec![
                doc! { "$match": { "delta": { "$gt": 0 } } },
                doc! { "$group": { "_id": "$spare", "a": { "$sum": "$delta" } } },
            ])
            .await
            .map_err(store_err)?
            .try_collect()
            .await
            .map_err(store_err)?;
        for row in sums {
            let id = int(&row, "_id")?;
            let added = int(&row, "a")?;
            self.spares()
                .update_one(doc! { "_id": id }, doc! { "$set": { "added": added } })
                .await
                .map_err(store_err)?;
        }
        Ok(())
    }

    /// Schema 3: each spare's sort keys ([`docs::sort_fields`]), made
    /// again from what it holds. Idempotent.
    async fn fill_sort_keys(&self) -> Result<(), StoreError> {
        let mut cursor = self.spares().find(doc! {}).await.map_err(store_err)?;
        while let Some(d) = cursor.try_next().await.map_err(store_err)? {
            let spare = docs::spare_from_doc(&d)?;
            self.spares()
                .update_one(
                    doc! { "_id": spare.id.0 },
                    doc! { "$set": { "sort": docs::sort_fields(&spare.data) } },
                )
                .await
                .map_err(store_err)?;
        }
        Ok(())
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let meta: Collection<Document> = self.db.collection("meta");
        let found = meta
            .find_one(doc! { "_id": "schema" })
            .await
            .map_err(store_err)?
            .map(|d| int(&d, "version"))
            .transpose()?
            .unwrap_or(0);
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: format!("MongoDB database {}", self.db.name()),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        let indexes = [
            doc! { "category": 1, "value.unit": 1, "value.si": 1 },
            doc! { "location": 1 },
            doc! { "tags": 1 },
            doc! { "package.key": 1 },
            doc! { "params.name": 1, "params.si": 1 },
        ];
        for keys in indexes.into_iter().chain(translate::sort_indexes()) {
            self.spares()
                .create_index(IndexModel::builder().keys(keys).build())
                .await
                .map_err(store_err)?;
        }
        self.movements()
            .create_index(
                IndexModel::builder()
                    .keys(doc! { "spare": 1, "seq": -1 })
                    .build(),
            )
            .await
            .map_err(store_err)?;
        self.db
            .collection::<Document>("builds")
            .create_index(
                IndexModel::builder()
                    .keys(doc! { "project": 1, "_id": -1 })
                    .build(),
            )
            .await
            .map_err(store_err)?;
        self.sessions()
            .create_index(IndexModel::builder().keys(doc! { "expires_at": 1 }).build())
            .await
            .map_err(store_err)?;
        if found < 2 {
            self.fill_added().await?;
        }
        if found < 3 {
            self.fill_sort_keys().await?;
        }
        meta.update_one(
            doc! { "_id": "schema" },
            doc! { "$max": { "version": SCHEMA_VERSION } },
        )
        .upsert(true)
        .await
        .map_err(store_err)?;
        Ok(())
    }

    /// Reserves `n` ids of a sequence; returns the first.
    async fn reserve_ids(&self, name: &str, n: i64) -> Result<i64, StoreError> {
        let counters: Collection<Document> = self.db.collection("counters");
        // Two first uses at once both try to create the counter: the one
        // that loses (a duplicate key, or nothing returned) tries again
        // and finds it.
        for _ in 0..3 {
            let after = counters
                .find_one_and_update(doc! { "_id": name }, doc! { "$inc": { "seq": n } })
                .upsert(true)
                .return_document(ReturnDocument::After)
                .await;
            match after {
                Ok(Some(after)) => return Ok(int(&after, "seq")? - n + 1),
                Ok(None) => {}
                Err(e) if is_duplicate(&e) => {}
                Err(e) => return Err(store_err(e)),
            }
        }
        Err(StoreError::backend("counter update returned nothing"))
    }

    async fn find_all(
        &self,
        coll: &Collection<Document>,
        filter: Document,
        sort: Document,
    ) -> Result<Vec<Document>, StoreError> {
        coll.find(filter)
            .sort(sort)
            .await
            .map_err(store_err)?
            .try_collect()
            .await
            .map_err(store_err)
    }

    /// The first `limit` documents of `coll` matching `filter`, sorted.
    async fn find_first(
        &self,
        coll: &Collection<Document>,
        filter: Document,
        sort: Document,
        limit: usize,
    ) -> Result<Vec<Document>, StoreError> {
        coll.find(filter)
            .sort(sort)
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .await
            .map_err(store_err)?
            .try_collect()
            .await
            .map_err(store_err)
    }

    /// Every document of `coll`, sorted, read in `session`'s transaction.
    async fn find_all_in(
        coll: &Collection<Document>,
        sort: Document,
        session: &mut ClientSession,
    ) -> Result<Vec<Document>, Fail> {
        let mut cursor = coll
            .find(doc! {})
            .sort(sort)
            .session(&mut *session)
            .await
            .map_err(fail)?;
        cursor.stream(session).try_collect().await.map_err(fail)
    }
}

#[async_trait]
impl Store for MongoStore {
    fn backend(&self) -> &'static str {
        "mongodb"
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.db
            .run_command(doc! { "ping": 1 })
            .await
            .map_err(store_err)?;
        Ok(())
    }

    async fn create_spare(&self, data: SpareData, change: &Change) -> Result<Spare, StoreError> {
        MongoStore::create_spare(self, data, change).await
    }

    async fn get_spare(&self, id: SpareId) -> Result<Spare, StoreError> {
        MongoStore::get_spare(self, id).await
    }

    async fn update_spare(
        &self,
        id: SpareId,
        data: SpareData,
        change: &Change,
    ) -> Result<Spare, StoreError> {
        MongoStore::update_spare(self, id, data, change).await
    }

    async fn delete_spare(&self, id: SpareId) -> Result<(), StoreError> {
        MongoStore::delete_spare(self, id).await
    }

    async fn search(&self, query: &Query, page: &Page) -> Result<Found, StoreError> {
        MongoStore::search(self, query, page).await
    }

    async fn value_stock(&self, query: &Query) -> Result<Vec<ValueStock>, StoreError> {
        MongoStore::value_stock(self, query).await
    }

    async fn search_texts(&self, query: &Query) -> Result<Vec<(SpareId, String)>, StoreError> {
        MongoStore::search_texts(self, query).await
    }

    async fn count_spares(&self) -> Result<u64, StoreError> {
        MongoStore::count_spares(self).await
    }

    async fn adjust(
        &self,
        id: SpareId,
        delta: i64,
        change: &Change,
    ) -> Result<Movement, StoreError> {
        MongoStore::adjust(self, id, delta, change).await
    }

    async fn set_quantity(
        &self,
        id: SpareId,
        quantity: Quantity,
        change: &Change,
    ) -> Result<Option<Movement>, StoreError> {
        MongoStore::set_quantity(self, id, quantity, change).await
    }

    async fn history(&self, id: SpareId, limit: usize) -> Result<Vec<Movement>, StoreError> {
        MongoStore::history(self, id, limit).await
    }

    async fn recent_movements(&self, limit: usize) -> Result<Vec<Movement>, StoreError> {
        MongoStore::recent_movements(self, limit).await
    }

    async fn save_location(&self, location: Location) -> Result<Location, StoreError> {
        MongoStore::save_location(self, location).await
    }

    async fn get_location(&self, code: &LocationCode) -> Result<Location, StoreError> {
        MongoStore::get_location(self, code).await
    }

    async fn locations(&self) -> Result<Vec<Location>, StoreError> {
        self.all_locations().await
    }

    async fn list_locations(&self) -> Result<Vec<LocationSummary>, StoreError> {
        MongoStore::list_locations(self).await
    }

    async fn delete_location(&self, code: &LocationCode) -> Result<(), StoreError> {
        MongoStore::delete_location(self, code).await
    }

    async fn save_shop(&self, shop: Shop) -> Result<Shop, StoreError> {
        MongoStore::save_shop(self, shop).await
    }

    async fn get_shop(&self, name: &ShopName) -> Result<Shop, StoreError> {
        MongoStore::get_shop(self, name).await
    }

    async fn list_shops(&self) -> Result<Vec<Shop>, StoreError> {
        MongoStore::list_shops(self).await
    }

    async fn delete_shop(&self, name: &ShopName) -> Result<(), StoreError> {
        MongoStore::delete_shop(self, name).await
    }

    async fn import(
        &self,
        spares: Vec<SpareData>,
        change: &Change,
        progress: Option<Progress>,
    ) -> Result<u64, StoreError> {
        MongoStore::import(self, spares, change, progress).await
    }

    async fn all_movements(&self) -> Result<Vec<Movement>, StoreError> {
        MongoStore::all_movements(self).await
    }

    async fn restore(
        &self,
        snapshot: Snapshot,
        movements: Vec<Movement>,
    ) -> Result<(), StoreError> {
        MongoStore::restore(self, snapshot, movements).await
    }

    async fn summary(&self) -> Result<Summary, StoreError> {
        MongoStore::summary(self).await
    }

    async fn export(&self) -> Result<Snapshot, StoreError> {
        MongoStore::export(self).await
    }

    async fn spares_after(
        &self,
        after: Option<SpareId>,
        limit: usize,
    ) -> Result<Vec<Spare>, StoreError> {
        MongoStore::spares_after(self, after, limit).await
    }

    async fn parameter_names(&self) -> Result<Vec<ParamName>, StoreError> {
        MongoStore::parameter_names(self).await
    }

    async fn consistent_copy(&self) -> Result<(Snapshot, Vec<Movement>), StoreError> {
        MongoStore::consistent_copy(self).await
    }

    async fn create_project(&self, data: ProjectData) -> Result<Project, StoreError> {
        MongoStore::create_project(self, data).await
    }

    async fn get_project(&self, id: ProjectId) -> Result<Project, StoreError> {
        MongoStore::get_project(self, id).await
    }

    async fn list_projects(&self) -> Result<Vec<Project>, StoreError> {
        MongoStore::list_projects(self).await
    }

    async fn update_project(
        &self,
        id: ProjectId,
        data: ProjectData,
    ) -> Result<Project, StoreError> {
        MongoStore::update_project(self, id, data).await
    }

    async fn delete_project(&self, id: ProjectId) -> Result<(), StoreError> {
        MongoStore::delete_project(self, id).await
    }

    async fn build(
        &self,
        project: ProjectId,
        boards: u32,
        takes: &[BuildTake],
        change: &Change,
    ) -> Result<Build, StoreError> {
        MongoStore::build(self, project, boards, takes, change).await
    }

    async fn undo_build(&self, id: BuildId, change: &Change) -> Result<Build, StoreError> {
        MongoStore::undo_build(self, id, change).await
    }

    async fn builds(&self, project: ProjectId) -> Result<Vec<Build>, StoreError> {
        self.builds_of(project).await
    }

    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        sessions::create(self.sessions(), session).await
    }

    async fn get_session(&self, id: &str) -> Result<Option<SessionRecord>, StoreError> {
        sessions::get(self.sessions(), id).await
    }

    async fn touch_session(&self, id: &str, last_seen: i64) -> Result<(), StoreError> {
        sessions::touch(self.sessions(), id, last_seen).await
    }

    async fn end_session(&self, id: &str) -> Result<(), StoreError> {
        sessions::end(self.sessions(), id).await
    }

    async fn end_all_sessions(&self) -> Result<u64, StoreError> {
        sessions::end_all(self.sessions()).await
    }
}
