//! A realistic inventory for benchmarks: values spread over the E24/E12
//! series and six decades, several packages, thousands of boxes, real
//! part-number shapes. Deterministic for a seed.

// Each benchmark uses some of these.
#![allow(dead_code)]

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use spares_core::{Change, Source, SpareData, SpareInput, Store};
use spares_sqlite::SqliteStore;

/// How many spares a benchmark fills: `SPARES_BENCH_SPARES`, else `default`.
pub fn spares_wanted(default: usize) -> usize {
    std::env::var("SPARES_BENCH_SPARES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// An SQLite store in `dir` holding `n` spares of the inventory (seed 2).
pub async fn sqlite_with_inventory(dir: &std::path::Path, n: usize) -> SqliteStore {
    let store = SqliteStore::open(dir.join("bench.db")).await.expect("open");
    store
        .import(inventory(n, 2), &Change::new(Source::Import, "bench"), None)
        .await
        .expect("import");
    store
}

const E24: [f64; 24] = [
    1.0, 1.1, 1.2, 1.3, 1.5, 1.6, 1.8, 2.0, 2.2, 2.4, 2.7, 3.0, 3.3, 3.6, 3.9, 4.3, 4.7, 5.1, 5.6,
    6.2, 6.8, 7.5, 8.2, 9.1,
];
const E12: [f64; 12] = [1.0, 1.2, 1.5, 1.8, 2.2, 2.7, 3.3, 3.9, 4.7, 5.6, 6.8, 8.2];
const CHIPS: [&str; 4] = ["0402", "0603", "0805", "1206"];
const ICS: [&str; 24] = [
    "NE555P",
    "LM358N",
    "LM741CN",
    "TL072CP",
    "74HC595N",
    "74HC00N",
    "CD4017BE",
    "ULN2003A",
    "MAX232N",
    "L293D",
    "LM386N-1",
    "TL431A",
    "OPA2134PA",
    "NE5532P",
    "ADS1115IDGS",
    "MCP3008-I/P",
    "PCF8574P",
    "DS1307N",
    "24LC256",
    "W25Q32JV",
    "CH340G",
    "FT232RL",
    "TPS54331",
    "INA219",
];
const MCUS: [&str; 8] = [
    "ATMEGA328P-PU",
    "ATMEGA32U4-AU",
    "ATTINY85-20PU",
    "STM32F103C8T6",
    "ESP32-WROOM-32",
    "RP2040",
    "PIC16F628A",
    "ATSAMD21G18A",
];
const TRANSISTORS: [&str; 10] = [
    "BC547B", "BC557B", "2N2222A", "2N3904", "2N3906", "IRLZ44N", "IRF540N", "AO3400A", "BSS138",
    "TIP120",
];

fn si_text(value: f64, unit: &str) -> String {
    let (scaled, prefix) = [
        (1e6, "M"),
        (1e3, "k"),
        (1.0, ""),
        (1e-3, "m"),
        (1e-6, "u"),
        (1e-9, "n"),
        (1e-12, "p"),
    ]
    .into_iter()
    .find(|(m, _)| value >= *m * 0.999)
    .map_or((value / 1e-12, "p"), |(m, p)| (value / m, p));
    format!("{}{prefix}{unit}", (scaled * 100.0).round() / 100.0)
}

pub fn inventory(n: usize, seed: u64) -> Vec<SpareData> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n).map(|i| spare(&mut rng, i)).collect()
}

