//! The compute plan of one target: node pools of the cheapest instance type that holds the
//! replicas (one pool, or one per process for plain EC2, with interruption-tolerant work in a
//! pool of its own when it runs on spot), or Fargate tasks rounded up to valid sizes.

use crate::bound::{lp_dual_prices, lp_lower_bound, slotted_dual_bound, BinType, SlottedType};
use crate::catalog::{Arch, Catalog, InstancePrice, InstanceType};
use crate::error::EstimateError;
use crate::fargate::{task_size, TaskSize, EKS_FARGATE_OVERHEAD_MIB};
use crate::mixed::{pack_mixed_cheapest, NodeType, Search, Valuation, Valuer};
use crate::node::{allocatable, usable, Allocatable};
use crate::packing::{pack_counts, spread, PackedNode, Packing, ReplicaGroup};
use crate::scenario::{Assumptions, Platform};
use crate::sizing::{total, Request};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// One process's replicas as the planner sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand<'w> {
    /// App name.
    pub app: &'w str,
    /// Process name.
    pub process: &'w str,
    /// What each replica asks.
    pub request: Request,
    /// Replicas.
    pub replicas: u32,
    /// Whether it may run on spot capacity.
    pub interruption_tolerant: bool,
}

impl Demand<'_> {
    /// Its replicas and what each asks, as the packers and the bound take them.
    pub fn group(&self) -> ReplicaGroup {
        ReplicaGroup { request: self.request, replicas: self.replicas }
    }
}

/// An instance type the plan may use, priced in the region, with what it offers.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'c> {
    /// The type.
    pub instance: &'c InstanceType,
    /// Its on-demand price.
    pub price: &'c InstancePrice,
    /// Allocatable to containers.
    pub allocatable: Allocatable,
    /// What the plan fills: allocatable times the headroom.
    pub usable: Allocatable,
}

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
    /// made from, USD per hour: the sum of each partition's [`sound_bound`]. Computed on
    /// request rather than with every plan, since only the plan shown reports it and counting
    /// whole replicas costs more than packing a small estate. `None` for Fargate.
    pub fn lower_bound_per_hour(&self, demands: &[Demand], candidates: &[Candidate], a: &Assumptions) -> Option<f64> {
        if !self.tasks.is_empty() {
            return None;
        }
        self.parts
            .iter()
            .map(|part| {
                let groups: Vec<ReplicaGroup> = part.iter().map(|&i| demands[i].group()).collect();
                sound_bound(&groups, candidates, a.availability_zones, a.spare_node_per_zone)
            })
            .sum()
    }
}

/// The priced instance types the scenario allows for `platform`: exact names, or whole
/// families (`c5`) expanded to their sizes, keeping those with a price in the region and a
/// known shape.
pub fn candidates<'c>(
    platform: Platform,
    catalog: &'c Catalog,
    a: &Assumptions,
) -> Result<Vec<Candidate<'c>>, EstimateError> {
    // One pass over the catalog instead of a search per name: the full catalog is ~1,400 types.
    let by_name: HashMap<&str, &'c InstanceType> =
        catalog.instance_types.iter().map(|t| (t.name.as_str(), t)).collect();
    let prices: HashMap<&str, &'c InstancePrice> = catalog
        .instance_prices
        .iter()
        .filter(|p| p.region == a.region)
        .map(|p| (p.instance_type.as_str(), p))
        .collect();
    let mut names: Vec<&str> = Vec::new();
    for wanted in &a.instance_types {
        if let Some(t) = by_name.get(wanted.as_str()) {
            names.push(t.name.as_str());
            continue;
        }
        let family: Vec<&str> = catalog
            .instance_types
            .iter()
            .filter(|t| t.name.split_once('.').is_some_and(|(f, _)| f == wanted))
            .map(|t| t.name.as_str())
            .collect();
        if family.is_empty() {
            let near = crate::explore::nearest(wanted, catalog.instance_types.iter().map(|t| t.name.as_str()), 3);
            return Err(EstimateError::UnknownInstanceType { name: wanted.clone(), nearest: near.join(", ") });
        }
        names.extend(family);
    }
    names.sort_unstable();
    names.dedup();
    let mut priced = 0;
    let mut wrong_arch: Option<&InstanceType> = None;
    let mut out = Vec::new();
    for name in names {
        let (Some(&instance), Some(&price)) = (by_name.get(name), prices.get(name)) else {
            continue;
        };
        priced += 1;
        if !instance.arch.is_some_and(|x| a.architectures.contains(&x)) {
            wrong_arch = wrong_arch.or(Some(instance));
            continue;
        }
        if let Some(node) = instance.shape().and_then(|shape| allocatable(shape, platform, a)) {
            if node.cpu_millicores > 0 && node.memory_mib > 0 && node.pods > 0 {
                out.push(Candidate { instance, price, allocatable: node, usable: usable(node, a.headroom) });
            }
        }
    }
    if priced == 0 {
        return Err(EstimateError::NoPricedCandidate { region: a.region.clone() });
    }
    if out.is_empty() {
        if let Some(t) = wrong_arch {
            let name = |x: Option<Arch>| match x {
                Some(Arch::X86_64) => "x86_64",
                Some(Arch::Arm64) => "arm64",
                None => "of unknown architecture",
            };
            return Err(EstimateError::ArchMismatch {
                allowed: a.architectures.iter().map(|x| name(Some(*x))).collect::<Vec<_>>().join(" or "),
                example: t.name.clone(),
                found: name(t.arch).into(),
            });
        }
    }
    Ok(out)
}

