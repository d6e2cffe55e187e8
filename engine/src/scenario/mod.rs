//! The scenario document: workloads plus the assumptions an estimate is made under.
//! A public contract; assumptions default so that `{}` is a valid set.

mod addon_target;
mod headroom;
pub use addon_target::{AddonTarget, CacheEngine};
pub use headroom::{Headroom, HeadroomError};

use crate::catalog::{Arch, Interruption};
use crate::money::HOURS_PER_MONTH;
use crate::workload::Workloads;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What `POST /api/estimate` takes and `tco estimate --scenario` reads.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// A name for people.
    #[serde(default)]
    pub name: String,
    /// The imported estate.
    pub workloads: Workloads,
    /// The assumptions; every one has a default.
    #[serde(default)]
    pub assumptions: Assumptions,
}

/// A target platform on AWS.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Platform {
    /// ECS with the EC2 launch type: pay for the nodes only.
    #[serde(rename = "ecs-ec2")]
    EcsEc2,
    /// EKS managed node groups: nodes plus the control-plane fee.
    #[serde(rename = "eks-ec2")]
    EksEc2,
    /// EKS Auto Mode: EKS-managed nodes, a per-instance management fee on top of EC2.
    #[serde(rename = "eks-auto")]
    EksAuto,
    /// ECS on Fargate: pay per task for its vCPU and memory.
    #[serde(rename = "ecs-fargate")]
    EcsFargate,
    /// EKS on Fargate: one Fargate task per pod, plus the control-plane fee.
    #[serde(rename = "eks-fargate")]
    EksFargate,
    /// Plain EC2, one auto-scaling group per process: lift and shift without an orchestrator.
    #[serde(rename = "ec2")]
    Ec2,
}

impl Platform {
    /// Every target, in the order reports list them.
    pub const ALL: [Platform; 6] = [
        Platform::EcsEc2,
        Platform::EksEc2,
        Platform::EksAuto,
        Platform::EcsFargate,
        Platform::EksFargate,
        Platform::Ec2,
    ];

    /// The contract name, e.g. `ecs-ec2`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::EcsEc2 => "ecs-ec2",
            Platform::EksEc2 => "eks-ec2",
            Platform::EksAuto => "eks-auto",
            Platform::EcsFargate => "ecs-fargate",
            Platform::EksFargate => "eks-fargate",
            Platform::Ec2 => "ec2",
        }
    }

    /// The platform named `name` (its contract name).
    pub fn parse(name: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// A human label.
    pub fn label(self) -> &'static str {
        match self {
            Platform::EcsEc2 => "ECS on EC2",
            Platform::EksEc2 => "EKS on EC2",
            Platform::EksAuto => "EKS Auto Mode",
            Platform::EcsFargate => "ECS on Fargate",
            Platform::EksFargate => "EKS on Fargate",
            Platform::Ec2 => "EC2 auto-scaling groups",
        }
    }

    /// Whether the platform runs on Fargate rather than on nodes the plan chooses.
    pub fn is_fargate(self) -> bool {
        matches!(self, Platform::EcsFargate | Platform::EksFargate)
    }

    /// Whether the platform pays the EKS control-plane fee.
    pub fn is_eks(self) -> bool {
        matches!(self, Platform::EksEc2 | Platform::EksAuto | Platform::EksFargate)
    }
}

/// How nodes (or Fargate capacity) are paid for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub enum PricingModel {
    /// List price by the hour.
    #[default]
    #[serde(rename = "on-demand")]
    OnDemand,
    /// Spot for interruption-tolerant processes, on-demand for the rest.
    #[serde(rename = "spot")]
    Spot,
    /// Compute Savings Plan, 1 year, no upfront.
    #[serde(rename = "compute-sp-1y")]
    ComputeSp1y,
    /// Compute Savings Plan, 3 years, no upfront.
    #[serde(rename = "compute-sp-3y")]
    ComputeSp3y,
    /// Standard Reserved Instances (or EC2 Instance Savings Plans), 1 year.
    #[serde(rename = "ri-1y")]
    Ri1y,
    /// Standard Reserved Instances (or EC2 Instance Savings Plans), 3 years.
    #[serde(rename = "ri-3y")]
    Ri3y,
}

impl PricingModel {
    /// Every model, in the order reports list them.
    pub const ALL: [PricingModel; 6] = [
        PricingModel::OnDemand,
        PricingModel::Spot,
        PricingModel::ComputeSp1y,
        PricingModel::ComputeSp3y,
        PricingModel::Ri1y,
        PricingModel::Ri3y,
    ];

