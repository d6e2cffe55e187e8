//! Stage 7: choose. A pool keeps its mixed packing when it costs less than the best single
//! type, counted into node pools per type and zone (spare nodes added).

use super::candidates::Candidate;
use super::compute_plan::Pool;
use crate::node::PackedNode;
use crate::scenario::Assumptions;

/// Node pools (one per type, counted per zone, spare nodes added) of a mixed packing.
pub(super) fn pools_of<'c>(
    nodes: &[(Candidate<'c>, PackedNode)],
    a: &Assumptions,
    spot: bool,
    serves: &Option<String>,
) -> Vec<Pool<'c>> {
    let zones = a.availability_zones.max(1) as usize;
    let mut pools: Vec<Pool<'c>> = Vec::new();
    for (c, n) in nodes {
        let i = match pools.iter().position(|p| p.candidate.instance.name == c.instance.name) {
            Some(i) => i,
            None => {
                pools.push(Pool { candidate: *c, per_zone: vec![0; zones], spot, serves: serves.clone() });
                pools.len() - 1
            }
        };
        pools[i].per_zone[n.zone as usize] += 1;
    }
    if a.spare_node_per_zone {
        for z in 0..zones {
            // The spare is the zone's most numerous type, so it can stand in for most nodes.
            if let Some(p) = pools.iter_mut().filter(|p| p.per_zone[z] > 0).max_by_key(|p| p.per_zone[z]) {
                p.per_zone[z] += 1;
            }
        }
    }
    pools.sort_by(|x, y| x.candidate.instance.name.cmp(&y.candidate.instance.name));
    pools
}
