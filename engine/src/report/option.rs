//! One AWS target's estimate: its total, its lines, its plan and its price under every pricing
//! model, with what sizing from measured use and the week's profile change.

use super::cost::CostLine;
use super::plan::{AlternativePlan, FargateTasks, NodeCount, NodePlacement, NodeShape, Utilization};
use super::tco::Tco;
use super::whatif::{Band, Sensitivity};
use crate::money::Usd;
use crate::scenario::{Platform, PricingModel};
use serde::{Deserialize, Serialize};

/// One AWS target's estimate.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionEstimate {
    /// The target, e.g. `eks-ec2`.
    pub platform: Platform,
    /// A human label, e.g. `EKS on EC2`.
    pub label: String,
    /// AWS region.
    pub region: String,
    /// USD per month.
    pub monthly_usd: Usd,
    /// By category.
    pub breakdown: Vec<CostLine>,
    /// The node plan.
    pub nodes: Vec<NodeCount>,
    /// Requested over allocatable on the planned nodes, 0..1.
    pub utilization: Utilization,
    /// How much cheaper than today, percent; absent when today costs nothing.
    pub savings_vs_current_pct: Option<f64>,
    /// Today's monthly cost minus this option's, USD per month (negative: it costs more).
    #[serde(default, deserialize_with = "crate::money::signed")]
    pub savings_vs_current_usd: Usd,
    /// Zones the nodes are spread over.
    pub availability_zones: u32,
    /// What one node of the plan offers to containers.
    pub node_allocatable: Option<NodeShape>,
    /// The pricing model `monthly_usd` uses.
    #[serde(default)]
    pub pricing_model: PricingModel,
    /// The same plan under every pricing model that applies.
    #[serde(default)]
    pub by_pricing_model: Vec<ModelCost>,
    /// Paid at purchase for the chosen model's commitments, USD (amortized in `monthly_usd`).
    #[serde(default)]
    pub upfront_usd: Usd,
    /// The LP lower bound on the on-demand cost of the nodes, USD per month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower_bound_monthly_usd: Option<Usd>,
    /// How far the plan's on-demand node cost is above the bound, percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap_to_lower_bound_pct: Option<f64>,
    /// Measured over allocatable, when every running process has measurements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilization_measured: Option<Utilization>,
    /// The cheapest single-type node plans for the whole estate (one pool), cheapest first:
    /// what else would do, on-demand.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<AlternativePlan>,
    /// Every node and the replicas packed on it (node targets).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placements: Vec<NodePlacement>,
    /// The hourly profile the compute cost follows, when the import had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<ProfileSummary>,
    /// On-demand compute with requests from the dyno sizes and from measured use, when the
    /// import has measurements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right_sizing: Option<RightSizing>,
    /// Fargate tasks by process (Fargate targets).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fargate_tasks: Vec<FargateTasks>,
    /// Cost of ownership over time, with one-time and people costs.
    #[serde(default)]
    pub tco: Tco,
    /// Each key assumption at either end of its range (±20% where it has none): the effect on
    /// monthly savings, largest first.
    #[serde(default)]
    pub sensitivity: Vec<Sensitivity>,
    /// Low, likely and high monthly totals over the ranges of the labelled assumptions.
    #[serde(default)]
    pub band: Band,
}

impl OptionEstimate {
    /// The sensitivity rows of the assumptions the band varies, widest swing first: what
    /// dominates the band.
    pub fn band_drivers(&self) -> impl Iterator<Item = &Sensitivity> {
        self.sensitivity.iter().filter(|s| s.in_band && !s.swing_usd.amount().is_zero())
    }
}

/// One option's cost under one pricing model.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelCost {
    /// The model.
    pub model: PricingModel,
    /// A human label.
    pub label: String,
    /// Compute (nodes or tasks) under this model, USD per month.
    pub compute_monthly_usd: Usd,
    /// The whole option under this model, USD per month.
    pub monthly_usd: Usd,
    /// Paid at purchase, USD (amortized in the monthly figures).
    pub upfront_usd: Usd,
    /// Where the rates come from.
    pub basis: String,
    /// Whether the rates rest on an assumption rather than catalog prices.
    pub assumed: bool,
}

/// What sizing from measured use saves on compute (on-demand, constant replicas).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RightSizing {
    /// Requests from the dyno sizes, USD per month.
    pub dyno_sized_compute_usd: Usd,
    /// Requests from measured use (the dyno size where unmeasured), USD per month.
    pub measured_compute_usd: Usd,
    /// The difference, USD per month.
    #[serde(default, deserialize_with = "crate::money::signed")]
    pub savings_usd: Usd,
}

/// How compute follows the week's hourly profile.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileSummary {
    /// On-demand compute cost of each hour of the week, USD per hour.
    pub hourly_on_demand_usd: Vec<f64>,
    /// Nodes (or tasks' nodes: zero on Fargate) in each hour.
    pub hourly_nodes: Vec<u32>,
    /// The busiest hour (0 = Monday 00:00), whose plan is the one shown.
    pub peak_hour: u32,
    /// The week's mean cost over the peak hour's.
    pub mean_over_peak: f64,
}
