//! Getting a photo's bytes from Telegram, bounded in size.

use std::sync::Arc;

use async_trait::async_trait;
use futures_util::StreamExt;
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::FileMeta;

use crate::error::BotError;
use crate::retry;

/// Largest picture read (Telegram's Bot API serves files up to 20 MB).
pub const MAX_PHOTO_BYTES: u32 = 20 * 1024 * 1024;

/// Where photo bytes come from: Telegram's file server in production. The
/// conversation tests give real JPEGs this way, because teloxide_tests'
/// fake file server answers every download with the same 13 bytes; the
/// binary's end-to-end test downloads through the real path.
#[async_trait]
pub trait Files: Send + Sync {
    async fn fetch(&self, bot: &Bot, file: &FileMeta) -> Result<Vec<u8>, BotError>;
}

/// Downloads through the Bot API (getFile, then the file URL).
pub struct TelegramFiles;

#[async_trait]
impl Files for TelegramFiles {
    async fn fetch(&self, bot: &Bot, file: &FileMeta) -> Result<Vec<u8>, BotError> {
        let info = retry::send(bot.get_file(file.id.clone())).await?;
        let mut stream = bot.download_file_stream(&info.path);
        let mut bytes = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| BotError::Download(e.to_string()))?;
            if bytes.len() + chunk.len() > MAX_PHOTO_BYTES as usize {
                return Err(BotError::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

pub fn telegram() -> Arc<dyn Files> {
    Arc::new(TelegramFiles)
}
