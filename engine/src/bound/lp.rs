//! The linear-programming relaxation of the packing over CPU and memory, and its dual prices:
//! what each resource is worth where it is scarce.

use crate::node::undominated_by;

/// A node type the bound may buy fractions of.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BinType {
    /// The on-demand price per node-hour as a float, for the searches' arithmetic: money is
    /// always summed from the catalog's exact price, never from this.
    pub cost_per_hour: f64,
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
        consider(nodes * t.cost_per_hour);
    }
    for (i, s) in kept.iter().enumerate() {
        for t in &kept[i + 1..] {
            // x·s + y·t holds exactly the CPU and the memory.
            let (cs, ms, ct, mt) = capacities(s, t);
            if let Some((xs, xt)) = solve_2x2(cs, ct, ms, mt, c, m) {
                if xs >= 0.0 && xt >= 0.0 {
                    consider(xs * s.cost_per_hour + xt * t.cost_per_hour);
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
                lc * f64::from(t.cpu_millicores) + lm * f64::from(t.memory_mib) <= t.cost_per_hour * (1.0 + 1e-12)
            })
    };
    let mut points: Vec<(f64, f64)> = vec![
        (kept.iter().map(|t| t.cost_per_hour / f64::from(t.cpu_millicores)).fold(f64::INFINITY, f64::min), 0.0),
        (0.0, kept.iter().map(|t| t.cost_per_hour / f64::from(t.memory_mib)).fold(f64::INFINITY, f64::min)),
    ];
    for (i, s) in kept.iter().enumerate() {
        for t in &kept[i + 1..] {
            // Prices at which both types cost exactly their price: the transposed system.
            let (cs, ms, ct, mt) = capacities(s, t);
            points.extend(solve_2x2(cs, ms, ct, mt, s.cost_per_hour, t.cost_per_hour));
        }
    }
    let (c, m) = (cpu as f64, memory as f64);
    points
        .into_iter()
        .filter(|&(lc, lm)| lc.is_finite() && lm.is_finite() && feasible(lc, lm))
        .max_by(|a, b| (c * a.0 + m * a.1).total_cmp(&(c * b.0 + m * b.1)))
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
    useful_undominated(types, |t| *t, |t| (t.cost_per_hour, [t.cpu_millicores, t.memory_mib]))
}

/// The items whose type (`bin`) has CPU, memory and a finite price, less those another such
/// item beats by `key` ([`undominated_by`]).
pub(super) fn useful_undominated<T: Copy, const N: usize>(
    items: &[T],
    bin: impl Fn(&T) -> BinType,
    key: impl Fn(&T) -> (f64, [u32; N]),
) -> Vec<T> {
    let useful: Vec<T> = items
        .iter()
        .copied()
        .filter(|t| {
            let b = bin(t);
            b.cpu_millicores > 0 && b.memory_mib > 0 && b.cost_per_hour.is_finite()
        })
        .collect();
    let keep = undominated_by(&useful, key);
    useful.into_iter().zip(keep).filter(|(_, k)| *k).map(|(t, _)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CPU_HEAVY: BinType = BinType { cost_per_hour: 0.34, cpu_millicores: 8000, memory_mib: 16000 };
    const MEM_HEAVY: BinType = BinType { cost_per_hour: 0.504, cpu_millicores: 8000, memory_mib: 64000 };

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
        let worse = BinType { cost_per_hour: 0.40, ..CPU_HEAVY };
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
            assert!(lc * f64::from(t.cpu_millicores) + lm * f64::from(t.memory_mib) <= t.cost_per_hour + 1e-12);
        }
    }

    #[test]
    fn nothing_to_hold_costs_nothing_and_no_types_bound_nothing() {
        assert_eq!(lp_lower_bound(0, 0, &[CPU_HEAVY]), Some(0.0));
        assert_eq!(lp_lower_bound(1, 1, &[]), None);
    }
}