/// Plans `platform`'s compute for the demands. With `split_spot`, interruption-tolerant
/// processes get a pool of their own that the spot model may price at the spot discount.
pub fn plan<'c>(
    platform: Platform,
    demands: &[Demand],
    candidates: &[Candidate<'c>],
    a: &Assumptions,
    split_spot: bool,
) -> Result<ComputePlan<'c>, EstimateError> {
    plan_like(platform, demands, candidates, a, split_spot, None)
}

/// [`plan`], packing each mixed pool only the way `like` packed its counterpart, when given:
/// a what-if (the sensitivity's moved headroom) is then planned by the same method as the plan
/// it varies, with one packing per zone instead of a search.
pub fn plan_like<'c>(
    platform: Platform,
    demands: &[Demand],
    candidates: &[Candidate<'c>],
    a: &Assumptions,
    split_spot: bool,
    like: Option<&ComputePlan>,
) -> Result<ComputePlan<'c>, EstimateError> {
    if platform.is_fargate() {
        return fargate_plan(platform, demands);
    }
    let mut plan = ComputePlan::default();
    let mixed = a.mixed_instance_types && platform != Platform::Ec2;
    let mut add = |part: &[usize], spot: bool, serves: Option<String>| -> Result<(), EstimateError> {
        let refs: Vec<&Demand> = part.iter().map(|&i| &demands[i]).collect();
        if refs.iter().all(|d| d.replicas == 0) {
            return Ok(());
        }
        let (pool, packing, alternatives) = best_pool(&refs, candidates, a)?;
        plan.alternatives.push(alternatives);
        plan.parts.push(part.to_vec());
        let single_cost = pool.candidate.price.usd_per_hour * Decimal::from(pool.nodes());
        let mut nodes: Vec<(Candidate<'c>, PackedNode)> =
            packing.nodes.into_iter().map(|n| (pool.candidate, n)).collect();
        let mut pools = vec![Pool { spot, serves: serves.clone(), ..pool }];
        if mixed {
            let k = plan.mixed.len();
            let (search, spreads, repacks) = match like.and_then(|l| l.mixed.get(k)) {
                Some(c) => (Search::Like(&c.valuations), vec![c.spread], vec![c.repacked]),
                None => {
                    let replicas: u32 = refs.iter().map(|d| d.replicas).sum();
                    // Without a split search the two ways of mending differ little.
                    let repacks = if replicas <= SPLIT_SEARCH_REPLICAS { vec![false, true] } else { vec![true] };
                    if replicas <= SMALL_POOL_REPLICAS {
                        (
                            Search::Thorough(REFINE_STEPS_SMALL),
                            vec![Spread::Rotating, Spread::Balanced, Spread::BalancedAtDuals],
                            repacks,
                        )
                    } else {
                        (Search::Thorough(REFINE_STEPS), vec![Spread::Rotating], repacks)
                    }
                }
            };
            if let Some((m, choice)) = mixed_pools(&refs, candidates, a, search, &spreads, &repacks) {
                plan.mixed.push(choice);
                let cost: Decimal = m.iter().map(|(c, _)| c.price.usd_per_hour).sum();
                if cost < single_cost {
                    pools = pools_of(&m, a, spot, &serves);
                    nodes = m;
                }
            }
        }
        for (candidate, node) in nodes {
            plan.placements.push(Placement {
                candidate,
                zone: node.zone,
                items: node.items.iter().map(|&(g, n)| (part[g], n)).collect(),
                used: node.used,
                spot,
            });
        }
        plan.pools.extend(pools);
        Ok(())
    };
    if platform == Platform::Ec2 {
        for (i, d) in demands.iter().enumerate() {
            add(&[i], split_spot && d.interruption_tolerant, Some(format!("{}/{}", d.app, d.process)))?;
        }
    } else if split_spot && demands.iter().any(|d| d.interruption_tolerant && d.replicas > 0) {
        let (tolerant, steady): (Vec<usize>, Vec<usize>) =
            (0..demands.len()).partition(|&i| demands[i].interruption_tolerant);
        add(&steady, false, None)?;
        add(&tolerant, true, None)?;
    } else {
        let all: Vec<usize> = (0..demands.len()).collect();
        add(&all, false, None)?;
    }
    Ok(plan)
}

/// Node pools (one per type, counted per zone, spare nodes added) of a mixed packing.
fn pools_of<'c>(
    nodes: &[(Candidate<'c>, PackedNode)],
    a: &Assumptions,
    spot: bool,
    serves: &Option<String>,
) -> Vec<Pool<'c>> {
    let zones = a.availability_zones.max(1) as usize;
    let mut pools: Vec<Pool<'c>> = Vec::new();
    for (c, n) in nodes {
        let i = match pools.iter().position(|p| p.candidate.instance.name == c.instance.name) {
            Some(i) => i,
            None => {
                pools.push(Pool { candidate: *c, per_zone: vec![0; zones], spot, serves: serves.clone() });
                pools.len() - 1
            }
        };
        pools[i].per_zone[n.zone as usize] += 1;
    }
    if a.spare_node_per_zone {
        for z in 0..zones {
            // The spare is the zone's most numerous type, so it can stand in for most nodes.
            if let Some(p) = pools.iter_mut().filter(|p| p.per_zone[z] > 0).max_by_key(|p| p.per_zone[z]) {
                p.per_zone[z] += 1;
            }
        }
    }
    pools.sort_by(|x, y| x.candidate.instance.name.cmp(&y.candidate.instance.name));
    pools
}

