//! Messages and keyboards: what the person sees. HTML parse mode; every
//! piece of stored or typed text goes through [`escape`].

use spares_core::PublicUrl;
use spares_core::answer::{describe, line};
use spares_core::location::LocationCode;
use spares_core::spare::Spare;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use teloxide::utils::html::escape;

use crate::action::Action;

/// Parts shown per page of an answer (one card each).
pub const PAGE: usize = 5;

fn button(text: impl Into<String>, action: Action) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text, action.to_string())
}

/// A link to a page of the web app, when its address is known.
pub fn link(public_url: Option<&PublicUrl>, path: &str, text: &str) -> String {
    match public_url {
        Some(base) => format!(
            "<a href=\"{}\">{}</a>",
            escape(&base.join(path)),
            escape(text)
        ),
        None => String::new(),
    }
}

/// "#12 · 150 × 10 kΩ 0805 in A1" with a link to the part's page.
pub fn card(spare: &Spare, public_url: Option<&PublicUrl>) -> String {
    let mut text = format!("<b>#{}</b> · {}", spare.id, escape(&line(spare)));
    if spare.is_low() && spare.quantity.get() > 0 {
        text.push_str(" ⚠️ low");
    }
    if !spare.reference.is_empty() && !describe(spare).contains(&spare.reference) {
        text.push_str(&format!("\n{}", escape(&spare.reference)));
    }
    let l = link(public_url, &format!("/s/{}", spare.id), "open in Spares");
    if !l.is_empty() {
        text.push('\n');
        text.push_str(&l);
    }
    text
}

/// −1 +1 −10 +10 / take out… set…
pub fn card_keyboard(spare: &Spare) -> InlineKeyboardMarkup {
    let id = spare.id;
    let adjust = |delta: i64| Action::Adjust { id, delta };
    InlineKeyboardMarkup::new(vec![
        vec![
            button("−1", adjust(-1)),
            button("+1", adjust(1)),
            button("−10", adjust(-10)),
            button("+10", adjust(10)),
        ],
        vec![
            button("take out…", Action::AskNumber { id, take: true }),
            button("set…", Action::AskNumber { id, take: false }),
        ],
    ])
}

/// "More (6–10 of 23)" under an answer, when there is more.
pub fn more_keyboard(list: u64, next: usize, total: u64) -> Option<InlineKeyboardMarkup> {
    if (next as u64) >= total {
        return None;
    }
    let last = (next + PAGE).min(total as usize);
    Some(InlineKeyboardMarkup::new(vec![vec![button(
        format!("More ({}–{last} of {total})", next + 1),
        Action::Page { list, offset: next },
    )]]))
}

/// Box choices for a scanned bag: known boxes, a new one, cancel.
pub fn box_choice_keyboard(proposal: u64, boxes: &[LocationCode]) -> InlineKeyboardMarkup {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = boxes
        .chunks(4)
        .map(|chunk| {
            chunk
                .iter()
                .map(|code| {
                    button(
                        code.to_string(),
                        Action::AddInto {
                            proposal,
                            code: code.clone(),
                        },
                    )
                })
                .collect()
        })
        .collect();
    rows.push(vec![
        button("Another box…", Action::AddIntoNew { proposal }),
        button("Cancel", Action::Cancel),
    ]);
    InlineKeyboardMarkup::new(rows)
}

/// Said once in a group chat that is not allowed.
pub const PRIVATE_ONLY: &str = "I only answer in private chats (parts, prices and exports are private): message me directly. The owner can allow this group with SPARES_BOT_ALLOWED_CHATS.";

pub const HELP: &str = "Ask me in plain words: <i>do I have a 10k resistor</i>, <i>any 100nF caps?</i>, <i>what's in box C2</i>.
Send a photo of a box label (or of a supplier bag) to see and change what is in it — as a file it keeps full resolution.

/find <i>text</i> — search
/box <i>code</i> — what is in a box
/add — add parts (asks step by step), or in one line: /add 10 x 10k 0805 in A1
/use <i>n</i> <i>part or #id</i> — take parts out
/undo — revert your last change
/low — parts running low
/label <i>box</i> — the box's label as PNG and PDF
/export — everything as CSV
Send a KiCad schematic or a BOM CSV as a file (or /check with one part per line) to know if you can build it — then Build, Shopping list, Details.
/projects — your projects; /build <i>name</i> <i>boards</i> — take their parts out
/cancel — stop what I was asking";

#[cfg(test)]
mod tests {
    use super::*;
    use spares_core::spare::{SpareId, SpareInput};

    fn spare(reference: &str) -> Spare {
        let data = SpareInput {
            category: "ic".into(),
            reference: reference.into(),
            quantity: "3".into(),
            location: "A1".into(),
            ..SpareInput::default()
        }
        .parse(None)
        .expect("spare");
        Spare {
            id: SpareId(7),
            data,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn cards_escape_stored_text() {
        let base = PublicUrl::parse("https://x.example/").expect("base");
        let text = card(&spare("<b>NE555</b>&"), Some(&base));
        assert!(text.contains("&lt;b&gt;NE555&lt;/b&gt;&amp;"), "{text}");
        assert!(!text.contains("<b>NE555"), "{text}");
        assert!(
            text.contains("<a href=\"https://x.example/s/7\">"),
            "{text}"
        );
        assert!(!card(&spare("X"), None).contains("<a "));
    }

    #[test]
    fn more_only_when_there_is_more() {
        assert!(more_keyboard(1, 5, 5).is_none());
        let kb = more_keyboard(1, 5, 23).expect("more");
        assert_eq!(kb.inline_keyboard[0][0].text, "More (6–10 of 23)");
    }
}
