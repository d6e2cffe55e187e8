//! Generates a large Heroku log file (once) and measures how fast the log importer reads it
//! from disk through a 1 MiB `BufReader`, and the process's peak memory while it does; then
//! DuckDB's answer to the same question (p95 memory per process type) over the same file, in
//! its own process, when DuckDB is installed (`scripts/duckdb-venv.sh`).
//!
//! ```sh
//! cargo run --release -p tco-server --example log_bench -- --size-mb 1024 --out /tmp/heroku-1g.log
//! ```
//!
//! Options: `--size-mb N` (MiB, default 1024), `--out PATH` (default `/tmp/heroku-<N>m.log`),
//! `--small-mb M` (default 64; 0 skips it), `--small-out PATH` (default `heroku-<M>m.log` beside
//! `--out`), `--seed S`, `--runs R` (default 3: each reader reads the large file R times,
//! alternating). The small file is measured first so that both peaks can be compared: the
//! importer's memory must not grow with the file's size. Files that exist are reused, not
//! regenerated. Peak RSS is `VmHWM` from `/proc/self/status`, reset before each import by
//! writing `5` to `/proc/self/clear_refs` where the kernel allows it.

#[path = "../benches/support/duckdb.rs"]
mod duckdb;
#[path = "../benches/support/heroku_log.rs"]
mod heroku_log;

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use tco_engine::Assumptions;
use tco_server::import::{logs, Context};

const MIB: u64 = 1 << 20;

struct Options {
    size_mb: u64,
    out: Option<PathBuf>,
    small_mb: u64,
    small_out: Option<PathBuf>,
    seed: u64,
    runs: u64,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options { size_mb: 1024, out: None, small_mb: 64, small_out: None, seed: 42, runs: 3 };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        let number = |v: String| v.parse::<u64>().map_err(|e| format!("{arg}: {v}: {e}"));
        match arg.as_str() {
            "--size-mb" => o.size_mb = number(value()?)?,
            "--out" => o.out = Some(value()?.into()),
            "--small-mb" => o.small_mb = number(value()?)?,
            "--small-out" => o.small_out = Some(value()?.into()),
            "--seed" => o.seed = number(value()?)?,
            "--runs" => o.runs = number(value()?)?.max(1),
            "-h" | "--help" => return Err(
                "usage: log_bench [--size-mb N] [--out PATH] [--small-mb M] [--small-out PATH] [--seed S] [--runs R]"
                    .into(),
            ),
            other => return Err(format!("unknown argument {other} (try --help)")),
        }
    }
    if o.size_mb == 0 {
        return Err("--size-mb must be at least 1".into());
    }
    Ok(o)
}

/// A `/proc/self/status` field in KiB, e.g. `VmHWM` (peak resident set) or `VmRSS`.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))?;
    line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse().ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map(|k| format!("{:.1} MiB", k as f64 / 1024.0)).unwrap_or_else(|| "n/a".into())
}

