//! Imports a generated CUR 2.0 month (Parquet and gzip CSV of the same line items) and checks
//! it to the cent, then runs the README's aggregation query with DuckDB over the same file, in
//! its own process: time and peak memory of each, side by side.
//!
//! ```sh
//! scripts/duckdb-venv.sh      # once: DuckDB in a venv under target/ (optional)
//! cargo run --release -p tco-server --example cur_bench -- --instances 2000
//! cargo run --release -p tco-server --example cur_bench -- --instances 2000 --files 10 --scale 7
//! ```
//!
//! `--instances N` (default 2,000: 1.49 M instance-hours, 1.8 M line items with the Savings
//! Plan negations and the other services), `--files F` splits the month over F gzip CSV files
//! of an export's folder with its manifest, `--scale S` writes S accounts' worth into them (a
//! multi-GB export), `--dir PATH` (default the temp dir). Files are generated once and reused.
//! Peak RSS is `VmHWM`, reset before each import where the kernel allows it.

#[path = "../benches/support/cur_gen.rs"]
mod cur_gen;
#[path = "../benches/support/duckdb.rs"]
mod duckdb;

use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;
use tco_engine::bill::Charge;
use tco_engine::Assumptions;
use tco_server::import::billing;
use tco_server::import::{files, Context, Merger};

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))?;
    line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse().ok()
}

fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

struct Expected {
    net_amortized: Decimal,
    instances: u64,
    rows: u64,
}

fn totals_path(dir: &Path, stem: &str) -> PathBuf {
    dir.join(format!("{stem}.totals"))
}

/// Generates a file (once) and returns what it must import to.
fn ensure(dir: &Path, stem: &str, paths: &[PathBuf], csv: bool, instances: u32) -> Expected {
    let totals = totals_path(dir, stem);
    if !totals.exists() || paths.iter().any(|p| !p.exists()) {
        let t = Instant::now();
        let mut sinks: Vec<cur_gen::Sink<std::io::BufWriter<std::fs::File>>> = paths
            .iter()
            .map(|p| {
                let out = std::io::BufWriter::with_capacity(8 << 20, std::fs::File::create(p).expect("creates"));
                if csv {
                    cur_gen::Sink::csv(out)
                } else {
                    cur_gen::Sink::parquet(out)
                }
            })
            .collect();
        let totals_out = cur_gen::write_month(&mut sinks, instances, csv, 1);
        for s in sinks {
            s.finish();
        }
        std::fs::write(&totals, format!("{} {} {}", totals_out.net_amortized, totals_out.instances, totals_out.rows))
            .expect("writes");
        eprintln!(
            "generated {} in {:.1} s",
            paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
            t.elapsed().as_secs_f64()
        );
    }
    let text = std::fs::read_to_string(&totals).expect("reads");
    let mut it = text.split_whitespace();
    Expected {
        net_amortized: Decimal::from_str(it.next().unwrap()).unwrap(),
        instances: it.next().unwrap().parse().unwrap(),
        rows: it.next().unwrap().parse().unwrap(),
    }
}

fn size(paths: &[PathBuf]) -> u64 {
    paths.iter().map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)).sum()
}

/// Our import of the files (or the folder), checked against the generator's totals.
fn ours(label: &str, inputs: &[PathBuf], expected: &Expected) -> (f64, f64) {
    let reset = reset_peak();
    let a = Assumptions::default();
    let ctx = Context::new(tco_pricing_data::embedded(), &a);
    let t = Instant::now();
    let plan = files::plan(inputs, None, ctx.limits).expect("a plan");
    let w = billing::import(plan.exports, ctx, &mut |_| {}).expect("imports");
    let mut m = Merger::new(ctx);
    m.add(w);
    let w = m.finish();
    let secs = t.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM").filter(|_| reset).map_or(f64::NAN, |k| k as f64 / 1024.0);
    let month = w.bill.as_ref().and_then(|b| b.latest()).expect("a month");
    let total = month.total(Charge::compared).net_amortized_usd.expect("net amortized").amount();
    let cents = |d: Decimal| d.round_dp(2);
    assert_eq!(cents(total), cents(expected.net_amortized), "{label}: the month to the cent");
    assert_eq!(w.current_monthly_usd.rounded_to_cents(), cents(expected.net_amortized), "{label}: today's figure");
    let instances = w.instances.iter().filter(|i| i.id.starts_with("i-")).count() as u64;
    assert_eq!(instances, expected.instances, "{label}: instances");
    println!(
        "  tco: {secs:.2} s, peak RSS {peak:.0} MiB; net amortized ${} (exact), {instances} instances",
        cents(total)
    );
    (secs, peak)
}