    /// The contract name, e.g. `compute-sp-1y`.
    pub fn as_str(self) -> &'static str {
        match self {
            PricingModel::OnDemand => "on-demand",
            PricingModel::Spot => "spot",
            PricingModel::ComputeSp1y => "compute-sp-1y",
            PricingModel::ComputeSp3y => "compute-sp-3y",
            PricingModel::Ri1y => "ri-1y",
            PricingModel::Ri3y => "ri-3y",
        }
    }

    /// The model named `name`.
    pub fn parse(name: &str) -> Option<PricingModel> {
        PricingModel::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// A human label.
    pub fn label(self) -> &'static str {
        match self {
            PricingModel::OnDemand => "On-demand",
            PricingModel::Spot => "Spot (interruption-tolerant processes)",
            PricingModel::ComputeSp1y => "Compute Savings Plan, 1 year",
            PricingModel::ComputeSp3y => "Compute Savings Plan, 3 years",
            PricingModel::Ri1y => "Reserved Instances, 1 year",
            PricingModel::Ri3y => "Reserved Instances, 3 years",
        }
    }

    /// Commitment term in years; 0 when nothing is committed.
    pub fn term_years(self) -> u32 {
        match self {
            PricingModel::ComputeSp1y | PricingModel::Ri1y => 1,
            PricingModel::ComputeSp3y | PricingModel::Ri3y => 3,
            _ => 0,
        }
    }
}

/// Where a container's request comes from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SizingPolicy {
    /// The Heroku dyno's memory and CPU share (or the imported request).
    #[default]
    #[serde(rename = "dyno")]
    Dyno,
    /// Measured use where the import has it: memory p95 RSS × headroom, CPU p95 load, both
    /// with floors; the dyno size elsewhere.
    #[serde(rename = "measured")]
    Measured,
}

/// What a process that ran part of the month (an instance billed for fewer hours than the
/// month has, the CSV template's `hours_per_month`) is sized for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum HoursSizing {
    /// Its billed hours: replicas × hours ÷ the month's hours, to the nearest whole replica
    /// (at least one), like for like with today's bill.
    #[default]
    #[serde(rename = "billed")]
    Billed,
    /// Every replica all month, as if the part-time instances ran always.
    #[serde(rename = "always-on")]
    AlwaysOn,
}

/// Supporting AWS services each option pays for besides compute; each line can be switched
/// off or sized. Quantities the import cannot know default to zero and say so.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Supporting {
    /// One Application Load Balancer per app with a web process.
    pub load_balancers: bool,
    /// ALB capacity units per hour when the import has no request rate (1 LCU = 25 new
    /// connections/s or 1 GB/h processed).
    pub alb_lcu_per_hour: Decimal,
    /// One NAT gateway per availability zone for private subnets.
    pub nat_gateways: bool,
    /// Data through the NAT gateways, GB per month.
    pub nat_gb_per_month: Decimal,
    /// Public IPv4 addresses of the NAT gateways and load balancers.
    pub public_ipv4: bool,
    /// Root volume of each node, GB of gp3 (EKS managed node groups default to 20).
    pub root_volume_gb: u32,
    /// Data crossing availability zones, GB per month (charged in each direction).
    pub cross_az_gb_per_month: Decimal,
    /// Data out to the internet, GB per month (the first 100 GB are free).
    pub data_transfer_out_gb_per_month: Decimal,
    /// Logs shipped to CloudWatch Logs, GB per month.
    pub log_gb_per_month: Decimal,
    /// Customer-managed KMS keys.
    pub kms_keys: u32,
    /// Secrets in Secrets Manager.
    pub secrets: u32,
    /// Transit Gateway attachments (VPCs, VPNs to partner networks).
    pub transit_gateway_attachments: u32,
    /// Data through the Transit Gateway, GB per month.
    pub transit_gateway_gb_per_month: Decimal,
    /// AWS Business Support, as its tiered share of the monthly bill.
    pub business_support: bool,
    /// EKS clusters on extended-support Kubernetes versions.
    pub eks_extended_support: bool,
}

