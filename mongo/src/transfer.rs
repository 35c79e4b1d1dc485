//! Everything at once: import, export, restore (migration) and consistent copies.

use super::*;

impl MongoStore {
    pub(crate) async fn import(
        &self,
        spares: Vec<SpareData>,
        change: &Change,
        progress: Option<Progress>,
    ) -> Result<u64, StoreError> {
        retrying(|| self.import_once(&spares, change, &progress)).await
    }

    pub(crate) async fn all_movements(&self) -> Result<Vec<Movement>, StoreError> {
        self.find_all(&self.movements(), doc! {}, doc! { "spare": 1, "seq": 1 })
            .await?
            .iter()
            .map(docs::movement_from_doc)
            .collect()
    }

    pub(crate) async fn restore(
        &self,
        snapshot: Snapshot,
        movements: Vec<Movement>,
    ) -> Result<(), StoreError> {
        retrying(|| self.restore_once(&snapshot, &movements)).await
    }

    /// The totals, grouped by the server: one row per (currency, category,
    /// shop, price) with the count and the sums of quantity and `added`;
    /// the products are exact decimals in Rust (the price is text).
    pub(crate) async fn summary(&self) -> Result<Summary, StoreError> {
        let rows: Vec<Document> = self
            .spares()
            .aggregate(vec![doc! { "$group": {
                "_id": {
                    "c": "$price.currency",
                    "k": "$category",
                    "s": "$shop",
                    "p": "$price.amount",
                },
                "n": { "$sum": 1 },
                "q": { "$sum": "$quantity" },
                "a": { "$sum": "$added" },
            } }])
            .await
            .map_err(store_err)?
            .try_collect()
            .await
            .map_err(store_err)?;
        let mut summary = Summary::default();
        for row in rows {
            let id = row
                .get_document("_id")
                .map_err(|_| docs::corrupt("totals"))?;
            let text = |k: &str| id.get_str(k).map(str::to_owned).unwrap_or_default();
            let price = match id.get_str("p") {
                Ok(p) => rust_decimal::Decimal::from_str_exact(p)
                    .map_err(|_| docs::corrupt(format!("price {p:?}")))?,
                Err(_) => rust_decimal::Decimal::ZERO,
            };
            let count = int(&row, "n")?.max(0) as u64;
            let pieces = int(&row, "q")?.max(0);
            let added = int(&row, "a")?.max(0);
            summary.apply(
                (text("c"), text("k"), text("s")),
                &Totals {
                    spares: count,
                    pieces: pieces as u64,
                    held: price * rust_decimal::Decimal::from(pieces),
                    spent: price * rust_decimal::Decimal::from(added),
                },
                false,
            );
        }
        Ok(summary)
    }

    pub(crate) async fn export(&self) -> Result<Snapshot, StoreError> {
        let spares = self
            .find_all(&self.spares(), doc! {}, doc! { "_id": 1 })
            .await?
            .iter()
            .map(docs::spare_from_doc)
            .collect::<Result<_, _>>()?;
        let locations = self
            .find_all(&self.locations(), doc! {}, doc! { "_id": 1 })
            .await?
            .iter()
            .map(docs::location_from_doc)
            .collect::<Result<_, _>>()?;
        let shops = self.list_shops().await?;
        let projects = self
            .find_all(&self.projects(), doc! {}, doc! { "_id": 1 })
            .await?
            .iter()
            .map(projects::project_from_doc)
            .collect::<Result<_, _>>()?;
        let builds = self
            .find_all(&self.builds(), doc! {}, doc! { "_id": 1 })
            .await?
            .iter()
            .map(projects::build_from_doc)
            .collect::<Result<_, _>>()?;
        Ok(Snapshot {
            spares,
            locations,
            shops,
            projects,
            builds,
        })
    }

    pub(crate) async fn spares_after(
        &self,
        after: Option<SpareId>,
        limit: usize,
    ) -> Result<Vec<Spare>, StoreError> {
        let filter = match after {
            Some(id) => doc! { "_id": { "$gt": id.0 } },
            None => doc! {},
        };
        let docs = self
            .find_first(&self.spares(), filter, doc! { "_id": 1 }, limit)
            .await?;
        docs.iter().map(docs::spare_from_doc).collect()
    }

    pub(crate) async fn parameter_names(&self) -> Result<Vec<ParamName>, StoreError> {
        let names: Vec<Document> = self
            .spares()
            .aggregate(vec![
                doc! { "$unwind": "$params" },
                doc! { "$group": { "_id": "$params.name" } },
                doc! { "$sort": { "_id": 1 } },
            ])
            .await
            .map_err(store_err)?
            .try_collect()
            .await
            .map_err(store_err)?;
        names
            .iter()
            .map(|d| {
                let name = d.get_str("_id").map_err(docs::corrupt)?;
                ParamName::parse(name).map_err(docs::corrupt)
            })
            .collect()
    }

