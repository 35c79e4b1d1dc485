//! `cargo bench -p spares-core --bench parse`: question and value parsing
//! (criterion). Target: a question parses in under 50 µs.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use spares_core::question::understand;
use spares_core::{Unit, Value};

fn questions(c: &mut Criterion) {
    for q in [
        "do I have a 10k resistor?",
        "any 100nF caps rated 50V or more in box C2?",
        "condensateurs de 100n au moins 25V",
        "resitor brown black orange 0805",
        "atmega32u4",
    ] {
        c.bench_function(&format!("understand {q:?}"), |b| {
            b.iter(|| understand(black_box(q)))
        });
    }
    c.bench_function("Value::parse 4k7", |b| {
        b.iter(|| Value::parse(black_box("4k7"), Some(Unit::Ohm)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(2)).warm_up_time(Duration::from_millis(500));
    targets = questions
}
criterion_main!(benches);
