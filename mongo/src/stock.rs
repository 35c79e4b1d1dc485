//! Stock changes: a guarded `$inc` that never goes below zero, set a quantity, and the movements they record.

use super::*;

impl MongoStore {
    pub(crate) async fn adjust(
        &self,
        id: SpareId,
        delta: i64,
        change: &Change,
    ) -> Result<Movement, StoreError> {
        if delta == 0 {
            return Err(StoreError::Invalid(
                "a change of 0 parts does nothing".into(),
            ));
        }
        if delta.unsigned_abs() > MAX_QUANTITY as u64 {
            return Err(StoreError::Invalid(format!(
                "a change is at most {MAX_QUANTITY} parts"
            )));
        }
        retrying(|| self.adjust_once(id, delta, change)).await
    }

    pub(crate) async fn set_quantity(
        &self,
        id: SpareId,
        quantity: Quantity,
        change: &Change,
    ) -> Result<Option<Movement>, StoreError> {
        retrying(|| async {
            let before = self.get(id).await?.quantity;
            if before == quantity {
                return Ok(None);
            }
            let set = doc! { "updated_at": micros(Utc::now()) };
            match self
                .update_guarded(id, before, set, quantity, change, "counted")
                .await?
            {
                Some((_, m)) => Ok(m),
                None => Err(Fail::Transient),
            }
        })
        .await
    }

    pub(crate) async fn history(
        &self,
        id: SpareId,
        limit: usize,
    ) -> Result<Vec<Movement>, StoreError> {
        self.get(id).await?;
        let docs = self
            .find_first(
                &self.movements(),
                doc! { "spare": id.0 },
                doc! { "seq": -1 },
                limit,
            )
            .await?;
        docs.iter().map(docs::movement_from_doc).collect()
    }

    pub(crate) async fn recent_movements(&self, limit: usize) -> Result<Vec<Movement>, StoreError> {
        let docs: Vec<Document> = self
            .movements()
            .find(doc! {})
            .sort(doc! { "at": -1, "_id": -1 })
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .await
            .map_err(store_err)?
            .try_collect()
            .await
            .map_err(store_err)?;
        docs.iter().map(docs::movement_from_doc).collect()
    }

    /// One guarded change with its movement, in a transaction where the
    /// server has them ([`MongoStore::step`], which builds use too).
    pub(crate) async fn adjust_once(
        &self,
        id: SpareId,
        delta: i64,
        change: &Change,
    ) -> Result<Movement, Fail> {
        let mut session = self.begin().await?;
        let m = self.step(id, delta, change, &mut session).await?;
        Self::commit(session).await?;
        Ok(m)
    }

    /// One guarded stock change with its movement, in `session`'s
    /// transaction when there is one. A guard that saw too little while
    /// stock has arrived since is a transient failure (tried again), not a
    /// refusal while parts are there.
    pub(crate) async fn step(
        &self,
        id: SpareId,
        delta: i64,
        change: &Change,
        session: &mut Option<ClientSession>,
    ) -> Result<Movement, Fail> {
        let movement_id = self.reserve_ids("movements", 1).await?;
        let guard = if delta < 0 {
            doc! { "_id": id.0, "quantity": { "$gte": -delta } }
        } else {
            doc! { "_id": id.0, "quantity": { "$lte": MAX_QUANTITY - delta } }
        };
        let update = doc! {
            "$inc": { "quantity": delta, "movement_seq": 1_i64, "added": delta.max(0) },
            "$set": { "updated_at": micros(Utc::now()) },
        };
        let updated = run!(
            self.spares()
                .find_one_and_update(guard, update)
                .return_document(ReturnDocument::After),
            session
        )
        .map_err(fail)?;
        let Some(updated) = updated else {
            let current = self.get(id).await?.quantity;
            if current.checked_add(delta).is_some() {
                return Err(Fail::Transient);
            }
            return Err(Fail::Store(if delta < 0 {
                StoreError::InsufficientStock {
                    spare: id,
                    available: current,
                    requested: -delta,
                }
            } else {
                StoreError::Invalid(format!("a quantity cannot exceed {MAX_QUANTITY}"))
            }));
        };
        let m = Movement {
            id: movement_id,
            spare: id,
            delta,
            quantity_after: Quantity::new(int(&updated, "quantity")?).map_err(docs::corrupt)?,
            reason: change.reason.clone(),
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
        Ok(m)
    }
}
