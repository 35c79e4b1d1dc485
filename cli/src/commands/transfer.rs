//! `spares import`, `spares export`, `spares migrate`: the CSV format of
//! [`spares_core::csv_io`] between a file and the store, and copies between
//! stores.

use std::io::{Read, Write};
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};
use spares_core::csv_io::{self, CsvError, check_spares};
use spares_core::store::ImportRows;
use spares_core::{Change, Currency, Source, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("{0}. Nothing was imported")]
    Csv(CsvError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot write: {0}")]
    Write(#[from] std::io::Error),
    #[error("verification failed: {0}")]
    Verify(String),
}

// Not `#[from]`: the message already contains the CSV error, and a
// `source` would make error chains print it twice.
impl From<CsvError> for TransferError {
    fn from(e: CsvError) -> Self {
        TransferError::Csv(e)
    }
}

/// Checks the whole CSV first (the first bad cell stops it, naming line
/// and column), then adds every row in one transaction (all or nothing),
/// parsing the rows again as they are written so no more than one is held
/// parsed. Shows a progress bar on a terminal.
pub async fn import(
    store: &dyn Store,
    reader: impl Read,
    default_currency: Currency,
    actor: &str,
) -> Result<u64, TransferError> {
    let spinner = ProgressBar::new_spinner().with_message("checking the CSV");
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let checked = check_spares(reader, Some(default_currency));
    spinner.finish_and_clear();
    let checked = checked?;
    let len = checked.len();
    let rows = checked
        .rows()?
        .map(|row| row.map_err(|e| StoreError::Invalid(e.to_string())));
    let bar = ProgressBar::new(len as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} spares ({per_sec}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress_bar = bar.clone();
    let n = store
        .import_rows(
            ImportRows {
                rows: Box::new(rows),
                len,
            },
            &Change::new(Source::Import, actor),
            Some(Arc::new(move |done| progress_bar.set_position(done))),
        )
        .await;
    bar.finish_and_clear();
    Ok(n?)
}

/// Writes every spare as CSV, by id.
pub async fn export(store: &dyn Store, writer: impl Write + Send) -> Result<usize, TransferError> {
    csv_io::export(store, writer).await.map_err(|e| match e {
        csv_io::ExportError::Store(e) => TransferError::Store(e),
        csv_io::ExportError::Csv(e) => TransferError::Csv(e),
    })
}

/// What `spares migrate` copied, with the checksum both sides agreed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    pub spares: usize,
    pub locations: usize,
    pub shops: usize,
    pub movements: usize,
    /// FNV-1a 64 of the CSV export, identical on both sides.
    pub checksum: u64,
}

/// FNV-1a, 64 bits: a stable checksum to print (not a security hash).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

async fn csv_of(store: &dyn Store) -> Result<Vec<u8>, TransferError> {
    let mut out = Vec::new();
    export(store, &mut out).await?;
    Ok(out)
}

/// Copies everything (spares with their ids and times, boxes, shops,
/// history) from one store into an empty one, then checks counts and the
/// CSV export of both sides.
pub async fn migrate(from: &dyn Store, to: &dyn Store) -> Result<Migrated, TransferError> {
    let snapshot = from.export().await?;
    let movements = from.all_movements().await?;
    let expected = Migrated {
        spares: snapshot.spares.len(),
        locations: snapshot.locations.len(),
        shops: snapshot.shops.len(),
        movements: movements.len(),
        checksum: fnv1a(&csv_of(from).await?),
    };
    to.restore(snapshot, movements).await?;
    let copied = to.export().await?;
    let got = Migrated {
        spares: copied.spares.len(),
        locations: copied.locations.len(),
        shops: copied.shops.len(),
        movements: to.all_movements().await?.len(),
        checksum: fnv1a(&csv_of(to).await?),
    };
    if got != expected {
        return Err(TransferError::Verify(format!(
            "the copy differs: expected {expected:?}, found {got:?}"
        )));
    }
    Ok(got)
}

/// `spares import FILE`.
pub async fn import_file(
    url: &str,
    file: &std::path::Path,
    currency: Currency,
) -> anyhow::Result<bool> {
    use anyhow::Context;
    let store = super::open(url).await?;
    let reader =
        std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let n = import(store.as_ref(), reader, currency, "cli")
        .await
        .with_context(|| format!("importing {}", file.display()))?;
    eprintln!(
        "Imported {n} spares from {} into {}",
        file.display(),
        super::redact(url)
    );
    Ok(true)
}

/// `spares export [-o FILE]` (standard output without `-o`).
pub async fn export_file(url: &str, output: Option<&std::path::Path>) -> anyhow::Result<bool> {
    use anyhow::Context;
    let store = super::open(url).await?;
    let n = match output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            export(store.as_ref(), std::io::BufWriter::new(file)).await
        }
        None => export(store.as_ref(), std::io::BufWriter::new(std::io::stdout())).await,
    }
    .context("exporting")?;
    eprintln!("Exported {n} spares");
    Ok(true)
}

/// `spares migrate --from URL --to URL`.
pub async fn migrate_urls(from: &str, to: &str) -> anyhow::Result<bool> {
    use anyhow::Context;
    let source = super::open(from).await?;
    let target = super::open(to).await?;
    let m = migrate(source.as_ref(), target.as_ref())
        .await
        .with_context(|| format!("copying {} to {}", super::redact(from), super::redact(to)))?;
    eprintln!(
        "Copied {} spares, {} boxes, {} shops, {} movements from {} to {}; CSV checksum {:016x} matches",
        m.spares,
        m.locations,
        m.shops,
        m.movements,
        super::redact(from),
        super::redact(to),
        m.checksum
    );
    Ok(true)
}
