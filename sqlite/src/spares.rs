//! Spares: create, read, change, delete and search them.

use super::*;

impl SqliteStore {
    pub(crate) async fn create_spare(
        &self,
        data: SpareData,
        change: &Change,
    ) -> Result<Spare, StoreError> {
        let change = change.clone();
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let id = insert_spare(&tx, &data, micros(Utc::now()))?;
            if data.quantity.get() > 0 {
                insert_movement(
                    &tx,
                    id,
                    data.quantity.get(),
                    data.quantity,
                    &change,
                    Some("created"),
                )?;
            }
            totals::account(&tx, id, false)?;
            let spare = get_blocking(&tx, SpareId(id))?;
            tx.commit().map_err(backend)?;
            Ok(spare)
        })
        .await
    }

    pub(crate) async fn get_spare(&self, id: SpareId) -> Result<Spare, StoreError> {
        self.read_short(move |conn| get_blocking(conn, id)).await
    }

    pub(crate) async fn update_spare(
        &self,
        id: SpareId,
        data: SpareData,
        change: &Change,
    ) -> Result<Spare, StoreError> {
        let change = change.clone();
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let before = current_quantity(&tx, id)?;
            totals::account(&tx, id.0, true)?;
            let shop = ensure_refs(&tx, &data)?;
            let mut values = spare_columns(&data, shop);
            values.push(Sql::Integer(micros(Utc::now())));
            values.push(Sql::Integer(id.0));
            let assignments: Vec<String> = WRITE_COLUMNS
                .split(',')
                .map(|c| format!("{} = ?", c.trim()))
                .collect();
            let sql = format!(
                "UPDATE spares SET {}, updated_at = ? WHERE id = ?",
                assignments.join(", ")
            );
            tx.execute(&sql, rusqlite::params_from_iter(values))
                .map_err(backend)?;
            write_params(&tx, id.0, &data)?;
            let delta = data.quantity.get() - before.get();
            if delta != 0 {
                insert_movement(&tx, id.0, delta, data.quantity, &change, Some("edited"))?;
            }
            totals::account(&tx, id.0, false)?;
            let spare = get_blocking(&tx, id)?;
            tx.commit().map_err(backend)?;
            Ok(spare)
        })
        .await
    }

    pub(crate) async fn delete_spare(&self, id: SpareId) -> Result<(), StoreError> {
        self.run(move |conn| {
            let tx = immediate(conn)?;
            totals::account(&tx, id.0, true)?;
            let n = tx
                .execute("DELETE FROM spares WHERE id = ?", [id.0])
                .map_err(backend)?;
            if n == 0 {
                return Err(not_found(id));
            }
            tx.commit().map_err(backend)
        })
        .await
    }

    pub(crate) async fn search(&self, query: &Query, page: &Page) -> Result<Found, StoreError> {
        let (where_sql, mut args) = filter::where_clause(query);
        let order = filter::order_by(page.sort);
        let limit = i64::try_from(page.limit).unwrap_or(i64::MAX);
        let offset = i64::try_from(page.offset).unwrap_or(i64::MAX);
        let work = move |conn: &mut Connection| {
            // One read transaction: the count and the page agree.
            let tx = conn.transaction().map_err(backend)?;
            // Everything: the count the triggers keep (schema v2).
            let count_sql = if where_sql == filter::EVERYTHING {
                "SELECT n FROM spare_count".to_owned()
            } else {
                format!("SELECT COUNT(*) FROM spares s WHERE {where_sql}")
            };
            let total: i64 = tx
                .prepare_cached(&count_sql)
                .and_then(|mut s| {
                    s.query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))
                })
                .map_err(backend)?;
            args.push(Sql::Integer(limit));
            args.push(Sql::Integer(offset));
            // Deferred join: the page's ids first, from the sort's index
            // alone (no table row is read for the rows skipped), then
            // those rows.
            let paged = format!(
                "s.id IN (SELECT s.id FROM spares s WHERE {where_sql} ORDER BY {order} LIMIT ? OFFSET ?) \
                 ORDER BY {order}"
            );
            let spares = fetch_spares(&tx, &paged, &args)?;
            tx.commit().map_err(backend)?;
            Ok(Found {
                spares,
                total: total.max(0) as u64,
            })
        };
        if page.limit <= 100 && page.offset <= 1000 {
            self.read_short(work).await
        } else {
            self.read(work).await
        }
    }

    pub(crate) async fn value_stock(&self, query: &Query) -> Result<Vec<ValueStock>, StoreError> {
        let (where_sql, args) = filter::where_clause(query);
        self.read(move |conn| {
            let sql = format!(
                "SELECT s.id, s.value_si, s.value_unit, s.value_text, s.quantity FROM spares s \
                 WHERE {where_sql} AND s.value_si IS NOT NULL"
            );
            query_all(
                conn,
                &sql,
                rusqlite::params_from_iter(args.iter()),
                rows::value_stock_from_row,
            )
        })
        .await
    }

    pub(crate) async fn search_texts(
        &self,
        query: &Query,
    ) -> Result<Vec<(SpareId, String)>, StoreError> {
        let (where_sql, args) = filter::where_clause(query);
        self.read(move |conn| {
            let sql = format!("SELECT s.id, s.search_text FROM spares s WHERE {where_sql}");
            query_all(conn, &sql, rusqlite::params_from_iter(args.iter()), |row| {
                let id: i64 = row.get(0).map_err(rows::corrupt)?;
                Ok((SpareId(id), row.get(1).map_err(rows::corrupt)?))
            })
        })
        .await
    }

    pub(crate) async fn count_spares(&self) -> Result<u64, StoreError> {
        self.read_short(|conn| {
            conn.query_row("SELECT n FROM spare_count", [], |r| r.get::<_, i64>(0))
                .map(|n| n.max(0) as u64)
                .map_err(backend)
        })
        .await
    }
}
