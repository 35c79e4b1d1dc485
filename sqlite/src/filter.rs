//! Translation of a [`Query`] into an SQL `WHERE` clause over `spares s`.
//! It must select exactly what [`Query::matches`] accepts: values compare
//! with [`spares_core::Value::match_range`] bounds, text with the precomputed
//! lower-case `search_text`, tags with the space-padded `tags` column.

use rusqlite::types::Value as Sql;

#[cfg(test)]
use spares_core::query::SortKey;
use spares_core::query::{Cmp, Query, SeekStep, Sort, SortColumn};

/// An FTS5 expression requiring every trigram of `term` (the index keeps no
/// positions, so this is a superset of "contains `term`").
fn trigram_match(term: &str) -> String {
    spares_core::query::trigrams(term)
        .iter()
        .map(|g| format!("\"{}\"", g.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// `column` compared as [`Cmp::holds`] does, with its bounds.
fn bound_sql(column: &str, cmp: Cmp, lo: f64, hi: f64) -> (String, Vec<f64>) {
    match cmp {
        Cmp::Eq => (format!("{column} >= ? AND {column} <= ?"), vec![lo, hi]),
        Cmp::Ge => (format!("{column} >= ?"), vec![lo]),
        Cmp::Le => (format!("{column} <= ?"), vec![hi]),
        Cmp::Gt => (format!("{column} > ?"), vec![hi]),
        Cmp::Lt => (format!("{column} < ?"), vec![lo]),
    }
}

/// The SQL of a stored sort column of `spares s`; the `…Missing` columns
/// are the same expressions as in [`crate::schema::SORT_INDEXES`], so the
/// indexes serve them.
pub fn column_sql(column: SortColumn) -> &'static str {
    match column {
        SortColumn::Category => "s.category",
        SortColumn::ValueMissing => "(s.value_si IS NULL)",
        SortColumn::ValueUnit => "s.value_unit",
        SortColumn::ValueSi => "s.value_si",
        SortColumn::ReferenceKey => "s.reference_key",
        SortColumn::PackageMissing => "(s.package_key IS NULL)",
        SortColumn::PackageKey => "s.package_key",
        SortColumn::Quantity => "s.quantity",
        SortColumn::LocationMissing => "(s.location IS NULL)",
        SortColumn::Location => "s.location",
        SortColumn::PriceMissing => "(s.price_num IS NULL)",
        SortColumn::Currency => "s.currency",
        SortColumn::PriceNum => "s.price_num",
        SortColumn::UpdatedAt => "s.updated_at",
        SortColumn::Id => "s.id",
    }
}

/// `ORDER BY` terms reproducing [`spares_core::query::compare`]
/// ([`Sort::columns`]): absent values last in both directions, ties by id.
/// Text columns compare bytewise (BINARY), as Rust's `str` does;
/// `reference_key` is the Rust-lowercased reference. `reversed` gives the
/// exact reverse (for reading backwards from a row).
pub fn order_by_in(sort: Sort, reversed: bool) -> String {
    order_by_from(sort, reversed, 0)
}

/// `ORDER BY` terms of `sort` without its first `skip` columns: what is
/// left to order by in a [`SeekStep`] whose `equal` fixes those. (SQLite
/// does not see that an index's expression column fixed by `= ?` is
/// ordered, so naming it would sort every row of the step.)
pub fn order_by_from(sort: Sort, reversed: bool, skip: usize) -> String {
    sort.columns()
        .into_iter()
        .skip(skip)
        .map(|(column, descending)| {
            let dir = if descending != reversed {
                "DESC"
            } else {
                "ASC"
            };
            format!("{} {dir}", column_sql(column))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `ORDER BY` terms of `sort`, forwards.
pub fn order_by(sort: Sort) -> String {
    order_by_in(sort, false)
}

/// The condition (and its arguments) of one [`SeekStep`].
pub fn step_sql(step: &SeekStep<Option<Sql>>) -> (String, Vec<Sql>) {
    let mut parts = Vec::new();
    let mut args = Vec::new();
    for (column, value) in &step.equal {
        match value {
            Some(v) => {
                parts.push(format!("{} = ?", column_sql(*column)));
                args.push(v.clone());
            }
            None => parts.push(format!("{} IS NULL", column_sql(*column))),
        }
    }
    let (column, value, greater) = &step.beyond;
    if let Some(v) = value {
        let op = if *greater { ">" } else { "<" };
        parts.push(format!("{} {op} ?", column_sql(*column)));
        args.push(v.clone());
    }
    (parts.join(" AND "), args)
}

/// The `WHERE` clause of a query without conditions.
pub const EVERYTHING: &str = "1 = 1";

/// The `WHERE` clause (without the keyword) and its arguments, in order.
pub fn where_clause(query: &Query) -> (String, Vec<Sql>) {
    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<Sql> = Vec::new();

    if let Some(category) = &query.category {
        clauses.push("s.category = ?".into());
        args.push(Sql::Text(category.key().to_owned()));
    }
    if let Some(value) = &query.value {
        let (lo, hi) = value.match_range();
        clauses.push("s.value_unit = ? AND s.value_si >= ? AND s.value_si <= ?".into());
        args.extend([
            Sql::Text(value.unit().key().into()),
            Sql::Real(lo),
            Sql::Real(hi),
        ]);
    }
    for b in &query.value_bounds {
        let (lo, hi) = b.value.match_range();
        let (cond, bound) = bound_sql("s.value_si", b.cmp, lo, hi);
        clauses.push(format!("s.value_unit = ? AND {cond}"));
        args.push(Sql::Text(b.value.unit().key().into()));
        args.extend(bound.into_iter().map(Sql::Real));
    }
    for c in &query.params {
        let (lo, hi) = c.value.match_range();
        let (cond, bounds) = bound_sql("p.si", c.cmp, lo, hi);
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM spare_params p WHERE p.spare_id = s.id AND p.name = ? AND p.unit = ? AND {cond})"
        ));
        args.push(Sql::Text(c.name.as_str().to_owned()));
        args.push(Sql::Text(c.value.unit().key().into()));
        args.extend(bounds.into_iter().map(Sql::Real));
    }
    for c in &query.texts {
        clauses.push(
            "EXISTS (SELECT 1 FROM spare_params p WHERE p.spare_id = s.id AND p.name = ? AND p.unit IS NULL AND p.key = ?)"
                .into(),
        );
        args.push(Sql::Text(c.name.as_str().to_owned()));
        args.push(Sql::Text(c.text.clone()));
    }
    if let Some(key) = &query.package {
        clauses.push("s.package_key = ?".into());
        args.push(Sql::Text(key.clone()));
    }
    if let Some(code) = &query.location {
        clauses.push("s.location = ?".into());
        args.push(Sql::Text(code.as_str().to_owned()));
    }
    for term in &query.terms {
        if term.chars().count() >= 3 {
            // Trigram prefilter (a superset), then the exact test.
            clauses.push("s.id IN (SELECT rowid FROM spares_fts WHERE spares_fts MATCH ?)".into());
            args.push(Sql::Text(trigram_match(term)));
        }
        clauses.push("instr(s.search_text, ?) > 0".into());
        args.push(Sql::Text(term.clone()));
    }
    for term in &query.any_trigram_of {
        let grams = spares_core::query::trigrams(term);
        if grams.is_empty() {
            clauses.push("0 = 1".into());
            continue;
        }
        let fts = grams
            .iter()
            .map(|g| format!("\"{}\"", g.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" OR ");
        clauses.push(format!(
            "s.id IN (SELECT rowid FROM spares_fts WHERE spares_fts MATCH ?) AND ({})",
            vec!["instr(s.search_text, ?) > 0"; grams.len()].join(" OR ")
        ));
        args.push(Sql::Text(fts));
        args.extend(grams.into_iter().map(Sql::Text));
    }
    for tag in &query.tags {
        clauses.push("instr(s.tags, ?) > 0".into());
        args.push(Sql::Text(format!(" {} ", tag.as_str())));
    }
    if let Some(ids) = &query.ids {
        if ids.is_empty() {
            clauses.push("0 = 1".into());
        } else {
            clauses.push(format!("s.id IN ({})", vec!["?"; ids.len()].join(", ")));
            args.extend(ids.iter().map(|id| Sql::Integer(id.0)));
        }
    }
    if query.low_stock {
        clauses.push("s.low_stock IS NOT NULL AND s.quantity <= s.low_stock".into());
    }
    if clauses.is_empty() {
        (EVERYTHING.into(), args)
    } else {
        (clauses.join(" AND "), args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spares_core::location::LocationCode;
    use spares_core::spare::Tag;

    /// Every order the list offers, both directions, is walked in an index
    /// (SQLite's plan has no "USE TEMP B-TREE FOR ORDER BY": no sort of
    /// every row), and the page's ids come from that index alone.
    #[test]
    fn every_sort_walks_an_index() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("memory db");
        crate::schema::migrate(&mut conn).expect("schema");
        for key in SortKey::ALL {
            for descending in [false, true] {
                let order = order_by(Sort { key, descending });
                let sql = format!(
                    "EXPLAIN QUERY PLAN SELECT s.id FROM spares s WHERE {EVERYTHING} \
                     ORDER BY {order} LIMIT 50 OFFSET 25000"
                );
                let mut stmt = conn.prepare(&sql).expect("plan");
                let plan: Vec<String> = stmt
                    .query_map([], |r| r.get::<_, String>(3))
                    .expect("rows")
                    .map(|r| r.expect("row"))
                    .collect();
                let text = plan.join(" | ");
                assert!(
                    !text.contains("TEMP B-TREE"),
                    "{key:?} descending={descending}: {text}"
                );
                assert!(
                    text.contains("USING COVERING INDEX"),
                    "{key:?} descending={descending}: {text}"
                );
            }
        }
    }

    /// Every step of a keyset walk, forwards and backwards, is a range of
    /// an index read in order: no step sorts.
    #[test]
    fn every_seek_step_walks_an_index_in_order() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("memory db");
        crate::schema::migrate(&mut conn).expect("schema");
        let sample = |c: SortColumn| -> Option<Sql> {
            Some(match c {
                SortColumn::ValueMissing
                | SortColumn::PackageMissing
                | SortColumn::LocationMissing
                | SortColumn::PriceMissing => Sql::Integer(0),
                SortColumn::ValueSi | SortColumn::PriceNum => Sql::Real(1.5),
                SortColumn::Quantity | SortColumn::UpdatedAt | SortColumn::Id => Sql::Integer(7),
                _ => Sql::Text("x".into()),
            })
        };
        let mut failures = Vec::new();
        for key in SortKey::ALL {
            for descending in [false, true] {
                let sort = Sort { key, descending };
                let columns = sort.columns();
                let at: Vec<Option<Sql>> = columns.iter().map(|(c, _)| sample(*c)).collect();
                for forward in [true, false] {
                    for step in spares_core::query::seek_steps(&columns, &at, forward) {
                        let order = order_by_from(sort, !forward, step.equal.len());
                        let (cond, _) = step_sql(&step);
                        let n = cond.matches('?').count();
                        let sql = format!(
                            "EXPLAIN QUERY PLAN SELECT s.id FROM spares s WHERE {EVERYTHING} AND {cond} \
                             ORDER BY {order} LIMIT 50"
                        );
                        let mut stmt = conn.prepare(&sql).expect("plan");
                        let plan: Vec<String> = stmt
                            .query_map(rusqlite::params_from_iter(vec![Sql::Null; n]), |r| {
                                r.get::<_, String>(3)
                            })
                            .expect("rows")
                            .map(|r| r.expect("row"))
                            .collect();
                        let text = plan.join(" | ");
                        if text.contains("TEMP B-TREE") || !text.contains("INDEX") {
                            failures.push(format!("{sort:?} forward={forward} {cond}: {text}"));
                        }
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn user_text_is_always_an_argument_never_sql() {
        let hostile = "'; DROP TABLE spares; --";
        let q = Query {
            location: LocationCode::parse("A1").ok(),
            tags: vec![Tag::parse("x-y").expect("valid tag")],
            ..Query::default()
        }
        .with_term(hostile)
        .with_package(hostile);
        let (sql, args) = where_clause(&q);
        assert!(!sql.contains("DROP"), "{sql}");
        assert!(!sql.contains('\''), "{sql}");
        assert_eq!(args.len(), 5);
    }

    #[test]
    fn terms_become_quoted_trigrams() {
        assert_eq!(trigram_match("lm78"), "\"lm7\" AND \"m78\"");
        assert_eq!(trigram_match("a\"bc"), "\"\"\"bc\" AND \"a\"\"b\"");
    }

    #[test]
    fn an_empty_query_selects_everything() {
        assert_eq!(
            where_clause(&Query::default()),
            ("1 = 1".to_owned(), vec![])
        );
    }
}
