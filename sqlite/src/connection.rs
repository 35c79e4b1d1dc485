//! Opening the file (checks that it is ours and not newer than this
//! Spares, the schema migrations), the writing connection and the readers,
//! and running work on them.

use super::*;

/// Checks what is at `path` before SQLite touches it, so that a file that
/// is not ours is reported and left exactly as it was.
pub(crate) fn check_path(path: &Path) -> Result<(), StoreError> {
    let shown = path.display().to_string();
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(StoreError::Unavailable(format!(
            "{shown} is a directory, not a file"
        ))),
        Ok(meta) if meta.len() > 0 => {
            use std::io::Read;
            let mut header = [0u8; 16];
            let mut file = std::fs::File::open(path)
                .map_err(|e| StoreError::Unavailable(format!("cannot read {shown}: {e}")))?;
            let read = file.read(&mut header).unwrap_or(0);
            if read < 16 || &header != SQLITE_HEADER {
                return Err(StoreError::NotADatabase { path: shown });
            }
            Ok(())
        }
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            match parent {
                Some(dir) if !dir.is_dir() => Err(StoreError::Unavailable(format!(
                    "cannot create {shown}: the directory {} does not exist",
                    dir.display()
                ))),
                _ => Ok(()),
            }
        }
        Err(e) => Err(StoreError::Unavailable(format!("cannot read {shown}: {e}"))),
    }
}

impl SqliteStore {
    /// Opens (creating if missing) and migrates the database at `path`.
    pub async fn open(path: impl Into<PathBuf>) -> Result<SqliteStore, StoreError> {
        let path = path.into();
        tokio::task::spawn_blocking(move || SqliteStore::open_blocking(&path))
            .await
            .map_err(StoreError::backend)?
    }

    /// [`SqliteStore::open`] for synchronous callers.
    pub fn open_blocking(path: &Path) -> Result<SqliteStore, StoreError> {
        let shown = path.display().to_string();
        check_path(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)
            .map_err(|e| StoreError::Unavailable(format!("cannot open {shown}: {e}")))?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(backend)?;
        let found = schema::version(&conn).map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotADatabase {
                path: shown.clone(),
            },
            _ => StoreError::Unavailable(format!("cannot read {shown}: {e}")),
        })?;
        if found > schema::SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: shown,
                found,
                supported: schema::SCHEMA_VERSION,
            });
        }
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| StoreError::Unavailable(format!("cannot write to {shown}: {e}")))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Unavailable(format!(
                "{shown}: cannot switch to WAL mode (got {mode})"
            )));
        }
        // temp_store = MEMORY: each statement's rollback journal (and an
        // index build's sort) stays in memory instead of a temporary file —
        // a third of a large import's time was those writes.
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; \
             PRAGMA temp_store = MEMORY;",
        )
        .map_err(backend)?;
        schema::migrate(&mut conn)?;
        let readers = (0..reader_count())
            .map(|_| open_reader(path).map(Mutex::new))
            .collect::<Result<Vec<_>, _>>()?;
        let read_permits = Arc::new(tokio::sync::Semaphore::new(readers.len()));
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
            readers: readers.into(),
            next_reader: Arc::new(AtomicUsize::new(0)),
            read_permits,
            write_permit: Arc::new(tokio::sync::Semaphore::new(1)),
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs a read-only `f` on a free reader connection (or waits for one)
    /// on the blocking pool.
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let readers = Arc::clone(&self.readers);
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        // Held by the blocking task itself: a cancelled request does not
        // free the permit while its query still runs.
        let permit = Arc::clone(&self.read_permits)
            .acquire_owned()
            .await
            .map_err(StoreError::backend)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let n = readers.len();
            let free = (0..n).find_map(|i| readers[(start + i) % n].try_lock().ok());
            let mut guard = match free {
                Some(g) => g,
                None => readers[start % n]
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()),
            };
            f(&mut guard)
        })
        .await
        .map_err(StoreError::backend)?
    }

    /// Runs a short read-only `f` (one page, one row, a count) right here
    /// when a reader is free: handing sub-millisecond queries to the
    /// blocking pool costs more in thread switches than the query itself.
    /// When every reader is busy, it waits on the blocking pool instead.
    pub(crate) async fn read_short<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let n = self.readers.len();
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        if let Some(mut guard) = (0..n).find_map(|i| self.readers[(start + i) % n].try_lock().ok())
        {
            return f(&mut guard);
        }
        self.read(f).await
    }

    /// Runs `f` with the writing connection on the blocking pool.
    pub(crate) async fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        let permit = Arc::clone(&self.write_permit)
            .acquire_owned()
            .await
            .map_err(StoreError::backend)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut guard = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(StoreError::backend)?
    }
}

/// One read-only connection per core (at least 2, at most 8).
pub(crate) fn reader_count() -> usize {
    std::thread::available_parallelism()
        .map_or(2, std::num::NonZeroUsize::get)
        .clamp(2, 8)
}

pub(crate) fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(backend)?;
    conn.execute_batch("PRAGMA query_only = ON; PRAGMA cache_size = -16384;")
        .map_err(backend)?;
    Ok(conn)
}

pub(crate) fn immediate(conn: &mut Connection) -> Result<Transaction<'_>, StoreError> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(backend)
}
