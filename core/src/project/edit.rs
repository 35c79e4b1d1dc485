//! Changing a stored project: a new name, a new revision of its design.

use spares_bom::BomLine;

use super::find::find;
use super::record::{Project, ProjectData, ProjectId, ProjectName};
use crate::store::{Store, StoreError};

/// Gives a project another name (unique ignoring case: `Conflict`
/// otherwise, nothing changed).
pub async fn rename(
    store: &dyn Store,
    id: ProjectId,
    name: ProjectName,
) -> Result<Project, StoreError> {
    let mut p = store.get_project(id).await?;
    p.data.name = name;
    store.update_project(id, p.data).await
}

/// A new revision of a project's design: its files and lines replaced, its
/// spares chosen by hand cleared (they name lines of the old design); its
/// name and builds stay (a build's takes name spares, not lines).
pub async fn replace_design(
    store: &dyn Store,
    id: ProjectId,
    sources: Vec<String>,
    lines: Vec<BomLine>,
) -> Result<Project, StoreError> {
    let p = store.get_project(id).await?;
    store
        .update_project(id, ProjectData::new(p.data.name, sources, lines))
        .await
}

/// Keeps a design under a name: a new project, or the design of the
/// project of that name (any case) replaced ([`replace_design`]; then
/// `true`).
pub async fn save(
    store: &dyn Store,
    name: ProjectName,
    sources: Vec<String>,
    lines: Vec<BomLine>,
) -> Result<(Project, bool), StoreError> {
    let data = ProjectData::new(name.clone(), sources, lines);
    match store.create_project(data.clone()).await {
        Ok(p) => Ok((p, false)),
        Err(StoreError::Conflict(_)) => {
            let existing = find(store, name.as_str()).await?;
            let p = replace_design(store, existing.id, data.sources, data.lines).await?;
            Ok((p, true))
        }
        Err(e) => Err(e),
    }
}
