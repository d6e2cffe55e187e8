//! Counting whole replicas: a node holds only so many pods, and only so many replicas at least
//! so large in one resource. The CPU-and-memory LP lets a node hold fractions of replicas;
//! slots as a third constraint make its dual bound whole replicas too.

use super::lp::{useful_undominated, BinType};
use crate::node::{Allocatable, NodeType, ReplicaGroup};
use crate::sizing::Request;

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
                (t.bin.cost_per_hour - lc * f64::from(t.bin.cpu_millicores) - mu * f64::from(t.slots))
                    / f64::from(t.bin.memory_mib)
            })
            .fold(f64::INFINITY, f64::min);
        (lm >= 0.0).then_some(lm)
    };
    let at = |lc: f64, mu: f64| memory_price(lc, mu).map_or(f64::NEG_INFINITY, |lm| value(lc, lm, mu));
    let max_cpu_price = |mu: f64| {
        kept.iter()
            .map(|t| (t.bin.cost_per_hour - mu * f64::from(t.slots)) / f64::from(t.bin.cpu_millicores))
            .fold(f64::INFINITY, f64::min)
            .max(0.0)
    };
    let best_at_mu = |mu: f64| golden_max(0.0, max_cpu_price(mu), |lc| at(lc, mu));
    let max_mu = kept
        .iter()
        .filter(|t| t.slots > 0)
        .map(|t| t.bin.cost_per_hour / f64::from(t.slots))
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
    useful_undominated(types, |t| t.bin, |t| (t.bin.cost_per_hour, [t.bin.cpu_millicores, t.bin.memory_mib, t.slots]))
}

/// A class of replicas a node can hold only so many of: every replica (a node's pod limit), or
/// the replicas asking at least so much of one resource (its usable amount over that).
#[derive(Debug, Clone, Copy)]
pub(super) enum SlotClass {
    Pods,
    Cpu(u32),
    Memory(u32),
}

impl SlotClass {
    pub(super) fn holds(self, r: Request) -> bool {
        match self {
            SlotClass::Pods => true,
            SlotClass::Cpu(at_least) => r.cpu_millicores >= at_least,
            SlotClass::Memory(at_least) => r.memory_mib >= at_least,
        }
    }

    pub(super) fn slots(self, usable: Allocatable) -> u32 {
        match self {
            SlotClass::Pods => usable.pods,
            SlotClass::Cpu(at_least) => usable.cpu_millicores / at_least.max(1),
            SlotClass::Memory(at_least) => usable.memory_mib / at_least.max(1),
        }
    }
}

/// The classes worth counting: pods, and in each resource the few largest requests as
/// thresholds, where whole replicas waste the most of a node.
pub(super) fn slot_classes(placed: &[&ReplicaGroup], types: &[NodeType]) -> Vec<SlotClass> {
    let largest = |of: fn(Request) -> u32| -> Vec<u32> {
        let mut sizes: Vec<u32> = placed.iter().map(|g| of(g.request)).filter(|&x| x > 0).collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        sizes.dedup();
        sizes.truncate(crate::effort::SLOT_THRESHOLDS);
        sizes
    };
    let mut classes = Vec::new();
    // ECS counts no pods (no limit): only EKS's pod limits can bind.
    if types.iter().any(|t| t.usable.pods < u32::MAX) {
        classes.push(SlotClass::Pods);
    }
    classes.extend(largest(|r| r.cpu_millicores).into_iter().map(SlotClass::Cpu));
    classes.extend(largest(|r| r.memory_mib).into_iter().map(SlotClass::Memory));
    classes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bound::lp::lp_lower_bound;

    #[test]
    fn counting_whole_items_bounds_what_fractions_cannot() {
        // Two items of 1000 m and 9000 MiB on 16000 MiB nodes at $1/h: fractionally 18000/16000
        // = 1.125 nodes, but a node holds one such item (16000 / 9000 = 1 slot): 2 nodes.
        let node = BinType { cost_per_hour: 1.0, cpu_millicores: 8000, memory_mib: 16000 };
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
}
