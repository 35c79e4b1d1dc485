//! The search use case: a question in, ranked matches and substitutes out.
//! Web and bot both call [`search`], then [`crate::answer::answer`] or
//! their own rendering.

use std::cmp::Ordering;

use crate::category::{Builtin, Category};
use crate::fuzzy::{allowed_typos, edit_distance};
use crate::query::{Query, rank};
use crate::question::{Understood, understand};
use crate::spare::Spare;
use crate::store::{Store, StoreError};
use crate::unit::Unit;
use crate::value::Value;

/// How many nearest values are suggested.
pub const NEAREST: usize = 3;
/// How many two-part combinations are suggested.
pub const COMBINATIONS: usize = 3;

/// How two parts are wired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wiring {
    Series,
    Parallel,
}

impl Wiring {
    pub fn name(self) -> &'static str {
        match self {
            Wiring::Series => "series",
            Wiring::Parallel => "parallel",
        }
    }
}

/// Something in stock that could stand in for what was asked.
#[derive(Debug, Clone, PartialEq)]
pub enum Suggestion {
    /// A part with a near value.
    Nearest { spare: Box<Spare> },
    /// Two parts in series or parallel that reach the value.
    Combination {
        first: Box<Spare>,
        second: Box<Spare>,
        wiring: Wiring,
        result: Value,
    },
}

/// The result of a question.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub understood: Understood,
    /// Ranked: exact matches, then (only when none) typo-tolerant ones.
    pub matches: Vec<Spare>,
    /// True when the matches were found by tolerating typos in words.
    pub approximate: bool,
    /// Substitutes, kept apart from matches (only when nothing matched).
    pub suggestions: Vec<Suggestion>,
}

impl Outcome {
    pub fn interpretation(&self) -> String {
        self.understood.query.to_string()
    }
}

/// Answers a question from the store.
pub async fn search(store: &dyn Store, question: &str) -> Result<Outcome, StoreError> {
    let understood = understand(question);
    run(store, understood).await
}

/// Answers an already structured query (filters of the list page).
pub async fn run(store: &dyn Store, understood: Understood) -> Result<Outcome, StoreError> {
    let query = &understood.query;
    let mut matches = store.search(query).await?;
    let mut approximate = false;
    if matches.is_empty() && !query.terms.is_empty() {
        let relaxed = Query {
            terms: Vec::new(),
            ..query.clone()
        };
        let candidates = store.search(&relaxed).await?;
        matches = candidates
            .into_iter()
            .filter(|s| {
                query
                    .terms
                    .iter()
                    .all(|t| fuzzy_contains(&s.search_text(), t))
            })
            .collect();
        approximate = !matches.is_empty();
    }
    rank_for(&mut matches, query);
    let suggestions = if matches.is_empty() {
        substitutes(store, query).await?
    } else {
        Vec::new()
    };
    Ok(Outcome {
        understood,
        matches,
        approximate,
        suggestions,
    })
}

/// Whether `term` occurs in `text` with at most the allowed typos. Digits
/// must match exactly (LM7805 is not LM7806): only letters may be mistyped.
pub fn fuzzy_contains(text: &str, term: &str) -> bool {
    if text.contains(term) {
        return true;
    }
    let term_len = term.chars().count();
    let allowed = allowed_typos(term_len);
    if allowed == 0 {
        return false;
    }
    let term_digits: String = term.chars().filter(char::is_ascii_digit).collect();
    text.split(|c: char| !c.is_alphanumeric()).any(|word| {
        let chars: Vec<char> = word.chars().collect();
        (term_len.saturating_sub(allowed)..=term_len + allowed).any(|len| {
            if len == 0 || len > chars.len() {
                return false;
            }
            // Compare with every piece of that length at a word start
            // (part numbers are typed from their beginning).
            let piece: String = chars[..len].iter().collect();
            let digits: String = piece.chars().filter(char::is_ascii_digit).collect();
            digits == term_digits && edit_distance(&piece, term) <= allowed
        })
    })
}

/// Canonical order, but spares whose reference starts with the searched
/// words first.
fn rank_for(spares: &mut [Spare], query: &Query) {
    rank(spares);
    if query.terms.is_empty() {
        return;
    }
    let score = |s: &Spare| {
        let reference = s.reference.to_lowercase();
        if query
            .terms
            .iter()
            .all(|t| reference.starts_with(t.as_str()))
        {
            0
        } else if query.terms.iter().all(|t| reference.contains(t.as_str())) {
            1
        } else {
            2
        }
    };
    spares.sort_by_key(score);
}

fn log_distance(a: f64, b: f64) -> f64 {
    if a <= 0.0 || b <= 0.0 {
        return f64::INFINITY;
    }
    (a / b).ln().abs()
}

/// How far a combination may be from the target: 1 % for resistors, 5 %
/// for capacitors and inductors (their own tolerance is wider).
fn combination_tolerance(unit: Unit) -> f64 {
    match unit {
        Unit::Ohm => 0.01,
        _ => 0.05,
    }
}

fn combine(a: f64, b: f64, unit: Unit, wiring: Wiring) -> f64 {
    let adds_in_series = unit != Unit::Farad;
    match (wiring, adds_in_series) {
        (Wiring::Series, true) | (Wiring::Parallel, false) => a + b,
        _ => a * b / (a + b),
    }
}

