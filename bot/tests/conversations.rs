//! Conversations with the bot through teloxide_tests' fake Bot API: every
//! command and flow, against a real SQLite store.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use common::{ALLOWED, PUBLIC_URL, STRANGER, Shop, shop};
use spares_bot::access::Gate;
use spares_bot::files::Files;
use spares_bot::{App, BotError, State, schema};
use spares_core::query::{Page, Query};
use spares_core::spare::SpareId;
use spares_core::{Quantity, Source};
use spares_labels::Payload;
use teloxide::dispatching::dialogue::InMemStorage;
use teloxide::dptree::deps;
use teloxide::prelude::*;
use teloxide::types::{FileMeta, InlineKeyboardButtonKind, InlineKeyboardMarkup, Message};
use teloxide_tests::{
    MockBot, MockCallbackQuery, MockGroupChat, MockMessageDocument, MockMessagePhoto,
    MockMessageText, MockPhotoSize, MockUser,
};

/// Photo bytes by file id (teloxide_tests' fake file server answers every
/// download with "Hello, world!", so real JPEGs come from here).
#[derive(Default)]
struct Photos {
    by_id: Mutex<HashMap<String, Vec<u8>>>,
    fetched: Mutex<u32>,
}

#[async_trait]
impl Files for Photos {
    async fn fetch(&self, _bot: &Bot, file: &FileMeta) -> Result<Vec<u8>, BotError> {
        *self.fetched.lock().expect("lock") += 1;
        self.by_id
            .lock()
            .expect("lock")
            .get(&file.id.to_string())
            .cloned()
            .ok_or_else(|| BotError::Download("no such file".into()))
    }
}

struct Harness {
    shop: Shop,
    photos: Arc<Photos>,
    bot: MockBot<BotError, teloxide_tests::mock_bot::DistributionKey>,
}

fn harness_with(shop: Shop, gate: Gate, first: MockMessageText) -> Harness {
    let photos = Arc::new(Photos::default());
    let app = App::new(
        shop.store.clone(),
        spares_core::PublicUrl::parse(PUBLIC_URL).ok(),
        gate,
        photos.clone(),
    );
    let mut bot = MockBot::new(first, schema());
    bot.dependencies(deps![app, InMemStorage::<State>::new()]);
    Harness { shop, photos, bot }
}

async fn harness(first: &str) -> Harness {
    let gate = Gate::new(ALLOWED.to_string().parse().expect("allow list"));
    harness_with(shop().await, gate, MockMessageText::new().text(first))
}

fn texts(bot: &MockBot<BotError, teloxide_tests::mock_bot::DistributionKey>) -> Vec<String> {
    bot.get_responses()
        .sent_messages_text
        .iter()
        .map(|m| m.bot_request.text.clone())
        .collect()
}

fn callbacks(markup: &InlineKeyboardMarkup) -> Vec<String> {
    markup
        .inline_keyboard
        .iter()
        .flatten()
        .filter_map(|b| match &b.kind {
            InlineKeyboardButtonKind::CallbackData(d) => Some(d.clone()),
            _ => None,
        })
        .collect()
}

fn keyboards(
    bot: &MockBot<BotError, teloxide_tests::mock_bot::DistributionKey>,
) -> Vec<Vec<String>> {
    bot.get_responses()
        .sent_messages_text
        .iter()
        .map(|m| m.message.reply_markup().map(callbacks).unwrap_or_default())
        .collect()
}

/// A button press on a card the bot sent earlier.
fn press(data: &str, on: Message) -> MockCallbackQuery {
    MockCallbackQuery::new().data(data.to_owned()).message(on)
}

fn card_message(text: &str) -> Message {
    MockMessageText::new().text(text).build()
}

async fn quantity(shop: &Shop, id: SpareId) -> i64 {
    shop.store
        .get_spare(id)
        .await
        .expect("spare")
        .quantity
        .get()
}

