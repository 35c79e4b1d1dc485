//! Errors in one line, with their causes, for logs and terminals.

/// An error and its causes, "outer: inner: innermost", each once (a cause
/// whose text the outer message already ends with is not repeated).
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.ends_with(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("database error")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn the_cause_is_kept_and_said_once() {
        let e = Outer(std::io::Error::other("disk full"));
        assert_eq!(error_chain(&e), "database error: disk full");
        let plain = std::io::Error::other("x");
        assert_eq!(error_chain(&plain), "x");
    }
}
