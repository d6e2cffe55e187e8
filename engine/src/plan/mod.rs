//! The compute plan of one target: node pools that hold every replica (one pool, or one per
//! process for plain EC2, with interruption-tolerant work in a pool of its own when it runs on
//! spot), or Fargate tasks rounded up to valid sizes.
//!
//! Each pool is planned in stages, one module each, in this order ([`plan_like`] runs them):
//!
//! 1. `candidates.rs`: the allowed instance types priced in the region, with what a node of
//!    each offers once the orchestrator's share and the headroom are taken ([`candidates`]);
//! 2. `single.rs`: each zone packed first-fit decreasing on one type, for the few types whose
//!    per-type bound could still win: the plan to beat, and the alternatives shown;
//! 3. `mixed.rs`: where a pool may mix types (Karpenter, Auto Mode, capacity providers), the
//!    replicas spread over the zones (`spread.rs`) and each new node opened as the type that
//!    holds the most of what is left per dollar, what is left valued several ways;
//! 4. `split.rs`: on small pools, single extra replicas moved between zones while that makes
//!    two zones cheaper;
//! 5. `mend.rs`: each zone's nodes merged, emptied into the others and shrunk while that
//!    costs less;
//! 6. `cover.rs`: small pools covered zone by zone with whole node patterns (price-and-branch),
//!    the split searched again on those costs;
//! 7. `choose.rs`: the mixed packing kept when it costs less than the best single type.
//!
//! Fargate targets skip the node stages (`fargate.rs`). Processes asking the same request are
//! packed as one group (`merged.rs`). How hard each stage looks is set in [`crate::effort`];
//! what any plan must cost at least is [`crate::bound`]'s.

mod candidates;
mod choose;
mod compute_plan;
mod cover;
mod demand;
mod fargate;
mod mend;
mod merged;
mod mixed;
mod single;
mod split;
mod spread;

pub use candidates::{candidates, spot_candidates, wanted_types, Candidate, SpotCandidates};
pub use compute_plan::TaskSize;
pub use compute_plan::{Alternative, ComputePlan, MixedChoice, Placement, Pool, Tasks};
pub use demand::Demand;
pub use mixed::Valuation;
pub use spread::Spread;

use crate::effort::{SMALL_POOL_REPLICAS, SPLIT_SEARCH_REPLICAS, VALUATION_STEPS, VALUATION_STEPS_SMALL};
use crate::error::EstimateError;
use crate::node::{hourly_cost, PackedNode, ReplicaGroup};
use crate::scenario::{Assumptions, Platform};
use cover::Cover;
use merged::Merged;
use mixed::{pack_mixed_cheapest, MixedPacking, ValuationSearch, Valuer};
use rust_decimal::Decimal;

/// Plans `platform`'s compute for the demands. With `spot` (the spot pool's candidates, each
/// at its spot price), interruption-tolerant processes get a pool of their own planned on them,
/// which the spot model prices at spot; a tolerant process that fits none of them stays with
/// the rest ([`on_spot`]).
pub fn plan<'c>(
    platform: Platform,
    demands: &[Demand],
    candidates: &[Candidate<'c>],
    a: &Assumptions,
    spot: Option<&[Candidate<'c>]>,
) -> Result<ComputePlan<'c>, EstimateError> {
    plan_like(platform, demands, candidates, a, spot, None)
}

/// [`plan`], packing each mixed pool only the way `like` packed its counterpart, when given:
/// a what-if (the sensitivity's moved headroom) is then planned by the same method as the plan
/// it varies, with one packing per zone instead of a search.
pub fn plan_like<'c>(
    platform: Platform,
    demands: &[Demand],
    candidates: &[Candidate<'c>],
    a: &Assumptions,
    spot: Option<&[Candidate<'c>]>,
    like: Option<&ComputePlan>,
) -> Result<ComputePlan<'c>, EstimateError> {
    if platform.is_fargate() {
        return fargate::plan(platform, demands);
    }
    let mut plan = ComputePlan::default();
    for pool in pools(platform, demands, spot) {
        let on = match spot {
            Some(s) if pool.spot => s,
            _ => candidates,
        };
        plan_pool(&mut plan, platform, demands, on, a, &pool, like)?;
    }
    Ok(plan)
}

/// The demands one pool holds, and what its nodes are for.
struct PoolDemands {
    /// Indices into the demands.
    part: Vec<usize>,
    /// Interruption-tolerant work only (spot-eligible).
    spot: bool,
    /// The process it serves, for one-group-per-process plans.
    serves: Option<String>,
}

