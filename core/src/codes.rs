//! Component markings: 3- and 4-digit codes (`103` → 10 kΩ on a resistor,
//! `104` → 100 nF on a capacitor), EIA-96 resistor codes (`01C` → 10 kΩ) and
//! resistor colour bands (`brown black orange` → 10 kΩ).

use crate::unit::Unit;
use crate::value::Value;

/// E96 mantissas, indexed by EIA-96 code − 1.
const E96: [u16; 96] = [
    100, 102, 105, 107, 110, 113, 115, 118, 121, 124, 127, 130, 133, 137, 140, 143, 147, 150, 154,
    158, 162, 165, 169, 174, 178, 182, 187, 191, 196, 200, 205, 210, 215, 221, 226, 232, 237, 243,
    249, 255, 261, 267, 274, 280, 287, 294, 301, 309, 316, 324, 332, 340, 348, 357, 365, 374, 383,
    392, 402, 412, 422, 432, 442, 453, 464, 475, 487, 499, 511, 523, 536, 549, 562, 576, 590, 604,
    619, 634, 649, 665, 681, 698, 715, 732, 750, 768, 787, 806, 825, 845, 866, 887, 909, 931, 953,
    976,
];

/// E24 mantissas (two significant digits).
const E24: [u8; 24] = [
    10, 11, 12, 13, 15, 16, 18, 20, 22, 24, 27, 30, 33, 36, 39, 43, 47, 51, 56, 62, 68, 75, 82, 91,
];

fn digits(text: &str) -> Option<Vec<u32>> {
    let t = text.trim();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(t.chars().filter_map(|c| c.to_digit(10)).collect())
}

fn ohms(si: f64, text: &str) -> Option<Value> {
    Value::from_si(si, Unit::Ohm)
        .ok()
        .map(|v| v.with_text(text))
}

/// `103` → 10 kΩ, `4702` → 47 kΩ, `100` → 10 Ω (the SMD resistor marking).
pub fn resistor_digit_code(text: &str) -> Option<Value> {
    let d = digits(text)?;
    let (significant, exponent) = match d.len() {
        3 => (d[0] * 10 + d[1], d[2]),
        4 => (d[0] * 100 + d[1] * 10 + d[2], d[3]),
        _ => return None,
    };
    if exponent > 7 {
        return None;
    }
    ohms(
        f64::from(significant) * 10f64.powi(exponent as i32),
        text.trim(),
    )
}

/// `104` → 100 nF, `229` → 2.2 pF (9 means ×0.1, 8 means ×0.01).
pub fn capacitor_digit_code(text: &str) -> Option<Value> {
    let d = digits(text)?;
    if d.len() != 3 {
        return None;
    }
    let significant = f64::from(d[0] * 10 + d[1]);
    let picofarads = match d[2] {
        0..=6 => significant * 10f64.powi(d[2] as i32),
        8 => significant * 0.01,
        9 => significant * 0.1,
        _ => return None,
    };
    Value::from_si(picofarads * 1e-12, Unit::Farad)
        .ok()
        .map(|v| v.with_text(text.trim()))
}

/// EIA-96: two digits (01–96) and a multiplier letter: `01C` → 10 kΩ.
pub fn eia96(text: &str) -> Option<Value> {
    let t = text.trim();
    if t.len() != 3 || !t.is_ascii() {
        return None;
    }
    let index: usize = t[..2].parse().ok()?;
    let mantissa = f64::from(*E96.get(index.checked_sub(1)?)?);
    let multiplier = match t.as_bytes()[2].to_ascii_uppercase() {
        b'Z' => 0.001,
        b'Y' | b'R' => 0.01,
        b'X' | b'S' => 0.1,
        b'A' => 1.0,
        b'B' | b'H' => 10.0,
        b'C' => 100.0,
        b'D' => 1_000.0,
        b'E' => 10_000.0,
        b'F' => 100_000.0,
        _ => return None,
    };
    ohms(mantissa * multiplier, t)
}

/// Whether a whole number of ohms is a usual resistor value (E24 series),
/// so that "220" is read as 220 Ω while "103" reads as the code for 10 kΩ.
pub fn is_e24_integer(n: u64) -> bool {
    if n == 0 {
        return false;
    }
    let mut m = n;
    while m >= 100 {
        if !m.is_multiple_of(10) {
            return false;
        }
        m /= 10;
    }
    if m < 10 {
        m *= 10;
    }
    E24.contains(&(m as u8))
}

/// The digit of a colour band (English or French), if it is one.
fn band_digit(word: &str) -> Option<u32> {
    Some(match word {
        "black" | "noir" => 0,
        "brown" | "marron" | "brun" => 1,
        "red" | "rouge" => 2,
        "orange" => 3,
        "yellow" | "jaune" => 4,
        "green" | "vert" => 5,
        "blue" | "bleu" => 6,
        "violet" | "purple" => 7,
        "grey" | "gray" | "gris" => 8,
        "white" | "blanc" => 9,
        _ => return None,
    })
}

