//! Mixed node types, the way Karpenter provisions: each new node takes the instance type that
//! holds the most of what is still unplaced per dollar, so large replicas get large nodes and
//! the small ones fill cheap nodes instead of forcing one type on everyone.

use crate::bound::{lp_dual_prices, BinType};
use crate::node::Allocatable;
use crate::packing::{fit_count, spread, PackedNode, ReplicaGroup};
use crate::sizing::{total, Request};

/// A node type the packer may open: usable and allocatable capacity and its price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NodeType {
    /// What the packer fills (allocatable times the headroom).
    pub usable: Allocatable,
    /// What a single oversized replica may use.
    pub allocatable: Allocatable,
    /// USD per node-hour.
    pub usd_per_hour: f64,
}

/// How a replica is valued when a node's type is chosen: its CPU and memory at per-resource
/// rates (the cheapest among the types, or given ones such as the LP's dual prices), either the
/// larger of the two or their sum. Different valuations suit different mixes, so the planner
/// packs with several and keeps the cheapest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Worth {
    /// USD per millicore and per MiB; `None` for the cheapest rate of each among the types.
    pub rates: Option<(f64, f64)>,
    /// How much of the smaller need's worth is added to the larger's: 0 counts only the larger
    /// need, 1 pays for both resources.
    pub blend: f64,
}

impl Worth {
    /// The larger need at the cheapest rates.
    pub const CHEAPEST: Worth = Worth { rates: None, blend: 0.0 };
}

/// Packs every zone with nodes of mixed types. Returns `(type index, node)` pairs, or `None`
/// when some replica fits no type.
///
/// A replica is worth what its larger need would cost at the cheapest rate for that resource
/// among the types (USD per millicore, per MiB); a candidate node's score is the worth it
/// would hold, filled first-fit from the largest replicas down, divided by its price.
pub fn pack_mixed(
    groups: &[ReplicaGroup],
    zones: u32,
    types: &[NodeType],
    worth: Worth,
) -> Option<Vec<(usize, PackedNode)>> {
    pack_mixed_counts(groups, &spread(groups, zones), types, worth)
}

/// How much of the smaller need is added at the LP's dual prices, one packing each.
const DUAL_BLENDS: [f64; 5] = [0.0, 0.25, 0.5, 0.75, 1.0];

/// [`pack_mixed_counts`] with several valuations, keeping the cheapest packing: the larger need
/// and both needs at the cheapest rates, and the blends of [`DUAL_BLENDS`] at the LP's dual
/// prices (which see which resource is scarce overall). No one valuation suits every mix.
pub fn pack_mixed_cheapest(
    groups: &[ReplicaGroup],
    counts: &[Vec<u32>],
    types: &[NodeType],
) -> Option<Vec<(usize, PackedNode)>> {
    let (cpu, memory) = total(groups.iter().map(|g| (g.request, g.replicas)));
    let bins: Vec<BinType> = types
        .iter()
        .map(|t| BinType {
            usd_per_hour: t.usd_per_hour,
            cpu_millicores: t.usable.cpu_millicores,
            memory_mib: t.usable.memory_mib,
        })
        .collect();
    let duals = lp_dual_prices(cpu, memory, &bins);
    let cost = |nodes: &[(usize, PackedNode)]| nodes.iter().map(|(t, _)| types[*t].usd_per_hour).sum::<f64>();
    let mut best = pack_mixed_counts(groups, counts, types, Worth::CHEAPEST)?;
    let mut others = vec![Worth { rates: None, blend: 1.0 }];
    if let Some(d) = duals {
        others.extend(DUAL_BLENDS.iter().map(|&blend| Worth { rates: Some(d), blend }));
    }
    for worth in others {
        if let Some(other) = pack_mixed_counts(groups, counts, types, worth) {
            if cost(&other) < cost(&best) - 1e-9 {
                best = other;
            }
        }
    }
    Some(best)
}

