//! Conversions between SQLite rows and domain types.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, Row, params_from_iter};

use spares_core::category::Category;
use spares_core::location::{Location, LocationCode};
use spares_core::money::{Currency, Money};
use spares_core::movement::{Movement, Source};
use spares_core::quantity::Quantity;
use spares_core::shop::{Shop, ShopName, WebAddress};
use spares_core::spare::{Package, ParamName, ParamValue, Spare, SpareData, SpareId, Tag};
use spares_core::store::StoreError;
use spares_core::unit::Unit;
use spares_core::value::Value;

/// The columns [`spare_from_row`] reads, in order (`s` = spares, `sh` = shops).
pub const SPARE_COLUMNS: &str = "s.id, s.category, s.reference, s.manufacturer, s.description, \
    s.value_text, s.value_si, s.value_unit, s.package_text, s.tags, s.quantity, s.low_stock, \
    s.price, s.currency, sh.name, s.location, s.datasheet, s.notes, s.created_at, s.updated_at";

pub const SPARE_FROM: &str = "spares s LEFT JOIN shops sh ON sh.key = s.shop";

pub fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

pub fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

pub fn from_micros(m: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_micros(m).ok_or_else(|| corrupt(format!("timestamp {m}")))
}

pub(crate) fn quantity(n: i64) -> Result<Quantity, StoreError> {
    Quantity::new(n).map_err(corrupt)
}

/// Reads one spare row (without its parameters).
pub fn spare_from_row(row: &Row<'_>) -> Result<Spare, StoreError> {
    let get_err = |e: rusqlite::Error| corrupt(e);
    let category: String = row.get(1).map_err(get_err)?;
    let value_text: Option<String> = row.get(5).map_err(get_err)?;
    let value_si: Option<f64> = row.get(6).map_err(get_err)?;
    let value_unit: Option<String> = row.get(7).map_err(get_err)?;
    let value = match (value_text, value_si, value_unit) {
        (Some(text), Some(si), Some(unit)) => {
            let unit: Unit = unit.parse().map_err(corrupt)?;
            Some(Value::from_stored(si, unit, &text).map_err(corrupt)?)
        }
        _ => None,
    };
    let package: Option<String> = row.get(8).map_err(get_err)?;
    let tags: String = row.get(9).map_err(get_err)?;
    let low_stock: Option<i64> = row.get(11).map_err(get_err)?;
    let price: Option<String> = row.get(12).map_err(get_err)?;
    let currency: Option<String> = row.get(13).map_err(get_err)?;
    let unit_price = match (price, currency) {
        (Some(p), Some(c)) => {
            let c = Currency::parse(&c).map_err(corrupt)?;
            Some(Money::parse(&p, c).map_err(corrupt)?)
        }
        _ => None,
    };
    let shop: Option<String> = row.get(14).map_err(get_err)?;
    let location: Option<String> = row.get(15).map_err(get_err)?;
    let datasheet: Option<String> = row.get(16).map_err(get_err)?;
    let data = SpareData {
        category: Category::parse(&category).map_err(corrupt)?,
        reference: row.get(2).map_err(get_err)?,
        manufacturer: row.get(3).map_err(get_err)?,
        description: row.get(4).map_err(get_err)?,
        value,
        package: package
            .map(|p| Package::parse(&p))
            .transpose()
            .map_err(corrupt)?,
        parameters: BTreeMap::new(),
        tags: tags
            .split_whitespace()
            .map(Tag::parse)
            .collect::<Result<_, _>>()
            .map_err(corrupt)?,
        quantity: quantity(row.get(10).map_err(get_err)?)?,
        low_stock: low_stock.map(quantity).transpose()?,
        unit_price,
        shop: shop
            .map(|s| ShopName::parse(&s))
            .transpose()
            .map_err(corrupt)?,
        location: location
            .map(|l| LocationCode::parse(&l))
            .transpose()
            .map_err(corrupt)?,
        datasheet: datasheet
            .map(|d| WebAddress::parse(&d))
            .transpose()
            .map_err(corrupt)?,
        notes: row.get(17).map_err(get_err)?,
    };
    Ok(Spare {
        id: SpareId(row.get(0).map_err(get_err)?),
        data,
        created_at: from_micros(row.get(18).map_err(get_err)?)?,
        updated_at: from_micros(row.get(19).map_err(get_err)?)?,
    })
}

