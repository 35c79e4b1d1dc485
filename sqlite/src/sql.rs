//! Statements the concerns share: writing a spare's row and parameters,
//! recording a movement, reading many rows, checks inside a transaction.

use super::*;

pub(crate) fn opt_text(s: Option<&str>) -> Sql {
    s.map_or(Sql::Null, |s| Sql::Text(s.to_owned()))
}

/// Makes sure the spare's location and shop exist; returns the shop key.
pub(crate) fn ensure_refs(
    tx: &Transaction<'_>,
    data: &SpareData,
) -> Result<Option<String>, StoreError> {
    if let Some(code) = &data.location {
        tx.prepare_cached("INSERT OR IGNORE INTO locations (code) VALUES (?)")
            .and_then(|mut s| s.execute([code.as_str()]))
            .map_err(backend)?;
    }
    match &data.shop {
        Some(name) => {
            let key = name.key();
            tx.prepare_cached("INSERT OR IGNORE INTO shops (key, name) VALUES (?, ?)")
                .and_then(|mut s| s.execute([key.as_str(), name.as_str()]))
                .map_err(backend)?;
            Ok(Some(key))
        }
        None => Ok(None),
    }
}

/// The column values of a spare row, in the order of [`WRITE_COLUMNS`].
pub(crate) fn spare_columns(data: &SpareData, shop_key: Option<String>) -> Vec<Sql> {
    vec![
        Sql::Text(data.category.key().to_owned()),
        Sql::Text(data.reference.clone()),
        Sql::Text(data.reference.to_lowercase()),
        Sql::Text(data.manufacturer.clone()),
        Sql::Text(data.description.clone()),
        opt_text(data.value.as_ref().map(|v| v.text())),
        data.value.as_ref().map_or(Sql::Null, |v| Sql::Real(v.si())),
        opt_text(data.value.as_ref().map(|v| v.unit().key())),
        opt_text(data.package.as_ref().map(|p| p.text())),
        opt_text(data.package.as_ref().map(|p| p.key())),
        Sql::Text(data.tags_key()),
        Sql::Integer(data.quantity.get()),
        data.low_stock.map_or(Sql::Null, |q| Sql::Integer(q.get())),
        data.unit_price
            .map_or(Sql::Null, |m| Sql::Text(m.amount().to_string())),
        data.unit_price
            .map_or(Sql::Null, |m| Sql::Real(m.amount_f64())),
        data.unit_price
            .map_or(Sql::Null, |m| Sql::Text(m.currency().to_string())),
        shop_key.map_or(Sql::Null, Sql::Text),
        opt_text(data.location.as_ref().map(|l| l.as_str())),
        opt_text(data.datasheet.as_ref().map(|d| d.as_str())),
        Sql::Text(data.notes.clone()),
        Sql::Text(data.search_text()),
    ]
}

pub(crate) const WRITE_COLUMNS: &str = "category, reference, reference_key, manufacturer, description, value_text, value_si, \
    value_unit, package_text, package_key, tags, quantity, low_stock, price, price_num, currency, shop, location, \
    datasheet, notes, search_text";

pub(crate) fn write_params(
    tx: &Transaction<'_>,
    id: i64,
    data: &SpareData,
) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM spare_params WHERE spare_id = ?")
        .and_then(|mut s| s.execute([id]))
        .map_err(backend)?;
    let mut insert = tx
        .prepare_cached(
            "INSERT INTO spare_params (spare_id, name, text, key, si, unit) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .map_err(backend)?;
    for (name, value) in &data.parameters {
        let (si, unit) = match value {
            ParamValue::Quantity(v) => (Some(v.si()), Some(v.unit().key())),
            ParamValue::Text(_) => (None, None),
        };
        insert
            .execute(params![
                id,
                name.as_str(),
                value.text(),
                value.text().to_lowercase(),
                si,
                unit
            ])
            .map_err(backend)?;
    }
    Ok(())
}

pub(crate) fn insert_spare(
    tx: &Transaction<'_>,
    data: &SpareData,
    now: i64,
) -> Result<i64, StoreError> {
    let shop = ensure_refs(tx, data)?;
    let mut values = spare_columns(data, shop);
    values.push(Sql::Integer(now));
    values.push(Sql::Integer(now));
    let sql = format!(
        "INSERT INTO spares ({WRITE_COLUMNS}, created_at, updated_at) VALUES ({})",
        vec!["?"; values.len()].join(", ")
    );
    tx.prepare_cached(&sql)
        .and_then(|mut s| s.execute(rusqlite::params_from_iter(values)))
        .map_err(backend)?;
    let id = tx.last_insert_rowid();
    write_params(tx, id, data)?;
    Ok(id)
}