#[tokio::test]
async fn a_question_gets_the_answer_and_a_card_per_part() {
    let mut h = harness("do I have a 10k resistor").await;
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert!(t[0].starts_with("Yes: 150 × 10 kΩ 0805 in A1"), "{t:?}");
    let id = h.shop.resistor.id;
    assert!(
        t[1].contains(&format!("<b>#{id}</b> · 150 × 10 kΩ 0805 in A1")),
        "{t:?}"
    );
    assert!(
        t[1].contains(&format!("<a href=\"{PUBLIC_URL}/s/{id}\">")),
        "{t:?}"
    );
    let kb = &keyboards(&h.bot)[1];
    for want in [
        format!("a:{id}:-1"),
        format!("a:{id}:1"),
        format!("t:{id}"),
        format!("s:{id}"),
    ] {
        assert!(kb.contains(&want), "{kb:?}");
    }
    // Nothing matches: substitutes, no cards.
    h.bot
        .update(MockMessageText::new().text("any 33k resistor?"));
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert_eq!(t.len(), 1, "{t:?}");
    assert!(t[0].starts_with("No 33 kΩ resistor"), "{t:?}");
}

#[tokio::test]
async fn long_answers_are_paged_with_a_button() {
    let mut h = harness("0805").await;
    for v in ["1k", "2k2", "4k7", "22k", "47k", "100k"] {
        common::part(
            h.shop.store.as_ref(),
            &[
                ("category", "resistor"),
                ("value", v),
                ("package", "0805"),
                ("quantity", "10"),
            ],
        )
        .await;
    }
    h.bot.dispatch().await;
    let kbs = keyboards(&h.bot);
    let more = kbs.last().expect("keyboards").clone();
    assert_eq!(texts(&h.bot).len(), 1 + 5 + 1, "answer, 5 cards, More");
    assert_eq!(more.len(), 1, "{more:?}");
    assert!(
        more[0].starts_with("p:") && more[0].ends_with(":5"),
        "{more:?}"
    );
    h.bot.update(press(&more[0], card_message("…")));
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert!(t[0].starts_with("More for “0805” (6–8 of 8)"), "{t:?}");
    assert_eq!(t.len(), 1 + 3, "{t:?}");
    // A forgotten list says so.
    h.bot.update(press("p:999999:5", card_message("…")));
    h.bot.dispatch().await;
    let answered = h.bot.get_responses().answered_callback_queries;
    assert_eq!(
        answered[0].text.as_deref(),
        Some("That list is old — ask again.")
    );
}

#[tokio::test]
async fn buttons_change_todays_quantity_and_never_go_below_zero() {
    let mut h = harness("unused").await;
    let id = h.shop.resistor.id;
    // Someone took 50 on the web since the card was sent.
    h.shop
        .store
        .set_quantity(
            id,
            Quantity::new(100).expect("q"),
            &spares_core::Change::new(Source::Web, "admin"),
        )
        .await
        .expect("set");
    h.bot.update(press(
        &format!("a:{id}:-1"),
        card_message("#1 · 150 × 10 kΩ 0805 in A1"),
    ));
    h.bot.dispatch().await;
    assert_eq!(quantity(&h.shop, id).await, 99);
    let r = h.bot.get_responses();
    assert_eq!(
        r.answered_callback_queries[0].text.as_deref(),
        Some("-1 → 99 left")
    );
    assert!(
        r.edited_messages_text[0]
            .bot_request
            .text
            .contains("99 × 10 kΩ 0805 in A1"),
        "the card shows today's number"
    );

    // Quantity at zero: −1 is refused, nothing changes.
    let ic = h.shop.ic.id;
    h.shop
        .store
        .set_quantity(
            ic,
            Quantity::new(0).expect("q"),
            &spares_core::Change::new(Source::Web, "admin"),
        )
        .await
        .expect("set");
    h.bot
        .update(press(&format!("a:{ic}:-1"), card_message("#3 · 2 × NE555")));
    h.bot.dispatch().await;
    assert_eq!(quantity(&h.shop, ic).await, 0);
    let r = h.bot.get_responses();
    assert_eq!(
        r.answered_callback_queries[0].text.as_deref(),
        Some("Only 0 left; nothing taken.")
    );
    assert!(
        r.edited_messages_text[0]
            .bot_request
            .text
            .contains("none left of NE555"),
        "{:?}",
        r.edited_messages_text[0].bot_request.text
    );

    // A forged or stale payload changes nothing.
    h.bot
        .update(press(&format!("a:{id}:99999"), card_message("x")));
    h.bot.dispatch().await;
    assert_eq!(quantity(&h.shop, id).await, 99);
    let r = h.bot.get_responses();
    assert!(
        r.answered_callback_queries[0]
            .text
            .as_deref()
            .unwrap_or_default()
            .contains("not one of mine")
    );
}

