//! Stage 1: the candidates. The instance types the scenario allows, priced in its region, with
//! what a node of each offers once the orchestrator has taken its share and the headroom is
//! kept free.

use crate::catalog::{Arch, Catalog, InstancePrice, InstanceType};
use crate::error::EstimateError;
use crate::node::{allocatable, undominated_types, usable, Allocatable, NodeType};
use crate::scenario::{Assumptions, Platform};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// An instance type the plan may use, priced in the region, with what it offers.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'c> {
    /// The type.
    pub instance: &'c InstanceType,
    /// Its on-demand price.
    pub price: &'c InstancePrice,
    /// What the planner pays for a node of it per hour, exact: its on-demand price, or its spot
    /// price in a spot pool ([`spot_candidates`]).
    pub planned_usd_per_hour: Decimal,
    /// Allocatable to containers.
    pub allocatable: Allocatable,
    /// What the plan fills: allocatable times the headroom.
    pub usable: Allocatable,
}

/// The priced instance types the scenario allows for `platform`: exact names, or whole
/// families (`c5`) expanded to their sizes, keeping those with a price in the region and a
/// known shape.
pub fn candidates<'c>(
    platform: Platform,
    catalog: &'c Catalog,
    a: &Assumptions,
) -> Result<Vec<Candidate<'c>>, EstimateError> {
    // One pass over the catalog instead of a search per name: the full catalog is ~1,400 types.
    let by_name: HashMap<&str, &'c InstanceType> =
        catalog.instance_types.iter().map(|t| (t.name.as_str(), t)).collect();
    let prices: HashMap<&str, &'c InstancePrice> = catalog
        .instance_prices
        .iter()
        .filter(|p| p.region == a.region)
        .map(|p| (p.instance_type.as_str(), p))
        .collect();
    let names = wanted_types(catalog, &a.instance_types)?;
    let mut priced = 0;
    let mut wrong_arch: Option<&InstanceType> = None;
    let mut out = Vec::new();
    for name in names {
        let (Some(&instance), Some(&price)) = (by_name.get(name), prices.get(name)) else {
            continue;
        };
        priced += 1;
        if !instance.arch.is_some_and(|x| a.architectures.contains(&x)) {
            wrong_arch = wrong_arch.or(Some(instance));
            continue;
        }
        if let Some(node) = instance.shape().and_then(|shape| allocatable(shape, platform, a)) {
            if node.cpu_millicores > 0 && node.memory_mib > 0 && node.pods > 0 {
                out.push(Candidate {
                    instance,
                    price,
                    planned_usd_per_hour: price.usd_per_hour,
                    allocatable: node,
                    usable: usable(node, a.headroom),
                });
            }
        }
    }
    if priced == 0 {
        return Err(EstimateError::NoPricedCandidate { region: a.region.clone() });
    }
    if out.is_empty() {
        if let Some(t) = wrong_arch {
            let name = |x: Option<Arch>| x.map_or("of unknown architecture", Arch::as_str);
            return Err(EstimateError::ArchMismatch {
                allowed: a.architectures.iter().map(|x| name(Some(*x))).collect::<Vec<_>>().join(" or "),
                example: t.name.clone(),
                found: name(t.arch).into(),
            });
        }
    }
    Ok(out)
}

/// The exact types `wanted` names (types, or whole families such as `c5`), sorted, each once.
pub fn wanted_types<'c>(catalog: &'c Catalog, wanted: &[String]) -> Result<Vec<&'c str>, EstimateError> {
    let mut names: Vec<&str> = Vec::new();
    for w in wanted {
        if let Some(t) = catalog.instance_type(w) {
            names.push(t.name.as_str());
            continue;
        }
        let family: Vec<&str> = catalog
            .instance_types
            .iter()
            .filter(|t| t.name.split_once('.').is_some_and(|(f, _)| f == w))
            .map(|t| t.name.as_str())
            .collect();
        if family.is_empty() {
            let near = crate::explore::nearest(w, catalog.instance_types.iter().map(|t| t.name.as_str()), 3);
            return Err(EstimateError::UnknownInstanceType { name: w.clone(), nearest: near.join(", ") });
        }
        names.extend(family);
    }
    names.sort_unstable();
    names.dedup();
    Ok(names)
}

/// The candidates of a spot pool, each at its spot price: the preferred ones, whose
/// interruption bucket in the region is at most `spot_max_interruption`, at the Spot Instance
/// Advisor's saving; and every candidate (the fallback when the preferred hold nothing), types
/// the feed lacks at the flat spot-discount assumption. `None` for a type without either.
pub struct SpotCandidates<'c> {
    /// Under the interruption threshold.
    pub preferred: Vec<Candidate<'c>>,
    /// Every candidate with a spot price.
    pub all: Vec<Candidate<'c>>,
}

/// The spot pool's candidates of `candidates` in the region ([`SpotCandidates`]).
pub fn spot_candidates<'c>(candidates: &[Candidate<'c>], catalog: &Catalog, a: &Assumptions) -> SpotCandidates<'c> {
    let mut preferred = Vec::new();
    let mut all = Vec::new();
    for c in candidates {
        let od = c.price.usd_per_hour;
        match catalog.spot_advice(&a.region, &c.instance.name) {
            Some(advice) => {
                let spot =
                    Candidate { planned_usd_per_hour: crate::purchase::spot_rate(advice, od).usd_per_hour, ..*c };
                if advice.interruption <= a.spot_max_interruption {
                    preferred.push(spot);
                }
                all.push(spot);
            }
            None => {
                let Some(x) = crate::purchase::assumed(catalog, a, crate::purchase::assumption::SPOT) else {
                    continue;
                };
                all.push(Candidate { planned_usd_per_hour: od * (Decimal::ONE - x.value), ..*c });
            }
        }
    }
    SpotCandidates { preferred, all }
}

/// The candidates no other beats on price and every capacity, as the mixed packer takes them:
/// their indices and their node types ([`undominated_types`]).
pub(crate) fn node_types(candidates: &[Candidate]) -> (Vec<usize>, Vec<NodeType>) {
    let all: Vec<NodeType> = candidates.iter().map(node_type).collect();
    undominated_types(&all)
}

/// A candidate as the packers and bounds see it: capacities and an `f64` price for their
/// arithmetic (money itself is always summed from the exact prices).
pub(crate) fn node_type(c: &Candidate) -> NodeType {
    NodeType {
        usable: c.usable,
        allocatable: c.allocatable,
        cost_per_hour: c.planned_usd_per_hour.to_f64().unwrap_or(f64::INFINITY),
    }
}