/// Reads the parameters of the spares that `id_subquery` selects and puts
/// them into `spares`.
pub fn attach_params(
    conn: &Connection,
    spares: &mut [Spare],
    id_subquery: &str,
    args: &[Sql],
) -> Result<(), StoreError> {
    if spares.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT spare_id, name, text, si, unit FROM spare_params WHERE spare_id IN ({id_subquery})"
    );
    let mut stmt = conn.prepare_cached(&sql).map_err(super::backend)?;
    let mut rows = stmt
        .query(params_from_iter(args.iter()))
        .map_err(super::backend)?;
    let index: HashMap<i64, usize> = spares
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.0, i))
        .collect();
    while let Some(row) = rows.next().map_err(super::backend)? {
        let id: i64 = row.get(0).map_err(corrupt)?;
        let Some(&i) = index.get(&id) else { continue };
        let name: String = row.get(1).map_err(corrupt)?;
        let text: String = row.get(2).map_err(corrupt)?;
        let si: Option<f64> = row.get(3).map_err(corrupt)?;
        let unit: Option<String> = row.get(4).map_err(corrupt)?;
        let value = match (si, unit) {
            (Some(si), Some(unit)) => {
                let unit: Unit = unit.parse().map_err(corrupt)?;
                ParamValue::Quantity(Value::from_stored(si, unit, &text).map_err(corrupt)?)
            }
            _ => ParamValue::Text(text),
        };
        let name = ParamName::parse(&name).map_err(corrupt)?;
        spares[i].data.parameters.insert(name, value);
    }
    Ok(())
}

pub fn value_stock_from_row(row: &Row<'_>) -> Result<spares_core::query::ValueStock, StoreError> {
    let unit: String = row.get(2).map_err(corrupt)?;
    let unit: Unit = unit.parse().map_err(corrupt)?;
    let text: String = row.get(3).map_err(corrupt)?;
    Ok(spares_core::query::ValueStock {
        id: SpareId(row.get(0).map_err(corrupt)?),
        value: Value::from_stored(row.get(1).map_err(corrupt)?, unit, &text).map_err(corrupt)?,
        quantity: quantity(row.get(4).map_err(corrupt)?)?,
    })
}

pub fn movement_from_row(row: &Row<'_>) -> Result<Movement, StoreError> {
    let source: String = row.get(5).map_err(corrupt)?;
    Ok(Movement {
        id: row.get(0).map_err(corrupt)?,
        spare: SpareId(row.get(1).map_err(corrupt)?),
        delta: row.get(2).map_err(corrupt)?,
        quantity_after: quantity(row.get(3).map_err(corrupt)?)?,
        reason: row.get(4).map_err(corrupt)?,
        source: source.parse::<Source>().map_err(corrupt)?,
        actor: row.get(6).map_err(corrupt)?,
        at: from_micros(row.get(7).map_err(corrupt)?)?,
    })
}

pub const MOVEMENT_COLUMNS: &str = "id, spare_id, delta, quantity_after, reason, source, actor, at";

pub fn location_from_row(row: &Row<'_>) -> Result<Location, StoreError> {
    let code: String = row.get(0).map_err(corrupt)?;
    Ok(Location {
        code: LocationCode::parse(&code).map_err(corrupt)?,
        name: row.get(1).map_err(corrupt)?,
        description: row.get(2).map_err(corrupt)?,
    })
}

pub fn shop_from_row(row: &Row<'_>) -> Result<Shop, StoreError> {
    let name: String = row.get(0).map_err(corrupt)?;
    let website: Option<String> = row.get(1).map_err(corrupt)?;
    Ok(Shop {
        name: ShopName::parse(&name).map_err(corrupt)?,
        website: website
            .map(|w| WebAddress::parse(&w))
            .transpose()
            .map_err(corrupt)?,
    })
}
