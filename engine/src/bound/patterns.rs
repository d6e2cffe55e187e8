//! A lower bound that knows which replicas fit on one node together: the linear relaxation
//! over node patterns (Gilmore–Gomory), solved by column generation. The CPU-and-memory LP
//! lets a node hold any fraction of any mix; here a node holds a whole pattern (so many
//! replicas of each shape, within the type's usable capacity and pod limit, or one larger
//! replica alone), and only the number of nodes of each pattern is fractional.
//!
//! The bound does not rely on the LP being solved well. Any prices `y ≥ 0` on the replicas
//! bound every plan (Farley): if no node of type `t` holds more than `K_t(y)` worth and
//! `ρ = max K_t(y) / price_t`, every plan costs at least `Σ y·replicas / ρ`. `K_t` is an exact
//! knapsack optimum, or an upper bound of it where the search stops early, so the bound stays
//! sound; the LP only finds good prices.

use crate::effort::{ColumnGeneration, BOUND_GENERATION, PATTERNS_ADDED_PER_ROUND, PATTERN_MAX_ITEMS};
use crate::node::{Allocatable, NodeType};
use crate::sizing::Request;

/// Replicas of one shape, and the most of them one node may hold (a zone holds no more than
/// its share, and holding more than the demand never helps a cover).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// What each replica asks.
    pub request: Request,
    /// Replicas to hold.
    pub replicas: u32,
    /// The most one node may hold.
    pub per_node: u32,
}

/// The pattern LP's lower bound on the hourly cost of nodes of `types` holding `items`;
/// `None` when there are too many shapes, nothing to hold, or some replica fits no type.
pub fn pattern_bound(items: &[Item], types: &[NodeType]) -> Option<f64> {
    let items: Vec<Item> = items.iter().copied().filter(|i| i.replicas > 0 && i.per_node > 0).collect();
    generate(&items, types, BOUND_GENERATION, Vec::new()).map(|g| g.bound)
}

/// One node's worth of replicas: a type and how many of each item it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Index into the types.
    pub ty: usize,
    /// Replicas of each item.
    pub counts: Vec<u32>,
}

/// What column generation found.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The patterns the master LP was given, the first of each item alone among them.
    pub patterns: Vec<Pattern>,
    /// A price per replica of each item such that no node of any type holds more worth than
    /// it costs (within the per-node limits): `Σ prices × replicas` bounds the cost of
    /// holding any number of replicas up to the items', so a search can bound what is left.
    pub prices: Vec<f64>,
    /// `Σ prices × replicas` over the items.
    pub bound: f64,
}

/// Column generation over `items` (each with replicas and a per-node limit above zero),
/// starting from each item alone and from `start` (patterns known to be good, within the
/// limits); `None` when there are too many shapes, nothing to hold, some replica fits no
/// type, or the first master fails to settle.
pub fn generate(
    items: &[Item],
    types: &[NodeType],
    effort: ColumnGeneration,
    start: Vec<Pattern>,
) -> Option<Generated> {
    if items.is_empty() || items.len() > PATTERN_MAX_ITEMS || types.is_empty() {
        return None;
    }
    let demand: Vec<f64> = items.iter().map(|i| f64::from(i.replicas)).collect();
    // Start from each shape on the type that holds it cheapest per replica.
    let mut patterns: Vec<Pattern> = Vec::new();
    for (p, item) in items.iter().enumerate() {
        let best = (0..types.len())
            .filter_map(|t| {
                let k = most_of(item, &types[t]);
                (k > 0).then(|| (types[t].cost_per_hour / f64::from(k), t, k))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))?;
        let mut counts = vec![0; items.len()];
        counts[p] = best.2;
        patterns.push(Pattern { ty: best.1, counts });
    }
    patterns.extend(start);
    let mut best = Generated { patterns: Vec::new(), prices: vec![0.0; items.len()], bound: 0.0 };
    for _ in 0..effort.rounds {
        // A master that fails to settle (a well-posed one never does) ends the rounds; the
        // prices found so far still bound.
        let Some(y) = master_duals(&patterns, types, &demand) else { break };
        let worth: f64 = y.iter().zip(&demand).map(|(a, b)| a * b).sum();
        // Any ρ at least the largest K_t/price_t keeps the bound sound, a larger one only
        // weakens it; the master's basic patterns are worth their price, so the true ρ is at
        // least 1 and starting there loses nothing while the first types skip their search.
        let mut rho = 1.0f64;
        let mut found: Vec<(f64, Pattern)> = Vec::new();
        for (ty, t) in types.iter().enumerate() {
            // A type that can neither beat its price nor raise ρ (in effect: whose nodes are
            // worth no more than its price) needs no exact knapsack.
            let enough = t.cost_per_hour * rho.min(1.0 + 1e-9);
            let (upper, value, counts) = knapsack(items, &y, t, effort.knapsack_steps, enough);
            rho = rho.max(upper / t.cost_per_hour);
            if value > t.cost_per_hour * (1.0 + 1e-9) {
                found.push((value / t.cost_per_hour, Pattern { ty, counts }));
            }
        }
        if worth / rho > best.bound {
            best.bound = worth / rho;
            best.prices = y.iter().map(|v| v / rho).collect();
        }
        if found.is_empty() {
            break;
        }
        found.sort_by(|a, b| b.0.total_cmp(&a.0));
        patterns.extend(found.into_iter().take(PATTERNS_ADDED_PER_ROUND).map(|(_, p)| p));
    }
    best.patterns = patterns;
    Some(best)
}

