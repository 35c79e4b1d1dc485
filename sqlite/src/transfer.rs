//! Everything at once: import, export, restore (migration), consistent copies and backups.

use super::*;

/// From this many rows an import drops the sort indexes and builds them
/// again at the end.
const BULK_IMPORT: usize = 5_000;

/// Drops every index of `spares` (inside the import's transaction) and
/// returns the statements that make them again, exactly as they were.
fn drop_spare_indexes(tx: &Transaction<'_>) -> Result<Vec<String>, StoreError> {
    let indexes: Vec<(String, String)> = {
        let mut stmt = tx
            .prepare(
                "SELECT name, sql FROM sqlite_master \
                 WHERE type = 'index' AND tbl_name = 'spares' AND sql IS NOT NULL",
            )
            .map_err(backend)?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(backend)?
            .collect::<Result<_, _>>()
            .map_err(backend)?
    };
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
            .map_err(backend)?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}

impl SqliteStore {
    pub(crate) async fn import(
        &self,
        spares: Vec<SpareData>,
        change: &Change,
        progress: Option<Progress>,
    ) -> Result<u64, StoreError> {
        self.import_rows(ImportRows::from_vec(spares), change, progress)
            .await
    }

    /// Writes the rows as they come, in one transaction: a row that fails
    /// (or an `Err` from the source) rolls everything back.
    pub(crate) async fn import_rows(
        &self,
        source: ImportRows,
        change: &Change,
        progress: Option<Progress>,
    ) -> Result<u64, StoreError> {
        let change = change.clone();
        let ImportRows { rows, len } = source;
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let now = micros(Utc::now());
            let mut done = 0u64;
            let first_new: i64 = tx
                .query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM spares", [], |r| r.get(0))
                .map_err(backend)?;
            tx.execute("INSERT INTO fts_paused (paused) VALUES (1)", [])
                .map_err(backend)?;
            // A large import: one sort per index at the end beats updating
            // two dozen indexes per row (10 s → 5 s for 100,000 rows).
            let rebuilt = if len >= BULK_IMPORT {
                drop_spare_indexes(&tx)?
            } else {
                Vec::new()
            };
            for data in rows {
                let data = data?;
                let id = insert_spare(&tx, &data, now)?;
                if data.quantity.get() > 0 {
                    insert_movement(
                        &tx,
                        id,
                        data.quantity.get(),
                        data.quantity,
                        &change,
                        Some("imported"),
                    )?;
                }
                done += 1;
                if done.is_multiple_of(1000)
                    && let Some(p) = &progress
                {
                    p(done);
                }
            }
            tx.execute(
                "INSERT INTO spares_fts (rowid, search_text) SELECT id, search_text FROM spares WHERE id >= ?",
                [first_new],
            )
            .map_err(backend)?;
            // The trigger that keeps `added` waited too: each new spare's
            // one movement added its whole quantity.
            tx.execute(
                "UPDATE spares SET added = quantity WHERE id >= ?",
                [first_new],
            )
            .map_err(backend)?;
            tx.execute("DELETE FROM fts_paused", []).map_err(backend)?;
            for sql in &rebuilt {
                tx.execute_batch(sql).map_err(backend)?;
            }
            totals::rebuild(&tx)?;
            tx.commit().map_err(backend)?;
            if let Some(p) = &progress {
                p(done);
            }
            Ok(done)
        })
        .await
    }

    pub(crate) async fn spares_after(
        &self,
        after: Option<SpareId>,
        limit: usize,
    ) -> Result<Vec<Spare>, StoreError> {
        let after = after.map_or(i64::MIN, |id| id.0);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(move |conn| {
            fetch_spares(
                conn,
                "s.id IN (SELECT id FROM spares WHERE id > ? ORDER BY id LIMIT ?) ORDER BY s.id",
                &[Sql::Integer(after), Sql::Integer(limit)],
            )
        })
        .await
    }

    pub(crate) async fn parameter_names(&self) -> Result<Vec<ParamName>, StoreError> {
        self.read(|conn| {
            query_all(
                conn,
                "SELECT DISTINCT name FROM spare_params ORDER BY name",
                [],
                |row| {
                    let name: String = row.get(0).map_err(rows::corrupt)?;
                    ParamName::parse(&name).map_err(rows::corrupt)
                },
            )
        })
        .await
    }

    pub(crate) async fn all_movements(&self) -> Result<Vec<Movement>, StoreError> {
        self.read(|conn| {
            let sql = format!("SELECT {MOVEMENT_COLUMNS} FROM movements ORDER BY spare_id, id");
            query_all(conn, &sql, [], rows::movement_from_row)
        })
        .await
    }

    pub(crate) async fn restore(
        &self,
        snapshot: Snapshot,
        movements: Vec<Movement>,
    ) -> Result<(), StoreError> {
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let used: i64 = tx
                .query_row(
                    "SELECT (SELECT COUNT(*) FROM spares) + (SELECT COUNT(*) FROM locations) + (SELECT COUNT(*) FROM shops) + (SELECT COUNT(*) FROM projects)",
                    [],
                    |r| r.get(0),
                )
                .map_err(backend)?;
            if used > 0 {
                return Err(StoreError::Conflict("the target database is not empty".into()));
            }
            for l in &snapshot.locations {
                tx.execute(
                    "INSERT INTO locations (code, name, description) VALUES (?, ?, ?)",
                    params![l.code.as_str(), l.name, l.description],
                )
                .map_err(backend)?;
            }
            for shop in &snapshot.shops {
                tx.execute(
                    "INSERT INTO shops (key, name, website) VALUES (?, ?, ?)",
                    params![shop.name.key(), shop.name.as_str(), shop.website.as_ref().map(|w| w.as_str())],
                )
                .map_err(backend)?;
            }
            for spare in &snapshot.spares {
                let shop = ensure_refs(&tx, &spare.data)?;
                let mut values = spare_columns(&spare.data, shop);
                values.push(Sql::Integer(micros(spare.created_at)));
                values.push(Sql::Integer(micros(spare.updated_at)));
                values.push(Sql::Integer(spare.id.0));
                let sql = format!(
                    "INSERT INTO spares ({WRITE_COLUMNS}, created_at, updated_at, id) VALUES ({})",
                    vec!["?"; values.len()].join(", ")
                );
                tx.execute(&sql, rusqlite::params_from_iter(values)).map_err(backend)?;
                write_params(&tx, spare.id.0, &spare.data)?;
            }
            for m in &movements {
                tx.execute(
                    "INSERT INTO movements (id, spare_id, delta, quantity_after, reason, source, actor, at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    params![
                        m.id,
                        m.spare.0,
                        m.delta,
                        m.quantity_after.get(),
                        m.reason,
                        m.source.key(),
                        m.actor,
                        micros(m.at)
                    ],
                )
                .map_err(backend)?;
            }
            crate::projects::restore_in(&tx, &snapshot.projects, &snapshot.builds)?;
            totals::rebuild(&tx)?;
            tx.commit().map_err(backend)
        })
        .await
    }

    pub(crate) async fn summary(&self) -> Result<Summary, StoreError> {
        self.read_short(|conn| totals::read(conn)).await
    }

    pub(crate) async fn export(&self) -> Result<Snapshot, StoreError> {
        self.read(|conn| {
            // One read transaction: a consistent snapshot even while others write.
            let tx = conn.transaction().map_err(backend)?;
            let snapshot = snapshot_in(&tx)?;
            tx.commit().map_err(backend)?;
            Ok(snapshot)
        })
        .await
    }

    pub(crate) async fn consistent_copy(&self) -> Result<(Snapshot, Vec<Movement>), StoreError> {
        self.read(|conn| {
            let tx = conn.transaction().map_err(backend)?;
            let snapshot = snapshot_in(&tx)?;
            let sql = format!("SELECT {MOVEMENT_COLUMNS} FROM movements ORDER BY spare_id, id");
            let movements = query_all(&tx, &sql, [], rows::movement_from_row)?;
            tx.commit().map_err(backend)?;
            Ok((snapshot, movements))
        })
        .await
    }

    pub(crate) async fn native_backup(&self, path: &Path) -> Result<bool, StoreError> {
        let source = self.path.clone();
        let target = path.to_owned();
        tokio::task::spawn_blocking(move || backup::online(&source, &target))
            .await
            .map_err(StoreError::backend)??;
        Ok(true)
    }
}
