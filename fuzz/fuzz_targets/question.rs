//! Question understanding never panics and its interpretation always renders.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let understood = spares_core::question::understand(text);
    let _ = understood.query.to_string();
});
