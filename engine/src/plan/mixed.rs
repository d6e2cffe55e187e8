//! Stage 3: mixed packing. Mixed node types, the way Karpenter provisions: each new node takes the instance type that
//! holds the most of what is still unplaced per dollar, so large replicas get large nodes and
//! the small ones fill cheap nodes instead of forcing one type on everyone.

#[cfg(test)]
use super::spread::spread;
use crate::bound::lp::{lp_dual_prices, BinType};
use crate::node::{hourly_cost, Allocatable, NodeType, PackedNode, ReplicaGroup, TypedNodes};
use crate::sizing::{total, Request};

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

#[cfg(test)]
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
#[cfg(test)]
pub fn pack_mixed(
    groups: &[ReplicaGroup],
    zones: u32,
    types: &[NodeType],
    worth: Worth,
) -> Option<Vec<(usize, PackedNode)>> {
    pack_mixed_counts(groups, &spread(groups, zones), types, worth)
}

/// Which per-resource rates a [`Valuation`] prices a replica at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rates {
    /// The cheapest rate of each resource among the types.
    Cheapest,
    /// The LP's dual prices of the demand, which see which resource is scarce overall.
    Duals,
}

/// A way of valuing replicas, resolved to a worth for each packing's types and demand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Valuation {
    /// The rates.
    pub rates: Rates,
    /// How much of the smaller need's worth is added to the larger's (0 to 1).
    pub blend: f64,
    /// The CPU rate is multiplied by this and the memory rate divided by it: above 1 values
    /// CPU more than the rates say.
    pub tilt: f64,
}

/// The valuations a mixed pool is packed with, the cheapest packing kept: the larger need and
/// both needs at the cheapest rates, and the larger need plus 0, ¼, ½, ¾ or all of the smaller
/// at the duals. No one valuation suits every mix.
pub const VALUATIONS: [Valuation; 7] = [
    Valuation { rates: Rates::Cheapest, blend: 0.0, tilt: 1.0 },
    Valuation { rates: Rates::Cheapest, blend: 1.0, tilt: 1.0 },
    Valuation { rates: Rates::Duals, blend: 0.0, tilt: 1.0 },
    Valuation { rates: Rates::Duals, blend: 0.25, tilt: 1.0 },
    Valuation { rates: Rates::Duals, blend: 0.5, tilt: 1.0 },
    Valuation { rates: Rates::Duals, blend: 0.75, tilt: 1.0 },
    Valuation { rates: Rates::Duals, blend: 1.0, tilt: 1.0 },
];

/// How hard [`pack_mixed_cheapest`] looks for each zone's valuation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValuationSearch<'v> {
    /// Every one of [`VALUATIONS`], then this many steps of a local search around the best
    /// (tilting the rates and moving the blend while that lowers the zone's cost).
    Thorough(usize),
    /// Exactly these, one per zone: a what-if planned by the same method as the plan it varies.
    Like(&'v [Valuation]),
}

/// The LP's dual prices (USD per millicore, per MiB) of the groups' demand over the types'
/// usable capacity: what each resource is worth where it is scarce. `None` when no type has
/// capacity.
pub fn dual_prices(groups: &[ReplicaGroup], types: &[NodeType]) -> Option<(f64, f64)> {
    let (cpu, memory) = total(groups.iter().map(|g| (g.request, g.replicas)));
    let bins: Vec<BinType> = types
        .iter()
        .map(|t| BinType {
            cost_per_hour: t.cost_per_hour,
            cpu_millicores: t.usable.cpu_millicores,
            memory_mib: t.usable.memory_mib,
        })
        .collect();
    lp_dual_prices(cpu, memory, &bins)
}

/// The cheapest rate of each resource among the types: USD per usable millicore and per usable
/// MiB.
fn cheapest_rates(types: &[NodeType]) -> (f64, f64) {
    let cheapest = |f: fn(&NodeType) -> u32| {
        types.iter().filter(|t| f(t) > 0).map(|t| t.cost_per_hour / f64::from(f(t))).fold(f64::INFINITY, f64::min)
    };
    (cheapest(|t| t.usable.cpu_millicores), cheapest(|t| t.usable.memory_mib))
}

