//! The JSON report: a public contract; fields are only ever added.

use crate::money::Usd;
use crate::scenario::{Assumptions, Platform, PricingModel};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The outcome of an estimate: the current cost and each AWS option side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always `USD`.
    pub currency: String,
    /// Hours in the month every monthly figure assumes.
    pub hours_per_month: u32,
    /// What the estate costs today.
    pub current: Current,
    /// Each target platform's estimate.
    pub options: Vec<OptionEstimate>,
    /// Every price the figures rest on, with its source and date.
    pub sources: Vec<SourceLine>,
    /// The catalog snapshot's date.
    pub catalog_as_of: String,
    /// The oldest price date in the catalog; warn when it is over 90 days old.
    pub oldest_price_as_of: String,
    /// The assumptions the estimate was made under.
    pub assumptions: Assumptions,
    /// Things the reader should know about the figures.
    pub warnings: Vec<String>,
    /// Every uncertain figure the estimate used, with its range and source: labelled as an
    /// assumption wherever it shows.
    #[serde(default)]
    pub uncertain: Vec<UncertainFigure>,
    /// Heroku Postgres and Key-Value Store plans, where each goes on AWS and what it costs
    /// there (the same in every option).
    #[serde(default)]
    pub addon_moves: Vec<crate::managed::AddonMove>,
}

/// An assumption from the catalog (a discount, a fee share) as this estimate used it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UncertainFigure {
    /// Its id, the key of `assumptions.overrides`.
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
}

/// The current platform's cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Current {
    /// `heroku` (later: `ec2`).
    pub platform: String,
    /// USD per month.
    pub monthly_usd: Usd,
    /// By category.
    pub breakdown: Vec<CostLine>,
    /// Measured over paid (p95 memory over the dynos' memory, p95 load over their CPU), when
    /// every running process has measurements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilization_measured: Option<Utilization>,
    /// The basis an imported bill is read on (`assumptions.bill_basis`), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<crate::bill::CostBasis>,
    /// The bill's credits, refunds, discounts, adjustments and tax for the month, each its own
    /// line, on the same basis: shown as billed, not in `monthly_usd` (no option estimates them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_charges: Vec<CostLine>,
}

/// One category of a monthly cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostLine {
    /// What it is for.
    pub category: String,
    /// USD per month (negative for a credit or a refund).
    #[serde(deserialize_with = "crate::money::signed")]
    pub monthly_usd: Usd,
    /// The chart group: `compute`, `platform`, `networking`, `storage`, `observability`,
    /// `security`, `support`, `current`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// How it was computed, with its inputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    /// The prices it rests on: `item`s of the report's `sources`, with their source and date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

impl CostLine {
    /// A line with a chart group and no formula.
    pub fn new(category: impl Into<String>, group: &str, monthly_usd: Usd) -> CostLine {
        CostLine { category: category.into(), monthly_usd, group: group.into(), formula: None, sources: Vec::new() }
    }
}

/// One AWS target's estimate.
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
    /// Each key assumption moved ±20%: the effect on monthly savings, largest first.
    #[serde(default)]
    pub sensitivity: Vec<Sensitivity>,
    /// Low, likely and high monthly totals over the ranges of the uncertain figures.
    #[serde(default)]
    pub band: Band,
}

/// A single-type node plan and what it would cost on-demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlternativePlan {
    /// Instance type.
    pub instance_type: String,
    /// Nodes over all zones.
    pub nodes: u32,
    /// On-demand nodes, USD per month.
    pub monthly_usd: Usd,
}

/// What sizing from measured use saves on compute (on-demand, constant replicas).
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

/// One node of a plan and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodePlacement {
    /// Availability zone index, from 0.
    pub zone: u32,
    /// Instance type.
    pub instance_type: String,
    /// Whether it is a spot node.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub spot: bool,
    /// CPU requested by its replicas, millicores.
    pub cpu_requested_millicores: u32,
    /// Memory requested by its replicas, MiB.
    pub memory_requested_mib: u32,
    /// CPU it offers to containers, millicores.
    pub cpu_allocatable_millicores: u32,
    /// Memory it offers to containers, MiB.
    pub memory_allocatable_mib: u32,
    /// Replicas on it by process.
    pub replicas: Vec<PlacedReplicas>,
}

/// Replicas of one process on one node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedReplicas {
    /// `app/process`.
    pub process: String,
    /// How many.
    pub count: u32,
}

