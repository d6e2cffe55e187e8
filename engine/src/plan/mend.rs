//! Stage 5: mending. Local search over one zone's nodes of mixed types, after the greedy packer: two nodes merged
//! into one no dearer node; a node emptied into the others' free room, a recipient resized to
//! a larger type when that costs less than the node it replaces; or a node shrunk to a cheaper
//! type once what no longer fits has moved out that way. The greedy packer opens each
//! node for the largest replica left and fills it, so a zone's last nodes are often part-empty
//! and of a type chosen for what happened to be left; on a small estate those nodes are a large
//! part of the cost.

use crate::effort::{MEND_MAX_NODES, MEND_SHRINK_TYPES};
use crate::node::{by_zone, holds, plus, times, Allocatable, ByPrice, NodeType, PackedNode, ReplicaGroup, TypedNodes};
use crate::sizing::Request;

/// Improves one zone's nodes in place; the cost never rises, every replica stays placed and
/// no node exceeds what its type allows (usable capacity, or allocatable for one replica
/// alone).
pub fn mend_zone(groups: &[ReplicaGroup], types: &[NodeType], nodes: &mut TypedNodes) {
    if nodes.len() < 2 || nodes.len() > MEND_MAX_NODES {
        return;
    }
    let sizes = ByPrice::new(types);
    // Merging and emptying take a node away and shrinking lowers the cost, so this ends; the
    // cap only bounds the time.
    for _ in 0..4 * nodes.len() + 16 {
        if !(merge_pair(groups, &sizes, nodes)
            || empty_node(groups, &sizes, nodes)
            || shrink_node(groups, &sizes, nodes))
        {
            break;
        }
    }
}

fn one(r: Request) -> Allocatable {
    times(r, 1)
}

/// [`mend_zone`] on each zone of a packing.
pub(super) fn mend_zones(groups: &[ReplicaGroup], types: &[NodeType], zones: u32, nodes: &mut TypedNodes) {
    for mut zone in by_zone(std::mem::take(nodes), zones as usize) {
        super::mend::mend_zone(groups, types, &mut zone);
        nodes.extend(zone);
    }
}

/// Replaces the first pair of nodes that one node of some type holds for less than the two
/// cost; whether one was found.
fn merge_pair(groups: &[ReplicaGroup], sizes: &ByPrice, nodes: &mut TypedNodes) -> bool {
    for i in 0..nodes.len() {
        for j in i + 1..nodes.len() {
            let used = plus(nodes[i].1.used, nodes[j].1.used);
            let Some((t, alone)) = sizes.cheapest_holding(used) else { continue };
            if sizes.price(t) <= sizes.price(nodes[i].0) + sizes.price(nodes[j].0) + 1e-9 {
                let (_, gone) = nodes.swap_remove(j);
                let (ti, node) = &mut nodes[i];
                (*ti, node.alone) = (t, alone);
                for (g, n) in gone.items {
                    node.add(g, groups[g].request, n);
                }
                return true;
            }
        }
    }
    false
}

/// A node as it would become if the node being emptied gave it replicas.
struct Trial {
    ty: usize,
    used: Allocatable,
    alone: bool,
    /// Replicas it would take, by group, one entry each.
    added: Vec<usize>,
}

/// A node's replicas, one entry per replica, largest first.
fn replicas_of(groups: &[ReplicaGroup], node: &PackedNode) -> Vec<usize> {
    let mut replicas: Vec<usize> = node.items.iter().flat_map(|&(g, n)| std::iter::repeat_n(g, n as usize)).collect();
    let size = |g: usize| {
        let r = groups[g].request;
        (r.cpu_millicores, r.memory_mib)
    };
    replicas.sort_by(|&a, &b| size(b).cmp(&size(a)).then(a.cmp(&b)));
    replicas
}

/// The other nodes as they would become after taking `replicas` from node `i`, each replica,
/// largest first, where it adds least to the cost (free room costs nothing; a node too small
/// is resized to the cheapest type that holds it); `None` if some replica has nowhere to go
/// or the added cost would exceed `budget`.
fn place_elsewhere(
    groups: &[ReplicaGroup],
    sizes: &ByPrice,
    nodes: &TypedNodes,
    i: usize,
    replicas: &[usize],
    budget: f64,
) -> Option<Vec<Trial>> {
    let mut trial: Vec<Trial> =
        nodes.iter().map(|(t, n)| Trial { ty: *t, used: n.used, alone: n.alone, added: Vec::new() }).collect();
    let mut added = 0.0;
    for &g in replicas {
        let r = one(groups[g].request);
        let mut best: Option<(f64, usize, usize, bool)> = None;
        for (j, to) in trial.iter().enumerate() {
            if j == i {
                continue;
            }
            let want = plus(to.used, r);
            let (nt, alone) = match holds(&sizes.types[to.ty], want) {
                Some(alone) => (to.ty, alone),
                None => match sizes.cheapest_holding(want) {
                    Some(found) => found,
                    None => continue,
                },
            };
            let cost = sizes.price(nt) - sizes.price(to.ty);
            if best.is_none_or(|b| cost < b.0) {
                best = Some((cost, j, nt, alone));
            }
        }
        let (cost, j, nt, alone) = best?;
        added += cost;
        if added > budget {
            return None;
        }
        let to = &mut trial[j];
        (to.ty, to.used, to.alone) = (nt, plus(to.used, r), alone);
        to.added.push(g);
    }
    Some(trial)
}