/// Nodes of mixed types with what each holds.
type MixedNodes<'c> = Vec<(Candidate<'c>, PackedNode)>;

/// How a pool's replicas are spread over the zones before packing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spread {
    /// [`spread`]: the extra replicas of each process start one zone further on.
    Rotating,
    /// [`crate::packing::spread_balanced`]: the extra replicas go to the least loaded zones,
    /// a replica weighing its share of the pool's CPU plus its share of the memory.
    Balanced,
    /// The same, a replica weighing its worth at the LP's dual prices.
    BalancedAtDuals,
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
    pub repacked: bool,
}

/// The demands packed on mixed types (only types no other type beats on price and on both
/// usable resources); `None` when some replica fits no type.
///
/// The greedy packer's nodes are mended by [`crate::repack`] either as each zone is packed,
/// so the zone split is searched on mended costs, or once the split is settled on the greedy
/// costs; each way wins on some estates, so both are tried (`repacks`) and the cheaper kept.
/// Pools of up to [`SPLIT_SEARCH_REPLICAS`] replicas and [`crate::patterns::MAX_ITEMS`]
/// distinct requests are then covered zone by zone with whole node patterns, and their split
/// searched again on those costs ([`cover_split`]).
fn mixed_pools<'c>(
    demands: &[&Demand],
    candidates: &[Candidate<'c>],
    a: &Assumptions,
    search: Search,
    spreads: &[Spread],
    repacks: &[bool],
) -> Option<(MixedNodes<'c>, MixedChoice)> {
    let (kept, types) = node_types(candidates);
    let groups: Vec<ReplicaGroup> = demands.iter().map(|d| d.group()).collect();
    let zones = a.availability_zones.max(1);
    let (cpu, memory) = total(groups.iter().map(|g| (g.request, g.replicas)));
    // A replica weighs its share of the pool's CPU plus its share of the memory, or its worth
    // at the LP's dual prices (what the scarce resource costs).
    let shares = (1.0 / (cpu.max(1) as f64), 1.0 / (memory.max(1) as f64));
    let valuer = Valuer::new(&groups, &types);
    let duals = valuer.duals.unwrap_or(shares);
    let at =
        |rates: (f64, f64)| move |r: Request| f64::from(r.cpu_millicores) * rates.0 + f64::from(r.memory_mib) * rates.1;
    let cost = |nodes: &[(usize, PackedNode)]| crate::mixed::hourly_cost(&types, nodes);
    let replicas: u32 = groups.iter().map(|g| g.replicas).sum();
    // Found once for the pool: every zone's cover starts from these patterns.
    let cover = (replicas <= SPLIT_SEARCH_REPLICAS)
        .then(|| {
            let shapes = Shapes::of(&groups, zones);
            let caps: Vec<u32> =
                shapes.members.iter().map(|m| m.iter().map(|&p| groups[p].replicas.div_ceil(zones)).sum()).collect();
            crate::cover::Cover::new(&shapes.groups, &caps, &types)
        })
        .flatten();
    let attempt = |repack: bool| -> Option<(Shapes, crate::mixed::MixedPacking, Spread)> {
        let mut best: Option<(Shapes, crate::mixed::MixedPacking, Spread)> = None;
        for &s in spreads {
            let counts = match s {
                Spread::Rotating => spread(&groups, zones),
                Spread::Balanced => crate::packing::spread_balanced(&groups, zones, at(shares)),
                Spread::BalancedAtDuals => crate::packing::spread_balanced(&groups, zones, at(duals)),
            };
            let shapes = Shapes::from_counts(&groups, counts);
            let packing = pack_mixed_cheapest(&shapes.groups, &shapes.counts, &types, &valuer, search, repack)?;
            if best.as_ref().is_none_or(|b| cost(&packing.nodes) < cost(&b.1.nodes) - 1e-9) {
                best = Some((shapes, packing, s));
            }
        }
        let (mut shapes, mut packing, spread) = best?;
        if zones > 1 && replicas <= SPLIT_SEARCH_REPLICAS {
            (shapes, packing) = search_split(&groups, shapes, packing, &types, &valuer, search, repack);
        }
        if !repack {
            improve_zones(&shapes.groups, &types, zones, &mut packing.nodes);
        }
        Some((shapes, packing, spread))
    };
    let mut best: Option<(Shapes, crate::mixed::MixedPacking, Spread, bool)> = None;
    for &repack in repacks {
        let (shapes, packing, spread) = attempt(repack)?;
        if best.as_ref().is_none_or(|b| cost(&packing.nodes) < cost(&b.1.nodes) - 1e-9) {
            best = Some((shapes, packing, spread, repack));
        }
    }
    let (mut shapes, mut packing, spread, repacked) = best?;
    if let Some(cover) = &cover {
        (shapes, packing.nodes) = cover_split(&groups, shapes, std::mem::take(&mut packing.nodes), &types, cover);
    }
    let (types_of, packed): (Vec<usize>, Vec<PackedNode>) = packing.nodes.into_iter().unzip();
    let nodes = types_of.into_iter().zip(shapes.expand(packed)).map(|(t, n)| (candidates[kept[t]], n)).collect();
    Some((nodes, MixedChoice { spread, valuations: packing.valuations, repacked }))
}

