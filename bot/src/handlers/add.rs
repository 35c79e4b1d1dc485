//! Adding parts: `/add` one line, the guided `/add` dialogue, and scanned
//! supplier bags filed into a box.

use spares_core::answer::line;
use spares_core::location::LocationCode;
use spares_core::query::{Page, Query};
use spares_core::spare::SpareInput;
use spares_core::{Quantity, StoreError};
use spares_labels::supplier::SupplierCode;
use teloxide::prelude::*;
use teloxide::types::{ParseMode, User};
use teloxide::utils::html::escape;

use super::{HandlerResult, State, Talk, actor, ask, reset, say, set_state};
use crate::render::{self, link};
use crate::{App, retry};
use spares_core::stock::{self, add_line, spare_input};

/// Stores a new part and shows its card, or says which field was wrong.
async fn create(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    user: &User,
    input: SpareInput,
) -> HandlerResult {
    match stock::add_input(app.store.as_ref(), input, &actor(user)).await? {
        Ok((spare, text)) => {
            say(bot, chat, escape(&text)).await?;
            ask::send_card(bot, app, chat, &spare).await
        }
        Err(text) => say(bot, chat, escape(&text)).await,
    }
}

/// `/add` alone starts the dialogue; `/add 10 x 10k 0805 in A1` adds at once.
pub(crate) async fn start(
    bot: &Bot,
    app: &App,
    talk: &Talk,
    chat: ChatId,
    user: &User,
    line: &str,
) -> HandlerResult {
    if line.trim().is_empty() {
        set_state(talk, State::AddWhat).await?;
        return say(
            bot,
            chat,
            "What is it? e.g. <i>resistor</i>, <i>ceramic capacitor</i>, <i>NE555</i>. (/cancel to stop)",
        )
        .await;
    }
    match add_line(line) {
        Ok(parsed) => {
            create(
                bot,
                app,
                chat,
                user,
                spare_input(&parsed.what, parsed.quantity, parsed.location.as_ref()),
            )
            .await
        }
        Err(e) => say(bot, chat, escape(&e)).await,
    }
}

fn optional(text: &str) -> String {
    let t = text.trim();
    if matches!(t, "-" | "—" | "none" | "no" | "skip") {
        String::new()
    } else {
        t.to_owned()
    }
}

/// One answer of the guided dialogue.
pub(crate) async fn step(
    bot: &Bot,
    app: &App,
    talk: &Talk,
    chat: ChatId,
    user: &User,
    state: State,
    text: &str,
) -> HandlerResult {
    let text: String = text.chars().take(200).collect();
    match state {
        State::AddWhat => {
            if text.trim().is_empty() {
                return say(bot, chat, "Tell me what it is, or /cancel.").await;
            }
            set_state(
                talk,
                State::AddValue {
                    what: text.trim().to_owned(),
                },
            )
            .await?;
            say(
                bot,
                chat,
                "Value? e.g. <i>10k</i>, <i>100nF</i>, <i>3.3V</i> — or <code>-</code> for none.",
            )
            .await
        }
        State::AddValue { what } => {
            let value = optional(&text);
            // "47k" is read in the unit of what was named (resistor → Ω).
            let hint = spares_core::question::understand(&what)
                .query
                .category
                .and_then(|c| c.primary_unit());
            if !value.is_empty() && spares_core::Value::parse(&value, hint).is_err() {
                return say(bot, chat, format!("“{}” is not a value I can read (e.g. 10k, 100nF, 4.7uH); try again or send -.", escape(&value))).await;
            }
            set_state(talk, State::AddPackage { what, value }).await?;
            say(
                bot,
                chat,
                "Package? e.g. <i>0805</i>, <i>DIP-8</i>, <i>TO-220</i> — or <code>-</code>.",
            )
            .await
        }
        State::AddPackage { what, value } => {
            set_state(
                talk,
                State::AddQuantity {
                    what,
                    value,
                    package: optional(&text),
                },
            )
            .await?;
            say(bot, chat, "How many?").await
        }
        State::AddQuantity {
            what,
            value,
            package,
        } => match text.trim().parse::<Quantity>() {
            Ok(q) if q.get() > 0 => {
                set_state(
                    talk,
                    State::AddBox {
                        what,
                        value,
                        package,
                        quantity: q.get(),
                    },
                )
                .await?;
                say(
                    bot,
                    chat,
                    "Which box? e.g. <i>A1</i> — or <code>-</code> for none.",
                )
                .await
            }
            _ => say(bot, chat, "Send a whole number, at least 1.").await,
        },
        State::AddBox {
            what,
            value,
            package,
            quantity,
        } => {
            let code = optional(&text);
            let location = if code.is_empty() {
                None
            } else {
                match LocationCode::parse(&code) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        return say(
                            bot,
                            chat,
                            format!("{} — try again or send -.", escape(&e.to_string())),
                        )
                        .await;
                    }
                }
            };
            let described = [what.as_str(), value.as_str(), package.as_str()].join(" ");
            let mut input = spare_input(&described, quantity, location.as_ref());
            if input.value.is_empty() && !value.is_empty() {
                input.value = value;
            }
            if input.package.is_empty() && !package.is_empty() {
                input.package = package;
            }
            reset(talk).await?;
            create(bot, app, chat, user, input).await
        }
        _ => reset(talk).await,
    }
}

