//! The stock buttons: ±1, any whole number, or a new quantity.

use super::*;

pub(super) fn change(visitor: &Visitor) -> Change {
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
