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

/// One node and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackedNode {
    /// Zone index.
    pub zone: u32,
    /// Requested CPU (millicores) and memory (MiB) of what it holds, and the replica count.
    pub used: Allocatable,
    /// Replicas by group index: (group, count).
    pub items: Vec<(usize, u32)>,
    /// Whether it holds one replica larger than the headroom allows, alone.
    pub alone: bool,
}

impl PackedNode {
    /// A node holding nothing yet.
    pub(crate) fn empty(zone: u32) -> PackedNode {
        PackedNode {
            zone,
            used: Allocatable { cpu_millicores: 0, memory_mib: 0, pods: 0 },
            items: Vec::new(),
            alone: false,
        }
    }

    /// Whether one more `r` fits within `cap`.
    pub fn fits(&self, r: Request, cap: Allocatable) -> bool {
        !self.alone
            && self.used.cpu_millicores + r.cpu_millicores <= cap.cpu_millicores
            && self.used.memory_mib + r.memory_mib <= cap.memory_mib
            && self.used.pods < cap.pods
    }

    /// A node holding one replica of `group`.
    pub fn single(zone: u32, group: usize, r: Request) -> PackedNode {
        let mut node = PackedNode::empty(zone);
        node.add(group, r, 1);
        node
    }

    /// Takes one replica of `group` away; `None` when the node holds none, else whether it
    /// still holds any replica.
    pub fn remove_one(&mut self, group: usize, r: Request) -> Option<bool> {
        let i = self.items.iter().position(|&(g, n)| g == group && n > 0)?;
        self.used.cpu_millicores -= r.cpu_millicores;
        self.used.memory_mib -= r.memory_mib;
        self.used.pods -= 1;
        self.items[i].1 -= 1;
        if self.items[i].1 == 0 {
            self.items.remove(i);
        }
        Some(!self.items.is_empty())
    }

    /// Adds `count` replicas of group `group`.
    pub fn add(&mut self, group: usize, r: Request, count: u32) {
        self.used.cpu_millicores += r.cpu_millicores * count;
        self.used.memory_mib += r.memory_mib * count;
        self.used.pods += count;
        match self.items.iter_mut().find(|(g, _)| *g == group) {
            Some((_, n)) => *n += count,
            None => self.items.push((group, count)),
        }
    }
}

/// How many nodes of one shape hold the replicas, per availability zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packing {
    /// Nodes in each zone.
    pub nodes_per_zone: Vec<u32>,
    /// Whether some replica was larger than the headroom allows and got a node of its own.
    pub oversized: bool,
    /// Every node with what it holds.
    pub nodes: Vec<PackedNode>,
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

/// Each group's replicas per zone: an equal share each, and the remainder one apiece from
/// a starting zone that rotates with the group's position, so single replicas of different
/// processes do not all land in the first zone. No zone gets more than ceil(replicas /
/// zones) of a group, and one more replica of a group changes only that group's count in
/// one zone (the plan then never shuffles other processes between zones).
pub fn spread(groups: &[ReplicaGroup], zones: u32) -> Vec<Vec<u32>> {
    let zones = zones.max(1) as usize;
    groups
        .iter()
        .enumerate()
        .map(|(index, g)| {
            let mut counts = vec![g.replicas / zones as u32; zones];
            for i in 0..(g.replicas % zones as u32) as usize {
                counts[(index + i) % zones] += 1;
            }
            counts
        })
        .collect()
}

/// Each group's replicas per zone, an equal share each, with the remainder going one apiece
/// to the zones least loaded so far: groups are taken largest first by `weight`, and a zone's
/// load is the weight of what it got. Zones come out nearly equal in demand, which a plan of
/// whole nodes per zone can use on small estates. Same limit as [`spread`]: no zone gets more
/// than ceil(replicas / zones) of a group.
pub fn spread_balanced(groups: &[ReplicaGroup], zones: u32, weight: impl Fn(Request) -> f64) -> Vec<Vec<u32>> {
    let zones = zones.max(1) as usize;
    let weights: Vec<f64> = groups.iter().map(|g| weight(g.request)).collect();
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
    let mut load = vec![0.0f64; zones];
    let mut counts = vec![Vec::new(); groups.len()];
    for g in order {
        let r = groups[g].replicas;
        let mut c = vec![r / zones as u32; zones];
        let mut by_load: Vec<usize> = (0..zones).collect();
        by_load.sort_by(|&x, &y| load[x].total_cmp(&load[y]).then(x.cmp(&y)));
        for &z in by_load.iter().take((r % zones as u32) as usize) {
            c[z] += 1;
        }
        for z in 0..zones {
            load[z] += f64::from(c[z]) * weights[g];
        }
        counts[g] = c;
    }
    counts
}

/// Spreads the replicas over `zones` ([`spread`]), then packs each zone first-fit decreasing
/// by the replica's dominant share of the node. Nodes are filled up to `node` (the
/// headroom-limited share); a replica larger than that but within `allocatable` gets a node
/// to itself.
pub fn pack(
    groups: &[ReplicaGroup],
    zones: u32,
    node: Allocatable,
    allocatable: Allocatable,
) -> Result<Packing, DoesNotFit> {
    pack_counts(groups, &spread(groups, zones), node, allocatable)
}

