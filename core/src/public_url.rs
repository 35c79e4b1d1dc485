//! [`PublicUrl`]: the address people use to reach Spares (labels' QR
//! codes, links from the bot, Secure cookies). Parsed once at the edge, so
//! every user of it gets the same form: no trailing slash.

use std::fmt;
use std::str::FromStr;

use url::Url;

/// An absolute `http`/`https` URL without query or fragment, kept without
/// its trailing `/` (a path prefix such as `https://host/spares` stays).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PublicUrl(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublicUrlError {
    #[error("{0:?} is not an address: give one such as https://spares.example.org")]
    Invalid(String),
    #[error("{0:?}: the public address must start with http:// or https://")]
    Scheme(String),
    #[error("{0:?}: the public address cannot have a query (?…) or a fragment (#…)")]
    Query(String),
}

impl PublicUrl {
    pub fn parse(text: &str) -> Result<PublicUrl, PublicUrlError> {
        let trimmed = text.trim();
        let url = Url::parse(trimmed).map_err(|_| PublicUrlError::Invalid(trimmed.to_owned()))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(PublicUrlError::Scheme(trimmed.to_owned()));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(PublicUrlError::Query(trimmed.to_owned()));
        }
        Ok(PublicUrl(url.as_str().trim_end_matches('/').to_owned()))
    }

    /// The address without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `path` (starting with `/`) under this address.
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    /// Whether people reach Spares over https (cookies get `Secure`,
    /// `__Host-` names and HSTS).
    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }
}

impl FromStr for PublicUrl {
    type Err = PublicUrlError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PublicUrl::parse(s)
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_form_whatever_was_typed() {
        for (typed, kept) in [
            ("https://spares.example.org", "https://spares.example.org"),
            ("https://spares.example.org/", "https://spares.example.org"),
            (" http://10.0.0.2:8080/ ", "http://10.0.0.2:8080"),
            ("https://example.org/spares/", "https://example.org/spares"),
        ] {
            let url = PublicUrl::parse(typed).expect(typed);
            assert_eq!(url.as_str(), kept);
            assert_eq!(url.join("/b/A1"), format!("{kept}/b/A1"));
        }
        assert!(PublicUrl::parse("https://x.org").expect("ok").is_https());
        assert!(!PublicUrl::parse("http://x.org").expect("ok").is_https());
    }

    #[test]
    fn what_is_not_a_public_address_is_refused() {
        for bad in [
            "",
            "spares.example.org",
            "ftp://x.org",
            "https://x.org/?a=1",
            "https://x.org/#a",
            "mailto:a@b.c",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics_and_a_parsed_address_parses_to_itself(
            text in "(https?://)?[a-zA-Z0-9.:%/?#@-]{0,40}"
        ) {
            if let Ok(url) = PublicUrl::parse(&text) {
                proptest::prop_assert!(!url.as_str().ends_with('/'));
                proptest::prop_assert_eq!(PublicUrl::parse(url.as_str()), Ok(url));
            }
        }
    }
}
