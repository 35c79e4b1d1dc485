//! Reading a spare from form fields never panics; what parses turns back
//! into fields that parse to the same spare.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spares_core::SpareInput;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut fields = text.split('\u{1f}').map(str::to_owned);
    let mut next = || fields.next().unwrap_or_default();
    let input = SpareInput {
        category: next(),
        reference: next(),
        value: next(),
        package: next(),
        quantity: next(),
        unit_price: next(),
        currency: next(),
        location: next(),
        shop: next(),
        tags: next(),
        datasheet: next(),
        parameters: vec![(next(), next()), (next(), next())],
        ..SpareInput::default()
    };
    if let Ok(spare) = input.parse(None) {
        assert_eq!(SpareInput::from_data(&spare).parse(None), Ok(spare));
    }
});
