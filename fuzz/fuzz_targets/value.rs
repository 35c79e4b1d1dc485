//! Value parsing never panics; a parsed value is finite, formats, and its
//! formatted text parses back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spares_core::{Unit, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let hint = data.first().map(|b| Unit::ALL[usize::from(*b) % Unit::ALL.len()]);
    for h in [None, hint] {
        if let Ok(v) = Value::parse(text, h) {
            assert!(v.si().is_finite());
            let formatted = v.formatted();
            let back = Value::parse(&formatted, None).expect("formatted values parse");
            assert!(v.same_as(&back), "{text:?} -> {formatted:?} -> {}", back.si());
        }
    }
    let _ = spares_core::codes::resistor_digit_code(text);
    let _ = spares_core::codes::capacitor_digit_code(text);
    let _ = spares_core::codes::eia96(text);
});
