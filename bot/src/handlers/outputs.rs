//! Files the bot sends: a box's label (PNG for label printers, PDF for
//! office sheets) and the CSV export.

use spares_core::StoreError;
use spares_core::csv_io;
use spares_labels::Preset;
use spares_labels::content::box_label;
use spares_labels::render::{pdf, png};
use teloxide::prelude::*;
use teloxide::types::InputFile;
use teloxide::utils::html::escape;

use super::{HandlerResult, box_code, no_such_box, say};
use crate::{App, BotError, retry};

pub(crate) async fn label(bot: &Bot, app: &App, chat: ChatId, code: &str) -> HandlerResult {
    let Some(code) = box_code(bot, chat, code, "label").await? else {
        return Ok(());
    };
    let label = match box_label(app.store.as_ref(), &code, app.public_url()).await {
        Ok(l) => l,
        Err(StoreError::NotFound { .. }) => return no_such_box(bot, chat, &code).await,
        Err(e) => return Err(e.into()),
    };
    let files = tokio::task::spawn_blocking(move || {
        let png = png::png_for(&label, Preset::Brother62)?;
        let pdf = pdf::render(
            std::slice::from_ref(&label),
            Preset::A4x3x8,
            pdf::SheetOptions::default(),
        )?;
        Ok::<_, spares_labels::RenderError>((png, pdf))
    })
    .await
    .map_err(|e| BotError::Internal(Box::new(e)))?;
    let (png, pdf) = match files {
        Ok(f) => f,
        Err(e) => {
            return say(
                bot,
                chat,
                format!("I could not draw that label: {}", escape(&e.to_string())),
            )
            .await;
        }
    };
    retry::send(
        bot.send_document(
            chat,
            InputFile::memory(png).file_name(format!("label-{code}.png")),
        )
        .caption(format!("Box {code}: PNG for a 62 mm label printer")),
    )
    .await?;
    retry::send(
        bot.send_document(
            chat,
            InputFile::memory(pdf).file_name(format!("label-{code}.pdf")),
        )
        .caption(format!("Box {code}: PDF, A4 sheet of 3 × 8")),
    )
    .await?;
    Ok(())
}

pub(crate) async fn export(bot: &Bot, app: &App, chat: ChatId) -> HandlerResult {
    let mut csv = Vec::new();
    let count = csv_io::export(app.store.as_ref(), &mut csv)
        .await
        .map_err(|e| BotError::Internal(Box::new(e)))?;
    retry::send(
        bot.send_document(chat, InputFile::memory(csv).file_name("spares.csv"))
            .caption(format!("{count} parts")),
    )
    .await?;
    Ok(())
}
