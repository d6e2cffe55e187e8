//! Stage 3: how a pool's replicas are spread over the availability zones before each zone is
//! packed on its own. Every spread keeps the rule that a zone holds ⌊r/N⌋ or ⌈r/N⌉ of a
//! process's r replicas.

use crate::node::ReplicaGroup;
use crate::sizing::Request;

/// How a pool's replicas are spread over the zones before packing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spread {
    /// The extra replicas of each process start one zone further on.
    Rotating,
    /// The extra replicas go to the least loaded zones,
    /// a replica weighing its share of the pool's CPU plus its share of the memory.
    Balanced,
    /// The same, a replica weighing its worth at the LP's dual prices.
    BalancedAtDuals,
}

/// Each group's replicas per zone: an equal share each, and the remainder one apiece from
/// a starting zone that rotates with the group's position, so single replicas of different
/// processes do not all land in the first zone. No zone gets more than ceil(replicas /
/// zones) of a group, and one more replica of a group changes only that group's count in
/// one zone (the plan then never shuffles other processes between zones).
pub fn spread(groups: &[ReplicaGroup], zones: u32) -> Vec<Vec<u32>> {
    let zones = zones.max(1) as usize;
    groups
        .iter()
        .enumerate()
        .map(|(index, g)| {
            let mut counts = vec![g.replicas / zones as u32; zones];
            for i in 0..(g.replicas % zones as u32) as usize {
                counts[(index + i) % zones] += 1;
            }
            counts
        })
        .collect()
}

/// Each group's replicas per zone, an equal share each, with the remainder going one apiece
/// to the zones least loaded so far: groups are taken largest first by `weight`, and a zone's
/// load is the weight of what it got. Zones come out nearly equal in demand, which a plan of
/// whole nodes per zone can use on small estates. Same limit as [`spread`]: no zone gets more
/// than ceil(replicas / zones) of a group.
pub fn spread_balanced(groups: &[ReplicaGroup], zones: u32, weight: impl Fn(Request) -> f64) -> Vec<Vec<u32>> {
    let zones = zones.max(1) as usize;
    let weights: Vec<f64> = groups.iter().map(|g| weight(g.request)).collect();
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
    let mut load = vec![0.0f64; zones];
    let mut counts = vec![Vec::new(); groups.len()];
    for g in order {
        let r = groups[g].replicas;
        let mut c = vec![r / zones as u32; zones];
        let mut by_load: Vec<usize> = (0..zones).collect();
        by_load.sort_by(|&x, &y| load[x].total_cmp(&load[y]).then(x.cmp(&y)));
        for &z in by_load.iter().take((r % zones as u32) as usize) {
            c[z] += 1;
        }
        for z in 0..zones {
            load[z] += f64::from(c[z]) * weights[g];
        }
        counts[g] = c;
    }
    counts
}

/// Each group's replicas per zone under `spread`. The balanced spreads weigh a replica by its
/// share of the pool's CPU plus its share of the memory, or by its worth at the LP's dual
/// prices (what the scarce resource costs) when there are duals.
pub(super) fn counts(
    spread_by: Spread,
    groups: &[ReplicaGroup],
    zones: u32,
    duals: Option<(f64, f64)>,
) -> Vec<Vec<u32>> {
    let (cpu, memory) = crate::sizing::total(groups.iter().map(|g| (g.request, g.replicas)));
    let shares = (1.0 / (cpu.max(1) as f64), 1.0 / (memory.max(1) as f64));
    let at =
        |rates: (f64, f64)| move |r: Request| f64::from(r.cpu_millicores) * rates.0 + f64::from(r.memory_mib) * rates.1;
    match spread_by {
        Spread::Rotating => spread(groups, zones),
        Spread::Balanced => spread_balanced(groups, zones, at(shares)),
        Spread::BalancedAtDuals => spread_balanced(groups, zones, at(duals.unwrap_or(shares))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::fixtures::group;

    #[test]
    fn a_balanced_spread_evens_the_zones_within_the_same_limit() {
        // Two processes of one large replica, at positions 0 and 3, and two of four small ones:
        // rotating starts both singles in zone 0; balancing sends the second single to a zone
        // without one.
        let groups = [group(100, 8000, 1), group(100, 500, 4), group(100, 500, 4), group(100, 8000, 1)];
        let memory = |counts: &[Vec<u32>]| -> Vec<u32> {
            (0..3).map(|z| groups.iter().zip(counts).map(|(g, c)| g.request.memory_mib * c[z]).sum()).collect()
        };
        let balanced = spread_balanced(&groups, 3, |r| f64::from(r.memory_mib));
        for (g, c) in groups.iter().zip(&balanced) {
            assert_eq!(c.iter().sum::<u32>(), g.replicas);
            assert!(c.iter().all(|&n| n <= g.replicas.div_ceil(3)));
        }
        let spread_of = |m: Vec<u32>| m.iter().max().unwrap() - m.iter().min().unwrap();
        assert!(spread_of(memory(&balanced)) < spread_of(memory(&spread(&groups, 3))), "{balanced:?}");
    }
}
