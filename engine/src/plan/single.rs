//! Stage 2: single-type packing. Each zone's replicas packed first-fit decreasing (vector bin
//! packing over CPU, memory and pods) on nodes of one type, for the few types whose per-type
//! bound could still win; the cheapest is the plan to beat, and the others are shown as
//! alternatives.

use super::candidates::Candidate;
use super::compute_plan::{Alternative, Pool};
use super::demand::Demand;
use super::merged::Merged;
use crate::effort::{ALTERNATIVES, SINGLE_TYPES_PACKED};
use crate::error::EstimateError;
use crate::node::{Allocatable, PackedNode, ReplicaGroup};
use crate::scenario::Assumptions;
use crate::sizing::{total, Request};
use rust_decimal::Decimal;

/// The cheapest single-type pool for these demands, and the LP bound of their on-demand cost
/// per hour. Types are tried in order of a per-type lower bound and the search stops once that
/// bound exceeds the best plan found, so a large catalog costs little more than a short list.
pub(super) fn best_pool<'c>(
    demands: &[&Demand],
    candidates: &[Candidate<'c>],
    a: &Assumptions,
) -> Result<(Pool<'c>, Packing, Vec<Alternative>), EstimateError> {
    let groups: Vec<ReplicaGroup> = demands.iter().map(|d| d.group()).collect();
    let merged = Merged::of(&groups, a.availability_zones.max(1));
    let (cpu, memory) = total(groups.iter().map(|g| (g.request, g.replicas)));
    let replicas: u64 = groups.iter().map(|g| u64::from(g.replicas)).sum();
    let zones = a.availability_zones.max(1);
    let spare = if a.spare_node_per_zone { u64::from(zones.min(replicas as u32)) } else { 0 };
    let fits = |c: &Candidate, d: &Demand| d.replicas == 0 || c.allocatable.holds(d.request);
    let mut ordered: Vec<(Decimal, &Candidate<'c>)> = candidates
        .iter()
        .filter(|c| demands.iter().all(|d| fits(c, d)))
        .map(|c| {
            let u = c.usable;
            let nodes = cpu
                .div_ceil(u64::from(u.cpu_millicores.max(1)))
                .max(memory.div_ceil(u64::from(u.memory_mib.max(1))))
                .max(replicas.div_ceil(u64::from(u.pods.max(1))))
                .max(u64::from(zones).min(replicas))
                + spare;
            (c.planned_usd_per_hour * Decimal::from(nodes), c)
        })
        .collect();
    if ordered.is_empty() {
        let d = demands
            .iter()
            .find(|d| !candidates.iter().any(|c| fits(c, d)))
            .or_else(|| demands.iter().filter(|d| d.replicas > 0).max_by_key(|d| d.request.memory_mib))
            .expect("some demand has replicas");
        return Err(EstimateError::FitsNowhere {
            app: d.app.into(),
            process: d.process.into(),
            cpu_millicores: d.request.cpu_millicores,
            memory_mib: d.request.memory_mib,
        });
    }
    ordered.sort_by(|x, y| x.0.cmp(&y.0).then_with(|| x.1.instance.name.cmp(&y.1.instance.name)));
    let mut best: Option<(Decimal, u32, Pool<'c>, Packing)> = None;
    let mut tried: Vec<Alternative> = Vec::new();
    // The per-type bound orders the types well; packing the first few that could still win
    // finds the best one, and bounds the work on a catalog of hundreds of similar types. A few
    // more are packed anyway, to show what else would do.
    for (bound, c) in ordered {
        let beaten = best.as_ref().is_some_and(|b| bound > b.0);
        if tried.len() >= SINGLE_TYPES_PACKED || (beaten && tried.len() >= ALTERNATIVES) {
            break;
        }
        let Ok(packing) = pack_counts(&merged.groups, &merged.counts, c.usable, c.allocatable) else { continue };
        let per_zone: Vec<u32> =
            packing.nodes_per_zone.iter().map(|&n| n + u32::from(a.spare_node_per_zone && n > 0)).collect();
        let count: u32 = per_zone.iter().sum();
        let cost = c.planned_usd_per_hour * Decimal::from(count);
        tried.push(Alternative { instance_type: c.instance.name.clone(), nodes: count, usd_per_hour: cost });
        if best.as_ref().is_none_or(|b| (cost, count) < (b.0, b.1)) {
            best = Some((cost, count, Pool { candidate: *c, per_zone, spot: false, serves: None }, packing));
        }
    }
    let (_, _, pool, mut packing) = best.expect("a candidate that fits every replica packs them");
    packing.nodes = merged.expand(std::mem::take(&mut packing.nodes));
    tried.sort_by_key(|x| (x.usd_per_hour, x.nodes));
    tried.truncate(ALTERNATIVES);
    Ok((pool, packing, tried))
}

/// How many nodes of one type hold the replicas, per availability zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packing {
    /// Nodes in each zone.
    pub nodes_per_zone: Vec<u32>,
    /// Whether some replica was larger than the headroom allows and got a node of its own.
    pub oversized: bool,
    /// Every node with what it holds.
    pub nodes: Vec<PackedNode>,
}

#[cfg(test)]
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

/// Spreads the replicas over `zones` ([`spread`]), then packs each zone first-fit decreasing
/// by the replica's dominant share of the node. Nodes are filled up to `node` (the
/// headroom-limited share); a replica larger than that but within `allocatable` gets a node
/// to itself.
#[cfg(test)]
pub fn pack(
    groups: &[ReplicaGroup],
    zones: u32,
    node: Allocatable,
    allocatable: Allocatable,
) -> Result<Packing, DoesNotFit> {
    pack_counts(groups, &super::spread::spread(groups, zones), node, allocatable)
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
    fn nothing_to_place_needs_no_nodes() {
        assert_eq!(pack(&[group(9000, 100, 0)], 3, NODE, NODE).unwrap().total_nodes(), 0);
    }
}
