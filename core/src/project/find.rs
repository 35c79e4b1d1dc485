//! A project named by a person: `#3`, `3`, or its name (any case).

use super::record::{Project, ProjectId, ProjectName};
use crate::store::{Store, StoreError};

/// The project `text` names: a number (`#3` or `3`) is its id, anything
/// else its name, ignoring case.
pub async fn find(store: &dyn Store, text: &str) -> Result<Project, StoreError> {
    let text = text.trim();
    if let Ok(id) = text.trim_start_matches('#').parse::<i64>() {
        match store.get_project(ProjectId(id)).await {
            Err(StoreError::NotFound { .. }) => {}
            found => return found,
        }
    }
    let not_found = || StoreError::NotFound {
        what: "project",
        key: format!("“{text}”"),
    };
    let key = ProjectName::parse(text).map_err(|_| not_found())?.key();
    store
        .list_projects()
        .await?
        .into_iter()
        .find(|p| p.data.name.key() == key)
        .ok_or_else(not_found)
}
