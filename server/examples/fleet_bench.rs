//! A fleet at Migration Evaluator's scale, end to end: 30,000 EC2 instances as
//! `describe-instances` pages (300 files, or the same pages in one paginated dump), CloudWatch
//! `get-metric-data` output for each instance (CPU and memory, a week hourly), and the
//! account's CUR for the month (daily line items, Parquet); imported as `tco estimate --input`
//! imports them, merged, and estimated (consolidated onto node pools), with the time of each
//! step and the process's peak memory.
//!
//! ```sh
//! cargo run --release -p tco-server --example fleet_bench -- --instances 30000
//! ```
//! `--dir PATH` (default the temp dir) keeps the generated files for the next run.

#[path = "../benches/support/cur_gen.rs"]
mod cur_gen;

use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tco_engine::{Assumptions, Scenario, SizingPolicy};
use tco_server::import::{billing, files, import_reader, Context, Merger};

const PER_PAGE: u32 = 100;
const PER_METRICS_FILE: u32 = 250;

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))?;
    line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse().ok()
}

fn peak_mib() -> f64 {
    status_kib("VmHWM").map_or(f64::NAN, |k| k as f64 / 1024.0)
}

/// The peak since the last call (the kernel's high-water mark, reset where it allows).
fn step_peak_mib() -> f64 {
    let peak = peak_mib();
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    peak
}

