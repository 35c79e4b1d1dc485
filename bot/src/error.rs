//! What can go wrong while handling one update. Logged by the dispatcher's
//! error handler; the user has already been told what they need to know.

use spares_core::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error("Telegram: {0}")]
    Telegram(#[from] teloxide::RequestError),
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("download: {0}")]
    Download(String),
    #[error("the file is too large")]
    TooLarge,
    #[error("dialogue storage: {0}")]
    Dialogue(String),
    #[error("{0}")]
    Internal(String),
}
