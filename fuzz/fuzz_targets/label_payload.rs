//! Label payload parsing never panics; what parses renders to a URL and a
//! short form that parse back to the same payload. The public address a
//! URL is made under is parsed from the same input too (never panics; a
//! parsed one keeps no trailing slash).
#![no_main]

use libfuzzer_sys::fuzz_target;
use spares_core::PublicUrl;
use spares_labels::payload::Payload;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let base = PublicUrl::parse("https://spares.example").expect("a valid address");
    if let Ok(p) = Payload::parse(text) {
        assert_eq!(Payload::parse(&p.url(&base)), Ok(p.clone()));
        assert_eq!(Payload::parse(&p.short()), Ok(p));
    }
    if let Ok(url) = PublicUrl::parse(text) {
        assert!(!url.as_str().ends_with('/'));
        assert_eq!(PublicUrl::parse(url.as_str()).as_ref(), Ok(&url));
    }
});
