//! A part: its page (`/s/{id}`), the stock buttons, the add and edit forms
//! and deletion with confirmation.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use spares_core::answer::describe;
use spares_core::{
    Builtin, Change, Field, InputErrors, Quantity, Source, Spare, SpareId, SpareInput,
};

use super::{failed, local_path, user_message};
use crate::auth::{EditForm, Editor, Reader, Visitor};
use crate::extract::{OnPage, SpareIdPath};
use crate::html::see_other;
use crate::html::{Ctx, PageError, page};
use crate::state::AppState;

mod delete;
mod form;
mod show;
mod stock;

pub use delete::{confirm_delete, delete};
pub use form::{NewParams, create, edit_form, new_form, update};
pub use show::show;
use stock::change;
pub use stock::stock;
