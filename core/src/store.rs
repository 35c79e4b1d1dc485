//! Storage: the [`Store`] trait every backend implements and its error
//! type. The backends live in their own crates (`spares-sqlite`,
//! `spares-mongo`); `spares-store` opens the one a URL names.
//!
//! Architecture invariant: only the backend crates touch a database.
//! Callers see domain types and [`StoreError`], never SQL or BSON.

use std::sync::Arc;

use async_trait::async_trait;

use crate::location::{Location, LocationCode};
use crate::movement::{Change, Movement};
use crate::project::{Build, BuildId, BuildTake, Project, ProjectData, ProjectId};
use crate::quantity::Quantity;
use crate::query::{Found, Page, Query, ValueStock};
use crate::session::SessionRecord;
use crate::shop::{Shop, ShopName};
use crate::spare::{ParamName, Spare, SpareData, SpareId};

/// The cause a backend error keeps (the driver's own error).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no {what} {key}")]
    NotFound { what: &'static str, key: String },
    #[error("{0}")]
    Conflict(String),
    #[error("only {available} left of spare {spare}, cannot take {requested}")]
    InsufficientStock {
        spare: SpareId,
        available: Quantity,
        requested: i64,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("{path} is not a Spares database (it is not an SQLite file); nothing was changed")]
    NotADatabase { path: String },
    #[error(
        "{path} was written by a newer Spares (schema version {found}, this one knows up to {supported}); upgrade Spares. Nothing was changed"
    )]
    NewerSchema {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("cannot open the database: {0}")]
    Unavailable(String),
    #[error("unsupported database URL {0:?}: use sqlite://FILE or mongodb://HOST")]
    UnsupportedUrl(String),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// The database failed; the driver's error is the source (logged as
    /// a chain, never shown to a web visitor).
    #[error("database error")]
    Backend(#[source] BoxError),
}

impl StoreError {
    /// A backend error from the driver's error (or a message), kept as the
    /// source.
    pub fn backend(e: impl Into<BoxError>) -> Self {
        StoreError::Backend(e.into())
    }
}

/// Called with the number of rows written so far during an import.
pub type Progress = Arc<dyn Fn(u64) + Send + Sync>;

/// Spares to import, one at a time, and how many there are (for progress
/// and for choosing the bulk path). An `Err` stops the import, which then
/// changes nothing.
pub struct ImportRows {
    pub rows: Box<dyn Iterator<Item = Result<SpareData, StoreError>> + Send>,
    pub len: usize,
}

impl ImportRows {
    /// Rows from a list already in memory.
    pub fn from_vec(spares: Vec<SpareData>) -> ImportRows {
        ImportRows {
            len: spares.len(),
            rows: Box::new(spares.into_iter().map(Ok)),
        }
    }
}

/// Everything in a store, for export and migration.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub spares: Vec<Spare>,
    pub locations: Vec<Location>,
    pub shops: Vec<Shop>,
    /// By id.
    pub projects: Vec<Project>,
    /// Every project's builds, by id.
    pub builds: Vec<Build>,
}

/// A location with how many spares (kinds of part) it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationSummary {
    pub location: Location,
    pub spares: u64,
}

/// The storage interface. Writes that reference a location or a shop that
/// does not exist yet create it.
#[async_trait]
pub trait Store: Send + Sync {
    /// "sqlite" or "mongodb".
    fn backend(&self) -> &'static str;

    /// Succeeds when the database answers (used by `/readyz`).
    async fn ping(&self) -> Result<(), StoreError>;

