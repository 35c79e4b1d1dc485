//! `/projects`: can I build this? A KiCad schematic (with its sheets), a
//! BOM CSV or a typed list is checked against the stock for some boards:
//! each line's verdict, the boxes to visit with what to take from each,
//! what could stand in, how many boards build now. Checking changes
//! nothing; like every upload it needs a signed-in user.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use spares_bom::{Design, File, Mapping, read_files, read_pasted};
use spares_core::project::{self, Check, MAX_BOARDS, Verdict};

use crate::auth::{Editor, Visitor};
use crate::error::WebError;
use crate::html::{Ctx, PageError, encode, page};
use crate::state::AppState;
use crate::upload::form_fields;

/// Largest upload (all files together).
pub const MAX_UPLOAD: usize = spares_bom::MAX_FILE_BYTES;

#[derive(Template)]
#[template(path = "projects.html")]
struct ProjectsPage {
    ctx: Ctx,
    max_mib: usize,
    max_boards: u32,
    list: String,
    boards: u32,
    columns: String,
    message: String,
    result: Option<Checked>,
}

struct Checked {
    title: String,
    summary: String,
    can_build: bool,
    warnings: Vec<String>,
    lines: Vec<LineView>,
    boxes: Vec<BoxView>,
}

struct LineView {
    name: String,
    needed: u64,
    have: u64,
    /// CSS class and word.
    verdict: &'static str,
    understood: String,
    takes: Vec<String>,
    substitutes: Vec<String>,
    notes: Vec<String>,
}

struct BoxView {
    name: String,
    href: Option<String>,
    takes: Vec<String>,
}

fn view(visitor: &Visitor) -> ProjectsPage {
    ProjectsPage {
        ctx: Ctx::new(visitor, "Projects"),
        max_mib: MAX_UPLOAD >> 20,
        max_boards: MAX_BOARDS,
        list: String::new(),
        boards: 1,
        columns: String::new(),
        message: String::new(),
        result: None,
    }
}

/// `GET /projects`: the form.
pub async fn form(Editor(visitor): Editor) -> Response {
    page(&visitor, &view(&visitor))
}

/// `POST /projects/check`: fields `csrf`, `file` (any number), `list`,
/// `boards`, `columns`.
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
    let mut view = view(&visitor);
    view.list = form.text("list").to_owned();
    view.columns = form.text("columns").trim().to_owned();
    let boards = form.text("boards").trim();
    let refused = |mut view: ProjectsPage, message: String| {
        view.message = message;
        Ok((StatusCode::BAD_REQUEST, page(&visitor, &view)).into_response())
    };
    view.boards = match boards.parse::<u32>() {
        Ok(n) if (1..=MAX_BOARDS).contains(&n) => n,
        _ if boards.is_empty() => 1,
        _ => {
            return refused(
                view,
                format!("Boards: “{boards}” is not a number from 1 to {MAX_BOARDS}."),
            );
        }
    };
    let design = match read_design(&form.files, &view.list, &view.columns) {
        Ok(design) => design,
        Err(message) => return refused(view, message),
    };
    let checked = project::check(state.store.as_ref(), &design.1, view.boards)
        .await
        .map_err(|e| PageError(WebError::from(e)))?;
    view.result = Some(present(&design.0, &design.1, &checked));
    Ok(page(&visitor, &view))
}

/// The design: the files if any were sent, else the typed list.
fn read_design(
    files: &[crate::upload::Upload],
    list: &str,
    columns: &str,
) -> Result<(String, Design), String> {
    let mapping = if columns.is_empty() {
        None
    } else {
        Some(Mapping::parse(columns).map_err(|e| format!("Columns: {e}."))?)
    };
    if files.is_empty() {
        if list.trim().is_empty() {
            return Err("Choose a schematic or BOM file, or type a list.".into());
        }
        let design = read_pasted("the list", list).map_err(|e| format!("{e}."))?;
        return Ok(("The list".into(), design));
    }
    let files: Vec<File> = files
        .iter()
        .map(|f| File {
            name: f.filename.clone(),
            bytes: f.bytes.clone(),
        })
        .collect();
    let design = read_files(&files, mapping.as_ref()).map_err(|e| match e {
        spares_bom::BomError::UnknownColumns { .. } => {
            format!("{e}. Name them in “Columns” below.")
        }
        e => format!("{e}."),
    })?;
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    Ok((names.join(", "), design))
}

fn present(title: &str, design: &Design, c: &Check) -> Checked {
    let lines = c
        .lines
        .iter()
        .map(|l| LineView {
            name: if l.line.text.is_empty() {
                l.line.designators_text()
            } else {
                l.line.text.clone()
            },
            needed: l.needed,
            have: l.have.min(l.needed),
            verdict: l.verdict.name(),
            understood: l.understood.clone(),
            takes: l
                .takes
                .iter()
                .map(|t| {
                    let place = t
                        .spare
                        .location
                        .as_ref()
                        .map_or("no box".to_owned(), |b| b.to_string());
                    format!(
                        "{} from {place}: {}",
                        t.quantity,
                        spares_core::answer::describe(&t.spare)
                    )
                })
                .collect(),
            substitutes: if l.verdict == Verdict::Enough {
                Vec::new()
            } else {
                l.substitutes
                    .iter()
                    .take(3)
                    .map(|s| format!("{} — {}", s.what, s.why))
                    .collect()
            },
            notes: l.notes.clone(),
        })
        .collect();
    let boxes = c
        .boxes_to_visit()
        .into_iter()
        .map(|b| BoxView {
            href: b
                .code
                .as_ref()
                .map(|c| format!("/b/{}", encode(c.as_str()))),
            name: b
                .code
                .as_ref()
                .map_or("Parts in no box".to_owned(), |c| format!("Box {c}")),
            takes: b.take_texts(),
        })
        .collect();
    Checked {
        title: format!(
            "{title} — {}, {} lines, for {} board{}",
            design.format.name(),
            design.lines.len(),
            c.boards,
            if c.boards == 1 { "" } else { "s" }
        ),
        summary: c.summary(),
        can_build: c.can_build(),
        warnings: design.warnings.clone(),
        lines,
        boxes,
    }
}
