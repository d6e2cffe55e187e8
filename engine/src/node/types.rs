//! The node types a pool may open, priced, and the small questions every stage asks of them:
//! what nodes cost, which type is the cheapest that holds a use, which types no other beats.

use super::allocatable::Allocatable;
use super::packed::PackedNode;

/// A node type the packer may open: usable and allocatable capacity and its price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NodeType {
    /// What the packer fills (allocatable times the headroom).
    pub usable: Allocatable,
    /// What a single oversized replica may use.
    pub allocatable: Allocatable,
    /// The on-demand price per node-hour as a float, for the searches' arithmetic: money is
    /// always summed from the catalog's exact price, never from this.
    pub cost_per_hour: f64,
}

/// Nodes by type index, as the mixed packers return them.
pub type TypedNodes = Vec<(usize, PackedNode)>;

/// What nodes of these types cost together, USD per hour.
pub fn hourly_cost(types: &[NodeType], nodes: &[(usize, PackedNode)]) -> f64 {
    nodes.iter().map(|(t, _)| types[*t].cost_per_hour).sum()
}

/// The types by price, to find the cheapest that holds a given use.
pub(crate) struct ByPrice<'t> {
    pub(crate) types: &'t [NodeType],
    pub(crate) by_price: Vec<usize>,
}

impl<'t> ByPrice<'t> {
    pub(crate) fn new(types: &'t [NodeType]) -> Self {
        let mut by_price: Vec<usize> = (0..types.len()).collect();
        by_price.sort_by(|&a, &b| types[a].cost_per_hour.total_cmp(&types[b].cost_per_hour).then(a.cmp(&b)));
        ByPrice { types, by_price }
    }

    pub(crate) fn price(&self, t: usize) -> f64 {
        self.types[t].cost_per_hour
    }

    /// The cheapest type that holds `used`: within its usable capacity, or a single replica
    /// within its allocatable (alone), with whether it is alone there.
    pub(crate) fn cheapest_holding(&self, used: Allocatable) -> Option<(usize, bool)> {
        self.by_price.iter().find_map(|&t| holds(&self.types[t], used).map(|alone| (t, alone)))
    }
}

/// Whether a node of type `ty` holds `used`: `Some(false)` within its usable capacity,
/// `Some(true)` for one replica beyond it but within allocatable, `None` otherwise.
pub(crate) fn holds(ty: &NodeType, used: Allocatable) -> Option<bool> {
    let within = |cap: Allocatable| {
        used.cpu_millicores <= cap.cpu_millicores && used.memory_mib <= cap.memory_mib && used.pods <= cap.pods
    };
    if within(ty.usable) {
        Some(false)
    } else if used.pods == 1 && within(ty.allocatable) {
        Some(true)
    } else {
        None
    }
}

/// Nodes grouped by their zone, in order within each.
pub(crate) fn by_zone(nodes: TypedNodes, zones: usize) -> Vec<TypedNodes> {
    let mut out: Vec<TypedNodes> = vec![Vec::new(); zones];
    for n in nodes {
        out[n.1.zone as usize].push(n);
    }
    out
}

/// Which items no other item beats: one that costs no more and offers at least as much of every
/// capacity (`key` gives the price and the capacities) beats an item when it is cheaper or
/// offers more of something, or, for exact equals, comes first. Types so beaten never make a
/// plan or a bound better, and dropping them shrinks every search over types.
pub(crate) fn undominated_by<T, const N: usize>(items: &[T], key: impl Fn(&T) -> (f64, [u32; N])) -> Vec<bool> {
    let keys: Vec<(f64, [u32; N])> = items.iter().map(&key).collect();
    keys.iter()
        .enumerate()
        .map(|(i, (price, caps))| {
            !keys.iter().enumerate().any(|(j, (p, c))| {
                j != i
                    && p <= price
                    && c.iter().zip(caps).all(|(x, y)| x >= y)
                    && (p < price || c.iter().zip(caps).any(|(x, y)| x > y) || j < i)
            })
        })
        .collect()
}

/// The types no other beats on price and every capacity (usable CPU, memory and pods,
/// allocatable CPU and memory; a node's pods are the same at both): their indices and the
/// types. A beaten type never makes a packing or a bound better, and dropping it shrinks every
/// search over types.
pub(crate) fn undominated_types(types: &[NodeType]) -> (Vec<usize>, Vec<NodeType>) {
    let keep = undominated_by(types, |t| {
        let (u, a) = (t.usable, t.allocatable);
        (t.cost_per_hour, [u.cpu_millicores, u.memory_mib, u.pods, a.cpu_millicores, a.memory_mib])
    });
    (0..types.len()).filter(|&i| keep[i]).map(|i| (i, types[i])).unzip()
}
