//! The search use case: a question in, ranked matches and substitutes out.
//! Web and bot both call [`search`], then [`crate::answer::answer`] or
//! their own rendering.

use std::collections::HashMap;

use crate::category::{Builtin, Category};
use crate::fuzzy::{allowed_typos, within_distance};
use crate::query::{Page, Query, ValueStock};
use crate::question::{Understood, understand};
use crate::spare::{Spare, SpareId};
use crate::store::{Store, StoreError};
use crate::unit::Unit;
use crate::value::Value;

/// How many nearest values are suggested.
pub const NEAREST: usize = 3;
/// How many two-part combinations are suggested.
pub const COMBINATIONS: usize = 3;
/// Typo-tolerant matching reads the text of every candidate part, so its
/// cost grows with the words asked: it runs only for questions with at most
/// this many free words…
pub const MAX_TYPO_TERMS: usize = 6;
/// …none of them longer than this (no part number is).
pub const MAX_TYPO_TERM_CHARS: usize = 40;

/// Whether typo-tolerant matching may run for these free words.
pub fn typo_matching_allowed(terms: &[String]) -> bool {
    !terms.is_empty()
        && terms.len() <= MAX_TYPO_TERMS
        && terms
            .iter()
            .all(|t| t.chars().count() <= MAX_TYPO_TERM_CHARS)
}

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
    /// One page of matches: exact ones, or (only when there are none)
    /// typo-tolerant ones.
    pub matches: Vec<Spare>,
    /// How many matched in all.
    pub total: u64,
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

/// Answers a question from the store: the first `limit` matches.
pub async fn search(
    store: &dyn Store,
    question: &str,
    limit: usize,
) -> Result<Outcome, StoreError> {
    run(store, understand(question), &Page::first(limit)).await
}