/// [`pack_mixed`] with each group's replicas per zone given (`counts[group][zone]`).
pub fn pack_mixed_counts(
    groups: &[ReplicaGroup],
    counts: &[Vec<u32>],
    types: &[NodeType],
    valuation: Worth,
) -> Option<Vec<(usize, PackedNode)>> {
    let zones = counts.first().map_or(1, |c| c.len() as u32);
    let cheapest = |f: fn(&NodeType) -> u32| {
        types.iter().filter(|t| f(t) > 0).map(|t| t.usd_per_hour / f64::from(f(t))).fold(f64::INFINITY, f64::min)
    };
    let (cpu_rate, mem_rate) =
        valuation.rates.unwrap_or_else(|| (cheapest(|t| t.usable.cpu_millicores), cheapest(|t| t.usable.memory_mib)));
    let blend = valuation.blend;
    let worth = |r: Request| {
        let (c, m) = (f64::from(r.cpu_millicores) * cpu_rate, f64::from(r.memory_mib) * mem_rate);
        c.max(m) + blend * c.min(m)
    };
    let mut order: Vec<usize> = (0..groups.len()).filter(|&g| groups[g].replicas > 0).collect();
    order.sort_by(|&a, &b| worth(groups[b].request).total_cmp(&worth(groups[a].request)).then(a.cmp(&b)));
    let mut position = vec![0usize; groups.len()];
    for (i, &g) in order.iter().enumerate() {
        position[g] = i;
    }
    let mut out = Vec::new();
    for zone in 0..zones.max(1) {
        let mut left: Vec<u32> = order.iter().map(|&g| counts[g][zone as usize]).collect();
        // Positions in `order` still holding replicas, largest first.
        let mut active: Vec<usize> = (0..order.len()).filter(|&i| left[i] > 0).collect();
        while let Some(&first) = active.first() {
            let big = groups[order[first]].request;
            let smallest = active.iter().fold((u32::MAX, u32::MAX), |(c, m), &i| {
                let r = groups[order[i]].request;
                (c.min(r.cpu_millicores), m.min(r.memory_mib))
            });
            let mut best: Option<(f64, usize, PackedNode)> = None;
            for (t, ty) in types.iter().enumerate() {
                let Some(node) = fill(groups, &order, &left, &active, zone, ty, smallest) else { continue };
                let held: f64 = node.items.iter().map(|&(g, n)| worth(groups[g].request) * f64::from(n)).sum();
                let score = held / ty.usd_per_hour;
                let better = match &best {
                    None => true,
                    Some((s, bt, _)) => score > *s || (score == *s && ty.usd_per_hour < types[*bt].usd_per_hour),
                };
                if better {
                    best = Some((score, t, node));
                }
            }
            let (_, t, node) = best?;
            // Nothing fit the largest remaining replica anywhere: it fits no type.
            if !node.items.iter().any(|&(g, _)| groups[g].request == big) {
                return None;
            }
            for &(g, n) in &node.items {
                let i = position[g];
                left[i] -= n;
            }
            active.retain(|&i| left[i] > 0);
            out.push((t, node));
        }
    }
    // The last nodes of a zone are often part-empty: give each the cheapest type that still
    // holds what it got.
    for (t, node) in out.iter_mut() {
        let holds = |ty: &NodeType| {
            let cap = if node.alone { ty.allocatable } else { ty.usable };
            node.used.cpu_millicores <= cap.cpu_millicores
                && node.used.memory_mib <= cap.memory_mib
                && node.used.pods <= cap.pods
                && (!node.alone || !within_cap(node.used, ty.usable))
        };
        if let Some((i, _)) = types
            .iter()
            .enumerate()
            .filter(|(_, ty)| holds(ty))
            .min_by(|a, b| a.1.usd_per_hour.total_cmp(&b.1.usd_per_hour))
        {
            if types[i].usd_per_hour < types[*t].usd_per_hour {
                *t = i;
            }
        }
    }
    Some(out)
}

/// A node of type `ty` opened for the largest remaining replica (`order[first]`), then filled
/// first-fit from the largest down; `None` if that replica does not fit the type at all.
fn fill(
    groups: &[ReplicaGroup],
    order: &[usize],
    left: &[u32],
    active: &[usize],
    zone: u32,
    ty: &NodeType,
    smallest: (u32, u32),
) -> Option<PackedNode> {
    let first = active[0];
    let big = groups[order[first]].request;
    let mut node = PackedNode { zone, used: zero(), items: Vec::new(), alone: false };
    let within = |r: Request, cap: Allocatable| {
        r.cpu_millicores <= cap.cpu_millicores && r.memory_mib <= cap.memory_mib && cap.pods > 0
    };
    if !within(big, ty.usable) {
        if !within(big, ty.allocatable) {
            return None;
        }
        node.add(order[first], big, 1);
        node.alone = true;
        return Some(node);
    }
    let cap = ty.usable;
    for &i in active {
        let g = order[i];
        let r = groups[g].request;
        if !node.fits(r, cap) {
            continue;
        }
        let k = left[i].min(fit_count(&node, r, cap));
        node.add(g, r, k);
        // Full for anything still waiting: stop scanning.
        if cap.cpu_millicores - node.used.cpu_millicores < smallest.0
            || cap.memory_mib - node.used.memory_mib < smallest.1
            || node.used.pods >= cap.pods
        {
            break;
        }
    }
    Some(node)
}