    async fn create_spare(&self, data: SpareData, change: &Change) -> Result<Spare, StoreError>;
    async fn get_spare(&self, id: SpareId) -> Result<Spare, StoreError>;
    /// Replaces every field; a quantity change is recorded as a movement.
    async fn update_spare(
        &self,
        id: SpareId,
        data: SpareData,
        change: &Change,
    ) -> Result<Spare, StoreError>;
    /// Deletes the spare and its history.
    async fn delete_spare(&self, id: SpareId) -> Result<(), StoreError>;
    /// The spares for which [`Query::matches`] holds, ordered as
    /// [`crate::query::compare`] says, sliced by `page`, with the total count
    /// (exactly [`crate::query::reference_page`]).
    async fn search(&self, query: &Query, page: &Page) -> Result<Found, StoreError>;
    /// Id, primary value and quantity of every matching spare that has a
    /// primary value, in no particular order (light: for substitutes).
    async fn value_stock(&self, query: &Query) -> Result<Vec<ValueStock>, StoreError>;
    /// For each query, the id and stock of its first `limit` spares most
    /// stocked first (then by id): what [`Store::search`] answers sorted by
    /// quantity, descending, without the count or the spares themselves —
    /// many questions at once (a BOM's lines). This default asks them one
    /// by one; SQLite reads them all in one go from an index.
    async fn most_stocked_many(
        &self,
        queries: &[Query],
        limit: usize,
    ) -> Result<Vec<Vec<crate::query::Stocked>>, StoreError> {
        let by_stock = crate::query::Sort {
            key: crate::query::SortKey::Quantity,
            descending: true,
        };
        let mut out = Vec::with_capacity(queries.len());
        for q in queries {
            let found = self.search(q, &Page::first(limit).sorted(by_stock)).await?;
            out.push(found.spares.iter().map(Into::into).collect());
        }
        Ok(out)
    }
    /// [`crate::search::representatives`] of [`Store::value_stock`]: for
    /// each distinct value among the matching spares in stock, the most
    /// stocked (lowest id on ties), by unit and value. A kind's few hundred
    /// values instead of its every spare; this default reads them all.
    async fn value_representatives(&self, query: &Query) -> Result<Vec<ValueStock>, StoreError> {
        Ok(crate::search::representatives(
            self.value_stock(query).await?,
        ))
    }
    /// Id and [`SpareData::search_text`] of every matching spare, in no
    /// particular order (light: for typo-tolerant matching).
    async fn search_texts(&self, query: &Query) -> Result<Vec<(SpareId, String)>, StoreError>;
    async fn count_spares(&self) -> Result<u64, StoreError>;

    /// Adds `delta` (negative to take parts out) atomically and records the
    /// movement. Refuses with [`StoreError::InsufficientStock`], changing
    /// nothing, when the quantity would go below zero.
    async fn adjust(
        &self,
        id: SpareId,
        delta: i64,
        change: &Change,
    ) -> Result<Movement, StoreError>;
    /// Sets the quantity; records the difference as a movement (none if equal).
    async fn set_quantity(
        &self,
        id: SpareId,
        quantity: Quantity,
        change: &Change,
    ) -> Result<Option<Movement>, StoreError>;
    /// The spare's movements, newest first.
    async fn history(&self, id: SpareId, limit: usize) -> Result<Vec<Movement>, StoreError>;
    /// The latest movements of all spares, newest first.
    async fn recent_movements(&self, limit: usize) -> Result<Vec<Movement>, StoreError>;

    /// Creates or updates (by code) a location.
    async fn save_location(&self, location: Location) -> Result<Location, StoreError>;
    async fn get_location(&self, code: &LocationCode) -> Result<Location, StoreError>;
    async fn list_locations(&self) -> Result<Vec<LocationSummary>, StoreError>;
    /// Every location by code, without counting what each holds (cheap:
    /// for pickers; the default lists them with counts).
    async fn locations(&self) -> Result<Vec<Location>, StoreError> {
        Ok(self
            .list_locations()
            .await?
            .into_iter()
            .map(|l| l.location)
            .collect())
    }
    /// How many locations there are (the default lists them).
    async fn count_locations(&self) -> Result<u64, StoreError> {
        Ok(self.list_locations().await?.len() as u64)
    }
    /// Refuses with [`StoreError::Conflict`] while spares are in it.
    async fn delete_location(&self, code: &LocationCode) -> Result<(), StoreError>;

    /// Creates or updates (by case-insensitive name) a shop.
    async fn save_shop(&self, shop: Shop) -> Result<Shop, StoreError>;
    async fn get_shop(&self, name: &ShopName) -> Result<Shop, StoreError>;
    async fn list_shops(&self) -> Result<Vec<Shop>, StoreError>;
    /// Refuses with [`StoreError::Conflict`] while spares name it.
    async fn delete_shop(&self, name: &ShopName) -> Result<(), StoreError>;

    /// Adds all spares or none (one transaction). Returns how many.
    async fn import(
        &self,
        spares: Vec<SpareData>,
        change: &Change,
        progress: Option<Progress>,
    ) -> Result<u64, StoreError>;
    /// [`Store::import`] from rows read one at a time (a CSV parsed as it
    /// is written), all or nothing. This default collects them first; a
    /// backend that writes in one transaction streams them instead.
    async fn import_rows(
        &self,
        rows: ImportRows,
        change: &Change,
        progress: Option<Progress>,
    ) -> Result<u64, StoreError> {
        let spares = rows.rows.collect::<Result<Vec<_>, _>>()?;
        self.import(spares, change, progress).await
    }
    /// Everything, ordered: spares by id, locations by code, shops by name.
    async fn export(&self) -> Result<Snapshot, StoreError>;
    /// Up to `limit` spares with ids above `after` (all when `None`), by id:
    /// an export reads the inventory a slice at a time with this, so its
    /// memory stays flat however large the inventory. This default slices
    /// the whole export.
    async fn spares_after(
        &self,
        after: Option<SpareId>,
        limit: usize,
    ) -> Result<Vec<Spare>, StoreError> {
        Ok(self
            .export()
            .await?
            .spares
            .into_iter()
            .filter(|s| after.is_none_or(|a| s.id > a))
            .take(limit)
            .collect())
    }
    /// Every parameter name some spare has, sorted (the CSV's extra
    /// columns). This default reads the whole export.
    async fn parameter_names(&self) -> Result<Vec<ParamName>, StoreError> {
        let names: std::collections::BTreeSet<ParamName> = self
            .export()
            .await?
            .spares
            .iter()
            .flat_map(|s| s.parameters.keys().cloned())
            .collect();
        Ok(names.into_iter().collect())
    }
    /// Every movement, each spare's oldest first (spares by id).
    async fn all_movements(&self) -> Result<Vec<Movement>, StoreError>;
    /// Copies a snapshot and its history into this store, keeping ids and
    /// times (migration between backends). Refuses with
    /// [`StoreError::Conflict`] unless the store is empty; all or nothing
    /// where the backend has transactions.
    async fn restore(&self, snapshot: Snapshot, movements: Vec<Movement>)
    -> Result<(), StoreError>;

