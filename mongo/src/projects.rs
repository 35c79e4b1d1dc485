//! Projects (`projects`; each name claimed in `project_names`, `_id` = the
//! name's key, so two projects never share a name whatever indexes the
//! server offers) and builds (`builds`).
//!
//! A build with transactions: every guarded `$inc`, its movement and the
//! build document in one transaction. Without: the build document is
//! written first (`state: "pending"`), each spare taken by the same
//! guarded `$inc` as an adjustment, and the takes so far written into the
//! build after each one. When a spare is short, what was taken is put
//! back (movements "… refused: put back") and the build deleted — nothing
//! changed. A crash in the middle leaves the pending build with the takes
//! done so far: it is listed with the project's builds and "Undo build"
//! puts them back in one step. Never a half build that nobody can see.

use super::*;

use spares_core::project::{
    Build, BuildId, BuildTake, Project, ProjectData, ProjectId, record::validate_takes,
};

fn project_not_found(id: ProjectId) -> StoreError {
    StoreError::NotFound {
        what: "project",
        key: format!("#{id}"),
    }
}

fn build_not_found(id: BuildId) -> StoreError {
    StoreError::NotFound {
        what: "build",
        key: format!("#{id}"),
    }
}

fn text<'a>(d: &'a Document, key: &str) -> Result<&'a str, StoreError> {
    d.get_str(key)
        .map_err(|_| docs::corrupt(format!("project or build without {key}")))
}

pub(crate) fn project_from_doc(d: &Document) -> Result<Project, StoreError> {
    let data = ProjectData::from_stored(
        text(d, "name")?,
        text(d, "sources")?,
        text(d, "lines")?,
        text(d, "overrides")?,
    )
    .map_err(docs::corrupt)?;
    Ok(Project {
        id: ProjectId(int(d, "_id")?),
        data,
        created_at: docs::time(int(d, "created_at")?)?,
        updated_at: docs::time(int(d, "updated_at")?)?,
    })
}

pub(crate) fn build_from_doc(d: &Document) -> Result<Build, StoreError> {
    let undone_at = match d.get("undone_at") {
        None | Some(Bson::Null) => None,
        Some(_) => Some(docs::time(int(d, "undone_at")?)?),
    };
    Ok(Build {
        id: BuildId(int(d, "_id")?),
        project: ProjectId(int(d, "project")?),
        boards: u32::try_from(int(d, "boards")?).map_err(docs::corrupt)?,
        takes: Build::takes_from_json(text(d, "takes")?).map_err(docs::corrupt)?,
        source: text(d, "source")?.parse().map_err(docs::corrupt)?,
        actor: text(d, "actor")?.to_owned(),
        at: docs::time(int(d, "at")?)?,
        undone_at,
    })
}

fn project_fields(data: &ProjectData, now: i64) -> Document {
    doc! {
        "name": data.name.as_str(),
        "name_key": data.name.key(),
        "sources": data.sources_json(),
        "lines": data.lines_json(),
        "overrides": data.overrides_json(),
        "updated_at": now,
    }
}

/// A project as stored (restore: id and times kept).
pub(crate) fn project_doc(p: &Project) -> Document {
    let mut d = project_fields(&p.data, micros(p.updated_at));
    d.insert("_id", p.id.0);
    d.insert("created_at", micros(p.created_at));
    d
}

/// A build as stored (restore).
pub(crate) fn build_doc(b: &Build) -> Document {
    doc! {
        "_id": b.id.0,
        "project": b.project.0,
        "boards": i64::from(b.boards),
        "takes": Build::takes_json(&b.takes),
        "source": b.source.key(),
        "actor": b.actor.as_str(),
        "at": micros(b.at),
        "undone_at": b.undone_at.map_or(Bson::Null, |t| Bson::Int64(micros(t))),
        "state": "done",
    }
}

fn taken(q: u64) -> i64 {
    i64::try_from(q).unwrap_or(MAX_QUANTITY)
}

impl MongoStore {
    pub(crate) fn projects(&self) -> Collection<Document> {
        self.db.collection("projects")
    }

    pub(crate) fn project_names(&self) -> Collection<Document> {
        self.db.collection("project_names")
    }

    pub(crate) fn builds(&self) -> Collection<Document> {
        self.db.collection("builds")
    }

