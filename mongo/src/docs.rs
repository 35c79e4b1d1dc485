//! Domain types ↔ BSON documents.
//!
//! A spare document keeps every normalized number as a BSON number next to
//! the text as typed (`value: {text, si, unit}`, `params: [{name, kind,
//! text, key, si, unit}]`), the lower-case texts that queries compare
//! (`reference_key`, `search_text`, `package.key`, `params.key`), and
//! `sort.*_missing` flags so absent values sort last in both directions.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use mongodb::bson::{Bson, Document, doc};

use spares_core::category::Category;
use spares_core::location::{Location, LocationCode};
use spares_core::money::{Currency, Money};
use spares_core::movement::{Change, Movement, Source};
use spares_core::quantity::Quantity;
use spares_core::shop::{Shop, ShopName, WebAddress};
use spares_core::spare::{Package, ParamName, ParamValue, Spare, SpareData, SpareId, Tag};
use spares_core::store::StoreError;
use spares_core::unit::Unit;
use spares_core::value::Value;

/// A new spare's document: its fields, id, creation time, and the counters
/// of its first movement (one movement and all its pieces added when it
/// starts with stock).
pub fn new_spare_doc(data: &SpareData, shop_name: Option<&str>, id: i64, now: i64) -> Document {
    let mut d = spare_fields(data, shop_name, now);
    d.insert("_id", id);
    d.insert("created_at", now);
    d.insert("movement_seq", i64::from(data.quantity.get() > 0));
    d.insert("added", data.quantity.get());
    d
}

/// The movement that brings a new spare's whole quantity in (created or
/// imported).
pub fn first_movement(
    id: i64,
    spare: i64,
    data: &SpareData,
    change: &Change,
    reason: &str,
    at: DateTime<Utc>,
) -> Movement {
    Movement {
        id,
        spare: SpareId(spare),
        delta: data.quantity.get(),
        quantity_after: data.quantity,
        reason: change.reason.clone().or_else(|| Some(reason.into())),
        source: change.source,
        actor: change.actor.clone(),
        at,
    }
}

pub fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

fn opt_str(s: Option<&str>) -> Bson {
    s.map_or(Bson::Null, |s| Bson::String(s.to_owned()))
}

fn flag(missing: bool) -> i32 {
    i32::from(missing)
}

pub fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

pub fn time(m: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_micros(m).ok_or_else(|| corrupt(format!("timestamp {m}")))
}

/// The fields of a spare document that a write sets (everything but `_id`,
/// `created_at` and `movement_seq`). `shop_name` is the shop's canonical name.
pub fn spare_fields(data: &SpareData, shop_name: Option<&str>, updated_at: i64) -> Document {
    let value = data.value.as_ref().map_or(Bson::Null, |v| {
        Bson::Document(doc! { "text": v.text(), "si": v.si(), "unit": v.unit().key() })
    });
    let package = data.package.as_ref().map_or(Bson::Null, |p| {
        Bson::Document(doc! { "text": p.text(), "key": p.key() })
    });
    let params: Vec<Bson> = data
        .parameters
        .iter()
        .map(|(name, v)| {
            let mut d =
                doc! { "name": name.as_str(), "text": v.text(), "key": v.text().to_lowercase() };
            match v {
                ParamValue::Quantity(q) => {
                    d.insert("kind", "quantity");
                    d.insert("si", q.si());
                    d.insert("unit", q.unit().key());
                }
                ParamValue::Text(_) => {
                    d.insert("kind", "text");
                }
            }
            Bson::Document(d)
        })
        .collect();
    let price = data.unit_price.map_or(Bson::Null, |m| {
        Bson::Document(doc! {
            "amount": m.amount().to_string(),
            "num": m.amount_f64(),
            "currency": m.currency().as_str(),
        })
    });
    doc! {
        "category": data.category.key(),
        "reference": data.reference.as_str(),
        "reference_key": data.reference.to_lowercase(),
        "manufacturer": data.manufacturer.as_str(),
        "description": data.description.as_str(),
        "value": value,
        "package": package,
        "params": params,
        "tags": data.tags.iter().map(|t| Bson::String(t.as_str().to_owned())).collect::<Vec<_>>(),
        "quantity": data.quantity.get(),
        "low_stock": data.low_stock.map_or(Bson::Null, |q| Bson::Int64(q.get())),
        "price": price,
        "shop": data.shop.as_ref().map_or(Bson::Null, |s| Bson::String(s.key())),
        "shop_name": opt_str(shop_name),
        "location": opt_str(data.location.as_ref().map(LocationCode::as_str)),
        "datasheet": opt_str(data.datasheet.as_ref().map(WebAddress::as_str)),
        "notes": data.notes.as_str(),
        "search_text": data.search_text(),
        "updated_at": updated_at,
        "sort": sort_fields(data),
    }
}

