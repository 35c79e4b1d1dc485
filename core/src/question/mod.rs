//! Plain-language questions → [`Query`].
//!
//! "do I have a 10k resistor", "any 100nF caps rated 50V?", "what's in
//! drawer C2", "47uF at least 16V", "brown black orange", "résistance 4k7".
//! No I/O: [`understand`] returns the query and warnings about words it
//! could not use; the query's `Display` says how the question was read.

use crate::category::{Builtin, Category, singular};
use crate::codes;
use crate::fuzzy::within_distance;
use crate::location::LocationCode;
use crate::query::{Cmp, ParamConstraint, Query, TextConstraint, ValueBound};
use crate::spare::{Package, ParamName, Tag};
use crate::unit::Unit;
use crate::value::{Value, ValueError};

mod lexicon;

use lexicon::*;

/// Longest question read; the rest is ignored with a warning.
pub const MAX_QUESTION_CHARS: usize = 300;

/// A question as understood.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Understood {
    pub query: Query,
    /// Words that could not be used, and guesses made ("resitor" → resistor).
    pub warnings: Vec<String>,
}

/// "SOT-23", "sot23-5", "DIP8", "TO-220", "0805", "5mm" → the package text.
fn package_of(raw: &str) -> Option<String> {
    let lower = raw.to_lowercase();
    if CHIP_SIZES.contains(&lower.as_str()) {
        return Some(raw.to_owned());
    }
    if let Some(mm) = lower.strip_suffix("mm")
        && matches!(mm, "3" | "5" | "8" | "10")
    {
        return Some(lower);
    }
    let letters: String = lower
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let rest = &lower[letters.len()..];
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    if PACKAGE_FAMILIES.contains(&letters.as_str())
        && rest.chars().next().is_some_and(|c| c.is_ascii_digit())
        && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && rest.len() <= 6
    {
        return Some(raw.to_uppercase());
    }
    None
}

fn param_for(unit: Unit) -> &'static str {
    match unit {
        Unit::Ohm => "resistance",
        Unit::Farad => "capacitance",
        Unit::Henry => "inductance",
        Unit::Volt => "voltage",
        Unit::Ampere => "current",
        Unit::Watt => "power",
        Unit::Hertz => "frequency",
        Unit::Percent => "tolerance",
        Unit::Celsius => "temperature",
    }
}

/// How a builder reads a rating: a 50 V capacitor is fine for 16 V, a 1 %
/// resistor is fine when 5 % was asked.
fn default_cmp(unit: Unit, category: Option<&Category>) -> Cmp {
    let rated = matches!(
        category,
        None | Some(Category::Builtin(
            Builtin::Resistor
                | Builtin::Capacitor
                | Builtin::Inductor
                | Builtin::Potentiometer
                | Builtin::Thermistor
                | Builtin::Diode
                | Builtin::Switch
                | Builtin::Connector
                | Builtin::Transistor
        ))
    );
    match unit {
        Unit::Volt | Unit::Watt | Unit::Ampere if rated => Cmp::Ge,
        Unit::Percent => Cmp::Le,
        _ => Cmp::Eq,
    }
}

#[derive(Debug, Clone)]
struct Token {
    raw: String,
    lower: String,
}

/// Rewrites what people spell out into what the understanding reads:
/// units in words (`10 kilo ohm`, `2.2 micro farads`, `4.7 kiloohms`),
/// ratings in words (`half watt`), part numbers split from their letters
/// (`atmega 328p`, `lm 7805`, `NE-555`).
fn spelled_out(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    'words: while i < words.len() {
        for (spelled, unit) in SPELLED_UNITS {
            if i + spelled.len() <= words.len()
                && spelled.iter().zip(&lower[i..]).all(|(a, b)| a == b)
            {
                out.push((*unit).to_owned());
                i += spelled.len();
                continue 'words;
            }
        }
        if i + 1 < words.len()
            && matches!(lower[i + 1].as_str(), "watt" | "watts" | "w")
            && let Some((_, n)) = WORD_RATINGS.iter().find(|(w, _)| *w == lower[i])
        {
            out.push(format!("{n}W"));
            i += 2;
            continue;
        }
        let word = lower[i].as_str();
        // "NE-555" → "NE555"; "lm 7805" → "lm7805".
        // Three digits at least: "ESP-01" is a module's own name.
        if let Some((letters, digits)) = word.split_once('-')
            && PART_PREFIXES.contains(&letters)
            && digits.chars().take_while(char::is_ascii_digit).count() >= 3
        {
            out.push(format!("{letters}{digits}"));
            i += 1;
            continue;
        }
        // Not before a rating: "max 16V" is a limit, not a MAX16 chip.
        if PART_PREFIXES.contains(&word)
            && i + 1 < words.len()
            && lower[i + 1].starts_with(|c: char| c.is_ascii_digit())
            && lower[i + 1].chars().all(|c| c.is_ascii_alphanumeric())
            && !lower[i + 1].ends_with(['v', 'a', 'w', 'z', 'f', 'h', 'c'])
        {
            out.push(format!("{word}{}", lower[i + 1]));
            i += 2;
            continue;
        }
        out.push(words[i].to_owned());
        i += 1;
    }
    out.join(" ")
}

