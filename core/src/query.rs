//! Structured queries and their reference evaluation.
//!
//! [`Query::matches`] is the definition of what a query means. Every
//! [`crate::Store`] backend must return exactly the spares for which it is
//! true (the conformance suite checks this), and [`rank`] orders them.

use std::cmp::Ordering;
use std::fmt;

use crate::category::Category;
use crate::location::LocationCode;
use crate::spare::{Package, ParamName, ParamValue, Spare, SpareData, SpareId, Tag};
use crate::value::Value;

/// How a parameter is compared with the asked value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// The same value (within [`crate::value::RELATIVE_TOLERANCE`]).
    Eq,
    /// At least (the value itself counts).
    Ge,
    /// At most (the value itself counts).
    Le,
    /// Strictly above (beyond the tolerance).
    Gt,
    /// Strictly below (beyond the tolerance).
    Lt,
}

impl Cmp {
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Ge => "≥",
            Cmp::Le => "≤",
            Cmp::Gt => ">",
            Cmp::Lt => "<",
        }
    }

    /// Whether `si` satisfies the comparison with `target`. Uses the
    /// target's [`Value::match_range`], as every backend must.
    pub fn holds(self, si: f64, target: &Value) -> bool {
        let (lo, hi) = target.match_range();
        match self {
            Cmp::Eq => si >= lo && si <= hi,
            Cmp::Ge => si >= lo,
            Cmp::Le => si <= hi,
            Cmp::Gt => si > hi,
            Cmp::Lt => si < lo,
        }
    }
}

/// A constraint on one parameter: `voltage ≥ 16 V`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamConstraint {
    pub name: ParamName,
    pub cmp: Cmp,
    pub value: Value,
}

/// The distinct three-character windows of a text, sorted.
pub fn trigrams(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
    out.sort();
    out.dedup();
    out
}

/// A bound on the primary value: `≥ 100 µF`.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueBound {
    pub cmp: Cmp,
    pub value: Value,
}

/// A constraint on a text parameter: `color = blue` (case-insensitive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextConstraint {
    pub name: ParamName,
    /// Lower case.
    pub text: String,
}

impl TextConstraint {
    pub fn new(name: ParamName, text: &str) -> TextConstraint {
        TextConstraint {
            name,
            text: text.trim().to_lowercase(),
        }
    }
}

