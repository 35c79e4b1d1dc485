//! Spares: create, read, change (guarded against concurrent writers), delete and search them.

use super::*;
use spares_core::query::{Seek, Sort, seek_steps, whole_order};

impl MongoStore {
    pub(crate) async fn create_spare(
        &self,
        data: SpareData,
        change: &Change,
    ) -> Result<Spare, StoreError> {
        let id = self.reserve_ids("spares", 1).await?;
        let movement_id = self.reserve_ids("movements", 1).await?;
        retrying(|| self.create_once(id, movement_id, &data, change)).await
    }

    pub(crate) async fn get_spare(&self, id: SpareId) -> Result<Spare, StoreError> {
        self.get(id).await
    }

    pub(crate) async fn update_spare(
        &self,
        id: SpareId,
        data: SpareData,
        change: &Change,
    ) -> Result<Spare, StoreError> {
        retrying(|| async {
            let before = self.get(id).await?.quantity;
            let mut none = None;
            let shop_name = self.ensure_refs(&data, &mut none).await?;
            let set = docs::spare_fields(&data, shop_name.as_deref(), micros(Utc::now()));
            match self
                .update_guarded(id, before, set, data.quantity, change, "edited")
                .await?
            {
                Some((d, _)) => Ok(docs::spare_from_doc(&d)?),
                None => Err(Fail::Transient),
            }
        })
        .await
    }

    pub(crate) async fn delete_spare(&self, id: SpareId) -> Result<(), StoreError> {
        let deleted = self
            .spares()
            .delete_one(doc! { "_id": id.0 })
            .await
            .map_err(store_err)?;
        if deleted.deleted_count == 0 {
            return Err(not_found(id));
        }
        self.movements()
            .delete_many(doc! { "spare": id.0 })
            .await
            .map_err(store_err)?;
        Ok(())
    }

    pub(crate) async fn search(&self, query: &Query, page: &Page) -> Result<Found, StoreError> {
        let filter = translate::filter(query);
        let total = self
            .spares()
            .count_documents(filter.clone())
            .await
            .map_err(store_err)?;
        if page.limit == 0 {
            return Ok(Found {
                spares: Vec::new(),
                total,
            });
        }
        let limit = i64::try_from(page.limit).unwrap_or(i64::MAX);
        let mut docs: Option<Vec<Document>> = None;
        if let Some(seek) = page.seek {
            docs = self.seek_page(&filter, page.sort, seek, page.limit).await?;
        }
        let docs = match docs {
            Some(docs) => docs,
            None if page.offset as u64 >= total => Vec::new(),
            None => self
                .spares()
                .find(filter)
                .sort(translate::sort(page.sort))
                .skip(page.offset as u64)
                .limit(limit)
                .await
                .map_err(store_err)?
                .try_collect()
                .await
                .map_err(store_err)?,
        };
        let spares = docs
            .iter()
            .map(docs::spare_from_doc)
            .collect::<Result<_, _>>()?;
        Ok(Found { spares, total })
    }

    /// The documents of the page `seek` places, in order; `None` when its
    /// spare no longer exists (the caller falls back to the offset). Each
    /// step of the walk is a range of the order's index, read until the
    /// page is full.
    async fn seek_page(
        &self,
        filter: &Document,
        sort: Sort,
        seek: Seek,
        limit: usize,
    ) -> Result<Option<Vec<Document>>, StoreError> {
        let columns = sort.columns();
        let (cursor, forward) = seek.start();
        let steps = match cursor {
            Some(id) => {
                let Some(at) = self
                    .spares()
                    .find_one(doc! { "_id": id.0 })
                    .await
                    .map_err(store_err)?
                else {
                    return Ok(None);
                };
                let at: Vec<Option<Bson>> = columns
                    .iter()
                    .map(|(c, _)| translate::value_at(&at, translate::column_path(*c)))
                    .collect();
                seek_steps(&columns, &at, forward)
            }
            None => whole_order(),
        };
        let mut found: Vec<Document> = Vec::new();
        for step in &steps {
            if found.len() >= limit {
                break;
            }
            let part = self
                .find_first(
                    &self.spares(),
                    translate::both(filter, translate::step_filter(step)),
                    translate::sort_in(sort, !forward),
                    limit - found.len(),
                )
                .await?;
            found.extend(part);
        }
        if forward {
            return Ok(Some(found));
        }
        if matches!(seek, Seek::Before(_)) && found.len() < limit {
            // Fewer than a page precede the document: the first page.
            found = self
                .find_first(&self.spares(), filter.clone(), translate::sort(sort), limit)
                .await?;
            return Ok(Some(found));
        }
        found.reverse();
        Ok(Some(found))
    }