/// Resets the peak RSS to the current RSS (Linux ≥ 4.0); false where not allowed.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Writes the log to `path` unless it exists, through a temporary file so that an interrupted
/// run never leaves a truncated log behind.
fn ensure_log(path: &Path, size_mb: u64, seed: u64) -> std::io::Result<()> {
    if path.exists() {
        println!("{}: exists, reused ({} bytes)", path.display(), std::fs::metadata(path)?.len());
        return Ok(());
    }
    let tmp = path.with_extension("log.part");
    let start = Instant::now();
    let mut out = BufWriter::with_capacity(MIB as usize, File::create(&tmp)?);
    let w = heroku_log::write_log(&mut out, size_mb * MIB, seed)?;
    out.flush()?;
    drop(out);
    std::fs::rename(&tmp, path)?;
    println!(
        "{}: generated {} bytes, {} lines in {:.1} s",
        path.display(),
        w.bytes,
        w.lines,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// DuckDB's p95 of `sample#memory_rss` per process type over the log (one-off `run` dynos
/// left out, as the importer does), reading each line as one text column.
fn duckdb_p95(path: &Path) -> String {
    format!(
        "SELECT split_part(regexp_extract(line, 'source=([^ ]+)', 1), '.', 1) AS process, \
                quantile_cont(CAST(regexp_extract(line, 'sample#memory_rss=([0-9.]+)', 1) AS DOUBLE), 0.95) AS p95_mib, \
                count(*) AS samples \
         FROM read_csv('{}', columns = {{'line': 'VARCHAR'}}, delim = '\u{1}', header = false, quote = '', \
                       escape = '', auto_detect = false) \
         WHERE line LIKE '%sample#memory_rss=%' \
         GROUP BY process HAVING process <> 'run' ORDER BY process",
        path.display()
    )
}

/// One timed import of `path`: (seconds, peak RSS MiB when it could be reset).
fn time_import(path: &Path) -> Result<(f64, Option<f64>, tco_engine::Workloads), String> {
    let reset = reset_peak_rss();
    let assumptions = Assumptions::default();
    let ctx = Context::new(tco_pricing_data::embedded(), &assumptions);
    let name = path.display().to_string();
    let start = Instant::now();
    let file = File::open(path).map_err(|e| format!("{name}: {e}"))?;
    let reader = BufReader::with_capacity(MIB as usize, file);
    let w = logs::import(&name, reader, ctx, &mut |_| {}).map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM").filter(|_| reset).map(|k| k as f64 / 1024.0);
    Ok((secs, peak, w))
}

/// The large file read `runs` times by each reader, alternating, and a table of the runs.
fn versus_duckdb(path: &Path, runs: u64) -> Result<(), String> {
    let bytes = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?.len();
    let peer = duckdb::DuckDb::find();
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let (secs, peak, w) = time_import(path)?;
        ours.push((secs, peak));
        last = Some(w);
        if let Ok(d) = &peer {
            let run = d.run(&duckdb_p95(path))?;
            theirs.push(run);
        }
    }
    let mb = bytes as f64 / 1e6;
    println!("\n{} ({:.0} MB), {runs} run(s) each, alternating:", path.display(), mb);
    println!("| reader | seconds (each run) | best MB/s | peak RSS MiB |");
    println!("|---|---|---:|---:|");
    let list = |v: &[f64]| v.iter().map(|s| format!("{s:.2}")).collect::<Vec<_>>().join(", ");
    let best_ours = ours.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
    let peak_ours = ours.iter().filter_map(|r| r.1).fold(0.0, f64::max);
    println!(
        "| `tco import` (p95 and all else per process type) | {} | {:.0} | {peak_ours:.0} |",
        list(&ours.iter().map(|r| r.0).collect::<Vec<_>>()),
        mb / best_ours
    );
    match &peer {
        Ok(d) => {
            let best = theirs.iter().map(|r| r.seconds).fold(f64::INFINITY, f64::min);
            let peak = theirs.iter().map(|r| r.peak_mib).fold(0.0, f64::max);
            let base = theirs.iter().map(|r| r.baseline_mib).fold(0.0, f64::max);
            println!(
                "| DuckDB {} (`read_csv` + `quantile_cont` p95 per process type) | {} | {:.0} | {peak:.0} ({base:.0} before the query) |",
                d.version,
                list(&theirs.iter().map(|r| r.seconds).collect::<Vec<_>>()),
                mb / best
            );
            println!("DuckDB's best over ours: {:.2}", best / best_ours);
            if let (Some(run), Some(w)) = (theirs.last(), last) {
                for row in run.rows.as_array().into_iter().flatten() {
                    let process = row[0].as_str().unwrap_or_default();
                    let ours = w.apps.iter().flat_map(|a| &a.processes).find(|p| p.name == process);
                    println!(
                        "  {process}: p95 memory DuckDB {} MiB ({} samples), tco {} MiB ({} samples)",
                        row[1].as_str().unwrap_or_default(),
                        row[2].as_str().unwrap_or_default(),
                        ours.and_then(|p| p.measured.as_ref())
                            .map_or("-".into(), |m| format!("{:.2}", m.memory_mib_p95)),
                        ours.and_then(|p| p.measured.as_ref()).map_or(0, |m| m.samples)
                    );
                }
            }
        }
        Err(why) => println!("| DuckDB | skipped: {why} | | |"),
    }
    Ok(())
}

fn measure(path: &Path) -> Result<(), String> {
    let bytes = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?.len();
    let reset = reset_peak_rss();
    let before = status_kib("VmHWM");
    let assumptions = Assumptions::default();
    let ctx = Context::new(tco_pricing_data::embedded(), &assumptions);
    let name = path.display().to_string();
    let start = Instant::now();
    let file = File::open(path).map_err(|e| format!("{name}: {e}"))?;
    let reader = BufReader::with_capacity(MIB as usize, file);
    let w = logs::import(&name, reader, ctx, &mut |_| {}).map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    let after = status_kib("VmHWM");
    println!("{name}");
    println!(
        "  bytes {bytes} ({:.1} MiB)  seconds {secs:.3}  throughput {:.1} MB/s ({:.1} MiB/s)",
        bytes as f64 / MIB as f64,
        bytes as f64 / 1e6 / secs,
        bytes as f64 / MIB as f64 / secs
    );
    println!(
        "  peak RSS (VmHWM) before {}  after {}{}",
        mib(before),
        mib(after),
        if reset {
            "  (peak reset before the import)"
        } else {
            "  (peak could not be reset: it includes earlier work)"
        }
    );
    for app in &w.apps {
        for p in &app.processes {
            let m = p.measured.as_ref();
            println!(
                "  {}/{}: peak {} dynos, {} memory samples, {} load samples, {} requests, {} R14",
                app.name,
                p.name,
                p.replicas,
                m.map_or(0, |m| m.samples),
                m.and_then(|m| m.cpu_samples).unwrap_or(0),
                m.map_or(0, |m| m.requests),
                m.map_or(0, |m| m.r14_count)
            );
        }
    }
    for warning in &w.warnings {
        println!("  warning: {}", warning.message);
    }
    Ok(())
}

fn run() -> Result<(), String> {
    let o = parse_args()?;
    let out = o.out.unwrap_or_else(|| PathBuf::from(format!("/tmp/heroku-{}m.log", o.size_mb)));
    let mut runs: Vec<(PathBuf, u64)> = Vec::new();
    if o.small_mb > 0 && o.small_mb != o.size_mb {
        let small = o.small_out.unwrap_or_else(|| out.with_file_name(format!("heroku-{}m.log", o.small_mb)));
        runs.push((small, o.small_mb));
    }
    runs.push((out, o.size_mb));
    for (path, size_mb) in &runs {
        ensure_log(path, *size_mb, o.seed).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    println!("peak RSS of this process so far: {}", mib(status_kib("VmHWM")));
    for (path, _) in &runs {
        measure(path)?;
    }
    if let Some((large, _)) = runs.last() {
        versus_duckdb(large, o.runs)?;
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
