//! Projects: what a design needs (read by `spares-bom`) against the stock.

pub mod check;

pub use check::{
    BoxVisit, Check, LineCheck, MAX_BOARDS, Substitute, Take, Verdict, check, question_for,
};
