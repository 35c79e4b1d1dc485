//! The short reply both the bot and the web show for a question:
//! "Yes: 150 × 10 kΩ 0805 1% in A1; 40 × 10 kΩ ¼ W in B1." /
//! "No 33 kΩ resistor. Closest: 47 kΩ (12 in A3). Or: 2 × 20 kΩ in parallel = 10 kΩ."

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

fn suggestion_text(s: &Suggestion) -> String {
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
            format!("{parts} in {} = {}", wiring.name(), result.formatted())
        }
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
    let mut text = format!("No {interpretation}.");
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

fn only_location_asked(query: &crate::query::Query) -> bool {
    crate::query::Query {
        location: query.location.clone(),
        ..crate::query::Query::default()
    } == *query
}