/// Asks where a scanned bag goes: an existing part with that number, or a box.
pub(crate) async fn propose(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    code: SupplierCode,
) -> HandlerResult {
    let part = code.part().unwrap_or_default().to_owned();
    let quantity = code.quantity.map(|q| q.get()).unwrap_or(1);
    let existing = app
        .store
        .search(&Query::default().with_term(&part), &Page::first(3))
        .await?
        .spares
        .into_iter()
        .find(|s| s.reference.eq_ignore_ascii_case(&part));
    let boxes: Vec<LocationCode> = app
        .store
        .locations()
        .await?
        .into_iter()
        .map(|l| l.code)
        .take(16)
        .collect();
    let proposal = app.proposals.put(code.clone());
    let mut text = format!(
        "{} bag: add <b>{quantity} × {}</b> — to which box?",
        escape(code.supplier.name()),
        escape(&part)
    );
    if let Some(s) = &existing {
        text.push_str(&format!(
            "\nYou already have #{}: {}. {}",
            s.id,
            escape(&line(s)),
            link(app.public_url(), &format!("/s/{}", s.id), "open")
        ));
    }
    let mut keyboard = render::box_choice_keyboard(proposal, &boxes);
    if let Some(s) = existing {
        keyboard.inline_keyboard.insert(
            0,
            vec![teloxide::types::InlineKeyboardButton::callback(
                format!("Add to #{}", s.id),
                crate::action::Action::Adjust {
                    id: s.id,
                    delta: quantity.clamp(1, crate::action::MAX_STEP),
                }
                .to_string(),
            )],
        );
    }
    retry::send(
        bot.send_message(chat, text)
            .parse_mode(ParseMode::Html)
            .reply_markup(keyboard),
    )
    .await?;
    Ok(())
}

/// Files a proposal's parts in `code`.
pub(crate) async fn file_into(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    user: &User,
    proposal: u64,
    code: &LocationCode,
) -> HandlerResult {
    let Some(bag) = app.proposals.take(proposal) else {
        return say(
            bot,
            chat,
            "That bag was already filed (or I restarted since). Send the photo again.",
        )
        .await;
    };
    let input = bag.spare_input(Some(code));
    create(bot, app, chat, user, input).await
}

/// The box code typed after "Another box…".
pub(crate) async fn into_new_box(
    bot: &Bot,
    app: &App,
    talk: &Talk,
    chat: ChatId,
    user: &User,
    proposal: u64,
    text: &str,
) -> HandlerResult {
    let code = match LocationCode::parse(text) {
        Ok(c) => c,
        Err(e) => {
            return say(
                bot,
                chat,
                format!(
                    "{} — type a box code like D4, or /cancel.",
                    escape(&e.to_string())
                ),
            )
            .await;
        }
    };
    reset(talk).await?;
    match file_into(bot, app, chat, user, proposal, &code).await {
        Err(crate::BotError::Store(StoreError::Invalid(e))) => say(bot, chat, escape(&e)).await,
        other => other,
    }
}