/// The keys the list's orders sort by ([`crate::translate::column_path`]):
/// the `…_missing` flags, an absent key as an explicit `null` (the test
/// server's indexes find `{key: null}` only then), and each text key ending
/// in a NUL, so that no key is a prefix of another. The MongoDB-wire test server (secantusdb
/// 0.7.0b3) puts a string before its extensions in a descending index
/// ("p" before "pq"), which would make its descending orders wrong; MongoDB
/// itself needs no terminator, and the terminator changes no order (NUL
/// sorts before every other character).
pub fn sort_fields(data: &SpareData) -> Document {
    let text = |s: Option<&str>| s.map_or(Bson::Null, |s| Bson::String(format!("{s}\u{0}")));
    doc! {
        "category": text(Some(data.category.key())),
        "reference": text(Some(&data.reference.to_lowercase())),
        "unit": text(data.value.as_ref().map(|v| v.unit().key())),
        "package": text(data.package.as_ref().map(|p| p.key())),
        "location": text(data.location.as_ref().map(LocationCode::as_str)),
        "currency": text(data.unit_price.as_ref().map(|m| m.currency().as_str().to_owned()).as_deref()),
        "value_si": data.value.as_ref().map_or(Bson::Null, |v| Bson::Double(v.si())),
        "price_num": data.unit_price.as_ref().map_or(Bson::Null, |m| Bson::Double(m.amount_f64())),
        "value_missing": flag(data.value.is_none()),
        "package_missing": flag(data.package.is_none()),
        "location_missing": flag(data.location.is_none()),
        "price_missing": flag(data.unit_price.is_none()),
    }
}

fn s<'a>(d: &'a Document, key: &str) -> Result<&'a str, StoreError> {
    d.get_str(key).map_err(|e| corrupt(format!("{key}: {e}")))
}

fn opt_s<'a>(d: &'a Document, key: &str) -> Result<Option<&'a str>, StoreError> {
    match d.get(key) {
        None | Some(Bson::Null) => Ok(None),
        Some(Bson::String(v)) => Ok(Some(v)),
        Some(other) => Err(corrupt(format!("{key}: not a string: {other}"))),
    }
}

/// An integer stored as Int32 or Int64.
pub fn int(d: &Document, key: &str) -> Result<i64, StoreError> {
    match d.get(key) {
        Some(Bson::Int64(n)) => Ok(*n),
        Some(Bson::Int32(n)) => Ok(i64::from(*n)),
        Some(Bson::Double(f)) if f.fract() == 0.0 => Ok(*f as i64),
        other => Err(corrupt(format!("{key}: not an integer: {other:?}"))),
    }
}

fn opt_int(d: &Document, key: &str) -> Result<Option<i64>, StoreError> {
    match d.get(key) {
        None | Some(Bson::Null) => Ok(None),
        _ => int(d, key).map(Some),
    }
}

fn num(d: &Document, key: &str) -> Result<f64, StoreError> {
    match d.get(key) {
        Some(Bson::Double(f)) => Ok(*f),
        Some(Bson::Int64(n)) => Ok(*n as f64),
        Some(Bson::Int32(n)) => Ok(f64::from(*n)),
        other => Err(corrupt(format!("{key}: not a number: {other:?}"))),
    }
}

fn sub<'a>(d: &'a Document, key: &str) -> Option<&'a Document> {
    match d.get(key) {
        Some(Bson::Document(inner)) => Some(inner),
        _ => None,
    }
}

fn stored_value(d: &Document) -> Result<Value, StoreError> {
    let unit: Unit = s(d, "unit")?.parse().map_err(corrupt)?;
    Value::from_stored(num(d, "si")?, unit, s(d, "text")?).map_err(corrupt)
}

