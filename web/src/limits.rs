//! Bounds on work that grows with a request: at most a few label renders
//! and a few bulk transfers (CSV export and import) run at once in a
//! process; more are answered 429 "busy" with `Retry-After` at once rather
//! than queued, so a burst of heavy requests cannot add up in memory.
//!
//! What each request may ask for is bounded where it is read (labels per
//! request: [`crate::routes::pages::labels::MAX_LABELS`]; upload sizes:
//! the body limits in [`crate::startup`]).

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::WebError;

/// Label renders (PDF sheets, printer PNGs) at once.
pub const RENDERS: usize = 2;
/// CSV exports and imports at once.
pub const TRANSFERS: usize = 2;

/// The permits of one process.
#[derive(Debug, Clone)]
pub struct Limits {
    renders: Arc<Semaphore>,
    transfers: Arc<Semaphore>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            renders: Arc::new(Semaphore::new(RENDERS)),
            transfers: Arc::new(Semaphore::new(TRANSFERS)),
        }
    }
}

impl Limits {
    /// A permit to render labels, or 429.
    pub fn render(&self) -> Result<OwnedSemaphorePermit, WebError> {
        Arc::clone(&self.renders)
            .try_acquire_owned()
            .map_err(|_| WebError::busy("Label printing"))
    }

    /// A permit to export or import, or 429.
    pub fn transfer(&self) -> Result<OwnedSemaphorePermit, WebError> {
        Arc::clone(&self.transfers)
            .try_acquire_owned()
            .map_err(|_| WebError::busy("Import and export"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permits_run_out_then_come_back() {
        let limits = Limits::default();
        let held: Vec<_> = (0..RENDERS)
            .map(|_| limits.render().expect("permit"))
            .collect();
        let busy = limits.render().expect_err("all in use");
        assert_eq!(busy.status(), axum::http::StatusCode::TOO_MANY_REQUESTS);
        assert!(limits.transfer().is_ok(), "separate pools");
        drop(held);
        assert!(limits.render().is_ok());
    }
}
