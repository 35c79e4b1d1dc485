//! `spares-bot`: reads its settings, opens the store, registers the command
//! menu, then long-polls Telegram until SIGTERM or Ctrl-C.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Parser;
use teloxide::dispatching::dialogue::InMemStorage;
use teloxide::prelude::*;
use teloxide::utils::command::BotCommands;

use spares_bot::config::{Config, LogFormat};
use spares_bot::{App, BotError, Command, State, access::Gate, files, retry, schema};

fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let result = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
    drop(result);
}

/// "mongodb://user:secret@host" → "mongodb://***@host" for messages.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}***{}", &url[..s + 3], &url[at..]),
        _ => url.to_owned(),
    }
}

/// A token as @BotFather gives it: "<digits>:<35 characters>".
fn check_token(token: &str) -> anyhow::Result<()> {
    let ok = token.split_once(':').is_some_and(|(id, secret)| {
        !id.is_empty()
            && id.chars().all(|c| c.is_ascii_digit())
            && secret.len() >= 20
            && secret
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    });
    if !ok {
        bail!(
            "TELOXIDE_TOKEN does not look like a bot token (digits, a colon, then about 35 letters, digits, - or _); copy it again from @BotFather"
        );
    }
    Ok(())
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => tracing::info!("SIGTERM: finishing the updates in hand, then stopping"),
                    _ = tokio::signal::ctrl_c() => tracing::info!("Ctrl-C: stopping"),
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn run(config: Config) -> anyhow::Result<()> {
    let Some(token) = config.token.clone() else {
        bail!(
            "TELOXIDE_TOKEN is not set: create a bot with @BotFather (/newbot) and put its token in TELOXIDE_TOKEN (or pass --token)"
        );
    };
    check_token(&token)?;
    let Some(allowed) = config.allowed_users.clone() else {
        bail!(
            "SPARES_BOT_ALLOWED_USERS is not set: list the Telegram user ids that may use the bot, e.g. SPARES_BOT_ALLOWED_USERS=123456789 (@userinfobot tells you yours)"
        );
    };
    let store = spares_store::connect(&config.database_url)
        .await
        .with_context(|| format!("opening the database {}", redacted(&config.database_url)))?;
    let mut bot = Bot::new(token);
    if let Some(url) = config.api_url.clone() {
        bot = bot.set_api_url(url);
    }
    let me = retry::send(bot.get_me())
        .await
        .context("asking Telegram who this bot is (is TELOXIDE_TOKEN right, and is api.telegram.org reachable?)")?;
    tracing::info!(
        bot = %me.username(),
        users = %allowed,
        database = store.backend(),
        "spares-bot started"
    );
    // Telegram's menu wants bare names ("find", not "/find").
    let menu: Vec<_> = Command::bot_commands()
        .into_iter()
        .map(|mut c| {
            c.command = c.command.trim_start_matches('/').to_owned();
            c
        })
        .collect();
    if let Err(e) = retry::send(bot.set_my_commands(menu)).await {
        tracing::warn!(error = %e, "could not register the command menu");
    }
    let app = App::new(
        store,
        config.public_url.clone(),
        Gate::new(allowed).with_groups(config.allowed_chats.clone().unwrap_or_default()),
        files::telegram(),
    );
    let on_error = Arc::new(|e: BotError| async move {
        tracing::error!(error = %spares_core::error_chain(&e), "an update failed");
    });
    let mut dispatcher = Dispatcher::builder(bot, schema())
        .dependencies(dptree::deps![app, InMemStorage::<State>::new()])
        .error_handler(on_error)
        .default_handler(|_| async {})
        .build();
    let stop = dispatcher.shutdown_token();
    tokio::spawn(async move {
        wait_for_stop().await;
        if let Ok(done) = stop.shutdown() {
            done.await;
        }
    });
    dispatcher.dispatch().await;
    tracing::info!("spares-bot stopped");
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    init_logs(config.log_format);
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("spares-bot: {e:#}");
            ExitCode::FAILURE
        }
    }
}
