//! Translation of a [`Query`] into an SQL `WHERE` clause over `spares s`.
//! It must select exactly what [`Query::matches`] accepts: values compare
//! with [`crate::Value::match_range`] bounds, text with the precomputed
//! lower-case `search_text`, tags with the space-padded `tags` column.

use rusqlite::types::Value as Sql;

use crate::query::{Cmp, Query};

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
    for c in &query.params {
        let (lo, hi) = c.value.match_range();
        let (cond, bounds): (&str, Vec<f64>) = match c.cmp {
            Cmp::Eq => ("p.si >= ? AND p.si <= ?", vec![lo, hi]),
            Cmp::Ge => ("p.si >= ?", vec![lo]),
            Cmp::Le => ("p.si <= ?", vec![hi]),
            Cmp::Gt => ("p.si > ?", vec![hi]),
            Cmp::Lt => ("p.si < ?", vec![lo]),
        };
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
        clauses.push("instr(s.search_text, ?) > 0".into());
        args.push(Sql::Text(term.clone()));
    }
    for tag in &query.tags {
        clauses.push("instr(s.tags, ?) > 0".into());
        args.push(Sql::Text(format!(" {} ", tag.as_str())));
    }
    if query.low_stock {
        clauses.push("s.low_stock IS NOT NULL AND s.quantity <= s.low_stock".into());
    }
    if clauses.is_empty() {
        ("1 = 1".into(), args)
    } else {
        (clauses.join(" AND "), args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::LocationCode;
    use crate::spare::Tag;

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
        assert_eq!(args.len(), 4);
    }

    #[test]
    fn an_empty_query_selects_everything() {
        assert_eq!(
            where_clause(&Query::default()),
            ("1 = 1".to_owned(), vec![])
        );
    }
}
