//! Changing stock in words, for every front end that talks: add a part
//! described in one line, take parts out, undo one's own last change. The
//! bot (`/add`, `/use`, `/undo`) and the command line (`spares add`,
//! `spares use`, `spares undo`) call these and print the same sentences
//! (plain text; the bot escapes them for HTML).

pub mod line;

use std::collections::HashSet;

use crate::answer::{describe, line as one_line};
use crate::movement::{Change, Movement};
use crate::query::Page;
use crate::question::understand;
use crate::spare::{Spare, SpareId, SpareInput};
use crate::store::{Store, StoreError};

pub use line::{AddLine, Target, UseLine, add_line, spare_input, use_line};

/// What a "use" line points at.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    One(SpareId),
    /// Nothing matches the question (the question as typed).
    NoMatch(String),
    /// Several parts match: the first few, and how many in all.
    Several {
        question: String,
        total: u64,
        candidates: Vec<Spare>,
    },
}

/// How many candidates [`resolve`] lists when a question is ambiguous.
pub const CANDIDATES: usize = 5;

/// The part a "use" target names: an id as is, a question when exactly one
/// part matches it.
pub async fn resolve(store: &dyn Store, target: &Target) -> Result<Resolved, StoreError> {
    let question = match target {
        Target::Id(id) => return Ok(Resolved::One(*id)),
        Target::Question(q) => q,
    };
    let found = store
        .search(&understand(question).query, &Page::first(CANDIDATES + 1))
        .await?;
    Ok(match found.spares.as_slice() {
        [] => Resolved::NoMatch(question.clone()),
        [one] => Resolved::One(one.id),
        many => Resolved::Several {
            question: question.clone(),
            total: found.total,
            candidates: many.iter().take(CANDIDATES).cloned().collect(),
        },
    })
}

/// Reads "N WHAT [in BOX]" and stores the part; the sentence says what was
/// added (`Ok`) or what was wrong with the line (`Err` of the outer result
/// is a store failure only).
pub async fn add(
    store: &dyn Store,
    text: &str,
    change: &Change,
) -> Result<Result<(Spare, String), String>, StoreError> {
    let parsed = match add_line(text) {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    let input = spare_input(&parsed.what, parsed.quantity, parsed.location.as_ref());
    add_input(store, input, change).await
}

/// Stores a part from its form fields: "Added #12: …." or which field was
/// wrong ("I could not add that: …. Nothing was added.").
pub async fn add_input(
    store: &dyn Store,
    input: SpareInput,
    change: &Change,
) -> Result<Result<(Spare, String), String>, StoreError> {
    let data = match input.parse(None) {
        Ok(d) => d,
        Err(errors) => {
            return Ok(Err(format!(
                "I could not add that: {errors}. Nothing was added."
            )));
        }
    };
    let spare = store.create_spare(data, change).await?;
    let text = format!("Added #{}: {}.", spare.id, one_line(&spare));
    Ok(Ok((spare, text)))
}

/// Takes `count` parts out of a spare: "Took 5: 145 left of #3 10 kΩ 0805
/// (A1).", or why nothing was taken. `Ok(false)` when nothing changed.
pub async fn take(
    store: &dyn Store,
    id: SpareId,
    count: i64,
    change: &Change,
) -> Result<(bool, String), StoreError> {
    match store.adjust(id, -count, change).await {
        Ok(m) => {
            let spare = store.get_spare(id).await?;
            Ok((
                true,
                format!(
                    "Took {count}: {} left of #{id} {}.",
                    m.quantity_after,
                    describe(&spare)
                ),
            ))
        }
        Err(StoreError::InsufficientStock { available, .. }) => Ok((
            false,
            format!("Only {available} left of #{id}; nothing was taken."),
        )),
        Err(StoreError::NotFound { .. }) => Ok((false, format!("There is no part #{id}."))),
        Err(e) => Err(e),
    }
}

/// The movement an undo movement reverted ("undo #42" → 42).
fn undo_of(m: &Movement) -> Option<i64> {
    m.reason.as_deref()?.strip_prefix("undo #")?.parse().ok()
}

/// How far back [`undo_last`] looks for the actor's changes.
pub const UNDO_WINDOW: usize = 2000;

/// Reverts the actor's newest change that is not itself an undo and was not
/// undone yet (so repeated undos walk back through their changes). Returns
/// whether something changed and the sentence to show.
pub async fn undo_last(store: &dyn Store, change: &Change) -> Result<(bool, String), StoreError> {
    let recent = store.recent_movements(UNDO_WINDOW).await?;
    let mine: Vec<&Movement> = recent.iter().filter(|m| m.actor == change.actor).collect();
    let undone: HashSet<i64> = mine.iter().filter_map(|m| undo_of(m)).collect();
    let Some(target) = mine
        .iter()
        .find(|m| undo_of(m).is_none() && !undone.contains(&m.id))
    else {
        return Ok((false, "There is no change of yours to undo.".into()));
    };
    let reason = format!("undo #{}", target.id);
    match store
        .adjust(
            target.spare,
            -target.delta,
            &change.clone().with_reason(&reason),
        )
        .await
    {
        Ok(m) => {
            let spare = store.get_spare(target.spare).await?;
            let what = if target.delta > 0 { "added" } else { "taken" };
            Ok((
                true,
                format!(
                    "Undone ({} {what}): #{} {} is back to {}.",
                    target.delta.abs(),
                    target.spare,
                    describe(&spare),
                    m.quantity_after
                ),
            ))
        }
        Err(StoreError::InsufficientStock { available, .. }) => Ok((
            false,
            format!(
                "Cannot undo adding {} to #{}: only {available} are left now. Nothing was changed.",
                target.delta, target.spare
            ),
        )),
        Err(StoreError::NotFound { .. }) => Ok((
            false,
            format!("Part #{} was deleted; nothing to undo.", target.spare),
        )),
        Err(e) => Err(e),
    }
}
