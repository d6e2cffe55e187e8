//! The price catalog as the engine sees it: validated types, prices with their source and date.
//! Loading it from files is `tco-pricing-data`'s job.
//!
//! [`Catalog`] holds one table per kind of row, each row type in a module of its own;
//! [`Catalog::new`] checks that the parts fit together (`validate`), and lookups take the
//! region (`lookup`, `region`).

mod assumption;
#[cfg(test)]
mod fixtures;
mod heroku;
mod instance_price;
mod instance_type;
mod lookup;
mod region;
pub mod service;
mod spot;
mod validate;

pub use assumption::AssumptionDefault;
pub use heroku::{AddonPlan, DynoSize};
pub use instance_price::{Commitment, InstancePrice};
pub use instance_type::{Arch, InstanceType, Shape, UnknownArch};
pub use region::{RegionSummary, HOME_REGION};
pub use service::ServicePrice;
pub use spot::{Interruption, SpotAdvice, UnknownInterruption};
pub use validate::CatalogError;

use serde::{Deserialize, Serialize};

/// Where a price or fact came from, and the day it was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// A citation a reader can follow: page, file or API and version.
    pub source: String,
    /// The date the fact was taken, `YYYY-MM-DD`.
    pub as_of: String,
}

/// The whole catalog: validated on construction, read-only afterwards.
///
/// Regions: instance prices, commitments and spot advice each name their region; service
/// prices name theirs or none (see [`ServicePrice::region`]). Instance types are the same
/// everywhere. A price is only ever used in its own region: lookups take the region, and a
/// type without a price in a region is simply not offered there ([`Catalog::unpriced_in`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// The snapshot's date, `YYYY-MM-DD`.
    pub snapshot: String,
    /// The oldest `as_of` of any price an estimate in [`HOME_REGION`] can use (its instance
    /// and service prices, and the prices without a region), the date to warn about there.
    /// Other regions: [`Catalog::oldest_price_as_of_in`].
    pub oldest_price_as_of: String,
    /// EC2 instance types.
    pub instance_types: Vec<InstanceType>,
    /// EC2 on-demand prices.
    pub instance_prices: Vec<InstancePrice>,
    /// Heroku dyno sizes.
    pub dyno_sizes: Vec<DynoSize>,
    /// Managed and supporting services.
    pub services: Vec<ServicePrice>,
    /// Reserved Instance and Savings Plan rates.
    #[serde(default)]
    pub commitments: Vec<Commitment>,
    /// Heroku add-on plans.
    #[serde(default)]
    pub addon_plans: Vec<AddonPlan>,
    /// Defaults for uncertain figures.
    #[serde(default)]
    pub assumptions: Vec<AssumptionDefault>,
    /// Spot Instance Advisor savings and interruption buckets, per region and type.
    #[serde(default)]
    pub spot_advice: Vec<SpotAdvice>,
}

/// Everything a catalog is made of, before validation; also one region's part of a catalog
/// ([`Catalog::region_slice`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CatalogParts {
    /// The snapshot's date.
    pub snapshot: String,
    /// EC2 instance types.
    pub instance_types: Vec<InstanceType>,
    /// EC2 on-demand prices.
    pub instance_prices: Vec<InstancePrice>,
    /// Heroku dyno sizes.
    pub dyno_sizes: Vec<DynoSize>,
    /// Services.
    pub services: Vec<ServicePrice>,
    /// Commitment rates.
    pub commitments: Vec<Commitment>,
    /// Heroku add-on plans.
    pub addon_plans: Vec<AddonPlan>,
    /// Assumption defaults.
    pub assumptions: Vec<AssumptionDefault>,
    /// Spot advice.
    pub spot_advice: Vec<SpotAdvice>,
}

impl From<Catalog> for CatalogParts {
    fn from(c: Catalog) -> Self {
        CatalogParts {
            snapshot: c.snapshot,
            instance_types: c.instance_types,
            instance_prices: c.instance_prices,
            dyno_sizes: c.dyno_sizes,
            services: c.services,
            commitments: c.commitments,
            addon_plans: c.addon_plans,
            assumptions: c.assumptions,
            spot_advice: c.spot_advice,
        }
    }
}
