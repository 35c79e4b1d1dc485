//! A count of parts in stock: a whole number, never negative.

use std::fmt;
use std::str::FromStr;

/// Largest stock count accepted (far above any hobbyist's drawer, and safe in
/// every backend's integer type).
pub const MAX_QUANTITY: i64 = 1_000_000_000;

/// A non-negative number of parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error("{0:?} is not a whole number of parts")]
    NotANumber(String),
    #[error("a quantity cannot be negative (got {0})")]
    Negative(i64),
    #[error("a quantity cannot exceed {MAX_QUANTITY} (got {0})")]
    TooLarge(i64),
}

impl Quantity {
    pub const ZERO: Quantity = Quantity(0);

    pub fn new(n: i64) -> Result<Quantity, QuantityError> {
        if n < 0 {
            Err(QuantityError::Negative(n))
        } else if n > MAX_QUANTITY {
            Err(QuantityError::TooLarge(n))
        } else {
            Ok(Quantity(n))
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }

    /// The quantity after adding `delta`, or `None` if it would go below zero
    /// or above the maximum.
    pub fn checked_add(self, delta: i64) -> Option<Quantity> {
        self.0
            .checked_add(delta)
            .and_then(|n| Quantity::new(n).ok())
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;

    /// Accepts "100", " 100 ", "100x", "x100", "×100" and "1_000" / "1 000".
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let core = trimmed
            .trim_start_matches(['x', 'X', '×'])
            .trim_end_matches(['x', 'X', '×'])
            .trim();
        let digits: String = core.chars().filter(|c| *c != '_' && *c != ' ').collect();
        let n: i64 = digits
            .parse()
            .map_err(|_| QuantityError::NotANumber(trimmed.to_owned()))?;
        Quantity::new(n)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_counts_as_people_write_them() {
        assert_eq!("100".parse(), Ok(Quantity(100)));
        assert_eq!(" x25 ".parse(), Ok(Quantity(25)));
        assert_eq!("×3".parse(), Ok(Quantity(3)));
        assert_eq!("1 000".parse(), Ok(Quantity(1000)));
        assert_eq!("0".parse(), Ok(Quantity::ZERO));
    }

    #[test]
    fn refuses_negative_fractional_and_huge_counts() {
        assert_eq!("-1".parse::<Quantity>(), Err(QuantityError::Negative(-1)));
        assert!(matches!(
            "1.5".parse::<Quantity>(),
            Err(QuantityError::NotANumber(_))
        ));
        assert!(matches!(
            "ten".parse::<Quantity>(),
            Err(QuantityError::NotANumber(_))
        ));
        assert!(matches!(
            "".parse::<Quantity>(),
            Err(QuantityError::NotANumber(_))
        ));
        assert!(matches!(
            "99999999999".parse::<Quantity>(),
            Err(QuantityError::TooLarge(_))
        ));
    }

    #[test]
    fn checked_add_never_goes_below_zero() {
        let q = Quantity::new(2).expect("valid");
        assert_eq!(q.checked_add(-2), Some(Quantity::ZERO));
        assert_eq!(q.checked_add(-3), None);
        assert_eq!(q.checked_add(i64::MAX), None);
    }
}
