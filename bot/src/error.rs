//! What can go wrong while handling one update. Logged by the dispatcher's
//! error handler; the user has already been told what they need to know.

use spares_core::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error("Telegram")]
    Telegram(#[from] teloxide::RequestError),
    #[error("database")]
    Store(#[from] StoreError),
    #[error("download: {0}")]
    Download(String),
    #[error("the file is too large")]
    TooLarge,
    #[error("dialogue storage: {0}")]
    Dialogue(String),
    /// Something else failed; the cause is kept as the source.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}