#[tokio::test]
async fn take_out_and_set_ask_for_a_number() {
    let mut h = harness("unused").await;
    let id = h.shop.resistor.id;
    h.bot
        .update(press(&format!("t:{id}"), card_message("card")));
    h.bot.dispatch().await;
    assert!(texts(&h.bot)[0].starts_with(&format!(
        "How many to take out of #{id} 10 kΩ 0805 (150 now)?"
    )));
    h.bot.assert_state(State::Number { id, take: true }).await;
    h.bot.update(MockMessageText::new().text("five"));
    h.bot
        .dispatch_and_check_last_text("Send a whole number (0 or more), or /cancel.")
        .await;
    h.bot.update(MockMessageText::new().text("5"));
    h.bot.dispatch().await;
    assert_eq!(
        texts(&h.bot),
        vec![format!("Took 5: 145 left of #{id} 10 kΩ 0805.")]
    );
    h.bot.assert_state(State::Idle).await;

    h.bot
        .update(press(&format!("s:{id}"), card_message("card")));
    h.bot.dispatch().await;
    h.bot.update(MockMessageText::new().text("20"));
    h.bot
        .dispatch_and_check_last_text("Set: 20 × 10 kΩ 0805 in A1")
        .await;
    assert_eq!(quantity(&h.shop, id).await, 20);

    // Taking more than there is: refused, nothing changes.
    h.bot
        .update(press(&format!("t:{id}"), card_message("card")));
    h.bot.dispatch().await;
    h.bot.update(MockMessageText::new().text("25"));
    h.bot
        .dispatch_and_check_last_text(&format!("Only 20 left of #{id}; nothing was taken."))
        .await;
    assert_eq!(quantity(&h.shop, id).await, 20);
}

#[tokio::test]
async fn use_takes_parts_out_and_undo_puts_them_back() {
    let mut h = harness("/use 5 10k resistor").await;
    let id = h.shop.resistor.id;
    h.bot
        .dispatch_and_check_last_text(&format!("Took 5: 145 left of #{id} 10 kΩ 0805."))
        .await;
    let ic = h.shop.ic.id;
    h.bot
        .update(MockMessageText::new().text(format!("/use 3 #{ic}")));
    h.bot
        .dispatch_and_check_last_text(&format!("Only 2 left of #{ic}; nothing was taken."))
        .await;
    h.bot.update(MockMessageText::new().text("/use 1 0805"));
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert!(
        t[0].contains("matches 2 parts") && t[0].contains(&format!("/use 1 #{id}")),
        "{t:?}"
    );
    h.bot.update(MockMessageText::new().text("/use lots"));
    h.bot
        .dispatch_and_check_last_text("Start with how many, e.g. /use 5 10k 0805, or /use 5 #12")
        .await;

    // Every change is a movement from the bot, by this Telegram user.
    let history = h.shop.store.history(id, 5).await.expect("history");
    assert_eq!(history[0].delta, -5);
    assert_eq!(history[0].source, Source::Bot);
    assert_eq!(history[0].actor, format!("telegram:{ALLOWED}"));

    h.bot.update(MockMessageText::new().text("/undo"));
    h.bot
        .dispatch_and_check_last_text(&format!(
            "Undone (5 taken): #{id} 10 kΩ 0805 is back to 150."
        ))
        .await;
    assert_eq!(quantity(&h.shop, id).await, 150);
    h.bot.update(MockMessageText::new().text("/undo"));
    h.bot
        .dispatch_and_check_last_text("There is no change of yours to undo.")
        .await;
    assert_eq!(quantity(&h.shop, id).await, 150);
}

