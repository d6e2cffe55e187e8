//! Finding a row: a dyno size or an instance type by name, a price, spot advice, an assumption
//! or an add-on plan, and a service price in a region.

use super::assumption::AssumptionDefault;
use super::heroku::{AddonPlan, DynoSize};
use super::instance_price::InstancePrice;
use super::instance_type::InstanceType;
use super::region::HOME_REGION;
use super::service::ServicePrice;
use super::spot::SpotAdvice;
use super::Catalog;

impl Catalog {
    /// The dyno size called `name` in any of Heroku's spellings.
    pub fn dyno_size(&self, name: &str) -> Option<&DynoSize> {
        self.dyno_sizes.iter().find(|d| d.answers_to(name))
    }

    /// The instance type called `name`.
    pub fn instance_type(&self, name: &str) -> Option<&InstanceType> {
        self.instance_types.iter().find(|t| t.name == name)
    }

    /// The on-demand price of `instance_type` in `region`.
    pub fn instance_price(&self, region: &str, instance_type: &str) -> Option<&InstancePrice> {
        self.instance_prices.iter().find(|p| p.region == region && p.instance_type == instance_type)
    }

    /// The spot advice for `instance_type` in `region`, when the feed has it.
    pub fn spot_advice(&self, region: &str, instance_type: &str) -> Option<&SpotAdvice> {
        self.spot_advice.iter().find(|a| a.region == region && a.instance_type == instance_type)
    }

    /// An assumption's default by identifier.
    pub fn assumption(&self, id: &str) -> Option<&AssumptionDefault> {
        self.assumptions.iter().find(|a| a.id == id)
    }

    /// A Heroku add-on plan by name (`heroku-postgresql:standard-0`), case-insensitively.
    pub fn addon_plan(&self, plan: &str) -> Option<&AddonPlan> {
        self.addon_plans.iter().find(|p| p.plan.eq_ignore_ascii_case(plan.trim()))
    }

    /// A service price by identifier in [`HOME_REGION`] (or without a region): what the
    /// estimate used before prices had regions. Elsewhere use [`Catalog::service_in`].
    pub fn service(&self, id: &str) -> Option<&ServicePrice> {
        self.service_in(HOME_REGION, id)
    }

    /// A service price by identifier in `region`: the region's own row, else a row without a
    /// region (a price that holds everywhere). Never another region's row: a caller that
    /// wants [`HOME_REGION`]'s price as a stand-in asks for it and labels it so.
    pub fn service_in(&self, region: &str, id: &str) -> Option<&ServicePrice> {
        self.services
            .iter()
            .find(|s| s.id == id && s.region.as_deref() == Some(region))
            .or_else(|| self.services.iter().find(|s| s.id == id && s.region.is_none()))
    }

    /// The service prices usable in `region`: its own and those without a region.
    pub fn services_in<'c>(&'c self, region: &'c str) -> impl Iterator<Item = &'c ServicePrice> + 'c {
        self.services.iter().filter(move |s| s.region.as_deref().is_none_or(|r| r == region))
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::fixtures::two_regions;
    use rust_decimal_macros::dec;

    #[test]
    fn a_service_price_is_never_taken_from_another_region() {
        let c = two_regions();
        assert_eq!(c.service("kms-key-month").map(|s| s.usd), Some(dec!(1)), "service() is the home region");
        assert!(c.service_in("eu-west-1", "kms-key-month").is_none());
        assert!(c.service("elasticache-redis:cache.t4g.micro").is_none());
        assert_eq!(c.service_in("eu-west-1", "elasticache-redis:cache.t4g.micro").map(|s| s.usd), Some(dec!(0.017)));
        // A price without a region holds everywhere.
        assert!(c.service_in("eu-west-1", "heroku-eco-subscription").is_some());
    }
}
