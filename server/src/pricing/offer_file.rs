//! `tco pricing import-offer-file`: AWS Price List bulk offer files (CSV and JSON) and the
//! Savings Plans files.

use std::path::Path;

/// Imports an offer file into `dir`; returns the diff summary.
pub fn run(_file: &Path, _region: Option<&str>, _dir: &Path) -> anyhow::Result<String> {
    anyhow::bail!("tco pricing import-offer-file is being built")
}