/// A value with its rating or package glued on, as BOMs write them:
/// `10k/1%`, `100n/50V`, `10uF_25V`, `4K7_0603` → the pieces. Only when
/// every piece is a value, a percentage or a package (so `1/8W`, `N/A` and
/// `Conn_01x04` stay whole).
fn glued_values(piece: &str) -> Option<Vec<&str>> {
    if !piece.contains(['/', '_']) {
        return None;
    }
    let parts: Vec<&str> = piece.split(['/', '_']).collect();
    let value_like = |p: &str| {
        package_of(p).is_some()
            || !p
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
                && p.starts_with(|c: char| c.is_ascii_digit())
                && (p
                    .strip_suffix('%')
                    .is_some_and(|n| n.parse::<f64>().is_ok())
                    || [None, Some(Unit::Ohm), Some(Unit::Farad), Some(Unit::Henry)]
                        .into_iter()
                        .any(|hint| Value::parse(p, hint).is_ok()))
    };
    (parts.len() >= 2 && parts.iter().all(|p| value_like(p))).then_some(parts)
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let cleaned = text.replace(['’', '`'], "'");
    let pieces: Vec<&str> = cleaned
        .split_whitespace()
        .flat_map(|p| glued_values(p).unwrap_or_else(|| vec![p]))
        .collect();
    for piece in pieces {
        let mut piece = piece
            .trim_start_matches(['"', '\'', '(', '[', '{', '¿', '¡', '«'])
            .trim_end_matches(['?', '!', ',', ';', ':', '"', '\'', ')', ']', '}', '…', '»']);
        if piece.ends_with('.') && !piece.ends_with("..") {
            piece = &piece[..piece.len() - 1];
        }
        // French elisions: j'ai, d'une, l'ATmega, qu'il.
        let lower = piece.to_lowercase();
        for elision in ["j'", "d'", "l'", "qu'", "n'", "s'", "c'"] {
            if lower.starts_with(elision) && lower.len() > elision.len() {
                piece = &piece[elision.len()..];
                break;
            }
        }
        // Operators glued to a value: ≥16V, >=16V, <50V, 16V+.
        for op in ["≥", "≤", ">=", "<=", ">", "<"] {
            if let Some(rest) = piece.strip_prefix(op)
                && !rest.is_empty()
            {
                tokens.push(Token {
                    raw: op.to_owned(),
                    lower: op.to_owned(),
                });
                piece = rest;
                break;
            }
        }
        let mut plus = false;
        if piece.len() > 1 && piece.ends_with('+') {
            piece = &piece[..piece.len() - 1];
            plus = true;
        }
        if !piece.is_empty() {
            tokens.push(Token {
                raw: piece.to_owned(),
                lower: piece.to_lowercase(),
            });
        }
        if plus {
            tokens.push(Token {
                raw: "+".into(),
                lower: "+".into(),
            });
        }
    }
    tokens
}

/// Reads a question. Never fails: what it cannot use is in `warnings`.
pub fn understand(text: &str) -> Understood {
    let mut warnings = Vec::new();
    let text: String = if text.chars().count() > MAX_QUESTION_CHARS {
        warnings.push(format!(
            "only the first {MAX_QUESTION_CHARS} characters were read"
        ));
        text.chars().take(MAX_QUESTION_CHARS).collect()
    } else {
        text.to_owned()
    };
    let text = spelled_out(&text);
    let tokens = tokenize(&text);
    let mut used = vec![false; tokens.len()];
    let mut query = Query::default();

    find_category(&tokens, &mut used, &mut query, &mut warnings);
    read_rest(&tokens, &mut used, &mut query, &mut warnings);

    Understood { query, warnings }
}

