//! Integration tests of `spares-web`: one binary, shared helpers.

mod api;
mod api_places;
mod api_write;
mod auth;
mod backup;
mod cli;
mod deploy;
mod docs;
mod hardening;
mod helpers;
mod labels;
mod load_limits;
mod page_writes;
mod pages;