/// Whether `used` fits within `cap` (CPU and memory).
fn within_cap(used: Allocatable, cap: Allocatable) -> bool {
    used.cpu_millicores <= cap.cpu_millicores && used.memory_mib <= cap.memory_mib
}

fn zero() -> Allocatable {
    Allocatable { cpu_millicores: 0, memory_mib: 0, pods: 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(cpu: u32, mem: u32, replicas: u32) -> ReplicaGroup {
        ReplicaGroup { request: Request { cpu_millicores: cpu, memory_mib: mem }, replicas }
    }

    fn ty(cpu: u32, mem: u32, price: f64) -> NodeType {
        let a = Allocatable { cpu_millicores: cpu, memory_mib: mem, pods: 110 };
        NodeType { usable: a, allocatable: a, usd_per_hour: price }
    }

    #[test]
    fn large_replicas_take_large_nodes_and_small_ones_cheap_nodes() {
        // One 8-vCPU replica needs the 16-vCPU type ($0.68); eight 0.5-vCPU replicas fit the
        // rest of it (8 vCPU free): one node, rather than two 16-vCPU nodes.
        let types = [ty(8000, 16000, 0.34), ty(16000, 32000, 0.68)];
        let nodes = pack_mixed(&[group(9000, 14000, 1), group(500, 1000, 8)], 1, &types, Worth::CHEAPEST).unwrap();
        assert_eq!(nodes.len(), 1);
        assert_eq!(nodes[0].0, 1);
        // Thirty small replicas alone: two 8-vCPU nodes hold 16 each by CPU → 2 × $0.34.
        let nodes = pack_mixed(&[group(500, 1000, 30)], 1, &types, Worth::CHEAPEST).unwrap();
        let cost: f64 = nodes.iter().map(|(t, _)| types[*t].usd_per_hour).sum();
        assert!((cost - 0.68).abs() < 1e-9, "{nodes:?}");
    }

    #[test]
    fn every_replica_is_placed_once_within_capacity() {
        let types = [ty(2000, 4000, 0.1), ty(4000, 8000, 0.19), ty(8000, 64000, 0.5)];
        let groups = [group(1500, 3000, 7), group(300, 20000, 4), group(100, 100, 25)];
        let nodes = pack_mixed(&groups, 3, &types, Worth::CHEAPEST).unwrap();
        for (g, group) in groups.iter().enumerate() {
            let placed: u32 = nodes.iter().flat_map(|(_, n)| &n.items).filter(|(x, _)| *x == g).map(|(_, c)| c).sum();
            assert_eq!(placed, group.replicas);
        }
        for (t, n) in &nodes {
            assert!(n.used.cpu_millicores <= types[*t].usable.cpu_millicores);
            assert!(n.used.memory_mib <= types[*t].usable.memory_mib);
        }
    }

    #[test]
    fn a_replica_no_type_holds_is_refused() {
        assert_eq!(pack_mixed(&[group(9000, 100, 1)], 1, &[ty(8000, 16000, 0.34)], Worth::CHEAPEST), None);
    }

    #[test]
    fn paying_for_both_resources_at_the_duals_finds_cheaper_mixes_than_the_larger_need_alone() {
        // c5-, m5- and r5-like types (large to 4xlarge) and a mix of CPU-heavy and
        // memory-heavy replicas, as the generated estates have.
        let mut types = Vec::new();
        for size in [1u32, 2, 4, 8].iter() {
            types.push(ty(2000 * size, 3840 * size, 0.085 * f64::from(*size)));
            types.push(ty(2000 * size, 7936 * size, 0.096 * f64::from(*size)));
            types.push(ty(2000 * size, 16128 * size, 0.126 * f64::from(*size)));
        }
        let mut seed = 7u64;
        let mut next = |lo: u32, hi: u32| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            lo + ((seed >> 33) as u32) % (hi - lo + 1)
        };
        let groups: Vec<ReplicaGroup> = (0..80)
            .map(|i| match i % 3 {
                0 => group(next(4, 24) * 250, next(2, 6) * 1024, next(1, 9)),
                1 => group(next(1, 4) * 250, next(8, 40) * 1024, next(1, 9)),
                _ => group(next(1, 8) * 250, next(1, 8) * 512, next(1, 9)),
            })
            .collect();
        let cost = |nodes: Vec<(usize, PackedNode)>| -> f64 { nodes.iter().map(|(t, _)| types[*t].usd_per_hour).sum() };
        let larger = cost(pack_mixed(&groups, 3, &types, Worth::CHEAPEST).unwrap());
        let best = cost(pack_mixed_cheapest(&groups, &spread(&groups, 3), &types).unwrap());
        assert!(best < larger * 0.99, "blended {best:.3} $/h against larger-need {larger:.3} $/h");
    }
}