/// How many typos a category word may carry: one up to 8 letters, two
/// beyond ("register" must not become "resistor").
fn category_typos(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=8 => 1,
        _ => 2,
    }
}

/// Sets the category from token `i` (and `i + 1` for a phrase); keeps the
/// word as a search term when it names a kind within the category.
fn take_category(
    query: &mut Query,
    used: &mut [bool],
    tokens: &[Token],
    i: usize,
    width: usize,
    b: Builtin,
) {
    query.category = Some(Category::Builtin(b));
    let words: Vec<&str> = tokens[i..i + width]
        .iter()
        .map(|t| t.lower.as_str())
        .collect();
    if let Some(term) = Builtin::subtype_term(&words.join(" ")) {
        push_term(query, term);
    }
    for u in &mut used[i..i + width] {
        *u = true;
    }
}

/// Pass 1: the category (two-word phrases, then words, then typos). Other
/// words naming the same category are consumed ("electrolytic caps").
fn find_category(
    tokens: &[Token],
    used: &mut [bool],
    query: &mut Query,
    warnings: &mut Vec<String>,
) {
    let mut found = None;
    for i in 0..tokens.len().saturating_sub(1) {
        let phrase = format!("{} {}", tokens[i].lower, tokens[i + 1].lower);
        let b = match phrase.as_str() {
            "op amp" | "op amps" => Some(Builtin::Ic),
            "voltage regulator" | "voltage regulators" => Some(Builtin::Regulator),
            "push button" | "push buttons" | "tact switch" => Some(Builtin::Switch),
            "pin header" | "pin headers" => Some(Builtin::Connector),
            "crystal oscillator" => Some(Builtin::Crystal),
            _ => Category::builtin_from_word(&phrase),
        };
        if let Some(b) = b {
            take_category(query, used, tokens, i, 2, b);
            found = Some(b);
            break;
        }
    }
    if found.is_none() {
        for (i, t) in tokens.iter().enumerate() {
            if is_stop(&t.lower) || t.lower.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            if let Some(b) = Category::builtin_from_word(&t.lower) {
                take_category(query, used, tokens, i, 1, b);
                found = Some(b);
                break;
            }
        }
    }
    if found.is_none() {
        found = find_category_with_typos(tokens, used, query, warnings);
    }
    if let Some(b) = found {
        for (i, t) in tokens.iter().enumerate() {
            if !used[i]
                && !is_stop(&t.lower)
                && !t.lower.chars().any(|c| c.is_ascii_digit())
                && Category::builtin_from_word(&t.lower) == Some(b)
            {
                take_category(query, used, tokens, i, 1, b);
            }
        }
    }
}