/// Whether `d` runs in the spot pool planned on `spot`: it tolerates interruption and some spot
/// candidate holds a replica.
pub fn on_spot(d: &Demand, spot: Option<&[Candidate]>) -> bool {
    d.interruption_tolerant && spot.is_some_and(|s| s.iter().any(|c| c.allocatable.holds(d.request)))
}

/// How the demands divide into pools: one per process for plain EC2; with `spot`, the
/// interruption-tolerant processes it holds apart from the rest; otherwise one pool for all.
fn pools(platform: Platform, demands: &[Demand], spot: Option<&[Candidate]>) -> Vec<PoolDemands> {
    if platform == Platform::Ec2 {
        demands
            .iter()
            .enumerate()
            .map(|(i, d)| PoolDemands {
                part: vec![i],
                spot: on_spot(d, spot),
                serves: Some(format!("{}/{}", d.app, d.process)),
            })
            .collect()
    } else if demands.iter().any(|d| on_spot(d, spot) && d.replicas > 0) {
        let (tolerant, steady): (Vec<usize>, Vec<usize>) =
            (0..demands.len()).partition(|&i| on_spot(&demands[i], spot));
        vec![
            PoolDemands { part: steady, spot: false, serves: None },
            PoolDemands { part: tolerant, spot: true, serves: None },
        ]
    } else {
        vec![PoolDemands { part: (0..demands.len()).collect(), spot: false, serves: None }]
    }
}

/// One pool, stage by stage, added to `plan`.
fn plan_pool<'c>(
    plan: &mut ComputePlan<'c>,
    platform: Platform,
    demands: &[Demand],
    candidates: &[Candidate<'c>],
    a: &Assumptions,
    pool: &PoolDemands,
    like: Option<&ComputePlan>,
) -> Result<(), EstimateError> {
    let refs: Vec<&Demand> = pool.part.iter().map(|&i| &demands[i]).collect();
    if refs.iter().all(|d| d.replicas == 0) {
        return Ok(());
    }
    // Stage 2: the best single type.
    let (single, packing, alternatives) = single::best_pool(&refs, candidates, a)?;
    plan.alternatives.push(alternatives);
    plan.parts.push(pool.part.clone());
    let single_cost = single.candidate.planned_usd_per_hour * Decimal::from(single.nodes());
    let mut nodes: Vec<(Candidate<'c>, PackedNode)> =
        packing.nodes.into_iter().map(|n| (single.candidate, n)).collect();
    let mut pools = vec![Pool { spot: pool.spot, serves: pool.serves.clone(), ..single }];
    // Stages 3 to 6, where the pool may mix types.
    if a.mixed_instance_types && platform != Platform::Ec2 {
        let search = MixedSearch::for_pool(&refs, like.and_then(|l| l.mixed.get(plan.mixed.len())));
        if let Some((mixed, choice)) = mixed_stages(&refs, candidates, a, &search) {
            plan.mixed.push(choice);
            // Stage 7: the cheaper of the two.
            let cost: Decimal = mixed.iter().map(|(c, _)| c.planned_usd_per_hour).sum();
            if cost < single_cost {
                pools = choose::pools_of(&mixed, a, pool.spot, &pool.serves);
                nodes = mixed;
            }
        }
    }
    for (candidate, node) in nodes {
        plan.placements.push(Placement {
            candidate,
            zone: node.zone,
            items: node.items.iter().map(|&(g, n)| (pool.part[g], n)).collect(),
            used: node.used,
            spot: pool.spot,
        });
    }
    plan.pools.extend(pools);
    Ok(())
}

/// How hard the mixed stages look for one pool.
struct MixedSearch<'v> {
    /// How each zone's valuation is found.
    valuations: ValuationSearch<'v>,
    /// The zone spreads tried.
    spreads: Vec<Spread>,
    /// Whether each zone is mended as it is packed (`true`), or once the split is settled.
    mend_each: Vec<bool>,
}

