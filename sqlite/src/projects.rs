//! Projects and builds (schema v5). A build is one IMMEDIATE transaction:
//! every spare's quantity checked and taken, one movement each, the build
//! row — or, on the first spare short, nothing at all.

use super::*;
use crate::stock::change_in;

use spares_core::project::{
    Build, BuildId, BuildTake, Project, ProjectData, ProjectId, record::validate_takes,
};

pub(crate) const PROJECT_COLUMNS: &str =
    "id, name, sources, lines, overrides, created_at, updated_at";
pub(crate) const BUILD_COLUMNS: &str =
    "id, project_id, boards, takes, source, actor, at, undone_at";

fn project_not_found(id: ProjectId) -> StoreError {
    StoreError::NotFound {
        what: "project",
        key: format!("#{id}"),
    }
}

pub(crate) fn project_from_row(row: &rusqlite::Row<'_>) -> Result<Project, StoreError> {
    let get_text = |i: usize| row.get::<_, String>(i).map_err(backend);
    let data = ProjectData::from_stored(&get_text(1)?, &get_text(2)?, &get_text(3)?, &get_text(4)?)
        .map_err(rows::corrupt)?;
    Ok(Project {
        id: ProjectId(row.get(0).map_err(backend)?),
        data,
        created_at: rows::from_micros(row.get(5).map_err(backend)?)?,
        updated_at: rows::from_micros(row.get(6).map_err(backend)?)?,
    })
}

pub(crate) fn build_from_row(row: &rusqlite::Row<'_>) -> Result<Build, StoreError> {
    let source: String = row.get(4).map_err(backend)?;
    let undone: Option<i64> = row.get(7).map_err(backend)?;
    Ok(Build {
        id: BuildId(row.get(0).map_err(backend)?),
        project: ProjectId(row.get(1).map_err(backend)?),
        boards: row.get(2).map_err(backend)?,
        takes: Build::takes_from_json(&row.get::<_, String>(3).map_err(backend)?)
            .map_err(rows::corrupt)?,
        source: source.parse().map_err(rows::corrupt)?,
        actor: row.get(5).map_err(backend)?,
        at: rows::from_micros(row.get(6).map_err(backend)?)?,
        undone_at: undone.map(rows::from_micros).transpose()?,
    })
}

fn get_project_in(conn: &Connection, id: ProjectId) -> Result<Project, StoreError> {
    let sql = format!("SELECT {PROJECT_COLUMNS} FROM projects WHERE id = ?");
    query_all(conn, &sql, [id.0], project_from_row)?
        .pop()
        .ok_or_else(|| project_not_found(id))
}

fn get_build_in(conn: &Connection, id: BuildId) -> Result<Build, StoreError> {
    let sql = format!("SELECT {BUILD_COLUMNS} FROM builds WHERE id = ?");
    query_all(conn, &sql, [id.0], build_from_row)?
        .pop()
        .ok_or_else(|| StoreError::NotFound {
            what: "build",
            key: format!("#{id}"),
        })
}

fn name_taken(e: rusqlite::Error) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::Conflict("another project has that name".into())
        }
        e => backend(e),
    }
}

/// Writes projects and builds as a snapshot holds them (ids and times
/// kept), into an empty store's transaction.
pub(crate) fn restore_in(
    tx: &Transaction<'_>,
    projects: &[Project],
    builds: &[Build],
) -> Result<(), StoreError> {
    for p in projects {
        tx.execute(
            "INSERT INTO projects (id, name, name_key, sources, lines, overrides, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                p.id.0,
                p.data.name.as_str(),
                p.data.name.key(),
                p.data.sources_json(),
                p.data.lines_json(),
                p.data.overrides_json(),
                micros(p.created_at),
                micros(p.updated_at)
            ],
        )
        .map_err(name_taken)?;
    }
    for b in builds {
        tx.execute(
            "INSERT INTO builds (id, project_id, boards, takes, source, actor, at, undone_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                b.id.0,
                b.project.0,
                b.boards,
                Build::takes_json(&b.takes),
                b.source.key(),
                b.actor,
                micros(b.at),
                b.undone_at.map(micros)
            ],
        )
        .map_err(backend)?;
    }
    Ok(())
}

