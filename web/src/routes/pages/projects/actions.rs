//! What changes a project or the stock: choose a spare for a line, build,
//! undo a build, delete; and the shopping-list download.

use axum::http::header;
use spares_core::project::{BuildError, ShopFormat, shopping};
use spares_core::{Change, Source, SpareId, StoreError};

use super::show::{Shown, parse_extra};
use super::*;
use crate::routes::pages::failed;

fn change(visitor: &Visitor) -> Change {
    Change::new(Source::Web, visitor.user().unwrap_or("web"))
}

fn back(id: spares_core::project::ProjectId, boards: &str) -> String {
    match parse_boards(boards) {
        Ok(n) if n > 1 => format!("/projects/{id}?boards={n}"),
        _ => format!("/projects/{id}"),
    }
}

/// `POST /projects/{id}/choose`: `line` (1-based) and `spare` (a spare's
/// number from the list; empty = chosen by Spares again) or `other` (any
/// spare's number), `boards` to come back to.
pub async fn choose(
    State(state): State<AppState>,
    OnPage(ProjectIdPath(id)): OnPage<ProjectIdPath>,
    form: EditForm,
) -> Result<Response, PageError> {
    let to = back(id, form.get("boards"));
    let mut p = state.store.get_project(id).await?;
    let line = form.get("line").trim().parse::<usize>().ok();
    let message = match line {
        Some(n) if (1..=p.data.lines.len()).contains(&n) => {
            let other = form.get("other").trim();
            let spare = if other.is_empty() {
                form.get("spare")
            } else {
                other
            }
            .trim()
            .trim_start_matches('#');
            if spare.is_empty() {
                p.data.overrides.remove(&(n - 1));
                format!("Line {n} is matched automatically again.")
            } else {
                match spare.parse::<i64>() {
                    Ok(s) => match state.store.get_spare(SpareId(s)).await {
                        Ok(spare) => {
                            p.data.overrides.insert(n - 1, spare.id);
                            format!("Line {n} now takes #{} {}.", spare.id, describe(&spare))
                        }
                        Err(StoreError::NotFound { .. }) => {
                            return Ok(see_other(
                                &to,
                                Some(form.visitor.flash_cookie(&failed(format!(
                                    "There is no spare #{s}; nothing was changed."
                                )))),
                            ));
                        }
                        Err(e) => return Err(e.into()),
                    },
                    Err(_) => {
                        return Ok(see_other(
                            &to,
                            Some(form.visitor.flash_cookie(&failed(format!(
                                "Spare: “{spare}” is not a spare's number; nothing was changed."
                            )))),
                        ));
                    }
                }
            }
        }
        _ => failed("There is no such line; nothing was changed."),
    };
    if !message.starts_with('!') {
        state.store.update_project(id, p.data).await?;
    }
    Ok(see_other(&to, Some(form.visitor.flash_cookie(&message))))
}

/// `POST /projects/{id}/rename`: `name` (unique ignoring case).
pub async fn rename(
    State(state): State<AppState>,
    OnPage(ProjectIdPath(id)): OnPage<ProjectIdPath>,
    form: EditForm,
) -> Result<Response, PageError> {
    let to = format!("/projects/{id}");
    let message = match project::ProjectName::parse(form.get("name")) {
        Err(e) => failed(format!("Name: {e}; nothing was changed.")),
        Ok(name) => match project::rename(state.store.as_ref(), id, name).await {
            Ok(p) => format!("Renamed to “{}”.", p.data.name),
            Err(e @ (StoreError::Conflict(_) | StoreError::Invalid(_))) => {
                failed(format!("{e}; nothing was changed."))
            }
            Err(e) => return Err(e.into()),
        },
    };
    Ok(see_other(&to, Some(form.visitor.flash_cookie(&message))))
}

