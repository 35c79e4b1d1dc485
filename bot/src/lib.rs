//! `spares-bot`: Spares in Telegram. Ask in plain words, send a photo of a
//! box label or a supplier bag, change quantities with buttons.
//!
//! - [`config`]: settings (env vars, flags) and the allow-list.
//! - [`access`]: the gate every update passes first: allow-list (strangers
//!   get one polite refusal, then silence) and a per-user rate limit.
//! - [`handlers`]: the update tree ([`handlers::schema`]), thin: each handler
//!   turns a message or button into core calls and the result into replies.
//! - [`action`]: inline button payloads, parsed strictly.
//! - [`render`]: message texts (HTML, escaped) and keyboards.
//! - [`files`]: photo download, bounded; [`retry`]: Telegram calls with backoff.
//!
//! Invariants: only allowed users reach a handler; every change goes
//! through the [`spares_core::Store`] as a movement with source `bot` and
//! actor `telegram:<user id>`; quantities never go negative (the store
//! refuses atomically); a button re-reads the current state before it
//! acts; nothing here panics on input.

pub mod access;
pub mod action;
pub mod config;
pub mod error;
pub mod files;
pub mod handlers;
pub mod memo;
pub mod render;
pub mod retry;

use std::sync::Arc;

use spares_core::{PublicUrl, Store};
use spares_labels::supplier::SupplierCode;

pub use error::BotError;
pub use handlers::{Asked, Command, State, schema};

/// Everything the handlers share.
pub struct App {
    pub store: Arc<dyn Store>,
    /// The web app's address, without a trailing slash.
    pub public_url: Option<PublicUrl>,
    pub gate: access::Gate,
    /// Questions whose answers can be paged (keyed from "More" buttons).
    pub lists: memo::Memo<Asked>,
    /// Scanned supplier bags waiting for a box.
    pub proposals: memo::Memo<SupplierCode>,
    pub files: Arc<dyn files::Files>,
}

impl App {
    pub fn new(
        store: Arc<dyn Store>,
        public_url: Option<PublicUrl>,
        gate: access::Gate,
        files: Arc<dyn files::Files>,
    ) -> Arc<App> {
        Arc::new(App {
            store,
            public_url,
            gate,
            lists: memo::Memo::new(1000),
            proposals: memo::Memo::new(200),
            files,
        })
    }

    pub fn public_url(&self) -> Option<&PublicUrl> {
        self.public_url.as_ref()
    }
}
