//! Projects: what a design needs (read by `spares-bom`) against the stock.

pub mod check;
pub mod record;

pub use check::{
    BoxVisit, Check, LineCheck, MAX_BOARDS, Substitute, Take, Verdict, check, question_for,
};
pub use record::{
    Build, BuildId, BuildTake, NameError, Project, ProjectData, ProjectId, ProjectName,
};
