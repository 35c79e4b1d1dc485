//! The embedded default backend: one SQLite file in WAL mode.
//!
//! Several processes (the web app and the bot) may open the same file at
//! once: every write runs in an `IMMEDIATE` transaction, readers never block
//! writers (WAL), and a busy file is waited for up to [`BUSY_TIMEOUT`].
//! Each [`SqliteStore`] owns one connection; blocking calls run on tokio's
//! blocking pool.

mod backup;
mod filter;
mod rows;
pub mod schema;
mod sessions;

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
use spares_core::quantity::{MAX_QUANTITY, Quantity};
use spares_core::query::{Found, Page, Query, ValueStock};
use spares_core::session::SessionRecord;
use spares_core::shop::{Shop, ShopName};
use spares_core::spare::{ParamValue, Spare, SpareData, SpareId};
use spares_core::store::{LocationSummary, Progress, Snapshot, Store, StoreError};

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
    path: PathBuf,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

/// Checks what is at `path` before SQLite touches it, so that a file that
/// is not ours is reported and left exactly as it was.
fn check_path(path: &Path) -> Result<(), StoreError> {
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
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;",
        )
        .map_err(backend)?;
        schema::migrate(&mut conn)?;
        let readers = (0..reader_count())
            .map(|_| open_reader(path).map(Mutex::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
            readers: readers.into(),
            next_reader: Arc::new(AtomicUsize::new(0)),
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs a read-only `f` on a free reader connection (or waits for one)
    /// on the blocking pool.
    async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let readers = Arc::clone(&self.readers);
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        tokio::task::spawn_blocking(move || {
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
    async fn read_short<T, F>(&self, f: F) -> Result<T, StoreError>
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
    async fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(StoreError::backend)?
    }
}

/// One read-only connection per core (at least 2, at most 8).
fn reader_count() -> usize {
    std::thread::available_parallelism()
        .map_or(2, std::num::NonZeroUsize::get)
        .clamp(2, 8)
}

fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(backend)?;
    conn.execute_batch("PRAGMA query_only = ON; PRAGMA cache_size = -16384;")
        .map_err(backend)?;
    Ok(conn)
}

fn immediate(conn: &mut Connection) -> Result<Transaction<'_>, StoreError> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(backend)
}

fn opt_text(s: Option<&str>) -> Sql {
    s.map_or(Sql::Null, |s| Sql::Text(s.to_owned()))
}

/// Makes sure the spare's location and shop exist; returns the shop key.
fn ensure_refs(tx: &Transaction<'_>, data: &SpareData) -> Result<Option<String>, StoreError> {
    if let Some(code) = &data.location {
        tx.prepare_cached("INSERT OR IGNORE INTO locations (code) VALUES (?)")
            .and_then(|mut s| s.execute([code.as_str()]))
            .map_err(backend)?;
    }
    match &data.shop {
        Some(name) => {
            let key = name.key();
            tx.prepare_cached("INSERT OR IGNORE INTO shops (key, name) VALUES (?, ?)")
                .and_then(|mut s| s.execute([key.as_str(), name.as_str()]))
                .map_err(backend)?;
            Ok(Some(key))
        }
        None => Ok(None),
    }
}