/// Resolves valuations to worths for one pool: at its LP duals or the types' cheapest rates
/// (which also stand in when no type has capacity, so there are no duals). Both depend only on
/// the pool's total demand and the types, so one serves every spread and split of the pool.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Valuer {
    /// The pool's LP dual prices (USD per millicore, per MiB), when some type has capacity.
    pub duals: Option<(f64, f64)>,
    cheapest: (f64, f64),
}

impl Valuer {
    /// The valuer of the groups' pool on these types.
    pub fn new(groups: &[ReplicaGroup], types: &[NodeType]) -> Valuer {
        Valuer { duals: dual_prices(groups, types), cheapest: cheapest_rates(types) }
    }

    /// What `v` makes of a replica here.
    pub fn worth(&self, v: Valuation) -> Worth {
        let (c, m) = match (v.rates, self.duals) {
            (Rates::Duals, Some(d)) => d,
            _ => self.cheapest,
        };
        Worth { rates: Some((c * v.tilt, m / v.tilt)), blend: v.blend }
    }
}

/// A mixed packing: its nodes, zone by zone, and the valuation each zone was packed with.
#[derive(Debug, Clone)]
pub struct MixedPacking {
    /// `(type index, node)`.
    pub nodes: TypedNodes,
    /// One per zone.
    pub valuations: Vec<Valuation>,
}

/// Packs each zone with the valuation that makes it cheapest, found as `search` says (the
/// first on a tie), and with `mend_each` mends that zone's nodes ([`super::mend`]); `None`
/// when some replica fits no type. `valuer` is the groups' pool's ([`Valuer::new`]).
pub fn pack_mixed_cheapest(
    groups: &[ReplicaGroup],
    counts: &[Vec<u32>],
    types: &[NodeType],
    valuer: &Valuer,
    search: ValuationSearch,
    mend_each: bool,
) -> Option<MixedPacking> {
    let cost = |nodes: &[(usize, PackedNode)]| hourly_cost(types, nodes);
    let zones = counts.first().map_or(1, |c| c.len() as u32).max(1);
    let mut packing = MixedPacking { nodes: Vec::new(), valuations: Vec::new() };
    for zone in 0..zones {
        let mut best: Option<(TypedNodes, Valuation)> = None;
        let consider = |v: Valuation, best: &mut Option<(TypedNodes, Valuation)>| -> Option<bool> {
            let nodes = pack_zone(groups, counts, zone, types, valuer.worth(v))?;
            let better = best.as_ref().is_none_or(|(b, _)| cost(&nodes) < cost(b) - 1e-9);
            if better {
                *best = Some((nodes, v));
            }
            Some(better)
        };
        match search {
            ValuationSearch::Like(given) => {
                consider(given.get(zone as usize).copied().unwrap_or(VALUATIONS[0]), &mut best)?;
            }
            ValuationSearch::Thorough(steps) => {
                for v in VALUATIONS {
                    consider(v, &mut best)?;
                }
                let (mut tilt, mut blend) = (1.25f64, 0.125f64);
                let mut spent = 0;
                while spent < steps {
                    let centre = best.as_ref().map_or(VALUATIONS[0], |b| b.1);
                    let moves = [
                        Valuation { tilt: centre.tilt * tilt, ..centre },
                        Valuation { tilt: centre.tilt / tilt, ..centre },
                        Valuation { blend: (centre.blend + blend).min(1.0), ..centre },
                        Valuation { blend: (centre.blend - blend).max(0.0), ..centre },
                    ];
                    let (mut improved, mut tried) = (false, false);
                    for m in moves.into_iter().filter(|m| *m != centre) {
                        if spent == steps {
                            break;
                        }
                        (spent, tried) = (spent + 1, true);
                        if consider(m, &mut best)? {
                            improved = true;
                            break;
                        }
                    }
                    if !tried {
                        // Every move lands where it stands: nowhere left to look.
                        break;
                    }
                    if !improved {
                        // Nothing nearby is cheaper: look closer.
                        tilt = tilt.sqrt();
                        blend /= 2.0;
                    }
                }
            }
        }
        let (mut nodes, v) = best?;
        if mend_each {
            super::mend::mend_zone(groups, types, &mut nodes);
        }
        packing.nodes.extend(nodes);
        packing.valuations.push(v);
    }
    Some(packing)
}

