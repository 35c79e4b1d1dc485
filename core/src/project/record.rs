//! A project as the store keeps it: its name, the files it was read from,
//! the design's lines as read, the spares chosen by hand for some lines,
//! and its builds (what each took out, so that it can be put back).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use spares_bom::BomLine;

use crate::movement::Source;
use crate::spare::SpareId;

/// Longest project name, in characters.
pub const MAX_NAME_LEN: usize = 100;
/// Most source file names kept with a project.
pub const MAX_SOURCES: usize = spares_bom::MAX_FILES;

/// A project's identity, assigned by the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProjectId(pub i64);

impl fmt::Display for ProjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A build's identity, assigned by the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BuildId(pub i64);

impl fmt::Display for BuildId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A project's name: trimmed, inner spaces collapsed, 1 to
/// [`MAX_NAME_LEN`] characters, no control characters (tabs and line
/// breaks are spaces). Two names that
/// differ only in case are the same project ([`ProjectName::key`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProjectName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("a project needs a name")]
    Empty,
    #[error("a project name has at most {MAX_NAME_LEN} characters")]
    TooLong,
    #[error("a project name cannot hold control characters")]
    Control,
}

impl ProjectName {
    pub fn parse(text: &str) -> Result<ProjectName, NameError> {
        if text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
            return Err(NameError::Control);
        }
        let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        if name.chars().count() > MAX_NAME_LEN {
            return Err(NameError::TooLong);
        }
        Ok(ProjectName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What makes two names the same project: lower case.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for ProjectName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Everything a project holds but its identity and times.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectData {
    pub name: ProjectName,
    /// The files it was read from ("amp.kicad_sch"), or "typed list".
    pub sources: Vec<String>,
    /// The design's lines as read (grouped).
    pub lines: Vec<BomLine>,
    /// Spares chosen by hand, by line index: that line takes from this
    /// spare instead of what the check would choose.
    pub overrides: BTreeMap<usize, SpareId>,
}

impl ProjectData {
    pub fn new(name: ProjectName, sources: Vec<String>, lines: Vec<BomLine>) -> ProjectData {
        ProjectData {
            name,
            sources,
            lines,
            overrides: BTreeMap::new(),
        }
    }

    /// The lines as JSON (how both backends keep them).
    pub fn lines_json(&self) -> String {
        serde_json::to_string(&self.lines).unwrap_or_else(|_| "[]".into())
    }

    /// The overrides as JSON: `[[line, spare], …]`.
    pub fn overrides_json(&self) -> String {
        let pairs: Vec<(usize, i64)> = self.overrides.iter().map(|(l, s)| (*l, s.0)).collect();
        serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".into())
    }

    pub fn sources_json(&self) -> String {
        serde_json::to_string(&self.sources).unwrap_or_else(|_| "[]".into())
    }

    /// Rebuilds a project a backend wrote; an unreadable part is an error
    /// naming it (never a panic).
    pub fn from_stored(
        name: &str,
        sources: &str,
        lines: &str,
        overrides: &str,
    ) -> Result<ProjectData, String> {
        let name = ProjectName::parse(name).map_err(|e| format!("project name: {e}"))?;
        let sources: Vec<String> =
            serde_json::from_str(sources).map_err(|e| format!("project sources: {e}"))?;
        let lines: Vec<BomLine> =
            serde_json::from_str(lines).map_err(|e| format!("project lines: {e}"))?;
        let pairs: Vec<(usize, i64)> =
            serde_json::from_str(overrides).map_err(|e| format!("project overrides: {e}"))?;
        Ok(ProjectData {
            name,
            sources,
            lines,
            overrides: pairs.into_iter().map(|(l, s)| (l, SpareId(s))).collect(),
        })
    }

    /// Refuses what no store keeps: too many sources or parts, an
    /// override of a line that does not exist.
    pub fn validate(&self) -> Result<(), String> {
        if self.sources.len() > MAX_SOURCES {
            return Err(format!("a project keeps at most {MAX_SOURCES} file names"));
        }
        if self.lines.is_empty() {
            return Err("a project needs at least one line".into());
        }
        if self.lines.len() > spares_bom::MAX_PARTS {
            return Err(format!(
                "a project has at most {} lines",
                spares_bom::MAX_PARTS
            ));
        }
        if let Some(l) = self.overrides.keys().find(|l| **l >= self.lines.len()) {
            return Err(format!("there is no line {} to choose a spare for", l + 1));
        }
        Ok(())
    }
}

/// A stored project.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub id: ProjectId,
    pub data: ProjectData,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What one build took from one spare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildTake {
    pub spare: SpareId,
    pub quantity: u64,
}

/// Parts taken out for N boards of a project, all at once.
#[derive(Debug, Clone, PartialEq)]
pub struct Build {
    pub id: BuildId,
    pub project: ProjectId,
    pub boards: u32,
    /// One per spare (each also a movement in the spare's history).
    pub takes: Vec<BuildTake>,
    pub source: Source,
    pub actor: String,
    pub at: DateTime<Utc>,
    /// When its parts were put back.
    pub undone_at: Option<DateTime<Utc>>,
}

impl Build {
    /// The takes as JSON: `[[spare, quantity], …]` (how both backends
    /// keep them).
    pub fn takes_json(takes: &[BuildTake]) -> String {
        let pairs: Vec<(i64, u64)> = takes.iter().map(|t| (t.spare.0, t.quantity)).collect();
        serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".into())
    }

    pub fn takes_from_json(text: &str) -> Result<Vec<BuildTake>, String> {
        let pairs: Vec<(i64, u64)> =
            serde_json::from_str(text).map_err(|e| format!("build takes: {e}"))?;
        Ok(pairs
            .into_iter()
            .map(|(s, quantity)| BuildTake {
                spare: SpareId(s),
                quantity,
            })
            .collect())
    }

    /// The reason written on each movement of a build: "build Amp ×2".
    pub fn reason(project: &ProjectName, boards: u32) -> String {
        format!("build {project} ×{boards}")
    }

    /// The reason written on each movement putting a build back.
    pub fn undo_reason(project: &ProjectName, boards: u32) -> String {
        format!("undo build {project} ×{boards}")
    }
}

/// Checks a build's takes before a store writes anything: at least one,
/// each spare once, each quantity within what a spare can hold.
pub fn validate_takes(takes: &[BuildTake]) -> Result<(), String> {
    if takes.is_empty() {
        return Err("a build takes at least one part".into());
    }
    let mut seen = std::collections::HashSet::new();
    for t in takes {
        if !seen.insert(t.spare) {
            return Err(format!("spare #{} is taken twice in one build", t.spare));
        }
        if t.quantity == 0 || t.quantity > crate::quantity::MAX_QUANTITY as u64 {
            return Err(format!(
                "a build takes 1 to {} of a spare",
                crate::quantity::MAX_QUANTITY
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_collapsed_and_bounded() {
        assert_eq!(
            ProjectName::parse("  Tube   amp ").map(|n| n.to_string()),
            Ok("Tube amp".to_owned())
        );
        assert_eq!(ProjectName::parse(" \t"), Err(NameError::Empty));
        assert_eq!(ProjectName::parse("a\u{7}b"), Err(NameError::Control));
        assert_eq!(
            ProjectName::parse(&"x".repeat(MAX_NAME_LEN + 1)),
            Err(NameError::TooLong)
        );
        let a = ProjectName::parse("Tube Amp").expect("valid");
        let b = ProjectName::parse("tube amp").expect("valid");
        assert_eq!(a.key(), b.key());
    }

    #[test]
    fn stored_form_round_trips_and_bad_text_is_an_error() {
        let mut line = BomLine::new(spares_bom::Origin {
            file: "a.csv".into(),
            line: 2,
        });
        line.value = "10k".into();
        line.designators = vec!["R1".into(), "R2".into()];
        line.quantity = 2;
        let mut data = ProjectData::new(
            ProjectName::parse("Amp").expect("valid"),
            vec!["a.csv".into()],
            vec![line],
        );
        data.overrides.insert(0, SpareId(7));
        let back = ProjectData::from_stored(
            data.name.as_str(),
            &data.sources_json(),
            &data.lines_json(),
            &data.overrides_json(),
        );
        assert_eq!(back, Ok(data));
        assert!(
            ProjectData::from_stored("Amp", "[]", "[{", "[]")
                .is_err_and(|e| e.starts_with("project lines"))
        );
    }

    #[test]
    fn takes_must_be_distinct_and_positive() {
        let t = |s, q| BuildTake {
            spare: SpareId(s),
            quantity: q,
        };
        assert!(validate_takes(&[]).is_err());
        assert!(validate_takes(&[t(1, 2), t(1, 3)]).is_err());
        assert!(validate_takes(&[t(1, 0)]).is_err());
        assert!(validate_takes(&[t(1, 2), t(2, 3)]).is_ok());
        let json = Build::takes_json(&[t(1, 2), t(2, 3)]);
        assert_eq!(Build::takes_from_json(&json), Ok(vec![t(1, 2), t(2, 3)]));
    }
}
