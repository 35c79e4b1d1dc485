//! A pasted list and a BOM table never panic the reader; every line read
//! has a quantity of at least one and something that says what it is.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spares_bom::{File, read_files, read_pasted};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(design) = read_pasted("list", text) {
        for line in &design.lines {
            assert!(line.quantity >= 1);
            assert!(!line.text.trim().is_empty());
        }
    }
    let mut table = String::from("Reference,Value,Footprint,Qty,LCSC\n");
    table.push_str(text);
    let files = [File { name: "bom.csv".into(), bytes: table.into_bytes() }];
    if let Ok(design) = read_files(&files, None) {
        for line in &design.lines {
            assert!(line.quantity >= 1);
            assert!(!(line.value.is_empty() && line.mpn.is_empty() && line.suppliers.is_empty()));
        }
    }
});
