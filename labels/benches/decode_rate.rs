//! `cargo bench -p spares-labels --bench decode_rate`: the degraded-photo
//! set (tests/photos/mod.rs), `SPARES_BENCH_PHOTOS` pictures per
//! degradation (default 40). Reports, per degradation, how many decode to
//! exactly their labels' texts and the time per picture — for
//! `decode::decode` and, as a baseline, plain `rqrr` on the whole picture.
//! Target: ≥ 95% overall.

use std::time::Instant;

#[path = "../tests/photos/mod.rs"]
mod photos;

use photos::{Degradation, photo};

fn plain_rqrr(jpeg: &[u8]) -> Vec<String> {
    let Ok(img) = image::load_from_memory(jpeg) else {
        return Vec::new();
    };
    let mut prepared = rqrr::PreparedImage::prepare(img.into_luma8());
    let mut texts: Vec<String> = prepared
        .detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, t)| t))
        .collect();
    texts.sort();
    texts.dedup();
    texts
}

fn main() {
    let n: u64 = std::env::var("SPARES_BENCH_PHOTOS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    println!(
        "{:<28} {:>12} {:>10} {:>10} {:>14}",
        "degradation", "decode", "mean ms", "max ms", "plain rqrr"
    );
    let (mut all_ok, mut all_plain, mut all) = (0u64, 0u64, 0u64);
    for kind in Degradation::ALL {
        let (mut ok, mut plain, mut times) = (0u64, 0u64, Vec::new());
        for seed in 1000..1000 + n {
            let p = photo(kind, seed);
            let start = Instant::now();
            let got = spares_labels::decode::decode(&p.jpeg).unwrap_or_default();
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            ok += u64::from(got == p.expected);
            plain += u64::from(plain_rqrr(&p.jpeg) == p.expected);
        }
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        let max = times.iter().copied().fold(0.0, f64::max);
        println!(
            "{:<28} {:>5}/{:<3} {:>3}% {:>9.0} {:>10.0} {:>10}/{}",
            kind.name(),
            ok,
            n,
            ok * 100 / n,
            mean,
            max,
            plain,
            n
        );
        all_ok += ok;
        all_plain += plain;
        all += n;
    }
    println!(
        "overall: {all_ok}/{all} = {:.1}% (plain rqrr on the whole picture: {:.1}%)",
        all_ok as f64 * 100.0 / all as f64,
        all_plain as f64 * 100.0 / all as f64
    );
}
