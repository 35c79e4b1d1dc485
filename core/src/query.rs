//! Structured queries and their reference evaluation.
//!
//! [`Query::matches`] is the definition of what a query means. Every
//! [`crate::Store`] backend must return exactly the spares for which it is
//! true (the conformance suite checks this), and [`rank`] orders them.

use std::cmp::Ordering;
use std::fmt;

use crate::category::Category;
use crate::location::LocationCode;
use crate::spare::{Package, ParamName, ParamValue, Spare, SpareData, Tag};
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
    pub fn matches(&self, spare: &SpareData) -> bool {
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

/// The canonical order of results: by category, then value, then
/// reference (case-insensitive), then id. Backends return matches in any
/// order; callers sort them with this.
pub fn rank(spares: &mut [Spare]) {
    spares.sort_by(compare);
}

fn compare(a: &Spare, b: &Spare) -> Ordering {
    a.category
        .key()
        .cmp(b.category.key())
        .then_with(|| {
            let av = a.value.as_ref().map(Value::si);
            let bv = b.value.as_ref().map(Value::si);
            match (av, bv) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        })
        .then_with(|| a.reference.to_lowercase().cmp(&b.reference.to_lowercase()))
        .then_with(|| a.id.cmp(&b.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spare::SpareInput;
    use crate::unit::Unit;

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
        assert!(q.matches(&s));
        q.value = Some(v("10nF"));
        assert!(!q.matches(&s));
        q.value = Some(Value::parse("100n", Some(Unit::Henry)).expect("valid"));
        assert!(!q.matches(&s), "same number, other unit");
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
        assert!(q(Cmp::Ge, "16V").matches(&s));
        assert!(q(Cmp::Ge, "50V").matches(&s));
        assert!(!q(Cmp::Ge, "63V").matches(&s));
        assert!(q(Cmp::Le, "50V").matches(&s));
        assert!(!q(Cmp::Lt, "50V").matches(&s));
        assert!(!q(Cmp::Gt, "50V").matches(&s));
        assert!(q(Cmp::Eq, "50V").matches(&s));
        assert!(!q(Cmp::Ge, "1A").matches(&s), "other unit never matches");
        let no_rating = spare("100nF", "0805", &[]);
        assert!(!q(Cmp::Ge, "16V").matches(&no_rating));
    }

    #[test]
    fn package_location_terms_and_tags() {
        let s = spare("100nF", "SOT-23", &[]);
        assert!(Query::default().with_package("sot23").matches(&s));
        assert!(!Query::default().with_package("0805").matches(&s));
        let in_c2 = Query {
            location: LocationCode::parse("C2").ok(),
            ..Query::default()
        };
        assert!(in_c2.matches(&s));
        assert!(Query::default().with_term("cl21b").matches(&s));
        assert!(!Query::default().with_term("lm78").matches(&s));
        let tagged = Query {
            tags: vec![Tag::parse("smd").expect("valid")],
            ..Query::default()
        };
        assert!(!tagged.matches(&s));
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
