//! What every handler can reach.

use std::sync::Arc;

use spares_core::Store;

/// Shared, cheap to clone. Holds nothing that another replica would miss
/// (the web tier is stateless).
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
}
