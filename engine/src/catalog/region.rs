//! The catalog by region: which regions it prices, how fresh each region's prices are, and one
//! region's part of it. A price is only ever used in its own region.

use super::{Catalog, CatalogParts};
use serde::{Deserialize, Serialize};

/// The region the catalog was first built for and every price without a region of its own
/// belonged to: [`Catalog::service`] and [`Catalog::oldest_price_as_of`] speak of it.
pub const HOME_REGION: &str = "us-east-1";

/// What the catalog holds for one region: the region picker's row and the catalog-age
/// warning's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionSummary {
    /// Region code.
    pub region: String,
    /// Instance types with an on-demand price there.
    pub instance_prices: usize,
    /// The oldest and newest `as_of` of those prices (a refresh can leave a mix).
    pub oldest_price_as_of: String,
    /// See `oldest_price_as_of`.
    pub newest_price_as_of: String,
    /// Instance types with spot advice there.
    pub spot_advice: usize,
    /// The spot feed's date there, when it has any.
    pub spot_as_of: Option<String>,
    /// Service prices of the region itself (ElastiCache nodes and supporting services).
    pub service_prices: usize,
}

impl Catalog {
    /// Regions that have at least one instance price, sorted.
    pub fn regions(&self) -> Vec<&str> {
        let mut regions: Vec<&str> = self.instance_prices.iter().map(|p| p.region.as_str()).collect();
        regions.sort_unstable();
        regions.dedup();
        regions
    }

    /// Each region with instance prices: how many, their dates, and the spot advice and
    /// service prices it has; sorted by region code. The region picker lists these.
    pub fn region_summaries(&self) -> Vec<RegionSummary> {
        self.regions()
            .into_iter()
            .map(|region| {
                let dates =
                    || self.instance_prices.iter().filter(|p| p.region == region).map(|p| p.provenance.as_of.as_str());
                let advice = || self.spot_advice.iter().filter(|a| a.region == region);
                RegionSummary {
                    region: region.to_string(),
                    instance_prices: dates().count(),
                    oldest_price_as_of: dates().min().unwrap_or_default().to_string(),
                    newest_price_as_of: dates().max().unwrap_or_default().to_string(),
                    spot_advice: advice().count(),
                    spot_as_of: advice().map(|a| a.provenance.as_of.as_str()).min().map(str::to_string),
                    service_prices: self.services.iter().filter(|s| s.region.as_deref() == Some(region)).count(),
                }
            })
            .collect()
    }

    /// The date of `region`'s EC2 prices: the oldest `as_of` among them (a region refreshed
    /// in part keeps older rows); `None` when the region has none.
    pub fn price_date(&self, region: &str) -> Option<&str> {
        self.instance_prices.iter().filter(|p| p.region == region).map(|p| p.provenance.as_of.as_str()).min()
    }

    /// The oldest `as_of` of any price an estimate in `region` can rest on: the region's
    /// instance and service prices and the prices without a region (Heroku's); `None` when
    /// the catalog has no price there at all. The date a catalog-age warning names.
    pub fn oldest_price_as_of_in(&self, region: &str) -> Option<String> {
        let regional = self.instance_prices.iter().filter(|p| p.region == region).map(|p| &p.provenance);
        let services =
            self.services.iter().filter(|s| s.region.as_deref().is_none_or(|r| r == region)).map(|s| &s.provenance);
        regional
            .chain(services)
            .chain(self.dyno_sizes.iter().map(|d| &d.provenance))
            .map(|p| p.as_of.as_str())
            .min()
            .map(str::to_string)
    }

    /// Those of `types` (exact names) with no on-demand price in `region`, in the order given:
    /// what a plan there cannot use. A type the catalog does not describe counts as unpriced.
    pub fn unpriced_in<'t>(&self, region: &str, types: &[&'t str]) -> Vec<&'t str> {
        let priced: std::collections::HashSet<&str> =
            self.instance_prices.iter().filter(|p| p.region == region).map(|p| p.instance_type.as_str()).collect();
        types.iter().copied().filter(|t| !priced.contains(t)).collect()
    }

    /// What an estimate in `region` needs (the rows the API's region slice sends the page,
    /// which embeds one region only): every instance type (shapes hold everywhere), the
    /// region's instance prices,
    /// commitments and spot advice, its service prices and those without a region, plus
    /// [`HOME_REGION`]'s service prices (the labelled stand-ins for supporting services the
    /// region's sources lack), and the Heroku tables and assumptions. `None` when the region
    /// has no instance price. The parts load with [`Catalog::new`].
    pub fn region_slice(&self, region: &str) -> Option<CatalogParts> {
        if !self.instance_prices.iter().any(|p| p.region == region) {
            return None;
        }
        Some(CatalogParts {
            snapshot: self.snapshot.clone(),
            instance_types: self.instance_types.clone(),
            instance_prices: self.instance_prices.iter().filter(|p| p.region == region).cloned().collect(),
            dyno_sizes: self.dyno_sizes.clone(),
            services: self
                .services
                .iter()
                .filter(|s| s.region.as_deref().is_none_or(|r| r == region || r == HOME_REGION))
                .cloned()
                .collect(),
            commitments: self.commitments.iter().filter(|c| c.region == region).cloned().collect(),
            addon_plans: self.addon_plans.clone(),
            assumptions: self.assumptions.clone(),
            spot_advice: self.spot_advice.iter().filter(|a| a.region == region).cloned().collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Catalog;
    use crate::catalog::fixtures::two_regions;
    use crate::money::UsdPerHour;
    use rust_decimal_macros::dec;

    #[test]
    fn regions_have_their_own_dates_counts_and_gaps() {
        let c = two_regions();
        assert_eq!(c.price_date("eu-west-1"), Some("2022-11-22"));
        assert_eq!(c.oldest_price_as_of, "2024-07-01", "home region: KMS 2024-07-01 is older than Heroku's 2024-10-01");
        assert_eq!(c.oldest_price_as_of_in("eu-west-1").as_deref(), Some("2022-11-22"));
        assert_eq!(c.unpriced_in("eu-west-1", &["c7i.large", "c5.large", "zz.large"]), vec!["c7i.large", "zz.large"]);
        let eu = &c.region_summaries()[0];
        assert_eq!(
            (eu.region.as_str(), eu.instance_prices, eu.spot_advice, eu.spot_as_of.as_deref(), eu.service_prices),
            ("eu-west-1", 1, 1, Some("2025-06-28"), 1)
        );
        let advice = c.spot_advice("eu-west-1", "c5.large").unwrap();
        // 0.096 × (100 − 51) / 100
        assert_eq!(advice.spot_hourly(UsdPerHour(dec!(0.096))).0, dec!(0.04704));
        assert!(c.spot_advice("us-east-1", "c5.large").is_none());
    }

    #[test]
    fn a_region_slice_holds_that_regions_prices_and_the_home_regions_services() {
        let slice = two_regions().region_slice("eu-west-1").unwrap();
        assert_eq!(slice.instance_prices.iter().map(|p| p.region.as_str()).collect::<Vec<_>>(), ["eu-west-1"]);
        assert_eq!(slice.instance_types.len(), 2, "shapes hold everywhere");
        assert_eq!(slice.spot_advice.len(), 1);
        let services: Vec<&str> = slice.services.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(services, ["kms-key-month", "elasticache-redis:cache.t4g.micro", "heroku-eco-subscription"]);
        let again = Catalog::new(slice).unwrap();
        assert_eq!(again.regions(), ["eu-west-1"]);
        assert!(two_regions().region_slice("ap-south-2").is_none());
    }
}
