//! Projects in the JSON API (every call needs the bearer token: a
//! project's design is the owner's, like the web pages that need sign-in):
//!
//! - `GET /api/projects`, `POST /api/projects` (JSON `{"name", "lines":
//!   ["4x 10k 0805", …]}`, or a form upload: `name`, `file` (several for
//!   a schematic's sheets), `list`, `columns`),
//! - `GET/PATCH/DELETE /api/projects/{id}` (PATCH: `name`, `choose`:
//!   `{"2": 17, "3": null}` — line number → spare, `null` = Spares
//!   chooses),
//! - `PUT /api/projects/{id}/design` (a new revision, sent as to `POST`
//!   without `name`: lines replaced, choices cleared, builds kept),
//! - `GET /api/projects/{id}/check?boards=N`,
//! - `POST /api/projects/{id}/build` (`{"boards": N}`) →
//!   201 with the build, or 409 naming the short lines (nothing taken),
//! - `POST /api/builds/{id}/undo`,
//! - `GET /api/projects/{id}/shopping?boards=N&extra=M&format=F` (JSON by
//!   default; `plain`, `lcsc`, `mouser`, `digikey` as files).

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use spares_core::project::{
    self, Build, BuildError, Check, Project, ProjectData, ProjectName, ShopFormat, shopping,
};
use spares_core::{Change, Source, SpareId, StoreError};

use super::ApiWriter;
use super::json::SpareJson;
use crate::error::WebError;
use crate::extract::{BuildIdPath, JsonBody, Params, ProjectIdPath};
use crate::routes::pages::projects::{MAX_UPLOAD, read_design, sources};
use crate::state::AppState;
use crate::upload::read_form;

fn change() -> Change {
    Change::new(Source::Api, "api")
}

#[derive(Debug, Serialize)]
pub struct ProjectJson {
    id: i64,
    name: String,
    sources: Vec<String>,
    lines: Vec<LineJson>,
    created_at: String,
    updated_at: String,
}

#[derive(Debug, Serialize)]
struct LineJson {
    /// 1-based, as `choose` and messages name it.
    line: usize,
    designators: Vec<String>,
    quantity: u32,
    value: String,
    footprint: String,
    mpn: String,
    manufacturer: String,
    suppliers: std::collections::BTreeMap<String, String>,
    text: String,
    /// The spare chosen by hand, if any.
    chosen_spare: Option<i64>,
}