    /// Claims a project name for `id`. A claim whose project no longer
    /// has that name (left by a crash) is taken over.
    async fn claim_name(&self, key: &str, id: ProjectId) -> Result<(), StoreError> {
        let claim = doc! { "_id": key, "project": id.0 };
        match self.project_names().insert_one(claim).await {
            Ok(_) => return Ok(()),
            Err(e) if is_duplicate(&e) => {}
            Err(e) => return Err(store_err(e)),
        }
        let taken = StoreError::Conflict("another project has that name".into());
        let Some(existing) = self
            .project_names()
            .find_one(doc! { "_id": key })
            .await
            .map_err(store_err)?
        else {
            return Err(taken);
        };
        let holder = int(&existing, "project")?;
        let held = self
            .projects()
            .find_one(doc! { "_id": holder, "name_key": key })
            .await
            .map_err(store_err)?;
        if held.is_some() || holder == id.0 {
            return if holder == id.0 { Ok(()) } else { Err(taken) };
        }
        let replaced = self
            .project_names()
            .update_one(
                doc! { "_id": key, "project": holder },
                doc! { "$set": { "project": id.0 } },
            )
            .await
            .map_err(store_err)?;
        if replaced.modified_count == 1 {
            Ok(())
        } else {
            Err(taken)
        }
    }

    async fn release_name(&self, key: &str, id: ProjectId) -> Result<(), StoreError> {
        self.project_names()
            .delete_one(doc! { "_id": key, "project": id.0 })
            .await
            .map_err(store_err)
            .map(drop)
    }

    pub(crate) async fn create_project(&self, data: ProjectData) -> Result<Project, StoreError> {
        data.validate().map_err(StoreError::Invalid)?;
        let id = ProjectId(self.reserve_ids("projects", 1).await?);
        let key = data.name.key();
        self.claim_name(&key, id).await?;
        let now = micros(Utc::now());
        let mut d = project_fields(&data, now);
        d.insert("_id", id.0);
        d.insert("created_at", now);
        if let Err(e) = self.projects().insert_one(d).await {
            self.release_name(&key, id).await?;
            return Err(store_err(e));
        }
        self.get_project(id).await
    }

    pub(crate) async fn get_project(&self, id: ProjectId) -> Result<Project, StoreError> {
        let d = self
            .projects()
            .find_one(doc! { "_id": id.0 })
            .await
            .map_err(store_err)?
            .ok_or_else(|| project_not_found(id))?;
        project_from_doc(&d)
    }

    pub(crate) async fn list_projects(&self) -> Result<Vec<Project>, StoreError> {
        let docs = self
            .find_all(&self.projects(), doc! {}, doc! { "name_key": 1, "_id": 1 })
            .await?;
        docs.iter().map(project_from_doc).collect()
    }

    pub(crate) async fn update_project(
        &self,
        id: ProjectId,
        data: ProjectData,
    ) -> Result<Project, StoreError> {
        data.validate().map_err(StoreError::Invalid)?;
        let old = self.get_project(id).await?;
        let (old_key, new_key) = (old.data.name.key(), data.name.key());
        if new_key != old_key {
            self.claim_name(&new_key, id).await?;
        }
        let updated = self
            .projects()
            .update_one(
                doc! { "_id": id.0 },
                doc! { "$set": project_fields(&data, micros(Utc::now())) },
            )
            .await
            .map_err(store_err)?;
        if updated.matched_count == 0 {
            if new_key != old_key {
                self.release_name(&new_key, id).await?;
            }
            return Err(project_not_found(id));
        }
        if new_key != old_key {
            self.release_name(&old_key, id).await?;
        }
        self.get_project(id).await
    }

    pub(crate) async fn delete_project(&self, id: ProjectId) -> Result<(), StoreError> {
        let old = self.get_project(id).await?;
        let deleted = self
            .projects()
            .delete_one(doc! { "_id": id.0 })
            .await
            .map_err(store_err)?;
        if deleted.deleted_count == 0 {
            return Err(project_not_found(id));
        }
        self.builds()
            .delete_many(doc! { "project": id.0 })
            .await
            .map_err(store_err)?;
        self.release_name(&old.data.name.key(), id).await
    }

    pub(crate) async fn builds_of(&self, project: ProjectId) -> Result<Vec<Build>, StoreError> {
        self.get_project(project).await?;
        let docs = self
            .find_all(
                &self.builds(),
                doc! { "project": project.0 },
                doc! { "_id": -1 },
            )
            .await?;
        docs.iter().map(build_from_doc).collect()
    }

    async fn get_build(&self, id: BuildId) -> Result<Build, StoreError> {
        let d = self
            .builds()
            .find_one(doc! { "_id": id.0 })
            .await
            .map_err(store_err)?
            .ok_or_else(|| build_not_found(id))?;
        build_from_doc(&d)
    }

    /// Without transactions: reverses changes already made (newest first),
    /// each retried while it conflicts. Answers whether all were reversed.
    async fn put_back(&self, done: &[(SpareId, i64)], change: &Change) -> bool {
        let mut all = true;
        for (id, delta) in done.iter().rev() {
            let reversed =
                retrying(|| async { self.step(*id, -delta, change, &mut None).await }).await;
            if let Err(e) = reversed {
                tracing::error!(spare = %id, error = %spares_core::error_chain(&e), "could not reverse a change of a refused build");
                all = false;
            }
        }
        all
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
        let p = self.get_project(project).await?;
        let change = change
            .clone()
            .with_reason(&Build::reason(&p.data.name, boards));
        retrying(|| self.build_once(project, boards, takes, &change)).await
    }