/// The most replicas of `item` a node of `t` holds on their own: within its usable capacity,
/// or one alone within its allocatable.
fn most_of(item: &Item, t: &NodeType) -> u32 {
    let r = item.request;
    let by = |cap: u32, need: u32| cap.checked_div(need).unwrap_or(u32::MAX);
    let k = by(t.usable.cpu_millicores, r.cpu_millicores)
        .min(by(t.usable.memory_mib, r.memory_mib))
        .min(t.usable.pods)
        .min(item.per_node);
    if k > 0 {
        k
    } else {
        u32::from(t.allocatable.holds(r) && t.allocatable.pods > 0)
    }
}

/// The most a node of `t` holds at prices `y`: `(upper bound, best value found, its counts)`.
/// The two values are equal when the search finished. When the fractional bound shows no
/// node holds more than `enough`, that bound is returned without a search (value 0).
fn knapsack(items: &[Item], y: &[f64], t: &NodeType, steps: usize, enough: f64) -> (f64, f64, Vec<u32>) {
    let cap = t.usable;
    // One replica alone, where it exceeds the usable capacity but fits the allocatable.
    let mut alone = (0.0, Vec::new());
    for (p, item) in items.iter().enumerate() {
        if !cap.holds(item.request) && t.allocatable.holds(item.request) && t.allocatable.pods > 0 && y[p] > alone.0 {
            let mut counts = vec![0; items.len()];
            counts[p] = 1;
            alone = (y[p], counts);
        }
    }
    // The shapes worth something that fit, most valuable per share of the node first.
    let share = |r: Request| {
        (f64::from(r.cpu_millicores) / f64::from(cap.cpu_millicores.max(1)))
            .max(f64::from(r.memory_mib) / f64::from(cap.memory_mib.max(1)))
            .max(1.0 / f64::from(cap.pods.max(1)))
    };
    let mut order: Vec<usize> = (0..items.len()).filter(|&p| y[p] > 0.0 && cap.holds(items[p].request)).collect();
    order.sort_by(|&a, &b| (y[b] / share(items[b].request)).total_cmp(&(y[a] / share(items[a].request))));
    let mut search = Knapsack {
        items,
        y,
        order: &order,
        dense: by_density(items, y, &order),
        counts: vec![0; items.len()],
        // Only a node worth more than `enough` matters, so the search looks for no less.
        best: (enough, Vec::new()),
        steps: 0,
        limit: steps,
        cut: 0.0f64,
    };
    let root = alone.0.max(search.fractional(0, cap));
    if root <= enough {
        return (root, 0.0, Vec::new());
    }
    search.dfs(0, cap, 0.0);
    let finished = search.steps <= steps;
    let (value, counts) = if alone.0 > search.best.0 { alone } else { search.best };
    let upper = if finished { value } else { value.max(search.cut) };
    if counts.is_empty() {
        // Nothing beats `enough`, which bounds every node.
        return (upper, 0.0, counts);
    }
    (upper, value, counts)
}

/// One shape as the fractional knapsack in one resource sees it.
#[derive(Debug, Clone, Copy)]
struct Dense {
    /// Its position in the search order.
    at: usize,
    /// What one replica needs of the resource.
    need: f64,
    /// The most one node takes.
    most: f64,
    /// Its price.
    worth: f64,
}