/// Single-word synonyms of 4+ letters, as characters, computed once.
fn typo_candidates() -> &'static [(Builtin, &'static str, Vec<char>)] {
    static CANDIDATES: std::sync::OnceLock<Vec<(Builtin, &'static str, Vec<char>)>> =
        std::sync::OnceLock::new();
    CANDIDATES.get_or_init(|| {
        Builtin::ALL
            .into_iter()
            .flat_map(|b| b.synonyms().iter().map(move |s| (b, *s)))
            .filter(|(_, s)| s.chars().count() >= 4 && !s.contains(' '))
            .map(|(b, s)| (b, s, s.chars().collect()))
            .collect()
    })
}

fn find_category_with_typos(
    tokens: &[Token],
    used: &mut [bool],
    query: &mut Query,
    warnings: &mut Vec<String>,
) -> Option<Builtin> {
    // Only alphabetic words of 4+ letters that are nothing else.
    let mut best: Option<(usize, usize, Builtin, &str)> = None;
    for (i, t) in tokens.iter().enumerate() {
        let w = singular(&t.lower);
        let len = w.chars().count();
        if !t.lower.chars().all(char::is_alphabetic)
            || is_stop(&t.lower)
            || NOT_CATEGORIES.contains(&t.lower.as_str())
            || LOCATION_WORDS.contains(&t.lower.as_str())
            || codes::is_band_colour(&t.lower)
            || english_colour(&t.lower).is_some()
            || category_typos(len) == 0
        {
            continue;
        }
        let word: Vec<char> = w.chars().collect();
        for (b, syn, syn_chars) in typo_candidates() {
            let allowed = category_typos(len.min(syn_chars.len()));
            // Cheap bounded test first; the exact distance only for hits.
            if !within_distance(&word, syn_chars, allowed) {
                continue;
            }
            let d = (0..=allowed)
                .find(|k| within_distance(&word, syn_chars, *k))
                .unwrap_or(allowed);
            if best.is_none_or(|(_, bd, _, _)| d < bd) {
                best = Some((i, d, *b, syn));
            }
        }
    }
    let (i, _, b, syn) = best?;
    warnings.push(format!("read “{}” as {syn}", tokens[i].raw));
    take_category(query, used, tokens, i, 1, b);
    Some(b)
}

enum Op {
    Before(Cmp),
    After(Cmp),
}

/// Operator words at `i`: returns (the comparison, how many tokens).
fn operator_at(tokens: &[Token], i: usize) -> Option<(Op, usize)> {
    let w = |k: usize| tokens.get(i + k).map_or("", |t| t.lower.as_str());
    Some(match (w(0), w(1)) {
        ("at", "least")
        | ("au", "moins")
        | ("more", "than")
        | ("greater", "than")
        | ("plus", "de") => {
            let cmp = if w(0) == "more" || w(0) == "greater" || w(0) == "plus" {
                Cmp::Gt
            } else {
                Cmp::Ge
            };
            (Op::Before(cmp), 2)
        }
        ("at", "most") | ("au", "plus") | ("up", "to") => (Op::Before(Cmp::Le), 2),
        ("less", "than") | ("moins", "de") => (Op::Before(Cmp::Lt), 2),
        ("or", "more")
        | ("ou", "plus")
        | ("and", "up")
        | ("or", "higher")
        | ("or", "above")
        | ("and", "above") => (Op::After(Cmp::Ge), 2),
        ("or", "less") | ("ou", "moins") | ("or", "lower") | ("or", "below") | ("and", "below") => {
            (Op::After(Cmp::Le), 2)
        }
        ("≥" | ">=" | "min" | "minimum" | "mini", _) => (Op::Before(Cmp::Ge), 1),
        ("≤" | "<=" | "max" | "maximum" | "maxi", _) => (Op::Before(Cmp::Le), 1),
        (">" | "over" | "above", _) => (Op::Before(Cmp::Gt), 1),
        ("<" | "under" | "below", _) => (Op::Before(Cmp::Lt), 1),
        ("+", _) => (Op::After(Cmp::Ge), 1),
        _ => return None,
    })
}

fn looks_like_code(raw: &str, needs_digit: bool) -> Option<LocationCode> {
    if needs_digit && !raw.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    if package_of(raw).is_some() && needs_digit {
        return None;
    }
    LocationCode::parse(raw).ok()
}

/// What a value-like token means with the category known.
enum Reading {
    Value(Value),
    Term,
    /// Not used, with a warning ("22" for a capacitor: which unit?).
    Skip(String),
    /// Looks like a mistyped value: kept as a term so nothing else matches.
    Unreadable(String),
}

fn read_number(raw: &str, category: Option<&Category>, forced_code: bool) -> Reading {
    let is_digits = raw.chars().all(|c| c.is_ascii_digit());
    let cat = category.and_then(|c| match c {
        Category::Builtin(b) => Some(*b),
        Category::Custom(_) => None,
    });
    if is_digits {
        let n: Option<u64> = raw.parse().ok().filter(|_| raw.len() <= 9);
        return match (cat, forced_code) {
            (Some(Builtin::Capacitor), _) => match codes::capacitor_digit_code(raw) {
                Some(v) => Reading::Value(v),
                None => Reading::Skip(format!(
                    "“{raw}” has no unit: write it like {raw}pF, {raw}nF or {raw}uF"
                )),
            },
            (Some(Builtin::Resistor | Builtin::Potentiometer), true) | (None, true) => {
                codes::resistor_digit_code(raw).map_or_else(
                    || Reading::Skip(format!("“{raw}” is not a resistor code")),
                    Reading::Value,
                )
            }
            (Some(Builtin::Resistor | Builtin::Potentiometer | Builtin::Thermistor), false) => {
                match n {
                    Some(n) if (raw.len() == 3 || raw.len() == 4) && !codes::is_e24_integer(n) => {
                        codes::resistor_digit_code(raw).map_or(Reading::Term, Reading::Value)
                    }
                    Some(_) => {
                        Value::parse(raw, Some(Unit::Ohm)).map_or(Reading::Term, Reading::Value)
                    }
                    None => Reading::Term,
                }
            }
            _ => Reading::Term,
        };
    }
    if (forced_code || matches!(cat, Some(Builtin::Resistor)))
        && raw.len() == 3
        && let Some(v) = codes::eia96(raw)
    {
        return Reading::Value(v);
    }
    let hint = category.and_then(Category::primary_unit);
    match Value::parse(raw, hint) {
        Ok(v) => Reading::Value(v),
        Err(ValueError::MissingUnit(_)) => {
            // "10k" or "100n" asked with no category: guess by the prefix.
            let guess = if raw.contains(['k', 'K', 'M', 'R']) || raw.to_lowercase().contains("meg")
            {
                Some(Unit::Ohm)
            } else if raw.contains(['p', 'n', 'u', 'µ', 'μ']) {
                Some(Unit::Farad)
            } else {
                None
            };
            match guess.and_then(|u| Value::parse(raw, Some(u)).ok()) {
                Some(v) => Reading::Value(v),
                None => Reading::Term,
            }
        }
        Err(ValueError::UnknownSuffix { .. } | ValueError::PrefixNotAllowed { .. })
            if is_botched_value(raw) =>
        {
            Reading::Unreadable(format!("could not read “{raw}” as a value"))
        }
        Err(_) => Reading::Term,
    }
}

/// "10kk", "4.7uq": a number with a short suffix that is no unit — a typo,
/// not a part number such as 1N4148 or 74HC595.
fn is_botched_value(raw: &str) -> bool {
    let digits_end = raw
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(raw.len());
    let suffix = &raw[digits_end..];
    digits_end > 0
        && !suffix.is_empty()
        && suffix.chars().count() <= 3
        && suffix.chars().all(char::is_alphabetic)
}

/// Pass 2: values, ratings, package, location, colour, tags, terms.
fn read_rest(tokens: &[Token], used: &mut [bool], query: &mut Query, warnings: &mut Vec<String>) {
    let mut pending: Option<Cmp> = None;
    let mut forced_code = false;
    // Where the last value went, for "or more" after it.
    let mut last_param: Option<usize> = None;
    let mut i = 0;
    while i < tokens.len() {
        if used[i] {
            i += 1;
            continue;
        }
        let t = &tokens[i];
        let lower = t.lower.as_str();

        if let Some((op, n)) = operator_at(tokens, i) {
            match op {
                Op::Before(cmp) => pending = Some(cmp),
                Op::After(cmp) => match last_param {
                    Some(p) => query.params[p].cmp = cmp,
                    None => warnings.push(format!("“{}” follows no rating", t.raw)),
                },
            }
            i += n;
            continue;
        }

        if LOCATION_WORDS.contains(&lower) {
            if let Some(next) = tokens.get(i + 1)
                && let Some(code) = looks_like_code(&next.raw, false)
            {
                query.location = Some(code);
                i += 2;
                continue;
            }
            i += 1;
            continue;
        }
        if matches!(lower, "in" | "dans" | "en" | "inside")
            && let Some(next) = tokens.get(i + 1)
            && let Some(code) = looks_like_code(&next.raw, true)
        {
            query.location = Some(code);
            i += 2;
            continue;
        }
        if matches!(lower, "code" | "marked" | "marking" | "marquage" | "marqué") {
            forced_code = true;
            i += 1;
            continue;
        }
        if lower == "low" || (lower == "bas" && i > 0 && tokens[i - 1].lower == "stock") {
            query.low_stock = true;
            i += 1;
            continue;
        }
        if let Some(tag) = t.raw.strip_prefix('#') {
            match Tag::parse(tag) {
                Ok(tag) => query.tags.push(tag),
                Err(e) => warnings.push(e),
            }
            i += 1;
            continue;
        }
        if is_stop(lower) {
            i += 1;
            continue;
        }
        if let Some(p) = package_of(&t.raw) {
            if query.package.is_none() {
                query.package = Some(Package::key_of(&p));
            }
            i += 1;
            continue;
        }
        // Colour bands: three or more colour words in a row.
        let run = tokens[i..]
            .iter()
            .take_while(|t| codes::is_band_colour(&t.lower))
            .count();
        if run >= 3 {
            let words: Vec<&str> = tokens[i..i + run]
                .iter()
                .map(|t| t.lower.as_str())
                .collect();
            match codes::colour_bands(&words) {
                Some((v, _)) => {
                    if query.category.is_none() {
                        query.category = Some(Category::Builtin(Builtin::Resistor));
                    }
                    query.value = Some(v);
                }
                None => warnings.push(format!("“{}” are not resistor bands", words.join(" "))),
            }
            i += run;
            continue;
        }
        if let Some(colour) = english_colour(lower) {
            if let Ok(name) = ParamName::parse("color") {
                query.texts.push(TextConstraint::new(name, colour));
            }
            i += 1;
            continue;
        }
        if DIELECTRICS.contains(&lower) {
            if let Ok(name) = ParamName::parse("dielectric") {
                query.texts.push(TextConstraint::new(name, lower));
            }
            i += 1;
            continue;
        }

        if lower
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '.' | '±' | '¼' | '½'))
        {
            // A number and its unit may be apart: "100 nF", "16 V", "10 k".
            let (raw, width) = match tokens.get(i + 1) {
                Some(next)
                    if t.raw
                        .chars()
                        .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '/' | '-'))
                        && is_unit_word(&next.lower) =>
                {
                    (format!("{}{}", t.raw, next.raw), 2)
                }
                _ => (t.raw.clone(), 1),
            };
            match read_number(&raw, query.category.as_ref(), forced_code) {
                Reading::Value(v) => place_value(v, query, &mut pending, &mut last_param, warnings),
                Reading::Term => push_term(query, &t.raw),
                Reading::Skip(w) => warnings.push(w),
                Reading::Unreadable(w) => {
                    // Never broaden: an unreadable value still has to match.
                    warnings.push(w);
                    push_term(query, &raw);
                }
            }
            forced_code = false;
            i += width;
            continue;
        }
        if forced_code && let Reading::Value(v) = read_number(&t.raw, query.category.as_ref(), true)
        {
            place_value(v, query, &mut pending, &mut last_param, warnings);
            forced_code = false;
            i += 1;
            continue;
        }
        if lower.chars().all(|c| !c.is_alphanumeric()) {
            i += 1;
            continue;
        }
        push_term(query, &t.raw);
        i += 1;
    }
    if pending.is_some() {
        warnings.push("a comparison (“at least”, “max”…) is not followed by a value".into());
    }
}

