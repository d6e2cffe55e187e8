//! Stage 6: covering. The cheapest whole-node cover of one zone's replicas among a few good node patterns
//! (price-and-branch). Column generation over the zone's replicas
//! ([`crate::bound::patterns::generate`]) finds the patterns the LP wants, the zone's own nodes join
//! them, and a depth-first branch and bound picks whole nodes among them, pruned by the LP's
//! prices. Greedy packing and local moves settle a zone of a few nodes some percent above its
//! best, and there every node is a large part of the cost.

use super::merged::Merged;
use crate::bound::patterns::{generate, Item, Pattern};
use crate::effort::{
    COVER_POOL_GENERATION, COVER_QUICK_STEPS, COVER_SPLIT_PASSES, COVER_STEPS, COVER_ZONE_GENERATION, PATTERN_MAX_ITEMS,
};
use crate::node::{
    by_zone, hourly_cost, plus, times, Allocatable, ByPrice, NodeType, PackedNode, ReplicaGroup, TypedNodes,
};

/// The patterns and prices for covering any zone of one pool, found once for the pool.
#[derive(Debug, Clone)]
pub struct Cover {
    /// Node patterns, counts by group.
    columns: Vec<Pattern>,
    /// Per replica of each group: no node of any type holding at most a zone's share of each
    /// group (the caps) is worth more than it costs, so what is left of a zone costs at least
    /// its worth at these prices; the spread rule keeps every zone within the caps.
    prices: Vec<f64>,
    /// The most replicas of each group one zone holds.
    caps: Vec<u32>,
}

impl Cover {
    /// Column generation over the pool's groups (distinct requests), where one zone holds at
    /// most `caps[g]` replicas of group `g`; `None` for more groups than the pattern LP takes,
    /// or when some replica fits no type.
    pub fn new(groups: &[ReplicaGroup], caps: &[u32], types: &[NodeType]) -> Option<Cover> {
        let kept: Vec<usize> = (0..groups.len()).filter(|&g| groups[g].replicas > 0 && caps[g] > 0).collect();
        let items: Vec<Item> = kept
            .iter()
            .map(|&g| Item { request: groups[g].request, replicas: groups[g].replicas, per_node: caps[g] })
            .collect();
        let generated = generate(&items, types, COVER_POOL_GENERATION, Vec::new())?;
        let widen = |counts: &[u32]| {
            let mut all = vec![0; groups.len()];
            for (i, &g) in kept.iter().enumerate() {
                all[g] = counts[i];
            }
            all
        };
        let columns = generated.patterns.iter().map(|p| Pattern { ty: p.ty, counts: widen(&p.counts) }).collect();
        let mut prices = vec![0.0; groups.len()];
        for (i, &g) in kept.iter().enumerate() {
            prices[g] = generated.prices[i];
        }
        Some(Cover { columns, prices, caps: caps.to_vec() })
    }

    /// The cover of a pool of `groups` spread over `zones`: no zone holds more than
    /// ⌈r/zones⌉ of a process's r replicas, so neither does any of its nodes.
    pub(super) fn for_pool(groups: &[ReplicaGroup], zones: u32, types: &[NodeType]) -> Option<Cover> {
        let merged = Merged::of(groups, zones);
        let caps: Vec<u32> =
            merged.members.iter().map(|m| m.iter().map(|&p| groups[p].replicas.div_ceil(zones)).sum()).collect();
        Cover::new(&merged.groups, &caps, types)
    }

