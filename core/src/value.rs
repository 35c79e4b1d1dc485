//! Physical values as people write them: `10k`, `4k7`, `0.1uF`, `1/4W`, `3V3`, `±5%`.
//!
//! A [`Value`] always holds a finite number in SI base units, its [`Unit`],
//! and the text the person typed. It can only be built by [`Value::parse`] or
//! [`Value::from_si`], so an invalid value cannot exist.

use std::fmt;

use crate::unit::Unit;

/// Two values are the same when they differ by less than this fraction
/// (absorbs rounding: 0.1 µF vs 100 nF), and never otherwise.
pub const RELATIVE_TOLERANCE: f64 = 1e-6;

/// Smallest and largest magnitudes accepted (besides zero): far beyond any
/// part, and within what the engineering format writes back exactly.
pub const MIN_MAGNITUDE: f64 = 1e-15;
pub const MAX_MAGNITUDE: f64 = 1e18;

fn in_range(si: f64) -> bool {
    si.is_finite() && (si == 0.0 || (si.abs() >= MIN_MAGNITUDE && si.abs() <= MAX_MAGNITUDE))
}

/// Longest text accepted as a value.
pub const MAX_VALUE_LEN: usize = 40;

/// A physical quantity with its unit and the text it was written as.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    si: f64,
    unit: Unit,
    text: String,
}

/// Why a text is not a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("the value is empty")]
    Empty,
    #[error("the value is longer than {MAX_VALUE_LEN} characters")]
    TooLong,
    #[error("{0:?} is not a value: expected a number such as 10k, 4k7, 100nF or 1/4W")]
    NotANumber(String),
    #[error("{text:?}: unknown unit or prefix {suffix:?}")]
    UnknownSuffix { text: String, suffix: String },
    #[error("{0:?} has no unit: write it with one, such as 10k, 100nF or 50V")]
    MissingUnit(String),
    #[error("{text:?}: {unit} takes no prefix such as k or m")]
    PrefixNotAllowed { text: String, unit: Unit },
    #[error("{text:?}: a {} cannot be negative", unit.quantity_name())]
    Negative { text: String, unit: Unit },
    #[error("{0:?} is out of range")]
    OutOfRange(String),
    #[error("{0:?} names two different units")]
    ConflictingUnits(String),
    #[error("{text:?} is a {found_name}, expected a {expected_name}", found_name = found.quantity_name(), expected_name = expected.quantity_name())]
    WrongUnit {
        text: String,
        expected: Unit,
        found: Unit,
    },
}