#[tokio::test]
async fn add_in_one_line_or_step_by_step() {
    let mut h = harness("/add 10 x 4.7k 0603 in C3").await;
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert!(
        t[0].starts_with("Added #4: 10 × 4.7 kΩ 0603 in C3."),
        "{t:?}"
    );
    let added = h.shop.store.get_spare(SpareId(4)).await.expect("added");
    assert_eq!(
        added.location.as_ref().map(|l| l.to_string()).as_deref(),
        Some("C3")
    );
    assert_eq!(
        h.shop.store.history(SpareId(4), 1).await.expect("h")[0].source,
        Source::Bot
    );

    h.bot.update(MockMessageText::new().text("/add 0 x 1k"));
    h.bot
        .dispatch_and_check_last_text(
            "The quantity must be at least 1, e.g. /add 10 x 10k 0805 in A1",
        )
        .await;

    h.bot.update(MockMessageText::new().text("/add"));
    h.bot.dispatch().await;
    h.bot.assert_state(State::AddWhat).await;
    for (answer, next) in [
        (
            "resistor",
            State::AddValue {
                what: "resistor".into(),
            },
        ),
        (
            "47 apples",
            State::AddValue {
                what: "resistor".into(),
            },
        ),
        (
            "47k",
            State::AddPackage {
                what: "resistor".into(),
                value: "47k".into(),
            },
        ),
        (
            "0805",
            State::AddQuantity {
                what: "resistor".into(),
                value: "47k".into(),
                package: "0805".into(),
            },
        ),
        (
            "many",
            State::AddQuantity {
                what: "resistor".into(),
                value: "47k".into(),
                package: "0805".into(),
            },
        ),
        (
            "30",
            State::AddBox {
                what: "resistor".into(),
                value: "47k".into(),
                package: "0805".into(),
                quantity: 30,
            },
        ),
        (
            "bad box!",
            State::AddBox {
                what: "resistor".into(),
                value: "47k".into(),
                package: "0805".into(),
                quantity: 30,
            },
        ),
    ] {
        h.bot.update(MockMessageText::new().text(answer));
        h.bot.dispatch().await;
        h.bot.assert_state(next).await;
    }
    h.bot.update(MockMessageText::new().text("D1"));
    h.bot.dispatch().await;
    h.bot.assert_state(State::Idle).await;
    let t = texts(&h.bot);
    assert!(
        t[0].starts_with("Added #5: 30 × 47 kΩ 0805 in D1."),
        "{t:?}"
    );

    // /cancel leaves a dialogue without adding anything.
    h.bot.update(MockMessageText::new().text("/add"));
    h.bot.dispatch().await;
    h.bot.update(MockMessageText::new().text("/cancel"));
    h.bot.dispatch_and_check_last_text("OK, cancelled.").await;
    h.bot.assert_state(State::Idle).await;
    assert_eq!(h.shop.store.count_spares().await.expect("count"), 5);
}

#[tokio::test]
async fn strangers_get_one_polite_refusal_and_nothing_else() {
    let stranger = MockUser::new().id(STRANGER).build();
    let mut h = harness("unused").await;
    let id = h.shop.resistor.id;
    h.bot.update(
        MockMessageText::new()
            .text("/use 5 #1")
            .from(stranger.clone()),
    );
    h.bot.dispatch().await;
    assert_eq!(
        texts(&h.bot),
        vec!["Sorry, this is a private bot: it only answers the people its owner allowed."]
    );
    h.bot.update(
        MockMessageText::new()
            .text("do I have a 10k resistor")
            .from(stranger.clone()),
    );
    h.bot.dispatch().await;
    assert!(texts(&h.bot).is_empty(), "told once only");
    h.bot
        .update(press(&format!("a:{id}:-10"), card_message("x")).from(stranger));
    h.bot.dispatch().await;
    assert_eq!(quantity(&h.shop, id).await, 150, "nothing changed");
    assert!(h.bot.get_responses().answered_callback_queries.is_empty());
}

/// In a group, cards and exports would reach every member: the bot says
/// once that it answers in private chats only, then stays silent — unless
/// the group is on SPARES_BOT_ALLOWED_CHATS.
#[tokio::test]
async fn in_a_group_the_bot_says_once_it_answers_privately_only() {
    let group = MockGroupChat::new().build();
    let mut h = harness_with(
        shop().await,
        Gate::new(ALLOWED.to_string().parse().expect("list")),
        MockMessageText::new().text("/export").chat(group.clone()),
    );
    h.bot.dispatch().await;
    assert_eq!(texts(&h.bot), vec![spares_bot::render::PRIVATE_ONLY]);
    assert!(h.bot.get_responses().sent_messages_document.is_empty());
    h.bot.update(
        MockMessageText::new()
            .text("do I have a 10k resistor")
            .chat(group.clone()),
    );
    h.bot.dispatch().await;
    assert!(texts(&h.bot).is_empty(), "told once only");
    // One MockBot at a time (teloxide_tests holds a global lock).
    drop(h);

    let allowed = Gate::new(ALLOWED.to_string().parse().expect("list"))
        .with_groups(MockGroupChat::ID.to_string().parse().expect("chats"));
    let mut h = harness_with(
        shop().await,
        allowed,
        MockMessageText::new().text("/low").chat(group),
    );
    h.bot.dispatch().await;
    assert!(
        !texts(&h.bot).is_empty() && texts(&h.bot)[0] != spares_bot::render::PRIVATE_ONLY,
        "an allowed group is answered"
    );
}

