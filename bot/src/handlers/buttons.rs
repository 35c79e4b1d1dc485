//! Button presses. Each re-reads the part before it acts, so a button on
//! an old message changes today's quantity, never a stale one.

use std::sync::Arc;

use spares_core::StoreError;
use spares_core::answer::describe;
use spares_core::spare::SpareId;
use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{MessageId, ParseMode};
use teloxide::utils::html::escape;

use super::{HandlerResult, State, Talk, actor, add, ask, projects, reset, say, set_state};
use crate::action::Action;
use crate::render;
use crate::{App, BotError, retry};

/// Replaces a card with the part as it is now (or says it is gone).
async fn refresh(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    message: MessageId,
    id: SpareId,
) -> HandlerResult {
    let request = match app.store.get_spare(id).await {
        Ok(spare) => bot
            .edit_message_text(chat, message, render::card(&spare, app.public_url()))
            .parse_mode(ParseMode::Html)
            .reply_markup(render::card_keyboard(&spare)),
        Err(StoreError::NotFound { .. }) => {
            bot.edit_message_text(chat, message, format!("#{id} was deleted."))
        }
        Err(e) => return Err(e.into()),
    };
    match retry::send(request).await {
        Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn on_button(
    bot: Bot,
    app: Arc<App>,
    talk: Talk,
    q: CallbackQuery,
) -> HandlerResult {
    let user = q.from.clone();
    let chat = q
        .regular_message()
        .map(|m| m.chat.id)
        .unwrap_or(ChatId(user.id.0 as i64));
    let message = q.regular_message().map(|m| m.id);
    let action = q.data.as_deref().unwrap_or_default().parse::<Action>();
    let mut toast: Option<String> = None;
    let result = match action {
        Err(e) => {
            toast = Some(e.to_string());
            Ok(())
        }
        Ok(Action::Adjust { id, delta }) => {
            match app.store.adjust(id, delta, &actor(&user)).await {
                Ok(m) => {
                    toast = Some(format!("{:+} → {} left", delta, m.quantity_after));
                }
                Err(StoreError::InsufficientStock { available, .. }) => {
                    toast = Some(format!("Only {available} left; nothing taken."));
                }
                Err(StoreError::NotFound { .. }) => {
                    toast = Some(format!("#{id} no longer exists."));
                }
                Err(e) => return answer_then(bot, q.id.clone(), None, Err(e.into())).await,
            }
            match message {
                Some(m) => refresh(&bot, &app, chat, m, id).await,
                None => Ok(()),
            }
        }
        Ok(Action::AskNumber { id, take }) => match app.store.get_spare(id).await {
            Ok(spare) => {
                set_state(&talk, State::Number { id, take }).await?;
                let question = if take {
                    "How many to take out of"
                } else {
                    "New quantity of"
                };
                say(
                    &bot,
                    chat,
                    format!(
                        "{question} #{id} {} ({} now)? Send a number, or /cancel.",
                        escape(&describe(&spare)),
                        spare.quantity
                    ),
                )
                .await
            }
            Err(StoreError::NotFound { .. }) => {
                toast = Some(format!("#{id} no longer exists."));
                Ok(())
            }
            Err(e) => Err(e.into()),
        },
        Ok(Action::Show { id }) => match app.store.get_spare(id).await {
            Ok(spare) => ask::send_card(&bot, &app, chat, &spare).await,
            Err(StoreError::NotFound { .. }) => {
                toast = Some(format!("#{id} no longer exists."));
                Ok(())
            }
            Err(e) => Err(e.into()),
        },
        Ok(Action::Page { list, offset }) => match app.lists.get(list) {
            Some(asked) => ask::answer_question(&bot, &app, chat, asked, offset).await,
            None => {
                toast = Some("That list is old — ask again.".into());
                Ok(())
            }
        },
        Ok(Action::Box { code }) => ask::show_box(&bot, &app, chat, code.as_str()).await,
        Ok(Action::AddInto { proposal, code }) => {
            let r = add::file_into(&bot, &app, chat, &user, proposal, &code).await;
            if let (Ok(()), Some(m)) = (&r, message) {
                // The choice is made: take the buttons away.
                let _ = retry::send(bot.edit_message_reply_markup(chat, m)).await;
            }
            r
        }
        Ok(Action::AddIntoNew { proposal }) => {
            set_state(&talk, State::NewBox { proposal }).await?;
            say(&bot, chat, "Type the box code (e.g. D4).").await
        }
        Ok(Action::ProjectDetails { project, boards }) => gone_project(
            projects::details(&bot, &app, chat, project, boards).await,
            &mut toast,
        ),
        Ok(Action::ProjectBuild { project, boards }) => gone_project(
            projects::build(&bot, &app, chat, &user, project, boards).await,
            &mut toast,
        ),
        Ok(Action::ProjectShopping { project, boards }) => gone_project(
            projects::shopping(&bot, &app, chat, project, boards).await,
            &mut toast,
        ),
        Ok(Action::UndoBuild { build }) => {
            let r = projects::undo(&bot, &app, chat, &user, build).await;
            if let (Ok(()), Some(m)) = (&r, message) {
                // Undone: the button goes.
                let _ = retry::send(bot.edit_message_reply_markup(chat, m)).await;
            }
            r
        }
        Ok(Action::Cancel) => {
            reset(&talk).await?;
            if let Some(m) = message {
                let _ = retry::send(bot.edit_message_text(chat, m, "Cancelled.")).await;
            }
            Ok(())
        }
    };
    answer_then(bot, q.id.clone(), toast, result).await
}

/// Telegram shows a spinner on the button until the press is answered.
async fn answer_then(
    bot: Bot,
    id: teloxide::types::CallbackQueryId,
    toast: Option<String>,
    result: HandlerResult,
) -> HandlerResult {
    let mut answer = bot.answer_callback_query(id);
    if let Some(t) = toast {
        answer = answer.text(t);
    }
    let answered = retry::send(answer)
        .await
        .map(|_| ())
        .map_err(BotError::from);
    result.and(answered)
}

/// A project deleted since its buttons were sent: a toast, not an error.
fn gone_project(result: HandlerResult, toast: &mut Option<String>) -> HandlerResult {
    match result {
        Err(BotError::Store(StoreError::NotFound { .. })) => {
            *toast = Some("That project no longer exists.".into());
            Ok(())
        }
        other => other,
    }
}
