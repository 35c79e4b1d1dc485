//! Integration tests of `spares-web`: one binary, shared helpers.

mod api;
mod api_places;
mod api_projects;
mod api_write;
mod auth;
mod deploy;
mod docs;
mod hardening;
// Shared with spares-cli's tests, which use some helpers these do not.
#[allow(dead_code)]
mod helpers;
mod labels;
mod page_writes;
mod pages;
mod projects;
mod scan;
