//! The cheapest whole-node cover of one zone's replicas among a few good node patterns
//! (price-and-branch). Column generation over the zone's replicas
//! ([`crate::patterns::generate`]) finds the patterns the LP wants, the zone's own nodes join
//! them, and a depth-first branch and bound picks whole nodes among them, pruned by the LP's
//! prices. Greedy packing and local moves settle a zone of a few nodes some percent above its
//! best, and there every node is a large part of the cost.

use crate::mixed::{hourly_cost, NodeType, TypedNodes};
use crate::node::Allocatable;
use crate::packing::{PackedNode, ReplicaGroup};
use crate::patterns::{generate, Effort, Item, Pattern, MAX_ITEMS};
use crate::repack::{plus, times, Sizes};

/// Branches opened per zone before the search settles for the best cover found.
const STEPS: usize = 4_000;

/// Branches opened when a zone is covered with the pool's patterns and prices.
const QUICK_STEPS: usize = 1_000;

/// Column generation's effort: prices good enough to prune by and the patterns they favour,
/// not the last fraction of the bound.
const EFFORT: Effort = Effort { rounds: 10, knapsack_steps: 2_000 };

/// The effort for one zone, starting from the pool's patterns.
const ZONE_EFFORT: Effort = Effort { rounds: 3, knapsack_steps: 2_000 };

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
        let generated = generate(&items, types, EFFORT, Vec::new())?;
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
        if kept.is_empty() || kept.len() > MAX_ITEMS {
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
            let Some(zone_lp) = generate(&items, types, ZONE_EFFORT, start) else { return };
            (zone_lp.patterns, zone_lp.prices)
        } else {
            (start, kept.iter().map(|&g| self.prices[g]).collect())
        };
        // Each mix once, on the cheapest type that holds it (a pool's pattern cut to the zone
        // often fits a smaller type than its own).
        let sizes = Sizes::new(types);
        for p in &mut columns {
            let none = Allocatable { cpu_millicores: 0, memory_mib: 0, pods: 0 };
            let used = (p.counts.iter().zip(&kept)).fold(none, |u, (&k, &g)| plus(u, times(groups[g].request, k)));
            if let Some((t, _)) = sizes.cheapest_holding(used) {
                p.ty = t;
            }
        }
        let price = |p: &Pattern| types[p.ty].usd_per_hour;
        columns.sort_by(|a, b| a.counts.cmp(&b.counts).then(price(a).total_cmp(&price(b))));
        columns.dedup_by(|later, first| later.counts == first.counts);
        let steps = if thorough { STEPS } else { QUICK_STEPS };
        let Some(chosen) = Search::run(&columns, &prices, &demand, hourly_cost(types, nodes), types, steps) else {
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

/// A depth-first search over whole nodes: each step covers the item whose unheld replicas are
/// worth most at the LP's prices with one more column, the columns tried cheapest for the
/// worth they hold first.
struct Search<'a> {
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

impl<'a> Search<'a> {
    /// The columns of the cheapest cover of `demand` found that costs less than `current`.
    fn run(
        columns: &'a [Pattern],
        prices: &'a [f64],
        demand: &[u32],
        current: f64,
        types: &[NodeType],
        limit: usize,
    ) -> Option<Vec<usize>> {
        let priced: Vec<f64> = columns.iter().map(|p| types[p.ty].usd_per_hour).collect();
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
        let mut search = Search {
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
        let mut left = [0u32; MAX_ITEMS];
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
            let mut took = [0u32; MAX_ITEMS];
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
    use crate::mixed::fixtures::{group, held, node, ty};
    use crate::repack::{improve_zone, valid};

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
        improve_zone(&groups, &types, &mut mended);
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
