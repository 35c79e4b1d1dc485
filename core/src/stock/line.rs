//! The arguments of "add" and "use" (the bot's `/add`, `/use`; the CLI's
//! `spares add`, `spares use`), read from one line of text. Pure functions:
//! no I/O, never panic (fuzzed by `fuzz/fuzz_targets/bot_line.rs`).

use crate::category::Builtin;
use crate::location::LocationCode;
use crate::question::understand;
use crate::spare::{SpareId, SpareInput};

/// Longest line read.
pub const MAX_LINE: usize = 300;

/// "/add 10 x 10k 0805 in A1" → quantity 10 of "10k 0805" in box A1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddLine {
    pub quantity: i64,
    pub what: String,
    pub location: Option<LocationCode>,
}

/// What `/use N …` takes parts out of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Id(SpareId),
    Question(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseLine {
    pub count: i64,
    pub target: Target,
}

fn leading_count(text: &str) -> Option<(i64, &str)> {
    let text = text.trim_start();
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let n: i64 = text[..digits].parse().ok()?;
    let mut rest = text[digits..].trim_start();
    for sep in ["x ", "× ", "* ", "pcs ", "pc ", "pieces ", "of "] {
        if let Some(r) = rest.strip_prefix(sep) {
            rest = r.trim_start();
            break;
        }
    }
    // "10x 10k": the x glued to the number; "10 x" with nothing after.
    if let Some(r) = rest.strip_prefix("x ").or_else(|| rest.strip_prefix('×')) {
        rest = r.trim_start();
    }
    if matches!(
        rest.trim(),
        "x" | "×" | "*" | "pcs" | "pc" | "pieces" | "of"
    ) {
        rest = "";
    }
    Some((n, rest))
}

/// Reads "N [x] WHAT [in BOX]".
pub fn add_line(text: &str) -> Result<AddLine, String> {
    let text: String = text.chars().take(MAX_LINE).collect();
    let example = "e.g. /add 10 x 10k 0805 in A1";
    let (quantity, rest) = leading_count(&text.replace('\u{00d7}', "× "))
        .map(|(n, r)| (n, r.to_owned()))
        .ok_or_else(|| format!("Start with how many, {example}"))?;
    if quantity <= 0 {
        return Err(format!("The quantity must be at least 1, {example}"));
    }
    let (what, location) = match rest.rsplit_once(" in ") {
        Some((what, code)) => {
            let code = LocationCode::parse(code).map_err(|e| format!("Box: {e}"))?;
            (what.trim().to_owned(), Some(code))
        }
        None => (rest.trim().to_owned(), None),
    };
    if what.is_empty() {
        return Err(format!("Say what the part is, {example}"));
    }
    Ok(AddLine {
        quantity,
        what,
        location,
    })
}

/// Reads "N WHAT" or "N #ID". A bare number is a question, not an id:
/// "1206" is a package.
pub fn use_line(text: &str) -> Result<UseLine, String> {
    let text: String = text.chars().take(MAX_LINE).collect();
    let example = "e.g. /use 5 10k 0805, or /use 5 #12";
    let (count, rest) =
        leading_count(&text).ok_or_else(|| format!("Start with how many, {example}"))?;
    if count <= 0 {
        return Err(format!("Take at least 1, {example}"));
    }
    let rest = rest.trim();
    if rest.is_empty() {
        return Err(format!("Say which part, {example}"));
    }
    let target = match rest.strip_prefix('#').map(|id| id.trim().parse::<i64>()) {
        Some(Ok(n)) if n > 0 => Target::Id(SpareId(n)),
        Some(_) => return Err(format!("#… is a part number, {example}")),
        None => Target::Question(rest.to_owned()),
    };
    Ok(UseLine { count, target })
}

/// The form a described part fills: the category, value and package as
/// the question reader understood them; other words become the reference.
pub fn spare_input(what: &str, quantity: i64, location: Option<&LocationCode>) -> SpareInput {
    let query = understand(what).query;
    let mut input = SpareInput {
        quantity: quantity.to_string(),
        location: location.map(|l| l.to_string()).unwrap_or_default(),
        ..SpareInput::default()
    };
    if let Some(c) = &query.category {
        input.category = c.to_string();
    }
    if let Some(v) = &query.value {
        input.value = v.formatted();
        // "10k" alone is a resistor, "100nF" a capacitor.
        if input.category.is_empty()
            && let Some(b) = Builtin::for_unit(v.unit())
        {
            input.category = b.key().to_owned();
        }
    }
    if let Some(p) = &query.package {
        input.package = p.clone();
    }
    // "red", "16V", "1%": what the question reader would ask for is what
    // the part is, so asking for it later finds it.
    for t in &query.texts {
        input
            .parameters
            .push((t.name.as_str().to_owned(), t.text.clone()));
    }
    for p in &query.params {
        if !input.parameters.iter().any(|(n, _)| n == p.name.as_str()) {
            input
                .parameters
                .push((p.name.as_str().to_owned(), p.value.formatted()));
        }
    }
    let words: Vec<&str> = query.terms.iter().map(String::as_str).collect();
    if !words.is_empty() {
        // Keep the words as typed (case), not as the search lower-cased them.
        let typed: Vec<&str> = what
            .split_whitespace()
            .filter(|w| words.contains(&w.to_lowercase().as_str()))
            .collect();
        input.reference = if typed.is_empty() {
            words.join(" ")
        } else {
            typed.join(" ")
        };
    }
    if input.value.is_empty() && input.reference.is_empty() {
        input.description = what.trim().chars().take(200).collect();
    }
    input
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_question_asks_for_is_stored() {
        let input = spare_input("LED red 0805", 20, None);
        assert_eq!(input.category, "LED");
        assert_eq!(input.package, "0805");
        assert_eq!(input.parameters, [("color".to_owned(), "red".to_owned())]);
        let input = spare_input("100uF 16V electrolytic", 5, None);
        assert_eq!(input.value, "100 µF");
        assert!(
            input
                .parameters
                .contains(&("voltage".to_owned(), "16 V".to_owned())),
            "{:?}",
            input.parameters
        );
    }

    #[test]
    fn add_lines() {
        let a = add_line("10 x 10k 0805 in A1").expect("line");
        assert_eq!(a.quantity, 10);
        assert_eq!(a.what, "10k 0805");
        assert_eq!(a.location.map(|l| l.to_string()), Some("A1".into()));
        let b = add_line("25× 100nF 50V").expect("line");
        assert_eq!(
            (b.quantity, b.what.as_str(), b.location),
            (25, "100nF 50V", None)
        );
        let c = add_line("3 BC547 in drawer-2").expect("line");
        assert_eq!(c.location.map(|l| l.to_string()), Some("DRAWER-2".into()));
        for bad in [
            "",
            "x",
            "ten resistors",
            "0 x 10k",
            "10 x",
            "10 x 10k in no space!",
            "9999999999 x 1k",
        ] {
            assert!(add_line(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn use_lines() {
        assert_eq!(
            use_line("5 #12"),
            Ok(UseLine {
                count: 5,
                target: Target::Id(SpareId(12))
            })
        );
        assert_eq!(
            use_line("2 10k 0805"),
            Ok(UseLine {
                count: 2,
                target: Target::Question("10k 0805".into())
            })
        );
        assert_eq!(
            use_line("1 1206"),
            Ok(UseLine {
                count: 1,
                target: Target::Question("1206".into())
            })
        );
        for bad in ["", "5", "0 #1", "many 10k", "-3 10k", "2 #x", "2 #0"] {
            assert!(use_line(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn described_parts_fill_the_form() {
        let input = spare_input("10k 0805", 10, None);
        assert_eq!(input.category, "resistor");
        assert_eq!(input.value, "10 kΩ");
        assert_eq!(input.package, "0805");
        assert_eq!(input.quantity, "10");
        assert!(input.parse(None).is_ok(), "{input:?}");
        let ic = spare_input("NE555 DIP-8", 4, LocationCode::parse("B2").ok().as_ref());
        assert_eq!(ic.reference, "NE555");
        assert_eq!(ic.location, "B2");
        assert!(ic.parse(None).is_ok(), "{ic:?}");
    }
}