/// [`pack_mixed`] with each group's replicas per zone given (`counts[group][zone]`).
#[cfg(test)]
pub fn pack_mixed_counts(
    groups: &[ReplicaGroup],
    counts: &[Vec<u32>],
    types: &[NodeType],
    valuation: Worth,
) -> Option<TypedNodes> {
    let zones = counts.first().map_or(1, |c| c.len() as u32);
    let mut out = Vec::new();
    for zone in 0..zones.max(1) {
        out.extend(pack_zone(groups, counts, zone, types, valuation)?);
    }
    Some(out)
}

/// One zone of [`pack_mixed_counts`]: zones are packed on their own, so each may keep the
/// valuation that suits its replicas best.
pub fn pack_zone(
    groups: &[ReplicaGroup],
    counts: &[Vec<u32>],
    zone: u32,
    types: &[NodeType],
    valuation: Worth,
) -> Option<TypedNodes> {
    let (cpu_rate, mem_rate) = valuation.rates.unwrap_or_else(|| cheapest_rates(types));
    let blend = valuation.blend;
    let worth = |r: Request| {
        let (c, m) = (f64::from(r.cpu_millicores) * cpu_rate, f64::from(r.memory_mib) * mem_rate);
        c.max(m) + blend * c.min(m)
    };
    // What a full node of each type could hold at most: a replica's worth is at most its CPU
    // plus its memory at the rates (blend ≤ 1), so a node holds no more than its usable
    // capacity's worth. Types are scored in that order and skipped once even that cannot beat
    // the best node found: same choice, far fewer fills on a catalog of hundreds of types.
    let ceiling: Vec<f64> = types
        .iter()
        .map(|t| {
            (f64::from(t.usable.cpu_millicores) * cpu_rate + f64::from(t.usable.memory_mib) * mem_rate)
                / t.cost_per_hour
        })
        .collect();
    let mut by_ceiling: Vec<usize> = (0..types.len()).collect();
    by_ceiling.sort_by(|&a, &b| ceiling[b].total_cmp(&ceiling[a]).then(a.cmp(&b)));
    let of_group: Vec<f64> = groups.iter().map(|g| worth(g.request)).collect();
    let mut order: Vec<usize> = (0..groups.len()).filter(|&g| counts[g][zone as usize] > 0).collect();
    order.sort_by(|&a, &b| of_group[b].total_cmp(&of_group[a]).then(a.cmp(&b)));
    // Requests and worths by position in `order`, largest first.
    let requests: Vec<Request> = order.iter().map(|&g| groups[g].request).collect();
    let worths: Vec<f64> = order.iter().map(|&g| of_group[g]).collect();
    let mut out = Vec::new();
    let mut scratch: Vec<(usize, u32)> = Vec::new();
    let mut left: Vec<u32> = order.iter().map(|&g| counts[g][zone as usize]).collect();
    // Positions in `order` still holding replicas, largest first.
    let mut active: Vec<usize> = (0..order.len()).filter(|&i| left[i] > 0).collect();
    while let Some(&first) = active.first() {
        // The worth still to place in this zone: no node holds more.
        let remaining: f64 = active.iter().map(|&i| worths[i] * f64::from(left[i])).sum();
        let big = requests[first];
        let smallest = active.iter().fold((u32::MAX, u32::MAX), |(c, m), &i| {
            (c.min(requests[i].cpu_millicores), m.min(requests[i].memory_mib))
        });
        // (score, type, what it holds, its items)
        let mut best: Option<(f64, usize, Filled, Items)> = None;
        // The last node's type first: it is often best again, and a high bar early skips
        // more types. The choice does not depend on the order.
        let last = out.last().map(|(t, _): &(usize, PackedNode)| *t);
        for t in last.into_iter().chain(by_ceiling.iter().copied().filter(|&t| Some(t) != last)) {
            let ty = &types[t];
            if let Some((s, ..)) = &best {
                // A node alone holds exactly the largest replica; any other at most its
                // ceiling and at most what is left (with a margin for rounding).
                let alone = big.cpu_millicores > ty.usable.cpu_millicores || big.memory_mib > ty.usable.memory_mib;
                let most = if alone { worths[first] } else { (ceiling[t] * ty.cost_per_hour).min(remaining) };
                if most / ty.cost_per_hour * (1.0 + 1e-9) < *s {
                    continue;
                }
            }
            let Some(filled) = fill(&requests, &worths, &left, &active, ty, smallest, &mut scratch) else {
                continue;
            };
            let score = filled.held / ty.cost_per_hour;
            // Ties go to the cheaper type, then to the earlier one.
            let better = match &best {
                None => true,
                Some((s, bt, ..)) => {
                    let bp = types[*bt].cost_per_hour;
                    score > *s || (score == *s && (ty.cost_per_hour < bp || (ty.cost_per_hour == bp && t < *bt)))
                }
            };
            if better {
                match &mut best {
                    Some(b) => {
                        (b.0, b.1, b.2) = (score, t, filled);
                        b.3.clone_from(&scratch);
                    }
                    None => best = Some((score, t, filled, scratch.clone())),
                }
            }
        }
        let (_, t, filled, items) = best?;
        // Nothing fit the largest remaining replica anywhere: it fits no type.
        if !items.iter().any(|&(i, _)| requests[i] == big) {
            return None;
        }
        for &(i, n) in &items {
            left[i] -= n;
        }
        active.retain(|&i| left[i] > 0);
        let items = items.into_iter().map(|(i, n)| (order[i], n)).collect();
        out.push((t, PackedNode { zone, used: filled.used, items, alone: filled.alone }));
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
            .min_by(|a, b| a.1.cost_per_hour.total_cmp(&b.1.cost_per_hour))
        {
            if types[i].cost_per_hour < types[*t].cost_per_hour {
                *t = i;
            }
        }
    }
    Some(out)
}

