//! DuckDB as the peer the benchmarks compare against, run through its Python package in a
//! process of its own: the query's time (`perf_counter` around it) and the process's peak RSS.
//!
//! Found, in order: `TCO_DUCKDB_PYTHON` (a Python with `duckdb` installed), the venv that
//! `scripts/duckdb-venv.sh` makes under `target/duckdb-venv`, or `python3` if it can import
//! `duckdb`. Without one the benchmarks say so and measure only this tool.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A Python that can import `duckdb`.
pub struct DuckDb {
    python: PathBuf,
    /// `duckdb.__version__`.
    pub version: String,
}

/// One query's run.
pub struct Run {
    /// Seconds the query took.
    pub seconds: f64,
    /// Peak RSS of the DuckDB process, MiB (Python and DuckDB included).
    pub peak_mib: f64,
    /// Peak RSS before the query ran, MiB (Python and the loaded library).
    pub baseline_mib: f64,
    /// The rows, as JSON.
    pub rows: serde_json::Value,
}

impl DuckDb {
    /// The peer, or why there is none.
    pub fn find() -> Result<DuckDb, String> {
        let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/duckdb-venv/bin/python");
        let candidates: Vec<PathBuf> = std::env::var_os("TCO_DUCKDB_PYTHON")
            .map(PathBuf::from)
            .into_iter()
            .chain([venv, PathBuf::from("python3")])
            .collect();
        for python in candidates {
            let out = Command::new(&python).args(["-c", "import duckdb; print(duckdb.__version__)"]).output();
            if let Some(out) = out.ok().filter(|o| o.status.success()) {
                let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
                return Ok(DuckDb { python, version });
            }
        }
        Err("DuckDB not found: run scripts/duckdb-venv.sh (a venv under target/) or set TCO_DUCKDB_PYTHON".into())
    }

    /// Runs `sql` (its rows fetched), with DuckDB's progress bar off.
    pub fn run(&self, sql: &str) -> Result<Run, String> {
        let script = String::from(
            r#"
import duckdb, json, os, sys, time
# VmHWM, not getrusage: the latter keeps the peak of the process this one was forked from.
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
before = hwm()
t = time.perf_counter()
rows = con.sql(os.environ["TCO_DUCKDB_SQL"]).fetchall()
seconds = time.perf_counter() - t
peak = hwm()
print(json.dumps({"seconds": seconds, "peak_kib": peak, "baseline_kib": before, "rows": [[str(v) for v in r] for r in rows]}))
"#,
        );
        let out = Command::new(&self.python)
            .arg("-c")
            .arg(script)
            .env("TCO_DUCKDB_SQL", sql)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
        Ok(Run {
            seconds: v["seconds"].as_f64().unwrap_or(f64::NAN),
            peak_mib: v["peak_kib"].as_f64().unwrap_or(f64::NAN) / 1024.0,
            baseline_mib: v["baseline_kib"].as_f64().unwrap_or(f64::NAN) / 1024.0,
            rows: v["rows"].clone(),
        })
    }
}