    pub(crate) async fn consistent_copy(&self) -> Result<(Snapshot, Vec<Movement>), StoreError> {
        if !self.transactions {
            // A standalone server has no snapshot reads: documented (README,
            // "Backups") as consistent only while nothing writes.
            return Ok((self.export().await?, self.all_movements().await?));
        }
        retrying(|| self.copy_in_snapshot()).await
    }

    /// Everything, read in one snapshot transaction.
    pub(crate) async fn copy_in_snapshot(&self) -> Result<(Snapshot, Vec<Movement>), Fail> {
        let mut session = self.client.start_session().await.map_err(fail)?;
        session
            .start_transaction()
            .read_concern(mongodb::options::ReadConcern::snapshot())
            .await
            .map_err(fail)?;
        let s = &mut session;
        let spares = Self::find_all_in(&self.spares(), doc! { "_id": 1 }, s).await?;
        let locations = Self::find_all_in(&self.locations(), doc! { "_id": 1 }, s).await?;
        let shops = Self::find_all_in(&self.shops(), doc! { "_id": 1 }, s).await?;
        let movements =
            Self::find_all_in(&self.movements(), doc! { "spare": 1, "seq": 1 }, s).await?;
        let projects = Self::find_all_in(&self.projects(), doc! { "_id": 1 }, s).await?;
        let builds = Self::find_all_in(&self.builds(), doc! { "_id": 1 }, s).await?;
        session.commit_transaction().await.map_err(fail)?;
        let snapshot = Snapshot {
            spares: spares
                .iter()
                .map(docs::spare_from_doc)
                .collect::<Result<_, _>>()?,
            locations: locations
                .iter()
                .map(docs::location_from_doc)
                .collect::<Result<_, _>>()?,
            shops: shops
                .iter()
                .map(docs::shop_from_doc)
                .collect::<Result<_, _>>()?,
            projects: projects
                .iter()
                .map(projects::project_from_doc)
                .collect::<Result<_, _>>()?,
            builds: builds
                .iter()
                .map(projects::build_from_doc)
                .collect::<Result<_, _>>()?,
        };
        let movements = movements
            .iter()
            .map(docs::movement_from_doc)
            .collect::<Result<_, _>>()?;
        Ok((snapshot, movements))
    }

    pub(crate) async fn restore_once(
        &self,
        snapshot: &Snapshot,
        movements: &[Movement],
    ) -> Result<(), Fail> {
        for coll in [
            self.spares(),
            self.locations(),
            self.shops(),
            self.projects(),
        ] {
            if coll.count_documents(doc! {}).await.map_err(fail)? > 0 {
                return Err(Fail::Store(StoreError::Conflict(
                    "the target database is not empty".into(),
                )));
            }
        }
        let mut session = self.begin().await?;
        if !snapshot.locations.is_empty() {
            let docs: Vec<Document> = snapshot
                .locations
                .iter()
                .map(|l| doc! { "_id": l.code.as_str(), "name": l.name.as_str(), "description": l.description.as_str() })
                .collect();
            run!(self.locations().insert_many(docs), session).map_err(fail)?;
        }
        if !snapshot.shops.is_empty() {
            let docs: Vec<Document> = snapshot
                .shops
                .iter()
                .map(|shop| {
                    let website = shop
                        .website
                        .as_ref()
                        .map_or(Bson::Null, |w| Bson::String(w.to_string()));
                    doc! { "_id": shop.name.key(), "name": shop.name.as_str(), "website": website }
                })
                .collect();
            run!(self.shops().insert_many(docs), session).map_err(fail)?;
        }
        let mut seqs: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
        let mut movement_docs = Vec::with_capacity(movements.len());
        for m in movements {
            let seq = seqs.entry(m.spare.0).or_insert(0);
            *seq += 1;
            movement_docs.push(docs::movement_doc(m, *seq));
        }
        let mut added: BTreeMap<i64, i64> = BTreeMap::new();
        for m in movements.iter().filter(|m| m.delta > 0) {
            *added.entry(m.spare.0).or_insert(0) += m.delta;
        }
        for chunk in snapshot.spares.chunks(1000) {
            let mut spare_docs = Vec::with_capacity(chunk.len());
            for spare in chunk {
                let shop_name = self.ensure_refs(&spare.data, &mut session).await?;
                let mut d =
                    docs::spare_fields(&spare.data, shop_name.as_deref(), micros(spare.updated_at));
                d.insert("_id", spare.id.0);
                d.insert("created_at", micros(spare.created_at));
                d.insert("movement_seq", seqs.get(&spare.id.0).copied().unwrap_or(0));
                d.insert("added", added.get(&spare.id.0).copied().unwrap_or(0));
                spare_docs.push(d);
            }
            run!(self.spares().insert_many(spare_docs), session).map_err(fail)?;
        }
        for chunk in movement_docs.chunks(1000) {
            run!(self.movements().insert_many(chunk.to_vec()), session).map_err(fail)?;
        }
        if !snapshot.projects.is_empty() {
            let docs: Vec<Document> = snapshot
                .projects
                .iter()
                .map(projects::project_doc)
                .collect();
            run!(self.projects().insert_many(docs), session).map_err(fail)?;
            let names: Vec<Document> = snapshot
                .projects
                .iter()
                .map(|p| doc! { "_id": p.data.name.key(), "project": p.id.0 })
                .collect();
            run!(self.project_names().insert_many(names), session).map_err(fail)?;
        }
        if !snapshot.builds.is_empty() {
            let docs: Vec<Document> = snapshot.builds.iter().map(projects::build_doc).collect();
            run!(self.builds().insert_many(docs), session).map_err(fail)?;
        }
        Self::commit(session).await?;
        // Ids continue after the restored ones.
        let counters: Collection<Document> = self.db.collection("counters");
        let max_spare = snapshot.spares.iter().map(|s| s.id.0).max().unwrap_or(0);
        let max_movement = movements.iter().map(|m| m.id).max().unwrap_or(0);
        let max_project = snapshot.projects.iter().map(|p| p.id.0).max().unwrap_or(0);
        let max_build = snapshot.builds.iter().map(|b| b.id.0).max().unwrap_or(0);
        for (name, max) in [
            ("spares", max_spare),
            ("movements", max_movement),
            ("projects", max_project),
            ("builds", max_build),
        ] {
            counters
                .update_one(doc! { "_id": name }, doc! { "$max": { "seq": max } })
                .upsert(true)
                .await
                .map_err(fail)?;
        }
        Ok(())
    }

