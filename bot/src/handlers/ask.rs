//! Questions, boxes and low stock: read-only answers with part cards.

use spares_core::LocationCode;
use spares_core::StoreError;
use spares_core::answer::{answer, line};
use spares_core::query::{Page, Query};
use spares_core::question::{Understood, understand};
use spares_core::search;
use spares_core::spare::Spare;
use teloxide::prelude::*;
use teloxide::types::ParseMode;
use teloxide::utils::html::escape;

use super::{HandlerResult, box_code, no_such_box, say};
use crate::render::{self, PAGE};
use crate::{App, retry};

/// Sends one part as a card with its buttons.
pub(crate) async fn send_card(bot: &Bot, app: &App, chat: ChatId, spare: &Spare) -> HandlerResult {
    retry::send(
        bot.send_message(chat, render::card(spare, app.public_url()))
            .parse_mode(ParseMode::Html)
            .reply_markup(render::card_keyboard(spare)),
    )
    .await?;
    Ok(())
}

/// A question as typed and as understood (kept for "More").
#[derive(Debug, Clone)]
pub struct Asked {
    pub text: String,
    pub understood: Understood,
}

impl Asked {
    /// A question in words.
    pub fn words(text: &str) -> Asked {
        Asked {
            text: text.to_owned(),
            understood: understand(text),
        }
    }

    /// What is in a box: the query itself, not words to parse again.
    pub fn in_box(code: &LocationCode) -> Asked {
        Asked {
            text: format!("what's in {code}"),
            understood: Understood {
                query: Query {
                    location: Some(code.clone()),
                    ..Query::default()
                },
                warnings: Vec::new(),
            },
        }
    }
}

/// The core answer, then a card for each part on this page, then "More".
pub(crate) async fn answer_question(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    asked: Asked,
    offset: usize,
) -> HandlerResult {
    let question = asked.text.as_str();
    let understood = asked.understood.clone();
    let warnings = understood.warnings.clone();
    let page = Page {
        offset,
        ..Page::first(PAGE)
    };
    let outcome = search::run(app.store.as_ref(), understood, &page).await?;
    let mut text = if offset == 0 {
        escape(&answer(question, &outcome))
    } else {
        format!(
            "More for “{}” ({}–{} of {}):",
            escape(question.trim()),
            offset + 1,
            offset + outcome.matches.len(),
            outcome.total
        )
    };
    if offset == 0 && !warnings.is_empty() {
        text.push_str(&format!("\n<i>{}</i>", escape(&warnings.join("; "))));
    }
    let next = offset + outcome.matches.len();
    let mut request = bot.send_message(chat, text).parse_mode(ParseMode::Html);
    // "More" goes under the last card when there are cards.
    // Remember the question only when there is another page to show.
    let more = ((next as u64) < outcome.total)
        .then(|| render::more_keyboard(app.lists.put(asked.clone()), next, outcome.total))
        .flatten();
    if let (true, Some(kb)) = (outcome.matches.is_empty(), more.clone()) {
        request = request.reply_markup(kb);
    }
    retry::send(request).await?;
    for spare in &outcome.matches {
        send_card(bot, app, chat, spare).await?;
    }
    if let (false, Some(kb)) = (outcome.matches.is_empty(), more) {
        retry::send(bot.send_message(chat, "…").reply_markup(kb)).await?;
    }
    Ok(())
}

/// What is in a box: its name and a card per part.
pub(crate) async fn show_box(bot: &Bot, app: &App, chat: ChatId, code: &str) -> HandlerResult {
    let Some(code) = box_code(bot, chat, code, "box").await? else {
        return Ok(());
    };
    let location = match app.store.get_location(&code).await {
        Ok(l) => l,
        Err(StoreError::NotFound { .. }) => return no_such_box(bot, chat, &code).await,
        Err(e) => return Err(e.into()),
    };
    if !location.name.is_empty() {
        say(
            bot,
            chat,
            format!(
                "<b>{}</b> — {}",
                escape(code.as_str()),
                escape(&location.name)
            ),
        )
        .await?;
    }
    answer_question(bot, app, chat, Asked::in_box(&code), 0).await
}

/// Parts at or below their low-stock threshold.
pub(crate) async fn low(bot: &Bot, app: &App, chat: ChatId) -> HandlerResult {
    let query = Query {
        low_stock: true,
        ..Query::default()
    };
    let found = app.store.search(&query, &Page::first(30)).await?;
    if found.spares.is_empty() {
        return say(bot, chat, "Nothing is running low.").await;
    }
    let mut text = format!("<b>Running low</b> ({}):", found.total);
    for s in &found.spares {
        text.push_str(&format!("\n#{} · {}", s.id, escape(&line(s))));
    }
    if found.total > found.spares.len() as u64 {
        text.push_str(&format!(
            "\n… and {} more",
            found.total - found.spares.len() as u64
        ));
    }
    say(bot, chat, text).await
}