impl Default for Supporting {
    fn default() -> Self {
        Supporting {
            load_balancers: true,
            alb_lcu_per_hour: Decimal::ONE,
            nat_gateways: true,
            nat_gb_per_month: Decimal::ZERO,
            public_ipv4: true,
            root_volume_gb: 20,
            cross_az_gb_per_month: Decimal::ZERO,
            data_transfer_out_gb_per_month: Decimal::ZERO,
            log_gb_per_month: Decimal::ZERO,
            kms_keys: 0,
            secrets: 0,
            transit_gateway_attachments: 0,
            transit_gateway_gb_per_month: Decimal::ZERO,
            business_support: false,
            eks_extended_support: false,
        }
    }
}

/// People costs of moving and of running the new platform. Every default is an assumption
/// to replace with the team's own figures.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct People {
    /// Engineer-weeks to migrate (one time).
    pub migration_engineer_weeks: Decimal,
    /// Loaded cost of an engineer-week, USD.
    pub engineer_week_usd: Decimal,
    /// Outside services for the migration (consultants, training), USD, one time.
    pub outside_services_usd: Decimal,
    /// Months both platforms run side by side.
    pub parallel_run_months: u32,
    /// Extra share of an engineer the new platform needs to operate (0.25 = a quarter).
    pub ops_engineer_fraction: Decimal,
    /// Loaded cost of an engineer-year, USD.
    pub engineer_year_usd: Decimal,
}

impl Default for People {
    fn default() -> Self {
        People {
            migration_engineer_weeks: Decimal::from(12),
            engineer_week_usd: Decimal::from(4_000),
            outside_services_usd: Decimal::ZERO,
            parallel_run_months: 1,
            ops_engineer_fraction: Decimal::new(2, 1),
            engineer_year_usd: Decimal::from(200_000),
        }
    }
}