/// A structured query. Every present field must hold (AND); an empty query
/// matches every spare.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    pub category: Option<Category>,
    /// The primary value, compared for equality in the same unit.
    pub value: Option<Value>,
    /// Bounds on the primary value ("at least 100 µF"), same unit.
    pub value_bounds: Vec<ValueBound>,
    pub params: Vec<ParamConstraint>,
    pub texts: Vec<TextConstraint>,
    /// Compared by [`Package::key`].
    pub package: Option<String>,
    pub location: Option<LocationCode>,
    /// Lower-case words; each must occur in [`SpareData::search_text`].
    pub terms: Vec<String>,
    pub tags: Vec<Tag>,
    /// Only spares at or below their low-stock threshold.
    pub low_stock: bool,
    /// Each entry: at least one of its trigrams (three consecutive
    /// characters) occurs in [`SpareData::search_text`]. A lossless
    /// prefilter for typo-tolerant matching; not shown in the interpretation.
    pub any_trigram_of: Vec<String>,
    /// Only these spares (used by the search use case to fetch what its
    /// fallbacks picked; not shown in the interpretation).
    pub ids: Option<Vec<crate::spare::SpareId>>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        *self == Query::default()
    }

    /// The package constraint from a package text.
    pub fn with_package(mut self, text: &str) -> Query {
        self.package = Some(Package::key_of(text));
        self
    }

    /// Adds a free-text term (stored lower case; blank terms are ignored).
    pub fn with_term(mut self, term: &str) -> Query {
        let t = term.trim().to_lowercase();
        if !t.is_empty() {
            self.terms.push(t);
        }
        self
    }

    /// The reference evaluation: whether `spare` answers this query.
    pub fn matches(&self, spare: &Spare) -> bool {
        if let Some(ids) = &self.ids
            && !ids.contains(&spare.id)
        {
            return false;
        }
        self.matches_data(spare)
    }

    /// [`Query::matches`] for everything but the id.
    pub fn matches_data(&self, spare: &SpareData) -> bool {
        if let Some(category) = &self.category
            && spare.category != *category
        {
            return false;
        }
        if let Some(target) = &self.value {
            match &spare.value {
                Some(v) if v.unit() == target.unit() && Cmp::Eq.holds(v.si(), target) => {}
                _ => return false,
            }
        }
        for b in &self.value_bounds {
            match &spare.value {
                Some(v) if v.unit() == b.value.unit() && b.cmp.holds(v.si(), &b.value) => {}
                _ => return false,
            }
        }
        for c in &self.params {
            let ok = match spare.parameters.get(&c.name) {
                Some(ParamValue::Quantity(v)) => {
                    v.unit() == c.value.unit() && c.cmp.holds(v.si(), &c.value)
                }
                _ => false,
            };
            if !ok {
                return false;
            }
        }
        for c in &self.texts {
            let ok = matches!(spare.parameters.get(&c.name), Some(ParamValue::Text(t)) if t.to_lowercase() == c.text);
            if !ok {
                return false;
            }
        }
        if let Some(key) = &self.package
            && spare.package.as_ref().is_none_or(|p| p.key() != key)
        {
            return false;
        }
        if let Some(code) = &self.location
            && spare.location.as_ref() != Some(code)
        {
            return false;
        }
        if !self.terms.is_empty() {
            let text = spare.search_text();
            if !self.terms.iter().all(|t| text.contains(t.as_str())) {
                return false;
            }
        }
        if !self.any_trigram_of.is_empty() {
            let text = spare.search_text();
            if !self
                .any_trigram_of
                .iter()
                .all(|t| trigrams(t).iter().any(|g| text.contains(g.as_str())))
            {
                return false;
            }
        }
        if !self.tags.iter().all(|t| spare.tags.contains(t)) {
            return false;
        }
        if self.low_stock && !spare.is_low() {
            return false;
        }
        true
    }
}

impl fmt::Display for Query {
    /// How the query was understood: "resistor · 10 kΩ · 0805 · in A1".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if let Some(c) = &self.category {
            parts.push(c.to_string());
        }
        if let Some(v) = &self.value {
            parts.push(v.formatted());
        }
        for b in &self.value_bounds {
            parts.push(format!("{} {}", b.cmp.symbol(), b.value.formatted()));
        }
        for c in &self.params {
            parts.push(format!(
                "{} {} {}",
                c.name,
                c.cmp.symbol(),
                c.value.formatted()
            ));
        }
        for c in &self.texts {
            parts.push(format!("{} {}", c.name, c.text));
        }
        if let Some(p) = &self.package {
            parts.push(p.clone());
        }
        if let Some(l) = &self.location {
            parts.push(format!("in {l}"));
        }
        for t in &self.terms {
            parts.push(format!("“{t}”"));
        }
        for t in &self.tags {
            parts.push(format!("#{}", t.as_str()));
        }
        if self.low_stock {
            parts.push("low stock".into());
        }
        if parts.is_empty() {
            f.write_str("everything")
        } else {
            f.write_str(&parts.join(" · "))
        }
    }
}

/// What a result list is ordered by. Ties are always broken by id
/// (ascending), and absent values sort last in both directions, so every
/// backend can reproduce the order exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Category, then value, then reference (case-insensitive).
    #[default]
    Default,
    Category,
    Reference,
    /// Unit, then the SI number.
    Value,
    Package,
    Quantity,
    Location,
    /// Currency, then amount.
    Price,
    Updated,
}

