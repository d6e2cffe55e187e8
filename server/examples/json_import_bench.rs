//! The importers at the sizes that used to be quadratic, and the peak memory of importing a
//! large JSON document against its size: this tool's import JSON of about 95 MiB (processes
//! with hourly profiles and measurements), a formation with the largest number of process types
//! a file may have (100,000), 30,000 files in one import (what `POST /api/v1/import` does with a
//! multipart upload once its parts are read) and a log with 50,000 process types. A JSON
//! document is detected in one streaming pass and parsed once, into the importer's own types.
//!
//! ```sh
//! cargo run --release -p tco-server --example json_import_bench
//! ```

use std::time::Instant;
use tco_engine::workload::{App, Measured, Process};
use tco_engine::{Assumptions, Workloads};
use tco_server::import::{import_file, import_files, logs, Context, InputFile};

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))?;
    line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse().ok()
}

fn mib(kib: Option<u64>) -> f64 {
    kib.map_or(f64::NAN, |k| k as f64 / 1024.0)
}

/// Imports `bytes` and prints the time and the peak RSS above what was resident before.
fn measure(label: &str, name: &str, bytes: &[u8]) {
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let before = mib(status_kib("VmRSS"));
    let a = Assumptions::default();
    let t = Instant::now();
    let (format, w) =
        import_file(InputFile { name, bytes }, Context::new(tco_pricing_data::embedded(), &a), None).expect("imports");
    let out = serde_json::to_vec(&w).expect("serializes");
    let secs = t.elapsed().as_secs_f64();
    let peak = mib(status_kib("VmHWM"));
    let size = bytes.len() as f64 / (1 << 20) as f64;
    println!(
        "{label}: {size:.1} MiB ({format:?}), imported and written back ({:.1} MiB) in {secs:.2} s; \
         RSS {before:.0} MiB before (the document itself included), peak {peak:.0} MiB{}: {:.1}× the document",
        out.len() as f64 / (1 << 20) as f64,
        if reset { "" } else { " (peak not reset)" },
        (peak - before + size) / size
    );
}

fn main() {
    // The import JSON: 40,000 processes, each with a week's hourly profile and measurements.
    let processes: Vec<Process> = (0..40_000u32)
        .map(|i| Process {
            hourly_replicas: Some((0..168).map(|h| 2 + (h + i) % 7).collect()),
            hourly_requests_per_second: Some((0..168).map(|h| f64::from((h * 37 + i) % 1000) / 7.0).collect()),
            measured: Some(Measured::new(312.25, 498.5, 601.0, 0.75, 2016)),
            ..Process::new(format!("p{i}"), 3, 320, 1024)
        })
        .collect();
    let apps = processes
        .chunks(100)
        .enumerate()
        .map(|(k, ps)| App {
            name: format!("app-{k}"),
            source: "heroku-logs:x.log".into(),
            processes: ps.to_vec(),
            addons: vec![],
        })
        .collect();
    let doc = serde_json::to_vec(&Workloads { apps, ..Workloads::default() }).expect("serializes");
    measure("import JSON", "import.json", &doc);
    drop(doc);

    let entries: Vec<String> = (0..100_000)
        .map(|i| format!(r#"{{"app":{{"name":"app-{}"}},"type":"p{i}","quantity":2,"size":"Standard-2X","command":"bundle exec rails server -p $PORT"}}"#, i % 500))
        .collect();
    let formation = format!("[{}]", entries.join(","));
    drop(entries);
    measure("formation of 100,000 process types", "formation.json", formation.as_bytes());
    drop(formation);

    // 30,000 files in one import: a CloudWatch statistics file per instance.
    let files: Vec<(String, Vec<u8>)> = (0..30_000u32)
        .map(|i| {
            let body = format!(
                r#"{{"Label":"CPUUtilization","Datapoints":[{{"Timestamp":"2026-10-01T00:00:00Z","Average":{}.5,"Unit":"Percent"}}]}}"#,
                i % 90
            );
            (format!("cpu-i-{i:017x}.json"), body.into_bytes())
        })
        .collect();
    let inputs: Vec<InputFile> = files.iter().map(|(name, bytes)| InputFile { name, bytes }).collect();
    let a = Assumptions::default();
    let t = Instant::now();
    let imported = import_files(&inputs, Context::new(tco_pricing_data::embedded(), &a), None).expect("imports");
    println!(
        "30,000 files in one import: {} instances in {:.2} s",
        imported.workloads.instances.len(),
        t.elapsed().as_secs_f64()
    );

    // A log with 50,000 process types, one router line each.
    let log: String = (0..50_000)
        .map(|i| {
            format!("2024-05-13T10:00:00+00:00 heroku[router]: at=info method=GET path=/ dyno=p{i}.1 status=200\n")
        })
        .collect();
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = mib(status_kib("VmRSS"));
    let t = Instant::now();
    let w = logs::import("big.log", log.as_bytes(), Context::new(tco_pricing_data::embedded(), &a), &mut |_| {})
        .expect("imports");
    println!(
        "log with 50,000 process types ({:.1} MiB): {} processes in {:.2} s, peak {:.0} MiB ({before:.0} before)",
        log.len() as f64 / (1 << 20) as f64,
        w.apps[0].processes.len(),
        t.elapsed().as_secs_f64(),
        mib(status_kib("VmHWM"))
    );
}
