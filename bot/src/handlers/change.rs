//! Quantity changes: /use, numbers typed after "take out…" / "set…", /undo.

use spares_core::answer::line;
use spares_core::spare::{Spare, SpareId};
use spares_core::stock::{self, Resolved, use_line};
use spares_core::{Quantity, StoreError};
use teloxide::prelude::*;
use teloxide::types::User;
use teloxide::utils::html::escape;

use super::{HandlerResult, Talk, actor, reset, say};
use crate::App;

/// "Took 5: 145 left of #3 10 kΩ 0805 (A1)." or why not.
async fn take(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    user: &User,
    id: SpareId,
    count: i64,
) -> HandlerResult {
    let (_, text) = stock::take(app.store.as_ref(), id, count, &actor(user)).await?;
    say(bot, chat, escape(&text)).await
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
    let id = match stock::resolve(app.store.as_ref(), &parsed.target).await? {
        Resolved::One(id) => id,
        Resolved::NoMatch(q) => {
            return say(bot, chat, format!("No part matches “{}”.", escape(&q))).await;
        }
        Resolved::Several {
            question,
            total,
            candidates,
        } => {
            let mut reply = format!(
                "“{}” matches {total} parts; say which with its number:",
                escape(&question)
            );
            for s in &candidates {
                reply.push_str(&format!(
                    "\n/use {} #{} — {}",
                    parsed.count,
                    s.id,
                    escape(&line(s))
                ));
            }
            return say(bot, chat, reply).await;
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
    let (_, text) = stock::undo_last(app.store.as_ref(), &actor(user)).await?;
    say(bot, chat, escape(&text)).await
}