/// One page of `describe-instances`, as the CLI prints it with `--no-paginate` pages.
fn page(first: u32, count: u32, last: bool) -> String {
    let mut reservations = Vec::new();
    for r in (first..first + count).step_by(4) {
        let mut instances = Vec::new();
        for i in r..(r + 4).min(first + count) {
            let (id, itype) = cur_gen::instance(i);
            let az = ["us-east-1a", "us-east-1b", "us-east-1c"][i as usize % 3];
            let state = if i % 50 == 49 { (80, "stopped") } else { (16, "running") };
            instances.push(format!(
                r#"{{"AmiLaunchIndex":0,"ImageId":"ami-0abcdef1234567890","InstanceId":"{id}","InstanceType":"{itype}","LaunchTime":"2025-0{}-1{}T08:00:00+00:00","Monitoring":{{"State":"disabled"}},"Placement":{{"AvailabilityZone":"{az}","GroupName":"","Tenancy":"default"}},"PrivateDnsName":"ip-10-0-{}-{}.ec2.internal","PrivateIpAddress":"10.0.{}.{}","ProductCodes":[],"PublicDnsName":"","State":{{"Code":{},"Name":"{}"}},"StateTransitionReason":"","SubnetId":"subnet-0123456789abcdef{}","VpcId":"vpc-0123456789abcdef0","Architecture":"x86_64","BlockDeviceMappings":[{{"DeviceName":"/dev/xvda","Ebs":{{"AttachTime":"2025-01-10T08:00:01+00:00","DeleteOnTermination":true,"Status":"attached","VolumeId":"vol-{:017x}"}}}}],"ClientToken":"","EbsOptimized":true,"EnaSupport":true,"Hypervisor":"xen","IamInstanceProfile":{{"Arn":"arn:aws:iam::444455556666:instance-profile/app","Id":"AIPAEXAMPLE"}},"NetworkInterfaces":[{{"Attachment":{{"AttachTime":"2025-01-10T08:00:00+00:00","AttachmentId":"eni-attach-0{:016x}","DeleteOnTermination":true,"DeviceIndex":0,"Status":"attached"}},"Description":"","Groups":[{{"GroupName":"app","GroupId":"sg-0123456789abcdef0"}}],"MacAddress":"0e:00:00:00:00:00","NetworkInterfaceId":"eni-0{:016x}","OwnerId":"444455556666","PrivateIpAddress":"10.0.{}.{}","SourceDestCheck":true,"Status":"in-use","SubnetId":"subnet-0123456789abcdef{}","VpcId":"vpc-0123456789abcdef0","InterfaceType":"interface"}}],"RootDeviceName":"/dev/xvda","RootDeviceType":"ebs","SecurityGroups":[{{"GroupName":"app","GroupId":"sg-0123456789abcdef0"}}],"SourceDestCheck":true,"Tags":[{{"Key":"Name","Value":"app-{}"}},{{"Key":"aws:autoscaling:groupName","Value":"asg-{}"}},{{"Key":"team","Value":"team-{}"}}],"VirtualizationType":"hvm","CpuOptions":{{"CoreCount":1,"ThreadsPerCore":2}},"MetadataOptions":{{"State":"applied","HttpTokens":"required","HttpPutResponseHopLimit":2,"HttpEndpoint":"enabled"}},"PlatformDetails":"Linux/UNIX","UsageOperation":"RunInstances","UsageOperationUpdateTime":"2025-01-10T08:00:00+00:00"}}"#,
                i % 9 + 1,
                i % 9,
                i / 256 % 256,
                i % 256,
                i / 256 % 256,
                i % 256,
                state.0,
                state.1,
                i % 3,
                i,
                i,
                i,
                i / 256 % 256,
                i % 256,
                i % 3,
                i / 100,
                i / 100,
                i / 1000
            ));
        }
        reservations.push(format!(
            r#"{{"Groups":[],"Instances":[{}],"OwnerId":"444455556666","RequesterId":"940372691376","ReservationId":"r-{:017x}"}}"#,
            instances.join(","),
            r
        ));
    }
    let token = if last { String::new() } else { format!(r#","NextToken":"eyJ{first:010}""#) };
    format!("{{\"Reservations\":[{}]{token}}}\n", reservations.join(","))
}

/// `get-metric-data` output for instances `first..first + count`: CPU and memory, hourly for a week.
fn metrics(first: u32, count: u32) -> String {
    let mut results = Vec::new();
    for i in first..first + count {
        let (id, _) = cur_gen::instance(i);
        let key = id.replace('-', "_");
        let base = f64::from(i % 60) + 5.0;
        for (metric, label, scale) in [("cpu", "CPUUtilization", 1.0), ("mem", "mem_used_percent", 0.8)] {
            let values: Vec<String> =
                (0..168).map(|h| format!("{:.2}", (base + f64::from(h % 24) * 1.5) * scale)).collect();
            let stamps: Vec<String> =
                (0..168).map(|h| format!("\"2026-10-{:02}T{:02}:00:00+00:00\"", 1 + h / 24, h % 24)).collect();
            results.push(format!(
                r#"{{"Id":"{metric}_{key}","Label":"{label}","Timestamps":[{}],"Values":[{}],"StatusCode":"Complete"}}"#,
                stamps.join(","),
                values.join(",")
            ));
        }
    }
    format!("{{\"MetricDataResults\":[{}],\"Messages\":[]}}\n", results.join(","))
}

fn write(path: &Path, text: &str) {
    let mut f = BufWriter::new(std::fs::File::create(path).expect("creates"));
    f.write_all(text.as_bytes()).expect("writes");
}

fn generate(dir: &Path, n: u32) {
    let pages = dir.join("pages");
    let metrics_dir = dir.join("metrics");
    let cur = dir.join("cur");
    if dir.join("done").exists() {
        return;
    }
    let t = Instant::now();
    for d in [&pages, &metrics_dir, &cur] {
        std::fs::create_dir_all(d).unwrap();
    }
    let mut dump = BufWriter::new(std::fs::File::create(dir.join("describe-instances.json")).unwrap());
    let count = n.div_ceil(PER_PAGE);
    for p in 0..count {
        let first = p * PER_PAGE;
        let text = page(first, PER_PAGE.min(n - first), p + 1 == count);
        write(&pages.join(format!("page-{p:04}.json")), &text);
        dump.write_all(text.as_bytes()).unwrap();
    }
    dump.flush().unwrap();
    for f in 0..n.div_ceil(PER_METRICS_FILE) {
        let first = f * PER_METRICS_FILE;
        write(&metrics_dir.join(format!("metrics-{f:04}.json")), &metrics(first, PER_METRICS_FILE.min(n - first)));
    }
    let mut sinks: Vec<cur_gen::Sink<BufWriter<std::fs::File>>> = (1..=4)
        .map(|i| {
            cur_gen::Sink::parquet(BufWriter::new(
                std::fs::File::create(cur.join(format!("cur-0000{i}.snappy.parquet"))).unwrap(),
            ))
        })
        .collect();
    let totals = cur_gen::write_month(&mut sinks, n, false, 24);
    for s in sinks {
        s.finish();
    }
    std::fs::write(dir.join("done"), format!("{} line items", totals.rows)).unwrap();
    eprintln!("generated in {:.1} s", t.elapsed().as_secs_f64());
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |d| d.filter_map(|e| e.ok()).map(|e| e.metadata().map_or(0, |m| m.len())).sum())
}

/// Imports the inputs as `tco estimate --input` does, then estimates; prints each step.
fn run(label: &str, inputs: &[PathBuf]) {
    let start = Instant::now();
    let a = Assumptions::default();
    let ctx = Context::new(tco_pricing_data::embedded(), &a);
    let plan = files::plan(inputs, None, ctx.limits).expect("a plan");
    let mut merger = Merger::new(ctx);
    let n_files = plan.files.len();
    for f in plan.files {
        let file = std::fs::File::open(&f.path).expect("opens");
        let (_, w) = import_reader(&f.name, BufReader::with_capacity(1 << 20, file), ctx, f.format, &mut |_| {})
            .expect("imports");
        merger.add(w);
    }
    let inventory_and_metrics = start.elapsed().as_secs_f64();
    let peak_files = step_peak_mib();
    let t = Instant::now();
    merger.add(billing::import(plan.exports, ctx, &mut |_| {}).expect("the bill imports"));
    let bill = t.elapsed().as_secs_f64();
    let peak_bill = step_peak_mib();
    let t = Instant::now();
    let workloads = merger.finish();
    let merge = t.elapsed().as_secs_f64();
    let replicas: u32 = workloads.apps.iter().flat_map(|a| &a.processes).map(|p| p.replicas).sum();
    let processes: usize = workloads.apps.iter().map(|a| a.processes.len()).sum();
    let measured = workloads.apps.iter().flat_map(|a| &a.processes).filter(|p| p.measured.is_some()).count();
    let imported = start.elapsed().as_secs_f64();
    let mut scenario = Scenario { workloads, ..Scenario::default() };
    let t = Instant::now();
    let report = tco_engine::estimate(&scenario, tco_pricing_data::embedded()).expect("estimates");
    let estimate = t.elapsed().as_secs_f64();
    let peak_estimate = step_peak_mib();
    scenario.assumptions.sizing = SizingPolicy::Measured;
    let t = Instant::now();
    let measured_report = tco_engine::estimate(&scenario, tco_pricing_data::embedded()).expect("estimates");
    let estimate_measured = t.elapsed().as_secs_f64();
    let peak_measured = step_peak_mib();
    let total = start.elapsed().as_secs_f64();
    println!("{label}");
    println!(
        "  {n_files} inventory and metrics files: {inventory_and_metrics:.2} s; the bill: {bill:.2} s; merge: {merge:.2} s → \
         {} instances, {processes} processes ({measured} measured), {replicas} replicas running; imported in {imported:.2} s",
        scenario.workloads.instances.len()
    );
    println!(
        "  today {} ({}); estimate (sized by instance): {estimate:.2} s; estimate (sized from measured use): {estimate_measured:.2} s",
        tco_engine::format::usd(report.current.monthly_usd),
        report.current.basis.map_or("on demand", |b| b.as_str()),
    );
    for (o, m) in report.options.iter().zip(&measured_report.options) {
        println!(
            "    {}: {} ({}); measured: {} ({})",
            o.label,
            tco_engine::format::usd(o.monthly_usd),
            tco_engine::format::node_plan(&o.nodes),
            tco_engine::format::usd(m.monthly_usd),
            tco_engine::format::node_plan(&m.nodes)
        );
    }
    println!(
        "  peak RSS per step: inventory and metrics {peak_files:.0} MiB, the bill {peak_bill:.0} MiB, estimate by \
         instance {peak_estimate:.0} MiB, estimate from measured use {peak_measured:.0} MiB"
    );
    println!("  end to end: {total:.2} s; peak RSS so far {:.0} MiB", peak_mib());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let n: u32 = arg("--instances").and_then(|s| s.parse().ok()).unwrap_or(30_000);
    let dir = arg("--dir").map(PathBuf::from).unwrap_or_else(|| std::env::temp_dir().join(format!("tco-fleet-{n}")));
    std::fs::create_dir_all(&dir).unwrap();
    generate(&dir, n);
    println!(
        "{n} instances: {} MB of describe-instances pages, {} MB of CloudWatch metric data, {} MB of CUR (Parquet, daily)",
        dir_size(&dir.join("pages")) / 1_000_000,
        dir_size(&dir.join("metrics")) / 1_000_000,
        dir_size(&dir.join("cur")) / 1_000_000
    );
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    run("pages as 300 files", &[dir.join("pages"), dir.join("metrics"), dir.join("cur")]);
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    run("pages as one paginated dump", &[dir.join("describe-instances.json"), dir.join("metrics"), dir.join("cur")]);
}
