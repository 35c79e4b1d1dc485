//! Translation of a [`Query`] and a [`Sort`] into MongoDB filter and sort
//! documents. It must select and order exactly as [`Query::matches`] and
//! [`spares_core::query::compare`] do.
//!
//! User text only ever appears as a *value* (of `$regex`, `$eq`, `$in`),
//! never as a key, and every regex is built from escaped text, anchored or
//! not as the semantics require: NoSQL injection is impossible.

use mongodb::bson::{Bson, Document, doc};

use spares_core::query::{Cmp, Query, SeekStep, Sort, SortColumn, SortKey, trigrams};

/// `text` with every regex metacharacter escaped (PCRE and Python `re`
/// agree on these).
pub fn escape_regex(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '^'
                | '$'
                | '.'
                | '|'
                | '?'
                | '*'
                | '+'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '/'
                | '-'
                | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A condition "contains `text`" on a field (unanchored, case-sensitive:
/// both sides are already lower case).
fn contains(text: &str) -> Document {
    doc! { "$regex": escape_regex(text) }
}

/// The number condition of [`Cmp::holds`] with its bounds.
fn bound(cmp: Cmp, lo: f64, hi: f64) -> Document {
    match cmp {
        Cmp::Eq => doc! { "$gte": lo, "$lte": hi },
        Cmp::Ge => doc! { "$gte": lo },
        Cmp::Le => doc! { "$lte": hi },
        Cmp::Gt => doc! { "$gt": hi },
        Cmp::Lt => doc! { "$lt": lo },
    }
}

/// The filter document of a query (an `$and` of every condition).
pub fn filter(query: &Query) -> Document {
    let mut all: Vec<Document> = Vec::new();
    if let Some(category) = &query.category {
        all.push(doc! { "category": category.key() });
    }
    if let Some(value) = &query.value {
        let (lo, hi) = value.match_range();
        all.push(doc! { "value.unit": value.unit().key(), "value.si": bound(Cmp::Eq, lo, hi) });
    }
    for b in &query.value_bounds {
        let (lo, hi) = b.value.match_range();
        all.push(doc! { "value.unit": b.value.unit().key(), "value.si": bound(b.cmp, lo, hi) });
    }
    for c in &query.params {
        let (lo, hi) = c.value.match_range();
        all.push(doc! { "params": { "$elemMatch": {
            "name": c.name.as_str(),
            "kind": "quantity",
            "unit": c.value.unit().key(),
            "si": bound(c.cmp, lo, hi),
        } } });
    }
    for c in &query.texts {
        all.push(doc! { "params": { "$elemMatch": {
            "name": c.name.as_str(),
            "kind": "text",
            "key": { "$eq": c.text.as_str() },
        } } });
    }
    if let Some(key) = &query.package {
        all.push(doc! { "package.key": { "$eq": key.as_str() } });
    }
    if let Some(code) = &query.location {
        all.push(doc! { "location": { "$eq": code.as_str() } });
    }
    for term in &query.terms {
        all.push(doc! { "search_text": contains(term) });
    }
    for term in &query.any_trigram_of {
        let grams = trigrams(term);
        if grams.is_empty() {
            all.push(doc! { "_id": { "$in": Vec::<Bson>::new() } });
        } else {
            let any: Vec<Document> = grams
                .iter()
                .map(|g| doc! { "search_text": contains(g) })
                .collect();
            all.push(doc! { "$or": any });
        }
    }
    for tag in &query.tags {
        all.push(doc! { "tags": { "$eq": tag.as_str() } });
    }
    if query.low_stock {
        all.push(doc! { "low_stock": { "$ne": Bson::Null }, "$expr": { "$lte": ["$quantity", "$low_stock"] } });
    }
    if let Some(ids) = &query.ids {
        let ids: Vec<Bson> = ids.iter().map(|id| Bson::Int64(id.0)).collect();
        all.push(doc! { "_id": { "$in": ids } });
    }
    if all.is_empty() {
        doc! {}
    } else {
        doc! { "$and": all }
    }
}

/// The sort document reproducing [`spares_core::query::compare`]: the `*_missing`
/// flags (0 or 1) put absent values last in both directions; ties by id.
/// The document path of a stored sort column.
pub fn column_path(column: SortColumn) -> &'static str {
    match column {
        SortColumn::Category => "sort.category",
        SortColumn::ValueMissing => "sort.value_missing",
        SortColumn::ValueUnit => "sort.unit",
        SortColumn::ValueSi => "sort.value_si",
        SortColumn::ReferenceKey => "sort.reference",
        SortColumn::PackageMissing => "sort.package_missing",
        SortColumn::PackageKey => "sort.package",
        SortColumn::Quantity => "quantity",
        SortColumn::LocationMissing => "sort.location_missing",
        SortColumn::Location => "sort.location",
        SortColumn::PriceMissing => "sort.price_missing",
        SortColumn::Currency => "sort.currency",
        SortColumn::PriceNum => "sort.price_num",
        SortColumn::UpdatedAt => "updated_at",
        SortColumn::Id => "_id",
    }
}

/// The sort document of `sort` ([`Sort::columns`]); `reversed` gives the
/// exact reverse (for reading backwards from a document).
pub fn sort_in(sort: Sort, reversed: bool) -> Document {
    let mut d = Document::new();
    for (column, descending) in sort.columns() {
        d.insert(
            column_path(column),
            if descending != reversed { -1 } else { 1 },
        );
    }
    d
}

/// The sort document of `sort`, forwards.
pub fn sort(sort: Sort) -> Document {
    sort_in(sort, false)
}

/// The filter of one [`SeekStep`], one field per column, so a planner sees
/// the index's prefix directly.
pub fn step_filter(step: &SeekStep<Option<Bson>>) -> Document {
    let mut d = Document::new();
    // Every column, an absent value as `null` (stored so under `sort`):
    // an equality on each column of the prefix keeps the index's bounds
    // tight, even on the test server's planner.
    for (column, value) in &step.equal {
        d.insert(column_path(*column), value.clone().unwrap_or(Bson::Null));
    }
    let (column, value, greater) = &step.beyond;
    if let Some(v) = value {
        let op = if *greater { "$gt" } else { "$lt" };
        d.insert(column_path(*column), doc! { op: v.clone() });
    }
    d
}

/// `filter` and `more`, as one filter (`more` alone when `filter` is empty).
pub fn both(filter: &Document, more: Document) -> Document {
    if filter.is_empty() {
        more
    } else if more.is_empty() {
        filter.clone()
    } else {
        doc! { "$and": [filter.clone(), more] }
    }
}

/// The value at a dotted `path` of `d`; `None` when absent or null.
pub fn value_at(d: &Document, path: &str) -> Option<Bson> {
    let mut parts = path.split('.');
    let mut current = d.get(parts.next()?)?;
    for part in parts {
        current = match current {
            Bson::Document(inner) => inner.get(part)?,
            _ => return None,
        };
    }
    match current {
        Bson::Null => None,
        v => Some(v.clone()),
    }
}

/// Indexes for the list's orders, both directions: exactly their sort
/// documents.
pub fn sort_indexes() -> Vec<Document> {
    SortKey::ALL
        .into_iter()
        .flat_map(|key| [false, true].map(|descending| sort(Sort { key, descending })))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use spares_core::location::LocationCode;
    use spares_core::query::{ParamConstraint, TextConstraint};
    use spares_core::spare::{ParamName, SpareId, Tag};
    use spares_core::value::Value;

    /// Every key of a document, recursively.
    fn keys(d: &Document, out: &mut Vec<String>) {
        for (k, v) in d {
            out.push(k.clone());
            match v {
                Bson::Document(inner) => keys(inner, out),
                Bson::Array(items) => {
                    for item in items {
                        if let Bson::Document(inner) = item {
                            keys(inner, out);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    const ALLOWED_KEYS: &[&str] = &[
        "$and",
        "$or",
        "$in",
        "$eq",
        "$ne",
        "$gte",
        "$lte",
        "$gt",
        "$lt",
        "$regex",
        "$elemMatch",
        "$expr",
        "category",
        "value.unit",
        "value.si",
        "params",
        "name",
        "kind",
        "unit",
        "si",
        "key",
        "package.key",
        "location",
        "search_text",
        "tags",
        "low_stock",
        "_id",
    ];

    #[test]
    fn hostile_text_stays_a_value_and_is_escaped() {
        let hostile = [
            "$where",
            "{\"$gt\": \"\"}",
            ".*",
            "a|b",
            "(?i)x",
            "\\",
            "^$",
            &"x".repeat(10_000),
        ];
        for text in hostile {
            let q = Query::default().with_term(text).with_package(text);
            let f = filter(&q);
            let mut all_keys = Vec::new();
            keys(&f, &mut all_keys);
            for k in &all_keys {
                assert!(
                    ALLOWED_KEYS.contains(&k.as_str()),
                    "unexpected key {k:?} from {text:?}"
                );
            }
            let regex = f.get_array("$and").ok().and_then(|a| {
                a.iter().find_map(|c| {
                    c.as_document()?
                        .get_document("search_text")
                        .ok()?
                        .get_str("$regex")
                        .ok()
                })
            });
            let regex = regex.unwrap_or_default();
            for meta in ['.', '*', '|', '(', ')', '$', '^'] {
                let bare = regex
                    .match_indices(meta)
                    .any(|(i, _)| i == 0 || &regex[i - 1..i] != "\\");
                assert!(!bare, "unescaped {meta:?} in {regex:?}");
            }
        }
    }

    #[test]
    fn every_query_shape_translates() {
        let v = |t: &str| Value::parse(t, None).expect("valid");
        let q = Query {
            category: spares_core::Category::parse("cap").ok(),
            value: Some(v("100nF")),
            params: vec![ParamConstraint {
                name: ParamName::parse("voltage").expect("valid"),
                cmp: Cmp::Ge,
                value: v("16V"),
            }],
            texts: vec![TextConstraint::new(
                ParamName::parse("dielectric").expect("valid"),
                "X7R",
            )],
            location: LocationCode::parse("c2").ok(),
            tags: vec![Tag::parse("smd").expect("valid")],
            low_stock: true,
            ids: Some(vec![SpareId(3)]),
            any_trigram_of: vec!["atmaga".into()],
            ..Query::default()
        }
        .with_package("0805")
        .with_term("cl21");
        let f = filter(&q);
        let conditions = f.get_array("$and").expect("an $and");
        assert_eq!(conditions.len(), 11);
        let text = f.to_string();
        assert!(text.contains("\"value.si\": { \"$gte\": "), "{text}");
        assert!(text.contains("\"kind\": \"text\""), "{text}");
        assert!(text.contains("\"location\": { \"$eq\": \"C2\" }"), "{text}");
        assert!(text.contains("$expr"), "{text}");
        assert_eq!(filter(&Query::default()), doc! {});
    }

    #[test]
    fn comparisons_use_the_shared_bounds() {
        let v = Value::parse("10k", Some(spares_core::Unit::Ohm)).expect("valid");
        let (lo, hi) = v.match_range();
        assert_eq!(bound(Cmp::Ge, lo, hi), doc! { "$gte": lo });
        assert_eq!(bound(Cmp::Gt, lo, hi), doc! { "$gt": hi });
        assert_eq!(bound(Cmp::Lt, lo, hi), doc! { "$lt": lo });
    }

    #[test]
    fn sorts_end_with_the_id() {
        for key in SortKey::ALL {
            for descending in [false, true] {
                let s = sort(Sort { key, descending });
                assert_eq!(s.keys().last().map(String::as_str), Some("_id"));
            }
        }
    }
}