impl SortKey {
    pub const ALL: [SortKey; 9] = [
        SortKey::Default,
        SortKey::Category,
        SortKey::Reference,
        SortKey::Value,
        SortKey::Package,
        SortKey::Quantity,
        SortKey::Location,
        SortKey::Price,
        SortKey::Updated,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SortKey::Default => "default",
            SortKey::Category => "category",
            SortKey::Reference => "reference",
            SortKey::Value => "value",
            SortKey::Package => "package",
            SortKey::Quantity => "quantity",
            SortKey::Location => "location",
            SortKey::Price => "price",
            SortKey::Updated => "updated",
        }
    }

    pub fn parse(name: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// An order: a key and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

/// Which slice of the ordered results to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub sort: Sort,
    /// How many results to skip; ignored when `seek` names a spare that
    /// exists (a seek whose spare was deleted falls back to the offset).
    pub offset: usize,
    pub limit: usize,
    /// Where to start instead of counting (keyset pagination: as cheap at
    /// the millionth row as at the first).
    pub seek: Option<Seek>,
}

/// A page's place in the order, by a neighbour instead of a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seek {
    /// The results right after this spare's place in the order (whether or
    /// not it still matches the query).
    After(SpareId),
    /// The `limit` results right before this spare's place; the first
    /// `limit` results when fewer precede it (a "previous" link never shows
    /// a short page).
    Before(SpareId),
    /// The last `limit` results.
    Last,
}

impl Seek {
    /// The spare a walk starts from (none for [`Seek::Last`]: the end) and
    /// whether it walks forwards.
    pub fn start(self) -> (Option<SpareId>, bool) {
        match self {
            Seek::After(id) => (Some(id), true),
            Seek::Before(id) => (Some(id), false),
            Seek::Last => (None, false),
        }
    }
}

/// The one step of a walk from the end: the whole order (read backwards).
pub fn whole_order<V>() -> Vec<SeekStep<Option<V>>> {
    vec![SeekStep {
        equal: Vec::new(),
        beyond: (SortColumn::Id, None, true),
    }]
}

impl Page {
    /// The first `limit` results in the default order.
    pub fn first(limit: usize) -> Page {
        Page {
            sort: Sort::default(),
            offset: 0,
            limit,
            seek: None,
        }
    }

    /// The same page, sorted by `sort`.
    pub fn sorted(self, sort: Sort) -> Page {
        Page { sort, ..self }
    }

    /// The same page, skipping `offset` results.
    pub fn skip(self, offset: usize) -> Page {
        Page { offset, ..self }
    }

    /// The same page, placed by `seek` (falling back to the offset).
    pub fn seek(self, seek: Option<Seek>) -> Page {
        Page { seek, ..self }
    }
}

/// One column of an order as the backends store it. An order is a list of
/// these, each ascending or descending, ending with the id
/// ([`Sort::columns`]); the `…Missing` columns are 1 when the value is
/// absent, so absent values sort last in both directions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortColumn {
    Category,
    ValueMissing,
    ValueUnit,
    ValueSi,
    ReferenceKey,
    PackageMissing,
    PackageKey,
    Quantity,
    LocationMissing,
    Location,
    PriceMissing,
    Currency,
    PriceNum,
    UpdatedAt,
    Id,
}

impl Sort {
    /// The stored columns this order compares, in order, each with whether
    /// it is descending: exactly [`compare`], as a backend writes it.
    pub fn columns(self) -> Vec<(SortColumn, bool)> {
        use SortColumn as C;
        let d = self.descending;
        let mut columns = match self.key {
            SortKey::Default => vec![
                (C::Category, d),
                (C::ValueMissing, false),
                (C::ValueSi, d),
                (C::ReferenceKey, d),
            ],
            SortKey::Category => vec![(C::Category, d)],
            SortKey::Reference => vec![(C::ReferenceKey, d)],
            SortKey::Value => vec![(C::ValueMissing, false), (C::ValueUnit, d), (C::ValueSi, d)],
            SortKey::Package => vec![(C::PackageMissing, false), (C::PackageKey, d)],
            SortKey::Quantity => vec![(C::Quantity, d)],
            SortKey::Location => vec![(C::LocationMissing, false), (C::Location, d)],
            SortKey::Price => vec![(C::PriceMissing, false), (C::Currency, d), (C::PriceNum, d)],
            SortKey::Updated => vec![(C::UpdatedAt, d)],
        };
        columns.push((C::Id, false));
        columns
    }
}