/// Answers an understood question, one page at a time (the list page
/// passes its sort and offset).
pub async fn run(
    store: &dyn Store,
    understood: Understood,
    page: &Page,
) -> Result<Outcome, StoreError> {
    let query = &understood.query;
    let mut found = store.search(query, page).await?;
    let mut approximate = false;
    if found.total == 0 && typo_matching_allowed(&query.terms) {
        // Typos in words: look at the texts of what matches everything else.
        let mut relaxed = Query {
            terms: Vec::new(),
            ..query.clone()
        };
        // A term of n characters with k typos keeps one of its trigrams
        // intact when n - 2 > 3k: then sharing a trigram is a lossless
        // prefilter that the index answers.
        relaxed.any_trigram_of = query
            .terms
            .iter()
            .filter(|t| {
                let n = t.chars().count();
                n >= 3 && n - 2 > 3 * allowed_typos(n)
            })
            .cloned()
            .collect();
        let ids: Vec<SpareId> = store
            .search_texts(&relaxed)
            .await?
            .into_iter()
            .filter(|(_, text)| query.terms.iter().all(|t| fuzzy_contains(text, t)))
            .map(|(id, _)| id)
            .collect();
        if !ids.is_empty() {
            let by_ids = Query {
                ids: Some(ids),
                any_trigram_of: Vec::new(),
                ..relaxed
            };
            found = store.search(&by_ids, page).await?;
            approximate = found.total > 0;
        }
    }
    let suggestions = if found.total == 0 {
        substitutes(store, query).await?
    } else {
        Vec::new()
    };
    Ok(Outcome {
        understood,
        matches: found.spares,
        total: found.total,
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
    let term_chars: Vec<char> = term.chars().collect();
    let allowed = allowed_typos(term_chars.len());
    if allowed == 0 {
        return false;
    }
    let term_digits: Vec<char> = term_chars
        .iter()
        .copied()
        .filter(char::is_ascii_digit)
        .collect();
    let mut word: Vec<char> = Vec::with_capacity(32);
    text.split(|c: char| !c.is_alphanumeric()).any(|w| {
        // Cheap test first: a prefix of this word must carry exactly the
        // term's digits, so the word's digits must start with them.
        let mut digits = w.chars().filter(char::is_ascii_digit);
        if !term_digits.iter().all(|d| digits.next() == Some(*d)) {
            return false;
        }
        word.clear();
        word.extend(w.chars());
        let lo = term_chars.len().saturating_sub(allowed).max(1);
        let hi = (term_chars.len() + allowed).min(word.len());
        (lo..=hi).any(|len| {
            let piece = &word[..len];
            piece.iter().filter(|c| c.is_ascii_digit()).count() == term_digits.len()
                && within_distance(piece, &term_chars, allowed)
        })
    })
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

/// Two spares that together make a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub first: SpareId,
    pub second: SpareId,
    pub wiring: Wiring,
    pub result: Value,
}

/// One spare per distinct value (and unit) among those in stock with a
/// value above zero: the most stocked, the lowest id on ties — what
/// [`suggest`] chooses from. Reduce a kind's stock with this once, then
/// suggest for many targets from the (few hundred) representatives:
/// [`suggest`] gives the same answer as from the whole stock.
pub fn representatives(mut stock: Vec<ValueStock>) -> Vec<ValueStock> {
    stock.retain(|s| s.quantity.get() > 0 && s.value.si() > 0.0);
    stock.sort_by(|a, b| {
        a.value
            .unit()
            .key()
            .cmp(b.value.unit().key())
            .then(a.value.si().total_cmp(&b.value.si()))
            .then(b.quantity.cmp(&a.quantity))
            .then(a.id.cmp(&b.id))
    });
    let mut reps: Vec<ValueStock> = Vec::new();
    for s in stock {
        if reps.last().is_none_or(|r| !r.value.same_as(&s.value)) {
            reps.push(s);
        }
    }
    reps
}

/// The nearest values and the series/parallel pairs for `target` among
/// `stock` (spares in stock, in `target`'s unit): pure, so a caller that
/// checks many values reads the stock once.
pub fn suggest(mut stock: Vec<ValueStock>, target: &Value) -> (Vec<SpareId>, Vec<Pair>) {
    let unit = target.unit();
    stock.retain(|s| s.value.unit() == unit);
    // One representative per distinct value, in order of value.
    let reps = representatives(stock);
    let t = target.si();

    let mut nearest: Vec<&ValueStock> = reps.iter().collect();
    nearest.sort_by(|a, b| {
        log_distance(a.value.si(), t)
            .total_cmp(&log_distance(b.value.si(), t))
            .then(a.id.cmp(&b.id))
    });
    nearest.truncate(NEAREST);

    let tolerance = combination_tolerance(unit);
    let mut combos: Vec<(f64, Pair)> = Vec::new();
    for (i, a) in reps.iter().enumerate() {
        for b in &reps[i..] {
            if a.id == b.id && a.quantity.get() < 2 {
                continue;
            }
            for wiring in [Wiring::Series, Wiring::Parallel] {
                let r = combine(a.value.si(), b.value.si(), unit, wiring);
                let error = (r - t).abs() / t;
                if error <= tolerance
                    && let Ok(result) = Value::from_si(r, unit)
                {
                    combos.push((
                        error,
                        Pair {
                            first: a.id,
                            second: b.id,
                            wiring,
                            result,
                        },
                    ));
                }
            }
        }
    }
    combos.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.1.first.cmp(&b.1.first))
            .then(a.1.second.cmp(&b.1.second))
    });
    combos.truncate(COMBINATIONS);
    (
        nearest.iter().map(|s| s.id).collect(),
        combos.into_iter().map(|(_, p)| p).collect(),
    )
}

