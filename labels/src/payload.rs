//! The text of a Spares label's QR code.
//!
//! A box label encodes `{public_url}/b/{code}` and a part label
//! `{public_url}/s/{id}`, so any phone camera opens the page. Parsing
//! accepts those URLs from any host, with or without a trailing slash or a
//! path prefix, any case of the code, and the short offline form
//! `SPARES:B:{code}` / `SPARES:S:{id}`.

use std::fmt;

use spares_core::{LocationCode, PublicUrl, SpareId};
use url::Url;

/// What a Spares label points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    Box(LocationCode),
    Spare(SpareId),
}

/// Why a text is not a Spares label.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("not a Spares label: {0:?}")]
    Unknown(String),
    #[error("a Spares label, but {0}")]
    Invalid(String),
}

/// Longest text looked at (a QR code holds at most ~4 kB anyway).
const MAX_LEN: usize = 4096;

fn shown(text: &str) -> String {
    text.chars().take(80).collect()
}

fn code(text: &str) -> Result<LocationCode, PayloadError> {
    LocationCode::parse(text).map_err(|e| PayloadError::Invalid(e.to_string()))
}

fn id(text: &str) -> Result<SpareId, PayloadError> {
    match text.parse::<i64>() {
        Ok(n) if n > 0 => Ok(SpareId(n)),
        _ => Err(PayloadError::Invalid(format!(
            "{:?} is not a part number",
            shown(text)
        ))),
    }
}

impl Payload {
    /// Reads a QR code's text.
    pub fn parse(text: &str) -> Result<Payload, PayloadError> {
        let t = text.trim();
        if t.len() > MAX_LEN {
            return Err(PayloadError::Unknown(shown(t)));
        }
        if let Some(rest) = t
            .get(..7)
            .filter(|p| p.eq_ignore_ascii_case("spares:"))
            .map(|_| &t[7..])
        {
            let (kind, value) = rest
                .split_once(':')
                .ok_or_else(|| PayloadError::Unknown(shown(t)))?;
            return match kind.to_ascii_uppercase().as_str() {
                "B" => Ok(Payload::Box(code(value)?)),
                "S" => Ok(Payload::Spare(id(value)?)),
                _ => Err(PayloadError::Unknown(shown(t))),
            };
        }
        let url = Url::parse(t).map_err(|_| PayloadError::Unknown(shown(t)))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(PayloadError::Unknown(shown(t)));
        }
        let segments: Vec<&str> = url
            .path_segments()
            .map(|s| s.filter(|s| !s.is_empty()).collect())
            .unwrap_or_default();
        match segments.as_slice() {
            [.., kind, value] if kind.eq_ignore_ascii_case("b") => {
                let decoded =
                    percent_decode(value).ok_or_else(|| PayloadError::Unknown(shown(t)))?;
                Ok(Payload::Box(code(&decoded)?))
            }
            [.., kind, value] if kind.eq_ignore_ascii_case("s") => Ok(Payload::Spare(id(value)?)),
            _ => Err(PayloadError::Unknown(shown(t))),
        }
    }

    /// The URL a label encodes, under the public base URL.
    pub fn url(&self, public_url: &PublicUrl) -> String {
        public_url.join(&self.path())
    }

    /// The page's path: `/b/{code}` or `/s/{id}`.
    pub fn path(&self) -> String {
        match self {
            Payload::Box(code) => format!("/b/{code}"),
            Payload::Spare(id) => format!("/s/{id}"),
        }
    }

    /// The short offline form.
    pub fn short(&self) -> String {
        match self {
            Payload::Box(code) => format!("SPARES:B:{code}"),
            Payload::Spare(id) => format!("SPARES:S:{id}"),
        }
    }
}

impl fmt::Display for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Payload::Box(code) => write!(f, "box {code}"),
            Payload::Spare(id) => write!(f, "part #{id}"),
        }
    }
}

/// `%41` → `A`; `None` on a malformed escape or non-UTF-8 result.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(code: &str) -> Payload {
        Payload::Box(LocationCode::parse(code).expect("valid"))
    }

    #[test]
    fn box_and_part_urls_from_any_host() {
        for (text, expected) in [
            ("https://spares.example.com/b/A3", b("A3")),
            ("https://spares.example.com/b/a3/", b("A3")),
            ("http://192.168.1.20:8080/b/C2", b("C2")),
            ("https://home.example.org/spares/b/shelf-2", b("SHELF-2")),
            ("https://x.example/B/a3?utm=1#top", b("A3")),
            ("  https://x.example/b/A%33  ", b("A3")),
            ("https://x.example/s/42", Payload::Spare(SpareId(42))),
            ("https://x.example/s/42/", Payload::Spare(SpareId(42))),
            ("SPARES:B:a3", b("A3")),
            ("spares:b:C2", b("C2")),
            ("SPARES:S:7", Payload::Spare(SpareId(7))),
        ] {
            assert_eq!(Payload::parse(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn anything_else_is_unknown_never_guessed() {
        for text in [
            "",
            "A3",
            "hello",
            "https://example.com/",
            "https://example.com/a3",
            "https://example.com/b",
            "ftp://example.com/b/A3",
            "javascript:alert(1)",
            "SPARES:X:1",
            "SPARES:B",
            "[)>\u{1e}06\u{1d}1PRC0805\u{1e}\u{4}",
        ] {
            assert!(
                matches!(Payload::parse(text), Err(PayloadError::Unknown(_))),
                "{text:?}"
            );
        }
        assert!(matches!(
            Payload::parse("https://x.example/b/A%20B"),
            Err(PayloadError::Invalid(_))
        ));
        assert!(matches!(
            Payload::parse("https://x.example/s/-1"),
            Err(PayloadError::Invalid(_))
        ));
        assert!(matches!(
            Payload::parse("SPARES:S:abc"),
            Err(PayloadError::Invalid(_))
        ));
        assert!(matches!(
            Payload::parse(&"x".repeat(10_000)),
            Err(PayloadError::Unknown(_))
        ));
    }

    #[test]
    fn urls_and_short_forms_parse_back() {
        for p in [b("A1"), b("SHELF-2.B"), Payload::Spare(SpareId(123))] {
            for base in [
                "https://spares.example.com",
                "https://spares.example.com/",
                "http://h:8080/inv",
            ] {
                let base = PublicUrl::parse(base).expect("base");
                assert_eq!(Payload::parse(&p.url(&base)), Ok(p.clone()));
            }
            assert_eq!(Payload::parse(&p.short()), Ok(p.clone()));
        }
        let base = PublicUrl::parse("https://s.example/").expect("base");
        assert_eq!(b("A1").url(&base), "https://s.example/b/A1");
    }
}
