//! Placing replicas on nodes: vector bin packing (CPU, memory, pods) with first-fit
//! decreasing, replicas spread over availability zones so each zone is packed on its own.

use crate::node::Allocatable;
use crate::sizing::Request;

/// Replicas of one process that all ask the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplicaGroup {
    /// What each replica asks.
    pub request: Request,
    /// How many replicas.
    pub replicas: u32,
}

/// How many nodes of one shape hold the replicas, per availability zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packing {
    /// Nodes in each zone.
    pub nodes_per_zone: Vec<u32>,
    /// Whether some replica was larger than the headroom allows and got a node of its own.
    pub oversized: bool,
}

impl Packing {
    /// Nodes in all zones.
    pub fn total_nodes(&self) -> u32 {
        self.nodes_per_zone.iter().sum()
    }
}

/// A replica larger than an empty node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoesNotFit {
    /// Index of the group in the input.
    pub group: usize,
}

/// Spreads each group's replicas round-robin over `zones` (the starting zone rotates from one
/// group to the next so single replicas do not all land in the first zone; no zone gets more
/// than ceil(replicas / zones) of a group), then packs each zone first-fit decreasing by the
/// replica's dominant share of the node. Nodes are filled up to `node` (the headroom-limited
/// share); a replica larger than that but within `allocatable` gets a node to itself.
pub fn pack(
    groups: &[ReplicaGroup],
    zones: u32,
    node: Allocatable,
    allocatable: Allocatable,
) -> Result<Packing, DoesNotFit> {
    let zones = zones.max(1) as usize;
    let mut per_zone: Vec<Vec<(usize, Request)>> = vec![Vec::new(); zones];
    let mut next_zone = 0usize;
    for (index, group) in groups.iter().enumerate() {
        let r = group.request;
        if r.cpu_millicores > allocatable.cpu_millicores
            || r.memory_mib > allocatable.memory_mib
            || allocatable.pods == 0
        {
            if group.replicas > 0 {
                return Err(DoesNotFit { group: index });
            }
            continue;
        }
        for _ in 0..group.replicas {
            per_zone[next_zone].push((index, r));
            next_zone = (next_zone + 1) % zones;
        }
    }
    let mut oversized = false;
    let nodes_per_zone = per_zone
        .into_iter()
        .map(|items| {
            let (nodes, big) = first_fit_decreasing(items, node);
            oversized |= big;
            nodes
        })
        .collect();
    Ok(Packing { nodes_per_zone, oversized })
}

/// The replica's larger share of a node, in millionths, for ordering.
fn dominant_share(r: Request, node: Allocatable) -> u64 {
    let cpu = u64::from(r.cpu_millicores) * 1_000_000 / u64::from(node.cpu_millicores.max(1));
    let mem = u64::from(r.memory_mib) * 1_000_000 / u64::from(node.memory_mib.max(1));
    cpu.max(mem)
}

fn first_fit_decreasing(mut items: Vec<(usize, Request)>, node: Allocatable) -> (u32, bool) {
    // Largest first; ties keep input order so results are deterministic.
    items.sort_by(|a, b| dominant_share(b.1, node).cmp(&dominant_share(a.1, node)).then(a.0.cmp(&b.0)));
    let mut free: Vec<Allocatable> = Vec::new();
    let mut oversized = false;
    for (_, r) in items {
        if r.cpu_millicores > node.cpu_millicores || r.memory_mib > node.memory_mib || node.pods == 0 {
            // Alone on a node, which then takes nothing else.
            free.push(Allocatable { cpu_millicores: 0, memory_mib: 0, pods: 0 });
            oversized = true;
            continue;
        }
        let slot = free
            .iter_mut()
            .find(|f| f.cpu_millicores >= r.cpu_millicores && f.memory_mib >= r.memory_mib && f.pods >= 1);
        let f = match slot {
            Some(f) => f,
            None => {
                free.push(node);
                free.last_mut().expect("just pushed")
            }
        };
        f.cpu_millicores -= r.cpu_millicores;
        f.memory_mib -= r.memory_mib;
        f.pods -= 1;
    }
    (free.len() as u32, oversized)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NODE: Allocatable = Allocatable { cpu_millicores: 8000, memory_mib: 16000, pods: 58 };

    fn group(cpu: u32, mem: u32, replicas: u32) -> ReplicaGroup {
        ReplicaGroup { request: Request { cpu_millicores: cpu, memory_mib: mem }, replicas }
    }

    #[test]
    fn memory_bound_replicas_fill_nodes_by_memory() {
        // 12 replicas of 1 vCPU / 4000 MiB in one zone: 4 fit per node by memory → 3 nodes
        let p = pack(&[group(1000, 4000, 12)], 1, NODE, NODE).unwrap();
        assert_eq!(p.nodes_per_zone, vec![3]);
    }

    #[test]
    fn replicas_spread_over_three_zones() {
        // 12 replicas over 3 zones: 4 per zone, one node each
        let p = pack(&[group(1000, 4000, 12)], 3, NODE, NODE).unwrap();
        assert_eq!(p.nodes_per_zone, vec![1, 1, 1]);
        // 13 replicas: zone 1 gets 5 → 2 nodes there
        let p = pack(&[group(1000, 4000, 13)], 3, NODE, NODE).unwrap();
        assert_eq!(p.total_nodes(), 4);
    }

    #[test]
    fn single_replicas_rotate_over_zones() {
        // three processes of one replica each land in three zones
        let p = pack(&[group(100, 100, 1), group(100, 100, 1), group(100, 100, 1)], 3, NODE, NODE).unwrap();
        assert_eq!(p.nodes_per_zone, vec![1, 1, 1]);
    }

    #[test]
    fn large_replicas_go_first_and_small_ones_fill_the_gaps() {
        // one zone: 2 × (6000 m, 12000 MiB) need 2 nodes; 4 × (1000 m, 2000 MiB) fill the
        // 2000 m / 4000 MiB left on each: 2 per node → still 2 nodes
        let p = pack(&[group(1000, 2000, 4), group(6000, 12000, 2)], 1, NODE, NODE).unwrap();
        assert_eq!(p.total_nodes(), 2);
    }

    #[test]
    fn pods_per_node_limit_counts() {
        let node = Allocatable { pods: 2, ..NODE };
        // 5 tiny replicas, 2 pods per node → 3 nodes
        let p = pack(&[group(10, 10, 5)], 1, node, node).unwrap();
        assert_eq!(p.total_nodes(), 3);
    }

    #[test]
    fn a_replica_larger_than_the_node_is_reported() {
        assert_eq!(pack(&[group(100, 100, 1), group(9000, 100, 1)], 3, NODE, NODE), Err(DoesNotFit { group: 1 }));
    }

    #[test]
    fn a_replica_above_the_headroom_but_within_the_node_gets_a_node_alone() {
        let usable = Allocatable { cpu_millicores: 6400, memory_mib: 12800, pods: 58 };
        // 8000 m fits the node's 8000 m allocatable but not the 6400 m usable: alone on one
        // node; the two small replicas share a second
        let p = pack(&[group(8000, 1000, 1), group(1000, 1000, 2)], 1, usable, NODE).unwrap();
        assert_eq!((p.total_nodes(), p.oversized), (2, true));
    }

    #[test]
    fn nothing_to_place_needs_no_nodes() {
        assert_eq!(pack(&[group(9000, 100, 0)], 3, NODE, NODE).unwrap().total_nodes(), 0);
    }
}
