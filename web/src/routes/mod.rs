//! HTTP routes, one module per feature.

pub mod api;
pub mod health;
pub mod pages;
