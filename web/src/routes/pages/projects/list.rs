//! `/projects`: the saved projects, and the form that checks a design or
//! saves it as a project; `/projects/{id}/design`: the same form for a new
//! revision of a saved project's design.

use super::*;

#[derive(Template)]
#[template(path = "projects.html")]
struct ProjectsPage {
    ctx: Ctx,
    max_mib: usize,
    max_boards: u32,
    projects: Vec<ProjectRow>,
    name: String,
    list: String,
    boards: u32,
    columns: String,
    message: String,
    result: Option<Checked>,
    /// No line choices here (nothing is saved).
    choose_action: String,
    /// The project whose design the form replaces (`/projects/{id}/design`).
    replacing: Option<Replacing>,
}

struct Replacing {
    id: i64,
    name: String,
    lines: usize,
}

struct ProjectRow {
    href: String,
    name: String,
    lines: usize,
    sources: String,
    updated: String,
}

async fn view(state: &AppState, visitor: &Visitor) -> Result<ProjectsPage, PageError> {
    let projects = state
        .store
        .list_projects()
        .await?
        .into_iter()
        .map(|p| ProjectRow {
            href: format!("/projects/{}", p.id),
            name: p.data.name.to_string(),
            lines: p.data.lines.len(),
            sources: p.data.sources.join(", "),
            updated: p.updated_at.format("%Y-%m-%d %H:%M").to_string(),
        })
        .collect();
    Ok(ProjectsPage {
        ctx: Ctx::new(visitor, "Projects"),
        max_mib: MAX_UPLOAD >> 20,
        max_boards: MAX_BOARDS,
        projects,
        name: String::new(),
        list: String::new(),
        boards: 1,
        columns: String::new(),
        message: String::new(),
        result: None,
        choose_action: String::new(),
        replacing: None,
    })
}

/// The page for a new revision of project `id`'s design.
async fn replacing_view(
    state: &AppState,
    visitor: &Visitor,
    id: project::ProjectId,
) -> Result<ProjectsPage, PageError> {
    let p = state.store.get_project(id).await?;
    let mut view = view(state, visitor).await?;
    view.ctx = Ctx::new(visitor, format!("New design for {}", p.data.name));
    view.replacing = Some(Replacing {
        id: p.id.0,
        name: p.data.name.to_string(),
        lines: p.data.lines.len(),
    });
    Ok(view)
}

/// `GET /projects/{id}/design`: the form for a new revision of the design.
pub async fn design_form(
    State(state): State<AppState>,
    Editor(visitor): Editor,
    OnPage(ProjectIdPath(id)): OnPage<ProjectIdPath>,
) -> Result<Response, PageError> {
    Ok(page(&visitor, &replacing_view(&state, &visitor, id).await?))
}

/// `POST /projects/{id}/design`: the fields of [`check`]; `action`
/// `replace` keeps the design as the project's new revision (its lines
/// replaced, its spares chosen by hand cleared, its name and builds kept).
pub async fn replace(
    State(state): State<AppState>,
    Editor(visitor): Editor,
    OnPage(ProjectIdPath(id)): OnPage<ProjectIdPath>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let form = form_fields(
        &state,
        &visitor,
        multipart,
        MAX_UPLOAD >> 20,
        "nothing was changed",
    )
    .await?;
    let view = replacing_view(&state, &visitor, id).await?;
    checked_or_kept(&state, &visitor, view, form).await
}

/// `GET /projects`: the saved projects and the form.
pub async fn form(
    State(state): State<AppState>,
    Editor(visitor): Editor,
) -> Result<Response, PageError> {
    Ok(page(&visitor, &view(&state, &visitor).await?))
}

/// `POST /projects/check`: fields `csrf`, `file` (any number), `list`,
/// `boards`, `columns`, `name`, `action` (`check`, or `save` to keep it
/// as a project and go to its page).
pub async fn check(
    State(state): State<AppState>,
    Editor(visitor): Editor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let form = form_fields(
        &state,
        &visitor,
        multipart,
        MAX_UPLOAD >> 20,
        "nothing was checked",
    )
    .await?;
    let view = view(&state, &visitor).await?;
    checked_or_kept(&state, &visitor, view, form).await
}