    async fn build_once(
        &self,
        project: ProjectId,
        boards: u32,
        takes: &[BuildTake],
        change: &Change,
    ) -> Result<Build, Fail> {
        let build = Build {
            id: BuildId(self.reserve_ids("builds", 1).await?),
            project,
            boards,
            takes: takes.to_vec(),
            source: change.source,
            actor: change.actor.clone(),
            // As stored: to the microsecond.
            at: docs::time(micros(Utc::now()))?,
            undone_at: None,
        };
        let build_doc = |takes: &[BuildTake], state: &str| {
            doc! {
                "_id": build.id.0,
                "project": project.0,
                "boards": i64::from(boards),
                "takes": Build::takes_json(takes),
                "source": build.source.key(),
                "actor": build.actor.as_str(),
                "at": micros(build.at),
                "undone_at": Bson::Null,
                "state": state,
            }
        };
        let mut session = self.begin().await?;
        let transactional = session.is_some();
        if !transactional {
            self.builds()
                .insert_one(build_doc(&[], "pending"))
                .await
                .map_err(fail)?;
        }
        let mut done: Vec<BuildTake> = Vec::new();
        for t in takes {
            if let Err(e) = self
                .step(t.spare, -taken(t.quantity), change, &mut session)
                .await
            {
                drop(session);
                if !transactional {
                    let reverse = change.clone().with_reason(&format!(
                        "{} refused: put back",
                        change.reason.as_deref().unwrap_or("build")
                    ));
                    let done: Vec<(SpareId, i64)> =
                        done.iter().map(|t| (t.spare, -taken(t.quantity))).collect();
                    if self.put_back(&done, &reverse).await {
                        self.builds()
                            .delete_one(doc! { "_id": build.id.0 })
                            .await
                            .map_err(fail)?;
                    }
                }
                return Err(e);
            }
            done.push(*t);
            if !transactional {
                self.builds()
                    .update_one(
                        doc! { "_id": build.id.0 },
                        doc! { "$set": { "takes": Build::takes_json(&done) } },
                    )
                    .await
                    .map_err(fail)?;
            }
        }
        if transactional {
            run!(self.builds().insert_one(build_doc(takes, "done")), session).map_err(fail)?;
        } else {
            self.builds()
                .update_one(
                    doc! { "_id": build.id.0 },
                    doc! { "$set": { "state": "done" } },
                )
                .await
                .map_err(fail)?;
        }
        Self::commit(session).await?;
        Ok(build)
    }

    pub(crate) async fn undo_build(
        &self,
        id: BuildId,
        change: &Change,
    ) -> Result<Build, StoreError> {
        let build = self.get_build(id).await?;
        let p = self.get_project(build.project).await?;
        let change = change
            .clone()
            .with_reason(&Build::undo_reason(&p.data.name, build.boards));
        retrying(|| self.undo_once(id, &change)).await?;
        self.get_build(id).await
    }

    async fn undo_once(&self, id: BuildId, change: &Change) -> Result<(), Fail> {
        let build = self.get_build(id).await?;
        let already = || {
            Fail::Store(StoreError::Conflict(format!(
                "build #{id} was undone already"
            )))
        };
        if build.undone_at.is_some() {
            return Err(already());
        }
        let mut session = self.begin().await?;
        let transactional = session.is_some();
        // Claimed first: two undos never both put the parts back.
        let claimed = run!(
            self.builds().update_one(
                doc! { "_id": id.0, "undone_at": Bson::Null },
                doc! { "$set": { "undone_at": micros(Utc::now()) } },
            ),
            session
        )
        .map_err(fail)?;
        if claimed.modified_count == 0 {
            return Err(already());
        }
        let mut done: Vec<(SpareId, i64)> = Vec::new();
        for t in &build.takes {
            match self.get(t.spare).await {
                Ok(_) => {}
                Err(StoreError::NotFound { .. }) => continue,
                Err(e) => return Err(Fail::Store(e)),
            }
            let delta = taken(t.quantity);
            if let Err(e) = self.step(t.spare, delta, change, &mut session).await {
                drop(session);
                if !transactional {
                    let reverse = change.clone().with_reason("undo refused: taken again");
                    if self.put_back(&done, &reverse).await {
                        self.builds()
                            .update_one(
                                doc! { "_id": id.0 },
                                doc! { "$set": { "undone_at": Bson::Null } },
                            )
                            .await
                            .map_err(fail)?;
                    }
                }
                return Err(e);
            }
            done.push((t.spare, delta));
        }
        Self::commit(session).await
    }
}
