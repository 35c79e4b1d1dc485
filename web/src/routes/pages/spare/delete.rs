//! Deleting a part, after asking.

use super::*;

#[derive(Template)]
#[template(path = "confirm.html")]
pub(super) struct ConfirmPage {
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