/// [`pack`] with each group's replicas per zone given (`counts[group][zone]`).
pub fn pack_counts(
    groups: &[ReplicaGroup],
    counts: &[Vec<u32>],
    node: Allocatable,
    allocatable: Allocatable,
) -> Result<Packing, DoesNotFit> {
    let zones = counts.first().map_or(1, |c| c.len() as u32);
    for (index, g) in groups.iter().enumerate() {
        let r = g.request;
        let too_big = r.cpu_millicores > allocatable.cpu_millicores
            || r.memory_mib > allocatable.memory_mib
            || allocatable.pods == 0;
        if too_big && g.replicas > 0 {
            return Err(DoesNotFit { group: index });
        }
    }
    let mut order: Vec<usize> = (0..groups.len()).collect();
    // Largest first; ties keep input order so results are deterministic.
    let share: Vec<u64> = groups.iter().map(|g| dominant_share(g.request, node)).collect();
    order.sort_by(|&a, &b| share[b].cmp(&share[a]).then(a.cmp(&b)));
    let mut nodes = Vec::new();
    let mut nodes_per_zone = Vec::new();
    let smallest = groups.iter().filter(|g| g.replicas > 0).fold(
        Request { cpu_millicores: u32::MAX, memory_mib: u32::MAX },
        |s, g| Request {
            cpu_millicores: s.cpu_millicores.min(g.request.cpu_millicores),
            memory_mib: s.memory_mib.min(g.request.memory_mib),
        },
    );
    for zone in 0..zones.max(1) {
        let start = nodes.len();
        let mut zone_nodes: Vec<PackedNode> = Vec::new();
        let mut open = 0usize;
        for &g in &order {
            let r = groups[g].request;
            let mut left = counts[g][zone as usize];
            let oversize = r.cpu_millicores > node.cpu_millicores || r.memory_mib > node.memory_mib || node.pods == 0;
            // Nodes this group already passed over stay too full for it: search on from there.
            let mut from = 0usize;
            while left > 0 {
                if oversize {
                    let mut n = PackedNode::empty(zone);
                    n.add(g, r, 1);
                    n.alone = true;
                    zone_nodes.push(n);
                    left -= 1;
                    continue;
                }
                // Nodes before `open` cannot take even the smallest replica: skip them for good.
                while open < zone_nodes.len() && !zone_nodes[open].fits(smallest, node) {
                    open += 1;
                }
                from = from.max(open);
                match zone_nodes[from..].iter().position(|n| n.fits(r, node)) {
                    Some(i) => {
                        // As many as fit here at once: first-fit places the next one here too.
                        let n = &mut zone_nodes[from + i];
                        let k = left.min(fit_count(n, r, node));
                        n.add(g, r, k);
                        left -= k;
                        from += i;
                    }
                    None => {
                        let mut n = PackedNode::empty(zone);
                        let k = left.min(fit_count(&n, r, node));
                        n.add(g, r, k);
                        left -= k;
                        zone_nodes.push(n);
                    }
                }
            }
        }
        nodes.extend(zone_nodes);
        nodes_per_zone.push((nodes.len() - start) as u32);
    }
    let oversized = nodes.iter().any(|n| n.alone);
    Ok(Packing { nodes_per_zone, oversized, nodes })
}

/// How many more replicas of `r` fit on `n` within `cap`.
pub fn fit_count(n: &PackedNode, r: Request, cap: Allocatable) -> u32 {
    if n.alone {
        return 0;
    }
    let by = |free: u32, need: u32| free.checked_div(need).unwrap_or(u32::MAX);
    by(cap.cpu_millicores.saturating_sub(n.used.cpu_millicores), r.cpu_millicores)
        .min(by(cap.memory_mib.saturating_sub(n.used.memory_mib), r.memory_mib))
        .min(cap.pods.saturating_sub(n.used.pods))
}

/// The replica's larger share of a node, in millionths, for ordering.
fn dominant_share(r: Request, node: Allocatable) -> u64 {
    let cpu = u64::from(r.cpu_millicores) * 1_000_000 / u64::from(node.cpu_millicores.max(1));
    let mem = u64::from(r.memory_mib) * 1_000_000 / u64::from(node.memory_mib.max(1));
    cpu.max(mem)
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
    fn a_balanced_spread_evens_the_zones_within_the_same_limit() {
        // Two processes of one large replica, at positions 0 and 3, and two of four small ones:
        // rotating starts both singles in zone 0; balancing sends the second single to a zone
        // without one.
        let groups = [group(100, 8000, 1), group(100, 500, 4), group(100, 500, 4), group(100, 8000, 1)];
        let memory = |counts: &[Vec<u32>]| -> Vec<u32> {
            (0..3).map(|z| groups.iter().zip(counts).map(|(g, c)| g.request.memory_mib * c[z]).sum()).collect()
        };
        let balanced = spread_balanced(&groups, 3, |r| f64::from(r.memory_mib));
        for (g, c) in groups.iter().zip(&balanced) {
            assert_eq!(c.iter().sum::<u32>(), g.replicas);
            assert!(c.iter().all(|&n| n <= g.replicas.div_ceil(3)));
        }
        let spread_of = |m: Vec<u32>| m.iter().max().unwrap() - m.iter().min().unwrap();
        assert!(spread_of(memory(&balanced)) < spread_of(memory(&spread(&groups, 3))), "{balanced:?}");
    }

    #[test]
    fn nothing_to_place_needs_no_nodes() {
        assert_eq!(pack(&[group(9000, 100, 0)], 3, NODE, NODE).unwrap().total_nodes(), 0);
    }
}
