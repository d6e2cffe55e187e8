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
//!
//! `--mix estimate=70,catalog=10,save=10,load=10` instead runs the workloads together for
//! `--seconds`, each connection cycling through them in those proportions, and samples the
//! server's RSS every `--sample-every` seconds (default 10) to show whether memory stays flat:
//!
//! ```sh
//! target/release/examples/load --seconds 300 --connections 32 --mix estimate=70,catalog=10,save=10,load=10
//! ```
//!
//! `--noisy 4` runs a noisy neighbour instead: that many connections send heavy estimates in a
//! loop (12 processes following a week's profile on EKS Auto Mode and ECS, a few seconds of
//! packing each) while `--connections` others send light requests (health, the catalog, a saved
//! scenario); it reports the light requests' latency and what the heavy ones got (200, 503 busy,
//! 408):
//!
//! ```sh
//! target/release/examples/load --seconds 30 --connections 8 --noisy 4
//! ```

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
    mix: Option<Vec<(Workload, u32)>>,
    sample_every: u64,
    noisy: usize,
}

fn args() -> Args {
    let mut args = Args {
        tco: "target/release/tco".into(),
        seconds: 20,
        connections: 32,
        only: None,
        mix: None,
        sample_every: 10,
        noisy: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--tco" => args.tco = value,
            "--seconds" => args.seconds = value.parse().expect("--seconds N"),
            "--connections" => args.connections = value.parse().expect("--connections N"),
            "--only" => args.only = Some(value.split(',').map(String::from).collect()),
            "--mix" => args.mix = Some(value.split(',').map(mix_part).collect()),
            "--sample-every" => args.sample_every = value.parse().expect("--sample-every SECONDS"),
            "--noisy" => args.noisy = value.parse().expect("--noisy CONNECTIONS"),
            other => panic!("unknown flag {other}"),
        }
    }
    args
}

/// `estimate=70`: a workload and its share.
fn mix_part(part: &str) -> (Workload, u32) {
    let (name, weight) = part.split_once('=').unwrap_or_else(|| panic!("--mix: `{part}` is not NAME=WEIGHT"));
    let workload =
        Workload::ALL.into_iter().find(|w| w.name() == name).unwrap_or_else(|| panic!("--mix: no workload `{name}`"));
    (workload, weight.parse().unwrap_or_else(|_| panic!("--mix: `{weight}` is not a whole number")))
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
    const ALL: [Workload; 4] = [Workload::Estimate, Workload::Catalog, Workload::Save, Workload::Load];

    fn index(self) -> usize {
        self as usize
    }

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
    /// Errors per workload, in `Workload::ALL` order.
    errors: [u64; 4],
    /// Latency per workload, µs.
    histograms: Vec<Histogram<u64>>,
    elapsed: Duration,
}

impl Outcome {
    fn all(&self) -> Histogram<u64> {
        let mut all = histogram();
        for h in &self.histograms {
            all.add(h).unwrap();
        }
        all
    }
}

fn histogram() -> Histogram<u64> {
    Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).unwrap()
}

/// Runs `mix` (workloads and their shares) on every connection for `args.seconds`.
async fn drive(mix: &[(Workload, u32)], base: &str, sample: &str, id: &str, args: &Args) -> Outcome {
    let client = reqwest::Client::builder().pool_max_idle_per_host(args.connections).build().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let errors: Arc<[AtomicU64; 4]> = Arc::new(Default::default());
    // The cycle each connection walks: `estimate=3,save=1` is estimate, estimate, estimate, save.
    let cycle: Arc<Vec<Workload>> =
        Arc::new(mix.iter().flat_map(|&(w, n)| std::iter::repeat_n(w, n as usize)).collect());
    assert!(!cycle.is_empty(), "the mix has no weight");
    let start = Instant::now();
    let mut tasks = Vec::new();
    for connection in 0..args.connections {
        let (client, stop, errors, cycle) = (client.clone(), stop.clone(), errors.clone(), cycle.clone());
        let (base, sample, id) = (base.to_string(), sample.to_string(), id.to_string());
        tasks.push(tokio::spawn(async move {
            let mut histograms: Vec<Histogram<u64>> = (0..4).map(|_| histogram()).collect();
            // Connections start at different points of the cycle, so the mix holds at any moment.
            let mut step = connection * 7;
            while !stop.load(Ordering::Relaxed) {
                let workload = cycle[step % cycle.len()];
                step += 1;
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
                    errors[workload.index()].fetch_add(1, Ordering::Relaxed);
                }
                let _ = histograms[workload.index()].record(sent.elapsed().as_micros() as u64);
            }
            histograms
        }));
    }
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut histograms: Vec<Histogram<u64>> = (0..4).map(|_| histogram()).collect();
    for task in tasks {
        for (sum, h) in histograms.iter_mut().zip(task.await.unwrap()) {
            sum.add(h).unwrap();
        }
    }
    Outcome { errors: std::array::from_fn(|i| errors[i].load(Ordering::Relaxed)), histograms, elapsed: start.elapsed() }
}

