//! Signed-in sessions in the `sessions` table (schema v3).

use rusqlite::{Connection, OptionalExtension, params};

use super::backend;
use spares_core::session::SessionRecord;
use spares_core::store::StoreError;

pub(super) fn create(conn: &mut Connection, s: &SessionRecord) -> Result<(), StoreError> {
    let tx = super::immediate(conn)?;
    tx.execute("DELETE FROM sessions WHERE expires_at <= ?", [s.created_at])
        .map_err(backend)?;
    let inserted = tx
        .execute(
            "INSERT OR IGNORE INTO sessions (id, user, credential, created_at, last_seen, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            params![s.id, s.user, s.credential, s.created_at, s.last_seen, s.expires_at],
        )
        .map_err(backend)?;
    if inserted == 0 {
        return Err(StoreError::Conflict("that session exists already".into()));
    }
    tx.commit().map_err(backend)
}

pub(super) fn get(conn: &Connection, id: &str) -> Result<Option<SessionRecord>, StoreError> {
    conn.prepare_cached(
        "SELECT id, user, credential, created_at, last_seen, expires_at FROM sessions WHERE id = ?",
    )
    .and_then(|mut s| {
        s.query_row([id], |r| {
            Ok(SessionRecord {
                id: r.get(0)?,
                user: r.get(1)?,
                credential: r.get(2)?,
                created_at: r.get(3)?,
                last_seen: r.get(4)?,
                expires_at: r.get(5)?,
            })
        })
        .optional()
    })
    .map_err(backend)
}

pub(super) fn touch(conn: &Connection, id: &str, last_seen: i64) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE sessions SET last_seen = max(last_seen, ?) WHERE id = ?")
        .and_then(|mut s| s.execute(params![last_seen, id]))
        .map_err(backend)
        .map(drop)
}

pub(super) fn end(conn: &Connection, id: &str) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM sessions WHERE id = ?")
        .and_then(|mut s| s.execute([id]))
        .map_err(backend)
        .map(drop)
}

pub(super) fn end_all(conn: &Connection) -> Result<u64, StoreError> {
    conn.execute("DELETE FROM sessions", [])
        .map_err(backend)
        .map(|n| n as u64)
}
