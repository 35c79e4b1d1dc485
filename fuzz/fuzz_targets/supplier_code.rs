//! Supplier code parsing (ISO 15434, LCSC, TME) never panics, and whatever
//! it accepts names a part.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(code) = spares_labels::supplier::parse(text) {
        assert!(code.part().is_some_and(|p| !p.trim().is_empty()));
    }
});
