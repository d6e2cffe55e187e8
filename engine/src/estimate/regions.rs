//! The regions matrix: each region's targets side by side, what the region's catalog lacks of
//! the scenario's candidate types, and which of its prices are the home region's standing in.

use crate::catalog::{Catalog, HOME_REGION};
use crate::plan::wanted_types;
use crate::report::{AddonMove, OptionEstimate, RegionCell, RegionComparison};
use crate::scenario::Assumptions;
use crate::stand_in::is_stand_in;

/// One region's row, before the cheapest regions are marked: `options` and `moves` are the
/// region's.
pub(super) fn row(
    catalog: &Catalog,
    a: &Assumptions,
    options: &[OptionEstimate],
    moves: &[AddonMove],
) -> RegionComparison {
    let region = a.region.as_str();
    // The scenario's candidate types for its images (an unknown name fails the node targets
    // themselves; here it only leaves the count out).
    let wanted: Vec<&str> = wanted_types(catalog, &a.instance_types)
        .unwrap_or_default()
        .into_iter()
        .filter(|t| catalog.instance_type(t).and_then(|t| t.arch).is_some_and(|x| a.architectures.contains(&x)))
        .collect();
    let lacking = catalog.unpriced_in(region, &wanted);
    let mut lacking_families: Vec<String> = Vec::new();
    for t in &lacking {
        let family = t.split_once('.').map_or(*t, |(f, _)| f);
        if !lacking_families.iter().any(|f| f == family) {
            lacking_families.push(family.to_string());
        }
    }
    let mut stand_ins: Vec<String> = Vec::new();
    let items = options
        .iter()
        .flat_map(|o| o.breakdown.iter().flat_map(|l| l.sources.iter()))
        .chain(moves.iter().filter(|m| m.aws_monthly_usd.is_some()).flat_map(|m| m.sources.iter()));
    for item in items {
        if is_stand_in(item, region) && !stand_ins.contains(item) {
            stand_ins.push(item.clone());
        }
    }
    RegionComparison {
        region: region.to_string(),
        prices_as_of: catalog.price_date(region).unwrap_or_default().to_string(),
        candidate_types: wanted.len() as u32,
        candidate_types_lacking: lacking.len() as u32,
        lacking_families,
        note: (!lacking.is_empty()).then(|| {
            format!(
                "{} of the scenario's {} candidate types have no price in {region}, so they are not candidates \
                 there; `tco pricing refresh --region {region}` fills them",
                lacking.len(),
                wanted.len()
            )
        }),
        stand_ins,
        targets: options
            .iter()
            .map(|o| RegionCell { platform: o.platform, monthly_usd: o.monthly_usd, cheapest: false })
            .collect(),
    }
}

/// Marks each target's cheapest region (the first of equals).
pub(super) fn mark_cheapest(rows: &mut [RegionComparison]) {
    let platforms: Vec<_> = rows.iter().flat_map(|r| r.targets.iter().map(|c| c.platform)).collect();
    for p in platforms {
        let cheapest = rows.iter().flat_map(|r| &r.targets).filter(|c| c.platform == p).map(|c| c.monthly_usd).min();
        let already = rows.iter().flat_map(|r| &r.targets).any(|c| c.platform == p && c.cheapest);
        if already {
            continue;
        }
        if let Some(c) = rows
            .iter_mut()
            .flat_map(|r| r.targets.iter_mut())
            .find(|c| c.platform == p && Some(c.monthly_usd) == cheapest)
        {
            c.cheapest = true;
        }
    }
}

/// The warning of a region whose estimate rests on stand-ins, naming them and their range.
pub(super) fn stand_in_warning(row: &RegionComparison, range: Option<&crate::stand_in::Range>) -> Option<String> {
    if row.stand_ins.is_empty() {
        return None;
    }
    let region = &row.region;
    let names: Vec<&str> =
        row.stand_ins.iter().map(|i| i.strip_suffix(&format!(", {HOME_REGION}")).unwrap_or(i)).collect();
    Some(format!(
        "{region} has no price of its own in the catalog for {}: {HOME_REGION}'s stand in, labelled \
         `{}`{}",
        names.join(", "),
        crate::stand_in::ASSUMPTION,
        range.map_or(String::new(), |r| format!("; the band spans ×{:.2} to ×{:.2} ({})", r.low, r.high, r.basis))
    ))
}
