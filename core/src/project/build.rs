//! Building boards: a project checked for N boards, and — only when every
//! line has its exact part (or the spare chosen for it by hand) in stock —
//! every quantity taken out at once ([`Store::build`]); undone in one step.

use std::collections::BTreeMap;

use super::check::{Check, Verdict, check_project};
use super::record::{Build, BuildId, BuildTake, Project};
use crate::movement::Change;
use crate::spare::SpareId;
use crate::store::{Store, StoreError};

/// Why boards were not built. Nothing was taken in any case.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Some line lacks its parts (each named with why).
    #[error("Cannot build {boards} × {project}; nothing was taken. {}", .lines.join(" "))]
    Short {
        project: String,
        boards: u32,
        lines: Vec<String>,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A build done, with the check it followed.
#[derive(Debug, Clone)]
pub struct Built {
    pub build: Build,
    pub check: Check,
}

/// What the boards would take, summed per spare in line order (two lines
/// may take from one spare), or why they cannot be built.
pub fn takes_of(check: &Check, project: &str) -> Result<Vec<BuildTake>, BuildError> {
    let short: Vec<String> = check
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.verdict != Verdict::Enough)
        .map(|(i, l)| {
            let why = match l.verdict {
                Verdict::Short => format!("is short: {} of {} in stock", l.have, l.needed),
                Verdict::Substitute => {
                    "has only a substitute in stock (choose it for the line to build with it)"
                        .to_owned()
                }
                _ => "is missing".to_owned(),
            };
            format!("Line {} ({}) {why}.", i + 1, l.name())
        })
        .collect();
    if !short.is_empty() {
        return Err(BuildError::Short {
            project: project.to_owned(),
            boards: check.boards,
            lines: short,
        });
    }
    let mut order: Vec<SpareId> = Vec::new();
    let mut sums: BTreeMap<SpareId, u64> = BTreeMap::new();
    for t in check.lines.iter().flat_map(|l| &l.takes) {
        let sum = sums.entry(t.spare.id).or_insert_with(|| {
            order.push(t.spare.id);
            0
        });
        *sum += t.quantity;
    }
    Ok(order
        .into_iter()
        .map(|spare| BuildTake {
            spare,
            quantity: sums[&spare],
        })
        .collect())
}

/// Checks `project` for `boards` boards and, when every line has its
/// parts, takes them all out at once. Stock that changed between the check
/// and the build is refused by the store like a short line.
pub async fn build(
    store: &dyn Store,
    project: &Project,
    boards: u32,
    change: &Change,
) -> Result<Built, BuildError> {
    let name = project.data.name.to_string();
    let check = check_project(store, project, boards).await?;
    let takes = takes_of(&check, &name)?;
    match store.build(project.id, check.boards, &takes, change).await {
        Ok(build) => Ok(Built { build, check }),
        Err(StoreError::InsufficientStock {
            spare,
            available,
            requested,
        }) => Err(BuildError::Short {
            project: name,
            boards: check.boards,
            lines: vec![format!(
                "Spare #{spare} has {available} left, {requested} needed (it changed meanwhile)."
            )],
        }),
        Err(e) => Err(e.into()),
    }
}

/// Puts back everything a build took.
pub async fn undo(store: &dyn Store, build: BuildId, change: &Change) -> Result<Build, StoreError> {
    store.undo_build(build, change).await
}
