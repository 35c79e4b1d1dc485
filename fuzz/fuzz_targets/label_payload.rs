//! Label payload parsing never panics; what parses renders to a URL and a
//! short form that parse back to the same payload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spares_labels::payload::Payload;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(p) = Payload::parse(text) {
        assert_eq!(Payload::parse(&p.url("https://spares.example")), Ok(p.clone()));
        assert_eq!(Payload::parse(&p.short()), Ok(p));
    }
});
