//! The update tree: gate → messages (commands, photos, text by dialogue
//! state) and button presses.

mod add;
mod ask;
mod buttons;
mod change;
mod outputs;
mod photo;
mod projects;

use std::sync::Arc;

use teloxide::dispatching::UpdateHandler;
use teloxide::dispatching::dialogue::{Dialogue, InMemStorage};
use teloxide::prelude::*;
use teloxide::types::{ParseMode, User};
use teloxide::utils::command::BotCommands;

use spares_core::location::LocationCode;
use spares_core::movement::{Change, Source};
use spares_core::spare::SpareId;
use teloxide::utils::html::escape;

pub use ask::Asked;

use crate::access::{ChatVerdict, Verdict};
use crate::{App, BotError, retry};

pub type Talk = Dialogue<State, InMemStorage<State>>;
pub type HandlerResult = Result<(), BotError>;

/// The bot's commands (registered with setMyCommands for Telegram's menu).
#[derive(BotCommands, Clone, Debug, PartialEq)]
#[command(
    rename_rule = "lowercase",
    description = "Spares — what is in your boxes:"
)]
pub enum Command {
    #[command(description = "what I can do")]
    Start,
    #[command(description = "what I can do")]
    Help,
    #[command(description = "search: /find 10k 0805")]
    Find(String),
    #[command(description = "what is in a box: /box A1")]
    Box(String),
    #[command(description = "add parts: /add, or /add 10 x 10k 0805 in A1")]
    Add(String),
    #[command(description = "take parts out: /use 5 10k 0805, /use 5 #12")]
    Use(String),
    #[command(description = "revert your last change")]
    Undo,
    #[command(description = "parts running low")]
    Low,
    #[command(description = "a box's label as PNG and PDF: /label A1")]
    Label(String),
    #[command(description = "everything as CSV")]
    Export,
    #[command(description = "can I build this: /check, then one part per line")]
    Check(String),
    #[command(description = "your projects")]
    Projects,
    #[command(description = "build a project: /build Tube amp 2")]
    Build(String),
    #[command(description = "stop what I was asking")]
    Cancel,
}

/// What the bot is waiting for from a chat.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum State {
    #[default]
    Idle,
    /// A number for a part: its new quantity, or how many to take out.
    Number {
        id: SpareId,
        take: bool,
    },
    AddWhat,
    AddValue {
        what: String,
    },
    AddPackage {
        what: String,
        value: String,
    },
    AddQuantity {
        what: String,
        value: String,
        package: String,
    },
    AddBox {
        what: String,
        value: String,
        package: String,
        quantity: i64,
    },
    /// A box code for a scanned supplier bag.
    NewBox {
        proposal: u64,
    },
}

/// The movement's actor for a Telegram user.
pub fn actor(user: &User) -> Change {
    Change::new(Source::Bot, format!("telegram:{}", user.id.0))
}

/// Sends an HTML message (retried).
pub(crate) async fn say(bot: &Bot, chat: ChatId, html: impl Into<String>) -> HandlerResult {
    retry::send(bot.send_message(chat, html).parse_mode(ParseMode::Html)).await?;
    Ok(())
}

/// Lets allowed users through, within their rate; tells a stranger once.
async fn admit(app: Arc<App>, bot: Bot, update: Update) -> bool {
    let Some(user) = update.from() else {
        return false;
    };
    if let Some(chat) = update.chat() {
        match app.gate.check_chat(chat.id.0, chat.is_private()) {
            ChatVerdict::Allow => {}
            ChatVerdict::Ignore => return false,
            ChatVerdict::TellOnce => {
                tracing::info!(chat = chat.id.0, "asked in a group that is not allowed");
                if let Err(e) = say(&bot, chat.id, crate::render::PRIVATE_ONLY).await {
                    tracing::warn!(error = %e, "could not send a refusal");
                }
                return false;
            }
        }
    }
    let verdict = app.gate.check(user.id.0);
    let chat = update.chat().map(|c| c.id);
    let reply = match verdict {
        Verdict::Allow => return true,
        Verdict::Ignore | Verdict::SlowDownQuietly => return false,
        Verdict::RefuseOnce => {
            tracing::info!(
                user = user.id.0,
                "refused a user who is not on the allow-list"
            );
            "Sorry, this is a private bot: it only answers the people its owner allowed."
        }
        Verdict::SlowDown => "That is a lot at once — give me a few seconds.",
    };
    if let Some(chat) = chat
        && let Err(e) = say(&bot, chat, reply).await
    {
        tracing::warn!(error = %e, "could not send a refusal");
    }
    false
}