pub(crate) fn insert_movement(
    tx: &Transaction<'_>,
    spare: i64,
    delta: i64,
    after: Quantity,
    change: &Change,
    reason: Option<&str>,
) -> Result<Movement, StoreError> {
    let now = Utc::now();
    let reason = change.reason.as_deref().or(reason);
    tx.prepare_cached(
        "INSERT INTO movements (spare_id, delta, quantity_after, reason, source, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .and_then(|mut s| {
        s.execute(params![
            spare,
            delta,
            after.get(),
            reason,
            change.source.key(),
            change.actor,
            micros(now)
        ])
    })
    .map_err(backend)?;
    Ok(Movement {
        id: tx.last_insert_rowid(),
        spare: SpareId(spare),
        delta,
        quantity_after: after,
        reason: reason.map(str::to_owned),
        source: change.source,
        actor: change.actor.clone(),
        at: now,
    })
}

/// Runs a query and reads every row with `read`.
pub(crate) fn query_all<T>(
    conn: &Connection,
    sql: &str,
    args: impl rusqlite::Params,
    read: impl Fn(&rusqlite::Row<'_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(backend)?;
    let mut rows = stmt.query(args).map_err(backend)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(backend)? {
        out.push(read(row)?);
    }
    Ok(out)
}

/// Spares (by id), locations (by code) and shops (by name) in `tx`.
pub(crate) fn snapshot_in(tx: &Transaction<'_>) -> Result<Snapshot, StoreError> {
    let mut spares = fetch_spares(tx, "1 = 1 ORDER BY s.id", &[])?;
    spares.sort_by_key(|s| s.id);
    let locations = query_all(
        tx,
        "SELECT code, name, description FROM locations ORDER BY code",
        [],
        rows::location_from_row,
    )?;
    let shops = query_all(
        tx,
        "SELECT name, website FROM shops ORDER BY key",
        [],
        rows::shop_from_row,
    )?;
    let sql = format!(
        "SELECT {} FROM projects ORDER BY id",
        crate::projects::PROJECT_COLUMNS
    );
    let projects = query_all(tx, &sql, [], crate::projects::project_from_row)?;
    let sql = format!(
        "SELECT {} FROM builds ORDER BY id",
        crate::projects::BUILD_COLUMNS
    );
    let builds = query_all(tx, &sql, [], crate::projects::build_from_row)?;
    Ok(Snapshot {
        spares,
        locations,
        shops,
        projects,
        builds,
    })
}

pub(crate) fn not_found(id: SpareId) -> StoreError {
    StoreError::NotFound {
        what: "spare",
        key: format!("#{id}"),
    }
}

pub(crate) fn current_quantity(tx: &Transaction<'_>, id: SpareId) -> Result<Quantity, StoreError> {
    let q: Option<i64> = tx
        .query_row("SELECT quantity FROM spares WHERE id = ?", [id.0], |r| {
            r.get(0)
        })
        .optional()
        .map_err(backend)?;
    let q = q.ok_or_else(|| not_found(id))?;
    Quantity::new(q).map_err(rows::corrupt)
}

pub(crate) fn fetch_spares(
    conn: &Connection,
    where_sql: &str,
    args: &[Sql],
) -> Result<Vec<Spare>, StoreError> {
    let sql = format!("SELECT {SPARE_COLUMNS} FROM {SPARE_FROM} WHERE {where_sql}");
    let mut stmt = conn.prepare_cached(&sql).map_err(backend)?;
    let mut found = Vec::new();
    let mut rows = stmt
        .query(rusqlite::params_from_iter(args.iter()))
        .map_err(backend)?;
    while let Some(row) = rows.next().map_err(backend)? {
        found.push(rows::spare_from_row(row)?);
    }
    if found.len() <= 500 {
        // A page or one spare: name the ids rather than filter again.
        let ids: Vec<Sql> = found.iter().map(|s| Sql::Integer(s.id.0)).collect();
        let marks = vec!["?"; ids.len()].join(", ");
        rows::attach_params(conn, &mut found, &marks, &ids)?;
    } else {
        let ids = format!("SELECT s.id FROM spares s WHERE {where_sql}");
        rows::attach_params(conn, &mut found, &ids, args)?;
    }
    Ok(found)
}

pub(crate) fn get_blocking(conn: &Connection, id: SpareId) -> Result<Spare, StoreError> {
    fetch_spares(conn, "s.id = ?", &[Sql::Integer(id.0)])?
        .pop()
        .ok_or_else(|| not_found(id))
}

pub(crate) fn check_delta(delta: i64) -> Result<(), StoreError> {
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
    Ok(())
}
