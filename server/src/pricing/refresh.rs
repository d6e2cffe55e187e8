//! `tco pricing refresh`: the AWS Price List Query API (GetProducts) through aws-sdk-pricing.

use std::path::Path;

/// Refreshes `regions` from the Price List Query API into `dir`; returns the diff summary.
pub fn run(_regions: &[String], _dir: &Path, _endpoint_url: Option<&str>) -> anyhow::Result<String> {
    anyhow::bail!("tco pricing refresh is being built")
}