/// A part of "everything after a row" in an order: the rows whose first
/// columns equal the row's (`equal`, null-safe) and whose next column lies
/// beyond the row's (`beyond`: greater when ascending, smaller when
/// descending). The parts, in the order [`seek_steps`] returns them, cover
/// the rest of the order each in turn, so a backend reads them one after
/// another, each a range of the order's index, until the page is full.
#[derive(Debug, Clone, PartialEq)]
pub struct SeekStep<V> {
    pub equal: Vec<(SortColumn, V)>,
    /// The column, the row's value in it and whether "beyond" means greater.
    pub beyond: (SortColumn, V, bool),
}

/// The steps that walk an order from just after (`forward`) or just before
/// a row whose stored values in `columns` are `at` (`None` = absent).
/// Walking backwards, each step is read in the reverse order.
pub fn seek_steps<V: Clone>(
    columns: &[(SortColumn, bool)],
    at: &[Option<V>],
    forward: bool,
) -> Vec<SeekStep<Option<V>>> {
    let mut steps = Vec::new();
    for j in (0..columns.len().min(at.len())).rev() {
        let (column, descending) = columns[j];
        // Beyond an absent value there is nothing within the same prefix:
        // the `…Missing` column before it already put every absent value
        // together, and they are all equal here.
        if at[j].is_none() {
            continue;
        }
        steps.push(SeekStep {
            equal: columns[..j]
                .iter()
                .zip(at)
                .map(|((c, _), v)| (*c, v.clone()))
                .collect(),
            beyond: (column, at[j].clone(), forward != descending),
        });
    }
    steps
}

/// A page of results and how many matched in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub spares: Vec<Spare>,
    pub total: u64,
}

/// A spare's primary value and stock, for substitute suggestions.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueStock {
    pub id: crate::spare::SpareId,
    pub value: Value,
    pub quantity: crate::quantity::Quantity,
}

/// A spare's id and stock: what a BOM check shares out between lines
/// (the spare itself is read only when something is taken from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stocked {
    pub id: crate::spare::SpareId,
    pub quantity: crate::quantity::Quantity,
}

impl From<&Spare> for Stocked {
    fn from(spare: &Spare) -> Stocked {
        Stocked {
            id: spare.id,
            quantity: spare.quantity,
        }
    }
}

