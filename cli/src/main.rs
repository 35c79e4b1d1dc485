//! `spares`: the command line over the Spares libraries — serve the web
//! app, ask, add, use, undo, import, export, labels, scan, backups. One
//! function per command in [`commands`]; this file only starts them.

mod args;
mod commands;

use std::process::ExitCode;

use clap::Parser;

// Many small allocations per request (rows, strings, HTML): mimalloc
// served the list page 36% faster than glibc malloc on the 2-core dev
// machine (5,400 → 7,300 req/s; README, "Benchmarks").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    spares_web::telemetry::init(cli.common.log_format);
    let result = tokio::runtime::Runtime::new()
        .map_err(|e| anyhow::anyhow!("cannot start the async runtime: {e}"))
        .and_then(|rt| rt.block_on(commands::run(cli)));
    match result {
        Ok(code) => code,
        Err(e) => {
            // One line: what was being done, then why.
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
