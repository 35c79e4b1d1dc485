//! `spares-bom` integration tests: real designs, BOM tables in each
//! layout, pasted lists, and bad input.

mod designs;
mod helpers;
mod input_errors;
mod tables;