/// One table row: requests, rate, p50/p99/max and errors of a histogram.
fn row(name: &str, h: &Histogram<u64>, errors: u64, elapsed: Duration) -> String {
    let ms = |v: u64| v as f64 / 1000.0;
    format!(
        "| {name} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {errors} |",
        h.len(),
        h.len() as f64 / elapsed.as_secs_f64(),
        ms(h.value_at_quantile(0.5)),
        ms(h.value_at_quantile(0.99)),
        ms(h.max())
    )
}

/// The workloads together for the whole run, with the server's RSS every `sample_every` s.
async fn mixed(mix: &[(Workload, u32)], pid: u32, base: &str, sample: &str, id: &str, args: &Args) {
    let shares: Vec<String> = mix.iter().map(|(w, n)| format!("{}={n}", w.name())).collect();
    println!("mix {}: RSS every {} s", shares.join(","), args.sample_every);
    println!("| elapsed s | RSS MiB |");
    println!("|---:|---:|");
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        let every = Duration::from_secs(args.sample_every.max(1));
        tokio::spawn(async move {
            let start = Instant::now();
            let mut samples = Vec::new();
            while !done.load(Ordering::Relaxed) {
                let rss = rss_mib(pid);
                println!("| {:.0} | {rss:.1} |", start.elapsed().as_secs_f64());
                samples.push(rss);
                tokio::time::sleep(every).await;
            }
            samples.push(rss_mib(pid));
            samples
        })
    };
    let o = drive(mix, base, sample, id, args).await;
    done.store(true, Ordering::Relaxed);
    let samples = sampler.await.unwrap();
    println!();
    println!("| workload | requests | req/s | p50 ms | p99 ms | max ms | errors |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for &(w, _) in mix {
        println!("{}", row(w.name(), &o.histograms[w.index()], o.errors[w.index()], o.elapsed));
    }
    println!("{}", row("all", &o.all(), o.errors.iter().sum(), o.elapsed));
    let peak = samples.iter().copied().fold(0.0, f64::max);
    println!(
        "RSS MiB: start {:.1}, peak {peak:.1}, end {:.1} ({} samples)",
        samples[0],
        samples[samples.len() - 1],
        samples.len()
    );
}

/// A scenario that takes seconds of packing: 12 processes following a week's profile, every
/// hour distinct, on EKS Auto Mode and ECS on EC2.
fn heavy_scenario() -> String {
    let processes: Vec<serde_json::Value> = (0..12u64)
        .map(|i| {
            let hours: Vec<u64> = (0..168u64).map(|h| 1 + (h * (i + 3)) % 20).collect();
            serde_json::json!({"name": format!("p{i}"), "replicas": 20, "cpu_millicores": 250 + 50 * i,
                "memory_mib": 512 + 256 * i, "hourly_replicas": hours})
        })
        .collect();
    serde_json::json!({"name": "noisy", "workloads": {"apps": [{"name": "heavy", "source": "load", "processes": processes}]},
        "assumptions": {"targets": ["eks-auto", "ecs-ec2"]}})
    .to_string()
}

