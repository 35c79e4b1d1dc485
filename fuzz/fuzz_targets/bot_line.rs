//! The bot's `/add` and `/use` arguments and button payloads never panic;
//! what `/add` accepts fills a form, and a payload that parses prints back
//! to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spares_bot::action::Action;
use spares_core::stock::{add_line, spare_input, use_line};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(add) = add_line(text) {
        assert!(add.quantity > 0 && !add.what.is_empty());
        let input = spare_input(&add.what, add.quantity, add.location.as_ref());
        let _ = input.parse(None);
    }
    if let Ok(u) = use_line(text) {
        assert!(u.count > 0);
    }
    if let Ok(action) = text.parse::<Action>() {
        let again: Action = action.to_string().parse().expect("round trip");
        assert_eq!(again, action);
    }
});
