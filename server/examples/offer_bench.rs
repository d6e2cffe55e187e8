//! Import throughput of an EC2 CSV offer file, side by side with DuckDB and with a plain
//! polars scan of the whole file, on the same synthetic file of AWS's real shape.
//!
//! ```sh
//! pip install duckdb
//! cargo run --release -p tco-server --example offer_bench -- --size-mb 1024
//! ```
//! The file (91 columns, many decoy rows per instance type as in the real file: reserved terms,
//! other operating systems, tenancies, capacity reservations) is generated once and reused.

use polars::prelude::*;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use tco_server::pricing::offer_file::read_ec2_csv;
use tco_server::pricing::offer_file::synthetic::{base, preamble, row, with};

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Writes a file of about `size_mb` MB: per (region, type) one matching row and 60 decoys.
fn generate(path: &Path, size_mb: u64) -> std::io::Result<()> {
    let regions = [
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-central-1",
        "eu-north-1",
        "ap-south-1",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ca-central-1",
        "sa-east-1",
    ];
    let families = [
        "c5", "c6i", "c7i", "m5", "m6i", "m7i", "r5", "r6i", "r7i", "c6g", "c7g", "m6g", "m7g", "r6g", "r7g", "t3",
        "i4i", "x2idn",
    ];
    let sizes = [
        ("large", 2),
        ("xlarge", 4),
        ("2xlarge", 8),
        ("4xlarge", 16),
        ("8xlarge", 32),
        ("12xlarge", 48),
        ("16xlarge", 64),
        ("24xlarge", 96),
    ];
    let decoys: [(&str, &str); 12] = [
        ("Operating System", "Windows"),
        ("Operating System", "RHEL"),
        ("Operating System", "SUSE"),
        ("Operating System", "Red Hat Enterprise Linux with HA"),
        ("Tenancy", "Dedicated"),
        ("Tenancy", "Host"),
        ("CapacityStatus", "UnusedCapacityReservation"),
        ("CapacityStatus", "AllocatedCapacityReservation"),
        ("Pre Installed S/W", "SQL Web"),
        ("Pre Installed S/W", "SQL Std"),
        ("License Model", "Bring your own license"),
        ("MarketOption", "CapacityBlock"),
    ];
    let mut out = BufWriter::with_capacity(8 << 20, std::fs::File::create(path)?);
    out.write_all(preamble("20251101000000", "2025-11-01T00:00:00Z").as_bytes())?;
    let target = size_mb * 1_000_000;
    let mut written = 0u64;
    let mut n = 0u64;
    'outer: loop {
        for region in regions {
            for family in families {
                for (size, vcpu) in sizes {
                    n += 1;
                    let t = format!("{family}.{size}");
                    let v = vcpu.to_string();
                    let m = format!("{} GiB", vcpu * 4);
                    let sku = format!("SKU{n:012}");
                    let p = format!("{:.10}", 0.0425 * f64::from(vcpu) * (1.0 + (n % 7) as f64 / 100.0));
                    let b = base(&sku, region, &t, &v, &m, &p);
                    let mut rows = vec![row(&b)];
                    // Reserved terms: 12 per variant in the real file (3 options × 2 terms × 2 classes).
                    for _ in 0..12 {
                        rows.push(row(&with(
                            with(b.clone(), "TermType", "Reserved"),
                            "PurchaseOption",
                            "Partial Upfront",
                        )));
                    }
                    for (k, val) in decoys {
                        let d = with(b.clone(), k, val);
                        rows.push(row(&d));
                        for _ in 0..3 {
                            rows.push(row(&with(d.clone(), "TermType", "Reserved")));
                        }
                    }
                    for r in rows {
                        out.write_all(r.as_bytes())?;
                        written += r.len() as u64;
                    }
                    if written >= target {
                        break 'outer;
                    }
                }
            }
        }
    }
    out.flush()
}

fn duckdb(path: &Path) -> Option<(f64, usize)> {
    let script = format!(
        r#"
import duckdb, time
# No progress bar: it prints to stdout on queries over two seconds.
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
t = time.perf_counter()
rows = con.sql('''
  SELECT "Region Code", "Instance Type", min(CAST("PricePerUnit" AS DECIMAL(18,10)))
  FROM read_csv('{}', skip=5, header=true, all_varchar=true)
  WHERE "TermType"='OnDemand' AND "Unit"='Hrs' AND "Currency"='USD' AND "Product Family"='Compute Instance'
    AND "Tenancy"='Shared' AND "Operating System"='Linux' AND "Pre Installed S/W"='NA'
    AND "License Model"='No License required' AND "CapacityStatus"='Used' AND "MarketOption"='OnDemand'
  GROUP BY 1, 2''').fetchall()
print(time.perf_counter() - t, len(rows))
"#,
        path.display()
    );
    let out = Command::new("python3").arg("-c").arg(script).output().ok()?;
    if !out.status.success() {
        eprintln!("duckdb: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.lines().last()?.split_whitespace();
    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
}

fn plain_polars(path: &Path) -> (f64, usize) {
    let t = Instant::now();
    let df = LazyCsvReader::new(PlRefPath::new(path.display().to_string()))
        .with_skip_rows(5)
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .finish()
        .and_then(|lf| {
            lf.filter(
                col("TermType")
                    .eq(lit("OnDemand"))
                    .and(col("Unit").eq(lit("Hrs")))
                    .and(col("Product Family").eq(lit("Compute Instance")))
                    .and(col("Tenancy").eq(lit("Shared")))
                    .and(col("Operating System").eq(lit("Linux")))
                    .and(col("Pre Installed S/W").eq(lit("NA")))
                    .and(col("License Model").eq(lit("No License required")))
                    .and(col("CapacityStatus").eq(lit("Used")))
                    .and(col("MarketOption").eq(lit("OnDemand"))),
            )
            .select([col("Region Code"), col("Instance Type"), col("PricePerUnit")])
            .collect()
        })
        .expect("plain polars scan");
    (t.elapsed().as_secs_f64(), df.height())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let size_mb: u64 = arg("--size-mb").and_then(|s| s.parse().ok()).unwrap_or(1024);
    let path = arg("--out")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("tco-ec2-offer-{size_mb}mb.csv")));
    if !path.exists() {
        eprintln!("generating {} ({size_mb} MB)…", path.display());
        generate(&path, size_mb).expect("write the synthetic offer file");
    }
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let mb = bytes as f64 / 1e6;
    let rss_before = peak_rss_mib();
    let t = Instant::now();
    let offers = read_ec2_csv(&path, None).expect("import");
    let ours = t.elapsed().as_secs_f64();
    let rss_after = peak_rss_mib();
    println!("file: {} ({mb:.0} MB)", path.display());
    println!("tco import-offer-file path: {ours:.2} s, {:.0} MB/s, {} (region, type) offers, peak RSS {rss_after:.0} MiB (before {rss_before:.0} MiB)", mb / ours, offers.len());
    let (plain, plain_rows) = plain_polars(&path);
    println!("plain polars lazy scan (all columns as strings): {plain:.2} s, {:.0} MB/s, {plain_rows} rows, peak RSS now {:.0} MiB", mb / plain, peak_rss_mib());
    match duckdb(&path) {
        Some((secs, rows)) => println!("DuckDB (read_csv, same filter, min per region and type): {secs:.2} s, {:.0} MB/s, {rows} rows; ratio DuckDB / ours = {:.2}", mb / secs, secs / ours),
        None => println!("DuckDB not available (pip install duckdb)"),
    }
}
