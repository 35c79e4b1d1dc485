//! CSV import never panics; what it accepts exports and re-imports to the
//! same data.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spares_core::csv_io::{read_spares, write_spares};
use spares_core::{Currency, Spare, SpareId};

fuzz_target!(|data: &[u8]| {
    let eur = Currency::parse("EUR").ok();
    let Ok(spares) = read_spares(data, eur) else { return };
    let stored: Vec<Spare> = spares
        .into_iter()
        .enumerate()
        .map(|(i, data)| Spare {
            id: SpareId(i as i64),
            data,
            created_at: Default::default(),
            updated_at: Default::default(),
        })
        .collect();
    let mut out = Vec::new();
    write_spares(&mut out, &stored).expect("export");
    let again = read_spares(out.as_slice(), eur).expect("re-import of an export");
    let first: Vec<_> = stored.iter().map(|s| &s.data).collect();
    let second: Vec<_> = again.iter().collect();
    assert_eq!(first, second);
});
