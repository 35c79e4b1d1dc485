//! `spares projects`, `spares build`, `spares shopping`: saved projects
//! (see `spares check --save`), building boards and undoing a build, and
//! what to order.

use std::path::Path;

use anyhow::Context;
use spares_core::project::{self, BuildError, BuildId, MAX_BOARDS, ShopFormat, shopping};
use spares_core::{Change, Source};

fn change() -> Change {
    let user = std::env::var("USER").unwrap_or_else(|_| "cli".into());
    Change::new(Source::Cli, user)
}

fn check_boards(boards: u32) -> anyhow::Result<()> {
    if boards == 0 || boards > MAX_BOARDS {
        anyhow::bail!("--boards must be between 1 and {MAX_BOARDS}");
    }
    Ok(())
}

/// Lists the projects; `false` when there is none.
pub async fn list(url: &str) -> anyhow::Result<bool> {
    let store = super::open(url).await?;
    let projects = store.list_projects().await.context("listing projects")?;
    if projects.is_empty() {
        eprintln!("No projects yet: spares check DESIGN --save NAME keeps one.");
        return Ok(false);
    }
    for p in &projects {
        let builds = store.builds(p.id).await.context("reading builds")?;
        let active = builds.iter().filter(|b| b.undone_at.is_none()).count();
        println!(
            "#{}  {}  ({} lines, from {}; {} build{})",
            p.id,
            p.data.name,
            p.data.lines.len(),
            p.data.sources.join(", "),
            active,
            if active == 1 { "" } else { "s" }
        );
    }
    Ok(true)
}

/// Builds `boards` boards; `false` (after saying why) when a line is short.
pub async fn build(url: &str, name: &str, boards: u32) -> anyhow::Result<bool> {
    check_boards(boards)?;
    let store = super::open(url).await?;
    let p = project::find(store.as_ref(), name)
        .await
        .with_context(|| format!("finding the project {name:?}"))?;
    match project::build(store.as_ref(), &p, boards, &change()).await {
        Ok(built) => {
            super::check::print_check(&built.check);
            let parts: u64 = built.build.takes.iter().map(|t| t.quantity).sum();
            println!(
                "\nBuilt {} × {}: took {parts} parts from {} spares. Build #{} (spares build --undo {} puts them back).",
                built.build.boards,
                p.data.name,
                built.build.takes.len(),
                built.build.id,
                built.build.id
            );
            Ok(true)
        }
        Err(e @ BuildError::Short { .. }) => {
            println!("{e}");
            Ok(false)
        }
        Err(BuildError::Store(e)) => Err(e).context("building"),
    }
}

/// Puts back what a build took.
pub async fn undo(url: &str, build: i64) -> anyhow::Result<bool> {
    let store = super::open(url).await?;
    let b = project::undo(store.as_ref(), BuildId(build), &change())
        .await
        .with_context(|| format!("undoing build #{build}"))?;
    let parts: u64 = b.takes.iter().map(|t| t.quantity).sum();
    println!("Build #{} undone: {parts} parts put back.", b.id);
    Ok(true)
}

/// Writes the shopping list; `false` when nothing needs ordering.
pub async fn shopping(
    url: &str,
    name: &str,
    boards: u32,
    extra: u32,
    format: &str,
    output: Option<&Path>,
) -> anyhow::Result<bool> {
    check_boards(boards)?;
    let format = ShopFormat::parse(format)
        .with_context(|| format!("--format {format:?}: choose plain, lcsc, mouser or digikey"))?;
    if extra > shopping::MAX_EXTRA {
        anyhow::bail!("--extra must be at most {}", shopping::MAX_EXTRA);
    }
    let store = super::open(url).await?;
    let p = project::find(store.as_ref(), name)
        .await
        .with_context(|| format!("finding the project {name:?}"))?;
    let checked = project::check_project(store.as_ref(), &p, boards)
        .await
        .context("checking the project against the stock")?;
    let list = project::shopping_list(&checked, extra);
    let text = shopping::write(&list, format);
    match output {
        Some(path) => {
            std::fs::write(path, &text).with_context(|| format!("writing {}", path.display()))?
        }
        None => print!("{text}"),
    }
    if list.is_empty() {
        eprintln!(
            "Nothing to order: the stock covers {boards} × {}.",
            p.data.name
        );
    }
    Ok(!list.is_empty())
}
