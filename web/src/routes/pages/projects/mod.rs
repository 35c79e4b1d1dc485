//! Projects: "can I build this?" and then building it.
//!
//! - `/projects` ([`list`]): the saved projects, and a form to check a
//!   KiCad schematic (with its sheets), a BOM CSV or a typed list against
//!   the stock for some boards — or to save it as a project.
//! - `/projects/{id}` ([`show`]): a saved project checked for N boards:
//!   boxes to visit, each line's verdict, a spare chosen by hand per line,
//!   Build / Undo build, shopping-list downloads, rename; its
//!   `/design` page takes a new revision of the design.
//!
//! Checking changes nothing; saving, choosing, building and undoing need a
//! signed-in user and the CSRF token like every write.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use spares_bom::{Design, File, Mapping, read_files, read_pasted};
use spares_core::answer::describe;
use spares_core::project::{self, Check, MAX_BOARDS, Verdict};

use crate::auth::{EditForm, Editor, Visitor};
use crate::error::WebError;
use crate::extract::{BuildIdPath, OnPage, Params, ProjectIdPath};
use crate::html::{Ctx, PageError, encode, page, see_other};
use crate::state::AppState;
use crate::upload::form_fields;

mod actions;
mod list;
mod show;

pub use actions::{build, choose, delete, rename, shopping, undo};
pub use list::{check, design_form, form, replace};
pub use show::show;

/// Largest upload (all files together).
pub const MAX_UPLOAD: usize = spares_bom::MAX_FILE_BYTES;

/// A design checked, as the pages show it.
pub struct Checked {
    pub title: String,
    pub summary: String,
    pub can_build: bool,
    pub warnings: Vec<String>,
    pub lines: Vec<LineView>,
    pub boxes: Vec<BoxView>,
}

pub struct LineView {
    /// 0-based, for the "choose a spare" form.
    pub index: usize,
    pub name: String,
    pub needed: u64,
    pub have: u64,
    /// CSS class and word.
    pub verdict: &'static str,
    pub understood: String,
    pub takes: Vec<String>,
    pub substitutes: Vec<String>,
    pub notes: Vec<String>,
    /// Spares a person may choose for the line: (id, label, chosen now).
    pub options: Vec<(i64, String, bool)>,
    pub chosen: bool,
}

pub struct BoxView {
    pub name: String,
    pub href: Option<String>,
    pub takes: Vec<String>,
}

/// Boards from a form or query field: empty → 1.
fn parse_boards(text: &str) -> Result<u32, String> {
    let text = text.trim();
    match text.parse::<u32>() {
        Ok(n) if (1..=MAX_BOARDS).contains(&n) => Ok(n),
        _ if text.is_empty() => Ok(1),
        _ => Err(format!(
            "Boards: “{text}” is not a number from 1 to {MAX_BOARDS}."
        )),
    }
}

/// The design: the files if any were sent, else the typed list; with a
/// title naming them.
pub(crate) fn read_design(
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

/// The names of the files a design was read from, as a project keeps
/// them ("typed list" for a list).
pub(crate) fn sources(form: &crate::upload::Form) -> Vec<String> {
    if form.files.is_empty() {
        vec!["typed list".to_owned()]
    } else {
        form.files.iter().map(|f| f.filename.clone()).collect()
    }
}

/// A check as the pages show it; `title` names what was checked.
fn present(title: String, warnings: &[String], c: &Check) -> Checked {
    let lines = c
        .lines
        .iter()
        .enumerate()
        .map(|(index, l)| {
            let mut options: Vec<(i64, String, bool)> = Vec::new();
            let mut offer = |id: i64, label: String| {
                if !options.iter().any(|(o, _, _)| *o == id) {
                    options.push((id, label, l.chosen.is_some_and(|c| c.0 == id)));
                }
            };
            for t in &l.takes {
                offer(
                    t.spare.id.0,
                    format!("#{} {}", t.spare.id, describe(&t.spare)),
                );
            }
            for s in &l.substitutes {
                if let [one] = s.spares.as_slice() {
                    offer(one.0, format!("#{one} {}", s.what));
                }
            }
            LineView {
                index,
                name: l.name(),
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
                        format!("{} from {place}: {}", t.quantity, describe(&t.spare))
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
                options,
                chosen: l.chosen.is_some(),
            }
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
        title,
        summary: c.summary(),
        can_build: c.can_build(),
        warnings: warnings.to_vec(),
        lines,
        boxes,
    }
}

fn plural(n: impl Into<u64>) -> &'static str {
    if n.into() == 1 { "" } else { "s" }
}