/// Everything an estimate assumes, each with a documented default.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Assumptions {
    /// AWS region of the target: the one region estimated when `regions` is empty.
    pub region: String,
    /// Regions to estimate side by side (`--region us-east-1,eu-west-1`): each target once per
    /// region, in this order. Empty: `region` alone.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Hours in a billing month.
    pub hours_per_month: u32,
    /// Availability zones to spread replicas and nodes over.
    pub availability_zones: u32,
    /// Platforms to estimate.
    pub targets: Vec<Platform>,
    /// Instance types the node plan may choose from: exact types (`c5.2xlarge`) or whole
    /// families (`c5`); the plan uses one type per node pool.
    pub instance_types: Vec<String>,
    /// CPU request per Heroku compute unit for Cedar dynos, millicores. Heroku publishes a
    /// compute multiplier, not vCPUs; 160 m per unit makes Performance-L (50x) 8 vCPUs and
    /// Standard-1X (1x) 160 m. An assumption: edit it when you know better.
    pub millicores_per_compute_unit: u32,
    /// Memory an ECS container instance keeps from tasks (OS and agent), MiB
    /// (`ECS_RESERVED_MEMORY`; the ECS docs use 256 in their example).
    pub ecs_reserved_memory_mib: u32,
    /// Requests from the dyno size or from measured use.
    pub sizing: SizingPolicy,
    /// Measured sizing: memory is the p95 RSS times this (1.25 = 25% above).
    pub sizing_memory_headroom: f64,
    /// Measured sizing: the smallest CPU request, millicores.
    pub sizing_min_cpu_millicores: u32,
    /// Measured sizing: the smallest memory request, MiB.
    pub sizing_min_memory_mib: u32,
    /// The highest share of a node's allocatable CPU and memory the plan fills, 0 < h ≤ 1
    /// (`--headroom`; 1.0 turns headroom off).
    pub headroom: Headroom,
    /// One spare node per availability zone, for failover and rolling deploys.
    pub spare_node_per_zone: bool,
    /// CPU architectures the images are built for: Heroku builds x86_64; add `arm64` when the
    /// images are multi-arch, and Graviton types (and Fargate on ARM) become candidates.
    pub architectures: Vec<Arch>,
    /// Whether a node pool may mix instance types (Karpenter, EKS Auto Mode, ECS capacity
    /// providers over several groups); off, each pool is one type (a managed node group).
    pub mixed_instance_types: bool,
    /// Whether nodes follow the import's hourly replica profile (cluster autoscaling) rather
    /// than run the constant replicas all month.
    pub follow_profile: bool,
    /// Extra replicas kept above the profile while scaling up, as a fraction (0.1 = 10%).
    pub scale_up_margin: f64,
    /// Autoscaling policies by `app/process`: replicas follow the request rate at a target
    /// utilization, within bounds (the hourly profile then comes from the policy).
    pub autoscaling: BTreeMap<String, crate::profile::Autoscaling>,
    /// How compute is paid for in the monthly total; every model is also listed.
    pub pricing: PricingModel,
    /// The most interruption a spot pool accepts: types the Spot Instance Advisor puts in this
    /// bucket or a lower one are preferred (`5-10%`: the `<5%` and `5-10%` buckets).
    pub spot_max_interruption: Interruption,
    /// Whether the report compares the plan on each generation family group
    /// ([`GENERATION_GROUPS`]) in the first region.
    pub compare_generations: bool,
    /// CPU requested by the per-node DaemonSets on EKS, millicores (aws-node 25 m and
    /// kube-proxy 100 m by their manifests; add your log agent).
    pub eks_daemonset_cpu_millicores: u32,
    /// Memory requested by the per-node DaemonSets on EKS, MiB.
    pub eks_daemonset_memory_mib: u32,
    /// Memory the OS keeps on a plain EC2 instance, MiB (the `ec2` target).
    pub os_reserved_memory_mib: u32,
    /// Values replacing the catalog's uncertain defaults, by their id (e.g. `spot-discount`).
    pub overrides: BTreeMap<String, Decimal>,
    /// Where Heroku Postgres and Key-Value Store plans go on AWS, by plan
    /// (`heroku-postgresql:standard-0`), replacing the default sized from the plan.
    pub addon_targets: BTreeMap<String, AddonTarget>,
    /// Supporting services.
    pub supporting: Supporting,
    /// Migration and operations people costs.
    pub people: People,
    /// Months the total cost of ownership covers (12 and 36 are always reported).
    pub tco_months: u32,
    /// The basis an imported bill's figures are read on for today's cost (and for the
    /// services each option keeps at today's price): net amortized by default.
    pub bill_basis: crate::bill::CostBasis,
    /// Processes that ran part of the month: sized for their billed hours (the default) or
    /// always on.
    pub hours_sizing: HoursSizing,
}

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions {
            region: "us-east-1".into(),
            regions: Vec::new(),
            hours_per_month: HOURS_PER_MONTH,
            availability_zones: 3,
            targets: vec![Platform::EcsEc2, Platform::EksEc2, Platform::EcsFargate],
            instance_types: DEFAULT_INSTANCE_TYPES.iter().map(|s| s.to_string()).collect(),
            millicores_per_compute_unit: 160,
            ecs_reserved_memory_mib: 256,
            sizing: SizingPolicy::Dyno,
            sizing_memory_headroom: 1.25,
            sizing_min_cpu_millicores: 100,
            sizing_min_memory_mib: 256,
            headroom: Headroom::DEFAULT,
            spare_node_per_zone: false,
            mixed_instance_types: true,
            architectures: vec![Arch::X86_64],
            follow_profile: true,
            scale_up_margin: 0.1,
            autoscaling: BTreeMap::new(),
            pricing: PricingModel::OnDemand,
            spot_max_interruption: Interruption::From5To10,
            compare_generations: true,
            eks_daemonset_cpu_millicores: 125,
            eks_daemonset_memory_mib: 0,
            os_reserved_memory_mib: 256,
            overrides: BTreeMap::new(),
            addon_targets: BTreeMap::new(),
            supporting: Supporting::default(),
            people: People::default(),
            tco_months: 36,
            bill_basis: crate::bill::CostBasis::default(),
            hours_sizing: HoursSizing::default(),
        }
    }
}

