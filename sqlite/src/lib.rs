//! The embedded default backend: one SQLite file in WAL mode.
//!
//! Several processes (the web app and the bot) may open the same file at
//! once: every write runs in an `IMMEDIATE` transaction, readers never block
//! writers (WAL), and a busy file is waited for up to [`BUSY_TIMEOUT`].
//! Each [`SqliteStore`] owns one connection; blocking calls run on tokio's
//! blocking pool.

mod backup;
mod connection;
mod filter;
mod places;
mod projects;
mod rows;
pub mod schema;
mod sessions;
mod spares;
mod sql;
mod stock;
mod totals;
mod transfer;

use connection::*;
use sql::*;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use rusqlite::types::Value as Sql;
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};

use spares_core::location::{Location, LocationCode};
use spares_core::movement::{Change, Movement};
use spares_core::project::{Build, BuildId, BuildTake, Project, ProjectData, ProjectId};
use spares_core::quantity::{MAX_QUANTITY, Quantity};
use spares_core::query::{Found, Page, Query, ValueStock};
use spares_core::session::SessionRecord;
use spares_core::shop::{Shop, ShopName};
use spares_core::spare::{ParamName, ParamValue, Spare, SpareData, SpareId};
use spares_core::store::{ImportRows, LocationSummary, Progress, Snapshot, Store, StoreError};
use spares_core::summary::Summary;

use rows::{MOVEMENT_COLUMNS, SPARE_COLUMNS, SPARE_FROM, micros};

/// How long a write waits for another process's transaction to finish.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

pub(crate) fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::backend(e)
}

/// The file path in `sqlite://FILE`, `sqlite:FILE` or a bare path.
pub fn path_from_url(url: &str) -> Result<PathBuf, StoreError> {
    let rest = if let Some(r) = url.strip_prefix("sqlite://") {
        r
    } else if let Some(r) = url.strip_prefix("sqlite:") {
        r
    } else if url.contains("://") {
        return Err(StoreError::UnsupportedUrl(url.to_owned()));
    } else {
        url
    };
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() {
        return Err(StoreError::UnsupportedUrl(url.to_owned()));
    }
    Ok(PathBuf::from(path))
}

