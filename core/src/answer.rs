//! The short reply both the bot and the web show for a question:
//! "Yes: 150 × 10 kΩ 0805 1% in A1; 40 × 10 kΩ ¼ W in B1." /
//! "No 33 kΩ resistor. Closest: 47 kΩ (12 in A3). Or: 2 × 20 kΩ in parallel = 10 kΩ."

use crate::query::Query;
use crate::search::{Outcome, Suggestion};
use crate::spare::{ParamName, Spare};

/// How many parts an answer lists before "and N more".
pub const LISTED: usize = 5;

/// "10 kΩ 0805 1%", or the reference when there is no value.
pub fn describe(spare: &Spare) -> String {
    let mut parts: Vec<String> = Vec::new();
    match &spare.value {
        Some(v) => {
            parts.push(v.formatted());
            if !spare.reference.is_empty() && spare.category.primary_unit().is_none() {
                parts.push(spare.reference.clone());
            }
        }
        None if !spare.reference.is_empty() => parts.push(spare.reference.clone()),
        None => parts.push(spare.description.chars().take(40).collect()),
    }
    if let Some(p) = &spare.package {
        parts.push(p.text().to_owned());
    }
    for name in ["tolerance", "power", "voltage", "color"] {
        if let Ok(n) = ParamName::parse(name)
            && let Some(v) = spare.parameters.get(&n)
        {
            parts.push(v.display());
        }
    }
    parts.join(" ")
}

fn where_is(spare: &Spare) -> String {
    spare
        .location
        .as_ref()
        .map(|l| format!(" in {l}"))
        .unwrap_or_default()
}

/// "150 × 10 kΩ 0805 in A1" or "none left of 10 kΩ 0805 (A1)".
pub fn line(spare: &Spare) -> String {
    if spare.quantity.get() == 0 {
        let place = spare
            .location
            .as_ref()
            .map(|l| format!(" ({l})"))
            .unwrap_or_default();
        format!("none left of {}{place}", describe(spare))
    } else {
        format!(
            "{} × {}{}",
            spare.quantity,
            describe(spare),
            where_is(spare)
        )
    }
}

fn list(spares: &[Spare], total: u64) -> String {
    let shown = spares.len().min(LISTED);
    let mut text = spares[..shown]
        .iter()
        .map(line)
        .collect::<Vec<_>>()
        .join("; ");
    if total > shown as u64 {
        text.push_str(&format!("; and {} more", total - shown as u64));
    }
    text
}

/// One substitute in words: "20 kΩ 0805 (4 in B2)" or "2 × 20 kΩ in B2 in
/// parallel = 10 kΩ" (the web list, the bot and the API say it alike).
pub fn suggestion_text(s: &Suggestion) -> String {
    match s {
        Suggestion::Nearest { spare } => format!(
            "{} ({}{})",
            describe(spare),
            spare.quantity,
            where_is(spare)
        ),
        Suggestion::Combination {
            first,
            second,
            wiring,
            result,
        } => {
            let a = first
                .value
                .as_ref()
                .map(|v| v.formatted())
                .unwrap_or_default();
            let b = second
                .value
                .as_ref()
                .map(|v| v.formatted())
                .unwrap_or_default();
            let parts = if first.id == second.id {
                format!("2 × {a}{}", where_is(first))
            } else {
                format!("{a}{} + {b}{}", where_is(first), where_is(second))
            };
            format!("{parts} in {} {}", wiring.name(), result.approximately())
        }
    }
}

/// "33 kΩ resistor", "100 nF capacitor · voltage ≥ 50 V": the value before
/// the category, as people say it; the rest as in the interpretation.
fn natural(query: &Query) -> String {
    let (Some(value), Some(category)) = (&query.value, &query.category) else {
        return query.to_string();
    };
    let rest = Query {
        value: None,
        category: None,
        ..query.clone()
    };
    if rest.is_empty() {
        format!("{} {category}", value.formatted())
    } else {
        format!("{} {category} · {rest}", value.formatted())
    }
}