/// A small PNG file that would decode to 11,000 × 11,000 pixels (363 MB)
/// is refused from its header, within the bot's memory.
#[tokio::test]
async fn a_picture_with_too_many_pixels_is_refused_before_decoding() {
    let mut h = harness("unused").await;
    let bomb = {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, 11_000, 11_000);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("header");
        let mut stream = writer.stream_writer().expect("stream");
        use std::io::Write;
        stream.write_all(&vec![200u8; 33_000]).expect("a row");
        drop(stream);
        drop(writer);
        out
    };
    assert!(bomb.len() < 100_000);
    h.photos
        .by_id
        .lock()
        .expect("lock")
        .insert("bomb".into(), bomb);
    h.bot.update(
        MockMessageDocument::new()
            .file_id("bomb".into())
            .file_name("shelf.png")
            .mime_type("image/png".parse::<mime::Mime>().expect("mime")),
    );
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert_eq!(t.len(), 1, "{t:?}");
    assert!(
        t[0].starts_with("That picture is too big for me: the picture is 11000 × 11000 pixels; at most 24 megapixels"),
        "{t:?}"
    );
}

#[tokio::test]
async fn too_many_requests_are_slowed_down() {
    let gate = Gate::with_limit(
        ALLOWED.to_string().parse().expect("list"),
        2,
        Duration::from_secs(60),
    );
    let mut h = harness_with(shop().await, gate, MockMessageText::new().text("/low"));
    for expected in [1, 1, 1, 0] {
        h.bot.dispatch().await;
        assert_eq!(texts(&h.bot).len(), expected);
    }
}

#[tokio::test]
async fn boxes_low_stock_labels_and_export() {
    let mut h = harness("/box A1").await;
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert!(
        t[0].starts_with("In A1: ")
            && t[0].contains("150 × 10 kΩ 0805 in A1")
            && t[0].contains("40 × 100 nF 0805 in A1"),
        "{t:?}"
    );
    assert_eq!(t.len(), 3, "answer + 2 cards: {t:?}");
    h.bot.update(MockMessageText::new().text("/box Z9"));
    h.bot
        .dispatch_and_check_last_text("There is no box Z9.")
        .await;
    h.bot.update(MockMessageText::new().text("/low"));
    h.bot.dispatch().await;
    assert!(
        texts(&h.bot)[0].contains(&format!("#{} · 2 × NE555 DIP-8 in B2", h.shop.ic.id)),
        "{:?}",
        texts(&h.bot)
    );

    h.bot.update(MockMessageText::new().text("/label A1"));
    h.bot.dispatch().await;
    let docs = h.bot.get_responses().sent_messages_document;
    let names: Vec<&str> = docs
        .iter()
        .map(|d| d.bot_request.file_name.as_str())
        .collect();
    assert_eq!(names, ["label-A1.png", "label-A1.pdf"]);
    h.bot.update(MockMessageText::new().text("/label Q7"));
    h.bot
        .dispatch_and_check_last_text("There is no box Q7.")
        .await;

    h.bot.update(MockMessageText::new().text("/export"));
    h.bot.dispatch().await;
    let docs = h.bot.get_responses().sent_messages_document;
    assert_eq!(docs[0].bot_request.file_name, "spares.csv");
    assert!(
        docs[0].bot_request.file_data.contains("NE555"),
        "{}",
        docs[0].bot_request.file_data
    );
    assert_eq!(docs[0].bot_request.caption.as_deref(), Some("3 parts"));
}

fn photo_message(file_id: &str, size: u32) -> MockMessagePhoto {
    MockMessagePhoto::new().photo(vec![
        MockPhotoSize::new()
            .width(90)
            .height(51)
            .file_id(format!("{file_id}-thumb").into())
            .file_size(900)
            .build(),
        MockPhotoSize::new()
            .width(1600)
            .height(1200)
            .file_id(file_id.to_owned().into())
            .file_size(size)
            .build(),
    ])
}

