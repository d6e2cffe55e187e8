//! Replica groups and node types for the packers' and bounds' tests.

use super::allocatable::Allocatable;
use super::packed::{PackedNode, ReplicaGroup};
use super::types::{NodeType, TypedNodes};
use crate::sizing::Request;

/// `replicas` replicas asking `cpu` millicores and `mem` MiB.
pub fn group(cpu: u32, mem: u32, replicas: u32) -> ReplicaGroup {
    ReplicaGroup { request: Request { cpu_millicores: cpu, memory_mib: mem }, replicas }
}

/// A type offering `cpu` and `mem` (usable and allocatable alike) and 110 pods.
pub fn ty(cpu: u32, mem: u32, price: f64) -> NodeType {
    let a = Allocatable { cpu_millicores: cpu, memory_mib: mem, pods: 110 };
    NodeType { usable: a, allocatable: a, cost_per_hour: price }
}

/// A node in zone 0 holding `(group, count)` replicas of `groups`.
pub fn node(groups: &[ReplicaGroup], items: &[(usize, u32)]) -> PackedNode {
    let mut n = PackedNode::empty(0);
    for &(g, k) in items {
        n.add(g, groups[g].request, k);
    }
    n
}

/// Replicas of group `g` the nodes hold.
pub fn held(nodes: &TypedNodes, g: usize) -> u32 {
    nodes.iter().flat_map(|(_, n)| &n.items).filter(|(x, _)| *x == g).map(|(_, k)| k).sum()
}
