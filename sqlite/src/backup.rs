//! Backups with SQLite's online backup API. The whole database is copied in
//! one step, inside one read transaction: in WAL mode that is a consistent
//! snapshot while the web app and the bot keep writing (readers never block
//! the writer), and it never restarts because of their writes.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::backend;
use spares_core::store::StoreError;

/// Every page in one step (-1): one read snapshot.
const ALL_PAGES: std::ffi::c_int = -1;

/// Copies the database at `source` into a new file at `target`.
pub(super) fn online(source: &Path, target: &Path) -> Result<(), StoreError> {
    if target.exists() {
        return Err(StoreError::Conflict(format!(
            "{} exists already; a backup never overwrites a file",
            target.display()
        )));
    }
    let from = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", source.display())))?;
    from.busy_timeout(super::BUSY_TIMEOUT).map_err(backend)?;
    let mut to = Connection::open(target)
        .map_err(|e| StoreError::Unavailable(format!("cannot create {}: {e}", target.display())))?;
    let result = copy(&from, &mut to);
    if result.is_err() {
        drop(to);
        let _ = std::fs::remove_file(target);
    }
    result
}

fn copy(from: &Connection, to: &mut Connection) -> Result<(), StoreError> {
    {
        let backup = Backup::new(from, to).map_err(backend)?;
        loop {
            match backup.step(ALL_PAGES).map_err(backend)? {
                StepResult::Done => break,
                // A writer is checkpointing or holds a lock: try again.
                _ => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    }
    // The copy is a plain file (no -wal beside it) that opens anywhere.
    to.query_row("PRAGMA journal_mode = DELETE", [], |r| {
        r.get::<_, String>(0)
    })
    .map_err(backend)?;
    let ok: String = to
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(backend)?;
    if ok != "ok" {
        return Err(StoreError::Corrupt(format!(
            "the backup failed its check: {ok}"
        )));
    }
    Ok(())
}
