//! HTTP routes, one module per feature.

pub mod api;
pub mod api_places;
pub mod api_write;
pub mod health;
pub mod pages;