impl<'v> MixedSearch<'v> {
    /// The search for a pool of `demands`: as `like` chose when given (a what-if), else by the
    /// pool's size.
    fn for_pool(demands: &[&Demand], like: Option<&'v MixedChoice>) -> Self {
        if let Some(c) = like {
            return MixedSearch {
                valuations: ValuationSearch::Like(&c.valuations),
                spreads: vec![c.spread],
                mend_each: vec![c.mended],
            };
        }
        let replicas: u32 = demands.iter().map(|d| d.replicas).sum();
        // Without a split search the two ways of mending differ little.
        let mend_each = if replicas <= SPLIT_SEARCH_REPLICAS { vec![false, true] } else { vec![true] };
        if replicas <= SMALL_POOL_REPLICAS {
            MixedSearch {
                valuations: ValuationSearch::Thorough(VALUATION_STEPS_SMALL),
                spreads: vec![Spread::Rotating, Spread::Balanced, Spread::BalancedAtDuals],
                mend_each,
            }
        } else {
            MixedSearch {
                valuations: ValuationSearch::Thorough(VALUATION_STEPS),
                spreads: vec![Spread::Rotating],
                mend_each,
            }
        }
    }
}

/// Nodes of mixed types with what each holds.
type MixedNodes<'c> = Vec<(Candidate<'c>, PackedNode)>;

/// Stages 3 to 6 for a pool whose nodes may mix types (only types no other beats on price and
/// every capacity); `None` when some replica fits no type.
///
/// The greedy packer's nodes are mended either as each zone is packed, so the zone split is
/// searched on mended costs, or once the split is settled on the greedy costs; each way wins on
/// some estates, so small pools try both and keep the cheaper. Pools of up to
/// `SPLIT_SEARCH_REPLICAS` replicas and `PATTERN_MAX_ITEMS` distinct requests are then covered
/// zone by zone with whole node patterns, and their split searched again on those costs.
fn mixed_stages<'c>(
    demands: &[&Demand],
    candidates: &[Candidate<'c>],
    a: &Assumptions,
    search: &MixedSearch,
) -> Option<(MixedNodes<'c>, MixedChoice)> {
    let (kept, types) = candidates::node_types(candidates);
    let groups: Vec<ReplicaGroup> = demands.iter().map(|d| d.group()).collect();
    let zones = a.availability_zones.max(1);
    let valuer = Valuer::new(&groups, &types);
    let cost = |nodes: &[(usize, PackedNode)]| hourly_cost(&types, nodes);
    let replicas: u32 = groups.iter().map(|g| g.replicas).sum();
    let small = replicas <= SPLIT_SEARCH_REPLICAS;
    // Stage 6's patterns, found once for the pool: every zone's cover starts from them.
    let cover = if small { Cover::for_pool(&groups, zones, &types) } else { None };
    let attempt = |mend_each: bool| -> Option<(Merged, MixedPacking, Spread)> {
        // Stage 3: each spread packed zone by zone, the cheapest kept.
        let mut best: Option<(Merged, MixedPacking, Spread)> = None;
        for &s in &search.spreads {
            let merged = Merged::from_counts(&groups, spread::counts(s, &groups, zones, valuer.duals));
            let packing =
                pack_mixed_cheapest(&merged.groups, &merged.counts, &types, &valuer, search.valuations, mend_each)?;
            if best.as_ref().is_none_or(|b| cost(&packing.nodes) < cost(&b.1.nodes) - 1e-9) {
                best = Some((merged, packing, s));
            }
        }
        let (mut merged, mut packing, spread) = best?;
        // Stage 4.
        if zones > 1 && small {
            (merged, packing) =
                split::search_split(&groups, merged, packing, &types, &valuer, search.valuations, mend_each);
        }
        // Stage 5, when the zones were not mended as they were packed.
        if !mend_each {
            mend::mend_zones(&merged.groups, &types, zones, &mut packing.nodes);
        }
        Some((merged, packing, spread))
    };
    let mut best: Option<(Merged, MixedPacking, Spread, bool)> = None;
    for &mend_each in &search.mend_each {
        let (merged, packing, spread) = attempt(mend_each)?;
        if best.as_ref().is_none_or(|b| cost(&packing.nodes) < cost(&b.1.nodes) - 1e-9) {
            best = Some((merged, packing, spread, mend_each));
        }
    }
    let (mut merged, mut packing, spread, mended) = best?;
    // Stage 6.
    if let Some(cover) = &cover {
        (merged, packing.nodes) =
            cover::cover_split(&groups, merged, std::mem::take(&mut packing.nodes), &types, cover);
    }
    let (types_of, packed): (Vec<usize>, Vec<PackedNode>) = packing.nodes.into_iter().unzip();
    let nodes = types_of.into_iter().zip(merged.expand(packed)).map(|(t, n)| (candidates[kept[t]], n)).collect();
    Some((nodes, MixedChoice { spread, valuations: packing.valuations, mended }))
}
