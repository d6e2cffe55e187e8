//! A service price as an estimate in a region uses it: the region's own row or, where the
//! catalog has no source for the region (most supporting services, Fargate and RDS are sourced
//! for us-east-1 only), the home region's row standing in for it, never silently.
//!
//! A stand-in is an assumption (`home-region-stand-in`: a multiple of the home region's price,
//! 1 unless the user says otherwise): every line that uses one says so in its formula, the
//! report lists it among the uncertain figures, and the band spans the region's range, the
//! region's ElastiCache node prices over the home region's (one source, one day, and the only
//! service the catalog prices in every region). A catalog without the assumption's row gets no
//! stand-ins: the line is then left out with a warning, as a missing price always is.

use crate::catalog::{Catalog, ServicePrice, HOME_REGION};
use crate::purchase::assumed;
use crate::scenario::Assumptions;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::HashMap;

/// The assumption's id in the catalog and in `assumptions.overrides`.
pub const ASSUMPTION: &str = "home-region-stand-in";

/// A service price found for an estimate.
#[derive(Debug, Clone, Copy)]
pub struct Found<'c> {
    /// The catalog row.
    pub row: &'c ServicePrice,
    /// USD per the row's unit as used: the row's price, times the stand-in factor for a
    /// stand-in.
    pub usd: Decimal,
    /// Whether the row is the home region's standing in for the estimate's region.
    pub stand_in: bool,
}

impl Found<'_> {
    /// What a formula adds about the price: nothing for the region's own, the stand-in's label
    /// otherwise.
    pub fn note(&self, region: &str) -> String {
        if self.stand_in {
            format!(" ({HOME_REGION}'s price standing in for {region}'s: {ASSUMPTION})")
        } else {
            String::new()
        }
    }
}

/// Service price `id` for an estimate in `a.region`: the region's row (or one without a region),
/// else the home region's as a stand-in; `None` when neither is in the catalog.
pub fn service<'c>(catalog: &'c Catalog, a: &Assumptions, id: &str) -> Option<Found<'c>> {
    if let Some(row) = catalog.service_in(&a.region, id) {
        return Some(Found { row, usd: row.usd, stand_in: false });
    }
    let factor = assumed(catalog, a, ASSUMPTION)?.value;
    let row = catalog.service_in(HOME_REGION, id)?;
    Some(Found { row, usd: row.usd * factor, stand_in: true })
}

/// Whether a cost line's source `item` (see [`ServicePrice::item`]) is a stand-in in `region`:
/// items name their region, and every other price an estimate there uses is the region's own.
pub fn is_stand_in(item: &str, region: &str) -> bool {
    region != HOME_REGION && item.strip_suffix(HOME_REGION).is_some_and(|rest| rest.ends_with(", "))
}

/// How far a region's prices may sit from the home region's: the lowest and highest ratio of
/// its ElastiCache on-demand node prices to the same nodes' in the home region, rounded
/// outwards to the cent; the catalog's own range where the two share no node.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    /// The low end, a multiple of the home region's price.
    pub low: Decimal,
    /// The high end.
    pub high: Decimal,
    /// Where the range comes from, for people.
    pub basis: String,
}