/// Whether a word names a colour used on resistor bands.
pub fn is_band_colour(word: &str) -> bool {
    band_digit(word).is_some() || matches!(word, "gold" | "or" | "silver" | "argent")
}

fn band_multiplier(word: &str) -> Option<f64> {
    match word {
        "gold" | "or" => Some(0.1),
        "silver" | "argent" => Some(0.01),
        w => band_digit(w).map(|d| 10f64.powi(d as i32)),
    }
}

fn band_tolerance(word: &str) -> Option<f64> {
    Some(match word {
        "brown" | "marron" | "brun" => 1.0,
        "red" | "rouge" => 2.0,
        "green" | "vert" => 0.5,
        "blue" | "bleu" => 0.25,
        "violet" | "purple" => 0.1,
        "grey" | "gray" | "gris" => 0.05,
        "gold" | "or" => 5.0,
        "silver" | "argent" => 10.0,
        _ => return None,
    })
}

/// Resistor colour bands (3 to 6 lower-case colour words) → (value,
/// tolerance in percent when a tolerance band is present).
pub fn colour_bands(words: &[&str]) -> Option<(Value, Option<f64>)> {
    let n_digits = match words.len() {
        3 | 4 => 2,
        5 | 6 => 3,
        _ => return None,
    };
    let mut significant = 0u32;
    for w in &words[..n_digits] {
        significant = significant * 10 + band_digit(w)?;
    }
    let multiplier = band_multiplier(words[n_digits])?;
    let tolerance = match words.get(n_digits + 1) {
        Some(w) => Some(band_tolerance(w)?),
        None => None,
    };
    let value = ohms(f64::from(significant) * multiplier, &words.join(" "))?;
    Some((value, tolerance))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn si(v: Option<Value>) -> Option<f64> {
        v.map(|v| v.si())
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() <= b.abs() * 1e-9)
    }

    #[test]
    fn three_and_four_digit_resistor_codes() {
        assert!(close(si(resistor_digit_code("103")), 10e3));
        assert!(close(si(resistor_digit_code("472")), 4.7e3));
        assert!(close(si(resistor_digit_code("100")), 10.0));
        assert!(close(si(resistor_digit_code("4702")), 47e3));
        assert!(close(si(resistor_digit_code("1001")), 1e3));
        assert_eq!(resistor_digit_code("10"), None);
        assert_eq!(resistor_digit_code("10k"), None);
        assert_eq!(resistor_digit_code("109"), None);
    }

    #[test]
    fn capacitor_codes() {
        assert!(close(si(capacitor_digit_code("104")), 100e-9));
        assert!(close(si(capacitor_digit_code("220")), 22e-12));
        assert!(close(si(capacitor_digit_code("229")), 2.2e-12));
        assert!(close(si(capacitor_digit_code("475")), 4.7e-6));
        assert_eq!(capacitor_digit_code("1044"), None);
        assert_eq!(capacitor_digit_code("107"), None);
    }

    #[test]
    fn eia96_codes() {
        assert!(close(si(eia96("01C")), 10e3));
        assert!(close(si(eia96("68X")), 49.9));
        assert!(close(si(eia96("01a")), 100.0));
        assert!(close(si(eia96("96F")), 97.6e6));
        assert_eq!(eia96("00C"), None);
        assert_eq!(eia96("97C"), None);
        assert_eq!(eia96("01Q"), None);
        assert_eq!(eia96("0ÉC"), None);
    }

    #[test]
    fn colour_bands_in_english_and_french() {
        let (v, tol) = colour_bands(&["brown", "black", "orange"]).expect("3 bands");
        assert!(close(Some(v.si()), 10e3));
        assert_eq!(tol, None);
        let (v, tol) = colour_bands(&["yellow", "violet", "red", "gold"]).expect("4 bands");
        assert!(close(Some(v.si()), 4.7e3));
        assert_eq!(tol, Some(5.0));
        let (v, tol) = colour_bands(&["brown", "black", "black", "red", "brown"]).expect("5 bands");
        assert!(close(Some(v.si()), 10e3));
        assert_eq!(tol, Some(1.0));
        let (v, _) = colour_bands(&["marron", "noir", "orange"]).expect("french");
        assert!(close(Some(v.si()), 10e3));
        let (v, _) = colour_bands(&["green", "blue", "gold"]).expect("gold multiplier");
        assert!(close(Some(v.si()), 5.6));
        assert!(colour_bands(&["brown", "black"]).is_none());
        assert!(colour_bands(&["brown", "pink", "orange"]).is_none());
        assert!(
            colour_bands(&["brown", "black", "orange", "orange"]).is_none(),
            "orange is no tolerance"
        );
    }

    #[test]
    fn e24_integers() {
        for n in [10, 22, 47, 100, 220, 470, 1000, 4700, 33, 91] {
            assert!(is_e24_integer(n), "{n}");
        }
        for n in [0, 103, 104, 472, 4702, 1001, 14, 105] {
            assert!(!is_e24_integer(n), "{n}");
        }
    }
}