/// DuckDB running the README's query over the same file(s).
fn theirs(d: &duckdb::DuckDb, from: &str, expected: &Expected) -> Option<(f64, f64)> {
    let readme = include_str!("../../README.md");
    let marker = readme.find("<!-- bill-summary-cur -->")?;
    let start = marker + readme[marker..].find("```sql\n")? + 7;
    let sql = &readme[start..start + readme[start..].find("```")?];
    let sql = sql.replacen("WITH flagged AS (", &format!("WITH cur AS (SELECT * FROM {from}), flagged AS ("), 1);
    let run = match d.run(&sql) {
        Ok(r) => r,
        Err(e) => {
            println!("  DuckDB failed: {e}");
            return None;
        }
    };
    let rows = run.rows.as_array()?;
    let mut total = Decimal::ZERO;
    let mut instances = std::collections::BTreeSet::new();
    for r in rows {
        let charge = r[3].as_str().unwrap_or_default();
        if charge == "usage" || charge == "commitment" {
            total += Decimal::from_str(r[13].as_str().unwrap_or("0"))
                .or_else(|_| Decimal::from_scientific(r[13].as_str().unwrap_or("0")))
                .unwrap_or_default();
        }
        if r[7].as_str().unwrap_or_default().contains("BoxUsage") && r[5].as_str().unwrap_or_default().starts_with("i-")
        {
            instances.insert(r[5].as_str().unwrap_or_default().to_string());
        }
    }
    println!(
        "  DuckDB {}: {:.2} s, peak RSS {:.0} MiB ({:.0} before the query); {} rows, net amortized ${} (its doubles), {} instances{}",
        d.version,
        run.seconds,
        run.peak_mib,
        run.baseline_mib,
        rows.len(),
        total.round_dp(2),
        instances.len(),
        if total.round_dp(2) == expected.net_amortized.round_dp(2) { "" } else { " — differs from the exact total" }
    );
    Some((run.seconds, run.peak_mib))
}

/// DuckDB's `types` for the numeric columns: its CSV sniffer samples rows, and a column empty
/// in the sample would be text (the README's `COALESCE(x, 0)` then refuses it).
fn money_types() -> String {
    let fields: Vec<String> =
        cur_gen::COLUMNS.iter().filter(|(_, k)| *k == 'n').map(|(n, _)| format!("'{n}': 'DOUBLE'")).collect();
    format!("{{{}}}", fields.join(", "))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let instances: u32 = arg("--instances").and_then(|s| s.parse().ok()).unwrap_or(2000);
    let files_n: usize = arg("--files").and_then(|s| s.parse().ok()).unwrap_or(0);
    let scale: u32 = arg("--scale").and_then(|s| s.parse().ok()).unwrap_or(1);
    let dir = arg("--dir").map(PathBuf::from).unwrap_or_else(|| std::env::temp_dir().join("tco-cur-bench"));
    std::fs::create_dir_all(&dir).expect("a directory");
    let peer = duckdb::DuckDb::find();
    if let Err(why) = &peer {
        println!("{why}: measuring tco alone");
    }
    let mut table = Vec::new();
    if files_n == 0 {
        let stem = format!("cur2-{instances}");
        let parquet = dir.join(format!("{stem}.snappy.parquet"));
        let csv = dir.join(format!("{stem}.csv.gz"));
        let e = ensure(&dir, &format!("{stem}-parquet"), std::slice::from_ref(&parquet), false, instances);
        let _ = ensure(&dir, &format!("{stem}-csv"), std::slice::from_ref(&csv), true, instances);
        println!("{instances} instances, {} line items, October 2026", e.rows);
        for (label, path, from) in [
            ("Parquet (snappy)", &parquet, format!("read_parquet('{}')", parquet.display())),
            ("gzip CSV", &csv, format!("read_csv('{}', header = true, types = {})", csv.display(), money_types())),
        ] {
            let mb = size(std::slice::from_ref(path)) as f64 / 1e6;
            println!("{label}: {} ({mb:.0} MB)", path.display());
            let us = ours(label, std::slice::from_ref(path), &e);
            let them = peer.as_ref().ok().and_then(|d| theirs(d, &from, &e));
            table.push((label.to_string(), mb, us, them));
        }
    } else {
        // An export's folder: F gzip CSV files and the manifest that lists them.
        let root = dir.join(format!("export-{instances}x{scale}-{files_n}"));
        let data = root.join("data/BILLING_PERIOD=2026-10");
        let meta = root.join("metadata/BILLING_PERIOD=2026-10");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::create_dir_all(&meta).unwrap();
        let paths: Vec<PathBuf> = (1..=files_n).map(|i| data.join(format!("export-{i:05}.csv.gz"))).collect();
        let e = ensure(&root, "csv", &paths, true, instances * scale);
        let listed: Vec<String> = paths
            .iter()
            .map(|p| {
                format!(
                    "s3://bucket/cur/export/data/BILLING_PERIOD=2026-10/{}",
                    p.file_name().unwrap().to_string_lossy()
                )
            })
            .collect();
        std::fs::write(meta.join("export-Manifest.json"), serde_json::json!({"dataFiles": listed}).to_string())
            .unwrap();
        let mb = size(&paths) as f64 / 1e6;
        println!(
            "{} instances, {} line items in {files_n} gzip CSV files ({mb:.0} MB compressed)",
            instances * scale,
            e.rows
        );
        let us = ours("export folder", std::slice::from_ref(&root), &e);
        let from = format!("read_csv('{}/*.csv.gz', header = true, types = {})", data.display(), money_types());
        let them = peer.as_ref().ok().and_then(|d| theirs(d, &from, &e));
        table.push((format!("{files_n} gzip CSV files"), mb, us, them));
    }
    println!("\n| file | MB | tco s | tco peak MiB | DuckDB s | DuckDB peak MiB | DuckDB ÷ tco |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (label, mb, us, them) in table {
        match them {
            Some((s, p)) => {
                println!("| {label} | {mb:.0} | {:.2} | {:.0} | {s:.2} | {p:.0} | {:.2} |", us.0, us.1, s / us.0)
            }
            None => println!("| {label} | {mb:.0} | {:.2} | {:.0} | – | – | – |", us.0, us.1),
        }
    }
}
