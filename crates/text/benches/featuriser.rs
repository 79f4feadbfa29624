//! Throughput of the full featuriser pipeline (placeholder corpus until the
//! real benchmark lands).
use criterion::{criterion_group, criterion_main, Criterion};
use referee_text::{Featuriser, Scratch, SparseVector, ValidFeatureParams};

fn bench(c: &mut Criterion) {
    let featuriser = Featuriser::new(ValidFeatureParams::default());
    let text = "You are simply a nobody, and your understanding is warped.";
    let mut scratch = Scratch::default();
    let mut out = SparseVector::default();
    c.bench_function("vectorise", |b| {
        b.iter(|| featuriser.vectorise_with(text, &mut scratch, &mut out))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
