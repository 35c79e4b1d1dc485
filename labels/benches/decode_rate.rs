//! `cargo bench -p spares-labels --bench decode_rate`: first the 63 real
//! camera photos (tests/real-photos: read, missed, wrong, median and p90
//! time), then the degraded-photo set (tests/photos/mod.rs),
//! `SPARES_BENCH_PHOTOS` pictures per degradation (default 40; 0 skips it). Reports, per degradation, how many decode to
//! exactly their labels' texts and the time per picture — for
//! `decode::decode` and, as a baseline, plain `rqrr` on the whole picture.
//! Target: ≥ 95% overall. When `zbarimg` (Debian zbar-tools) is installed,
//! it runs on the same pictures for comparison (its time includes starting
//! the process, ~5 ms here, reported separately).

use std::time::Instant;

#[path = "../tests/photos/mod.rs"]
mod photos;
#[path = "../tests/real-photos/mod.rs"]
mod real;

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

/// zbarimg's texts and its wall time in ms, if it is installed.
fn zbar(picture: &[u8], dir: &std::path::Path) -> Option<(Vec<String>, f64)> {
    let name = if picture.starts_with(b"\x89PNG") {
        "photo.png"
    } else {
        "photo.jpg"
    };
    let path = dir.join(name);
    std::fs::write(&path, picture).ok()?;
    let start = Instant::now();
    let out = std::process::Command::new("zbarimg")
        .args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"])
        .arg(&path)
        .output()
        .ok()?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let mut texts: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .filter(|l| !l.is_empty())
        .collect();
    texts.sort();
    texts.dedup();
    Some((texts, ms))
}

fn main() {
    let dir = std::env::temp_dir().join(format!("spares-decode-rate-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    // Process start-up alone: zbarimg on an empty 16×16 picture.
    let blank = {
        let mut out = Vec::new();
        let img = image::GrayImage::from_pixel(16, 16, image::Luma([255]));
        let _ = image::codecs::jpeg::JpegEncoder::new(&mut out).encode_image(&img);
        out
    };
    let startup = (0..5)
        .filter_map(|_| zbar(&blank, &dir).map(|(_, ms)| ms))
        .fold(f64::INFINITY, f64::min);
    real_photos(&dir, startup);
    let n: u64 = std::env::var("SPARES_BENCH_PHOTOS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    println!(
        "{:<28} {:>12} {:>10} {:>10} {:>14} {:>10} {:>12}",
        "degradation", "decode", "mean ms", "max ms", "plain rqrr", "zbar", "zbar mean ms"
    );
    let (mut all_ok, mut all_plain, mut all) = (0u64, 0u64, 0u64);
    let (mut all_zbar, mut zbar_ms, mut ours_ms) = (0u64, 0.0f64, 0.0f64);
    for kind in Degradation::ALL.into_iter().filter(|_| n > 0) {
        let (mut ok, mut plain, mut times) = (0u64, 0u64, Vec::new());
        let (mut z_ok, mut z_times) = (0u64, Vec::new());
        for seed in 1000..1000 + n {
            let p = photo(kind, seed);
            let start = Instant::now();
            let got = spares_labels::decode::decode(&p.jpeg).unwrap_or_default();
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            ok += u64::from(got == p.expected);
            plain += u64::from(plain_rqrr(&p.jpeg) == p.expected);
            if let Some((texts, ms)) = zbar(&p.jpeg, &dir) {
                z_ok += u64::from(texts == p.expected);
                z_times.push(ms - startup);
            }
        }
        let z_mean = if z_times.is_empty() {
            f64::NAN
        } else {
            z_times.iter().sum::<f64>() / z_times.len() as f64
        };
        all_zbar += z_ok;
        zbar_ms += z_times.iter().sum::<f64>();
        ours_ms += times.iter().sum::<f64>();
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        let max = times.iter().copied().fold(0.0, f64::max);
        println!(
            "{:<28} {:>5}/{:<3} {:>3}% {:>9.0} {:>10.0} {:>10}/{} {:>7}/{} {:>12.0}",
            kind.name(),
            ok,
            n,
            ok * 100 / n,
            mean,
            max,
            plain,
            n,
            z_ok,
            n,
            z_mean
        );
        all_ok += ok;
        all_plain += plain;
        all += n;
    }
    if all == 0 {
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    println!(
        "overall: {all_ok}/{all} = {:.1}% (plain rqrr on the whole picture: {:.1}%; zbar: {:.1}%)",
        all_ok as f64 * 100.0 / all as f64,
        all_plain as f64 * 100.0 / all as f64,
        all_zbar as f64 * 100.0 / all as f64
    );
    println!(
        "total decode time: ours {:.1} s, zbar {:.1} s (without its {startup:.0} ms process start per picture)",
        ours_ms / 1000.0,
        zbar_ms / 1000.0
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The `q`-quantile of some times (sorted in place).
fn quantile(times: &mut [f64], q: f64) -> f64 {
    if times.is_empty() {
        return f64::NAN;
    }
    times.sort_by(f64::total_cmp);
    let i = ((times.len() - 1) as f64 * q).round() as usize;
    times[i]
}

/// The real camera photos (tests/real-photos): read, missed and wrong,
/// median and p90 time per photo; the same for zbar when installed.
fn real_photos(dir: &std::path::Path, startup: f64) {
    let photos = real::all();
    let (mut read, mut wrong, mut times, mut missed) = (0, 0, Vec::new(), Vec::new());
    let (mut z_read, mut z_wrong, mut z_times) = (0, 0, Vec::new());
    for p in &photos {
        let start = Instant::now();
        let texts = spares_labels::decode::decode(&p.bytes).unwrap_or_default();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        match real::judge(p, &texts) {
            real::Outcome::Read => read += 1,
            real::Outcome::Wrong => wrong += 1,
            real::Outcome::Missed => missed.push(p.name.clone()),
        }
        if let Some((texts, ms)) = zbar(&p.bytes, dir) {
            z_times.push(ms - startup);
            match real::judge(p, &texts) {
                real::Outcome::Read => z_read += 1,
                real::Outcome::Wrong => z_wrong += 1,
                real::Outcome::Missed => {}
            }
        }
    }
    let n = photos.len();
    println!(
        "real photos: read {read}/{n} ({:.1}%), wrong {wrong}; median {:.1} ms, p90 {:.1} ms per photo",
        read as f64 * 100.0 / n as f64,
        quantile(&mut times, 0.5),
        quantile(&mut times, 0.9)
    );
    if z_times.is_empty() {
        println!("zbar: not installed (apt-get install zbar-tools)");
    } else {
        println!(
            "zbar:        read {z_read}/{n} ({:.1}%), wrong {z_wrong}; median {:.1} ms, p90 {:.1} ms (without its process start)",
            z_read as f64 * 100.0 / n as f64,
            quantile(&mut z_times, 0.5),
            quantile(&mut z_times, 0.9)
        );
    }
    println!("missed: {missed:?}");
}
