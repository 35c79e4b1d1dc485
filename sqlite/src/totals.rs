//! The totals of the dashboard and the shops page, kept by the writes
//! (schema v4): table `totals` holds, per (currency, category, shop), the
//! spares, pieces, stock value and money spent, as exact decimals in text
//! (SQLite has no decimal type; Rust does the arithmetic). Each spare's
//! `added` (pieces ever added) is kept by a trigger on `movements`.
//!
//! A write that changes a spare takes its contribution out before and puts
//! it back after ([`account`]); import and restore rebuild the table once
//! at the end ([`rebuild`]: one GROUP BY, then exact products in Rust).
//! Reading the totals ([`read`]) is one small table scan, whatever the
//! number of spares.

use std::collections::BTreeMap;
use std::str::FromStr;

use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::Decimal;
use spares_core::store::StoreError;
use spares_core::summary::{GroupKey, Summary, Totals};

use crate::backend;

fn decimal(text: &str) -> Result<Decimal, StoreError> {
    Decimal::from_str(text).map_err(|_| StoreError::Corrupt(format!("total {text:?}")))
}

/// The group of spare `id` and what it adds to it (None: no such spare).
fn contribution(conn: &Connection, id: i64) -> Result<Option<(GroupKey, Totals)>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT COALESCE(currency, ''), category, COALESCE(shop, ''), price, quantity, added \
             FROM spares WHERE id = ?",
        )
        .and_then(|mut s| {
            s.query_row([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                ))
            })
            .optional()
        })
        .map_err(backend)?;
    let Some((currency, category, shop, price, quantity, added)) = row else {
        return Ok(None);
    };
    let (held, spent) = match price {
        Some(p) => {
            let p = decimal(&p)?;
            (p * Decimal::from(quantity), p * Decimal::from(added))
        }
        None => (Decimal::ZERO, Decimal::ZERO),
    };
    Ok(Some((
        (currency, category, shop),
        Totals {
            spares: 1,
            pieces: quantity.max(0) as u64,
            held,
            spent,
        },
    )))
}

/// Adds (or takes out) `t` in its group's row.
fn apply(conn: &Connection, key: &GroupKey, t: &Totals, subtract: bool) -> Result<(), StoreError> {
    let current = conn
        .prepare_cached(
            "SELECT spares, pieces, held, spent FROM totals WHERE currency = ? AND category = ? AND shop = ?",
        )
        .and_then(|mut s| {
            s.query_row(params![key.0, key.1, key.2], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .optional()
        })
        .map_err(backend)?;
    let mut totals = match current {
        Some((spares, pieces, held, spent)) => Totals {
            spares: spares.max(0) as u64,
            pieces: pieces.max(0) as u64,
            held: decimal(&held)?,
            spent: decimal(&spent)?,
        },
        None => Totals::default(),
    };
    if subtract {
        totals.subtract(t);
    } else {
        totals.add(t);
    }
    write(conn, key, &totals)
}

fn write(conn: &Connection, key: &GroupKey, totals: &Totals) -> Result<(), StoreError> {
    if totals.spares == 0 {
        conn.prepare_cached("DELETE FROM totals WHERE currency = ? AND category = ? AND shop = ?")
            .and_then(|mut s| s.execute(params![key.0, key.1, key.2]))
            .map_err(backend)?;
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO totals (currency, category, shop, spares, pieces, held, spent) VALUES (?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (currency, category, shop) DO UPDATE SET spares = excluded.spares, \
         pieces = excluded.pieces, held = excluded.held, spent = excluded.spent",
    )
    .and_then(|mut s| {
        s.execute(params![
            key.0,
            key.1,
            key.2,
            totals.spares as i64,
            totals.pieces as i64,
            totals.held.normalize().to_string(),
            totals.spent.normalize().to_string()
        ])
    })
    .map_err(backend)?;
    Ok(())
}

/// Takes spare `id`'s contribution out (`subtract`) or puts it in; call it
/// with `true` before a write changes the spare and `false` after, inside
/// the same transaction.
pub(crate) fn account(conn: &Connection, id: i64, subtract: bool) -> Result<(), StoreError> {
    if let Some((key, t)) = contribution(conn, id)? {
        apply(conn, &key, &t, subtract)?;
    }
    Ok(())
}

/// Recomputes the whole table from the spares (import, restore, the
/// migration to v4): one GROUP BY by price, exact products in Rust.
pub(crate) fn rebuild(conn: &Connection) -> Result<(), StoreError> {
    let mut groups: BTreeMap<GroupKey, Totals> = BTreeMap::new();
    {
        let mut stmt = conn
            .prepare(
                "SELECT COALESCE(currency, ''), category, COALESCE(shop, ''), price, \
                 COUNT(*), SUM(quantity), SUM(added) FROM spares \
                 GROUP BY COALESCE(currency, ''), category, COALESCE(shop, ''), price",
            )
            .map_err(backend)?;
        let mut rows = stmt.query([]).map_err(backend)?;
        while let Some(r) = rows.next().map_err(backend)? {
            let key: GroupKey = (
                r.get(0).map_err(backend)?,
                r.get(1).map_err(backend)?,
                r.get(2).map_err(backend)?,
            );
            let price: Option<String> = r.get(3).map_err(backend)?;
            let count: i64 = r.get(4).map_err(backend)?;
            let pieces: i64 = r.get(5).map_err(backend)?;
            let added: i64 = r.get(6).map_err(backend)?;
            let price = match price {
                Some(p) => decimal(&p)?,
                None => Decimal::ZERO,
            };
            groups.entry(key).or_default().add(&Totals {
                spares: count.max(0) as u64,
                pieces: pieces.max(0) as u64,
                held: price * Decimal::from(pieces),
                spent: price * Decimal::from(added),
            });
        }
    }
    conn.execute("DELETE FROM totals", []).map_err(backend)?;
    for (key, t) in &groups {
        write(conn, key, t)?;
    }
    Ok(())
}

/// The totals as the table holds them.
pub(crate) fn read(conn: &Connection) -> Result<Summary, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT currency, category, shop, spares, pieces, held, spent FROM totals")
        .map_err(backend)?;
    let mut rows = stmt.query([]).map_err(backend)?;
    let mut summary = Summary::default();
    while let Some(r) = rows.next().map_err(backend)? {
        let key: GroupKey = (
            r.get(0).map_err(backend)?,
            r.get(1).map_err(backend)?,
            r.get(2).map_err(backend)?,
        );
        let held: String = r.get(5).map_err(backend)?;
        let spent: String = r.get(6).map_err(backend)?;
        summary.groups.insert(
            key,
            Totals {
                spares: r.get::<_, i64>(3).map_err(backend)?.max(0) as u64,
                pieces: r.get::<_, i64>(4).map_err(backend)?.max(0) as u64,
                held: decimal(&held)?,
                spent: decimal(&spent)?,
            },
        );
    }
    Ok(summary)
}
