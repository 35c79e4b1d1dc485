//! `/projects/{id}?boards=N&extra=M`: a saved project checked for N boards.

use serde::Deserialize;

use super::*;

#[derive(Template)]
#[template(path = "project.html")]
struct ProjectPage {
    ctx: Ctx,
    id: i64,
    name: String,
    sources: String,
    max_boards: u32,
    boards: u32,
    extra: u32,
    result: Checked,
    builds: Vec<BuildRow>,
    formats: Vec<(&'static str, &'static str)>,
    /// Where a spare chosen for a line is posted.
    choose_action: String,
}

struct BuildRow {
    id: i64,
    what: String,
    undone: Option<String>,
}

/// The query: boards (default 1), the spare margin for the shopping list
/// (default 0) and its format.
#[derive(Debug, Deserialize, Default)]
pub struct Shown {
    #[serde(default)]
    pub boards: String,
    #[serde(default)]
    pub extra: String,
    /// For the shopping list: plain, lcsc, mouser, digikey.
    #[serde(default)]
    pub format: String,
}

/// Spares to add per line on a shopping list: empty → 0.
pub(super) fn parse_extra(text: &str) -> Result<u32, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    match text.parse::<u32>() {
        Ok(n) if n <= project::shopping::MAX_EXTRA => Ok(n),
        _ => Err(format!(
            "Spares per line: “{text}” is not a number from 0 to {}.",
            project::shopping::MAX_EXTRA
        )),
    }
}

/// `GET /projects/{id}`.
pub async fn show(
    State(state): State<AppState>,
    Editor(visitor): Editor,
    OnPage(ProjectIdPath(id)): OnPage<ProjectIdPath>,
    Params(q): Params<Shown>,
) -> Result<Response, PageError> {
    let boards = parse_boards(&q.boards).map_err(|m| PageError(WebError::BadRequest(m)))?;
    let extra = parse_extra(&q.extra).map_err(|m| PageError(WebError::BadRequest(m)))?;
    let p = state.store.get_project(id).await?;
    let checked = project::check_project(state.store.as_ref(), &p, boards).await?;
    let builds = state
        .store
        .builds(id)
        .await?
        .into_iter()
        .map(|b| {
            let parts: u64 = b.takes.iter().map(|t| t.quantity).sum();
            BuildRow {
                id: b.id.0,
                what: format!(
                    "{} · {} board{} · {parts} part{} from {} spare{} · by {}",
                    b.at.format("%Y-%m-%d %H:%M"),
                    b.boards,
                    plural(b.boards),
                    plural(parts),
                    b.takes.len(),
                    plural(b.takes.len() as u64),
                    b.actor
                ),
                undone: b
                    .undone_at
                    .map(|t| format!("undone {}", t.format("%Y-%m-%d %H:%M"))),
            }
        })
        .collect();
    let title = format!(
        "{} line{} for {} board{}",
        p.data.lines.len(),
        plural(p.data.lines.len() as u64),
        checked.boards,
        plural(checked.boards)
    );
    let view = ProjectPage {
        ctx: Ctx::new(&visitor, p.data.name.to_string()),
        id: p.id.0,
        name: p.data.name.to_string(),
        sources: p.data.sources.join(", "),
        max_boards: MAX_BOARDS,
        boards: checked.boards,
        extra,
        result: present(title, &[], &checked),
        builds,
        formats: project::ShopFormat::ALL
            .iter()
            .map(|f| (f.key(), f.label()))
            .collect(),
        choose_action: format!("/projects/{}/choose", p.id),
    };
    Ok(page(&visitor, &view))
}
