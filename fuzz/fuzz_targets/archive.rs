//! Reading a zip archive never panics and never returns more than the
//! limits, whatever the bytes (a valid local header is put in front of
//! half the inputs so mutations reach the directory parser often).
#![no_main]

use libfuzzer_sys::fuzz_target;
use spares_bom::archive::{MAX_TOTAL_BYTES, design_files};
use spares_bom::{MAX_FILE_BYTES, MAX_FILES};

fuzz_target!(|data: &[u8]| {
    let mut prefixed = b"PK\x03\x04".to_vec();
    prefixed.extend_from_slice(data);
    for bytes in [data, prefixed.as_slice()] {
        if let Ok(files) = design_files("f.zip", bytes) {
            assert!(files.len() <= MAX_FILES);
            assert!(files.iter().all(|f| f.bytes.len() <= MAX_FILE_BYTES));
            assert!(files.iter().map(|f| f.bytes.len()).sum::<usize>() <= MAX_TOTAL_BYTES);
        }
    }
});
