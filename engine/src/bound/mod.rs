//! Lower bounds on what any node plan can cost, so the report can say how far a plan is from
//! the best possible. Five bounds, each sound on its own; the largest is kept:
//!
//! 1. `lp.rs`: the LP relaxation over CPU and memory, at the types' allocatable capacity;
//! 2. its dual prices, made sound for replicas that need a node alone;
//! 3. `slotted.rs`: the duals with whole replicas counted (a node's pod limit, and how many
//!    replicas at least so large in one resource it holds);
//! 4. `patterns.rs`: the LP over whole node patterns, for pools of a few distinct requests;
//! 5. zone composition (`sound_bound`, here): each zone must hold its least share of every process
//!    on whole nodes, plus its spare when asked for.

pub(crate) mod lp;
pub(crate) mod patterns;
pub(crate) mod slotted;

use crate::effort::PATTERN_MAX_ITEMS;
use crate::node::{undominated_by, undominated_types, Allocatable, NodeType, ReplicaGroup};
use crate::sizing::{total, Request};
use lp::{lp_dual_prices, lp_lower_bound, BinType};
use slotted::{slot_classes, slotted_dual_bound, SlotClass, SlottedType};

/// A lower bound on the hourly cost of any plan the packers make: the larger of the bound of
/// the whole demand ([`demand_bound`]) and the sum over the zones of what each zone must cost
/// on its own. No zone may take more than ⌈r/N⌉ of a process's r replicas, so each of the N
/// zones holds at least r − (N−1)·⌈r/N⌉ of them whatever the split: a zone costs at least the
/// bound of that least demand, and at least one node able to hold any replica it must take.
/// A zone that holds anything costs at least the cheapest node that holds a replica, and at
/// least ⌈r/⌈r/N⌉⌉ zones hold some of a process. Every part holds for any split, so the bound
/// needs no search over splits. With a spare node per zone, each zone that holds anything adds
/// at least the cheapest node on top.
pub(crate) fn sound_bound(groups: &[ReplicaGroup], node_types: &[NodeType], zones: u32, spare: bool) -> Option<f64> {
    let types = BoundTypes::new(node_types);
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
        node_types
            .iter()
            .zip(&types.prices)
            .filter(|(t, _)| t.allocatable.holds(r))
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

/// What the bound needs of the node types, prepared once for the whole demand and for each
/// zone's least share.
struct BoundTypes<'a> {
    types: &'a [NodeType],
    /// USD per hour of each type.
    prices: Vec<f64>,
    /// Each type at its allocatable capacity, and at its usable share.
    allocatable: Vec<BinType>,
    usable: Vec<BinType>,
    /// Types no other beats on price, usable CPU and memory: beaten on the slots of a CPU
    /// or memory class too, so those classes need only these.
    kept: Vec<bool>,
    /// The types no other beats on price and every capacity, as the pattern bound takes
    /// them.
    nodes: Vec<NodeType>,
}

impl<'a> BoundTypes<'a> {
    fn new(types: &'a [NodeType]) -> Self {
        let prices: Vec<f64> = types.iter().map(|t| t.cost_per_hour).collect();
        let bins = |cap: fn(&NodeType) -> Allocatable| -> Vec<BinType> {
            types
                .iter()
                .zip(&prices)
                .map(|(c, &cost_per_hour)| BinType {
                    cost_per_hour,
                    cpu_millicores: cap(c).cpu_millicores,
                    memory_mib: cap(c).memory_mib,
                })
                .collect()
        };
        let (allocatable, usable) = (bins(|c| c.allocatable), bins(|c| c.usable));
        let kept = undominated_by(&usable, |b| (b.cost_per_hour, [b.cpu_millicores, b.memory_mib]));
        let (_, nodes) = undominated_types(types);
        BoundTypes { types, prices, allocatable, usable, kept, nodes }
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
/// so is the LP over whole node patterns ([`patterns`]) for a few shapes, no node
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
            .types
            .iter()
            .zip(&types.usable)
            .filter(|(c, _)| !c.usable.holds(g.request) && c.allocatable.holds(g.request))
            .map(|(_, b)| b.cost_per_hour)
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
    for class in slot_classes(&placed, types.types) {
        let slotted: Vec<SlottedType> = types
            .types
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
    let mut items: Vec<patterns::Item> = Vec::new();
    for (g, &cap) in groups.iter().zip(caps).filter(|(g, _)| g.replicas > 0) {
        match items.iter_mut().find(|i| i.request == g.request) {
            Some(i) => {
                i.replicas += g.replicas;
                i.per_node = (i.per_node + cap).min(i.replicas);
            }
            None => {
                items.push(patterns::Item { request: g.request, replicas: g.replicas, per_node: cap.min(g.replicas) })
            }
        }
        if items.len() > PATTERN_MAX_ITEMS {
            break;
        }
    }
    if let Some(b) = patterns::pattern_bound(&items, &types.nodes) {
        best = best.max(b);
    }
    Some(best)
}