/// The candidates no other beats on price and every capacity (usable CPU, memory and pods,
/// allocatable CPU and memory; a node's pods are the same at both), as the mixed packer and
/// the pattern bound take them: their indices and their node types. A beaten type never makes
/// a packing or a bound better, and dropping it shrinks every search over types.
fn node_types(candidates: &[Candidate]) -> (Vec<usize>, Vec<NodeType>) {
    let price = |c: &Candidate| c.price.usd_per_hour.to_f64().unwrap_or(f64::INFINITY);
    let keep = crate::bound::undominated_by(candidates, |c| {
        let (u, a) = (c.usable, c.allocatable);
        (price(c), [u.cpu_millicores, u.memory_mib, u.pods, a.cpu_millicores, a.memory_mib])
    });
    (0..candidates.len())
        .filter(|&i| keep[i])
        .map(|i| {
            let c = &candidates[i];
            (i, NodeType { usable: c.usable, allocatable: c.allocatable, usd_per_hour: price(c) })
        })
        .unzip()
}

/// [`crate::repack::improve_zone`] on each zone of a packing.
fn improve_zones(groups: &[ReplicaGroup], types: &[NodeType], zones: u32, nodes: &mut crate::mixed::TypedNodes) {
    for mut zone in by_zone(std::mem::take(nodes), zones as usize) {
        crate::repack::improve_zone(groups, types, &mut zone);
        nodes.extend(zone);
    }
}

/// Nodes grouped by their zone, in order within each.
fn by_zone(nodes: crate::mixed::TypedNodes, zones: usize) -> Vec<crate::mixed::TypedNodes> {
    let mut out: Vec<crate::mixed::TypedNodes> = vec![Vec::new(); zones];
    for n in nodes {
        out[n.1.zone as usize].push(n);
    }
    out
}

/// Pools of at most this many replicas also search the zone split ([`search_split`]).
const SPLIT_SEARCH_REPLICAS: u32 = 300;

/// Passes over the processes [`search_split`] makes at most.
const SPLIT_PASSES: usize = 4;

/// Moves single replicas between zones while that makes the two zones cheaper, each zone
/// repacked with the valuation it chose (and mended, with `repack`); then, if anything moved,
/// packs every zone of the new split as the pool's search does and keeps that if cheaper. A move keeps the spread's rule
/// that a zone holds ⌊r/N⌋ or ⌈r/N⌉ of a process's r replicas: it hands one process's extra
/// replica from one zone to another without one. On small estates the split decides much of
/// the cost, since each zone rounds its share of a few large replicas up to whole nodes; a
/// fixed spread cannot see which zone a replica fits best.
fn search_split(
    groups: &[ReplicaGroup],
    mut shapes: Shapes,
    packing: crate::mixed::MixedPacking,
    types: &[NodeType],
    valuer: &Valuer,
    search: Search,
    repack: bool,
) -> (Shapes, crate::mixed::MixedPacking) {
    use crate::mixed::{hourly_cost, pack_zone};
    let zones = shapes.process_counts.first().map_or(1, Vec::len);
    let valuations = packing.valuations.clone();
    let mut by_zone = by_zone(packing.nodes.clone(), zones);
    let mut cost: Vec<f64> = by_zone.iter().map(|z| hourly_cost(types, z)).collect();
    let mut counts = shapes.process_counts.clone();
    let mut moved_any = false;
    for _ in 0..SPLIT_PASSES {
        let mut improved = false;
        for p in 0..groups.len() {
            for (from, to) in (0..zones).flat_map(|f| (0..zones).map(move |t| (f, t))) {
                // Only an extra replica moves, to a zone without one.
                if counts[p][from] <= counts[p][to] {
                    continue;
                }
                counts[p][from] -= 1;
                counts[p][to] += 1;
                let moved = Shapes::from_counts(groups, counts.clone());
                let repack = |z: usize| {
                    let v = valuations.get(z).copied().unwrap_or(crate::mixed::VALUATIONS[0]);
                    let mut nodes = pack_zone(&moved.groups, &moved.counts, z as u32, types, valuer.worth(v))?;
                    if repack {
                        crate::repack::improve_zone(&moved.groups, types, &mut nodes);
                    }
                    Some(nodes)
                };
                let repacked = repack(from).zip(repack(to)).map(|(a, b)| {
                    let costs = (hourly_cost(types, &a), hourly_cost(types, &b));
                    (a, b, costs)
                });
                match repacked {
                    Some((a, b, (ca, cb))) if ca + cb < cost[from] + cost[to] - 1e-9 => {
                        (cost[from], cost[to]) = (ca, cb);
                        (by_zone[from], by_zone[to]) = (a, b);
                        shapes = moved;
                        (improved, moved_any) = (true, true);
                    }
                    _ => {
                        counts[p][from] += 1;
                        counts[p][to] -= 1;
                    }
                }
            }
        }
        if !improved {
            break;
        }
    }
    if !moved_any {
        return (shapes, packing);
    }
    let found = crate::mixed::MixedPacking { nodes: by_zone.into_iter().flatten().collect(), valuations };
    match pack_mixed_cheapest(&shapes.groups, &shapes.counts, types, valuer, search, repack) {
        Some(again) if hourly_cost(types, &again.nodes) < hourly_cost(types, &found.nodes) - 1e-9 => (shapes, again),
        _ => (shapes, found),
    }
}

