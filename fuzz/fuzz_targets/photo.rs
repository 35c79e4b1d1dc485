//! Any bytes sent as a photo: a clear error or a (possibly empty) list of
//! texts, never a panic, within the memory limits.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(img) = spares_labels::decode::load(data) {
        // Decoding every preparation is slow; bound the work per input.
        if u64::from(img.width()) * u64::from(img.height()) <= 1_000_000 {
            let _ = spares_labels::decode::texts_in(&img);
        }
    }
});
