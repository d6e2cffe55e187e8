//! How far the figures can be trusted: every uncertain figure the estimate used, the effect of
//! each on savings, and the band they make together.

use crate::money::Usd;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An assumption from the catalog (a discount, a fee share) as this estimate used it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UncertainFigure {
    /// Its id: the key of `assumptions.overrides` for the catalog's figures, or the scenario
    /// field it ranges over (`millicores_per_compute_unit`, `headroom`).
    pub id: String,
    /// What it is.
    pub description: String,
    /// The value used.
    pub value: Decimal,
    /// Its unit.
    pub unit: String,
    /// Low end of its plausible range.
    pub low: Decimal,
    /// High end of its plausible range.
    pub high: Decimal,
    /// Whether the user replaced the catalog default.
    pub overridden: bool,
    /// Why the default is what it is.
    pub source: String,
    /// When the default was set.
    pub as_of: String,
    /// The region whose figure this is, for an assumption that differs by region (the
    /// home region's prices standing in for a region's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// The effect of one assumption on monthly savings: at the low and the high end of its stated
/// range (the band's), or 20% either way where it has none.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sensitivity {
    /// The assumption.
    pub assumption: String,
    /// Monthly savings with the assumption at its low end, USD.
    #[serde(default, deserialize_with = "crate::money::signed")]
    pub savings_at_low_usd: Usd,
    /// Monthly savings with the assumption at its high end, USD.
    #[serde(default, deserialize_with = "crate::money::signed")]
    pub savings_at_high_usd: Usd,
    /// The spread between the two, USD.
    pub swing_usd: Usd,
    /// What the assumption is at its low end, e.g. `100 m` or `−20%`.
    #[serde(default)]
    pub at_low: String,
    /// What the assumption is at its high end, e.g. `240 m` or `+20%`.
    #[serde(default)]
    pub at_high: String,
    /// Whether the band varies it over the same range (the rows that explain the band).
    #[serde(default)]
    pub in_band: bool,
}

/// A range of the monthly total: every labelled assumption over its stated range, all at the
/// favourable ends for the low figure and all at the unfavourable ends for the high one (and
/// never narrower than any one assumption's own range).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// With every uncertain figure at its favourable end, USD per month.
    pub low_usd: Usd,
    /// As estimated, USD per month.
    pub likely_usd: Usd,
    /// With every uncertain figure at its unfavourable end, USD per month.
    pub high_usd: Usd,
    /// What was varied, each with its range.
    pub basis: Vec<String>,
}