/// A design read from the form: checked and shown, or (`action` `save`)
/// kept as a new project, or (`action` `replace`, on the page of a
/// project's new design) kept as that project's design.
async fn checked_or_kept(
    state: &AppState,
    visitor: &Visitor,
    mut view: ProjectsPage,
    form: crate::upload::Form,
) -> Result<Response, PageError> {
    view.list = form.text("list").to_owned();
    view.columns = form.text("columns").trim().to_owned();
    view.name = form.text("name").trim().to_owned();
    let refused = |mut view: ProjectsPage, message: String| {
        view.message = message;
        Ok((StatusCode::BAD_REQUEST, page(visitor, &view)).into_response())
    };
    view.boards = match parse_boards(form.text("boards")) {
        Ok(n) => n,
        Err(message) => return refused(view, message),
    };
    let (title, design) = match read_design(&form.files, &view.list, &view.columns) {
        Ok(design) => design,
        Err(message) => return refused(view, message),
    };
    let replacing = view.replacing.as_ref().map(|r| (r.id, r.lines));
    if let Some((id, was)) = replacing.filter(|_| form.text("action") == "replace") {
        let lines = design.lines.len();
        let p = project::replace_design(
            state.store.as_ref(),
            project::ProjectId(id),
            sources(&form),
            design.lines,
        )
        .await;
        return match p {
            Ok(p) => Ok(see_other(
                &format!("/projects/{}?boards={}", p.id, view.boards),
                Some(visitor.flash_cookie(&format!(
                    "New design for “{}”: {lines} line{} (was {}); spares chosen by hand were cleared, builds are kept.",
                    p.data.name,
                    plural(lines as u64),
                    was
                ))),
            )),
            Err(e @ spares_core::StoreError::Invalid(_)) => {
                let message = format!("{e}; nothing was changed.");
                refused(view, message)
            }
            Err(e) => Err(e.into()),
        };
    }
    if form.text("action") == "save" {
        let name = if view.name.is_empty() {
            // A file's name without its extension.
            form.files
                .first()
                .map(|f| {
                    let n = f.filename.rsplit(['/', '\\']).next().unwrap_or_default();
                    n.rsplit_once('.').map_or(n, |(stem, _)| stem).to_owned()
                })
                .unwrap_or_default()
        } else {
            view.name.clone()
        };
        let name = match project::ProjectName::parse(&name) {
            Ok(n) => n,
            Err(e) => return refused(view, format!("Name: {e}; nothing was saved.")),
        };
        let lines = design.lines.len();
        return match state
            .store
            .create_project(project::ProjectData::new(
                name,
                sources(&form),
                design.lines,
            ))
            .await
        {
            Ok(p) => Ok(see_other(
                &format!("/projects/{}?boards={}", p.id, view.boards),
                Some(visitor.flash_cookie(&format!(
                    "Saved “{}”: {lines} line{}.",
                    p.data.name,
                    plural(lines as u64)
                ))),
            )),
            Err(e @ spares_core::StoreError::Conflict(_)) => refused(
                view,
                format!(
                    "{e}; nothing was saved. For a new revision of that project's design, use “New design” on its page."
                ),
            ),
            Err(e @ spares_core::StoreError::Invalid(_)) => {
                refused(view, format!("{e}; nothing was saved."))
            }
            Err(e) => Err(e.into()),
        };
    }
    let checked = project::check(state.store.as_ref(), &design, view.boards)
        .await
        .map_err(|e| PageError(WebError::from(e)))?;
    let title = format!(
        "{title} — {}, {} lines, for {} board{}",
        design.format.name(),
        design.lines.len(),
        checked.boards,
        plural(checked.boards)
    );
    view.result = Some(present(title, &design.warnings, &checked));
    Ok(page(visitor, &view))
}
