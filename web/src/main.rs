//! `spares`: serve the web app, import and export CSV.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use spares_core::{Currency, Store};
use spares_web::auth::{Auth, PasswordHash, ReadAccess, SessionKey, SessionPolicy, hash_password};
use spares_web::config::{CommonArgs, ServeArgs, StoreArgs};
use spares_web::state::{ApiToken, AppState};
use spares_web::{commands, startup, telemetry};

// Many small allocations per request (rows, strings, HTML): mimalloc
// served the list page 36% faster than glibc malloc on the 2-core dev
// machine (5,400 → 7,300 req/s; README, "Benchmarks").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Copy everything (ids, times, history) into another, empty database,
    /// e.g. --from sqlite://spares.db --to mongodb://localhost/spares.
    Migrate {
        /// Source database URL (default: SPARES_DATABASE_URL).
        #[arg(long)]
        from: Option<String>,
        /// Target database URL; it must be empty.
        #[arg(long)]
        to: String,
    },
    /// Make QR labels for boxes or parts: a PDF sheet (a4-3x8, letter-3x10)
    /// or label-printer PNGs (brother-62, brother-29x90, dymo-11354).
    Labels {
        /// Box codes, comma-separated (A1,A2).
        #[arg(long, value_delimiter = ',')]
        boxes: Vec<String>,
        /// Every box.
        #[arg(long, conflicts_with = "boxes")]
        all_boxes: bool,
        /// Part numbers, comma-separated (12,40).
        #[arg(long, value_delimiter = ',')]
        parts: Vec<i64>,
        /// Label size (see --help): a4-3x8, letter-3x10, brother-62, brother-29x90, dymo-11354.
        #[arg(long, default_value = "a4-3x8")]
        preset: String,
        /// First position to use on the first sheet (to reuse a partly used one).
        #[arg(long, default_value_t = 1)]
        start_at: usize,
        /// Moves everything right (negative: left) by this many mm, for
        /// printers that do not print where asked.
        #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
        offset_x: f64,
        /// Moves everything down (negative: up) by this many mm.
        #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
        offset_y: f64,
        /// Output file: .pdf, .png (label printers; one label, or NAME-1.png, NAME-2.png… for several) or .svg.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Print the text of every QR code in photos, one per line; exits 1 when
    /// there is none.
    Scan {
        /// JPEG, PNG or WebP files.
        #[arg(required = true)]
        photos: Vec<PathBuf>,
    },
    /// Exit 0 when the server at SPARES_LISTEN answers /healthz (for the
    /// container's HEALTHCHECK: the image has no curl).
    Healthcheck {
        /// Address of the server (default: SPARES_LISTEN, 0.0.0.0 read as 127.0.0.1).
        #[arg(long, env = "SPARES_LISTEN", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
    },
    /// Print an argon2 hash of a password read from standard input (for
    /// SPARES_ADMIN_PASSWORD_HASH). The password is never an argument, so it
    /// stays out of shell history.
    HashPassword,
    /// Write a consistent backup of the database to FILE (a new SQLite
    /// file), while the web app and the bot keep working: SQLite's online
    /// backup, or MongoDB's snapshot read.
    Backup {
        /// The backup file to create (refused if it exists).
        file: PathBuf,
    },
    /// Restore a backup made by `spares backup` into an empty database
    /// (default: SPARES_DATABASE_URL), checking counts and the CSV checksum.
    Restore {
        /// The backup file.
        file: PathBuf,
        /// The database to restore into; it must be empty.
        #[arg(long)]
        to: Option<String>,
    },
    /// End every signed-in web session now (for a cookie that may have
    /// been copied; changing the password does the same).
    SignOutEverywhere,
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

async fn open(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    spares_core::store::connect(url)
        .await
        .with_context(|| format!("opening the database {}", redact(url)))
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let currency = Currency::parse(&cli.common.currency)
        .with_context(|| format!("SPARES_CURRENCY / --currency {:?}", cli.common.currency))?;
    let url = cli.store.database_url.as_str();
    match cli.command {
        Command::Serve(args) => {
            let api_token =
                match args.api_token.as_deref() {
                    None | Some("") => None,
                    Some(t) => Some(ApiToken::new(t).context(
                        "SPARES_API_TOKEN / --api-token must have at least 16 characters",
                    )?),
                };
            let auth = auth_settings(&args, cli.common.public_url.as_ref())?;
            let store = open(url).await?;
            let listener = tokio::net::TcpListener::bind(args.listen)
                .await
                .with_context(|| format!("listening on {}", args.listen))?;
            let addr = listener.local_addr().context("reading the bound address")?;
            tracing::info!(%addr, database = store.backend(), "Spares is listening on http://{addr}");
            let state = AppState {
                store,
                api_token,
                auth,
                currency,
                public_url: cli
                    .common
                    .public_url
                    .as_ref()
                    .map(|u| Arc::from(u.as_str().trim_end_matches('/'))),
                limits: spares_web::limits::Limits::default(),
            };
            startup::serve(listener, state).await.context("serving")?;
        }
        Command::Labels {
            boxes,
            all_boxes,
            parts,
            preset,
            start_at,
            offset_x,
            offset_y,
            output,
        } => {
            let store = open(url).await?;
            let request = commands::LabelRequest {
                boxes,
                all_boxes,
                parts,
                preset,
                start_at,
                offset_mm: (offset_x, offset_y),
                public_url: cli
                    .common
                    .public_url
                    .as_ref()
                    .map(|u| u.as_str().trim_end_matches('/').to_owned()),
            };
            let files = commands::labels(store.as_ref(), &request, &output).await?;
            for f in &files {
                eprintln!("Wrote {}", f.display());
            }
        }
        Command::Scan { photos } => {
            let mut any = false;
            for path in &photos {
                let bytes =
                    std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
                let texts = spares_labels::decode::decode(&bytes)
                    .with_context(|| format!("reading {}", path.display()))?;
                if texts.is_empty() {
                    eprintln!(
                        "{}: no QR code found (try closer, with more light, the label flat and in focus)",
                        path.display()
                    );
                }
                for t in texts {
                    any = true;
                    println!("{t}");
                }
            }
            if !any {
                anyhow::bail!("no QR code found");
            }
        }
        Command::Healthcheck { listen } => {
            commands::healthcheck(listen).context("health check")?;
        }
        Command::Backup { file } => {
            let store = open(url).await?;
            store
                .backup_to(&file)
                .await
                .with_context(|| format!("backing up {} to {}", redact(url), file.display()))?;
            let copy = open(&sqlite_url(&file)).await?;
            let n = copy.count_spares().await.context("reading the backup")?;
            eprintln!(
                "Backed up {n} spares from {} to {}",
                redact(url),
                file.display()
            );
        }
        Command::Restore { file, to } => {
            anyhow::ensure!(file.is_file(), "{}: no such backup file", file.display());
            let source = open(&sqlite_url(&file)).await?;
            let to = to.as_deref().unwrap_or(url);
            let target = open(to).await?;
            let m = commands::migrate(source.as_ref(), target.as_ref())
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
        }
        Command::SignOutEverywhere => {
            let store = open(url).await?;
            let n = store
                .end_all_sessions()
                .await
                .context("ending the sessions")?;
            eprintln!(
                "Ended {n} signed-in session{}",
                if n == 1 { "" } else { "s" }
            );
        }
        Command::HashPassword => {
            let password = read_password()?;
            let hash = hash_password(&password).context("hashing the password")?;
            println!("{hash}");
        }
        Command::Import { file } => {
            let store = open(url).await?;
            let reader =
                File::open(&file).with_context(|| format!("opening {}", file.display()))?;
            let n = commands::import(store.as_ref(), reader, currency, "cli")
                .await
                .with_context(|| format!("importing {}", file.display()))?;
            eprintln!(
                "Imported {n} spares from {} into {}",
                file.display(),
                redact(url)
            );
        }
        Command::Export { output } => {
            let store = open(url).await?;
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
        Command::Migrate { from, to } => {
            let from = from.as_deref().unwrap_or(url);
            let source = open(from).await?;
            let target = open(&to).await?;
            let m = commands::migrate(source.as_ref(), target.as_ref())
                .await
                .with_context(|| format!("copying {} to {}", redact(from), redact(&to)))?;
            eprintln!(
                "Copied {} spares, {} boxes, {} shops, {} movements from {} to {}; CSV checksum {:016x} matches",
                m.spares,
                m.locations,
                m.shops,
                m.movements,
                redact(from),
                redact(&to),
                m.checksum
            );
        }
    }
    Ok(())
}

/// Sign-in settings from configuration; malformed values stop the start.
fn auth_settings(args: &ServeArgs, public_url: Option<&url::Url>) -> anyhow::Result<Arc<Auth>> {
    let password = match args.admin_password_hash.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(h) => Some(PasswordHash::parse(h).context("SPARES_ADMIN_PASSWORD_HASH")?),
    };
    let key = match args.session_secret.as_deref().map(str::trim) {
        None | Some("") => {
            tracing::warn!(
                "SPARES_SESSION_SECRET is not set: sessions end when the server restarts and are not shared between replicas"
            );
            SessionKey::random()
        }
        Some(secret) => SessionKey::from_secret(secret)?,
    };
    if password.is_none() {
        if args.read_access == ReadAccess::Private {
            anyhow::bail!(
                "SPARES_READ_ACCESS=private needs SPARES_ADMIN_PASSWORD_HASH (make one with `spares hash-password`), otherwise nobody could read"
            );
        }
        tracing::warn!(
            "SPARES_ADMIN_PASSWORD_HASH is not set: nobody can sign in, so the web pages are read-only"
        );
    }
    let secure = public_url.is_some_and(|u| u.scheme() == "https");
    let policy = SessionPolicy {
        idle_secs: args.session_idle_timeout,
        lifetime_secs: args.session_lifetime,
    };
    Ok(Arc::new(
        Auth::build(key, password, args.read_access, secure)
            .with_sessions(policy)
            .with_trusted_proxies(args.trusted_proxies.clone()),
    ))
}

/// A password from the terminal (not echoed) or from piped standard input.
fn read_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").context("reading the password")?;
        let again = rpassword::prompt_password("Again: ").context("reading the password")?;
        anyhow::ensure!(
            first == again,
            "the two passwords differ; nothing was printed"
        );
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    Ok(password)
}

/// The URL of an SQLite file.
fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}", path.display())
}

/// A database URL without its password, for messages and logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_appear_in_messages() {
        assert_eq!(
            redact("mongodb://spares:s3cret@db.example.com:27017/spares"),
            "mongodb://spares:***@db.example.com:27017/spares"
        );
        assert_eq!(
            redact("mongodb+srv://u:p%40ss@cluster0.example.net/x"),
            "mongodb+srv://u:***@cluster0.example.net/x"
        );
        assert_eq!(redact("sqlite://spares.db"), "sqlite://spares.db");
        assert_eq!(
            redact("mongodb://localhost/spares"),
            "mongodb://localhost/spares"
        );
    }
}
