//! Stock changes: adjust, set a quantity, and the movements they record.

use super::*;

/// Adds `delta` to a spare inside `tx`, with its movement and totals;
/// refuses (the caller rolls back) below zero or above the maximum.
pub(crate) fn change_in(
    tx: &Transaction<'_>,
    id: SpareId,
    delta: i64,
    change: &Change,
    now: i64,
) -> Result<Movement, StoreError> {
    let before = current_quantity(tx, id)?;
    let after = before.checked_add(delta).ok_or(if delta < 0 {
        StoreError::InsufficientStock {
            spare: id,
            available: before,
            requested: -delta,
        }
    } else {
        StoreError::Invalid(format!("a quantity cannot exceed {MAX_QUANTITY}"))
    })?;
    totals::account(tx, id.0, true)?;
    tx.prepare_cached("UPDATE spares SET quantity = ?, updated_at = ? WHERE id = ?")
        .and_then(|mut s| s.execute(params![after.get(), now, id.0]))
        .map_err(backend)?;
    let movement = insert_movement(tx, id.0, delta, after, change, None)?;
    totals::account(tx, id.0, false)?;
    Ok(movement)
}

impl SqliteStore {
    pub(crate) async fn adjust(
        &self,
        id: SpareId,
        delta: i64,
        change: &Change,
    ) -> Result<Movement, StoreError> {
        check_delta(delta)?;
        let change = change.clone();
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let movement = change_in(&tx, id, delta, &change, micros(Utc::now()))?;
            tx.commit().map_err(backend)?;
            Ok(movement)
        })
        .await
    }

    pub(crate) async fn set_quantity(
        &self,
        id: SpareId,
        quantity: Quantity,
        change: &Change,
    ) -> Result<Option<Movement>, StoreError> {
        let change = change.clone();
        self.run(move |conn| {
            let tx = immediate(conn)?;
            let before = current_quantity(&tx, id)?;
            let delta = quantity.get() - before.get();
            if delta == 0 {
                return Ok(None);
            }
            totals::account(&tx, id.0, true)?;
            tx.execute(
                "UPDATE spares SET quantity = ?, updated_at = ? WHERE id = ?",
                params![quantity.get(), micros(Utc::now()), id.0],
            )
            .map_err(backend)?;
            let movement = insert_movement(&tx, id.0, delta, quantity, &change, Some("counted"))?;
            totals::account(&tx, id.0, false)?;
            tx.commit().map_err(backend)?;
            Ok(Some(movement))
        })
        .await
    }

    pub(crate) async fn history(
        &self,
        id: SpareId,
        limit: usize,
    ) -> Result<Vec<Movement>, StoreError> {
        self.read_short(move |conn| {
            let exists: Option<i64> = conn
                .query_row("SELECT id FROM spares WHERE id = ?", [id.0], |r| r.get(0))
                .optional()
                .map_err(backend)?;
            if exists.is_none() {
                return Err(not_found(id));
            }
            let sql = format!("SELECT {MOVEMENT_COLUMNS} FROM movements WHERE spare_id = ? ORDER BY id DESC LIMIT ?");
            query_all(conn, &sql, params![id.0, limit as i64], rows::movement_from_row)
        })
        .await
    }

    pub(crate) async fn recent_movements(&self, limit: usize) -> Result<Vec<Movement>, StoreError> {
        self.read_short(move |conn| {
            let sql = format!("SELECT {MOVEMENT_COLUMNS} FROM movements ORDER BY id DESC LIMIT ?");
            query_all(conn, &sql, [limit as i64], rows::movement_from_row)
        })
        .await
    }
}
