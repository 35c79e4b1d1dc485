//! Adding and editing a part: the form, its fields, errors beside each field.

use super::*;

/// One input of the part form.
pub(super) struct FormField {
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
pub(super) struct FormPage {
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
pub(super) const FORM_FIELDS: [Field; 14] = [
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
pub(super) fn input_kind(field: Field) -> (&'static str, &'static str) {
    match field {
        Field::Category => ("categories", "text"),
        Field::Location => ("boxes", "text"),
        Field::Shop => ("shops", "text"),
        Field::Datasheet => ("", "url"),
        _ => ("", "text"),
    }
}

/// The spare as the form sent it.
pub(super) fn input_from(form: &EditForm) -> SpareInput {
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
pub(super) async fn form_page(
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
        .locations()
        .await?
        .into_iter()
        .map(|l| l.code.to_string())
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

#[derive(Debug, Default, Deserialize)]
pub struct NewParams {
    like: Option<i64>,
    /// Filled in from a scanned supplier bag (the Scan page links here).
    #[serde(default)]
    reference: String,
    #[serde(default)]
    manufacturer: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    shop: String,
    #[serde(default)]
    notes: String,
}

/// `GET /new`, or `/new?like={id}` to start from another part (the value,
/// reference, datasheet and notes are left blank for the next of a series),
/// or `/new?reference=…&manufacturer=…&quantity=…&shop=…&notes=…` filled in
/// from a scanned bag.
pub async fn new_form(
    State(state): State<AppState>,
    Editor(visitor): Editor,
    params: Result<Query<NewParams>, QueryRejection>,
) -> Result<Response, PageError> {
    let params = params.ok().map(|Query(p)| p);
    let like = params.as_ref().and_then(|p| p.like);
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
        None => {
            let p = params.unwrap_or_default();
            SpareInput {
                currency: state.currency.to_string(),
                reference: p.reference,
                manufacturer: p.manufacturer,
                quantity: p.quantity,
                shop: p.shop,
                notes: p.notes,
                ..SpareInput::default()
            }
        }
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
pub(super) async fn submitted(
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

pub(super) fn after_save(form: &EditForm, s: &Spare, verb: &str) -> Response {
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
