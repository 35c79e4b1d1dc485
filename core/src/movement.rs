//! Stock movements: every quantity change, with who, why and from where.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::quantity::Quantity;
use crate::spare::SpareId;

/// Where a change came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Web,
    Bot,
    Scan,
    Import,
    Api,
    Cli,
}

impl Source {
    pub const ALL: [Source; 6] = [
        Source::Web,
        Source::Bot,
        Source::Scan,
        Source::Import,
        Source::Api,
        Source::Cli,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Source::Web => "web",
            Source::Bot => "bot",
            Source::Scan => "scan",
            Source::Import => "import",
            Source::Api => "api",
            Source::Cli => "cli",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown movement source {0:?}")]
pub struct UnknownSource(pub String);

impl FromStr for Source {
    type Err = UnknownSource;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Source::ALL
            .into_iter()
            .find(|x| x.key() == s)
            .ok_or_else(|| UnknownSource(s.to_owned()))
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

pub const MAX_REASON_LEN: usize = 200;

/// Who makes a change, from where and why. Passed to every write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub source: Source,
    /// A user name, "telegram:12345", "api-token"...
    pub actor: String,
    pub reason: Option<String>,
}

impl Change {
    pub fn new(source: Source, actor: impl Into<String>) -> Change {
        Change {
            source,
            actor: actor.into(),
            reason: None,
        }
    }

    /// Adds a reason, cut to [`MAX_REASON_LEN`] characters; blank means none.
    pub fn with_reason(mut self, reason: &str) -> Change {
        let trimmed = reason.trim();
        self.reason = (!trimmed.is_empty()).then(|| trimmed.chars().take(MAX_REASON_LEN).collect());
        self
    }
}

/// One recorded quantity change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    pub id: i64,
    pub spare: SpareId,
    pub delta: i64,
    pub quantity_after: Quantity,
    pub reason: Option<String>,
    pub source: Source,
    pub actor: String,
    pub at: DateTime<Utc>,
}