/// Passes of [`cover_split`] at most.
const COVER_SPLIT_PASSES: usize = 2;

/// Covers each zone with whole node patterns ([`crate::cover::Cover`]), then moves a process's
/// extra replica to a zone without one where covering both zones again costs less, as
/// [`search_split`] does with the greedy packer: once zones are covered near their best, which
/// zone takes a replica is what is left to decide.
fn cover_split(
    groups: &[ReplicaGroup],
    shapes: Shapes,
    nodes: crate::mixed::TypedNodes,
    types: &[NodeType],
    cover: &crate::cover::Cover,
) -> (Shapes, crate::mixed::TypedNodes) {
    use crate::mixed::hourly_cost;
    let zones = shapes.process_counts.first().map_or(1, Vec::len);
    let mut by_zone = by_zone(nodes, zones);
    for zone in &mut by_zone {
        cover.improve(&shapes.groups, types, zone, true);
    }
    let mut cost: Vec<f64> = by_zone.iter().map(|z| hourly_cost(types, z)).collect();
    let mut counts = shapes.process_counts.clone();
    let sizes = crate::repack::Sizes::new(types);
    let shape_groups = shapes.groups.clone();
    let mut changed = vec![false; zones];
    for _ in 0..COVER_SPLIT_PASSES {
        let mut improved = false;
        // A move acts on a shape: one try per shape and pair of zones, charged to a process of
        // that shape with an extra replica where the other zone has none.
        for (s, members) in shapes.members.iter().enumerate() {
            let request = shape_groups[s].request;
            for (from, to) in (0..zones).flat_map(|f| (0..zones).map(move |t| (f, t))) {
                let Some(p) = members.iter().copied().find(|&p| counts[p][from] > counts[p][to]) else {
                    continue;
                };
                // The zone giving: one replica out of the node left cheapest without it.
                let mut best: Option<(f64, crate::mixed::TypedNodes)> = None;
                for i in 0..by_zone[from].len() {
                    let mut a = by_zone[from].clone();
                    match a[i].1.remove_one(s, request) {
                        None => continue,
                        Some(false) => {
                            a.swap_remove(i);
                        }
                        Some(true) => {
                            if let Some((t, alone)) = sizes.cheapest_holding(a[i].1.used) {
                                (a[i].0, a[i].1.alone) = (t, alone);
                            }
                        }
                    }
                    let c = hourly_cost(types, &a);
                    if best.as_ref().is_none_or(|b| c < b.0 - 1e-9) {
                        best = Some((c, a));
                    }
                }
                let Some((_, mut a)) = best else { continue };
                // The zone taking: the replica on a node of its own, then mended.
                let mut node = PackedNode::single(to as u32, s, request);
                let Some((t, alone)) = sizes.cheapest_holding(node.used) else { continue };
                node.alone = alone;
                let mut b = by_zone[to].clone();
                b.push((t, node));
                for z in [&mut a, &mut b] {
                    crate::repack::improve_zone(&shape_groups, types, z);
                    cover.improve(&shape_groups, types, z, false);
                }
                let (ca, cb) = (hourly_cost(types, &a), hourly_cost(types, &b));
                if ca + cb < cost[from] + cost[to] - 1e-9 {
                    (cost[from], cost[to]) = (ca, cb);
                    (by_zone[from], by_zone[to]) = (a, b);
                    counts[p][from] -= 1;
                    counts[p][to] += 1;
                    (changed[from], changed[to], improved) = (true, true, true);
                }
            }
        }
        if !improved {
            break;
        }
    }
    // The zones that changed, covered once more with their own patterns and prices.
    for (zone, _) in by_zone.iter_mut().zip(&changed).filter(|(_, &c)| c) {
        cover.improve(&shape_groups, types, zone, true);
    }
    let moved_any = changed.iter().any(|&c| c);
    let nodes = by_zone.into_iter().flatten().collect();
    if !moved_any {
        return (shapes, nodes);
    }
    (Shapes::from_counts(groups, counts), nodes)
}

/// The cheapest single-type pool for these demands, and the LP bound of their on-demand cost
/// per hour. Types are tried in order of a per-type lower bound and the search stops once that
/// bound exceeds the best plan found, so a large catalog costs little more than a short list.
fn best_pool<'c>(
    demands: &[&Demand],
    candidates: &[Candidate<'c>],
    a: &Assumptions,
) -> Result<(Pool<'c>, Packing, Vec<Alternative>), EstimateError> {
    let groups: Vec<ReplicaGroup> = demands.iter().map(|d| d.group()).collect();
    let shapes = Shapes::of(&groups, a.availability_zones.max(1));
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
            (c.price.usd_per_hour * Decimal::from(nodes), c)
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
        if tried.len() >= MAX_TYPES_PACKED || (beaten && tried.len() >= ALTERNATIVES) {
            break;
        }
        let Ok(packing) = pack_counts(&shapes.groups, &shapes.counts, c.usable, c.allocatable) else { continue };
        let per_zone: Vec<u32> =
            packing.nodes_per_zone.iter().map(|&n| n + u32::from(a.spare_node_per_zone && n > 0)).collect();
        let count: u32 = per_zone.iter().sum();
        let cost = c.price.usd_per_hour * Decimal::from(count);
        tried.push(Alternative { instance_type: c.instance.name.clone(), nodes: count, usd_per_hour: cost });
        if best.as_ref().is_none_or(|b| (cost, count) < (b.0, b.1)) {
            best = Some((cost, count, Pool { candidate: *c, per_zone, spot: false, serves: None }, packing));
        }
    }
    let (_, _, pool, mut packing) = best.expect("a candidate that fits every replica packs them");
    packing.nodes = shapes.expand(std::mem::take(&mut packing.nodes));
    tried.sort_by_key(|x| (x.usd_per_hour, x.nodes));
    tried.truncate(ALTERNATIVES);
    Ok((pool, packing, tried))
}

