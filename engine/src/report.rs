//! The JSON report: a public contract; fields are only ever added.

use crate::money::Usd;
use crate::plan::{Alternative, Candidate, Demand, Placement, Pool, Tasks};
use crate::scenario::{AddonTarget, Assumptions, Platform, PricingModel};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The outcome of an estimate: the current cost and each AWS option side by side.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    pub addon_moves: Vec<AddonMove>,
    /// What each replica of each process asks, as the plans placed it (the scenario's sizing
    /// policy applied), so a reader can split a node's use between its processes.
    #[serde(default)]
    pub requests: Vec<ProcessRequest>,
    /// Each region estimated, in order: its targets' monthly totals side by side (the cheapest
    /// region of each target marked) and the scenario's candidate types it has no price for.
    #[serde(default)]
    pub regions: Vec<RegionComparison>,
    /// The node plan of each target on each generation family group, in the first region
    /// (`compare_generations`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub generations: Vec<GenerationComparison>,
}

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

/// One process's request per replica, as planned.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessRequest {
    /// `app/process`, as the placements name it.
    pub process: String,
    /// CPU per replica, millicores.
    pub cpu_millicores: u32,
    /// Memory per replica, MiB.
    pub memory_mib: u32,
}

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

/// The current platform's cost.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// One metered quantity of a cost line, in the unit AWS's price list meters it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// What is metered.
    pub meter: Meter,
    /// The instance type, for instance-hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    /// How much a month, in `unit` (hours are the report's `hours_per_month`).
    pub amount: Decimal,
    /// The meter's unit ([`Meter::unit`]), repeated for readers of the JSON.
    pub unit: String,
    /// This quantity's share of the line, USD per month.
    pub monthly_usd: Usd,
}

impl Usage {
    /// `amount` of `meter` costing `monthly_usd`.
    pub fn new(meter: Meter, amount: Decimal, monthly_usd: Usd) -> Usage {
        Usage { meter, instance_type: None, amount, unit: meter.unit().into(), monthly_usd }
    }
}

/// The AWS meters the estimate's lines bill.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Meter {
    /// EC2 Linux instance-hours of one type (`instance_type`).
    Ec2InstanceHours,
    /// Instance-hours EKS Auto Mode's management fee is charged on (`instance_type`).
    EksAutoModeInstanceHours,
    /// Fargate vCPU-hours, x86.
    FargateVcpuHours,
    /// Fargate GB-hours, x86.
    FargateGbHours,
    /// Fargate vCPU-hours, ARM.
    FargateArmVcpuHours,
    /// Fargate GB-hours, ARM.
    FargateArmGbHours,
    /// EKS cluster-hours, standard support.
    EksClusterHours,
    /// EKS cluster-hours, extended support.
    EksExtendedSupportHours,
    /// Application Load Balancer hours.
    AlbHours,
    /// Load balancer capacity unit hours.
    AlbLcuHours,
    /// NAT gateway hours.
    NatGatewayHours,
    /// GB processed by NAT gateways.
    NatGatewayGb,
    /// Public IPv4 address-hours.
    PublicIpv4Hours,
    /// EBS gp3 GB-months.
    EbsGp3GbMonths,
    /// GB crossing zones, counted once per direction.
    CrossAzGb,
    /// GB out to the internet, before any free allowance.
    DataTransferOutGb,
    /// GB of logs ingested by CloudWatch Logs.
    LogsIngestGb,
    /// KMS customer-managed key-months.
    KmsKeyMonths,
    /// Secrets Manager secret-months.
    SecretMonths,
    /// Transit Gateway attachment-hours.
    TransitGatewayAttachmentHours,
    /// GB processed by Transit Gateway.
    TransitGatewayGb,
}

impl Meter {
    /// The price-list unit of the meter.
    pub fn unit(self) -> &'static str {
        match self {
            Meter::Ec2InstanceHours
            | Meter::EksAutoModeInstanceHours
            | Meter::EksClusterHours
            | Meter::EksExtendedSupportHours
            | Meter::AlbHours
            | Meter::NatGatewayHours
            | Meter::PublicIpv4Hours
            | Meter::TransitGatewayAttachmentHours => "Hrs",
            Meter::FargateVcpuHours | Meter::FargateArmVcpuHours => "vCPU-Hrs",
            Meter::FargateGbHours | Meter::FargateArmGbHours => "GB-Hrs",
            Meter::AlbLcuHours => "LCU-Hrs",
            Meter::EbsGp3GbMonths => "GB-Mo",
            Meter::NatGatewayGb
            | Meter::CrossAzGb
            | Meter::DataTransferOutGb
            | Meter::LogsIngestGb
            | Meter::TransitGatewayGb => "GB",
            Meter::KmsKeyMonths => "Keys",
            Meter::SecretMonths => "Secrets",
        }
    }
}

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

/// A single-type node plan and what it would cost on-demand.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// One node of a plan and what it holds.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedReplicas {
    /// `app/process`.
    pub process: String,
    /// How many.
    pub count: u32,
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

/// Fargate tasks of one process.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

