//! Projects: what a design needs (read by `spares-bom`) against the stock.

pub mod build;
pub mod check;
pub mod edit;
pub mod find;
pub mod record;
pub mod shopping;

pub use build::{BuildError, Built, build, undo};
pub use check::{
    BoxVisit, Check, LineCheck, MAX_BOARDS, Substitute, Take, Verdict, check, check_lines,
    check_project, question_for,
};
pub use edit::{rename, replace_design, save};
pub use find::find;
pub use record::{
    Build, BuildId, BuildTake, NameError, Project, ProjectData, ProjectId, ProjectName,
};
pub use shopping::{ShopFormat, ToBuy, shopping_list};