/// A lower bound on the hourly cost of any plan the packers make: the larger of the bound of
/// the whole demand ([`demand_bound`]) and the sum over the zones of what each zone must cost
/// on its own. No zone may take more than ⌈r/N⌉ of a process's r replicas, so each of the N
/// zones holds at least r − (N−1)·⌈r/N⌉ of them whatever the split: a zone costs at least the
/// bound of that least demand, and at least one node able to hold any replica it must take.
/// A zone that holds anything costs at least the cheapest node that holds a replica, and at
/// least ⌈r/⌈r/N⌉⌉ zones hold some of a process. Every part holds for any split, so the bound
/// needs no search over splits. With a spare node per zone, each zone that holds anything adds
/// at least the cheapest node on top.
fn sound_bound(groups: &[ReplicaGroup], candidates: &[Candidate], zones: u32, spare: bool) -> Option<f64> {
    let types = BoundTypes::new(candidates);
    let zones = zones.max(1);
    // No node holds more of a process than its zone does.
    let zone_caps: Vec<u32> = groups.iter().map(|g| g.replicas.div_ceil(zones)).collect();
    let whole = demand_bound(groups, &zone_caps, &types)?;
    let least: Vec<ReplicaGroup> = groups
        .iter()
        .map(|g| ReplicaGroup {
            request: g.request,
            replicas: g.replicas.saturating_sub((zones - 1) * g.replicas.div_ceil(zones)),
        })
        .collect();
    let cheapest_holding = |r: Request| {
        candidates
            .iter()
            .zip(&types.prices)
            .filter(|(c, _)| c.allocatable.holds(r))
            .map(|(_, &p)| p)
            .fold(f64::INFINITY, f64::min)
    };
    let placed = groups.iter().filter(|g| g.replicas > 0);
    // Every replica needs some node; the cheapest node holding the smallest-priced one.
    let any_node = placed.clone().map(|g| cheapest_holding(g.request)).fold(f64::INFINITY, f64::min);
    if !any_node.is_finite() {
        return Some(whole);
    }
    let occupied = placed.map(|g| g.replicas.div_ceil(g.replicas.div_ceil(zones))).max().unwrap_or(0).min(zones);
    let forced = least.iter().filter(|g| g.replicas > 0).map(|g| cheapest_holding(g.request)).fold(0.0f64, f64::max);
    let least_caps: Vec<u32> = least.iter().map(|g| g.replicas).collect();
    let each = if forced > 0.0 { demand_bound(&least, &least_caps, &types).unwrap_or(0.0).max(forced) } else { 0.0 };
    let spares =
        if spare { f64::from(occupied) * types.prices.iter().copied().fold(f64::INFINITY, f64::min) } else { 0.0 };
    let zoned = f64::from(occupied) * each.max(any_node) + f64::from(zones - occupied) * each;
    Some(whole.max(zoned) + spares)
}

/// What the bound needs of the candidates, prepared once for the whole demand and for each
/// zone's least share.
struct BoundTypes<'a, 'c> {
    candidates: &'a [Candidate<'c>],
    /// USD per hour of each candidate.
    prices: Vec<f64>,
    /// Each candidate at its allocatable capacity, and at its usable share.
    allocatable: Vec<BinType>,
    usable: Vec<BinType>,
    /// Candidates no other beats on price, usable CPU and memory: beaten on the slots of a CPU
    /// or memory class too, so those classes need only these.
    kept: Vec<bool>,
    /// The candidates no other beats on price and every capacity, as the pattern bound takes
    /// them.
    nodes: Vec<NodeType>,
}

impl<'a, 'c> BoundTypes<'a, 'c> {
    fn new(candidates: &'a [Candidate<'c>]) -> Self {
        let prices: Vec<f64> =
            candidates.iter().map(|c| c.price.usd_per_hour.to_f64().unwrap_or(f64::INFINITY)).collect();
        let bins = |cap: fn(&Candidate) -> Allocatable| -> Vec<BinType> {
            candidates
                .iter()
                .zip(&prices)
                .map(|(c, &usd_per_hour)| BinType {
                    usd_per_hour,
                    cpu_millicores: cap(c).cpu_millicores,
                    memory_mib: cap(c).memory_mib,
                })
                .collect()
        };
        let (allocatable, usable) = (bins(|c| c.allocatable), bins(|c| c.usable));
        let kept = crate::bound::undominated_by(&usable, |b| (b.usd_per_hour, [b.cpu_millicores, b.memory_mib]));
        let (_, nodes) = node_types(candidates);
        BoundTypes { candidates, prices, allocatable, usable, kept, nodes }
    }
}