impl Report {
    /// The option that saves the most over 36 months (or loses the least), cost of ownership
    /// included: migration, parallel running and operations effort. Moving is recommended when
    /// its 36-month savings are above zero; otherwise staying costs least. The executive
    /// summaries of the page and the exports name it.
    pub fn best_option(&self) -> Option<&OptionEstimate> {
        self.options
            .iter()
            .reduce(|best, o| if o.tco.months_36.savings_usd > best.tco.months_36.savings_usd { o } else { best })
    }
}

impl OptionEstimate {
    /// The sensitivity rows of the assumptions the band varies, widest swing first: what
    /// dominates the band.
    pub fn band_drivers(&self) -> impl Iterator<Item = &Sensitivity> {
        self.sensitivity.iter().filter(|s| s.in_band && !s.swing_usd.amount().is_zero())
    }
}

/// A count of nodes of one instance type.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Utilization {
    /// CPU.
    pub cpu: f64,
    /// Memory.
    pub memory: f64,
}

/// A price used by the estimate.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeShape {
    /// CPU, millicores.
    pub cpu_millicores: u32,
    /// Memory, MiB.
    pub memory_mib: u32,
    /// Containers per node, where the platform limits them.
    pub max_pods: Option<u32>,
}

/// One add-on plan's move: the add-ons it covers, what they cost today and where they go.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddonMove {
    /// `service:plan`, e.g. `heroku-postgresql:standard-0`: the key of the scenario's
    /// `addon_targets`.
    pub plan: String,
    /// The region of the move (each region of the estimate lists its own).
    #[serde(default)]
    pub region: String,
    /// The add-ons on this plan, as `app/add-on`.
    pub addons: Vec<String>,
    /// What they cost today, USD per month.
    pub current_monthly_usd: Usd,
    /// Where they go; `None` when the plan has no managed equivalent here.
    pub target: Option<AddonTarget>,
    /// The target for people.
    pub target_label: String,
    /// Whether the target is the default (not the user's choice).
    pub default: bool,
    /// On AWS, USD per month for all of them; `None` when kept at today's price.
    pub aws_monthly_usd: Option<Usd>,
    /// ElastiCache nodes reserved for 1 year, no upfront, USD per month for all of them, where
    /// the region prices it (what reserving would save; totals stay on-demand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_1y_monthly_usd: Option<Usd>,
    /// The same reserved for 3 years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_3y_monthly_usd: Option<Usd>,
    /// How the AWS figure is computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    /// Why it is kept at today's price, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The catalog rows the AWS figure rests on (their descriptions, as in `sources`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

impl NodeCount {
    /// A pool of the plan; its nodes are spot nodes when the pool may run on spot and the
    /// option is priced on spot.
    pub fn of(p: &Pool, model: PricingModel) -> Self {
        NodeCount {
            instance_type: p.candidate.instance.name.clone(),
            count: p.nodes(),
            per_zone: p.per_zone.clone(),
            spot: p.spot && model == PricingModel::Spot,
            serves: p.serves.clone(),
            usd_per_hour: p.candidate.price.usd_per_hour,
        }
    }
}

impl NodeShape {
    /// What a node of the candidate's type offers.
    pub fn of(c: &Candidate) -> Self {
        NodeShape {
            cpu_millicores: c.allocatable.cpu_millicores,
            memory_mib: c.allocatable.memory_mib,
            max_pods: (c.allocatable.pods != u32::MAX).then_some(c.allocatable.pods),
        }
    }
}

impl NodePlacement {
    /// One node of the plan, with its replicas named `app/process` from the demands planned.
    pub fn of(p: &Placement, demands: &[Demand], model: PricingModel) -> Self {
        NodePlacement {
            zone: p.zone,
            instance_type: p.candidate.instance.name.clone(),
            spot: p.spot && model == PricingModel::Spot,
            cpu_requested_millicores: p.used.cpu_millicores,
            memory_requested_mib: p.used.memory_mib,
            cpu_allocatable_millicores: p.candidate.allocatable.cpu_millicores,
            memory_allocatable_mib: p.candidate.allocatable.memory_mib,
            replicas: p
                .items
                .iter()
                .map(|&(d, count)| PlacedReplicas {
                    process: format!("{}/{}", demands[d].app, demands[d].process),
                    count,
                })
                .collect(),
        }
    }
}

impl FargateTasks {
    /// One process's tasks at their price per task-hour.
    pub fn of(t: &Tasks, usd_per_task_hour: Decimal) -> Self {
        FargateTasks {
            process: t.serves.clone(),
            cpu_millicores: t.size.cpu_millicores,
            memory_mib: t.size.memory_mib,
            tasks: t.replicas,
            usd_per_task_hour,
        }
    }
}

impl AlternativePlan {
    /// A single-type plan over a month of `hours`.
    pub fn of(x: &Alternative, hours: Decimal) -> Self {
        AlternativePlan {
            instance_type: x.instance_type.clone(),
            nodes: x.nodes,
            monthly_usd: Usd::new(x.usd_per_hour * hours),
        }
    }
}

/// Adds a source line once.
pub(crate) fn push_source(sources: &mut Vec<SourceLine>, line: SourceLine) {
    if !sources.iter().any(|s| s.item == line.item) {
        sources.push(line);
    }
}