/// A handle on one SQLite database file: one connection that writes, and a
/// few read-only ones so that reads run in parallel (WAL lets readers see
/// every committed write without waiting for the writer).
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
    readers: Arc<[Mutex<Connection>]>,
    next_reader: Arc<AtomicUsize>,
    /// One permit per reader: a read waits here (asynchronously) rather
    /// than as a blocking-pool thread waiting for a connection — under a
    /// load of 64 connections that was 64 threads, each with its own
    /// allocator caches (hundreds of MB).
    read_permits: Arc<tokio::sync::Semaphore>,
    /// The same for the one writing connection.
    write_permit: Arc<tokio::sync::Semaphore>,
    path: PathBuf,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.read_short(|c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(backend))
            .await
    }

    async fn create_spare(&self, data: SpareData, change: &Change) -> Result<Spare, StoreError> {
        SqliteStore::create_spare(self, data, change).await
    }

    async fn get_spare(&self, id: SpareId) -> Result<Spare, StoreError> {
        SqliteStore::get_spare(self, id).await
    }

    async fn update_spare(
        &self,
        id: SpareId,
        data: SpareData,
        change: &Change,
    ) -> Result<Spare, StoreError> {
        SqliteStore::update_spare(self, id, data, change).await
    }

    async fn delete_spare(&self, id: SpareId) -> Result<(), StoreError> {
        SqliteStore::delete_spare(self, id).await
    }

    async fn search(&self, query: &Query, page: &Page) -> Result<Found, StoreError> {
        SqliteStore::search(self, query, page).await
    }

    async fn most_stocked_many(
        &self,
        queries: &[Query],
        limit: usize,
    ) -> Result<Vec<Vec<spares_core::query::Stocked>>, StoreError> {
        SqliteStore::most_stocked_many(self, queries, limit).await
    }

    async fn value_representatives(&self, query: &Query) -> Result<Vec<ValueStock>, StoreError> {
        SqliteStore::value_representatives(self, query).await
    }

    async fn value_stock(&self, query: &Query) -> Result<Vec<ValueStock>, StoreError> {
        SqliteStore::value_stock(self, query).await
    }

    async fn search_texts(&self, query: &Query) -> Result<Vec<(SpareId, String)>, StoreError> {
        SqliteStore::search_texts(self, query).await
    }

    async fn count_spares(&self) -> Result<u64, StoreError> {
        SqliteStore::count_spares(self).await
    }

    async fn adjust(
        &self,
        id: SpareId,
        delta: i64,
        change: &Change,
    ) -> Result<Movement, StoreError> {
        SqliteStore::adjust(self, id, delta, change).await
    }

    async fn set_quantity(
        &self,
        id: SpareId,
        quantity: Quantity,
        change: &Change,
    ) -> Result<Option<Movement>, StoreError> {
        SqliteStore::set_quantity(self, id, quantity, change).await
    }

    async fn history(&self, id: SpareId, limit: usize) -> Result<Vec<Movement>, StoreError> {
        SqliteStore::history(self, id, limit).await
    }

    async fn recent_movements(&self, limit: usize) -> Result<Vec<Movement>, StoreError> {
        SqliteStore::recent_movements(self, limit).await
    }

    async fn save_location(&self, location: Location) -> Result<Location, StoreError> {
        SqliteStore::save_location(self, location).await
    }

    async fn get_location(&self, code: &LocationCode) -> Result<Location, StoreError> {
        SqliteStore::get_location(self, code).await
    }

    async fn list_locations(&self) -> Result<Vec<LocationSummary>, StoreError> {
        SqliteStore::list_locations(self).await
    }

    async fn locations(&self) -> Result<Vec<Location>, StoreError> {
        SqliteStore::locations(self).await
    }

    async fn count_locations(&self) -> Result<u64, StoreError> {
        SqliteStore::count_locations(self).await
    }

    async fn delete_location(&self, code: &LocationCode) -> Result<(), StoreError> {
        SqliteStore::delete_location(self, code).await
    }

    async fn save_shop(&self, shop: Shop) -> Result<Shop, StoreError> {
        SqliteStore::save_shop(self, shop).await
    }

    async fn get_shop(&self, name: &ShopName) -> Result<Shop, StoreError> {
        SqliteStore::get_shop(self, name).await
    }

    async fn list_shops(&self) -> Result<Vec<Shop>, StoreError> {
        SqliteStore::list_shops(self).await
    }

    async fn delete_shop(&self, name: &ShopName) -> Result<(), StoreError> {
        SqliteStore::delete_shop(self, name).await
    }

    async fn import(
        &self,
        spares: Vec<SpareData>,
        change: &Change,
        progress: Option<Progress>,
    ) -> Result<u64, StoreError> {
        SqliteStore::import(self, spares, change, progress).await
    }

    async fn all_movements(&self) -> Result<Vec<Movement>, StoreError> {
        SqliteStore::all_movements(self).await
    }

    async fn restore(
        &self,
        snapshot: Snapshot,
        movements: Vec<Movement>,
    ) -> Result<(), StoreError> {
        SqliteStore::restore(self, snapshot, movements).await
    }

    async fn summary(&self) -> Result<Summary, StoreError> {
        SqliteStore::summary(self).await
    }

    async fn import_rows(
        &self,
        rows: ImportRows,
        change: &Change,
        progress: Option<Progress>,
    ) -> Result<u64, StoreError> {
        SqliteStore::import_rows(self, rows, change, progress).await
    }

    async fn export(&self) -> Result<Snapshot, StoreError> {
        SqliteStore::export(self).await
    }

    async fn spares_after(
        &self,
        after: Option<SpareId>,
        limit: usize,
    ) -> Result<Vec<Spare>, StoreError> {
        SqliteStore::spares_after(self, after, limit).await
    }

    async fn parameter_names(&self) -> Result<Vec<ParamName>, StoreError> {
        SqliteStore::parameter_names(self).await
    }

    async fn consistent_copy(&self) -> Result<(Snapshot, Vec<Movement>), StoreError> {
        SqliteStore::consistent_copy(self).await
    }

    async fn native_backup(&self, path: &Path) -> Result<bool, StoreError> {
        SqliteStore::native_backup(self, path).await
    }

    async fn create_project(&self, data: ProjectData) -> Result<Project, StoreError> {
        SqliteStore::create_project(self, data).await
    }

    async fn get_project(&self, id: ProjectId) -> Result<Project, StoreError> {
        SqliteStore::get_project(self, id).await
    }

    async fn list_projects(&self) -> Result<Vec<Project>, StoreError> {
        SqliteStore::list_projects(self).await
    }

    async fn update_project(
        &self,
        id: ProjectId,
        data: ProjectData,
    ) -> Result<Project, StoreError> {
        SqliteStore::update_project(self, id, data).await
    }

    async fn delete_project(&self, id: ProjectId) -> Result<(), StoreError> {
        SqliteStore::delete_project(self, id).await
    }

    async fn build(
        &self,
        project: ProjectId,
        boards: u32,
        takes: &[BuildTake],
        change: &Change,
    ) -> Result<Build, StoreError> {
        SqliteStore::build(self, project, boards, takes, change).await
    }

    async fn undo_build(&self, id: BuildId, change: &Change) -> Result<Build, StoreError> {
        SqliteStore::undo_build(self, id, change).await
    }

    async fn builds(&self, project: ProjectId) -> Result<Vec<Build>, StoreError> {
        SqliteStore::builds(self, project).await
    }

    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        let session = session.clone();
        self.run(move |conn| sessions::create(conn, &session)).await
    }

    async fn get_session(&self, id: &str) -> Result<Option<SessionRecord>, StoreError> {
        let id = id.to_owned();
        self.read_short(move |conn| sessions::get(conn, &id)).await
    }

    async fn touch_session(&self, id: &str, last_seen: i64) -> Result<(), StoreError> {
        let id = id.to_owned();
        self.run(move |conn| sessions::touch(conn, &id, last_seen))
            .await
    }

    async fn end_session(&self, id: &str) -> Result<(), StoreError> {
        let id = id.to_owned();
        self.run(move |conn| sessions::end(conn, &id)).await
    }

    async fn end_all_sessions(&self) -> Result<u64, StoreError> {
        self.run(|conn| sessions::end_all(conn)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_the_file() {
        assert_eq!(
            path_from_url("sqlite://spares.db").ok(),
            Some(PathBuf::from("spares.db"))
        );
        assert_eq!(
            path_from_url("sqlite:///var/lib/spares/spares.db").ok(),
            Some(PathBuf::from("/var/lib/spares/spares.db"))
        );
        assert_eq!(
            path_from_url("sqlite:x.db?mode=rwc").ok(),
            Some(PathBuf::from("x.db"))
        );
        assert_eq!(path_from_url("./x.db").ok(), Some(PathBuf::from("./x.db")));
        assert!(matches!(
            path_from_url("postgres://x"),
            Err(StoreError::UnsupportedUrl(_))
        ));
        assert!(matches!(
            path_from_url("sqlite://"),
            Err(StoreError::UnsupportedUrl(_))
        ));
    }
}
