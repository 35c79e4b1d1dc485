//! Configuration: environment variables (12-factor), each overridable by a
//! command-line flag. Every variable is listed in README.md and .env.example.

use std::net::SocketAddr;

use clap::{Args, ValueEnum};

/// Where the data lives (shared by every subcommand).
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// Database URL: sqlite://FILE (embedded default) or mongodb://HOST/DB.
    #[arg(
        long,
        env = "SPARES_DATABASE_URL",
        default_value = "sqlite://spares.db",
        global = true
    )]
    pub database_url: String,
}

/// Settings of `spares serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "SPARES_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Bearer token (16+ characters) that authorises JSON API writes; API
    /// writes are refused while it is unset.
    #[arg(long, env = "SPARES_API_TOKEN", hide_env_values = true)]
    pub api_token: Option<String>,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines (default on a terminal).
    Text,
    /// One JSON object per line (for containers and CloudWatch).
    Json,
}

/// Settings shared by every subcommand.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Log format: text or json.
    #[arg(
        long,
        env = "SPARES_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,

    /// Currency assumed for prices given without one (ISO 4217).
    #[arg(long, env = "SPARES_CURRENCY", default_value = "EUR", global = true)]
    pub currency: String,
}
