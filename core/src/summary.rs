//! Totals the dashboard and the shops page show, and how each spare
//! contributes to them. The store computes them ([`crate::Store::summary`]);
//! [`Summary::of`] is the reference computation every backend must equal
//! (the conformance suite checks it after random changes).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::category::Category;
use crate::money::Currency;
use crate::movement::Movement;
use crate::spare::{Spare, SpareData, SpareId};

/// The totals of one group of spares: same currency (or none), category
/// and shop (or none).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Totals {
    /// Kinds of part.
    pub spares: u64,
    /// Pieces: the sum of their quantities.
    pub pieces: u64,
    /// Unit price × quantity (zero without a price).
    pub held: Decimal,
    /// Unit price × every piece ever added (the positive movements).
    pub spent: Decimal,
}

impl Totals {
    pub fn add(&mut self, other: &Totals) {
        self.spares += other.spares;
        self.pieces += other.pieces;
        self.held += other.held;
        self.spent += other.spent;
    }

    pub fn subtract(&mut self, other: &Totals) {
        self.spares = self.spares.saturating_sub(other.spares);
        self.pieces = self.pieces.saturating_sub(other.pieces);
        self.held -= other.held;
        self.spent -= other.spent;
    }

    pub fn is_zero(&self) -> bool {
        self.spares == 0 && self.pieces == 0 && self.held.is_zero() && self.spent.is_zero()
    }
}

/// Which group a spare counts in: (currency, category key, shop key); the
/// currency and shop are "" when the spare has none.
pub type GroupKey = (String, String, String);

/// One spare's group and its contribution, given how many pieces were ever
/// added to it.
pub fn contribution(data: &SpareData, added: u64) -> (GroupKey, Totals) {
    let key = (
        data.unit_price
            .map(|p| p.currency().to_string())
            .unwrap_or_default(),
        data.category.key().to_owned(),
        data.shop.as_ref().map(|s| s.key()).unwrap_or_default(),
    );
    let quantity = data.quantity.get().max(0) as u64;
    let (held, spent) = match data.unit_price {
        Some(p) => (
            p.amount() * Decimal::from(quantity),
            p.amount() * Decimal::from(added),
        ),
        None => (Decimal::ZERO, Decimal::ZERO),
    };
    (
        key,
        Totals {
            spares: 1,
            pieces: quantity,
            held,
            spent,
        },
    )
}

/// The totals of every group with at least one spare.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    pub groups: BTreeMap<GroupKey, Totals>,
}

impl Summary {
    /// The reference: from every spare and every movement.
    pub fn of(spares: &[Spare], movements: &[Movement]) -> Summary {
        let mut added: BTreeMap<SpareId, u64> = BTreeMap::new();
        for m in movements {
            if m.delta > 0 {
                *added.entry(m.spare).or_default() += m.delta as u64;
            }
        }
        let mut summary = Summary::default();
        for s in spares {
            let (key, t) = contribution(&s.data, added.get(&s.id).copied().unwrap_or(0));
            summary.groups.entry(key).or_default().add(&t);
        }
        summary
    }

    /// Adds (or with `subtract`, removes) one contribution; empty groups go.
    pub fn apply(&mut self, key: GroupKey, t: &Totals, subtract: bool) {
        let entry = self.groups.entry(key.clone()).or_default();
        if subtract {
            entry.subtract(t);
        } else {
            entry.add(t);
        }
        if entry.is_zero() {
            self.groups.remove(&key);
        }
    }

    pub fn spares(&self) -> u64 {
        self.groups.values().map(|t| t.spares).sum()
    }

    pub fn pieces(&self) -> u64 {
        self.groups.values().map(|t| t.pieces).sum()
    }

    /// Stock value per currency.
    pub fn value_per_currency(&self) -> BTreeMap<Currency, Decimal> {
        let mut out = BTreeMap::new();
        for ((currency, _, _), t) in &self.groups {
            if let Ok(c) = Currency::parse(currency) {
                *out.entry(c).or_insert(Decimal::ZERO) += t.held;
            }
        }
        out
    }

    /// Stock value per category in one currency, largest first.
    pub fn value_per_category(&self, currency: Currency) -> Vec<(Category, Decimal)> {
        let mut per: BTreeMap<String, Decimal> = BTreeMap::new();
        for ((c, category, _), t) in &self.groups {
            if c == currency.as_str() {
                *per.entry(category.clone()).or_insert(Decimal::ZERO) += t.held;
            }
        }
        let mut out: Vec<(Category, Decimal)> = per
            .into_iter()
            .filter_map(|(k, v)| Category::parse(&k).ok().map(|c| (c, v)))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// Per shop key: its spares, what was spent and what is in stock, per
    /// currency.
    pub fn per_shop(&self) -> BTreeMap<String, ShopTotals> {
        let mut out: BTreeMap<String, ShopTotals> = BTreeMap::new();
        for ((currency, _, shop), t) in &self.groups {
            if shop.is_empty() {
                continue;
            }
            let entry = out.entry(shop.clone()).or_default();
            entry.spares += t.spares;
            if let Ok(c) = Currency::parse(currency) {
                *entry.spent.entry(c).or_insert(Decimal::ZERO) += t.spent;
                *entry.in_stock.entry(c).or_insert(Decimal::ZERO) += t.held;
            }
        }
        out
    }
}

/// What the shops page shows for one shop.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShopTotals {
    pub spares: u64,
    pub spent: BTreeMap<Currency, Decimal>,
    pub in_stock: BTreeMap<Currency, Decimal>,
}