impl SqliteStore {
    pub(crate) async fn create_project(&self, data: ProjectData) -> Result<Project, StoreError> {
        data.validate().map_err(StoreError::Invalid)?;
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let now = micros(Utc::now());
            tx.execute(
                "INSERT INTO projects (name, name_key, sources, lines, overrides, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                params![
                    data.name.as_str(),
                    data.name.key(),
                    data.sources_json(),
                    data.lines_json(),
                    data.overrides_json(),
                    now,
                    now
                ],
            )
            .map_err(name_taken)?;
            let id = ProjectId(tx.last_insert_rowid());
            let project = get_project_in(&tx, id)?;
            tx.commit().map_err(backend)?;
            Ok(project)
        })
        .await
    }

    pub(crate) async fn get_project(&self, id: ProjectId) -> Result<Project, StoreError> {
        self.read_short(move |conn| get_project_in(conn, id)).await
    }

    pub(crate) async fn list_projects(&self) -> Result<Vec<Project>, StoreError> {
        self.read(move |conn| {
            let sql = format!("SELECT {PROJECT_COLUMNS} FROM projects ORDER BY name_key, id");
            query_all(conn, &sql, [], project_from_row)
        })
        .await
    }

    pub(crate) async fn update_project(
        &self,
        id: ProjectId,
        data: ProjectData,
    ) -> Result<Project, StoreError> {
        data.validate().map_err(StoreError::Invalid)?;
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let changed = tx
                .execute(
                    "UPDATE projects SET name = ?, name_key = ?, sources = ?, lines = ?, overrides = ?, updated_at = ? WHERE id = ?",
                    params![
                        data.name.as_str(),
                        data.name.key(),
                        data.sources_json(),
                        data.lines_json(),
                        data.overrides_json(),
                        micros(Utc::now()),
                        id.0
                    ],
                )
                .map_err(name_taken)?;
            if changed == 0 {
                return Err(project_not_found(id));
            }
            let project = get_project_in(&tx, id)?;
            tx.commit().map_err(backend)?;
            Ok(project)
        })
        .await
    }

    pub(crate) async fn delete_project(&self, id: ProjectId) -> Result<(), StoreError> {
        self.run(move |conn| {
            let tx = immediate(conn)?;
            tx.execute("DELETE FROM builds WHERE project_id = ?", [id.0])
                .map_err(backend)?;
            let n = tx
                .execute("DELETE FROM projects WHERE id = ?", [id.0])
                .map_err(backend)?;
            if n == 0 {
                return Err(project_not_found(id));
            }
            tx.commit().map_err(backend)
        })
        .await
    }

    pub(crate) async fn build(
        &self,
        project: ProjectId,
        boards: u32,
        takes: &[BuildTake],
        change: &Change,
    ) -> Result<Build, StoreError> {
        validate_takes(takes).map_err(StoreError::Invalid)?;
        if boards == 0 {
            return Err(StoreError::Invalid("a build is of at least 1 board".into()));
        }
        let takes = takes.to_vec();
        let change = change.clone();
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let p = get_project_in(&tx, project)?;
            let change = change.with_reason(&Build::reason(&p.data.name, boards));
            let now = Utc::now();
            for t in &takes {
                let delta = -i64::try_from(t.quantity).unwrap_or(MAX_QUANTITY);
                change_in(&tx, t.spare, delta, &change, micros(now))?;
            }
            tx.execute(
                "INSERT INTO builds (project_id, boards, takes, source, actor, at) VALUES (?, ?, ?, ?, ?, ?)",
                params![
                    project.0,
                    boards,
                    Build::takes_json(&takes),
                    change.source.key(),
                    change.actor,
                    micros(now)
                ],
            )
            .map_err(backend)?;
            let build = get_build_in(&tx, BuildId(tx.last_insert_rowid()))?;
            tx.commit().map_err(backend)?;
            Ok(build)
        })
        .await
    }

    pub(crate) async fn undo_build(
        &self,
        id: BuildId,
        change: &Change,
    ) -> Result<Build, StoreError> {
        let change = change.clone();
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let build = get_build_in(&tx, id)?;
            if build.undone_at.is_some() {
                return Err(StoreError::Conflict(format!(
                    "build #{id} was undone already"
                )));
            }
            let p = get_project_in(&tx, build.project)?;
            let change = change.with_reason(&Build::undo_reason(&p.data.name, build.boards));
            let now = Utc::now();
            for t in &build.takes {
                let exists: Option<i64> = tx
                    .query_row("SELECT id FROM spares WHERE id = ?", [t.spare.0], |r| {
                        r.get(0)
                    })
                    .optional()
                    .map_err(backend)?;
                if exists.is_none() {
                    continue;
                }
                let delta = i64::try_from(t.quantity).unwrap_or(MAX_QUANTITY);
                change_in(&tx, t.spare, delta, &change, micros(now))?;
            }
            tx.execute(
                "UPDATE builds SET undone_at = ? WHERE id = ?",
                params![micros(now), id.0],
            )
            .map_err(backend)?;
            let build = get_build_in(&tx, id)?;
            tx.commit().map_err(backend)?;
            Ok(build)
        })
        .await
    }

    pub(crate) async fn builds(&self, project: ProjectId) -> Result<Vec<Build>, StoreError> {
        self.read_short(move |conn| {
            get_project_in(conn, project)?;
            let sql =
                format!("SELECT {BUILD_COLUMNS} FROM builds WHERE project_id = ? ORDER BY id DESC");
            query_all(conn, &sql, [project.0], build_from_row)
        })
        .await
    }
}
