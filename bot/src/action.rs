//! What an inline button does, as the `callback_data` Telegram hands back
//! (at most 64 bytes). Parsed strictly: a stale or forged payload is an
//! error, never a guess.

use std::fmt;
use std::str::FromStr;

use spares_core::location::LocationCode;
use spares_core::project::{BuildId, MAX_BOARDS, ProjectId};
use spares_core::spare::SpareId;

/// Largest step a button may take (the ±10 buttons).
pub const MAX_STEP: i64 = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Add `delta` to a spare (−1, +1...).
    Adjust { id: SpareId, delta: i64 },
    /// Ask for a number: the new quantity (`take = false`) or how many to
    /// take out.
    AskNumber { id: SpareId, take: bool },
    /// Show one spare with its buttons.
    Show { id: SpareId },
    /// Another page of an earlier answer (`list` keys the question).
    Page { list: u64, offset: usize },
    /// Show a box's contents.
    Box { code: LocationCode },
    /// Add a scanned supplier bag to a box.
    AddInto { proposal: u64, code: LocationCode },
    /// Add a scanned supplier bag to a box whose code will be typed.
    AddIntoNew { proposal: u64 },
    /// Drop what was being asked.
    Cancel,
    /// A project checked for some boards, line by line (details).
    ProjectDetails { project: ProjectId, boards: u32 },
    /// Build boards of a project.
    ProjectBuild { project: ProjectId, boards: u32 },
    /// A project's shopping list for some boards.
    ProjectShopping { project: ProjectId, boards: u32 },
    /// Put back what a build took.
    UndoBuild { build: BuildId },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("this button is not one of mine (or from an older version): {0:?}")]
pub struct BadAction(pub String);

fn id(text: &str) -> Option<SpareId> {
    positive(text).map(SpareId)
}

fn positive(text: &str) -> Option<i64> {
    text.parse::<i64>().ok().filter(|n| *n > 0)
}

fn boards(text: &str) -> Option<u32> {
    text.parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_BOARDS).contains(n))
}

impl FromStr for Action {
    type Err = BadAction;
    fn from_str(data: &str) -> Result<Action, BadAction> {
        let bad = || BadAction(data.chars().take(64).collect());
        let parts: Vec<&str> = data.split(':').collect();
        let action = match parts.as_slice() {
            ["a", i, d] => {
                let delta: i64 = d.parse().map_err(|_| bad())?;
                if delta == 0 || delta.abs() > MAX_STEP {
                    return Err(bad());
                }
                Action::Adjust {
                    id: id(i).ok_or_else(bad)?,
                    delta,
                }
            }
            ["s", i] => Action::AskNumber {
                id: id(i).ok_or_else(bad)?,
                take: false,
            },
            ["t", i] => Action::AskNumber {
                id: id(i).ok_or_else(bad)?,
                take: true,
            },
            ["v", i] => Action::Show {
                id: id(i).ok_or_else(bad)?,
            },
            ["p", l, o] => Action::Page {
                list: l.parse().map_err(|_| bad())?,
                offset: o.parse().map_err(|_| bad())?,
            },
            ["b", c] => Action::Box {
                code: LocationCode::parse(c).map_err(|_| bad())?,
            },
            ["i", p, c] => Action::AddInto {
                proposal: p.parse().map_err(|_| bad())?,
                code: LocationCode::parse(c).map_err(|_| bad())?,
            },
            ["n", p] => Action::AddIntoNew {
                proposal: p.parse().map_err(|_| bad())?,
            },
            ["x"] => Action::Cancel,
            ["pd", p, n] => Action::ProjectDetails {
                project: ProjectId(positive(p).ok_or_else(bad)?),
                boards: boards(n).ok_or_else(bad)?,
            },
            ["pb", p, n] => Action::ProjectBuild {
                project: ProjectId(positive(p).ok_or_else(bad)?),
                boards: boards(n).ok_or_else(bad)?,
            },
            ["ps", p, n] => Action::ProjectShopping {
                project: ProjectId(positive(p).ok_or_else(bad)?),
                boards: boards(n).ok_or_else(bad)?,
            },
            ["pu", b] => Action::UndoBuild {
                build: BuildId(positive(b).ok_or_else(bad)?),
            },
            _ => return Err(bad()),
        };
        Ok(action)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Adjust { id, delta } => write!(f, "a:{id}:{delta}"),
            Action::AskNumber { id, take: false } => write!(f, "s:{id}"),
            Action::AskNumber { id, take: true } => write!(f, "t:{id}"),
            Action::Show { id } => write!(f, "v:{id}"),
            Action::Page { list, offset } => write!(f, "p:{list}:{offset}"),
            Action::Box { code } => write!(f, "b:{code}"),
            Action::AddInto { proposal, code } => write!(f, "i:{proposal}:{code}"),
            Action::AddIntoNew { proposal } => write!(f, "n:{proposal}"),
            Action::Cancel => f.write_str("x"),
            Action::ProjectDetails { project, boards } => write!(f, "pd:{project}:{boards}"),
            Action::ProjectBuild { project, boards } => write!(f, "pb:{project}:{boards}"),
            Action::ProjectShopping { project, boards } => write!(f, "ps:{project}:{boards}"),
            Action::UndoBuild { build } => write!(f, "pu:{build}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_fit_in_64_bytes() {
        let code = LocationCode::parse("SHELF-12-DRAWER4").expect("code");
        let all = [
            Action::Adjust {
                id: SpareId(i64::MAX),
                delta: -MAX_STEP,
            },
            Action::AskNumber {
                id: SpareId(7),
                take: false,
            },
            Action::AskNumber {
                id: SpareId(7),
                take: true,
            },
            Action::Show { id: SpareId(3) },
            Action::Page {
                list: u64::MAX,
                offset: usize::MAX,
            },
            Action::Box { code: code.clone() },
            Action::AddInto {
                proposal: u64::MAX,
                code,
            },
            Action::AddIntoNew { proposal: 1 },
            Action::Cancel,
            Action::ProjectDetails {
                project: ProjectId(i64::MAX),
                boards: MAX_BOARDS,
            },
            Action::ProjectBuild {
                project: ProjectId(1),
                boards: 1,
            },
            Action::ProjectShopping {
                project: ProjectId(2),
                boards: 3,
            },
            Action::UndoBuild {
                build: BuildId(i64::MAX),
            },
        ];
        for a in all {
            let text = a.to_string();
            assert!(text.len() <= 64, "{text}");
            assert_eq!(text.parse::<Action>(), Ok(a));
        }
    }

    #[test]
    fn forged_payloads_are_refused() {
        for bad in [
            "",
            "a",
            "a:1",
            "a:1:0",
            "a:0:1",
            "a:-3:1",
            "a:1:100000",
            "a:x:1",
            "s:",
            "p:1",
            "b:",
            "b:has space",
            "i:1:",
            "zz:1",
            "x:1",
            "v:1:2",
            "pb:1:0",
            "pb:0:1",
            "pb:1:100001",
            "pd:x:1",
            "ps:1",
            "pu:-1",
            "pu:",
        ] {
            assert!(bad.parse::<Action>().is_err(), "{bad:?} was accepted");
        }
    }
}