/// Gives every node but `i` what [`place_elsewhere`] found for it.
fn apply(groups: &[ReplicaGroup], nodes: &mut TypedNodes, i: usize, trial: Vec<Trial>) {
    for (j, to) in trial.into_iter().enumerate() {
        if j == i {
            continue;
        }
        let (t, node) = &mut nodes[j];
        (*t, node.alone) = (to.ty, to.alone);
        for g in to.added {
            node.add(g, groups[g].request, 1);
        }
    }
}

/// The dearest nodes first: they save the most when emptied or shrunk.
fn dearest_first(sizes: &ByPrice, nodes: &TypedNodes) -> Vec<usize> {
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&a, &b| sizes.price(nodes[b].0).total_cmp(&sizes.price(nodes[a].0)).then(a.cmp(&b)));
    order
}

/// Empties the first node whose replicas the other nodes take for no more than it costs
/// ([`place_elsewhere`]). Whether one was emptied.
fn empty_node(groups: &[ReplicaGroup], sizes: &ByPrice, nodes: &mut TypedNodes) -> bool {
    for i in dearest_first(sizes, nodes) {
        let replicas = replicas_of(groups, &nodes[i].1);
        let Some(trial) = place_elsewhere(groups, sizes, nodes, i, &replicas, sizes.price(nodes[i].0) + 1e-9) else {
            continue;
        };
        apply(groups, nodes, i, trial);
        nodes.remove(i);
        return true;
    }
    false
}

/// Shrinks the first node that a cheaper type holds once the replicas that do not fit it move
/// to the other nodes' room ([`place_elsewhere`]), when the type and the moves together cost
/// less than the node. Whether one was shrunk.
fn shrink_node(groups: &[ReplicaGroup], sizes: &ByPrice, nodes: &mut TypedNodes) -> bool {
    for i in dearest_first(sizes, nodes) {
        let (t, node) = &nodes[i];
        if node.alone || node.used.pods < 2 {
            continue;
        }
        let price = sizes.price(*t);
        let cheaper = sizes.by_price.iter().rev().filter(|&&c| sizes.price(c) < price - 1e-9).take(MEND_SHRINK_TYPES);
        let replicas = replicas_of(groups, node);
        for &c in cheaper {
            let cap = sizes.types[c].usable;
            // Keep what fits the smaller type, largest first; the rest moves.
            let mut kept = Allocatable { cpu_millicores: 0, memory_mib: 0, pods: 0 };
            let (mut keep, mut go) = (Vec::new(), Vec::new());
            for &g in &replicas {
                let with = plus(kept, one(groups[g].request));
                if with.cpu_millicores <= cap.cpu_millicores
                    && with.memory_mib <= cap.memory_mib
                    && with.pods <= cap.pods
                {
                    kept = with;
                    keep.push(g);
                } else {
                    go.push(g);
                }
            }
            if keep.is_empty() || go.is_empty() {
                continue;
            }
            let budget = price - sizes.price(c) - 1e-9;
            let Some(trial) = place_elsewhere(groups, sizes, nodes, i, &go, budget) else { continue };
            apply(groups, nodes, i, trial);
            let (t, node) = &mut nodes[i];
            *t = c;
            node.used = Allocatable { cpu_millicores: 0, memory_mib: 0, pods: 0 };
            node.items.clear();
            for g in keep {
                node.add(g, groups[g].request, 1);
            }
            return true;
        }
    }
    false
}

