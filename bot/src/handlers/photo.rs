//! Photos: every QR code in the picture → a box's contents, a part's card,
//! or a supplier bag to file.

use std::sync::Arc;

use spares_labels::decode::{DecodeError, decode};
use spares_labels::scanned::Scanned;
use teloxide::prelude::*;
use teloxide::types::FileMeta;
use teloxide::utils::html::escape;

use super::{HandlerResult, add, ask, say};
use crate::files::MAX_PHOTO_BYTES;
use crate::{App, BotError};

/// The picture in a message: the largest size of a photo, or an image sent
/// as a file (full resolution).
pub(crate) fn picture_of(msg: &Message) -> Option<FileMeta> {
    if let Some(sizes) = msg.photo() {
        return sizes
            .iter()
            .max_by_key(|p| u64::from(p.width) * u64::from(p.height))
            .map(|p| p.file.clone());
    }
    let doc = msg.document()?;
    let is_image = doc.mime_type.as_ref().is_some_and(|m| m.type_() == "image")
        || doc.file_name.as_deref().is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            [".jpg", ".jpeg", ".png", ".webp"]
                .iter()
                .any(|e| n.ends_with(e))
        });
    is_image.then(|| doc.file.clone())
}

const TIP: &str = "I found no QR code in that picture. Tips: hold the phone closer so the code fills a good part of the picture, \
with more light and no glare, and flat (not at a steep angle). Sending it as a file keeps full resolution.";

pub(crate) async fn on_photo(bot: Bot, app: Arc<App>, msg: Message) -> HandlerResult {
    let chat = msg.chat.id;
    let Some(file) = picture_of(&msg) else {
        return Ok(());
    };
    if file.size > MAX_PHOTO_BYTES {
        return say(
            &bot,
            chat,
            format!(
                "That picture is {:.1} MB; I read pictures up to {} MB. Send it as a photo (Telegram makes it smaller) or crop it.",
                f64::from(file.size) / 1_048_576.0,
                MAX_PHOTO_BYTES >> 20
            ),
        )
        .await;
    }
    let bytes = match app.files.fetch(&bot, &file).await {
        Ok(b) => b,
        Err(BotError::TooLarge) => {
            return say(
                &bot,
                chat,
                format!(
                    "That picture is larger than {} MB; crop it or send it as a photo.",
                    MAX_PHOTO_BYTES >> 20
                ),
            )
            .await;
        }
        Err(e) => {
            tracing::warn!(error = %e, "photo download failed");
            return say(
                &bot,
                chat,
                "I could not download that picture from Telegram; please send it again.",
            )
            .await;
        }
    };
    // Decoding is CPU work: keep it off the async workers.
    let texts = tokio::task::spawn_blocking(move || decode(&bytes))
        .await
        .map_err(|e| BotError::Internal(Box::new(e)))?;
    let texts = match texts {
        Ok(t) => t,
        Err(e @ (DecodeError::NotAnImage | DecodeError::Damaged(_) | DecodeError::Empty)) => {
            return say(
                &bot,
                chat,
                format!("I cannot read that picture: {}.", escape(&e.to_string())),
            )
            .await;
        }
        Err(e @ DecodeError::Busy) => {
            return say(&bot, chat, format!("{}.", escape(&e.to_string()))).await;
        }
        Err(e @ (DecodeError::TooLarge | DecodeError::TooManyPixels { .. })) => {
            return say(
                &bot,
                chat,
                format!(
                    "That picture is too big for me: {}. Send it as a photo (Telegram makes it smaller) or crop it.",
                    escape(&e.to_string())
                ),
            )
            .await;
        }
    };
    if texts.is_empty() {
        return say(&bot, chat, TIP).await;
    }
    for text in texts {
        match Scanned::read(&text) {
            Scanned::Box(code) => ask::show_box(&bot, &app, chat, code.as_str()).await?,
            Scanned::Spare(id) => match app.store.get_spare(id).await {
                Ok(spare) => ask::send_card(&bot, &app, chat, &spare).await?,
                Err(spares_core::StoreError::NotFound { .. }) => {
                    say(
                        &bot,
                        chat,
                        format!("That label is part #{id}, which no longer exists."),
                    )
                    .await?
                }
                Err(e) => return Err(e.into()),
            },
            Scanned::Bag(bag) => add::propose(&bot, &app, chat, bag).await?,
            Scanned::Other(shown) => {
                let shown: String = shown.chars().take(80).collect();
                say(
                    &bot,
                    chat,
                    format!("A QR code says “{}” — that is neither a Spares label nor a supplier bag code.", escape(&shown)),
                )
                .await?
            }
            Scanned::Unusable(why) => {
                say(
                    &bot,
                    chat,
                    format!("A code I cannot use: {}.", escape(&why)),
                )
                .await?
            }
        }
    }
    Ok(())
}