/// Heavy estimates on `args.noisy` connections, light requests on `args.connections`.
async fn noisy(base: &str, id: &str, args: &Args) {
    let client = reqwest::Client::builder().pool_max_idle_per_host(args.connections + args.noisy).build().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let heavy = Arc::new(heavy_scenario());
    // Heavy outcomes: 200, 503, 408, other.
    let outcomes: Arc<[AtomicU64; 4]> = Arc::new(Default::default());
    let mut heavy_tasks = Vec::new();
    for _ in 0..args.noisy {
        let (client, stop, heavy, outcomes, base) =
            (client.clone(), stop.clone(), heavy.clone(), outcomes.clone(), base.to_string());
        heavy_tasks.push(tokio::spawn(async move {
            let mut latency = histogram();
            while !stop.load(Ordering::Relaxed) {
                let sent = Instant::now();
                let status = match client.post(format!("{base}/api/v1/estimate")).body(heavy.to_string()).send().await {
                    Ok(r) => {
                        let status = r.status().as_u16();
                        let _ = r.bytes().await;
                        status
                    }
                    Err(_) => 0,
                };
                let slot = match status {
                    200 => 0,
                    503 => 1,
                    408 => 2,
                    _ => 3,
                };
                outcomes[slot].fetch_add(1, Ordering::Relaxed);
                let _ = latency.record(sent.elapsed().as_micros() as u64);
                if status == 503 {
                    // As the Retry-After says.
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
            latency
        }));
    }
    let mut light_tasks = Vec::new();
    for connection in 0..args.connections {
        let (client, stop, base, id) = (client.clone(), stop.clone(), base.to_string(), id.to_string());
        light_tasks.push(tokio::spawn(async move {
            let mut latency = histogram();
            let mut errors = 0u64;
            let mut step = connection;
            while !stop.load(Ordering::Relaxed) {
                let url = match step % 3 {
                    0 => format!("{base}/api/v1/health"),
                    1 => format!("{base}/api/v1/catalog?family=c5,m5,r5&sort=price&per_page=50"),
                    _ => format!("{base}/api/v1/scenarios/{id}"),
                };
                step += 1;
                let sent = Instant::now();
                let ok = match client.get(url).send().await {
                    Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                errors += u64::from(!ok);
                let _ = latency.record(sent.elapsed().as_micros() as u64);
            }
            (latency, errors)
        }));
    }
    let start = Instant::now();
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let elapsed = start.elapsed();
    let (mut light, mut light_errors) = (histogram(), 0);
    for t in light_tasks {
        let (h, e) = t.await.unwrap();
        light.add(h).unwrap();
        light_errors += e;
    }
    let mut heavy_latency = histogram();
    for t in heavy_tasks {
        heavy_latency.add(t.await.unwrap()).unwrap();
    }
    println!("noisy neighbour: {} heavy connections, {} light", args.noisy, args.connections);
    println!("| requests | count | req/s | p50 ms | p99 ms | max ms | errors |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    println!("{}", row("light (health, catalog, saved scenario)", &light, light_errors, elapsed));
    println!("{}", row("heavy estimates", &heavy_latency, outcomes[3].load(Ordering::Relaxed), elapsed));
    println!(
        "heavy outcomes: {} answered 200, {} refused 503 busy, {} stopped 408, {} other",
        outcomes[0].load(Ordering::Relaxed),
        outcomes[1].load(Ordering::Relaxed),
        outcomes[2].load(Ordering::Relaxed),
        outcomes[3].load(Ordering::Relaxed)
    );
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
        "{} s {}, {} connections, on {} ({} cores)",
        args.seconds,
        if args.mix.is_some() { "in all" } else { "a workload" },
        args.connections,
        base,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    if args.noisy > 0 {
        noisy(&base, &id, &args).await;
    } else if let Some(mix) = &args.mix {
        mixed(mix, pid, &base, &sample, &id, &args).await;
    } else {
        println!(
            "| workload | requests | req/s | p50 ms | p99 ms | max ms | errors | RSS before MiB | RSS after MiB |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for workload in Workload::ALL {
            if args.only.as_ref().is_some_and(|only| !only.iter().any(|o| o == workload.name())) {
                continue;
            }
            let before = rss_mib(pid);
            let o = drive(&[(workload, 1)], &base, &sample, &id, &args).await;
            let after = rss_mib(pid);
            let h = &o.histograms[workload.index()];
            println!("{} {before:.1} | {after:.1} |", row(workload.name(), h, o.errors[workload.index()], o.elapsed));
        }
    }
    // Graceful shutdown: SIGTERM, then a clean exit.
    let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    let status = server.wait().unwrap();
    println!("server stopped on SIGTERM: {status}");
}