    /// Replaces one zone's nodes by a cheaper cover of the same replicas when the search finds
    /// one; every replica stays placed and no node exceeds what its type allows. `thorough`
    /// runs column generation on the zone itself, from the pool's patterns, for patterns and
    /// prices fitted to it; otherwise the pool's serve.
    pub fn improve(&self, groups: &[ReplicaGroup], types: &[NodeType], nodes: &mut TypedNodes, thorough: bool) {
        let Some(zone) = nodes.first().map(|n| n.1.zone) else { return };
        let mut held = vec![0u32; groups.len()];
        for (_, n) in nodes.iter() {
            for &(g, k) in &n.items {
                held[g] += k;
            }
        }
        debug_assert!(held.iter().zip(&self.caps).all(|(h, c)| h <= c), "a zone beyond its share");
        // The search works on the groups the zone holds, as items.
        let kept: Vec<usize> = (0..groups.len()).filter(|&g| held[g] > 0).collect();
        if kept.is_empty() || kept.len() > PATTERN_MAX_ITEMS {
            return;
        }
        let narrow = |counts: &[u32]| kept.iter().map(|&g| counts[g].min(held[g])).collect::<Vec<u32>>();
        let mut start: Vec<Pattern> =
            self.columns.iter().map(|p| Pattern { ty: p.ty, counts: narrow(&p.counts) }).collect();
        for (t, n) in nodes.iter() {
            let mut counts = vec![0; groups.len()];
            for &(g, k) in &n.items {
                counts[g] += k;
            }
            start.push(Pattern { ty: *t, counts: narrow(&counts) });
        }
        start.retain(|p| p.counts.iter().any(|&k| k > 0));
        let demand: Vec<u32> = kept.iter().map(|&g| held[g]).collect();
        let (mut columns, prices) = if thorough {
            let items: Vec<Item> = kept
                .iter()
                .map(|&g| Item { request: groups[g].request, replicas: held[g], per_node: held[g] })
                .collect();
            let Some(zone_lp) = generate(&items, types, COVER_ZONE_GENERATION, start) else { return };
            (zone_lp.patterns, zone_lp.prices)
        } else {
            (start, kept.iter().map(|&g| self.prices[g]).collect())
        };
        // Each mix once, on the cheapest type that holds it (a pool's pattern cut to the zone
        // often fits a smaller type than its own).
        let sizes = ByPrice::new(types);
        for p in &mut columns {
            let none = Allocatable { cpu_millicores: 0, memory_mib: 0, pods: 0 };
            let used = (p.counts.iter().zip(&kept)).fold(none, |u, (&k, &g)| plus(u, times(groups[g].request, k)));
            if let Some((t, _)) = sizes.cheapest_holding(used) {
                p.ty = t;
            }
        }
        let price = |p: &Pattern| types[p.ty].cost_per_hour;
        columns.sort_by(|a, b| a.counts.cmp(&b.counts).then(price(a).total_cmp(&price(b))));
        columns.dedup_by(|later, first| later.counts == first.counts);
        let steps = if thorough { COVER_STEPS } else { COVER_QUICK_STEPS };
        let Some(chosen) = BranchAndBound::run(&columns, &prices, &demand, hourly_cost(types, nodes), types, steps)
        else {
            return;
        };

        // Whole nodes of the chosen mixes, each holding what is still unheld of its mix, each
        // on the cheapest type that holds what it ended with.
        let mut left = demand;
        let mut cover = TypedNodes::new();
        for c in chosen {
            let mut node = PackedNode::empty(zone);
            for (i, &k) in columns[c].counts.iter().enumerate() {
                let take = k.min(left[i]);
                if take > 0 {
                    node.add(kept[i], groups[kept[i]].request, take);
                    left[i] -= take;
                }
            }
            if node.items.is_empty() {
                continue;
            }
            // Never `None`: the column's own type holds at least this.
            let Some((t, alone)) = sizes.cheapest_holding(node.used) else { return };
            node.alone = alone;
            cover.push((t, node));
        }
        if left.iter().all(|&l| l == 0) && hourly_cost(types, &cover) < hourly_cost(types, nodes) - 1e-9 {
            *nodes = cover;
        }
    }
}