async fn substitutes(store: &dyn Store, query: &Query) -> Result<Vec<Suggestion>, StoreError> {
    let Some(target) = &query.value else {
        return Ok(Vec::new());
    };
    let unit = target.unit();
    if !matches!(unit, Unit::Ohm | Unit::Farad | Unit::Henry) {
        return Ok(Vec::new());
    }
    // The same question without the value; if that finds nothing, without
    // the package either.
    let mut relaxed = Query {
        value: None,
        value_bounds: Vec::new(),
        terms: Vec::new(),
        ..query.clone()
    };
    if relaxed.category.is_none() {
        relaxed.category = Builtin::for_unit(unit).map(Category::Builtin);
    }
    let usable = |stock: Vec<ValueStock>| -> Vec<ValueStock> {
        stock
            .into_iter()
            .filter(|s| s.quantity.get() > 0 && s.value.unit() == unit && s.value.si() > 0.0)
            .collect()
    };
    let mut stock = usable(store.value_stock(&relaxed).await?);
    if stock.is_empty() && relaxed.package.is_some() {
        relaxed.package = None;
        stock = usable(store.value_stock(&relaxed).await?);
    }
    let (nearest, combos) = suggest(stock, target);
    // Fetch the few spares named above.
    let mut ids: Vec<SpareId> = nearest.clone();
    ids.extend(combos.iter().flat_map(|c| [c.first, c.second]));
    ids.sort();
    ids.dedup();
    let wanted = Query {
        ids: Some(ids.clone()),
        ..Query::default()
    };
    let spares: HashMap<SpareId, Spare> = store
        .search(&wanted, &Page::first(ids.len()))
        .await?
        .spares
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let get = |id: SpareId| spares.get(&id).cloned().map(Box::new);
    let mut out: Vec<Suggestion> = nearest
        .iter()
        .filter_map(|id| get(*id).map(|spare| Suggestion::Nearest { spare }))
        .collect();
    for Pair {
        first: a,
        second: b,
        wiring,
        result,
    } in combos
    {
        if let (Some(first), Some(second)) = (get(a), get(b)) {
            out.push(Suggestion::Combination {
                first,
                second,
                wiring,
                result,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Suggesting from a kind's representatives answers as from its
        /// whole stock (what a project check relies on).
        #[test]
        fn representatives_suggest_as_the_whole_stock(
            rows in proptest::collection::vec((0usize..12, 0i64..5, 0usize..3), 0..60),
            target in 0usize..12,
        ) {
            const VALUES: [&str; 12] = ["1k", "1000", "2k2", "4k7", "4.7k", "10k", "22k", "47k", "100k", "0", "330", "1M"];
            const UNITS: [&str; 3] = ["Ω", "F", "H"];
            let stock: Vec<ValueStock> = rows
                .iter()
                .enumerate()
                .filter_map(|(i, (v, q, u))| {
                    Some(ValueStock {
                        id: SpareId(i as i64 + 1),
                        value: Value::parse(&format!("{}{}", VALUES[*v], UNITS[*u]), None).ok()?,
                        quantity: crate::quantity::Quantity::new(*q).ok()?,
                    })
                })
                .collect();
            let target = Value::parse(&format!("{}Ω", VALUES[target]), None).expect("value");
            proptest::prop_assert_eq!(
                suggest(representatives(stock.clone()), &target),
                suggest(stock, &target)
            );
        }
    }

    #[test]
    fn typos_in_letters_are_tolerated_but_never_in_digits() {
        assert!(fuzzy_contains("atmega32u4-au", "atmaga32u4"));
    }

    #[test]
    fn typo_matching_is_bounded_by_the_words_asked() {
        let words = |n: usize, len: usize| -> Vec<String> {
            (0..n)
                .map(|i| format!("{i}{}", "x".repeat(len - 1)))
                .collect()
        };
        assert!(typo_matching_allowed(&words(1, 6)));
        assert!(typo_matching_allowed(&words(MAX_TYPO_TERMS, 8)));
        assert!(!typo_matching_allowed(&[]));
        assert!(!typo_matching_allowed(&words(MAX_TYPO_TERMS + 1, 8)));
        assert!(!typo_matching_allowed(&words(1, MAX_TYPO_TERM_CHARS + 1)));
        // The longest question read gives many words: no typo matching.
        let long: String = (0..200).map(|i| format!("w{i}ord ")).collect();
        let understood = crate::question::understand(&long);
        assert!(understood.query.terms.len() > MAX_TYPO_TERMS);
        assert!(!typo_matching_allowed(&understood.query.terms));
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
