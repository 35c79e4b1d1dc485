//! Reading a KiCad schematic never panics, whatever the bytes; what it
//! reads has a designator and a quantity for every line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spares_bom::{File, read_files};

fuzz_target!(|data: &[u8]| {
    // Half the inputs as a schematic (named so), half as the S-expression
    // text of one, so mutations stay inside the grammar often.
    let mut bytes = b"(kicad_sch (version 20250114) ".to_vec();
    bytes.extend_from_slice(data);
    for bytes in [data.to_vec(), bytes] {
        let files = [File { name: "f.kicad_sch".into(), bytes }];
        if let Ok(design) = read_files(&files, None) {
            for line in &design.lines {
                assert!(line.quantity >= 1);
                assert!(!line.designators.is_empty());
            }
        }
    }
});
