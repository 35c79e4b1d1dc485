//! Configuration: environment variables (12-factor), each overridable by a
//! command-line flag. Every variable is listed in README.md and .env.example.

use std::net::SocketAddr;

use clap::{Args, ValueEnum};

use crate::auth::ReadAccess;
use crate::auth::client::TrustedProxies;

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

    /// A signed-in session ends after this long without a request
    /// (e.g. 30m, 12h, 2d; plain numbers are seconds).
    #[arg(long, env = "SPARES_SESSION_IDLE_TIMEOUT", default_value = "12h", value_parser = parse_duration)]
    pub session_idle_timeout: i64,

    /// A signed-in session ends this long after sign-in, however active.
    #[arg(long, env = "SPARES_SESSION_LIFETIME", default_value = "7d", value_parser = parse_duration)]
    pub session_lifetime: i64,

    /// Proxies (addresses or CIDR blocks, comma-separated) whose
    /// X-Forwarded-For names the client, for sign-in limits and logs; e.g.
    /// the nginx container's network or the load balancer's subnets.
    /// Unset: the direct peer is the client.
    #[arg(long, env = "SPARES_TRUSTED_PROXIES", default_value = "", value_parser = parse_proxies)]
    pub trusted_proxies: TrustedProxies,
}

fn parse_proxies(text: &str) -> Result<TrustedProxies, String> {
    text.parse()
        .map_err(|e: crate::auth::client::NetworkError| e.to_string())
}

/// Seconds from `90`, `90s`, `30m`, `12h` or `7d` (at least a minute, at
/// most a year).
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let (number, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => t.split_at(i),
        None => (t, "s"),
    };
    let scale = match unit.trim() {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => {
            return Err(format!(
                "{t:?}: give a number with s, m, h or d (e.g. 12h, 7d)"
            ));
        }
    };
    let n: i64 = number
        .parse()
        .map_err(|_| format!("{t:?}: give a number with s, m, h or d (e.g. 12h, 7d)"))?;
    let secs = n.saturating_mul(scale);
    if !(60..=366 * 86_400).contains(&secs) {
        return Err(format!("{t:?}: give at least a minute and at most a year"));
    }
    Ok(secs)
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_duration("12h"), Ok(12 * 3600));
        assert_eq!(parse_duration("7d"), Ok(7 * 86_400));
        assert_eq!(parse_duration("30m"), Ok(1800));
        assert_eq!(parse_duration("900"), Ok(900));
        for bad in ["", "h", "12x", "-5m", "10s", "400d", "1.5h"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
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
    pub public_url: Option<spares_core::PublicUrl>,
}
