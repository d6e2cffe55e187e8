//! A lower bound on what any node plan can cost: the linear-programming relaxation of the
//! packing over CPU and memory. Whole nodes, zones and pod limits only push a real plan
//! above it, so the gap between a plan and this bound says how much better a plan could be.

/// A node type the bound may buy fractions of.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BinType {
    /// USD per node-hour.
    pub usd_per_hour: f64,
    /// Usable CPU, millicores.
    pub cpu_millicores: u32,
    /// Usable memory, MiB.
    pub memory_mib: u32,
}

/// The cheapest hourly cost of fractional nodes holding `cpu` millicores and `memory` MiB:
/// `min Σ pₜxₜ` subject to `Σ cₜxₜ ≥ cpu`, `Σ mₜxₜ ≥ memory`, `x ≥ 0`. With two constraints an
/// optimal vertex uses at most two types, so single types and pairs are enumerated (after
/// dropping types another type beats on price, CPU and memory at once). `None` when no type
/// has capacity.
pub fn lp_lower_bound(cpu: u64, memory: u64, types: &[BinType]) -> Option<f64> {
    let (c, m) = (cpu as f64, memory as f64);
    if c == 0.0 && m == 0.0 {
        return Some(0.0);
    }
    let kept = undominated(types);
    let mut best: Option<f64> = None;
    let mut consider = |cost: f64| {
        if cost.is_finite() && best.is_none_or(|b| cost < b) {
            best = Some(cost);
        }
    };
    for t in &kept {
        let nodes = (c / f64::from(t.cpu_millicores)).max(m / f64::from(t.memory_mib));
        consider(nodes * t.usd_per_hour);
    }
    for (i, s) in kept.iter().enumerate() {
        for t in &kept[i + 1..] {
            // x·s + y·t holds exactly the CPU and the memory.
            let (cs, ms, ct, mt) = capacities(s, t);
            if let Some((xs, xt)) = solve_2x2(cs, ct, ms, mt, c, m) {
                if xs >= 0.0 && xt >= 0.0 {
                    consider(xs * s.usd_per_hour + xt * t.usd_per_hour);
                }
            }
        }
    }
    best
}

/// Prices per millicore and per MiB that no type's price undercuts (`λc·c + λm·m ≤ p` for
/// every type) and that value `cpu` and `memory` highest: the LP dual. Any such prices value a
/// replica at no more than what the capacity it needs must cost, so they bound plans item by
/// item. Only types no other type beats on price and both resources constrain the duals.
pub fn lp_dual_prices(cpu: u64, memory: u64, types: &[BinType]) -> Option<(f64, f64)> {
    let kept = undominated(types);
    if kept.is_empty() {
        return None;
    }
    let feasible = |lc: f64, lm: f64| {
        lc >= 0.0
            && lm >= 0.0
            && kept.iter().all(|t| {
                lc * f64::from(t.cpu_millicores) + lm * f64::from(t.memory_mib) <= t.usd_per_hour * (1.0 + 1e-12)
            })
    };
    let mut points: Vec<(f64, f64)> = vec![
        (kept.iter().map(|t| t.usd_per_hour / f64::from(t.cpu_millicores)).fold(f64::INFINITY, f64::min), 0.0),
        (0.0, kept.iter().map(|t| t.usd_per_hour / f64::from(t.memory_mib)).fold(f64::INFINITY, f64::min)),
    ];
    for (i, s) in kept.iter().enumerate() {
        for t in &kept[i + 1..] {
            // Prices at which both types cost exactly their price: the transposed system.
            let (cs, ms, ct, mt) = capacities(s, t);
            points.extend(solve_2x2(cs, ms, ct, mt, s.usd_per_hour, t.usd_per_hour));
        }
    }
    let (c, m) = (cpu as f64, memory as f64);
    points
        .into_iter()
        .filter(|&(lc, lm)| lc.is_finite() && lm.is_finite() && feasible(lc, lm))
        .max_by(|a, b| (c * a.0 + m * a.1).total_cmp(&(c * b.0 + m * b.1)))
}

/// A node type with a third, counted capacity: how many items of one class (replicas at least
/// so large in one resource, or any replica when counting pods) a node of the type can hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlottedType {
    /// The type's price and usable CPU and memory.
    pub bin: BinType,
    /// Items of the class one node holds at most.
    pub slots: u32,
}

