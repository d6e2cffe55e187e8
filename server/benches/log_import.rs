//! Throughput of the Heroku log importer on a realistic ~16 MiB log generated in memory.
//!
//! `cargo bench -p tco-server --bench log_import`. For a 1 GiB file read from disk, with peak
//! memory, see the `log_bench` example (`server/benches/README.md`).

#[path = "support/heroku_log.rs"]
mod heroku_log;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::io::BufReader;
use std::time::Duration;
use tco_engine::Assumptions;
use tco_server::import::{logs, Context};

const LOG_BYTES: u64 = 16 << 20;

fn import_log(c: &mut Criterion) {
    let log = heroku_log::log_in_memory(LOG_BYTES, 42);
    let assumptions = Assumptions::default();
    let ctx = Context::new(tco_pricing_data::embedded(), &assumptions);
    // Sanity: the generated log is understood (web, worker and clock, with samples).
    let w = logs::import("bench.log", &log[..], ctx, &mut |_| {}).expect("the generated log imports");
    let names: Vec<&str> = w.apps[0].processes.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names.len(), 3, "{names:?}");

    let mut group = c.benchmark_group("log_import");
    group.throughput(Throughput::Bytes(log.len() as u64));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    // The whole log as one slice (no copies between reads) and through a 1 MiB BufReader, as the
    // CLI reads a file.
    group.bench_with_input(BenchmarkId::new("slice", "16MiB"), &log, |b, log| {
        b.iter(|| logs::import("bench.log", black_box(&log[..]), ctx, &mut |_| {}).expect("imports"))
    });
    group.bench_with_input(BenchmarkId::new("bufreader_1MiB", "16MiB"), &log, |b, log| {
        b.iter(|| {
            let reader = BufReader::with_capacity(1 << 20, black_box(&log[..]));
            logs::import("bench.log", reader, ctx, &mut |_| {}).expect("imports")
        })
    });
    group.finish();
}

criterion_group!(benches, import_log);
criterion_main!(benches);