/// A lower bound on the hourly cost of nodes holding `groups`, zones aside. Ordinary nodes hold
/// at most their usable share; a node may exceed it only to hold one replica that is larger
/// than the usable share of its type, alone. With prices (λc, λm) per unit of usable capacity
/// that no type's price undercuts, an ordinary node costs at least the value λ·r of the
/// replicas it holds, and a replica alone costs at least the cheapest type it may be alone on;
/// so any plan costs at least Σ replicas × min(λ·r, alone price). At the LP's dual prices this
/// is the LP bound itself when no replica needs a node alone. Counting whole replicas tightens
/// it ([`slotted_dual_bound`]): a node holds only so many pods, and only so many replicas at
/// least so large in one resource. The LP bound at full allocatable capacity is sound too, and
/// so is the LP over whole node patterns ([`crate::patterns`]) for a few shapes, no node
/// holding more than `caps` of a group; the largest of them all is kept.
fn demand_bound(groups: &[ReplicaGroup], caps: &[u32], types: &BoundTypes) -> Option<f64> {
    let (cpu, memory) = total(groups.iter().map(|g| (g.request, g.replicas)));
    let at_allocatable = lp_lower_bound(cpu, memory, &types.allocatable)?;
    let placed: Vec<&ReplicaGroup> = groups.iter().filter(|g| g.replicas > 0).collect();
    // A replica's value is linear in the prices unless it may sit alone, when it is capped at
    // the cheapest type it may be alone on: the linear ones are summed once.
    let (mut linear_cpu, mut linear_memory) = (0.0, 0.0);
    let mut linear: Vec<(Request, f64)> = Vec::new();
    let mut capped: Vec<(Request, f64, f64)> = Vec::new();
    for g in &placed {
        let alone = types
            .candidates
            .iter()
            .zip(&types.usable)
            .filter(|(c, _)| !c.usable.holds(g.request) && c.allocatable.holds(g.request))
            .map(|(_, b)| b.usd_per_hour)
            .fold(f64::INFINITY, f64::min);
        let k = f64::from(g.replicas);
        if alone.is_finite() {
            capped.push((g.request, k, alone));
        } else {
            linear_cpu += k * f64::from(g.request.cpu_millicores);
            linear_memory += k * f64::from(g.request.memory_mib);
            linear.push((g.request, k));
        }
    }
    // Σ replicas × min(λ·r + μ for a class member, alone price); `members` counts the class's
    // replicas among the linear ones.
    let value = |lc: f64, lm: f64, mu: f64, members: f64, member: &dyn Fn(Request) -> bool| -> f64 {
        lc * linear_cpu
            + lm * linear_memory
            + mu * members
            + capped
                .iter()
                .map(|&(r, k, alone)| {
                    let v = lc * f64::from(r.cpu_millicores)
                        + lm * f64::from(r.memory_mib)
                        + if member(r) { mu } else { 0.0 };
                    v.min(alone) * k
                })
                .sum::<f64>()
    };
    let mut best = at_allocatable;
    if let Some((lc, lm)) = lp_dual_prices(cpu, memory, &types.usable) {
        best = best.max(value(lc, lm, 0.0, 0.0, &|_| false));
    }
    for class in slot_classes(&placed, types.candidates) {
        let slotted: Vec<SlottedType> = types
            .candidates
            .iter()
            .zip(&types.usable)
            .zip(&types.kept)
            .filter(|(_, &k)| k || matches!(class, SlotClass::Pods))
            .map(|((c, &bin), _)| SlottedType { bin, slots: class.slots(c.usable) })
            .collect();
        let members: f64 = linear.iter().filter(|(r, _)| class.holds(*r)).map(|(_, k)| k).sum();
        let member = |r: Request| class.holds(r);
        if let Some(b) = slotted_dual_bound(&slotted, |lc, lm, mu| value(lc, lm, mu, members, &member)) {
            best = best.max(b);
        }
    }
    // One item per shape: the groups asking the same share a node limit of their sum.
    let mut items: Vec<crate::patterns::Item> = Vec::new();
    for (g, &cap) in groups.iter().zip(caps).filter(|(g, _)| g.replicas > 0) {
        match items.iter_mut().find(|i| i.request == g.request) {
            Some(i) => {
                i.replicas += g.replicas;
                i.per_node = (i.per_node + cap).min(i.replicas);
            }
            None => items.push(crate::patterns::Item {
                request: g.request,
                replicas: g.replicas,
                per_node: cap.min(g.replicas),
            }),
        }
        if items.len() > crate::patterns::MAX_ITEMS {
            break;
        }
    }
    if let Some(b) = crate::patterns::pattern_bound(&items, &types.nodes) {
        best = best.max(b);
    }
    Some(best)
}

/// A class of replicas a node can hold only so many of: every replica (a node's pod limit), or
/// the replicas asking at least so much of one resource (its usable amount over that).
#[derive(Debug, Clone, Copy)]
enum SlotClass {
    Pods,
    Cpu(u32),
    Memory(u32),
}

impl SlotClass {
    fn holds(self, r: Request) -> bool {
        match self {
            SlotClass::Pods => true,
            SlotClass::Cpu(at_least) => r.cpu_millicores >= at_least,
            SlotClass::Memory(at_least) => r.memory_mib >= at_least,
        }
    }

    fn slots(self, usable: Allocatable) -> u32 {
        match self {
            SlotClass::Pods => usable.pods,
            SlotClass::Cpu(at_least) => usable.cpu_millicores / at_least.max(1),
            SlotClass::Memory(at_least) => usable.memory_mib / at_least.max(1),
        }
    }
}