pub fn spare_from_doc(d: &Document) -> Result<Spare, StoreError> {
    let mut parameters = BTreeMap::new();
    if let Ok(params) = d.get_array("params") {
        for p in params {
            let p = p
                .as_document()
                .ok_or_else(|| corrupt("params: not a document"))?;
            let name = ParamName::parse(s(p, "name")?).map_err(corrupt)?;
            let value = match s(p, "kind")? {
                "quantity" => ParamValue::Quantity(stored_value(p)?),
                _ => ParamValue::Text(s(p, "text")?.to_owned()),
            };
            parameters.insert(name, value);
        }
    }
    let tags = match d.get_array("tags") {
        Ok(tags) => tags
            .iter()
            .map(|t| {
                t.as_str()
                    .ok_or_else(|| corrupt("tag"))
                    .and_then(|t| Tag::parse(t).map_err(corrupt))
            })
            .collect::<Result<Vec<_>, _>>()?,
        Err(_) => Vec::new(),
    };
    let unit_price = match sub(d, "price") {
        Some(p) => {
            let currency = Currency::parse(s(p, "currency")?).map_err(corrupt)?;
            Some(Money::parse(s(p, "amount")?, currency).map_err(corrupt)?)
        }
        None => None,
    };
    let data = SpareData {
        category: Category::parse(s(d, "category")?).map_err(corrupt)?,
        reference: s(d, "reference")?.to_owned(),
        manufacturer: s(d, "manufacturer")?.to_owned(),
        description: s(d, "description")?.to_owned(),
        value: sub(d, "value").map(stored_value).transpose()?,
        package: sub(d, "package")
            .map(|p| s(p, "text").and_then(|t| Package::parse(t).map_err(corrupt)))
            .transpose()?,
        parameters,
        tags,
        quantity: Quantity::new(int(d, "quantity")?).map_err(corrupt)?,
        low_stock: opt_int(d, "low_stock")?
            .map(|q| Quantity::new(q).map_err(corrupt))
            .transpose()?,
        unit_price,
        shop: opt_s(d, "shop_name")?
            .map(|n| ShopName::parse(n).map_err(corrupt))
            .transpose()?,
        location: opt_s(d, "location")?
            .map(|c| LocationCode::parse(c).map_err(corrupt))
            .transpose()?,
        datasheet: opt_s(d, "datasheet")?
            .map(|w| WebAddress::parse(w).map_err(corrupt))
            .transpose()?,
        notes: s(d, "notes")?.to_owned(),
    };
    Ok(Spare {
        id: SpareId(int(d, "_id")?),
        data,
        created_at: time(int(d, "created_at")?)?,
        updated_at: time(int(d, "updated_at")?)?,
    })
}

pub fn movement_doc(m: &Movement, seq: i64) -> Document {
    doc! {
        "_id": m.id,
        "spare": m.spare.0,
        "seq": seq,
        "delta": m.delta,
        "quantity_after": m.quantity_after.get(),
        "reason": opt_str(m.reason.as_deref()),
        "source": m.source.key(),
        "actor": m.actor.as_str(),
        "at": micros(m.at),
    }
}

pub fn movement_from_doc(d: &Document) -> Result<Movement, StoreError> {
    Ok(Movement {
        id: int(d, "_id")?,
        spare: SpareId(int(d, "spare")?),
        delta: int(d, "delta")?,
        quantity_after: Quantity::new(int(d, "quantity_after")?).map_err(corrupt)?,
        reason: opt_s(d, "reason")?.map(str::to_owned),
        source: s(d, "source")?.parse::<Source>().map_err(corrupt)?,
        actor: s(d, "actor")?.to_owned(),
        at: time(int(d, "at")?)?,
    })
}

pub fn location_from_doc(d: &Document) -> Result<Location, StoreError> {
    Ok(Location {
        code: LocationCode::parse(s(d, "_id")?).map_err(corrupt)?,
        name: s(d, "name")?.to_owned(),
        description: s(d, "description")?.to_owned(),
    })
}

pub fn shop_from_doc(d: &Document) -> Result<Shop, StoreError> {
    Ok(Shop {
        name: ShopName::parse(s(d, "name")?).map_err(corrupt)?,
        website: opt_s(d, "website")?
            .map(|w| WebAddress::parse(w).map_err(corrupt))
            .transpose()?,
    })
}