    /// Everything and its whole history as of one moment, although others
    /// write meanwhile (one read transaction where the backend has them):
    /// what a backup holds. Ordered as [`Store::export`] and
    /// [`Store::all_movements`].
    async fn consistent_copy(&self) -> Result<(Snapshot, Vec<Movement>), StoreError>;

    /// The totals per (currency, category, shop) over everything in stock
    /// (dashboard, shops page). Equal to [`crate::summary::Summary::of`]
    /// the export and all movements; this default computes exactly that
    /// (reading everything). SQLite keeps them as counters instead.
    async fn summary(&self) -> Result<crate::summary::Summary, StoreError> {
        let (snapshot, movements) = self.consistent_copy().await?;
        Ok(crate::summary::Summary::of(&snapshot.spares, &movements))
    }

    /// Writes the backend's own backup file to `path` (SQLite: its online
    /// backup API, page by page, consistent while others write) and
    /// answers `true`; `false` when the backend has no file of its own
    /// (`spares_store::backup_to` then restores [`Store::consistent_copy`]
    /// into a new SQLite file). Called only when `path` does not exist.
    async fn native_backup(&self, _path: &std::path::Path) -> Result<bool, StoreError> {
        Ok(false)
    }

    /// Stores a new project. Refuses with [`StoreError::Conflict`] when
    /// another has the same name (ignoring case), with
    /// [`StoreError::Invalid`] when [`ProjectData::validate`] does.
    async fn create_project(&self, data: ProjectData) -> Result<Project, StoreError>;
    async fn get_project(&self, id: ProjectId) -> Result<Project, StoreError>;
    /// Every project, by name (ignoring case).
    async fn list_projects(&self) -> Result<Vec<Project>, StoreError>;
    /// Replaces a project's name, sources, lines and overrides (the same
    /// refusals as [`Store::create_project`]).
    async fn update_project(&self, id: ProjectId, data: ProjectData)
    -> Result<Project, StoreError>;
    /// Deletes a project and its builds (their movements stay in the
    /// spares' histories).
    async fn delete_project(&self, id: ProjectId) -> Result<(), StoreError>;
    /// Takes every quantity out at once — all or nothing, one movement per
    /// spare with the reason `build NAME ×N` — and records the build.
    /// Refuses with [`StoreError::InsufficientStock`] naming a spare that
    /// has too few (then nothing changed), however many builds and
    /// adjustments run at the same time.
    async fn build(
        &self,
        project: ProjectId,
        boards: u32,
        takes: &[BuildTake],
        change: &Change,
    ) -> Result<Build, StoreError>;
    /// Puts back everything a build took (spares deleted since are
    /// skipped), all or nothing, and marks it undone. Refuses with
    /// [`StoreError::Conflict`] when it was undone already.
    async fn undo_build(&self, id: BuildId, change: &Change) -> Result<Build, StoreError>;
    /// A project's builds, newest first.
    async fn builds(&self, project: ProjectId) -> Result<Vec<Build>, StoreError>;

    /// Keeps a new signed-in session (and forgets every session whose
    /// absolute end has passed at its `created_at`). Refuses with
    /// [`StoreError::Conflict`] when the id exists.
    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError>;
    /// The session with this id, if it was not ended.
    async fn get_session(&self, id: &str) -> Result<Option<SessionRecord>, StoreError>;
    /// Records activity (`last_seen`); nothing happens for an unknown id.
    async fn touch_session(&self, id: &str, last_seen: i64) -> Result<(), StoreError>;
    /// Ends one session (sign-out); ending an unknown one is not an error.
    async fn end_session(&self, id: &str) -> Result<(), StoreError>;
    /// Ends every session; returns how many there were.
    async fn end_all_sessions(&self) -> Result<u64, StoreError>;
}