impl Value {
    /// Parses a value as people write it. `hint` is the unit assumed when the
    /// text has none ("10k" for a resistor is 10 kΩ).
    pub fn parse(text: &str, hint: Option<Unit>) -> Result<Value, ValueError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(ValueError::Empty);
        }
        if trimmed.chars().count() > MAX_VALUE_LEN {
            return Err(ValueError::TooLong);
        }
        let (si, unit) = parse_number_and_unit(trimmed, hint)?;
        Ok(Value {
            si: if si == 0.0 { 0.0 } else { si },
            unit,
            text: trimmed.to_owned(),
        })
    }

    /// Parses and insists on one unit ("a resistor's value must be in Ω").
    pub fn parse_as(text: &str, unit: Unit) -> Result<Value, ValueError> {
        let value = Value::parse(text, Some(unit))?;
        if value.unit != unit {
            return Err(ValueError::WrongUnit {
                text: value.text,
                expected: unit,
                found: value.unit,
            });
        }
        Ok(value)
    }

    /// Builds a value from an SI number; its text is the engineering format.
    pub fn from_si(si: f64, unit: Unit) -> Result<Value, ValueError> {
        if !in_range(si) {
            return Err(ValueError::OutOfRange(si.to_string()));
        }
        if si < 0.0 && !unit.allows_negative() {
            return Err(ValueError::Negative {
                text: si.to_string(),
                unit,
            });
        }
        let si = if si == 0.0 { 0.0 } else { si };
        Ok(Value {
            si,
            unit,
            text: format_si(si, unit),
        })
    }

    /// Rebuilds a value a store wrote (its SI number, unit and text); refuses
    /// what no parse could have made (not finite, negative where the unit
    /// forbids it), so stored data cannot smuggle in an invalid value.
    pub fn from_stored(si: f64, unit: Unit, text: &str) -> Result<Value, ValueError> {
        if !si.is_finite() || (si < 0.0 && !unit.allows_negative()) {
            return Err(ValueError::OutOfRange(text.to_owned()));
        }
        Ok(Value {
            si,
            unit,
            text: text.to_owned(),
        })
    }

    /// The same value, recorded as written differently ("103" for 10 kΩ).
    pub(crate) fn with_text(mut self, text: &str) -> Value {
        self.text = text.to_owned();
        self
    }

    /// The number in SI base units (ohms, farads...).
    pub fn si(&self) -> f64 {
        self.si
    }

    pub fn unit(&self) -> Unit {
        self.unit
    }

    /// The text as the person typed it (trimmed).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Engineering notation: "4.7 kΩ", "100 nF", "¼ W".
    pub fn formatted(&self) -> String {
        format_si(self.si, self.unit)
    }

    /// For reading an approximation: "= 33 kΩ" when 4 significant digits
    /// show it exactly, else "≈ 33.13 kΩ".
    pub fn approximately(&self) -> String {
        let short = format_si_digits(self.si, self.unit, 4);
        if short == self.formatted() {
            format!("= {short}")
        } else {
            format!("≈ {short}")
        }
    }

    /// The closed SI interval of numbers that count as this value.
    /// Every backend compares with exactly these bounds.
    pub fn match_range(&self) -> (f64, f64) {
        let a = self.si * (1.0 - RELATIVE_TOLERANCE);
        let b = self.si * (1.0 + RELATIVE_TOLERANCE);
        if a <= b { (a, b) } else { (b, a) }
    }

    /// Same unit and the same number after normalization.
    pub fn same_as(&self, other: &Value) -> bool {
        let (lo, hi) = self.match_range();
        self.unit == other.unit && other.si >= lo && other.si <= hi
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

/// SI prefixes with their power of ten. Case matters: `m` is milli, `M` mega.
fn prefix_exponent(prefix: &str) -> Option<i32> {
    Some(match prefix {
        "" => 0,
        "p" => -12,
        "n" => -9,
        "u" => -6,
        "m" => -3,
        "k" | "K" => 3,
        "M" => 6,
        "G" => 9,
        _ if prefix.eq_ignore_ascii_case("meg") => 6,
        _ => return None,
    })
}

/// Unit spellings (lower case), matched case-insensitively at the end of the
/// suffix, longest first so that "Hz" wins over "H".
const UNIT_ALIASES: &[(&str, Unit)] = &[
    ("amperes", Unit::Ampere),
    ("ampere", Unit::Ampere),
    ("farads", Unit::Farad),
    ("henrys", Unit::Henry),
    ("henries", Unit::Henry),
    ("farad", Unit::Farad),
    ("henry", Unit::Henry),
    ("hertz", Unit::Hertz),
    ("volts", Unit::Volt),
    ("watts", Unit::Watt),
    ("amps", Unit::Ampere),
    ("volt", Unit::Volt),
    ("watt", Unit::Watt),
    ("amp", Unit::Ampere),
    ("ohms", Unit::Ohm),
    ("degc", Unit::Celsius),
    ("ohm", Unit::Ohm),
    ("°c", Unit::Celsius),
    ("ºc", Unit::Celsius),
    ("hz", Unit::Hertz),
    ("ω", Unit::Ohm),
    ("r", Unit::Ohm),
    ("f", Unit::Farad),
    ("h", Unit::Henry),
    ("v", Unit::Volt),
    ("a", Unit::Ampere),
    ("w", Unit::Watt),
    ("%", Unit::Percent),
    ("c", Unit::Celsius),
];

/// Replaces look-alike characters so the grammar below stays small.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if c.is_whitespace() => {}
            'µ' | 'μ' => out.push('u'),
            '\u{2126}' => out.push('\u{03A9}'),
            '¼' => out.push_str("1/4"),
            '½' => out.push_str("1/2"),
            '¾' => out.push_str("3/4"),
            '⅛' => out.push_str("1/8"),
            '⁄' => out.push('/'),
            c => out.push(c),
        }
    }
    out
}

