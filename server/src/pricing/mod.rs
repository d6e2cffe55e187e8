//! `tco pricing refresh` and `tco pricing import-offer-file`: new prices from AWS into a
//! snapshot directory. Both read into [`tco_pricing_data::update`] offers and write the
//! snapshot atomically; a failure leaves the old one.

pub mod offer_file;
pub mod refresh;

use std::path::Path;
use tco_pricing_data::update::{apply, Diff, Ec2Offer, ServiceOffer};
use tco_pricing_data::{LoadError, OwnedSnapshot};

/// Why a refresh or an import did not write a snapshot.
#[derive(Debug, thiserror::Error)]
pub enum PricingError {
    /// The command was asked something it cannot do.
    #[error("{0}")]
    Usage(String),
    /// The offer file cannot be read.
    #[error(transparent)]
    OfferFile(#[from] offer_file::OfferFileError),
    /// The Price List API failed or answered something unreadable.
    #[error(transparent)]
    Refresh(#[from] refresh::RefreshError),
    /// The snapshot, old or new, does not load or cannot be written.
    #[error(transparent)]
    Snapshot(#[from] LoadError),
    /// The runtime for the API calls could not start.
    #[error("cannot start the runtime for the Price List API calls: {0}")]
    Runtime(std::io::Error),
}

/// The snapshot in `dir`, or the embedded one when `dir` has none yet.
pub fn starting_snapshot(dir: &Path) -> Result<OwnedSnapshot, LoadError> {
    if dir.join("manifest.json").is_file() {
        OwnedSnapshot::read_dir(dir)
    } else {
        Ok(OwnedSnapshot::embedded())
    }
}

/// Applies offers for each region in turn and writes the result into `dir`.
pub fn apply_and_write(
    dir: &Path,
    by_region: &[(String, Vec<Ec2Offer>)],
    services: &[ServiceOffer],
    date: &str,
) -> Result<Vec<(String, Diff)>, LoadError> {
    let mut snapshot = starting_snapshot(dir)?;
    let mut diffs = Vec::new();
    for (region, offers) in by_region {
        let (next, diff) = apply(&snapshot, region, offers, services, date)?;
        snapshot = next;
        diffs.push((region.clone(), diff));
    }
    if by_region.is_empty() && !services.is_empty() {
        let (next, diff) = apply(&snapshot, "", &[], services, date)?;
        snapshot = next;
        diffs.push(("services".into(), diff));
    }
    snapshot.write_dir(dir)?;
    Ok(diffs)
}