/// The classes worth counting: pods, and in each resource the few largest requests as
/// thresholds, where whole replicas waste the most of a node.
fn slot_classes(placed: &[&ReplicaGroup], candidates: &[Candidate]) -> Vec<SlotClass> {
    let largest = |of: fn(Request) -> u32| -> Vec<u32> {
        let mut sizes: Vec<u32> = placed.iter().map(|g| of(g.request)).filter(|&x| x > 0).collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        sizes.dedup();
        sizes.truncate(SLOT_THRESHOLDS);
        sizes
    };
    let mut classes = Vec::new();
    // ECS counts no pods (no limit): only EKS's pod limits can bind.
    if candidates.iter().any(|c| c.usable.pods < u32::MAX) {
        classes.push(SlotClass::Pods);
    }
    classes.extend(largest(|r| r.cpu_millicores).into_iter().map(SlotClass::Cpu));
    classes.extend(largest(|r| r.memory_mib).into_iter().map(SlotClass::Memory));
    classes
}

/// Request sizes per resource tried as slot-class thresholds by the lower bound.
const SLOT_THRESHOLDS: usize = 3;

/// Steps of the local search for each zone's valuation of a mixed pool.
const REFINE_STEPS: usize = 4;

/// Pools of at most this many replicas pack quickly, so they search longer: small estates
/// are where whole nodes leave the most room between a plan and the bound.
const SMALL_POOL_REPLICAS: u32 = 2_000;

/// Steps of the local search for a small pool.
const REFINE_STEPS_SMALL: usize = 16;

/// At most this many single types are packed per pool, cheapest bound first.
const MAX_TYPES_PACKED: usize = 12;

/// Single-type plans kept per pool, to show what else would do.
const ALTERNATIVES: usize = 5;

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

/// Processes with the same request packed as one shape: real estates run many processes on a
/// handful of dyno sizes, so the packers work on shapes (bounded) rather than processes, and
/// the replicas are handed back to their processes afterwards. Each process is spread over the
/// zones on its own first, so zone spread holds per process.
struct Shapes {
    /// One group per distinct request, with all its replicas.
    groups: Vec<ReplicaGroup>,
    /// Replicas of each shape per zone.
    counts: Vec<Vec<u32>>,
    /// The processes (group positions) of each shape.
    members: Vec<Vec<usize>>,
    /// Replicas of each process per zone.
    process_counts: Vec<Vec<u32>>,
}

impl Shapes {
    fn of(groups: &[ReplicaGroup], zones: u32) -> Shapes {
        Shapes::from_counts(groups, spread(groups, zones))
    }

    /// The shapes of `groups` with each process's replicas per zone given.
    fn from_counts(groups: &[ReplicaGroup], process_counts: Vec<Vec<u32>>) -> Shapes {
        let zones = process_counts.first().map_or(1, |c| c.len().max(1));
        let mut index: HashMap<(u32, u32), usize> = HashMap::new();
        let mut shapes = Shapes { groups: Vec::new(), counts: Vec::new(), members: Vec::new(), process_counts };
        for (p, g) in groups.iter().enumerate() {
            let s = *index.entry((g.request.cpu_millicores, g.request.memory_mib)).or_insert_with(|| {
                shapes.groups.push(ReplicaGroup { request: g.request, replicas: 0 });
                shapes.counts.push(vec![0; zones]);
                shapes.members.push(Vec::new());
                shapes.groups.len() - 1
            });
            shapes.groups[s].replicas += g.replicas;
            for (z, n) in shapes.process_counts[p].iter().enumerate() {
                shapes.counts[s][z] += n;
            }
            shapes.members[s].push(p);
        }
        shapes
    }

    /// The nodes with their shapes' replicas handed to processes, zone by zone.
    fn expand(&self, nodes: Vec<PackedNode>) -> Vec<PackedNode> {
        let mut left = self.process_counts.clone();
        let mut cursor: Vec<Vec<usize>> = self.counts.iter().map(|c| vec![0; c.len()]).collect();
        nodes
            .into_iter()
            .map(|node| {
                let z = node.zone as usize;
                let mut items = Vec::new();
                for &(shape, mut k) in &node.items {
                    let members = &self.members[shape];
                    while k > 0 {
                        let p = members[cursor[shape][z]];
                        let take = k.min(left[p][z]);
                        if take > 0 {
                            items.push((p, take));
                            left[p][z] -= take;
                            k -= take;
                        }
                        if left[p][z] == 0 {
                            cursor[shape][z] += 1;
                        }
                    }
                }
                PackedNode { items, ..node }
            })
            .collect()
    }
}

fn fargate_plan<'c>(platform: Platform, demands: &[Demand]) -> Result<ComputePlan<'c>, EstimateError> {
    let mut tasks = Vec::new();
    for d in demands.iter().filter(|d| d.replicas > 0) {
        let mut request = d.request;
        if platform == Platform::EksFargate {
            request.memory_mib += EKS_FARGATE_OVERHEAD_MIB;
        }
        let size = task_size(request).ok_or_else(|| EstimateError::FitsNowhere {
            app: d.app.into(),
            process: d.process.into(),
            cpu_millicores: d.request.cpu_millicores,
            memory_mib: d.request.memory_mib,
        })?;
        tasks.push(Tasks { serves: format!("{}/{}", d.app, d.process), size, replicas: d.replicas });
    }
    Ok(ComputePlan { tasks, ..ComputePlan::default() })
}
