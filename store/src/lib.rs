//! `spares-store`: opens the store a URL names and writes backups.
//!
//! - [`connect`]: `sqlite://FILE` (relative or absolute:
//!   `sqlite:///var/lib/spares.db`) or a bare file path opens the embedded
//!   default ([`spares_sqlite`]); `mongodb://…` / `mongodb+srv://…` opens
//!   MongoDB when this build has the `mongodb` feature (the container image
//!   does), and says how to get it otherwise.
//! - [`backup_to`]: a backup is always a new SQLite file.
//! - `conformance` (feature `conformance`): the suite every backend's tests
//!   run unchanged, and the MongoDB test-server launcher.

#[cfg(feature = "conformance")]
pub mod conformance;
#[cfg(feature = "conformance")]
mod test_server;

use std::path::Path;
use std::sync::Arc;

use spares_core::store::{Store, StoreError};

pub use spares_sqlite as sqlite;

#[cfg(feature = "mongodb")]
pub use spares_mongo as mongo;

#[cfg(feature = "conformance")]
pub use test_server::fresh_mongodb_uri;

/// Whether this build can open `mongodb://` URLs.
pub const HAS_MONGODB: bool = cfg!(feature = "mongodb");

/// Opens the store a URL names (see the crate documentation).
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("mongodb://") || url.starts_with("mongodb+srv://") {
        return connect_mongodb(url).await;
    }
    let path = spares_sqlite::path_from_url(url)?;
    let store = spares_sqlite::SqliteStore::open(path).await?;
    Ok(Arc::new(store))
}

#[cfg(feature = "mongodb")]
async fn connect_mongodb(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    Ok(Arc::new(spares_mongo::MongoStore::connect(url).await?))
}

#[cfg(not(feature = "mongodb"))]
async fn connect_mongodb(_url: &str) -> Result<Arc<dyn Store>, StoreError> {
    Err(StoreError::Unavailable(
        "this build of Spares has no MongoDB support; build it with `--features mongodb` \
         (the container image has it) or use sqlite://FILE"
            .into(),
    ))
}

/// Writes a backup of `store` to `path`, a new SQLite file (refused,
/// changing nothing, when `path` exists): the backend's own backup where
/// it has one ([`Store::native_backup`]), otherwise
/// [`Store::consistent_copy`] restored into a new SQLite store.
pub async fn backup_to(store: &dyn Store, path: &Path) -> Result<(), StoreError> {
    if path.exists() {
        return Err(StoreError::Conflict(format!(
            "{} exists already; a backup never overwrites a file",
            path.display()
        )));
    }
    if store.native_backup(path).await? {
        return Ok(());
    }
    let (snapshot, movements) = store.consistent_copy().await?;
    let target = spares_sqlite::SqliteStore::open(path).await?;
    target.restore(snapshot, movements).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_bare_path_and_a_sqlite_url_open_the_embedded_store() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a.db");
        let store = connect(&format!("sqlite://{}", file.display()))
            .await
            .expect("sqlite url");
        assert_eq!(store.backend(), "sqlite");
        let again = connect(&file.display().to_string())
            .await
            .expect("bare path");
        assert_eq!(again.backend(), "sqlite");
    }

    #[tokio::test]
    async fn other_schemes_are_refused_with_the_accepted_forms() {
        let err = connect("postgres://x/y").await.err().expect("refused");
        assert!(err.to_string().contains("sqlite://FILE"), "{err}");
    }

    #[cfg(not(feature = "mongodb"))]
    #[tokio::test]
    async fn without_the_feature_a_mongodb_url_says_how_to_get_it() {
        let err = connect("mongodb://127.0.0.1:1/x")
            .await
            .err()
            .expect("refused");
        assert!(err.to_string().contains("--features mongodb"), "{err}");
    }
}
