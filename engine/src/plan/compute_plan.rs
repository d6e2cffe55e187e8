//! What a plan is made of: node pools, every node with what it holds, Fargate tasks, and what
//! the estimate needs to vary it (how each mixed pool was packed) and to bound it.

use super::candidates::{node_type, Candidate};
use super::demand::Demand;
use super::mixed::Valuation;
use super::spread::Spread;
use crate::bound::sound_bound;
use crate::node::{Allocatable, NodeType, ReplicaGroup};
use crate::scenario::Assumptions;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Nodes of one type.
#[derive(Debug, Clone)]
pub struct Pool<'c> {
    /// The type and its price.
    pub candidate: Candidate<'c>,
    /// Nodes per availability zone, spare nodes included.
    pub per_zone: Vec<u32>,
    /// Whether these nodes run interruption-tolerant work only (spot-eligible).
    pub spot: bool,
    /// The process the pool serves, for one-group-per-process plans.
    pub serves: Option<String>,
}

impl Pool<'_> {
    /// Nodes in all zones.
    pub fn nodes(&self) -> u32 {
        self.per_zone.iter().sum()
    }
}

/// A valid Fargate task size (the Fargate stage holds the valid sizes and picks one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskSize {
    /// CPU, millicores (1024 CPU units = 1000 m = 1 vCPU).
    pub cpu_millicores: u32,
    /// Memory, MiB.
    pub memory_mib: u32,
}

/// Fargate tasks of one process.
#[derive(Debug, Clone, PartialEq)]
pub struct Tasks {
    /// `app/process`.
    pub serves: String,
    /// The billed task size.
    pub size: TaskSize,
    /// Tasks running.
    pub replicas: u32,
}

/// One node with the replicas it holds.
#[derive(Debug, Clone)]
pub struct Placement<'c> {
    /// Its type.
    pub candidate: Candidate<'c>,
    /// Zone index.
    pub zone: u32,
    /// Replicas by index into the planned demands: (demand, count).
    pub items: Vec<(usize, u32)>,
    /// Requested CPU, memory and replicas on it.
    pub used: Allocatable,
    /// Whether it is a spot node.
    pub spot: bool,
}

/// Everything compute a target runs on.
#[derive(Debug, Clone, Default)]
pub struct ComputePlan<'c> {
    /// Node pools (EC2-backed targets).
    pub pools: Vec<Pool<'c>>,
    /// Every node with what it holds (spare nodes hold nothing).
    pub placements: Vec<Placement<'c>>,
    /// The cheapest single-type plans of each pool, cheapest first.
    pub alternatives: Vec<Vec<Alternative>>,
    /// Task groups (Fargate targets).
    pub tasks: Vec<Tasks>,
    /// The demands (indices) each pool partition was planned from, for its lower bound.
    pub parts: Vec<Vec<usize>>,
    /// How each mixed pool was packed, in the order the pools were planned.
    pub mixed: Vec<MixedChoice>,
}

impl ComputePlan<'_> {
    /// Nodes over all pools.
    pub fn nodes(&self) -> u32 {
        self.pools.iter().map(Pool::nodes).sum()
    }

    /// A lower bound on the on-demand node cost of any plan for the `demands` this plan was
    /// made from, USD per hour: the sum of each partition's sound bound ([`crate::bound`]) over every candidate. Computed on
    /// request rather than with every plan, since only the plan shown reports it and counting
    /// whole replicas costs more than packing a small estate. `None` for Fargate.
    pub fn lower_bound_per_hour(&self, demands: &[Demand], candidates: &[Candidate], a: &Assumptions) -> Option<f64> {
        if !self.tasks.is_empty() {
            return None;
        }
        let types: Vec<NodeType> = candidates.iter().map(node_type).collect();
        self.parts
            .iter()
            .map(|part| {
                let groups: Vec<ReplicaGroup> = part.iter().map(|&i| demands[i].group()).collect();
                sound_bound(&groups, &types, a.availability_zones, a.spare_node_per_zone)
            })
            .sum()
    }
}

/// How a mixed pool was packed, so a what-if can pack its counterpart the same way.
#[derive(Debug, Clone, PartialEq)]
pub struct MixedChoice {
    /// The zone spread.
    pub spread: Spread,
    /// Each zone's valuation.
    pub valuations: Vec<Valuation>,
    /// Whether zones were mended as each was packed (and the split searched on the mended
    /// costs), or only once the split was settled.
    pub mended: bool,
}

/// A single-type plan for a pool that was not chosen (or was).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    /// The type.
    pub instance_type: String,
    /// Nodes it needs.
    pub nodes: u32,
    /// On-demand USD per hour.
    pub usd_per_hour: Decimal,
}
