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

struct HistoryRow {
    at: String,
    delta: String,
    after: i64,
    who: String,
    why: String,
}

#[derive(Template)]
#[template(path = "spare.html")]
struct SparePage {
    ctx: Ctx,
    id: i64,
    category: String,
    fields: Vec<(&'static str, String)>,
    quantity: i64,
    location: String,
    datasheet: Option<String>,
    shop: Option<(String, Option<String>)>,
    parameters: Vec<(String, String)>,
    notes: String,
    history: Vec<HistoryRow>,
}

/// `/s/{id}`: everything about one part, and its stock history.
pub async fn show(
    State(state): State<AppState>,
    Reader(visitor): Reader,
    OnPage(SpareIdPath(id)): OnPage<SpareIdPath>,
) -> Result<Response, PageError> {
    let s = state.store.get_spare(id).await?;
    let history = state.store.history(s.id, 100).await?;
    let shop = match &s.shop {
        Some(name) => {
            let website = state
                .store
                .get_shop(name)
                .await
                .ok()
                .and_then(|shop| shop.website.map(|w| w.to_string()));
            Some((name.to_string(), website))
        }
        None => None,
    };
    let mut fields = Vec::new();
    for (label, value) in [
        (
            "Value",
            s.value.as_ref().map(|v| v.formatted()).unwrap_or_default(),
        ),
        ("Reference", s.reference.clone()),
        ("Manufacturer", s.manufacturer.clone()),
        ("Description", s.description.clone()),
        (
            "Package",
            s.package
                .as_ref()
                .map(|p| p.text().to_owned())
                .unwrap_or_default(),
        ),
        (
            "Low-stock threshold",
            s.low_stock.map(|q| q.to_string()).unwrap_or_default(),
        ),
        (
            "Unit price",
            s.unit_price.map(|m| m.to_string()).unwrap_or_default(),
        ),
        (
            "Tags",
            s.tags
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ),
    ] {
        if !value.is_empty() {
            fields.push((label, value));
        }
    }
    let view = SparePage {
        ctx: Ctx::new(&visitor, s.title()),
        id: s.id.0,
        category: s.category.to_string(),
        fields,
        quantity: s.quantity.get(),
        location: s
            .location
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        datasheet: s.datasheet.as_ref().map(ToString::to_string),
        shop,
        parameters: s
            .parameters
            .iter()
            .map(|(k, v)| (k.to_string(), v.display()))
            .collect(),
        notes: s.notes.clone(),
        history: history
            .iter()
            .map(|m| HistoryRow {
                at: m.at.format("%Y-%m-%d %H:%M").to_string(),
                delta: format!("{:+}", m.delta),
                after: m.quantity_after.get(),
                who: format!("{} ({})", m.actor, m.source),
                why: m.reason.clone().unwrap_or_default(),
            })
            .collect(),
    };
    Ok(page(&visitor, &view))
}

fn change(visitor: &Visitor) -> Change {
    Change::new(Source::Web, visitor.user().unwrap_or("web"))
}

/// `POST /s/{id}/stock`: `delta` (+1, −1, any whole number) or `set` (a
/// new quantity); then back to `back`. Refusals (not enough left, a bad
/// number) come back as a message; nothing changes.
pub async fn stock(
    State(state): State<AppState>,
    OnPage(SpareIdPath(id)): OnPage<SpareIdPath>,
    form: EditForm,
) -> Result<Response, PageError> {
    let back = local_path(form.get("back"), &format!("/s/{id}"));
    let change = change(&form.visitor).with_reason(form.get("reason"));
    let message = if !form.get("set").trim().is_empty() {
        match form.get("set").trim().parse::<Quantity>() {
            Ok(q) => match state.store.set_quantity(id, q, &change).await {
                Ok(_) => {
                    let s = state.store.get_spare(id).await?;
                    format!("{}: quantity set to {}.", describe(&s), s.quantity)
                }
                Err(e) => user_message(e)?,
            },
            Err(e) => failed(format!("New quantity: {e}; nothing was changed")),
        }
    } else {
        match form
            .get("delta")
            .trim()
            .trim_start_matches('+')
            .parse::<i64>()
        {
            Ok(0) | Err(_) => {
                failed("Say how many to add or take out (e.g. 1 or -1); nothing was changed")
            }
            Ok(delta) => match state.store.adjust(id, delta, &change).await {
                Ok(m) => {
                    let s = state.store.get_spare(id).await?;
                    format!("{}: {:+}, {} left.", describe(&s), delta, m.quantity_after)
                }
                Err(e) => user_message(e)?,
            },
        }
    };
    Ok(see_other(&back, Some(form.visitor.flash_cookie(&message))))
}

/// One input of the part form.
struct FormField {
    name: &'static str,
    label: &'static str,
    value: String,
    error: String,
    hint: &'static str,
    list: &'static str,
    kind: &'static str,
}

#[derive(Template)]
#[template(path = "spare_form.html")]
struct FormPage {
    ctx: Ctx,
    action: String,
    fields: Vec<FormField>,
    parameters: Vec<(String, String)>,
    parameters_error: String,
    categories: Vec<&'static str>,
    boxes: Vec<String>,
    shops: Vec<String>,
    editing: bool,
    notes: String,
    notes_error: String,
    summary: String,
}

/// The form's fields, in the order a person fills them (notes have their
/// own text area below).
const FORM_FIELDS: [Field; 14] = [
    Field::Category,
    Field::Value,
    Field::Package,
    Field::Quantity,
    Field::Location,
    Field::Reference,
    Field::Manufacturer,
    Field::Description,
    Field::LowStock,
    Field::UnitPrice,
    Field::Currency,
    Field::Shop,
    Field::Datasheet,
    Field::Tags,
];

/// The suggestion list a field offers (`<datalist>`), and its input type.
fn input_kind(field: Field) -> (&'static str, &'static str) {
    match field {
        Field::Category => ("categories", "text"),
        Field::Location => ("boxes", "text"),
        Field::Shop => ("shops", "text"),
        Field::Datasheet => ("", "url"),
        _ => ("", "text"),
    }
}

/// The spare as the form sent it.
fn input_from(form: &EditForm) -> SpareInput {
    let names: Vec<&str> = form.all("param_name").collect();
    let values: Vec<&str> = form.all("param_value").collect();
    let mut input = SpareInput {
        parameters: names
            .iter()
            .zip(values.iter())
            .filter(|(n, v)| !n.trim().is_empty() || !v.trim().is_empty())
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        ..SpareInput::default()
    };
    for field in Field::ALL {
        *input.get_mut(field) = form.get(field.name()).into();
    }
    input
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    visitor: &Visitor,
    title: String,
    action: String,
    input: &SpareInput,
    errors: Option<&InputErrors>,
    extra_rows: usize,
    editing: bool,
) -> Result<Response, PageError> {
    let error = |name: &str| {
        errors
            .map(|e| {
                e.0.iter()
                    .filter(|f| f.field == name)
                    .map(|f| f.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    };
    let mut parameters = input.parameters.clone();
    parameters.extend(std::iter::repeat_n(
        (String::new(), String::new()),
        extra_rows.max(1),
    ));
    let boxes = state
        .store
        .list_locations()
        .await?
        .into_iter()
        .map(|l| l.location.code.to_string())
        .collect();
    let shops = state
        .store
        .list_shops()
        .await?
        .into_iter()
        .map(|s| s.name.to_string())
        .collect();
    let summary = match errors {
        Some(e) if !e.0.is_empty() => format!(
            "Nothing was saved: {} field{} to fix.",
            e.0.len(),
            if e.0.len() == 1 { "" } else { "s" }
        ),
        _ => String::new(),
    };
    let view = FormPage {
        ctx: Ctx::new(visitor, title),
        action,
        fields: FORM_FIELDS
            .into_iter()
            .map(|field| {
                let (list, kind) = input_kind(field);
                FormField {
                    name: field.name(),
                    label: field.label(),
                    value: input.get(field).to_owned(),
                    error: error(field.name()),
                    hint: field.hint(),
                    list,
                    kind,
                }
            })
            .collect(),
        parameters,
        parameters_error: error("parameters"),
        categories: Builtin::ALL.iter().map(|b| b.key()).collect(),
        boxes,
        shops,
        editing,
        notes: input.notes.clone(),
        notes_error: error("notes"),
        summary: summary.clone(),
    };
    let response = page(visitor, &view);
    Ok(if summary.is_empty() {
        response
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, response).into_response()
    })
}

#[derive(Debug, Deserialize)]
pub struct NewParams {
    like: Option<i64>,
}

/// `GET /new`, or `/new?like={id}` to start from another part (the value,
/// reference, datasheet and notes are left blank for the next of a series).
pub async fn new_form(
    State(state): State<AppState>,
    Editor(visitor): Editor,
    params: Result<Query<NewParams>, QueryRejection>,
) -> Result<Response, PageError> {
    let like = params.ok().and_then(|Query(p)| p.like);
    let input = match like {
        Some(id) => {
            let s = state.store.get_spare(SpareId(id)).await?;
            SpareInput {
                value: String::new(),
                reference: String::new(),
                datasheet: String::new(),
                notes: String::new(),
                ..SpareInput::from_data(&s)
            }
        }
        None => SpareInput {
            currency: state.currency.to_string(),
            ..SpareInput::default()
        },
    };
    form_page(
        &state,
        &visitor,
        "Add a part".into(),
        "/new".into(),
        &input,
        None,
        3,
        false,
    )
    .await
}

/// `POST /new`: adds the part, or shows the form again with each error
/// beside its field (nothing saved). `then=another` goes on to a form
/// prefilled like this part.
pub async fn create(State(state): State<AppState>, form: EditForm) -> Result<Response, PageError> {
    let data = match submitted(&state, &form, "Add a part".into(), "/new".into(), false).await? {
        Ok(data) => data,
        Err(page) => return Ok(page),
    };
    let s = state
        .store
        .create_spare(data, &change(&form.visitor))
        .await?;
    Ok(after_save(&form, &s, "Added"))
}

/// The spare a submitted part form describes, or the form to show again:
/// with one more parameter row ("Add a parameter row"), or with each error
/// beside its field (nothing saved).
async fn submitted(
    state: &AppState,
    form: &EditForm,
    title: String,
    action: String,
    editing: bool,
) -> Result<Result<spares_core::SpareData, Response>, PageError> {
    let input = input_from(form);
    if !form.get("more").is_empty() {
        let rows = form.get("more").parse::<usize>().unwrap_or(1).min(20);
        let page = form_page(
            state,
            &form.visitor,
            title,
            action,
            &input,
            None,
            rows + 1,
            editing,
        );
        return Ok(Err(page.await?));
    }
    match input.parse(Some(state.currency)) {
        Ok(data) => Ok(Ok(data)),
        Err(errors) => {
            let page = form_page(
                state,
                &form.visitor,
                title,
                action,
                &input,
                Some(&errors),
                1,
                editing,
            );
            Ok(Err(page.await?))
        }
    }
}

fn after_save(form: &EditForm, s: &Spare, verb: &str) -> Response {
    let where_ = s
        .location
        .as_ref()
        .map(|l| format!(" in {l}"))
        .unwrap_or_default();
    let message = format!("{verb} {} × {}{where_}.", s.quantity, describe(s));
    if form.get("then") == "another" {
        see_other(
            &format!("/new?like={}", s.id),
            Some(
                form.visitor
                    .flash_cookie(&format!("{message} Add another like it:")),
            ),
        )
    } else {
        see_other(
            &format!("/s/{}", s.id),
            Some(form.visitor.flash_cookie(&message)),
        )
    }
}

/// `GET /s/{id}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    Editor(visitor): Editor,
    OnPage(SpareIdPath(id)): OnPage<SpareIdPath>,
) -> Result<Response, PageError> {
    let s = state.store.get_spare(id).await?;
    let input = SpareInput::from_data(&s);
    form_page(
        &state,
        &visitor,
        format!("Edit {}", s.title()),
        format!("/s/{}/edit", s.id),
        &input,
        None,
        1,
        true,
    )
    .await
}

/// `POST /s/{id}/edit`: replaces every field (a quantity change is recorded
/// in the history).
pub async fn update(
    State(state): State<AppState>,
    OnPage(SpareIdPath(id)): OnPage<SpareIdPath>,
    form: EditForm,
) -> Result<Response, PageError> {
    let current = state.store.get_spare(id).await?;
    let title = format!("Edit {}", current.title());
    let action = format!("/s/{id}/edit");
    let data = match submitted(&state, &form, title, action, true).await? {
        Ok(data) => data,
        Err(page) => return Ok(page),
    };
    let s = state
        .store
        .update_spare(id, data, &change(&form.visitor).with_reason("edited"))
        .await?;
    Ok(after_save(&form, &s, "Saved"))
}

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    ctx: Ctx,
    question: String,
    action: String,
    button: &'static str,
    cancel: String,
}

/// `GET /s/{id}/delete`: asks first.
pub async fn confirm_delete(
    State(state): State<AppState>,
    Editor(visitor): Editor,
    OnPage(SpareIdPath(id)): OnPage<SpareIdPath>,
) -> Result<Response, PageError> {
    let s = state.store.get_spare(id).await?;
    let view = ConfirmPage {
        ctx: Ctx::new(&visitor, format!("Delete {}?", s.title())),
        question: format!(
            "Delete {} × {}{}? Its history goes too; this cannot be undone.",
            s.quantity,
            describe(&s),
            s.location
                .as_ref()
                .map(|l| format!(" in {l}"))
                .unwrap_or_default()
        ),
        action: format!("/s/{}/delete", s.id),
        button: "Delete",
        cancel: format!("/s/{}", s.id),
    };
    Ok(page(&visitor, &view))
}

/// `POST /s/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    OnPage(SpareIdPath(id)): OnPage<SpareIdPath>,
    form: EditForm,
) -> Result<Response, PageError> {
    let s = state.store.get_spare(id).await?;
    state.store.delete_spare(id).await?;
    let message = format!("Deleted {} × {}.", s.quantity, describe(&s));
    Ok(see_other("/", Some(form.visitor.flash_cookie(&message))))
}
