//! A load test of `tco serve` on loopback: starts the server with a fresh data directory, then
//! drives each workload for a while with a fixed number of connections and reports
//! requests/s, p50/p99 latency, errors and the server's RSS before and after.
//!
//! ```sh
//! cargo build --release -p tco-server --bin tco --example load
//! target/release/examples/load --tco target/release/tco --seconds 20 --connections 32
//! ```
//! Workloads: `estimate` (the bundled sample, `POST /api/v1/estimate`), `catalog`
//! (`GET /api/v1/catalog?family=c5,m5,r5&sort=price&per_page=50`), `save` (`POST /api/v1/scenarios`
//! with the sample) and `load` (`GET /api/v1/scenarios/{id}`). `--only estimate,catalog` picks
//! some. At the end the server gets SIGTERM and must exit cleanly.

use hdrhistogram::Histogram;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Args {
    tco: String,
    seconds: u64,
    connections: usize,
    only: Option<Vec<String>>,
}

fn args() -> Args {
    let mut args = Args { tco: "target/release/tco".into(), seconds: 20, connections: 32, only: None };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--tco" => args.tco = value,
            "--seconds" => args.seconds = value.parse().expect("--seconds N"),
            "--connections" => args.connections = value.parse().expect("--connections N"),
            "--only" => args.only = Some(value.split(',').map(String::from).collect()),
            other => panic!("unknown flag {other}"),
        }
    }
    args
}

fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Starts `tco serve` on a free port with its own data directory; returns it and its URL.
fn start(tco: &str, data_dir: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(tco)
        .args(["serve", "--addr", "127.0.0.1:0", "--dist", "no-dist", "--data-dir"])
        .arg(data_dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("tco starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().trim_end_matches('/').to_string();
    assert!(url.starts_with("http://"), "unexpected first line: {line}");
    (child, url)
}

#[derive(Clone, Copy, PartialEq)]
enum Workload {
    Estimate,
    Catalog,
    Save,
    Load,
}

impl Workload {
    fn name(self) -> &'static str {
        match self {
            Workload::Estimate => "estimate",
            Workload::Catalog => "catalog",
            Workload::Save => "save",
            Workload::Load => "load",
        }
    }
}

struct Outcome {
    requests: u64,
    errors: u64,
    histogram: Histogram<u64>,
    elapsed: Duration,
}

async fn drive(workload: Workload, base: &str, sample: &str, id: &str, args: &Args) -> Outcome {
    let client = reqwest::Client::builder().pool_max_idle_per_host(args.connections).build().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let errors = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.connections {
        let (client, stop, errors) = (client.clone(), stop.clone(), errors.clone());
        let (base, sample, id) = (base.to_string(), sample.to_string(), id.to_string());
        tasks.push(tokio::spawn(async move {
            let mut histogram = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).unwrap();
            while !stop.load(Ordering::Relaxed) {
                let sent = Instant::now();
                let request = match workload {
                    Workload::Estimate => client.post(format!("{base}/api/v1/estimate")).body(sample.clone()),
                    Workload::Catalog => {
                        client.get(format!("{base}/api/v1/catalog?family=c5,m5,r5&sort=price&per_page=50"))
                    }
                    Workload::Save => client.post(format!("{base}/api/v1/scenarios")).body(sample.clone()),
                    Workload::Load => client.get(format!("{base}/api/v1/scenarios/{id}")),
                };
                let ok = match request.send().await {
                    Ok(response) => {
                        let ok = response.status().is_success();
                        ok && response.bytes().await.is_ok()
                    }
                    Err(_) => false,
                };
                if !ok {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
                let _ = histogram.record(sent.elapsed().as_micros() as u64);
            }
            histogram
        }));
    }
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut histogram = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).unwrap();
    for task in tasks {
        histogram.add(task.await.unwrap()).unwrap();
    }
    Outcome { requests: histogram.len(), errors: errors.load(Ordering::Relaxed), histogram, elapsed: start.elapsed() }
}

#[tokio::main]
async fn main() {
    let args = args();
    let data_dir = tempfile::tempdir().unwrap();
    let (mut server, base) = start(&args.tco, data_dir.path());
    let pid = server.id();
    let client = reqwest::Client::new();
    let sample = client.get(format!("{base}/api/v1/sample")).send().await.unwrap().text().await.unwrap();
    let saved: serde_json::Value = client
        .post(format!("{base}/api/v1/scenarios"))
        .body(sample.clone())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = saved["id"].as_str().expect("the sample saves").to_string();

    println!(
        "{} s a workload, {} connections, on {} ({} cores)",
        args.seconds,
        args.connections,
        base,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("| workload | requests | req/s | p50 ms | p99 ms | max ms | errors | RSS before MiB | RSS after MiB |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for workload in [Workload::Estimate, Workload::Catalog, Workload::Save, Workload::Load] {
        if args.only.as_ref().is_some_and(|only| !only.iter().any(|o| o == workload.name())) {
            continue;
        }
        let before = rss_mib(pid);
        let o = drive(workload, &base, &sample, &id, &args).await;
        let after = rss_mib(pid);
        let ms = |q: f64| o.histogram.value_at_quantile(q) as f64 / 1000.0;
        println!(
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {} | {:.1} | {:.1} |",
            workload.name(),
            o.requests,
            o.requests as f64 / o.elapsed.as_secs_f64(),
            ms(0.5),
            ms(0.99),
            o.histogram.max() as f64 / 1000.0,
            o.errors,
            before,
            after
        );
    }
    // Graceful shutdown: SIGTERM, then a clean exit.
    let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    let status = server.wait().unwrap();
    println!("server stopped on SIGTERM: {status}");
}