/// The reply to a question.
pub fn answer(question: &str, outcome: &Outcome) -> String {
    let query = &outcome.understood.query;
    if query.is_empty() {
        return if question.trim().is_empty() {
            "Ask me about a part, e.g. “10k resistor”, “100nF 50V”, or “what's in A1”.".into()
        } else {
            format!(
                "I did not understand “{}”. Try “10k resistor”, “100nF 50V” or “what's in A1”.",
                question.trim()
            )
        };
    }
    if query.location.is_some() && only_location_asked(query) {
        let code = query
            .location
            .as_ref()
            .map(|l| l.to_string())
            .unwrap_or_default();
        return if outcome.matches.is_empty() {
            format!("Nothing in {code}.")
        } else {
            format!("In {code}: {}.", list(&outcome.matches, outcome.total))
        };
    }
    let interpretation = outcome.interpretation();
    if !outcome.matches.is_empty() {
        let any_left = outcome.matches.iter().any(|s| s.quantity.get() > 0);
        let prefix = match (any_left, outcome.approximate) {
            (true, false) => "Yes".to_owned(),
            (true, true) => format!("Not exactly “{}”, but", query.terms.join(" ")),
            (false, _) => format!("No {interpretation} left"),
        };
        return format!("{prefix}: {}.", list(&outcome.matches, outcome.total));
    }
    let mut text = format!("No {}.", natural(query));
    let nearest: Vec<String> = outcome
        .suggestions
        .iter()
        .filter(|s| matches!(s, Suggestion::Nearest { .. }))
        .map(suggestion_text)
        .collect();
    if !nearest.is_empty() {
        text.push_str(&format!(" Closest: {}.", nearest.join("; ")));
    }
    let combos: Vec<String> = outcome
        .suggestions
        .iter()
        .filter(|s| matches!(s, Suggestion::Combination { .. }))
        .map(suggestion_text)
        .collect();
    if !combos.is_empty() {
        text.push_str(&format!(" Or combine: {}.", combos.join("; ")));
    }
    text
}

fn only_location_asked(query: &Query) -> bool {
    Query {
        location: query.location.clone(),
        ..Query::default()
    } == *query
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::question::understand;
    use crate::search::Wiring;
    use crate::spare::{SpareId, SpareInput};
    use crate::unit::Unit;
    use crate::value::Value;

    fn spare(id: i64, value: &str, package: &str, quantity: &str, location: &str) -> Spare {
        let data = SpareInput {
            category: "resistor".into(),
            value: value.into(),
            package: package.into(),
            quantity: quantity.into(),
            location: location.into(),
            parameters: vec![("tolerance".into(), "1%".into())],
            ..SpareInput::default()
        }
        .parse(None)
        .expect("valid");
        Spare {
            id: SpareId(id),
            data,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    fn outcome(
        question: &str,
        matches: Vec<Spare>,
        total: u64,
        suggestions: Vec<Suggestion>,
    ) -> Outcome {
        Outcome {
            understood: understand(question),
            matches,
            total,
            approximate: false,
            suggestions,
        }
    }

    #[test]
    fn yes_lists_quantity_value_package_and_box() {
        let o = outcome(
            "10k resistor",
            vec![spare(1, "10k", "0805", "150", "A1")],
            1,
            vec![],
        );
        assert_eq!(
            answer("10k resistor", &o),
            "Yes: 150 × 10 kΩ 0805 1% in A1."
        );
    }

    #[test]
    fn parts_at_zero_are_reported_as_none_left() {
        let o = outcome(
            "10k resistor",
            vec![spare(1, "10k", "0805", "0", "A1")],
            1,
            vec![],
        );
        assert_eq!(
            answer("10k resistor", &o),
            "No resistor · 10 kΩ left: none left of 10 kΩ 0805 1% (A1)."
        );
    }

    #[test]
    fn more_matches_than_listed_are_counted() {
        let many: Vec<Spare> = (0..5).map(|i| spare(i, "10k", "0805", "1", "A1")).collect();
        let o = outcome("10k", many, 12, vec![]);
        assert!(
            answer("10k", &o).ends_with("; and 7 more."),
            "{}",
            answer("10k", &o)
        );
    }

    #[test]
    fn no_match_names_the_part_and_keeps_substitutes_apart() {
        let nearest = Suggestion::Nearest {
            spare: Box::new(spare(2, "47k", "0805", "12", "A3")),
        };
        let twenty = Box::new(spare(3, "20k", "0805", "4", "B2"));
        let combo = Suggestion::Combination {
            first: twenty.clone(),
            second: twenty,
            wiring: Wiring::Parallel,
            result: Value::from_si(10e3, Unit::Ohm).expect("valid"),
        };
        let o = outcome("33k resistor", vec![], 0, vec![nearest, combo]);
        assert_eq!(
            answer("33k resistor", &o),
            "No 33 kΩ resistor. Closest: 47 kΩ 0805 1% (12 in A3). Or combine: 2 × 20 kΩ in B2 in parallel = 10 kΩ."
        );
    }

    #[test]
    fn a_box_question_lists_the_box() {
        let o = outcome(
            "what's in A1",
            vec![spare(1, "10k", "0805", "3", "A1")],
            1,
            vec![],
        );
        assert_eq!(
            answer("what's in A1", &o),
            "In A1: 3 × 10 kΩ 0805 1% in A1."
        );
        let empty = outcome("what's in Z9", vec![], 0, vec![]);
        assert_eq!(answer("what's in Z9", &empty), "Nothing in Z9.");
    }

    #[test]
    fn nonsense_gets_help_not_everything() {
        let o = outcome("do I have any?", vec![], 0, vec![]);
        assert!(o.understood.query.is_empty());
        assert!(answer("do I have any?", &o).starts_with("I did not understand “do I have any?”"));
        let blank = outcome("  ", vec![], 0, vec![]);
        assert!(answer("  ", &blank).starts_with("Ask me about a part"));
    }
}