/// A trial node's replicas: (position, count).
type Items = Vec<(usize, u32)>;

/// What one trial node holds: requested CPU, memory and replicas, whether it holds one
/// oversized replica alone, and the worth held.
#[derive(Debug, Clone, Copy)]
struct Filled {
    used: Allocatable,
    alone: bool,
    held: f64,
}

/// A node of type `ty` opened for the largest remaining replica (`active[0]`), then filled
/// first-fit from the largest down into `items` as (position, count); `None` if that replica
/// does not fit the type at all. Positions index `requests`, `worths` and `left`; `active`
/// holds those with replicas left, in order.
fn fill(
    requests: &[Request],
    worths: &[f64],
    left: &[u32],
    active: &[usize],
    ty: &NodeType,
    smallest: (u32, u32),
    items: &mut Vec<(usize, u32)>,
) -> Option<Filled> {
    items.clear();
    let first = active[0];
    let big = requests[first];
    let within = |r: Request, cap: Allocatable| cap.holds(r) && cap.pods > 0;
    if !within(big, ty.usable) {
        if !within(big, ty.allocatable) {
            return None;
        }
        items.push((first, 1));
        let used = Allocatable { cpu_millicores: big.cpu_millicores, memory_mib: big.memory_mib, pods: 1 };
        return Some(Filled { used, alone: true, held: worths[first] });
    }
    let cap = ty.usable;
    let mut node = Filled { used: zero(), alone: false, held: 0.0 };
    let by = |free: u32, need: u32| free.checked_div(need).unwrap_or(u32::MAX);
    for &i in active {
        let r = requests[i];
        let free_cpu = cap.cpu_millicores - node.used.cpu_millicores;
        let free_mem = cap.memory_mib - node.used.memory_mib;
        if r.cpu_millicores > free_cpu || r.memory_mib > free_mem {
            continue;
        }
        let k =
            left[i].min(by(free_cpu, r.cpu_millicores)).min(by(free_mem, r.memory_mib)).min(cap.pods - node.used.pods);
        node.used.cpu_millicores += r.cpu_millicores * k;
        node.used.memory_mib += r.memory_mib * k;
        node.used.pods += k;
        node.held += worths[i] * f64::from(k);
        items.push((i, k));
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
    use crate::node::fixtures::{group, ty};

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
        let cost: f64 = nodes.iter().map(|(t, _)| types[*t].cost_per_hour).sum();
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

    /// c5-, m5- and r5-like types (large to 4xlarge) and `n` seeded processes, a mix of
    /// CPU-heavy, memory-heavy and small replicas, as the generated estates have.
    fn generated(n: usize, seed: u64) -> (Vec<NodeType>, Vec<ReplicaGroup>) {
        let mut types = Vec::new();
        for size in [1u32, 2, 4, 8].iter() {
            types.push(ty(2000 * size, 3840 * size, 0.085 * f64::from(*size)));
            types.push(ty(2000 * size, 7936 * size, 0.096 * f64::from(*size)));
            types.push(ty(2000 * size, 16128 * size, 0.126 * f64::from(*size)));
        }
        let mut seed = seed;
        let mut next = |lo: u32, hi: u32| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            lo + ((seed >> 33) as u32) % (hi - lo + 1)
        };
        let groups = (0..n)
            .map(|i| match i % 3 {
                0 => group(next(4, 24) * 250, next(2, 6) * 1024, next(1, 9)),
                1 => group(next(1, 4) * 250, next(8, 40) * 1024, next(1, 9)),
                _ => group(next(1, 8) * 250, next(1, 8) * 512, next(1, 9)),
            })
            .collect();
        (types, groups)
    }

    #[test]
    fn paying_for_both_resources_at_the_duals_finds_cheaper_mixes_than_the_larger_need_alone() {
        let (types, groups) = generated(80, 7);
        let larger = hourly_cost(&types, &pack_mixed(&groups, 3, &types, Worth::CHEAPEST).unwrap());
        let best = hourly_cost(
            &types,
            &pack_mixed_cheapest(
                &groups,
                &spread(&groups, 3),
                &types,
                &Valuer::new(&groups, &types),
                ValuationSearch::Thorough(0),
                false,
            )
            .unwrap()
            .nodes,
        );
        assert!(best < larger * 0.99, "blended {best:.3} $/h against larger-need {larger:.3} $/h");
    }

    #[test]
    fn each_zone_keeps_its_own_cheapest_valuation() {
        // Choosing per zone is never worse than any one valuation for every zone, and the
        // local search around each zone's best never makes it dearer.
        for seed in 1..=5 {
            let (types, groups) = generated(60, seed);
            let counts = spread(&groups, 3);
            let valuer = Valuer::new(&groups, &types);
            let per_zone =
                pack_mixed_cheapest(&groups, &counts, &types, &valuer, ValuationSearch::Thorough(0), false).unwrap();
            assert_eq!(per_zone.valuations.len(), 3);
            let (mut cpu_rate, mut mem_rate) = (f64::INFINITY, f64::INFINITY);
            for t in &types {
                cpu_rate = cpu_rate.min(t.cost_per_hour / f64::from(t.usable.cpu_millicores));
                mem_rate = mem_rate.min(t.cost_per_hour / f64::from(t.usable.memory_mib));
            }
            for blend in [0.0, 1.0] {
                let one =
                    pack_mixed_counts(&groups, &counts, &types, Worth { rates: Some((cpu_rate, mem_rate)), blend });
                assert!(hourly_cost(&types, &per_zone.nodes) <= hourly_cost(&types, &one.unwrap()) + 1e-9);
            }
            let searched =
                pack_mixed_cheapest(&groups, &counts, &types, &valuer, ValuationSearch::Thorough(8), false).unwrap();
            assert!(hourly_cost(&types, &searched.nodes) <= hourly_cost(&types, &per_zone.nodes) + 1e-9);
        }
    }

    #[test]
    fn packing_like_a_plan_repeats_it() {
        // The valuations a search chose, given back, make the same nodes: a what-if planned
        // "like" a plan differs from it only by what the what-if changed.
        let (types, groups) = generated(40, 3);
        let counts = spread(&groups, 3);
        let valuer = Valuer::new(&groups, &types);
        let searched =
            pack_mixed_cheapest(&groups, &counts, &types, &valuer, ValuationSearch::Thorough(4), false).unwrap();
        let again =
            pack_mixed_cheapest(&groups, &counts, &types, &valuer, ValuationSearch::Like(&searched.valuations), false)
                .unwrap();
        assert_eq!(again.nodes, searched.nodes);
        assert_eq!(again.valuations, searched.valuations);
    }
}