/// For each resource (CPU, memory, pods), the shapes in `order` by value per unit of it,
/// highest first: the fractional knapsack in one resource takes them in this order.
fn by_density(items: &[Item], y: &[f64], order: &[usize]) -> [Vec<Dense>; 3] {
    [0, 1, 2].map(|d| {
        let mut by: Vec<Dense> = order
            .iter()
            .enumerate()
            .map(|(at, &p)| {
                let r = items[p].request;
                let need = f64::from([r.cpu_millicores, r.memory_mib, 1][d]);
                Dense { at, need, most: f64::from(items[p].per_node), worth: y[p] }
            })
            .collect();
        let density = |e: &Dense| if e.need == 0.0 { f64::INFINITY } else { e.worth / e.need };
        by.sort_by(|a, b| density(b).total_cmp(&density(a)));
        by
    })
}

/// A depth-first search over how many of each shape a node takes.
struct Knapsack<'a> {
    items: &'a [Item],
    y: &'a [f64],
    order: &'a [usize],
    dense: [Vec<Dense>; 3],
    counts: Vec<u32>,
    best: (f64, Vec<u32>),
    steps: usize,
    /// Steps allowed.
    limit: usize,
    /// The highest bound of a branch left unexplored when the steps ran out.
    cut: f64,
}

impl Knapsack<'_> {
    /// The most the shapes from position `i` on could add to a node with `left` room, counting
    /// one resource at a time and allowing fractions: the least of the three fractional
    /// knapsacks bounds the whole one.
    fn fractional(&self, i: usize, left: Allocatable) -> f64 {
        let room = [left.cpu_millicores, left.memory_mib, left.pods];
        (0..3)
            .map(|d| {
                let mut free = f64::from(room[d]);
                let mut value = 0.0;
                for e in self.dense[d].iter().filter(|e| e.at >= i) {
                    if e.need == 0.0 {
                        value += e.most * e.worth;
                        continue;
                    }
                    let take = e.most.min(free / e.need);
                    value += take * e.worth;
                    free -= take * e.need;
                    if free <= 0.0 {
                        break;
                    }
                }
                value
            })
            .fold(f64::INFINITY, f64::min)
    }

    fn dfs(&mut self, i: usize, left: Allocatable, value: f64) {
        if value > self.best.0 {
            self.best = (value, self.counts.clone());
        }
        if i == self.order.len() {
            return;
        }
        let bound = value + self.fractional(i, left);
        if bound <= self.best.0 {
            return;
        }
        self.steps += 1;
        if self.steps > self.limit {
            self.cut = self.cut.max(bound);
            return;
        }
        let p = self.order[i];
        let r = self.items[p].request;
        let by = |cap: u32, need: u32| cap.checked_div(need).unwrap_or(u32::MAX);
        let most = by(left.cpu_millicores, r.cpu_millicores)
            .min(by(left.memory_mib, r.memory_mib))
            .min(left.pods)
            .min(self.items[p].per_node);
        for k in (0..=most).rev() {
            self.counts[p] = k;
            let rest = Allocatable {
                cpu_millicores: left.cpu_millicores - k * r.cpu_millicores,
                memory_mib: left.memory_mib - k * r.memory_mib,
                pods: left.pods - k,
            };
            self.dfs(i + 1, rest, value + f64::from(k) * self.y[p]);
        }
        self.counts[p] = 0;
    }
}

