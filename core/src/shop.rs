//! Shops parts were bought from.

use std::fmt;

use url::Url;

pub const MAX_SHOP_NAME_LEN: usize = 60;

/// A shop name: trimmed, 1–60 characters; compared case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShopName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShopError {
    #[error("a shop name cannot be empty")]
    Empty,
    #[error("a shop name has at most {MAX_SHOP_NAME_LEN} characters")]
    TooLong,
    #[error("a shop name cannot contain control characters")]
    ControlCharacter,
    #[error(transparent)]
    Url(#[from] WebAddressError),
}

impl ShopName {
    pub fn parse(text: &str) -> Result<ShopName, ShopError> {
        let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(ShopError::Empty);
        }
        if name.chars().count() > MAX_SHOP_NAME_LEN {
            return Err(ShopError::TooLong);
        }
        if name.chars().any(char::is_control) {
            return Err(ShopError::ControlCharacter);
        }
        Ok(ShopName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-insensitive identity of the shop.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for ShopName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An http(s) address (shop website, datasheet).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WebAddress(Url);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebAddressError {
    #[error("{0:?} is not a web address (it should start with https:// or http://)")]
    Invalid(String),
    #[error("a web address has at most 2000 characters")]
    TooLong,
}

impl WebAddress {
    pub fn parse(text: &str) -> Result<WebAddress, WebAddressError> {
        let trimmed = text.trim();
        if trimmed.len() > 2000 {
            return Err(WebAddressError::TooLong);
        }
        let url = Url::parse(trimmed).map_err(|_| WebAddressError::Invalid(trimmed.to_owned()))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(WebAddressError::Invalid(trimmed.to_owned()));
        }
        Ok(WebAddress(url))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for WebAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

/// A shop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shop {
    pub name: ShopName,
    pub website: Option<WebAddress>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shop_names_are_trimmed_and_keyed_case_insensitively() {
        let a = ShopName::parse("  Digi-Key  Electronics ").expect("valid");
        assert_eq!(a.as_str(), "Digi-Key Electronics");
        assert_eq!(
            a.key(),
            ShopName::parse("digi-key electronics")
                .expect("valid")
                .key()
        );
        assert_eq!(ShopName::parse(" "), Err(ShopError::Empty));
    }

    #[test]
    fn only_http_addresses_are_accepted() {
        assert!(WebAddress::parse("https://www.lcsc.com/").is_ok());
        assert!(WebAddress::parse("javascript:alert(1)").is_err());
        assert!(WebAddress::parse("ftp://x.org/a.pdf").is_err());
        assert!(WebAddress::parse("lcsc.com").is_err());
    }
}