#[tokio::test]
async fn photos_of_labels_show_the_box_or_the_part() {
    let mut h = harness("unused").await;
    let a1 = Payload::Box(spares_core::LocationCode::parse("A1").expect("code"));
    h.photos
        .by_id
        .lock()
        .expect("lock")
        .insert("box".into(), common::label_photo(&a1, false));
    h.photos
        .by_id
        .lock()
        .expect("lock")
        .insert("box-bad".into(), common::label_photo(&a1, true));
    h.photos.by_id.lock().expect("lock").insert(
        "ic".into(),
        common::label_photo(&Payload::Spare(h.shop.ic.id), true),
    );
    for file in ["box", "box-bad"] {
        h.bot.update(photo_message(file, 200_000));
        h.bot.dispatch().await;
        let t = texts(&h.bot);
        assert!(
            t.iter()
                .any(|m| m.starts_with("In A1: ") && m.contains("150 × 10 kΩ 0805")),
            "{file}: {t:?}"
        );
        assert!(
            t.iter()
                .any(|m| m.contains(&format!("<b>#{}</b>", h.shop.capacitor.id))),
            "{file}: {t:?}"
        );
    }
    // An image sent as a file (full resolution) works the same.
    h.bot.update(
        MockMessageDocument::new()
            .file_id("ic".into())
            .file_name("IMG_2041.JPG")
            .mime_type("image/jpeg".parse::<mime::Mime>().expect("mime")),
    );
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert_eq!(t.len(), 1, "{t:?}");
    assert!(
        t[0].contains(&format!("<b>#{}</b> · 2 × NE555", h.shop.ic.id)),
        "{t:?}"
    );
}

#[tokio::test]
async fn unreadable_and_oversized_photos_are_explained() {
    let mut h = harness("unused").await;
    h.photos
        .by_id
        .lock()
        .expect("lock")
        .insert("blank".into(), common::blank_photo());
    h.photos
        .by_id
        .lock()
        .expect("lock")
        .insert("text".into(), b"Hello, world!".to_vec());
    h.bot.update(photo_message("blank", 50_000));
    h.bot.dispatch().await;
    assert!(
        texts(&h.bot)[0]
            .starts_with("I found no QR code in that picture. Tips: hold the phone closer")
    );
    h.bot.update(photo_message("text", 13));
    h.bot.dispatch().await;
    assert_eq!(
        texts(&h.bot),
        vec!["I cannot read that picture: not a picture Spares can read (JPEG, PNG or WebP)."]
    );
    let before = *h.photos.fetched.lock().expect("lock");
    h.bot.update(photo_message("huge", 31 * 1024 * 1024));
    h.bot.dispatch().await;
    assert!(
        texts(&h.bot)[0].starts_with("That picture is 31.0 MB; I read pictures up to 20 MB."),
        "{:?}",
        texts(&h.bot)
    );
    assert_eq!(
        *h.photos.fetched.lock().expect("lock"),
        before,
        "not even downloaded"
    );
}

#[tokio::test]
async fn a_supplier_bag_is_filed_into_the_chosen_box() {
    let mut h = harness("unused").await;
    let bag = "{pbn:PICK1,on:SO2206171424,pc:C15850,pm:CL21B104KBCNNNC,qty:100}";
    h.photos
        .by_id
        .lock()
        .expect("lock")
        .insert("bag".into(), common::supplier_photo(bag));
    h.bot.update(photo_message("bag", 100_000));
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert_eq!(
        t,
        vec!["LCSC bag: add <b>100 × CL21B104KBCNNNC</b> — to which box?"]
    );
    let kb = keyboards(&h.bot)[0].clone();
    let into_a1 = kb
        .iter()
        .find(|d| d.starts_with("i:") && d.ends_with(":A1"))
        .expect("A1 button")
        .clone();
    assert!(
        kb.iter().any(|d| d.starts_with("n:")) && kb.contains(&"x".to_owned()),
        "{kb:?}"
    );
    h.bot.update(press(&into_a1, card_message("bag")));
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert!(
        t[0].starts_with("Added #4: 100 × CL21B104KBCNNNC in A1."),
        "{t:?}"
    );
    let added = h.shop.store.get_spare(SpareId(4)).await.expect("added");
    assert_eq!(
        added.shop.as_ref().map(|s| s.to_string()).as_deref(),
        Some("LCSC")
    );
    // The same button again: already filed, nothing added twice.
    h.bot.update(press(&into_a1, card_message("bag")));
    h.bot.dispatch().await;
    assert!(texts(&h.bot)[0].starts_with("That bag was already filed"));
    assert_eq!(h.shop.store.count_spares().await.expect("count"), 4);
    let found = h
        .shop
        .store
        .search(
            &Query::default().with_term("CL21B104KBCNNNC"),
            &Page::first(5),
        )
        .await
        .expect("search");
    assert_eq!(found.total, 1);

    // The same part again: the bot offers to add to the one in stock.
    h.bot.update(photo_message("bag", 100_000));
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert!(
        t[0].contains("You already have #4: 100 × CL21B104KBCNNNC in A1."),
        "{t:?}"
    );
    let kb = keyboards(&h.bot)[0].clone();
    assert_eq!(kb[0], "a:4:100", "{kb:?}");
    h.bot.update(press(&kb[0], card_message("bag")));
    h.bot.dispatch().await;
    assert_eq!(quantity(&h.shop, SpareId(4)).await, 200);

    // Or into a box that does not exist yet, typed after "Another box…".
    h.bot.update(photo_message("bag", 100_000));
    h.bot.dispatch().await;
    let new_box = keyboards(&h.bot)[0]
        .iter()
        .find(|d| d.starts_with("n:"))
        .expect("new box")
        .clone();
    h.bot.update(press(&new_box, card_message("bag")));
    h.bot.dispatch().await;
    assert_eq!(texts(&h.bot), vec!["Type the box code (e.g. D4)."]);
    h.bot.update(MockMessageText::new().text("no such code!"));
    h.bot.dispatch().await;
    assert!(
        texts(&h.bot)[0].contains("type a box code like D4"),
        "{:?}",
        texts(&h.bot)
    );
    h.bot.update(MockMessageText::new().text("e5"));
    h.bot.dispatch().await;
    assert!(
        texts(&h.bot)[0].starts_with("Added #5: 100 × CL21B104KBCNNNC in E5."),
        "{:?}",
        texts(&h.bot)
    );
    h.bot.assert_state(State::Idle).await;
}

