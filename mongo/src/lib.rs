//! The MongoDB backend (also Amazon DocumentDB and Atlas through
//! `mongodb+srv://`), through the official driver.
//!
//! Collections: `spares`, `locations` (`_id` = code), `shops` (`_id` =
//! lower-case name), `movements`, `counters` (id sequences) and `meta`
//! (schema version). Indexes are created idempotently at connect.
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

mod docs;
mod sessions;
pub mod translate;

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
use spares_core::quantity::{MAX_QUANTITY, Quantity};
use spares_core::query::{Found, Page, Query, ValueStock};
use spares_core::session::SessionRecord;
use spares_core::shop::{Shop, ShopName};
use spares_core::spare::{Spare, SpareData, SpareId};
use spares_core::store::{LocationSummary, Progress, Snapshot, Store, StoreError};

use docs::{int, micros};

/// The newest schema this build knows.
pub const SCHEMA_VERSION: i64 = 1;

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

/// Runs a write action inside the session's transaction when there is one.
macro_rules! run {
    ($action:expr, $session:expr) => {
        match $session.as_mut() {
            Some(s) => $action.session(&mut *s).await,
            None => $action.await,
        }
    };
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
            doc! { "reference_key": 1 },
            doc! { "tags": 1 },
            doc! { "package.key": 1 },
            doc! { "params.name": 1, "params.si": 1 },
        ];
        for keys in indexes {
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
        self.sessions()
            .create_index(IndexModel::builder().keys(doc! { "expires_at": 1 }).build())
            .await
            .map_err(store_err)?;
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
        let after = counters
            .find_one_and_update(doc! { "_id": name }, doc! { "$inc": { "seq": n } })
            .upsert(true)
            .return_document(ReturnDocument::After)
            .await
            .map_err(store_err)?
            .ok_or_else(|| StoreError::backend("counter update returned nothing"))?;
        Ok(int(&after, "seq")? - n + 1)
    }

    async fn begin(&self) -> Result<Option<ClientSession>, Fail> {
        if !self.transactions {
            return Ok(None);
        }
        let mut session = self.client.start_session().await.map_err(fail)?;
        session.start_transaction().await.map_err(fail)?;
        Ok(Some(session))
    }

    async fn commit(session: Option<ClientSession>) -> Result<(), Fail> {
        if let Some(mut s) = session {
            s.commit_transaction().await.map_err(fail)?;
        }
        Ok(())
    }

    /// Creates the spare's location and shop if new; returns the shop's
    /// canonical name.
    async fn ensure_refs(
        &self,
        data: &SpareData,
        session: &mut Option<ClientSession>,
    ) -> Result<Option<String>, Fail> {
        if let Some(code) = &data.location {
            run!(
                self.locations()
                    .update_one(
                        doc! { "_id": code.as_str() },
                        doc! { "$setOnInsert": { "name": "", "description": "" } },
                    )
                    .upsert(true),
                session
            )
            .map_err(fail)?;
        }
        match &data.shop {
            Some(name) => {
                let shop = run!(
                    self.shops()
                        .find_one_and_update(
                            doc! { "_id": name.key() },
                            doc! { "$setOnInsert": { "name": name.as_str(), "website": Bson::Null } },
                        )
                        .upsert(true)
                        .return_document(ReturnDocument::After),
                    session
                )
                .map_err(fail)?;
                Ok(shop.and_then(|d| d.get_str("name").ok().map(str::to_owned)))
            }
            None => Ok(None),
        }
    }

    /// Deletes document `id` of `coll` unless spares matching `used_by`
    /// still refer to it.
    async fn delete_unused(
        &self,
        coll: Collection<Document>,
        id: &str,
        used_by: Document,
        missing: StoreError,
        in_use: impl Fn(u64) -> String,
    ) -> Result<(), StoreError> {
        let used = self
            .spares()
            .count_documents(used_by)
            .await
            .map_err(store_err)?;
        if used > 0 {
            return Err(StoreError::Conflict(in_use(used)));
        }
        let deleted = coll
            .delete_one(doc! { "_id": id })
            .await
            .map_err(store_err)?;
        if deleted.deleted_count == 0 {
            return Err(missing);
        }
        Ok(())
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

    /// Everything, read in one snapshot transaction.
    async fn copy_in_snapshot(&self) -> Result<(Snapshot, Vec<Movement>), Fail> {
        let mut session = self.client.start_session().await.map_err(fail)?;
        session
            .start_transaction()
            .read_concern(mongodb::options::ReadConcern::snapshot())
            .await
            .map_err(fail)?;
        let s = &mut session;
        let spares = Self::find_all_in(&self.spares(), doc! { "_id": 1 }, s).await?;
        let locations = Self::find_all_in(&self.locations(), doc! { "_id": 1 }, s).await?;
        let shops = Self::find_all_in(&self.shops(), doc! { "_id": 1 }, s).await?;
        let movements =
            Self::find_all_in(&self.movements(), doc! { "spare": 1, "seq": 1 }, s).await?;
        session.commit_transaction().await.map_err(fail)?;
        let snapshot = Snapshot {
            spares: spares
                .iter()
                .map(docs::spare_from_doc)
                .collect::<Result<_, _>>()?,
            locations: locations
                .iter()
                .map(docs::location_from_doc)
                .collect::<Result<_, _>>()?,
            shops: shops
                .iter()
                .map(docs::shop_from_doc)
                .collect::<Result<_, _>>()?,
        };
        let movements = movements
            .iter()
            .map(docs::movement_from_doc)
            .collect::<Result<_, _>>()?;
        Ok((snapshot, movements))
    }

    async fn get(&self, id: SpareId) -> Result<Spare, StoreError> {
        let d = self
            .spares()
            .find_one(doc! { "_id": id.0 })
            .await
            .map_err(store_err)?
            .ok_or_else(|| not_found(id))?;
        docs::spare_from_doc(&d)
    }

    async fn create_once(
        &self,
        id: i64,
        movement_id: i64,
        data: &SpareData,
        change: &Change,
    ) -> Result<Spare, Fail> {
        let mut session = self.begin().await?;
        let shop_name = self.ensure_refs(data, &mut session).await?;
        let now = Utc::now();
        let stocked = data.quantity.get() > 0;
        let mut d = docs::spare_fields(data, shop_name.as_deref(), micros(now));
        d.insert("_id", id);
        d.insert("created_at", micros(now));
        d.insert("movement_seq", i64::from(stocked));
        run!(self.spares().insert_one(&d), session).map_err(fail)?;
        if stocked {
            let m = Movement {
                id: movement_id,
                spare: SpareId(id),
                delta: data.quantity.get(),
                quantity_after: data.quantity,
                reason: change.reason.clone().or_else(|| Some("created".into())),
                source: change.source,
                actor: change.actor.clone(),
                at: now,
            };
            run!(
                self.movements().insert_one(docs::movement_doc(&m, 1)),
                session
            )
            .map_err(fail)?;
        }
        Self::commit(session).await?;
        Ok(docs::spare_from_doc(&d)?)
    }

    /// Applies `update` to the spare if its quantity is still `before`;
    /// records `delta` (if any) as a movement. `None` when the quantity
    /// changed meanwhile (the caller reads again and retries).
    async fn update_guarded(
        &self,
        id: SpareId,
        before: Quantity,
        mut set: Document,
        after: Quantity,
        change: &Change,
        default_reason: &str,
    ) -> Result<Option<(Document, Option<Movement>)>, Fail> {
        let delta = after.get() - before.get();
        let movement_id = if delta != 0 {
            self.reserve_ids("movements", 1).await?
        } else {
            0
        };
        let mut session = self.begin().await?;
        set.insert("quantity", after.get());
        let update = doc! { "$set": set, "$inc": { "movement_seq": i64::from(delta != 0) } };
        let updated = run!(
            self.spares()
                .find_one_and_update(doc! { "_id": id.0, "quantity": before.get() }, update)
                .return_document(ReturnDocument::After),
            session
        )
        .map_err(fail)?;
        let Some(updated) = updated else {
            return Ok(None);
        };
        let movement = if delta != 0 {
            let m = Movement {
                id: movement_id,
                spare: id,
                delta,
                quantity_after: after,
                reason: change
                    .reason
                    .clone()
                    .or_else(|| Some(default_reason.to_owned())),
                source: change.source,
                actor: change.actor.clone(),
                at: Utc::now(),
            };
            let seq = int(&updated, "movement_seq")?;
            run!(
                self.movements().insert_one(docs::movement_doc(&m, seq)),
                session
            )
            .map_err(fail)?;
            Some(m)
        } else {
            None
        };
        Self::commit(session).await?;
        Ok(Some((updated, movement)))
    }

    async fn adjust_once(
        &self,
        id: SpareId,
        delta: i64,
        change: &Change,
    ) -> Result<Movement, Fail> {
        let movement_id = self.reserve_ids("movements", 1).await?;
        let mut session = self.begin().await?;
        let guard = if delta < 0 {
            doc! { "_id": id.0, "quantity": { "$gte": -delta } }
        } else {
            doc! { "_id": id.0, "quantity": { "$lte": MAX_QUANTITY - delta } }
        };
        let update = doc! {
            "$inc": { "quantity": delta, "movement_seq": 1_i64 },
            "$set": { "updated_at": micros(Utc::now()) },
        };
        let updated = run!(
            self.spares()
                .find_one_and_update(guard, update)
                .return_document(ReturnDocument::After),
            session
        )
        .map_err(fail)?;
        let Some(updated) = updated else {
            drop(session);
            let current = self.get(id).await?.quantity;
            // The guard saw too little; if stock has arrived since, try again
            // rather than refuse while parts are there.
            if current.checked_add(delta).is_some() {
                return Err(Fail::Transient);
            }
            return Err(Fail::Store(if delta < 0 {
                StoreError::InsufficientStock {
                    spare: id,
                    available: current,
                    requested: -delta,
                }
            } else {
                StoreError::Invalid(format!("a quantity cannot exceed {MAX_QUANTITY}"))
            }));
        };
        let m = Movement {
            id: movement_id,
            spare: id,
            delta,
            quantity_after: Quantity::new(int(&updated, "quantity")?).map_err(docs::corrupt)?,
            reason: change.reason.clone(),
            source: change.source,
            actor: change.actor.clone(),
            at: Utc::now(),
        };
        let seq = int(&updated, "movement_seq")?;
        run!(
            self.movements().insert_one(docs::movement_doc(&m, seq)),
            session
        )
        .map_err(fail)?;
        Self::commit(session).await?;
        Ok(m)
    }

    async fn restore_once(&self, snapshot: &Snapshot, movements: &[Movement]) -> Result<(), Fail> {
        for coll in [self.spares(), self.locations(), self.shops()] {
            if coll.count_documents(doc! {}).await.map_err(fail)? > 0 {
                return Err(Fail::Store(StoreError::Conflict(
                    "the target database is not empty".into(),
                )));
            }
        }
        let mut session = self.begin().await?;
        if !snapshot.locations.is_empty() {
            let docs: Vec<Document> = snapshot
                .locations
                .iter()
                .map(|l| doc! { "_id": l.code.as_str(), "name": l.name.as_str(), "description": l.description.as_str() })
                .collect();
            run!(self.locations().insert_many(docs), session).map_err(fail)?;
        }
        if !snapshot.shops.is_empty() {
            let docs: Vec<Document> = snapshot
                .shops
                .iter()
                .map(|shop| {
                    let website = shop
                        .website
                        .as_ref()
                        .map_or(Bson::Null, |w| Bson::String(w.to_string()));
                    doc! { "_id": shop.name.key(), "name": shop.name.as_str(), "website": website }
                })
                .collect();
            run!(self.shops().insert_many(docs), session).map_err(fail)?;
        }
        let mut seqs: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
        let mut movement_docs = Vec::with_capacity(movements.len());
        for m in movements {
            let seq = seqs.entry(m.spare.0).or_insert(0);
            *seq += 1;
            movement_docs.push(docs::movement_doc(m, *seq));
        }
        for chunk in snapshot.spares.chunks(1000) {
            let mut spare_docs = Vec::with_capacity(chunk.len());
            for spare in chunk {
                let shop_name = self.ensure_refs(&spare.data, &mut session).await?;
                let mut d =
                    docs::spare_fields(&spare.data, shop_name.as_deref(), micros(spare.updated_at));
                d.insert("_id", spare.id.0);
                d.insert("created_at", micros(spare.created_at));
                d.insert("movement_seq", seqs.get(&spare.id.0).copied().unwrap_or(0));
                spare_docs.push(d);
            }
            run!(self.spares().insert_many(spare_docs), session).map_err(fail)?;
        }
        for chunk in movement_docs.chunks(1000) {
            run!(self.movements().insert_many(chunk.to_vec()), session).map_err(fail)?;
        }
        Self::commit(session).await?;
        // Ids continue after the restored ones.
        let counters: Collection<Document> = self.db.collection("counters");
        let max_spare = snapshot.spares.iter().map(|s| s.id.0).max().unwrap_or(0);
        let max_movement = movements.iter().map(|m| m.id).max().unwrap_or(0);
        for (name, max) in [("spares", max_spare), ("movements", max_movement)] {
            counters
                .update_one(doc! { "_id": name }, doc! { "$max": { "seq": max } })
                .upsert(true)
                .await
                .map_err(fail)?;
        }
        Ok(())
    }

    async fn import_once(
        &self,
        spares: &[SpareData],
        change: &Change,
        progress: &Option<Progress>,
    ) -> Result<u64, Fail> {
        let n = spares.len() as i64;
        if n == 0 {
            return Ok(0);
        }
        let first_id = self.reserve_ids("spares", n).await?;
        let stocked = spares.iter().filter(|s| s.quantity.get() > 0).count() as i64;
        let first_movement = if stocked > 0 {
            self.reserve_ids("movements", stocked).await?
        } else {
            0
        };
        let batch = first_id;
        let mut session = self.begin().await?;
        let now = Utc::now();
        let mut next_movement = first_movement;
        let mut done = 0u64;
        let result: Result<(), Fail> = async {
            for chunk in spares.chunks(1000) {
                let mut spare_docs = Vec::with_capacity(chunk.len());
                let mut movement_docs = Vec::new();
                for data in chunk {
                    let id = first_id + done as i64 + spare_docs.len() as i64;
                    let shop_name = self.ensure_refs(data, &mut session).await?;
                    let stocked = data.quantity.get() > 0;
                    let mut d = docs::spare_fields(data, shop_name.as_deref(), micros(now));
                    d.insert("_id", id);
                    d.insert("created_at", micros(now));
                    d.insert("movement_seq", i64::from(stocked));
                    if session.is_none() {
                        d.insert("import_batch", batch);
                    }
                    spare_docs.push(d);
                    if stocked {
                        let m = Movement {
                            id: next_movement,
                            spare: SpareId(id),
                            delta: data.quantity.get(),
                            quantity_after: data.quantity,
                            reason: change.reason.clone().or_else(|| Some("imported".into())),
                            source: change.source,
                            actor: change.actor.clone(),
                            at: now,
                        };
                        next_movement += 1;
                        movement_docs.push(docs::movement_doc(&m, 1));
                    }
                }
                done += spare_docs.len() as u64;
                run!(self.spares().insert_many(spare_docs), session).map_err(fail)?;
                if !movement_docs.is_empty() {
                    run!(self.movements().insert_many(movement_docs), session).map_err(fail)?;
                }
                if let Some(p) = progress {
                    p(done);
                }
            }
            Ok(())
        }
        .await;
        match result {
            Ok(()) => {
                Self::commit(session).await?;
                if !self.transactions {
                    self.spares()
                        .update_many(
                            doc! { "import_batch": batch },
                            doc! { "$unset": { "import_batch": "" } },
                        )
                        .await
                        .map_err(fail)?;
                }
                Ok(done)
            }
            Err(e) => {
                if session.is_none() {
                    // No transaction: undo what this import wrote.
                    let ids: Vec<i64> = (first_id..first_id + n).collect();
                    let _ = self
                        .movements()
                        .delete_many(doc! { "spare": { "$in": &ids } })
                        .await;
                    let _ = self
                        .spares()
                        .delete_many(doc! { "import_batch": batch })
                        .await;
                }
                Err(e)
            }
        }
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
        let id = self.reserve_ids("spares", 1).await?;
        let movement_id = self.reserve_ids("movements", 1).await?;
        retrying(|| self.create_once(id, movement_id, &data, change)).await
    }

    async fn get_spare(&self, id: SpareId) -> Result<Spare, StoreError> {
        self.get(id).await
    }

    async fn update_spare(
        &self,
        id: SpareId,
        data: SpareData,
        change: &Change,
    ) -> Result<Spare, StoreError> {
        retrying(|| async {
            let before = self.get(id).await?.quantity;
            let mut none = None;
            let shop_name = self.ensure_refs(&data, &mut none).await?;
            let set = docs::spare_fields(&data, shop_name.as_deref(), micros(Utc::now()));
            match self
                .update_guarded(id, before, set, data.quantity, change, "edited")
                .await?
            {
                Some((d, _)) => Ok(docs::spare_from_doc(&d)?),
                None => Err(Fail::Transient),
            }
        })
        .await
    }

    async fn delete_spare(&self, id: SpareId) -> Result<(), StoreError> {
        let deleted = self
            .spares()
            .delete_one(doc! { "_id": id.0 })
            .await
            .map_err(store_err)?;
        if deleted.deleted_count == 0 {
            return Err(not_found(id));
        }
        self.movements()
            .delete_many(doc! { "spare": id.0 })
            .await
            .map_err(store_err)?;
        Ok(())
    }

    async fn search(&self, query: &Query, page: &Page) -> Result<Found, StoreError> {
        let filter = translate::filter(query);
        let total = self
            .spares()
            .count_documents(filter.clone())
            .await
            .map_err(store_err)?;
        if page.limit == 0 || page.offset as u64 >= total {
            return Ok(Found {
                spares: Vec::new(),
                total,
            });
        }
        let docs: Vec<Document> = self
            .spares()
            .find(filter)
            .sort(translate::sort(page.sort))
            .skip(page.offset as u64)
            .limit(i64::try_from(page.limit).unwrap_or(i64::MAX))
            .await
            .map_err(store_err)?
            .try_collect()
            .await
            .map_err(store_err)?;
        let spares = docs
            .iter()
            .map(docs::spare_from_doc)
            .collect::<Result<_, _>>()?;
        Ok(Found { spares, total })
    }

    async fn value_stock(&self, query: &Query) -> Result<Vec<ValueStock>, StoreError> {
        let filter =
            doc! { "$and": [translate::filter(query), { "value": { "$ne": Bson::Null } }] };
        let docs: Vec<Document> = self
            .spares()
            .find(filter)
            .projection(doc! { "_id": 1, "value": 1, "quantity": 1 })
            .await
            .map_err(store_err)?
            .try_collect()
            .await
            .map_err(store_err)?;
        docs.iter()
            .map(|d| {
                let v = d
                    .get_document("value")
                    .map_err(|e| docs::corrupt(format!("value: {e}")))?;
                let unit = v
                    .get_str("unit")
                    .map_err(docs::corrupt)?
                    .parse()
                    .map_err(docs::corrupt)?;
                let si = v.get_f64("si").map_err(docs::corrupt)?;
                let text = v.get_str("text").map_err(docs::corrupt)?;
                Ok(ValueStock {
                    id: SpareId(int(d, "_id")?),
                    value: spares_core::value::Value::from_stored(si, unit, text)
                        .map_err(docs::corrupt)?,
                    quantity: Quantity::new(int(d, "quantity")?).map_err(docs::corrupt)?,
                })
            })
            .collect()
    }

    async fn search_texts(&self, query: &Query) -> Result<Vec<(SpareId, String)>, StoreError> {
        let docs: Vec<Document> = self
            .spares()
            .find(translate::filter(query))
            .projection(doc! { "_id": 1, "search_text": 1 })
            .await
            .map_err(store_err)?
            .try_collect()
            .await
            .map_err(store_err)?;
        docs.iter()
            .map(|d| {
                Ok((
                    SpareId(int(d, "_id")?),
                    d.get_str("search_text").map_err(docs::corrupt)?.to_owned(),
                ))
            })
            .collect()
    }

    async fn count_spares(&self) -> Result<u64, StoreError> {
        self.spares()
            .count_documents(doc! {})
            .await
            .map_err(store_err)
    }

    async fn adjust(
        &self,
        id: SpareId,
        delta: i64,
        change: &Change,
    ) -> Result<Movement, StoreError> {
        if delta == 0 {
            return Err(StoreError::Invalid(
                "a change of 0 parts does nothing".into(),
            ));
        }
        if delta.unsigned_abs() > MAX_QUANTITY as u64 {
            return Err(StoreError::Invalid(format!(
                "a change is at most {MAX_QUANTITY} parts"
            )));
        }
        retrying(|| self.adjust_once(id, delta, change)).await
    }

    async fn set_quantity(
        &self,
        id: SpareId,
        quantity: Quantity,
        change: &Change,
    ) -> Result<Option<Movement>, StoreError> {
        retrying(|| async {
            let before = self.get(id).await?.quantity;
            if before == quantity {
                return Ok(None);
            }
            let set = doc! { "updated_at": micros(Utc::now()) };
            match self
                .update_guarded(id, before, set, quantity, change, "counted")
                .await?
            {
                Some((_, m)) => Ok(m),
                None => Err(Fail::Transient),
            }
        })
        .await
    }

    async fn history(&self, id: SpareId, limit: usize) -> Result<Vec<Movement>, StoreError> {
        self.get(id).await?;
        let docs: Vec<Document> = self
            .movements()
            .find(doc! { "spare": id.0 })
            .sort(doc! { "seq": -1 })
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .await
            .map_err(store_err)?
            .try_collect()
            .await
            .map_err(store_err)?;
        docs.iter().map(docs::movement_from_doc).collect()
    }

    async fn recent_movements(&self, limit: usize) -> Result<Vec<Movement>, StoreError> {
        let docs: Vec<Document> = self
            .movements()
            .find(doc! {})
            .sort(doc! { "at": -1, "_id": -1 })
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .await
            .map_err(store_err)?
            .try_collect()
            .await
            .map_err(store_err)?;
        docs.iter().map(docs::movement_from_doc).collect()
    }

    async fn save_location(&self, location: Location) -> Result<Location, StoreError> {
        self.locations()
            .update_one(
                doc! { "_id": location.code.as_str() },
                doc! { "$set": { "name": location.name.as_str(), "description": location.description.as_str() } },
            )
            .upsert(true)
            .await
            .map_err(store_err)?;
        Ok(location)
    }

    async fn get_location(&self, code: &LocationCode) -> Result<Location, StoreError> {
        let d = self
            .locations()
            .find_one(doc! { "_id": code.as_str() })
            .await
            .map_err(store_err)?
            .ok_or_else(|| StoreError::NotFound {
                what: "box",
                key: code.to_string(),
            })?;
        docs::location_from_doc(&d)
    }

    async fn list_locations(&self) -> Result<Vec<LocationSummary>, StoreError> {
        let locations = self
            .find_all(&self.locations(), doc! {}, doc! { "_id": 1 })
            .await?;
        let counts: Vec<Document> = self
            .spares()
            .aggregate(vec![
                doc! { "$match": { "location": { "$ne": Bson::Null } } },
                doc! { "$group": { "_id": "$location", "n": { "$sum": 1 } } },
            ])
            .await
            .map_err(store_err)?
            .try_collect()
            .await
            .map_err(store_err)?;
        let count_of = |code: &str| {
            counts
                .iter()
                .find(|c| c.get_str("_id").is_ok_and(|id| id == code))
                .and_then(|c| int(c, "n").ok())
                .unwrap_or(0)
        };
        locations
            .iter()
            .map(|d| {
                let location = docs::location_from_doc(d)?;
                let spares = count_of(location.code.as_str()).max(0) as u64;
                Ok(LocationSummary { location, spares })
            })
            .collect()
    }

    async fn delete_location(&self, code: &LocationCode) -> Result<(), StoreError> {
        self.delete_unused(
            self.locations(),
            code.as_str(),
            doc! { "location": code.as_str() },
            StoreError::NotFound {
                what: "box",
                key: code.to_string(),
            },
            |used| format!("box {code} still holds {used} spare(s): move or delete them first"),
        )
        .await
    }

    async fn save_shop(&self, shop: Shop) -> Result<Shop, StoreError> {
        let website = shop
            .website
            .as_ref()
            .map_or(Bson::Null, |w| Bson::String(w.to_string()));
        self.shops()
            .update_one(
                doc! { "_id": shop.name.key() },
                doc! { "$set": { "name": shop.name.as_str(), "website": website } },
            )
            .upsert(true)
            .await
            .map_err(store_err)?;
        // Spares show the shop's current name.
        self.spares()
            .update_many(
                doc! { "shop": shop.name.key() },
                doc! { "$set": { "shop_name": shop.name.as_str() } },
            )
            .await
            .map_err(store_err)?;
        Ok(shop)
    }

    async fn get_shop(&self, name: &ShopName) -> Result<Shop, StoreError> {
        let d = self
            .shops()
            .find_one(doc! { "_id": name.key() })
            .await
            .map_err(store_err)?
            .ok_or_else(|| StoreError::NotFound {
                what: "shop",
                key: name.to_string(),
            })?;
        docs::shop_from_doc(&d)
    }

    async fn list_shops(&self) -> Result<Vec<Shop>, StoreError> {
        self.find_all(&self.shops(), doc! {}, doc! { "_id": 1 })
            .await?
            .iter()
            .map(docs::shop_from_doc)
            .collect()
    }

    async fn delete_shop(&self, name: &ShopName) -> Result<(), StoreError> {
        self.delete_unused(
            self.shops(),
            &name.key(),
            doc! { "shop": name.key() },
            StoreError::NotFound {
                what: "shop",
                key: name.to_string(),
            },
            |used| format!("{used} spare(s) were bought at {name}: change them first"),
        )
        .await
    }

    async fn import(
        &self,
        spares: Vec<SpareData>,
        change: &Change,
        progress: Option<Progress>,
    ) -> Result<u64, StoreError> {
        retrying(|| self.import_once(&spares, change, &progress)).await
    }

    async fn all_movements(&self) -> Result<Vec<Movement>, StoreError> {
        self.find_all(&self.movements(), doc! {}, doc! { "spare": 1, "seq": 1 })
            .await?
            .iter()
            .map(docs::movement_from_doc)
            .collect()
    }

    async fn restore(
        &self,
        snapshot: Snapshot,
        movements: Vec<Movement>,
    ) -> Result<(), StoreError> {
        retrying(|| self.restore_once(&snapshot, &movements)).await
    }

    async fn export(&self) -> Result<Snapshot, StoreError> {
        let spares = self
            .find_all(&self.spares(), doc! {}, doc! { "_id": 1 })
            .await?
            .iter()
            .map(docs::spare_from_doc)
            .collect::<Result<_, _>>()?;
        let locations = self
            .find_all(&self.locations(), doc! {}, doc! { "_id": 1 })
            .await?
            .iter()
            .map(docs::location_from_doc)
            .collect::<Result<_, _>>()?;
        let shops = self.list_shops().await?;
        Ok(Snapshot {
            spares,
            locations,
            shops,
        })
    }

    async fn consistent_copy(&self) -> Result<(Snapshot, Vec<Movement>), StoreError> {
        if !self.transactions {
            // A standalone server has no snapshot reads: documented (README,
            // "Backups") as consistent only while nothing writes.
            return Ok((self.export().await?, self.all_movements().await?));
        }
        retrying(|| self.copy_in_snapshot()).await
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