    pub(crate) async fn import_once(
        &self,
        spares: &[SpareData],
        change: &Change,
        progress: &Option<Progress>,
    ) -> Result<u64, Fail> {
        let n = spares.len() as i64;
        if n == 0 {
            return Ok(0);
        }
        let first_id = self.reserve_ids("spares", n).await?;
        let stocked = spares.iter().filter(|s| s.quantity.get() > 0).count() as i64;
        let first_movement = if stocked > 0 {
            self.reserve_ids("movements", stocked).await?
        } else {
            0
        };
        let batch = first_id;
        let mut session = self.begin().await?;
        let now = Utc::now();
        let mut next_movement = first_movement;
        let mut done = 0u64;
        let result: Result<(), Fail> = async {
            for chunk in spares.chunks(1000) {
                let mut spare_docs = Vec::with_capacity(chunk.len());
                let mut movement_docs = Vec::new();
                for data in chunk {
                    let id = first_id + done as i64 + spare_docs.len() as i64;
                    let shop_name = self.ensure_refs(data, &mut session).await?;
                    let stocked = data.quantity.get() > 0;
                    let mut d = docs::new_spare_doc(data, shop_name.as_deref(), id, micros(now));
                    if session.is_none() {
                        d.insert("import_batch", batch);
                    }
                    spare_docs.push(d);
                    if stocked {
                        let m =
                            docs::first_movement(next_movement, id, data, change, "imported", now);
                        next_movement += 1;
                        movement_docs.push(docs::movement_doc(&m, 1));
                    }
                }
                done += spare_docs.len() as u64;
                run!(self.spares().insert_many(spare_docs), session).map_err(fail)?;
                if !movement_docs.is_empty() {
                    run!(self.movements().insert_many(movement_docs), session).map_err(fail)?;
                }
                if let Some(p) = progress {
                    p(done);
                }
            }
            Ok(())
        }
        .await;
        match result {
            Ok(()) => {
                Self::commit(session).await?;
                if !self.transactions {
                    self.spares()
                        .update_many(
                            doc! { "import_batch": batch },
                            doc! { "$unset": { "import_batch": "" } },
                        )
                        .await
                        .map_err(fail)?;
                }
                Ok(done)
            }
            Err(e) => {
                if session.is_none() {
                    // No transaction: undo what this import wrote.
                    let ids: Vec<i64> = (first_id..first_id + n).collect();
                    let _ = self
                        .movements()
                        .delete_many(doc! { "spare": { "$in": &ids } })
                        .await;
                    let _ = self
                        .spares()
                        .delete_many(doc! { "import_batch": batch })
                        .await;
                }
                Err(e)
            }
        }
    }
}
