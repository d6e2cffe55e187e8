//! The JSON report: a public contract; fields are only ever added.

use crate::money::Usd;
use crate::scenario::{Assumptions, Platform};
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
}

/// One category of a monthly cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostLine {
    /// What it is for.
    pub category: String,
    /// USD per month.
    pub monthly_usd: Usd,
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
    /// Zones the nodes are spread over.
    pub availability_zones: u32,
    /// What one node of the plan offers to containers.
    pub node_allocatable: Option<NodeShape>,
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
