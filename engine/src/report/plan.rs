//! The plan as the report shows it: node pools, each node and the replicas it holds, Fargate
//! tasks, single-type alternatives, what each replica asks and how full the nodes are; built
//! from the planner's own types by the `of` constructors beside them.

use crate::money::Usd;
use crate::plan::{Alternative, Candidate, Demand, Placement, Pool, Tasks};
use crate::scenario::PricingModel;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

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

/// Replicas of one process on one node.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedReplicas {
    /// `app/process`.
    pub process: String,
    /// How many.
    pub count: u32,
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

/// Requested over allocatable, 0..1.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Utilization {
    /// CPU.
    pub cpu: f64,
    /// Memory.
    pub memory: f64,
}
