//! Boxes, drawers and bins, identified by a short code such as `A3`.

use std::fmt;
use std::str::FromStr;

pub const MAX_CODE_LEN: usize = 16;
pub const MAX_NAME_LEN: usize = 100;

/// A location code: 1–16 characters of A–Z, 0–9, `-`, `_`, `.`, stored in
/// upper case so `a3`, ` A3 ` and `A3` are the same box.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocationCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocationError {
    #[error("a box code cannot be empty")]
    Empty,
    #[error("a box code has at most {MAX_CODE_LEN} characters (got {0:?})")]
    TooLong(String),
    #[error("{code:?}: a box code uses letters, digits, '-', '_' or '.', not {bad:?}")]
    BadCharacter { code: String, bad: char },
    #[error("{0:?}: a box code needs at least one letter or digit")]
    NoLetterOrDigit(String),
    #[error("a box name has at most {MAX_NAME_LEN} characters")]
    NameTooLong,
}

impl LocationCode {
    pub fn parse(text: &str) -> Result<LocationCode, LocationError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(LocationError::Empty);
        }
        if trimmed.chars().count() > MAX_CODE_LEN {
            return Err(LocationError::TooLong(trimmed.to_owned()));
        }
        if let Some(bad) = trimmed
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        {
            return Err(LocationError::BadCharacter {
                code: trimmed.to_owned(),
                bad,
            });
        }
        if !trimmed.chars().any(|c| c.is_ascii_alphanumeric()) {
            return Err(LocationError::NoLetterOrDigit(trimmed.to_owned()));
        }
        Ok(LocationCode(trimmed.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for LocationCode {
    type Err = LocationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LocationCode::parse(s)
    }
}

impl fmt::Display for LocationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A place where parts are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub code: LocationCode,
    pub name: String,
    pub description: String,
}

impl Location {
    /// A location with just a code (as created on the fly by an import).
    pub fn bare(code: LocationCode) -> Location {
        Location {
            code,
            name: String::new(),
            description: String::new(),
        }
    }

    pub fn new(
        code: LocationCode,
        name: &str,
        description: &str,
    ) -> Result<Location, LocationError> {
        let name = name.trim();
        if name.chars().count() > MAX_NAME_LEN {
            return Err(LocationError::NameTooLong);
        }
        Ok(Location {
            code,
            name: name.to_owned(),
            description: description.trim().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalized_to_upper_case() {
        assert_eq!(
            LocationCode::parse(" a3 ").map(|c| c.0),
            Ok("A3".to_owned())
        );
        assert_eq!(
            LocationCode::parse("shelf-2.b").map(|c| c.0),
            Ok("SHELF-2.B".to_owned())
        );
    }

    #[test]
    fn bad_codes_say_what_is_wrong() {
        assert_eq!(LocationCode::parse("  "), Err(LocationError::Empty));
        assert!(matches!(
            LocationCode::parse("A 3"),
            Err(LocationError::BadCharacter { bad: ' ', .. })
        ));
        assert!(matches!(
            LocationCode::parse("$where"),
            Err(LocationError::BadCharacter { bad: '$', .. })
        ));
        assert!(matches!(
            LocationCode::parse(&"A".repeat(17)),
            Err(LocationError::TooLong(_))
        ));
        assert!(matches!(
            LocationCode::parse("."),
            Err(LocationError::NoLetterOrDigit(_))
        ));
        assert!(matches!(
            LocationCode::parse("-_."),
            Err(LocationError::NoLetterOrDigit(_))
        ));
    }
}
