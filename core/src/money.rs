//! Exact prices: a decimal amount and an ISO 4217 currency. Never a float.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

/// A three-letter ISO 4217 currency code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency([u8; 3]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("{0:?} is not a currency: use a three-letter code such as EUR, USD or GBP")]
    BadCurrency(String),
    #[error("{0:?} is not a price: write it like 0.05 or 12.50")]
    BadAmount(String),
    #[error("a price cannot be negative (got {0})")]
    Negative(String),
    #[error("a price needs a currency")]
    MissingCurrency,
}

impl Currency {
    pub fn parse(text: &str) -> Result<Currency, MoneyError> {
        let trimmed = text.trim();
        let code = match trimmed {
            "€" => "EUR",
            "$" => "USD",
            "£" => "GBP",
            "¥" => "JPY",
            other => other,
        };
        let bytes = code.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return Err(MoneyError::BadCurrency(trimmed.to_owned()));
        }
        Ok(Currency([
            bytes[0].to_ascii_uppercase(),
            bytes[1].to_ascii_uppercase(),
            bytes[2].to_ascii_uppercase(),
        ]))
    }

    pub fn as_str(&self) -> &str {
        // Always three ASCII letters, so always UTF-8.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::parse(s)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A non-negative exact amount in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Result<Money, MoneyError> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(MoneyError::Negative(amount.to_string()));
        }
        Ok(Money { amount, currency })
    }

    /// Parses an amount as typed ("0.05", "0,05", "12") in a currency.
    pub fn parse(amount: &str, currency: Currency) -> Result<Money, MoneyError> {
        let trimmed = amount.trim();
        let normalized = trimmed.replace(',', ".");
        if normalized.matches('.').count() > 1 || normalized.contains(['e', 'E']) {
            return Err(MoneyError::BadAmount(trimmed.to_owned()));
        }
        let decimal = Decimal::from_str_exact(&normalized)
            .map_err(|_| MoneyError::BadAmount(trimmed.to_owned()))?;
        Money::new(decimal, currency)
    }

    pub fn amount(&self) -> Decimal {
        self.amount
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The amount as a float, for sorting only (never for arithmetic).
    pub fn amount_f64(&self) -> f64 {
        use rust_decimal::prelude::ToPrimitive;
        self.amount.to_f64().unwrap_or(0.0)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_exact_decimals() {
        let eur = Currency::parse("eur").expect("valid");
        let m = Money::parse("0,10", eur).expect("valid");
        assert_eq!(m.amount().to_string(), "0.10");
        assert_eq!(m.to_string(), "0.10 EUR");
        let sum = Money::parse("0.1", eur).expect("valid").amount()
            + Money::parse("0.2", eur).expect("valid").amount();
        assert_eq!(sum.to_string(), "0.3");
    }

    #[test]
    fn bad_prices_and_currencies_are_refused() {
        let usd = Currency::parse("$").expect("valid");
        assert_eq!(usd.as_str(), "USD");
        assert!(matches!(
            Currency::parse("EURO"),
            Err(MoneyError::BadCurrency(_))
        ));
        assert!(matches!(
            Currency::parse("E1R"),
            Err(MoneyError::BadCurrency(_))
        ));
        assert!(matches!(
            Money::parse("-1", usd),
            Err(MoneyError::Negative(_))
        ));
        assert!(matches!(
            Money::parse("1.2.3", usd),
            Err(MoneyError::BadAmount(_))
        ));
        assert!(matches!(
            Money::parse("1e3", usd),
            Err(MoneyError::BadAmount(_))
        ));
        assert!(matches!(
            Money::parse("abc", usd),
            Err(MoneyError::BadAmount(_))
        ));
    }
}