    pub(crate) async fn value_stock(&self, query: &Query) -> Result<Vec<ValueStock>, StoreError> {
        let filter =
            doc! { "$and": [translate::filter(query), { "value": { "$ne": Bson::Null } }] };
        let docs: Vec<Document> = self
            .spares()
            .find(filter)
            .projection(doc! { "_id": 1, "value": 1, "quantity": 1 })
            .await
            .map_err(store_err)?
            .try_collect()
            .await
            .map_err(store_err)?;
        docs.iter()
            .map(|d| {
                let v = d
                    .get_document("value")
                    .map_err(|e| docs::corrupt(format!("value: {e}")))?;
                let unit = v
                    .get_str("unit")
                    .map_err(docs::corrupt)?
                    .parse()
                    .map_err(docs::corrupt)?;
                let si = v.get_f64("si").map_err(docs::corrupt)?;
                let text = v.get_str("text").map_err(docs::corrupt)?;
                Ok(ValueStock {
                    id: SpareId(int(d, "_id")?),
                    value: spares_core::value::Value::from_stored(si, unit, text)
                        .map_err(docs::corrupt)?,
                    quantity: Quantity::new(int(d, "quantity")?).map_err(docs::corrupt)?,
                })
            })
            .collect()
    }

    pub(crate) async fn search_texts(
        &self,
        query: &Query,
    ) -> Result<Vec<(SpareId, String)>, StoreError> {
        let docs: Vec<Document> = self
            .spares()
            .find(translate::filter(query))
            .projection(doc! { "_id": 1, "search_text": 1 })
            .await
            .map_err(store_err)?
            .try_collect()
            .await
            .map_err(store_err)?;
        docs.iter()
            .map(|d| {
                Ok((
                    SpareId(int(d, "_id")?),
                    d.get_str("search_text").map_err(docs::corrupt)?.to_owned(),
                ))
            })
            .collect()
    }

    pub(crate) async fn count_spares(&self) -> Result<u64, StoreError> {
        self.spares()
            .count_documents(doc! {})
            .await
            .map_err(store_err)
    }

    pub(crate) async fn get(&self, id: SpareId) -> Result<Spare, StoreError> {
        let d = self
            .spares()
            .find_one(doc! { "_id": id.0 })
            .await
            .map_err(store_err)?
            .ok_or_else(|| not_found(id))?;
        docs::spare_from_doc(&d)
    }

    pub(crate) async fn create_once(
        &self,
        id: i64,
        movement_id: i64,
        data: &SpareData,
        change: &Change,
    ) -> Result<Spare, Fail> {
        let mut session = self.begin().await?;
        let shop_name = self.ensure_refs(data, &mut session).await?;
        let now = Utc::now();
        let stocked = data.quantity.get() > 0;
        let d = docs::new_spare_doc(data, shop_name.as_deref(), id, micros(now));
        run!(self.spares().insert_one(&d), session).map_err(fail)?;
        if stocked {
            let m = docs::first_movement(movement_id, id, data, change, "created", now);
            run!(
                self.movements().insert_one(docs::movement_doc(&m, 1)),
                session
            )
            .map_err(fail)?;
        }
        Self::commit(session).await?;
        Ok(docs::spare_from_doc(&d)?)
    }

    /// Applies `update` to the spare if its quantity is still `before`;
    /// records `delta` (if any) as a movement. `None` when the quantity
    /// changed meanwhile (the caller reads again and retries).
    pub(crate) async fn update_guarded(
        &self,
        id: SpareId,
        before: Quantity,
        mut set: Document,
        after: Quantity,
        change: &Change,
        default_reason: &str,
    ) -> Result<Option<(Document, Option<Movement>)>, Fail> {
        let delta = after.get() - before.get();
        let movement_id = if delta != 0 {
            self.reserve_ids("movements", 1).await?
        } else {
            0
        };
        let mut session = self.begin().await?;
        set.insert("quantity", after.get());
        let update = doc! {
            "$set": set,
            "$inc": { "movement_seq": i64::from(delta != 0), "added": delta.max(0) },
        };
        let updated = run!(
            self.spares()
                .find_one_and_update(doc! { "_id": id.0, "quantity": before.get() }, update)
                .return_document(ReturnDocument::After),
            session
        )
        .map_err(fail)?;
        let Some(updated) = updated else {
            return Ok(None);
        };
        let movement = if delta != 0 {
            let m = Movement {
                id: movement_id,
                spare: id,
                delta,
                quantity_after: after,
                reason: change
                    .reason
                    .clone()
                    .or_else(|| Some(default_reason.to_owned())),
                source: change.source,
                actor: change.actor.clone(),
                at: Utc::now(),
            };
            let seq = int(&updated, "movement_seq")?;
            run!(
                self.movements().insert_one(docs::movement_doc(&m, seq)),
                session
            )
            .map_err(fail)?;
            Some(m)
        } else {
            None
        };
        Self::commit(session).await?;
        Ok(Some((updated, movement)))
    }
}
