//! Server-rendered pages, one module per feature. Reads use the [`Reader`]
//! extractor, forms that change data take [`EditForm`] (signed in + CSRF),
//! and every write answers with a redirect and a message (post/redirect/get).
//!
//! [`Reader`]: crate::auth::Reader
//! [`EditForm`]: crate::auth::EditForm

pub mod boxes;
pub mod dashboard;
pub mod labels;
pub mod list;
pub mod login;
pub mod projects;
pub mod scan;
pub mod shops;
pub mod spare;
pub mod transfer;

use spares_core::answer::describe;
use spares_core::{Spare, StoreError};

use crate::html::PageError;

/// One spare as a table row.
pub struct Row {
    pub id: i64,
    pub value: String,
    pub category: String,
    pub reference: String,
    pub package: String,
    pub quantity: i64,
    pub location: String,
    pub price: String,
    pub none_left: bool,
}

impl From<&Spare> for Row {
    fn from(s: &Spare) -> Self {
        Row {
            id: s.id.0,
            value: s
                .value
                .as_ref()
                .map_or_else(|| describe(s), |v| v.formatted()),
            category: s.category.to_string(),
            reference: s.reference.clone(),
            package: s
                .package
                .as_ref()
                .map(|p| p.text().to_owned())
                .unwrap_or_default(),
            quantity: s.quantity.get(),
            location: s
                .location
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            price: s.unit_price.map(|m| m.to_string()).unwrap_or_default(),
            none_left: s.quantity.get() == 0,
        }
    }
}

/// A flash message marked as an error (shown in the warning colour).
pub fn failed(message: impl std::fmt::Display) -> String {
    format!("!{message}")
}

/// Where to go back to after a form: a local path only (never another site).
pub fn local_path(back: &str, default: &str) -> String {
    let ok = back.starts_with('/')
        && !back.starts_with("//")
        && !back.contains('\\')
        && !back.chars().any(char::is_control);
    if ok {
        back.to_owned()
    } else {
        default.to_owned()
    }
}

/// A store error a person can act on becomes a message; others an error page.
pub fn user_message(e: StoreError) -> Result<String, PageError> {
    match e {
        StoreError::InsufficientStock { .. } | StoreError::Conflict(_) | StoreError::Invalid(_) => {
            Ok(failed(format!("{e}; nothing was changed")))
        }
        other => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed_back() {
        assert_eq!(local_path("/b/A1?x=1", "/"), "/b/A1?x=1");
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil",
            "",
            "javascript:x",
            "/a\nb",
        ] {
            assert_eq!(local_path(bad, "/"), "/", "{bad:?}");
        }
    }
}
