//! Configuration: environment variables (12-factor), each overridable by a
//! command-line flag. Every variable is listed in README.md and .env.example.

use std::net::SocketAddr;

use clap::{Args, ValueEnum};

use crate::auth::ReadAccess;

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

    /// Argon2 hash of the admin password (make one with `spares
    /// hash-password`); nobody can sign in while it is unset.
    #[arg(long, env = "SPARES_ADMIN_PASSWORD_HASH", hide_env_values = true)]
    pub admin_password_hash: Option<String>,

    /// Secret (32+ characters) that signs session cookies; give every
    /// replica the same one. Unset: a random one per start (everyone is
    /// signed out on restart).
    #[arg(long, env = "SPARES_SESSION_SECRET", hide_env_values = true)]
    pub session_secret: Option<String>,

    /// Who may read: public (anyone who reaches the server) or private
    /// (signed-in people and API token holders). Writes always need sign-in.
    #[arg(long, env = "SPARES_READ_ACCESS", value_enum, default_value = "public")]
    pub read_access: ReadAccess,
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

    /// The address people use to reach Spares (e.g. https://spares.example.org):
    /// labels' QR codes point here; with https, cookies are marked Secure.
    #[arg(long, env = "SPARES_PUBLIC_URL", global = true)]
    pub public_url: Option<url::Url>,
}