/// The highest `value(λc, λm, μ)` over prices that no type undercuts:
/// `λc·cpu + λm·memory + μ·slots ≤ price` for every type, all prices ≥ 0. When `value` prices
/// each item at no more than `λ·request + μ` (class items) or `λ·request` (others), every node
/// holding items within its capacity and slots costs at least their value, so the result bounds
/// any plan from below: the dual of the LP relaxation with slots as a third constraint.
/// Whole-item counts are what the slots add: two replicas that each need more than half of any
/// node's memory never share a node, which CPU and memory alone, being fractional, ignore.
///
/// `value` must be concave and non-decreasing in each price (a sum of minima of such prices
/// is), so nested golden-section searches over μ and λc (λm then being the largest feasible)
/// converge to the maximum; any point they visit is feasible, so the result stays a bound even
/// where the search stops short.
pub fn slotted_dual_bound(types: &[SlottedType], value: impl Fn(f64, f64, f64) -> f64) -> Option<f64> {
    let kept = undominated_slotted(types);
    if kept.is_empty() {
        return None;
    }
    // The largest λm that keeps every type's price, at λc and μ; None when none can.
    let memory_price = |lc: f64, mu: f64| -> Option<f64> {
        let lm = kept
            .iter()
            .map(|t| {
                (t.bin.usd_per_hour - lc * f64::from(t.bin.cpu_millicores) - mu * f64::from(t.slots))
                    / f64::from(t.bin.memory_mib)
            })
            .fold(f64::INFINITY, f64::min);
        (lm >= 0.0).then_some(lm)
    };
    let at = |lc: f64, mu: f64| memory_price(lc, mu).map_or(f64::NEG_INFINITY, |lm| value(lc, lm, mu));
    let max_cpu_price = |mu: f64| {
        kept.iter()
            .map(|t| (t.bin.usd_per_hour - mu * f64::from(t.slots)) / f64::from(t.bin.cpu_millicores))
            .fold(f64::INFINITY, f64::min)
            .max(0.0)
    };
    let best_at_mu = |mu: f64| golden_max(0.0, max_cpu_price(mu), |lc| at(lc, mu));
    let max_mu = kept
        .iter()
        .filter(|t| t.slots > 0)
        .map(|t| t.bin.usd_per_hour / f64::from(t.slots))
        .fold(f64::INFINITY, f64::min);
    let best = if max_mu.is_finite() { golden_max(0.0, max_mu, best_at_mu) } else { best_at_mu(0.0) };
    best.is_finite().then_some(best)
}

/// The largest `f(x)` seen while searching `[lo, hi]` by golden sections, for concave `f`.
fn golden_max(lo: f64, hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    const STEPS: usize = 20;
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let (mut a, mut b) = (lo, hi);
    let mut best = f(lo).max(f(hi));
    let (mut x1, mut x2) = (b - ratio * (b - a), a + ratio * (b - a));
    let (mut f1, mut f2) = (f(x1), f(x2));
    for _ in 0..STEPS {
        best = best.max(f1).max(f2);
        if f1 < f2 {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + ratio * (b - a);
            f2 = f(x2);
        } else {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - ratio * (b - a);
            f1 = f(x1);
        }
    }
    best.max(f1).max(f2)
}

/// The slotted types no other type beats on price, CPU, memory and slots at once: a beaten
/// type's constraint is implied by its better's, whatever the prices.
fn undominated_slotted(types: &[SlottedType]) -> Vec<SlottedType> {
    useful_undominated(types, |t| t.bin, |t| (t.bin.usd_per_hour, [t.bin.cpu_millicores, t.bin.memory_mib, t.slots]))
}

/// CPU and memory of two types: `(c_s, m_s, c_t, m_t)`.
fn capacities(s: &BinType, t: &BinType) -> (f64, f64, f64, f64) {
    (f64::from(s.cpu_millicores), f64::from(s.memory_mib), f64::from(t.cpu_millicores), f64::from(t.memory_mib))
}

/// Solves `a·x + b·y = e`, `c·x + d·y = f` (Cramer's rule); `None` when singular.
fn solve_2x2(a: f64, b: f64, c: f64, d: f64, e: f64, f: f64) -> Option<(f64, f64)> {
    let det = a * d - b * c;
    (det != 0.0).then(|| ((e * d - b * f) / det, (a * f - e * c) / det))
}

/// The types no other type beats on price, CPU and memory at once.
fn undominated(types: &[BinType]) -> Vec<BinType> {
    useful_undominated(types, |t| *t, |t| (t.usd_per_hour, [t.cpu_millicores, t.memory_mib]))
}

/// The items whose type (`bin`) has CPU, memory and a finite price, less those another such
/// item beats by `key` ([`undominated_by`]).
fn useful_undominated<T: Copy, const N: usize>(
    items: &[T],
    bin: impl Fn(&T) -> BinType,
    key: impl Fn(&T) -> (f64, [u32; N]),
) -> Vec<T> {
    let useful: Vec<T> = items
        .iter()
        .copied()
        .filter(|t| {
            let b = bin(t);
            b.cpu_millicores > 0 && b.memory_mib > 0 && b.usd_per_hour.is_finite()
        })
        .collect();
    let keep = undominated_by(&useful, key);
    useful.into_iter().zip(keep).filter(|(_, k)| *k).map(|(t, _)| t).collect()
}