/// The stand-in range of `region` ([`Range`]); `None` when the catalog has no stand-in
/// assumption.
pub fn range(catalog: &Catalog, region: &str) -> Option<Range> {
    let default = catalog.assumption(ASSUMPTION)?;
    let on_demand = |id: &str| id.starts_with("elasticache-redis:") || id.starts_with("elasticache-valkey:");
    let home: HashMap<&str, Decimal> = catalog
        .services
        .iter()
        .filter(|s| s.region.as_deref() == Some(HOME_REGION) && on_demand(&s.id) && !s.usd.is_zero())
        .map(|s| (s.id.as_str(), s.usd))
        .collect();
    let ratios: Vec<Decimal> = catalog
        .services
        .iter()
        .filter(|s| s.region.as_deref() == Some(region) && on_demand(&s.id))
        .filter_map(|s| home.get(s.id.as_str()).map(|h| s.usd / h))
        .collect();
    let (Some(low), Some(high)) = (ratios.iter().min(), ratios.iter().max()) else {
        return Some(Range {
            low: default.low,
            high: default.high,
            basis: format!("the catalog's range: {region} and {HOME_REGION} share no ElastiCache node price"),
        });
    };
    Some(Range {
        low: low.round_dp_with_strategy(2, RoundingStrategy::ToNegativeInfinity),
        high: high.round_dp_with_strategy(2, RoundingStrategy::ToPositiveInfinity),
        basis: format!(
            "{region}'s ElastiCache node prices over {HOME_REGION}'s, {} nodes ({})",
            ratios.len(),
            catalog
                .services
                .iter()
                .find(|s| s.region.as_deref() == Some(region) && on_demand(&s.id))
                .map_or("", |s| s.provenance.as_of.as_str())
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{AssumptionDefault, CatalogParts, Provenance};
    use rust_decimal_macros::dec;

    fn row(id: &str, region: Option<&str>, usd: Decimal) -> ServicePrice {
        ServicePrice {
            id: id.into(),
            region: region.map(str::to_string),
            description: id.into(),
            usd,
            unit: "per hour".into(),
            confidence: "official".into(),
            provenance: Provenance { source: "hand-made".into(), as_of: "2025-04-24".into() },
        }
    }

    fn catalog(with_assumption: bool) -> Catalog {
        Catalog::new(CatalogParts {
            services: vec![
                row("nat-gateway-hour", Some("us-east-1"), dec!(0.045)),
                row("elasticache-redis:cache.t4g.micro", Some("us-east-1"), dec!(0.016)),
                row("elasticache-redis:cache.m6g.large", Some("us-east-1"), dec!(0.149)),
                row("elasticache-redis:cache.t4g.micro", Some("eu-west-1"), dec!(0.017)),
                row("elasticache-redis:cache.m6g.large", Some("eu-west-1"), dec!(0.165)),
                row("data-transfer-out-free-gb", None, dec!(100)),
            ],
            assumptions: with_assumption
                .then(|| AssumptionDefault {
                    id: ASSUMPTION.into(),
                    description: "stand-in".into(),
                    value: Decimal::ONE,
                    unit: "× us-east-1's price".into(),
                    low: dec!(1),
                    high: dec!(2.06),
                    provenance: Provenance { source: "hand-made".into(), as_of: "2025-04-24".into() },
                })
                .into_iter()
                .collect(),
            ..CatalogParts::default()
        })
        .unwrap()
    }

    fn in_region(region: &str) -> Assumptions {
        Assumptions { region: region.into(), ..Assumptions::default() }
    }

    #[test]
    fn the_regions_own_price_wins_and_the_home_regions_stands_in_labelled() {
        let c = catalog(true);
        let own = service(&c, &in_region("eu-west-1"), "elasticache-redis:cache.t4g.micro").unwrap();
        assert_eq!((own.usd, own.stand_in), (dec!(0.017), false));
        let nat = service(&c, &in_region("eu-west-1"), "nat-gateway-hour").unwrap();
        assert_eq!((nat.usd, nat.stand_in), (dec!(0.045), true));
        assert_eq!(nat.note("eu-west-1"), " (us-east-1's price standing in for eu-west-1's: home-region-stand-in)");
        assert!(!service(&c, &in_region("us-east-1"), "nat-gateway-hour").unwrap().stand_in);
        // A price without a region holds everywhere: not a stand-in.
        assert!(!service(&c, &in_region("eu-west-1"), "data-transfer-out-free-gb").unwrap().stand_in);
        // The user's factor moves a stand-in: 0.045 × 1.1.
        let mut a = in_region("eu-west-1");
        a.overrides.insert(ASSUMPTION.into(), dec!(1.1));
        assert_eq!(service(&c, &a, "nat-gateway-hour").unwrap().usd, dec!(0.0495));
    }

    #[test]
    fn without_the_assumption_a_missing_price_stays_missing() {
        assert!(service(&catalog(false), &in_region("eu-west-1"), "nat-gateway-hour").is_none());
        assert!(range(&catalog(false), "eu-west-1").is_none());
    }

    #[test]
    fn the_range_is_the_regions_elasticache_prices_over_the_home_regions() {
        // 0.017 / 0.016 = 1.0625 → 1.06 (down); 0.165 / 0.149 = 1.1073… → 1.11 (up).
        let r = range(&catalog(true), "eu-west-1").unwrap();
        assert_eq!((r.low, r.high), (dec!(1.06), dec!(1.11)));
        assert_eq!(r.basis, "eu-west-1's ElastiCache node prices over us-east-1's, 2 nodes (2025-04-24)");
        // No node in common: the catalog's range.
        let r = range(&catalog(true), "sa-east-1").unwrap();
        assert_eq!((r.low, r.high), (dec!(1), dec!(2.06)));
    }

    #[test]
    fn only_a_home_region_item_in_another_region_is_a_stand_in() {
        assert!(is_stand_in("NAT gateway, us-east-1", "eu-west-1"));
        assert!(!is_stand_in("NAT gateway, us-east-1", "us-east-1"));
        assert!(!is_stand_in("EC2 c5.large on-demand, Linux, eu-west-1", "eu-west-1"));
        assert!(!is_stand_in("Data transfer out free allowance", "eu-west-1"));
    }
}