/// The candidate list the node plan chooses from by default (README, "The default candidate
/// list", says why): sizes large to 8xlarge (c5: 9xlarge) of
/// - c6a/m6a/r6a: the cheapest current x86 types per vCPU and per GiB in us-east-1;
/// - c7i/m7i/r7i: the current Intel generation a team shortlists in 2026;
/// - c6i/m6i/r6i and c5/m5/r5: the x86 families priced in most regions (c5/m5/r5 in all), so
///   an estimate anywhere has a plan;
/// - c6g/m6g/r6g and c8g/m8g/r8g: Graviton, candidates only when the images are built for
///   arm64 (the cheapest per vCPU and per GiB, and the current generation).
pub const DEFAULT_INSTANCE_TYPES: &[&str] = &[
    "c6a.large",
    "c6a.xlarge",
    "c6a.2xlarge",
    "c6a.4xlarge",
    "c6a.8xlarge",
    "m6a.large",
    "m6a.xlarge",
    "m6a.2xlarge",
    "m6a.4xlarge",
    "m6a.8xlarge",
    "r6a.large",
    "r6a.xlarge",
    "r6a.2xlarge",
    "r6a.4xlarge",
    "r6a.8xlarge",
    "c7i.large",
    "c7i.xlarge",
    "c7i.2xlarge",
    "c7i.4xlarge",
    "c7i.8xlarge",
    "m7i.large",
    "m7i.xlarge",
    "m7i.2xlarge",
    "m7i.4xlarge",
    "m7i.8xlarge",
    "r7i.large",
    "r7i.xlarge",
    "r7i.2xlarge",
    "r7i.4xlarge",
    "r7i.8xlarge",
    "c6i.large",
    "c6i.xlarge",
    "c6i.2xlarge",
    "c6i.4xlarge",
    "c6i.8xlarge",
    "m6i.large",
    "m6i.xlarge",
    "m6i.2xlarge",
    "m6i.4xlarge",
    "m6i.8xlarge",
    "r6i.large",
    "r6i.xlarge",
    "r6i.2xlarge",
    "r6i.4xlarge",
    "r6i.8xlarge",
    "c5.large",
    "c5.xlarge",
    "c5.2xlarge",
    "c5.4xlarge",
    "c5.9xlarge",
    "m5.large",
    "m5.xlarge",
    "m5.2xlarge",
    "m5.4xlarge",
    "m5.8xlarge",
    "r5.large",
    "r5.xlarge",
    "r5.2xlarge",
    "r5.4xlarge",
    "r5.8xlarge",
    "c6g.large",
    "c6g.xlarge",
    "c6g.2xlarge",
    "c6g.4xlarge",
    "c6g.8xlarge",
    "m6g.large",
    "m6g.xlarge",
    "m6g.2xlarge",
    "m6g.4xlarge",
    "m6g.8xlarge",
    "r6g.large",
    "r6g.xlarge",
    "r6g.2xlarge",
    "r6g.4xlarge",
    "r6g.8xlarge",
    "c8g.large",
    "c8g.xlarge",
    "c8g.2xlarge",
    "c8g.4xlarge",
    "c8g.8xlarge",
    "m8g.large",
    "m8g.xlarge",
    "m8g.2xlarge",
    "m8g.4xlarge",
    "m8g.8xlarge",
    "r8g.large",
    "r8g.xlarge",
    "r8g.2xlarge",
    "r8g.4xlarge",
    "r8g.8xlarge",
];

/// The generation family groups the report compares (`compare_generations`): each is planned
/// on its own, sizes large to 8xlarge, in the first region; Graviton groups only when the images
/// are built for arm64.
pub const GENERATION_GROUPS: &[GenerationGroup] = &[
    GenerationGroup { name: "c5/m5/r5", families: &["c5", "m5", "r5"], arch: Arch::X86_64 },
    GenerationGroup { name: "c6i/m6i/r6i", families: &["c6i", "m6i", "r6i"], arch: Arch::X86_64 },
    GenerationGroup { name: "c6a/m6a/r6a", families: &["c6a", "m6a", "r6a"], arch: Arch::X86_64 },
    GenerationGroup { name: "c7i/m7i/r7i", families: &["c7i", "m7i", "r7i"], arch: Arch::X86_64 },
    GenerationGroup { name: "c7a/m7a/r7a", families: &["c7a", "m7a", "r7a"], arch: Arch::X86_64 },
    GenerationGroup { name: "c8i/m8i/r8i", families: &["c8i", "m8i", "r8i"], arch: Arch::X86_64 },
    GenerationGroup { name: "c7g/m7g/r7g", families: &["c7g", "m7g", "r7g"], arch: Arch::Arm64 },
    GenerationGroup { name: "c8g/m8g/r8g", families: &["c8g", "m8g", "r8g"], arch: Arch::Arm64 },
];

/// The sizes a generation group is planned on: what the default list takes of each family.
pub const GENERATION_SIZES: &[&str] = &["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "9xlarge"];

/// Compute, general purpose and memory optimized families of one generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerationGroup {
    /// How the report names it, e.g. `c7i/m7i/r7i`.
    pub name: &'static str,
    /// Its families.
    pub families: &'static [&'static str],
    /// The architecture its images need.
    pub arch: Arch,
}

impl Assumptions {
    /// The regions to estimate, each once, in order: `regions`, or `region` when it is empty.
    pub fn estimated_regions(&self) -> Vec<String> {
        if self.regions.is_empty() {
            return vec![self.region.clone()];
        }
        let mut seen = std::collections::HashSet::new();
        self.regions.iter().filter(|r| seen.insert(r.as_str())).cloned().collect()
    }
}