#[tokio::test]
async fn help_and_unknown_messages() {
    let mut h = harness("/start").await;
    h.bot.dispatch().await;
    assert!(texts(&h.bot)[0].contains("/add 10 x 10k 0805 in A1"));
    h.bot.update(MockMessageText::new().text("/help"));
    h.bot.dispatch().await;
    assert!(texts(&h.bot)[0].contains("/undo — revert your last change"));
    h.bot.update(MockMessageText::new().text("/find"));
    h.bot
        .dispatch_and_check_last_text("What should I look for? e.g. <code>/find 10k 0805</code>")
        .await;
    h.bot
        .update(MockMessageText::new().text("<script>alert(1)</script>"));
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert!(
        !t[0].contains("<script") && !t[0].contains("</script") && t[0].contains("&gt;"),
        "{t:?}"
    );
}

#[tokio::test]
async fn a_typed_list_is_checked_saved_built_and_undone() {
    // 150 × 10k, 40 × 100 nF, 2 × NE555 in stock.
    let mut h = harness("/check\n4x 10k 0805\n100nF x6\n3x NE555\n1x LM358").await;
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert_eq!(t.len(), 2, "{t:?}");
    assert!(t[0].starts_with("Saved as project #1 “List "), "{t:?}");
    assert!(
        t[1].contains("(4 lines): you can build 0 boards from stock now."),
        "{t:?}"
    );
    assert!(t[1].contains("\nShort: 3 × NE555 (you have 2)."), "{t:?}");
    assert!(t[1].contains("\nMissing: 1 × LM358."), "{t:?}");
    let kb = &keyboards(&h.bot)[1];
    assert_eq!(
        kb,
        &["ps:1:1".to_owned(), "pd:1:1".to_owned()],
        "no Build: {kb:?}"
    );
    // Details: every line with where to take it.
    h.bot.update(press("pd:1:1", card_message("…")));
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert!(
        t[0].contains("✅ 4 × 10k 0805 — enough\n    take 4 from A1 (#"),
        "{t:?}"
    );
    assert!(t[0].contains("❌ 1 × LM358 — missing"), "{t:?}");
    // The shopping list.
    h.bot.update(press("ps:1:1", card_message("…")));
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert!(
        t[0].contains("1 × NE555 for NE555\n1 × LM358 for LM358"),
        "{t:?}"
    );
    // /build refuses, naming the lines; nothing taken.
    h.bot.update(MockMessageText::new().text("/build #1"));
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert!(
        t[0].starts_with("Cannot build 1 × List ")
            && t[0]
                .contains("Line 3 (NE555) is short: 2 of 3 in stock. Line 4 (LM358) is missing."),
        "{t:?}"
    );
    assert_eq!(quantity(&h.shop, h.shop.resistor.id).await, 150);
}