/// `Some` before `None` in both directions; `Some`s compared by `f`.
fn nulls_last<T>(
    a: Option<T>,
    b: Option<T>,
    descending: bool,
    f: impl Fn(&T, &T) -> Ordering,
) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => {
            let o = f(&x, &y);
            if descending { o.reverse() } else { o }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn directed(o: Ordering, descending: bool) -> Ordering {
    if descending { o.reverse() } else { o }
}

/// The reference order: how `sort` orders two spares.
pub fn compare(a: &Spare, b: &Spare, sort: Sort) -> Ordering {
    let d = sort.descending;
    let primary = match sort.key {
        SortKey::Default => directed(a.category.key().cmp(b.category.key()), d)
            .then_with(|| {
                nulls_last(
                    a.value.as_ref().map(Value::si),
                    b.value.as_ref().map(Value::si),
                    d,
                    |x, y| x.total_cmp(y),
                )
            })
            .then_with(|| {
                directed(
                    a.reference.to_lowercase().cmp(&b.reference.to_lowercase()),
                    d,
                )
            }),
        SortKey::Category => directed(a.category.key().cmp(b.category.key()), d),
        SortKey::Reference => directed(
            a.reference.to_lowercase().cmp(&b.reference.to_lowercase()),
            d,
        ),
        SortKey::Value => nulls_last(a.value.as_ref(), b.value.as_ref(), d, |x, y| {
            x.unit()
                .key()
                .cmp(y.unit().key())
                .then(x.si().total_cmp(&y.si()))
        }),
        SortKey::Package => nulls_last(a.package.as_ref(), b.package.as_ref(), d, |x, y| {
            x.key().cmp(y.key())
        }),
        SortKey::Quantity => directed(a.quantity.cmp(&b.quantity), d),
        SortKey::Location => {
            nulls_last(a.location.as_ref(), b.location.as_ref(), d, |x, y| x.cmp(y))
        }
        SortKey::Price => nulls_last(a.unit_price.as_ref(), b.unit_price.as_ref(), d, |x, y| {
            x.currency()
                .as_str()
                .cmp(y.currency().as_str())
                .then(x.amount_f64().total_cmp(&y.amount_f64()))
        }),
        SortKey::Updated => directed(a.updated_at.cmp(&b.updated_at), d),
    };
    primary.then_with(|| a.id.cmp(&b.id))
}

/// Sorts in the default order.
pub fn rank(spares: &mut [Spare]) {
    spares.sort_by(|a, b| compare(a, b, Sort::default()));
}

/// The reference evaluation of a paged search over all spares.
pub fn reference_page<'a>(
    all: impl IntoIterator<Item = &'a Spare>,
    query: &Query,
    page: &Page,
) -> Found {
    let all_spares: Vec<&Spare> = all.into_iter().collect();
    let mut matching: Vec<Spare> = all_spares
        .iter()
        .copied()
        .filter(|s| query.matches(s))
        .cloned()
        .collect();
    let total = matching.len() as u64;
    matching.sort_by(|a, b| compare(a, b, page.sort));
    let limit = page.limit;
    let start = match page.seek {
        Some(Seek::Last) => matching.len().saturating_sub(limit),
        Some(Seek::After(id)) | Some(Seek::Before(id)) => {
            match all_spares.iter().find(|s| s.id == id) {
                Some(cursor) => {
                    let before = matching
                        .iter()
                        .take_while(|s| compare(s, cursor, page.sort) == Ordering::Less)
                        .count();
                    let at = matching
                        .iter()
                        .take_while(|s| compare(s, cursor, page.sort) != Ordering::Greater)
                        .count();
                    if matches!(page.seek, Some(Seek::After(_))) {
                        at
                    } else {
                        // Fewer than a page before it: the first page.
                        before.saturating_sub(limit)
                    }
                }
                None => page.offset,
            }
        }
        None => page.offset,
    };
    Found {
        spares: matching.into_iter().skip(start).take(limit).collect(),
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spare::SpareInput;
    use crate::unit::Unit;

    #[test]
    fn seek_steps_walk_from_the_nearest_rows_and_skip_beyond_absent_values() {
        use SortColumn as C;
        let columns = [
            (C::Category, false),
            (C::ValueMissing, false),
            (C::ValueSi, true),
            (C::Id, false),
        ];
        let at = [Some("resistor"), Some("1"), None, Some("5")];
        let steps = seek_steps(&columns, &at, true);
        assert_eq!(
            steps,
            vec![
                SeekStep {
                    equal: vec![
                        (C::Category, Some("resistor")),
                        (C::ValueMissing, Some("1")),
                        (C::ValueSi, None)
                    ],
                    beyond: (C::Id, Some("5"), true),
                },
                SeekStep {
                    equal: vec![(C::Category, Some("resistor"))],
                    beyond: (C::ValueMissing, Some("1"), true),
                },
                SeekStep {
                    equal: vec![],
                    beyond: (C::Category, Some("resistor"), true),
                },
            ]
        );
        // Backwards, "beyond" flips, and so does it for descending columns.
        let back = seek_steps(
            &columns,
            &[Some("c"), Some("0"), Some("9"), Some("5")],
            false,
        );
        let beyond: Vec<bool> = back.iter().map(|s| s.beyond.2).collect();
        assert_eq!(beyond, [false, true, false, false]);
    }

    #[test]
    fn every_order_ends_with_the_id_and_puts_absent_values_last() {
        for key in SortKey::ALL {
            for descending in [false, true] {
                let columns = Sort { key, descending }.columns();
                assert_eq!(columns.last(), Some(&(SortColumn::Id, false)));
                for (c, d) in &columns {
                    if matches!(
                        c,
                        SortColumn::ValueMissing
                            | SortColumn::PackageMissing
                            | SortColumn::LocationMissing
                            | SortColumn::PriceMissing
                    ) {
                        assert!(!d, "{key:?}: absent values last in both directions");
                    }
                }
            }
        }
    }

    fn spare(value: &str, package: &str, params: &[(&str, &str)]) -> SpareData {
        SpareInput {
            category: "capacitor".into(),
            value: value.into(),
            package: package.into(),
            parameters: params
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            quantity: "10".into(),
            location: "c2".into(),
            reference: "CL21B104KBCNNNC".into(),
            ..SpareInput::default()
        }
        .parse(None)
        .expect("valid spare")
    }

    fn v(text: &str) -> Value {
        Value::parse(text, None).expect("valid value")
    }

    #[test]
    fn value_matches_after_normalization_only() {
        let s = spare("0.1uF", "0805", &[]);
        let mut q = Query {
            value: Some(v("100nF")),
            ..Query::default()
        };
        assert!(q.matches_data(&s));
        q.value = Some(v("10nF"));
        assert!(!q.matches_data(&s));
        q.value = Some(Value::parse("100n", Some(Unit::Henry)).expect("valid"));
        assert!(!q.matches_data(&s), "same number, other unit");
    }

    #[test]
    fn parameter_ratings_compare_as_at_least_or_at_most() {
        let s = spare("100nF", "0805", &[("voltage", "50V")]);
        let name = ParamName::parse("voltage").expect("valid");
        let q = |cmp, val: &str| Query {
            params: vec![ParamConstraint {
                name: name.clone(),
                cmp,
                value: v(val),
            }],
            ..Query::default()
        };
        assert!(q(Cmp::Ge, "16V").matches_data(&s));
        assert!(q(Cmp::Ge, "50V").matches_data(&s));
        assert!(!q(Cmp::Ge, "63V").matches_data(&s));
        assert!(q(Cmp::Le, "50V").matches_data(&s));
        assert!(!q(Cmp::Lt, "50V").matches_data(&s));
        assert!(!q(Cmp::Gt, "50V").matches_data(&s));
        assert!(q(Cmp::Eq, "50V").matches_data(&s));
        assert!(
            !q(Cmp::Ge, "1A").matches_data(&s),
            "other unit never matches"
        );
        let no_rating = spare("100nF", "0805", &[]);
        assert!(!q(Cmp::Ge, "16V").matches_data(&no_rating));
    }

    #[test]
    fn package_location_terms_and_tags() {
        let s = spare("100nF", "SOT-23", &[]);
        assert!(Query::default().with_package("sot23").matches_data(&s));
        assert!(!Query::default().with_package("0805").matches_data(&s));
        let in_c2 = Query {
            location: LocationCode::parse("C2").ok(),
            ..Query::default()
        };
        assert!(in_c2.matches_data(&s));
        assert!(Query::default().with_term("cl21b").matches_data(&s));
        assert!(!Query::default().with_term("lm78").matches_data(&s));
        let tagged = Query {
            tags: vec![Tag::parse("smd").expect("valid")],
            ..Query::default()
        };
        assert!(!tagged.matches_data(&s));
    }

    #[test]
    fn interpretation_reads_back_the_query() {
        let q = Query {
            category: Category::parse("res").ok(),
            value: Value::parse("10k", Some(Unit::Ohm)).ok(),
            ..Query::default()
        }
        .with_package("0805");
        assert_eq!(q.to_string(), "resistor · 10 kΩ · 0805");
        assert_eq!(Query::default().to_string(), "everything");
    }
}
