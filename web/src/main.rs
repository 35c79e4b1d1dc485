//! `spares`: serve the web app, import and export CSV.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use spares_core::Currency;
use spares_web::config::{CommonArgs, ServeArgs, StoreArgs};
use spares_web::state::AppState;
use spares_web::{commands, startup, telemetry};

/// Spares: what is in your electronics boxes.
#[derive(Debug, Parser)]
#[command(name = "spares", version, about)]
struct Cli {
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    common: CommonArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the web app and the JSON API.
    Serve(ServeArgs),
    /// Add the spares of a CSV file (all rows or none).
    Import {
        /// The CSV file (columns: category, reference, value, package, quantity, ...).
        file: PathBuf,
    },
    /// Write every spare as CSV (to standard output unless -o is given).
    Export {
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.common.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: what was being done, then why.
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let currency = Currency::parse(&cli.common.currency)
        .with_context(|| format!("SPARES_CURRENCY / --currency {:?}", cli.common.currency))?;
    let url = &cli.store.database_url;
    let store = spares_core::store::connect(url)
        .await
        .with_context(|| format!("opening the database {url}"))?;

    match cli.command {
        Command::Serve(args) => {
            let listener = tokio::net::TcpListener::bind(args.listen)
                .await
                .with_context(|| format!("listening on {}", args.listen))?;
            let addr = listener.local_addr().context("reading the bound address")?;
            tracing::info!(%addr, database = store.backend(), "Spares is listening on http://{addr}");
            startup::serve(listener, AppState { store })
                .await
                .context("serving")?;
        }
        Command::Import { file } => {
            let reader =
                File::open(&file).with_context(|| format!("opening {}", file.display()))?;
            let n = commands::import(store.as_ref(), reader, currency, "cli")
                .await
                .with_context(|| format!("importing {}", file.display()))?;
            eprintln!("Imported {n} spares from {} into {url}", file.display());
        }
        Command::Export { output } => {
            let n = match &output {
                Some(path) => {
                    let file = File::create(path)
                        .with_context(|| format!("creating {}", path.display()))?;
                    commands::export(store.as_ref(), BufWriter::new(file)).await
                }
                None => commands::export(store.as_ref(), std::io::stdout().lock()).await,
            }
            .context("exporting")?;
            eprintln!("Exported {n} spares");
        }
    }
    Ok(())
}
