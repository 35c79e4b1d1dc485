//! The labels of boxes and parts as stored: what the web app, the CLI and
//! the bot print.

use spares_core::answer::describe;
use spares_core::query::Page;
use spares_core::{LocationCode, PublicUrl, Query, SpareId, Store, StoreError};

use crate::label::Label;
use crate::payload::Payload;

/// How many kinds of part a box label names before "+N more".
const NAMED: usize = 2;

/// A box's label: its code, name, and the parts it holds, most first
/// ("10 kΩ 0805 ×150 · 100 nF 0805 ×50 · +3 more").
pub async fn box_label(
    store: &dyn Store,
    code: &LocationCode,
    public_url: Option<&PublicUrl>,
) -> Result<Label, StoreError> {
    let location = store.get_location(code).await?;
    let query = Query {
        location: Some(code.clone()),
        ..Query::default()
    };
    let mut page = Page::first(200);
    page.sort.key = spares_core::query::SortKey::Quantity;
    page.sort.descending = true;
    let found = store.search(&query, &page).await?;
    let mut parts: Vec<String> = found
        .spares
        .iter()
        .take(NAMED)
        .map(|s| format!("{} ×{}", describe(s), s.quantity))
        .collect();
    if found.total > NAMED as u64 {
        parts.push(format!("+{} more", found.total - NAMED as u64));
    }
    Ok(Label::new(
        &Payload::Box(code.clone()),
        public_url,
        &location.name,
        &parts.join(" · "),
    ))
}

/// A part's label: its number, what it is, and where it lives.
pub async fn spare_label(
    store: &dyn Store,
    id: SpareId,
    public_url: Option<&PublicUrl>,
) -> Result<Label, StoreError> {
    let s = store.get_spare(id).await?;
    let place = s
        .location
        .as_ref()
        .map(|l| format!("box {l}"))
        .unwrap_or_default();
    let name = if s.reference.is_empty() {
        describe(&s)
    } else {
        format!("{} {}", describe(&s), s.reference)
    };
    Ok(Label::new(&Payload::Spare(s.id), public_url, &name, &place))
}