/// Whether a zone's nodes hold every replica within what their types allow: for tests.
#[cfg(test)]
pub(crate) fn valid(groups: &[ReplicaGroup], types: &[NodeType], nodes: &TypedNodes) -> bool {
    nodes.iter().all(|(t, n)| {
        let none = Allocatable { cpu_millicores: 0, memory_mib: 0, pods: 0 };
        let used = n.items.iter().fold(none, |u, &(g, k)| plus(u, times(groups[g].request, k)));
        used == n.used && holds(&types[*t], used) == Some(n.alone)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::fixtures::{group, held, node, ty};

    fn cost(types: &[NodeType], nodes: &TypedNodes) -> f64 {
        nodes.iter().map(|(t, _)| types[*t].cost_per_hour).sum()
    }

    #[test]
    fn two_half_empty_nodes_become_one_cheaper_node() {
        // Two small nodes at $0.10 each, each a third full: one node of the same type holds
        // both halves' replicas for $0.10.
        let types = [ty(2000, 4000, 0.10), ty(4000, 8000, 0.20)];
        let groups = [group(600, 1000, 2)];
        let mut nodes = vec![(0, node(&groups, &[(0, 1)])), (0, node(&groups, &[(0, 1)]))];
        mend_zone(&groups, &types, &mut nodes);
        assert_eq!(nodes.len(), 1);
        assert!((cost(&types, &nodes) - 0.10).abs() < 1e-9);
        assert_eq!(held(&nodes, 0), 2);
        assert!(valid(&groups, &types, &nodes));
    }

    #[test]
    fn two_nodes_become_one_larger_type_that_costs_less_than_both() {
        // A $0.20 node holding one large replica beside a $0.10 node holding a small one: the
        // $0.25 type holds both.
        let types = [ty(2000, 4000, 0.10), ty(4000, 8000, 0.20), ty(6000, 12000, 0.25)];
        let groups = [group(3900, 7000, 1), group(1500, 3000, 1)];
        let mut nodes = vec![(1, node(&groups, &[(0, 1)])), (0, node(&groups, &[(1, 1)]))];
        mend_zone(&groups, &types, &mut nodes);
        assert_eq!(nodes.len(), 1);
        assert_eq!(nodes[0].0, 2);
        assert!((cost(&types, &nodes) - 0.25).abs() < 1e-9);
        assert!(valid(&groups, &types, &nodes));
    }

    #[test]
    fn a_node_is_emptied_into_resized_neighbours_when_that_costs_less() {
        // Three $0.10 nodes: two hold a 1,800m replica each, the third two of 900m. No two
        // nodes fit one type; moving each 900m replica beside a 1,800m one resizes both
        // neighbours to the $0.14 type: $0.28 instead of $0.30.
        let types = [ty(2000, 4000, 0.10), ty(3000, 6000, 0.14)];
        let groups = [group(1800, 3500, 2), group(900, 1800, 2)];
        let mut nodes =
            vec![(0, node(&groups, &[(0, 1)])), (0, node(&groups, &[(0, 1)])), (0, node(&groups, &[(1, 2)]))];
        mend_zone(&groups, &types, &mut nodes);
        assert_eq!(nodes.len(), 2);
        assert!((cost(&types, &nodes) - 0.28).abs() < 1e-9, "{nodes:?}");
        assert_eq!((held(&nodes, 0), held(&nodes, 1)), (2, 2));
        assert!(valid(&groups, &types, &nodes));
    }

    #[test]
    fn a_node_shrinks_to_a_cheaper_type_when_what_no_longer_fits_moves_out() {
        // Two 1,600 m replicas on a $0.20 CPU-heavy node, beside a $0.10 node with a
        // memory-heavy replica and 1,700 m free. No two nodes fit one type and neither empties
        // into the other; moving one 1,600 m replica over lets the first become a $0.10 node.
        let types = [ty(2000, 4000, 0.10), ty(4000, 4000, 0.20)];
        let groups = [group(1600, 1000, 2), group(300, 3000, 1)];
        let mut nodes = vec![(1, node(&groups, &[(0, 2)])), (0, node(&groups, &[(1, 1)]))];
        mend_zone(&groups, &types, &mut nodes);
        assert_eq!(nodes.len(), 2);
        assert!((cost(&types, &nodes) - 0.20).abs() < 1e-9, "{nodes:?}");
        assert_eq!((held(&nodes, 0), held(&nodes, 1)), (2, 1));
        assert!(valid(&groups, &types, &nodes));
    }

    #[test]
    fn nothing_moves_when_no_move_saves() {
        // Each node is full; every merge needs a type dearer than the two together.
        let types = [ty(2000, 4000, 0.10), ty(4000, 8000, 0.25)];
        let groups = [group(2000, 4000, 2)];
        let mut nodes = vec![(0, node(&groups, &[(0, 1)])), (0, node(&groups, &[(0, 1)]))];
        let before = nodes.clone();
        mend_zone(&groups, &types, &mut nodes);
        assert_eq!(nodes, before);
    }

    #[test]
    fn a_node_is_emptied_into_the_free_room_of_several_others() {
        // Three nodes each with room for one more small replica (no two of them fit one node
        // by memory), and a fourth holding three small ones: the fourth empties into the
        // three for nothing.
        let types = [ty(2000, 4000, 0.10)];
        let groups = [group(1000, 3000, 3), group(600, 600, 3)];
        let mut nodes = vec![
            (0, node(&groups, &[(0, 1)])),
            (0, node(&groups, &[(0, 1)])),
            (0, node(&groups, &[(0, 1)])),
            (0, node(&groups, &[(1, 3)])),
        ];
        mend_zone(&groups, &types, &mut nodes);
        assert_eq!(nodes.len(), 3);
        assert_eq!((held(&nodes, 0), held(&nodes, 1)), (3, 3));
        assert!(valid(&groups, &types, &nodes));
    }
}
