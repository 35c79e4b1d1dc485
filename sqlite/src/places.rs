//! Boxes (locations) and shops.

use super::*;

impl SqliteStore {
    pub(crate) async fn save_location(&self, location: Location) -> Result<Location, StoreError> {
        self.run(move |conn| {
            conn.execute(
                "INSERT INTO locations (code, name, description) VALUES (?, ?, ?) \
                 ON CONFLICT(code) DO UPDATE SET name = excluded.name, description = excluded.description",
                params![location.code.as_str(), location.name, location.description],
            )
            .map_err(backend)?;
            Ok(location)
        })
        .await
    }

    pub(crate) async fn get_location(&self, code: &LocationCode) -> Result<Location, StoreError> {
        let code = code.clone();
        self.read_short(move |conn| {
            conn.query_row(
                "SELECT code, name, description FROM locations WHERE code = ?",
                [code.as_str()],
                |row| Ok(rows::location_from_row(row)),
            )
            .optional()
            .map_err(backend)?
            .unwrap_or_else(|| {
                Err(StoreError::NotFound {
                    what: "box",
                    key: code.to_string(),
                })
            })
        })
        .await
    }

    pub(crate) async fn list_locations(&self) -> Result<Vec<LocationSummary>, StoreError> {
        self.read(|conn| {
            let sql = "SELECT l.code, l.name, l.description, \
                       (SELECT COUNT(*) FROM spares s WHERE s.location = l.code) \
                       FROM locations l ORDER BY l.code";
            query_all(conn, sql, [], |row| {
                let count: i64 = row.get(3).map_err(rows::corrupt)?;
                Ok(LocationSummary {
                    location: rows::location_from_row(row)?,
                    spares: count.max(0) as u64,
                })
            })
        })
        .await
    }

    pub(crate) async fn locations(&self) -> Result<Vec<Location>, StoreError> {
        self.read(|conn| {
            query_all(
                conn,
                "SELECT l.code, l.name, l.description FROM locations l ORDER BY l.code",
                [],
                rows::location_from_row,
            )
        })
        .await
    }

    pub(crate) async fn count_locations(&self) -> Result<u64, StoreError> {
        self.read_short(|conn| {
            conn.query_row("SELECT COUNT(*) FROM locations", [], |r| r.get::<_, i64>(0))
                .map(|n| n.max(0) as u64)
                .map_err(backend)
        })
        .await
    }

    pub(crate) async fn delete_location(&self, code: &LocationCode) -> Result<(), StoreError> {
        let code = code.clone();
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let used: i64 = tx
                .query_row(
                    "SELECT COUNT(*) FROM spares WHERE location = ?",
                    [code.as_str()],
                    |r| r.get(0),
                )
                .map_err(backend)?;
            if used > 0 {
                return Err(StoreError::Conflict(format!(
                    "box {code} still holds {used} spare(s): move or delete them first"
                )));
            }
            let n = tx
                .execute("DELETE FROM locations WHERE code = ?", [code.as_str()])
                .map_err(backend)?;
            if n == 0 {
                return Err(StoreError::NotFound {
                    what: "box",
                    key: code.to_string(),
                });
            }
            tx.commit().map_err(backend)
        })
        .await
    }

    pub(crate) async fn save_shop(&self, shop: Shop) -> Result<Shop, StoreError> {
        self.run(move |conn| {
            conn.execute(
                "INSERT INTO shops (key, name, website) VALUES (?, ?, ?) \
                 ON CONFLICT(key) DO UPDATE SET name = excluded.name, website = excluded.website",
                params![
                    shop.name.key(),
                    shop.name.as_str(),
                    shop.website.as_ref().map(|w| w.as_str())
                ],
            )
            .map_err(backend)?;
            Ok(shop)
        })
        .await
    }

    pub(crate) async fn get_shop(&self, name: &ShopName) -> Result<Shop, StoreError> {
        let name = name.clone();
        self.read_short(move |conn| {
            conn.query_row(
                "SELECT name, website FROM shops WHERE key = ?",
                [name.key()],
                |row| Ok(rows::shop_from_row(row)),
            )
            .optional()
            .map_err(backend)?
            .unwrap_or_else(|| {
                Err(StoreError::NotFound {
                    what: "shop",
                    key: name.to_string(),
                })
            })
        })
        .await
    }

    pub(crate) async fn list_shops(&self) -> Result<Vec<Shop>, StoreError> {
        self.read_short(|conn| {
            query_all(
                conn,
                "SELECT name, website FROM shops ORDER BY key",
                [],
                rows::shop_from_row,
            )
        })
        .await
    }

    pub(crate) async fn delete_shop(&self, name: &ShopName) -> Result<(), StoreError> {
        let name = name.clone();
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let used: i64 = tx
                .query_row(
                    "SELECT COUNT(*) FROM spares WHERE shop = ?",
                    [name.key()],
                    |r| r.get(0),
                )
                .map_err(backend)?;
            if used > 0 {
                return Err(StoreError::Conflict(format!(
                    "{used} spare(s) were bought at {name}: change them first"
                )));
            }
            let n = tx
                .execute("DELETE FROM shops WHERE key = ?", [name.key()])
                .map_err(backend)?;
            if n == 0 {
                return Err(StoreError::NotFound {
                    what: "shop",
                    key: name.to_string(),
                });
            }
            tx.commit().map_err(backend)
        })
        .await
    }
}