/// The column values of a spare row, in the order of [`WRITE_COLUMNS`].
fn spare_columns(data: &SpareData, shop_key: Option<String>) -> Vec<Sql> {
    vec![
        Sql::Text(data.category.key().to_owned()),
        Sql::Text(data.reference.clone()),
        Sql::Text(data.reference.to_lowercase()),
        Sql::Text(data.manufacturer.clone()),
        Sql::Text(data.description.clone()),
        opt_text(data.value.as_ref().map(|v| v.text())),
        data.value.as_ref().map_or(Sql::Null, |v| Sql::Real(v.si())),
        opt_text(data.value.as_ref().map(|v| v.unit().key())),
        opt_text(data.package.as_ref().map(|p| p.text())),
        opt_text(data.package.as_ref().map(|p| p.key())),
        Sql::Text(data.tags_key()),
        Sql::Integer(data.quantity.get()),
        data.low_stock.map_or(Sql::Null, |q| Sql::Integer(q.get())),
        data.unit_price
            .map_or(Sql::Null, |m| Sql::Text(m.amount().to_string())),
        data.unit_price
            .map_or(Sql::Null, |m| Sql::Real(m.amount_f64())),
        data.unit_price
            .map_or(Sql::Null, |m| Sql::Text(m.currency().to_string())),
        shop_key.map_or(Sql::Null, Sql::Text),
        opt_text(data.location.as_ref().map(|l| l.as_str())),
        opt_text(data.datasheet.as_ref().map(|d| d.as_str())),
        Sql::Text(data.notes.clone()),
        Sql::Text(data.search_text()),
    ]
}

const WRITE_COLUMNS: &str = "category, reference, reference_key, manufacturer, description, value_text, value_si, \
    value_unit, package_text, package_key, tags, quantity, low_stock, price, price_num, currency, shop, location, \
    datasheet, notes, search_text";

fn write_params(tx: &Transaction<'_>, id: i64, data: &SpareData) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM spare_params WHERE spare_id = ?")
        .and_then(|mut s| s.execute([id]))
        .map_err(backend)?;
    let mut insert = tx
        .prepare_cached(
            "INSERT INTO spare_params (spare_id, name, text, key, si, unit) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .map_err(backend)?;
    for (name, value) in &data.parameters {
        let (si, unit) = match value {
            ParamValue::Quantity(v) => (Some(v.si()), Some(v.unit().key())),
            ParamValue::Text(_) => (None, None),
        };
        insert
            .execute(params![
                id,
                name.as_str(),
                value.text(),
                value.text().to_lowercase(),
                si,
                unit
            ])
            .map_err(backend)?;
    }
    Ok(())
}

fn insert_spare(tx: &Transaction<'_>, data: &SpareData, now: i64) -> Result<i64, StoreError> {
    let shop = ensure_refs(tx, data)?;
    let mut values = spare_columns(data, shop);
    values.push(Sql::Integer(now));
    values.push(Sql::Integer(now));
    let sql = format!(
        "INSERT INTO spares ({WRITE_COLUMNS}, created_at, updated_at) VALUES ({})",
        vec!["?"; values.len()].join(", ")
    );
    tx.prepare_cached(&sql)
        .and_then(|mut s| s.execute(rusqlite::params_from_iter(values)))
        .map_err(backend)?;
    let id = tx.last_insert_rowid();
    write_params(tx, id, data)?;
    Ok(id)
}

fn insert_movement(
    tx: &Transaction<'_>,
    spare: i64,
    delta: i64,
    after: Quantity,
    change: &Change,
    reason: Option<&str>,
) -> Result<Movement, StoreError> {
    let now = Utc::now();
    let reason = change.reason.as_deref().or(reason);
    tx.prepare_cached(
        "INSERT INTO movements (spare_id, delta, quantity_after, reason, source, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .and_then(|mut s| {
        s.execute(params![
            spare,
            delta,
            after.get(),
            reason,
            change.source.key(),
            change.actor,
            micros(now)
        ])
    })
    .map_err(backend)?;
    Ok(Movement {
        id: tx.last_insert_rowid(),
        spare: SpareId(spare),
        delta,
        quantity_after: after,
        reason: reason.map(str::to_owned),
        source: change.source,
        actor: change.actor.clone(),
        at: now,
    })
}