/// One option's cost under one pricing model.
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

/// Fargate tasks of one process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FargateTasks {
    /// `app/process`.
    pub process: String,
    /// Task CPU, millicores.
    pub cpu_millicores: u32,
    /// Task memory, MiB.
    pub memory_mib: u32,
    /// Tasks running.
    pub tasks: u32,
    /// One task's on-demand price, USD per hour.
    pub usd_per_task_hour: Decimal,
}

/// Cost of ownership month by month. Commitment upfronts are amortized in the monthly cost,
/// so they are shown beside it (`OptionEstimate::upfront_usd`), not added again.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tco {
    /// One-time migration cost: engineering plus outside services, USD.
    pub one_time_usd: Usd,
    /// The engineering part of it, USD.
    pub migration_engineering_usd: Usd,
    /// Paying the current platform while both run, USD.
    pub parallel_run_usd: Usd,
    /// Extra operations effort, USD per month.
    pub ops_monthly_usd: Usd,
    /// Current minus option minus operations effort, USD per month (negative: it costs more).
    #[serde(default, deserialize_with = "crate::money::signed")]
    pub monthly_savings_usd: Usd,
    /// Cumulative cost of each side at the end of each month.
    pub months: Vec<TcoMonth>,
    /// Over 12 months.
    pub months_12: TcoTotal,
    /// Over 36 months.
    pub months_36: TcoTotal,
    /// The first month whose cumulative cost is no higher than staying; absent when that is
    /// not within the horizon.
    pub break_even_month: Option<u32>,
}

/// Cumulative costs at the end of a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TcoMonth {
    /// 1-based month.
    pub month: u32,
    /// Staying on the current platform, USD so far.
    pub current_usd: Usd,
    /// Moving to this option, USD so far.
    pub option_usd: Usd,
}

/// Totals over a horizon.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TcoTotal {
    /// Staying, USD.
    pub current_usd: Usd,
    /// Moving, USD.
    pub option_usd: Usd,
    /// Staying minus moving, USD.
    #[serde(default, deserialize_with = "crate::money::signed")]
    pub savings_usd: Usd,
}

/// The effect of one assumption on monthly savings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sensitivity {
    /// The assumption.
    pub assumption: String,
    /// Monthly savings with the assumption 20% lower, USD.
    #[serde(default, deserialize_with = "crate::money::signed")]
    pub savings_at_low_usd: Usd,
    /// Monthly savings with the assumption 20% higher, USD.
    #[serde(default, deserialize_with = "crate::money::signed")]
    pub savings_at_high_usd: Usd,
    /// The spread between the two, USD.
    pub swing_usd: Usd,
}

/// A range of the monthly total.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// With every uncertain figure at its favourable end, USD per month.
    pub low_usd: Usd,
    /// As estimated, USD per month.
    pub likely_usd: Usd,
    /// With every uncertain figure at its unfavourable end, USD per month.
    pub high_usd: Usd,
    /// What was varied.
    pub basis: Vec<String>,
}

/// A count of nodes of one instance type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeCount {
    /// Instance type, e.g. `c5.2xlarge`.
    pub instance_type: String,
    /// Nodes.
    pub count: u32,
    /// Nodes in each availability zone.
    pub per_zone: Vec<u32>,
    /// Whether the pool runs interruption-tolerant work on spot.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub spot: bool,
    /// The process the pool serves, when each process has its own (`ec2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serves: Option<String>,
    /// On-demand price of one node, USD per hour.
    #[serde(default)]
    pub usd_per_hour: Decimal,
}

/// Requested over allocatable, 0..1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Utilization {
    /// CPU.
    pub cpu: f64,
    /// Memory.
    pub memory: f64,
}

/// A price used by the estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceLine {
    /// What is priced.
    pub item: String,
    /// The unit price in USD, exact.
    pub usd: Decimal,
    /// Its unit.
    pub unit: String,
    /// Where it came from.
    pub source: String,
    /// When it was taken, `YYYY-MM-DD`.
    pub as_of: String,
}

/// What one node offers to containers after the orchestrator's reservations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeShape {
    /// CPU, millicores.
    pub cpu_millicores: u32,
    /// Memory, MiB.
    pub memory_mib: u32,
    /// Containers per node, where the platform limits them.
    pub max_pods: Option<u32>,
}