async fn substitutes(store: &dyn Store, query: &Query) -> Result<Vec<Suggestion>, StoreError> {
    let Some(target) = &query.value else {
        return Ok(Vec::new());
    };
    let unit = target.unit();
    if !matches!(unit, Unit::Ohm | Unit::Farad | Unit::Henry) {
        return Ok(Vec::new());
    }
    // Same question without the value; if that finds nothing, without the
    // package either.
    let mut relaxed = Query {
        value: None,
        terms: Vec::new(),
        ..query.clone()
    };
    if relaxed.category.is_none() {
        relaxed.category = Some(Category::Builtin(match unit {
            Unit::Ohm => Builtin::Resistor,
            Unit::Farad => Builtin::Capacitor,
            _ => Builtin::Inductor,
        }));
    }
    let mut candidates = in_stock(store.search(&relaxed).await?, unit);
    if candidates.is_empty() && relaxed.package.is_some() {
        relaxed.package = None;
        candidates = in_stock(store.search(&relaxed).await?, unit);
    }
    rank(&mut candidates);
    let t = target.si();

    let mut nearest = candidates.clone();
    nearest.sort_by(|a, b| {
        let da = a
            .value
            .as_ref()
            .map_or(f64::INFINITY, |v| log_distance(v.si(), t));
        let db = b
            .value
            .as_ref()
            .map_or(f64::INFINITY, |v| log_distance(v.si(), t));
        da.total_cmp(&db).then(b.quantity.cmp(&a.quantity))
    });
    let mut out: Vec<Suggestion> = Vec::new();
    let mut seen_values: Vec<f64> = Vec::new();
    for spare in nearest {
        let Some(v) = spare.value.as_ref().map(Value::si) else {
            continue;
        };
        if seen_values.iter().any(|s| (s - v).abs() <= v.abs() * 1e-9) {
            continue;
        }
        seen_values.push(v);
        out.push(Suggestion::Nearest {
            spare: Box::new(spare),
        });
        if out.len() == NEAREST {
            break;
        }
    }

    // Two-part combinations, one representative per distinct value.
    let mut reps: Vec<Spare> = Vec::new();
    for spare in &candidates {
        let v = spare.value.as_ref().map_or(0.0, Value::si);
        if !reps.iter().any(|r| {
            r.value
                .as_ref()
                .is_some_and(|rv| (rv.si() - v).abs() <= v * 1e-9)
        }) {
            reps.push(spare.clone());
        }
    }
    let tolerance = combination_tolerance(unit);
    let mut combos: Vec<(f64, Suggestion)> = Vec::new();
    for (i, a) in reps.iter().enumerate() {
        for b in &reps[i..] {
            let same = a.id == b.id;
            if same && a.quantity.get() < 2 {
                continue;
            }
            let (Some(va), Some(vb)) = (a.value.as_ref(), b.value.as_ref()) else {
                continue;
            };
            for wiring in [Wiring::Series, Wiring::Parallel] {
                let r = combine(va.si(), vb.si(), unit, wiring);
                let error = (r - t).abs() / t;
                if error <= tolerance
                    && let Ok(result) = Value::from_si(r, unit)
                {
                    combos.push((
                        error,
                        Suggestion::Combination {
                            first: Box::new(a.clone()),
                            second: Box::new(b.clone()),
                            wiring,
                            result,
                        },
                    ));
                }
            }
        }
    }
    combos.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(Ordering::Equal));
    out.extend(combos.into_iter().take(COMBINATIONS).map(|(_, s)| s));
    Ok(out)
}

fn in_stock(spares: Vec<Spare>, unit: Unit) -> Vec<Spare> {
    spares
        .into_iter()
        .filter(|s| {
            s.quantity.get() > 0
                && s.value
                    .as_ref()
                    .is_some_and(|v| v.unit() == unit && v.si() > 0.0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_in_letters_are_tolerated_but_never_in_digits() {
        assert!(fuzzy_contains("atmega32u4-au", "atmaga32u4"));
        assert!(fuzzy_contains("ne555p\ntimer", "ne555"));
        assert!(!fuzzy_contains("lm7805ct", "lm7806"));
        assert!(!fuzzy_contains("bc547b", "bc557"));
        assert!(fuzzy_contains("bc547b", "bc54"), "a prefix is a match");
        assert!(fuzzy_contains("irlz44n", "irlz44"));
        assert!(!fuzzy_contains("abc", "xyz"));
    }

    #[test]
    fn combinations_follow_the_physics() {
        let close = |a: f64, b: f64| (a - b).abs() <= b * 1e-12;
        assert!(close(
            combine(20e3, 20e3, Unit::Ohm, Wiring::Parallel),
            10e3
        ));
        assert!(close(
            combine(4.7e3, 5.3e3, Unit::Ohm, Wiring::Series),
            10e3
        ));
        assert!(close(
            combine(50e-9, 50e-9, Unit::Farad, Wiring::Parallel),
            100e-9
        ));
        assert!(close(
            combine(200e-9, 200e-9, Unit::Farad, Wiring::Series),
            100e-9
        ));
        assert!(close(
            combine(10e-6, 12e-6, Unit::Henry, Wiring::Series),
            22e-6
        ));
        assert!(close(combine(1e3, 1e3, Unit::Ohm, Wiring::Series), 2e3));
    }
}
