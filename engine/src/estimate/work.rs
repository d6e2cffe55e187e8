//! The packing work an estimate would do, counted before it is done ([`WorkUnits`]).

use crate::error::EstimateError;
use crate::limits::WorkUnits;
use crate::plan::Demand;
use crate::scenario::Platform;
use std::collections::HashSet;

/// Refuses an estimate whose packing would exceed `budget` units: every target in each of
/// `regions` regions, and `generation_groups` more plans for each node target.
pub(super) fn within_budget(
    targets: &[Platform],
    demands: &[Demand],
    hourly: Option<&[Vec<u32>]>,
    regions: u64,
    generation_groups: u64,
    budget: u64,
) -> Result<(), EstimateError> {
    let node_targets = targets.iter().filter(|t| !t.is_fargate()).count() as u64;
    let fargate_targets = targets.len() as u64 - node_targets;
    let hours = hourly.map_or(1, |hours| hours.iter().collect::<HashSet<_>>().len() as u64);
    let plans = WorkUnits::plans(hours).saturating_mul(regions).saturating_add(generation_groups);
    let constant: u64 = demands.iter().map(|d| u64::from(d.replicas)).sum();
    let busiest = hourly.into_iter().flatten().map(|h| h.iter().map(|&r| u64::from(r)).sum::<u64>()).max().unwrap_or(0);
    let replicas = constant.max(busiest);
    let distinct =
        demands.iter().map(|d| (d.request.cpu_millicores, d.request.memory_mib)).collect::<HashSet<_>>().len() as u64;
    let units = WorkUnits::of(node_targets, fargate_targets, demands.len() as u64, plans, regions, replicas, distinct);
    if units.0 > budget {
        return Err(EstimateError::TooMuchWork {
            units: units.0,
            budget,
            targets: node_targets,
            plans,
            replicas,
            distinct,
        });
    }
    Ok(())
}
