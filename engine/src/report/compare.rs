//! The matrices: each region's targets side by side, and each target's plan on each generation
//! family group.

use crate::money::Usd;
use crate::scenario::Platform;
use serde::{Deserialize, Serialize};

/// One region of the estimate, beside the others.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionComparison {
    /// Region code.
    pub region: String,
    /// The date of the region's EC2 prices (the oldest, where a refresh left a mix).
    pub prices_as_of: String,
    /// The scenario's candidate instance types (families expanded, for the images'
    /// architectures).
    pub candidate_types: u32,
    /// How many of them have no price in the region: they are not candidates there.
    pub candidate_types_lacking: u32,
    /// The families whose candidate types the region lacks, each once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lacking_families: Vec<String>,
    /// What fills the gap, when there is one (`tco pricing refresh --region R`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Prices the region's sources lack, with the home region's standing in for them (labelled
    /// `home-region-stand-in`): the source items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stand_ins: Vec<String>,
    /// Each target's monthly total in the region, in the targets' order.
    pub targets: Vec<RegionCell>,
}

/// One target in one region.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionCell {
    /// The target.
    pub platform: Platform,
    /// The option's monthly total under its pricing model, USD per month.
    pub monthly_usd: Usd,
    /// Whether this is the target's cheapest region of the estimate.
    pub cheapest: bool,
}

/// One generation family group, planned for every node target.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenerationComparison {
    /// The group, e.g. `c7i/m7i/r7i`; the first row is `candidate list`, the scenario's own.
    pub group: String,
    /// The architecture its images need.
    pub arch: crate::catalog::Arch,
    /// The region it was planned in.
    pub region: String,
    /// Why it was not planned, when it was not (no price in the region, x86-only images).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// Its families the region has no price for (the others were planned).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lacking_families: Vec<String>,
    /// Each node target's plan on the group, in the targets' order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<GenerationCell>,
}

/// One target's plan on one generation group: the replicas of the plan shown (the peak hour's
/// with a profile), on-demand nodes only (no supporting lines), the same basis as the matrix's
/// first row, the option's own plan on the scenario's candidate list.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenerationCell {
    /// The target.
    pub platform: Platform,
    /// Nodes over all zones.
    pub nodes: u32,
    /// The node plan, e.g. `3× c7i.2xlarge + 1× r7i.xlarge`.
    pub plan: String,
    /// Nodes on-demand, USD per month.
    pub compute_monthly_usd: Usd,
    /// Whether this group is the target's cheapest.
    pub cheapest: bool,
}