/// Runs a query and reads every row with `read`.
fn query_all<T>(
    conn: &Connection,
    sql: &str,
    args: impl rusqlite::Params,
    read: impl Fn(&rusqlite::Row<'_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(backend)?;
    let mut rows = stmt.query(args).map_err(backend)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(backend)? {
        out.push(read(row)?);
    }
    Ok(out)
}

/// Spares (by id), locations (by code) and shops (by name) in `tx`.
fn snapshot_in(tx: &Transaction<'_>) -> Result<Snapshot, StoreError> {
    let mut spares = fetch_spares(tx, "1 = 1 ORDER BY s.id", &[])?;
    spares.sort_by_key(|s| s.id);
    let locations = query_all(
        tx,
        "SELECT code, name, description FROM locations ORDER BY code",
        [],
        rows::location_from_row,
    )?;
    let shops = query_all(
        tx,
        "SELECT name, website FROM shops ORDER BY key",
        [],
        rows::shop_from_row,
    )?;
    Ok(Snapshot {
        spares,
        locations,
        shops,
    })
}

fn not_found(id: SpareId) -> StoreError {
    StoreError::NotFound {
        what: "spare",
        key: format!("#{id}"),
    }
}

fn current_quantity(tx: &Transaction<'_>, id: SpareId) -> Result<Quantity, StoreError> {
    let q: Option<i64> = tx
        .query_row("SELECT quantity FROM spares WHERE id = ?", [id.0], |r| {
            r.get(0)
        })
        .optional()
        .map_err(backend)?;
    let q = q.ok_or_else(|| not_found(id))?;
    Quantity::new(q).map_err(rows::corrupt)
}

fn fetch_spares(
    conn: &Connection,
    where_sql: &str,
    args: &[Sql],
) -> Result<Vec<Spare>, StoreError> {
    let sql = format!("SELECT {SPARE_COLUMNS} FROM {SPARE_FROM} WHERE {where_sql}");
    let mut stmt = conn.prepare_cached(&sql).map_err(backend)?;
    let mut found = Vec::new();
    let mut rows = stmt
        .query(rusqlite::params_from_iter(args.iter()))
        .map_err(backend)?;
    while let Some(row) = rows.next().map_err(backend)? {
        found.push(rows::spare_from_row(row)?);
    }
    if found.len() <= 500 {
        // A page or one spare: name the ids rather than filter again.
        let ids: Vec<Sql> = found.iter().map(|s| Sql::Integer(s.id.0)).collect();
        let marks = vec!["?"; ids.len()].join(", ");
        rows::attach_params(conn, &mut found, &marks, &ids)?;
    } else {
        let ids = format!("SELECT s.id FROM spares s WHERE {where_sql}");
        rows::attach_params(conn, &mut found, &ids, args)?;
    }
    Ok(found)
}

fn get_blocking(conn: &Connection, id: SpareId) -> Result<Spare, StoreError> {
    fetch_spares(conn, "s.id = ?", &[Sql::Integer(id.0)])?
        .pop()
        .ok_or_else(|| not_found(id))
}

fn check_delta(delta: i64) -> Result<(), StoreError> {
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
    Ok(())
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
        let change = change.clone();
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let id = insert_spare(&tx, &data, micros(Utc::now()))?;
            if data.quantity.get() > 0 {
                insert_movement(
                    &tx,
                    id,
                    data.quantity.get(),
                    data.quantity,
                    &change,
                    Some("created"),
                )?;
            }
            let spare = get_blocking(&tx, SpareId(id))?;
            tx.commit().map_err(backend)?;
            Ok(spare)
        })
        .await
    }

    async fn get_spare(&self, id: SpareId) -> Result<Spare, StoreError> {
        self.read_short(move |conn| get_blocking(conn, id)).await
    }

    async fn update_spare(
        &self,
        id: SpareId,
        data: SpareData,
        change: &Change,
    ) -> Result<Spare, StoreError> {
        let change = change.clone();
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let before = current_quantity(&tx, id)?;
            let shop = ensure_refs(&tx, &data)?;
            let mut values = spare_columns(&data, shop);
            values.push(Sql::Integer(micros(Utc::now())));
            values.push(Sql::Integer(id.0));
            let assignments: Vec<String> = WRITE_COLUMNS
                .split(',')
                .map(|c| format!("{} = ?", c.trim()))
                .collect();
            let sql = format!(
                "UPDATE spares SET {}, updated_at = ? WHERE id = ?",
                assignments.join(", ")
            );
            tx.execute(&sql, rusqlite::params_from_iter(values))
                .map_err(backend)?;
            write_params(&tx, id.0, &data)?;
            let delta = data.quantity.get() - before.get();
            if delta != 0 {
                insert_movement(&tx, id.0, delta, data.quantity, &change, Some("edited"))?;
            }
            let spare = get_blocking(&tx, id)?;
            tx.commit().map_err(backend)?;
            Ok(spare)
        })
        .await
    }

    async fn delete_spare(&self, id: SpareId) -> Result<(), StoreError> {
        self.run(move |conn| {
            let n = conn
                .execute("DELETE FROM spares WHERE id = ?", [id.0])
                .map_err(backend)?;
            if n == 0 { Err(not_found(id)) } else { Ok(()) }
        })
        .await
    }

    async fn search(&self, query: &Query, page: &Page) -> Result<Found, StoreError> {
        let (where_sql, mut args) = filter::where_clause(query);
        let order = filter::order_by(page.sort);
        let limit = i64::try_from(page.limit).unwrap_or(i64::MAX);
        let offset = i64::try_from(page.offset).unwrap_or(i64::MAX);
        let work = move |conn: &mut Connection| {
            // One read transaction: the count and the page agree.
            let tx = conn.transaction().map_err(backend)?;
            // Everything: the count the triggers keep (schema v2).
            let count_sql = if where_sql == filter::EVERYTHING {
                "SELECT n FROM spare_count".to_owned()
            } else {
                format!("SELECT COUNT(*) FROM spares s WHERE {where_sql}")
            };
            let total: i64 = tx
                .prepare_cached(&count_sql)
                .and_then(|mut s| {
                    s.query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))
                })
                .map_err(backend)?;
            args.push(Sql::Integer(limit));
            args.push(Sql::Integer(offset));
            let paged = format!("{where_sql} ORDER BY {order} LIMIT ? OFFSET ?");
            let spares = fetch_spares(&tx, &paged, &args)?;
            tx.commit().map_err(backend)?;
            Ok(Found {
                spares,
                total: total.max(0) as u64,
            })
        };
        if page.limit <= 100 && page.offset <= 1000 {
            self.read_short(work).await
        } else {
            self.read(work).await
        }
    }

    async fn value_stock(&self, query: &Query) -> Result<Vec<ValueStock>, StoreError> {
        let (where_sql, args) = filter::where_clause(query);
        self.read(move |conn| {
            let sql = format!(
                "SELECT s.id, s.value_si, s.value_unit, s.value_text, s.quantity FROM spares s \
                 WHERE {where_sql} AND s.value_si IS NOT NULL"
            );
            query_all(
                conn,
                &sql,
                rusqlite::params_from_iter(args.iter()),
                rows::value_stock_from_row,
            )
        })
        .await
    }

    async fn search_texts(&self, query: &Query) -> Result<Vec<(SpareId, String)>, StoreError> {
        let (where_sql, args) = filter::where_clause(query);
        self.read(move |conn| {
            let sql = format!("SELECT s.id, s.search_text FROM spares s WHERE {where_sql}");
            query_all(conn, &sql, rusqlite::params_from_iter(args.iter()), |row| {
                let id: i64 = row.get(0).map_err(rows::corrupt)?;
                Ok((SpareId(id), row.get(1).map_err(rows::corrupt)?))
            })
        })
        .await
    }

    async fn count_spares(&self) -> Result<u64, StoreError> {
        self.read_short(|conn| {
            conn.query_row("SELECT n FROM spare_count", [], |r| r.get::<_, i64>(0))
                .map(|n| n.max(0) as u64)
                .map_err(backend)
        })
        .await
    }

    async fn adjust(
        &self,
        id: SpareId,
        delta: i64,
        change: &Change,
    ) -> Result<Movement, StoreError> {
        check_delta(delta)?;
        let change = change.clone();
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let before = current_quantity(&tx, id)?;
            let after = before.checked_add(delta).ok_or(if delta < 0 {
                StoreError::InsufficientStock {
                    spare: id,
                    available: before,
                    requested: -delta,
                }
            } else {
                StoreError::Invalid(format!("a quantity cannot exceed {MAX_QUANTITY}"))
            })?;
            tx.execute(
                "UPDATE spares SET quantity = ?, updated_at = ? WHERE id = ?",
                params![after.get(), micros(Utc::now()), id.0],
            )
            .map_err(backend)?;
            let movement = insert_movement(&tx, id.0, delta, after, &change, None)?;
            tx.commit().map_err(backend)?;
            Ok(movement)
        })
        .await
    }

    async fn set_quantity(
        &self,
        id: SpareId,
        quantity: Quantity,
        change: &Change,
    ) -> Result<Option<Movement>, StoreError> {
        let change = change.clone();
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let before = current_quantity(&tx, id)?;
            let delta = quantity.get() - before.get();
            if delta == 0 {
                return Ok(None);
            }
            tx.execute(
                "UPDATE spares SET quantity = ?, updated_at = ? WHERE id = ?",
                params![quantity.get(), micros(Utc::now()), id.0],
            )
            .map_err(backend)?;
            let movement = insert_movement(&tx, id.0, delta, quantity, &change, Some("counted"))?;
            tx.commit().map_err(backend)?;
            Ok(Some(movement))
        })
        .await
    }

    async fn history(&self, id: SpareId, limit: usize) -> Result<Vec<Movement>, StoreError> {
        self.read_short(move |conn| {
            let exists: Option<i64> = conn
                .query_row("SELECT id FROM spares WHERE id = ?", [id.0], |r| r.get(0))
                .optional()
                .map_err(backend)?;
            if exists.is_none() {
                return Err(not_found(id));
            }
            let sql = format!("SELECT {MOVEMENT_COLUMNS} FROM movements WHERE spare_id = ? ORDER BY id DESC LIMIT ?");
            query_all(conn, &sql, params![id.0, limit as i64], rows::movement_from_row)
        })
        .await
    }

    async fn recent_movements(&self, limit: usize) -> Result<Vec<Movement>, StoreError> {
        self.read_short(move |conn| {
            let sql = format!("SELECT {MOVEMENT_COLUMNS} FROM movements ORDER BY id DESC LIMIT ?");
            query_all(conn, &sql, [limit as i64], rows::movement_from_row)
        })
        .await
    }

    async fn save_location(&self, location: Location) -> Result<Location, StoreError> {
        self.run(move |conn| {
            conn.execute(
                "INSERT INTO locations (code, name, description) VALUES (?, ?, ?) \
                 ON CONFLICT(code) DO UPDATE SET name = excluded.name, description = excluded.description",
                params![location.code.as_str(), location.name, location.description],
            )
            .map_err(backend)?;
            Ok(location)
        })
        .await
    }

    async fn get_location(&self, code: &LocationCode) -> Result<Location, StoreError> {
        let code = code.clone();
        self.read_short(move |conn| {
            conn.query_row(
                "SELECT code, name, description FROM locations WHERE code = ?",
                [code.as_str()],
                |row| Ok(rows::location_from_row(row)),
            )
            .optional()
            .map_err(backend)?
            .unwrap_or_else(|| {
                Err(StoreError::NotFound {
                    what: "box",
                    key: code.to_string(),
                })
            })
        })
        .await
    }

    async fn list_locations(&self) -> Result<Vec<LocationSummary>, StoreError> {
        self.read(|conn| {
            let sql = "SELECT l.code, l.name, l.description, \
                       (SELECT COUNT(*) FROM spares s WHERE s.location = l.code) \
                       FROM locations l ORDER BY l.code";
            query_all(conn, sql, [], |row| {
                let count: i64 = row.get(3).map_err(rows::corrupt)?;
                Ok(LocationSummary {
                    location: rows::location_from_row(row)?,
                    spares: count.max(0) as u64,
                })
            })
        })
        .await
    }

    async fn delete_location(&self, code: &LocationCode) -> Result<(), StoreError> {
        let code = code.clone();
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let used: i64 = tx
                .query_row(
                    "SELECT COUNT(*) FROM spares WHERE location = ?",
                    [code.as_str()],
                    |r| r.get(0),
                )
                .map_err(backend)?;
            if used > 0 {
                return Err(StoreError::Conflict(format!(
                    "box {code} still holds {used} spare(s): move or delete them first"
                )));
            }
            let n = tx
                .execute("DELETE FROM locations WHERE code = ?", [code.as_str()])
                .map_err(backend)?;
            if n == 0 {
                return Err(StoreError::NotFound {
                    what: "box",
                    key: code.to_string(),
                });
            }
            tx.commit().map_err(backend)
        })
        .await
    }

    async fn save_shop(&self, shop: Shop) -> Result<Shop, StoreError> {
        self.run(move |conn| {
            conn.execute(
                "INSERT INTO shops (key, name, website) VALUES (?, ?, ?) \
                 ON CONFLICT(key) DO UPDATE SET name = excluded.name, website = excluded.website",
                params![
                    shop.name.key(),
                    shop.name.as_str(),
                    shop.website.as_ref().map(|w| w.as_str())
                ],
            )
            .map_err(backend)?;
            Ok(shop)
        })
        .await
    }

    async fn get_shop(&self, name: &ShopName) -> Result<Shop, StoreError> {
        let name = name.clone();
        self.read_short(move |conn| {
            conn.query_row(
                "SELECT name, website FROM shops WHERE key = ?",
                [name.key()],
                |row| Ok(rows::shop_from_row(row)),
            )
            .optional()
            .map_err(backend)?
            .unwrap_or_else(|| {
                Err(StoreError::NotFound {
                    what: "shop",
                    key: name.to_string(),
                })
            })
        })
        .await
    }

    async fn list_shops(&self) -> Result<Vec<Shop>, StoreError> {
        self.read_short(|conn| {
            query_all(
                conn,
                "SELECT name, website FROM shops ORDER BY key",
                [],
                rows::shop_from_row,
            )
        })
        .await
    }

    async fn delete_shop(&self, name: &ShopName) -> Result<(), StoreError> {
        let name = name.clone();
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let used: i64 = tx
                .query_row(
                    "SELECT COUNT(*) FROM spares WHERE shop = ?",
                    [name.key()],
                    |r| r.get(0),
                )
                .map_err(backend)?;
            if used > 0 {
                return Err(StoreError::Conflict(format!(
                    "{used} spare(s) were bought at {name}: change them first"
                )));
            }
            let n = tx
                .execute("DELETE FROM shops WHERE key = ?", [name.key()])
                .map_err(backend)?;
            if n == 0 {
                return Err(StoreError::NotFound {
                    what: "shop",
                    key: name.to_string(),
                });
            }
            tx.commit().map_err(backend)
        })
        .await
    }

    async fn import(
        &self,
        spares: Vec<SpareData>,
        change: &Change,
        progress: Option<Progress>,
    ) -> Result<u64, StoreError> {
        let change = change.clone();
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let now = micros(Utc::now());
            let mut done = 0u64;
            let first_new: i64 = tx
                .query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM spares", [], |r| r.get(0))
                .map_err(backend)?;
            tx.execute("INSERT INTO fts_paused (paused) VALUES (1)", [])
                .map_err(backend)?;
            for data in &spares {
                let id = insert_spare(&tx, data, now)?;
                if data.quantity.get() > 0 {
                    insert_movement(
                        &tx,
                        id,
                        data.quantity.get(),
                        data.quantity,
                        &change,
                        Some("imported"),
                    )?;
                }
                done += 1;
                if done.is_multiple_of(1000)
                    && let Some(p) = &progress
                {
                    p(done);
                }
            }
            tx.execute(
                "INSERT INTO spares_fts (rowid, search_text) SELECT id, search_text FROM spares WHERE id >= ?",
                [first_new],
            )
            .map_err(backend)?;
            tx.execute("DELETE FROM fts_paused", []).map_err(backend)?;
            tx.commit().map_err(backend)?;
            if let Some(p) = &progress {
                p(done);
            }
            Ok(done)
        })
        .await
    }

    async fn all_movements(&self) -> Result<Vec<Movement>, StoreError> {
        self.read(|conn| {
            let sql = format!("SELECT {MOVEMENT_COLUMNS} FROM movements ORDER BY spare_id, id");
            query_all(conn, &sql, [], rows::movement_from_row)
        })
        .await
    }

    async fn restore(
        &self,
        snapshot: Snapshot,
        movements: Vec<Movement>,
    ) -> Result<(), StoreError> {
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let used: i64 = tx
                .query_row(
                    "SELECT (SELECT COUNT(*) FROM spares) + (SELECT COUNT(*) FROM locations) + (SELECT COUNT(*) FROM shops)",
                    [],
                    |r| r.get(0),
                )
                .map_err(backend)?;
            if used > 0 {
                return Err(StoreError::Conflict("the target database is not empty".into()));
            }
            for l in &snapshot.locations {
                tx.execute(
                    "INSERT INTO locations (code, name, description) VALUES (?, ?, ?)",
                    params![l.code.as_str(), l.name, l.description],
                )
                .map_err(backend)?;
            }
            for shop in &snapshot.shops {
                tx.execute(
                    "INSERT INTO shops (key, name, website) VALUES (?, ?, ?)",
                    params![shop.name.key(), shop.name.as_str(), shop.website.as_ref().map(|w| w.as_str())],
                )
                .map_err(backend)?;
            }
            for spare in &snapshot.spares {
                let shop = ensure_refs(&tx, &spare.data)?;
                let mut values = spare_columns(&spare.data, shop);
                values.push(Sql::Integer(micros(spare.created_at)));
                values.push(Sql::Integer(micros(spare.updated_at)));
                values.push(Sql::Integer(spare.id.0));
                let sql = format!(
                    "INSERT INTO spares ({WRITE_COLUMNS}, created_at, updated_at, id) VALUES ({})",
                    vec!["?"; values.len()].join(", ")
                );
                tx.execute(&sql, rusqlite::params_from_iter(values)).map_err(backend)?;
                write_params(&tx, spare.id.0, &spare.data)?;
            }
            for m in &movements {
                tx.execute(
                    "INSERT INTO movements (id, spare_id, delta, quantity_after, reason, source, actor, at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    params![
                        m.id,
                        m.spare.0,
                        m.delta,
                        m.quantity_after.get(),
                        m.reason,
                        m.source.key(),
                        m.actor,
                        micros(m.at)
                    ],
                )
                .map_err(backend)?;
            }
            tx.commit().map_err(backend)
        })
        .await
    }

    async fn export(&self) -> Result<Snapshot, StoreError> {
        self.read(|conn| {
            // One read transaction: a consistent snapshot even while others write.
            let tx = conn.transaction().map_err(backend)?;
            let snapshot = snapshot_in(&tx)?;
            tx.commit().map_err(backend)?;
            Ok(snapshot)
        })
        .await
    }

    async fn consistent_copy(&self) -> Result<(Snapshot, Vec<Movement>), StoreError> {
        self.read(|conn| {
            let tx = conn.transaction().map_err(backend)?;
            let snapshot = snapshot_in(&tx)?;
            let sql = format!("SELECT {MOVEMENT_COLUMNS} FROM movements ORDER BY spare_id, id");
            let movements = query_all(&tx, &sql, [], rows::movement_from_row)?;
            tx.commit().map_err(backend)?;
            Ok((snapshot, movements))
        })
        .await
    }

    async fn native_backup(&self, path: &Path) -> Result<bool, StoreError> {
        let source = self.path.clone();
        let target = path.to_owned();
        tokio::task::spawn_blocking(move || backup::online(&source, &target))
            .await
            .map_err(StoreError::backend)??;
        Ok(true)
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
