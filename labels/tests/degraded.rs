//! The degraded-photo set (see `photos/mod.rs`): at least 95% of pictures
//! decode to exactly their labels' texts. The full set with timings is the
//! `decode_rate` benchmark.

mod photos;

use photos::{Degradation, photo};
use spares_labels::decode::decode;

#[test]
fn at_least_95_percent_of_degraded_photos_decode() {
    let per_kind = 5;
    let mut total = 0;
    let mut ok = 0;
    let mut report = Vec::new();
    for kind in Degradation::ALL {
        let mut kind_ok = 0;
        for seed in 0..per_kind {
            let p = photo(kind, seed);
            let got = decode(&p.jpeg).expect("a readable JPEG");
            if got == p.expected {
                kind_ok += 1;
            }
        }
        total += per_kind;
        ok += kind_ok;
        report.push(format!("{}: {kind_ok}/{per_kind}", kind.name()));
    }
    let rate = ok as f64 / total as f64;
    println!("{}", report.join("\n"));
    assert!(
        rate >= 0.95,
        "decoded {ok}/{total} = {:.1}%:\n{}",
        rate * 100.0,
        report.join("\n")
    );
}