impl From<&Project> for ProjectJson {
    fn from(p: &Project) -> Self {
        ProjectJson {
            id: p.id.0,
            name: p.data.name.to_string(),
            sources: p.data.sources.clone(),
            lines: p
                .data
                .lines
                .iter()
                .enumerate()
                .map(|(i, l)| LineJson {
                    line: i + 1,
                    designators: l.designators.clone(),
                    quantity: l.quantity,
                    value: l.value.clone(),
                    footprint: l.footprint.clone(),
                    mpn: l.mpn.clone(),
                    manufacturer: l.manufacturer.clone(),
                    suppliers: l.suppliers.clone(),
                    text: l.text.clone(),
                    chosen_spare: p.data.overrides.get(&i).map(|s| s.0),
                })
                .collect(),
            created_at: p.created_at.to_rfc3339(),
            updated_at: p.updated_at.to_rfc3339(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct BuildJson {
    id: i64,
    project: i64,
    boards: u32,
    takes: Vec<TakeJson>,
    actor: String,
    source: String,
    at: String,
    undone_at: Option<String>,
}

#[derive(Debug, Serialize)]
struct TakeJson {
    spare: i64,
    quantity: u64,
}

impl From<&Build> for BuildJson {
    fn from(b: &Build) -> Self {
        BuildJson {
            id: b.id.0,
            project: b.project.0,
            boards: b.boards,
            takes: b
                .takes
                .iter()
                .map(|t| TakeJson {
                    spare: t.spare.0,
                    quantity: t.quantity,
                })
                .collect(),
            actor: b.actor.clone(),
            source: b.source.key().to_owned(),
            at: b.at.to_rfc3339(),
            undone_at: b.undone_at.map(|t| t.to_rfc3339()),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct CheckJson {
    boards: u32,
    buildable: u64,
    can_build: bool,
    summary: String,
    cost: Vec<String>,
    lines: Vec<LineCheckJson>,
    boxes_to_visit: Vec<BoxJson>,
}

#[derive(Debug, Serialize)]
struct LineCheckJson {
    line: usize,
    name: String,
    needed: u64,
    have: u64,
    verdict: &'static str,
    understood: String,
    takes: Vec<CheckTakeJson>,
    substitutes: Vec<SubstituteJson>,
    notes: Vec<String>,
    chosen_spare: Option<i64>,
}

#[derive(Debug, Serialize)]
struct CheckTakeJson {
    quantity: u64,
    spare: SpareJson,
}

#[derive(Debug, Serialize)]
struct SubstituteJson {
    what: String,
    why: String,
    spares: Vec<i64>,
}

#[derive(Debug, Serialize)]
struct BoxJson {
    /// `null`: parts in no box.
    code: Option<String>,
    take: Vec<String>,
}

impl From<&Check> for CheckJson {
    fn from(c: &Check) -> Self {
        CheckJson {
            boards: c.boards,
            buildable: c.buildable,
            can_build: c.can_build(),
            summary: c.summary(),
            cost: c.cost.iter().map(ToString::to_string).collect(),
            lines: c
                .lines
                .iter()
                .enumerate()
                .map(|(i, l)| LineCheckJson {
                    line: i + 1,
                    name: l.name(),
                    needed: l.needed,
                    have: l.have.min(l.needed),
                    verdict: l.verdict.name(),
                    understood: l.understood.clone(),
                    takes: l
                        .takes
                        .iter()
                        .map(|t| CheckTakeJson {
                            quantity: t.quantity,
                            spare: SpareJson::from(&t.spare),
                        })
                        .collect(),
                    substitutes: l
                        .substitutes
                        .iter()
                        .map(|s| SubstituteJson {
                            what: s.what.clone(),
                            why: s.why.clone(),
                            spares: s.spares.iter().map(|x| x.0).collect(),
                        })
                        .collect(),
                    notes: l.notes.clone(),
                    chosen_spare: l.chosen.map(|s| s.0),
                })
                .collect(),
            boxes_to_visit: c
                .boxes_to_visit()
                .iter()
                .map(|b| BoxJson {
                    code: b.code.as_ref().map(ToString::to_string),
                    take: b.take_texts(),
                })
                .collect(),
        }
    }
}

/// `GET /api/projects`: every project, by name.
pub async fn list(
    State(state): State<AppState>,
    _w: ApiWriter,
) -> Result<Json<Vec<ProjectJson>>, WebError> {
    let projects = state.store.list_projects().await?;
    Ok(Json(projects.iter().map(ProjectJson::from).collect()))
}

/// What `POST /api/projects` and `PUT /api/projects/{id}/design` accept
/// as JSON.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DesignJson {
    /// Only when creating.
    name: Option<String>,
    /// One typed line each ("4x 10k 0805").
    #[serde(default)]
    lines: Vec<String>,
}

/// A design sent as JSON (`name`, `lines`) or as a form upload (`name`,
/// `file`…, `list`, `columns`): its name as sent, its sources, its lines.
async fn design_of(
    state: &AppState,
    request: Request,
    nothing: &str,
) -> Result<(Option<String>, Vec<String>, spares_bom::Design), WebError> {
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if is_form {
        let multipart: Result<Multipart, MultipartRejection> =
            Multipart::from_request(request, state).await;
        let form = read_form(multipart, MAX_UPLOAD >> 20, nothing).await?;
        let (_, design) = read_design(&form.files, form.text("list"), form.text("columns").trim())
            .map_err(WebError::BadRequest)?;
        let name = form
            .texts
            .iter()
            .any(|(n, _)| n == "name")
            .then(|| form.text("name").to_owned());
        Ok((name, sources(&form), design))
    } else {
        let JsonBody(body): JsonBody<Value> = JsonBody::from_request(request, state).await?;
        let body: DesignJson = serde_json::from_value(body)
            .map_err(|e| WebError::BadRequest(format!("project: {e}")))?;
        let list = body.lines.join("\n");
        let (_, design) = read_design(&[], &list, "").map_err(WebError::BadRequest)?;
        Ok((body.name, vec!["typed list".to_owned()], design))
    }
}

/// `POST /api/projects`: a typed list as JSON, or files as a form upload.
pub async fn create(
    State(state): State<AppState>,
    _w: ApiWriter,
    request: Request,
) -> Result<(StatusCode, Json<ProjectJson>), WebError> {
    let (name, sources, design) = design_of(&state, request, "nothing was saved").await?;
    let name = ProjectName::parse(&name.unwrap_or_default())
        .map_err(|e| WebError::BadRequest(format!("name: {e}")))?;
    let p = state
        .store
        .create_project(ProjectData::new(name, sources, design.lines))
        .await?;
    Ok((StatusCode::CREATED, Json(ProjectJson::from(&p))))
}

/// `PUT /api/projects/{id}/design`: a new revision of the design, sent as
/// to `POST /api/projects` without a name: its lines replaced, its spares
/// chosen by hand cleared, its name and builds kept.
pub async fn replace_design(
    State(state): State<AppState>,
    _w: ApiWriter,
    ProjectIdPath(id): ProjectIdPath,
    request: Request,
) -> Result<Json<ProjectJson>, WebError> {
    let (name, sources, design) = design_of(&state, request, "nothing was changed").await?;
    if name.is_some() {
        return Err(WebError::BadRequest(
            "name: rename with PATCH /api/projects/{id}; nothing was changed".into(),
        ));
    }
    let p = project::replace_design(state.store.as_ref(), id, sources, design.lines).await?;
    Ok(Json(ProjectJson::from(&p)))
}

/// `GET /api/projects/{id}`.
pub async fn get(
    State(state): State<AppState>,
    _w: ApiWriter,
    ProjectIdPath(id): ProjectIdPath,
) -> Result<Json<ProjectJson>, WebError> {
    Ok(Json(ProjectJson::from(&state.store.get_project(id).await?)))
}

/// `PATCH /api/projects/{id}`: `name`, and/or `choose` (line number →
/// spare number, or `null` to let Spares choose again).
pub async fn patch(
    State(state): State<AppState>,
    _w: ApiWriter,
    ProjectIdPath(id): ProjectIdPath,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<ProjectJson>, WebError> {
    let bad = |m: String| WebError::BadRequest(m);
    let body = body
        .as_object()
        .ok_or_else(|| bad("send a JSON object".into()))?;
    let mut p = state.store.get_project(id).await?;
    for (key, value) in body {
        match key.as_str() {
            "name" => {
                let text = value.as_str().ok_or_else(|| bad("name: a string".into()))?;
                p.data.name = ProjectName::parse(text).map_err(|e| bad(format!("name: {e}")))?;
            }
            "choose" => {
                let choices = value
                    .as_object()
                    .ok_or_else(|| bad("choose: an object like {\"2\": 17}".into()))?;
                for (line, spare) in choices {
                    let n = line
                        .trim()
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=p.data.lines.len()).contains(n))
                        .ok_or_else(|| bad(format!("choose: there is no line {line:?}")))?;
                    match spare {
                        Value::Null => {
                            p.data.overrides.remove(&(n - 1));
                        }
                        v => {
                            let s = v.as_i64().ok_or_else(|| {
                                bad(format!("choose: line {n}: a spare's number or null"))
                            })?;
                            let spare =
                                state
                                    .store
                                    .get_spare(SpareId(s))
                                    .await
                                    .map_err(|e| match e {
                                        StoreError::NotFound { .. } => {
                                            bad(format!("choose: line {n}: there is no spare #{s}"))
                                        }
                                        e => e.into(),
                                    })?;
                            p.data.overrides.insert(n - 1, spare.id);
                        }
                    }
                }
            }
            other => return Err(bad(format!("unknown field {other:?}: name, choose"))),
        }
    }
    let p = state.store.update_project(id, p.data).await?;
    Ok(Json(ProjectJson::from(&p)))
}

/// `DELETE /api/projects/{id}`: the project and its builds (parts they
/// took stay taken).
pub async fn delete(
    State(state): State<AppState>,
    _w: ApiWriter,
    ProjectIdPath(id): ProjectIdPath,
) -> Result<StatusCode, WebError> {
    state.store.delete_project(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, Default)]
pub struct Asked {
    #[serde(default)]
    boards: Option<u32>,
    #[serde(default)]
    extra: Option<u32>,
    #[serde(default)]
    format: Option<String>,
}

fn boards(asked: Option<u32>) -> Result<u32, WebError> {
    match asked.unwrap_or(1) {
        n @ 1..=project::MAX_BOARDS => Ok(n),
        n => Err(WebError::BadRequest(format!(
            "boards: {n} is not from 1 to {}",
            project::MAX_BOARDS
        ))),
    }
}

/// `GET /api/projects/{id}/check?boards=N`.
pub async fn check(
    State(state): State<AppState>,
    _w: ApiWriter,
    ProjectIdPath(id): ProjectIdPath,
    Params(q): Params<Asked>,
) -> Result<Json<CheckJson>, WebError> {
    let boards = boards(q.boards)?;
    let p = state.store.get_project(id).await?;
    let checked = project::check_project(state.store.as_ref(), &p, boards).await?;
    Ok(Json(CheckJson::from(&checked)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildBody {
    #[serde(default)]
    boards: Option<u32>,
}

/// `POST /api/projects/{id}/build` `{"boards": N}`.
pub async fn build(
    State(state): State<AppState>,
    _w: ApiWriter,
    ProjectIdPath(id): ProjectIdPath,
    JsonBody(body): JsonBody<BuildBody>,
) -> Result<(StatusCode, Json<BuildJson>), WebError> {
    let boards = boards(body.boards)?;
    let p = state.store.get_project(id).await?;
    match project::build(state.store.as_ref(), &p, boards, &change()).await {
        Ok(built) => Ok((StatusCode::CREATED, Json(BuildJson::from(&built.build)))),
        Err(e @ BuildError::Short { .. }) => Err(WebError::Conflict(e.to_string())),
        Err(BuildError::Store(e)) => Err(e.into()),
    }
}

/// `POST /api/builds/{id}/undo`.
pub async fn undo(
    State(state): State<AppState>,
    _w: ApiWriter,
    BuildIdPath(id): BuildIdPath,
) -> Result<Json<BuildJson>, WebError> {
    let b = project::undo(state.store.as_ref(), id, &change()).await?;
    Ok(Json(BuildJson::from(&b)))
}

#[derive(Debug, Serialize)]
struct ToBuyJson {
    quantity: u64,
    description: String,
    mpn: String,
    manufacturer: String,
    lcsc: String,
    mouser: String,
    digikey: String,
    reference: String,
}

/// `GET /api/projects/{id}/shopping?boards=N&extra=M&format=F`.
pub async fn shopping_list(
    State(state): State<AppState>,
    _w: ApiWriter,
    ProjectIdPath(id): ProjectIdPath,
    Params(q): Params<Asked>,
) -> Result<Response, WebError> {
    let boards = boards(q.boards)?;
    let extra = q.extra.unwrap_or(0);
    if extra > shopping::MAX_EXTRA {
        return Err(WebError::BadRequest(format!(
            "extra: at most {}",
            shopping::MAX_EXTRA
        )));
    }
    let format = match q.format.as_deref().unwrap_or("json") {
        "json" => None,
        f => Some(ShopFormat::parse(f).ok_or_else(|| {
            WebError::BadRequest(format!(
                "format {f:?}: json, plain, lcsc, mouser or digikey"
            ))
        })?),
    };
    let p = state.store.get_project(id).await?;
    let checked = project::check_project(state.store.as_ref(), &p, boards).await?;
    let list = project::shopping_list(&checked, extra);
    Ok(match format {
        None => Json(
            list.into_iter()
                .map(|b| ToBuyJson {
                    quantity: b.quantity,
                    description: b.description,
                    mpn: b.mpn,
                    manufacturer: b.manufacturer,
                    lcsc: b.lcsc,
                    mouser: b.mouser,
                    digikey: b.digikey,
                    reference: b.reference,
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Some(f) => (
            [(header::CONTENT_TYPE, f.media_type())],
            shopping::write(&list, f),
        )
            .into_response(),
    })
}
