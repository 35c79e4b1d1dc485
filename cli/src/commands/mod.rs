//! One function per command; [`run`] picks it. Each opens the store it
//! needs, makes one library call, and prints the result (answers on
//! standard output, progress and confirmations on standard error).

mod account;
mod backup;
mod check;
mod health;
mod labels;
mod projects;
mod scan;
mod serve;
mod stock;
mod transfer;

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use spares_core::{Currency, Store};

use crate::args::{Cli, Command};

/// Runs the command; `ExitCode::FAILURE` without an error when the answer
/// itself is "no" (ask found nothing, use took nothing, scan read nothing).
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let currency = Currency::parse(&cli.common.currency)
        .with_context(|| format!("SPARES_CURRENCY / --currency {:?}", cli.common.currency))?;
    let url = cli.store.database_url.as_str();
    let public_url = cli.common.public_url;
    let done = match cli.command {
        Command::Serve(args) => serve::serve(url, &args, currency, public_url).await?,
        Command::Ask { question, limit } => stock::ask(url, &question.join(" "), limit).await?,
        Command::Add { line } => stock::add(url, &line.join(" ")).await?,
        Command::Use { part, count } => stock::take(url, &part, count).await?,
        Command::Undo => stock::undo(url).await?,
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
            let request = labels::LabelRequest {
                boxes,
                all_boxes,
                parts,
                preset,
                start_at,
                offset_mm: (offset_x, offset_y),
                public_url,
            };
            labels::run(url, &request, &output).await?
        }
        Command::Scan { photos } => scan::scan(&photos)?,
        Command::Check {
            files,
            boards,
            columns,
            save,
            replace,
        } => {
            let keep = match (save, replace) {
                (Some(name), _) => check::Keep::As(name),
                (None, Some(project)) => check::Keep::Replacing(project),
                (None, None) => check::Keep::No,
            };
            check::check(url, &files, boards, columns.as_deref(), keep).await?
        }
        Command::Projects => projects::list(url).await?,
        Command::Build {
            project,
            boards,
            undo,
        } => match undo {
            Some(build) => projects::undo(url, build).await?,
            None => projects::build(url, project.as_deref().unwrap_or_default(), boards).await?,
        },
        Command::Shopping {
            project,
            boards,
            extra,
            format,
            output,
        } => projects::shopping(url, &project, boards, extra, &format, output.as_deref()).await?,
        Command::Healthcheck { listen } => {
            health::healthcheck(listen).context("health check")?;
            true
        }
        Command::Backup { file } => backup::backup(url, &file).await?,
        Command::Restore { file, to } => backup::restore(url, &file, to.as_deref()).await?,
        Command::SignOutEverywhere => account::sign_out_everywhere(url).await?,
        Command::HashPassword => account::hash_password()?,
        Command::Import { file } => transfer::import_file(url, &file, currency).await?,
        Command::Export { output } => transfer::export_file(url, output.as_deref()).await?,
        Command::Migrate { from, to } => {
            transfer::migrate_urls(from.as_deref().unwrap_or(url), &to).await?
        }
    };
    Ok(if done {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Opens the store a URL names, saying which (without its password) when
/// it cannot.
async fn open(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    spares_store::connect(url)
        .await
        .with_context(|| format!("opening the database {}", redact(url)))
}

/// The URL of an SQLite file.
fn sqlite_url(path: &Path) -> String {
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
