//! Processes that ask the same request, merged into one group for the packers.

use super::spread::spread;
use crate::node::{PackedNode, ReplicaGroup};
use std::collections::HashMap;

/// Processes with the same request merged into one group: real estates run many processes on a
/// handful of dyno sizes, so the packers work on distinct requests (a bounded number) rather than processes, and
/// the replicas are handed back to their processes afterwards. Each process is spread over the
/// zones on its own first, so zone spread holds per process.
pub(super) struct Merged {
    /// One group per distinct request, with all its replicas.
    pub(super) groups: Vec<ReplicaGroup>,
    /// Replicas of each merged group per zone.
    pub(super) counts: Vec<Vec<u32>>,
    /// The processes (group positions) of each merged group.
    pub(super) members: Vec<Vec<usize>>,
    /// Replicas of each process per zone.
    pub(super) process_counts: Vec<Vec<u32>>,
}

impl Merged {
    /// Each process spread over the zones ([`spread`]), then merged.
    pub(super) fn of(groups: &[ReplicaGroup], zones: u32) -> Merged {
        Merged::from_counts(groups, spread(groups, zones))
    }

    /// `groups` merged, with each process's replicas per zone given.
    pub(super) fn from_counts(groups: &[ReplicaGroup], process_counts: Vec<Vec<u32>>) -> Merged {
        let zones = process_counts.first().map_or(1, |c| c.len().max(1));
        let mut index: HashMap<(u32, u32), usize> = HashMap::new();
        let mut merged = Merged { groups: Vec::new(), counts: Vec::new(), members: Vec::new(), process_counts };
        for (p, g) in groups.iter().enumerate() {
            let s = *index.entry((g.request.cpu_millicores, g.request.memory_mib)).or_insert_with(|| {
                merged.groups.push(ReplicaGroup { request: g.request, replicas: 0 });
                merged.counts.push(vec![0; zones]);
                merged.members.push(Vec::new());
                merged.groups.len() - 1
            });
            merged.groups[s].replicas += g.replicas;
            for (z, n) in merged.process_counts[p].iter().enumerate() {
                merged.counts[s][z] += n;
            }
            merged.members[s].push(p);
        }
        merged
    }

    /// The nodes with their merged' replicas handed to processes, zone by zone.
    pub(super) fn expand(&self, nodes: Vec<PackedNode>) -> Vec<PackedNode> {
        let mut left = self.process_counts.clone();
        let mut cursor: Vec<Vec<usize>> = self.counts.iter().map(|c| vec![0; c.len()]).collect();
        nodes
            .into_iter()
            .map(|node| {
                let z = node.zone as usize;
                let mut items = Vec::new();
                for &(group, mut k) in &node.items {
                    let members = &self.members[group];
                    while k > 0 {
                        let p = members[cursor[group][z]];
                        let take = k.min(left[p][z]);
                        if take > 0 {
                            items.push((p, take));
                            left[p][z] -= take;
                            k -= take;
                        }
                        if left[p][z] == 0 {
                            cursor[group][z] += 1;
                        }
                    }
                }
                PackedNode { items, ..node }
            })
            .collect()
    }
}