/// Covers each zone with whole node patterns ([`Cover`]), then moves a process's
/// extra replica to a zone without one where covering both zones again costs less, as
/// [`search_split`] does with the greedy packer: once zones are covered near their best, which
/// zone takes a replica is what is left to decide.
pub(super) fn cover_split(
    groups: &[ReplicaGroup],
    merged: Merged,
    nodes: TypedNodes,
    types: &[NodeType],
    cover: &Cover,
) -> (Merged, TypedNodes) {
    let zones = merged.process_counts.first().map_or(1, Vec::len);
    let mut by_zone = by_zone(nodes, zones);
    for zone in &mut by_zone {
        cover.improve(&merged.groups, types, zone, true);
    }
    let mut cost: Vec<f64> = by_zone.iter().map(|z| hourly_cost(types, z)).collect();
    let mut counts = merged.process_counts.clone();
    let sizes = ByPrice::new(types);
    let merged_groups = merged.groups.clone();
    let mut changed = vec![false; zones];
    for _ in 0..COVER_SPLIT_PASSES {
        let mut improved = false;
        // A move acts on a merged group: one try per group and pair of zones, charged to a process
        // of that group with an extra replica where the other zone has none.
        for (s, members) in merged.members.iter().enumerate() {
            let request = merged_groups[s].request;
            for (from, to) in (0..zones).flat_map(|f| (0..zones).map(move |t| (f, t))) {
                let Some(p) = members.iter().copied().find(|&p| counts[p][from] > counts[p][to]) else {
                    continue;
                };
                // The zone giving: one replica out of the node left cheapest without it.
                let mut best: Option<(f64, TypedNodes)> = None;
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
                    super::mend::mend_zone(&merged_groups, types, z);
                    cover.improve(&merged_groups, types, z, false);
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
        cover.improve(&merged_groups, types, zone, true);
    }
    let moved_any = changed.iter().any(|&c| c);
    let nodes = by_zone.into_iter().flatten().collect();
    if !moved_any {
        return (merged, nodes);
    }
    (Merged::from_counts(groups, counts), nodes)
}

/// A depth-first search over whole nodes: each step covers the item whose unheld replicas are
/// worth most at the LP's prices with one more column, the columns tried cheapest for the
/// worth they hold first.
struct BranchAndBound<'a> {
    columns: &'a [Pattern],
    /// Each column's price, USD per hour.
    priced: Vec<f64>,
    /// For each item, the columns holding some of it, in the order they are tried.
    covering: Vec<Vec<usize>>,
    /// The LP's prices per replica: what is left costs at least its worth at them.
    prices: &'a [f64],
    chosen: Vec<usize>,
    best: Option<Vec<usize>>,
    /// The cost a cover must beat.
    ceiling: f64,
    steps: usize,
    /// Steps allowed.
    limit: usize,
}

impl<'a> BranchAndBound<'a> {
    /// The columns of the cheapest cover of `demand` found that costs less than `current`.
    fn run(
        columns: &'a [Pattern],
        prices: &'a [f64],
        demand: &[u32],
        current: f64,
        types: &[NodeType],
        limit: usize,
    ) -> Option<Vec<usize>> {
        let priced: Vec<f64> = columns.iter().map(|p| types[p.ty].cost_per_hour).collect();
        let ratio = |c: usize| {
            let worth: f64 = columns[c].counts.iter().zip(prices).map(|(&k, y)| y * f64::from(k)).sum();
            if worth > 0.0 {
                priced[c] / worth
            } else {
                f64::INFINITY
            }
        };
        let mut covering: Vec<Vec<usize>> = vec![Vec::new(); demand.len()];
        for (c, col) in columns.iter().enumerate() {
            for (i, &k) in col.counts.iter().enumerate() {
                if k > 0 {
                    covering[i].push(c);
                }
            }
        }
        for list in &mut covering {
            list.sort_by(|&a, &b| ratio(a).total_cmp(&ratio(b)).then(a.cmp(&b)));
        }
        let mut search = BranchAndBound {
            columns,
            priced,
            covering,
            prices,
            chosen: Vec::new(),
            best: None,
            ceiling: current - 1e-9,
            steps: 0,
            limit,
        };
        let mut left = [0u32; PATTERN_MAX_ITEMS];
        left[..demand.len()].copy_from_slice(demand);
        search.dfs(&mut left[..demand.len()], 0.0, None);
        search.best
    }

    /// `last` is the item and the position in its list of the column the step above took:
    /// when this step covers the same item, it takes no earlier column. That spares most
    /// reorderings of one set of nodes (not all: steps on other items between reset it) and
    /// never every order of an optimal set.
    fn dfs(&mut self, left: &mut [u32], cost: f64, last: Option<(usize, usize)>) {
        let worth = |i: usize, left: &[u32]| self.prices[i] * f64::from(left[i]);
        let Some(item) = (0..left.len())
            .filter(|&i| left[i] > 0)
            .max_by(|&a, &b| worth(a, left).total_cmp(&worth(b, left)).then(b.cmp(&a)))
        else {
            if cost < self.ceiling {
                self.ceiling = cost;
                self.best = Some(self.chosen.clone());
            }
            return;
        };
        let rest: f64 = (0..left.len()).map(|i| worth(i, left)).sum();
        if cost + rest >= self.ceiling || self.steps >= self.limit {
            return;
        }
        self.steps += 1;
        let from = match last {
            Some((i, at)) if i == item => at,
            _ => 0,
        };
        for at in from..self.covering[item].len() {
            let c = self.covering[item][at];
            let mut took = [0u32; PATTERN_MAX_ITEMS];
            for (i, &k) in self.columns[c].counts.iter().enumerate() {
                took[i] = k.min(left[i]);
                left[i] -= took[i];
            }
            self.chosen.push(c);
            self.dfs(left, cost + self.priced[c], Some((item, at)));
            self.chosen.pop();
            for (l, t) in left.iter_mut().zip(took) {
                *l += t;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::fixtures::{group, held, node, ty};
    use crate::plan::mend::{mend_zone, valid};

    /// Replicas of 3, 4, 5, 5, 6 and 7 vCPU on 10-vCPU nodes at $1, packed as {6,3}, {5,4},
    /// {7}, {5}: no two nodes merge, no node empties into the others' room, and there is no
    /// cheaper type to shrink to.
    fn stuck() -> (Vec<ReplicaGroup>, [NodeType; 1], TypedNodes) {
        let groups = vec![
            group(3000, 100, 1),
            group(4000, 100, 1),
            group(5000, 100, 2),
            group(6000, 100, 1),
            group(7000, 100, 1),
        ];
        let nodes = vec![
            (0, node(&groups, &[(3, 1), (0, 1)])),
            (0, node(&groups, &[(2, 1), (1, 1)])),
            (0, node(&groups, &[(4, 1)])),
            (0, node(&groups, &[(2, 1)])),
        ];
        (groups, [ty(10_000, 1000, 1.0)], nodes)
    }

    #[test]
    fn whole_node_patterns_find_a_packing_local_moves_cannot_reach() {
        let (groups, types, mut nodes) = stuck();
        let mut mended = nodes.clone();
        mend_zone(&groups, &types, &mut mended);
        assert_eq!(mended.len(), 4, "the local moves leave four nodes");

        let caps: Vec<u32> = groups.iter().map(|g| g.replicas).collect();
        let cover = Cover::new(&groups, &caps, &types).unwrap();
        cover.improve(&groups, &types, &mut nodes, true);
        // {6,4}, {5,5}, {7,3}: three nodes, $3.
        assert_eq!(nodes.len(), 3);
        assert!((hourly_cost(&types, &nodes) - 3.0).abs() < 1e-9);
        for (g, group) in groups.iter().enumerate() {
            assert_eq!(held(&nodes, g), group.replicas);
        }
        assert!(valid(&groups, &types, &nodes));
    }

    #[test]
    fn the_pools_patterns_alone_find_it_too() {
        let (groups, types, mut nodes) = stuck();
        let caps: Vec<u32> = groups.iter().map(|g| g.replicas).collect();
        Cover::new(&groups, &caps, &types).unwrap().improve(&groups, &types, &mut nodes, false);
        assert!((hourly_cost(&types, &nodes) - 3.0).abs() < 1e-9);
        assert!(valid(&groups, &types, &nodes));
    }

    #[test]
    fn a_zone_at_its_best_is_left_as_it_is() {
        let (groups, types, _) = stuck();
        let best = vec![
            (0, node(&groups, &[(3, 1), (1, 1)])),
            (0, node(&groups, &[(2, 2)])),
            (0, node(&groups, &[(4, 1), (0, 1)])),
        ];
        let caps: Vec<u32> = groups.iter().map(|g| g.replicas).collect();
        let mut nodes = best.clone();
        Cover::new(&groups, &caps, &types).unwrap().improve(&groups, &types, &mut nodes, true);
        assert_eq!(nodes, best);
    }

    #[test]
    fn a_cover_takes_the_cheaper_type_for_what_each_node_ends_with() {
        // Two 3-vCPU replicas on two $0.50 8-vCPU nodes: one 8-vCPU node holds both ($0.50);
        // a 4-vCPU type at $0.24 holds one each for $0.48, cheaper still.
        let groups = vec![group(3000, 100, 2)];
        let types = [ty(8000, 1000, 0.50), ty(4000, 1000, 0.24)];
        let mut nodes = vec![(0, node(&groups, &[(0, 1)])), (0, node(&groups, &[(0, 1)]))];
        Cover::new(&groups, &[2], &types).unwrap().improve(&groups, &types, &mut nodes, true);
        assert!((hourly_cost(&types, &nodes) - 0.48).abs() < 1e-9, "{nodes:?}");
        assert!(valid(&groups, &types, &nodes));
    }
}