fn spare(rng: &mut StdRng, i: usize) -> SpareData {
    let boxes = format!(
        "{}{}",
        (b'A' + rng.gen_range(0..26)) as char,
        rng.gen_range(1..100)
    );
    let mut input = SpareInput {
        quantity: rng.gen_range(0..500).to_string(),
        location: boxes,
        shop: ["LCSC", "Mouser", "Digi-Key", "AliExpress", "TME"][rng.gen_range(0..5)].into(),
        unit_price: format!("0.{:03}", rng.gen_range(1..999)),
        currency: "EUR".into(),
        low_stock: if rng.gen_bool(0.3) {
            rng.gen_range(0..20).to_string()
        } else {
            String::new()
        },
        ..SpareInput::default()
    };
    let roll = rng.gen_range(0..100);
    match roll {
        0..=39 => {
            let v = E24.choose(rng).copied().unwrap_or(1.0) * 10f64.powi(rng.gen_range(0..7));
            let package = if rng.gen_bool(0.2) {
                "THT"
            } else {
                CHIPS.choose(rng).copied().unwrap_or("0805")
            };
            input.category = "resistor".into();
            input.value = si_text(v, "");
            input.package = package.into();
            input.reference = format!("RC{package}FR-07{}L-{i}", si_text(v, "").to_uppercase());
            input.parameters = vec![
                (
                    "tolerance".into(),
                    if rng.gen_bool(0.5) { "1%" } else { "5%" }.into(),
                ),
                (
                    "power".into(),
                    ["1/16W", "1/10W", "1/8W", "1/4W", "1/2W"][rng.gen_range(0..5)].into(),
                ),
            ];
        }
        40..=64 => {
            let v = E12.choose(rng).copied().unwrap_or(1.0) * 10f64.powi(rng.gen_range(-12..-3));
            input.category = "capacitor".into();
            input.value = si_text(v, "F");
            input.package = CHIPS.choose(rng).copied().unwrap_or("0805").into();
            input.reference = format!("CL21B{}KBCNNNC-{i}", rng.gen_range(100..999));
            input.parameters = vec![
                (
                    "voltage".into(),
                    ["6.3V", "10V", "16V", "25V", "50V", "100V"][rng.gen_range(0..6)].into(),
                ),
                (
                    "dielectric".into(),
                    ["X7R", "X5R", "C0G"][rng.gen_range(0..3)].into(),
                ),
            ];
        }
        65..=68 => {
            let v = E12.choose(rng).copied().unwrap_or(1.0) * 10f64.powi(rng.gen_range(-7..-2));
            input.category = "inductor".into();
            input.value = si_text(v, "H");
            input.reference = format!("SRR1260-{}-{i}", rng.gen_range(100..999));
        }
        69..=72 => {
            input.category = "led".into();
            input.reference = format!("L-53{}-{i}", ["GD", "ID", "YD", "BD"][rng.gen_range(0..4)]);
            input.package = if rng.gen_bool(0.5) { "5mm" } else { "3mm" }.into();
            input.parameters = vec![(
                "color".into(),
                ["red", "green", "blue", "yellow", "white"][rng.gen_range(0..5)].into(),
            )];
        }
        73..=80 => {
            input.category = "transistor".into();
            input.reference = format!(
                "{}-{i}",
                TRANSISTORS.choose(rng).copied().unwrap_or("BC547B")
            );
            input.package = ["TO-92", "SOT-23", "TO-220"][rng.gen_range(0..3)].into();
        }
        81..=83 => {
            input.category = "regulator".into();
            input.value = ["3V3", "5V", "12V", "1V8"][rng.gen_range(0..4)].into();
            input.reference = format!("LM78{:02}CT-{i}", rng.gen_range(0..24));
        }
        84..=91 => {
            input.category = "ic".into();
            input.reference = format!("{}-{i}", ICS.choose(rng).copied().unwrap_or("NE555P"));
        }
        92..=94 => {
            input.category = "microcontroller".into();
            input.reference = format!("{}-{i}", MCUS.choose(rng).copied().unwrap_or("RP2040"));
        }
        95..=96 => {
            input.category = "crystal".into();
            input.value =
                ["8MHz", "12MHz", "16MHz", "32.768kHz", "25MHz"][rng.gen_range(0..5)].into();
            input.reference = format!("HC49-{i}");
        }
        _ => {
            input.category = "connector".into();
            input.reference = format!("PH-{}P-{i}", rng.gen_range(2..40));
        }
    }
    input.parse(None).expect("generated spares are valid")
}
