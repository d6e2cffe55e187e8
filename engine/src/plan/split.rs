//! Stage 4: the zone split. Which zone takes a process's extra replica decides much of a small
//! estate's cost, since each zone rounds its share of a few large replicas up to whole nodes.

use super::merged::Merged;
use super::mixed::{pack_mixed_cheapest, pack_zone, MixedPacking, ValuationSearch, Valuer, VALUATIONS};
use crate::effort::SPLIT_PASSES;
use crate::node::{by_zone, hourly_cost, NodeType, ReplicaGroup};

/// Moves single replicas between zones while that makes the two zones cheaper, each zone
/// repacked with the valuation it chose (and mended, with `mend_each`); then, if anything moved,
/// packs every zone of the new split as the pool's search does and keeps that if cheaper. A move keeps the spread's rule
/// that a zone holds ⌊r/N⌋ or ⌈r/N⌉ of a process's r replicas: it hands one process's extra
/// replica from one zone to another without one. On small estates the split decides much of
/// the cost, since each zone rounds its share of a few large replicas up to whole nodes; a
/// fixed spread cannot see which zone a replica fits best.
pub(super) fn search_split(
    groups: &[ReplicaGroup],
    mut merged: Merged,
    packing: MixedPacking,
    types: &[NodeType],
    valuer: &Valuer,
    search: ValuationSearch,
    mend_each: bool,
) -> (Merged, MixedPacking) {
    let zones = merged.process_counts.first().map_or(1, Vec::len);
    let valuations = packing.valuations.clone();
    let mut by_zone = by_zone(packing.nodes.clone(), zones);
    let mut cost: Vec<f64> = by_zone.iter().map(|z| hourly_cost(types, z)).collect();
    let mut counts = merged.process_counts.clone();
    let mut moved_any = false;
    for _ in 0..SPLIT_PASSES {
        let mut improved = false;
        for p in 0..groups.len() {
            for (from, to) in (0..zones).flat_map(|f| (0..zones).map(move |t| (f, t))) {
                // Only an extra replica moves, to a zone without one.
                if counts[p][from] <= counts[p][to] {
                    continue;
                }
                counts[p][from] -= 1;
                counts[p][to] += 1;
                let moved = Merged::from_counts(groups, counts.clone());
                let repack = |z: usize| {
                    let v = valuations.get(z).copied().unwrap_or(VALUATIONS[0]);
                    let mut nodes = pack_zone(&moved.groups, &moved.counts, z as u32, types, valuer.worth(v))?;
                    if mend_each {
                        super::mend::mend_zone(&moved.groups, types, &mut nodes);
                    }
                    Some(nodes)
                };
                let repacked = repack(from).zip(repack(to)).map(|(a, b)| {
                    let costs = (hourly_cost(types, &a), hourly_cost(types, &b));
                    (a, b, costs)
                });
                match repacked {
                    Some((a, b, (ca, cb))) if ca + cb < cost[from] + cost[to] - 1e-9 => {
                        (cost[from], cost[to]) = (ca, cb);
                        (by_zone[from], by_zone[to]) = (a, b);
                        merged = moved;
                        (improved, moved_any) = (true, true);
                    }
                    _ => {
                        counts[p][from] += 1;
                        counts[p][to] -= 1;
                    }
                }
            }
        }
        if !improved {
            break;
        }
    }
    if !moved_any {
        return (merged, packing);
    }
    let found = MixedPacking { nodes: by_zone.into_iter().flatten().collect(), valuations };
    match pack_mixed_cheapest(&merged.groups, &merged.counts, types, valuer, search, mend_each) {
        Some(again) if hourly_cost(types, &again.nodes) < hourly_cost(types, &found.nodes) - 1e-9 => (merged, again),
        _ => (merged, found),
    }
}
