//! A list typed or pasted by a person, one part per line: `4x 10k 0805`,
//! `100nF x6`, `NE555`, `2 × LED red 5mm`. The quantity is taken off; the
//! rest is understood like a search-box question.

use crate::error::BomError;
use crate::line::{BomLine, Origin};

/// Most characters of one line.
const MAX_LINE_CHARS: usize = 300;
/// A bare leading number ("2 LED red") is a quantity only up to this; a
/// larger one is a part number ("7805 regulator").
const MAX_BARE_QUANTITY: u32 = 100;

pub fn read(file: &str, text: &str, max_lines: usize) -> Result<Vec<BomLine>, BomError> {
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let row = raw.trim();
        if row.is_empty() || row.starts_with('#') || row.starts_with("//") {
            continue;
        }
        if row.chars().count() > MAX_LINE_CHARS {
            return Err(BomError::Row {
                file: file.to_owned(),
                line: line_no,
                message: format!("longer than {MAX_LINE_CHARS} characters"),
            });
        }
        let (quantity, rest) = split_quantity(row).map_err(|message| BomError::Row {
            file: file.to_owned(),
            line: line_no,
            message,
        })?;
        if rest.is_empty() {
            return Err(BomError::Row {
                file: file.to_owned(),
                line: line_no,
                message: format!("“{row}” gives a quantity but no part"),
            });
        }
        if lines.len() >= max_lines {
            return Err(BomError::TooManyLines {
                file: file.to_owned(),
                max: max_lines,
            });
        }
        let mut line = BomLine::new(Origin {
            file: file.to_owned(),
            line: line_no,
        });
        line.quantity = quantity;
        line.text = rest.to_owned();
        lines.push(line);
    }
    Ok(lines)
}

/// Whole-number quantity: `4`; anything else is an error.
fn count(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(0) => Err("a quantity of 0".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("“{text}” is not a whole number")),
    }
}

/// `4x 10k` / `4 x 10k` / `4 × 10k` / `4* 10k` / `4 pcs 10k` / `4: 10k` /
/// `10k x4` / `10k ×4` / `10k (4)` / `10k, 4` / `2 LED` → (quantity, rest).
fn split_quantity(row: &str) -> Result<(u32, &str), String> {
    let digits_end = row.find(|c: char| !c.is_ascii_digit()).unwrap_or(row.len());
    if digits_end > 0 {
        let number = &row[..digits_end];
        let after = &row[digits_end..];
        let trimmed = after.trim_start();
        for marker in ["pcs", "pc", "off", "x", "X", "×", "*", ":"] {
            let Some(rest) = trimmed.strip_prefix(marker) else {
                continue;
            };
            let wordlike = marker.chars().all(|c| c.is_ascii_alphabetic());
            // "4x10k" and "4 x 10k"; not "4xx…" or "10 offset…".
            let separated = rest.is_empty()
                || rest.starts_with(char::is_whitespace)
                || !wordlike
                || (marker.eq_ignore_ascii_case("x")
                    && rest.starts_with(|c: char| c.is_ascii_digit()));
            if separated {
                return Ok((count(number)?, rest.trim()));
            }
        }
        if after.starts_with(char::is_whitespace)
            && let Ok(n) = number.parse::<u32>()
            && (1..=MAX_BARE_QUANTITY).contains(&n)
        {
            return Ok((n, trimmed));
        }
    }
    // Trailing forms.
    if let Some(open) = row.rfind('(')
        && let Some(inner) = row[open + 1..].strip_suffix(')')
        && !inner.is_empty()
        && inner.chars().all(|c| c.is_ascii_digit())
    {
        return Ok((count(inner)?, row[..open].trim()));
    }
    if let Some((rest, n)) = row.rsplit_once(',')
        && !n.trim().is_empty()
        && n.trim().chars().all(|c| c.is_ascii_digit())
    {
        return Ok((count(n.trim())?, rest.trim()));
    }
    let words: Vec<&str> = row.split_whitespace().collect();
    if let Some(last) = words.last() {
        for marker in ["x", "X", "×", "*"] {
            if let Some(n) = last.strip_prefix(marker)
                && !n.is_empty()
                && n.chars().all(|c| c.is_ascii_digit())
            {
                let rest = row[..row.len() - last.len()].trim();
                return Ok((count(n)?, rest));
            }
        }
        if words.len() >= 3
            && matches!(words[words.len() - 2], "x" | "X" | "×" | "*")
            && last.chars().all(|c| c.is_ascii_digit())
        {
            let cut = row.rfind(words[words.len() - 2]).unwrap_or(row.len());
            return Ok((count(last)?, row[..cut].trim()));
        }
    }
    Ok((1, row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_read_the_ways_people_write_them() {
        for (row, want) in [
            ("4x 10k 0805", (4, "10k 0805")),
            ("4 x 10k 0805", (4, "10k 0805")),
            ("4x10k", (4, "10k")),
            ("2 × LED red 5mm", (2, "LED red 5mm")),
            ("3* BC547", (3, "BC547")),
            ("10 pcs 100nF", (10, "100nF")),
            ("100nF x6", (6, "100nF")),
            ("100nF ×6", (6, "100nF")),
            ("100nF x 6", (6, "100nF")),
            ("10k 0805 (4)", (4, "10k 0805")),
            ("10k 0805, 4", (4, "10k 0805")),
            ("2 LED red", (2, "LED red")),
            ("NE555", (1, "NE555")),
            ("7805 regulator", (1, "7805 regulator")),
            ("100nF", (1, "100nF")),
            ("555 timer", (1, "555 timer")),
        ] {
            assert_eq!(split_quantity(row), Ok(want), "{row}");
        }
    }

    #[test]
    fn a_bad_line_names_its_line() {
        let e = read("list", "4x 10k\n0x 100n\n", 100).expect_err("zero");
        assert_eq!(
            e,
            BomError::Row {
                file: "list".into(),
                line: 2,
                message: "a quantity of 0".into()
            }
        );
        let e = read("list", "\n\n5x\n", 100).expect_err("no part");
        assert!(e.to_string().contains("list line 3"), "{e}");
    }
}
