//! Spares: create, read, change, delete and search them.

use super::*;
use rusqlite::OptionalExtension;
use spares_core::query::{Seek, Sort, Stocked, seek_steps, whole_order};

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
        let page = *page;
        let sort = page.sort;
        let order = filter::order_by(sort);
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
            let seeking = match page.seek {
                Some(seek) => seek_ids(&tx, &where_sql, &args, sort, seek, page.limit)?,
                None => None,
            };
            let (paged, args) = match seeking {
                // The page's ids, found by walking the order from a row.
                Some(ids) => {
                    let list = format!(
                        "[{}]",
                        ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
                    );
                    (
                        format!("s.id IN (SELECT value FROM json_each(?)) ORDER BY {order}"),
                        vec![Sql::Text(list)],
                    )
                }
                None => {
                    args.push(Sql::Integer(limit));
                    args.push(Sql::Integer(offset));
                    // Deferred join: the page's ids first, from the sort's
                    // index alone (no table row is read for the rows
                    // skipped), then those rows.
                    (
                        format!(
                            "s.id IN (SELECT s.id FROM spares s WHERE {where_sql} ORDER BY {order} LIMIT ? OFFSET ?) \
                             ORDER BY {order}"
                        ),
                        args,
                    )
                }
            };
            let spares = fetch_spares(&tx, &paged, &args)?;
            tx.commit().map_err(backend)?;
            Ok(Found {
                spares,
                total: total.max(0) as u64,
            })
        };
        if page.limit <= 100 && (page.offset <= 1000 || page.seek.is_some()) {
            self.read_short(work).await
        } else {
            self.read(work).await
        }
    }

    pub(crate) async fn most_stocked_many(
        &self,
        queries: &[Query],
        limit: usize,
    ) -> Result<Vec<Vec<Stocked>>, StoreError> {
        let clauses: Vec<(String, Vec<Sql>)> = queries.iter().map(filter::where_clause).collect();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(move |conn| {
            // Each question's ids and stock: an index range (a value in a
            // package: spares_value_most covers it), a small sort.
            clauses
                .iter()
                .map(|(where_sql, args)| {
                    let sql = format!(
                        "SELECT s.id, s.quantity FROM spares s WHERE {where_sql} \
                         ORDER BY s.quantity DESC, s.id LIMIT {limit}"
                    );
                    query_all(conn, &sql, rusqlite::params_from_iter(args.iter()), |r| {
                        Ok(Stocked {
                            id: SpareId(r.get(0).map_err(backend)?),
                            quantity: rows::quantity(r.get(1).map_err(backend)?)?,
                        })
                    })
                })
                .collect()
        })
        .await
    }

    pub(crate) async fn value_representatives(
        &self,
        query: &Query,
    ) -> Result<Vec<ValueStock>, StoreError> {
        let (where_sql, args) = filter::where_clause(query);
        self.read(move |conn| {
            // A skip over spares_value_most: each value's first row in the
            // order (value, quantity descending, id) is its representative,
            // so one seek per unit and per value finds them all. (The
            // ORDER BY makes it right whatever plan SQLite picks.)
            let next_unit = format!(
                "SELECT s.value_unit FROM spares s \
                 WHERE {where_sql} AND s.value_unit > ? AND s.value_si > 0 AND s.quantity > 0 \
                 ORDER BY s.value_unit LIMIT 1"
            );
            let next_value = format!(
                "SELECT s.id, s.value_si, s.value_unit, s.value_text, s.quantity FROM spares s \
                 WHERE {where_sql} AND s.value_unit = ? AND s.value_si > ? AND s.quantity > 0 \
                 ORDER BY s.value_si, s.quantity DESC, s.id LIMIT 1"
            );
            let mut found = Vec::new();
            let mut unit = String::new();
            loop {
                let mut unit_args = args.clone();
                unit_args.push(Sql::Text(unit));
                let next: Option<String> = conn
                    .prepare_cached(&next_unit)
                    .and_then(|mut s| {
                        s.query_row(rusqlite::params_from_iter(unit_args.iter()), |r| r.get(0))
                            .optional()
                    })
                    .map_err(backend)?;
                let Some(next) = next else { break };
                unit = next;
                let mut si = 0.0;
                loop {
                    let mut value_args = args.clone();
                    value_args.extend([Sql::Text(unit.clone()), Sql::Real(si)]);
                    let row = query_all(
                        conn,
                        &next_value,
                        rusqlite::params_from_iter(value_args.iter()),
                        rows::value_stock_from_row,
                    )?
                    .pop();
                    // (Each seek moves up: never the same value twice.)
                    let Some(row) = row.filter(|r| r.value.si() > si) else {
                        break;
                    };
                    si = row.value.si();
                    found.push(row);
                }
            }
            // Values equal within the comparison's tolerance are one.
            Ok(spares_core::search::representatives(found))
        })
        .await
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

/// The ids of the page `seek` places (in the order, or backwards for
/// `Before`/`Last`), or `None` when its spare no longer exists (the caller
/// falls back to the offset). Each step of the walk is a range of the
/// order's index, read until the page is full.
fn seek_ids(
    tx: &Connection,
    where_sql: &str,
    args: &[Sql],
    sort: Sort,
    seek: Seek,
    limit: usize,
) -> Result<Option<Vec<i64>>, StoreError> {
    let columns = sort.columns();
    let (cursor, forward) = seek.start();
    let steps = match cursor {
        Some(id) => {
            let exprs: Vec<&str> = columns
                .iter()
                .map(|(c, _)| filter::column_sql(*c))
                .collect();
            let sql = format!("SELECT {} FROM spares s WHERE s.id = ?", exprs.join(", "));
            let at: Option<Vec<Option<Sql>>> = tx
                .prepare_cached(&sql)
                .and_then(|mut stmt| {
                    stmt.query_row([id.0], |row| {
                        (0..exprs.len())
                            .map(|i| {
                                row.get::<_, Sql>(i).map(|v| match v {
                                    Sql::Null => None,
                                    v => Some(v),
                                })
                            })
                            .collect()
                    })
                    .optional()
                })
                .map_err(backend)?;
            match at {
                Some(at) => seek_steps(&columns, &at, forward),
                None => return Ok(None),
            }
        }
        None => whole_order(),
    };
    let mut ids: Vec<i64> = Vec::new();
    for step in &steps {
        if ids.len() >= limit {
            break;
        }
        let order = filter::order_by_from(sort, !forward, step.equal.len());
        let (cond, step_args) = filter::step_sql(step);
        let cond = if cond.is_empty() {
            "1 = 1".to_owned()
        } else {
            cond
        };
        let sql = format!(
            "SELECT s.id FROM spares s WHERE {where_sql} AND {cond} ORDER BY {order} LIMIT ?"
        );
        let mut all_args: Vec<Sql> = args.to_vec();
        all_args.extend(step_args);
        all_args.push(Sql::Integer(
            i64::try_from(limit - ids.len()).unwrap_or(i64::MAX),
        ));
        let mut stmt = tx.prepare_cached(&sql).map_err(backend)?;
        let found = stmt
            .query_map(rusqlite::params_from_iter(all_args.iter()), |r| {
                r.get::<_, i64>(0)
            })
            .map_err(backend)?;
        for id in found {
            ids.push(id.map_err(backend)?);
        }
    }
    if matches!(seek, Seek::Before(_)) && ids.len() < limit {
        // Fewer than a page precede the row: the first page.
        let sql = format!(
            "SELECT s.id FROM spares s WHERE {where_sql} ORDER BY {} LIMIT ?",
            filter::order_by(sort)
        );
        let mut all_args: Vec<Sql> = args.to_vec();
        all_args.push(Sql::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        let mut stmt = tx.prepare_cached(&sql).map_err(backend)?;
        ids = stmt
            .query_map(rusqlite::params_from_iter(all_args.iter()), |r| {
                r.get::<_, i64>(0)
            })
            .map_err(backend)?
            .collect::<Result<_, _>>()
            .map_err(backend)?;
    }
    Ok(Some(ids))
}