#[tokio::test]
async fn a_bom_file_becomes_a_project_with_build_and_undo_buttons() {
    let mut h = harness("unused").await;
    let csv = "Reference,Value,Footprint,Qty\n\"R1,R2\",10k,Resistor_SMD:R_0805_2012Metric,2\nC1,100n,Capacitor_SMD:C_0805_2012Metric,1\n";
    h.photos
        .by_id
        .lock()
        .expect("lock")
        .insert("bom".into(), csv.as_bytes().to_vec());
    let doc = || {
        MockMessageDocument::new()
            .file_id("bom".into())
            .file_name("blinky-v2.csv")
            .mime_type("text/csv".parse::<mime::Mime>().expect("mime"))
    };
    h.bot.update(doc());
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert_eq!(t[0], "Saved as project #1 “blinky-v2”.", "{t:?}");
    assert!(
        t[1].starts_with("<b>blinky-v2</b> (2 lines): you can build 40 boards from stock now."),
        "{t:?}"
    );
    let kb = &keyboards(&h.bot)[1];
    assert_eq!(kb[0], "pb:1:1", "{kb:?}");
    // The same file again replaces the project's lines.
    h.bot.update(doc());
    h.bot.dispatch().await;
    assert_eq!(texts(&h.bot)[0], "Updated project #1 “blinky-v2”.");
    // Build 1, then undo it.
    h.bot.update(press("pb:1:1", card_message("…")));
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert!(
        t[0].starts_with("Built 1 × blinky-v2: took 3 parts from 2 spares.\nA1: 2 × 10 kΩ 0805"),
        "{t:?}"
    );
    let kb = &keyboards(&h.bot)[0];
    assert_eq!(kb, &["pu:1".to_owned()]);
    assert_eq!(quantity(&h.shop, h.shop.resistor.id).await, 148);
    h.bot.update(press("pu:1", card_message("…")));
    h.bot.dispatch().await;
    assert_eq!(texts(&h.bot)[0], "Build undone: 3 parts put back.");
    assert_eq!(quantity(&h.shop, h.shop.resistor.id).await, 150);
    h.bot.update(press("pu:1", card_message("…")));
    h.bot.dispatch().await;
    assert_eq!(
        texts(&h.bot)[0],
        "build #1 was undone already; nothing was changed."
    );
    // /projects and /build NAME N.
    h.bot.update(MockMessageText::new().text("/projects"));
    h.bot.dispatch().await;
    let t = texts(&h.bot);
    assert!(t[0].contains("#1 blinky-v2 — 2 lines"), "{t:?}");
    h.bot
        .update(MockMessageText::new().text("/build blinky-v2 2"));
    h.bot.dispatch().await;
    assert!(texts(&h.bot)[0].starts_with("Built 2 × blinky-v2: took 6 parts"));
    assert_eq!(quantity(&h.shop, h.shop.resistor.id).await, 146);
    h.bot
        .update(MockMessageText::new().text("/build nothing-like-it"));
    h.bot.dispatch().await;
    assert!(texts(&h.bot)[0].starts_with("There is no project “nothing-like-it”"));
}

#[tokio::test]
async fn a_bad_design_file_says_what_and_saves_nothing() {
    let mut h = harness("unused").await;
    for (id, name, bytes) in [
        (
            "cut",
            "amp.kicad_sch",
            &b"(kicad_sch (version 20230121) (symbol"[..],
        ),
        ("words", "notes.csv", &b"just some words\nand more\n"[..]),
    ] {
        h.photos
            .by_id
            .lock()
            .expect("lock")
            .insert(id.into(), bytes.to_vec());
        h.bot.update(
            MockMessageDocument::new()
                .file_id(id.into())
                .file_name(name)
                .mime_type("text/plain".parse::<mime::Mime>().expect("mime")),
        );
        h.bot.dispatch().await;
        let t = texts(&h.bot);
        assert_eq!(t.len(), 1, "{t:?}");
        assert!(
            t[0].contains(name) && t[0].ends_with("nothing was saved."),
            "{t:?}"
        );
    }
    assert!(h.shop.store.list_projects().await.expect("list").is_empty());
    // A stale button for a project deleted since: a toast.
    h.bot.update(press("pb:9:1", card_message("…")));
    h.bot.dispatch().await;
    let answered = h.bot.get_responses().answered_callback_queries;
    assert_eq!(
        answered[0].text.as_deref(),
        Some("That project no longer exists.")
    );
}