fn push_term(query: &mut Query, raw: &str) {
    let term = raw
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    if term.chars().count() >= 2 && !query.terms.contains(&term) {
        query.terms.push(term);
    }
}

fn place_value(
    v: Value,
    query: &mut Query,
    pending: &mut Option<Cmp>,
    last_param: &mut Option<usize>,
    warnings: &mut Vec<String>,
) {
    let primary = query.category.as_ref().and_then(Category::primary_unit);
    let is_primary = match primary {
        Some(u) => v.unit() == u,
        None => {
            query.category.is_none()
                && matches!(
                    v.unit(),
                    Unit::Ohm | Unit::Farad | Unit::Henry | Unit::Hertz
                )
        }
    };
    if is_primary && let Some(cmp) = pending.take() {
        query.value_bounds.push(ValueBound { cmp, value: v });
        *last_param = None;
        return;
    }
    if is_primary {
        if query.value.is_some() {
            warnings.push(format!(
                "only one value per question: {} was left out",
                v.formatted()
            ));
        } else {
            query.value = Some(v);
        }
        return;
    }
    let cmp = pending
        .take()
        .unwrap_or_else(|| default_cmp(v.unit(), query.category.as_ref()));
    let Ok(name) = ParamName::parse(param_for(v.unit())) else {
        return;
    };
    query.params.push(ParamConstraint {
        name,
        cmp,
        value: v,
    });
    *last_param = Some(query.params.len() - 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(q: &str) -> String {
        understand(q).query.to_string()
    }

    #[test]
    fn only_the_first_characters_of_a_long_question_are_read() {
        let long = "10k resistor ".repeat(10_000);
        let understood = understand(&long);
        assert!(
            understood
                .warnings
                .iter()
                .any(|w| w.contains(&MAX_QUESTION_CHARS.to_string())),
            "{:?}",
            understood.warnings
        );
        let read: usize = understood
            .query
            .terms
            .iter()
            .map(|t| t.chars().count())
            .sum();
        assert!(read <= MAX_QUESTION_CHARS);
    }

    #[test]
    fn reads_common_questions() {
        assert_eq!(read("do I have a 10k resistor?"), "resistor · 10 kΩ");
        assert_eq!(
            read("any 100nF caps rated 50V?"),
            "capacitor · 100 nF · voltage ≥ 50 V"
        );
        assert_eq!(read("what's in drawer C2"), "in C2");
        assert_eq!(read("what's in c2?"), "in C2");
        assert_eq!(read("47uF at least 16V"), "47 µF · voltage ≥ 16 V");
        assert_eq!(read("1/2W resistors"), "resistor · power ≥ ½ W");
        assert_eq!(read("caps rated 35V or more"), "capacitor · voltage ≥ 35 V");
        assert_eq!(read("5V regulator"), "regulator · 5 V");
        assert_eq!(read("brown black orange"), "resistor · 10 kΩ");
        assert_eq!(read("103 resistor"), "resistor · 10 kΩ");
        assert_eq!(read("220 resistor"), "resistor · 220 Ω");
        assert_eq!(read("104 cap"), "capacitor · 100 nF");
        assert_eq!(read("atmega32u4"), "“atmega32u4”");
        assert_eq!(read("10k 0805"), "10 kΩ · 0805");
        assert_eq!(read("SOT-23 mosfets"), "transistor · SOT23 · “mosfet”");
        assert_eq!(read("100 nF"), "100 nF");
        assert_eq!(read("blue LEDs 5mm"), "LED · color blue · 5MM");
        assert_eq!(read("résistance 4k7"), "resistor · 4.7 kΩ");
        assert_eq!(
            read("condensateurs de 100n au moins 25V"),
            "capacitor · 100 nF · voltage ≥ 25 V"
        );
        assert_eq!(read("resitor 10k"), "resistor · 10 kΩ");
        assert_eq!(
            read("1% resistors 4k7"),
            "resistor · 4.7 kΩ · tolerance ≤ 1%"
        );
        assert_eq!(read("max 16V caps"), "capacitor · voltage ≤ 16 V");
        assert_eq!(read("caps at least 100uF"), "capacitor · ≥ 100 µF");
        assert_eq!(read("resistors under 1k"), "resistor · < 1 kΩ");
        assert_eq!(read("#smd low stock"), "#smd · low stock");
        assert_eq!(read("16MHz crystal"), "crystal · 16 MHz");
        assert_eq!(read("x7r 0805 caps"), "capacitor · dielectric x7r · 0805");
        assert_eq!(read("1N4148"), "“1n4148”");
        assert_eq!(read("lm7805 in box A1"), "in A1 · “lm7805”");
    }

    #[test]
    fn typos_never_turn_one_value_into_another() {
        assert_eq!(read("33k resistor"), "resistor · 33 kΩ");
        let u = understand("10kk resistor");
        assert_eq!(
            u.query.to_string(),
            "resistor · “10kk”",
            "kept, so nothing else matches"
        );
        assert!(
            u.warnings.iter().any(|w| w.contains("10kk")),
            "{:?}",
            u.warnings
        );
    }

    #[test]
    fn nonsense_is_read_without_panicking() {
        for q in [
            "", "???", "≥", "at least", "box", "in", "+", "-", "½", "#", "..", "1/0W", "code",
        ] {
            let _ = understand(q);
        }
        assert!(
            understand(&"x".repeat(1000))
                .warnings
                .iter()
                .any(|w| w.contains("first"))
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn understanding_never_panics(text in "\\PC{0,80}") {
                let _ = understand(&text);
            }

            #[test]
            fn understanding_word_salad_never_panics(words in proptest::collection::vec(
                "(at|least|or|more|box|in|C2|10k|4k7|100nF|50V|1/4W|±5%|resistor|caps|≥|<|\\+|#smd|brown|black|orange|code|103|0805|SOT-23|max|low|stock|atmega32u4)",
                0..10,
            )) {
                let _ = understand(&words.join(" "));
            }
        }
    }
}
