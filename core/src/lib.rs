//! `spares-core`: what Spares knows about parts, independent of any user
//! interface.
//!
//! - Domain types that cannot hold an invalid state, each parsed from text
//!   at the edge: [`Value`] (a physical quantity with its [`Unit`]),
//!   [`Quantity`], [`LocationCode`], [`Money`], [`Category`], and the
//!   [`Spare`] that gathers them ([`SpareInput::parse`] reads one from text).
//! - [`Query`]: a structured question and its reference evaluation
//!   ([`Query::matches`]), which defines search semantics for every backend.
//! - [`Store`]: the async storage trait the backend crates implement
//!   (`spares-sqlite`, `spares-mongo`; `spares-store` opens one from a URL).
//! - [`stock`]: adding, taking out and undoing in words (bot and CLI).
//! - [`csv_io`]: the CSV import/export format.
//!
//! Invariants: core never reads environment variables or prints, and
//! touches no database (the backend crates do); quantities never go negative; money is
//! never a float.

pub mod answer;
pub mod category;
pub mod codes;
pub mod csv_io;
pub mod field;
pub mod fuzzy;
pub mod location;
pub mod money;
pub mod movement;
pub mod project;
pub mod public_url;
pub mod quantity;
pub mod query;
pub mod question;
pub mod report;
pub mod search;
pub mod session;
pub mod shop;
pub mod spare;
pub mod stock;
pub mod store;
pub mod summary;
pub mod unit;
pub mod value;

pub use category::{Builtin, Category, CategoryError};
pub use field::Field;
pub use location::{Location, LocationCode, LocationError};
pub use money::{Currency, Money, MoneyError};
pub use movement::{Change, Movement, Source};
pub use public_url::{PublicUrl, PublicUrlError};
pub use quantity::{Quantity, QuantityError};
pub use query::{Cmp, ParamConstraint, Query, TextConstraint};
pub use report::error_chain;
pub use session::SessionRecord;
pub use shop::{Shop, ShopName, WebAddress};
pub use spare::{
    FieldError, InputErrors, Package, ParamName, ParamValue, Spare, SpareData, SpareId, SpareInput,
    Tag,
};
pub use store::{Snapshot, Store, StoreError};
pub use unit::Unit;
pub use value::{Value, ValueError};
