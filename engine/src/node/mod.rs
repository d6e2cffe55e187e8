//! What a node is, for the planner and the bounds alike: what an instance type offers once
//! the orchestrator has taken its share ([`allocatable`]), the replicas a node holds
//! ([`PackedNode`]), and the priced node types a pool may open ([`NodeType`]).

mod allocatable;
mod packed;
mod types;

#[cfg(test)]
pub(crate) mod fixtures;

pub use allocatable::{
    allocatable, eks_kube_reserved_cpu_millicores, eks_kube_reserved_memory_mib, usable, Allocatable,
    EKS_EVICTION_MEMORY_MIB,
};
pub(crate) use packed::{plus, times};
pub use packed::{PackedNode, ReplicaGroup};
pub(crate) use types::{by_zone, holds, hourly_cost, undominated_by, undominated_types, ByPrice};
pub use types::{NodeType, TypedNodes};
