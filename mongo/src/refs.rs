//! The boxes and shops a spare names: created when first named, removed when a write that made them fails.

use super::*;

impl MongoStore {
    /// Creates the spare's location and shop if new; returns the shop's
    /// canonical name.
    pub(crate) async fn ensure_refs(
        &self,
        data: &SpareData,
        session: &mut Option<ClientSession>,
    ) -> Result<Option<String>, Fail> {
        if let Some(code) = &data.location {
            run!(
                self.locations()
                    .update_one(
                        doc! { "_id": code.as_str() },
                        doc! { "$setOnInsert": { "name": "", "description": "" } },
                    )
                    .upsert(true),
                session
            )
            .map_err(fail)?;
        }
        match &data.shop {
            Some(name) => {
                let shop = run!(
                    self.shops()
                        .find_one_and_update(
                            doc! { "_id": name.key() },
                            doc! { "$setOnInsert": { "name": name.as_str(), "website": Bson::Null } },
                        )
                        .upsert(true)
                        .return_document(ReturnDocument::After),
                    session
                )
                .map_err(fail)?;
                Ok(shop.and_then(|d| d.get_str("name").ok().map(str::to_owned)))
            }
            None => Ok(None),
        }
    }

    /// Deletes document `id` of `coll` unless spares matching `used_by`
    /// still refer to it.
    pub(crate) async fn delete_unused(
        &self,
        coll: Collection<Document>,
        id: &str,
        used_by: Document,
        missing: StoreError,
        in_use: impl Fn(u64) -> String,
    ) -> Result<(), StoreError> {
        let used = self
            .spares()
            .count_documents(used_by)
            .await
            .map_err(store_err)?;
        if used > 0 {
            return Err(StoreError::Conflict(in_use(used)));
        }
        let deleted = coll
            .delete_one(doc! { "_id": id })
            .await
            .map_err(store_err)?;
        if deleted.deleted_count == 0 {
            return Err(missing);
        }
        Ok(())
    }
}
