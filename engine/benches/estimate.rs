//! Whole estimates on generated estates over the full us-east-1 catalog (every priced type
//! with a known shape), and the re-estimate the page runs after one assumption changes.
//! `cargo bench -p tco-engine --bench estimate`; the figures are in `engine/benches/README.md`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use tco_engine::{estimate, Platform};

#[path = "support/generated.rs"]
mod generated;

fn full_estimate(c: &mut Criterion) {
    let catalog = tco_pricing_data::embedded();
    let mut group = c.benchmark_group("estimate_full_catalog_with_profile");
    group.sample_size(10);
    for n in [10usize, 100, 1_000, 10_000] {
        let s = generated::scenario(n, 42, catalog, vec![Platform::EcsEc2, Platform::EksEc2, Platform::EcsFargate]);
        group.bench_with_input(BenchmarkId::from_parameter(n), &s, |b, s| b.iter(|| estimate(s, catalog).unwrap()));
    }
    group.finish();
}

fn sample_reestimate(c: &mut Criterion) {
    let catalog = tco_pricing_data::embedded();
    let sample = generated::sample();
    c.bench_function("reestimate_bundled_sample", |b| {
        let mut s = sample.clone();
        let mut azs = 2;
        b.iter(|| {
            // what the page does on an edit: change one assumption, estimate again
            azs = if azs == 2 { 3 } else { 2 };
            s.assumptions.availability_zones = azs;
            estimate(&s, catalog).unwrap()
        })
    });
}

criterion_group!(benches, full_estimate, sample_reestimate);
criterion_main!(benches);
