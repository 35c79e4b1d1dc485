//! `spares-web`: the web app and the `spares` command-line program.
//!
//! Handlers are thin: they turn requests into calls of `spares-core` (search,
//! store) and results into responses. [`startup::app`] builds the router;
//! [`commands`] holds the CLI subcommands other than `serve`.

pub mod auth;
pub mod commands;
pub mod config;
pub mod error;
pub mod html;
pub mod limits;
pub mod routes;
pub mod startup;
pub mod state;
pub mod telemetry;