/// The digits of a number, kept as text so the final conversion is exact.
struct Number {
    negative: bool,
    mantissa: String,
    exponent: i32,
    divisor: Option<u64>,
}

impl Number {
    fn to_f64(&self, extra_exponent: i32) -> Option<f64> {
        let exponent = self.exponent.checked_add(extra_exponent)?;
        let text = format!("{}e{}", self.mantissa, exponent);
        let mut value: f64 = text.parse().ok()?;
        if let Some(divisor) = self.divisor {
            value /= divisor as f64;
        }
        if self.negative {
            value = -value;
        }
        value.is_finite().then_some(value)
    }
}

fn take_digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(end)
}

/// Reads the leading number of `s`; returns it and the rest of the text.
fn parse_number(s: &str) -> Option<(Number, &str)> {
    let (negative, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (int_part, rest) = take_digits(s);
    // Fractions: 1/4W.
    if let Some(after_slash) = rest.strip_prefix('/') {
        let (den, rest) = take_digits(after_slash);
        if int_part.is_empty() || den.is_empty() || den.len() > 9 || int_part.len() > 9 {
            return None;
        }
        let den: u64 = den.parse().ok()?;
        if den == 0 {
            return None;
        }
        let number = Number {
            negative,
            mantissa: int_part.to_owned(),
            exponent: 0,
            divisor: Some(den),
        };
        return Some((number, rest));
    }
    let (frac_part, rest) = match rest.strip_prefix(['.', ',']) {
        Some(after) => {
            let (frac, rest) = take_digits(after);
            (Some(frac), rest)
        }
        None => (None, rest),
    };
    if int_part.is_empty() && frac_part.is_none_or(str::is_empty) {
        return None;
    }
    let mut mantissa = if int_part.is_empty() {
        "0".to_owned()
    } else {
        int_part.to_owned()
    };
    if let Some(frac) = frac_part.filter(|f| !f.is_empty()) {
        mantissa.push('.');
        mantissa.push_str(frac);
    }
    // Scientific notation: 1e-7F. Only when digits follow the `e`.
    let mut exponent = 0;
    let mut rest = rest;
    if let Some(after_e) = rest.strip_prefix(['e', 'E']) {
        let (sign, digits_start) = match after_e.as_bytes().first() {
            Some(b'-') => (-1, &after_e[1..]),
            Some(b'+') => (1, &after_e[1..]),
            _ => (1, after_e),
        };
        let (digits, after) = take_digits(digits_start);
        if !digits.is_empty() && digits.len() <= 3 {
            exponent = sign * digits.parse::<i32>().ok()?;
            rest = after;
        }
    }
    Some((
        Number {
            negative,
            mantissa,
            exponent,
            divisor: None,
        },
        rest,
    ))
}

/// RKM / "letter as decimal point" notation: 4k7, 4R7, 0R1, 1M5, 3V3, 4u7.
/// Returns (number, exponent, implied unit, rest).
fn parse_rkm(s: &str) -> Option<(Number, i32, Option<Unit>, &str)> {
    let (negative, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let (int_part, rest) = take_digits(body);
    if int_part.is_empty() {
        return None;
    }
    let marker = rest.chars().next()?;
    let after_marker = &rest[marker.len_utf8()..];
    let (frac, rest) = take_digits(after_marker);
    // 4k7, 4k75, 1M5 — but 1N4148 and 2N2222 are part numbers.
    if frac.is_empty() || frac.len() > 2 {
        return None;
    }
    let (exponent, unit) = match marker {
        'R' | 'r' => (0, Some(Unit::Ohm)),
        'V' | 'v' => (0, Some(Unit::Volt)),
        'p' => (-12, None),
        'n' => (-9, None),
        'u' => (-6, None),
        'm' => (-3, None),
        'k' | 'K' => (3, None),
        'M' => (6, None),
        'G' => (9, None),
        _ => return None,
    };
    let number = Number {
        negative,
        mantissa: format!("{int_part}.{frac}"),
        exponent: 0,
        divisor: None,
    };
    Some((number, exponent, unit, rest))
}

/// `s` without its last characters if they spell `alias` (lower case) in any case.
fn strip_suffix_ignore_case<'a>(s: &'a str, alias: &str) -> Option<&'a str> {
    let n = alias.chars().count();
    let start = s.char_indices().rev().nth(n.checked_sub(1)?)?.0;
    let tail = &s[start..];
    (tail.to_lowercase() == alias).then(|| &s[..start])
}

