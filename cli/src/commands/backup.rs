//! `spares backup` and `spares restore`: a consistent SQLite copy of any
//! store, and back.

use std::path::Path;

use anyhow::Context;

use super::{open, redact, sqlite_url, transfer};

pub async fn backup(url: &str, file: &Path) -> anyhow::Result<bool> {
    let store = open(url).await?;
    spares_store::backup_to(store.as_ref(), file)
        .await
        .with_context(|| format!("backing up {} to {}", redact(url), file.display()))?;
    let copy = open(&sqlite_url(file)).await?;
    let n = copy.count_spares().await.context("reading the backup")?;
    eprintln!(
        "Backed up {n} spares from {} to {}",
        redact(url),
        file.display()
    );
    Ok(true)
}

pub async fn restore(url: &str, file: &Path, to: Option<&str>) -> anyhow::Result<bool> {
    anyhow::ensure!(file.is_file(), "{}: no such backup file", file.display());
    let source = open(&sqlite_url(file)).await?;
    let to = to.unwrap_or(url);
    let target = open(to).await?;
    let m = transfer::migrate(source.as_ref(), target.as_ref())
        .await
        .with_context(|| format!("restoring {} into {}", file.display(), redact(to)))?;
    eprintln!(
        "Restored {} spares, {} boxes, {} shops, {} movements from {} into {}; CSV checksum {:016x} matches",
        m.spares,
        m.locations,
        m.shops,
        m.movements,
        file.display(),
        redact(to),
        m.checksum
    );
    Ok(true)
}
