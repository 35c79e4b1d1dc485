//! Boxes (locations) and shops.

use super::*;

impl MongoStore {
    pub(crate) async fn save_location(&self, location: Location) -> Result<Location, StoreError> {
        self.locations()
            .update_one(
                doc! { "_id": location.code.as_str() },
                doc! { "$set": { "name": location.name.as_str(), "description": location.description.as_str() } },
            )
            .upsert(true)
            .await
            .map_err(store_err)?;
        Ok(location)
    }

    pub(crate) async fn get_location(&self, code: &LocationCode) -> Result<Location, StoreError> {
        let d = self
            .locations()
            .find_one(doc! { "_id": code.as_str() })
            .await
            .map_err(store_err)?
            .ok_or_else(|| StoreError::NotFound {
                what: "box",
                key: code.to_string(),
            })?;
        docs::location_from_doc(&d)
    }

    pub(crate) async fn all_locations(&self) -> Result<Vec<Location>, StoreError> {
        self.find_all(&MongoStore::locations(self), doc! {}, doc! { "_id": 1 })
            .await?
            .iter()
            .map(docs::location_from_doc)
            .collect()
    }

    pub(crate) async fn list_locations(&self) -> Result<Vec<LocationSummary>, StoreError> {
        let locations = self
            .find_all(&self.locations(), doc! {}, doc! { "_id": 1 })
            .await?;
        let counts: Vec<Document> = self
            .spares()
            .aggregate(vec![
                doc! { "$match": { "location": { "$ne": Bson::Null } } },
                doc! { "$group": { "_id": "$location", "n": { "$sum": 1 } } },
            ])
            .await
            .map_err(store_err)?
            .try_collect()
            .await
            .map_err(store_err)?;
        let count_of = |code: &str| {
            counts
                .iter()
                .find(|c| c.get_str("_id").is_ok_and(|id| id == code))
                .and_then(|c| int(c, "n").ok())
                .unwrap_or(0)
        };
        locations
            .iter()
            .map(|d| {
                let location = docs::location_from_doc(d)?;
                let spares = count_of(location.code.as_str()).max(0) as u64;
                Ok(LocationSummary { location, spares })
            })
            .collect()
    }

    pub(crate) async fn delete_location(&self, code: &LocationCode) -> Result<(), StoreError> {
        self.delete_unused(
            self.locations(),
            code.as_str(),
            doc! { "location": code.as_str() },
            StoreError::NotFound {
                what: "box",
                key: code.to_string(),
            },
            |used| format!("box {code} still holds {used} spare(s): move or delete them first"),
        )
        .await
    }

    pub(crate) async fn save_shop(&self, shop: Shop) -> Result<Shop, StoreError> {
        let website = shop
            .website
            .as_ref()
            .map_or(Bson::Null, |w| Bson::String(w.to_string()));
        self.shops()
            .update_one(
                doc! { "_id": shop.name.key() },
                doc! { "$set": { "name": shop.name.as_str(), "website": website } },
            )
            .upsert(true)
            .await
            .map_err(store_err)?;
        // Spares show the shop's current name.
        self.spares()
            .update_many(
                doc! { "shop": shop.name.key() },
                doc! { "$set": { "shop_name": shop.name.as_str() } },
            )
            .await
            .map_err(store_err)?;
        Ok(shop)
    }

    pub(crate) async fn get_shop(&self, name: &ShopName) -> Result<Shop, StoreError> {
        let d = self
            .shops()
            .find_one(doc! { "_id": name.key() })
            .await
            .map_err(store_err)?
            .ok_or_else(|| StoreError::NotFound {
                what: "shop",
                key: name.to_string(),
            })?;
        docs::shop_from_doc(&d)
    }

    pub(crate) async fn list_shops(&self) -> Result<Vec<Shop>, StoreError> {
        self.find_all(&self.shops(), doc! {}, doc! { "_id": 1 })
            .await?
            .iter()
            .map(docs::shop_from_doc)
            .collect()
    }

    pub(crate) async fn delete_shop(&self, name: &ShopName) -> Result<(), StoreError> {
        self.delete_unused(
            self.shops(),
            &name.key(),
            doc! { "shop": name.key() },
            StoreError::NotFound {
                what: "shop",
                key: name.to_string(),
            },
            |used| format!("{used} spare(s) were bought at {name}: change them first"),
        )
        .await
    }
}
