//! `spares ask`, `spares add`, `spares use`, `spares undo`: the bot's
//! conversation at a terminal, with the same sentences (from
//! [`spares_core::answer`] and [`spares_core::stock`]).

use anyhow::Context;
use spares_core::answer::{answer, line};
use spares_core::stock::{self, Resolved, Target};
use spares_core::{Change, Source, SpareId};

/// Who changes stock from this terminal: `cli:$USER` (what `undo` reverts).
fn actor() -> Change {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_default();
    let user: String = user
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .take(64)
        .collect();
    if user.is_empty() {
        Change::new(Source::Cli, "cli")
    } else {
        Change::new(Source::Cli, format!("cli:{user}"))
    }
}

/// The answer, then one line per part with its number; `false` when
/// nothing matched (for scripts: `spares ask 10k && …`).
pub async fn ask(url: &str, question: &str, limit: usize) -> anyhow::Result<bool> {
    let store = super::open(url).await?;
    let outcome = spares_core::search::search(store.as_ref(), question, limit.max(1))
        .await
        .context("searching")?;
    println!("{}", answer(question, &outcome));
    if !outcome.understood.warnings.is_empty() {
        println!("({})", outcome.understood.warnings.join("; "));
    }
    for s in &outcome.matches {
        println!("  #{:<6} {}", s.id, line(s));
    }
    let shown = outcome.matches.len() as u64;
    if outcome.total > shown {
        println!(
            "  … and {} more (--limit {})",
            outcome.total - shown,
            outcome.total
        );
    }
    Ok(!outcome.matches.is_empty())
}

/// Adds the part a line describes ("100 x 10k 0805 in A1").
pub async fn add(url: &str, text: &str) -> anyhow::Result<bool> {
    let store = super::open(url).await?;
    match stock::add(store.as_ref(), text, &actor())
        .await
        .context("adding")?
    {
        Ok((_, sentence)) => {
            println!("{sentence}");
            Ok(true)
        }
        Err(why) => anyhow::bail!("{why}"),
    }
}

/// Takes `count` out of the part `part` names (#12, 12, or words that match
/// exactly one part).
pub async fn take(url: &str, part: &str, count: i64) -> anyhow::Result<bool> {
    anyhow::ensure!(
        count >= 1,
        "take at least 1 (spares use PART [COUNT]); nothing was taken"
    );
    let store = super::open(url).await?;
    let wanted = part.trim();
    let target = match wanted.trim_start_matches('#').parse::<i64>() {
        Ok(n) if n > 0 => Target::Id(SpareId(n)),
        Ok(_) => anyhow::bail!("{part:?} is not a part number; nothing was taken"),
        Err(_) => Target::Question(wanted.to_owned()),
    };
    let id = match stock::resolve(store.as_ref(), &target)
        .await
        .context("finding the part")?
    {
        Resolved::One(id) => id,
        Resolved::NoMatch(q) => anyhow::bail!("No part matches “{q}”; nothing was taken."),
        Resolved::Several {
            question,
            total,
            candidates,
        } => {
            let mut text =
                format!("“{question}” matches {total} parts; say which with its number:");
            for s in &candidates {
                text.push_str(&format!("\n  spares use {} {count}   # {}", s.id, line(s)));
            }
            anyhow::bail!("{text}");
        }
    };
    let (taken, sentence) = stock::take(store.as_ref(), id, count, &actor())
        .await
        .context("taking parts out")?;
    if taken {
        println!("{sentence}");
        Ok(true)
    } else {
        anyhow::bail!("{sentence}")
    }
}

/// Reverts this terminal user's newest change.
pub async fn undo(url: &str) -> anyhow::Result<bool> {
    let store = super::open(url).await?;
    let (done, sentence) = stock::undo_last(store.as_ref(), &actor())
        .await
        .context("undoing")?;
    if done {
        println!("{sentence}");
        Ok(true)
    } else {
        anyhow::bail!("{sentence}")
    }
}