/// Splits a suffix such as "kΩ", "uF", "MHz", "meg" into (prefix exponent, unit).
fn parse_suffix(text: &str, suffix: &str) -> Result<(i32, Option<Unit>), ValueError> {
    let unknown = || ValueError::UnknownSuffix {
        text: text.to_owned(),
        suffix: suffix.to_owned(),
    };
    for (alias, unit) in UNIT_ALIASES {
        if let Some(prefix) = strip_suffix_ignore_case(suffix, alias) {
            let exponent = match (unit, prefix) {
                // Nobody means millihertz: "16mhz" is 16 MHz.
                (Unit::Hertz, "m") => 6,
                _ => prefix_exponent(prefix).ok_or_else(unknown)?,
            };
            if exponent != 0 && !unit.uses_prefixes() {
                return Err(ValueError::PrefixNotAllowed {
                    text: text.to_owned(),
                    unit: *unit,
                });
            }
            return Ok((exponent, Some(*unit)));
        }
    }
    prefix_exponent(suffix)
        .map(|e| (e, None))
        .ok_or_else(unknown)
}

fn parse_number_and_unit(text: &str, hint: Option<Unit>) -> Result<(f64, Unit), ValueError> {
    let normalized = normalize(text);
    let body = normalized
        .strip_prefix('±')
        .or_else(|| normalized.strip_prefix("+/-"))
        .or_else(|| normalized.strip_prefix("+-"))
        .unwrap_or(&normalized);
    let not_a_number = || ValueError::NotANumber(text.to_owned());

    let (number, exponent, implied, suffix) = match parse_rkm(body) {
        Some(found) => found,
        None => {
            let (number, rest) = parse_number(body).ok_or_else(not_a_number)?;
            (number, 0, None, rest)
        }
    };
    let (suffix_exponent, suffix_unit) = parse_suffix(text, suffix)?;
    if exponent != 0 && suffix_exponent != 0 {
        return Err(ValueError::UnknownSuffix {
            text: text.to_owned(),
            suffix: suffix.to_owned(),
        });
    }
    let unit = match (implied, suffix_unit) {
        (Some(a), Some(b)) if a != b => return Err(ValueError::ConflictingUnits(text.to_owned())),
        (Some(u), _) | (None, Some(u)) => u,
        (None, None) => hint.ok_or_else(|| ValueError::MissingUnit(text.to_owned()))?,
    };
    let total_exponent = exponent + suffix_exponent;
    if total_exponent != 0 && !unit.uses_prefixes() {
        return Err(ValueError::PrefixNotAllowed {
            text: text.to_owned(),
            unit,
        });
    }
    let si = number
        .to_f64(total_exponent)
        .filter(|v| in_range(*v))
        .ok_or_else(|| ValueError::OutOfRange(text.to_owned()))?;
    if si < 0.0 && !unit.allows_negative() {
        return Err(ValueError::Negative {
            text: text.to_owned(),
            unit,
        });
    }
    Ok((si, unit))
}

