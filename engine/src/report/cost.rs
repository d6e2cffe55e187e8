//! Cost lines and the groups charts stack them by: the one shape every monthly figure of the
//! report is broken down into.

use super::usage::Usage;
use crate::money::Usd;
use serde::{Deserialize, Serialize};

/// What a cost line is for: the charts stack and colour lines by it and the exports list it.
/// One name each, the same in the report, the exports and the page.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CostGroup {
    /// What the estate costs today (the current platform's lines).
    Current,
    /// Nodes and Fargate tasks.
    #[default]
    Compute,
    /// Control planes and management fees.
    Platform,
    /// Load balancers, NAT gateways, public addresses, data transfer, Transit Gateway.
    Networking,
    /// Volumes.
    Storage,
    /// Logs and metrics.
    Observability,
    /// Keys and secrets.
    Security,
    /// AWS Support.
    Support,
    /// Databases, caches and other add-ons, moved or kept at today's price.
    AddOns,
}

impl CostGroup {
    /// Every group, in the order charts stack them.
    pub const ALL: [CostGroup; 9] = [
        CostGroup::Current,
        CostGroup::Compute,
        CostGroup::Platform,
        CostGroup::Networking,
        CostGroup::Storage,
        CostGroup::Observability,
        CostGroup::Security,
        CostGroup::Support,
        CostGroup::AddOns,
    ];

    /// The name in the report and the exports, e.g. `add-ons`.
    pub fn as_str(self) -> &'static str {
        match self {
            CostGroup::Current => "current",
            CostGroup::Compute => "compute",
            CostGroup::Platform => "platform",
            CostGroup::Networking => "networking",
            CostGroup::Storage => "storage",
            CostGroup::Observability => "observability",
            CostGroup::Security => "security",
            CostGroup::Support => "support",
            CostGroup::AddOns => "add-ons",
        }
    }

    /// For people, e.g. in a chart's legend.
    pub fn label(self) -> &'static str {
        match self {
            CostGroup::Current => "Today's platform",
            CostGroup::Compute => "Compute",
            CostGroup::Platform => "Platform fees",
            CostGroup::Networking => "Networking",
            CostGroup::Storage => "Storage",
            CostGroup::Observability => "Observability",
            CostGroup::Security => "Security",
            CostGroup::Support => "Support",
            CostGroup::AddOns => "Databases and add-ons",
        }
    }
}

impl std::fmt::Display for CostGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for CostGroup {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CostGroup::ALL.into_iter().find(|g| g.as_str() == s).ok_or_else(|| format!("unknown cost group `{s}`"))
    }
}

/// One category of a monthly cost.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostLine {
    /// What it is for.
    pub category: String,
    /// USD per month (negative for a credit or a refund).
    #[serde(deserialize_with = "crate::money::signed")]
    pub monthly_usd: Usd,
    /// What the line is for, as the charts group it.
    #[serde(default)]
    pub group: CostGroup,
    /// How it was computed, with its inputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    /// The prices it rests on: `item`s of the report's `sources`, with their source and date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// What the line bills, as metered quantities per month (a Fargate line has vCPU-hours
    /// and GB-hours), so the plan can be re-priced elsewhere (AWS's Pricing Calculator) from
    /// typed data. Empty where the line is not usage of one AWS meter (add-ons kept at
    /// today's price, managed databases, Business Support).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub usage: Vec<Usage>,
}

impl CostLine {
    /// A line with a chart group and no formula.
    pub fn new(category: impl Into<String>, group: CostGroup, monthly_usd: Usd) -> CostLine {
        CostLine {
            category: category.into(),
            monthly_usd,
            group,
            formula: None,
            sources: Vec::new(),
            usage: Vec::new(),
        }
    }
}
