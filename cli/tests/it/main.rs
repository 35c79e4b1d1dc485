//! Integration tests of the `spares` binary: its commands, backups, memory
//! bounds under load. `helpers` is the web crate's (a fresh store, the
//! router as a service); `binary` runs the real program.

#[allow(dead_code)]
#[path = "../../../web/tests/it/helpers.rs"]
mod helpers;

mod backup;
mod binary;
mod check;
mod cli;
mod labels;
mod load_limits;
mod stock;