const PREFIXES: [(i32, &str); 8] = [
    (-12, "p"),
    (-9, "n"),
    (-6, "µ"),
    (-3, "m"),
    (0, ""),
    (3, "k"),
    (6, "M"),
    (9, "G"),
];

/// Formats a number with at most `digits` significant digits, trailing
/// zeros removed (7 digits parse back within [`RELATIVE_TOLERANCE`]).
fn format_mantissa_digits(m: f64, digits: i32) -> String {
    let magnitude = if m == 0.0 {
        0
    } else {
        m.abs().log10().floor() as i32
    };
    let decimals = (digits - 1 - magnitude).clamp(0, 24) as usize;
    let text = format!("{m:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// Engineering notation for an SI number: "4.7 kΩ", "100 nF", "¼ W", "±5%".
pub fn format_si(si: f64, unit: Unit) -> String {
    format_si_digits(si, unit, 7)
}

/// [`format_si`] with at most `digits` significant digits.
pub fn format_si_digits(si: f64, unit: Unit, digits: i32) -> String {
    if unit == Unit::Watt {
        let fractions = [(0.0625, "1/16"), (0.125, "⅛"), (0.25, "¼"), (0.5, "½")];
        if let Some((_, f)) = fractions.iter().find(|(v, _)| *v == si) {
            return format!("{f} W");
        }
    }
    if !unit.uses_prefixes() {
        return match unit {
            Unit::Percent => format!("{}%", format_mantissa_digits(si, digits)),
            _ => format!("{} {}", format_mantissa_digits(si, digits), unit.symbol()),
        };
    }
    let exponent = if si == 0.0 {
        0
    } else {
        // Below 1 Hz stays in Hz: "m" before Hz is read as mega (people type "16mhz").
        let lowest = if unit == Unit::Hertz { 0 } else { -12 };
        ((si.abs().log10() / 3.0).floor() as i32 * 3).clamp(lowest, 9)
    };
    let prefix = PREFIXES
        .iter()
        .find(|(e, _)| *e == exponent)
        .map_or("", |(_, p)| p);
    let mantissa = si / 10f64.powi(exponent);
    format!(
        "{} {}{}",
        format_mantissa_digits(mantissa, digits),
        prefix,
        unit.symbol()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn si(text: &str, hint: Option<Unit>) -> (f64, Unit) {
        let v = Value::parse(text, hint).unwrap_or_else(|e| panic!("{text}: {e}"));
        (v.si(), v.unit())
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= b.abs() * 1e-12
    }

    #[test]
    fn resistances_in_every_common_notation() {
        let ohm = Some(Unit::Ohm);
        for (text, expected) in [
            ("10k", 10e3),
            ("10K", 10e3),
            ("10kΩ", 10e3),
            ("10 kohm", 10e3),
            ("10000", 10e3),
            ("4k7", 4.7e3),
            ("4K7", 4.7e3),
            ("4R7", 4.7),
            ("0R1", 0.1),
            ("1M", 1e6),
            ("1M5", 1.5e6),
            ("2.2meg", 2.2e6),
            ("100R", 100.0),
            ("0", 0.0),
            ("10 kΩ", 10e3),
            ("4,7k", 4.7e3),
        ] {
            let (v, unit) = si(text, ohm);
            assert!(close(v, expected), "{text}: {v} != {expected}");
            assert_eq!(unit, Unit::Ohm, "{text}");
        }
    }

    #[test]
    fn capacitances_and_inductances() {
        let f = Some(Unit::Farad);
        for (text, expected) in [
            ("100nF", 100e-9),
            ("100n", 100e-9),
            ("0.1uF", 0.1e-6),
            ("0.1µF", 0.1e-6),
            ("100000pF", 100e-9),
            ("1u", 1e-6),
            ("4µ7", 4.7e-6),
            ("4u7F", 4.7e-6),
            ("1e-7F", 1e-7),
        ] {
            let (v, unit) = si(text, f);
            assert!(close(v, expected), "{text}: {v} != {expected}");
            assert_eq!(unit, Unit::Farad, "{text}");
        }
        assert_eq!(si("22uH", None), (22e-6, Unit::Henry));
        assert!(close(si("10mH", None).0, 10e-3));
    }

    #[test]
    fn ratings_voltage_current_power_frequency_percent_temperature() {
        assert_eq!(si("50V", None), (50.0, Unit::Volt));
        assert_eq!(si("50 volts", None), (50.0, Unit::Volt));
        assert_eq!(si("2 amps", None), (2.0, Unit::Ampere));
        assert_eq!(si("10 ohms", None), (10.0, Unit::Ohm));
        assert_eq!(si("3.3V", None), (3.3, Unit::Volt));
        assert_eq!(si("3V3", None), (3.3, Unit::Volt));
        assert_eq!(si("-5V", None), (-5.0, Unit::Volt));
        assert!(close(si("500mA", None).0, 0.5));
        assert_eq!(si("2A", None), (2.0, Unit::Ampere));
        assert_eq!(si("1/4W", None), (0.25, Unit::Watt));
        assert_eq!(si("¼ W", None), (0.25, Unit::Watt));
        assert_eq!(si("0.25W", None), (0.25, Unit::Watt));
        assert!(close(si("250mW", None).0, 0.25));
        assert_eq!(si("16MHz", None), (16e6, Unit::Hertz));
        assert_eq!(si("16mhz", None), (16e6, Unit::Hertz));
        assert!(close(si("32.768kHz", None).0, 32768.0));
        assert_eq!(si("1%", None), (1.0, Unit::Percent));
        assert_eq!(si("±5%", None), (5.0, Unit::Percent));
        assert_eq!(si("+/-10 %", None), (10.0, Unit::Percent));
        assert_eq!(si("85°C", None), (85.0, Unit::Celsius));
        assert_eq!(si("-40", Some(Unit::Celsius)), (-40.0, Unit::Celsius));
    }

    #[test]
    fn rejects_what_is_not_a_value_with_a_reason() {
        assert_eq!(Value::parse("", None), Err(ValueError::Empty));
        assert!(matches!(
            Value::parse("X7R", None),
            Err(ValueError::NotANumber(_))
        ));
        assert!(matches!(
            Value::parse("SOT-23", None),
            Err(ValueError::NotANumber(_))
        ));
        assert!(matches!(
            Value::parse("10q", None),
            Err(ValueError::UnknownSuffix { .. })
        ));
        assert!(matches!(
            Value::parse("5mm", None),
            Err(ValueError::UnknownSuffix { .. })
        ));
        assert!(matches!(
            Value::parse("1206", None),
            Err(ValueError::MissingUnit(_))
        ));
        assert!(matches!(
            Value::parse("-10k", Some(Unit::Ohm)),
            Err(ValueError::Negative { .. })
        ));
        assert!(matches!(
            Value::parse("5k%", None),
            Err(ValueError::PrefixNotAllowed { .. })
        ));
        assert!(matches!(
            Value::parse("1/0W", None),
            Err(ValueError::NotANumber(_))
        ));
        assert!(matches!(
            Value::parse("1e400V", None),
            Err(ValueError::OutOfRange(_))
        ));
        assert!(matches!(
            Value::parse("5e-30", Some(Unit::Celsius)),
            Err(ValueError::OutOfRange(_))
        ));
        assert!(matches!(
            Value::parse_as("10uF", Unit::Ohm),
            Err(ValueError::WrongUnit { .. })
        ));
        assert_eq!(
            Value::parse(&"1".repeat(41), None),
            Err(ValueError::TooLong)
        );
        for part_number in ["1n4148", "2n2222", "1n914", "2N7000"] {
            assert!(
                Value::parse(part_number, None).is_err(),
                "{part_number} is a part number"
            );
        }
    }

    #[test]
    fn equal_after_normalization_and_never_otherwise() {
        let v = |t: &str| Value::parse(t, Some(Unit::Ohm)).expect("valid");
        assert!(v("10k").same_as(&v("10000")));
        assert!(v("10k").same_as(&v("10 kΩ")));
        let c = |t: &str| Value::parse(t, Some(Unit::Farad)).expect("valid");
        assert!(c("0.1uF").same_as(&c("100n")));
        assert!(c("100000pF").same_as(&c("100nF")));
        assert!(!v("1k").same_as(&v("10k")));
        assert!(!v("33k").same_as(&v("3.3k")));
        assert!(!v("33k").same_as(&v("330k")));
        assert!(!c("22pF").same_as(&Value::parse("22uH", None).expect("valid")));
        assert!(!v("220").same_as(&c("22p")));
    }

    #[test]
    fn formats_in_engineering_notation() {
        let f = |t: &str, u| Value::parse(t, Some(u)).expect("valid").formatted();
        assert_eq!(f("4k7", Unit::Ohm), "4.7 kΩ");
        assert_eq!(f("100n", Unit::Farad), "100 nF");
        assert_eq!(f("0.1uF", Unit::Farad), "100 nF");
        assert_eq!(f("1/4W", Unit::Watt), "¼ W");
        assert_eq!(f("3V3", Unit::Volt), "3.3 V");
        assert_eq!(f("32.768kHz", Unit::Hertz), "32.768 kHz");
        assert_eq!(f("±5%", Unit::Percent), "5%");
        assert_eq!(f("0", Unit::Ohm), "0 Ω");
        assert_eq!(f("1M5", Unit::Ohm), "1.5 MΩ");
        assert_eq!(f("22uH", Unit::Henry), "22 µH");
        assert_eq!(f("85", Unit::Celsius), "85 °C");
    }

    #[test]
    fn approximations_read_short() {
        let v = Value::from_si(33_127.41, Unit::Ohm).expect("valid");
        assert_eq!(v.approximately(), "≈ 33.13 kΩ");
        let exact = Value::from_si(33_000.0, Unit::Ohm).expect("valid");
        assert_eq!(exact.approximately(), "= 33 kΩ");
    }

    #[test]
    fn from_si_formats_its_text_and_checks_range() {
        let v = Value::from_si(4700.0, Unit::Ohm).expect("valid");
        assert_eq!(v.text(), "4.7 kΩ");
        assert!(Value::from_si(f64::NAN, Unit::Ohm).is_err());
        assert!(Value::from_si(-1.0, Unit::Farad).is_err());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parsing_never_panics(text in "\\PC{0,50}", hint in proptest::option::of(0usize..9)) {
                let _ = Value::parse(&text, hint.map(|i| Unit::ALL[i]));
            }

            #[test]
            fn parsing_never_panics_on_value_like_text(text in "[-+±]?[0-9]{0,4}[.,/]?[0-9]{0,3}[pnuµmkKMGRV]?[0-9]{0,2} ?(Ω|ohm|F|H|V|A|W|Hz|%|°C|meg)?") {
                let _ = Value::parse(&text, Some(Unit::Ohm));
            }

            #[test]
            fn format_then_parse_round_trips(mantissa in 1u32..999_999_999, exp in -12i32..10, unit in 0usize..9) {
                let unit = Unit::ALL[unit];
                let exp = if unit.uses_prefixes() { exp } else { exp.clamp(0, 5) };
                let si = f64::from(mantissa) * 10f64.powi(exp - 5);
                let value = Value::from_si(si, unit).expect("in range");
                let back = Value::parse(&value.formatted(), None).expect("formatted text parses");
                prop_assert_eq!(back.unit(), unit);
                prop_assert!(value.same_as(&back), "{} -> {} -> {}", si, value.formatted(), back.si());
            }
        }
    }
}