/// The whole tree.
pub fn schema() -> UpdateHandler<BotError> {
    let messages = Update::filter_message()
        .enter_dialogue::<Message, InMemStorage<State>, State>()
        .branch(teloxide::filter_command::<Command, _>().endpoint(on_command))
        .branch(
            dptree::filter(|m: Message| photo::picture_of(&m).is_some()).endpoint(photo::on_photo),
        )
        .branch(
            dptree::filter(|m: Message| projects::design_file_of(&m).is_some())
                .endpoint(projects::on_design_file),
        )
        .branch(dptree::filter(|m: Message| m.text().is_some()).endpoint(on_text))
        .endpoint(on_other);
    let presses = Update::filter_callback_query()
        .enter_dialogue::<CallbackQuery, InMemStorage<State>, State>()
        .endpoint(buttons::on_button);
    dptree::entry()
        .filter_async(admit)
        .branch(messages)
        .branch(presses)
}

async fn on_command(
    bot: Bot,
    app: Arc<App>,
    talk: Talk,
    msg: Message,
    cmd: Command,
) -> HandlerResult {
    let chat = msg.chat.id;
    let Some(user) = msg.from.clone() else {
        return Ok(());
    };
    match cmd {
        Command::Start | Command::Help => say(&bot, chat, crate::render::HELP).await,
        Command::Find(text) => {
            if text.trim().is_empty() {
                say(
                    &bot,
                    chat,
                    "What should I look for? e.g. <code>/find 10k 0805</code>",
                )
                .await
            } else {
                ask::answer_question(&bot, &app, chat, ask::Asked::words(&text), 0).await
            }
        }
        Command::Box(code) => ask::show_box(&bot, &app, chat, &code).await,
        Command::Add(line) => add::start(&bot, &app, &talk, chat, &user, &line).await,
        Command::Use(line) => change::use_parts(&bot, &app, chat, &user, &line).await,
        Command::Undo => change::undo(&bot, &app, chat, &user).await,
        Command::Low => ask::low(&bot, &app, chat).await,
        Command::Label(code) => outputs::label(&bot, &app, chat, &code).await,
        Command::Export => outputs::export(&bot, &app, chat).await,
        Command::Check(list) => projects::check_list(&bot, &app, chat, &list).await,
        Command::Projects => projects::list(&bot, &app, chat).await,
        Command::Build(text) => projects::build_command(&bot, &app, chat, &user, &text).await,
        Command::Cancel => {
            reset(&talk).await?;
            say(&bot, chat, "OK, cancelled.").await
        }
    }
}

async fn on_text(bot: Bot, app: Arc<App>, talk: Talk, msg: Message) -> HandlerResult {
    let chat = msg.chat.id;
    let (Some(user), Some(text)) = (msg.from.clone(), msg.text()) else {
        return Ok(());
    };
    let state = talk
        .get()
        .await
        .map_err(|e| BotError::Dialogue(e.to_string()))?
        .unwrap_or_default();
    if let Some(list) = projects::check_with_list(text) {
        return projects::check_list(&bot, &app, chat, list).await;
    }
    if text.starts_with('/') {
        // A command that did not parse: unknown, or not for this bot.
        return say(&bot, chat, "I do not know that command; /help lists mine.").await;
    }
    match state {
        State::Idle => ask::answer_question(&bot, &app, chat, ask::Asked::words(text), 0).await,
        State::Number { id, take } => {
            change::number(&bot, &app, &talk, chat, &user, id, take, text).await
        }
        State::NewBox { proposal } => {
            add::into_new_box(&bot, &app, &talk, chat, &user, proposal, text).await
        }
        step => add::step(&bot, &app, &talk, chat, &user, step, text).await,
    }
}

async fn on_other(bot: Bot, msg: Message) -> HandlerResult {
    say(
        &bot,
        msg.chat.id,
        "I read text, photos, and KiCad schematics or BOM CSVs sent as files. Try “10k resistor” or /help.",
    )
    .await
}

/// The box code after `/box` or `/label`, or `None` once the person has
/// been told what was wrong with it.
pub(crate) async fn box_code(
    bot: &Bot,
    chat: ChatId,
    text: &str,
    command: &str,
) -> Result<Option<LocationCode>, BotError> {
    if text.trim().is_empty() {
        say(
            bot,
            chat,
            format!("Which box? e.g. <code>/{command} A1</code>"),
        )
        .await?;
        return Ok(None);
    }
    match LocationCode::parse(text) {
        Ok(code) => Ok(Some(code)),
        Err(e) => {
            say(
                bot,
                chat,
                format!("That is not a box code: {}", escape(&e.to_string())),
            )
            .await?;
            Ok(None)
        }
    }
}

pub(crate) async fn no_such_box(bot: &Bot, chat: ChatId, code: &LocationCode) -> HandlerResult {
    say(
        bot,
        chat,
        format!("There is no box {}.", escape(code.as_str())),
    )
    .await
}

pub(crate) async fn reset(talk: &Talk) -> HandlerResult {
    talk.update(State::Idle)
        .await
        .map_err(|e| BotError::Dialogue(e.to_string()))
}

pub(crate) async fn set_state(talk: &Talk, state: State) -> HandlerResult {
    talk.update(state)
        .await
        .map_err(|e| BotError::Dialogue(e.to_string()))
}
