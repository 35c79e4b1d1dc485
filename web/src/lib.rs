//! `spares-web`: the web app and the JSON API, as a library (the `spares`
//! binary of `spares-cli` serves it).
//!
//! Handlers are thin: they turn requests into calls of `spares-core` (search,
//! store) and results into responses. [`startup::app`] builds the router.

pub mod auth;
pub mod config;
pub mod error;
pub mod extract;
pub mod html;
pub mod limits;
pub mod routes;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod upload;
