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

use crate::mixed::NodeType;
use crate::node::Allocatable;
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

/// Shapes beyond this many are not bounded this way (the knapsacks grow with them).
pub const MAX_ITEMS: usize = 12;

/// Rounds of column generation at most.
const ROUNDS: usize = 40;

/// Patterns added per round at most: the types whose best pattern beats its price the most.
const ADDED_PER_ROUND: usize = 6;

/// Search steps of one knapsack before it settles for an upper bound.
const KNAPSACK_STEPS: usize = 20_000;

/// The pattern LP's lower bound on the hourly cost of nodes of `types` holding `items`;
/// `None` when there are too many shapes, nothing to hold, or some replica fits no type.
pub fn pattern_bound(items: &[Item], types: &[NodeType]) -> Option<f64> {
    let items: Vec<Item> = items.iter().copied().filter(|i| i.replicas > 0 && i.per_node > 0).collect();
    if items.is_empty() || items.len() > MAX_ITEMS || types.is_empty() {
        return None;
    }
    let demand: Vec<f64> = items.iter().map(|i| f64::from(i.replicas)).collect();
    // Start from each shape on the type that holds it cheapest per replica.
    let mut patterns: Vec<(f64, Vec<u32>)> = Vec::new();
    for (p, item) in items.iter().enumerate() {
        let best = types
            .iter()
            .filter_map(|t| {
                let k = most_of(item, t);
                (k > 0).then(|| (t.usd_per_hour / f64::from(k), t.usd_per_hour, k))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))?;
        let mut counts = vec![0; items.len()];
        counts[p] = best.2;
        patterns.push((best.1, counts));
    }
    let mut best = 0.0f64;
    for _ in 0..ROUNDS {
        let y = master_duals(&patterns, &demand)?;
        let worth: f64 = y.iter().zip(&demand).map(|(a, b)| a * b).sum();
        let mut rho = 0.0f64;
        let mut found: Vec<(f64, f64, Vec<u32>)> = Vec::new();
        for t in types {
            let (upper, value, counts) = knapsack(&items, &y, t);
            rho = rho.max(upper / t.usd_per_hour);
            if value > t.usd_per_hour * (1.0 + 1e-9) {
                found.push((value / t.usd_per_hour, t.usd_per_hour, counts));
            }
        }
        if rho > 0.0 {
            best = best.max(worth / rho);
        }
        if found.is_empty() {
            break;
        }
        found.sort_by(|a, b| b.0.total_cmp(&a.0));
        patterns.extend(found.into_iter().take(ADDED_PER_ROUND).map(|(_, price, counts)| (price, counts)));
    }
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
/// The two values are equal when the search finished.
fn knapsack(items: &[Item], y: &[f64], t: &NodeType) -> (f64, f64, Vec<u32>) {
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
        best: (0.0, vec![0; items.len()]),
        steps: 0,
        cut: 0.0f64,
    };
    search.dfs(0, cap, 0.0);
    let finished = search.steps <= KNAPSACK_STEPS;
    let (value, counts) = if alone.0 > search.best.0 { alone } else { search.best };
    let upper = if finished { value } else { value.max(search.cut) };
    (upper, value, counts)
}

/// For each resource (CPU, memory, pods), the positions in `order` by value per unit of it,
/// highest first: the fractional knapsack in one resource takes them in this order.
fn by_density(items: &[Item], y: &[f64], order: &[usize]) -> [Vec<usize>; 3] {
    let need = |i: usize, d: usize| {
        let r = items[order[i]].request;
        [r.cpu_millicores, r.memory_mib, 1][d]
    };
    let density = |i: usize, d: usize| match need(i, d) {
        0 => f64::INFINITY,
        n => y[order[i]] / f64::from(n),
    };
    [0, 1, 2].map(|d| {
        let mut by: Vec<usize> = (0..order.len()).collect();
        by.sort_by(|&a, &b| density(b, d).total_cmp(&density(a, d)));
        by
    })
}

/// A depth-first search over how many of each shape a node takes.
struct Knapsack<'a> {
    items: &'a [Item],
    y: &'a [f64],
    order: &'a [usize],
    dense: [Vec<usize>; 3],
    counts: Vec<u32>,
    best: (f64, Vec<u32>),
    steps: usize,
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
                for &j in self.dense[d].iter().filter(|&&j| j >= i) {
                    let p = self.order[j];
                    let r = self.items[p].request;
                    let need = f64::from([r.cpu_millicores, r.memory_mib, 1][d]);
                    let most = f64::from(self.items[p].per_node);
                    if need == 0.0 {
                        value += most * self.y[p];
                        continue;
                    }
                    let take = most.min(free / need);
                    value += take * self.y[p];
                    free -= take * need;
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
        if self.steps > KNAPSACK_STEPS {
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
fn master_duals(patterns: &[(f64, Vec<u32>)], demand: &[f64]) -> Option<Vec<f64>> {
    let m = demand.len();
    let n = patterns.len();
    // Columns: patterns, then a surplus per row, then an artificial per row.
    let cols = n + 2 * m;
    let big = 1e4 * patterns.iter().map(|p| p.0).fold(1.0, f64::max);
    let cost: Vec<f64> = (0..cols)
        .map(|j| {
            if j < n {
                patterns[j].0
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
                row[j] = f64::from(p.1[i]);
            }
            row[n + i] = -1.0;
            row[n + m + i] = 1.0;
            row[cols] = demand[i];
            row
        })
        .collect();
    let mut basis: Vec<usize> = (0..m).map(|i| n + m + i).collect();
    const EPS: f64 = 1e-9;
    let tol = EPS * patterns.iter().map(|p| p.0).fold(1.0, f64::max);
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
    use crate::mixed::fixtures::ty;

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
