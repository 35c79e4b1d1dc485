//! Quantity changes: /use, numbers typed after "take out…" / "set…", /undo.

use std::collections::HashSet;

use spares_core::answer::{describe, line};
use spares_core::query::Page;
use spares_core::question::understand;
use spares_core::spare::{Spare, SpareId};
use spares_core::{Quantity, StoreError};
use teloxide::prelude::*;
use teloxide::types::User;
use teloxide::utils::html::escape;

use super::{HandlerResult, Talk, actor, reset, say};
use crate::App;
use crate::parse::{Target, use_line};

/// "Took 5: 145 left of 10 kΩ 0805 (A1)." or why not.
async fn take(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    user: &User,
    id: SpareId,
    count: i64,
) -> HandlerResult {
    match app.store.adjust(id, -count, &actor(user)).await {
        Ok(m) => {
            let spare = app.store.get_spare(id).await?;
            say(
                bot,
                chat,
                format!(
                    "Took {count}: {} left of #{id} {}.",
                    m.quantity_after,
                    escape(&describe(&spare))
                ),
            )
            .await
        }
        Err(StoreError::InsufficientStock { available, .. }) => {
            say(
                bot,
                chat,
                format!("Only {available} left of #{id}; nothing was taken."),
            )
            .await
        }
        Err(StoreError::NotFound { .. }) => {
            say(bot, chat, format!("There is no part #{id}.")).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `/use N what` or `/use N #id`.
pub(crate) async fn use_parts(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    user: &User,
    text: &str,
) -> HandlerResult {
    let parsed = match use_line(text) {
        Ok(p) => p,
        Err(e) => return say(bot, chat, escape(&e)).await,
    };
    let id = match parsed.target {
        Target::Id(id) => id,
        Target::Question(q) => {
            let found = app
                .store
                .search(&understand(&q).query, &Page::first(6))
                .await?;
            match found.spares.as_slice() {
                [] => return say(bot, chat, format!("No part matches “{}”.", escape(&q))).await,
                [one] => one.id,
                many => {
                    let mut reply = format!(
                        "“{}” matches {} parts; say which with its number:",
                        escape(&q),
                        found.total
                    );
                    for s in many.iter().take(5) {
                        reply.push_str(&format!(
                            "\n/use {} #{} — {}",
                            parsed.count,
                            s.id,
                            escape(&line(s))
                        ));
                    }
                    return say(bot, chat, reply).await;
                }
            }
        }
    };
    take(bot, app, chat, user, id, parsed.count).await
}

/// The number typed after "take out…" or "set…".
#[allow(clippy::too_many_arguments)]
pub(crate) async fn number(
    bot: &Bot,
    app: &App,
    talk: &Talk,
    chat: ChatId,
    user: &User,
    id: SpareId,
    take_out: bool,
    text: &str,
) -> HandlerResult {
    let n = match text.trim().parse::<Quantity>() {
        Ok(n) => n,
        Err(_) => {
            return say(bot, chat, "Send a whole number (0 or more), or /cancel.").await;
        }
    };
    reset(talk).await?;
    if take_out {
        if n.get() == 0 {
            return say(bot, chat, "Nothing taken.").await;
        }
        return take(bot, app, chat, user, id, n.get()).await;
    }
    match app.store.set_quantity(id, n, &actor(user)).await {
        Ok(_) => {
            let spare: Spare = app.store.get_spare(id).await?;
            say(bot, chat, format!("Set: {}", escape(&line(&spare)))).await
        }
        Err(StoreError::NotFound { .. }) => {
            say(bot, chat, format!("There is no part #{id} any more.")).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Reverts this person's newest change that is not itself an undo and was
/// not undone yet (so repeated /undo walks back through their changes).
pub(crate) async fn undo(bot: &Bot, app: &App, chat: ChatId, user: &User) -> HandlerResult {
    let change = actor(user);
    let recent = app.store.recent_movements(2000).await?;
    let mine: Vec<_> = recent.iter().filter(|m| m.actor == change.actor).collect();
    let undo_of = |reason: &Option<String>| -> Option<i64> {
        reason.as_deref()?.strip_prefix("undo #")?.parse().ok()
    };
    let undone: HashSet<i64> = mine.iter().filter_map(|m| undo_of(&m.reason)).collect();
    let Some(target) = mine
        .iter()
        .find(|m| undo_of(&m.reason).is_none() && !undone.contains(&m.id))
    else {
        return say(bot, chat, "There is no change of yours to undo.").await;
    };
    let reason = format!("undo #{}", target.id);
    match app
        .store
        .adjust(
            target.spare,
            -target.delta,
            &change.clone().with_reason(&reason),
        )
        .await
    {
        Ok(m) => {
            let spare = app.store.get_spare(target.spare).await?;
            let what = if target.delta > 0 { "added" } else { "taken" };
            say(
                bot,
                chat,
                format!(
                    "Undone ({} {what}): #{} {} is back to {}.",
                    target.delta.abs(),
                    target.spare,
                    escape(&describe(&spare)),
                    m.quantity_after
                ),
            )
            .await
        }
        Err(StoreError::InsufficientStock { available, .. }) => say(
            bot,
            chat,
            format!(
                "Cannot undo adding {} to #{}: only {available} are left now. Nothing was changed.",
                target.delta, target.spare
            ),
        )
        .await,
        Err(StoreError::NotFound { .. }) => {
            say(
                bot,
                chat,
                format!("Part #{} was deleted; nothing to undo.", target.spare),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
