//! Integration tests of `spares-web`: one binary, shared helpers.

mod api;
mod cli;
mod helpers;
mod pages;