/// Which items no other item beats: one that costs no more and offers at least as much of every
/// capacity (`key` gives the price and the capacities) beats an item when it is cheaper or
/// offers more of something, or, for exact equals, comes first. Types so beaten never make a
/// plan or a bound better, and dropping them shrinks every search over types.
pub fn undominated_by<T, const N: usize>(items: &[T], key: impl Fn(&T) -> (f64, [u32; N])) -> Vec<bool> {
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

#[cfg(test)]
mod tests {
    use super::*;

    const CPU_HEAVY: BinType = BinType { usd_per_hour: 0.34, cpu_millicores: 8000, memory_mib: 16000 };
    const MEM_HEAVY: BinType = BinType { usd_per_hour: 0.504, cpu_millicores: 8000, memory_mib: 64000 };

    #[test]
    fn one_type_is_bounded_by_its_scarcer_resource() {
        // 16 vCPU and 16 GB on c5-like nodes: CPU needs 2 nodes, memory 1 → 2 × 0.34
        let b = lp_lower_bound(16_000, 16_000, &[CPU_HEAVY]).unwrap();
        assert!((b - 0.68).abs() < 1e-9, "{b}");
    }

    #[test]
    fn two_types_mixed_beat_either_alone() {
        // 16 vCPU and 80 GB. CPU-heavy alone: max(2, 5) × 0.34 = 1.70. Memory-heavy alone:
        // max(2, 1.25) × 0.504 = 1.008. Mixed: x + y = 2 (CPU), 16000x + 64000y = 80000 →
        // y = 1, x = 1 → 0.844.
        let b = lp_lower_bound(16_000, 80_000, &[CPU_HEAVY, MEM_HEAVY]).unwrap();
        assert!((b - 0.844).abs() < 1e-9, "{b}");
    }

    #[test]
    fn a_dominated_type_changes_nothing() {
        let worse = BinType { usd_per_hour: 0.40, ..CPU_HEAVY };
        let with = lp_lower_bound(16_000, 80_000, &[CPU_HEAVY, MEM_HEAVY, worse]).unwrap();
        let without = lp_lower_bound(16_000, 80_000, &[CPU_HEAVY, MEM_HEAVY]).unwrap();
        assert_eq!(with, without);
    }

    #[test]
    fn dual_prices_value_the_demand_at_the_lp_bound() {
        // the mixed case above: both types tight → λc·8000 + λm·16000 = 0.34,
        // λc·8000 + λm·64000 = 0.504 → λm = 0.164/48000, λc = (0.34 − 16000 λm)/8000
        let (lc, lm) = lp_dual_prices(16_000, 80_000, &[CPU_HEAVY, MEM_HEAVY]).unwrap();
        let value = 16_000.0 * lc + 80_000.0 * lm;
        assert!((value - 0.844).abs() < 1e-9, "{value}");
        // no type is undercut
        for t in [CPU_HEAVY, MEM_HEAVY] {
            assert!(lc * f64::from(t.cpu_millicores) + lm * f64::from(t.memory_mib) <= t.usd_per_hour + 1e-12);
        }
    }

    #[test]
    fn counting_whole_items_bounds_what_fractions_cannot() {
        // Two items of 1000 m and 9000 MiB on 16000 MiB nodes at $1/h: fractionally 18000/16000
        // = 1.125 nodes, but a node holds one such item (16000 / 9000 = 1 slot): 2 nodes.
        let node = BinType { usd_per_hour: 1.0, cpu_millicores: 8000, memory_mib: 16000 };
        let lp = lp_lower_bound(2000, 18000, &[node]).unwrap();
        assert!((lp - 1.125).abs() < 1e-9, "{lp}");
        let slotted = slotted_dual_bound(&[SlottedType { bin: node, slots: 1 }], |lc, lm, mu| {
            lc * 2000.0 + lm * 18000.0 + mu * 2.0
        })
        .unwrap();
        assert!((slotted - 2.0).abs() < 1e-6, "{slotted}");
        // with room for two to a node the slots add nothing
        let roomy = slotted_dual_bound(&[SlottedType { bin: node, slots: 2 }], |lc, lm, mu| {
            lc * 2000.0 + lm * 18000.0 + mu * 2.0
        })
        .unwrap();
        assert!((roomy - 1.125).abs() < 1e-6, "{roomy}");
    }

    #[test]
    fn nothing_to_hold_costs_nothing_and_no_types_bound_nothing() {
        assert_eq!(lp_lower_bound(0, 0, &[CPU_HEAVY]), Some(0.0));
        assert_eq!(lp_lower_bound(1, 1, &[]), None);
    }
}
