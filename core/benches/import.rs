//! `cargo bench -p spares-core --bench import`: how long importing a CSV of
//! 100,000 spares takes (parse + one-transaction insert into a fresh SQLite
//! file). Target: under 10 s on the 2-core build machine.

use std::time::Instant;

#[path = "common.rs"]
mod common;

use spares_core::csv_io::{read_spares, write_spares};
use spares_core::{Change, Source, Spare, SpareId, Store};
use spares_sqlite::SqliteStore;

const ROWS: usize = 100_000;

fn main() {
    let rows: usize = std::env::var("SPARES_BENCH_ROWS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(ROWS);
    let spares: Vec<Spare> = common::inventory(rows, 1)
        .into_iter()
        .enumerate()
        .map(|(i, data)| Spare {
            id: SpareId(i as i64 + 1),
            data,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        })
        .collect();
    let mut csv = Vec::new();
    write_spares(&mut csv, &spares).expect("csv");
    println!(
        "CSV: {rows} rows, {:.1} MiB",
        csv.len() as f64 / (1 << 20) as f64
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let total = Instant::now();
    let parsed = read_spares(csv.as_slice(), None).expect("valid CSV");
    let parse_time = total.elapsed();
    let n = rt.block_on(async {
        let store = SqliteStore::open(dir.path().join("bench.db"))
            .await
            .expect("open");
        store
            .import(parsed, &Change::new(Source::Import, "bench"), None)
            .await
            .expect("import")
    });
    let all = total.elapsed();
    println!(
        "import: {n} spares in {:.2} s (parse {:.2} s, store {:.2} s) = {:.0} rows/s",
        all.as_secs_f64(),
        parse_time.as_secs_f64(),
        (all - parse_time).as_secs_f64(),
        n as f64 / all.as_secs_f64()
    );
}