/// The dual prices of the restricted master LP `min Σ price·x` subject to `Σ counts·x ≥
/// demand`, `x ≥ 0`, over the patterns found so far, by the simplex method (big-M start,
/// Bland's rule). `None` if it fails to settle, which a well-posed master never does.
fn master_duals(patterns: &[Pattern], types: &[NodeType], demand: &[f64]) -> Option<Vec<f64>> {
    let price = |p: &Pattern| types[p.ty].cost_per_hour;
    let m = demand.len();
    let n = patterns.len();
    // Columns: patterns, then a surplus per row, then an artificial per row.
    let cols = n + 2 * m;
    let big = 1e4 * patterns.iter().map(price).fold(1.0, f64::max);
    let cost: Vec<f64> = (0..cols)
        .map(|j| {
            if j < n {
                price(&patterns[j])
            } else if j < n + m {
                0.0
            } else {
                big
            }
        })
        .collect();
    let mut rows: Vec<Vec<f64>> = (0..m)
        .map(|i| {
            let mut row = vec![0.0; cols + 1];
            for (j, p) in patterns.iter().enumerate() {
                row[j] = f64::from(p.counts[i]);
            }
            row[n + i] = -1.0;
            row[n + m + i] = 1.0;
            row[cols] = demand[i];
            row
        })
        .collect();
    let mut basis: Vec<usize> = (0..m).map(|i| n + m + i).collect();
    const EPS: f64 = 1e-9;
    let tol = EPS * patterns.iter().map(price).fold(1.0, f64::max);
    for _ in 0..50 * (m + n) {
        // Reduced costs: cost − c_B · column.
        let reduced = |j: usize, rows: &[Vec<f64>], basis: &[usize]| {
            cost[j] - (0..m).map(|i| cost[basis[i]] * rows[i][j]).sum::<f64>()
        };
        let Some(enter) = (0..cols).find(|&j| reduced(j, &rows, &basis) < -tol) else {
            let duals = (0..m).map(|i| reduced(n + i, &rows, &basis).max(0.0)).collect();
            return Some(duals);
        };
        let leave = (0..m).filter(|&i| rows[i][enter] > EPS).min_by(|&a, &b| {
            (rows[a][cols] / rows[a][enter]).total_cmp(&(rows[b][cols] / rows[b][enter])).then(basis[a].cmp(&basis[b]))
        })?;
        let pivot = rows[leave][enter];
        rows[leave].iter_mut().for_each(|v| *v /= pivot);
        let pivot_row = rows[leave].clone();
        for (i, row) in rows.iter_mut().enumerate() {
            if i != leave && row[enter] != 0.0 {
                let f = row[enter];
                row.iter_mut().zip(&pivot_row).for_each(|(v, p)| *v -= f * p);
            }
        }
        basis[leave] = enter;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::fixtures::ty;

    fn item(cpu: u32, mem: u32, replicas: u32, per_node: u32) -> Item {
        Item { request: Request { cpu_millicores: cpu, memory_mib: mem }, replicas, per_node }
    }

    #[test]
    fn items_that_never_share_a_node_cost_a_node_each() {
        // Three replicas of 6 CPU on 10-CPU nodes at $1: the CPU LP says 1.8 nodes, but no
        // two share a node, so 3.
        let b = pattern_bound(&[item(6, 1, 3, 3)], &[ty(10, 100, 1.0)]).unwrap();
        assert!((b - 3.0).abs() < 1e-6, "{b}");
    }

    #[test]
    fn what_fits_together_is_counted_across_shapes() {
        // Two replicas of 6 CPU and two of 5 on 10-CPU nodes: a 6 shares with nothing
        // (6+5 = 11), the two 5s fill one node: three nodes, where the CPU LP says 2.2.
        let b = pattern_bound(&[item(6, 1, 2, 2), item(5, 1, 2, 2)], &[ty(10, 100, 1.0)]).unwrap();
        assert!((b - 3.0).abs() < 1e-6, "{b}");
        // With 4-CPU replicas instead of 5, a 6 and a 4 fill a node: two nodes.
        let b = pattern_bound(&[item(6, 1, 2, 2), item(4, 1, 2, 2)], &[ty(10, 100, 1.0)]).unwrap();
        assert!((b - 2.0).abs() < 1e-6, "{b}");
    }

    #[test]
    fn the_per_node_limit_is_a_constraint() {
        // Ten small replicas, at most two a node (a zone's share): five nodes, not one.
        let b = pattern_bound(&[item(1, 1, 10, 2)], &[ty(10, 100, 1.0)]).unwrap();
        assert!((b - 5.0).abs() < 1e-6, "{b}");
    }

    #[test]
    fn mixed_types_give_the_fractional_optimum_over_patterns() {
        // One 7-CPU replica and three of 3 CPU: a 16-CPU node ($0.70) holds all of them, and
        // prices of $0.40 for the 7 (an 8-CPU node's price) and $0.10 for each 3 show nothing
        // holds them for less: the bound is $0.70, that node's price.
        let types = [ty(4, 100, 0.22), ty(8, 100, 0.40), ty(16, 100, 0.70)];
        let b = pattern_bound(&[item(7, 1, 1, 1), item(3, 1, 3, 3)], &types).unwrap();
        assert!((b - 0.70).abs() < 1e-6, "{b}");
    }

    #[test]
    fn a_replica_that_fits_no_type_gives_no_bound() {
        assert_eq!(pattern_bound(&[item(11, 1, 1, 1)], &[ty(10, 100, 1.0)]), None);
        assert_eq!(pattern_bound(&[], &[ty(10, 100, 1.0)]), None);
    }
}