/// `POST /projects/{id}/build`: `boards`. All parts taken at once, or
/// nothing and the lines that are short.
pub async fn build(
    State(state): State<AppState>,
    OnPage(ProjectIdPath(id)): OnPage<ProjectIdPath>,
    form: EditForm,
) -> Result<Response, PageError> {
    let to = back(id, form.get("boards"));
    let boards = match parse_boards(form.get("boards")) {
        Ok(n) => n,
        Err(m) => {
            return Ok(see_other(
                &to,
                Some(
                    form.visitor
                        .flash_cookie(&failed(format!("{m} Nothing was taken."))),
                ),
            ));
        }
    };
    let p = state.store.get_project(id).await?;
    let message =
        match project::build(state.store.as_ref(), &p, boards, &change(&form.visitor)).await {
            Ok(built) => {
                let parts: u64 = built.build.takes.iter().map(|t| t.quantity).sum();
                format!(
                    "Built {} × {}: took {parts} part{} from {} spare{} (build #{}).",
                    built.build.boards,
                    p.data.name,
                    plural(parts),
                    built.build.takes.len(),
                    plural(built.build.takes.len() as u64),
                    built.build.id
                )
            }
            Err(e @ BuildError::Short { .. }) => failed(e),
            Err(BuildError::Store(e)) => return Err(e.into()),
        };
    Ok(see_other(&to, Some(form.visitor.flash_cookie(&message))))
}

/// `POST /builds/{id}/undo`: puts back what the build took.
pub async fn undo(
    State(state): State<AppState>,
    OnPage(BuildIdPath(id)): OnPage<BuildIdPath>,
    form: EditForm,
) -> Result<Response, PageError> {
    let message = match project::undo(state.store.as_ref(), id, &change(&form.visitor)).await {
        Ok(b) => {
            let parts: u64 = b.takes.iter().map(|t| t.quantity).sum();
            let to = format!("/projects/{}", b.project);
            return Ok(see_other(
                &to,
                Some(form.visitor.flash_cookie(&format!(
                    "Build #{id} undone: {parts} part{} put back.",
                    plural(parts)
                ))),
            ));
        }
        Err(e @ StoreError::Conflict(_)) => failed(format!("{e}; nothing was changed.")),
        Err(e) => return Err(e.into()),
    };
    let to = local_back(form.get("back"));
    Ok(see_other(&to, Some(form.visitor.flash_cookie(&message))))
}

fn local_back(back: &str) -> String {
    crate::routes::pages::local_path(back, "/projects")
}

/// `POST /projects/{id}/delete`: `sure` must be ticked. Its builds go with
/// it; the parts they took stay taken (their movements stay in history).
pub async fn delete(
    State(state): State<AppState>,
    OnPage(ProjectIdPath(id)): OnPage<ProjectIdPath>,
    form: EditForm,
) -> Result<Response, PageError> {
    if form.get("sure") != "on" {
        return Ok(see_other(
            &format!("/projects/{id}"),
            Some(form.visitor.flash_cookie(&failed(
                "Tick “yes, delete it” to delete the project; nothing was changed.",
            ))),
        ));
    }
    let p = state.store.get_project(id).await?;
    state.store.delete_project(id).await?;
    Ok(see_other(
        "/projects",
        Some(
            form.visitor
                .flash_cookie(&format!("Deleted the project “{}”.", p.data.name)),
        ),
    ))
}

/// `GET /projects/{id}/shopping?format=F&boards=N&extra=M`: what to
/// order, as a file (`plain` text, or `lcsc`/`mouser`/`digikey` CSV).
pub async fn shopping(
    State(state): State<AppState>,
    Editor(_visitor): Editor,
    OnPage(ProjectIdPath(id)): OnPage<ProjectIdPath>,
    Params(q): Params<Shown>,
) -> Result<Response, PageError> {
    let bad = |m: String| PageError(WebError::BadRequest(m));
    let format = ShopFormat::parse(&q.format).ok_or_else(|| {
        bad(format!(
            "no shopping-list format “{}”: plain, lcsc, mouser or digikey",
            q.format
        ))
    })?;
    let boards = parse_boards(&q.boards).map_err(bad)?;
    let extra = parse_extra(&q.extra).map_err(bad)?;
    let p = state.store.get_project(id).await?;
    let checked = project::check_project(state.store.as_ref(), &p, boards).await?;
    let body = shopping::write(&project::shopping_list(&checked, extra), format);
    let stem: String = p
        .data
        .name
        .as_str()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let filename = format!(
        "{stem}-{}x-{}.{}",
        checked.boards,
        format.key(),
        format.extension()
    );
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response())
}
