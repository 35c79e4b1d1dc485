//! `cargo bench -p spares-core --bench search_latency`: p50/p99 latency of
//! plain-language questions answered over 100,000 spares in SQLite (the
//! whole use case: parse, query, rank, substitutes). Target: p99 < 20 ms.

use std::time::{Duration, Instant};

#[path = "common.rs"]
mod common;

const SPARES: usize = 100_000;
const RUNS: usize = 100;
const QUESTIONS: &[&str] = &[
    "do I have a 10k resistor?",
    "any 100nF caps rated 50V?",
    "what's in drawer C2",
    "resistors",
    "atmaga32u4",
    "atmega32u4",
    "1/2W resistors 33k",
    "lm7805",
    "16MHz crystal",
    "22uH inductor",
    "39k resistor",
    "blue led",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let n = common::spares_wanted(SPARES);
    let dir = tempfile::tempdir().expect("temp dir");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store = common::sqlite_with_inventory(dir.path(), n).await;
        println!("{n} spares; {RUNS} runs per question");
        println!(
            "{:<28} {:>8} {:>9} {:>9}",
            "question", "matches", "p50", "p99"
        );
        let mut all = Vec::new();
        for q in QUESTIONS {
            let mut times = Vec::with_capacity(RUNS);
            let mut matches = 0;
            for _ in 0..RUNS {
                let start = Instant::now();
                let outcome = spares_core::search::search(&store, q, 50)
                    .await
                    .expect("search");
                times.push(start.elapsed());
                matches = outcome.total;
            }
            times.sort();
            println!(
                "{:<28} {:>8} {:>7.2}ms {:>7.2}ms",
                q,
                matches,
                percentile(&times, 0.5).as_secs_f64() * 1e3,
                percentile(&times, 0.99).as_secs_f64() * 1e3
            );
            all.extend(times);
        }
        all.sort();
        println!(
            "{:<28} {:>8} {:>7.2}ms {:>7.2}ms",
            "ALL",
            "",
            percentile(&all, 0.5).as_secs_f64() * 1e3,
            percentile(&all, 0.99).as_secs_f64() * 1e3
        );
    });
}
