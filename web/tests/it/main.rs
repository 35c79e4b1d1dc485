//! Integration tests of `spares-web`: one binary, shared helpers.

mod api;
mod api_write;
mod cli;
mod helpers;
mod pages;
